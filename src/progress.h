/* A one-line progress bar on stderr (only when stderr is a terminal). */
#ifndef NODUS_PROGRESS_H
#define NODUS_PROGRESS_H
#include <stdatomic.h>
#include <stdint.h>

/* Where a child of a parallel install (parallel.c) leaves its progress
 * for the parent to draw: memory the two share, written by one process
 * and read by the other, so each field is atomic. */
typedef struct progress_slot {
    _Atomic uint64_t now, total;
} progress_slot;

typedef struct {
    int enabled;
    progress_slot *slot; /* set: the numbers go there, nothing is drawn */
    char label[64];
    double start, last_draw;
    int drawn;
} progress_t;

void progress_start(progress_t *p, int enabled, const char *label);
/* From now on, the numbers go to slot (when not NULL) instead of stderr. */
void progress_share(progress_t *p, progress_slot *slot);
/* total 0 when unknown. Redraws at most ten times a second. */
void progress_update(progress_t *p, uint64_t now, uint64_t total);
/* Clears the line. */
void progress_finish(progress_t *p);
double monotonic_seconds(void);
/* "12.3 MiB" */
void format_bytes(char *buf, unsigned long n, double bytes);
#endif
