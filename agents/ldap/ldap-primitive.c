/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ldap as a plain primitive: one slapd without replication
 * roles, the way ocf:heartbeat:slapd runs it, and the parameters taken
 * over from that agent (parameters, maxfiles, watch_suffix, ignore_suffix),
 * which the promotable clone honours too.
 *
 * Choices worth knowing:
 *  - The primitive starts slapd as ocf:heartbeat:slapd does: -h services
 *    (no ldapi socket of the agent's: nothing is changed in cn=config), -F
 *    config, the pid file from olcPidFile. So either agent finds, monitors
 *    and stops a slapd the other started, and a running cluster switches
 *    providers without a restart.
 *  - monitor (any depth: there is no replication to look at) binds as
 *    bind_dn, anonymously without one, and reads each checked suffix's
 *    entry, as slapd's monitor does with ldapsearch, in-process and bounded
 *    by the operation's timeout. With no suffix to check, a live process
 *    is enough (as there).
 *  - Refused credentials are degraded (190), not 6: slapd answers, and
 *    stopping the directory everywhere over a monitoring password helps no
 *    one.
 *  - start waits until monitor would pass (as slapd's start does), within
 *    the start timeout.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "ldap-agent.h"
#include "ldap-slapd-args.h"

#define READY_CAP_MS 1000           /* one readiness probe during start */
#define READY_STEP_MS 100
#define NR_OPEN_PATH "/proc/sys/fs/nr_open"

static ldap_state *state_of(baton_ctx *ctx)
{
    return baton_ctx_get_data(ctx);
}

/* Largest RLIMIT_NOFILE the kernel grants (fs.nr_open), 0 when it cannot be read. */
static int64_t nr_open(void)
{
    baton_autofree char *text = NULL;
    int64_t v = 0;

    if (baton_file_read(NR_OPEN_PATH, 64, &text) < 0)
        return 0;
    text[strcspn(text, "\n")] = '\0';
    return baton_parse_int64(text, &v) == 0 ? v : 0;
}

int ldap_slapd_params_validate(baton_ctx *ctx, ldap_state *st)
{
    char reason[512];
    int64_t max;
    int r;

    r = ldap_slapd_args_parse(ldap_param_or_empty(ctx, "parameters"), &st->slapd_args,
                              &st->n_slapd_args, reason, sizeof(reason));
    if (r == -ENOMEM)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "%s", reason);
    /* Only what starts slapd needs it: a stop or a probe must not fail over it. */
    if (!baton_param_is_set(ctx, "maxfiles") || !(baton_streq(baton_ctx_action(ctx), "start") ||
                                                  baton_streq(baton_ctx_action(ctx), "validate-all")))
        return BATON_OCF_SUCCESS;
    /* A node-wide limit (sysctl), so this node's problem: 2, not 6. */
    max = nr_open();
    if (max > 0 && baton_param_int(ctx, "maxfiles") > max)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS, "parameter 'maxfiles': %lld is above this "
                              "node's limit fs.nr_open=%lld", (long long) baton_param_int(ctx, "maxfiles"),
                              (long long) max);
    return BATON_OCF_SUCCESS;
}

char *ldap_primitive_monitor_uri(const char *services)
{
    const char *p = services ? services : "";
    const char *first = NULL;
    size_t first_len = 0;

    while (*p) {
        size_t len;

        p += strspn(p, " \t");
        len = strcspn(p, " \t");
        if (len && (strncmp(p, "ldap://", 7) == 0 || strncmp(p, "ldaps://", 8) == 0))
            return strndup(p, len);
        if (len && !first) {
            first = p;
            first_len = len;
        }
        p += len;
    }
    /* slapd without -h serves ldap:/// */
    return first ? strndup(first, first_len) : strdup("ldap:///");
}

void ldap_slapd_command_extra(baton_ctx *ctx, const ldap_state *st, baton_command *cmd)
{
    for (size_t i = 0; i < st->n_slapd_args; i++)
        baton_command_add_arg(cmd, st->slapd_args[i]);
    /* Both limits, as `ulimit -n` in ocf:heartbeat:slapd sets them. */
    if (baton_param_is_set(ctx, "maxfiles"))
        baton_command_set_rlimit(cmd, RLIMIT_NOFILE, (rlim_t) baton_param_int(ctx, "maxfiles"),
                                 (rlim_t) baton_param_int(ctx, "maxfiles"));
}

/*
 * The suffixes of the databases in config (slapd.d/cn=config/olcDatabase=*.ldif),
 * as ocf:heartbeat:slapd lists them. Unreadable entries are skipped (logged).
 */
static int config_suffixes(baton_ctx *ctx, char ***ret)
{
    baton_autofree char *dirpath = baton_strdup_printf("%s/cn=config", baton_param_str(ctx, "config"));
    char **all = calloc(1, sizeof(char *));
    size_t n = 0;
    struct dirent *de;
    DIR *d;

    if (!dirpath || !all) {
        free(all);
        return -ENOMEM;
    }
    d = opendir(dirpath);
    if (!d) {
        baton_warn("cannot list %s: %s", dirpath, strerror(errno));
        *ret = all;
        return 0;
    }
    while ((de = readdir(d))) {
        baton_autofree char *path = NULL;
        baton_autofree char *text = NULL;
        char **vals = NULL, **grown;
        int k;

        if (strncmp(de->d_name, "olcDatabase=", 12) != 0 || !strstr(de->d_name, ".ldif"))
            continue;
        path = baton_strdup_printf("%s/%s", dirpath, de->d_name);
        if (!path || baton_file_read(path, 0, &text) < 0) {
            baton_warn("cannot read %s", path ? path : de->d_name);
            continue;
        }
        k = ldap_ldif_values(text, "olcSuffix", &vals);
        grown = k < 0 ? NULL : realloc(all, (n + (size_t) k + 1) * sizeof(char *));
        if (!grown) {
            baton_strv_free(vals);
            closedir(d);
            baton_strv_free(all);
            return -ENOMEM;
        }
        all = grown;
        for (int i = 0; i < k; i++)
            all[n++] = vals[i];
        all[n] = NULL;
        free(vals);             /* the strings moved to all */
    }
    closedir(d);
    *ret = all;
    return (int) n;
}

