/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ldap - a promotable slapd (OpenLDAP) with provider/replica roles.
 * Without promotable meta attributes the resource is a plain primitive, one
 * slapd without roles as ocf:heartbeat:slapd runs it: ldap-primitive.c.
 *
 * The agent runs slapd with the administrator's cn=config directory
 * (config) and changes only the replication attributes of the database that
 * holds suffix, through cn=config over the instance's own ldapi socket with
 * SASL EXTERNAL (libldap; no ldapmodify). Promoted: a writable provider (no
 * olcSyncrepl, no olcUpdateRef, syncprov present). Unpromoted: a replica
 * whose olcSyncrepl follows provider_uri (a service address that moves with
 * the Promoted role) and whose olcUpdateRef refers writes to it.
 *
 * Choices worth knowing:
 *  - start always comes up as a replica. When the configuration on disk is
 *    still a provider's (an ex-primary after a crash), slapd is first
 *    started on the ldapi socket only, turned into a replica, stopped and
 *    started with its services: it never accepts a write as a second
 *    provider.
 *  - demote only fences a provider (olcReadOnly TRUE); it becomes a replica
 *    once the new provider has all its changes (monitor, post-promote
 *    notify): a consumer whose provider is behind it loses its newer entries
 *    in the refresh.
 *  - promote compares contextCSN with whatever answers at provider_uri and
 *    waits (within its timeout) until this instance has every change seen
 *    there; when nothing answers (the provider's node is gone, or only this
 *    replica is cut off from it), it catches up from the freshest of the
 *    other instances (peer_uris) that answer, then promotes with what it
 *    has: "caught up as far as reachable".
 *  - The password never reaches a command line: libldap binds with it, and
 *    the olcSyncrepl value that carries it lives in cn=config.
 *  - A bind that slapd rejects (invalid credentials) is reported by monitor
 *    as degraded, not as a failure: slapd answers and serves its clients,
 *    restarting it cannot fix a password; but replication (which binds with
 *    the same credentials) is then broken, which the reason says.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <ldap.h>

#include <baton.h>

#include "ldap-agent.h"
#include "ldap-csn.h"
#include "ldap-decide.h"
#include "ldap-slapd-args.h"

extern const baton_metadata ldap_metadata;  /* compiled from xml-metadata/ldap.xml */

static void ldap_state_free(void *p)
{
    ldap_state *st = p;

    if (!st)
        return;
    free(st->dir);
    free(st->ldapi_uri);
    free(st->pid_path);
    free(st->role_path);
    free(st->score_path);
    free(st->monitor_uri);
    baton_strv_free(st->peer_uris);
    if (st->password) {
        explicit_bzero(st->password, strlen(st->password));
        free(st->password);
    }
    baton_strv_free(st->slapd_args);
    free(st);
}

static ldap_state *state_of(baton_ctx *ctx)
{
    return baton_ctx_get_data(ctx);
}

const char *ldap_param_or_empty(const baton_ctx *ctx, const char *name)
{
    const char *v = baton_param_str(ctx, name);

    return v ? v : "";
}

/* ------------------------------------------------------------------ small files */

int ldap_file_read(const char *path, char **ret)
{
    return baton_file_read(path, 0, ret);
}

int ldap_file_write(const char *path, const char *text)
{
    return baton_file_write_atomic(path, text, 0644);
}

