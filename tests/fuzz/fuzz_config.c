/* libFuzzer target for the config parser (src/config.c, libyaml
 * underneath): config.yaml is the user's own file, but it is also what a
 * dotfiles repository or an installer script may write, and a broken one
 * must give an error message, never a crash. config_load needs a path, so
 * each input is written to a memfd and read back through /proc/self/fd.
 * After the load, every string setting must be NUL-terminated inside its
 * buffer, the mirror (if set) must be an http(s) URL without a trailing
 * slash, and config_file_value must cope with the same file for every key. */
#include "config.h"
#include "ctx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fd = memfd_create("fuzz-config", 0);
    if (fd < 0) {
        perror("memfd_create");
        abort();
    }
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static nodus_ctx ctx; /* large: keep it off the stack */
    char err[1024];
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        return 0;
    memset(&ctx, 0, sizeof ctx);
    memset(err, 0x5a, sizeof err);
    int rc = config_load(&ctx, path, err, sizeof err);
    if (rc != 0 && (!memchr(err, '\0', sizeof err) || !strstr(err, path)))
        abort(); /* an error names the file */
    if (!memchr(ctx.mirror, '\0', sizeof ctx.mirror) || !memchr(ctx.keys_dir, '\0', sizeof ctx.keys_dir) ||
        !memchr(ctx.ca_file, '\0', sizeof ctx.ca_file))
        abort();
    size_t ml = strlen(ctx.mirror);
    if (ml && ((strncmp(ctx.mirror, "http://", 7) && strncmp(ctx.mirror, "https://", 8)) ||
               ctx.mirror[ml - 1] == '/'))
        abort();
    for (const cfg_key *k = config_keys; k->key; k++) {
        char *v = config_file_value(path, k->key);
        if (v) {
            char why[512];
            (void)config_check_value(k, v, why, sizeof why);
        }
        free(v);
    }
    return 0;
}
