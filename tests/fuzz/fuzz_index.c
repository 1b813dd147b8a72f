/* libFuzzer target for the release index parser (src/index.c): index.json
 * comes from the mirror, so every byte of it is attacker-controlled. After
 * a successful parse the derived structures are exercised the way install
 * and ls-remote use them: the newest-first list is checked for order and
 * for pointing back into the entries, the LTS table is searched, specs are
 * picked, and the LTS-lines file round-trips through lts_format/lts_load. */
#include "index.h"
#include "spec.h"
#include "vlist.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const SPECS[] = {"lts/*", "lts/-1", "lts/iron", "latest", "22", "^20.1 || >=23", "*"};

static void exercise(const release_index *ix)
{
    const vlist_t *l = &ix->list;
    if (l->n != ix->n)
        abort();
    for (size_t i = 0; i < l->n; i++) {
        if (l->items[i].index >= ix->n)
            abort();
        if (i > 0 && semver_cmp(&l->items[i - 1].v, &l->items[i].v) < 0)
            abort(); /* newest first */
        const index_entry *e = &ix->entries[l->items[i].index];
        (void)index_has_platform(e, "linux-x64");
        (void)index_has_platform(e, "darwin-arm64");
        (void)lts_line_of(&ix->lts, &e->v);
    }
    for (size_t i = 0; i < ix->lts.n; i++)
        if (lts_find(&ix->lts, ix->lts.lines[i].name) == NULL)
            abort();
    for (size_t i = 0; i < sizeof SPECS / sizeof SPECS[0]; i++) {
        spec_t s;
        char err[256];
        if (spec_parse(SPECS[i], &s, err, sizeof err))
            abort();
        long at = spec_pick(&s, l, &ix->lts);
        if (at < -1 || at >= (long)l->n)
            abort();
        spec_free(&s);
    }
    /* The lts file that nodus writes beside the index must read back. */
    char *text = lts_format(&ix->lts);
    if (!text)
        return;
    /* In memory (a memfd read through /proc), so nothing is left behind. */
    char path[64];
    int fd = memfd_create("fuzz-index-lts", 0);
    if (fd >= 0) {
        size_t n = strlen(text);
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        if (write(fd, text, n) == (ssize_t)n) {
            lts_table back = {0};
            if (lts_load(path, &back) == 0 && back.n != ix->lts.n)
                abort();
            lts_free(&back);
        }
        close(fd);
    }
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    release_index ix;
    char err[512];
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    err[0] = '\0';
    if (index_parse(buf, size, &ix, err, sizeof err) == 0) {
        exercise(&ix);
        index_free(&ix);
    } else if (!err[0]) {
        abort(); /* a failure always says why */
    }
    free(buf);
    return 0;
}
