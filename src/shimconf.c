#include "shimconf.h"
#include "msg.h"
#include "readfile.h"
#include "strutil.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The CLI reads up to 1 MiB of config; the shim only needs the top. */
#define SHIMCONF_MAX (1u << 20)

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
        /* Longer than the CLI accepts: none, as the CLI would not run with
         * it either (it reports it), rather than a path cut short. */
        if (strlen(value) > CONFIG_VALUE_MAX || str_copy(out->shared_dirs, sizeof out->shared_dirs, value))
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
        char *buf = NULL, why[128];
        const char *kind = NULL;
        int r = rf_read_at(AT_FDCWD, path, SHIMCONF_MAX, 0, &buf, NULL, &kind);
        if (r == RF_OK) {
            for (char *save = NULL, *line = strtok_r(buf, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
                apply_line(line, out);
        } else if (r != RF_MISSING) {
            /* Never a hang, and never a silent default: say why the
             * settings were not applied. */
            msg_warn("ignoring %s: %s", path, rf_why(r, kind, SHIMCONF_MAX, why, sizeof why));
        }
        free(buf);
    }
    const char *ai = getenv("NODUS_AUTO_INSTALL");
    if (ai && *ai)
        out->auto_install = str_bool(ai) == 1;
}
