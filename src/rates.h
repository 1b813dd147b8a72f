/* The rate history behind archive_format: auto, in the cache
 * (cache/nodus/rates), one measurement a line:
 *     link <bytes/s> <unix time> <mirror URL>
 *     decode <xz|gz> <bytes/s busier thread> <bytes/s both threads> <unix time>
 * "link" is per mirror; "decode" is this machine's install pipeline per
 * format: compressed bytes per CPU second of the busier of its two
 * threads, and of both together. A new measurement is merged with the
 * one kept, which weighs less the older it is, so that a laptop moving
 * between networks adapts within a download or two. The file is a hint:
 * a missing, unreadable or garbled one only means no history. */
#ifndef NODUS_RATES_H
#define NODUS_RATES_H
#include "fmtchoice.h"

#define RATES_MAX_BYTES (64 * 1024)
#define RATES_MAX_LINKS 32 /* mirrors remembered; the oldest go first */

/* old_bps measured at old_when (old_bps <= 0: none) and new_bps now. */
double rates_merge(double old_bps, double old_when, double new_bps, double now);
/* Fill in->link_bps, link_age, busy_bps and cpu_bps from the history
 * (zeros when there is none). */
void rates_load(const char *path, const char *mirror, double now, fmt_inputs *in);
/* Merge the measurements (0: not measured) into the history and write it
 * back atomically. link_floor: link_bps is only what the link carried at
 * least (the decoder, not the link, set the pace), so it raises a lower
 * kept rate and leaves a higher one as it is. Returns 0, or -1 (nothing
 * changed). */
int rates_record(const char *path, const char *mirror, double link_bps, int link_floor, fmt_kind fmt,
                 double busy_bps, double cpu_bps, double now);

#endif
