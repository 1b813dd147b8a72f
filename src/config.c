#include "config.h"
#include "safety.h"
#include "readfile.h"
#include "strutil.h"
#include "suggest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

const cfg_key config_keys[] = {
    {"mirror", CFG_STRING, NULL, DEFAULT_MIRROR, "where releases come from (NODUS_MIRROR)"},
    {"index_ttl", CFG_INT, NULL, "3600", "seconds before the cached index is revalidated (NODUS_INDEX_TTL)"},
    {"archive_format", CFG_ENUM, "auto|xz|gz", "auto", "which tarball to download: auto picks the faster for the link"},
    {"auto_install", CFG_BOOL, NULL, "false", "a shim installs a missing version instead of failing"},
    {"engines_node", CFG_BOOL, NULL, "true", "read engines.node in package.json"},
    {"color", CFG_ENUM, "auto|always|never", "auto", "colour in human output (NO_COLOR always wins)"},
    {"verify_signatures", CFG_BOOL, NULL, "true", "require a valid release signature when the mirror has one"},
    {"allow_unsigned", CFG_BOOL, NULL, "false", "accept mirrors that publish no signature"},
    {"keys_dir", CFG_STRING, NULL, "", "a directory of extra release keys (*.asc)"},
    {"ca_file", CFG_STRING, NULL, "", "CA bundle for HTTPS (like SSL_CERT_FILE)"},
    {"schedule_url", CFG_STRING, NULL, DEFAULT_SCHEDULE_URL, "the Node.js release schedule, or off (NODUS_SCHEDULE_URL)"},
    {"vulns_url", CFG_STRING, NULL, DEFAULT_VULNS_URL, "the Node.js vulnerability database, or off (NODUS_VULNS_URL)"},
    {"max_extract_bytes", CFG_INT, NULL, "1073741824", "bytes of files one release may unpack (NODUS_MAX_EXTRACT_BYTES)"},
    {"max_extract_entries", CFG_INT, NULL, "100000", "entries one release's tarball may have (NODUS_MAX_EXTRACT_ENTRIES)"},
    {"download_cache_max", CFG_INT, NULL, "1073741824", "bytes of verified tarballs kept in the cache; 0 keeps none (NODUS_DOWNLOAD_CACHE_MAX)"},
    {"shared_dirs", CFG_STRING, NULL, "", "read-only versions directories, colon-separated (NODUS_SHARED_DIRS)"},
    {NULL, 0, NULL, NULL, NULL},
};

const cfg_key *config_key(const char *name)
{
    for (const cfg_key *k = config_keys; k->key; k++)
        if (strcmp(k->key, name) == 0)
            return k;
    return NULL;
}


void config_key_hint(const char *name, char *buf, size_t n)
{
    suggest_t s;
    suggest_init(&s, name);
    for (const cfg_key *k = config_keys; k->key; k++)
        suggest_add(&s, k->key);
    const char *near = suggest_result(&s);
    if (!near || str_fmt(buf, n, " (did you mean '%s'?)", near))
        buf[0] = '\0';
}

int config_check_value(const cfg_key *k, const char *v, char *err, size_t errlen)
{
    char *end;
    size_t vl = strlen(v);
    if (vl > CONFIG_VALUE_MAX) { /* refused, never cut: a cut mirror URL or path is another one */
        str_fmt(err, errlen, "the value of '%s' is %zu bytes long; at most %d are allowed", k->key, vl,
                CONFIG_VALUE_MAX);
        return -1;
    }
    switch (k->type) {
    case CFG_BOOL:
        if (str_bool(v) >= 0)
            return 0;
        str_fmt(err, errlen, "'%s' must be true or false, not '%s'", k->key, v);
        return -1;
    case CFG_INT:
        errno = 0;
        if (strtol(v, &end, 10) >= 0 && *v && !*end && !errno)
            return 0;
        str_fmt(err, errlen, "'%s' must be a whole number%s, not '%s'", k->key,
                strstr(k->help, "seconds") ? " of seconds" : "", v);
        return -1;
    case CFG_ENUM: {
        for (const char *c = k->choices; *c;) {
            const char *bar = strchr(c, '|');
            size_t cl = bar ? (size_t)(bar - c) : strlen(c);
            if (cl == vl && strncmp(c, v, cl) == 0)
                return 0;
            if (!bar)
                break;
            c = bar + 1;
        }
        str_fmt(err, errlen, "'%s' must be one of %s, not '%s'", k->key, k->choices, v);
        return -1;
    }
    case CFG_STRING: {
        int data_url = strcmp(k->key, "schedule_url") == 0 || strcmp(k->key, "vulns_url") == 0;
        if (data_url && strcmp(v, "off") == 0)
            return 0;
        if (strcmp(k->key, "mirror") == 0 || data_url) {
            /* With a host: "https://" alone would lose its slashes to the
             * trailing-slash trim and become "https:". */
            const char *host = str_starts(v, "http://") ? v + 7 : str_starts(v, "https://") ? v + 8 : NULL;
            int blank = 0; /* a URL has no blanks or control characters */
            for (const char *c = v; *c; c++)
                blank |= (unsigned char)*c <= ' ' || *c == 0x7f;
            if (!host || !*host || *host == '/' || blank) {
                str_fmt(err, errlen, "'%s' must be an http:// or https:// URL with a host%s, not '%s'", k->key,
                        data_url ? " (or off)" : "", v);
                return -1;
            }
        }
        return 0;
    }
    }
    return 0;
}

