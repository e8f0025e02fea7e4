/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Subprocesses: argv built by the caller (no shell), an explicit
 * environment, captured output, a deadline, and the process group killed on
 * expiry.
 *
 * Choices worth knowing:
 *
 * - Everything the child needs (argv, envp, the resolved program path, the
 *   descriptors) is prepared before fork(), so that between fork() and
 *   execve() the child only makes async-signal-safe calls and never
 *   allocates: the caller may be multi-threaded.
 * - A name without '/' is looked up in the *child's* PATH, in the parent,
 *   before fork(). Not finding it gives BATON_EXEC_NOT_FOUND without forking.
 * - The child reports a failed execve() through a close-on-exec pipe, so a
 *   missing program (BATON_EXEC_NOT_FOUND) cannot be confused with a
 *   program that exits 127.
 * - The child's exit is noticed without reaping it (waitid WNOWAIT), through
 *   a pidfd where the kernel has one and by polling with short sleeps where
 *   it does not. While the child is an unreaped zombie its pid, and so the
 *   id of the process group it leads, cannot be reused: kill(-pgid) after
 *   its exit cannot hit an unrelated group.
 * - Once the child has exited, output is read until both pipes reach EOF,
 *   but for at most COMMAND_DRAIN_MS (or until the deadline, if earlier):
 *   a background grandchild that inherited stdout must not make the run
 *   hang. If the pipes are still held open after that, the group is
 *   SIGKILLed (the holder is a stray of this command) and the run ends with
 *   the child's own exit status. If the pipes reached EOF, left-over group
 *   members are left alone: they detached from our output, as a daemon
 *   started by the command would.
 * - On expiry of the deadline the group gets SIGTERM, then SIGKILL after the
 *   grace period or as soon as the child has exited (members that survived
 *   SIGTERM that long are not going to leave on their own).
 * - SIGPIPE: writing the input to a child that closed its stdin raises
 *   SIGPIPE, whose default action would kill the caller. send(MSG_NOSIGNAL)
 *   exists only for sockets, and changing the process-wide disposition
 *   would race with other threads; so SIGPIPE is blocked in the calling
 *   thread for the duration of the run, and a SIGPIPE our own write raised
 *   is consumed with sigtimedwait() before the caller's mask is restored.
 *   (One sent to the process by someone else during such a run would be
 *   consumed too: the two cannot be told apart; one already pending before
 *   the run is left alone.) EPIPE itself just means "the child does not
 *   want the rest".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <baton/command.h>
#include <baton/log.h>
#include <baton/strutil.h>

#include "util-internal.h"

#define COMMAND_DEFAULT_PATH "/usr/sbin:/usr/bin:/sbin:/bin"
/*
 * The grace period is spent after the deadline, that is inside the margin
 * kept back from Pacemaker's timeout; the margin is at most this much.
 */
#define COMMAND_GRACE_MAX_MS BATON_DEADLINE_MARGIN_MAX_MS
/* How long output is still read after the child exited (see above). */
#define COMMAND_DRAIN_MS 100
/* How long to wait for the child to die after SIGKILL before giving up on it. */
#define COMMAND_KILL_WAIT_MS 500
/* Exit polling interval when the kernel has no pidfd_open(). */
#define COMMAND_WAIT_POLL_MS 10
#define COMMAND_IO_CHUNK 16384
/* Reads of already buffered output after the run ended, per stream. */
#define COMMAND_SLURP_MAX_READS 64

/*
 * Test hook: pretend the kernel lacks pidfd_open()/close_range(), so the
 * fallbacks run in make check. Not in a header on purpose; the unit test
 * declares it itself. Not exported from the shared library (double
 * underscore).
 */
#define BATON__COMMAND_TEST_NO_PIDFD (1u << 0)
#define BATON__COMMAND_TEST_NO_CLOSE_RANGE (1u << 1)
void baton__command_test_set_flags(unsigned flags);
static unsigned command_test_flags;

void baton__command_test_set_flags(unsigned flags)
{
    command_test_flags = flags;
}

struct baton_command {
    int error;                  /* first setup error, negative errno */
    char **argv;                /* argc entries plus NULL */
    size_t argc;
    char **env;                 /* "NAME=value", envc entries plus NULL */
    size_t envc;
    unsigned char *input;
    size_t input_len;
    bool has_input;
    baton_deadline deadline;
    int64_t grace_ms;
    size_t capture_max;
    bool quiet_argv;
    struct rlimit rlimits[RLIM_NLIMITS];
    bool rlimit_set[RLIM_NLIMITS];
};

static const char *const exec_status_names[] = {
    [BATON_EXEC_DONE] = "done",
    [BATON_EXEC_SIGNALED] = "signaled",
    [BATON_EXEC_TIMEOUT] = "timeout",
    [BATON_EXEC_NOT_FOUND] = "not-found",
    [BATON_EXEC_ERROR] = "error",
};
_Static_assert(BATON_ELEMENTSOF(exec_status_names) == BATON_EXEC_STATUS_MAX,
               "exec_status_names must name every baton_exec_status");

const char *baton_exec_status_name(baton_exec_status s)
{
    /* Callers print this; "unknown" is safer than NULL in a printf. */
    if ((unsigned) s >= BATON_EXEC_STATUS_MAX)
        return "unknown";
    return exec_status_names[s];
}

/* ------------------------------------------------------------------ setup */

static void command_fail(baton_command *cmd, int error)
{
    if (cmd && cmd->error == 0)
        cmd->error = error;
}

static void command_push_arg(baton_command *cmd, char *arg)
{
    int r;

    if (!arg) {
        command_fail(cmd, -ENOMEM);
        return;
    }
    r = baton_strv_push(&cmd->argv, &cmd->argc, arg);
    if (r < 0)
        command_fail(cmd, r);
}

