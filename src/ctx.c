#include "ctx.h"
#include "msg.h"
#include "strutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long env_seconds(const char *name, long def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end;
    long r = strtol(v, &end, 10);
    if (*end || r < 0) {
        msg_warn("%s='%s' is not a number of seconds; using %ld", name, v, def);
        return def;
    }
    return r;
}

static void find_self_dir(nodus_ctx *ctx, const char *argv0)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
    } else if (!argv0 || !realpath(argv0, buf)) {
        ctx->self_dir[0] = '\0';
        return;
    }
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    str_copy(ctx->self_dir, sizeof ctx->self_dir, buf);
}

int ctx_init(nodus_ctx *ctx, const char *argv0)
{
    memset(ctx, 0, sizeof *ctx);
    char err[512];
    if (paths_init(&ctx->paths, err, sizeof err)) {
        msg_err("%s", err);
        return EXIT_FAIL;
    }
    const char *mirror = getenv("NODUS_MIRROR");
    str_copy(ctx->mirror, sizeof ctx->mirror, mirror && *mirror ? mirror : DEFAULT_MIRROR);
    size_t ml = strlen(ctx->mirror);
    while (ml > 0 && ctx->mirror[ml - 1] == '/')
        ctx->mirror[--ml] = '\0';
    ctx->index_ttl = env_seconds("NODUS_INDEX_TTL", 3600);
    const char *nc = getenv("NO_COLOR");
    ctx->color = !(nc && *nc) && isatty(STDOUT_FILENO);
    ctx->progress = isatty(STDERR_FILENO);
    find_self_dir(ctx, argv0);
    return 0;
}
