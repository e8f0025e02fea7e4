/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ntp - a promotable chronyd time service.
 *
 * The agent runs its own chronyd, never the host's chrony.service, and
 * talks to it only through `chronyc -c` on its command socket, bounded by
 * the operation's deadline. <state_dir>/<resource>/ belongs to root (0755,
 * not a symlink): chrony.conf, the pid file (chronyd writes it before it
 * drops root) and the agent's own files (role, unsync-since,
 * promotion-score). chronyd's user owns only <state_dir>/<resource>/chronyd/
 * (0700, which chronyd demands for its command socket) with the socket, the
 * drift file and the dump files: root never writes where chronyd's user
 * could plant a symlink.
 *
 * Choices worth knowing:
 *  - A role change rewrites chrony.conf and restarts chronyd: the promoted
 *    config has the upstreams and a `local stratum N orphan` fallback, the
 *    unpromoted one follows primary_address (a service address that moves
 *    with the Promoted role) as well. chronyd keeps its drift file across
 *    restarts and a restart takes well under a second; chronyc cannot
 *    change `local` or the served port at run time.
 *  - The clock is slewed, never stepped (no makestep unless configured);
 *    control_clock=false runs chronyd with -x (it then only serves time).
 *  - monitor applies the health rule measured in the reference recipe:
 *    leap status and stratum, the clock's offset, and for anything that
 *    follows a source a selected source with reach != 0 whose last sample
 *    is at most three polls old (tracking alone stays "Normal" in holdover).
 *    An unsynchronised state is reported only once it has lasted
 *    max_unsync: degraded (190/191) or, with unsync_action=fail, failed.
 *  - The promotion score is the local node's fitness as a primary, set only
 *    when it changed (cached in the state directory).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <baton.h>

#include "ntp-chrony.h"
#include "ntp-config.h"
#include "ntp-decide.h"

extern const baton_metadata ntp_metadata;   /* compiled from xml-metadata/ntp.xml */

#define CHRONYC_TIMEOUT_MS 5000
#define SCORE_TIMEOUT_MS 5000
#define POLL_STEP_MS 100
#define KILL_WAIT_MS 2000

typedef struct ntp_state {
    ntp_config cfg;
    char *dir;
    char *daemon_dir;
    char *conf_path;
    char *pid_path;
    char *sock_path;
    char *role_path;
    char *unsync_path;
    char *score_path;
} ntp_state;

static void ntp_state_free(void *p)
{
    ntp_state *st = p;

    if (!st)
        return;
    free(st->dir);
    free(st->daemon_dir);
    free(st->conf_path);
    free(st->pid_path);
    free(st->sock_path);
    free(st->role_path);
    free(st->unsync_path);
    free(st->score_path);
    free(st);
}

static ntp_state *state_of(baton_ctx *ctx)
{
    return baton_ctx_get_data(ctx);
}

static int file_read(const char *path, char **ret)
{
    return baton_file_read(path, 0, ret);
}

static void file_remove(const char *path)
{
    int r = baton_file_remove(path);

    if (r < 0)
        baton_warn("cannot remove %s: %s", path, strerror(-r));
}

/* ------------------------------------------------------------------ validate */

static int user_ids(const char *user, uid_t *ret_uid, gid_t *ret_gid)
{
    struct passwd *pw;

    errno = 0;
    pw = getpwnam(user);
    if (!pw)
        return errno ? -errno : -ENOENT;
    *ret_uid = pw->pw_uid;
    *ret_gid = pw->pw_gid;
    return 0;
}

static int fill_paths(baton_ctx *ctx, ntp_state *st)
{
    baton_autofree char *base = baton_cluster_resource_base(baton_ctx_resource(ctx));

    if (!base)
        return -ENOMEM;
    st->dir = baton_strdup_printf("%s/%s", baton_param_str(ctx, "state_dir"), base);
    if (!st->dir)
        return -ENOMEM;
    st->daemon_dir = baton_strdup_printf("%s/" NTP_DAEMON_SUBDIR, st->dir);
    st->conf_path = baton_strdup_printf("%s/chrony.conf", st->dir);
    st->pid_path = baton_strdup_printf("%s/chronyd.pid", st->dir);
    st->sock_path = baton_strdup_printf("%s/" NTP_DAEMON_SUBDIR "/chronyd.sock", st->dir);
    st->role_path = baton_strdup_printf("%s/role", st->dir);
    st->unsync_path = baton_strdup_printf("%s/unsync-since", st->dir);
    st->score_path = baton_strdup_printf("%s/promotion-score", st->dir);
    if (!st->daemon_dir || !st->conf_path || !st->pid_path || !st->sock_path || !st->role_path ||
        !st->unsync_path || !st->score_path)
        return -ENOMEM;
    st->cfg.dir = st->dir;
    return 0;
}