baton_command *baton_command_new(const char *path)
{
    baton_command *cmd = calloc(1, sizeof(*cmd));

    if (!cmd)
        return NULL;
    cmd->deadline = baton_deadline_in(-1);
    cmd->grace_ms = BATON_COMMAND_DEFAULT_GRACE_MS;
    cmd->capture_max = BATON_COMMAND_CAPTURE_MAX;
    baton_command_add_env(cmd, "PATH", COMMAND_DEFAULT_PATH);
    baton_command_add_env(cmd, "LC_ALL", "C");
    baton_command_add_arg(cmd, path);
    return cmd;
}

baton_command *baton_command_free(baton_command *cmd)
{
    if (!cmd)
        return NULL;
    baton_strv_free(cmd->argv);
    baton_strv_free(cmd->env);
    if (cmd->input) {
        /* The input is how secrets reach children; do not leave it in freed memory. */
        explicit_bzero(cmd->input, cmd->input_len);
        free(cmd->input);
    }
    free(cmd);
    return NULL;
}

void baton_command_add_arg(baton_command *cmd, const char *arg)
{
    if (!cmd || cmd->error)
        return;
    if (!arg) {
        command_fail(cmd, -EINVAL);
        return;
    }
    command_push_arg(cmd, strdup(arg));
}

void baton_command_add_argf(baton_command *cmd, const char *fmt, ...)
{
    va_list ap;

    if (!cmd || cmd->error)
        return;
    if (!fmt) {
        command_fail(cmd, -EINVAL);
        return;
    }
    va_start(ap, fmt);
    command_push_arg(cmd, baton__vasprintf(fmt, ap));
    va_end(ap);
}

void baton_command_add_args(baton_command *cmd, ...)
{
    va_list ap;
    const char *arg;

    if (!cmd || cmd->error)
        return;
    va_start(ap, cmd);
    while ((arg = va_arg(ap, const char *)))
        baton_command_add_arg(cmd, arg);
    va_end(ap);
}

static bool env_name_valid(const char *name)
{
    return !baton__isempty(name) && !strchr(name, '=');
}

void baton_command_add_env(baton_command *cmd, const char *name, const char *value)
{
    size_t n;
    char *entry;
    int r;

    if (!cmd || cmd->error)
        return;
    if (!env_name_valid(name) || !value) {
        command_fail(cmd, -EINVAL);
        return;
    }
    entry = baton_strdup_printf("%s=%s", name, value);
    if (!entry) {
        command_fail(cmd, -ENOMEM);
        return;
    }
    n = strlen(name);
    for (size_t i = 0; i < cmd->envc; i++) {
        if (strncmp(cmd->env[i], name, n) == 0 && cmd->env[i][n] == '=') {
            free(cmd->env[i]);
            cmd->env[i] = entry;
            return;
        }
    }
    r = baton_strv_push(&cmd->env, &cmd->envc, entry);
    if (r < 0)
        command_fail(cmd, r);
}

void baton_command_pass_env(baton_command *cmd, const char *name)
{
    const char *value;

    if (!cmd || cmd->error)
        return;
    if (!env_name_valid(name)) {
        command_fail(cmd, -EINVAL);
        return;
    }
    value = getenv(name);
    if (value)
        baton_command_add_env(cmd, name, value);
}

void baton_command_set_input(baton_command *cmd, const void *buf, size_t len)
{
    if (!cmd || cmd->error)
        return;
    /* A second input is a caller bug: which one was meant? */
    if (cmd->has_input || (!buf && len > 0)) {
        command_fail(cmd, -EINVAL);
        return;
    }
    cmd->input = malloc(len > 0 ? len : 1);
    if (!cmd->input) {
        command_fail(cmd, -ENOMEM);
        return;
    }
    if (len > 0)
        memcpy(cmd->input, buf, len);
    cmd->input_len = len;
    cmd->has_input = true;
}

void baton_command_set_deadline(baton_command *cmd, baton_deadline deadline)
{
    if (cmd)
        cmd->deadline = deadline;
}

void baton_command_set_grace_ms(baton_command *cmd, int64_t grace_ms)
{
    if (!cmd || cmd->error)
        return;
    if (grace_ms < 0) {
        command_fail(cmd, -EINVAL);
        return;
    }
    cmd->grace_ms = grace_ms > COMMAND_GRACE_MAX_MS ? COMMAND_GRACE_MAX_MS : grace_ms;
}

void baton_command_set_capture_max(baton_command *cmd, size_t max_bytes)
{
    /* One byte is always kept for the terminating NUL. */
    if (cmd)
        cmd->capture_max = max_bytes < SIZE_MAX - 1 ? max_bytes : SIZE_MAX - 2;
}

void baton_command_set_rlimit(baton_command *cmd, int resource, rlim_t soft, rlim_t hard)
{
    if (!cmd || cmd->error)
        return;
    if (resource < 0 || resource >= RLIM_NLIMITS || soft > hard) {
        command_fail(cmd, -EINVAL);
        return;
    }
    cmd->rlimits[resource] = (struct rlimit) { .rlim_cur = soft, .rlim_max = hard };
    cmd->rlimit_set[resource] = true;
}

void baton_command_set_quiet_argv(baton_command *cmd, bool quiet)
{
    if (cmd)
        cmd->quiet_argv = quiet;
}

/* ------------------------------------------------------------------ rendering */

typedef enum arg_quoting {
    ARG_PLAIN,                  /* nothing a shell would interpret */
    ARG_SINGLE,                 /* 'a b' */
    ARG_ANSI_C,                 /* $'a\nb': a raw newline would split the log line */
} arg_quoting;

