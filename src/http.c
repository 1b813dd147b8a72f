#include "http.h"
#include "msg.h"
#include "progress.h"
#include "strutil.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define USER_AGENT "nodus/" NODUS_VERSION_STR

void membuf_free(membuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

static int membuf_append(membuf *b, const void *data, size_t len)
{
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int http_global_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void http_global_cleanup(void)
{
    curl_global_cleanup();
}

int url_join(char *buf, size_t n, const char *base, const char *path)
{
    size_t bl = strlen(base);
    while (bl > 0 && base[bl - 1] == '/')
        bl--;
    while (*path == '/')
        path++;
    return str_fmt(buf, n, "%.*s/%s", (int)bl, base, path);
}

static long env_long(const char *name, long def)
{
    const char *v = getenv(name);
    if (!v || !*v)
        return def;
    char *end;
    long r = strtol(v, &end, 10);
    return (*end || r < 0) ? def : r;
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Two watches on every transfer, run from curl's progress callback (at
 * least once a second):
 *
 * Stall: no body byte for NODUS_STALL_TIMEOUT seconds (default 30, 0 turns
 * it off) ends the transfer. curl's own low-speed limit averages over a
 * window of several seconds, so a server that stops dead after a burst is
 * noticed only seconds late; this watch counts from the last byte.
 *
 * Minimum rate: a server that drips one byte every 0.4 s never stalls, so
 * each window of NODUS_MIN_RATE_TIME seconds (default 60) must bring at
 * least NODUS_MIN_RATE bytes a second on average (default 512; 0 turns it
 * off). A 56 kbit/s modem is ten times faster; a drip is a hundred times
 * slower.
 *
 * Both clocks stop while nodus itself is busy with what came (a consumer
 * extracting is not a slow server): stream_pump pauses and resumes them. */
typedef struct {
    long limit;        /* stall: seconds; 0: off */
    double since;      /* when the last byte came (or the wait began) */
    curl_off_t seen;   /* dlnow then */
    int stalled;
    long min_rate;     /* bytes a second; 0: off */
    long window;       /* seconds */
    double win_start;  /* when this window began */
    curl_off_t win_bytes; /* dlnow then */
    double paused_at;  /* when nodus stopped pumping (0: pumping) */
    double rate_seen;  /* bytes a second in the window that failed */
    int slow;
} stall_watch;

static void stall_reset(stall_watch *w)
{
    double now = mono_now();
    w->since = now;
    w->stalled = 0;
    if (w->paused_at > 0)
        w->win_start += now - w->paused_at;
    w->paused_at = 0;
}

static void stall_pause(stall_watch *w)
{
    w->paused_at = mono_now();
}

static int stall_cb(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    stall_watch *w = ud;
    (void)dltotal;
    (void)ultotal;
    (void)ulnow;
    double now = mono_now();
    if (w->min_rate > 0 && w->window > 0 && now - w->win_start >= (double)w->window) {
        double rate = (double)(dlnow - w->win_bytes) / (now - w->win_start);
        if (rate < (double)w->min_rate) {
            w->rate_seen = rate;
            w->slow = 1;
            return 1; /* CURLE_ABORTED_BY_CALLBACK */
        }
        w->win_start = now;
        w->win_bytes = dlnow;
    }
    if (dlnow != w->seen) {
        w->seen = dlnow;
        w->since = now;
        return 0;
    }
    if (w->limit > 0 && now - w->since >= (double)w->limit) {
        w->stalled = 1;
        return 1;
    }
    return 0;
}

static void stall_setup(CURL *c, stall_watch *w)
{
    w->limit = env_long("NODUS_STALL_TIMEOUT", 30);
    w->min_rate = env_long("NODUS_MIN_RATE", 512);
    w->window = env_long("NODUS_MIN_RATE_TIME", 60);
    w->seen = 0;
    w->slow = 0;
    w->paused_at = 0;
    w->win_bytes = 0;
    w->win_start = mono_now();
    stall_reset(w);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, stall_cb);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, w);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
}

/* The setting a URL came from, for the advice at the end of an error:
 * the release schedule and the vulnerability database have their own. */
static const char *url_setting(const nodus_ctx *ctx, const char *url)
{
    if (ctx->schedule_url[0] && strcmp(url, ctx->schedule_url) == 0)
        return "NODUS_SCHEDULE_URL (schedule_url)";
    if (ctx->vulns_url[0] && strcmp(url, ctx->vulns_url) == 0)
        return "NODUS_VULNS_URL (vulns_url)";
    return "NODUS_MIRROR";
}

