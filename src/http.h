/* HTTP(S) through libcurl: small documents into memory (index, SHASUMS)
 * with conditional requests and retries, and release tarballs as a pull
 * stream that resumes itself with a Range request after a dropped
 * connection. Proxies (HTTPS_PROXY, NO_PROXY) are honoured by libcurl. */
#ifndef NODUS_HTTP_H
#define NODUS_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "ctx.h"

typedef struct {
    long status;             /* final HTTP status (200, 304...) */
    char etag[256];
    char last_modified[128];
    char content_type[128];
} http_meta;

typedef struct {
    char *data; /* NUL-terminated */
    size_t len, cap;
} membuf;
void membuf_free(membuf *b);

int http_global_init(void);
void http_global_cleanup(void);

/* GET url into out (at most max bytes). With etag/last_modified (may be
 * NULL or ""), the request is conditional and a 304 leaves out empty.
 * Retries 5xx, 429 and connection failures with backoff.
 * Returns 0 (meta->status is 200 or 304), or an exit status with err set. */
int http_get(const nodus_ctx *ctx, const char *url, const char *etag, const char *last_modified,
             size_t max, membuf *out, http_meta *meta, char *err, size_t errlen);

typedef struct http_stream http_stream;

/* Start downloading url from byte offset (0: all of it; more: a Range
 * request, for bytes the caller already has); nothing is transferred until
 * http_stream_read. label names the download on the progress bar. Returns
 * NULL on setup failure (err set). */
http_stream *http_stream_open(const nodus_ctx *ctx, const char *url, const char *label, uint64_t offset,
                              uint64_t max_bytes, char *err, size_t errlen);
/* The next chunk of the body: >0 bytes in *buf (valid until the next call),
 * 0 at the end, -1 on failure (http_stream_error says why). */
ssize_t http_stream_read(http_stream *s, const void **buf);
const char *http_stream_error(const http_stream *s);
uint64_t http_stream_received(const http_stream *s);
/* Whether the transfer failed in a way a later Range request can continue
 * (a dropped or stalled connection), rather than a refusal or a body that
 * is not the file. */
int http_stream_resumable(const http_stream *s);
void http_stream_close(http_stream *s);

/* Join a mirror base and a path with exactly one slash. */
int url_join(char *buf, size_t n, const char *base, const char *path);

#endif
