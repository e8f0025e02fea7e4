/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:drbd - a DRBD 9 resource as a promotable clone.
 *
 * The state comes from `drbdsetup status --json` only (drbd-state.c reads
 * it); the decisions are pure functions (drbd-score.c); this file runs the
 * tools within the operation's deadline and keeps a small state file per
 * resource (state_dir/<resource>) so that a monitor whose score did not
 * change runs no crm_attribute, and so that a stalled resync can be told
 * from a slow one across monitors.
 *
 * Exit codes, where the OCF spec leaves a choice:
 *  - a missing drbdadm/drbdsetup or unreadable drbdconf is 5; a probe then
 *    says 7 and a stop 0 only when drbdsetup shows the resource down, after
 *    a stop took it down with drbdsetup (drbd_prove_stopped); a resource
 *    name DRBD cannot accept and clone limits DRBD cannot honour are 6; a
 *    resource this node's DRBD configuration lacks (drbdadm up exits 10) is
 *    5, as ocf:linbit:drbd answers: another node's may have it;
 *  - promote refused for safety (local disk not UpToDate, peer Primary, no
 *    quorum, split brain) is 1 with the reason; the score already keeps
 *    Pacemaker from choosing this node, so this only answers a forced move;
 *  - stop is 0 only once drbdsetup no longer lists the resource.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <baton.h>

#include "drbd-score.h"
#include "drbd-state.h"

extern const baton_metadata drbd_metadata;   /* compiled from xml-metadata/drbd.xml */

/* Time given to one crm_attribute run: the score is not worth a timed-out operation. */
#define SCORE_TIMEOUT_MS 10000
#define STATE_FILE_MAX 4096

typedef struct drbd_agent {
    const char *res;            /* drbd_resource */
    char *state_path;           /* state_dir/<Pacemaker resource> */
    drbd_memo memo;
    char memo_text[STATE_FILE_MAX];     /* as read: an unchanged memo is not rewritten */
} drbd_agent;

static void drbd_agent_free(void *p)
{
    drbd_agent *a = p;

    if (a) {
        free(a->state_path);
        free(a);
    }
}

static drbd_agent *agent_of(baton_ctx *ctx)
{
    return baton_ctx_get_data(ctx);
}

/* ------------------------------------------------------------------ validate */

/* What ocf:linbit:drbd accepts, so that a configuration moves over unchanged. */
static bool resource_name_ok(const char *s)
{
    static const char extra[] = "-%+./:=@_";

    if (!s || !*s || strlen(s) >= DRBD_NAME_MAX)
        return false;
    for (; *s; s++)
        if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') && !(*s >= '0' && *s <= '9') &&
            !strchr(extra, *s))
            return false;
    return true;
}

static int meta_int(baton_ctx *ctx, const char *name, const char *old_name, int64_t *ret)
{
    const char *v = baton_ctx_meta(ctx, name);

    if (!v && old_name)
        v = baton_ctx_meta(ctx, old_name);
    if (!v)
        return 0;
    return baton_parse_int64(v, ret) < 0 ? -EINVAL : 1;
}

static int check_clone_meta(baton_ctx *ctx)
{
    bool dual = baton_param_bool(ctx, "allow_dual_primary");
    int64_t v;

    if (meta_int(ctx, "clone-node-max", NULL, &v) > 0 && v > 1)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "clone-node-max=%lld: a DRBD resource can run once per node",
                              (long long) v);
    if (meta_int(ctx, "promoted-node-max", "master-node-max", &v) > 0 && v > 1)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "promoted-node-max=%lld: a DRBD resource can be Primary once per node",
                              (long long) v);
    if (meta_int(ctx, "promoted-max", "master-max", &v) > 0 && v > (dual ? 2 : 1))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "promoted-max=%lld needs allow_dual_primary=true (and at most 2)",
                              (long long) v);
    return BATON_OCF_SUCCESS;
}

