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
 *    there; when nothing answers (the provider's node is gone), it promotes
 *    with what it has: "caught up as far as reachable".
 *  - The password never reaches a command line: libldap binds with it, and
 *    the olcSyncrepl value that carries it lives in cn=config.
 *  - A bind that slapd rejects (invalid credentials) is reported by monitor
 *    as degraded, not as a failure: slapd answers and serves its clients,
 *    restarting it cannot fix a password; but replication (which binds with
 *    the same credentials) is then broken, which the reason says.
 */
#include <dirent.h>
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
#include <sys/time.h>
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

#define LDAP_OP_CAP_MS 5000         /* one local LDAP exchange */
/*
 * Asking the provider. On a LAN a live provider answers in milliseconds; after
 * a crash its address is dead and every millisecond waited here is write
 * outage (promote asks before it promotes).
 */
#define PROVIDER_CAP_MS 1000
#define SCORE_TIMEOUT_MS 5000
#define POLL_STEP_MS 100
#define KILL_WAIT_MS 2000

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
    if (st->password) {
        explicit_bzero(st->password, strlen(st->password));
        free(st->password);
    }
    ldap_strv_free(st->slapd_args);
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

static int file_read(const char *path, char **ret)
{
    return baton_file_read(path, 0, ret);
}

static int file_write(const char *path, const char *text)
{
    return baton_file_write_atomic(path, text, 0644);
}

static void trim(char *s)
{
    size_t n = s ? strlen(s) : 0;

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

/* The value of "name: value" at the start of a line of an LDIF text. */
static char *ldif_value(const char *text, const char *name)
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
    r = file_read(file, &text);
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
    if (file_read(path, &text) < 0)
        return -ENOENT;
    st->pid_path = ldif_value(text, "olcPidFile");
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
    probe = ldap_syncrepl_value(1, baton_param_str(ctx, "provider_uri"), baton_param_str(ctx, "bind_dn"),
                                "x", baton_param_str(ctx, "suffix"), ldap_param_or_empty(ctx, "syncrepl_extra"));
    if (!probe)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "provider_uri, bind_dn and suffix must not "
                              "contain '\"', '\\' or line breaks (provider_uri no blanks)");
    return BATON_OCF_SUCCESS;
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

/* ------------------------------------------------------------------ the daemon */

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

/* ------------------------------------------------------------------ LDAP */

static void tv_of(int64_t ms, struct timeval *tv)
{
    if (ms < 1)
        ms = 1;
    tv->tv_sec = (time_t) (ms / 1000);
    tv->tv_usec = (suseconds_t) ((ms % 1000) * 1000);
}

void ldap_conn_unbind(LDAP **ld)
{
    if (*ld)
        (void) ldap_unbind_ext_s(*ld, NULL, NULL);
    *ld = NULL;
}

/*
 * Connect to uri and bind: SASL EXTERNAL when dn is NULL (ldapi), else a
 * simple bind. Every step is bounded by min(cap_ms, the action's deadline):
 * LDAP_OPT_NETWORK_TIMEOUT for the connection, LDAP_OPT_TIMEOUT for each
 * synchronous operation. Returns an LDAP result code (LDAP_SUCCESS).
 */
int ldap_conn_open(baton_ctx *ctx, const char *uri, const char *dn, const char *pw,
                     int64_t cap_ms, LDAP **ret)
{
    int64_t ms = baton_deadline_remaining_ms(baton_deadline_cap(baton_ctx_deadline(ctx), cap_ms));
    struct timeval tv;
    int version = LDAP_VERSION3;
    struct berval cred = { 0, (char *) "" };
    LDAP *ld = NULL;
    int r;

    if (ms <= 0)
        return LDAP_TIMEOUT;
    r = ldap_initialize(&ld, uri);
    if (r != LDAP_SUCCESS)
        return r;
    tv_of(ms, &tv);
    if (ldap_set_option(ld, LDAP_OPT_PROTOCOL_VERSION, &version) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) != LDAP_OPT_SUCCESS ||
        ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv) != LDAP_OPT_SUCCESS) {
        ldap_conn_unbind(&ld);
        return LDAP_OTHER;
    }
    if (dn) {
        cred.bv_val = (char *) pw;
        cred.bv_len = strlen(pw);
        r = ldap_sasl_bind_s(ld, dn, LDAP_SASL_SIMPLE, &cred, NULL, NULL, NULL);
    } else {
        r = ldap_sasl_bind_s(ld, NULL, "EXTERNAL", &cred, NULL, NULL, NULL);
    }
    if (r != LDAP_SUCCESS) {
        ldap_conn_unbind(&ld);
        return r;
    }
    *ret = ld;
    return LDAP_SUCCESS;
}