void ldap_trim(char *s)
{
    size_t n = s ? strlen(s) : 0;

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

/* The value of "name: value" at the start of a line of an LDIF text. */
char *ldap_ldif_value(const char *text, const char *name)
{
    size_t len = strlen(name);

    for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
        if (strncasecmp(p, name, len) == 0 && p[len] == ':' && p[len + 1] == ' ') {
            const char *v = p + len + 2;

            return strndup(v, strcspn(v, "\r\n"));
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ validate */

/* ldapi://<path with '/' as %2F>. */
static char *ldapi_uri_of(const char *path)
{
    size_t n = strlen(path);
    char *s = malloc(strlen("ldapi://") + 3 * n + 1), *p;

    if (!s)
        return NULL;
    p = stpcpy(s, "ldapi://");
    for (size_t i = 0; i < n; i++) {
        if (path[i] == '/')
            p = stpcpy(p, "%2F");
        else
            *p++ = path[i];
    }
    *p = '\0';
    return s;
}

/* The first ldap:// or ldaps:// URL of services: what clients use. */
static char *monitor_uri_of(const char *services, const char *fallback)
{
    const char *p = services;

    while (p && *p) {
        size_t len;

        p += strspn(p, " \t");
        len = strcspn(p, " \t");
        if (len && (strncmp(p, "ldap://", 7) == 0 || strncmp(p, "ldaps://", 8) == 0))
            return strndup(p, len);
        p += len;
    }
    return strdup(fallback);
}

static bool needs_software(baton_ctx *ctx)
{
    const char *a = baton_ctx_action(ctx);

    return !baton_streq(a, "stop") && !baton_streq(a, "notify") &&
           !(baton_streq(a, "monitor") && !baton_ctx_is_probe(ctx));
}

static bool needs_password(baton_ctx *ctx)
{
    const char *a = baton_ctx_action(ctx);

    return !baton_streq(a, "stop");
}

/* From the parameter, or the first line of password_file (mode 0400/0600: owner only). */
static int password_load(baton_ctx *ctx, ldap_state *st)
{
    const char *file = baton_param_str(ctx, "password_file");
    struct stat sb;
    char *text = NULL;
    int r;

    if (baton_param_is_set(ctx, "password")) {
        st->password = strdup(baton_param_str(ctx, "password"));
        return st->password ? 0 : baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    }
    if (!file || !*file)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "either 'password' or 'password_file' must be set");
    if (stat(file, &sb) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS, "password_file %s: %s", file, strerror(errno));
    if (sb.st_mode & 077)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS, "password_file %s is readable by others "
                              "(mode %04o): make it 0400", file, (unsigned) (sb.st_mode & 07777));
    r = ldap_file_read(file, &text);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS, "password_file %s: %s", file, strerror(-r));
    text[strcspn(text, "\r\n")] = '\0';
    st->password = text;
    return 0;
}

/* The pid file slapd writes: the parameter, else olcPidFile of cn=config. */
static int pid_path_find(baton_ctx *ctx, ldap_state *st)
{
    baton_autofree char *path = baton_strdup_printf("%s/cn=config.ldif", baton_param_str(ctx, "config"));
    baton_autofree char *text = NULL;

    if (baton_param_is_set(ctx, "pidfile")) {
        st->pid_path = strdup(baton_param_str(ctx, "pidfile"));
        return st->pid_path ? 0 : -ENOMEM;
    }
    if (!path)
        return -ENOMEM;
    if (ldap_file_read(path, &text) < 0)
        return -ENOENT;
    st->pid_path = ldap_ldif_value(text, "olcPidFile");
    return st->pid_path ? 0 : -ESRCH;
}

/* Required of a promotable clone only (a primitive has no provider to follow). */
static int require_param(baton_ctx *ctx, const char *name)
{
    if (*ldap_param_or_empty(ctx, name))
        return BATON_OCF_SUCCESS;
    return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "parameter '%s' is required for a promotable "
                          "clone (as a plain primitive, ldap runs slapd without roles)", name);
}

/*
 * peer_uris: LDAP URLs that promote may follow for a moment, so each must be
 * one olcSyncrepl can carry (no quotes or backslashes; blanks separate them).
 */
static int peers_validate(baton_ctx *ctx, ldap_state *st)
{
    if (baton_strv_split(ldap_param_or_empty(ctx, "peer_uris"), &st->peer_uris, &st->n_peers) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (st->n_peers > LDAP_PEERS_MAX)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "peer_uris: %zu URLs, at most %d",
                              st->n_peers, LDAP_PEERS_MAX);
    for (size_t i = 0; i < st->n_peers; i++) {
        const char *u = st->peer_uris[i];
        LDAPURLDesc *lud = NULL;
        bool ok = ldap_url_parse(u, &lud) == LDAP_URL_SUCCESS &&
                  (strcasecmp(lud->lud_scheme, "ldap") == 0 || strcasecmp(lud->lud_scheme, "ldaps") == 0);

        ldap_free_urldesc(lud);
        if (!ok || strpbrk(u, "\"\\"))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "peer_uris: '%s' is not an ldap:// or "
                                  "ldaps:// URL without quotes or backslashes", u);
    }
    return BATON_OCF_SUCCESS;
}

