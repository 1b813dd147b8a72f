#include "fmtchoice.h"
#include "strutil.h"

const char *fmt_name(fmt_kind f)
{
    return f == FMT_GZ ? "gz" : "xz";
}

/* The pipeline overlaps the network and two threads of CPU work, so a
 * download takes as long as the slowest of: the link; the busier thread,
 * on the share of a core the scheduler gives it; both threads' CPU time
 * spread over the cores. On a busy machine the CPU terms dominate and the
 * format that needs less CPU wins even on a fast link; on an idle one it
 * is the link against the decoder. */
static double expected(double size, double link, double busy, double cpu, double share, int cores)
{
    double t = size / link, b = size / busy / share, c = size / cpu / (cores * share);
    if (b > t)
        t = b;
    if (c > t)
        t = c;
    return t;
}

void fmt_choose(const fmt_inputs *in, fmt_choice *out)
{
    double link = in->link_bps;
    const char *why;
    if (link > 0 && in->link_age >= 0 && in->link_age <= FMT_HISTORY_MAX_AGE) {
        why = "measured to this mirror";
    } else if (in->probe_seconds >= 0 && in->probe_seconds < FMT_NEAR_SECONDS) {
        link = FMT_NEAR_BPS;
        why = "assumed: no history, and the mirror answered within 25 ms";
    } else {
        link = FMT_FAR_BPS;
        why = "assumed: no history, and the mirror is not near";
    }
    int cores = in->cores > 0 ? in->cores : 1;
    /* With load L on C cores, each of L + 1 runnable threads gets about
     * C / (L + 1) of a core, at most a whole one. */
    double load = in->load > 0 ? in->load : 0;
    double share = (double)cores / (load + 1);
    if (share > 1)
        share = 1;
    out->share = share;
    double bx = in->busy_bps[FMT_XZ] > 0 ? in->busy_bps[FMT_XZ] : FMT_DEFAULT_BUSY_XZ;
    double bg = in->busy_bps[FMT_GZ] > 0 ? in->busy_bps[FMT_GZ] : FMT_DEFAULT_BUSY_GZ;
    double cx = in->cpu_bps[FMT_XZ] > 0 ? in->cpu_bps[FMT_XZ] : FMT_DEFAULT_CPU_XZ;
    double cg = in->cpu_bps[FMT_GZ] > 0 ? in->cpu_bps[FMT_GZ] : FMT_DEFAULT_CPU_GZ;
    /* Per MB of .tar.xz: the .tar.gz of the same release is larger. */
    out->est[FMT_XZ] = expected(1e6, link, bx, cx, share, cores);
    out->est[FMT_GZ] = expected(1e6 * FMT_GZ_OVER_XZ, link, bg, cg, share, cores);
    out->fmt = out->est[FMT_GZ] < out->est[FMT_XZ] ? FMT_GZ : FMT_XZ;
    str_fmt(out->reason, sizeof out->reason,
            "%s: link %.1f MB/s (%s); this machine's pipeline xz %.1f, gz %.1f MB/s on the busier thread, "
            "%.2f of a core each; expected xz %.3f, gz %.3f s per MB of xz",
            fmt_name(out->fmt), link / 1e6, why, bx / 1e6, bg / 1e6, share, out->est[FMT_XZ], out->est[FMT_GZ]);
}