static int conn_local_config(baton_ctx *ctx, const ldap_state *st, LDAP **ret)
{
    return ldap_conn_open(ctx, st->ldapi_uri, NULL, NULL, LDAP_OP_CAP_MS, ret);
}

/* The contextCSN values of base (a search bounded by the connection's timeout). */
static int csn_read(LDAP *ld, const char *base, ldap_csn_set *ret)
{
    char *attrs[] = { (char *) "contextCSN", NULL };
    LDAPMessage *res = NULL, *e;
    struct berval **vals;
    ldap_csn_set set = { .n = 0 };
    int r;

    r = ldap_search_ext_s(ld, base, LDAP_SCOPE_BASE, "(objectClass=*)", attrs, 0, NULL, NULL,
                          NULL, 1, &res);
    if (r != LDAP_SUCCESS) {
        ldap_msgfree(res);
        return r;
    }
    e = ldap_first_entry(ld, res);
    vals = e ? ldap_get_values_len(ld, e, "contextCSN") : NULL;
    for (size_t i = 0; vals && vals[i]; i++) {
        char buf[64];

        if (vals[i]->bv_len >= sizeof(buf))
            continue;
        memcpy(buf, vals[i]->bv_val, vals[i]->bv_len);
        buf[vals[i]->bv_len] = '\0';
        if (ldap_csn_set_add(&set, buf) < 0)
            baton_debug("ignoring contextCSN '%s'", buf);
    }
    ldap_value_free_len(vals);
    ldap_msgfree(res);
    *ret = set;
    return LDAP_SUCCESS;
}

/* The cn=config entry of the database holding suffix, and its replication attributes. */
typedef struct ldap_db_config {
    char *dn;
    ldap_cfg_state st;
    char provider[1024];
    char *update_ref;
} ldap_db_config;

static void db_config_clear(ldap_db_config *c)
{
    ldap_memfree(c->dn);
    free(c->update_ref);
    *c = (ldap_db_config) { .dn = NULL };
}

static char *bv_dup(const struct berval *bv)
{
    return strndup(bv->bv_val, bv->bv_len);
}

static bool bv_is_true(const struct berval *bv)
{
    return bv->bv_len == 4 && strncasecmp(bv->bv_val, "TRUE", 4) == 0;
}

