/* nodus mirror DIR [SPEC...] [--platform P...]
 *
 * Writes a subset of the official download layout into DIR, for a fleet to
 * use with NODUS_MIRROR behind any static HTTP server:
 *   DIR/vX.Y.Z/SHASUMS256.txt(.asc, .sig)   byte for byte as the mirror has
 *                                           them, so every client checks the
 *                                           Node.js signatures itself
 *   DIR/vX.Y.Z/node-vX.Y.Z-<platform>.tar.xz/.gz   the chosen platforms
 *   DIR/index.json, DIR/index.tab           only what DIR holds
 * Nothing unverified is written: the SHASUMS files are signature-checked
 * before they are written, every tarball is checked against them while it
 * downloads into a temporary file that is renamed into place, and the index
 * is written last. An interrupted run leaves the index of the run before,
 * which lists only complete releases; a rerun checks what is there (no
 * network for it) and fetches only what is missing. Part of nodus-core. */
#include "cmd.h"
#include "fsutil.h"
#include "http.h"
#include "index.h"
#include "msg.h"
#include "platform.h"
#include "semver.h"
#include "shasums.h"
#include "spec.h"
#include "stopsig.h"
#include "strutil.h"
#include "verify.h"
#include "versions.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MIRROR_SPECS_MAX 64
#define MIRROR_PLATFORMS_MAX 16
#define MIRROR_TARBALL_MAX (1ull << 31) /* as for installs: releases are ~30-50 MiB */
#define MIRROR_SUMS_MAX (1u << 20)
#define MIRROR_TMP_PREFIX ".nodus-tmp-"

typedef struct {
    const char *dir;
    const char *specs[MIRROR_SPECS_MAX];
    int nspecs;
    char platforms[MIRROR_PLATFORMS_MAX][64];
    int nplatforms;
    unsigned fetched, kept; /* files downloaded; files already there and verified */
} mirror_job;

/* A platform as the tarballs name it: "linux-x64", "darwin-arm64",
 * "linux-x64-musl". It becomes part of file names and URLs. */
static int platform_ok(const char *p)
{
    size_t n = strlen(p);
    return n > 0 && n < 64 && strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-_") == n && p[0] != '-';
}

static int parse_args(nodus_ctx *ctx, mirror_job *job, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i], *plat = NULL;
        if (strcmp(a, "--platform") == 0) {
            if (i + 1 >= argc) {
                msg_err("--platform needs a value, e.g. --platform linux-arm64");
                return EXIT_USAGE;
            }
            plat = argv[++i];
        } else if (str_starts(a, "--platform=")) {
            plat = a + 11;
        } else if (strcmp(a, "--allow-unsigned") == 0) {
            ctx->allow_unsigned = 1;
            continue;
        } else if (a[0] == '-' && a[1]) {
            return cmd_bad_option("mirror", a);
        } else if (!job->dir) {
            job->dir = a;
            continue;
        } else {
            if (job->nspecs == MIRROR_SPECS_MAX) {
                msg_err("too many versions at once; mirror at most %d per command", MIRROR_SPECS_MAX);
                return EXIT_USAGE;
            }
            job->specs[job->nspecs++] = a;
            continue;
        }
        if (!platform_ok(plat)) {
            msg_err("'%s' is not a platform name such as linux-x64, linux-arm64, darwin-arm64 or linux-x64-musl",
                    plat);
            return EXIT_USAGE;
        }
        if (job->nplatforms == MIRROR_PLATFORMS_MAX) {
            msg_err("too many platforms; at most %d", MIRROR_PLATFORMS_MAX);
            return EXIT_USAGE;
        }
        str_copy(job->platforms[job->nplatforms++], sizeof job->platforms[0], plat);
    }
    if (!job->dir || !job->dir[0]) {
        msg_err("which directory? usage: nodus mirror DIR [SPEC...] [--platform P...]");
        return EXIT_USAGE;
    }
    return 0;
}

/* DIR/NAME, or DIR/VNAME/NAME. */
static int mpath(const mirror_job *job, const char *vname, const char *name, char *buf, size_t n)
{
    int r = vname ? str_fmt(buf, n, "%s/%s/%s", job->dir, vname, name) : str_fmt(buf, n, "%s/%s", job->dir, name);
    if (r)
        msg_err("the mirror directory's path is too long: %s", job->dir);
    return r;
}

