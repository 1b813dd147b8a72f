/* nodus config list | get KEY | set KEY VALUE | unset KEY
 *
 * `set` edits config.yaml line by line: the line "KEY: ..." is replaced
 * (or appended), every other line, comments included, stays as it was. The
 * result is parsed again before it replaces the file atomically. */
#include "cmd.h"
#include "config.h"
#include "fsutil.h"
#include "msg.h"
#include "readfile.h"
#include "strutil.h"
#include "visible.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#define CONFIG_MAX (1 << 20)

static const char *env_for(const char *key)
{
    if (strcmp(key, "mirror") == 0)
        return "NODUS_MIRROR";
    if (strcmp(key, "index_ttl") == 0)
        return "NODUS_INDEX_TTL";
    if (strcmp(key, "auto_install") == 0)
        return "NODUS_AUTO_INSTALL";
    if (strcmp(key, "ca_file") == 0)
        return "SSL_CERT_FILE";
    return NULL;
}

/* The effective value and where it came from. */
static void effective(const nodus_ctx *ctx, const cfg_key *k, char *val, size_t n, const char **src)
{
    const char *env = env_for(k->key);
    char *file = ctx->config_error[0] ? NULL : config_file_value(ctx->config_file, k->key);
    const char *v = k->def;
    *src = "default";
    if (env && getenv(env) && *getenv(env)) {
        v = getenv(env);
        *src = env;
    } else if (file) {
        v = file;
        *src = "config";
    }
    if (str_copy(val, n, v)) /* said, not cut */
        str_fmt(val, n, "(a value of %zu bytes, too long to show)", strlen(v));
    free(file);
}

static int config_list(const nodus_ctx *ctx)
{
    for (const cfg_key *k = config_keys; k->key; k++) {
        char val[PATH_MAX];
        const char *src;
        effective(ctx, k, val, sizeof val, &src);
        char shown[VIS_SHORT];
        printf("%-18s %-28s (%s)\n", k->key, val[0] ? vis_str(shown, sizeof shown, val) : "\"\"", src);
    }
    return 0;
}

static int is_key_line(const char *line, size_t len, const char *key)
{
    size_t kl = strlen(key);
    return len > kl && strncmp(line, key, kl) == 0 && (line[kl] == ':' ||
           (line[kl] == ' ' && memchr(line + kl, ':', len - kl)));
}

/* Double-quoted YAML scalar, so URLs and paths with ':' or '#' survive. */
static int quote_value(const char *v, char *out, size_t n)
{
    size_t o = 0;
    if (n < 3)
        return -1;
    out[o++] = '"';
    for (; *v; v++) {
        if (*v == '\n' || *v == '\r')
            return -1;
        if ((*v == '"' || *v == '\\') && o + 1 < n)
            out[o++] = '\\';
        if (o + 2 >= n)
            return -1;
        out[o++] = *v;
    }
    out[o++] = '"';
    out[o] = '\0';
    return 0;
}

static int config_write(nodus_ctx *ctx, const char *key, const char *value)
{
    size_t len = 0;
    char *old = NULL, why[128];
    const char *type = NULL;
    int rr = rf_read_at(AT_FDCWD, ctx->config_file, CONFIG_MAX, 0, &old, &len, &type);
    if (rr != RF_OK && rr != RF_MISSING) {
        msg_err("cannot read %s: %s; replace it with a file or remove it", ctx->config_file,
                rf_why(rr, type, CONFIG_MAX, why, sizeof why));
        return EXIT_IO;
    }
    char line[1200], q[1100];
    const cfg_key *k = config_key(key);
    int bare = k && k->type != CFG_STRING;
    if (value && ((bare && str_copy(q, sizeof q, value)) || (!bare && quote_value(value, q, sizeof q)) ||
                  str_fmt(line, sizeof line, "%s: %s\n", key, q))) {
        free(old);
        msg_err("the value for '%s' is too long or has a line break", key);
        return EXIT_USAGE;
    }
    size_t cap = len + sizeof line + 2, o = 0;
    char *out = malloc(cap);
    int replaced = 0;
    for (size_t pos = 0; out && old && pos < len;) {
        const char *nl = memchr(old + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - old) + 1 : len;
        if (is_key_line(old + pos, end - pos, key)) {
            if (value && !replaced) {
                memcpy(out + o, line, strlen(line));
                o += strlen(line);
            }
            replaced = 1;
        } else {
            memcpy(out + o, old + pos, end - pos);
            o += end - pos;
            if (!nl)
                out[o++] = '\n';
        }
        pos = end;
    }
    if (out && value && !replaced) {
        memcpy(out + o, line, strlen(line));
        o += strlen(line);
    }
    free(old);
    if (!out) {
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    char tmp[PATH_MAX + 16], err[1200];
    if (str_fmt(tmp, sizeof tmp, "%s.check", ctx->config_file)) {
        free(out);
        msg_err("the path of %s is too long", ctx->config_file);
        return EXIT_USAGE;
    }
    int rc = 0;
    nodus_ctx probe = *ctx;
    if (fs_mkdir_p(ctx->paths.config) || fs_write_atomic(tmp, out, o, 0644)) {
        msg_err("cannot write %s: %s", ctx->config_file, strerror(errno));
        rc = EXIT_IO;
    } else if (config_load(&probe, tmp, err, sizeof err)) {
        msg_err("the edited file would not be valid (%s); %s is unchanged", err, ctx->config_file);
        rc = EXIT_BAD_FILE;
    } else if (rename(tmp, ctx->config_file) != 0) {
        msg_err("cannot replace %s: %s", ctx->config_file, strerror(errno));
        rc = EXIT_IO;
    }
    unlink(tmp);
    free(out);
    return rc;
}

int cmd_config(nodus_ctx *ctx, int argc, char **argv)
{
    const char *sub = argc > 0 ? argv[0] : "list";
    if (strcmp(sub, "list") == 0 && argc <= 1)
        return config_list(ctx);
    if (strcmp(sub, "path") == 0) {
        printf("%s\n", ctx->config_file);
        return 0;
    }
    const cfg_key *k = argc > 1 ? config_key(argv[1]) : NULL;
    if (argc > 1 && !k) {
        char hint[96];
        config_key_hint(argv[1], hint, sizeof hint);
        msg_err("'%s' is not a setting%s; see 'nodus config list'", argv[1], hint);
        return EXIT_USAGE;
    }
    if (strcmp(sub, "get") == 0 && argc == 2) {
        char val[PATH_MAX];
        const char *src;
        effective(ctx, k, val, sizeof val, &src);
        vis_fputs(val, stdout);
        putchar('\n');
        return 0;
    }
    if (strcmp(sub, "set") == 0 && argc == 3) {
        char err[512];
        if (config_check_value(k, argv[2], err, sizeof err)) {
            msg_err("%s", err);
            return EXIT_USAGE;
        }
        return config_write(ctx, k->key, argv[2]);
    }
    if (strcmp(sub, "unset") == 0 && argc == 2)
        return config_write(ctx, k->key, NULL);
    msg_err("usage: nodus config list | get KEY | set KEY VALUE | unset KEY | path");
    return EXIT_USAGE;
}
