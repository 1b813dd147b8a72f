/* nodus cache dir|clear: the cache holds the release index (index.json,
 * index.meta with its validators), the release schedule and vulnerability
 * database (schedule.json, vulns.json, same scheme) and resumable
 * downloads (downloads/).
 * Clearing it loses nothing installed; the next command that needs the
 * index fetches it again. */
#include "cmd.h"
#include "fsutil.h"
#include "msg.h"
#include "progress.h"
#include "safety.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Bytes in the regular files under path (lstat: links are not followed). */
static unsigned long long tree_bytes(const char *path, int depth)
{
    struct stat st;
    if (depth > 64 || lstat(path, &st) != 0)
        return 0;
    if (S_ISREG(st.st_mode))
        return (unsigned long long)st.st_size;
    if (!S_ISDIR(st.st_mode))
        return 0;
    unsigned long long sum = 0;
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char sub[PATH_MAX];
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            str_fmt(sub, sizeof sub, "%s/%s", path, de->d_name) == 0)
            sum += tree_bytes(sub, depth + 1);
    }
    closedir(d);
    return sum;
}

static int cache_clear(const nodus_ctx *ctx)
{
    char paths[9][PATH_MAX];
    if (path_index_cache(&ctx->paths, paths[0], sizeof paths[0]) ||
        path_index_meta(&ctx->paths, paths[1], sizeof paths[1]) ||
        path_downloads(&ctx->paths, paths[2], sizeof paths[2]) ||
        path_cache_doc(&ctx->paths, SCHEDULE_DOC, paths[3], sizeof paths[3]) ||
        path_cache_doc(&ctx->paths, SCHEDULE_META, paths[4], sizeof paths[4]) ||
        path_cache_doc(&ctx->paths, VULNS_DOC, paths[5], sizeof paths[5]) ||
        path_cache_doc(&ctx->paths, VULNS_META, paths[6], sizeof paths[6]) ||
        path_cache_doc(&ctx->paths, VULNS_SLIM, paths[7], sizeof paths[7]) ||
        path_index_compact(&ctx->paths, paths[8], sizeof paths[8])) {
        msg_err("the cache directory path is too long; check XDG_CACHE_HOME");
        return EXIT_FAIL;
    }
    unsigned long long freed = 0;
    int removed = 0, rc = 0;
    for (int i = 0; i < 9; i++) {
        if (!fs_exists(paths[i]))
            continue;
        unsigned long long bytes = tree_bytes(paths[i], 0);
        if (fs_rm_rf(paths[i]) != 0) {
            msg_err("cannot remove %s: %s; check its permissions", paths[i], strerror(errno));
            rc = EXIT_IO;
            continue;
        }
        freed += bytes;
        removed++;
    }
    if (!ctx->quiet) {
        char size[32];
        format_bytes(size, sizeof size, (double)freed);
        if (removed)
            msg_note("freed %s from %s", size, ctx->paths.cache);
        else if (rc == 0)
            msg_note("the cache is already empty (%s)", ctx->paths.cache);
    }
    return rc;
}

int cmd_cache(nodus_ctx *ctx, int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return cmd_bad_option("cache", argv[i]);
    if (argc == 1 && strcmp(argv[0], "dir") == 0) {
        printf("%s\n", ctx->paths.cache);
        return 0;
    }
    if (argc == 1 && strcmp(argv[0], "clear") == 0)
        return cache_clear(ctx);
    msg_err("usage: nodus cache dir|clear ('dir' prints where the cache is, 'clear' empties it)");
    return EXIT_USAGE;
}