/* The promotable clone's state directory, ldapi socket, provider and credentials. */
static int validate_promotable(baton_ctx *ctx, ldap_state *st)
{
    const char *state_dir = baton_param_str(ctx, "state_dir");
    const char *ldapi = baton_param_str(ctx, "ldapi_socket");
    baton_autofree char *base = baton_cluster_resource_base(baton_ctx_resource(ctx));
    baton_autofree char *sock = NULL;
    baton_autofree char *probe = NULL;
    int r;

    if (!base)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (!state_dir || state_dir[0] != '/')
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "parameter 'state_dir': an absolute path is needed");
    st->dir = baton_strdup_printf("%s/%s", state_dir, base);
    sock = ldapi && *ldapi ? strdup(ldapi) : baton_strdup_printf("%s/ldapi", st->dir ? st->dir : "");
    if (!st->dir || !sock)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (sock[0] != '/' || strlen(sock) > 107)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "ldapi socket %s: an absolute path "
                              "of at most 107 bytes is needed", sock);
    st->ldapi_uri = ldapi_uri_of(sock);
    st->role_path = baton_strdup_printf("%s/role", st->dir);
    st->score_path = baton_strdup_printf("%s/promotion-score", st->dir);
    st->monitor_uri = monitor_uri_of(ldap_param_or_empty(ctx, "services"), st->ldapi_uri ? st->ldapi_uri : "");
    if (!st->ldapi_uri || !st->role_path || !st->score_path || !st->monitor_uri)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if ((r = require_param(ctx, "provider_uri")) != 0 || (r = require_param(ctx, "suffix")) != 0 ||
        (r = require_param(ctx, "bind_dn")) != 0)
        return r;
    probe = ldap_syncrepl_value(&(ldap_syncrepl_spec) {
        .rid = 1, .provider_uri = baton_param_str(ctx, "provider_uri"),
        .bind_dn = baton_param_str(ctx, "bind_dn"), .password = "x",
        .suffix = baton_param_str(ctx, "suffix"), .extra = ldap_param_or_empty(ctx, "syncrepl_extra"),
    });
    if (!probe)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "provider_uri, bind_dn and suffix must not "
                              "contain '\"', '\\' or line breaks (provider_uri no blanks)");
    return peers_validate(ctx, st);
}

static int ldap_validate(baton_ctx *ctx)
{
    ldap_state *st = calloc(1, sizeof(*st));
    const char *config = baton_param_str(ctx, "config");
    bool has_password = baton_param_is_set(ctx, "password") || baton_param_is_set(ctx, "password_file");
    struct stat sb;
    int r;

    if (!st)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    baton_ctx_set_data(ctx, st, ldap_state_free);
    st->promotable = ldap_promotable_from_meta(baton_ctx_meta(ctx, "promotable"),
                                               baton_ctx_meta(ctx, "master_max"));
    if (!config || config[0] != '/')
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "parameter 'config': an absolute path "
                              "of a slapd.d directory is needed");
    if (st->promotable) {
        r = validate_promotable(ctx, st);
    } else {
        st->monitor_uri = ldap_primitive_monitor_uri(ldap_param_or_empty(ctx, "services"));
        r = st->monitor_uri ? 0 : baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    }
    if (r != 0)
        return r;
    r = ldap_slapd_params_validate(ctx, st);
    if (r != 0)
        return r;
    /* A primitive binds anonymously without bind_dn (as ocf:heartbeat:slapd's monitor does). */
    if (!has_password && (st->promotable || *ldap_param_or_empty(ctx, "bind_dn")))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "either 'password' or 'password_file' must be set");
    if (needs_software(ctx) && access(baton_param_str(ctx, "slapd"), X_OK) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "slapd %s is not executable: %s "
                              "(install slapd)", baton_param_str(ctx, "slapd"), strerror(errno));
    /* Missing here, slapd may still run with it (deleted under it): prove_stopped looks. */
    if (stat(config, &sb) < 0 || !S_ISDIR(sb.st_mode))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "config %s is not a directory on this node",
                              config);
    r = pid_path_find(ctx, st);
    if (r == -ENOMEM)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (r == -ENOENT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "cannot read %s/cn=config.ldif on this node",
                              config);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "no olcPidFile in %s/cn=config.ldif: "
                              "set the parameter 'pidfile'", config);
    if (needs_password(ctx) && (st->promotable || *ldap_param_or_empty(ctx, "bind_dn"))) {
        r = password_load(ctx, st);
        if (r != 0)
            return r;
        if (st->promotable && strpbrk(st->password, "\"\\"))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "the password must not contain "
                                  "'\"' or '\\' (it is quoted in olcSyncrepl)");
    }
    return BATON_OCF_SUCCESS;
}

/* ------------------------------------------------------------------ start / stop */

