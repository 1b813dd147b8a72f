/* nodus help [COMMAND]
 *
 * The long help of every command lives here, once, in the table below.
 * `nodus help COMMAND` prints it as plain text, and the hidden
 * `nodus help --mdoc` prints the same text as the COMMANDS section of
 * man/nodus.1 (`make man` splices it in), so the two cannot drift apart:
 * tests/e2e/50-docs.bats fails when the page and this table disagree.
 * The hidden `nodus help --commands` prints the table's names, one a line,
 * for the completion and man page tests.
 *
 * Inline markup in the texts (nothing else is special):
 *   {a:SPEC}   an argument          (mdoc Ar)
 *   {f:--lts}  an option            (mdoc Fl)
 *   {c:latest} a keyword or name    (mdoc Cm)
 *   {q:text}   a literal, quoted    (mdoc Ql; plain 'text')
 *   {p:path}   a file or directory  (mdoc Pa)
 *   {e:NAME}   environment variable (mdoc Ev)
 * A span is followed by a space, the end, or punctuation (.,:;)?!), and may
 * be preceded by "(". Sentences end with ". " before a capital letter. */
#include "cmd.h"
#include "msg.h"
#include "strutil.h"
#include "suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *head; /* option, subcommand or example command line */
    const char *text;
} help_item;

typedef struct {
    const char *name;
    const char *const *paras; /* NULL-terminated */
    const help_item *items;   /* options and subcommands; {NULL} ends */
    const help_item *examples;
} cmd_help_t;

#define PARAS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ITEMS(...) ((const help_item[]){__VA_ARGS__, {NULL, NULL}})
#define NO_ITEMS ((const help_item[]){{NULL, NULL}})