static int check_program(baton_ctx *ctx, const char *param)
{
    const char *path = baton_param_str(ctx, param);

    if (!path || path[0] != '/')
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "%s must be an absolute path", param);
    if (access(path, X_OK) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "%s %s is not installed: %s", param,
                              path, strerror(errno));
    return BATON_OCF_SUCCESS;
}

static int drbd_validate(baton_ctx *ctx)
{
    baton_autofree char *base = NULL;
    const char *conf = baton_param_str(ctx, "drbdconf");
    drbd_agent *a = calloc(1, sizeof(*a));
    int rc;

    if (!a)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    baton_ctx_set_data(ctx, a, drbd_agent_free);
    a->res = baton_param_str(ctx, "drbd_resource");
    /*
     * drbdadm and drbdsetup would take such a name for an option
     * (drbd_resource=--help ran `drbdadm up --help`). There is no "--" to
     * end their options: drbdadm passes what follows "--" on to drbdsetup.
     */
    if (a->res && a->res[0] == '-')
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "drbd_resource '%s' starts with '-': drbdadm would read it as an option",
                              a->res);
    if (!resource_name_ok(a->res))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "drbd_resource '%s' is not a DRBD resource name", a->res);
    base = baton_cluster_resource_base(baton_ctx_resource(ctx));
    if (!base || strchr(base, '/'))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "unusable resource instance name");
    if (asprintf(&a->state_path, "%s/%s", baton_param_str(ctx, "state_dir"), base) < 0) {
        a->state_path = NULL;
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    }
    /* Like ocf:linbit:drbd: a stop must work even after the clone was misconfigured. */
    if (strcmp(baton_ctx_action(ctx), "stop") != 0) {
        rc = check_clone_meta(ctx);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
    }
    if ((rc = check_program(ctx, "drbdadm")) != BATON_OCF_SUCCESS ||
        (rc = check_program(ctx, "drbdsetup")) != BATON_OCF_SUCCESS)
        return rc;
    if (conf && *conf && access(conf, R_OK) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "drbdconf %s is not readable: %s",
                              conf, strerror(errno));
    return BATON_OCF_SUCCESS;
}

/* ------------------------------------------------------------------ state file */

/* state_dir is ours alone (created when missing); logs why not. */
static bool state_dir_ok(baton_ctx *ctx)
{
    baton_autofree char *reason = NULL;
    int r = baton_state_dir_check(baton_param_str(ctx, "state_dir"), 0700, &reason);

    if (r < 0)
        baton_warn("not using the state file: %s", reason ? reason : strerror(-r));
    return r == 0;
}

static void memo_load(baton_ctx *ctx)
{
    drbd_agent *a = agent_of(ctx);
    char buf[STATE_FILE_MAX];
    baton_autoclose int fd = -1;
    ssize_t n;

    a->memo = (drbd_memo){ .score = DRBD_SCORE_DELETE };
    a->memo_text[0] = '\0';
    /* What others could have planted is not read: it would decide for us. */
    if (!state_dir_ok(ctx))
        return;
    fd = open(a->state_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        if (errno != ENOENT)
            baton_warn("cannot read %s: %s", a->state_path, strerror(errno));
        return;
    }
    n = read(fd, buf, sizeof(buf) - 1);
    if (n < 0) {
        baton_warn("cannot read %s: %s", a->state_path, strerror(errno));
        return;
    }
    buf[n] = '\0';
    /* A damaged file only costs one crm_attribute call and one stall period. */
    if (drbd_memo_parse(buf, &a->memo) < 0) {
        baton_warn("ignoring unreadable state file %s", a->state_path);
        a->memo = (drbd_memo){ .score = DRBD_SCORE_DELETE };
        return;
    }
    memcpy(a->memo_text, buf, (size_t) n + 1);
}

/*
 * The state file decides whether crm_attribute runs and when a resync counts
 * as stalled: its directory must be ours alone (baton_state_dir_check), and
 * it is written by libbaton's one safe writer.
 */