static bool needs_software(baton_ctx *ctx)
{
    const char *a = baton_ctx_action(ctx);

    return baton_streq(a, "start") || baton_streq(a, "promote") || baton_streq(a, "demote") ||
           baton_streq(a, "validate-all") || baton_streq(a, "reload-agent") ||
           (baton_streq(a, "monitor") && baton_ctx_is_probe(ctx));
}

/* An empty default reaches us as NULL; the config code wants "". */
static const char *param_or_empty(const baton_ctx *ctx, const char *name)
{
    const char *v = baton_param_str(ctx, name);

    return v ? v : "";
}

static int ntp_validate(baton_ctx *ctx)
{
    ntp_state *st = calloc(1, sizeof(*st));
    char reason[256];
    const char *state_dir = baton_param_str(ctx, "state_dir");
    uid_t uid = 0;
    gid_t gid = 0;
    int r;

    if (!st)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    baton_ctx_set_data(ctx, st, ntp_state_free);
    st->cfg = (ntp_config) {
        .upstream_servers = param_or_empty(ctx, "upstream_servers"),
        .primary_address = param_or_empty(ctx, "primary_address"),
        .primary_port = (int) baton_param_int(ctx, "primary_port"),
        .primary_poll = (int) baton_param_int(ctx, "primary_poll"),
        .port = (int) baton_param_int(ctx, "port"),
        .bind_address = param_or_empty(ctx, "bind_address"),
        .allow = param_or_empty(ctx, "allow"),
        .local_stratum = (int) baton_param_int(ctx, "local_stratum"),
        .stratum_offset = (int) baton_param_int(ctx, "stratum_offset"),
        .makestep = param_or_empty(ctx, "makestep"),
    };
    if (!state_dir || state_dir[0] != '/')
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "parameter 'state_dir': an absolute path is needed");
    if (ntp_config_check(&st->cfg, reason, sizeof(reason)) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "%s", reason);
    r = fill_paths(ctx, st);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (!needs_software(ctx))
        return BATON_OCF_SUCCESS;
    if (access(baton_param_str(ctx, "chronyd"), X_OK) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "chronyd %s is not executable: %s "
                              "(install chrony)", baton_param_str(ctx, "chronyd"), strerror(errno));
    if (access(baton_param_str(ctx, "chronyc"), X_OK) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "chronyc %s is not executable: %s "
                              "(install chrony)", baton_param_str(ctx, "chronyc"), strerror(errno));
    r = user_ids(baton_param_str(ctx, "user"), &uid, &gid);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "user %s does not exist on this node",
                              baton_param_str(ctx, "user"));
    return BATON_OCF_SUCCESS;
}

/* ------------------------------------------------------------------ the daemon */

/*
 * Our chronyd: the pid file's process when it runs with our chrony.conf,
 * else the process that does (the pid file was deleted or is stale).
 * start_daemon starts it with "-f <our chrony.conf>" under the program's
 * name (the chronyd parameter's, else "chronyd").
 */
static int chronyd_find(const ntp_state *st, const char *bin, pid_t *ret, bool *ret_lost)
{
    const char *args[] = { "-f", st->conf_path, NULL };

    return baton_daemon_find(st->pid_path, bin, "chronyd", args, ret, ret_lost);
}

