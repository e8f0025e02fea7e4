/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ldap, slapd itself: finding the instance that runs with our
 * config, starting it (it daemonizes), waiting until it answers, stopping
 * it, and what its configuration on disk says before it runs.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include <ldap.h>

#include <baton.h>

#include "ldap-agent.h"

#define KILL_WAIT_MS 2000

/*
 * Our slapd: the pid file's process when it runs with our config, else the
 * process that runs with it (the pid file was deleted, is stale, or the
 * config that names it is gone). ldap_slapd_launch starts it with "-F
 * <config>" under the program's name: slapcat, slaptest and the other slap
 * tools are slapd under another name and take -F as well, never theirs.
 */
static int slapd_find(baton_ctx *ctx, const ldap_state *st, pid_t *ret, bool *ret_lost)
{
    const char *args[] = { "-F", baton_param_str(ctx, "config"), NULL };

    return baton_daemon_find(st->pid_path, baton_param_str(ctx, "slapd"), "slapd", args, ret,
                             ret_lost);
}

/* The pid of our slapd, or 0 when none runs or nobody can tell (logged). */
pid_t ldap_running_pid(baton_ctx *ctx, const ldap_state *st)
{
    pid_t pid = 0;
    bool lost;
    int r = slapd_find(ctx, st, &pid, &lost);

    if (r < 0)
        baton_warn("cannot tell whether slapd runs with %s: %s", baton_param_str(ctx, "config"),
                   strerror(-r));
    return r < 0 ? 0 : pid;
}

/* slapd_find for the actions that must not guess: an OCF code, with the reason. */
int ldap_slapd_find_checked(baton_ctx *ctx, const ldap_state *st, pid_t *ret)
{
    bool lost;
    int r = slapd_find(ctx, st, ret, &lost);

    if (r == -ENOTUNIQ)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "several slapd processes run with -F %s",
                              baton_param_str(ctx, "config"));
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot tell whether slapd runs with %s: %s",
                              baton_param_str(ctx, "config"), strerror(-r));
    if (lost)
        baton_warn("slapd runs as pid %d, but its pid file %s does not name it", (int) *ret,
                   st->pid_path ? st->pid_path : "(unknown: no configuration)");
    return BATON_OCF_SUCCESS;
}

int ldap_slapd_running(baton_ctx *ctx, const ldap_state *st, pid_t *ret)
{
    int r = ldap_slapd_find_checked(ctx, st, ret);

    if (r != BATON_OCF_SUCCESS)
        return r;
    if (*ret == 0)
        return baton_ctx_fail(ctx, BATON_OCF_NOT_RUNNING, "slapd is not running");
    return BATON_OCF_SUCCESS;
}

int ldap_slapd_launch(baton_ctx *ctx, const ldap_state *st, bool ldapi_only)
{
    baton_autoptr(baton_command) cmd = baton_command_new(baton_param_str(ctx, "slapd"));
    baton_command_result res = { 0 };
    const char *user = ldap_param_or_empty(ctx, "user"), *group = ldap_param_or_empty(ctx, "group");
    const char *services = ldap_param_or_empty(ctx, "services");
    int r;

    /* A primitive serves services alone, as ocf:heartbeat:slapd runs it (no -h: ldap:///). */
    if (!st->promotable) {
        if (*services)
            baton_command_add_args(cmd, "-h", services, NULL);
    } else if (ldapi_only) {
        baton_command_add_args(cmd, "-h", st->ldapi_uri, NULL);
    } else {
        baton_command_add_arg(cmd, "-h");
        baton_command_add_argf(cmd, "%s %s", services, st->ldapi_uri);
    }
    baton_command_add_args(cmd, "-F", baton_param_str(ctx, "config"), NULL);
    if (*user)
        baton_command_add_args(cmd, "-u", user, NULL);
    if (*group)
        baton_command_add_args(cmd, "-g", group, NULL);
    ldap_slapd_command_extra(ctx, st, cmd);
    baton_command_set_deadline(cmd, baton_ctx_deadline(ctx));
    r = baton_command_run(cmd, &res);
    if (r < 0) {
        baton_command_result_clear(&res);
        if (baton_param_is_set(ctx, "maxfiles") && (r == -EPERM || r == -EINVAL))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot run slapd with maxfiles=%lld "
                                  "(open-files limit): %s", (long long) baton_param_int(ctx, "maxfiles"),
                                  strerror(-r));
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot run slapd: %s", strerror(-r));
    }
    if (!baton_command_result_ok(&res)) {
        ldap_trim(res.err);
        r = baton_ctx_fail(ctx, res.status == BATON_EXEC_NOT_FOUND ? BATON_OCF_ERR_INSTALLED
                           : BATON_OCF_ERR_GENERIC, "slapd did not start (%s %d): %s",
                           baton_exec_status_name(res.status), res.exit_status,
                           res.err && *res.err ? res.err : "see the system log");
        baton_command_result_clear(&res);
        return r;
    }
    baton_command_result_clear(&res);
    return BATON_OCF_SUCCESS;
}

