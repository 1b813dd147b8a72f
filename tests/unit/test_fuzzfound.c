/* Regression cases for what the fuzz targets in tests/fuzz found, one
 * function per finding, named after the module. Each replays the input
 * that failed (the leak and overflow findings fail only under
 * `make check SANITIZE=1`, where LeakSanitizer and ASan watch) and checks
 * the answer the fixed code gives. */
#include "config.h"
#include "ctx.h"
#include "index.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char tmpdir[] = "/tmp/nodus-fuzzfound-XXXXXX";

/* Write text to a file in tmpdir and return its path (static buffer). */
static const char *write_tmp(const char *name, const char *text, size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len) {
        if (f)
            fclose(f);
        return NULL;
    }
    fclose(f);
    return path;
}

static nodus_ctx ctx;

/* fuzz_config: a key that is an alias ("*name: value") or a mapping leaked
 * the event libyaml had allocated for it on the error path. */
static void test_config_nonscalar_key(void)
{
    static const char *const inputs[] = {
        "*verify_signaturej: ,,\n",
        "&a mirror: https://example.invalid\n*a : x\n",
        "? {a: b}\n: c\n",
        "? [x, y]\n: z\n",
        "!!map {mirror: x}: y\n",
    };
    char err[1024];
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        const char *p = write_tmp("config.yaml", inputs[i], strlen(inputs[i]));
        memset(&ctx, 0, sizeof ctx);
        err[0] = '\0';
        int rc = p ? config_load(&ctx, p, err, sizeof err) : 0;
        is_int(rc, -1, "config: non-scalar key %zu is an error", i);
        ok(strstr(err, "config.yaml:") != NULL, "config: the error names the file (%s)", err);
        unlink(p);
    }
}

/* fuzz_config: "mirror: https://" passed the check (it starts with
 * https://) and the trailing-slash trim then left the mirror "https:". */
static void test_config_mirror_without_host(void)
{
    static const char *const bad[] = {"https://", "http://", "https:///", "http:////dist", "https://\n"};
    char err[1024], text[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "mirror: \"%s\"\n", bad[i]);
        const char *p = write_tmp("config.yaml", text, strlen(text));
        memset(&ctx, 0, sizeof ctx);
        strcpy(ctx.mirror, "https://nodejs.org/dist");
        err[0] = '\0';
        is_int(p ? config_load(&ctx, p, err, sizeof err) : 0, -1, "config: bad mirror %zu is refused", i);
        ok(strstr(err, "with a host") != NULL, "config: the error says a host is needed");
        is_str(ctx.mirror, "https://nodejs.org/dist", "config: the mirror is left as it was");
        unlink(p);
    }
    const cfg_key *k = config_key("mirror");
    ok(k && config_check_value(k, "https://mirror.example/dist/", err, sizeof err) == 0, "config: a real mirror URL passes");
    ok(k && config_check_value(k, "http://127.0.0.1:8080", err, sizeof err) == 0, "config: host:port passes");
}

/* fuzz_index: an "lts" codename with a space ("I ron") was taken as is;
 * written to the lts file ("name major first" lines) it came back as a
 * different table, and one with a newline could add lines of its own. */
static void test_index_lts_codename(void)
{
    static const char *const bad[] = {"I ron", "Iron\\nevil 99 99.0.0", "", "9lives",
                                       "AVeryLongCodenameThatGoesOnAndOn"};
    char json[512], err[256];
    release_index ix;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(json, sizeof json, "[{\"version\": \"v20.18.0\", \"lts\": \"%s\"}]", bad[i]);
        err[0] = '\0';
        is_int(index_parse(json, strlen(json), &ix, err, sizeof err), -1, "index: codename '%s' is refused", bad[i]);
        ok(strstr(err, "invalid \"lts\" codename") != NULL, "index: the error says so (%s)", err);
    }
    const char *good = "[{\"version\": \"v22.11.0\", \"lts\": \"Jod\"}, {\"version\": \"v23.1.0\", \"lts\": false},"
                       " {\"version\": \"v20.18.0\", \"lts\": \"Iron\"}, {\"version\": \"v18.0.0\", \"lts\": null}]";
    is_int(index_parse(good, strlen(good), &ix, err, sizeof err), 0, "index: real codenames parse");
    is_int(ix.lts.n, 2, "index: two LTS lines");
    char *text = lts_format(&ix.lts);
    const char *p = text ? write_tmp("lts", text, strlen(text)) : NULL;
    lts_table back = {0};
    ok(p && lts_load(p, &back) == 0 && back.n == 2 && strcmp(back.lines[0].name, "jod") == 0 &&
           strcmp(back.lines[1].name, "iron") == 0,
       "index: the lts file round-trips");
    lts_free(&back);
    free(text);
    if (p)
        unlink(p);
    index_free(&ix);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_config_nonscalar_key();
    test_config_mirror_without_host();
    test_index_lts_codename();
    rmdir(tmpdir);
    return tap_done();
}