static bool char_is_control(char c)
{
    return (unsigned char) c < 0x20 || c == 0x7f;
}

static arg_quoting arg_quoting_of(const char *arg)
{
    arg_quoting q = ARG_PLAIN;

    if (!*arg)
        return ARG_SINGLE;
    for (const char *p = arg; *p; p++) {
        if (char_is_control(*p))
            return ARG_ANSI_C;
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                    "_@%+=:,./-", *p))
            q = ARG_SINGLE;
    }
    return q;
}

/* Bytes of arg as rendered; an upper bound is enough. */
static size_t arg_rendered_len(const char *arg)
{
    switch (arg_quoting_of(arg)) {
    case ARG_PLAIN:
        return strlen(arg);
    case ARG_SINGLE:
        return 2 + 4 * strlen(arg);     /* ' becomes '\'' */
    default:
        return 3 + 4 * strlen(arg);     /* a control byte becomes \xHH */
    }
}

static char *arg_render_ansi_c(char *out, const char *arg)
{
    static const char hex[] = "0123456789abcdef";

    *out++ = '$';
    *out++ = '\'';
    for (const char *p = arg; *p; p++) {
        unsigned char c = (unsigned char) *p;

        if (c == '\n') {
            memcpy(out, "\\n", 2);
            out += 2;
        } else if (c == '\t') {
            memcpy(out, "\\t", 2);
            out += 2;
        } else if (c == '\\' || c == '\'') {
            *out++ = '\\';
            *out++ = (char) c;
        } else if (char_is_control((char) c)) {
            *out++ = '\\';
            *out++ = 'x';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 0xf];
        } else {
            *out++ = (char) c;
        }
    }
    *out++ = '\'';
    return out;
}

static char *arg_render(char *out, const char *arg)
{
    switch (arg_quoting_of(arg)) {
    case ARG_PLAIN: {
        size_t n = strlen(arg);

        memcpy(out, arg, n);
        return out + n;
    }
    case ARG_SINGLE:
        *out++ = '\'';
        for (const char *p = arg; *p; p++) {
            if (*p == '\'') {
                memcpy(out, "'\\''", 4);
                out += 4;
            } else {
                *out++ = *p;
            }
        }
        *out++ = '\'';
        return out;
    default:
        return arg_render_ansi_c(out, arg);
    }
}

/*
 * Rendered as a POSIX shell would need it to get argv back; control
 * characters in bash's $'...' form, so that a log line stays one line.
 */
char *baton_command_to_string(const baton_command *cmd)
{
    size_t len = 1;
    char *s, *p;

    if (!cmd)
        return NULL;
    for (size_t i = 0; i < cmd->argc; i++)
        len += arg_rendered_len(cmd->argv[i]) + 1;
    s = malloc(len);
    if (!s)
        return NULL;
    p = s;
    for (size_t i = 0; i < cmd->argc; i++) {
        if (i > 0)
            *p++ = ' ';
        p = arg_render(p, cmd->argv[i]);
    }
    *p = '\0';
    return s;
}

/* What the debug log shows of the command line. */
static char *command_describe(const baton_command *cmd)
{
    if (cmd->quiet_argv)
        return baton_strdup_printf("%s (arguments not logged)",
                               cmd->argc > 0 ? cmd->argv[0] : "(none)");
    return baton_command_to_string(cmd);
}

/* ------------------------------------------------------------------ results */

void baton_command_result_clear(baton_command_result *result)
{
    if (!result)
        return;
    free(result->out);
    free(result->err);
    *result = (baton_command_result) { .status = BATON_EXEC_ERROR };
}

bool baton_command_result_ok(const baton_command_result *result)
{
    return result && result->status == BATON_EXEC_DONE && result->exit_status == 0;
}

/* ------------------------------------------------------------------ lookup */

/*
 * Find name along the child's PATH, as execvp() would but with the
 * environment the child gets, not ours. Relative and empty PATH entries
 * are skipped: they would make the result depend on the caller's working
 * directory.
 */
static int command_resolve(const baton_command *cmd, char **ret_path)
{
    const char *name = cmd->argv[0];
    const char *path, *seg;
    int last = -ENOENT;

    if (strchr(name, '/')) {
        *ret_path = strdup(name);
        return *ret_path ? 0 : -ENOMEM;
    }
    if (!*name)
        return -ENOENT;
    path = baton__env_get(cmd->env, "PATH");
    for (seg = path; seg && *seg;) {
        size_t len = strcspn(seg, ":");
        struct stat st;
        char *candidate;

        if (len > 0 && seg[0] == '/' && len < PATH_MAX) {
            candidate = baton_strdup_printf("%.*s/%s", (int) len, seg, name);
            if (!candidate)
                return -ENOMEM;
            if (stat(candidate, &st) < 0) {
                if (errno == EACCES)
                    last = -EACCES;
            } else if (!S_ISREG(st.st_mode)) {
                last = -EACCES;
            } else if (faccessat(AT_FDCWD, candidate, X_OK, AT_EACCESS) < 0) {
                last = -errno;
            } else {
                *ret_path = candidate;
                return 0;
            }
            free(candidate);
        }
        seg += len;
        if (*seg == ':')
            seg++;
    }
    return last;
}

/* ------------------------------------------------------------------ child side */

/* What the child reports through the exec-error pipe. */
typedef struct child_report {
    int stage;                  /* CHILD_STAGE_* */
    int error;                  /* errno */
} child_report;

enum {
    CHILD_STAGE_SETUP = 1,
    CHILD_STAGE_EXEC = 2,
};