static void memo_save(baton_ctx *ctx)
{
    drbd_agent *a = agent_of(ctx);
    char buf[STATE_FILE_MAX];
    int r;

    if (drbd_memo_format(&a->memo, buf, sizeof(buf)) < 0)
        return;
    if (a->memo_text[0] && strcmp(buf, a->memo_text) == 0)
        return;
    if (!state_dir_ok(ctx))
        return;
    r = baton_file_write_atomic(a->state_path, buf, 0600);
    if (r < 0) {
        baton_warn("cannot write %s: %s", a->state_path, strerror(-r));
        return;
    }
    memcpy(a->memo_text, buf, strlen(buf) + 1);
}

static void memo_remove(baton_ctx *ctx)
{
    drbd_agent *a = agent_of(ctx);

    if (unlink(a->state_path) < 0 && errno != ENOENT)
        baton_warn("cannot remove %s: %s", a->state_path, strerror(errno));
}

/* The resource is proven down here: nothing of it may steer the next start or promotion. */
static void forget_stopped(baton_ctx *ctx)
{
    int r = baton_promotion_score_delete(baton_ctx_resource(ctx),
                                         baton_deadline_cap(baton_ctx_deadline(ctx), SCORE_TIMEOUT_MS));

    if (r < 0)
        baton_warn("cannot delete the promotion score: %s", strerror(-r));
    memo_remove(ctx);
}

/* ------------------------------------------------------------------ tools */

static const char *last_line(char *s)
{
    char *end, *start;

    if (!s)
        return "";
    end = s + strlen(s);
    while (end > s && (end[-1] == '\n' || end[-1] == ' '))
        *--end = '\0';
    start = strrchr(s, '\n');
    return start ? start + 1 : s;
}

/*
 * drbdadm [-c conf] <subcommand> <resource>. Returns 0 when it ran (the exit
 * status in *ret_status), else an OCF code with the reason set.
 */
static int drbdadm(baton_ctx *ctx, const char *sub, int *ret_status)
{
    drbd_agent *a = agent_of(ctx);
    const char *conf = baton_param_str(ctx, "drbdconf");
    baton_autoptr(baton_command) cmd = baton_command_new(baton_param_str(ctx, "drbdadm"));
    baton_command_result res = { 0 };
    int r, rc = BATON_OCF_SUCCESS;

    if (conf && *conf)
        baton_command_add_args(cmd, "-c", conf, NULL);
    baton_command_add_args(cmd, sub, a->res, NULL);
    baton_command_set_deadline(cmd, baton_ctx_deadline(ctx));
    r = baton_command_run(cmd, &res);
    if (r < 0) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot run drbdadm %s: %s", sub, strerror(-r));
    } else if (res.status == BATON_EXEC_DONE) {
        *ret_status = res.exit_status;
        if (res.exit_status != 0)
            baton_ctx_set_reason(ctx, "drbdadm %s %s exited with %d: %s", sub, a->res,
                                 res.exit_status, last_line(res.err));
        else
            baton_info("drbdadm %s %s: done in %lld ms", sub, a->res, (long long) res.elapsed_ms);
    } else if (res.status == BATON_EXEC_NOT_FOUND) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "drbdadm %s not found",
                            baton_param_str(ctx, "drbdadm"));
    } else {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "drbdadm %s %s: %s", sub, a->res,
                            res.status == BATON_EXEC_TIMEOUT ? "timed out"
                                                             : baton_exec_status_name(res.status));
    }
    baton_command_result_clear(&res);
    return rc;
}