/* Why a transfer failed, as words a user can act on, with curl's own text
 * in parentheses where it adds something. Ends with what to check. */
static void describe_failure(char *out, size_t n, const char *url, CURLcode rc, const char *cerr,
                             const stall_watch *w, const nodus_ctx *ctx)
{
    const char *curl_text = cerr && cerr[0] ? cerr : curl_easy_strerror(rc);
    if (w && w->slow) {
        str_fmt(out, n, "cannot download %s: the server sent %.1f bytes a second over %ld seconds, less than the "
                "minimum of %ld (NODUS_MIN_RATE, NODUS_MIN_RATE_TIME); check the network and %s", url,
                w->rate_seen, w->window, w->min_rate, url_setting(ctx, url));
        return;
    }
    if (w && w->stalled) {
        str_fmt(out, n, "cannot download %s: the server sent nothing for %ld seconds (NODUS_STALL_TIMEOUT); "
                "check the network and %s", url, w->limit, url_setting(ctx, url));
        return;
    }
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        str_fmt(out, n, "cannot download %s: the transfer timed out (%s); check the network and %s",
                url, curl_text, url_setting(ctx, url));
        return;
    case CURLE_PEER_FAILED_VERIFICATION:
        if (strstr(curl_text, "name")) { /* a certificate for another host */
            str_fmt(out, n, "cannot download %s: the mirror's TLS certificate could not be verified (%s); the "
                    "certificate is for another host name: check the host in %s", url, curl_text, url_setting(ctx, url));
            return;
        }
        str_fmt(out, n, "cannot download %s: the mirror's TLS certificate could not be verified (%s); set "
                "ca_file in the config, or SSL_CERT_FILE, to the CA bundle that signed it%s%s%s", url, curl_text,
                ctx->ca_file[0] ? " (now: " : "", ctx->ca_file, ctx->ca_file[0] ? ")" : "");
        return;
    case CURLE_SSL_CACERT_BADFILE:
        str_fmt(out, n, "cannot download %s: cannot read the CA bundle '%s' (%s); check ca_file in the config, "
                "SSL_CERT_FILE and CURL_CA_BUNDLE", url, ctx->ca_file[0] ? ctx->ca_file : "(libcurl's default)",
                curl_text);
        return;
    case CURLE_SSL_CONNECT_ERROR:
        str_fmt(out, n, "cannot download %s: the TLS handshake with the mirror failed (%s); check %s "
                "and any proxy in between", url, curl_text, url_setting(ctx, url));
        return;
    case CURLE_TOO_MANY_REDIRECTS:
        str_fmt(out, n, "cannot download %s: the server keeps redirecting (a redirect loop?) (%s); check "
                "%s", url, curl_text, url_setting(ctx, url));
        return;
    case CURLE_UNSUPPORTED_PROTOCOL:
        if (strncasecmp(url, "https:", 6) == 0) {
            str_fmt(out, n, "cannot download %s: the server redirected it away from https (%s); nodus refuses to "
                    "continue without TLS; check %s", url, curl_text, url_setting(ctx, url));
            return;
        }
        break;
    default:
        break;
    }
    str_fmt(out, n, "cannot download %s: %s; check the network and %s", url, curl_text, url_setting(ctx, url));
}

/* The settings every request shares: timeouts that notice a stalled
 * server, http(s) only, and redirects that may never leave https. */
static void common_setup(CURL *c, const char *url, const nodus_ctx *ctx)
{
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_USERAGENT, USER_AGENT);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, strncasecmp(url, "https:", 6) == 0 ? "https" : "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, env_long("NODUS_CONNECT_TIMEOUT", 30));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, env_long("NODUS_STALL_TIMEOUT", 30));
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 0L);
    if (ctx->ca_file[0])
        curl_easy_setopt(c, CURLOPT_CAINFO, ctx->ca_file);
}

static int retryable_status(long status)
{
    return status == 408 || status == 429 || status >= 500;
}

static int retryable_curl(CURLcode rc, const stall_watch *w)
{
    if (rc == CURLE_ABORTED_BY_CALLBACK)
        return w && (w->stalled || w->slow);
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}

