#include "install.h"
#include "entrypolicy.h"
#include "enttree.h"
#include "fmtchoice.h"
#include "fsutil.h"
#include "http.h"
#include "lock.h"
#include "platform_compat.h"
#include "msg.h"
#include "nodedir.h"
#include "partfile.h"
#include "pipeline.h"
#include "progress.h"
#include "stopsig.h"
#include "rates.h"
#include "shasums.h"
#include "verify.h"
#include "versions.h"
#include "spec.h"
#include "strutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TARBALL_MAX (1ull << 31) /* releases are ~30-50 MiB; 2 GiB is "a broken server" */

/* The cap on one tarball download: TARBALL_MAX, or NODUS_MAX_DOWNLOAD bytes
 * when that is set to a positive whole number (the tests use a small cap to
 * check, quickly, that an endless body is cut off). */
static uint64_t tarball_max(void)
{
    const char *v = getenv("NODUS_MAX_DOWNLOAD");
    if (!v || !*v)
        return TARBALL_MAX;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (*end || errno || n == 0 || v[0] == '-') {
        msg_warn("NODUS_MAX_DOWNLOAD='%s' is not a positive number of bytes; using %llu", v, TARBALL_MAX);
        return TARBALL_MAX;
    }
    return n;
}

/* One download + extraction in flight. */
typedef struct {
    http_stream *net;
    EVP_MD_CTX *md;
    pipeline *pipe;     /* the download thread, while extract runs */
    int plain_tar;      /* the pipeline decompresses: extract reads a plain tar */
    char top[256];      /* expected top directory in the tarball */
    char staging[PATH_MAX];
    char error[2048];   /* first error, for the user */
    int net_failed;
    int io_failed;      /* writing into the staging directory failed (disk full...) */
    int capped;         /* the release would write more than max_extract_bytes/entries */
    ent_tree *tree;     /* what has been extracted so far (enttree.h) */
    int interrupted;    /* SIGINT, SIGTERM or SIGHUP arrived (they are blocked meanwhile) */
    partfile part;      /* bytes kept from an earlier try, and this one's */
    pipe_result res;    /* what the download thread saw */
    double extract_cpu; /* CPU seconds of the extracting thread */
} job_t;

/* The next chunk of the tarball from the download thread (pipeline.c),
 * which has hashed it. Ctrl-C and friends are blocked while an install
 * runs (install_release) and noticed here and there, between two chunks,
 * so that the staging directory is removed before the signal is let
 * through. */
static la_ssize_t job_read(struct archive *a, void *ud, const void **buf)
{
    job_t *j = ud;
    if (stopsig_pending()) {
        j->interrupted = 1;
        archive_set_error(a, EINTR, "interrupted");
        return -1;
    }
    ssize_t n = pipeline_read(j->pipe, buf);
    if (n < 0)
        archive_set_error(a, EIO, "%s", pipeline_error(j->pipe));
    return n;
}

static ent_type entry_type(struct archive_entry *ent)
{
    if (archive_entry_hardlink(ent))
        return ENT_HARDLINK;
    switch (archive_entry_filetype(ent)) {
    case AE_IFREG:
        return ENT_FILE;
    case AE_IFDIR:
        return ENT_DIR;
    case AE_IFLNK:
        return ENT_SYMLINK;
    default:
        return ENT_OTHER;
    }
}