/* Temporary files of runs that were killed half-way. */
static void clean_stale(const char *vdir)
{
    DIR *d = opendir(vdir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[PATH_MAX];
        if (!str_starts(de->d_name, MIRROR_TMP_PREFIX))
            continue;
        long pid = strtol(de->d_name + strlen(MIRROR_TMP_PREFIX), NULL, 10);
        if (pid > 0 && !versions_pid_alive(pid) && str_fmt(path, sizeof path, "%s/%s", vdir, de->d_name) == 0)
            unlink(path);
    }
    closedir(d);
}

/* ---------------------------------------------------------------- SHASUMS */

static const char *const SUMS_NAMES[3] = {"SHASUMS256.txt.asc", "SHASUMS256.txt", "SHASUMS256.txt.sig"};

static void sums_slots(shasums_files *f, membuf *bufs[3], int *has[3])
{
    bufs[0] = &f->asc, bufs[1] = &f->plain, bufs[2] = &f->sig;
    has[0] = &f->has_asc, has[1] = &f->has_plain, has[2] = &f->has_sig;
}

/* The copy DIR already has. Returns 1 when there is one to check. */
static int read_local_sums(const mirror_job *job, const char *vname, shasums_files *f)
{
    membuf *bufs[3];
    int *has[3];
    sums_slots(f, bufs, has);
    for (int i = 0; i < 3; i++) {
        char path[PATH_MAX];
        size_t len = 0;
        if (mpath(job, vname, SUMS_NAMES[i], path, sizeof path))
            return 0;
        char *text = fs_read_file(path, MIRROR_SUMS_MAX, &len);
        if (!text)
            continue;
        bufs[i]->data = text;
        bufs[i]->len = bufs[i]->cap = len;
        *has[i] = 1;
    }
    return f->has_asc || f->has_plain;
}

/* Written .sig and .asc first and SHASUMS256.txt last; a file the mirror no
 * longer has is removed first, so the copy never mixes two versions. */
static int write_sums(const mirror_job *job, const char *vname, shasums_files *f)
{
    membuf *bufs[3];
    int *has[3];
    sums_slots(f, bufs, has);
    static const int order[3] = {2, 0, 1};
    char path[PATH_MAX];
    for (int i = 0; i < 3; i++)
        if (!*has[i] && mpath(job, vname, SUMS_NAMES[i], path, sizeof path) == 0 && unlink(path) != 0 &&
            errno != ENOENT) {
            msg_err("cannot remove %s: %s", path, strerror(errno));
            return EXIT_IO;
        }
    for (int k = 0; k < 3; k++) {
        int i = order[k];
        if (!*has[i])
            continue;
        if (mpath(job, vname, SUMS_NAMES[i], path, sizeof path))
            return EXIT_FAIL;
        if (fs_write_atomic(path, bufs[i]->data ? bufs[i]->data : "", bufs[i]->len, 0644) != 0) {
            msg_err("cannot write %s: %s; check the free space and permissions there", path, strerror(errno));
            return EXIT_IO;
        }
    }
    return 0;
}

/* The release's verified checksums: from DIR when its copy verifies (no
 * network), else from the mirror, verified, then copied into DIR. */
static int release_sums(const nodus_ctx *ctx, mirror_job *job, const char *vname, shasums_t *sums)
{
    shasums_files f;
    verify_info vi;
    memset(&f, 0, sizeof f);
    if (read_local_sums(job, vname, &f)) {
        int rc = verify_files(ctx, vname, &f, sums, &vi);
        shasums_files_free(&f);
        if (rc == 0) {
            job->kept++;
            return 0;
        }
        shasums_free(sums);
        memset(sums, 0, sizeof *sums);
        msg_warn("the copy of node %s's checksums in %s does not verify; fetching them again", vname, job->dir);
    }
    memset(&f, 0, sizeof f);
    int rc = verify_fetch_files(ctx, vname, &f);
    if (rc == 0)
        rc = verify_files(ctx, vname, &f, sums, &vi);
    if (rc == 0)
        rc = write_sums(job, vname, &f);
    if (rc == 0)
        job->fetched++;
    shasums_files_free(&f);
    return rc;
}

