/* Outside text made safe to show on a terminal. libc only (the shim uses it).
 *
 * A string from a mirror, a tarball, a cloned repository, a config file or
 * the environment may hold bytes a terminal obeys: ESC starts a sequence
 * that retitles the window or clears the screen, CR and LF start a fake line,
 * C1 controls (U+0080..U+009F in UTF-8) do the same on some terminals, and
 * the bidi overrides (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F,
 * U+061C) reorder what follows. All of them are shown as escapes instead:
 *
 *   a byte below 0x20, DEL (0x7f), or a byte that is not valid UTF-8: \xHH
 *   C1 controls, bidi controls, U+2028/U+2029 (line separators): \uHHHH
 *
 * (lower-case hex: ESC is \x1b, BEL \x07, RLO \u202e). Everything else,
 * backslashes included, is shown as it is. */
#ifndef NODUS_VISIBLE_H
#define NODUS_VISIBLE_H
#include <stddef.h>
#include <stdio.h>

/* Whether s[0..len) would be shown unchanged. */
int vis_clean(const char *s, size_t len);

/* s[0..len) made visible into dst (size n >= 64, always NUL-terminated).
 * When the visible form does not fit, the middle is left out and replaced
 * by "...[N bytes left out]..." (N counts bytes of s), keeping a head and a
 * tail; escapes and UTF-8 sequences are never split. Returns dst. */
char *vis_mem(char *dst, size_t n, const char *s, size_t len);
/* The same for a NUL-terminated string (NULL shows as ""). */
char *vis_str(char *dst, size_t n, const char *s);

/* Bytes vis_mem needs to show s[0..len) whole, without the NUL. */
size_t vis_len(const char *s, size_t len);

/* Write s made visible to f, whole (never shortened). Returns 0, or EOF. */
int vis_fputs(const char *s, FILE *f);

/* printf to f with the whole result made visible, except a newline that
 * ends the format itself (for lines that mix nodus's words with outside
 * text). Returns 0, or EOF. */
int vis_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The size of a buffer for vis_str that shows an outside name of up to
 * about 200 bytes whole and shortens a longer one in the middle, so the
 * reason a message gives after it is never pushed out. */
#define VIS_SHORT 256

#endif
