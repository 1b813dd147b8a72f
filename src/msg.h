/* Messages for people. Every error is one line on stderr that starts with
 * "nodus: ", is lower case, and says what failed and what to do. libc only.
 * What is substituted into a message may come from outside: the whole line
 * is shown made visible (visible.h), so no control character, line break
 * or bidi override reaches the terminal, and a line longer than 4 KiB is
 * shortened in the middle so that its reason, at the end, is kept. */
#ifndef NODUS_MSG_H
#define NODUS_MSG_H

/* Exit statuses, documented in man/nodus.1 (EXIT STATUS). */
enum {
    EXIT_OK = 0,
    EXIT_FAIL = 1,         /* anything not covered below */
    EXIT_USAGE = 2,        /* bad command line */
    EXIT_NOT_FOUND = 3,    /* no release or installed version matches the spec */
    EXIT_NETWORK = 4,      /* the mirror could not be reached or answered an error */
    EXIT_VERIFY = 5,       /* checksum or signature did not verify */
    EXIT_IO = 6,           /* a local file operation failed */
    EXIT_NOT_INSTALLED = 7,/* the selected version is not installed */
    EXIT_BAD_FILE = 8,     /* a version file or config file is malformed */
    EXIT_AUDIT = 9,        /* audit: something in scope is end of life or vulnerable */
    EXIT_SHIM_NOEXEC = 126,/* shim: the command exists but cannot be run */
    EXIT_SHIM_NOTFOUND = 127 /* shim: no such command in the version */
};

void msg_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Plain progress/notice text for people, on stderr, no prefix. */
void msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
