/* The context every CLI command receives: settings from flags, environment
 * and config, and the paths. The only mutable state nodus has. */
#ifndef NODUS_CTX_H
#define NODUS_CTX_H
#include <limits.h>
#include "paths.h"

#define NODUS_VERSION_STR "0.1.0"
#define DEFAULT_MIRROR "https://nodejs.org/dist"

typedef struct nodus_ctx {
    nodus_paths paths;
    char mirror[1024];      /* no trailing slash */
    char schedule_url[1024];/* release schedule; "off": none (safety.h) */
    char vulns_url[1024];   /* vulnerability database; "off": none */
    long index_ttl;         /* seconds */
    int offline;            /* --offline: never touch the network */
    int quiet;              /* --quiet: no notes, no progress */
    int json;               /* --json */
    int color;              /* colour on stdout */
    int color_mode;         /* config: 1 always, -1 never, 0 auto */
    int no_verify;          /* config verify_signatures: false */
    char ca_file[PATH_MAX]; /* config ca_file */
    char config_error[1024];/* a bad config file: reported by commands, never fatal to the shim */
    int progress;           /* a progress bar on stderr */
    struct progress_slot *progress_slot; /* in a child of a parallel install: where its progress goes */
    int link_shared;        /* other downloads share the link (install -j): its rate is not this mirror's */
    int prefer_gz;          /* archive format: gz instead of xz */
    int format_auto;        /* archive_format: auto (the default): chosen per install, fmtchoice.c */
    int verbose;            /* --verbose: say why (the archive format chosen) */
    int no_engines;         /* package.json engines.node ignored */
    int auto_install;       /* shims install a missing version */
    int allow_unsigned;     /* a mirror without signatures is accepted */
    char keys_dir[PATH_MAX];/* extra release keys */
    unsigned long long max_extract_bytes;   /* what one release may unpack: file bytes */
    unsigned long long max_extract_entries; /* and tarball entries */
    unsigned long long download_cache_max;  /* bytes of verified tarballs kept in the cache */
    char platform[64];      /* "linux-x64", from uname or NODUS_PLATFORM */
    char self_dir[PATH_MAX];/* where the nodus binary is */
    char config_file[PATH_MAX];
    char **argv;            /* the command line as given (for nodus-core) */
} nodus_ctx;

/* One of nodus's own programs (nodus-shim, nodus-core): the absolute path
 * in the environment variable env when set, else beside the running binary
 * (build tree, or both in libexec/nodus), else in ../libexec/nodus
 * (installed nodus in bin/). Returns 0 with the real path, or -1. */
int ctx_program(const nodus_ctx *ctx, const char *env, const char *name, char *out, size_t n);

/* Fill ctx from environment (and config). Returns 0 or an exit status. */
int ctx_init(nodus_ctx *ctx, const char *argv0);

#endif
