/* "Did you mean": the edit distance, the nearness limit, and the options
 * a command is known to take (suggest.h). */
#include "suggest.h"
#include "tap.h"

#include <stdint.h>

static const char *nearest(const char *word, const char *words)
{
    static suggest_t s;
    suggest_init(&s, word);
    suggest_add_words(&s, words);
    return suggest_result(&s);
}

static const char *nearest_option(const char *cmd, const char *word)
{
    static suggest_t s;
    suggest_init(&s, word);
    suggest_add_options(&s, cmd);
    return suggest_result(&s);
}

int main(void)
{
    is_int(suggest_distance("install", "install"), 0, "the same word: 0");
    is_int(suggest_distance("isntall", "install"), 1, "two neighbours swapped: one edit");
    is_int(suggest_distance("instal", "install"), 1, "a letter missing: one edit");
    is_int(suggest_distance("mirorr", "mirror"), 1, "mirorr -> mirror: one swap");
    is_int(suggest_distance("mrrior", "mirror"), 2, "mrrior -> mirror: two edits");
    is_int(suggest_distance("", "ls"), 2, "empty: the length of the other");
    char longw[80];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    ok(suggest_distance(longw, "install") == SIZE_MAX, "a word longer than 63 bytes is near nothing");

    const char *cmds = "install uninstall ls ls-remote use pin default current which exec init";
    is_str(nearest("isntall", cmds), "install", "isntall: install");
    is_str(nearest("unistall", cmds), "uninstall", "unistall: uninstall");
    is_str(nearest("lsremote", cmds), "ls-remote", "lsremote: ls-remote");
    is_str(nearest("uze", cmds), "use", "uze: use (short word, one edit)");
    is_str(nearest("us", cmds), "ls", "us: ls and use are as near; the first in the table wins");
    is_str(nearest("frobnicate", cmds), NULL, "nothing near: no suggestion");
    is_str(nearest("xy", cmds), NULL, "a short word two edits away: none");
    is_str(nearest("install", cmds), NULL, "the word itself is not suggested");
    is_str(nearest("mirorr", "mirror index_ttl archive_format"), "mirror", "config key: mirror");

    is_str(nearest_option("install", "--lst"), "--lts", "install --lst: --lts");
    is_str(nearest_option("install", "--allow-unsinged"), "--allow-unsigned", "from the help items");
    is_str(nearest_option("ls", "--jsno"), "--json", "ls --jsno: --json");
    is_str(nearest_option("ls", "--ofline"), "--offline", "global options count for every command");
    is_str(nearest_option("prune", "--dryrun"), "--dry-run", "prune --dryrun: --dry-run");
    is_str(nearest_option("default", "--unste"), "--unset", "default --unste: --unset");
    is_str(nearest_option("exec", "--instal"), "--install", "exec --instal: --install");
    is_str(nearest_option("ls", "--zzzzzz"), NULL, "nothing near: none");
    is_str(nearest_option("no-such-command", "--jsn"), "--json", "an unknown command still has the globals");
    return tap_done();
}
