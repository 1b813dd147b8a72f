/* Filesystem helpers for the CLI: every write that must survive a crash goes
 * through fs_write_atomic (temp file, fsync, rename). */
#ifndef NODUS_FSUTIL_H
#define NODUS_FSUTIL_H
#include <stddef.h>
#include <sys/types.h>

/* mkdir -p with mode 0755. Returns 0 or -1 (errno set). */
int fs_mkdir_p(const char *path);
/* rm -rf without following symlinks; directories the owner may not write
 * are made writable first. Returns 0 or -1 (errno set). A missing path is
 * success. */
int fs_rm_rf(const char *path);
/* Write data to path atomically: a temp file in the same directory, fsync,
 * rename, fsync of the directory. Returns 0 or -1 (errno set). */
/* All of data to fd, through short writes and EINTR. Returns 0 or -1 (errno). */
int fs_write_all(int fd, const void *data, size_t len);
int fs_write_atomic(const char *path, const void *data, size_t len, mode_t mode);
/* Read a whole file (at most max bytes) into a malloc'd NUL-terminated
 * buffer. Returns it, or NULL (errno set; EFBIG when larger than max). */
char *fs_read_file(const char *path, size_t max, size_t *len);
/* fs_read_file, with err the sentence "PATH: cannot read: why" on failure. */
char *fs_read_doc(const char *path, size_t max, size_t *len, char *err, size_t errlen);
/* fsync a directory so a rename in it is durable. */
int fs_sync_dir(const char *dir);
int fs_is_dir(const char *path);
int fs_exists(const char *path);
#endif