/* Apply the entry policy and point the entry into the staging directory. */
static int place_entry(job_t *j, struct archive_entry *ent)
{
    const char *path = archive_entry_pathname(ent);
    ent_type t = entry_type(ent);
    const char *link = t == ENT_HARDLINK ? archive_entry_hardlink(ent)
                       : t == ENT_SYMLINK ? archive_entry_symlink(ent) : NULL;
    char rel[4096], lrel[4096], whybuf[1024], shown[256];
    const char *why = "";
    int r = entry_check(j->top, path ? path : "", t, link, rel, sizeof rel, lrel, sizeof lrel, &why);
    if (r == ENT_SKIP)
        return 1;
    if (r == ENT_ACCEPT) {
        r = ent_tree_add(j->tree, rel, t, t == ENT_HARDLINK ? lrel : link, archive_entry_size(ent), whybuf,
                         sizeof whybuf);
        why = whybuf;
    }
    if (r == ENT_CAPPED) {
        j->capped = 1;
        str_fmt(j->error, sizeof j->error, "the tarball's entry '%s' %s; nothing was installed; if this release "
                "really is that large, raise the cap", entry_shown(path ? path : "", shown, sizeof shown), why);
        return -1;
    }
    if (r != ENT_ACCEPT) {
        str_fmt(j->error, sizeof j->error, "the tarball's entry '%s' %s; refusing to install it",
                entry_shown(path ? path : "", shown, sizeof shown), why);
        return -1;
    }
    /* Relative to the staging directory, which is the working directory
     * during extraction, so libarchive's refusal of absolute paths holds. */
    archive_entry_set_pathname(ent, rel);
    if (t == ENT_HARDLINK)
        archive_entry_set_hardlink(ent, lrel);
    archive_entry_set_perm(ent, entry_perm(archive_entry_perm(ent)));
    return 0;
}

/* Returns ARCHIVE_OK, or <ARCHIVE_OK with *write_failed saying which side. */
static int copy_data(struct archive *in, struct archive *out, int *write_failed)
{
    const void *buf;
    size_t size;
    la_int64_t off;
    for (;;) {
        int r = archive_read_data_block(in, &buf, &size, &off);
        if (r == ARCHIVE_EOF)
            return ARCHIVE_OK;
        if (r < ARCHIVE_OK)
            return r;
        if (archive_write_data_block(out, buf, size, off) < ARCHIVE_OK) {
            *write_failed = 1;
            return ARCHIVE_FATAL;
        }
    }
}

/* Errors of the local filesystem, as opposed to a hostile entry. */
static int local_errno(int e)
{
    return e == ENOSPC || e == EFBIG || e == EDQUOT || e == EROFS || e == EIO || e == EACCES || e == EPERM ||
           e == EMFILE || e == ENFILE || e == ENOMEM;
}

static int extract(job_t *j)
{
    struct archive *a = archive_read_new(), *w = archive_write_disk_new();
    int rc = -1;
    if (!a || !w)
        goto out;
    if (!j->plain_tar) {
        archive_read_support_filter_xz(a);
        archive_read_support_filter_gzip(a);
    }
    archive_read_support_format_tar(a);
    archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                          ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_TIME |
                                          ARCHIVE_EXTRACT_PERM);
    if (archive_read_open(a, j, NULL, job_read, NULL) != ARCHIVE_OK) {
        str_fmt(j->error, sizeof j->error, "cannot read the tarball: %s", archive_error_string(a));
        goto out;
    }
    struct archive_entry *ent;
    int r;
    while ((r = archive_read_next_header(a, &ent)) == ARCHIVE_OK) {
        int p = place_entry(j, ent);
        if (p < 0)
            goto out;
        if (p == 1)
            continue;
        int wfail = 0, bad = 0;
        if (archive_write_header(w, ent) < ARCHIVE_OK)
            bad = wfail = 1;
        else if (archive_entry_size(ent) > 0 && copy_data(a, w, &wfail) < ARCHIVE_OK)
            bad = 1;
        else if (archive_write_finish_entry(w) < ARCHIVE_OK)
            bad = wfail = 1;
        if (bad) {
            /* A local write failure (disk full, read-only, file size
             * limit) is not the download's fault: say so, and stop. */
            j->io_failed = wfail && local_errno(archive_errno(w));
            const char *e = wfail ? archive_error_string(w) : archive_error_string(a);
            const char *slash = strrchr(j->staging, '/');
            char shown[256];
            entry_shown(archive_entry_pathname(ent), shown, sizeof shown);
            if (j->io_failed)
                str_fmt(j->error, sizeof j->error, "cannot extract '%s' into %.*s: %s (%s); check the free space, "
                        "quota and permissions there; nothing was installed", shown,
                        slash ? (int)(slash - j->staging) : (int)strlen(j->staging), j->staging,
                        e ? e : "write error", strerror(archive_errno(w)));
            else
                str_fmt(j->error, sizeof j->error, "cannot extract '%s': %s", shown, e ? e : "unknown error");
            goto out;
        }
    }
    if (r != ARCHIVE_EOF) {
        str_fmt(j->error, sizeof j->error, "cannot read the tarball: %s", archive_error_string(a));
        goto out;
    }
    if (archive_write_close(w) != ARCHIVE_OK) {
        j->io_failed = local_errno(archive_errno(w));
        str_fmt(j->error, sizeof j->error, "cannot finish extracting: %s", archive_error_string(w));
        goto out;
    }
    rc = 0;
