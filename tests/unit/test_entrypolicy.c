/* The entry policy for release tarballs (entrypolicy.h). */
#include "entrypolicy.h"
#include "tap.h"

#include <stdlib.h>

#define TOP "node-v22.11.0-linux-x64"

static char REL[4096], LREL[4096];
static const char *WHY;

static int check(const char *path, ent_type type, const char *link)
{
    strcpy(REL, "(unset)");
    strcpy(LREL, "(unset)");
    WHY = NULL;
    return entry_check(TOP, path, type, link, REL, sizeof REL, LREL, sizeof LREL, &WHY);
}

static int why_has(const char *needle)
{
    int yes = WHY && strstr(WHY, needle) != NULL;
    if (!yes)
        printf("#   why was '%s', wanted it to contain '%s'\n", WHY ? WHY : "(null)", needle);
    return yes;
}

static void accept(const char *path, ent_type type, const char *link, const char *want_rel)
{
    int r = check(path, type, link);
    ok(r == ENT_ACCEPT && strcmp(REL, want_rel) == 0, "accept '%s' as '%s'", path, want_rel);
    if (r != ENT_ACCEPT || strcmp(REL, want_rel))
        printf("#   got %d rel '%s' why '%s'\n", r, REL, WHY ? WHY : "");
}

static void reject(const char *path, ent_type type, const char *link, const char *why)
{
    int r = check(path, type, link);
    ok(r == ENT_REJECT && why_has(why), "reject '%s'%s%s (%s)", path, link ? " -> " : "", link ? link : "", why);
}

static void test_accepted(void)
{
    accept(TOP "/bin/node", ENT_FILE, NULL, "bin/node");
    accept(TOP "/bin/", ENT_DIR, NULL, "bin");
    accept(TOP "/lib/node_modules/npm/package.json", ENT_FILE, NULL, "lib/node_modules/npm/package.json");
    accept("./" TOP "/bin/node", ENT_FILE, NULL, "bin/node");
    accept("././" TOP "/./include/node/node.h", ENT_FILE, NULL, "include/node/node.h");
    accept(TOP "//share//man", ENT_DIR, NULL, "share/man");
    accept(TOP "/CHANGELOG.md", ENT_FILE, NULL, "CHANGELOG.md");
    accept(TOP "/..hidden", ENT_FILE, NULL, "..hidden");
    accept(TOP "/lib/a..b", ENT_FILE, NULL, "lib/a..b");
    accept(TOP "/...", ENT_FILE, NULL, "...");

    is_int(check(TOP, ENT_DIR, NULL), ENT_SKIP, "the top directory itself is skipped");
    is_int(check(TOP "/", ENT_DIR, NULL), ENT_SKIP, "'top/' is skipped");
    is_int(check("./" TOP "/", ENT_DIR, NULL), ENT_SKIP, "'./top/' is skipped");
    reject(TOP, ENT_FILE, NULL, "replaces the top directory");
    reject(TOP, ENT_SYMLINK, "/etc", "replaces the top directory");

    /* Symlinks that stay inside the version directory. */
    accept(TOP "/bin/npm", ENT_SYMLINK, "../lib/node_modules/npm/bin/npm-cli.js", "bin/npm");
    accept(TOP "/bin/npx", ENT_SYMLINK, "../lib/node_modules/npm/bin/npx-cli.js", "bin/npx");
    accept(TOP "/bin/corepack", ENT_SYMLINK, "../lib/node_modules/corepack/dist/corepack.js", "bin/corepack");
    accept(TOP "/bin/nodejs", ENT_SYMLINK, "node", "bin/nodejs");
    accept(TOP "/bin/nodejs2", ENT_SYMLINK, "./node", "bin/nodejs2");
    accept(TOP "/a/b/c", ENT_SYMLINK, "../../x/../y", "a/b/c");
    accept(TOP "/a/b/c", ENT_SYMLINK, "d/../../../e", "a/b/c");
    accept(TOP "/link", ENT_SYMLINK, "bin/node", "link");
    accept(TOP "/link2", ENT_SYMLINK, ".", "link2");

    /* Hard links inside: link_rel is the target inside the version directory. */
    int r = check(TOP "/bin/node2", ENT_HARDLINK, TOP "/bin/node");
    ok(r == ENT_ACCEPT && !strcmp(REL, "bin/node2") && !strcmp(LREL, "bin/node"), "hard link inside accepted");
    r = check("./" TOP "/a", ENT_HARDLINK, "./" TOP "/./lib/b");
    ok(r == ENT_ACCEPT && !strcmp(REL, "a") && !strcmp(LREL, "lib/b"), "hard link with ./ prefixes accepted");
}

