#include "projects.h"
#include "fsutil.h"
#include "strutil.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROJECTS_FILE_MAX (PROJECTS_MAX * (PATH_MAX + 1))

void projects_free(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(list[i]);
    free(list);
}

int projects_list(const nodus_paths *p, char ***out, size_t *n)
{
    char path[PATH_MAX];
    *out = NULL;
    *n = 0;
    if (path_projects(p, path, sizeof path))
        return -1;
    size_t len = 0;
    char *text = fs_read_file(path, PROJECTS_FILE_MAX, &len);
    if (!text)
        return fs_exists(path) ? -1 : 0;
    char **list = calloc(PROJECTS_MAX, sizeof *list);
    if (!list) {
        free(text);
        return -1;
    }
    size_t k = 0;
    for (char *line = text, *next; line && *line && k < PROJECTS_MAX; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        /* Only absolute paths without control characters: the file is
         * ours, but it sits in a directory others may have touched. */
        int good = line[0] == '/' && strlen(line) < PATH_MAX;
        for (const char *c = line; good && *c; c++)
            good = (unsigned char)*c >= ' ' && *c != 0x7f;
        if (good && !(list[k++] = strdup(line))) {
            projects_free(list, k - 1);
            free(text);
            return -1;
        }
    }
    free(text);
    *out = list;
    *n = k;
    return 0;
}

int projects_note(const nodus_paths *p, const char *file)
{
    char abs[PATH_MAX], path[PATH_MAX];
    if (file[0] == '/') {
        if (str_copy(abs, sizeof abs, file))
            return -1;
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd) || str_fmt(abs, sizeof abs, "%s/%s", cwd, file))
            return -1;
    }
    for (const char *c = abs; *c; c++)
        if ((unsigned char)*c < ' ' || *c == 0x7f)
            return -1; /* one path per line: a newline in a name cannot be kept */
    if (path_projects(p, path, sizeof path))
        return -1;
    char **list;
    size_t n;
    if (projects_list(p, &list, &n))
        return -1;
    size_t cap = strlen(abs) + 2, used = 0;
    for (size_t i = 0; i < n; i++)
        cap += strlen(list[i]) + 1;
    char *text = malloc(cap);
    if (!text) {
        projects_free(list, n);
        return -1;
    }
    used += (size_t)sprintf(text, "%s\n", abs);
    size_t kept = 1;
    for (size_t i = 0; i < n && kept < PROJECTS_MAX; i++) {
        if (strcmp(list[i], abs) == 0 || !fs_exists(list[i]))
            continue;
        used += (size_t)sprintf(text + used, "%s\n", list[i]);
        kept++;
    }
    projects_free(list, n);
    int rc = fs_mkdir_p(p->home) == 0 && fs_write_atomic(path, text, used, 0644) == 0 ? 0 : -1;
    free(text);
    return rc;
}