out:
    if (a)
        archive_read_free(a);
    if (w)
        archive_write_free(w);
    return rc;
}

static void hex_digest(EVP_MD_CTX *md, char out[65])
{
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(md, d, &n);
    for (unsigned i = 0; i < n && i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    out[64] = '\0';
}

/* The format to prefer, and why: archive_format xz or gz as set, or
 * (auto) the one expected to arrive and unpack sooner (fmtchoice.c).
 * probe: seconds SHASUMS256.txt took, for when there is no history. */
static fmt_kind preferred_format(const nodus_ctx *ctx, double probe, char *why, size_t n)
{
    if (!ctx->format_auto) {
        str_fmt(why, n, "%s: archive_format is %s", ctx->prefer_gz ? "gz" : "xz", ctx->prefer_gz ? "gz" : "xz");
        return ctx->prefer_gz ? FMT_GZ : FMT_XZ;
    }
    fmt_inputs in = {0};
    char rates[PATH_MAX];
    if (path_rates(&ctx->paths, rates, sizeof rates) == 0)
        rates_load(rates, ctx->mirror, (double)time(NULL), &in);
    in.probe_seconds = probe;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    in.cores = cores > 0 ? (int)cores : 1;
    double load = compat_loadavg();
    if (load >= 0)
        in.load = load;
    fmt_choice c;
    fmt_choose(&in, &c);
    str_fmt(why, n, "auto, %s", c.reason);
    return c.fmt;
}

/* The tarball to fetch: the preferred format when the release has it,
 * else the other one. */
static int choose_file(const nodus_ctx *ctx, const char *vname, const shasums_t *sums, fmt_kind pref,
                       char *file, size_t n, const char **digest)
{
    const char *exts[2] = {pref == FMT_GZ ? "tar.gz" : "tar.xz", pref == FMT_GZ ? "tar.xz" : "tar.gz"};
    for (int i = 0; i < 2; i++) {
        str_fmt(file, n, "node-%s-%s.%s", vname, ctx->platform, exts[i]);
        if ((*digest = shasums_find(sums, file)) != NULL)
            return 0;
    }
    msg_err("node %s has no %s build on this mirror (no node-%s-%s.tar.xz or .tar.gz in SHASUMS256.txt); "
            "choose another version, or set NODUS_MIRROR", vname, ctx->platform, vname, ctx->platform);
    return EXIT_NOT_FOUND;
}

static int write_meta(const char *staging, const char *vname, const char *lts, const char *digest,
                      const char *url, const char *file, const verify_info *vi, const char *format_why)
{
    char path[PATH_MAX], text[4096], when[64];
    time_t now = time(NULL);
    struct tm tm;
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    if (str_fmt(path, sizeof path, "%s/%s", staging, NODUS_META_NAME) ||
        str_fmt(text, sizeof text, "version=%s\nlts=%s\nsha256=%s\nfile=%s\nurl=%s\ninstalled=%s\nsignature=%s\n"
                "signer=%s\nsigner_key_expired=%d\nsignature_sha1=%d\nformat_choice=%s\n", vname, lts ? lts : "",
                digest, file, url, when, vi->signature > 0 ? "verified" : vi->signature == 0 ? "none" : "not checked",
                vi->signer, vi->key_expired, vi->weak_hash, format_why))
        return -1;
    return fs_write_atomic(path, text, strlen(text), 0644);
}

/* Remove staging and trash directories of installs and uninstalls whose
 * process is gone (killed half-way). */
static void install_clean_stale(const nodus_ctx *ctx)
{
    char tmp[PATH_MAX];
    if (path_tmp(&ctx->paths, tmp, sizeof tmp))
        return;
    DIR *d = opendir(tmp);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[PATH_MAX];
        long pid;
        if (versions_tmp_owner(de->d_name, &pid) && !versions_pid_alive(pid) &&
            str_fmt(path, sizeof path, "%s/%s", tmp, de->d_name) == 0)
            fs_rm_rf(path);
    }
    closedir(d);
}

