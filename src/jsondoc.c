#include "jsondoc.h"
#include "strutil.h"

json_t *jsondoc_object(const char *json, size_t len, const char *name, size_t min, size_t max, const char *what,
                       char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        str_fmt(err, errlen, "%s: not valid JSON (line %d: %.100s)", name, je.line, je.text);
        return NULL;
    }
    size_t n = json_is_object(root) ? json_object_size(root) : 0;
    if (!json_is_object(root) || n < min || n > max) {
        str_fmt(err, errlen, "%s: not %s", name, what);
        json_decref(root);
        return NULL;
    }
    return root;
}