static const cmd_help_t helps[] = {
    {"install",
     PARAS("Download, verify and install the Node.js release that each {a:SPEC} asks for: the highest version in "
           "the mirror's release index that satisfies the spec and has a build for this platform. A version that "
           "is already installed is not downloaded again.",
           "The checksum file {p:SHASUMS256.txt} of the release must carry a good signature by a Node.js release "
           "key, and the tarball must match its SHA-256 line. The tarball streams through the digest into a "
           "staging directory under {p:$NODUS_HOME/tmp}, and only a verified release is moved into "
           "{p:$NODUS_HOME/versions}, with one rename, so a failed or interrupted install leaves nothing behind. "
           "The shims are refreshed afterwards.",
           "Without {a:SPEC}, the nearest version file decides; the default does not. With no version file "
           "either, install explains the choice between the LTS and the Current release and exits with status 2.",
           "Several specs (at most 64) are all resolved first, so that a spec that names nothing fails before "
           "anything downloads, and a release named twice is installed once. Then the releases download and unpack "
           "side by side, {f:--jobs} at a time, each in a process of its own that verifies and renames only its own "
           "release: one that fails leaves the others installed. On a terminal each running download has a "
           "progress row. The status is that of the first spec, in the order given, that failed. "
           "The platform comes from uname: linux or darwin on x64, arm64, armv7l, ppc64le or s390x, and linux with "
           "{c:-musl} on musl systems, which need a mirror that publishes such builds. {e:NODUS_PLATFORM} "
           "overrides it. With the global option {f:--offline} only the cached release index is read and nothing "
           "is downloaded.",
           "A release that is end of life, or that the vulnerability database names, is installed all the same "
           "(an exact version is what some people need), with a warning that names the nearest release that "
           "fixes it (see {c:nodus audit})."),
     ITEMS({"{f:--lts}", "The newest LTS release: the same as the spec {c:lts/*}."},
           {"{f:--latest}", "The newest release of the Current line: the same as the spec {c:latest}."},
           {"{f:--allow-unsigned}", "Accept checksums that the mirror publishes without a signature, for this "
                                    "command only (see the setting {c:allow_unsigned})."},
           {"{f:--jobs} {a:N}, {f:-j} {a:N}", "Install at most {a:N} releases at once (1 to 16). The default is one "
                                              "a CPU core, at most 4; {c:--jobs 1} installs them in turn, in the "
                                              "order given."},
           {"{f:--reinstall-packages-from} {a:OLD}", "Then install the global npm packages of the installed version "
                                                     "{a:OLD} (their names and versions) into the new one with its "
                                                     "own npm; with exactly one {a:SPEC}."}),
     ITEMS({"nodus install --lts", "Install the newest LTS release."},
           {"nodus install 22", "Install the newest 22.x.y release."},
           {"nodus install lts/iron 18.20.4", "Install the newest release of the Iron LTS line (v20), and 18.20.4."},
           {"nodus install 18 20 22", "Install the newest release of three lines, side by side."},
           {"nodus install", "Install what the project's version file asks for."})},

    {"uninstall",
     PARAS("Remove the installed version that each {a:SPEC} matches. A spec must match exactly one installed "
           "version: a partial version or a range that matches several is refused with status 2, so that one "
           "command never removes more than was meant. A spec that matches none is status 7.",
           "The version directory leaves {p:$NODUS_HOME/versions} with one rename into {p:$NODUS_HOME/tmp}, under "
           "the lock that installing takes, and is deleted there, so a half-removed version is never visible. The "
           "shims are refreshed afterwards. Removing the default or a pinned version is allowed: the shims then "
           "report it as not installed."),
     NO_ITEMS,
     ITEMS({"nodus uninstall 18.20.4", "Remove node v18.20.4."},
           {"nodus uninstall 18 20", "Remove the one installed 18.x.y and the one installed 20.x.y."})},

    {"ls",
     PARAS("List the installed versions, newest first, one a line. A {q:*} marks the active version, the one the "
           "shims would run in the working directory; {c:lts/<codename>} names the LTS line of a version, and "
           "{c:default} marks the version that the default selects. On a terminal the active version is shown in "
           "colour (see the setting {c:color}).",
           "With {a:SPEC}, only the versions that satisfy it are listed. {c:list} is another name for {c:ls}.",
           "When the release schedule and the vulnerability database are in the cache (see {c:nodus audit}), a "
           "column says each version's support status ({c:current}, {c:active LTS}, {c:maintenance}, or "
           "{c:eol} and the date) and how many known vulnerabilities it has, with the worst severity.",
           "The versions of the shared, read-only directories ({c:shared_dirs}, {p:NODUS_SHARED_DIRS}) that the "
           "user has not installed too follow, marked {c:shared} with their directory."),
     ITEMS({"{f:--json}", "Print a JSON array instead, one object per version, with the keys {c:version} (string), "
                          "{c:lts} (codename or null), {c:default} and {c:active} (booleans), {c:support} "
                          "({c:current}, {c:active-lts}, {c:maintenance}, {c:eol}, {c:planned}, {c:unknown}, or "
                          "null without a schedule), {c:support_end} (date or null), {c:vulnerabilities} (count, "
                          "or null without a database), {c:severity} (the worst, or null), {c:cves} (list) and "
                          "{c:fixed_in} (the first release that fixes them all, or null), and for a shared version {c:shared} "
                          "(its directory)."}),
     ITEMS({"nodus ls", "All installed versions."},
           {"nodus ls 20", "Only the installed 20.x.y versions."},
           {"nodus ls --json", "The same, for scripts."})},

    {"ls-remote",
     PARAS("List the releases in the mirror's index, newest first, one a line: the version, the release date, "
           "{c:lts/<codename>} for a release of an LTS line or {c:current} for a release of the Current line (the "
           "newest major, while it is not LTS), and {c:installed} for the versions installed here.",
           "With {a:SPEC}, only the releases that satisfy it are listed; no match is status 3. The index is read "
           "from the cache while it is younger than {c:index_ttl} seconds, and otherwise revalidated with a "
           "conditional request; when the mirror cannot be reached, the stale cache is used with a warning. "
           "{c:list-remote} is another name for {c:ls-remote}.",
           "A release the index marks as a security release says {c:security}. With the release schedule (see "
           "{c:nodus audit}), the newest release of each line says the line's status: {c:active LTS}, "
           "{c:maintenance} or {c:current} until its end date, or {c:eol since} the date."),
     ITEMS({"{f:--lts}", "Only the releases of LTS lines."},
           {"{f:--json}", "Print a JSON array instead, one object per release, with the keys {c:version}, {c:date}, "
                          "{c:lts} (codename or null), {c:security} (boolean), {c:npm}, {c:v8}, {c:uv}, {c:zlib}, "
                          "{c:openssl}, {c:modules} (strings or null), {c:files} (array of strings) and "
                          "{c:installed} (boolean), and the keys {c:support} to {c:fixed_in} of {q:nodus ls --json}."}),
     ITEMS({"nodus ls-remote --lts", "Every LTS release, with its line."},
           {"nodus ls-remote 22", "The 22.x.y releases."},
           {"nodus --offline ls-remote", "From the cached index only."})},

    {"use",
     PARAS("Use {a:SPEC} in this shell: every shim run from the shell and from its children then runs that "
           "version, whatever the version files say. This works through the {c:nodus} shell function that "
           "{q:nodus init} defines, which evaluates what {q:nodus use --shell SHELL SPEC} prints: a command that "
           "sets {e:NODUS_VERSION}. Run without the function, use explains how to set it up and exits with "
           "status 2.",
           "The spec is resolved now, against the installed versions, and the exact version it selects (such as "
           "{c:v22.11.0}, or {c:system}) is what is set, so the shell stays on it. A spec that selects nothing "
           "installed is status 7. Without {a:SPEC}, {e:NODUS_VERSION} is unset, and the version files and the "
           "default decide again."),
     ITEMS({"{f:--shell} {a:SHELL}", "Print the command for {a:SHELL} ({c:fish}, or any other name for a POSIX "
                                     "shell) instead of explaining; the shell function passes it."}),
     ITEMS({"nodus use 20", "This shell runs the newest installed 20.x.y."},
           {"nodus use system", "This shell runs the node found on PATH outside nodus."},
           {"nodus use", "Back to the version files and the default."})},

    {"pin",
     PARAS("Pin the project in the working directory to {a:SPEC}. When the directory has a {p:.node-version}, "
           "{p:.nvmrc} or {p:.tool-versions} (looked for in that order), the line that holds the version in the "
           "first one found is replaced, and every other line is kept as it was: comments, the {c:key=value} lines "
           "of {p:.nvmrc}, the other tools of {p:.tool-versions}. In {p:.tool-versions} the line becomes "
           "{q:nodejs SPEC}, without fallback versions. A line that ended in CRLF keeps its CRLF. Without such a "
           "file, {p:.node-version} is created.",
           "The spec is written as given, so {c:22} or {c:lts/*} keeps following new releases. It need not be "
           "installed, but it must be a valid spec or alias, without {q:#}. Only the working directory is looked "
           "at, never its parents, and {p:package.json} is never changed. The file is replaced atomically."),
     NO_ITEMS,
     ITEMS({"nodus pin 22", "This project runs the newest installed 22.x.y."},
           {"nodus pin lts/iron", "This project follows the Iron LTS line."})},

    {"default",
     PARAS("With {a:SPEC}, make it the default: the version used wherever neither {e:NODUS_VERSION} nor a version "
           "file decides. The spec is stored as given in {p:$NODUS_HOME/default}, so {c:lts/*} follows each newer "
           "LTS release once it is installed. A spec that selects nothing installed yet is accepted with a "
           "warning.",
           "Without {a:SPEC}, print the default spec, followed in parentheses by the installed version it selects "
           "when that differs from the spec; with no default set, the status is 3. The name {c:default} can be "
           "used as a spec anywhere."),
     ITEMS({"{f:--unset}", "Remove the default, so that only {e:NODUS_VERSION} and version files choose a version; "
                           "where neither does, the shims and {c:current} say how to choose one. With no default set "
                           "this is not an error."}),
     ITEMS({"nodus default lts/*", "Everywhere else, the newest installed LTS release."},
           {"nodus default 22.11.0", "Everywhere else, exactly v22.11.0."},
           {"nodus default system", "Everywhere else, the node found on PATH outside nodus."},
           {"nodus default", "Show the default."},
           {"nodus default --unset", "No default any more."})},

    {"current",
     PARAS("Print the active version, the one the shims would run in the working directory, as {c:vX.Y.Z} or "
           "{c:system}, on standard output. What chose it (the variable {e:NODUS_VERSION}, a version file and, for "
           "{p:package.json}, its field, or the default) and the spec it asks for go to standard error. A "
           "malformed version file is passed over with a warning, as the shims pass over it.",
           "The status is 7 when nothing selects a version or the version selected is not installed, and 1 when "
           "the spec is not valid.",
           "When the active version is end of life or has known vulnerabilities (by the cached schedule and "
           "database, see {c:nodus audit}), one more line on standard error says so and what to run, e.g. "
           "{q:v20.18.0 has 20 known vulnerabilities (8 high, e.g. CVE-2025-23083); v20.20.2 fixes them: nodus "
           "upgrade 20}. {f:--quiet} leaves it out; the shims never print it."),
     ITEMS({"{f:--json}", "Print one JSON object instead, with the keys {c:version} (string or null), {c:spec}, "
                          "{c:source} ({c:env}, {c:file}, {c:default} or {c:none}), {c:origin} (the file, "
                          "{c:NODUS_VERSION} or the default file), {c:field} (the {p:package.json} field, or null), "
                          "{c:installed} (boolean), and {c:error} when no installed version was found; for an "
                          "installed version also the keys {c:support} to {c:fixed_in} of {q:nodus ls --json}."}),
     ITEMS({"nodus current", "The version on standard output, the reason on standard error."},
           {"nodus current --json", "Both, for scripts."})},

    {"which",
     PARAS("Print the path of the program that a shim named {a:COMMAND} (by default {c:node}) would run in the "
           "working directory: {p:bin/COMMAND} in the directory of the active version, or, when {c:system} is "
           "selected, the next {a:COMMAND} on {e:PATH} outside the shims directory.",
           "The status is 3 when the selected version has no such command, and 7 when nothing selects a version "
           "or it is not installed."),
     ITEMS({"{f:--json}", "Print a JSON object instead, with the keys {c:command}, {c:path} and {c:version}."}),
     ITEMS({"nodus which", "The node binary the shim would run here."},
           {"nodus which npm", "The same for npm."},
           {"nodus which eslint", "The binary of a globally installed package, in the active version."})},

    {"exec",
     PARAS("Run {a:COMMAND} with its arguments under the installed version that {a:SPEC} selects, without "
           "changing the shell or the project. The command gets {e:NODUS_VERSION} set to that exact version and "
           "{e:PATH} arranged as a shim arranges it (the shims directory, when it is on {e:PATH}, then the "
           "version's {p:bin} directory), so node, npm and every program they start agree on it, and "
           "{q:npm install -g} refreshes the shims. The status is the command's own, or 7 when no installed version matches, 127 when the command is "
           "not found and 126 when it cannot be run.",
           "The {f:--} can be left out when {a:COMMAND} does not start with {q:-}: nodus takes its global options "
           "({f:--json}, {f:--quiet}, {f:-q}, {f:--offline}, {f:--no-color}) only before {a:COMMAND}, and "
           "everything from {a:COMMAND} on belongs to the command."),
     ITEMS({"{f:--install}", "When no installed version matches, first install the best match from the mirror, as "
                             "{q:nodus install SPEC} does."}),
     ITEMS({"nodus exec 18 -- node --version", "Print the version of the newest installed 18.x.y."},
           {"nodus exec --install lts/iron -- npm test", "Run the tests under the newest Iron LTS release, "
                                                          "installing it first when needed."})},

    {"init",
     PARAS("Print the shell code that sets nodus up, for the shell to evaluate at startup. It puts the shims "
           "directory at the front of {e:PATH}, moving it there when it is already further back (behind another "
           "version manager's directory, say), exports {e:NODUS_SHELL}, defines a {c:nodus} shell "
           "function through which {q:nodus use} changes {e:NODUS_VERSION} in the running shell, and loads the "
           "completion for the shell when it finds the completion file in the installed share directory or in "
           "the build tree. The function runs the nodus that printed the code, by its absolute path, so it works "
           "when that nodus is not on {e:PATH}.",
           "The same code is kept in {p:$NODUS_HOME/init.bash}, {p:init.zsh} or {p:init.fish}, written by each run. "
           "Sourcing that file from a startup file starts no process at all; the file runs {q:nodus init} again "
           "only when the nodus binary is newer than the file, so it follows upgrades. The completion is loaded "
           "at the first completion, not at every shell start.",
           "Without an argument the shell is taken from the name in {e:SHELL} (bash when it is not set); {c:sh} "
           "gets the bash code without completion and without a file. An unknown shell is status 2. In zsh the "
           "completion works whether {c:compinit} runs before or after this code."),
     NO_ITEMS,
     ITEMS({". ~/.local/share/nodus/init.bash", "In {p:~/.bashrc}: the fastest."},
           {"eval \"$(nodus init bash)\"", "In {p:~/.bashrc}: the same, through one nodus process."},
           {". ~/.local/share/nodus/init.zsh", "In {p:~/.zshrc}."},
           {"source ~/.local/share/nodus/init.fish", "In {p:~/.config/fish/config.fish}, or {q:nodus init fish | source}."})},

    {"reshim",
     PARAS("Recreate the shims in {p:$NODUS_HOME/shims}: a symbolic link to {c:nodus-shim} for {c:node}, {c:npm}, "
           "{c:npx} and {c:corepack}, and for every program in the {p:bin} directory of each installed version, so "
           "that the binaries of globally installed npm packages have shims too. Links for programs that no "
           "version has any more are removed; other files in the directory are left alone.",
           "Installing and uninstalling run it, and so does the npm shim after a global install or uninstall. Run "
           "it by hand after changing the {p:bin} directory of a version some other way. A failure is status 6."),
     NO_ITEMS,
     ITEMS({"nodus reshim", "Bring the shims up to date."})},

    {"alias",
     PARAS("Without arguments, list the default and every alias, one a line, as {q:NAME -> SPEC (VERSION)}: VERSION "
           "is the installed version the spec selects now, {c:system}, {c:not installed} or {c:broken}. With "
           "{a:NAME}, print that line for one alias; an unknown name is status 3. With {a:NAME} and {a:SPEC}, make "
           "{a:NAME} stand for {a:SPEC}, stored as given in {p:$NODUS_HOME/aliases/NAME}; a spec that selects "
           "nothing installed yet is accepted with a warning.",
           "An alias can be used wherever a spec can: on the command line, in {e:NODUS_VERSION}, in version files "
           "and as the default. It may name another alias, up to 8 deep, but never lead back to itself. A name "
           "starts with a letter and holds letters, digits, {q:.}, {q:_} and {q:-}, at most 63 of them; a name "
           "that already is a spec, such as {c:latest}, {c:lts} or {c:system}, is refused. The name {c:default} is "
           "the default itself: {q:nodus alias default 22} does what {q:nodus default 22} does, as in nvm."),
     ITEMS({"{f:--json}", "Print a JSON array instead, one object per alias with the keys {c:name}, {c:spec} and "
                          "{c:version} (null unless the spec selects an installed version or {c:system}); with "
                          "{a:NAME}, that one object."}),
     ITEMS({"nodus alias work 20", "Make work stand for the spec 20."},
           {"nodus use work", "Use the newest installed version that work stands for."},
           {"nodus alias", "List the default and the aliases."})},

    {"unalias",
     PARAS("Remove each alias {a:NAME}; {c:default} removes the default, as {q:nvm unalias default} does. An "
           "unknown name is status 3. When the default or another alias named a removed alias, a warning says so: "
           "it no longer resolves until the alias is defined again."),
     NO_ITEMS,
     ITEMS({"nodus unalias work", "Remove the alias work."})},

    {"prune",
     PARAS("Remove every installed version that nothing refers to. A version is kept when it is the one selected "
           "now by the default, by an alias, or, in the working directory, by {e:NODUS_VERSION} or the nearest "
           "version file; the version files of other projects cannot be known. A range keeps only the version it "
           "selects: a default of {c:22} keeps the newest installed 22.x.y, not the older ones. Every other "
           "version is removed as {q:nodus uninstall} removes one and reported on standard output as "
           "{q:removed vX.Y.Z}, and the shims are refreshed.",
           "Nothing is removed when a reference cannot be resolved (status 8), or when an LTS spec refers to "
           "versions while the LTS lines are not known yet (status 1: run {q:nodus ls-remote --lts} once)."),
     ITEMS({"{f:--dry-run}, {f:-n}", "Print {q:would remove vX.Y.Z} for each version that would go, and remove "
                                     "nothing."}),
     ITEMS({"nodus prune --dry-run", "See what would go."}, {"nodus prune", "Remove it."})},

    {"cache",
     PARAS("Show or clear the cache: the release index {p:index.json} with {p:index.meta} (its URL and "
           "validators), and the {p:downloads} directory: every verified tarball, named by its SHA-256, so that "
           "installing the same release again (in any {p:NODUS_HOME} that uses this cache, such as a CI run that "
           "keeps it) fetches no tarball. The downloads are kept within {c:download_cache_max} bytes (1 GiB): "
           "after each download the least recently used go first. Clearing it never touches installed versions; the next "
           "command that needs the index fetches it again."),
     ITEMS({"{c:dir}", "Print the cache directory, {p:$XDG_CACHE_HOME/nodus} (by default {p:~/.cache/nodus})."},
           {"{c:clear}", "Delete the cached index and the downloads, and say how much space that freed."}),
     ITEMS({"nodus cache dir", "Where the cache is."},
           {"nodus cache clear", "Empty it."})},

    {"config",
     PARAS("Read and change the settings in {p:config.yaml}, in {p:$XDG_CONFIG_HOME/nodus} (by default "
           "{p:~/.config/nodus}). Without a subcommand, {c:list}. The keys, their types and their defaults are "
           "listed by {q:nodus config list} and described in the manual page.",
           "{c:set} checks the value against the type of the key, then edits the file line by line: the line that "
           "starts with the key and a colon is replaced, and every other line (comments, blank lines, the other "
           "settings and their order) is kept byte for byte; a key that is not in the file is added at the end. "
           "A comment on the line of the key itself is lost, and the file is written anew with mode 0644. The "
           "result is parsed again before it replaces the file atomically; if it would not be valid, the file is "
           "left unchanged and the status is 8.",
           "A config file that is not valid stops the commands that act on its settings (install, ls-remote, "
           "prune) with status 8. The local commands warn, naming the file, line and problem, and go on with the "
           "default settings, as the shims do; so do config, doctor and help, so that the file can be looked at "
           "and fixed. The nodus status screen names the problem too."),
     ITEMS({"{c:list}", "Print every setting with its value and where the value comes from: an environment "
                        "variable, {c:config} or {c:default}."},
           {"{c:get} {a:KEY}", "Print the value in effect for {a:KEY}."},
           {"{c:set} {a:KEY} {a:VALUE}", "Set {a:KEY} in the file; a string is written double-quoted."},
           {"{c:unset} {a:KEY}", "Remove {a:KEY} from the file, so that the default applies again."},
           {"{c:path}", "Print the path of the config file."}),
     ITEMS({"nodus config list", "Every setting, and where its value comes from."},
           {"nodus config set engines_node false", "Ignore engines.node in package.json."},
           {"nodus config set mirror https://mirror.example.org/node", "Fetch releases from a mirror."},
           {"nodus config get index_ttl", "The number of seconds the cached index is trusted."})},

    {"doctor",
     PARAS("Check the setup and print each check with its status ({c:ok}, {c:warn} or {c:fail}) and what it "
           "found, with a line under each problem that says how to fix it, then a summary.",
           "The checks: that {p:config.yaml} is valid; that signatures are checked, with a warning when "
           "{c:verify_signatures} is false or {c:allow_unsigned} is true (in the file or the environment); that "
           "{e:NODUS_HOME}, {p:versions}, {p:shims} and {p:default} belong to you or root and only their owner may "
           "write them; that "
           "the shims directory exists, {c:nodus-shim} is found and every shim links to it; that the shims "
           "directory comes before any other node on {e:PATH}; that nodus itself is on {e:PATH} (a warning); that "
           "every entry of {p:$NODUS_HOME/versions} is a complete version; that the default and every alias "
           "select an installed version; that the cached index parses; that {p:$NODUS_HOME/tmp} holds no "
           "leftovers of killed installs or uninstalls and no lock that is held; and whether nvm, fnm, volta, n, "
           "asdf, mise or a node outside any manager is installed (a warning) or comes before the shims on "
           "{e:PATH} (a failure).",
           "The status is 1 when a check fails, and 0 otherwise: warnings do not change it."),
     ITEMS({"{f:--json}", "Print a JSON array instead, one object per check, with the keys {c:check}, {c:status}, "
                          "{c:message} and {c:fix} (null when the status is {c:ok})."}),
     ITEMS({"nodus doctor", "Check the setup."},
           {"nodus doctor --json", "The same, for scripts."})},

    {"import",
     PARAS("Adopt the Node.js versions that other version managers installed, without downloading them again: "
           "from nvm ({p:$NVM_DIR/versions/node}), fnm ({p:$FNM_DIR/node-versions}), n "
           "({p:$N_PREFIX/n/versions/node}) and volta ({p:$VOLTA_HOME/tools/image/node}), or only from the "
           "managers named. Each directory must be a complete release of the version its name says, with "
           "{p:bin/node} and a matching {p:include/node/node_version.h}; others are skipped with a warning, and "
           "so are versions nodus already has. The tree is hard-linked where the filesystem allows it and copied "
           "otherwise, into a staging directory that is renamed into {p:$NODUS_HOME/versions}, as an install "
           "is. Each version imported is reported on standard output.",
           "When nodus has no default yet, the default of the first manager that has one (nvm, fnm, volta, n) "
           "becomes nodus's default. A manager named on the command line whose versions directory does not "
           "exist is status 3."),
     ITEMS({"{f:--dry-run}, {f:-n}", "Print what would be imported, and import nothing."}),
     ITEMS({"nodus import", "Adopt everything other managers installed."},
           {"nodus import nvm --dry-run", "See what would come from nvm."})},

    {"mirror",
     PARAS("Copy releases from the mirror nodus uses ({p:NODUS_MIRROR}) into {a:DIR}, in the same layout, so that "
           "any static HTTP server can serve {a:DIR} to many machines as their {p:NODUS_MIRROR}. Each {a:SPEC} "
           "is resolved against the release index as {q:nodus install} resolves it. For each release, "
           "{p:SHASUMS256.txt} and its signatures {p:SHASUMS256.txt.asc} and {p:.sig} are copied byte for byte "
           "after their signature is verified, so every client still checks the Node.js release signatures; "
           "then the tarballs ({p:.tar.xz} and {p:.tar.gz}) of each platform, each checked against the verified "
           "checksums while it downloads into a temporary file that is renamed into place.",
           "{p:index.json} and {p:index.tab} are written last and list only the releases and platforms {a:DIR} "
           "holds. Running the command again adds what is new and downloads nothing it has: the files already "
           "in {a:DIR} are verified again locally. An interrupted run leaves {a:DIR} as consistent as before: "
           "its index lists only complete, verified files."),
     ITEMS({"{f:--platform} {a:P}", "A platform to copy (repeatable): {q:linux-x64}, {q:linux-arm64}, "
            "{q:darwin-arm64}, {q:linux-x64-musl}... Default: this machine's."},
           {"{f:--allow-unsigned}", "Accept a mirror without signatures (the copies are then unsigned too)."}),
     ITEMS({"nodus mirror /srv/node lts/* 22 --platform linux-x64 --platform linux-arm64",
            "The LTS and the newest 22.x for two platforms."},
           {"NODUS_MIRROR=http://mirror.internal/node nodus install 22", "A machine of the fleet."})},

    {"help",
     PARAS("Without {a:COMMAND}, list the commands. With {a:COMMAND}, print its usage, summary, description, "
           "options and examples: the same text as its entry in the manual page. {q:nodus COMMAND --help} (or "
           "{f:-h}) is the same as {q:nodus help COMMAND}."),
     NO_ITEMS,
     ITEMS({"nodus help install", "Everything about install."})},

    {"audit",
     PARAS("Judge versions against the Node.js release schedule and the Node.js Security Working Group's "
           "vulnerability database: a version is end of life the day after its line's end date, and vulnerable "
           "when it satisfies an entry's {c:vulnerable} range and not its {c:patched} range, as npm's semver "
           "would say. Both facts are reported: the database stops naming a line once it is end of life, so an "
           "end-of-life version with no entry is not safe.",
           "With no argument, audit checks every installed version, the default, and every project nodus has "
           "seen choose a version (the version files {c:pin} wrote and {c:install} read, in "
           "{p:$NODUS_HOME/projects}). A {a:DIR} is scanned for version files, without following links and "
           "skipping {p:node_modules} and hidden directories; any other argument is a {a:SPEC}. Each is judged as "
           "the installed version it resolves to, else as the release {c:install} would pick. One line per "
           "finding on standard output, a {q:!} first when it fails; what to run about each failing version on "
           "standard error.",
           "The two documents are fetched first (see the settings {c:schedule_url} and {c:vulns_url}). Exit "
           "status 9 when something in scope fails, 0 when nothing does, and 4 when neither document can be had, "
           "so that a CI job never passes without data: {q:nodus audit .} checks a repository's own version "
           "files."),
     ITEMS({"{f:--json}", "Print a JSON array, one object per finding: {c:kind} ({c:installed}, {c:default}, "
                          "{c:project}, {c:spec}), {c:where} (the version file or null), {c:spec}, {c:version}, "
                          "{c:installed}, {c:fails}, and the keys of {q:nodus ls --json}."},
           {"{f:--fail-on} {a:WHAT}", "What fails: {c:eol}, {c:vulnerable}, {c:eol,vulnerable} (the default) or "
                                      "{c:none}; also written {c:--fail-on=WHAT}."},
           {"{f:--severity} {a:LEVEL}", "Only vulnerabilities of this severity or worse fail: {c:low}, "
                                        "{c:medium}, {c:high} or {c:critical}; also written "
                                        "{c:--severity=LEVEL}."}),
     ITEMS({"nodus audit", "Everything nodus knows of."},
           {"nodus audit .", "This repository's version files, for CI."},
           {"nodus audit --fail-on vulnerable --severity high .", "Fail only for high or critical ones."})},

    {"upgrade",
     PARAS("Move each installed release line, or each line an installed version matching a {a:SPEC} belongs to, "
           "to the newest release of that line in the mirror's index. For a line whose newest installed version "
           "{a:OLD} is older than the newest release {a:NEW}: {a:NEW} is installed and its {c:node --version} "
           "checked; the global npm packages of {a:OLD} (the names and versions in its {p:lib/node_modules}, npm "
           "and corepack aside) are installed into {a:NEW} with the npm of {a:NEW}, one at a time, each failure "
           "named; "
           "the default and the aliases that name {a:OLD} exactly are changed to {a:NEW} (a range such as "
           "{c:20} follows by itself); then {a:OLD} is removed, unless {f:--keep} is given or a project nodus has "
           "seen pins {a:OLD} exactly.",
           "{a:OLD} goes last: when a package cannot be installed, {a:OLD}, the default and the aliases stay as "
           "they were (status 1), and an upgrade interrupted at any point loses nothing; running it again "
           "finishes it."),
     ITEMS({"{f:--dry-run}, {f:-n}", "Print the plan and change nothing."},
           {"{f:--keep}", "Keep the old versions."}),
     ITEMS({"nodus upgrade 20", "Move the installed 20.x to the newest 20.x, global packages included."},
           {"nodus upgrade --dry-run", "What upgrading every installed line would do."})},

    {"version",
     PARAS("Print the version of nodus. The options {f:--version} and {f:-V}, given instead of a command, do the "
           "same."),
     NO_ITEMS,
     ITEMS({"nodus version", "Print the version."})},
};