/* A drbdadm step that must succeed; its failure keeps drbdadm()'s reason (copied before freed). */
static int drbdadm_ok(baton_ctx *ctx, const char *sub)
{
    int status = -1;
    int rc = drbdadm(ctx, sub, &status);

    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (status != 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s", baton_ctx_reason(ctx));
    return BATON_OCF_SUCCESS;
}

/*
 * The resource's state from `drbdsetup status --json` over all resources
 * (an empty array, not an error, when ours is down). *ret_up says whether it
 * is up; st is filled then. Returns an OCF code with the reason set.
 */
static int read_status(baton_ctx *ctx, drbd_status *st, bool *ret_up)
{
    drbd_agent *a = agent_of(ctx);
    baton_autoptr(baton_command) cmd = baton_command_new(baton_param_str(ctx, "drbdsetup"));
    baton_command_result res = { 0 };
    char err[256];
    int r, rc = BATON_OCF_SUCCESS;

    baton_command_add_args(cmd, "status", "--json", NULL);
    baton_command_set_deadline(cmd, baton_ctx_deadline(ctx));
    r = baton_command_run(cmd, &res);
    if (r < 0) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot run drbdsetup: %s", strerror(-r));
    } else if (res.status == BATON_EXEC_NOT_FOUND) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "drbdsetup %s not found",
                            baton_param_str(ctx, "drbdsetup"));
    } else if (res.status != BATON_EXEC_DONE) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "drbdsetup status: %s",
                            res.status == BATON_EXEC_TIMEOUT ? "timed out"
                                                             : baton_exec_status_name(res.status));
    } else if (res.exit_status != 0) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "drbdsetup status --json exited with %d: %s",
                            res.exit_status, last_line(res.err));
    } else if (res.out_truncated) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "drbdsetup status --json: output too long");
    } else {
        r = drbd_status_parse(res.out ? res.out : "", a->res, st, err, sizeof(err));
        if (r < 0)
            rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                "cannot read drbdsetup status --json: %s", err);
        else
            *ret_up = r > 0;
    }
    baton_command_result_clear(&res);
    return rc;
}

/*
 * drbdsetup down <res>: unlike drbdadm down it needs no configuration file
 * (it demotes, disconnects, detaches and deletes what the kernel has). Its
 * exit status only feeds the reason: the proof is the status read after it.
 */
static void drbdsetup_down(baton_ctx *ctx, char *why, size_t why_size)
{
    drbd_agent *a = agent_of(ctx);
    baton_autoptr(baton_command) cmd = baton_command_new(baton_param_str(ctx, "drbdsetup"));
    baton_command_result res = { 0 };
    int r;

    baton_command_add_args(cmd, "down", a->res, NULL);
    baton_command_set_deadline(cmd, baton_ctx_deadline(ctx));
    r = baton_command_run(cmd, &res);
    snprintf(why, why_size, "drbdsetup down left it up");
    if (r < 0)
        snprintf(why, why_size, "cannot run drbdsetup down %s: %s", a->res, strerror(-r));
    else if (res.status != BATON_EXEC_DONE)
        snprintf(why, why_size, "drbdsetup down %s: %s", a->res, baton_exec_status_name(res.status));
    else if (res.exit_status != 0)
        snprintf(why, why_size, "drbdsetup down %s exited with %d: %s", a->res, res.exit_status,
                 last_line(res.err));
    else
        baton_info("drbdsetup down %s: done in %lld ms", a->res, (long long) res.elapsed_ms);
    baton_command_result_clear(&res);
}

/* ------------------------------------------------------------------ score */

/*
 * Set the score when it changed or is due again (drbd_score_due; force: also
 * when the state file says it is set, after a node restart of the cluster
 * stack the attribute is gone while /run is not). A failure is logged, not returned: the role is fine, and the
 * next monitor retries because the memo then says "unknown".
 */
