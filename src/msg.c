#include "msg.h"
#include "visible.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A message longer than this (made visible) is shortened in the middle: the
 * head says what failed, the tail says why and what to do, and an outside
 * string of any length (a 5 KB tar entry name) sits in between. */
#define MSG_SHOW 4096

/* The format's own line breaks (a usage hint of several lines) are the only
 * ones kept: they are the text after the format's first newline, which
 * then may hold no conversion. Anything substituted into a message is
 * outside text as far as this function knows, and is shown made visible,
 * so no argument can start a line that looks like nodus's own. */
static const char *trusted_tail(const char *fmt)
{
    const char *nl = strchr(fmt, '\n');
    return nl && !strchr(nl, '%') ? nl : NULL;
}

/* One fprintf per message so concurrent writers do not interleave lines. */
static void emit(const char *prefix, const char *fmt, va_list ap)
{
    char small[1024], *line = small, *head = NULL;
    const char *tail = trusted_tail(fmt);
    if (tail) {
        head = strndup(fmt, (size_t)(tail - fmt));
        if (!head)
            tail = NULL;
    }
    va_list again;
    va_copy(again, ap);
    int len = vsnprintf(small, sizeof small, head ? head : fmt, ap);
    if (len >= (int)sizeof small && (line = malloc((size_t)len + 1)) != NULL)
        vsnprintf(line, (size_t)len + 1, head ? head : fmt, again);
    else if (len >= (int)sizeof small)
        line = small; /* out of memory: the start of it, cut, is all we can say */
    va_end(again);
    if (len < 0)
        len = 0;
    size_t have = line == small && (size_t)len >= sizeof small ? sizeof small - 1 : (size_t)len;
    char shown[MSG_SHOW];
    vis_mem(shown, sizeof shown, line, have);
    fprintf(stderr, "%s%s%s\n", prefix, shown, tail ? tail : "");
    if (line != small)
        free(line);
    free(head);
}

void msg_err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("nodus: ", fmt, ap);
    va_end(ap);
}

void msg_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("nodus: warning: ", fmt, ap);
    va_end(ap);
}

void msg_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("", fmt, ap);
    va_end(ap);
}
