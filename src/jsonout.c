#include "jsonout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Write s[0..len) (jansson's output, valid UTF-8) with DEL, C1 and bidi
 * controls as \uXXXX, and each line after the first indented by `indent`
 * spaces. */
static int put_safe(FILE *f, const char *s, size_t len, int indent)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned cp = 0;
        size_t k = 0;
        if (p[i] == 0x7f)
            cp = 0x7f, k = 1;
        else if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f)
            cp = p[i + 1], k = 2;
        else if (p[i] == 0xd8 && i + 1 < len && p[i + 1] == 0x9c)
            cp = 0x061c, k = 2;
        else if (p[i] == 0xe2 && i + 2 < len && p[i + 1] == 0x80 &&
                 (p[i + 2] == 0x8e || p[i + 2] == 0x8f || (p[i + 2] >= 0xa8 && p[i + 2] <= 0xae)))
            cp = 0x2000u + (p[i + 2] - 0x80u), k = 3;
        else if (p[i] == 0xe2 && i + 2 < len && p[i + 1] == 0x81 && p[i + 2] >= 0xa6 && p[i + 2] <= 0xa9)
            cp = 0x2040u + (p[i + 2] - 0x80u), k = 3;
        else if (p[i] == '\n' && indent)
            k = 1;
        if (!k)
            continue;
        if (fwrite(p + from, 1, i - from, f) != i - from)
            return -1;
        if (p[i] == '\n') {
            if (fprintf(f, "\n%*s", indent, "") < 0)
                return -1;
        } else if (fprintf(f, "\\u%04x", cp) < 0) {
            return -1;
        }
        from = i + k;
        i += k - 1;
    }
    return fwrite(p + from, 1, len - from, f) == len - from ? 0 : -1;
}

static int dump(FILE *f, const json_t *v, int indent)
{
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (!s)
        return -1;
    int r = put_safe(f, s, strlen(s), indent);
    free(s);
    return r;
}

int json_print(FILE *f, const json_t *v)
{
    if (!v || dump(f, v, 0) != 0 || fputc('\n', f) == EOF)
        return -1;
    return 0;
}

void json_list_begin(json_list *l, FILE *f)
{
    l->f = f;
    l->n = 0;
    l->failed = fputc('[', f) == EOF;
}

void json_list_item(json_list *l, json_t *v)
{
    if (!v || fputs(l->n ? ",\n  " : "\n  ", l->f) == EOF || dump(l->f, v, 2) != 0)
        l->failed = 1;
    l->n++;
    json_decref(v);
}

int json_list_end(json_list *l)
{
    if (fputs(l->n ? "\n]\n" : "]\n", l->f) == EOF)
        l->failed = 1;
    return l->failed ? -1 : 0;
}
