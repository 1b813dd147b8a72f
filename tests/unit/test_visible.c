/* Outside text made visible: controls, C1, bidi, invalid UTF-8, and long
 * strings shortened in the middle with their tail kept. */
#include "visible.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static char B[4096];

static const char *vis(const char *s)
{
    return vis_str(B, sizeof B, s);
}

int main(void)
{
    is_str(vis("v22.11.0 plain"), "v22.11.0 plain", "plain ASCII is unchanged");
    is_str(vis("\x1b]0;PWNED\x07\x1b[2J"), "\\x1b]0;PWNED\\x07\\x1b[2J", "ESC and BEL are escaped");
    is_str(vis("a\r\nnodus: all good"), "a\\x0d\\x0anodus: all good", "CR and LF cannot start a fake line");
    is_str(vis("del\x7f"), "del\\x7f", "DEL is escaped");
    is_str(vis("c1 \xc2\x9b" "2J"), "c1 \\u009b2J", "a C1 control in UTF-8 (CSI) is escaped");
    is_str(vis("\xe2\x80\xae" "txt.exe"), "\\u202etxt.exe", "RLO is escaped");
    is_str(vis("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069", "isolates are escaped");
    is_str(vis("caf\xc3\xa9 \xe6\x97\xa5"), "caf\xc3\xa9 \xe6\x97\xa5", "valid UTF-8 text stays as it is");
    is_str(vis("bad \xff\xc3("), "bad \\xff\\xc3(", "invalid UTF-8 bytes are escaped one by one");
    is_str(vis("\xc0\xaf"), "\\xc0\\xaf", "an overlong form is invalid");
    is_str(vis("\xed\xa0\x80"), "\\xed\\xa0\\x80", "an encoded surrogate is invalid");
    is_str(vis("back\\slash"), "back\\slash", "a backslash is shown as it is");
    ok(vis_clean("abc", 3) && !vis_clean("a\tb", 3), "vis_clean");
    is_int((long)vis_len("\x1b", 1), 4, "vis_len counts the escape");

    /* Shortening: the head and tail are kept, the count is exact. */
    size_t n = 5000;
    char *big = malloc(n + 32);
    memset(big, 'A', n);
    memcpy(big, "HEAD", 4);
    memcpy(big + n - 4, "TAIL", 4);
    big[n] = '\0';
    char small[VIS_SHORT];
    vis_str(small, sizeof small, big);
    ok(strlen(small) < sizeof small, "a shortened string fits (%zu)", strlen(small));
    ok(strncmp(small, "HEAD", 4) == 0, "the head is kept: %.20s", small);
    ok(strlen(small) >= 4 && strcmp(small + strlen(small) - 4, "TAIL") == 0, "the tail is kept");
    const char *mark = strstr(small, "...[");
    ok(mark != NULL, "the marker is there: %s", small);
    size_t left = mark ? strtoul(mark + 4, NULL, 10) : 0;
    const char *after = mark ? strstr(mark, "]...") + 4 : small;
    is_int((long)(left + (size_t)(mark - small) + strlen(after)), (long)n, "left out + shown == the length");

    /* Escapes are never split at the cut. */
    for (size_t i = 0; i < n; i++)
        big[i] = (i % 3) ? 'x' : '\x1b';
    vis_str(small, sizeof small, big);
    mark = strstr(small, "...[");
    /* each 3 bytes show as "\\x1bxx": a cut may fall after 4, 5 or 6 */
    ok(mark && (mark - small) % 6 != 1 && (mark - small) % 6 != 2 && (mark - small) % 6 != 3, "the head ends after a whole escape (%d)", mark ? (int)(mark - small) : -1);
    /* A UTF-8 sequence is never split: 3-byte characters. */
    for (size_t i = 0; i + 3 <= n; i += 3)
        memcpy(big + i, "\xe6\x97\xa5", 3);
    big[n - n % 3] = '\0';
    vis_str(small, sizeof small, big);
    mark = strstr(small, "...[");
    ok(mark && (mark - small) % 3 == 0, "the head ends after a whole character");
    after = mark ? strstr(mark, "]...") + 4 : small;
    ok(strlen(after) % 3 == 0 && (unsigned char)after[0] == 0xe6, "the tail starts at a whole character");
    free(big);

    /* vis_printf keeps the format's own final newline only. */
    FILE *f = tmpfile();
    vis_printf(f, "imported %s from %s\n", "v1\x1b[2J", "/a\nb");
    rewind(f);
    char line[256] = "";
    size_t got = fread(line, 1, sizeof line - 1, f);
    line[got] = '\0';
    fclose(f);
    is_str(line, "imported v1\\x1b[2J from /a\\x0ab\n", "vis_printf");
    return tap_done();
}
