/* readfile.h: every file nodus reads is opened without blocking and read
 * only when it is a regular file within its cap. */
#include "readfile.h"
#include "tap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char D[256];

static const char *at(const char *name)
{
    static char p[512];
    snprintf(p, sizeof p, "%s/%s", D, name);
    return p;
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(at(name), "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

int main(void)
{
    snprintf(D, sizeof D, "/tmp/nodus-test-readfile-XXXXXX");
    if (!mkdtemp(D))
        return 1;
    char *buf = NULL, small[8];
    size_t len = 0;
    const char *kind = NULL;

    put("ok", "22.11.0\n");
    is_int(rf_read_at(AT_FDCWD, at("ok"), 100, 0, &buf, &len, NULL), RF_OK, "a regular file is read");
    ok(buf && len == 8 && strcmp(buf, "22.11.0\n") == 0, "whole and NUL-terminated");
    free(buf);
    is_int(rf_read_at(AT_FDCWD, at("ok"), 7, 0, &buf, &len, NULL), RF_TOOBIG, "one byte over the cap: refused");
    ok(buf == NULL, "nothing is handed back");
    is_int(rf_read_at(AT_FDCWD, at("ok"), 8, 0, &buf, &len, NULL), RF_OK, "exactly the cap: read");
    free(buf);
    is_int(rf_read_at(AT_FDCWD, at("none"), 8, 0, &buf, &len, NULL), RF_MISSING, "missing");

    is_int(rf_read_small(at("ok"), small, sizeof small, 0, NULL), RF_TOOBIG, "a fixed buffer one byte short: refused");
    is_str(small, "", "and left empty, not cut");
    put("seven", "1234567");
    is_int(rf_read_small(at("seven"), small, sizeof small, 0, NULL), RF_OK, "a fixed buffer that fits");
    is_str(small, "1234567", "whole");

    if (mkfifo(at("fifo"), 0600) == 0) {
        is_int(rf_read_at(AT_FDCWD, at("fifo"), 100, 0, &buf, &len, &kind), RF_NOTFILE, "a FIFO: no hang, refused");
        is_str(kind, "a FIFO", "named as a FIFO");
        is_int(rf_read_small(at("fifo"), small, sizeof small, 0, NULL), RF_NOTFILE, "rf_read_small too");
        int code = 0;
        ok(rf_fopen(at("fifo"), 100, 0, &code, NULL) == NULL && code == RF_NOTFILE, "rf_fopen too");
    } else {
        ok(1, "# SKIP mkfifo: %s", strerror(errno));
    }
    mkdir(at("dir"), 0700);
    is_int(rf_read_at(AT_FDCWD, at("dir"), 100, 0, &buf, &len, &kind), RF_NOTFILE, "a directory is refused");
    is_str(kind, "a directory", "named as a directory");
    if (symlink("/dev/zero", at("zero")) == 0) {
        is_int(rf_read_at(AT_FDCWD, at("zero"), 100, 0, &buf, &len, &kind), RF_NOTFILE,
               "a link to /dev/zero: refused before any read");
        is_str(kind, "a character device", "named as a device");
    }
    if (symlink("ok", at("link")) == 0) {
        is_int(rf_read_at(AT_FDCWD, at("link"), 100, 0, &buf, &len, NULL), RF_OK, "a link is followed by default");
        free(buf);
        is_int(rf_read_at(AT_FDCWD, at("link"), 100, RF_NOFOLLOW, &buf, &len, &kind), RF_NOTFILE,
               "RF_NOFOLLOW refuses it");
    }
    char why[128];
    errno = 0;
    ok(strstr(rf_why(RF_NOTFILE, "a FIFO", 0, why, sizeof why), "it is a FIFO, not a regular file") != NULL,
       "rf_why: the file type");
    ok(strstr(rf_why(RF_TOOBIG, NULL, 4096, why, sizeof why), "larger than 4096 bytes") != NULL, "rf_why: the cap");

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", D);
    if (system(cmd) != 0)
        return 1;
    return tap_done();
}