static int db_config_read(LDAP *ld, const char *suffix, ldap_db_config *ret)
{
    char *attrs[] = { (char *) "olcSuffix", (char *) "olcSyncrepl", (char *) "olcUpdateRef",
                      (char *) "olcMultiProvider", (char *) "olcReadOnly", NULL };
    char *ov_attrs[] = { (char *) "olcOverlay", NULL };
    LDAPMessage *res = NULL, *e, *ores = NULL;
    ldap_db_config c = { .dn = NULL };
    int r;

    r = ldap_search_ext_s(ld, "cn=config", LDAP_SCOPE_ONELEVEL, "(olcSuffix=*)", attrs, 0,
                          NULL, NULL, NULL, 0, &res);
    if (r != LDAP_SUCCESS) {
        ldap_msgfree(res);
        return r;
    }
    for (e = ldap_first_entry(ld, res); e && !c.dn; e = ldap_next_entry(ld, e)) {
        struct berval **v = ldap_get_values_len(ld, e, "olcSuffix");

        for (size_t i = 0; v && v[i]; i++)
            if (v[i]->bv_len == strlen(suffix) && strncasecmp(v[i]->bv_val, suffix, v[i]->bv_len) == 0)
                c.dn = ldap_get_dn(ld, e);
        ldap_value_free_len(v);
        if (!c.dn)
            continue;
        v = ldap_get_values_len(ld, e, "olcSyncrepl");
        if (v && v[0]) {
            baton_autofree char *s = bv_dup(v[0]);

            c.st.has_syncrepl = true;
            if (s && ldap_syncrepl_provider(s, c.provider, sizeof(c.provider)) == 0)
                c.st.syncrepl_provider = c.provider;
        }
        ldap_value_free_len(v);
        v = ldap_get_values_len(ld, e, "olcUpdateRef");
        if (v && v[0])
            c.update_ref = bv_dup(v[0]);
        c.st.update_ref = c.update_ref;
        ldap_value_free_len(v);
        v = ldap_get_values_len(ld, e, "olcMultiProvider");
        c.st.multi_provider = v && v[0] && bv_is_true(v[0]);
        ldap_value_free_len(v);
        v = ldap_get_values_len(ld, e, "olcReadOnly");
        c.st.read_only = v && v[0] && bv_is_true(v[0]);
        ldap_value_free_len(v);
    }
    ldap_msgfree(res);
    if (!c.dn)
        return LDAP_NO_SUCH_OBJECT;
    r = ldap_search_ext_s(ld, c.dn, LDAP_SCOPE_ONELEVEL, "(olcOverlay=*)", ov_attrs, 0,
                          NULL, NULL, NULL, 0, &ores);
    if (r == LDAP_SUCCESS) {
        for (e = ldap_first_entry(ld, ores); e; e = ldap_next_entry(ld, e)) {
            struct berval **v = ldap_get_values_len(ld, e, "olcOverlay");

            for (size_t i = 0; v && v[i]; i++)
                if (memmem(v[i]->bv_val, v[i]->bv_len, "syncprov", 8))
                    c.st.has_syncprov = true;
            ldap_value_free_len(v);
        }
    }
    ldap_msgfree(ores);
    if (r != LDAP_SUCCESS) {
        db_config_clear(&c);
        return r;
    }
    *ret = c;
    ret->st.syncrepl_provider = c.st.syncrepl_provider ? ret->provider : NULL;
    return LDAP_SUCCESS;
}

static int db_config_modify(LDAP *ld, const char *dn, const ldap_cfg_mod *mods, size_t n)
{
    LDAPMod m[LDAP_CFG_MODS_MAX];
    LDAPMod *mp[LDAP_CFG_MODS_MAX + 1];
    char *vals[LDAP_CFG_MODS_MAX][2];

    if (n == 0)
        return LDAP_SUCCESS;
    for (size_t i = 0; i < n; i++) {
        vals[i][0] = (char *) mods[i].value;
        vals[i][1] = NULL;
        m[i] = (LDAPMod) {
            .mod_op = mods[i].op == LDAP_CFG_DELETE ? LDAP_MOD_DELETE : LDAP_MOD_REPLACE,
            .mod_type = (char *) mods[i].attr,
            .mod_values = mods[i].op == LDAP_CFG_DELETE ? NULL : vals[i],
        };
        mp[i] = &m[i];
    }
    mp[n] = NULL;
    return ldap_modify_ext_s(ld, dn, mp, NULL, NULL);
}