/* --------------------------------------------------------------- tarballs */

static void hex(const unsigned char *d, unsigned n, char out[65])
{
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    out[64] = '\0';
}

/* SHA-256 of a file DIR already has; -1 when it cannot be read. */
static int file_digest(const char *path, char out[65])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = -1;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && md && EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        unsigned char buf[65536];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0)
            EVP_DigestUpdate(md, buf, (size_t)n);
        if (n == 0) {
            unsigned char d[EVP_MAX_MD_SIZE];
            unsigned dn = 0;
            EVP_DigestFinal_ex(md, d, &dn);
            hex(d, dn, out);
            rc = 0;
        }
    }
    EVP_MD_CTX_free(md);
    close(fd);
    return rc;
}


/* Stream url into fd through SHA-256. Returns 0 or an exit status. */
static int download_to(const nodus_ctx *ctx, const char *url, const char *name, int fd, const char *tmp,
                       char got[65])
{
    char err[2048];
    http_stream *s = http_stream_open(ctx, url, name, 0, MIRROR_TARBALL_MAX, err, sizeof err);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = 0;
    if (!s || !md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        msg_err("%s", s ? "cannot start SHA-256" : err);
        rc = s ? EXIT_FAIL : EXIT_NETWORK;
        goto out;
    }
    for (;;) {
        if (stopsig_pending()) {
            msg_err("interrupted; %s was not added to the mirror", name);
            rc = EXIT_FAIL;
            goto out;
        }
        const void *buf;
        ssize_t n = http_stream_read(s, &buf);
        if (n == 0)
            break;
        if (n < 0) {
            msg_err("%s", http_stream_error(s));
            rc = EXIT_NETWORK;
            goto out;
        }
        EVP_DigestUpdate(md, buf, (size_t)n);
        if (fs_write_all(fd, buf, (size_t)n) != 0) {
            msg_err("cannot write %s: %s; check the free space and permissions there", tmp, strerror(errno));
            rc = EXIT_IO;
            goto out;
        }
    }
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    EVP_DigestFinal_ex(md, d, &dn);
    hex(d, dn, got);
out:
    if (s)
        http_stream_close(s);
    EVP_MD_CTX_free(md);
    return rc;
}

static int mirror_tarball(const nodus_ctx *ctx, mirror_job *job, const char *vname, const char *name,
                          const char *want)
{
    char path[PATH_MAX], tmp[PATH_MAX], vdir[PATH_MAX], url[2048], urlpath[512], got[65] = "";
    if (mpath(job, vname, name, path, sizeof path) || mpath(job, vname, "", vdir, sizeof vdir) ||
        str_fmt(tmp, sizeof tmp, "%s/%s%ld-XXXXXX", vdir, MIRROR_TMP_PREFIX, (long)getpid()))
        return EXIT_FAIL;
    if (file_digest(path, got) == 0) {
        if (strcmp(got, want) == 0) {
            job->kept++;
            return 0;
        }
        msg_warn("%s in %s does not match its checksum; downloading it again", name, job->dir);
    }
    if (str_fmt(urlpath, sizeof urlpath, "%s/%s", vname, name) || url_join(url, sizeof url, ctx->mirror, urlpath)) {
        msg_err("the mirror URL is too long");
        return EXIT_FAIL;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        msg_err("cannot create a temporary file in %s: %s; check that it is writable", vdir, strerror(errno));
        return EXIT_IO;
    }
    if (!ctx->quiet)
        msg_note("adding %s", name);
    int rc = download_to(ctx, url, name, fd, tmp, got);
    if (rc == 0 && strcmp(got, want) != 0) {
        msg_err("checksum mismatch for %s: expected %s, got %s; the download is corrupt or the mirror is "
                "compromised; it was not added", name, want, got);
        rc = EXIT_VERIFY;
    }
    if (rc == 0 && (fchmod(fd, 0644) != 0 || fsync(fd) != 0)) {
        msg_err("cannot write %s: %s", tmp, strerror(errno));
        rc = EXIT_IO;
    }
    close(fd);
    if (rc == 0 && rename(tmp, path) != 0) {
        msg_err("cannot move %s into place: %s", path, strerror(errno));
        rc = EXIT_IO;
    }
    if (rc)
        unlink(tmp);
    else {
        fs_sync_dir(vdir);
        job->fetched++;
    }
    return rc;
}