static const cmd_help_t *help_find(const char *name)
{
    for (size_t i = 0; i < sizeof helps / sizeof helps[0]; i++)
        if (strcmp(helps[i].name, name) == 0)
            return &helps[i];
    return NULL;
}

/* ---- markup ---- */

/* One piece of a marked-up text: plain (kind 0) or a span. */
typedef struct {
    char kind;
    const char *s;
    size_t n;
} piece;

/* The next piece of *p; 0 at the end. */
static int next_piece(const char **p, piece *out)
{
    const char *s = *p;
    if (!*s)
        return 0;
    if (s[0] == '{' && s[1] && s[2] == ':') {
        const char *end = strchr(s + 3, '}');
        if (end) {
            *out = (piece){s[1], s + 3, (size_t)(end - s - 3)};
            *p = end + 1;
            return 1;
        }
    }
    const char *brace = strchr(s + 1, '{');
    size_t n = brace ? (size_t)(brace - s) : strlen(s);
    *out = (piece){0, s, n};
    *p = s + n;
    return 1;
}

/* Plain text of a marked-up string into buf (truncated to fit). */
static void to_plain(const char *src, char *buf, size_t n)
{
    size_t o = 0;
    piece pc;
    for (const char *p = src; next_piece(&p, &pc) && o + 1 < n;) {
        int quote = pc.kind == 'q';
        if (quote && o + 1 < n)
            buf[o++] = '\'';
        for (size_t i = 0; i < pc.n && o + 1 < n; i++)
            buf[o++] = pc.s[i];
        if (quote && o + 1 < n)
            buf[o++] = '\'';
    }
    buf[o] = '\0';
}

