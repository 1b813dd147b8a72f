#include "ctx.h"
#include "config.h"
#include "msg.h"
#include "platform_compat.h"
#include "safety.h"
#include "strutil.h"

#include <errno.h>
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

static unsigned long long env_count(const char *name, unsigned long long def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end;
    errno = 0;
    unsigned long long r = strtoull(v, &end, 10);
    if (*end || errno || v[0] == '-' || v[0] == '+' || v[0] == ' ') {
        msg_warn("%s='%s' is not a whole number; using %llu", name, v, def);
        return def;
    }
    return r;
}

static void find_self_dir(nodus_ctx *ctx, const char *argv0)
{
    char buf[PATH_MAX];
    if (compat_self_exe(buf, sizeof buf) <= 0 && (!argv0 || !realpath(argv0, buf))) {
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
    ctx->max_extract_bytes = 1ull << 30;
    ctx->download_cache_max = 1ull << 30;
    ctx->max_extract_entries = 100000;
    str_copy(ctx->schedule_url, sizeof ctx->schedule_url, DEFAULT_SCHEDULE_URL);
    str_copy(ctx->vulns_url, sizeof ctx->vulns_url, DEFAULT_VULNS_URL);
    /* A file that fails half-way applies nothing: the settings stay the
     * defaults, and commands decide how loud to be about it. */
    ctx->format_auto = 1;
    nodus_ctx probe = *ctx;
    if (path_config_file(&ctx->paths, ctx->config_file, sizeof ctx->config_file) == 0 &&
        config_load(&probe, ctx->config_file, ctx->config_error, sizeof ctx->config_error) == 0) {
        str_copy(probe.config_file, sizeof probe.config_file, ctx->config_file);
        *ctx = probe;
    }
    const char *mirror = getenv("NODUS_MIRROR");
    if (mirror && *mirror && str_copy(ctx->mirror, sizeof ctx->mirror, mirror)) {
        msg_err("NODUS_MIRROR is %zu bytes long; at most %zu are allowed", strlen(mirror), sizeof ctx->mirror - 1);
        return EXIT_USAGE;
    }
    size_t ml = strlen(ctx->mirror);
    while (ml > 0 && ctx->mirror[ml - 1] == '/')
        ctx->mirror[--ml] = '\0';
    const char *su = getenv("NODUS_SCHEDULE_URL"), *vu = getenv("NODUS_VULNS_URL");
    if (su && *su && strlen(su) < sizeof ctx->schedule_url)
        str_copy(ctx->schedule_url, sizeof ctx->schedule_url, su);
    else if (su && *su)
        msg_warn("NODUS_SCHEDULE_URL is longer than %zu bytes; ignored", sizeof ctx->schedule_url - 1);
    if (vu && *vu && strlen(vu) < sizeof ctx->vulns_url)
        str_copy(ctx->vulns_url, sizeof ctx->vulns_url, vu);
    else if (vu && *vu)
        msg_warn("NODUS_VULNS_URL is longer than %zu bytes; ignored", sizeof ctx->vulns_url - 1);
    ctx->index_ttl = env_seconds("NODUS_INDEX_TTL", ctx->index_ttl);
    ctx->max_extract_bytes = env_count("NODUS_MAX_EXTRACT_BYTES", ctx->max_extract_bytes);
    ctx->max_extract_entries = env_count("NODUS_MAX_EXTRACT_ENTRIES", ctx->max_extract_entries);
    ctx->download_cache_max = env_count("NODUS_DOWNLOAD_CACHE_MAX", ctx->download_cache_max);
    const char *af = getenv("NODUS_ARCHIVE_FORMAT");
    if (af && (strcmp(af, "auto") == 0 || strcmp(af, "xz") == 0 || strcmp(af, "gz") == 0)) {
        ctx->format_auto = strcmp(af, "auto") == 0;
        ctx->prefer_gz = strcmp(af, "gz") == 0;
    } else if (af && *af) {
        msg_warn("NODUS_ARCHIVE_FORMAT='%s' is not auto, xz or gz; ignoring it", af);
    }
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
