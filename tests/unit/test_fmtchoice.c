/* archive_format: auto. A fake history chooses each format; the rate
 * history file merges, ages, survives garbage and forgets old mirrors. */
#include "fmtchoice.h"
#include "rates.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static fmt_inputs idle(double link)
{
    fmt_inputs in = {0};
    in.link_bps = link;
    in.link_age = 60;
    in.busy_bps[FMT_XZ] = 15e6;
    in.cpu_bps[FMT_XZ] = 11e6;
    in.busy_bps[FMT_GZ] = 60e6;
    in.cpu_bps[FMT_GZ] = 35e6;
    in.probe_seconds = -1;
    in.cores = 2;
    in.load = 0;
    return in;
}

static void choices(void)
{
    fmt_choice c;
    fmt_inputs in = idle(1e9); /* 8 Gbit/s: the xz decoder is the bottleneck */
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "gz", "a loopback-fast link picks gz");
    ok(strstr(c.reason, "measured to this mirror") != NULL, "the reason says the link was measured: %s", c.reason);
    in = idle(12.5e6); /* 100 Mbit/s: the link is the bottleneck for both */
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "100 Mbit/s picks xz (the smaller download)");
    in = idle(2.5e6);
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "20 Mbit/s picks xz");
    ok(c.est[FMT_GZ] > 1.6 * c.est[FMT_XZ], "at 20 Mbit/s gz is expected to take 1.7x as long");

    /* The crossover sits where the link outruns the xz decoder by the
     * size ratio: between 15 and 15 * 1.7 MB/s here. */
    in = idle(20e6);
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "20 MB/s: still xz");
    in = idle(30e6);
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "gz", "30 MB/s: gz");

    /* A machine 10x busier than it has cores: CPU time decides even on a
     * moderate link. */
    in = idle(12.5e6);
    in.load = 19;
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "gz", "under load 19 on 2 cores, gz (less CPU) at 100 Mbit/s");
    ok(c.share > 0.09 && c.share < 0.11, "each thread expects a tenth of a core (%.3f)", c.share);
    in.link_bps = 0.5e6; /* 4 Mbit/s: the link again */
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "under load at 4 Mbit/s, still xz");

    /* A machine with a fast xz decoder (measured) keeps xz on a fast link. */
    in = idle(40e6);
    in.busy_bps[FMT_XZ] = 80e6;
    in.cpu_bps[FMT_XZ] = 60e6;
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "a measured fast xz decoder keeps xz at 40 MB/s");

    /* No history: the probe decides. */
    in = idle(0);
    in.probe_seconds = 0.003;
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "gz", "no history, a mirror that answered in 3 ms: gz");
    ok(strstr(c.reason, "no history") != NULL, "the reason says so: %s", c.reason);
    in.probe_seconds = 0.2;
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "no history, a mirror 200 ms away: xz");
    in.probe_seconds = -1;
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "nothing known at all: xz");
    in = idle(1e9);
    in.link_age = FMT_HISTORY_MAX_AGE + 1;
    in.probe_seconds = 0.2;
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "xz", "a measurement older than 30 days is not trusted");
    in = idle(1e9);
    in.busy_bps[FMT_XZ] = in.cpu_bps[FMT_XZ] = 0;
    in.busy_bps[FMT_GZ] = in.cpu_bps[FMT_GZ] = 0;
    fmt_choose(&in, &c);
    is_str(fmt_name(c.fmt), "gz", "unmeasured decoders use the defaults");
}

static void merge(void)
{
    ok(rates_merge(0, 0, 5e6, 1000) == 5e6, "no old rate: the new one");
    double r = rates_merge(10e6, 1000, 2e6, 1000);
    ok(r > 5.9e6 && r < 6.1e6, "a fresh old rate weighs half (%.0f)", r);
    r = rates_merge(10e6, 1000, 2e6, 1000 + 7 * 86400);
    ok(r > 2e6 && r < 2.6e6, "a week-old rate weighs little (%.0f)", r);
    ok(rates_merge(10e6, 1000, 2e6, 1000 + FMT_HISTORY_MAX_AGE + 1) == 2e6, "past 30 days: forgotten");
    r = rates_merge(10e6, 5000, 2e6, 1000);
    ok(r > 5.9e6 && r < 6.1e6, "a clock that went back counts as fresh (%.0f)", r);
}

