/* The tree a tarball builds (enttree.h): links judged by where they lead
 * in it, whatever the order of the entries, and the caps. */
#include "enttree.h"
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char WHY[1024];

typedef struct {
    const char *rel;
    ent_type type;
    const char *link;
    long long size;
} ent;

/* Feed entries in order; returns the index of the first one not accepted
 * (-1 when all are), its result in *r. */
static int feed(const ent *e, size_t n, uint64_t max_bytes, uint64_t max_entries, int *r)
{
    ent_tree *t = ent_tree_new(max_bytes, max_entries);
    int bad = -1;
    *r = ENT_ACCEPT;
    WHY[0] = '\0';
    for (size_t i = 0; i < n && bad < 0; i++) {
        *r = ent_tree_add(t, e[i].rel, e[i].type, e[i].link, e[i].size, WHY, sizeof WHY);
        if (*r != ENT_ACCEPT)
            bad = (int)i;
    }
    ent_tree_free(t);
    return bad;
}

#define N(a) (sizeof(a) / sizeof(a)[0])
#define BIG (1ull << 40)

static void expect_ok(const ent *e, size_t n, const char *name)
{
    int r;
    int bad = feed(e, n, BIG, BIG, &r);
    ok(bad < 0, "accepted: %s", name);
    if (bad >= 0)
        printf("#   entry %d '%s' refused: %s\n", bad, e[bad].rel, WHY);
}

static void expect_refused(const ent *e, size_t n, int at, const char *needle, const char *name)
{
    int r;
    int bad = feed(e, n, BIG, BIG, &r);
    ok(bad == at && r == ENT_REJECT && strstr(WHY, needle), "refused at entry %d: %s", at, name);
    if (!(bad == at && r == ENT_REJECT && strstr(WHY, needle)))
        printf("#   got entry %d, result %d, why '%s'; wanted '%s'\n", bad, r, WHY, needle);
}

static void test_release(void)
{
    /* The links a real release has. */
    const ent rel[] = {
        {"bin", ENT_DIR, NULL, 0},
        {"bin/node", ENT_FILE, NULL, 100},
        {"bin/npm", ENT_SYMLINK, "../lib/node_modules/npm/bin/npm-cli.js", 0},
        {"bin/corepack", ENT_SYMLINK, "../lib/node_modules/corepack/dist/corepack.js", 0},
        {"lib", ENT_DIR, NULL, 0},
        {"lib/node_modules/npm/bin/npm-cli.js", ENT_FILE, NULL, 10},
        {"lib/node_modules/corepack/dist/corepack.js", ENT_FILE, NULL, 10},
        {"bin/nodejs", ENT_SYMLINK, "node", 0},
        {"bin/node2", ENT_HARDLINK, "bin/node", 100},
        {"bin/node3", ENT_HARDLINK, "bin/node2", 100}, /* a hard link to a hard link */
        {"lib/dup", ENT_DIR, NULL, 0},
        {"lib/dup", ENT_DIR, NULL, 0}, /* a directory twice: harmless */
        {"a/b/c/up", ENT_SYMLINK, "../../..", 0},
        {"chain", ENT_SYMLINK, "bin/nodejs", 0}, /* a link to a link, as its last name */
    };
    expect_ok(rel, N(rel), "a release's links, hard links, a link to a link, a directory twice");
}

