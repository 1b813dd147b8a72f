/* The download side of an install on a thread of its own, so that the two
 * halves of the work use two cores: a producer thread reads the tarball
 * (first the bytes an earlier try kept, then the network), hashes every
 * byte, optionally decompresses, and hands the result through a ring
 * buffer to the calling thread, which parses the tar stream and writes
 * the files (install.c).
 *
 * Ownership: the caller creates the http stream, the digest and the part
 * file and hands them over with pipeline_start; from then until
 * pipeline_finish returns only the producer thread touches them. The
 * pipeline owns the ring and the thread and frees both in pipeline_finish,
 * which is the only way to end one. The caller owns the staging directory
 * and removes it after pipeline_finish when the install failed: by then
 * there is one thread again.
 *
 * Stopping: the consumer ends with pipeline_finish(p, PIPE_DRAIN) when the
 * digest must still cover the whole download (the archive ended, or
 * extraction stopped and a checksum mismatch may explain why: the producer
 * goes on reading and hashing, without decompressing), or PIPE_ABANDON
 * (a local write failure: the rest of the download does not matter).
 * A failure on the producer side (network, decompression) or SIGINT,
 * SIGTERM or SIGHUP (blocked in both threads by install.c, noticed between
 * two chunks by either) makes the consumer's next read return -1; an
 * interrupted producer stops at once, without draining. */
#ifndef NODUS_PIPELINE_H
#define NODUS_PIPELINE_H
#include <openssl/evp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "http.h"
#include "partfile.h"

typedef struct pipeline pipeline;

/* Where the work is split between the two threads. */
typedef enum {
    PIPE_SPLIT_NET,    /* producer: network + SHA-256; consumer: decompression, tar, files */
    PIPE_SPLIT_DECODE, /* producer: network + SHA-256 + decompression; consumer: tar, files */
} pipe_split;

typedef enum { PIPE_DRAIN, PIPE_ABANDON } pipe_end;

typedef struct {
    int net_failed;        /* the network side failed (http_stream_error says why) */
    int interrupted;       /* a signal arrived */
    int drained;           /* every byte of the download went through the digest */
    int decode_failed;     /* the producer could not decompress (PIPE_SPLIT_DECODE) */
    char decode_error[512];
    uint64_t net_bytes;    /* bytes that came from the network (not replayed) */
    uint64_t total_bytes;  /* all bytes hashed, replayed ones included */
    double net_seconds;    /* wall time spent waiting for the network */
    double net_span;       /* wall time from the first network read to the end of the last */
    double producer_cpu;   /* CPU seconds of the producer thread */
    uint64_t streamed;     /* bytes handed to the consumer */
} pipe_result;

/* Start the producer thread. Returns NULL (err set) when it cannot. */
pipeline *pipeline_start(http_stream *net, EVP_MD_CTX *md, partfile *part, pipe_split split,
                         char *err, size_t errlen);
/* The consumer's next chunk: >0 bytes in *buf (valid until the next call),
 * 0 at the end, -1 when the producer failed or a signal arrived
 * (pipeline_error says why). */
ssize_t pipeline_read(pipeline *p, const void **buf);
const char *pipeline_error(pipeline *p);
/* Tell the producer how to end, wait for it, fill *r, free everything the
 * pipeline owns. */
void pipeline_finish(pipeline *p, pipe_end how, pipe_result *r);
/* NODUS_PIPELINE_SPLIT=net|decode, else the default for the format. */
pipe_split pipeline_split_for(int is_xz);

#endif