/* chronyd_find for the actions that must not guess: an OCF code, with the reason. */
static int chronyd_find_checked(baton_ctx *ctx, const ntp_state *st, pid_t *ret)
{
    bool lost;
    int r = chronyd_find(st, baton_param_str(ctx, "chronyd"), ret, &lost);

    if (r == -ENOTUNIQ)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "several chronyd processes run with -f %s",
                              st->conf_path);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot tell whether chronyd runs with %s: %s",
                              st->conf_path, strerror(-r));
    if (lost)
        baton_warn("chronyd runs as pid %d, but its pid file %s does not name it", (int) *ret,
                   st->pid_path);
    return BATON_OCF_SUCCESS;
}

/* The pid of our chronyd, or 0 when none runs or nobody can tell (logged). */
static pid_t running_pid(baton_ctx *ctx, const ntp_state *st)
{
    pid_t pid = 0;
    bool lost;
    int r = chronyd_find(st, baton_param_str(ctx, "chronyd"), &pid, &lost);

    if (r < 0)
        baton_warn("cannot tell whether chronyd runs with %s: %s", st->conf_path, strerror(-r));
    return r < 0 ? 0 : pid;
}

static void trim(char *s)
{
    size_t n = s ? strlen(s) : 0;

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/*
 * chronyc -h <socket> [args] within a few seconds. 0 with its output, or
 * -ENOENT (no chronyc), -ETIME, -EIO (it failed: reason in *ret_out).
 */
static int chronyc(baton_ctx *ctx, const ntp_state *st, const char *arg1, const char *arg2,
                   char **ret_out)
{
    baton_autoptr(baton_command) cmd = baton_command_new(baton_param_str(ctx, "chronyc"));
    baton_command_result res = { 0 };
    int r;

    baton_command_add_args(cmd, "-h", st->sock_path, "-c", NULL);
    if (arg1)
        baton_command_add_arg(cmd, arg1);
    if (arg2)
        baton_command_add_arg(cmd, arg2);
    baton_command_set_deadline(cmd, baton_deadline_cap(baton_ctx_deadline(ctx), CHRONYC_TIMEOUT_MS));
    r = baton_command_run(cmd, &res);
    if (r < 0) {
        baton_command_result_clear(&res);
        return r;
    }
    switch (res.status) {
    case BATON_EXEC_DONE:
        if (res.exit_status == 0) {
            *ret_out = res.out ? strdup(res.out) : strdup("");
            r = *ret_out ? 0 : -ENOMEM;
        } else {
            trim(res.err);
            trim(res.out);
            *ret_out = baton_strdup_printf("chronyc exited with %d: %s", res.exit_status,
                                 res.err && *res.err ? res.err : res.out ? res.out : "");
            r = -EIO;
        }
        break;
    case BATON_EXEC_NOT_FOUND:
        r = -ENOENT;
        break;
    case BATON_EXEC_TIMEOUT:
        r = -ETIME;
        break;
    default:
        *ret_out = baton_strdup_printf("chronyc: %s", baton_exec_status_name(res.status));
        r = -EIO;
        break;
    }
    baton_command_result_clear(&res);
    return r;
}

static const char *chronyc_error(int r, const char *out)
{
    if (r == -ETIME)
        return "chronyc timed out";
    if (r == -ENOENT)
        return "chronyc not found";
    return out ? out : strerror(-r);
}

static int role_read(const ntp_state *st, ntp_role *ret)
{
    baton_autofree char *text = NULL;
    int r = file_read(st->role_path, &text);

    if (r < 0)
        return r;
    trim(text);
    return ntp_role_parse(text, ret);
}

/*
 * path (created with mode when missing) is a directory, not a symlink, and
 * ends up owned by uid:gid with mode: through one descriptor, so that what
 * is checked is what is changed. An instance directory of an older agent
 * (chronyd's user owned it) is taken back by root here.
 */
static int dir_own(baton_ctx *ctx, const char *path, mode_t mode, uid_t uid, gid_t gid)
{
    baton_autoclose int fd = -1;
    struct stat sb;

    if (mkdir(path, mode) < 0 && errno != EEXIST)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "cannot create %s: %s", path, strerror(errno));
    fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "%s: %s (a symlink or not a directory?)", path,
                              strerror(errno));
    if (fstat(fd, &sb) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "%s: %s", path, strerror(errno));
    if ((sb.st_uid != uid || sb.st_gid != gid) && fchown(fd, uid, gid) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "cannot give %s to %d:%d: %s", path, (int) uid,
                              (int) gid, strerror(errno));
    if ((sb.st_mode & 07777) != mode && fchmod(fd, mode) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "cannot chmod %s: %s", path, strerror(errno));
    return BATON_OCF_SUCCESS;
}

