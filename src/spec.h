/* Version specs: what a user or a version file asks for. libc only.
 *
 *   22.11.0 v22.11.0 22 22.11 ^20.1 ">=18 <21" "20.x || 22.x"  -> SPEC_RANGE
 *   lts, lts/(star)                                             -> SPEC_LTS_ANY
 *   lts/iron (any case)                                         -> SPEC_LTS_NAME
 *   lts/-1                                                      -> SPEC_LTS_BACK
 *   latest current node stable                                  -> SPEC_LATEST
 *   system                                                      -> SPEC_SYSTEM
 *   a name (letters, digits, - _ .) that is none of the above   -> SPEC_ALIAS
 */
#ifndef NODUS_SPEC_H
#define NODUS_SPEC_H
#include <stddef.h>
#include "semver.h"
#include "vlist.h"

typedef enum {
    SPEC_RANGE,
    SPEC_LTS_ANY,
    SPEC_LTS_NAME,
    SPEC_LTS_BACK,
    SPEC_LATEST,
    SPEC_SYSTEM,
    SPEC_ALIAS
} spec_kind;

#define SPEC_TEXT_MAX 256

typedef struct {
    spec_kind kind;
    char text[SPEC_TEXT_MAX]; /* as given, trimmed */
    char name[64];            /* LTS codename (lower case) or alias name */
    unsigned back;            /* lts/-N */
    semver_range_t *range;    /* SPEC_RANGE; owned, freed by spec_free */
} spec_t;

/* Returns 0, or -1 with err saying what is wrong with the spec. */
int spec_parse(const char *s, spec_t *out, char *err, size_t errlen);
void spec_free(spec_t *s);

/* The best entry of a newest-first list for the spec: the highest version
 * that satisfies it. LTS specs are answered with the table (lts lines may be
 * empty for a list of installed versions when the index was never fetched:
 * then LTS specs match nothing). Returns the position in l, or -1.
 * SPEC_SYSTEM and SPEC_ALIAS never match (the caller resolves them). */
long spec_pick(const spec_t *s, const vlist_t *l, const lts_table *lts);
/* Whether one version satisfies the spec (same rules as spec_pick). */
int spec_matches(const spec_t *s, const vent_t *e, const vlist_t *l, const lts_table *lts);

/* "v22.11.0" from a version; buf must hold SEMVER_PRE_MAX + 64. */
void spec_vname(const semver_t *v, char *buf, size_t n);

#endif