/* Everything the child needs, prepared before fork(). */
typedef struct child_plan {
    const char *exe;
    char *const *argv;
    char *const *envp;
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    int report_fd;
    int max_fd;                 /* last-resort bound for closing descriptors */
    const struct rlimit *rlimits;   /* RLIM_NLIMITS entries, applied where rlimit_set */
    const bool *rlimit_set;
} child_plan;

/* Async-signal-safe decimal parse of a /proc/self/fd entry name. */
static int fd_name_parse(const char *s)
{
    int v = 0;

    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (INT_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/*
 * Close every descriptor >= 3 listed in /proc/self/fd except keep_fd.
 * getdents64 on a stack buffer instead of opendir(): no malloc in the child.
 */
static int child_close_fds_proc(int keep_fd)
{
#ifdef SYS_getdents64
    char buf[4096] __attribute__((aligned(8)));
    int dfd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    bool closed_any;

    if (dfd < 0)
        return -1;
    do {
        long n;

        closed_any = false;
        while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
            for (long off = 0; off < n;) {
                const struct dirent64 *de = (const struct dirent64 *) (buf + off);
                int fd = fd_name_parse(de->d_name);

                off += de->d_reclen;
                if (fd < 3 || fd == dfd || fd == keep_fd)
                    continue;
                (void) close(fd);
                closed_any = true;
            }
        }
        if (n < 0 || (closed_any && lseek(dfd, 0, SEEK_SET) < 0)) {
            (void) close(dfd);
            return -1;
        }
        /* Another pass after closing: a directory read is not a snapshot. */
    } while (closed_any);
    (void) close(dfd);
    return 0;
#else
    (void) keep_fd;
    errno = ENOSYS;
    return -1;
#endif
}

/* keep_fd (the report pipe) is close-on-exec: it goes away with execve(). */
static void child_close_fds(int keep_fd, int max_fd)
{
#ifdef SYS_close_range
    if (!(command_test_flags & BATON__COMMAND_TEST_NO_CLOSE_RANGE)) {
        if ((keep_fd <= 3 || syscall(SYS_close_range, 3u, (unsigned) keep_fd - 1, 0u) == 0) &&
            syscall(SYS_close_range, (unsigned) keep_fd + 1, ~0u, 0u) == 0)
            return;
    }
#endif
    if (child_close_fds_proc(keep_fd) == 0)
        return;
    /* No close_range(), no /proc: the slow way. EBADF is expected here. */
    for (int fd = 3; fd < max_fd; fd++) {
        if (fd != keep_fd)
            (void) close(fd);
    }
}

static _Noreturn void child_report_and_exit(int report_fd, int stage)
{
    child_report rep = { .stage = stage, .error = errno };

    /* Smaller than PIPE_BUF: written at once or not at all; nothing to do if not. */
    if (write(report_fd, &rep, sizeof(rep)) < 0) {
        /* ignored: the parent then sees the exit status 127 */
    }
    _exit(127);
}

/* Runs in the child between fork() and execve(): async-signal-safe calls only. */
static _Noreturn void child_exec(const child_plan *plan)
{
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigset_t none;

    /*
     * Handlers do not survive execve() anyway, but ignored signals
     * (SIGPIPE, often) would; a signal caught between here and execve()
     * must not run the parent's handler in the child. SIGKILL and SIGSTOP
     * refuse with EINVAL, which is fine; so do the signals glibc reserves
     * for itself (32, 33), which it sets up in the new program as it needs.
     */
    for (int sig = 1; sig < NSIG; sig++)
        (void) sigaction(sig, &dfl, NULL);
    if (sigemptyset(&none) < 0 || sigprocmask(SIG_SETMASK, &none, NULL) < 0)
        child_report_and_exit(plan->report_fd, CHILD_STAGE_SETUP);
    /* Its own group, so that a timeout can take its helpers down with it. */
    if (setpgid(0, 0) < 0)
        child_report_and_exit(plan->report_fd, CHILD_STAGE_SETUP);
    /* setrlimit() is a bare system call (prlimit64): no lock, no allocation. */
    for (int res = 0; res < RLIM_NLIMITS; res++)
        if (plan->rlimit_set[res] && setrlimit(res, &plan->rlimits[res]) < 0)
            child_report_and_exit(plan->report_fd, CHILD_STAGE_SETUP);
    /* The sources are all >= 3 (see fd_above_stdio), so none is clobbered here. */
    if (dup2(plan->stdin_fd, STDIN_FILENO) < 0 ||
        dup2(plan->stdout_fd, STDOUT_FILENO) < 0 ||
        dup2(plan->stderr_fd, STDERR_FILENO) < 0)
        child_report_and_exit(plan->report_fd, CHILD_STAGE_SETUP);
    child_close_fds(plan->report_fd, plan->max_fd);
    execve(plan->exe, plan->argv, plan->envp);
    child_report_and_exit(plan->report_fd, CHILD_STAGE_EXEC);
}

/* ------------------------------------------------------------------ parent side */

typedef struct capture {
    int fd;
    char *buf;
    size_t len;
    size_t cap;
    size_t max;
    bool truncated;
} capture;

typedef struct run_state {
    pid_t pid;
    int pidfd;
    int in_fd;
    const unsigned char *in_buf;
    size_t in_len;
    size_t in_off;
    capture out;
    capture err;
    int exec_stage;             /* from the child's report; 0: execve() worked */
    int exec_error;
    bool exited;                /* exited, not yet reaped */
    bool reaped;
    int wstatus;
    bool timed_out;
    bool group_killed;
    bool pipes_held;            /* output still open COMMAND_DRAIN_MS after the exit */
    int64_t kill_at_ms;
    int64_t kill_wait_end_ms;
    int64_t drain_end_ms;
    int error;                  /* negative errno of a failure while running */
    sigset_t old_mask;
    bool mask_saved;
    bool sigpipe_was_pending;
    bool saw_epipe;
} run_state;

static void fd_closep(int *fd)
{
    if (*fd >= 0) {
        (void) close(*fd);
        *fd = -1;
    }
}

static void run_state_init(run_state *st, const baton_command *cmd)
{
    *st = (run_state) {
        .pid = -1,
        .pidfd = -1,
        .in_fd = -1,
        .in_buf = cmd->input,
        .in_len = cmd->input_len,
        .out = { .fd = -1, .max = cmd->capture_max },
        .err = { .fd = -1, .max = cmd->capture_max },
    };
}

static void run_state_done(run_state *st)
{
    fd_closep(&st->pidfd);
    fd_closep(&st->in_fd);
    fd_closep(&st->out.fd);
    fd_closep(&st->err.fd);
    free(st->out.buf);
    free(st->err.buf);
    st->out.buf = st->err.buf = NULL;
}

/*
 * Keep our descriptors off 0-2: if the caller runs with a standard stream
 * closed, pipe() may return one of those numbers, and the child's dup2()
 * sequence would then overwrite a source before using it.
 */
static int fd_above_stdio(int *fd)
{
    int nfd;

    if (*fd > STDERR_FILENO)
        return 0;
    nfd = fcntl(*fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
    if (nfd < 0)
        return -errno;
    (void) close(*fd);
    *fd = nfd;
    return 0;
}

static int fd_set_nonblock(int fd)
{
    int flags = fcntl(fd, F_GETFL);

    if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

/* A close-on-exec pipe; the end we keep (read or write) made non-blocking. */
static int pipe_new(int *ret_read, int *ret_write, bool parent_reads)
{
    baton_autoclose int rfd = -1;
    baton_autoclose int wfd = -1;
    int fds[2];
    int r;

    if (pipe2(fds, O_CLOEXEC) < 0)
        return -errno;
    rfd = fds[0];
    wfd = fds[1];
    r = fd_above_stdio(&rfd);
    if (r == 0)
        r = fd_above_stdio(&wfd);
    if (r == 0)
        r = fd_set_nonblock(parent_reads ? rfd : wfd);
    if (r < 0)
        return r;
    *ret_read = baton_take_fd(rfd);
    *ret_write = baton_take_fd(wfd);
    return 0;
}

static int pidfd_open_child(pid_t pid)
{
#ifdef SYS_pidfd_open
    if (!(command_test_flags & BATON__COMMAND_TEST_NO_PIDFD)) {
        /* The kernel sets close-on-exec on a pidfd. */
        int fd = (int) syscall(SYS_pidfd_open, pid, 0u);

        if (fd >= 0)
            return fd;
        baton_debug("pidfd_open(%lld): %s; polling for the child's exit",
                    (long long) pid, strerror(errno));
    }
#else
    (void) pid;
#endif
    return -1;
}

static int max_fd_bound(void)
{
    long n = sysconf(_SC_OPEN_MAX);

    /* Only used when neither close_range() nor /proc is there. */
    if (n <= 0 || n > 65536)
        n = 65536;
    return (int) n;
}

/*
 * Block every signal across fork(), so that the child cannot run one of
 * the caller's handlers before it has reset them; the parent keeps SIGPIPE
 * blocked until the run is over (see the top of the file).
 */
static int run_block_signals(run_state *st)
{
    sigset_t all, pending;
    int r;

    if (sigfillset(&all) < 0 || sigpending(&pending) < 0)
        return -errno;
    r = pthread_sigmask(SIG_BLOCK, &all, &st->old_mask);
    if (r != 0)
        return -r;
    st->mask_saved = true;
    st->sigpipe_was_pending = sigismember(&pending, SIGPIPE) == 1;
    return 0;
}

static int run_mask_sigpipe_only(run_state *st)
{
    sigset_t mask = st->old_mask;
    int r;

    if (sigaddset(&mask, SIGPIPE) < 0)
        return -errno;
    r = pthread_sigmask(SIG_SETMASK, &mask, NULL);
    return r != 0 ? -r : 0;
}

static void run_restore_signals(run_state *st)
{
    sigset_t pipe_set;
    struct timespec zero = { 0 };
    int r;

    if (!st->mask_saved)
        return;
    /* Consume a SIGPIPE our write raised; never one that was there before us. */
    if (st->saw_epipe && !st->sigpipe_was_pending &&
        sigemptyset(&pipe_set) == 0 && sigaddset(&pipe_set, SIGPIPE) == 0) {
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    r = pthread_sigmask(SIG_SETMASK, &st->old_mask, NULL);
    if (r != 0)
        baton_debug("cannot restore the signal mask: %s", strerror(r));
    st->mask_saved = false;
}

static void group_signal(run_state *st, int sig)
{
    /* The child leads the group; its pid is the group id. */
    if (kill(-st->pid, sig) < 0 && errno != ESRCH)
        baton_debug("kill(-%lld, %s): %s", (long long) st->pid, strsignal(sig), strerror(errno));
    if (sig == SIGKILL)
        st->group_killed = true;
}

/* Has the child exited? Leaves it unreaped (see the top of the file). */
static int child_poll_exit(run_state *st)
{
    siginfo_t si;

    if (st->exited)
        return 1;
    for (;;) {
        memset(&si, 0, sizeof(si));
        if (waitid(P_PID, (id_t) st->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0)
            break;
        if (errno != EINTR)
            return -errno;
    }
    if (si.si_pid != st->pid)
        return 0;
    st->exited = true;
    return 1;
}

static int child_reap(run_state *st)
{
    while (waitpid(st->pid, &st->wstatus, 0) < 0) {
        if (errno != EINTR)
            return -errno;
    }
    st->reaped = true;
    return 0;
}

/* Wait (bounded) for the child to exit; used where the run is being abandoned. */
static bool child_wait_exit(run_state *st, int64_t ms)
{
    int64_t end = baton_now_ms() + ms;

    for (;;) {
        struct pollfd pfd = { .fd = st->pidfd, .events = POLLIN };
        int64_t left;

        if (child_poll_exit(st) != 0)
            return st->exited;
        left = end - baton_now_ms();
        if (left <= 0)
            return false;
        if (st->pidfd >= 0)
            (void) poll(&pfd, 1, (int) left);
        else
            (void) poll(NULL, 0, left < COMMAND_WAIT_POLL_MS ? (int) left : COMMAND_WAIT_POLL_MS);
    }
}

static int command_spawn(const baton_command *cmd, const char *exe, run_state *st)
{
    baton_autoclose int child_in = -1;
    baton_autoclose int child_out = -1;
    baton_autoclose int child_err = -1;
    baton_autoclose int report_r = -1;
    baton_autoclose int report_w = -1;
    child_plan plan;
    child_report rep;
    ssize_t n;
    int r;

    if (cmd->has_input) {
        r = pipe_new(&child_in, &st->in_fd, false);
    } else {
        child_in = open("/dev/null", O_RDONLY | O_CLOEXEC);
        r = child_in < 0 ? -errno : fd_above_stdio(&child_in);
    }
    if (r == 0)
        r = pipe_new(&st->out.fd, &child_out, true);
    if (r == 0)
        r = pipe_new(&st->err.fd, &child_err, true);
    if (r == 0)
        r = pipe_new(&report_r, &report_w, true);
    if (r < 0)
        return r;
    /* The report is read blocking: it ends with execve() or the child's exit. */
    if (fcntl(report_r, F_SETFL, 0) < 0)
        return -errno;

    plan = (child_plan) {
        .exe = exe,
        .argv = cmd->argv,
        .envp = cmd->env,
        .stdin_fd = child_in,
        .stdout_fd = child_out,
        .stderr_fd = child_err,
        .report_fd = report_w,
        .max_fd = max_fd_bound(),
        .rlimits = cmd->rlimits,
        .rlimit_set = cmd->rlimit_set,
    };

    r = run_block_signals(st);
    if (r < 0)
        return r;
    st->pid = fork();
    if (st->pid == 0)
        child_exec(&plan);
    r = st->pid < 0 ? -errno : run_mask_sigpipe_only(st);
    if (st->pid < 0)
        return r;
    /*
     * Also set the group from here: a timeout may signal the group before
     * the child has run at all. EACCES: the child already execve()d (and
     * had set it); ESRCH cannot happen with an unreaped child.
     */
    if (setpgid(st->pid, st->pid) < 0 && errno != EACCES)
        baton_debug("setpgid(%lld): %s", (long long) st->pid, strerror(errno));
    if (r < 0)
        baton_debug("cannot block SIGPIPE: %s", strerror(-r));

    fd_closep(&child_in);
    fd_closep(&child_out);
    fd_closep(&child_err);
    fd_closep(&report_w);

    do
        n = read(report_r, &rep, sizeof(rep));
    while (n < 0 && errno == EINTR);
    if (n == (ssize_t) sizeof(rep)) {
        st->exec_stage = rep.stage;
        st->exec_error = rep.error;
    } else if (n < 0) {
        baton_debug("reading the exec report of %lld: %s", (long long) st->pid, strerror(errno));
    }
    if (st->exec_stage == 0)
        st->pidfd = pidfd_open_child(st->pid);
    return 0;
}

/* Room for add more bytes plus a NUL, growing geometrically. */
static int capture_reserve(capture *c, size_t add)
{
    size_t need = c->len + add + 1;
    size_t cap;
    char *nb;

    if (need <= c->cap)
        return 0;
    cap = c->cap > 0 ? c->cap : 4096;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > c->max + 1)
        cap = c->max + 1;
    nb = realloc(c->buf, cap);
    if (!nb)
        return -ENOMEM;
    c->buf = nb;
    c->cap = cap;
    return 0;
}

/* One read. 1: got data; 0: nothing now; -1: stream closed. */
static int capture_read(run_state *st, capture *c)
{
    char buf[COMMAND_IO_CHUNK];
    ssize_t n;
    size_t take;

    n = read(c->fd, buf, sizeof(buf));
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return 0;
        baton_debug("reading output of %lld: %s", (long long) st->pid, strerror(errno));
        fd_closep(&c->fd);
        return -1;
    }
    if (n == 0) {
        fd_closep(&c->fd);
        return -1;
    }
    /* Past the limit the output is still read, so that the child cannot block on a full pipe. */
    take = c->max - c->len < (size_t) n ? c->max - c->len : (size_t) n;
    if (take < (size_t) n)
        c->truncated = true;
    if (take > 0) {
        if (capture_reserve(c, take) < 0) {
            if (st->error == 0)
                st->error = -ENOMEM;
            c->truncated = true;
            return 1;
        }
        memcpy(c->buf + c->len, buf, take);
        c->len += take;
    }
    return 1;
}

/* What is already in the pipes, after the writers are gone or abandoned. */
static void capture_slurp(run_state *st, capture *c)
{
    for (int i = 0; i < COMMAND_SLURP_MAX_READS && c->fd >= 0; i++) {
        if (capture_read(st, c) <= 0)
            break;
    }
    fd_closep(&c->fd);
}

static void stdin_write(run_state *st)
{
    size_t left = st->in_len - st->in_off;
    ssize_t n;

    if (left > 0) {
        n = write(st->in_fd, st->in_buf + st->in_off, left < COMMAND_IO_CHUNK ? left : COMMAND_IO_CHUNK);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR)
                return;
            if (errno == EPIPE)
                st->saw_epipe = true;
            else
                baton_debug("writing input of %lld: %s", (long long) st->pid, strerror(errno));
            /* The child does not read its input (any more); that is its business. */
            fd_closep(&st->in_fd);
            return;
        }
        st->in_off += (size_t) n;
    }
    if (st->in_off == st->in_len)
        fd_closep(&st->in_fd);
}

static int64_t min64(int64_t a, int64_t b)
{
    return a < b ? a : b;
}

/* Timed transitions. Returns false when the loop should end. */
static bool run_step_timers(run_state *st, baton_deadline deadline, int64_t grace_ms,
                            int64_t now, int64_t *wake)
{
    if (st->exited) {
        if (st->out.fd < 0 && st->err.fd < 0)
            return false;
        if (now >= st->drain_end_ms) {
            st->pipes_held = true;
            return false;
        }
        *wake = min64(*wake, st->drain_end_ms);
        return true;
    }
    if (!st->timed_out) {
        if (now < deadline.end_ms) {
            *wake = min64(*wake, deadline.end_ms);
            return true;
        }
        st->timed_out = true;
        st->kill_at_ms = now + grace_ms;
        baton_debug("deadline reached; SIGTERM to process group %lld", (long long) st->pid);
        group_signal(st, SIGTERM);
        fd_closep(&st->in_fd);
    }
    if (!st->group_killed && now >= st->kill_at_ms) {
        baton_debug("grace period over; SIGKILL to process group %lld", (long long) st->pid);
        group_signal(st, SIGKILL);
        st->kill_wait_end_ms = now + COMMAND_KILL_WAIT_MS;
    }
    if (!st->group_killed) {
        *wake = min64(*wake, st->kill_at_ms);
    } else if (now >= st->kill_wait_end_ms) {
        /* Stuck in the kernel (D state): stop waiting rather than overrun the deadline. */
        baton_debug("process %lld survived SIGKILL for %d ms; left behind",
                    (long long) st->pid, COMMAND_KILL_WAIT_MS);
        return false;
    } else {
        *wake = min64(*wake, st->kill_wait_end_ms);
    }
    return true;
}

static void run_note_exit(run_state *st, baton_deadline deadline, int64_t now)
{
    st->drain_end_ms = now + COMMAND_DRAIN_MS;
    if (!st->timed_out)
        st->drain_end_ms = min64(st->drain_end_ms, deadline.end_ms);
    fd_closep(&st->in_fd);
}

static int run_loop(run_state *st, baton_deadline deadline, int64_t grace_ms)
{
    for (;;) {
        struct pollfd pfd[4];
        int i_out = -1, i_err = -1, i_in = -1, i_pid = -1;
        int64_t now = baton_now_ms();
        int64_t wake = INT64_MAX;
        nfds_t n = 0;
        int timeout, r;

        if (st->in_fd >= 0 && st->in_off == st->in_len)
            fd_closep(&st->in_fd);
        if (!run_step_timers(st, deadline, grace_ms, now, &wake))
            return 0;

        if (st->out.fd >= 0) {
            i_out = (int) n;
            pfd[n++] = (struct pollfd) { .fd = st->out.fd, .events = POLLIN };
        }
        if (st->err.fd >= 0) {
            i_err = (int) n;
            pfd[n++] = (struct pollfd) { .fd = st->err.fd, .events = POLLIN };
        }
        if (st->in_fd >= 0) {
            i_in = (int) n;
            pfd[n++] = (struct pollfd) { .fd = st->in_fd, .events = POLLOUT };
        }
        if (!st->exited) {
            if (st->pidfd >= 0) {
                i_pid = (int) n;
                pfd[n++] = (struct pollfd) { .fd = st->pidfd, .events = POLLIN };
            } else {
                wake = min64(wake, now + COMMAND_WAIT_POLL_MS);
            }
        }

        if (wake == INT64_MAX)
            timeout = -1;
        else
            timeout = wake - now > INT_MAX ? INT_MAX : (int) (wake - now > 0 ? wake - now : 0);
        r = poll(pfd, n, timeout);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }

        if (i_out >= 0 && pfd[i_out].revents)
            (void) capture_read(st, &st->out);
        if (i_err >= 0 && pfd[i_err].revents)
            (void) capture_read(st, &st->err);
        if (i_in >= 0 && pfd[i_in].revents)
            stdin_write(st);
        if (!st->exited && (i_pid < 0 || pfd[i_pid].revents)) {
            r = child_poll_exit(st);
            if (r < 0)
                return r;
            if (r > 0)
                run_note_exit(st, deadline, baton_now_ms());
        }
    }
}