/*
 * The instance directory is root's (what root writes lives there); chronyd's
 * user gets only its subdirectory, private as chronyd demands for its
 * command socket. The parent must not let anyone else swap the instance
 * directory for a symlink either.
 */
static int prepare_dir(baton_ctx *ctx, const ntp_state *st)
{
    const char *parent = baton_param_str(ctx, "state_dir");
    struct stat sb;
    uid_t uid = 0;
    gid_t gid = 0;
    int r;

    r = baton_mkdir_p(parent, 0755);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "cannot create %s: %s", parent, strerror(-r));
    if (lstat(parent, &sb) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "%s: %s", parent, strerror(errno));
    if (!S_ISDIR(sb.st_mode) || sb.st_uid != 0 || (sb.st_mode & 022))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "state_dir %s must be a directory owned by root "
                              "and writable by nobody else (not a symlink)", parent);
    r = user_ids(baton_param_str(ctx, "user"), &uid, &gid);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "user %s does not exist on this node",
                              baton_param_str(ctx, "user"));
    r = dir_own(ctx, st->dir, 0755, 0, 0);
    if (r != BATON_OCF_SUCCESS)
        return r;
    return dir_own(ctx, st->daemon_dir, 0700, uid, gid);
}

static int stop_daemon(baton_ctx *ctx, const ntp_state *st)
{
    pid_t pid = 0;
    int r;

    r = chronyd_find_checked(ctx, st, &pid);
    if (r != BATON_OCF_SUCCESS)
        return r;
    if (pid == 0) {
        /* Left behind by a chronyd that died. */
        file_remove(st->pid_path);
        file_remove(st->sock_path);
        return BATON_OCF_SUCCESS;
    }
    baton_info("stopping chronyd (pid %d)", (int) pid);
    r = baton_process_terminate(pid, baton_ctx_deadline(ctx), KILL_WAIT_MS);
    if (r == -ETIME)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "chronyd (pid %d) is still running after SIGKILL", (int) pid);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot signal chronyd (pid %d): %s",
                              (int) pid, strerror(-r));
    file_remove(st->pid_path);
    file_remove(st->sock_path);
    return BATON_OCF_SUCCESS;
}

/* Until chronyd answers on its socket; it writes its pid file before that. */
static int wait_answering(baton_ctx *ctx, const ntp_state *st)
{
    for (;;) {
        baton_autofree char *out = NULL;
        int r;

        if (access(st->sock_path, F_OK) == 0) {
            r = chronyc(ctx, st, "tracking", NULL, &out);
            if (r == 0)
                return BATON_OCF_SUCCESS;
            if (r == -ENOENT)
                return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "chronyc %s not found",
                                      baton_param_str(ctx, "chronyc"));
        }
        if (running_pid(ctx, st) == 0 && access(st->pid_path, F_OK) == 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                  "chronyd exited right after starting (see the system log)");
        if (baton_deadline_remaining_ms(baton_ctx_deadline(ctx)) < POLL_STEP_MS)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                  "chronyd does not answer on %s (see the system log)", st->sock_path);
        baton_sleep_ms(POLL_STEP_MS);
    }
}

static int write_config(baton_ctx *ctx, const ntp_state *st, ntp_role role, bool *ret_changed)
{
    baton_autofree char *text = ntp_config_render(&st->cfg, role);
    baton_autofree char *old = NULL;
    int r;

    if (!text)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (file_read(st->conf_path, &old) == 0 && baton_streq(old, text)) {
        *ret_changed = false;
        return BATON_OCF_SUCCESS;
    }
    r = baton_file_write_atomic(st->conf_path, text, 0644);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot write %s: %s", st->conf_path,
                              strerror(-r));
    *ret_changed = true;
    return BATON_OCF_SUCCESS;
}

