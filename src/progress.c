#include "progress.h"
#include "strutil.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

double monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void format_bytes(char *buf, unsigned long n, double bytes)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (bytes >= 1024 && u < 4) {
        bytes /= 1024;
        u++;
    }
    snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

void progress_start(progress_t *p, int enabled, const char *label)
{
    memset(p, 0, sizeof *p);
    p->enabled = enabled;
    str_copy(p->label, sizeof p->label, label);
    p->start = monotonic_seconds();
}

void progress_share(progress_t *p, progress_slot *slot)
{
    p->slot = slot;
}

void progress_update(progress_t *p, uint64_t now, uint64_t total)
{
    if (p->slot) {
        atomic_store_explicit(&p->slot->total, total, memory_order_relaxed);
        atomic_store_explicit(&p->slot->now, now, memory_order_relaxed);
        return;
    }
    if (!p->enabled)
        return;
    double t = monotonic_seconds();
    if (p->drawn && t - p->last_draw < 0.1 && (total == 0 || now < total))
        return;
    p->last_draw = t;
    p->drawn = 1;
    double rate = (t - p->start) > 0 ? (double)now / (t - p->start) : 0;
    char got[32], all[32], speed[32], bar[32];
    format_bytes(got, sizeof got, (double)now);
    format_bytes(all, sizeof all, (double)total);
    format_bytes(speed, sizeof speed, rate);
    int width = 24, fill = total ? (int)((double)now * width / (double)total) : 0;
    if (fill > width)
        fill = width;
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    if (total && rate > 0) {
        double left = (double)(total - (now < total ? now : total)) / rate;
        fprintf(stderr, "\r\033[K%s [%s] %s / %s  %s/s  %ds left", p->label, bar, got, all, speed, (int)(left + 0.5));
    } else {
        fprintf(stderr, "\r\033[K%s %s  %s/s", p->label, got, speed);
    }
    fflush(stderr);
}

void progress_finish(progress_t *p)
{
    if (p->enabled && p->drawn) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
    }
    p->drawn = 0;
}
