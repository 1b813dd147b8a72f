/* Reading a file that outside hands may have put there: one helper for
 * every file nodus reads (version files, config.yaml, default, aliases,
 * .nodus-meta, the cached index). It opens with O_NONBLOCK, so a FIFO or a
 * device cannot hold open(); fstat then requires a regular file of bounded
 * size, and only then is anything read. libc only: the shim uses it. */
#ifndef NODUS_READFILE_H
#define NODUS_READFILE_H
#include <stddef.h>
#include <stdio.h>

enum {
    RF_OK = 0,
    RF_MISSING = -1, /* no such file (or a dangling link; errno kept) */
    RF_NOTFILE = -2, /* a FIFO, device, socket or directory */
    RF_TOOBIG = -3,  /* larger than the cap */
    RF_ERROR = -4    /* open/fstat/read failed otherwise; errno kept */
};

/* Flags. */
#define RF_NOFOLLOW 0x1u /* a symlink at the last component is RF_NOTFILE:
                            for files only nodus writes */

/* Open path (relative to dirfd; AT_FDCWD allowed) for reading. Returns an
 * fd >= 0 for a regular file of at most cap bytes, or an RF_* code < 0.
 * kind, when not NULL, gets the file type for RF_NOTFILE ("a FIFO", ...). */
int rf_open_at(int dirfd, const char *path, size_t cap, unsigned flags, const char **kind);

/* The whole file into a malloc'd NUL-terminated buffer (*len bytes, NULs
 * inside possible). Returns RF_OK or an RF_* code. */
int rf_read_at(int dirfd, const char *path, size_t cap, unsigned flags, char **buf, size_t *len,
               const char **kind);

/* The whole file into buf (size n, NUL-terminated); a file that does not
 * fit is RF_TOOBIG, never cut. */
int rf_read_small(const char *path, char *buf, size_t n, unsigned flags, const char **kind);

/* fdopen of rf_open_at, for readers that go line by line. NULL with *code
 * set (never RF_OK) on failure. */
FILE *rf_fopen(const char *path, size_t cap, unsigned flags, int *code, const char **kind);

/* A phrase for a failure, for "cannot read PATH: PHRASE": "it is a FIFO,
 * not a file", "it is larger than 65536 bytes", strerror(errno)... Uses
 * errno for RF_MISSING/RF_ERROR: call it before anything else touches errno. */
const char *rf_why(int code, const char *kind, size_t cap, char *buf, size_t n);

#endif