/* ---- plain text ---- */

/* Print text wrapped at width, every line indented by indent; the first
 * line starts at column col, where pad spaces bring it to indent. */
static void wrap(const char *text, int pad, int col, int indent, int width)
{
    const char *p = text;
    printf("%*s", pad, "");
    col += pad;
    int at_start = 1;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *w = p;
        while (*p && *p != ' ')
            p++;
        int wl = (int)(p - w);
        if (!at_start && col + 1 + wl > width) {
            printf("\n%*s", indent, "");
            col = indent;
            at_start = 1;
        }
        if (!at_start) {
            putchar(' ');
            col++;
        }
        printf("%.*s", wl, w);
        col += wl;
        at_start = 0;
    }
    putchar('\n');
}

#define WIDTH 78
#define TAG_COL 22

static void print_items(const help_item *items, int examples)
{
    char head[1024], text[4096];
    for (const help_item *it = items; it->head; it++) {
        to_plain(it->head, head, sizeof head);
        to_plain(it->text, text, sizeof text);
        int hl = (int)strlen(head);
        if (!examples && hl + 4 <= TAG_COL) {
            printf("  %s", head);
            wrap(text, TAG_COL - 2 - hl, 2 + hl, TAG_COL, WIDTH);
        } else {
            int ind = examples ? 6 : TAG_COL;
            printf("  %s\n", head);
            wrap(text, ind, 0, ind, WIDTH);
        }
    }
}

