/* A JSON document from outside (the release schedule, the vulnerability
 * database): loaded with duplicate keys refused, and required to be an
 * object of a bounded number of members before anything reads it. */
#ifndef NODUS_JSONDOC_H
#define NODUS_JSONDOC_H
#include <jansson.h>
#include <stddef.h>

/* The root object of json[0..len) with min..max members, or NULL with err:
 * "NAME: not valid JSON (line L: ...)" or "NAME: not WHAT". The caller
 * owns the root (json_decref). */
json_t *jsondoc_object(const char *json, size_t len, const char *name, size_t min, size_t max, const char *what,
                       char *err, size_t errlen);
#endif