static void score_update(baton_ctx *ctx, const drbd_status *st, bool force)
{
    drbd_agent *a = agent_of(ctx);
    const char *rsc = baton_ctx_resource(ctx);
    baton_deadline d = baton_deadline_cap(baton_ctx_deadline(ctx), SCORE_TIMEOUT_MS);
    const char *why = "";
    int score = drbd_promotion_score(st, baton_param_bool(ctx, "allow_dual_primary"), &why);
    int r;

    if (score == DRBD_SCORE_KEEP) {
        baton_debug("promotion score left as it is: %s", why);
        return;
    }
    int64_t now = baton_now_ms();

    if (!force && !drbd_score_due(&a->memo, score, now))
        return;
    if (score == DRBD_SCORE_DELETE)
        r = baton_promotion_score_delete(rsc, d);
    else
        r = baton_promotion_score_set(rsc, score, d);
    if (r < 0) {
        baton_warn("cannot %s the promotion score of %s: %s", score == DRBD_SCORE_DELETE ? "delete" : "set",
                   rsc, strerror(-r));
        a->memo.score_known = false;
        return;
    }
    if (score == DRBD_SCORE_DELETE)
        baton_info("promotion score removed: %s", why);
    else
        baton_info("promotion score %d: %s", score, why);
    a->memo.score_known = true;
    a->memo.score = score;
    a->memo.score_ms = now;
}

/* ------------------------------------------------------------------ actions */

/*
 * The caller declared OCF 1.0 exactly (ocft does; Pacemaker 2.1 says 1.1). Without the
 * variables (a test, a human) the agent speaks 1.1, its own version.
 */
static bool caller_says_ocf_1_0(void)
{
    const char *major = getenv("OCF_RA_VERSION_MAJOR"), *minor = getenv("OCF_RA_VERSION_MINOR");

    return major && minor && strcmp(major, "1") == 0 && strcmp(minor, "0") == 0;
}

static int monitor_rc(baton_ctx *ctx, int rc, const char *reason)
{
    if (rc != BATON_OCF_DEGRADED && rc != BATON_OCF_DEGRADED_PROMOTED)
        return rc;
    if (!drbd_report_degraded(baton_param_bool(ctx, "report_degraded"), !caller_says_ocf_1_0())) {
        baton_warn("degraded: %s", reason);
        return rc == BATON_OCF_DEGRADED ? BATON_OCF_SUCCESS : BATON_OCF_RUNNING_PROMOTED;
    }
    baton_ctx_set_reason(ctx, "%s", reason);
    baton_warn("degraded: %s", reason);
    return rc;
}

static int drbd_monitor(baton_ctx *ctx)
{
    drbd_agent *a = agent_of(ctx);
    drbd_status st;
    drbd_memo next;
    char reason[1024];
    bool up = false;
    int rc;

    rc = read_status(ctx, &st, &up);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    memo_load(ctx);
    next = a->memo;
    rc = drbd_monitor_decide(up ? &st : NULL, &a->memo, baton_now_ms(),
                             baton_param_ms(ctx, "resync_stall_timeout"), &next, reason,
                             sizeof(reason));
    a->memo.n_marks = next.n_marks;
    memcpy(a->memo.marks, next.marks, sizeof(next.marks));
    if (rc == BATON_OCF_NOT_RUNNING) {
        /* The cluster's attribute may outlive the state file or not: ask again on start. */
        a->memo.score_known = false;
        memo_save(ctx);
        if (baton_ctx_is_probe(ctx)) {
            baton_info("%s is not up", a->res);
            return rc;
        }
        return baton_ctx_fail(ctx, rc, "%s is not up", a->res);
    }
    score_update(ctx, &st, baton_ctx_is_probe(ctx));
    memo_save(ctx);
    if (rc == BATON_OCF_ERR_GENERIC)
        return baton_ctx_fail(ctx, rc, "%s: %s", a->res, reason);
    return monitor_rc(ctx, rc, reason);
}