static void test_links(void)
{
    const ent through[] = {
        {"a/b/c/up", ENT_SYMLINK, "../../..", 0},
        {"esc", ENT_SYMLINK, "a/b/c/up/../../../etc/hostname", 0},
    };
    expect_refused(through, N(through), 1, "passes through the symlink 'a/b/c/up'", "a link through a climbing link");
    const ent reversed[] = {
        {"esc", ENT_SYMLINK, "a/b/c/up/../../../etc/hostname", 0},
        {"a/b/c/up", ENT_SYMLINK, "../../..", 0},
    };
    expect_refused(reversed, N(reversed), 1, "earlier symlink's target goes on through",
                   "the same, the link it passes through coming later");
    const ent through_down[] = {
        {"lib/l", ENT_SYMLINK, "../bin", 0},
        {"x", ENT_SYMLINK, "lib/l/node", 0},
    };
    expect_refused(through_down, N(through_down), 1, "passes through the symlink 'lib/l'",
                   "any symlink on the way counts, not only climbing ones");
    const ent self[] = {
        {"a", ENT_SYMLINK, "a/../x", 0},
    };
    expect_refused(self, N(self), 0, "passes through the symlink 'a'", "a link through itself");
    const ent dir_then_link[] = {
        {"p/q", ENT_DIR, NULL, 0},
        {"esc", ENT_SYMLINK, "p/q/../../x", 0},
        {"p/q", ENT_SYMLINK, ".", 0},
    };
    expect_refused(dir_then_link, N(dir_then_link), 2, "replaces an earlier directory",
                   "a directory replaced by a symlink");
    const ent implicit_dir[] = {
        {"p/q/f", ENT_FILE, NULL, 1},
        {"p/q", ENT_SYMLINK, ".", 0},
    };
    expect_refused(implicit_dir, N(implicit_dir), 1, "replaces an earlier directory",
                   "a directory made for a file's path, replaced by a symlink");
    const ent link_replaced[] = {
        {"l", ENT_SYMLINK, "bin", 0},
        {"l", ENT_SYMLINK, "lib", 0},
    };
    expect_refused(link_replaced, N(link_replaced), 1, "replaces an earlier symlink", "a later entry over a link");
    const ent file_over_link[] = {
        {"l", ENT_SYMLINK, "bin", 0},
        {"l", ENT_FILE, NULL, 1},
    };
    expect_refused(file_over_link, N(file_over_link), 1, "replaces an earlier symlink", "a file over a link");
    const ent write_through[] = {
        {"d", ENT_SYMLINK, "lib", 0},
        {"d/f", ENT_FILE, NULL, 1},
    };
    expect_refused(write_through, N(write_through), 1, "written through the symlink 'd'",
                   "a file written through a symlinked directory");
    const ent under_file[] = {
        {"f", ENT_FILE, NULL, 1},
        {"f/g", ENT_FILE, NULL, 1},
    };
    expect_refused(under_file, N(under_file), 1, "inside 'f', which is a file", "an entry below a file");
    const ent absolute[] = {
        {"l", ENT_SYMLINK, "/etc", 0},
    };
    expect_refused(absolute, N(absolute), 0, "points outside", "an absolute target");
    const ent climb[] = {
        {"a/l", ENT_SYMLINK, "x/../../..", 0},
    };
    expect_refused(climb, N(climb), 0, "points outside", "a target that climbs above the root");
    const ent dotdot_after_link[] = {
        {"a/b", ENT_DIR, NULL, 0},
        {"a/s", ENT_SYMLINK, "b", 0},
        {"x", ENT_SYMLINK, "a/s/..", 0},
    };
    expect_refused(dotdot_after_link, N(dotdot_after_link), 2, "passes through the symlink 'a/s'",
                   "'..' after a symlink, even one that stays inside");
}

static void test_hardlinks(void)
{
    const ent to_link[] = {
        {"lib/x/y/deep", ENT_SYMLINK, "../../../README.md", 0},
        {"esc", ENT_HARDLINK, "lib/x/y/deep", 0},
    };
    expect_refused(to_link, N(to_link), 1, "hard link to the symlink 'lib/x/y/deep'", "a hard link to a symlink");
    const ent to_dir[] = {
        {"lib", ENT_DIR, NULL, 0},
        {"bin/dirlink", ENT_HARDLINK, "lib", 0},
    };
    expect_refused(to_dir, N(to_dir), 1, "hard link to a directory ('lib')", "a hard link to a directory");
    const ent to_implicit_dir[] = {
        {"lib/f", ENT_FILE, NULL, 1},
        {"l", ENT_HARDLINK, "lib", 0},
    };
    expect_refused(to_implicit_dir, N(to_implicit_dir), 1, "hard link to a directory",
                   "a hard link to a directory no entry named");
    const ent to_later[] = {
        {"l", ENT_HARDLINK, "f", 0},
        {"f", ENT_FILE, NULL, 1},
    };
    expect_refused(to_later, N(to_later), 0, "not a file that comes before it", "a hard link to a later entry");
    const ent via_link[] = {
        {"lib/f", ENT_FILE, NULL, 1},
        {"s", ENT_SYMLINK, "lib", 0},
        {"h", ENT_HARDLINK, "s/f", 0},
    };
    expect_refused(via_link, N(via_link), 2, "not a file that comes before it", "a hard link through a symlink");
    const ent to_hl_to_link[] = {
        {"s", ENT_SYMLINK, "bin", 0},
        {"h1", ENT_HARDLINK, "s", 0},
        {"h2", ENT_HARDLINK, "h1", 0},
    };
    expect_refused(to_hl_to_link, N(to_hl_to_link), 1, "hard link to the symlink", "a hard link to a symlink, twice");
}

