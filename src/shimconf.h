/* The two settings of config.yaml that change what a shim does
 * (auto_install, engines_node), read without libyaml: the shim links libc
 * only. Only top-level "key: value" lines are looked at; anything this
 * reader does not understand is ignored, so a broken config never stops a
 * shim (the CLI reports it with its line and column). libc only. */
#ifndef NODUS_SHIMCONF_H
#define NODUS_SHIMCONF_H
#include "paths.h"

/* The longest value a setting may have, in bytes, for the CLI (config.c)
 * and the shim alike: every field a string setting lands in holds it, so
 * none is ever cut, and a longer one is refused by both. */
#define CONFIG_VALUE_MAX 1023

typedef struct {
    int auto_install; /* install a missing version instead of failing */
    int no_engines;   /* ignore package.json engines.node */
    char shared_dirs[PATH_MAX]; /* shared_dirs (NODUS_SHARED_DIRS wins; see shared.h) */
} shimconf;

/* Defaults, then the file, then NODUS_AUTO_INSTALL. */
void shimconf_read(const nodus_paths *p, shimconf *out);
#endif