/* Every string setting's field holds the longest value check_value lets in. */
_Static_assert(sizeof((nodus_ctx *)0)->mirror > CONFIG_VALUE_MAX, "mirror holds any setting");
_Static_assert(sizeof((nodus_ctx *)0)->schedule_url > CONFIG_VALUE_MAX, "schedule_url holds any setting");
_Static_assert(sizeof((nodus_ctx *)0)->vulns_url > CONFIG_VALUE_MAX, "vulns_url holds any setting");
_Static_assert(sizeof((nodus_ctx *)0)->keys_dir > CONFIG_VALUE_MAX, "keys_dir holds any setting");
_Static_assert(sizeof((nodus_ctx *)0)->ca_file > CONFIG_VALUE_MAX, "ca_file holds any setting");
_Static_assert(sizeof((nodus_ctx *)0)->paths.shared > CONFIG_VALUE_MAX, "shared holds any setting");

static void apply(nodus_ctx *ctx, const char *key, const char *v)
{
    int b = str_bool(v) == 1;
    if (strcmp(key, "mirror") == 0) {
        str_copy(ctx->mirror, sizeof ctx->mirror, v);
        size_t ml = strlen(ctx->mirror);
        while (ml > 0 && ctx->mirror[ml - 1] == '/')
            ctx->mirror[--ml] = '\0';
    } else if (strcmp(key, "index_ttl") == 0)
        ctx->index_ttl = strtol(v, NULL, 10);
    else if (strcmp(key, "archive_format") == 0)
    {
        ctx->prefer_gz = strcmp(v, "gz") == 0;
        ctx->format_auto = strcmp(v, "auto") == 0;
    }
    else if (strcmp(key, "auto_install") == 0)
        ctx->auto_install = b;
    else if (strcmp(key, "engines_node") == 0)
        ctx->no_engines = !b;
    else if (strcmp(key, "color") == 0)
        ctx->color_mode = strcmp(v, "always") == 0 ? 1 : strcmp(v, "never") == 0 ? -1 : 0;
    else if (strcmp(key, "verify_signatures") == 0)
        ctx->no_verify = !b;
    else if (strcmp(key, "allow_unsigned") == 0)
        ctx->allow_unsigned = b;
    else if (strcmp(key, "keys_dir") == 0)
        str_copy(ctx->keys_dir, sizeof ctx->keys_dir, v);
    else if (strcmp(key, "ca_file") == 0)
        str_copy(ctx->ca_file, sizeof ctx->ca_file, v);
    else if (strcmp(key, "schedule_url") == 0)
        str_copy(ctx->schedule_url, sizeof ctx->schedule_url, v);
    else if (strcmp(key, "vulns_url") == 0)
        str_copy(ctx->vulns_url, sizeof ctx->vulns_url, v);
    else if (strcmp(key, "max_extract_bytes") == 0)
        ctx->max_extract_bytes = strtoull(v, NULL, 10);
    else if (strcmp(key, "max_extract_entries") == 0)
        ctx->max_extract_entries = strtoull(v, NULL, 10);
    else if (strcmp(key, "download_cache_max") == 0)
        ctx->download_cache_max = strtoull(v, NULL, 10);
    else if (strcmp(key, "shared_dirs") == 0 && !getenv("NODUS_SHARED_DIRS"))
        str_copy(ctx->paths.shared, sizeof ctx->paths.shared, v);
}

typedef struct {
    yaml_parser_t p;
    yaml_event_t ev;
    const char *path;
    char *err;
    size_t errlen;
} reader;

static int fail_at(reader *r, const yaml_mark_t *m, const char *what)
{
    str_fmt(r->err, r->errlen, "%s:%zu:%zu: %s; fix the file (see 'nodus config list')", r->path, m->line + 1,
            m->column + 1, what);
    return -1;
}

static int next(reader *r)
{
    if (yaml_parser_parse(&r->p, &r->ev))
        return 0;
    str_fmt(r->err, r->errlen, "%s:%zu:%zu: not valid YAML: %s; fix the file", r->path, r->p.problem_mark.line + 1,
            r->p.problem_mark.column + 1, r->p.problem ? r->p.problem : "parse error");
    return -1;
}