/* Wait until cn=config answers over ldapi and the pid file names a live slapd. */
int ldap_slapd_wait_ready(baton_ctx *ctx, const ldap_state *st)
{
    /* keep time to stop it again when it never answers */
    baton_deadline d = baton_deadline_reserve(baton_ctx_deadline(ctx), KILL_WAIT_MS + 1000);
    int r = LDAP_SERVER_DOWN;

    while (!baton_deadline_expired(d)) {
        LDAP *ld = NULL;

        r = ldap_conn_local_config(ctx, st, &ld);
        ldap_conn_unbind(&ld);
        if (r == LDAP_SUCCESS && ldap_running_pid(ctx, st) > 0)
            return BATON_OCF_SUCCESS;
        baton_sleep_ms(POLL_STEP_MS);
    }
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "slapd did not answer on %s in time: %s",
                          st->ldapi_uri, ldap_err2string(r));
}

/* TERM, KILL after stop_escalate (or when the budget runs short), and confirm it is gone. */
int ldap_slapd_stop(baton_ctx *ctx, const ldap_state *st)
{
    pid_t pid = 0;
    baton_deadline d;
    int r;

    r = ldap_slapd_find_checked(ctx, st, &pid);
    if (r != BATON_OCF_SUCCESS)
        return r;
    if (pid == 0)
        return BATON_OCF_SUCCESS;
    /* SIGTERM gets stop_escalate; SIGKILL keeps KILL_WAIT_MS of the operation for itself. */
    d = baton_deadline_cap(baton_ctx_deadline(ctx), baton_param_ms(ctx, "stop_escalate") + KILL_WAIT_MS);
    r = baton_process_terminate(pid, d, KILL_WAIT_MS);
    if (r == -ETIME)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "slapd %d survived SIGKILL", (int) pid);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot signal slapd %d: %s", (int) pid,
                              strerror(-r));
    return BATON_OCF_SUCCESS;
}

/* The role it writes there decides how slapd comes up next: only root may write it. */
int ldap_state_dir_make(baton_ctx *ctx, const ldap_state *st)
{
    baton_autofree char *reason = NULL;
    int r;

    r = baton_state_dir_check(st->dir, 0700, &reason);
    if (r < 0)
        return baton_ctx_fail(ctx, r == -ENOMEM ? BATON_OCF_ERR_GENERIC : BATON_OCF_ERR_PERM,
                              "%s", reason ? reason : strerror(-r));
    return BATON_OCF_SUCCESS;
}

/*
 * Whether the database's entry on disk (slapd.d) has no update referral,
 * i.e. slapd would come up writable. Read-only: slapd.d files carry a
 * checksum and are never edited by hand.
 */
bool ldap_disk_config_is_provider(baton_ctx *ctx)
{
    baton_autofree char *dirpath = baton_strdup_printf("%s/cn=config", baton_param_str(ctx, "config"));
    const char *suffix = baton_param_str(ctx, "suffix");
    DIR *d = dirpath ? opendir(dirpath) : NULL;
    struct dirent *de;
    bool provider = false;

    if (!d)
        return false;
    while ((de = readdir(d))) {
        baton_autofree char *path = NULL;
        baton_autofree char *text = NULL;
        baton_autofree char *sfx = NULL;

        if (strncmp(de->d_name, "olcDatabase=", 12) != 0)
            continue;
        path = baton_strdup_printf("%s/%s", dirpath, de->d_name);
        if (!path || ldap_file_read(path, &text) < 0)
            continue;
        sfx = ldap_ldif_value(text, "olcSuffix");
        if (!sfx || strcasecmp(sfx, suffix) != 0)
            continue;
        provider = !strstr(text, "\nolcUpdateRef:");
        break;
    }
    closedir(d);
    return provider;
}
