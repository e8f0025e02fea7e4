/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ldap, the roles of a promotable clone in cn=config: the
 * replication attributes of the database that holds suffix read and changed
 * over the instance's own ldapi socket (SASL EXTERNAL), the role cache, and
 * how fresh this instance is against the one at provider_uri.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldap.h>

#include <baton.h>

#include "ldap-agent.h"
#include "ldap-csn.h"
#include "ldap-decide.h"

/*
 * Asking the provider. On a LAN a live provider answers in milliseconds; after
 * a crash its address is dead and every millisecond waited here is write
 * outage (promote asks before it promotes).
 */
#define PROVIDER_CAP_MS 1000

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
    return ldap_file_write(st->role_path, promoted ? "promoted\n" : "unpromoted\n");
}

bool ldap_role_cached_promoted(const ldap_state *st)
{
    baton_autofree char *text = NULL;

    if (ldap_file_read(st->role_path, &text) < 0)
        return false;
    ldap_trim(text);
    return baton_streq(text, "promoted");
}

/*
 * Give the running instance a role through cn=config. force: replace
 * olcSyncrepl even when it already names provider_uri (reconnects).
 */
int ldap_role_apply(baton_ctx *ctx, ldap_state *st, bool promoted, bool force)
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
    r = ldap_conn_local_config(ctx, st, &ld);
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

/* The role cn=config shows (ROLE_*), or -1 with the LDAP error. */
int ldap_role_read(baton_ctx *ctx, const ldap_state *st, int *ret_ldap_rc)
{
    LDAP *ld = NULL;
    ldap_db_config c = { .dn = NULL };
    int r, role;

    r = ldap_conn_local_config(ctx, st, &ld);
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

    r = ldap_conn_local_config(ctx, st, &ld);
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
        r = ldap_csn_read(ld, baton_param_str(ctx, "suffix"), ret);
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
        r = ldap_csn_read(ld, baton_param_str(ctx, "suffix"), ret);
    ldap_conn_unbind(&ld);
    return r;
}

void ldap_freshness_get(baton_ctx *ctx, const ldap_state *st, ldap_freshness *ret)
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
int ldap_fenced_follow(baton_ctx *ctx, ldap_state *st, const ldap_freshness *f)
{
    if (!ldap_fenced_may_follow(f)) {
        baton_info("read-only ex-provider: %s", f->compared ? "the provider lacks some of its changes, "
                   "not following it yet" : "the provider does not answer yet");
        return BATON_OCF_SUCCESS;
    }
    return ldap_role_apply(ctx, st, false, false);
}

/*
 * A provider is only fenced: following provider_uri now could meet an
 * instance that lacks its latest changes, and the refresh would delete them.
 * It becomes a replica (monitor, notify) once the new provider has them all.
 */
int ldap_make_unpromoted(baton_ctx *ctx, ldap_state *st)
{
    int role, ldap_rc;

    role = ldap_role_read(ctx, st, &ldap_rc);
    if (role < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cn=config over %s: %s", st->ldapi_uri,
                              ldap_err2string(ldap_rc));
    if (role == ROLE_PROMOTED)
        return fence_apply(ctx, st);
    if (role == ROLE_REPLICA)
        return ldap_role_apply(ctx, st, false, false);
    return BATON_OCF_SUCCESS;
}

/*
 * Wait until this instance has every change the instance at provider_uri
 * has, as long as it answers; keep a second of the budget for the switch.
 */
int ldap_catch_up(baton_ctx *ctx, const ldap_state *st)
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
