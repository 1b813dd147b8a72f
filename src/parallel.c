#include "parallel.h"
#include "msg.h"
#include "platform_compat.h"
#include "progress.h"
#include "stopsig.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { J_WAITING, J_RUNNING, J_DONE, J_FAILED };

/* A child's line is relayed whole when it fits in this; a longer one goes
 * out in pieces of this size, in order, never cut short. */
#define RELAY_LINE 4096

/* Progress rows are redrawn at most this often (seconds). */
#define DRAW_EVERY 0.1

typedef struct {
    pid_t pid;
    int fd;     /* read end of the child's stderr; -1 when not open */
    int state;
    int status; /* exit status, once ended */
    size_t len; /* bytes of an unfinished line in line[] */
    char line[RELAY_LINE];
} par_job;

typedef struct {
    nodus_ctx *ctx;
    size_t n;
    par_job *jobs;
    const char *const *labels;
    progress_slot *slots; /* shared with the children; NULL: no rows drawn */
    int rows;             /* progress rows on the screen now */
    double last_draw;
} par_state;

int par_default_jobs(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > 4 ? 4 : (int)cores;
}

/* The rows go up the screen the way they came down: each ends with a
 * newline and is kept shorter than 80 columns, so none wraps. */
static void rows_clear(par_state *st)
{
    if (st->rows)
        fprintf(stderr, "\033[%dA\r\033[J", st->rows);
    st->rows = 0;
}

static void row_draw(par_state *st, size_t i)
{
    uint64_t now = atomic_load_explicit(&st->slots[i].now, memory_order_relaxed);
    uint64_t total = atomic_load_explicit(&st->slots[i].total, memory_order_relaxed);
    char got[32], all[32], bar[25];
    format_bytes(got, sizeof got, (double)now);
    format_bytes(all, sizeof all, (double)total);
    int width = 24, fill = total ? (int)((double)(now < total ? now : total) * width / (double)total) : 0;
    for (int k = 0; k < width; k++)
        bar[k] = k < fill ? '#' : '.';
    bar[width] = '\0';
    /* Labels are release names from the mirror's index (checked semver:
     * digits, dots, letters, hyphens). 28 columns hold any real one; a
     * longer one, which would wrap the row and break the redraw, is shown
     * with its end replaced by "...", never cut without a sign. */
    const char *label = st->labels[i];
    int shown = strlen(label) > 28 ? 25 : 28;
    const char *more = shown == 25 ? "..." : "";
    if (total)
        fprintf(stderr, "%-*.*s%s [%s] %s / %s\n", shown, shown, label, more, bar, got, all);
    else
        fprintf(stderr, "%-*.*s%s %s\n", shown, shown, label, more, now ? got : "starting");
    st->rows++;
}

static void rows_draw(par_state *st)
{
    if (!st->slots)
        return;
    rows_clear(st);
    size_t waiting = 0, ended = 0, failed = 0;
    for (size_t i = 0; i < st->n; i++) {
        if (st->jobs[i].state == J_RUNNING)
            row_draw(st, i);
        else if (st->jobs[i].state == J_WAITING)
            waiting++;
        else
            ended++, failed += st->jobs[i].state == J_FAILED;
    }
    if (waiting || ended) {
        fprintf(stderr, "%zu of %zu ended", ended, st->n);
        if (failed)
            fprintf(stderr, " (%zu failed)", failed);
        if (waiting)
            fprintf(stderr, ", %zu waiting", waiting);
        fputc('\n', stderr);
        st->rows++;
    }
    fflush(stderr);
    st->last_draw = monotonic_seconds();
}

static void emit(par_state *st, const char *s, size_t n, int newline)
{
    rows_clear(st);
    fwrite(s, 1, n, stderr);
    if (newline)
        fputc('\n', stderr);
    st->last_draw = 0; /* the rows are redrawn below what was said */
}

/* Whole lines out of what a child wrote; the rest waits for more. */
static void relay(par_state *st, par_job *j, const char *buf, size_t n)
{
    while (n) {
        const char *nl = memchr(buf, '\n', n);
        size_t take = nl ? (size_t)(nl - buf) + 1 : n;
        if (j->len + take > sizeof j->line) {
            emit(st, j->line, j->len, 0); /* a line longer than the buffer: out in pieces */
            j->len = 0;
            if (take > sizeof j->line) {
                emit(st, buf, take, 0);
                buf += take;
                n -= take;
                continue;
            }
        }
        memcpy(j->line + j->len, buf, take);
        j->len += take;
        buf += take;
        n -= take;
        if (nl) {
            emit(st, j->line, j->len, 0);
            j->len = 0;
        }
    }
}

