/* nodus-shim: every shim (node, npm, npx, corepack, global package
 * binaries) is this program under another name. It links libc only and does
 * the least it can before execv: find what asks for a version, map it to an
 * installed version, exec that version's binary. No network, no index. */
#include "msg.h"
#include "paths.h"
#include "platform_compat.h"
#include "resolve.h"
#include "shimconf.h"
#include "strutil.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *base_name(const char *s)
{
    const char *slash = strrchr(s, '/');
    return slash ? slash + 1 : s;
}

/* npm install -g / uninstall -g changes the set of global binaries; only
 * then does the shim wait for npm and refresh the shims. */
static int is_global_npm_change(const char *cmd, int argc, char **argv)
{
    static const char *const verbs[] = {"install", "i", "add", "isntall", "in", "uninstall", "un", "remove",
                                        "rm", "r", "unlink", "update", "up", "upgrade", "link", "ln", NULL};
    if (strcmp(cmd, "npm") != 0)
        return 0;
    int global = 0, verb = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-g") == 0 || strcmp(a, "--global") == 0 || strcmp(a, "--location=global") == 0)
            global = 1;
        else if (a[0] != '-' && !verb)
            for (int k = 0; verbs[k]; k++)
                if (strcmp(a, verbs[k]) == 0)
                    verb = 1;
    }
    return global && verb;
}

/* Run the nodus CLI (beside this binary, or in ../../bin when installed
 * under libexec/nodus) with args, and wait. Returns its exit status, or -1
 * when it cannot be found. */
static int run_cli(char *const args[])
{
    char self[PATH_MAX], cli[PATH_MAX + 32];
    const char *cands[] = {"nodus", "../../bin/nodus", NULL};
    if (compat_self_exe(self, sizeof self) <= 0)
        return -1;
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    for (int i = 0; cands[i]; i++) {
        if (str_fmt(cli, sizeof cli, "%s/%s", self, cands[i]) != 0 || access(cli, X_OK) != 0)
            continue;
        pid_t pid = fork();
        if (pid == 0) {
            execv(cli, args);
            _exit(127);
        }
        int status = 0;
        if (pid < 0)
            return -1;
        while (waitpid(pid, &status, 0) < 0)
            if (errno != EINTR)
                return -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    return -1;
}

static void run_reshim(void)
{
    char *args[] = {"nodus", "reshim", NULL};
    if (run_cli(args) < 0)
        msg_warn("could not find the nodus program to refresh the shims; run 'nodus reshim'");
}

static int spawn_then_reshim(const char *target, char **argv)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(target, argv);
        _exit(errno == ENOENT ? EXIT_SHIM_NOTFOUND : EXIT_SHIM_NOEXEC);
    }
    /* Like system(): the terminal's signals reach npm; we only wait. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    run_reshim();
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
    }
    exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* "; v20.18.0 and v22.11.0 have it": which installed versions ship cmd,
 * for the message when the active one does not. */
static void versions_having(const nodus_paths *p, const char *cmd, char *buf, size_t n)
{
    char vdir[PATH_MAX], rel[NAME_MAX + 16 + NAME_MAX];
    buf[0] = '\0';
    if (path_versions(p, vdir, sizeof vdir))
        return;
    DIR *d = opendir(vdir);
    if (!d)
        return;
    size_t len = 0, more = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] != 'v' || str_fmt(rel, sizeof rel, "%s/bin/%s", de->d_name, cmd) ||
            faccessat(dirfd(d), rel, X_OK, 0) != 0)
            continue;
        int w = snprintf(buf + len, n - len, "%s%s", len ? ", " : "; installed versions that have it: ",
                         de->d_name);
        if (w < 0 || (size_t)w >= n - len - 24) {
            buf[len] = '\0'; /* no room: counted below instead of cut */
            more++;
        } else
            len += (size_t)w;
    }
    closedir(d);
    if (more && len)
        snprintf(buf + len, n - len, " and %zu more", more);
}

static int exec_failed(const nodus_paths *p, const char *cmd, const char *target, const char *vname,
                       const res_request *req)
{
    int e = errno;
    char from[PATH_MAX + 32];
    resolve_describe(req, from, sizeof from);
    if ((e == ENOENT || e == ENOTDIR) && strcmp(vname, "system") != 0) {
        /* The version was there when it was chosen; if its bin/ is gone
         * now, an uninstall took it in between, and "not part of" would be
         * the wrong story. */
        char bin[PATH_MAX];
        struct stat st;
        char *slash;
        if (str_copy(bin, sizeof bin, target) == 0 && (slash = strrchr(bin, '/')) != NULL) {
            *slash = '\0';
            if (stat(bin, &st) != 0 && errno == ENOENT) {
                msg_err("node %s was uninstalled just as %s was starting (chosen by %s); install it again, "
                        "or choose another version", vname, cmd, from);
                return EXIT_NOT_INSTALLED;
            }
        }
    }
    if (e == ENOENT || e == ENOTDIR) {
        semver_t v;
        if (strcmp(cmd, "corepack") == 0 && semver_parse(vname, &v) == 0 && v.major >= 25)
            msg_err("corepack is not part of node %s (node 25 and later ship without it; chosen by %s); "
                    "install it with 'npm install -g corepack'", vname, from);
        else {
            char have[512];
            versions_having(p, cmd, have, sizeof have);
            msg_err("%s is not part of node %s (chosen by %s), and there is no other %s on PATH%s; install it, "
                    "or choose another version", cmd, vname, from, cmd, have);
        }
        return EXIT_SHIM_NOTFOUND;
    }
    msg_err("cannot run %s: %s", target, strerror(e));
    return EXIT_SHIM_NOEXEC;
}