static int start_daemon(baton_ctx *ctx, const ntp_state *st)
{
    baton_autoptr(baton_command) cmd = baton_command_new(baton_param_str(ctx, "chronyd"));
    baton_command_result res = { 0 };
    int r, rc;

    file_remove(st->sock_path);
    /*
     * chronyd cannot remove its pid file once it runs as its user (the
     * directory is root's), and refuses to start while the file names a
     * live process: ours is proven not to run, so the file is stale.
     */
    file_remove(st->pid_path);
    if (!baton_param_bool(ctx, "control_clock"))
        baton_command_add_arg(cmd, "-x");
    baton_command_add_args(cmd, "-u", baton_param_str(ctx, "user"), "-f", st->conf_path, NULL);
    /* chronyd's parent returns once the daemon is set up (or failed to be). */
    baton_command_set_deadline(cmd, baton_ctx_deadline(ctx));
    r = baton_command_run(cmd, &res);
    if (r < 0) {
        baton_command_result_clear(&res);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot run chronyd: %s", strerror(-r));
    }
    if (res.status == BATON_EXEC_NOT_FOUND)
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "chronyd %s not found",
                            baton_param_str(ctx, "chronyd"));
    else if (!baton_command_result_ok(&res)) {
        trim(res.err);
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "chronyd failed to start (%s %d): %s",
                            baton_exec_status_name(res.status), res.exit_status,
                            res.err ? res.err : "");
    } else
        rc = BATON_OCF_SUCCESS;
    baton_command_result_clear(&res);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    return wait_answering(ctx, st);
}

/* chronyd running with the config of role, restarted only when that changed. */
static int ensure_role(baton_ctx *ctx, ntp_state *st, ntp_role role)
{
    bool changed = false;
    ntp_role old_role = NTP_ROLE_UNPROMOTED;
    bool had_role = role_read(st, &old_role) == 0;
    int rc, r;

    rc = prepare_dir(ctx, st);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    rc = write_config(ctx, st, role, &changed);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (running_pid(ctx, st) != 0) {
        if (!changed && had_role && old_role == role)
            return BATON_OCF_SUCCESS;
        baton_info("restarting chronyd for the %s role", ntp_role_str(role));
        rc = stop_daemon(ctx, st);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
    }
    file_remove(st->unsync_path);
    rc = start_daemon(ctx, st);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    r = baton_file_write_atomic(st->role_path, ntp_role_str(role), 0644);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot write %s: %s", st->role_path,
                              strerror(-r));
    baton_info("chronyd (pid %d) runs in the %s role", (int) running_pid(ctx, st), ntp_role_str(role));
    return BATON_OCF_SUCCESS;
}

/* ------------------------------------------------------------------ promotion score */

static void score_update(baton_ctx *ctx, const ntp_state *st, int score)
{
    baton_deadline d = baton_deadline_cap(baton_ctx_deadline(ctx), SCORE_TIMEOUT_MS);
    int r;

    r = baton_promotion_score_update(baton_ctx_resource(ctx),
                                     score == NTP_SCORE_NONE ? BATON_SCORE_NONE : score,
                                     st->score_path, d);
    if (r < 0)
        /* The next monitor tries again: the cache is left as it was. */
        baton_warn("cannot %s the promotion score: %s", score == NTP_SCORE_NONE ? "delete" : "set",
                   strerror(-r));
    else if (r > 0 && score == NTP_SCORE_NONE)
        baton_info("promotion score removed");
    else if (r > 0)
        baton_info("promotion score %d", score);
}

/* On stop: remove a score this instance set, and forget the cache. */
static void score_delete(baton_ctx *ctx, const ntp_state *st)
{
    score_update(ctx, st, NTP_SCORE_NONE);
    file_remove(st->score_path);
}

/* ------------------------------------------------------------------ monitor */

static int64_t unsync_since(const ntp_state *st)
{
    baton_autofree char *text = NULL;
    int64_t v;

    if (file_read(st->unsync_path, &text) < 0)
        return -1;
    trim(text);
    return baton_parse_int64(text, &v) == 0 && v >= 0 ? v : -1;
}

typedef struct probe_result {
    ntp_tracking tracking;
    ntp_source *sources;
    size_t n_sources;
} probe_result;

