/* --json output that is safe on a terminal as well as valid JSON.
 *
 * jansson escapes the controls below 0x20, but writes DEL, the C1 controls
 * (U+0080..U+009F) and the bidi overrides as raw bytes: a field from the
 * mirror could still drive the terminal of whoever reads the output. These
 * are written as \uXXXX escapes as well; since they can only occur inside
 * JSON strings, the result is the same JSON value. */
#ifndef NODUS_JSONOUT_H
#define NODUS_JSONOUT_H
#include <jansson.h>
#include <stdio.h>

/* v, indented by 2, then a newline, to f. Returns 0 or -1. */
int json_print(FILE *f, const json_t *v);

/* A long array printed one element at a time (so that no tree of the whole
 * list is built): json_list_begin, json_list_item per element (it takes v
 * and frees it), json_list_end. */
typedef struct {
    FILE *f;
    size_t n;
    int failed;
} json_list;
void json_list_begin(json_list *l, FILE *f);
void json_list_item(json_list *l, json_t *v);
int json_list_end(json_list *l);

#endif