static char *slurp(const char *path)
{
    static char buf[65536];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void history_file(void)
{
    char dir[] = "/tmp/nodus-rates-XXXXXX", path[256];
    ok(mkdtemp(dir) != NULL, "a temporary directory");
    snprintf(path, sizeof path, "%s/rates", dir);
    fmt_inputs in = {0};
    rates_load(path, "http://m", 1000, &in);
    ok(in.link_bps == 0 && in.busy_bps[FMT_XZ] == 0, "no file: no history");

    ok(rates_record(path, "http://m", 4e6, 0, FMT_XZ, 15e6, 10e6, 1000) == 0, "record a first download");
    ok(rates_record(path, "http://other", 90e6, 0, FMT_GZ, 50e6, 30e6, 1100) == 0, "and one from another mirror");
    rates_load(path, "http://m", 1060, &in);
    ok(in.link_bps == 4e6 && in.link_age == 60, "the mirror's own rate and its age");
    ok(in.busy_bps[FMT_XZ] == 15e6 && in.cpu_bps[FMT_XZ] == 10e6, "the xz pipeline rates");
    ok(in.busy_bps[FMT_GZ] == 50e6, "the gz pipeline rate is per machine, not per mirror");
    rates_load(path, "http://unknown", 1060, &in);
    ok(in.link_bps == 0, "another mirror has no link rate");

    ok(rates_record(path, "http://m", 8e6, 0, FMT_XZ, 0, 0, 1000) == 0, "a second download, right away");
    rates_load(path, "http://m", 1000, &in);
    ok(in.link_bps == 6e6, "merged half and half (%.0f)", in.link_bps);
    ok(in.busy_bps[FMT_XZ] == 15e6, "no decoder sample leaves the decoder rate alone");

    ok(rates_record(path, "http://a b", 8e6, 0, FMT_XZ, 0, 0, 1000) == -1, "a mirror with a blank is not recorded");

    /* A floor (the decoder set the pace) raises a lower rate, never lowers
     * a higher one: 14 MB/s through a link known to carry 60 stays 60, and
     * the inflated figure such a download would measure is not recorded. */
    ok(rates_record(path, "http://f", 60e6, 0, FMT_GZ, 0, 0, 1000) == 0, "a link-paced rate");
    ok(rates_record(path, "http://f", 14e6, 1, FMT_XZ, 0, 0, 1010) == 0, "a floor below it");
    rates_load(path, "http://f", 1010, &in);
    ok(in.link_bps == 60e6 && in.link_age == 10, "the floor leaves it, and its age (%.0f, %.0f)", in.link_bps,
       in.link_age);
    ok(rates_record(path, "http://f", 100e6, 1, FMT_GZ, 0, 0, 1020) == 0, "a floor above it");
    rates_load(path, "http://f", 1020, &in);
    ok(in.link_bps > 79.9e6 && in.link_bps < 80.1e6, "raises it, merged (%.0f)", in.link_bps);
    ok(rates_record(path, "http://g", 14e6, 1, FMT_XZ, 0, 0, 1000) == 0, "a floor with no history");
    rates_load(path, "http://g", 1000, &in);
    ok(in.link_bps == 14e6, "is the best there is");
    ok(rates_record(path, "http://g", 3e6, 0, FMT_GZ, 0, 0, 1000) == 0, "a link-paced rate below a floor");
    rates_load(path, "http://g", 1000, &in);
    ok(in.link_bps == 8.5e6, "lowers it: the link slowed down (%.0f)", in.link_bps);

    FILE *f = fopen(path, "w");
    fputs("garbage\nlink nan 5 http://m\nlink 5e6 -3 http://m\ndecode zz 1 1 1\ndecode xz 1e6\n"
          "link 7000000 1000 http://m\n", f);
    fclose(f);
    rates_load(path, "http://m", 1000, &in);
    ok(in.link_bps == 7e6, "garbled lines are skipped, the good one read");
    ok(in.busy_bps[FMT_XZ] == 0, "a short decode line is skipped");

    for (int i = 0; i < RATES_MAX_LINKS + 5; i++) {
        char m[64];
        snprintf(m, sizeof m, "http://mirror%d", i);
        rates_record(path, m, 1e6 + i, 0, FMT_XZ, 0, 0, 2000 + i);
    }
    rates_load(path, "http://mirror0", 3000, &in);
    ok(in.link_bps == 0, "the oldest mirrors are forgotten past %d", RATES_MAX_LINKS);
    rates_load(path, "http://mirror36", 3000, &in);
    ok(in.link_bps == 1e6 + 36, "the newest is kept");
    char *text = slurp(path);
    int lines = 0;
    for (char *c = text; c && *c; c++)
        lines += *c == '\n';
    ok(lines == RATES_MAX_LINKS, "the file holds %d lines", lines);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    choices();
    merge();
    history_file();
    return tap_done();
}