/* Provide the syncprov overlay a provider needs (its module must be loaded). */
static int syncprov_add(LDAP *ld, const char *db_dn)
{
    baton_autofree char *dn = baton_strdup_printf("olcOverlay=syncprov,%s", db_dn);
    char *oc[] = { (char *) "olcOverlayConfig", (char *) "olcSyncProvConfig", NULL };
    char *ov[] = { (char *) "syncprov", NULL };
    LDAPMod m0 = { .mod_op = LDAP_MOD_ADD, .mod_type = (char *) "objectClass", .mod_values = oc };
    LDAPMod m1 = { .mod_op = LDAP_MOD_ADD, .mod_type = (char *) "olcOverlay", .mod_values = ov };
    LDAPMod *mods[] = { &m0, &m1, NULL };

    if (!dn)
        return LDAP_NO_MEMORY;
    return ldap_add_ext_s(ld, dn, mods, NULL, NULL);
}

static int role_write(const ldap_state *st, bool promoted)
{
    return file_write(st->role_path, promoted ? "promoted\n" : "unpromoted\n");
}

static bool role_cached_promoted(const ldap_state *st)
{
    baton_autofree char *text = NULL;

    if (file_read(st->role_path, &text) < 0)
        return false;
    trim(text);
    return baton_streq(text, "promoted");
}

/*
 * Give the running instance a role through cn=config. force: replace
 * olcSyncrepl even when it already names provider_uri (reconnects).
 */
static int role_apply(baton_ctx *ctx, ldap_state *st, bool promoted, bool force)
{
    LDAP *ld = NULL;
    ldap_db_config c = { .dn = NULL };
    ldap_cfg_mod mods[LDAP_CFG_MODS_MAX];
    baton_autofree char *syncrepl = NULL;
    size_t n;
    int r;

    syncrepl = ldap_syncrepl_value((int) baton_param_int(ctx, "replica_id"),
                                   baton_param_str(ctx, "provider_uri"), baton_param_str(ctx, "bind_dn"),
                                   st->password, baton_param_str(ctx, "suffix"),
                                   ldap_param_or_empty(ctx, "syncrepl_extra"));
    if (!syncrepl)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    r = conn_local_config(ctx, st, &ld);
    if (r != LDAP_SUCCESS)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cn=config over %s (SASL EXTERNAL): %s",
                              st->ldapi_uri, ldap_err2string(r));
    r = db_config_read(ld, baton_param_str(ctx, "suffix"), &c);
    if (r != LDAP_SUCCESS) {
        ldap_conn_unbind(&ld);
        return baton_ctx_fail(ctx, r == LDAP_NO_SUCH_OBJECT ? BATON_OCF_ERR_CONFIGURED : BATON_OCF_ERR_GENERIC,
                              "no database for suffix '%s' in cn=config: %s",
                              baton_param_str(ctx, "suffix"), ldap_err2string(r));
    }
    if (promoted && !c.st.has_syncprov) {
        r = syncprov_add(ld, c.dn);
        if (r != LDAP_SUCCESS) {
            baton_autofree char *dn = strdup(c.dn);

            db_config_clear(&c);
            ldap_conn_unbind(&ld);
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot add the syncprov overlay to %s: "
                                  "%s (is the module loaded?)", dn ? dn : "", ldap_err2string(r));
        }
    }
    n = ldap_role_mods(promoted, &c.st, baton_param_str(ctx, "provider_uri"), syncrepl, force, mods);
    r = db_config_modify(ld, c.dn, mods, n);
    db_config_clear(&c);
    ldap_conn_unbind(&ld);
    explicit_bzero(syncrepl, strlen(syncrepl));
    if (r != LDAP_SUCCESS)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot make it %s through cn=config: %s",
                              promoted ? "a provider" : "a replica", ldap_err2string(r));
    if (n)
        baton_info("now %s (%zu cn=config changes)", promoted ? "the provider" : "a replica of the provider",
                   n);
    if (role_write(st, promoted) < 0)
        baton_warn("cannot write %s", st->role_path);
    return BATON_OCF_SUCCESS;
}

enum { ROLE_REPLICA = 0, ROLE_PROMOTED = 1, ROLE_FENCED = 2 };

