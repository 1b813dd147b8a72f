/* libFuzzer target for the version-file parsers (src/vfile.c): every input
 * is parsed as each kind (.node-version, .nvmrc, .tool-versions,
 * package.json, with and without engines.node), because a hostile
 * repository can put any bytes under any of these names and the shim reads
 * them on every `node` call.
 *
 * Checks beyond "no crash": a found result has 1..VFILE_MAX_SPECS specs,
 * each NUL-terminated inside its slot, non-empty and trimmed; the field is
 * NUL-terminated; a malformed result says why; none of it depends on the
 * bytes after len (the input is copied into an exact-size buffer, so ASan
 * sees any over-read). */
#include "vfile.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void check(vfile_kind kind, const char *buf, size_t len, unsigned flags)
{
    vfile_result r;
    char err[256];
    memset(&r, 0x5a, sizeof r);
    memset(err, 0x5a, sizeof err);
    int rc = vfile_parse(kind, buf, len, flags, &r, err, sizeof err);
    if (!memchr(err, '\0', sizeof err))
        abort();
    switch (rc) {
    case VF_FOUND:
        if (r.n < 1 || r.n > VFILE_MAX_SPECS || !memchr(r.field, '\0', sizeof r.field))
            abort();
        for (int i = 0; i < r.n; i++) {
            const char *s = r.specs[i];
            size_t n = strnlen(s, VFILE_SPEC_MAX);
            if (n == VFILE_SPEC_MAX || n == 0 || blank(s[0]) || blank(s[n - 1]))
                abort();
        }
        if (kind != VF_PACKAGE_JSON && r.field[0])
            abort();
        break;
    case VF_NONE:
        if (r.n != 0)
            abort();
        break;
    case VF_MALFORMED:
        if (r.n != 0 || !err[0])
            abort();
        break;
    default:
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    for (int k = 0; k < VF_COUNT; k++)
        check((vfile_kind)k, buf, size, 0);
    check(VF_PACKAGE_JSON, buf, size, VF_NO_ENGINES);
    free(buf);
    return 0;
}
