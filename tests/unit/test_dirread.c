/* The directory read of the resolution walk (resolve.c present_names):
 * getdents64 on Linux, readdir elsewhere and in the PORTABLE build; both
 * must find a version file wherever it is in a directory, however large,
 * and leave no descriptor open. make unit runs this on the one,
 * make unit PORTABLE=1 on the other. */
#include "fsutil.h"
#include "resolve.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char ROOT[PATH_MAX];
static nodus_paths P;
static res_request REQ;

static const char *at(const char *rel)
{
    static char bufs[4][PATH_MAX + 64];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", ROOT, rel);
    return b;
}

static void put(const char *rel, const char *text)
{
    FILE *f = fopen(at(rel), "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        printf("Bail out! cannot write %s\n", rel);
        exit(1);
    }
}

static void fill(const char *dir, int n)
{
    char rel[PATH_MAX];
    for (int i = 0; i < n; i++) {
        snprintf(rel, sizeof rel, "%s/a-file-with-a-name-long-enough-to-fill-buffers-%04d", dir, i);
        put(rel, "");
    }
}

static int open_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            n++;
    return n;
}

static int found_in(const char *rel, const char *origin_rel, const char *spec)
{
    memset(&REQ, 0, sizeof REQ);
    int r = resolve_request(&P, at(rel), 0, NULL, NULL, &REQ);
    int good = r == 1 && REQ.source == REQ_FILE && strcmp(REQ.origin, at(origin_rel)) == 0 &&
               strcmp(REQ.vf.specs[0], spec) == 0;
    if (!good)
        printf("#   in %s: r=%d origin '%s' spec '%s'\n", rel, r, REQ.origin, REQ.vf.specs[0]);
    return good;
}

int main(void)
{
    char tmpl[] = "/tmp/nodus-test-dirread-XXXXXX";
    if (!mkdtemp(tmpl) || !realpath(tmpl, ROOT)) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    unsetenv("NODUS_VERSION");
    setenv("HOME", ROOT, 1);
    setenv("NODUS_HOME", at("home"), 1);
    char err[256];
    if (paths_init(&P, err, sizeof err) || fs_mkdir_p(at("home")) || fs_mkdir_p(at("small/sub")) ||
        fs_mkdir_p(at("big/sub")) || fs_mkdir_p(at("late/sub")) || fs_mkdir_p(at("none/sub"))) {
        printf("Bail out! setup failed\n");
        return 1;
    }
    int fds = open_fds();

    put("small/.nvmrc", "20\n");
    ok(found_in("small", "small/.nvmrc", "20"), "a small directory: found");
    ok(found_in("small/sub", "small/.nvmrc", "20"), "and from the directory below");

    /* Larger than one 8 KiB getdents64 buffer and than 256 readdir
     * entries: the names are then tried one by one. */
    put("big/.node-version", "18\n");
    fill("big", 600);
    ok(found_in("big", "big/.node-version", "18"), "a directory of 600 entries: the file made first is found");
    ok(found_in("big/sub", "big/.node-version", "18"), "and from below");
    fill("late", 600);
    put("late/package.json", "{\"engines\": {\"node\": \"22\"}}");
    ok(found_in("late/sub", "late/package.json", "22"), "the file made last, after 600 others");
    put("late/.nvmrc", "21\n");
    ok(found_in("late/sub", "late/.nvmrc", "21"), "the order within the directory holds there too");

    fill("none", 300);
    memset(&REQ, 0, sizeof REQ);
    resolve_request(&P, at("none/sub"), 0, NULL, NULL, &REQ);
    ok(REQ.source != REQ_FILE || strncmp(REQ.origin, ROOT, strlen(ROOT)) != 0,
       "a large directory without a version file decides nothing");

    /* A directory named like a version file is not one. */
    if (fs_mkdir_p(at("dirs/.nvmrc")) == 0 && fs_mkdir_p(at("dirs/x")) == 0) {
        put("dirs/.node-version", "19\n");
        ok(found_in("dirs/x", "dirs/.node-version", "19"), "a directory named .nvmrc is passed over");
    }
    is_int(open_fds(), fds, "no descriptor is left open");

    fs_rm_rf(ROOT);
    return tap_done();
}