static int drbd_start(baton_ctx *ctx)
{
    drbd_agent *a = agent_of(ctx);
    drbd_status st;
    bool up = false;
    int rc, status = -1;

    rc = read_status(ctx, &st, &up);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    /* adjust brings an up resource in line with its configuration (reconnects, reattaches). */
    rc = drbdadm(ctx, up ? "adjust" : "up", &status);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (status != 0)
        return baton_ctx_fail(ctx, drbd_adm_config_invalid(status) ? BATON_OCF_ERR_INSTALLED
                                                                   : BATON_OCF_ERR_GENERIC,
                              "%s", baton_ctx_reason(ctx));
    rc = read_status(ctx, &st, &up);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (!up)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "%s is not up after drbdadm up succeeded", a->res);
    memo_load(ctx);
    a->memo.n_marks = 0;
    score_update(ctx, &st, true);
    memo_save(ctx);
    return BATON_OCF_SUCCESS;
}

static int drbd_stop(baton_ctx *ctx)
{
    drbd_agent *a = agent_of(ctx);
    drbd_status st;
    bool up = false;
    int rc;

    rc = read_status(ctx, &st, &up);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (up) {
        if (st.role == DRBD_ROLE_PRIMARY) {
            rc = drbdadm_ok(ctx, "secondary");
            if (rc != BATON_OCF_SUCCESS)
                return rc;
        }
        rc = drbdadm_ok(ctx, "down");
        if (rc != BATON_OCF_SUCCESS)
            return rc;
        /* Never "stopped" without proof. */
        rc = read_status(ctx, &st, &up);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
        if (up)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                  "%s is still up after drbdadm down succeeded", a->res);
    } else {
        baton_info("%s is not up", a->res);
    }
    forget_stopped(ctx);
    return BATON_OCF_SUCCESS;
}

static int confirm_role(baton_ctx *ctx, drbd_role want, drbd_status *st)
{
    drbd_agent *a = agent_of(ctx);
    bool up = false;
    int rc = read_status(ctx, st, &up);

    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (!up)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s went down", a->res);
    if (st->role != want)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s is %s, not %s", a->res,
                              drbd_role_str(st->role), drbd_role_str(want));
    return BATON_OCF_SUCCESS;
}

/*
 * The status for promote and demote, which need the resource up; the memo
 * loaded, as score_update() wants it.
 */
static int read_status_up(baton_ctx *ctx, const char *action, drbd_status *st)
{
    bool up = false;
    int rc = read_status(ctx, st, &up);

    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (!up)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot %s %s: it is not up", action,
                              agent_of(ctx)->res);
    memo_load(ctx);
    return BATON_OCF_SUCCESS;
}

/* drbdadm verb, unless already in role, and the role confirmed; then the score. */
static int role_switch(baton_ctx *ctx, drbd_status *st, drbd_role role, const char *verb)
{
    int rc;

    if (st->role != role) {
        rc = drbdadm_ok(ctx, verb);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
        rc = confirm_role(ctx, role, st);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
    }
    score_update(ctx, st, false);
    memo_save(ctx);
    return BATON_OCF_SUCCESS;
}

static int drbd_promote(baton_ctx *ctx)
{
    drbd_status st;
    char why[512];
    int rc = read_status_up(ctx, "promote", &st);

    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (st.role != DRBD_ROLE_PRIMARY &&
        drbd_promote_check(&st, baton_param_bool(ctx, "allow_dual_primary"), why, sizeof(why)) < 0) {
        score_update(ctx, &st, false);
        memo_save(ctx);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "refusing to promote %s: %s",
                              agent_of(ctx)->res, why);
    }
    return role_switch(ctx, &st, DRBD_ROLE_PRIMARY, "primary");
}

static int drbd_demote(baton_ctx *ctx)
{
    drbd_status st;
    int rc = read_status_up(ctx, "demote", &st);

    if (rc != BATON_OCF_SUCCESS)
        return rc;
    return role_switch(ctx, &st, DRBD_ROLE_SECONDARY, "secondary");
}

