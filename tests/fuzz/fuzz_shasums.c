/* libFuzzer target for the SHASUMS256.txt parser (src/shasums.c): the
 * file comes from the mirror (its signature is checked, but the parser runs
 * on whatever a signer, or an unsigned mirror, put there). After a parse:
 * every digest is 64 lower-case hex digits, every name is non-empty with
 * no blank, control byte, backslash, empty, "." or ".." component, and
 * shasums_find finds each line's name (the first line with that name). */
#include "shasums.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 255 || s[0] == '/' || s[n - 1] == '/' || strstr(s, "//"))
        return 0;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == '\\' || *p == 0x7f)
            return 0;
    /* no "." or ".." component */
    for (const char *c = s; c; c = strchr(c, '/') ? strchr(c, '/') + 1 : NULL) {
        size_t l = strcspn(c, "/");
        if ((l == 1 && c[0] == '.') || (l == 2 && c[0] == '.' && c[1] == '.'))
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    shasums_t s;
    char err[256];
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    err[0] = '\0';
    if (shasums_parse(buf, size, &s, err, sizeof err) == 0) {
        if (s.n == 0)
            abort();
        for (size_t i = 0; i < s.n; i++) {
            const shasum_line *l = &s.lines[i];
            if (strlen(l->hex) != 64 || strspn(l->hex, "0123456789abcdef") != 64)
                abort();
            if (!name_ok(l->name))
                abort();
            const char *found = shasums_find(&s, l->name);
            if (!found)
                abort();
        }
        shasums_free(&s);
    } else if (!err[0] || s.n != 0 || s.lines != NULL) {
        abort(); /* a failure says why and leaves nothing to free */
    }
    free(buf);
    return 0;
}
