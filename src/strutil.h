/* Small string helpers shared by the shim and the CLI. libc only. */
#ifndef NODUS_STRUTIL_H
#define NODUS_STRUTIL_H
#include <stddef.h>

/* Copy src into dst (size n), always NUL-terminated. Returns 0, or -1 when
 * src did not fit (dst then holds a truncated copy). */
int str_copy(char *dst, size_t n, const char *src);
/* snprintf that returns 0, or -1 on truncation or error. */
int str_fmt(char *dst, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Trim ASCII whitespace in place; returns s. */
char *str_trim(char *s);
int str_starts(const char *s, const char *prefix);
/* ASCII lower-case in place. */
void str_lower(char *s);
/* A boolean as YAML 1.1 and environment variables spell it:
 * true/yes/on/1 -> 1, false/no/off/0 -> 0, anything else -> -1. */
int str_bool(const char *s);
/* strcasecmp for ASCII. */
int str_ieq(const char *a, const char *b);
#endif