/* The role cn=config shows (ROLE_*), or -1 with the LDAP error. */
static int role_read(baton_ctx *ctx, const ldap_state *st, int *ret_ldap_rc)
{
    LDAP *ld = NULL;
    ldap_db_config c = { .dn = NULL };
    int r, role;

    r = conn_local_config(ctx, st, &ld);
    if (r == LDAP_SUCCESS)
        r = db_config_read(ld, baton_param_str(ctx, "suffix"), &c);
    ldap_conn_unbind(&ld);
    *ret_ldap_rc = r;
    if (r != LDAP_SUCCESS)
        return -1;
    role = ldap_cfg_is_promoted(&c.st) ? ROLE_PROMOTED : ldap_cfg_is_fenced(&c.st) ? ROLE_FENCED
           : ROLE_REPLICA;
    db_config_clear(&c);
    return role;
}

/* Demote a provider: refuse writes (rc 53), keep serving reads and its replicas. */
static int fence_apply(baton_ctx *ctx, const ldap_state *st)
{
    static const ldap_cfg_mod fence = { LDAP_CFG_REPLACE, "olcReadOnly", "TRUE" };
    LDAP *ld = NULL;
    ldap_db_config c = { .dn = NULL };
    int r;

    r = conn_local_config(ctx, st, &ld);
    if (r == LDAP_SUCCESS)
        r = db_config_read(ld, baton_param_str(ctx, "suffix"), &c);
    if (r == LDAP_SUCCESS)
        r = db_config_modify(ld, c.dn, &fence, 1);
    db_config_clear(&c);
    ldap_conn_unbind(&ld);
    if (r != LDAP_SUCCESS)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot make the provider read-only: %s",
                              ldap_err2string(r));
    baton_info("demoted: read-only until the new provider has all its changes");
    if (role_write(st, false) < 0)
        baton_warn("cannot write %s", st->role_path);
    return BATON_OCF_SUCCESS;
}

/* This instance's contextCSN (read over ldapi as bind_dn). */
static int local_csn(baton_ctx *ctx, const ldap_state *st, ldap_csn_set *ret)
{
    LDAP *ld = NULL;
    int r = ldap_conn_open(ctx, st->ldapi_uri, baton_param_str(ctx, "bind_dn"), st->password,
                      LDAP_OP_CAP_MS, &ld);

    if (r == LDAP_SUCCESS)
        r = csn_read(ld, baton_param_str(ctx, "suffix"), ret);
    ldap_conn_unbind(&ld);
    return r;
}

/* Whatever answers at provider_uri: its contextCSN, or an LDAP error. */
static int provider_csn(baton_ctx *ctx, const ldap_state *st, ldap_csn_set *ret)
{
    LDAP *ld = NULL;
    int64_t cap = baton_deadline_remaining_ms(baton_ctx_deadline(ctx)) / 3;
    int r = ldap_conn_open(ctx, baton_param_str(ctx, "provider_uri"), baton_param_str(ctx, "bind_dn"),
                      st->password, cap < PROVIDER_CAP_MS ? cap : PROVIDER_CAP_MS, &ld);

    if (r == LDAP_SUCCESS)
        r = csn_read(ld, baton_param_str(ctx, "suffix"), ret);
    ldap_conn_unbind(&ld);
    return r;
}

static void freshness_get(baton_ctx *ctx, const ldap_state *st, ldap_freshness *ret)
{
    ldap_csn_set mine = { .n = 0 }, theirs = { .n = 0 };
    int r;

    *ret = (ldap_freshness) { .compared = false };
    r = local_csn(ctx, st, &mine);
    if (r != LDAP_SUCCESS) {
        baton_debug("own contextCSN: %s", ldap_err2string(r));
        return;
    }
    r = provider_csn(ctx, st, &theirs);
    if (r != LDAP_SUCCESS) {
        baton_debug("provider %s: %s", baton_param_str(ctx, "provider_uri"), ldap_err2string(r));
        return;
    }
    ret->compared = true;
    ldap_csn_set_lag(&mine, &theirs, &ret->behind, &ret->lag_ms);
    {
        int64_t ahead_ms;

        ldap_csn_set_lag(&theirs, &mine, &ret->ahead, &ahead_ms);
    }
}

