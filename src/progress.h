/* A one-line progress bar on stderr (only when stderr is a terminal). */
#ifndef NODUS_PROGRESS_H
#define NODUS_PROGRESS_H
#include <stdint.h>

typedef struct {
    int enabled;
    char label[64];
    double start, last_draw;
    int drawn;
} progress_t;

void progress_start(progress_t *p, int enabled, const char *label);
/* total 0 when unknown. Redraws at most ten times a second. */
void progress_update(progress_t *p, uint64_t now, uint64_t total);
/* Clears the line. */
void progress_finish(progress_t *p);
double monotonic_seconds(void);
/* "12.3 MiB" */
void format_bytes(char *buf, unsigned long n, double bytes);
#endif