static void backoff(int attempt)
{
    long base = env_long("NODUS_RETRY_DELAY_MS", 500);
    long ms = base << (attempt < 6 ? attempt : 6);
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static size_t header_cb(char *buf, size_t size, size_t nitems, void *ud)
{
    http_meta *m = ud;
    size_t len = size * nitems;
    char line[512];
    size_t n = len < sizeof line - 1 ? len : sizeof line - 1;
    memcpy(line, buf, n);
    line[n] = '\0';
    str_trim(line);
    if (str_starts(line, "HTTP/")) {
        m->etag[0] = m->last_modified[0] = m->content_type[0] = '\0';
        return len;
    }
    char *colon = strchr(line, ':');
    if (!colon)
        return len;
    *colon = '\0';
    char *value = colon + 1;
    str_trim(value);
    /* A validator that does not fit is dropped, never cut: a cut ETag
     * would be sent back as if the server had given it. */
    if (str_ieq(line, "etag") && str_copy(m->etag, sizeof m->etag, value))
        m->etag[0] = '\0';
    else if (str_ieq(line, "last-modified") && str_copy(m->last_modified, sizeof m->last_modified, value))
        m->last_modified[0] = '\0';
    else if (str_ieq(line, "content-type") && str_copy(m->content_type, sizeof m->content_type, value))
        m->content_type[0] = '\0';
    return len;
}

struct mem_sink {
    membuf *buf;
    size_t max;
    int too_big;
};

static size_t mem_write_cb(char *data, size_t size, size_t n, void *ud)
{
    struct mem_sink *s = ud;
    size_t len = size * n;
    if (s->buf->len + len > s->max) {
        s->too_big = 1;
        return 0;
    }
    return membuf_append(s->buf, data, len) ? 0 : len;
}

static int get_once(const nodus_ctx *ctx, const char *url, const char *etag, const char *lm, struct mem_sink *sink,
                    http_meta *meta, CURLcode *rc, char *cerr, stall_watch *watch, long timeout_ms)
{
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    struct curl_slist *hdrs = NULL;
    char h[512];
    if (etag && *etag && str_fmt(h, sizeof h, "If-None-Match: %s", etag) == 0)
        hdrs = curl_slist_append(hdrs, h);
    if (lm && *lm && str_fmt(h, sizeof h, "If-Modified-Since: %s", lm) == 0)
        hdrs = curl_slist_append(hdrs, h);
    common_setup(c, url, ctx);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, mem_write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, sink);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, meta);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)sink->max);
    stall_setup(c, watch);
    if (timeout_ms > 0)
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    cerr[0] = '\0';
    *rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &meta->status);
    curl_slist_free_all(hdrs);
    curl_easy_cleanup(c);
    return 0;
}

int http_get(const nodus_ctx *ctx, const char *url, const char *etag, const char *last_modified,
             size_t max, membuf *out, http_meta *meta, char *err, size_t errlen)
{
    if (ctx->offline) {
        str_fmt(err, errlen, "cannot fetch %s while offline; run without --offline", url);
        return EXIT_NETWORK;
    }
    int tries = (int)env_long("NODUS_RETRIES", 3);
    /* The small documents (index, SHASUMS, signatures) have one deadline
     * for all attempts together: whatever the server does, the command
     * (or the shim that runs it for auto_install) ends. */
    long limit = env_long("NODUS_DOC_TIMEOUT", 300);
    double deadline = limit > 0 ? mono_now() + (double)limit : 0;
    for (int attempt = 0;; attempt++) {
        struct mem_sink sink = {out, max, 0};
        char cerr[CURL_ERROR_SIZE];
        CURLcode rc;
        stall_watch watch;
        membuf_free(out);
        memset(meta, 0, sizeof *meta);
        long left_ms = deadline > 0 ? (long)((deadline - mono_now()) * 1000) : 0;
        if (deadline > 0 && left_ms < 1)
            left_ms = 1;
        if (get_once(ctx, url, etag, last_modified, &sink, meta, &rc, cerr, &watch, left_ms)) {
            str_fmt(err, errlen, "cannot start a download (out of memory?)");
            return EXIT_FAIL;
        }
        if (sink.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
            str_fmt(err, errlen, "cannot download: %s is larger than %zu bytes, more than any real file there; "
                    "check %s", url, max, url_setting(ctx, url));
            membuf_free(out);
            return EXIT_NETWORK;
        }
        int late = deadline > 0 && mono_now() >= deadline;
        int again = attempt < tries && !late &&
                    (rc != CURLE_OK ? retryable_curl(rc, &watch) : retryable_status(meta->status));
        if (late && rc == CURLE_OPERATION_TIMEDOUT) {
            str_fmt(err, errlen, "cannot download %s: it did not arrive within %ld seconds (NODUS_DOC_TIMEOUT); "
                    "check the network and %s", url, limit, url_setting(ctx, url));
            membuf_free(out);
            return EXIT_NETWORK;
        }
        /* Nothing nodus fetches is a web page: an HTML answer is a portal,
         * a login page or a mirror's "not found" page served with 200. */
        if (rc == CURLE_OK && meta->status == 200 && strncasecmp(meta->content_type, "text/html", 9) == 0) {
            str_fmt(err, errlen, "cannot download %s: the server sent an HTML page instead of the file; check "
                    "%s (and any proxy or captive portal in between)", url, url_setting(ctx, url));
            membuf_free(out);
            return EXIT_NETWORK;
        }
        if (rc == CURLE_OK && (meta->status == 200 || meta->status == 304)) {
            /* An empty 200 body still hands the caller a "" string. */
            if (meta->status == 200 && !out->data && membuf_append(out, "", 0) != 0)
                return EXIT_FAIL;
            return 0;
        }
        if (again) {
            backoff(attempt);
            continue;
        }
        if (rc != CURLE_OK)
            describe_failure(err, errlen, url, rc, cerr, &watch, ctx);
        else
            str_fmt(err, errlen, "cannot download %s: the server answered HTTP %ld; check %s", url,
                    meta->status, url_setting(ctx, url));
        membuf_free(out);
        return EXIT_NETWORK;
    }
}