/* A fenced ex-provider follows the provider once that has all its changes. */
static int fenced_follow(baton_ctx *ctx, ldap_state *st, const ldap_freshness *f)
{
    if (!ldap_fenced_may_follow(f)) {
        baton_info("read-only ex-provider: %s", f->compared ? "the provider lacks some of its changes, "
                   "not following it yet" : "the provider does not answer yet");
        return BATON_OCF_SUCCESS;
    }
    return role_apply(ctx, st, false, false);
}

/* ------------------------------------------------------------------ promotion score */

static void score_update(baton_ctx *ctx, const ldap_state *st, int score)
{
    baton_deadline d = baton_deadline_cap(baton_ctx_deadline(ctx), SCORE_TIMEOUT_MS);
    int r = baton_promotion_score_update(baton_ctx_resource(ctx), score, st->score_path, d);

    if (r < 0)
        /* The next monitor tries again: the cache is left as it was. */
        baton_warn("cannot set the promotion score: %s", strerror(-r));
    else if (r > 0)
        baton_info("promotion score %d", score);
}

static int score_cached(const ldap_state *st)
{
    baton_autofree char *cached = NULL;
    int64_t v;

    if (file_read(st->score_path, &cached) < 0)
        return -1;
    trim(cached);
    if (baton_parse_int64(cached, &v) < 0 || v < 0 || v > BATON_SCORE_INFINITY)
        return -1;
    return (int) v;
}

/* On stop: remove a score this instance set, and forget the cache. */
static void score_delete(baton_ctx *ctx, const ldap_state *st)
{
    int r;

    if (access(st->score_path, F_OK) < 0)
        return;
    r = baton_promotion_score_update(baton_ctx_resource(ctx), BATON_SCORE_NONE, st->score_path,
                                     baton_deadline_cap(baton_ctx_deadline(ctx), SCORE_TIMEOUT_MS));
    if (r < 0)
        baton_warn("cannot delete the promotion score: %s", strerror(-r));
    r = baton_file_remove(st->score_path);
    if (r < 0)
        baton_warn("cannot remove %s: %s", st->score_path, strerror(-r));
}

/* ------------------------------------------------------------------ start / stop */

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
        trim(res.err);
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
static int slapd_wait_ready(baton_ctx *ctx, const ldap_state *st)
{
    /* keep time to stop it again when it never answers */
    baton_deadline d = baton_deadline_reserve(baton_ctx_deadline(ctx), KILL_WAIT_MS + 1000);
    int r = LDAP_SERVER_DOWN;

    while (!baton_deadline_expired(d)) {
        LDAP *ld = NULL;

        r = conn_local_config(ctx, st, &ld);
        ldap_conn_unbind(&ld);
        if (r == LDAP_SUCCESS && ldap_running_pid(ctx, st) > 0)
            return BATON_OCF_SUCCESS;
        baton_sleep_ms(POLL_STEP_MS);
    }
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "slapd did not answer on %s in time: %s",
                          st->ldapi_uri, ldap_err2string(r));
}

/* TERM, KILL after stop_escalate (or when the budget runs short), and confirm it is gone. */
static int slapd_stop(baton_ctx *ctx, const ldap_state *st)
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
static int state_dir_make(baton_ctx *ctx, const ldap_state *st)
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
static bool disk_config_is_provider(baton_ctx *ctx)
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
        if (!path || file_read(path, &text) < 0)
            continue;
        sfx = ldif_value(text, "olcSuffix");
        if (!sfx || strcasecmp(sfx, suffix) != 0)
            continue;
        provider = !strstr(text, "\nolcUpdateRef:");
        break;
    }
    closedir(d);
    return provider;
}

