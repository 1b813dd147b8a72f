/* config.yaml (${XDG_CONFIG_HOME:-~/.config}/nodus/config.yaml), read with
 * libyaml. Precedence: flag over environment over config over default;
 * config_load runs before the environment is applied. */
#ifndef NODUS_CONFIG_H
#define NODUS_CONFIG_H
#include <stddef.h>
#include "ctx.h"
#include "shimconf.h" /* CONFIG_VALUE_MAX */

typedef enum { CFG_STRING, CFG_INT, CFG_BOOL, CFG_ENUM } cfg_type;

typedef struct {
    const char *key;
    cfg_type type;
    const char *choices; /* CFG_ENUM: "xz|gz" */
    const char *def;     /* default, as text */
    const char *help;
} cfg_key;

extern const cfg_key config_keys[];
const cfg_key *config_key(const char *name);
/* " (did you mean 'mirror'?)" for a key near name, else "": into buf. */
void config_key_hint(const char *name, char *buf, size_t n);

/* Apply the file to ctx. Returns 0 (also when there is no file), or -1 with
 * err as "FILE:LINE:COLUMN: what is wrong". */
int config_load(nodus_ctx *ctx, const char *path, char *err, size_t errlen);
/* Validate one value for a key (its length included); returns 0 or -1
 * with err. */
int config_check_value(const cfg_key *k, const char *value, char *err, size_t errlen);
/* The value a key has in the file (text), or NULL when unset. malloc'd. */
char *config_file_value(const char *path, const char *key);
#endif
