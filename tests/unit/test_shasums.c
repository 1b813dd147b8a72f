/* SHASUMS256.txt: the real files parse; every malformed line is an error
 * that names its line. */
#include "shasums.h"
#include "tap.h"

#include <stdlib.h>

static shasums_t S;
static char E[256];

#define D1 "83bf07dd343002a26211cf1fcd46a9d9534219aad42ee02847816940bf610a72"
#define D2 "7447c4ece014aa41fb2ff866c993c708e5a8213a00913cc2ac5049ea3ffc230d"

static int parse_n(const char *text, size_t len)
{
    shasums_free(&S);
    E[0] = '\0';
    return shasums_parse(text, len, &S, E, sizeof E);
}

static int parse(const char *text)
{
    return parse_n(text, strlen(text));
}

static int err_is(const char *want)
{
    int yes = strcmp(E, want) == 0;
    if (!yes)
        printf("#   error was '%s', wanted '%s'\n", E, want);
    return yes;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static size_t count_lines(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

static void test_real(void)
{
    static const struct {
        const char *version, *digest;
        size_t lines;
    } files[] = {
        {"v4.0.0", "cc4eae3e4c2dd8b068d69e6d1d9849a863c51e3ec3d7f85cfb1e91e63912b66a", 27},
        {"v14.2.0", "468cbd92271da8c0cacaa3fa432a73a332e398bade8ad7359a94aa8ab3cc3cca", 32},
        {"v18.20.4", "592eb35c352c7c0c8c4b2ecf9c19d615e78de68c20b660eb74bd85f8c8395063", 34},
        {"v20.18.0", "4543670b589593f8fa5f106111fd5139081da42bb165a9239f05195e405f240a", 41},
        {"v22.11.0", D1, 41},
        {"v23.1.0", "ccacff4f32e3c3729f5094d20e4089a16a3b8f1381e9730b19f1c16f7cf64da9", 34},
        {"v24.12.0", "bdebee276e58d0ef5448f3d5ac12c67daa963dd5e0a9bb621a53d1cefbc852fd", 32},
        {"v24.19.0", "14b342e71204f811bde6153be8e04b62aef63c236fef92b55f9c83154b409647", 32},
        {"v26.5.1", "cc7b3484ade63bd203a9d304f21ec37a3b622b988d7bdecf1dc4d68fc44a91b7", 32},
        {"v26.7.0", "982aa24dd8be4c889c6a8ab337ddff3b0896645b20f4239356e80552c16277ee", 32},
    };
    const char *dir = getenv("NODUS_FIXTURES");
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[4096], name[128];
        snprintf(path, sizeof path, "%s/shasums/%s/SHASUMS256.txt", dir ? dir : "tests/fixtures", files[i].version);
        size_t len = 0;
        char *text = read_all(path, &len);
        ok(text != NULL, "read %s", path);
        if (!text)
            continue;
        int r = parse_n(text, len);
        is_int(r, 0, "%s SHASUMS256.txt parses", files[i].version);
        if (r)
            printf("#   %s\n", E);
        is_int(S.n, files[i].lines, "%s: %zu lines", files[i].version, files[i].lines);
        is_int(count_lines(text, len), S.n, "%s: one entry per line of the file", files[i].version);
        snprintf(name, sizeof name, "node-%s-linux-x64.tar.xz", files[i].version);
        is_str(shasums_find(&S, name), files[i].digest, "%s: digest of %s", files[i].version, name);
        free(text);
    }
    /* The last file read is v26.7.0; check one with Windows subdirectories. */
    char path[4096];
    snprintf(path, sizeof path, "%s/shasums/v22.11.0/SHASUMS256.txt", dir ? dir : "tests/fixtures");
    size_t len = 0;
    char *text = read_all(path, &len);
    ok(text && parse_n(text, len) == 0, "v22.11.0 again");
    is_str(shasums_find(&S, "win-x64/node.exe"), D2, "a Windows subdirectory path is a valid name");
    ok(shasums_find(&S, "node.exe") == NULL, "a basename alone is not found");
    ok(shasums_find(&S, "node-v22.11.0-linux-x64.tar") == NULL, "a prefix of a name is not found");
    ok(shasums_find(&S, "node-v22.11.0-linux-x64.tar.xz.sig") == NULL, "a longer name is not found");
    free(text);
}

static void test_accepted(void)
{
    is_int(parse(D1 "  node-v22.11.0-linux-x64.tar.xz\n"), 0, "one line");
    is_int(S.n, 1, "one entry");
    is_str(S.lines[0].name, "node-v22.11.0-linux-x64.tar.xz", "name");
    is_str(S.lines[0].hex, D1, "digest");

    is_int(parse(D1 "  a.tar.xz\r\n" D2 "  b.tar.gz\r\n"), 0, "CRLF lines");
    is_int(S.n, 2, "CRLF: two entries");
    is_str(shasums_find(&S, "a.tar.xz"), D1, "CRLF: no CR in the first name");
    is_str(shasums_find(&S, "b.tar.gz"), D2, "CRLF: no CR in the second name");

    is_int(parse(D1 "  a.tar.xz"), 0, "no final newline");
    is_str(shasums_find(&S, "a.tar.xz"), D1, "no final newline: name whole");

    is_int(parse("\n" D1 "  a.tar.xz\n\n\n" D2 "  b\n"), 0, "blank lines skipped");
    is_int(S.n, 2, "blank lines: two entries");

    is_int(parse(D1 " *node.tar.xz\n"), 0, "binary mode '*'");
    is_str(shasums_find(&S, "node.tar.xz"), D1, "binary mode: the '*' is not part of the name");

    is_int(parse("83BF07DD343002A26211CF1FCD46A9D9534219AAD42EE02847816940BF610A72  up.tar.xz\n"), 0,
           "uppercase hex");
    is_str(shasums_find(&S, "up.tar.xz"), D1, "uppercase hex normalised to lower case");
    is_int(parse("83Bf07dD343002a26211cf1fcd46a9d9534219aad42ee02847816940bf610a72  mixed\n"), 0, "mixed-case hex");
    is_str(S.lines[0].hex, D1, "mixed-case hex normalised");
}

static void test_rejected(void)
{
    ok(parse("") == -1 && err_is("no checksum lines"), "empty file");
    ok(parse("\n\r\n\n") == -1 && err_is("no checksum lines"), "only blank lines");

    ok(parse(D1 "  a\n" "83bf07dd  b\n") == -1 && err_is("line 2: too short for a sha256 line"), "short digest");
    ok(parse("83bf07dd343002a26211cf1fcd46a9d9534219aad42ee02847816940bf610a7  some-long-file-name.tar.xz\n") == -1 &&
           err_is("line 1: the digest is not 64 hexadecimal digits"),
       "63-digit digest");
    ok(parse(D1 "0  a.tar.xz\n") == -1 && err_is("line 1: expected two spaces between digest and file name"),
       "65-digit digest");
    ok(parse("g3bf07dd343002a26211cf1fcd46a9d9534219aad42ee02847816940bf610a72  a\n") == -1 &&
           err_is("line 1: the digest is not 64 hexadecimal digits"),
       "non-hex digit");
    ok(parse("\n\n" D1 "  ok\n83bf07dd343002a26211cf1fcd46a9d9534219aad42ee02847816940bf610a7Z  a\n") == -1 &&
           err_is("line 4: the digest is not 64 hexadecimal digits"),
       "non-hex last digit, line counted past blank lines");
    ok(parse(D1 " a.tar.xz\n") == -1 && err_is("line 1: expected two spaces between digest and file name"),
       "one space");
    ok(parse(D1 "\ta.tar.xz\n") == -1 && err_is("line 1: expected two spaces between digest and file name"),
       "a tab");
    ok(parse(D1 "   a.tar.xz\n") == -1 && err_is("line 1: the file name is not valid"), "three spaces");
    ok(parse(D1 "  \n") == -1 && err_is("line 1: too short for a sha256 line"), "no name");
    ok(parse(D1 "  /etc/passwd\n") == -1 && err_is("line 1: the file name is not valid"), "an absolute path");
    ok(parse(D1 "  win-x64//node.exe\n") == -1 && err_is("line 1: the file name is not valid"), "an empty component");
    ok(parse(D1 "  win-x64/\n") == -1 && err_is("line 1: the file name is not valid"), "a trailing slash");
    ok(parse(D1 "  ..\n") == -1 && err_is("line 1: the file name is not valid"), "'..' as the name");
    ok(parse(D1 "  ../a.tar.xz\n") == -1 && err_is("line 1: the file name is not valid"), "'..' leading");
    ok(parse(D1 "  a/../../b\n") == -1 && err_is("line 1: the file name is not valid"), "'..' inside");
    ok(parse(D1 "  a/..\n") == -1 && err_is("line 1: the file name is not valid"), "'..' trailing");
    ok(parse(D1 "  ./a\n") == -1 && err_is("line 1: the file name is not valid"), "a '.' component");
    ok(parse(D1 "  .\n") == -1 && err_is("line 1: the file name is not valid"), "'.' as the name");
    ok(parse(D1 "  a\\b\n") == -1 && err_is("line 1: the file name is not valid"), "a backslash");
    ok(parse(D1 "  a.tar.xz extra\n") == -1 && err_is("line 1: the file name is not valid"), "trailing garbage");
    ok(parse(D1 "  a.tar.xz \n") == -1 && err_is("line 1: the file name is not valid"), "a trailing space");
    ok(parse(D1 "  a\x01" "b\n") == -1 && err_is("line 1: the file name is not valid"), "a control character");
    ok(parse(D1 "  a\x7f" "b\n") == -1 && err_is("line 1: the file name is not valid"), "DEL");
    ok(parse(D1 "  a\rb\n") == -1 && err_is("line 1: the file name is not valid"), "a CR inside the line");
    ok(parse(D1 "  a\r\r\n") == -1 && err_is("line 1: the file name is not valid"), "two CRs");

    static const char nul[] = D1 "  a.tar.xz\n" D2 "  b\0c\n";
    ok(parse_n(nul, sizeof nul - 1) == -1 && err_is("line 2: contains a NUL byte"), "a NUL byte");
    static const char nul2[] = D1 "  a.tar.xz\0";
    ok(parse_n(nul2, sizeof nul2 - 1) == -1 && err_is("line 1: contains a NUL byte"), "a NUL at the end");
    ok(S.n == 0 && S.lines == NULL, "nothing kept after an error");

    char longname[400];
    memcpy(longname, D1 "  ", 66);
    memset(longname + 66, 'a', 256);
    longname[66 + 256] = '\0';
    ok(parse(longname) == -1 && err_is("line 1: the file name is not valid"), "a 256-byte name");
    longname[66 + 255] = '\0';
    ok(parse(longname) == 0, "a 255-byte name is fine");

    ok(parse(D1 "  a\n" D2 "  b\nnot a checksum line at all, but long enough to pass the length test......\n") == -1 &&
           err_is("line 3: the digest is not 64 hexadecimal digits"),
       "prose after good lines");
    ok(parse("-----BEGIN PGP SIGNED MESSAGE-----\n") == -1 && err_is("line 1: too short for a sha256 line"),
       "a clearsigned header (the .asc is not the body)");
}

int main(void)
{
    test_real();
    test_accepted();
    test_rejected();
    shasums_free(&S);
    return tap_done();
}