/* Tracking and sources of our chronyd; an OCF code with the reason set on failure. */
static int query(baton_ctx *ctx, const ntp_state *st, ntp_role role, probe_result *ret)
{
    baton_autofree char *t = NULL;
    baton_autofree char *s = NULL;
    int failed = role == NTP_ROLE_PROMOTED ? BATON_OCF_FAILED_PROMOTED : BATON_OCF_ERR_GENERIC;
    int r;

    r = chronyc(ctx, st, "tracking", NULL, &t);
    if (r == -ENOENT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "chronyc %s not found",
                              baton_param_str(ctx, "chronyc"));
    if (r < 0)
        return baton_ctx_fail(ctx, failed, "chronyd does not answer on %s: %s", st->sock_path,
                              chronyc_error(r, t));
    if (ntp_tracking_parse(t, &ret->tracking) < 0) {
        trim(t);
        return baton_ctx_fail(ctx, failed, "cannot parse chronyc tracking output '%s'", t);
    }
    r = chronyc(ctx, st, "-n", "sources", &s);
    if (r < 0)
        return baton_ctx_fail(ctx, failed, "chronyd does not answer on %s: %s", st->sock_path,
                              chronyc_error(r, s));
    if (ntp_sources_parse(s, &ret->sources, &ret->n_sources) < 0) {
        trim(s);
        return baton_ctx_fail(ctx, failed, "cannot parse chronyc sources output '%s'", s);
    }
    return BATON_OCF_SUCCESS;
}

static int ntp_monitor(baton_ctx *ctx)
{
    ntp_state *st = state_of(ctx);
    ntp_role role = NTP_ROLE_UNPROMOTED;
    probe_result pr = { 0 };
    ntp_assessment a;
    ntp_verdict v;
    int64_t now = baton_now_ms(), since;
    int rc;
    pid_t pid = 0;

    /* Without its pid file chronyd still runs and serves: running, and the log says so. */
    rc = chronyd_find_checked(ctx, st, &pid);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (pid == 0)
        return baton_ctx_fail(ctx, BATON_OCF_NOT_RUNNING, "chronyd is not running");
    (void) role_read(st, &role);
    rc = query(ctx, st, role, &pr);
    if (rc != BATON_OCF_SUCCESS) {
        score_update(ctx, st, NTP_SCORE_NONE);
        return rc;
    }
    ntp_assess(&(ntp_assess_in) {
                   .role = role,
                   .has_upstreams = st->cfg.upstream_servers[strspn(st->cfg.upstream_servers, " \t")] != '\0',
                   .primary_address = st->cfg.primary_address,
                   .max_offset_ms = baton_param_ms(ctx, "max_offset"),
                   .tracking = &pr.tracking,
                   .sources = pr.sources,
                   .n_sources = pr.n_sources,
               }, &a);
    free(pr.sources);

    since = unsync_since(st);
    if (a.synced) {
        if (since >= 0) {
            baton_notice("chronyd is synchronised again (stratum %d)", a.stratum);
            file_remove(st->unsync_path);
        }
    } else if (since < 0) {
        char text[32];

        snprintf(text, sizeof(text), "%" PRId64, now);
        if (baton_file_write_atomic(st->unsync_path, text, 0644) < 0)
            baton_warn("cannot write %s", st->unsync_path);
        baton_warn("%s", a.reason);
    }
    v = ntp_unsync_verdict(a.synced, since, now, baton_param_ms(ctx, "max_unsync"),
                           baton_streq(baton_param_str(ctx, "unsync_action"), "fail"));
    score_update(ctx, st, ntp_score(true, &a));
    rc = ntp_monitor_rc(role, v);
    if (v == NTP_VERDICT_GRACE)
        baton_info("unsynchronised for %" PRId64 " ms (max_unsync %" PRId64 " ms): %s",
                   since < 0 ? 0 : now - since, baton_param_ms(ctx, "max_unsync"), a.reason);
    else if (v != NTP_VERDICT_OK)
        return baton_ctx_fail(ctx, rc, "unsynchronised for %" PRId64 " s: %s",
                              since < 0 ? 0 : (now - since) / 1000, a.reason);
    return rc;
}

/* ------------------------------------------------------------------ actions */

static int ntp_start(baton_ctx *ctx)
{
    return ensure_role(ctx, state_of(ctx), NTP_ROLE_UNPROMOTED);
}