static void print_help(const cmd_def *c, const cmd_help_t *h)
{
    cmd_print_usage(c);
    if (!h)
        return;
    char text[4096];
    for (const char *const *para = h->paras; *para; para++) {
        to_plain(*para, text, sizeof text);
        putchar('\n');
        wrap(text, 0, 0, 0, WIDTH);
    }
    if (h->items[0].head) {
        printf("\n%s:\n", strncmp(h->items[0].head, "{f:", 3) == 0 ? "options" : "subcommands");
        print_items(h->items, 0);
    }
    if (h->examples[0].head) {
        printf("\nexamples:\n");
        print_items(h->examples, 1);
    }
}

/* ---- mdoc ---- */

static int is_delim(char c)
{
    return c && strchr(".,:;)?!", c) != NULL;
}

/* One macro argument: words that mdoc would take for a macro name or a
 * delimiter are protected with \&; quotes and backslashes escaped. */
static void mdoc_arg(const char *w, size_t n)
{
    int macro_like = (n == 2 || n == 3) && isupper((unsigned char)w[0]) && islower((unsigned char)w[1]) &&
                     (n == 2 || islower((unsigned char)w[2]));
    int all_delim = 1;
    for (size_t i = 0; i < n; i++)
        if (!strchr(".,:;()[]?!|", w[i]))
            all_delim = 0;
    putchar(' ');
    if (macro_like || all_delim)
        fputs("\\&", stdout);
    for (size_t i = 0; i < n; i++) {
        if (w[i] == '"')
            fputs("\\(dq", stdout);
        else if (w[i] == '\\')
            fputs("\\e", stdout);
        else
            putchar(w[i]);
    }
}

