#include "shimconf.h"
#include "strutil.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHIMCONF_MAX 65536

static void apply_line(char *line, shimconf *out)
{
    if (line[0] == ' ' || line[0] == '\t' || line[0] == '#')
        return; /* not a top-level key */
    char *colon = strchr(line, ':');
    if (!colon)
        return;
    *colon = '\0';
    char *value = colon + 1, *hash = strstr(value, " #");
    if (hash)
        *hash = '\0';
    str_trim(line);
    str_trim(value);
    size_t vl = strlen(value);
    if (vl >= 2 && (value[0] == '"' || value[0] == '\'') && value[vl - 1] == value[0]) {
        value[vl - 1] = '\0';
        value++;
    }
    if (strcmp(line, "shared_dirs") == 0) {
        /* Too long: none, rather than a path cut short. */
        if (str_copy(out->shared_dirs, sizeof out->shared_dirs, value))
            out->shared_dirs[0] = '\0';
        return;
    }
    int b = str_bool(value);
    if (b < 0)
        return;
    if (strcmp(line, "auto_install") == 0)
        out->auto_install = b;
    else if (strcmp(line, "engines_node") == 0)
        out->no_engines = !b;
}

void shimconf_read(const nodus_paths *p, shimconf *out)
{
    out->auto_install = 0;
    out->no_engines = 0;
    out->shared_dirs[0] = '\0';
    char path[PATH_MAX];
    if (str_fmt(path, sizeof path, "%s/config.yaml", p->config) == 0) {
        int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
        if (fd >= 0) {
            char *buf = malloc(SHIMCONF_MAX + 1);
            ssize_t n = buf ? read(fd, buf, SHIMCONF_MAX) : -1;
            close(fd);
            if (n > 0) {
                buf[n] = '\0';
                for (char *save = NULL, *line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
                    apply_line(line, out);
            }
            free(buf);
        }
    }
    const char *ai = getenv("NODUS_AUTO_INSTALL");
    if (ai && *ai)
        out->auto_install = str_bool(ai) == 1;
}
