#include "rates.h"
#include "fsutil.h"
#include "strutil.h"

#include <math.h> /* isfinite: a macro, no libm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double bps, when;
    char mirror[1024];
} link_rate;

typedef struct {
    link_rate link[RATES_MAX_LINKS + 1];
    int nlinks;
    double busy_bps[2], cpu_bps[2], decode_when[2];
} history;

double rates_merge(double old_bps, double old_when, double new_bps, double now)
{
    double age = now - old_when;
    if (age < 0)
        age = 0;
    if (!(old_bps > 0) || !isfinite(old_bps) || age > FMT_HISTORY_MAX_AGE)
        return new_bps;
    /* Half and half when fresh; a day old, a third as much; a week old,
     * a sixteenth: a laptop on another network follows within a download. */
    double w = 0.5 / (1 + age / 43200.0);
    return w * old_bps + (1 - w) * new_bps;
}

static int sane(double bps, double when)
{
    return isfinite(bps) && bps > 0 && bps < 1e12 && isfinite(when) && when > 0;
}

/* Lines that do not parse are dropped: the file is only a hint. */
static void parse(char *text, history *h)
{
    memset(h, 0, sizeof *h);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char kind[16], what[1024];
        double bps, cpu, when;
        if (sscanf(line, "%15s", kind) != 1)
            continue;
        if (strcmp(kind, "link") == 0 && h->nlinks < RATES_MAX_LINKS &&
            sscanf(line, "link %lf %lf %1023s", &bps, &when, what) == 3 && sane(bps, when)) {
            link_rate *l = &h->link[h->nlinks++];
            l->bps = bps;
            l->when = when;
            str_copy(l->mirror, sizeof l->mirror, what);
        } else if (strcmp(kind, "decode") == 0 &&
                   sscanf(line, "decode %15s %lf %lf %lf", what, &bps, &cpu, &when) == 4 && sane(bps, when) &&
                   sane(cpu, when)) {
            int f = strcmp(what, "xz") == 0 ? FMT_XZ : strcmp(what, "gz") == 0 ? FMT_GZ : -1;
            if (f >= 0) {
                h->busy_bps[f] = bps;
                h->cpu_bps[f] = cpu;
                h->decode_when[f] = when;
            }
        }
    }
}

static void load(const char *path, history *h)
{
    size_t len;
    char *text = fs_read_file(path, RATES_MAX_BYTES, &len);
    memset(h, 0, sizeof *h);
    if (!text)
        return;
    parse(text, h);
    free(text);
}

static int find(const history *h, const char *mirror)
{
    for (int i = 0; i < h->nlinks; i++)
        if (strcmp(h->link[i].mirror, mirror) == 0)
            return i;
    return -1;
}

void rates_load(const char *path, const char *mirror, double now, fmt_inputs *in)
{
    history h;
    load(path, &h);
    in->link_bps = 0;
    in->link_age = 0;
    int i = find(&h, mirror);
    if (i >= 0) {
        in->link_bps = h.link[i].bps;
        in->link_age = now - h.link[i].when;
        if (in->link_age < 0)
            in->link_age = 0;
    }
    for (int f = 0; f < 2; f++) {
        in->busy_bps[f] = h.busy_bps[f];
        in->cpu_bps[f] = h.cpu_bps[f];
    }
}

int rates_record(const char *path, const char *mirror, double link_bps, int link_floor, fmt_kind fmt,
                 double busy_bps, double cpu_bps, double now)
{
    for (const char *c = mirror; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            return -1;
    if (strlen(mirror) >= sizeof ((link_rate *)0)->mirror)
        return -1;
    history h;
    load(path, &h);
    if (link_bps > 0 && isfinite(link_bps)) {
        int i = find(&h, mirror);
        if (i < 0) {
            if (h.nlinks == RATES_MAX_LINKS) { /* forget the mirror measured longest ago */
                int old = 0;
                for (int k = 1; k < h.nlinks; k++)
                    if (h.link[k].when < h.link[old].when)
                        old = k;
                h.link[old] = h.link[--h.nlinks];
            }
            i = h.nlinks++;
            h.link[i].bps = 0;
            str_copy(h.link[i].mirror, sizeof h.link[i].mirror, mirror);
        }
        double age = now - h.link[i].when;
        int kept = h.link[i].bps > 0 && age >= 0 && age <= FMT_HISTORY_MAX_AGE;
        if (!link_floor || !kept || link_bps > h.link[i].bps) {
            h.link[i].bps = rates_merge(h.link[i].bps, h.link[i].when, link_bps, now);
            h.link[i].when = now;
        }
    }
    if (busy_bps > 0 && isfinite(busy_bps) && cpu_bps > 0 && isfinite(cpu_bps)) {
        h.busy_bps[fmt] = rates_merge(h.busy_bps[fmt], h.decode_when[fmt], busy_bps, now);
        h.cpu_bps[fmt] = rates_merge(h.cpu_bps[fmt], h.decode_when[fmt], cpu_bps, now);
        h.decode_when[fmt] = now;
    }
    /* At most 2 + 32 lines of under 1.1 KiB each. */
    size_t cap = (size_t)(RATES_MAX_LINKS + 2) * 1152, len = 0;
    char *text = malloc(cap);
    if (!text)
        return -1;
    for (int f = 0; f < 2; f++)
        if (h.busy_bps[f] > 0)
            len += (size_t)snprintf(text + len, cap - len, "decode %s %.0f %.0f %.0f\n", fmt_name((fmt_kind)f),
                                    h.busy_bps[f], h.cpu_bps[f], h.decode_when[f]);
    for (int i = 0; i < h.nlinks; i++)
        len += (size_t)snprintf(text + len, cap - len, "link %.0f %.0f %s\n", h.link[i].bps, h.link[i].when,
                                h.link[i].mirror);
    int rc = len < cap ? fs_write_atomic(path, text, len, 0644) : -1;
    free(text);
    return rc;
}