static int make_staging(const nodus_ctx *ctx, const char *vname, char *out, size_t n)
{
    char tmp[PATH_MAX];
    if (path_tmp(&ctx->paths, tmp, sizeof tmp) || fs_mkdir_p(tmp) ||
        path_stage_template(&ctx->paths, vname, (long)getpid(), out, n) || !mkdtemp(out)) {
        msg_err("cannot create a staging directory in %s: %s; check that it is writable", tmp, strerror(errno));
        return EXIT_IO;
    }
    return 0;
}

/* Download, verify and extract into job->staging. */
static int download_and_check(const nodus_ctx *ctx, job_t *j, const char *url, const char *file,
                             const char *want, char got[65])
{
    char err[2048], label[128];
    str_fmt(label, sizeof label, "%s", file);
    char downloads[PATH_MAX];
    if (path_downloads(&ctx->paths, downloads, sizeof downloads) == 0)
        partfile_open(&j->part, downloads, want);
    else
        j->part.fd = -1;
    if (j->part.complete && !ctx->quiet)
        msg_note("using the download kept in %s", downloads);
    else if (j->part.kept > 0 && !ctx->quiet)
        msg_note("resuming the download after the %llu bytes an earlier try kept", (unsigned long long)j->part.kept);
    if (!j->part.complete)
        j->net = http_stream_open(ctx, url, label, j->part.kept, tarball_max(), err, sizeof err);
    j->md = EVP_MD_CTX_new();
    if ((!j->net && !j->part.complete) || !j->md || !EVP_DigestInit_ex(j->md, EVP_sha256(), NULL)) {
        msg_err("%s", j->net || j->part.complete ? "cannot start SHA-256" : err);
        return EXIT_NETWORK;
    }
    int cwd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cwd < 0 || chdir(j->staging) != 0) {
        msg_err("cannot enter the staging directory %s: %s", j->staging, strerror(errno));
        if (cwd >= 0)
            close(cwd);
        return EXIT_IO;
    }
    pipe_split split = pipeline_split_for(strstr(file, ".tar.xz") != NULL);
    j->plain_tar = split == PIPE_SPLIT_DECODE;
    j->pipe = pipeline_start(j->net, j->md, &j->part, split, err, sizeof err);
    int ex = -1;
    if (j->pipe) {
        struct timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        ex = extract(j);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        j->extract_cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
        /* A corrupt download usually breaks decompression or the tar
         * format first, and a swapped one may fill the disk or hit a cap:
         * the download thread reads and hashes the rest in every case, so
         * that a checksum mismatch (the likely cause) is what is told, and
         * only a verified download is blamed on the disk or the caps. */
        pipeline_finish(j->pipe, PIPE_DRAIN, &j->res);
        j->pipe = NULL;
        j->net_failed = j->res.net_failed;
        j->interrupted |= j->res.interrupted;
    }
    if (fchdir(cwd) != 0)
        ex = -1;
    close(cwd);
    if (!j->res.total_bytes && ex && !j->net_failed && !j->interrupted && !j->error[0]) {
        msg_err("%s", err);
        return EXIT_FAIL;
    }
    if (j->interrupted) {
        msg_err("interrupted; nothing was installed");
        return EXIT_FAIL;
    }
    hex_digest(j->md, got);
    if (j->res.drained && strcmp(got, want) != 0) {
        msg_err("checksum mismatch for %s: expected %s, got %s; the download is corrupt or the mirror is "
                "compromised; nothing was installed", file, want, got);
        return EXIT_VERIFY;
    }
    if (j->net_failed)
        str_copy(j->error, sizeof j->error, http_stream_error(j->net));
    else if (j->res.decode_failed && (ex || !j->error[0]))
        str_fmt(j->error, sizeof j->error, "cannot read the tarball: %s", j->res.decode_error);
    if (ex || !j->res.drained) {
        msg_err("%s", j->error[0] ? j->error : "the download failed");
        return j->net_failed ? EXIT_NETWORK : j->io_failed ? EXIT_IO : j->capped ? EXIT_FAIL : EXIT_VERIFY;
    }
    char why[PATH_MAX + 256], shown[1024];
    if (nodedir_links_inside(j->staging, why, sizeof why)) {
        msg_err("in the tarball %s, %s; refusing to install it", file, entry_shown(why, shown, sizeof shown));
        return EXIT_VERIFY;
    }
    return 0;
}