static void test_caps(void)
{
    const ent files[] = {
        {"a", ENT_FILE, NULL, 600},
        {"b", ENT_HARDLINK, "a", 0},
        {"c", ENT_FILE, NULL, 400},
        {"d", ENT_FILE, NULL, 1},
    };
    int r;
    is_int(feed(files, N(files), 1000, 100, &r), 3, "the byte cap stops the entry past it");
    ok(r == ENT_CAPPED && strstr(WHY, "larger than 1000 bytes") && strstr(WHY, "max_extract_bytes") &&
           strstr(WHY, "NODUS_MAX_EXTRACT_BYTES"), "and names the cap and its settings (%s)", WHY);
    is_int(feed(files, N(files), 1001, 100, &r), -1, "exactly at the cap is fine");
    const ent huge[] = {{"a", ENT_FILE, NULL, (long long)(1ull << 62)},
                        {"b", ENT_FILE, NULL, (long long)(1ull << 62)},
                        {"c", ENT_FILE, NULL, (long long)(1ull << 62)}};
    is_int(feed(huge, N(huge), 1ull << 63, 100, &r), 2, "sizes near 2^62 do not wrap the total");
    const ent neg[] = {{"a", ENT_FILE, NULL, -5}, {"b", ENT_FILE, NULL, 10}};
    is_int(feed(neg, N(neg), 10, 100, &r), -1, "a negative size counts as none");
    ent many[20];
    char names[20][16];
    for (int i = 0; i < 20; i++) {
        snprintf(names[i], sizeof names[i], "f%d", i);
        many[i] = (ent){names[i], ENT_FILE, NULL, 0};
    }
    is_int(feed(many, 20, BIG, 10, &r), 10, "the entry cap stops the eleventh of ten");
    ok(r == ENT_CAPPED && strstr(WHY, "more than the 10") && strstr(WHY, "max_extract_entries"),
       "and names the cap (%s)", WHY);
    /* Many entries: the table grows. */
    ent_tree *t = ent_tree_new(BIG, BIG);
    int all = 1;
    char name[32];
    for (int i = 0; i < 50000 && all; i++) {
        snprintf(name, sizeof name, "d%d/f%d", i % 97, i);
        all = ent_tree_add(t, name, ENT_FILE, NULL, 1, WHY, sizeof WHY) == ENT_ACCEPT;
    }
    ok(all && ent_tree_entries(t) == 50000 && ent_tree_bytes(t) == 50000, "50000 entries, counted");
    ok(ent_tree_add(t, "d5/f5", ENT_FILE, NULL, 1, WHY, sizeof WHY) == ENT_REJECT, "and each still found");
    ent_tree_free(t);
    /* Long names: what the tree holds is bounded. */
    static char longname[4001];
    t = ent_tree_new(BIG, BIG);
    int i, r2 = ENT_ACCEPT;
    for (i = 0; i < 40000 && r2 == ENT_ACCEPT; i++) {
        memset(longname, 'a', 4000);
        snprintf(longname, 16, "%08d", i);
        longname[8] = 'x';
        longname[4000] = '\0';
        r2 = ent_tree_add(t, longname, ENT_FILE, NULL, 0, WHY, sizeof WHY);
    }
    ok(r2 == ENT_REJECT && i < 20000 && strstr(WHY, "64 MiB"), "4 KB names stop at 64 MiB of names (%d: %s)", i, WHY);
    ent_tree_free(t);
}

int main(void)
{
    test_release();
    test_links();
    test_hardlinks();
    test_caps();
    return tap_done();
}
