/* "Did you mean ...?": the nearest of a set of known words to a mistyped
 * one, as git suggests the nearest command. */
#ifndef NODUS_SUGGEST_H
#define NODUS_SUGGEST_H
#include <stddef.h>

/* Collects candidates and keeps the nearest to word. */
typedef struct {
    const char *word;
    char best[64];
    size_t dist; /* of best; SIZE_MAX while there is none */
} suggest_t;

void suggest_init(suggest_t *s, const char *word);
void suggest_add(suggest_t *s, const char *cand);
/* Each word of a space-separated list. */
void suggest_add_words(suggest_t *s, const char *words);
/* The nearest candidate when it is near enough to be what was meant (at
 * most one edit for short words, two for longer ones; a swap of two
 * neighbouring letters is one edit), else NULL. */
const char *suggest_result(const suggest_t *s);

/* Edit distance with adjacent transpositions (optimal string alignment);
 * words longer than 63 bytes are never near anything (SIZE_MAX). */
size_t suggest_distance(const char *a, const char *b);

/* The option words (--x, -x) a command knows: its usage line, the options
 * its help text describes, and the global ones. */
void suggest_add_options(suggest_t *s, const char *cmd);

/* "'isntall' is not a nodus command; did you mean 'install'?" (or, for a
 * word starting with '-', the same about the global options), on stderr.
 * Returns EXIT_USAGE. */
int suggest_unknown_command(const char *name);
#endif
