/* The tree a release tarball builds, as far as it has been extracted, so
 * that every entry is judged by its effect in that tree rather than by its
 * text (entry_check judges the text first):
 *
 * - no entry is written below a symlink of the tree;
 * - a symlink's target is walked component by component from the link's
 *   directory, and refused when it passes through a symlink of the tree
 *   (lexical ".." after a symlink is where a link escapes); every name it
 *   passes through is remembered, and a symlink arriving later at such a
 *   name is refused too, so the order of the entries does not matter;
 * - a hard link must name a regular file extracted before it (never a
 *   symlink, which would land at another depth, nor a directory);
 * - an entry never replaces an earlier one of another kind (a directory
 *   replaced by a symlink), nor a link;
 * - what one release may write is capped: bytes of file data and number
 *   of entries, because the tarball is extracted before its checksum is
 *   known.
 * With these, every symlink of the tree resolves where its text says, and
 * that is inside the version directory; nodedir_links_inside checks the
 * result once more on disk. */
#ifndef NODUS_ENTTREE_H
#define NODUS_ENTTREE_H
#include <stddef.h>
#include <stdint.h>
#include "entrypolicy.h"

typedef struct ent_tree ent_tree;

/* Defaults of the caps (config max_extract_bytes, max_extract_entries). */
#define ENT_MAX_BYTES_DEFAULT (1ull << 30)
#define ENT_MAX_ENTRIES_DEFAULT 100000ull

enum { ENT_CAPPED = -2 };

ent_tree *ent_tree_new(uint64_t max_bytes, uint64_t max_entries);
void ent_tree_free(ent_tree *t);

/* Judge the entry at rel (a path inside the version directory, as
 * entry_check gives it) against the tree so far, and record it. link: the
 * symlink's text, or the hard link's target inside the version directory
 * (entry_check's link_rel). size: bytes of data the entry carries.
 * Returns ENT_ACCEPT, ENT_REJECT with why (what is wrong, naming the other
 * entry involved), or ENT_CAPPED with why (which cap, and its setting). */
int ent_tree_add(ent_tree *t, const char *rel, ent_type type, const char *link, int64_t size, char *why,
                 size_t whyn);

/* Totals so far. */
uint64_t ent_tree_bytes(const ent_tree *t);
uint64_t ent_tree_entries(const ent_tree *t);
#endif