/* The part file outlives only a try the network or a signal cut short:
 * after anything else its bytes are either installed or known bad. */
static int download_verified(const nodus_ctx *ctx, job_t *j, const char *url, const char *file,
                             const char *want, char got[65])
{
    int rc = download_and_check(ctx, j, url, file, want, got);
    if (rc == 0) {
        partfile_complete(&j->part); /* kept whole, for the next install of this release */
        partfile_trim(&j->part, ctx->download_cache_max);
    }
    else if (j->part.complete || j->interrupted ||
             (j->net_failed && !j->io_failed && j->net && http_stream_resumable(j->net)))
        partfile_keep(&j->part);
    else
        partfile_discard(&j->part);
    return rc;
}

/* What this download measured, for the next archive_format: auto. When
 * the download thread spent most of the transfer waiting for the network,
 * the link set the pace, and bytes over waiting time is its rate. When it
 * spent most of it decompressing, the socket's buffer was full at every
 * read and that figure comes out far too high (71 MB/s measured through a
 * 14 MB/s link, which then chose gz and took 1.2x as long): all the
 * download says is that the link carried at least bytes over the span of
 * the transfer, which is recorded as a floor. The decoder's rate is that
 * of the busier of the two threads, from their CPU time, so that other
 * work on the machine does not count against it. Too small a sample says
 * nothing, and neither does a download that shared the link with others
 * (install -j): its rate was a share of the link's. */
static void record_rates(const nodus_ctx *ctx, const job_t *j, fmt_kind f)
{
    const pipe_result *r = &j->res;
    int sample = r->net_bytes >= (1u << 20) && r->net_seconds > 0.01 && r->net_span > 0.01 && !ctx->link_shared;
    int link_paced = r->net_seconds >= 0.5 * r->net_span;
    double link = !sample ? 0 : (double)r->net_bytes / (link_paced ? r->net_seconds : r->net_span);
    double busy = r->producer_cpu > j->extract_cpu ? r->producer_cpu : j->extract_cpu;
    double both = r->producer_cpu + j->extract_cpu;
    int enough = r->total_bytes >= (4u << 20) && busy > 0.05;
    double b = enough ? (double)r->total_bytes / busy : 0, c = enough ? (double)r->total_bytes / both : 0;
    char path[PATH_MAX];
    if ((link > 0 || b > 0) && path_rates(&ctx->paths, path, sizeof path) == 0)
        rates_record(path, ctx->mirror, link, !link_paced, f, b, c, (double)time(NULL));
    if (ctx->verbose)
        msg_note("measured: link %s%.1f MB/s (waited %.2f s of %.2f s for the network); %s pipeline %.1f MB/s on "
                 "the busier thread, %.1f on both (download thread %.2f s CPU, extraction %.2f s)",
                 link_paced ? "" : "at least ", link / 1e6, r->net_seconds, r->net_span, fmt_name(f), b / 1e6,
                 c / 1e6, r->producer_cpu, j->extract_cpu);
}

