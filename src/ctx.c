#include "ctx.h"
#include "config.h"
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
    /* Defaults, then the config file, then the environment; flags come
     * last, in main. */
    str_copy(ctx->mirror, sizeof ctx->mirror, DEFAULT_MIRROR);
    ctx->index_ttl = 3600;
    if (path_config_file(&ctx->paths, ctx->config_file, sizeof ctx->config_file) == 0 &&
        config_load(ctx, ctx->config_file, ctx->config_error, sizeof ctx->config_error) != 0) {
        /* Keep what was read so far valid; commands decide how loud to be. */
    }
    const char *mirror = getenv("NODUS_MIRROR");
    if (mirror && *mirror && str_copy(ctx->mirror, sizeof ctx->mirror, mirror)) {
        msg_err("NODUS_MIRROR is %zu bytes long; at most %zu are allowed", strlen(mirror), sizeof ctx->mirror - 1);
        return EXIT_USAGE;
    }
    size_t ml = strlen(ctx->mirror);
    while (ml > 0 && ctx->mirror[ml - 1] == '/')
        ctx->mirror[--ml] = '\0';
    ctx->index_ttl = env_seconds("NODUS_INDEX_TTL", ctx->index_ttl);
    const char *nc = getenv("NO_COLOR");
    ctx->color = ctx->color_mode > 0 || (ctx->color_mode == 0 && isatty(STDOUT_FILENO));
    if (nc && *nc)
        ctx->color = 0;
    ctx->progress = isatty(STDERR_FILENO);
    const char *ai = getenv("NODUS_AUTO_INSTALL");
    if (ai && *ai)
        ctx->auto_install = str_bool(ai) == 1;
    const char *ca = getenv("SSL_CERT_FILE");
    if (((ca && *ca) || ((ca = getenv("CURL_CA_BUNDLE")) && *ca)) && str_copy(ctx->ca_file, sizeof ctx->ca_file, ca)) {
        msg_err("the CA bundle path in SSL_CERT_FILE or CURL_CA_BUNDLE is longer than %zu bytes", sizeof ctx->ca_file - 1);
        return EXIT_USAGE;
    }
    find_self_dir(ctx, argv0);
    return 0;
}

int ctx_program(const nodus_ctx *ctx, const char *env, const char *name, char *out, size_t n)
{
    const char *forced = getenv(env);
    if (forced && forced[0] == '/' && access(forced, X_OK) == 0)
        return str_copy(out, n, forced);
    static const char *const dirs[] = {"", "/../libexec/nodus", NULL};
    for (int i = 0; dirs[i]; i++) {
        char cand[PATH_MAX];
        if (str_fmt(cand, sizeof cand, "%s%s/%s", ctx->self_dir, dirs[i], name) == 0 && access(cand, X_OK) == 0 &&
            realpath(cand, out) != NULL)
            return 0;
    }
    return -1;
}