static int mirror_release(const nodus_ctx *ctx, mirror_job *job, const char *vname)
{
    char vdir[PATH_MAX];
    if (mpath(job, vname, "", vdir, sizeof vdir))
        return EXIT_FAIL;
    if (fs_mkdir_p(vdir) != 0) {
        msg_err("cannot create %s: %s; check that it is writable", vdir, strerror(errno));
        return EXIT_IO;
    }
    clean_stale(vdir);
    shasums_t sums;
    memset(&sums, 0, sizeof sums);
    int rc = release_sums(ctx, job, vname, &sums);
    for (int p = 0; rc == 0 && p < job->nplatforms; p++) {
        static const char *const exts[2] = {"tar.xz", "tar.gz"};
        int any = 0;
        for (int x = 0; rc == 0 && x < 2; x++) {
            char name[256];
            const char *want;
            if (str_fmt(name, sizeof name, "node-%s-%s.%s", vname, job->platforms[p], exts[x]) ||
                !(want = shasums_find(&sums, name)))
                continue;
            any = 1;
            rc = mirror_tarball(ctx, job, vname, name, want);
        }
        if (rc == 0 && !any)
            msg_warn("node %s has no %s build on the mirror; not added for that platform", vname,
                     job->platforms[p]);
    }
    shasums_free(&sums);
    return rc;
}

/* ------------------------------------------------------------------ index */

/* The platform whose tarballs an index "files" key stands for; NULL for
 * keys that are not tarballs (headers, src, win-x64-zip, osx-x64-pkg...),
 * which a subset never holds. */
static int key_platform(const char *key, char *out, size_t n)
{
    size_t len = strlen(key);
    if (str_starts(key, "osx-") && len > 8 && strcmp(key + len - 4, "-tar") == 0)
        return str_fmt(out, n, "darwin-%.*s", (int)(len - 8), key + 4);
    return str_copy(out, n, key);
}

static int has_tarball(const mirror_job *job, const char *vname, const char *plat)
{
    static const char *const exts[2] = {"tar.xz", "tar.gz"};
    for (int x = 0; x < 2; x++) {
        char name[256], path[PATH_MAX];
        if (str_fmt(name, sizeof name, "node-%s-%s.%s", vname, plat, exts[x]) == 0 &&
            str_fmt(path, sizeof path, "%s/%s/%s", job->dir, vname, name) == 0 && fs_exists(path))
            return 1;
    }
    return 0;
}

/* The "files" keys of e whose tarballs DIR holds, into a NULL-terminated
 * array of borrowed strings (at most e->nfiles). */
static size_t held_files(const mirror_job *job, const index_entry *e, const char **out)
{
    size_t k = 0;
    for (size_t i = 0; i < e->nfiles; i++) {
        char plat[128];
        if (platform_ok(e->files[i]) && key_platform(e->files[i], plat, sizeof plat) == 0 &&
            has_tarball(job, e->version, plat))
            out[k++] = e->files[i];
    }
    out[k] = NULL;
    return k;
}

/* Outside text in a tab-separated line: a tab or newline in it would make
 * other columns; such a value is written as "-". */
static const char *tab_field(const char *s)
{
    if (!s || !*s)
        return "-";
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return "-";
    return s;
}

static int add_str(json_t *o, const char *key, const char *v)
{
    return v ? json_object_set_new(o, key, json_string(v)) : 0;
}

typedef struct {
    const index_entry *e;
    const char **files;
} held_row;

static int cmp_rows(const void *a, const void *b)
{
    const held_row *x = a, *y = b;
    return semver_cmp(&y->e->v, &x->e->v); /* newest first */
}

/* A release directory of DIR to list: its metadata from the mirror's index,
 * else from DIR's own earlier index. */
static const index_entry *find_entry(const release_index *ix, const char *vname)
{
    for (size_t i = 0; ix && i < ix->n; i++)
        if (strcmp(ix->entries[i].version, vname) == 0)
            return &ix->entries[i];
    return NULL;
}