/* After the loop: make sure nothing of the group outlives the run that should not, and reap. */
static int run_finish(run_state *st)
{
    int r = 0;

    if (st->pipes_held)
        baton_debug("output of process group %lld still open %d ms after the child exited; "
                    "SIGKILL to the group", (long long) st->pid, COMMAND_DRAIN_MS);
    else if (st->timed_out && st->exited)
        baton_debug("SIGKILL to what is left of process group %lld", (long long) st->pid);
    if ((st->timed_out || st->pipes_held) && (st->exited || !st->group_killed))
        group_signal(st, SIGKILL);
    capture_slurp(st, &st->out);
    capture_slurp(st, &st->err);
    if (st->exited)
        r = child_reap(st);
    return r;
}

/* The loop failed (poll() itself): do not leave the child running. */
static void run_abort(run_state *st)
{
    group_signal(st, SIGKILL);
    fd_closep(&st->in_fd);
    if (child_wait_exit(st, COMMAND_KILL_WAIT_MS))
        (void) child_reap(st);
}

static int capture_take(capture *c, char **ret_buf, size_t *ret_len)
{
    if (!c->buf) {
        c->buf = malloc(1);
        if (!c->buf)
            return -ENOMEM;
    }
    c->buf[c->len] = '\0';
    *ret_buf = baton_take_ptr(c->buf);
    *ret_len = c->len;
    return 0;
}