/* The active version has no cmd (a global package of another version, or a
 * tool only some versions ship): step aside, as if this shim were not on
 * PATH, to the next cmd on the caller's PATH. Only after execv failed, so
 * the normal path pays nothing. NODUS_SHIM_SEEN keeps two nodus installs'
 * shims from handing the call to each other for ever. Returns only when
 * there is no such command (errno ENOENT) or it cannot be run. */
static int fall_through(const char *cmd, const char *shims, const struct stat *self, const char *path0,
                        char **argv)
{
    char next[PATH_MAX];
    if (path0 && setenv("PATH", path0, 1) != 0)
        return -1;
    if (resolve_system_cmd(cmd, shims, self, next, sizeof next) != 0) {
        errno = ENOENT;
        return -1;
    }
    if (self->st_ino)
        resolve_mark_seen(self);
    execv(next, argv);
    msg_err("cannot run %s (the next %s on PATH, as node's version has none): %s", next, cmd, strerror(errno));
    exit(EXIT_SHIM_NOEXEC);
}

int main(int argc, char **argv)
{
    const char *cmd = base_name(argc > 0 && argv[0] ? argv[0] : "");
    if (!cmd[0] || strcmp(cmd, "nodus-shim") == 0) {
        msg_err("nodus-shim runs as a shim named node, npm, npx...; run 'nodus reshim' to create them");
        return EXIT_USAGE;
    }
    /* The PATH this shim was called with. setenv replaces the variable
     * with a new string and leaves the one the kernel put on the stack as
     * it was (glibc and musl both), so no copy is needed on the normal path. */
    const char *path0 = getenv("PATH");
    nodus_paths p;
    char err[1024];
    if (paths_init(&p, err, sizeof err)) {
        msg_err("%s", err);
        return EXIT_FAIL;
    }
    shimconf conf;
    shimconf_read(&p, &conf);
    if (!getenv("NODUS_SHARED_DIRS"))
        str_copy(p.shared, sizeof p.shared, conf.shared_dirs);
    res_request req;
    if (!resolve_request(&p, NULL, conf.no_engines ? VF_NO_ENGINES : 0, resolve_warn_print, NULL, &req)) {
        msg_err("no node version is selected here; run 'nodus install --lts' and 'nodus default lts/*', "
                "or add a .node-version file to the project");
        return EXIT_NOT_INSTALLED;
    }
    char shims[PATH_MAX], target[PATH_MAX];
    struct stat self;
    if (path_shims(&p, shims, sizeof shims) || compat_stat_self(&self) != 0)
        memset(&self, 0, sizeof self);
    resolution res;
    int r = resolve_installed(&p, &req, &res, err, sizeof err);
    if (r == RES_NOT_INSTALLED && conf.auto_install) {
        /* auto_install: the CLI installs it (progress on stderr), then the
         * same resolution runs again. */
        char *args[] = {"nodus", "install", req.vf.specs[0], NULL};
        msg_note("nodus: installing node %s (auto_install is on)", req.vf.specs[0]);
        if (run_cli(args) == 0)
            r = resolve_installed(&p, &req, &res, err, sizeof err);
    }
    if (r == RES_SYSTEM) {
        if (resolve_system_cmd(cmd, shims, &self, target, sizeof target)) {
            msg_err("'system' was asked for, but there is no %s on PATH outside %s", cmd, shims);
            return EXIT_SHIM_NOTFOUND;
        }
        if (self.st_ino)
            resolve_mark_seen(&self);
        execv(target, argv);
        return exec_failed(&p, cmd, target, "system", &req);
    }
    if (r != RES_OK) {
        msg_err("%s", err);
        return resolve_exit_status(r, &req);
    }
    char bin[PATH_MAX];
    if (str_fmt(bin, sizeof bin, "%s/bin", res.dir) || str_fmt(target, sizeof target, "%s/%s", bin, cmd)) {
        msg_err("the path of %s is too long", cmd);
        return EXIT_FAIL;
    }
    if (self.st_ino && resolve_same_file(target, &self)) {
        msg_err("%s in node %s is a nodus shim itself; reinstall that version: 'nodus uninstall %s && nodus install %s'",
                cmd, res.vname, res.vname, res.vname);
        return EXIT_SHIM_NOEXEC;
    }
    if (resolve_child_path(bin, shims)) {
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    if (is_global_npm_change(cmd, argc, argv))
        spawn_then_reshim(target, argv);
    execv(target, argv);
    struct stat bst;
    if ((errno == ENOENT || errno == ENOTDIR) && stat(bin, &bst) == 0) {
        /* Only when the version is still there: one that is being
         * uninstalled must not quietly hand node to another one. */
        fall_through(cmd, shims, &self, path0, argv);
        errno = ENOENT;
    }
    return exec_failed(&p, cmd, target, res.vname, &req);
}
