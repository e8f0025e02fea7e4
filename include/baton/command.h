/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Subprocesses without a shell, bounded in time.
 *
 * A baton_command is built up with setters that never fail on their own;
 * a setup error (allocation, misuse) is remembered in the object and
 * reported once, by baton_command_run(). The child always starts from an
 * explicit environment (PATH and LC_ALL=C plus what the caller adds), leads
 * its own process group, and on expiry of its deadline the whole group gets
 * SIGTERM, then SIGKILL after a grace period.
 *
 *     baton_autoptr(baton_command) cmd = baton_command_new("/usr/sbin/crm_attribute");
 *     baton_command_add_args(cmd, "--promotion", "-v", "10", NULL);
 *     baton_command_set_deadline(cmd, baton_deadline_cap(ctx_deadline, 5000));
 *     r = baton_command_run(cmd, &result);
 */
#ifndef BATON_COMMAND_H
#define BATON_COMMAND_H

#include <stddef.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <baton/cleanup.h>
#include <baton/deadline.h>

typedef struct baton_command baton_command;

/* How the run ended, apart from what the program said (its exit status). */
typedef enum baton_exec_status {
    BATON_EXEC_DONE = 0,         /* exited; see exit_status */
    BATON_EXEC_SIGNALED,         /* killed by a signal it was not sent by us */
    BATON_EXEC_TIMEOUT,          /* deadline expired; group was terminated */
    BATON_EXEC_NOT_FOUND,        /* program missing or not executable */
    BATON_EXEC_ERROR,            /* could not be run (setup, fork, pipes) */
    BATON_EXEC_STATUS_MAX,
} baton_exec_status;

const char *baton_exec_status_name(baton_exec_status s);

typedef struct baton_command_result {
    baton_exec_status status;
    int exit_status;            /* valid for BATON_EXEC_DONE */
    int signal;                 /* valid for BATON_EXEC_SIGNALED */
    char *out;                  /* captured stdout, NUL-terminated (may be NULL) */
    size_t out_len;
    char *err;                  /* captured stderr, NUL-terminated (may be NULL) */
    size_t err_len;
    bool out_truncated;         /* more than the capture limit was written */
    bool err_truncated;
    int64_t elapsed_ms;
} baton_command_result;

/* Default limit of captured bytes per stream. */
#define BATON_COMMAND_CAPTURE_MAX (1024 * 1024)
/* Time between SIGTERM and SIGKILL of the group on expiry. */
#define BATON_COMMAND_DEFAULT_GRACE_MS 1000

/* path: an absolute path, or a name looked up in PATH at run time. */
baton_command *baton_command_new(const char *path);
baton_command *baton_command_free(baton_command *cmd);
BATON_DEFINE_AUTOPTR(baton_command, baton_command_free)

void baton_command_add_arg(baton_command *cmd, const char *arg);
void baton_command_add_argf(baton_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* NULL-terminated list. */
void baton_command_add_args(baton_command *cmd, ...) __attribute__((sentinel));

/* Set NAME=value in the child's environment (replaces an earlier value). */
void baton_command_add_env(baton_command *cmd, const char *name, const char *value);
/* Copy NAME from this process's environment, if set. */
void baton_command_pass_env(baton_command *cmd, const char *name);

/*
 * Bytes written to the child's stdin, then stdin is closed. This is how a
 * secret reaches a child: never through argv or the environment.
 */
void baton_command_set_input(baton_command *cmd, const void *buf, size_t len);
void baton_command_set_deadline(baton_command *cmd, baton_deadline deadline);
void baton_command_set_grace_ms(baton_command *cmd, int64_t grace_ms);
void baton_command_set_capture_max(baton_command *cmd, size_t max_bytes);
/*
 * Set the child's resource limit (RLIMIT_*) to soft/hard just before it
 * execs, as `ulimit` does in a shell; a second call for the same resource
 * replaces the first. soft above hard, or an unknown resource, is a setup
 * error (-EINVAL). A limit the child may not set (raising hard without
 * CAP_SYS_RESOURCE: -EPERM; RLIMIT_NOFILE above fs.nr_open) makes
 * baton_command_run() return that negative errno: nothing is run with a
 * limit other than the one asked for.
 */
void baton_command_set_rlimit(baton_command *cmd, int resource, rlim_t soft, rlim_t hard);
/* Do not log argv at debug level (it carries something the caller considers private). */
void baton_command_set_quiet_argv(baton_command *cmd, bool quiet);

/*
 * Run to completion. Returns 0 when the command could be run (whatever it
 * exited with: look at result->status and result->exit_status), or a
 * negative errno for setup errors. result is always filled in and must be
 * released with baton_command_result_clear().
 */
int baton_command_run(baton_command *cmd, baton_command_result *result);
void baton_command_result_clear(baton_command_result *result);
/* True when the run ended with exit status 0. */
bool baton_command_result_ok(const baton_command_result *result);

/* argv rendered for logs ("prog 'a b' c"), newly allocated. */
char *baton_command_to_string(const baton_command *cmd);

#endif /* BATON_COMMAND_H */
