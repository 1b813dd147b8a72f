#include "suggest.h"
#include "cmd.h"
#include "msg.h"
#include "strutil.h"

#include <stdint.h>
#include <string.h>

#define WORD_MAX 64

size_t suggest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= WORD_MAX || lb >= WORD_MAX)
        return SIZE_MAX;
    size_t d[WORD_MAX][WORD_MAX];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t best = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

void suggest_init(suggest_t *s, const char *word)
{
    s->word = word;
    s->best[0] = '\0';
    s->dist = SIZE_MAX;
}

void suggest_add(suggest_t *s, const char *cand)
{
    size_t d = suggest_distance(s->word, cand);
    if (d == 0) { /* the word is known: nothing to suggest */
        s->best[0] = '\0';
        s->dist = 0;
        return;
    }
    /* The first of equally near candidates wins: the table's order. */
    if (d < s->dist && str_copy(s->best, sizeof s->best, cand) == 0)
        s->dist = d;
}

void suggest_add_words(suggest_t *s, const char *words)
{
    char w[WORD_MAX];
    for (const char *p = words; *p;) {
        size_t n = strcspn(p, " ");
        if (n > 0 && n < sizeof w) {
            memcpy(w, p, n);
            w[n] = '\0';
            suggest_add(s, w);
        }
        p += n;
        p += strspn(p, " ");
    }
}

const char *suggest_result(const suggest_t *s)
{
    size_t len = strlen(s->word);
    /* Leading dashes do not count towards what makes a word long. */
    size_t core = len - strspn(s->word, "-");
    size_t limit = core <= 4 ? 1 : 2;
    return s->best[0] && s->dist <= limit ? s->best : NULL;
}

/* "--lts", "-q" words in any text: option names are lower-case letters,
 * digits and inner dashes. */
static void add_dash_words(suggest_t *s, const char *text)
{
    for (const char *p = text; (p = strchr(p, '-')) != NULL;) {
        if (p > text && (p[-1] == '-' || (p[-1] >= 'a' && p[-1] <= 'z'))) {
            p++;
            continue;
        }
        const char *e = p;
        while (*e == '-')
            e++;
        while ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') || (*e == '-' && e[1] >= 'a' && e[1] <= 'z'))
            e++;
        char w[WORD_MAX];
        size_t n = (size_t)(e - p);
        if (n > 1 && n < sizeof w && p[n - 1] != '-') {
            memcpy(w, p, n);
            w[n] = '\0';
            suggest_add(s, w);
        }
        p = e > p ? e : p + 1;
    }
}

void suggest_add_options(suggest_t *s, const char *cmd)
{
    const cmd_def *c = cmd_find(cmd);
    if (c)
        add_dash_words(s, c->usage);
    char opts[1024];
    cmd_help_options(cmd, opts, sizeof opts);
    add_dash_words(s, opts);
    suggest_add_words(s, "--help -h --offline --quiet -q --json --no-color");
}

int suggest_unknown_command(const char *name)
{
    suggest_t s;
    suggest_init(&s, name);
    if (name[0] == '-') {
        suggest_add_words(&s, "--help -h --version -V --offline --quiet -q --json --no-color");
    } else {
        for (const cmd_def *c = nodus_commands; c->name; c++)
            suggest_add(&s, c->name);
        suggest_add_words(&s, "list list-remote");
    }
    const char *near = suggest_result(&s);
    if (name[0] == '-' && near)
        msg_err("'%s' is not a nodus option; did you mean '%s'? see 'nodus help'", name, near);
    else if (name[0] == '-')
        msg_err("'%s' is not a nodus option; see 'nodus help'", name);
    else if (near)
        msg_err("'%s' is not a nodus command; did you mean '%s'? see 'nodus help'", name, near);
    else
        msg_err("'%s' is not a nodus command; see 'nodus help'", name);
    return EXIT_USAGE;
}