static int job_start(par_state *st, size_t i, par_job_fn fn, void *arg, const sigset_t *old)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(p[0]);
        close(p[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        sigprocmask(SIG_SETMASK, old, NULL);
        close(p[0]);
        for (size_t k = 0; k < st->n; k++)
            if (st->jobs[k].fd >= 0)
                close(st->jobs[k].fd);
        if (dup2(p[1], STDERR_FILENO) < 0)
            _exit(EXIT_FAIL);
        close(p[1]);
        nodus_ctx *ctx = st->ctx;
        ctx->progress = 0;
        ctx->progress_slot = st->slots ? &st->slots[i] : NULL;
        ctx->link_shared = 1;
        int rc = fn(ctx, i, arg);
        fflush(stdout);
        fflush(stderr);
        _exit(rc < 0 || rc > 255 ? EXIT_FAIL : rc);
    }
    close(p[1]);
    st->jobs[i].pid = pid;
    st->jobs[i].fd = p[0];
    st->jobs[i].state = J_RUNNING;
    return 0;
}

static void job_end(par_state *st, size_t i, int stopping)
{
    par_job *j = &st->jobs[i];
    if (j->len) {
        emit(st, j->line, j->len, 1); /* its last line had no newline */
        j->len = 0;
    }
    close(j->fd);
    j->fd = -1;
    int ws = 0;
    while (waitpid(j->pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(ws)) {
        j->status = WEXITSTATUS(ws);
    } else {
        j->status = EXIT_FAIL;
        if (!stopping) {
            rows_clear(st);
            msg_err("%s: stopped by signal %d", st->labels[i], WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
        }
    }
    j->state = j->status == 0 ? J_DONE : J_FAILED;
}

/* Reads what is there from each running child; a closed pipe is a child
 * that has ended, and is waited for. Returns how many ended. */
static int read_children(par_state *st, int stopping)
{
    struct pollfd fds[PAR_MAX_JOBS];
    size_t who[PAR_MAX_JOBS];
    nfds_t k = 0;
    for (size_t i = 0; i < st->n && k < PAR_MAX_JOBS; i++)
        if (st->jobs[i].fd >= 0) {
            fds[k].fd = st->jobs[i].fd;
            fds[k].events = POLLIN;
            fds[k].revents = 0;
            who[k++] = i;
        }
    int r = poll(fds, k, (int)(DRAW_EVERY * 1000));
    if (r < 0 && errno != EINTR) {
        /* Cannot watch them: wait for each to end, unrelayed lines and all. */
        for (nfds_t m = 0; m < k; m++)
            job_end(st, who[m], stopping);
        return (int)k;
    }
    int ended = 0;
    for (nfds_t m = 0; r > 0 && m < k; m++) {
        if (!fds[m].revents)
            continue;
        char buf[4096];
        ssize_t got = read(fds[m].fd, buf, sizeof buf);
        if (got > 0) {
            relay(st, &st->jobs[who[m]], buf, (size_t)got);
        } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
            job_end(st, who[m], stopping);
            ended++;
        }
    }
    return ended;
}

int par_run(nodus_ctx *ctx, size_t n, int jobs, const char *const *labels, par_job_fn job, void *arg, int *status)
{
    par_state st = {.ctx = ctx, .n = n, .labels = labels};
    if (!(st.jobs = calloc(n ? n : 1, sizeof *st.jobs))) {
        msg_err("out of memory");
        return EXIT_FAIL;
    }
    for (size_t i = 0; i < n; i++)
        st.jobs[i].fd = -1;
    if (ctx->progress && !ctx->quiet)
        st.slots = compat_shared_alloc(n * sizeof *st.slots); /* NULL: installs go on, undrawn */
    jobs = jobs < 1 ? 1 : jobs > PAR_MAX_JOBS ? PAR_MAX_JOBS : jobs;

    /* Held until the end so that the parent outlives its children: it
     * relays their last words and clears the rows before a signal that
     * came ends it too. */
    sigset_t old;
    stopsig_block(&old);

    size_t next = 0;
    int running = 0, stopping = 0;
    for (;;) {
        while (!stopping && running < jobs && next < n) {
            if (job_start(&st, next, job, arg, &old) == 0) {
                running++;
            } else {
                rows_clear(&st);
                msg_err("cannot start a process for %s: %s; install it again with --jobs 1, or when the "
                        "machine runs fewer processes", labels[next], strerror(errno));
                st.jobs[next].state = J_FAILED;
                st.jobs[next].status = EXIT_FAIL;
            }
            next++;
        }
        if (running == 0)
            break;
        running -= read_children(&st, stopping);
        if (!stopping && stopsig_pending()) {
            /* Ctrl-C reached the children too; a kill aimed at the
             * parent alone is passed on. */
            stopping = 1;
            for (size_t i = 0; i < n; i++)
                if (st.jobs[i].state == J_RUNNING)
                    kill(st.jobs[i].pid, SIGTERM);
        }
        if (st.slots && monotonic_seconds() - st.last_draw >= DRAW_EVERY)
            rows_draw(&st);
    }
    rows_clear(&st);
    fflush(stderr);

    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        status[i] = st.jobs[i].state == J_WAITING ? EXIT_FAIL : st.jobs[i].status; /* never started */
        if (status[i] && !rc)
            rc = status[i];
    }
    compat_shared_free(st.slots, n * sizeof *st.slots);
    free(st.jobs);
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}