static int ldap_start(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int r;

    if (!st->promotable)
        return ldap_primitive_start(ctx);
    r = ldap_state_dir_make(ctx, st);
    if (r != 0)
        return r;
    if (ldap_running_pid(ctx, st) == 0) {
        (void) unlink(st->role_path);
        if (ldap_disk_config_is_provider(ctx)) {
            /* Fence: as a provider it must not meet a client before it is a replica. */
            baton_info("the configuration on disk is a provider's: starting on ldapi only to demote it");
            r = ldap_slapd_launch(ctx, st, true);
            if (r == 0)
                r = ldap_slapd_wait_ready(ctx, st);
            if (r == 0)
                r = ldap_role_apply(ctx, st, false, false);
            if (r == 0)
                r = ldap_slapd_stop(ctx, st);
            if (r != 0) {
                (void) ldap_slapd_stop(ctx, st);
                return r;
            }
        }
        r = ldap_slapd_launch(ctx, st, false);
        if (r != 0)
            return r;
        r = ldap_slapd_wait_ready(ctx, st);
        if (r != 0)
            return r;
    }
    return ldap_make_unpromoted(ctx, st);
}

static int ldap_stop(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int r;

    r = ldap_slapd_stop(ctx, st);
    if (r != 0)
        return r;
    if (st->role_path)
        (void) unlink(st->role_path);
    if (st->score_path)
        ldap_score_delete(ctx, st);
    return BATON_OCF_SUCCESS;
}

/* ------------------------------------------------------------------ monitor */

static int ldap_monitor(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    bool cached_promoted = ldap_role_cached_promoted(st);
    char reason[512];
    ldap_freshness f = { .compared = false };
    int r, role, ldap_rc, rc;
    pid_t pid = 0;

    if (!st->promotable)
        return ldap_primitive_monitor(ctx);
    /* Without its pid file slapd still runs and serves: running, and the log says so. */
    r = ldap_slapd_running(ctx, st, &pid);
    if (r != BATON_OCF_SUCCESS)
        return r;
    r = ldap_service_check(ctx, st, INT64_MAX, reason, sizeof(reason));
    if (r == LDAP_INVALID_CREDENTIALS) {
        role = ldap_role_read(ctx, st, &ldap_rc);
        return baton_ctx_fail(ctx, (role == ROLE_PROMOTED || (role < 0 && cached_promoted))
                              ? BATON_OCF_DEGRADED_PROMOTED : BATON_OCF_DEGRADED,
                              "%s: slapd answers, but replication with these credentials cannot work "
                              "(fix bind_dn/password)", reason);
    }
    if (r != LDAP_SUCCESS)
        return baton_ctx_fail(ctx, cached_promoted ? BATON_OCF_FAILED_PROMOTED : BATON_OCF_ERR_GENERIC,
                              "%s", reason);
    role = ldap_role_read(ctx, st, &ldap_rc);
    if (role < 0)
        return baton_ctx_fail(ctx, cached_promoted ? BATON_OCF_FAILED_PROMOTED : BATON_OCF_ERR_GENERIC,
                              "cn=config over %s: %s", st->ldapi_uri, ldap_err2string(ldap_rc));
    if (role != ROLE_PROMOTED || baton_ctx_check_level(ctx) >= 10)
        ldap_freshness_get(ctx, st, &f);
    if (role == ROLE_FENCED && !baton_ctx_is_probe(ctx))
        (void) ldap_fenced_follow(ctx, st, &f);
    if (!baton_ctx_is_probe(ctx))
        ldap_score_update(ctx, st, ldap_promotion_score(role == ROLE_PROMOTED, &f, ldap_score_cached(st)));
    rc = ldap_monitor_decide(role == ROLE_PROMOTED, baton_ctx_check_level(ctx), &f,
                             baton_param_ms(ctx, "max_lag"), reason, sizeof(reason));
    if (reason[0])
        return baton_ctx_fail(ctx, rc, "%s", reason);
    return rc;
}

/* ------------------------------------------------------------------ roles */

/* promote and demote of a resource without roles: as for any agent without them. */
static int no_roles(baton_ctx *ctx)
{
    return baton_ctx_fail(ctx, BATON_OCF_ERR_UNIMPLEMENTED, "%s: not a promotable clone (no "
                          "promotable=true meta attribute): slapd runs without roles",
                          baton_ctx_action(ctx));
}