/* ---- streaming ---- */

struct http_stream {
    const nodus_ctx *ctx;
    CURLM *multi;
    CURL *easy;
    char url[2048];
    char cerr[CURL_ERROR_SIZE];
    char error[1024];
    http_meta meta;
    membuf pend, cur;   /* filled by curl / handed to the reader */
    uint64_t received;  /* body bytes delivered to pend, across resumes */
    uint64_t skip;      /* bytes to drop after a server ignored Range */
    uint64_t max;
    uint64_t total;     /* expected size when known */
    int checked;        /* status of this response was checked */
    int bad;            /* write callback refused the body */
    int done;
    int attempt;
    int resumable;      /* the last failure was one a Range request can continue */
    CURLcode result;
    stall_watch watch;
    progress_t progress;
};

static size_t stream_write_cb(char *data, size_t size, size_t n, void *ud)
{
    http_stream *s = ud;
    size_t len = size * n;
    if (!s->checked) {
        long status = 0;
        curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
        s->meta.status = status;
        s->checked = 1;
        if (status == 200 && s->received > 0) {
            s->skip = s->received; /* the server ignored Range: drop what we have */
        } else if (status != 200 && status != 206) {
            s->bad = 1;
            return 0;
        }
        if (strncasecmp(s->meta.content_type, "text/html", 9) == 0) {
            s->bad = 2;
            return 0;
        }
        curl_off_t cl = -1;
        curl_easy_getinfo(s->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &cl);
        if (cl > 0)
            s->total = (status == 206 ? s->received : 0) + (uint64_t)cl;
    }
    size_t use = len;
    const char *p = data;
    if (s->skip) {
        size_t drop = s->skip < use ? (size_t)s->skip : use;
        s->skip -= drop;
        p += drop;
        use -= drop;
    }
    if (s->received + use > s->max) {
        s->bad = 3;
        return 0;
    }
    if (use && membuf_append(&s->pend, p, use))
        return 0;
    s->received += use;
    progress_update(&s->progress, s->received, s->total);
    return len;
}

static int stream_start(http_stream *s)
{
    if (s->easy) {
        curl_multi_remove_handle(s->multi, s->easy);
        curl_easy_cleanup(s->easy);
    }
    s->easy = curl_easy_init();
    if (!s->easy)
        return -1;
    common_setup(s->easy, s->url, s->ctx);
    curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, stream_write_cb);
    curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, &s->meta);
    curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->cerr);
    curl_easy_setopt(s->easy, CURLOPT_ACCEPT_ENCODING, NULL);
    stall_setup(s->easy, &s->watch);
    if (s->received > 0)
        curl_easy_setopt(s->easy, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)s->received);
    s->cerr[0] = '\0';
    s->checked = 0;
    s->done = 0;
    return curl_multi_add_handle(s->multi, s->easy) == CURLM_OK ? 0 : -1;
}