static void test_rejected(void)
{
    reject("/" TOP "/bin/node", ENT_FILE, NULL, "has an absolute path");
    reject("/etc/passwd", ENT_FILE, NULL, "has an absolute path");
    reject("//etc", ENT_DIR, NULL, "has an absolute path");

    reject("../evil", ENT_FILE, NULL, "'..'");
    reject(TOP "/../evil", ENT_FILE, NULL, "'..'");
    reject(TOP "/bin/../../evil", ENT_FILE, NULL, "'..'");
    reject(TOP "/bin/..", ENT_DIR, NULL, "'..'");
    reject(TOP "/bin/../lib/x", ENT_FILE, NULL, "'..'");
    reject("./../" TOP "/x", ENT_FILE, NULL, "'..'");
    reject("..", ENT_DIR, NULL, "'..'");

    reject("evil.txt", ENT_FILE, NULL, "outside the release's top directory");
    reject("node-v20.9.0-linux-x64/bin/node", ENT_FILE, NULL, "outside the release's top directory");
    reject(TOP "-extra/bin/node", ENT_FILE, NULL, "outside the release's top directory");
    reject("node-v22.11.0-linux-x6/bin/node", ENT_FILE, NULL, "outside the release's top directory");
    reject("x/" TOP "/bin/node", ENT_FILE, NULL, "outside the release's top directory");
    reject("", ENT_FILE, NULL, "outside the release's top directory");
    reject("./", ENT_DIR, NULL, "outside the release's top directory");

    /* Symlinks escaping the version directory. */
    reject(TOP "/bin/evil", ENT_SYMLINK, "../../x", "symlink that points outside");
    reject(TOP "/evil", ENT_SYMLINK, "..", "symlink that points outside");
    reject(TOP "/evil", ENT_SYMLINK, "../" TOP "/bin/node", "symlink that points outside");
    reject(TOP "/bin/evil", ENT_SYMLINK, "/etc/passwd", "symlink that points outside");
    reject(TOP "/bin/evil", ENT_SYMLINK, "/", "symlink that points outside");
    reject(TOP "/a/b/c", ENT_SYMLINK, "../../../x", "symlink that points outside");
    reject(TOP "/a/b/c", ENT_SYMLINK, "x/../../../../y", "symlink that points outside");
    reject(TOP "/a/evil", ENT_SYMLINK, "./../..", "symlink that points outside");
    reject(TOP "/bin/empty", ENT_SYMLINK, "", "symlink that points outside");
    reject(TOP "/bin/null", ENT_SYMLINK, NULL, "symlink that points outside");
    reject(TOP "/bin/evil", ENT_SYMLINK, "../lib/../../../x", "symlink that points outside");

    /* Hard links outside the version directory. */
    reject(TOP "/bin/evil", ENT_HARDLINK, "/etc/passwd", "hard link to something outside");
    reject(TOP "/bin/evil", ENT_HARDLINK, "etc/passwd", "hard link to something outside");
    reject(TOP "/bin/evil", ENT_HARDLINK, TOP "/../x", "hard link to something outside");
    reject(TOP "/bin/evil", ENT_HARDLINK, "../x", "hard link to something outside");
    reject(TOP "/bin/evil", ENT_HARDLINK, "node-v20.9.0-linux-x64/bin/node", "hard link to something outside");
    reject(TOP "/bin/evil", ENT_HARDLINK, TOP, "hard link to something outside");
    reject(TOP "/bin/evil", ENT_HARDLINK, NULL, "hard link to something outside");
    reject(TOP "/bin/evil", ENT_HARDLINK, "", "hard link to something outside");
    reject("/" TOP "/bin/evil", ENT_HARDLINK, TOP "/bin/node", "has an absolute path");

    /* Devices, fifos, sockets. */
    reject(TOP "/dev/null", ENT_OTHER, NULL, "device, fifo or socket");
    reject(TOP "/fifo", ENT_OTHER, NULL, "device, fifo or socket");
    reject(TOP, ENT_OTHER, NULL, "device, fifo or socket");

    /* nodus's own record of the install. */
    reject(TOP "/.nodus-meta", ENT_FILE, NULL, "nodus keeps its own record");
    reject(TOP "/.nodus-meta/", ENT_DIR, NULL, "nodus keeps its own record");
    reject("./" TOP "//.nodus-meta", ENT_SYMLINK, "bin", "nodus keeps its own record");
    accept(TOP "/lib/.nodus-meta", ENT_FILE, NULL, "lib/.nodus-meta");

    /* Modes: nothing group/world-writable, no set-id or sticky bit. */
    is_int((int)entry_perm(0777), 0755, "0777 -> 0755");
    is_int((int)entry_perm(0666), 0644, "0666 -> 0644");
    is_int((int)entry_perm(01777), 0755, "01777 -> 0755");
    is_int((int)entry_perm(06755), 0755, "06755 -> 0755");
    is_int((int)entry_perm(0555), 0555, "0555 kept");

    /* Names in messages: control characters visible, long ones cut in the middle. */
    char shown[32];
    is_str(entry_shown("bin/node", shown, sizeof shown), "bin/node", "a plain name as it is");
    is_str(entry_shown("a\x1b]0;X\x07" "b", shown, sizeof shown), "a\\x1b]0;X\\x07b", "control characters as \\xNN");
    is_str(entry_shown("0123456789abcdefghijklmnopqrstuvwxyz", shown, sizeof shown), "0123456789abcd...mnopqrstuvwxyz",
           "a long name shortened in the middle, its end kept");
    ok(strlen(entry_shown("\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01", shown, sizeof shown)) < sizeof shown,
       "escapes never overflow the buffer (%s)", shown);

    /* A path too long for the caller's buffer. */
    static char longp[5000];
    memcpy(longp, TOP "/", sizeof TOP);
    memset(longp + sizeof TOP, 'a', 3000);
    longp[sizeof TOP + 3000] = '\0';
    char rel[64];
    const char *why = NULL;
    int r = entry_check(TOP, longp, ENT_FILE, NULL, rel, sizeof rel, NULL, 0, &why);
    ok(r == ENT_REJECT && why && strstr(why, "too long"), "a path longer than rel's buffer is rejected");
    memset(longp + sizeof TOP, 'a', sizeof longp - sizeof TOP - 1);
    longp[sizeof longp - 1] = '\0';
    r = entry_check(TOP, longp, ENT_FILE, NULL, REL, sizeof REL, NULL, 0, &why);
    is_int(r, ENT_REJECT, "a path longer than 4 KiB is rejected");
}

int main(void)
{
    test_accepted();
    test_rejected();
    return tap_done();
}