int ldap_service_check(baton_ctx *ctx, const ldap_state *st, int64_t cap_ms, char *reason,
                       size_t size)
{
    const char *dn = ldap_param_or_empty(ctx, "bind_dn");
    char **have = NULL;
    const char **check = NULL;
    char *attrs[] = { (char *) "1.1", NULL };
    LDAP *ld = NULL;
    size_t n = 0;
    int k, r;

    reason[0] = '\0';
    /* The configuration's databases are needed only when suffix does not name the one. */
    k = *ldap_param_or_empty(ctx, "suffix") && !*ldap_param_or_empty(ctx, "watch_suffix")
        ? 0 : config_suffixes(ctx, &have);
    check = k < 0 ? NULL : calloc((size_t) k + 2, sizeof(char *));
    if (!check) {
        baton_strv_free(have);
        snprintf(reason, size, "out of memory");
        return LDAP_NO_MEMORY;
    }
    n = ldap_suffixes_to_check((const char *const *) have, (size_t) k, baton_param_str(ctx, "suffix"),
                               baton_param_str(ctx, "watch_suffix"), baton_param_str(ctx, "ignore_suffix"),
                               check);
    r = LDAP_SUCCESS;
    if (n > 0)
        r = ldap_conn_open(ctx, st->monitor_uri, dn, *dn ? st->password : "", cap_ms, &ld);
    if (r != LDAP_SUCCESS)
        snprintf(reason, size, "bind as '%s' at %s: %s", *dn ? dn : "(anonymous)", st->monitor_uri,
                 ldap_err2string(r));
    for (size_t i = 0; i < n && r == LDAP_SUCCESS; i++) {
        LDAPMessage *res = NULL;

        r = ldap_search_ext_s(ld, check[i], LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL,
                              NULL, 1, &res);
        ldap_msgfree(res);
        if (r != LDAP_SUCCESS)
            snprintf(reason, size, "base search of '%s' at %s: %s", check[i], st->monitor_uri,
                     ldap_err2string(r));
        else
            baton_debug("database '%s' answers at %s", check[i], st->monitor_uri);
    }
    ldap_conn_unbind(&ld);
    free(check);
    baton_strv_free(have);
    return r;
}

/* monitor's verdict on a running slapd, from what the service check found. */
static int service_verdict(baton_ctx *ctx, int r, const char *reason)
{
    if (r == LDAP_INVALID_CREDENTIALS)
        return baton_ctx_fail(ctx, BATON_OCF_DEGRADED, "%s: slapd answers, but refuses these "
                              "credentials (fix bind_dn/password)", reason);
    if (r != LDAP_SUCCESS)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s", reason);
    return BATON_OCF_SUCCESS;
}

int ldap_primitive_monitor(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    char reason[512];
    pid_t pid = 0;
    int r;

    r = ldap_slapd_running(ctx, st, &pid);
    if (r != BATON_OCF_SUCCESS)
        return r;
    r = ldap_service_check(ctx, st, INT64_MAX, reason, sizeof(reason));
    return service_verdict(ctx, r, reason);
}

/* Not answering (yet): worth asking again while slapd comes up. */
static bool ldap_rc_not_up(int r)
{
    return r == LDAP_SERVER_DOWN || r == LDAP_CONNECT_ERROR || r == LDAP_TIMEOUT || r == LDAP_BUSY ||
           r == LDAP_UNAVAILABLE;
}

/* Wait until monitor would pass: the pid file names slapd and its databases answer. */
static int primitive_wait_ready(baton_ctx *ctx, const ldap_state *st)
{
    baton_deadline d = baton_deadline_reserve(baton_ctx_deadline(ctx), READY_CAP_MS);
    char reason[512] = "slapd has not written its pid file";
    int r = LDAP_SERVER_DOWN;

    while (!baton_deadline_expired(d)) {
        if (ldap_running_pid(ctx, st) > 0) {
            r = ldap_service_check(ctx, st, READY_CAP_MS, reason, sizeof(reason));
            if (!ldap_rc_not_up(r))
                return service_verdict(ctx, r, reason);
        }
        baton_sleep_ms(READY_STEP_MS);
    }
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "slapd did not answer in time: %s", reason);
}

int ldap_primitive_start(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int r;

    if (ldap_running_pid(ctx, st) > 0) {
        baton_info("slapd already runs with %s", baton_param_str(ctx, "config"));
    } else {
        r = ldap_slapd_launch(ctx, st, false);
        if (r != BATON_OCF_SUCCESS)
            return r;
    }
    r = primitive_wait_ready(ctx, st);
    /* Refused credentials: started all the same (monitor says degraded). */
    return r == BATON_OCF_DEGRADED ? BATON_OCF_SUCCESS : r;
}