static void mdoc_args(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t start = i;
        while (i < n && s[i] != ' ')
            i++;
        if (i > start)
            mdoc_arg(s + start, i - start);
    }
}

static const char *mdoc_macro(char kind)
{
    switch (kind) {
    case 'a':
        return "Ar";
    case 'f':
        return "Fl";
    case 'c':
        return "Cm";
    case 'q':
        return "Ql";
    case 'p':
        return "Pa";
    case 'e':
        return "Ev";
    default:
        return "No";
    }
}

/* A text line being built: flushed when a macro line or the end comes. */
typedef struct {
    char buf[4096];
    size_t n;
} textline;

static void tl_flush(textline *t)
{
    while (t->n && t->buf[t->n - 1] == ' ')
        t->n--;
    size_t s = 0;
    while (s < t->n && t->buf[s] == ' ')
        s++;
    if (s < t->n) {
        if (t->buf[s] == '.' || t->buf[s] == '\'')
            fputs("\\&", stdout);
        printf("%.*s\n", (int)(t->n - s), t->buf + s);
    }
    t->n = 0;
}

static void tl_put(textline *t, char c)
{
    if (t->n + 3 < sizeof t->buf) {
        if (c == '\\') {
            t->buf[t->n++] = '\\';
            c = 'e';
        }
        t->buf[t->n++] = c;
    }
}

