#include "msg.h"

#include <stdarg.h>
#include <stdio.h>

/* One fprintf per message so concurrent writers do not interleave lines. */
static void emit(const char *prefix, const char *fmt, va_list ap)
{
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    fprintf(stderr, "%s%s\n", prefix, line);
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