static int run_fill_result(run_state *st, baton_command_result *result)
{
    int r;

    r = capture_take(&st->out, &result->out, &result->out_len);
    if (r == 0)
        r = capture_take(&st->err, &result->err, &result->err_len);
    result->out_truncated = st->out.truncated;
    result->err_truncated = st->err.truncated;
    if (st->reaped) {
        if (WIFEXITED(st->wstatus))
            result->exit_status = WEXITSTATUS(st->wstatus);
        else if (WIFSIGNALED(st->wstatus))
            result->signal = WTERMSIG(st->wstatus);
    }
    if (st->timed_out)
        result->status = BATON_EXEC_TIMEOUT;
    else if (st->reaped && WIFSIGNALED(st->wstatus))
        result->status = BATON_EXEC_SIGNALED;
    else if (st->reaped)
        result->status = BATON_EXEC_DONE;
    else
        result->status = BATON_EXEC_ERROR;
    if (r == 0 && st->error < 0)
        r = st->error;
    if (r < 0)
        result->status = BATON_EXEC_ERROR;
    return r;
}

static bool exec_error_is_not_found(int error)
{
    switch (error) {
    case ENOENT:
    case ENOTDIR:
    case ELOOP:
    case ENAMETOOLONG:
    case EACCES:
    case EPERM:
    case ENOEXEC:
        return true;
    default:
        return false;
    }
}