static int ldap_promote(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int r, role, ldap_rc;

    if (!st->promotable)
        return no_roles(ctx);
    if (ldap_running_pid(ctx, st) == 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot promote: slapd is not running");
    role = ldap_role_read(ctx, st, &ldap_rc);
    if (role < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cn=config over %s: %s", st->ldapi_uri,
                              ldap_err2string(ldap_rc));
    if (role != ROLE_PROMOTED) {
        r = ldap_catch_up(ctx, st);
        if (r != 0)
            return r;
    }
    r = ldap_role_apply(ctx, st, true, false);
    if (r != 0)
        return r;
    ldap_score_update(ctx, st, LDAP_SCORE_PROMOTED);
    return BATON_OCF_SUCCESS;
}

static int ldap_demote(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int r;

    if (!st->promotable)
        return no_roles(ctx);
    if (ldap_running_pid(ctx, st) == 0)
        return baton_ctx_fail(ctx, BATON_OCF_NOT_RUNNING, "cannot demote: slapd is not running");
    r = ldap_make_unpromoted(ctx, st);
    if (r != 0)
        return r;
    /* No longer the provider: what it is worth as a replica is for the next monitor to say. */
    ldap_score_update(ctx, st, LDAP_SCORE_IN_SYNC);
    return BATON_OCF_SUCCESS;
}

/*
 * After a promotion, the replicas reconnect at once: their session may still
 * wait on the old provider's dead TCP connection until keepalive notices.
 */
static int ldap_notify(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    const baton_notify *n = baton_ctx_notify(ctx);
    int role, ldap_rc;

    if (!st->promotable || !n || n->type != BATON_NOTIFY_POST || !n->operation ||
        !baton_streq(n->operation, "promote"))
        return BATON_OCF_SUCCESS;
    if (ldap_running_pid(ctx, st) == 0)
        return BATON_OCF_SUCCESS;
    role = ldap_role_read(ctx, st, &ldap_rc);
    if (role == ROLE_FENCED) {
        ldap_freshness f;

        ldap_freshness_get(ctx, st, &f);
        (void) ldap_fenced_follow(ctx, st, &f);
    } else if (role == ROLE_REPLICA) {
        (void) ldap_role_apply(ctx, st, false, true);
    }
    return BATON_OCF_SUCCESS;
}

/* New parameters (provider_uri, credentials) reach a running replica's olcSyncrepl. */
static int ldap_reload_agent(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int role, ldap_rc;

    if (!st->promotable || ldap_running_pid(ctx, st) == 0)
        return BATON_OCF_SUCCESS;
    role = ldap_role_read(ctx, st, &ldap_rc);
    if (role != ROLE_REPLICA)
        return BATON_OCF_SUCCESS;
    return ldap_role_apply(ctx, st, false, true);
}

/*
 * A stop or a probe for which something of this node is missing: the slapd
 * binary (a probe), the config directory or its cn=config.ldif, the
 * password file (a probe). None of them is needed to find slapd (its pid
 * file when known, else the process running with -F <config>) or to stop
 * it (signals). So a stop stops what it finds, the same way as when
 * nothing is missing, and answers "not running" only when a second look
 * finds nothing; a probe only looks. Anything found, or a lookup that
 * cannot tell, leaves the stop or probe failed with its 5 or 2.
 */
static int ldap_prove_stopped(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    pid_t pid = 0;

    if (!st)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot look for slapd: no state");
    /* validate may have failed before it learnt the pid file (from the parameter or cn=config). */
    if (!st->pid_path && pid_path_find(ctx, st) == -ENOMEM)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (baton_streq(baton_ctx_action(ctx), "stop") && ldap_stop(ctx) != BATON_OCF_SUCCESS)
        return BATON_OCF_ERR_GENERIC;   /* the reason is set */
    if (ldap_slapd_find_checked(ctx, st, &pid) != BATON_OCF_SUCCESS)
        return BATON_OCF_ERR_GENERIC;
    if (pid != 0) {
        baton_ctx_set_reason(ctx, "slapd runs as pid %d with %s", (int) pid, baton_param_str(ctx, "config"));
        return BATON_OCF_SUCCESS;
    }
    return BATON_OCF_NOT_RUNNING;
}

static const baton_action ldap_actions[] = {
    { .name = "start", .fn = ldap_start },
    { .name = "stop", .fn = ldap_stop },
    { .name = "monitor", .fn = ldap_monitor },
    { .name = "promote", .fn = ldap_promote },
    { .name = "demote", .fn = ldap_demote },
    { .name = "notify", .fn = ldap_notify },
    { .name = "reload-agent", .fn = ldap_reload_agent },
};

int main(int argc, char **argv)
{
    static const baton_agent agent = {
        .name = "ldap",
        .metadata = &ldap_metadata,
        .actions = ldap_actions,
        .n_actions = sizeof(ldap_actions) / sizeof(ldap_actions[0]),
        .validate = ldap_validate,
        .prove_stopped = ldap_prove_stopped,
    };

    return baton_agent_main(&agent, argc, argv);
}
