#include "pipeline.h"
#include "stopsig.h"
#include "strutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Large enough that neither side waits on the other for the jitter of a
 * single chunk (a 64 KiB network read, a large file's write), small
 * enough to stay a small part of an install's memory. */
#define RING_BYTES (2u << 20)

struct pipeline {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t have_data, have_space;
    unsigned char *ring;
    size_t rpos;   /* consumer's position */
    size_t fill;   /* bytes in the ring, from rpos on (wrapping) */
    size_t held;   /* of those, handed to the consumer by the last read */
    int wdone;     /* producer finished streaming: 1 at the end, -1 failed */
    int stop;      /* 0, or 1 + pipe_end: the consumer has finished */
    char err[1024];
    /* The producer's own (no lock: the consumer reads them after join). */
    http_stream *net;
    EVP_MD_CTX *md;
    partfile *part;
    pipe_split split;
    pipe_result res;
    double net_first; /* when the first network read began (monotonic) */
    unsigned char replay[65536];
};

static double now_seconds(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

pipe_split pipeline_split_for(int is_xz)
{
    const char *v = getenv("NODUS_PIPELINE_SPLIT");
    if (v && strcmp(v, "net") == 0)
        return PIPE_SPLIT_NET;
    if (v && strcmp(v, "decode") == 0)
        return PIPE_SPLIT_DECODE;
    (void)is_xz;
    return PIPE_SPLIT_DECODE;
}

static int consumer_stop(pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    int s = p->stop;
    pthread_mutex_unlock(&p->mu);
    return s;
}

/* The next chunk of the download, through the digest: first what an
 * earlier try kept, then the network (kept in turn). -1: the network
 * failed or a signal arrived (res says which). */
static ssize_t src_next(pipeline *p, const void **buf)
{
    if (stopsig_pending()) {
        p->res.interrupted = 1;
        return -1;
    }
    ssize_t n = partfile_replay(p->part, p->replay, sizeof p->replay);
    if (n > 0) {
        *buf = p->replay;
    } else if (!p->net) {
        return 0; /* a whole download from the cache: no network at all */
    } else {
        double t0 = now_seconds(CLOCK_MONOTONIC);
        if (!p->net_first)
            p->net_first = t0;
        n = http_stream_read(p->net, buf);
        double t1 = now_seconds(CLOCK_MONOTONIC);
        p->res.net_seconds += t1 - t0;
        p->res.net_span = t1 - p->net_first;
        if (n < 0) {
            p->res.net_failed = 1;
            return -1;
        }
        p->res.net_bytes += (uint64_t)n;
        partfile_append(p->part, *buf, (size_t)n);
    }
    if (n > 0) {
        EVP_DigestUpdate(p->md, *buf, (size_t)n);
        p->res.total_bytes += (uint64_t)n;
    }
    return n;
}

/* Copy into the ring, waiting for space. 1: the consumer has finished and
 * wants no more. */
static int ring_write(pipeline *p, const void *data, size_t n)
{
    const unsigned char *d = data;
    pthread_mutex_lock(&p->mu);
    while (n) {
        while (p->fill == RING_BYTES && !p->stop)
            pthread_cond_wait(&p->have_space, &p->mu);
        if (p->stop) {
            pthread_mutex_unlock(&p->mu);
            return 1;
        }
        size_t w = (p->rpos + p->fill) % RING_BYTES;
        size_t room = RING_BYTES - p->fill, tail = RING_BYTES - w;
        size_t k = n < room ? n : room;
        if (k > tail)
            k = tail;
        /* Only this thread writes past fill: copy without the lock. */
        pthread_mutex_unlock(&p->mu);
        memcpy(p->ring + w, d, k);
        pthread_mutex_lock(&p->mu);
        p->fill += k;
        p->res.streamed += k;
        d += k;
        n -= k;
        pthread_cond_signal(&p->have_data);
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

static void ring_close(pipeline *p, int status, const char *why)
{
    pthread_mutex_lock(&p->mu);
    if (!p->wdone) {
        p->wdone = status;
        if (why)
            str_copy(p->err, sizeof p->err, why);
    }
    pthread_cond_broadcast(&p->have_data);
    pthread_mutex_unlock(&p->mu);
}

static const char *src_error(pipeline *p)
{
    return p->res.interrupted ? "interrupted" : http_stream_error(p->net);
}

/* Network + digest only; the consumer decompresses. */
static void stream_raw(pipeline *p)
{
    const void *buf;
    for (;;) {
        ssize_t n = src_next(p, &buf);
        if (n < 0) {
            ring_close(p, -1, src_error(p));
            return;
        }
        if (n == 0) {
            p->res.drained = 1;
            ring_close(p, 1, NULL);
            return;
        }
        if (ring_write(p, buf, (size_t)n))
            return; /* the consumer is done: drain, or not */
    }
}

static la_ssize_t decode_read(struct archive *a, void *ud, const void **buf)
{
    pipeline *p = ud;
    ssize_t n = src_next(p, buf);
    if (n < 0)
        archive_set_error(a, EIO, "%s", src_error(p));
    return n;
}

/* Network + digest + decompression: the consumer gets a plain tar stream. */
static void stream_decoded(pipeline *p)
{
    struct archive *a = archive_read_new();
    struct archive_entry *ent;
    if (!a) {
        ring_close(p, -1, "out of memory");
        return;
    }
    archive_read_support_filter_xz(a);
    archive_read_support_filter_gzip(a);
    archive_read_support_format_raw(a);
    int r = archive_read_open(a, p, NULL, decode_read, NULL);
    if (r == ARCHIVE_OK)
        r = archive_read_next_header(a, &ent);
    while (r == ARCHIVE_OK) {
        const void *buf;
        size_t size;
        la_int64_t off;
        r = archive_read_data_block(a, &buf, &size, &off);
        if (r == ARCHIVE_OK && size && ring_write(p, buf, size)) {
            archive_read_free(a);
            return;
        }
    }
    if (r == ARCHIVE_EOF) {
        ring_close(p, 1, NULL);
    } else if (p->res.net_failed || p->res.interrupted) {
        ring_close(p, -1, src_error(p));
    } else {
        p->res.decode_failed = 1;
        str_copy(p->res.decode_error, sizeof p->res.decode_error,
                 archive_error_string(a) ? archive_error_string(a) : "cannot decompress");
        ring_close(p, -1, p->res.decode_error);
    }
    archive_read_free(a);
}

/* The rest of the download after the consumer or the decoder stopped, so
 * that the digest covers every byte that was sent: a corrupt download
 * usually breaks decompression or the tar format first, and the checksum
 * mismatch is the real cause to report. Stops early when the consumer says
 * the rest does not matter. */
static void drain(pipeline *p)
{
    const void *buf;
    ssize_t n;
    while (consumer_stop(p) != 1 + PIPE_ABANDON && (n = src_next(p, &buf)) > 0)
        ;
    if (!p->res.net_failed && !p->res.interrupted && consumer_stop(p) != 1 + PIPE_ABANDON)
        p->res.drained = 1;
}

static void *producer(void *arg)
{
    pipeline *p = arg;
    if (p->split == PIPE_SPLIT_DECODE)
        stream_decoded(p);
    else
        stream_raw(p);
    if (!p->res.drained && !p->res.net_failed && !p->res.interrupted) {
        /* Wait for the consumer's verdict before reading on: it may stop
         * with PIPE_ABANDON (disk full), and then nothing more is read. */
        pthread_mutex_lock(&p->mu);
        while (!p->stop)
            pthread_cond_wait(&p->have_space, &p->mu);
        pthread_mutex_unlock(&p->mu);
        drain(p);
    }
    p->res.producer_cpu = now_seconds(CLOCK_THREAD_CPUTIME_ID);
    return NULL;
}

pipeline *pipeline_start(http_stream *net, EVP_MD_CTX *md, partfile *part, pipe_split split, char *err,
                         size_t errlen)
{
    pipeline *p = calloc(1, sizeof *p);
    if (p)
        p->ring = malloc(RING_BYTES);
    if (!p || !p->ring) {
        if (p)
            free(p);
        str_copy(err, errlen, "out of memory");
        return NULL;
    }
    p->net = net;
    p->md = md;
    p->part = part;
    p->split = split;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->have_data, NULL);
    pthread_cond_init(&p->have_space, NULL);
    int e = pthread_create(&p->thread, NULL, producer, p);
    if (e) {
        str_fmt(err, errlen, "cannot start the download thread: %s", strerror(e));
        pthread_cond_destroy(&p->have_space);
        pthread_cond_destroy(&p->have_data);
        pthread_mutex_destroy(&p->mu);
        free(p->ring);
        free(p);
        return NULL;
    }
    return p;
}

ssize_t pipeline_read(pipeline *p, const void **buf)
{
    pthread_mutex_lock(&p->mu);
    if (p->held) {
        p->rpos = (p->rpos + p->held) % RING_BYTES;
        p->fill -= p->held;
        p->held = 0;
        pthread_cond_signal(&p->have_space);
    }
    while (!p->fill && !p->wdone)
        pthread_cond_wait(&p->have_data, &p->mu);
    ssize_t n;
    if (p->fill) {
        size_t k = RING_BYTES - p->rpos;
        if (k > p->fill)
            k = p->fill;
        p->held = k;
        *buf = p->ring + p->rpos;
        n = (ssize_t)k;
    } else {
        n = p->wdone > 0 ? 0 : -1;
    }
    pthread_mutex_unlock(&p->mu);
    return n;
}

const char *pipeline_error(pipeline *p)
{
    pthread_mutex_lock(&p->mu);
    const char *e = p->wdone < 0 ? p->err : "";
    pthread_mutex_unlock(&p->mu);
    return e;
}

void pipeline_finish(pipeline *p, pipe_end how, pipe_result *r)
{
    pthread_mutex_lock(&p->mu);
    p->stop = 1 + (int)how;
    pthread_cond_broadcast(&p->have_space);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->thread, NULL);
    *r = p->res;
    pthread_cond_destroy(&p->have_space);
    pthread_cond_destroy(&p->have_data);
    pthread_mutex_destroy(&p->mu);
    free(p->ring);
    free(p);
}