static int command_run(baton_command *cmd, baton_command_result *result)
{
    baton_autofree char *exe = NULL;
    run_state st;
    int r;

    r = command_resolve(cmd, &exe);
    if (r == -ENOMEM)
        return r;
    if (r < 0) {
        baton_debug("%s: not found in PATH %s: %s", cmd->argv[0],
                    baton__env_get(cmd->env, "PATH") ?: "(unset)", strerror(-r));
        result->status = BATON_EXEC_NOT_FOUND;
        return 0;
    }
    /* No time left: starting it would only mean killing it. */
    if (baton_deadline_expired(cmd->deadline)) {
        baton_debug("%s: deadline already passed; not started", cmd->argv[0]);
        result->status = BATON_EXEC_TIMEOUT;
        return 0;
    }

    run_state_init(&st, cmd);
    r = command_spawn(cmd, exe, &st);
    if (r == 0 && st.pid > 0 && st.exec_stage != 0) {
        /* The child exits right after reporting. */
        (void) child_reap(&st);
        run_restore_signals(&st);
        run_state_done(&st);
        baton_debug("%s: %s: %s", exe, st.exec_stage == CHILD_STAGE_EXEC ? "execve" : "child setup",
                    strerror(st.exec_error));
        if (st.exec_stage == CHILD_STAGE_EXEC && exec_error_is_not_found(st.exec_error)) {
            result->status = BATON_EXEC_NOT_FOUND;
            return 0;
        }
        return st.exec_error > 0 ? -st.exec_error : -EIO;
    }
    if (r == 0) {
        r = run_loop(&st, cmd->deadline, cmd->grace_ms);
        if (r < 0) {
            baton_debug("waiting for %lld: %s", (long long) st.pid, strerror(-r));
            run_abort(&st);
        } else {
            r = run_finish(&st);
        }
    }
    run_restore_signals(&st);
    if (r == 0)
        r = run_fill_result(&st, result);
    run_state_done(&st);
    return r;
}