/*
 * A provider is only fenced: following provider_uri now could meet an
 * instance that lacks its latest changes, and the refresh would delete them.
 * It becomes a replica (monitor, notify) once the new provider has them all.
 */
static int make_unpromoted(baton_ctx *ctx, ldap_state *st)
{
    int role, ldap_rc;

    role = role_read(ctx, st, &ldap_rc);
    if (role < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cn=config over %s: %s", st->ldapi_uri,
                              ldap_err2string(ldap_rc));
    if (role == ROLE_PROMOTED)
        return fence_apply(ctx, st);
    if (role == ROLE_REPLICA)
        return role_apply(ctx, st, false, false);
    return BATON_OCF_SUCCESS;
}

static int ldap_start(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int r;

    if (!st->promotable)
        return ldap_primitive_start(ctx);
    r = state_dir_make(ctx, st);
    if (r != 0)
        return r;
    if (ldap_running_pid(ctx, st) == 0) {
        (void) unlink(st->role_path);
        if (disk_config_is_provider(ctx)) {
            /* Fence: as a provider it must not meet a client before it is a replica. */
            baton_info("the configuration on disk is a provider's: starting on ldapi only to demote it");
            r = ldap_slapd_launch(ctx, st, true);
            if (r == 0)
                r = slapd_wait_ready(ctx, st);
            if (r == 0)
                r = role_apply(ctx, st, false, false);
            if (r == 0)
                r = slapd_stop(ctx, st);
            if (r != 0) {
                (void) slapd_stop(ctx, st);
                return r;
            }
        }
        r = ldap_slapd_launch(ctx, st, false);
        if (r != 0)
            return r;
        r = slapd_wait_ready(ctx, st);
        if (r != 0)
            return r;
    }
    return make_unpromoted(ctx, st);
}

static int ldap_stop(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    int r;

    r = slapd_stop(ctx, st);
    if (r != 0)
        return r;
    if (st->role_path)
        (void) unlink(st->role_path);
    if (st->score_path)
        score_delete(ctx, st);
    return BATON_OCF_SUCCESS;
}

/* ------------------------------------------------------------------ monitor */

static int ldap_monitor(baton_ctx *ctx)
{
    ldap_state *st = state_of(ctx);
    bool cached_promoted = role_cached_promoted(st);
    char reason[512];
    ldap_freshness f = { .compared = false };
    int r, role, ldap_rc, rc;
    pid_t pid = 0;

    if (!st->promotable)
        return ldap_primitive_monitor(ctx);
    /* Without its pid file slapd still runs and serves: running, and the log says so. */
    r = ldap_slapd_find_checked(ctx, st, &pid);
    if (r != BATON_OCF_SUCCESS)
        return r;
    if (pid == 0)
        return baton_ctx_fail(ctx, BATON_OCF_NOT_RUNNING, "slapd is not running");
    r = ldap_service_check(ctx, st, INT64_MAX, reason, sizeof(reason));
    if (r == LDAP_INVALID_CREDENTIALS) {
        role = role_read(ctx, st, &ldap_rc);
        return baton_ctx_fail(ctx, (role == ROLE_PROMOTED || (role < 0 && cached_promoted))
                              ? BATON_OCF_DEGRADED_PROMOTED : BATON_OCF_DEGRADED,
                              "%s: slapd answers, but replication with these credentials cannot work "
                              "(fix bind_dn/password)", reason);
    }
    if (r != LDAP_SUCCESS)
        return baton_ctx_fail(ctx, cached_promoted ? BATON_OCF_FAILED_PROMOTED : BATON_OCF_ERR_GENERIC,
                              "%s", reason);
    role = role_read(ctx, st, &ldap_rc);
    if (role < 0)
        return baton_ctx_fail(ctx, cached_promoted ? BATON_OCF_FAILED_PROMOTED : BATON_OCF_ERR_GENERIC,
                              "cn=config over %s: %s", st->ldapi_uri, ldap_err2string(ldap_rc));
    if (role != ROLE_PROMOTED || baton_ctx_check_level(ctx) >= 10)
        freshness_get(ctx, st, &f);
    if (role == ROLE_FENCED && !baton_ctx_is_probe(ctx))
        (void) fenced_follow(ctx, st, &f);
    if (!baton_ctx_is_probe(ctx))
        score_update(ctx, st, ldap_promotion_score(role == ROLE_PROMOTED, &f, score_cached(st)));
    rc = ldap_monitor_decide(role == ROLE_PROMOTED, baton_ctx_check_level(ctx), &f,
                             baton_param_ms(ctx, "max_lag"), reason, sizeof(reason));
    if (reason[0])
        return baton_ctx_fail(ctx, rc, "%s", reason);
    return rc;
}

