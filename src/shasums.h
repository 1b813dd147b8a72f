/* SHASUMS256.txt: "<64 lower-case hex>  <file name>" lines, parsed
 * strictly: one malformed line makes the whole file untrustworthy. */
#ifndef NODUS_SHASUMS_H
#define NODUS_SHASUMS_H
#include <stddef.h>

typedef struct {
    char hex[65];
    char *name;
} shasum_line;

typedef struct {
    shasum_line *lines;
    size_t n;
} shasums_t;

/* Returns 0, or -1 with err ("line 3: ..."). */
int shasums_parse(const char *text, size_t len, shasums_t *out, char *err, size_t errlen);
/* The hex digest for file name, or NULL. */
const char *shasums_find(const shasums_t *s, const char *name);
void shasums_free(shasums_t *s);
#endif