static int install_locked(const nodus_ctx *ctx, const char *vname, const char *lts,
                          const char *dest)
{
    shasums_t sums = {0};
    char file[256], url[2048], urlpath[512], got[65];
    const char *want;
    verify_info vinfo;
    double t0 = monotonic_seconds();
    int rc = verify_fetch_shasums(ctx, vname, &sums, &vinfo);
    if (rc)
        return rc;
    if (vinfo.weak_hash && !ctx->quiet)
        msg_warn("the checksums of node %s are signed with SHA-1, a weak hash (releases before 2016 are)", vname);
    char why[512];
    fmt_kind pref = preferred_format(ctx, monotonic_seconds() - t0, why, sizeof why);
    rc = choose_file(ctx, vname, &sums, pref, file, sizeof file, &want);
    if (rc == 0 && (pref == FMT_GZ) != (strstr(file, ".tar.gz") != NULL)) {
        size_t wl = strlen(why);
        str_fmt(why + wl, sizeof why - wl, "; only the %s exists", strrchr(file, '.') + 1);
    }
    if (rc == 0 && ctx->verbose)
        msg_note("archive format %s", why);
    job_t j;
    memset(&j, 0, sizeof j);
    j.part.fd = -1;
    if (rc == 0) {
        str_fmt(urlpath, sizeof urlpath, "%s/%s", vname, file);
        url_join(url, sizeof url, ctx->mirror, urlpath);
        size_t fl = strlen(file);
        str_fmt(j.top, sizeof j.top, "%.*s", (int)(fl - 7), file); /* minus ".tar.xz" */
        rc = make_staging(ctx, vname, j.staging, sizeof j.staging);
    }
    if (rc == 0 && !(j.tree = ent_tree_new(ctx->max_extract_bytes, ctx->max_extract_entries))) {
        msg_err("out of memory");
        rc = EXIT_FAIL;
    }
    if (rc == 0) {
        if (!ctx->quiet)
            msg_note("installing node %s (%s)", vname, file);
        rc = download_verified(ctx, &j, url, file, want, got);
    }
    if (rc == 0)
        record_rates(ctx, &j, strstr(file, ".tar.gz") ? FMT_GZ : FMT_XZ);
    if (rc == 0 && write_meta(j.staging, vname, lts, got, url, file, &vinfo, why)) {
        msg_err("cannot write the metadata of %s: %s", vname, strerror(errno));
        rc = EXIT_IO;
    }
    /* Make the files durable before the rename makes them visible. */
    if (rc == 0 && chmod(j.staging, 0755) != 0) {
        msg_err("cannot set the permissions of %s: %s", j.staging, strerror(errno));
        rc = EXIT_IO;
    }
    if (rc == 0) {
        compat_sync_tree(j.staging);
        if (rename(j.staging, dest) != 0) {
            msg_err("cannot move node %s into place: %s", vname, strerror(errno));
            rc = EXIT_IO;
        } else {
            char vdir[PATH_MAX];
            path_versions(&ctx->paths, vdir, sizeof vdir);
            fs_sync_dir(vdir);
        }
    }
    if (rc && j.staging[0])
        fs_rm_rf(j.staging);
    if (j.net)
        http_stream_close(j.net);
    if (j.md)
        EVP_MD_CTX_free(j.md);
    ent_tree_free(j.tree);
    shasums_free(&sums);
    return rc;
}

int install_release(const nodus_ctx *ctx, const index_entry *e, const char *lts)
{
    char vname[SEMVER_PRE_MAX + 64], dest[PATH_MAX], vdir[PATH_MAX], lockname[160];
    spec_vname(&e->v, vname, sizeof vname);
    if (path_version(&ctx->paths, vname, dest, sizeof dest) || path_versions(&ctx->paths, vdir, sizeof vdir)) {
        msg_err("NODUS_HOME is too long");
        return EXIT_FAIL;
    }
    if (fs_is_dir(dest))
        return INSTALL_ALREADY;
    if (fs_mkdir_p(vdir)) {
        msg_err("cannot create %s: %s; check NODUS_HOME and its permissions", vdir, strerror(errno));
        return EXIT_IO;
    }
    str_fmt(lockname, sizeof lockname, "install-%s", vname);
    /* A file size limit (ulimit -f) is a local write error to report,
     * not a reason to die half-way. */
    signal(SIGXFSZ, SIG_IGN);
    int lk = lock_take(&ctx->paths, lockname, ctx->quiet);
    if (lk < 0) {
        msg_err("cannot lock %s for installing: %s; check that %s is writable", vname, strerror(errno), ctx->paths.home);
        return EXIT_IO;
    }
    int rc;
    if (fs_is_dir(dest)) {
        rc = INSTALL_ALREADY; /* someone else finished it while we waited */
    } else {
        install_clean_stale(ctx);
        sigset_t old;
        stopsig_block(&old);
        rc = install_locked(ctx, vname, lts, dest);
        lock_drop(&ctx->paths, lockname, lk);
        lk = -1;
        /* A signal that arrived is delivered now, with nothing left behind. */
        sigprocmask(SIG_SETMASK, &old, NULL);
    }
    lock_drop(&ctx->paths, lockname, lk);
    return rc;
}
