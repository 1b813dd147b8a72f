/* libFuzzer target for the release schedule and vulnerability database
 * parsers (src/schedule.c, src/vulns.c): both are fetched from URLs a
 * setting can point anywhere, so every byte is hostile. The first byte
 * picks the parser; the rest is the document. A failed parse must say why
 * and name the document; a successful one is judged the way ls, current
 * and audit use it, and every sentence must be plain printable text. */
#include "safety.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const VERSIONS[] = {"0.10.30", "18.20.8", "20.18.0", "22.11.0", "23.1.0", "24.0.0-rc.1",
                                       "999999.0.0"};
static const int DATES[] = {19700101, 20241201, 20261126, 99991231};

static void check_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < ' ' || *p == 0x7f)
            abort();
}

static void exercise(const safety_data *d)
{
    for (size_t i = 0; i < sizeof VERSIONS / sizeof VERSIONS[0]; i++) {
        semver_t v;
        if (semver_parse(VERSIONS[i], &v))
            abort();
        for (size_t k = 0; k < sizeof DATES / sizeof DATES[0]; k++) {
            safety_data dd = *d;
            dd.today = DATES[k];
            verdict_t vd;
            char line[1024];
            safety_judge(&dd, &v, &vd);
            if (vd.nvulns && (!vd.hits || vd.worst > SEV_CRITICAL))
                abort();
            verdict_sentence(&vd, line, sizeof line);
            check_text(line);
            if (verdict_flagged(&vd) != (line[0] != '\0'))
                abort();
            verdict_short(&vd, line, sizeof line);
            check_text(line);
            verdict_free(&vd);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int which = data[0] & 1;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    safety_data d = {0};
    char err[1024] = "";
    int rc = which ? vulns_parse(text, len, "doc.json", &d.db, err, sizeof err)
                   : schedule_parse(text, len, "doc.json", &d.sched, err, sizeof err);
    if (rc == 0) {
        d.have_db = which;
        d.have_sched = !which;
        exercise(&d);
        safety_free(&d);
    } else if (!strstr(err, "doc.json")) {
        abort(); /* a failure names the document */
    }
    return 0;
}
