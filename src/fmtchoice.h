/* archive_format: auto. Which tarball of a release (.tar.xz or .tar.gz)
 * arrives and unpacks sooner, from the link rate measured to the mirror
 * and the rate at which this machine's install pipeline consumes each
 * format. Pure: no I/O; the history comes from rates.c. */
#ifndef NODUS_FMTCHOICE_H
#define NODUS_FMTCHOICE_H
#include <stddef.h>

typedef enum { FMT_XZ = 0, FMT_GZ = 1 } fmt_kind;

/* Without measurements of this machine: compressed bytes per CPU second
 * of the busier of the two pipeline threads, and of both together (xz
 * decompression is CPU-bound; gzip is several times faster). */
#define FMT_DEFAULT_BUSY_XZ 15e6
#define FMT_DEFAULT_BUSY_GZ 60e6
#define FMT_DEFAULT_CPU_XZ 11e6
#define FMT_DEFAULT_CPU_GZ 35e6
/* A release's .tar.gz is this many times its .tar.xz (node 18-22
 * linux-x64: about 1.7). */
#define FMT_GZ_OVER_XZ 1.7
/* A link measurement older than this is not trusted at all; younger ones
 * weigh less with age when merged with a new one (rates.c). */
#define FMT_HISTORY_MAX_AGE (30.0 * 86400)
/* With no history, a mirror that served SHASUMS256.txt and its signature
 * faster than this is taken to be near (same host or network). */
#define FMT_NEAR_SECONDS 0.025
#define FMT_NEAR_BPS 125e6 /* assumed for a near mirror: 1 Gbit/s */
#define FMT_FAR_BPS 5e6    /* assumed for an unknown one: 40 Mbit/s */

typedef struct {
    double link_bps;      /* measured rate to this mirror, bytes/s; 0: none */
    double link_age;      /* seconds since that measurement */
    double busy_bps[2];   /* per fmt_kind, per CPU second of the busier thread; 0: none */
    double cpu_bps[2];    /* per fmt_kind, per CPU second of both threads; 0: none */
    double probe_seconds; /* time SHASUMS256.txt (+ .asc) took; < 0: unknown */
    int cores;            /* online CPUs (0: take 1) */
    double load;          /* runnable threads besides ours (the load average) */
} fmt_inputs;

typedef struct {
    fmt_kind fmt;
    double est[2];     /* expected seconds per MB of .tar.xz, per format */
    double share;      /* of a core, what one of our threads can expect */
    char reason[384];  /* one line for --verbose and .nodus-meta */
} fmt_choice;

void fmt_choose(const fmt_inputs *in, fmt_choice *out);
const char *fmt_name(fmt_kind f); /* "xz", "gz" */

#endif