/* One "key: scalar" pair of the top-level mapping. */
static int read_pair(reader *r, nodus_ctx *ctx)
{
    char key[64], what[320];
    yaml_mark_t km = r->ev.start_mark;
    if (r->ev.type != YAML_SCALAR_EVENT) {
        yaml_event_delete(&r->ev); /* an alias or a mapping owns memory too */
        return fail_at(r, &km, "expected a setting name");
    }
    int key_fits = str_copy(key, sizeof key, (const char *)r->ev.data.scalar.value) == 0;
    yaml_event_delete(&r->ev);
    const cfg_key *k = key_fits ? config_key(key) : NULL;
    if (!k) {
        char hint[96];
        config_key_hint(key, hint, sizeof hint);
        str_fmt(what, sizeof what, "unknown setting '%s'%s", key, hint);
        return fail_at(r, &km, what);
    }
    if (next(r))
        return -1;
    yaml_mark_t vm = r->ev.start_mark;
    if (r->ev.type != YAML_SCALAR_EVENT) {
        str_fmt(what, sizeof what, "'%s' must be a single value, not a list or mapping", key);
        yaml_event_delete(&r->ev);
        return fail_at(r, &vm, what);
    }
    int bad = config_check_value(k, (const char *)r->ev.data.scalar.value, what, sizeof what);
    if (!bad)
        apply(ctx, key, (const char *)r->ev.data.scalar.value);
    yaml_event_delete(&r->ev);
    return bad ? fail_at(r, &vm, what) : 0;
}

static int read_doc(reader *r, nodus_ctx *ctx)
{
    /* stream-start, then document-start or stream-end (an empty file) */
    for (;;) {
        if (next(r))
            return -1;
        yaml_event_type_t t = r->ev.type;
        yaml_mark_t m = r->ev.start_mark;
        yaml_event_delete(&r->ev);
        if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT)
            return 0;
        if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT)
            continue;
        if (t == YAML_SCALAR_EVENT) /* a document that is only "~" or empty */
            continue;
        if (t != YAML_MAPPING_START_EVENT)
            return fail_at(r, &m, "expected 'setting: value' lines");
        for (;;) {
            if (next(r))
                return -1;
            if (r->ev.type == YAML_MAPPING_END_EVENT) {
                yaml_event_delete(&r->ev);
                break;
            }
            if (read_pair(r, ctx))
                return -1;
        }
    }
}

/* Far above any real config; a larger file is refused, not read. */
#define CONFIG_FILE_CAP (1u << 20)

int config_load(nodus_ctx *ctx, const char *path, char *err, size_t errlen)
{
    int code = RF_OK;
    const char *kind = NULL;
    FILE *f = rf_fopen(path, CONFIG_FILE_CAP, 0, &code, &kind);
    if (!f) {
        char why[128];
        if (code == RF_MISSING)
            return 0;
        str_fmt(err, errlen, "%s: cannot read: %s; replace it with a YAML file of settings, or remove it", path,
                rf_why(code, kind, CONFIG_FILE_CAP, why, sizeof why));
        return -1;
    }
    reader r = {.path = path, .err = err, .errlen = errlen};
    if (!yaml_parser_initialize(&r.p)) {
        fclose(f);
        str_fmt(err, errlen, "%s: cannot start the YAML parser", path);
        return -1;
    }
    yaml_parser_set_input_file(&r.p, f);
    int rc = read_doc(&r, ctx);
    yaml_parser_delete(&r.p);
    fclose(f);
    return rc;
}

char *config_file_value(const char *path, const char *key)
{
    /* Re-read through libyaml so quoting rules match what nodus applies. */
    int code = RF_OK;
    FILE *f = rf_fopen(path, CONFIG_FILE_CAP, 0, &code, NULL);
    if (!f)
        return NULL;
    yaml_parser_t p;
    yaml_event_t ev;
    char *out = NULL;
    int depth = 0, want_value = 0, is_key = 1;
    yaml_parser_initialize(&p);
    yaml_parser_set_input_file(&p, f);
    while (yaml_parser_parse(&p, &ev)) {
        yaml_event_type_t t = ev.type;
        if (t == YAML_MAPPING_START_EVENT)
            depth++;
        else if (t == YAML_MAPPING_END_EVENT)
            depth--;
        else if (t == YAML_SCALAR_EVENT && depth == 1) {
            const char *s = (const char *)ev.data.scalar.value;
            if (want_value) {
                out = strdup(s);
                yaml_event_delete(&ev);
                break;
            }
            if (is_key && strcmp(s, key) == 0)
                want_value = 1;
            is_key = !is_key;
        }
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    fclose(f);
    return out;
}