/*
 * Nothing here is needed for correctness (monitor keeps the score right);
 * it only makes the cluster react sooner: when a peer starts, adjust so
 * that the connection to it is set up, and refresh the score after every
 * change.
 */
static int drbd_notify(baton_ctx *ctx)
{
    const baton_notify *n = baton_ctx_notify(ctx);
    drbd_status st;
    bool up = false;
    int rc, status = 0;

    rc = read_status(ctx, &st, &up);
    if (rc != BATON_OCF_SUCCESS || !up)
        return BATON_OCF_SUCCESS;
    if (n && n->operation && strcmp(n->operation, "start") == 0) {
        if (drbdadm(ctx, "adjust", &status) != BATON_OCF_SUCCESS || status != 0)
            baton_warn("notify: %s", baton_ctx_reason(ctx));
        if (read_status(ctx, &st, &up) != BATON_OCF_SUCCESS || !up)
            return BATON_OCF_SUCCESS;
    }
    memo_load(ctx);
    score_update(ctx, &st, false);
    memo_save(ctx);
    return BATON_OCF_SUCCESS;
}

/*
 * The stop and probe rule (libbaton's prove_stopped): validate found drbdadm
 * or drbdsetup missing, or drbdconf unreadable. Only the kernel knows
 * whether the resource is up, and drbdsetup asks it without any
 * configuration file. A stop takes an up resource down with drbdsetup
 * alone; a probe reports what it found. Without drbdsetup nothing can be
 * proven: a stop then fails and the cluster fences, rather than starting
 * the resource elsewhere while this node may still be Primary.
 */
static int drbd_prove_stopped(baton_ctx *ctx)
{
    drbd_agent *a = agent_of(ctx);
    const char *setup = baton_param_str(ctx, "drbdsetup");
    bool stop = strcmp(baton_ctx_action(ctx), "stop") == 0;
    drbd_status st;
    bool up = false;

    if (!a || !a->res)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "no resource to look for");
    if (!setup || setup[0] != '/' || access(setup, X_OK) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "without drbdsetup %s, whether %s is up here cannot be told",
                              setup ? setup : "", a->res);
    if (read_status(ctx, &st, &up) != BATON_OCF_SUCCESS)
        return BATON_OCF_ERR_GENERIC;
    if (up && stop) {
        drbd_role was = st.role;
        char why[512];

        drbdsetup_down(ctx, why, sizeof(why));
        if (read_status(ctx, &st, &up) != BATON_OCF_SUCCESS)
            return BATON_OCF_ERR_GENERIC;
        if (up)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s is still up as %s (was %s): %s",
                                  a->res, drbd_role_str(st.role), drbd_role_str(was), why);
        baton_info("%s taken down with drbdsetup (it was %s)", a->res, drbd_role_str(was));
    }
    if (up)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s is up here as %s", a->res,
                              drbd_role_str(st.role));
    if (stop)
        forget_stopped(ctx);
    return BATON_OCF_NOT_RUNNING;
}

/* Every reloadable parameter is read afresh by each action. */
static int drbd_reload_agent(baton_ctx *ctx)
{
    return BATON_OCF_SUCCESS;
}

static const baton_action drbd_actions[] = {
    { .name = "start", .fn = drbd_start },
    { .name = "stop", .fn = drbd_stop },
    { .name = "promote", .fn = drbd_promote },
    { .name = "demote", .fn = drbd_demote },
    { .name = "monitor", .fn = drbd_monitor },
    { .name = "notify", .fn = drbd_notify },
    { .name = "reload-agent", .fn = drbd_reload_agent },
};

int main(int argc, char **argv)
{
    static const baton_agent agent = {
        .name = "drbd",
        .metadata = &drbd_metadata,
        .actions = drbd_actions,
        .n_actions = sizeof(drbd_actions) / sizeof(drbd_actions[0]),
        .validate = drbd_validate,
        .prove_stopped = drbd_prove_stopped,
    };

    return baton_agent_main(&agent, argc, argv);
}