static int write_index(const nodus_ctx *ctx, const mirror_job *job, const release_index *ix)
{
    char path[PATH_MAX];
    release_index old = {0};
    int have_old = mpath(job, NULL, "index.json", path, sizeof path) == 0 && index_parse_file(path, &old) == 0;
    DIR *d = opendir(job->dir);
    if (!d) {
        msg_err("cannot read %s: %s", job->dir, strerror(errno));
        if (have_old)
            index_free(&old);
        return EXIT_IO;
    }
    held_row *rows = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        semver_t v;
        char sums[PATH_MAX], asc[PATH_MAX];
        if (de->d_name[0] != 'v' || semver_parse(de->d_name + 1, &v) != 0 ||
            str_fmt(sums, sizeof sums, "%s/%s/SHASUMS256.txt", job->dir, de->d_name) ||
            str_fmt(asc, sizeof asc, "%s/%s/SHASUMS256.txt.asc", job->dir, de->d_name) ||
            (!fs_exists(sums) && !fs_exists(asc)))
            continue;
        const index_entry *e = find_entry(ix, de->d_name);
        if (!e)
            e = find_entry(have_old ? &old : NULL, de->d_name);
        if (!e) {
            msg_warn("%s/%s is in no release index; not listed", job->dir, de->d_name);
            continue;
        }
        const char **files = calloc(e->nfiles + 1, sizeof *files);
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            held_row *r = realloc(rows, cap * sizeof *rows);
            if (r)
                rows = r;
            else
                cap = n;
        }
        if (!files || n == cap) {
            free(files);
            msg_err("out of memory");
            rc = EXIT_FAIL;
            break;
        }
        if (held_files(job, e, files) == 0) {
            free(files); /* SHASUMS only: nothing a client could install */
            continue;
        }
        rows[n].e = e;
        rows[n++].files = files;
    }
    closedir(d);
    if (rc == 0 && n)
        qsort(rows, n, sizeof *rows, cmp_rows);

    json_t *arr = json_array();
    size_t tcap = 128, tlen = 0;
    char *tab = malloc(tcap);
    static const char *const head = "version\tdate\tfiles\tnpm\tv8\tuv\tzlib\topenssl\tmodules\tlts\tsecurity\n";
    if (!arr || !tab)
        rc = EXIT_FAIL;
    else
        tlen = (size_t)snprintf(tab, tcap, "%s", head);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const index_entry *e = rows[i].e;
        json_t *o = json_object(), *files = json_array();
        char joined[4096] = "";
        size_t jl = 0;
        for (const char **f = rows[i].files; *f && files; f++) {
            json_array_append_new(files, json_string(*f));
            int w = snprintf(joined + jl, sizeof joined - jl, "%s%s", jl ? "," : "", *f);
            if (w < 0 || (size_t)w >= sizeof joined - jl) {
                rc = EXIT_FAIL;
                break;
            }
            jl += (size_t)w;
        }
        if (!o || !files || rc || add_str(o, "version", e->version) || add_str(o, "date", e->date) ||
            json_object_set_new(o, "files", files) || add_str(o, "npm", e->npm) || add_str(o, "v8", e->v8) ||
            add_str(o, "uv", e->uv) || add_str(o, "zlib", e->zlib) || add_str(o, "openssl", e->openssl) ||
            add_str(o, "modules", e->modules) ||
            json_object_set_new(o, "lts", e->lts ? json_string(e->lts) : json_false()) ||
            json_object_set_new(o, "security", json_boolean(e->security)) || json_array_append_new(arr, o)) {
            msg_err("cannot build the index of %s", job->dir);
            rc = EXIT_FAIL;
            break;
        }
        char line[8192];
        int w = snprintf(line, sizeof line, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", tab_field(e->version),
                         tab_field(e->date), joined, tab_field(e->npm), tab_field(e->v8), tab_field(e->uv),
                         tab_field(e->zlib), tab_field(e->openssl), tab_field(e->modules), tab_field(e->lts),
                         e->security ? "true" : "-");
        if (w < 0 || (size_t)w >= sizeof line) {
            msg_err("a row of the release index of node %s is too long for index.tab", e->version);
            rc = EXIT_FAIL;
            break;
        }
        if (tlen + (size_t)w + 1 > tcap) {
            size_t nc = 2 * (tlen + (size_t)w + 1);
            char *t = realloc(tab, nc);
            if (!t) {
                rc = EXIT_FAIL;
                break;
            }
            tab = t, tcap = nc;
        }
        memcpy(tab + tlen, line, (size_t)w + 1);
        tlen += (size_t)w;
    }
    char *json = rc == 0 ? json_dumps(arr, JSON_COMPACT) : NULL;
    if (rc == 0 && !json)
        rc = EXIT_FAIL;
    char tabpath[PATH_MAX];
    /* index.json last: it is what clients read first. */
    if (rc == 0 && (mpath(job, NULL, "index.tab", tabpath, sizeof tabpath) ||
                    fs_write_atomic(tabpath, tab, tlen, 0644) != 0 ||
                    fs_write_atomic(path, json, strlen(json), 0644) != 0)) {
        msg_err("cannot write the index of %s: %s; check the free space and permissions there", job->dir,
                strerror(errno));
        rc = EXIT_IO;
    }
    if (rc == 0 && !json)
        rc = EXIT_FAIL;
    if (rc == 0 && !ctx->quiet)
        msg_note("%s lists %zu release%s", job->dir, n, n == 1 ? "" : "s");
    free(json);
    json_decref(arr);
    free(tab);
    for (size_t i = 0; i < n; i++)
        free(rows[i].files);
    free(rows);
    if (have_old)
        index_free(&old);
    return rc;
}