/* Marked-up text as mdoc lines: one sentence a line, spans as macro lines. */
static void mdoc_text(const char *src)
{
    textline t = {.n = 0};
    piece pc;
    const char *p = src;
    while (next_piece(&p, &pc)) {
        if (pc.kind == 0) {
            for (size_t i = 0; i < pc.n; i++) {
                char c = pc.s[i];
                if (t.n == 0 && c == ' ')
                    continue;
                tl_put(&t, c);
                /* ". X": a new sentence starts on a new line */
                if ((c == '.' || c == '?' || c == '!') && i + 2 < pc.n && pc.s[i + 1] == ' ' &&
                    (isupper((unsigned char)pc.s[i + 2]) || isdigit((unsigned char)pc.s[i + 2])))
                    tl_flush(&t);
            }
            continue;
        }
        /* An opening parenthesis right before the span goes with it. */
        int open = t.n && t.buf[t.n - 1] == '(';
        if (open)
            t.n--;
        tl_flush(&t);
        printf(".%s", mdoc_macro(pc.kind));
        if (open)
            fputs(" (", stdout);
        if (pc.kind == 'f' && pc.n && pc.s[0] == '-')
            mdoc_args(pc.s + 1, pc.n - 1);
        else
            mdoc_args(pc.s, pc.n);
        while (is_delim(*p)) {
            printf(" %c", *p);
            p++;
        }
        putchar('\n');
    }
    tl_flush(&t);
}