/* ------------------------------------------------------------------ roles */

/*
 * Wait until this instance has every change the instance at provider_uri
 * has, as long as it answers; keep a second of the budget for the switch.
 */
static int catch_up(baton_ctx *ctx, const ldap_state *st)
{
    baton_deadline d = baton_deadline_reserve(baton_ctx_deadline(ctx), 1000);
    ldap_csn_set mine, theirs;
    bool behind = false;
    int64_t lag = 0;
    int r;

    for (;;) {
        mine = (ldap_csn_set) { .n = 0 };
        theirs = (ldap_csn_set) { .n = 0 };
        r = provider_csn(ctx, st, &theirs);
        if (r != LDAP_SUCCESS) {
            baton_info("provider %s does not answer (%s): promoting with the data this instance has",
                       baton_param_str(ctx, "provider_uri"), ldap_err2string(r));
            return BATON_OCF_SUCCESS;
        }
        r = local_csn(ctx, st, &mine);
        if (r != LDAP_SUCCESS)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "own contextCSN: %s", ldap_err2string(r));
        ldap_csn_set_lag(&mine, &theirs, &behind, &lag);
        if (!behind)
            return BATON_OCF_SUCCESS;
        if (baton_deadline_expired(d))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "not promoting: still %" PRId64 " ms behind "
                                  "the instance at %s", lag, baton_param_str(ctx, "provider_uri"));
        baton_sleep_ms(POLL_STEP_MS);
    }
}

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
    role = role_read(ctx, st, &ldap_rc);
    if (role < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cn=config over %s: %s", st->ldapi_uri,
                              ldap_err2string(ldap_rc));
    if (role != ROLE_PROMOTED) {
        r = catch_up(ctx, st);
        if (r != 0)
            return r;
    }
    r = role_apply(ctx, st, true, false);
    if (r != 0)
        return r;
    score_update(ctx, st, LDAP_SCORE_PROMOTED);
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
    r = make_unpromoted(ctx, st);
    if (r != 0)
        return r;
    /* No longer the provider: what it is worth as a replica is for the next monitor to say. */
    score_update(ctx, st, LDAP_SCORE_IN_SYNC);
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
    role = role_read(ctx, st, &ldap_rc);
    if (role == ROLE_FENCED) {
        ldap_freshness f;

        freshness_get(ctx, st, &f);
        (void) fenced_follow(ctx, st, &f);
    } else if (role == ROLE_REPLICA) {
        (void) role_apply(ctx, st, false, true);
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
    role = role_read(ctx, st, &ldap_rc);
    if (role != ROLE_REPLICA)
        return BATON_OCF_SUCCESS;
    return role_apply(ctx, st, false, true);
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
    { "start", ldap_start, BATON_ACTION_F_NONE },
    { "stop", ldap_stop, BATON_ACTION_F_NONE },
    { "monitor", ldap_monitor, BATON_ACTION_F_NONE },
    { "promote", ldap_promote, BATON_ACTION_F_NONE },
    { "demote", ldap_demote, BATON_ACTION_F_NONE },
    { "notify", ldap_notify, BATON_ACTION_F_NONE },
    { "reload-agent", ldap_reload_agent, BATON_ACTION_F_NONE },
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