http_stream *http_stream_open(const nodus_ctx *ctx, const char *url, const char *label, uint64_t offset,
                              uint64_t max_bytes, char *err, size_t errlen)
{
    if (ctx->offline) {
        str_fmt(err, errlen, "cannot download %s while offline; run without --offline", url);
        return NULL;
    }
    http_stream *s = calloc(1, sizeof *s);
    if (!s || str_copy(s->url, sizeof s->url, url)) {
        free(s);
        str_fmt(err, errlen, "cannot start the download of %s", url);
        return NULL;
    }
    s->ctx = ctx;
    s->max = max_bytes;
    s->received = offset;
    s->multi = curl_multi_init();
    if (!s->multi || stream_start(s)) {
        http_stream_close(s);
        str_fmt(err, errlen, "cannot start the download of %s", url);
        return NULL;
    }
    progress_start(&s->progress, ctx->progress && !ctx->quiet, label);
    progress_share(&s->progress, ctx->progress_slot);
    return s;
}

/* Why the transfer ended, as a sentence; 1 when it is worth resuming. */
static int stream_failure(http_stream *s)
{
    if (s->bad == 1) {
        str_fmt(s->error, sizeof s->error, "cannot download %s: the server answered HTTP %ld", s->url, s->meta.status);
        return retryable_status(s->meta.status);
    }
    if (s->bad == 2) {
        str_fmt(s->error, sizeof s->error, "cannot download %s: the server sent an HTML page instead of the file; "
                "check NODUS_MIRROR", s->url);
        return 0;
    }
    if (s->bad == 3 || s->result == CURLE_FILESIZE_EXCEEDED) {
        str_fmt(s->error, sizeof s->error, "cannot download %s: the server sent more than %llu bytes, more than "
                "any Node.js release (the cap is NODUS_MAX_DOWNLOAD); check NODUS_MIRROR", s->url,
                (unsigned long long)s->max);
        return 0;
    }
    describe_failure(s->error, sizeof s->error, s->url, s->result, s->cerr, &s->watch, s->ctx);
    return retryable_curl(s->result, &s->watch);
}

/* Drive curl until it has body bytes for us or the transfer has ended. */
static int stream_pump(http_stream *s)
{
    stall_reset(&s->watch); /* the time the reader spent is not the server's */
    while (s->pend.len == 0 && !s->done) {
        int running = 0;
        if (curl_multi_perform(s->multi, &running) != CURLM_OK)
            return -1;
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(s->multi, &left)) != NULL)
            if (m->msg == CURLMSG_DONE) {
                s->result = m->data.result;
                s->done = 1;
            }
        if (s->pend.len || s->done)
            break;
        if (curl_multi_poll(s->multi, NULL, 0, 1000, NULL) != CURLM_OK)
            return -1;
    }
    stall_pause(&s->watch);
    return 0;
}

ssize_t http_stream_read(http_stream *s, const void **buf)
{
    for (;;) {
        if (stream_pump(s)) {
            str_fmt(s->error, sizeof s->error, "the download of %s failed inside libcurl", s->url);
            return -1;
        }
        if (s->pend.len) {
            membuf t = s->cur;
            s->cur = s->pend;
            s->pend = t;
            s->pend.len = 0;
            *buf = s->cur.data;
            return (ssize_t)s->cur.len;
        }
        long status = s->meta.status;
        if (!s->checked) {
            /* No body came with this response (the write callback never
             * ran), so its status was not looked at yet. */
            curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
            s->meta.status = status;
            /* 416 to a resume from the end: the file was already whole
             * (a server that overstated Content-Length and closed); the
             * digest decides whether it really is. */
            if (status == 416 && s->received > 0 && s->result == CURLE_OK)
                status = 206;
        }
        if (s->result == CURLE_OK && !s->bad && (status == 200 || status == 206)) {
            progress_finish(&s->progress);
            return 0;
        }
        if (s->result == CURLE_OK && !s->bad)
            s->bad = 1; /* an error status with an empty body */
        int resumable = stream_failure(s);
        s->resumable = resumable;
        if (!resumable || s->attempt >= (int)env_long("NODUS_RETRIES", 3)) {
            progress_finish(&s->progress);
            return -1;
        }
        backoff(s->attempt++);
        s->bad = 0;
        if (stream_start(s))
            return -1;
    }
}

const char *http_stream_error(const http_stream *s)
{
    return s->error;
}

int http_stream_resumable(const http_stream *s)
{
    return s->resumable;
}

uint64_t http_stream_received(const http_stream *s)
{
    return s->received;
}

void http_stream_close(http_stream *s)
{
    if (!s)
        return;
    progress_finish(&s->progress);
    if (s->easy) {
        curl_multi_remove_handle(s->multi, s->easy);
        curl_easy_cleanup(s->easy);
    }
    if (s->multi)
        curl_multi_cleanup(s->multi);
    membuf_free(&s->pend);
    membuf_free(&s->cur);
    free(s);
}