/* A head of an item (only spans and spaces) as the rest of an .It line. */
static void mdoc_head(const char *src, int example)
{
    if (example) {
        fputs(" Ic", stdout);
        mdoc_args(src, strlen(src));
        return;
    }
    piece pc;
    for (const char *p = src; next_piece(&p, &pc);) {
        if (pc.kind == 0) {
            /* Between spans only punctuation counts ("--dry-run, -n"). */
            for (size_t i = 0; i < pc.n; i++)
                if (is_delim(pc.s[i]))
                    printf(" %c", pc.s[i]);
            continue;
        }
        printf(" %s", mdoc_macro(pc.kind));
        if (pc.kind == 'f' && pc.n && pc.s[0] == '-')
            mdoc_args(pc.s + 1, pc.n - 1);
        else
            mdoc_args(pc.s, pc.n);
    }
}

/* "exec [--install] SPEC -- COMMAND [ARG...]" as one mdoc macro line. */
static void mdoc_usage(const char *u)
{
    fputs(".Nm\n", stdout);
    const char *p = u;
    int first = 1;
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        printf(first ? "." : " ");
        first = 0;
        if (*p == '[' || *p == ']' || *p == '|') {
            fputs(*p == '[' ? "Oo" : *p == ']' ? "Oc" : "|", stdout);
            p++;
            continue;
        }
        const char *w = p;
        while (*p && !strchr(" []|", *p))
            p++;
        size_t n = (size_t)(p - w);
        int dots = n > 3 && strncmp(p - 3, "...", 3) == 0;
        if (dots)
            n -= 3;
        int upper = 1;
        for (size_t i = 0; i < n; i++)
            if (!isupper((unsigned char)w[i]) && !isdigit((unsigned char)w[i]) && w[i] != '_')
                upper = 0;
        if (w[0] == '-') {
            fputs("Fl", stdout);
            mdoc_arg(w + 1, n - 1);
        } else {
            fputs(upper ? "Ar" : "Cm", stdout);
            mdoc_arg(w, n);
        }
        if (dots)
            fputs(" ...", stdout);
    }
    putchar('\n');
}

static void mdoc_items(const help_item *items, int example)
{
    fputs(".Bl -tag -width Ds\n", stdout);
    for (const help_item *it = items; it->head; it++) {
        fputs(".It", stdout);
        mdoc_head(it->head, example);
        putchar('\n');
        mdoc_text(it->text);
    }
    fputs(".El\n", stdout);
}

/* The COMMANDS section of man/nodus.1, from the command table and the help
 * texts. Returns non-zero when a command has no help text. */
static int print_mdoc(void)
{
    int rc = 0;
    for (const cmd_def *c = nodus_commands; c->name; c++) {
        const cmd_help_t *h = help_find(c->name);
        if (!h) {
            msg_err("the command '%s' has no help text in src/cmd_help.c", c->name);
            rc = EXIT_FAIL;
            continue;
        }
        printf(".Ss %s\n", c->name);
        mdoc_usage(c->usage);
        /* The summary, as a sentence. */
        printf(".Pp\n%c%s.\n", toupper((unsigned char)c->summary[0]), c->summary + 1);
        for (const char *const *para = h->paras; *para; para++) {
            fputs(".Pp\n", stdout);
            mdoc_text(*para);
        }
        if (h->items[0].head)
            mdoc_items(h->items, 0);
        if (h->examples[0].head) {
            fputs(".Pp\nExamples:\n", stdout);
            mdoc_items(h->examples, 1);
        }
    }
    return rc;
}

void cmd_help_options(const char *cmd, char *buf, size_t n)
{
    const cmd_help_t *h = help_find(cmd);
    size_t o = 0;
    buf[0] = '\0';
    for (const help_item *it = h ? h->items : NULL; it && it->head; it++) {
        piece pc;
        for (const char *p = it->head; next_piece(&p, &pc);)
            if (pc.kind == 'f' && o + pc.n + 2 < n) {
                memcpy(buf + o, pc.s, pc.n);
                o += pc.n;
                buf[o++] = ' ';
                buf[o] = '\0';
            }
    }
}

/* ---- the command ---- */

static void overview(void)
{
    printf("nodus %s - a Node.js version manager\n\n"
           "usage: nodus [--offline] [--quiet] [--verbose] [--json] [--no-color] COMMAND [ARGS]\n\n"
           "commands:\n", NODUS_VERSION_STR);
    for (const cmd_def *c = nodus_commands; c->name; c++)
        printf("  %-10s %s\n", c->name, c->summary);
    printf("\nversion specs: 22.11.0, 22, ^20.1, '>=18 <21', lts/*, lts/iron, lts/-1, latest, system\n"
           "get started:   nodus install --lts && nodus default lts/*\n"
           "see 'nodus help COMMAND' or 'man nodus' for more.\n");
}

int cmd_help(nodus_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc == 0) {
        overview();
        return 0;
    }
    if (strcmp(argv[0], "--commands") == 0) {
        for (const cmd_def *c = nodus_commands; c->name; c++)
            puts(c->name);
        return 0;
    }
    if (strcmp(argv[0], "--mdoc") == 0)
        return print_mdoc();
    if (argc > 1)
        return cmd_bad_option("help", argv[1]);
    const char *name = argv[0];
    if (strcmp(name, "list") == 0)
        name = "ls";
    else if (strcmp(name, "list-remote") == 0)
        name = "ls-remote";
    const cmd_def *c = cmd_find(name);
    if (!c)
        return suggest_unknown_command(argv[0]);
    print_help(c, help_find(c->name));
    return 0;
}
