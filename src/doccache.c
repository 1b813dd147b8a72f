#include "doccache.h"
#include "fsutil.h"
#include "strutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int doc_meta_read(const char *path, doc_meta *m)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    char line[2300];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (str_starts(line, "url="))
            str_copy(m->url, sizeof m->url, line + 4);
        else if (str_starts(line, "etag="))
            str_copy(m->etag, sizeof m->etag, line + 5);
        else if (str_starts(line, "last_modified="))
            str_copy(m->last_modified, sizeof m->last_modified, line + 14);
        else if (str_starts(line, "fetched="))
            m->fetched = (time_t)strtoll(line + 8, NULL, 10);
    }
    fclose(f);
    return 0;
}

int doc_meta_write(const char *path, const doc_meta *m)
{
    char buf[3000];
    int n = snprintf(buf, sizeof buf, "url=%s\netag=%s\nlast_modified=%s\nfetched=%lld\n", m->url, m->etag,
                     m->last_modified, (long long)m->fetched);
    if (n < 0 || (size_t)n >= sizeof buf)
        return -1;
    return fs_write_atomic(path, buf, (size_t)n, 0644);
}

int doc_cached(const nodus_paths *p, const char *leaf, const char *meta_leaf, const char *url, char *path,
               size_t n, doc_meta *m)
{
    char metap[PATH_MAX];
    doc_meta local;
    if (!m)
        m = &local;
    if (path_cache_doc(p, leaf, path, n) || path_cache_doc(p, meta_leaf, metap, sizeof metap))
        return -1;
    if (doc_meta_read(metap, m) != 0 || strcmp(m->url, url) != 0 || !fs_exists(path))
        return -1;
    return 0;
}