static void command_log_outcome(const char *what, const baton_command_result *result, int r)
{
    if (r < 0) {
        baton_debug("%s: could not be run: %s", what, strerror(-r));
        return;
    }
    switch (result->status) {
    case BATON_EXEC_DONE:
        baton_debug("%s: exit status %d after %lld ms%s%s", what, result->exit_status,
                    (long long) result->elapsed_ms,
                    result->out_truncated ? " (stdout truncated)" : "",
                    result->err_truncated ? " (stderr truncated)" : "");
        break;
    case BATON_EXEC_SIGNALED:
        baton_debug("%s: killed by signal %d (%s) after %lld ms", what, result->signal,
                    strsignal(result->signal), (long long) result->elapsed_ms);
        break;
    default:
        baton_debug("%s: %s after %lld ms", what, baton_exec_status_name(result->status),
                    (long long) result->elapsed_ms);
        break;
    }
}

int baton_command_run(baton_command *cmd, baton_command_result *result)
{
    baton_autofree char *what = NULL;
    int64_t start = baton_now_ms();
    int r;

    if (!result)
        return -EINVAL;
    *result = (baton_command_result) { .status = BATON_EXEC_ERROR };
    /* The only way to get no command is a failed allocation in baton_command_new(). */
    if (!cmd)
        return -ENOMEM;
    /* Rendering argv costs an allocation; only when someone reads it. */
    if (baton_log_debug_enabled())
        what = command_describe(cmd);
    if (cmd->error < 0) {
        baton_debug("%s: not run, setup failed: %s", what ?: "command", strerror(-cmd->error));
        return cmd->error;
    }
    baton_debug("running %s", what ?: "command");
    r = command_run(cmd, result);
    result->elapsed_ms = baton_now_ms() - start;
    command_log_outcome(what ?: "command", result, r);
    return r;
}
