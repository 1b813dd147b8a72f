/* Several jobs at once (nodus install 18 20 22): each job runs in a child
 * process of its own, so that everything a single install relies on (its
 * staging directory named by pid, its per-version lock, the signal
 * handling, libcurl and libarchive state) stays as it is, and a crash or
 * a signal in one cannot leave another half done. The parent is the only
 * writer to the terminal: it relays each child's stderr a whole line at a
 * time and, on a terminal, draws one progress row per running job from
 * memory the children write (progress.h's progress_slot). */
#ifndef NODUS_PARALLEL_H
#define NODUS_PARALLEL_H
#include "ctx.h"

#include <stddef.h>

/* Runs in the child with the child's copy of ctx; returns its exit status. */
typedef int (*par_job_fn)(nodus_ctx *ctx, size_t i, void *arg);

/* At most this many at once, whatever was asked for. */
#define PAR_MAX_JOBS 16

/* Runs job(ctx, i, arg) for every i below n, at most jobs at a time,
 * started in order. labels[i] names job i on its progress row. status[i]
 * is set to job i's exit status (0: it succeeded; a job never started, as
 * after a signal, counts as failed). Returns the exit status of the first
 * job (in order) that failed, or 0. SIGINT, SIGTERM or SIGHUP stops
 * the jobs (each cleans up as a single install does), and is delivered to
 * the caller once all have ended. */
int par_run(nodus_ctx *ctx, size_t n, int jobs, const char *const *labels, par_job_fn job, void *arg, int *status);

/* How many jobs to run at once when the user did not say: one a core,
 * at most 4 (beyond that the link, not the CPU, is the limit). */
int par_default_jobs(void);

#endif
