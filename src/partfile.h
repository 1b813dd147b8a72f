/* The bytes of an interrupted download, kept in the cache
 * (downloads/<sha256>.part, named by the digest SHASUMS256.txt promises) so
 * that the next try replays them through the digest and the extractor and
 * asks the mirror only for the rest, with a Range request; a complete one
 * (downloads/<sha256>) lets an install with this cache skip the download.
 * The directory is kept within download_cache_max bytes. Keeping the files
 * is a convenience: any failure here only turns it off. */
#ifndef NODUS_PARTFILE_H
#define NODUS_PARTFILE_H
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    int fd;            /* -1: not keeping anything */
    uint64_t kept;     /* bytes there were when opened: what is replayed */
    uint64_t replayed; /* of those, handed back so far */
    uint64_t size;     /* bytes in the file now (kept + appended) */
    int complete;      /* opened a whole download kept earlier: no network needed */
    char path[PATH_MAX];
} partfile;

/* Open the whole download kept for a digest in dir (dir/<sha256>, see
 * partfile_complete: pf->complete set), else open (or start) its part file.
 * Never fails: without a usable file, pf->fd is -1 and size 0. */
void partfile_open(partfile *pf, const char *dir, const char *sha256);
/* The next chunk of the kept prefix into buf; 0 once it is all replayed. */
ssize_t partfile_replay(partfile *pf, void *buf, size_t n);
/* Keep bytes that came from the network (after the replay). */
void partfile_append(partfile *pf, const void *data, size_t n);
/* Close and keep the file for the next try. */
void partfile_keep(partfile *pf);
/* The download is complete and its digest matched: keep it as
 * dir/<sha256>, so that an install of the same release with this cache
 * (a fresh NODUS_HOME, a CI run that persists the cache) needs no network
 * for it. A failure only means it is not kept. */
void partfile_complete(partfile *pf);
/* Close and delete it (its bytes are bad). */
void partfile_discard(partfile *pf);
/* Keep the files of pf's directory (complete downloads and part files)
 * within max bytes: the least recently used go first (partfile_open
 * touches a download it reuses), pf's own last, and only when it alone is
 * over max. Anything else in the directory is left alone. */
void partfile_trim(const partfile *pf, unsigned long long max);
#endif