/* ---------------------------------------------------------------- command */

static int pick(nodus_ctx *ctx, mirror_job *job, const release_index *ix, const char *text,
                const index_entry **out)
{
    spec_t s;
    int rc = versions_spec(ctx, text, &s);
    if (rc)
        return rc;
    /* The newest match with a build for the first platform asked for. */
    char keep[sizeof ctx->platform];
    str_copy(keep, sizeof keep, ctx->platform);
    str_copy(ctx->platform, sizeof ctx->platform, job->platforms[0]);
    *out = versions_pick_remote(ctx, ix, &s, &rc);
    str_copy(ctx->platform, sizeof ctx->platform, keep);
    spec_free(&s);
    return *out ? 0 : rc;
}

static int run(nodus_ctx *ctx, mirror_job *job)
{
    release_index ix = {0};
    int rc = index_load(ctx, &ix);
    if (rc)
        return rc;
    for (int i = 0; i < job->nspecs && rc == 0; i++) {
        const index_entry *e;
        rc = pick(ctx, job, &ix, job->specs[i], &e);
        if (rc == 0)
            rc = mirror_release(ctx, job, e->version);
    }
    /* Even after a failure: what was completed is listed, nothing else. */
    int wr = write_index(ctx, job, &ix);
    index_free(&ix);
    return rc ? rc : wr;
}

int cmd_mirror(nodus_ctx *ctx, int argc, char **argv)
{
    mirror_job job;
    memset(&job, 0, sizeof job);
    int rc = parse_args(ctx, &job, argc, argv);
    if (rc)
        return rc;
    if (job.nplatforms == 0) {
        char perr[512];
        if (platform_detect(ctx->platform, sizeof ctx->platform, ctx->mirror, perr, sizeof perr)) {
            msg_err("%s", perr);
            return EXIT_FAIL;
        }
        str_copy(job.platforms[job.nplatforms++], sizeof job.platforms[0], ctx->platform);
    }
    if (fs_mkdir_p(job.dir) != 0 || !fs_is_dir(job.dir)) {
        msg_err("cannot create the mirror directory %s: %s", job.dir, strerror(errno ? errno : ENOTDIR));
        return EXIT_IO;
    }
    /* Ctrl-C is noticed between two chunks, so that the temporary file is
     * removed and the index rewritten before the signal is let through. */
    sigset_t old;
    stopsig_block(&old);
    rc = run(ctx, &job);
    if (!ctx->quiet)
        msg_note("%u file%s downloaded, %u already there and verified", job.fetched, job.fetched == 1 ? "" : "s",
                 job.kept);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