static int ntp_stop(baton_ctx *ctx)
{
    ntp_state *st = state_of(ctx);
    int rc = stop_daemon(ctx, st);

    if (rc != BATON_OCF_SUCCESS)
        return rc;
    score_delete(ctx, st);
    file_remove(st->role_path);
    file_remove(st->unsync_path);
    return BATON_OCF_SUCCESS;
}

static int ntp_promote(baton_ctx *ctx)
{
    ntp_state *st = state_of(ctx);

    if (running_pid(ctx, st) == 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot promote: chronyd is not running");
    return ensure_role(ctx, st, NTP_ROLE_PROMOTED);
}

static int ntp_demote(baton_ctx *ctx)
{
    ntp_state *st = state_of(ctx);

    if (running_pid(ctx, st) == 0)
        return baton_ctx_fail(ctx, BATON_OCF_NOT_RUNNING, "cannot demote: chronyd is not running");
    return ensure_role(ctx, st, NTP_ROLE_UNPROMOTED);
}

/* The unpromoted instances follow primary_address, which moves with the role itself. */
static int ntp_notify(baton_ctx *ctx)
{
    const baton_notify *n = baton_ctx_notify(ctx);

    if (n && n->operation)
        baton_debug("notify %s-%s: nothing to do", n->type == BATON_NOTIFY_PRE ? "pre" : "post",
                    n->operation);
    return BATON_OCF_SUCCESS;
}

/* New parameters take effect in a running instance: rewrite its config, restart if changed. */
static int ntp_reload_agent(baton_ctx *ctx)
{
    ntp_state *st = state_of(ctx);
    ntp_role role = NTP_ROLE_UNPROMOTED;

    if (running_pid(ctx, st) == 0)
        return BATON_OCF_SUCCESS;
    (void) role_read(st, &role);
    return ensure_role(ctx, st, role);
}

/*
 * A stop or a probe for which something of this node is missing: chronyd
 * or chronyc, or chronyd's user (validate, for a probe), or chronyc while
 * the probe ran. None of them is needed to find chronyd (its pid file, else
 * the process running with -f <our chrony.conf>) or to stop it (signals).
 * So a stop stops what it finds, as it does when nothing is missing, and
 * answers "not running" only when a second look finds nothing; a probe
 * only looks. Anything found, or a lookup that cannot tell, leaves the stop
 * or probe failed with its 5 or 2.
 */
static int ntp_prove_stopped(baton_ctx *ctx)
{
    ntp_state *st = state_of(ctx);
    pid_t pid = 0;

    /* validate fills the paths before anything can be missing; defensive all the same. */
    if (!st || !st->conf_path || !st->pid_path)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot look for chronyd: no paths");
    if (baton_streq(baton_ctx_action(ctx), "stop") && ntp_stop(ctx) != BATON_OCF_SUCCESS)
        return BATON_OCF_ERR_GENERIC;   /* the reason is set */
    if (chronyd_find_checked(ctx, st, &pid) != BATON_OCF_SUCCESS)
        return BATON_OCF_ERR_GENERIC;
    if (pid != 0) {
        baton_ctx_set_reason(ctx, "chronyd runs as pid %d with %s", (int) pid, st->conf_path);
        return BATON_OCF_SUCCESS;
    }
    return BATON_OCF_NOT_RUNNING;
}

static const baton_action ntp_actions[] = {
    { .name = "start", .fn = ntp_start },
    { .name = "stop", .fn = ntp_stop },
    { .name = "monitor", .fn = ntp_monitor },
    { .name = "promote", .fn = ntp_promote },
    { .name = "demote", .fn = ntp_demote },
    { .name = "notify", .fn = ntp_notify },
    { .name = "reload-agent", .fn = ntp_reload_agent },
};

int main(int argc, char **argv)
{
    static const baton_agent agent = {
        .name = "ntp",
        .metadata = &ntp_metadata,
        .actions = ntp_actions,
        .n_actions = sizeof(ntp_actions) / sizeof(ntp_actions[0]),
        .validate = ntp_validate,
        .prove_stopped = ntp_prove_stopped,
    };

    return baton_agent_main(&agent, argc, argv);
}
