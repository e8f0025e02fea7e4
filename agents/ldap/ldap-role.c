/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ldap, the roles of a promotable clone in cn=config: the
 * replication attributes of the database that holds suffix read and changed
 * over the instance's own ldapi socket (SASL EXTERNAL), the role cache, and
 * how fresh this instance is against the one at provider_uri, and the
 * catching up before a promotion (from provider_uri, else from peer_uris).
 */
#include <inttypes.h>
#include <pthread.h>
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
 * Give the running instance a role through cn=config; a replica of source
 * (provider_uri, or another instance while promote catches up from it) with
 * a consumer timeout of timeout_s (0: the default).
 */
static int role_apply_from(baton_ctx *ctx, ldap_state *st, bool promoted, const char *source,
                           int timeout_s, bool force)
{
    LDAP *ld = NULL;
    ldap_db_config c = { .dn = NULL };
    ldap_cfg_mod mods[LDAP_CFG_MODS_MAX];
    baton_autofree char *syncrepl = NULL;
    size_t n;
    int r;

    syncrepl = ldap_syncrepl_value(&(ldap_syncrepl_spec) {
        .rid = (int) baton_param_int(ctx, "replica_id"), .provider_uri = source,
        .bind_dn = baton_param_str(ctx, "bind_dn"), .password = st->password,
        .suffix = baton_param_str(ctx, "suffix"), .extra = ldap_param_or_empty(ctx, "syncrepl_extra"),
        .timeout_s = timeout_s,
    });
    if (!syncrepl)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    r = ldap_conn_open(ctx, st->ldapi_uri, NULL, NULL, LDAP_CFG_MODIFY_CAP_MS, &ld);
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
    n = ldap_role_mods(promoted, &c.st, source, syncrepl, force, mods);
    r = db_config_modify(ld, c.dn, mods, n);
    db_config_clear(&c);
    ldap_conn_unbind(&ld);
    explicit_bzero(syncrepl, strlen(syncrepl));
    if (r != LDAP_SUCCESS)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot make it %s through cn=config: %s",
                              promoted ? "a provider" : "a replica", ldap_err2string(r));
    if (n)
        baton_info("now %s%s (%zu cn=config changes)", promoted ? "the provider" : "a replica of ",
                   promoted ? "" : source, n);
    if (role_write(st, promoted) < 0)
        baton_warn("cannot write %s", st->role_path);
    return BATON_OCF_SUCCESS;
}

/*
 * Give the running instance a role through cn=config. force: replace
 * olcSyncrepl even when it already names provider_uri (reconnects).
 */
int ldap_role_apply(baton_ctx *ctx, ldap_state *st, bool promoted, bool force)
{
    return role_apply_from(ctx, st, promoted, baton_param_str(ctx, "provider_uri"), 0, force);
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

/* Whatever answers at uri (another instance): its contextCSN, or an LDAP error. */
static int remote_csn(baton_ctx *ctx, const ldap_state *st, const char *uri, ldap_csn_set *ret)
{
    LDAP *ld = NULL;
    int64_t cap = baton_deadline_remaining_ms(baton_ctx_deadline(ctx)) / 3;
    int r = ldap_conn_open(ctx, uri, baton_param_str(ctx, "bind_dn"), st->password,
                           cap < PROVIDER_CAP_MS ? cap : PROVIDER_CAP_MS, &ld);

    if (r == LDAP_SUCCESS)
        r = ldap_csn_read(ld, baton_param_str(ctx, "suffix"), ret);
    ldap_conn_unbind(&ld);
    return r;
}

static int provider_csn(baton_ctx *ctx, const ldap_state *st, ldap_csn_set *ret)
{
    return remote_csn(ctx, st, baton_param_str(ctx, "provider_uri"), ret);
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

/* How waiting for the changes of one other instance ended. */
typedef enum {
    CATCH_UP_DONE,              /* this instance has every change seen there */
    CATCH_UP_GONE,              /* it does not answer (any more) */
    CATCH_UP_LATE,              /* the deadline came first: *ret_lag_ms behind */
    CATCH_UP_LOCAL_ERROR,       /* this instance's own contextCSN: *ret_ldap_rc */
} catch_up_result;

static catch_up_result wait_caught_up(baton_ctx *ctx, const ldap_state *st, const char *uri,
                                      baton_deadline d, int64_t *ret_lag_ms, int *ret_ldap_rc)
{
    ldap_csn_set mine, theirs;
    bool behind = false;

    for (;;) {
        mine = (ldap_csn_set) { .n = 0 };
        theirs = (ldap_csn_set) { .n = 0 };
        *ret_ldap_rc = remote_csn(ctx, st, uri, &theirs);
        if (*ret_ldap_rc != LDAP_SUCCESS)
            return CATCH_UP_GONE;
        *ret_ldap_rc = local_csn(ctx, st, &mine);
        if (*ret_ldap_rc != LDAP_SUCCESS)
            return CATCH_UP_LOCAL_ERROR;
        ldap_csn_set_lag(&mine, &theirs, &behind, ret_lag_ms);
        if (!behind)
            return CATCH_UP_DONE;
        if (baton_deadline_expired(d))
            return CATCH_UP_LATE;
        baton_sleep_ms(POLL_STEP_MS);
    }
}

/* One question of csn_ask_all: the contextCSN of the instance at uri. */
typedef struct csn_question {
    baton_ctx *ctx;
    const ldap_state *st;
    const char *uri;
    ldap_csn_set set;
    int ldap_rc;
    pthread_t thread;
    bool threaded;
} csn_question;

static void *csn_question_main(void *arg)
{
    csn_question *q = arg;

    q->set = (ldap_csn_set) { .n = 0 };
    q->ldap_rc = remote_csn(q->ctx, q->st, q->uri, &q->set);
    return NULL;
}

/*
 * Ask them all at once: an instance that does not answer (its node is gone)
 * costs its cap once, not once more for every instance asked after it, and
 * every second here is write outage. A thread that cannot start: asked here.
 */
static void csn_ask_all(csn_question *q, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        q[i].threaded = n > 1 && pthread_create(&q[i].thread, NULL, csn_question_main, &q[i]) == 0;
        if (!q[i].threaded)
            (void) csn_question_main(&q[i]);
    }
    for (size_t i = 0; i < n; i++)
        if (q[i].threaded)
            pthread_join(q[i].thread, NULL);
}

/*
 * The consumer that catches up from another instance: its olcSyncrepl is
 * replaced by promote as soon as it has caught up, which waits for a
 * session still in its refresh as long as this (LDAP_CFG_MODIFY_CAP_MS).
 */
#define CATCH_UP_SYNCREPL_TIMEOUT_S 1

/*
 * provider_uri does not answer, but another instance may hold changes this
 * one lacks: a replica cut off from the provider (a partial partition) while
 * another kept replicating. Of the instances that answered (peers, asked
 * once), while one has changes this instance lacks, follow the freshest
 * (olcSyncrepl, as from a provider: syncprov serves on a replica too) until
 * it has them. The promotion that follows removes that olcSyncrepl; a
 * failure here puts provider_uri back.
 */
static int catch_up_from_peers(baton_ctx *ctx, ldap_state *st, const csn_question *peers, size_t n,
                               baton_deadline d)
{
    ldap_csn_set others[LDAP_PEERS_MAX], mine;
    int64_t lag = 0;
    int i, r, ldap_rc;

    for (size_t k = 0; k < n; k++) {
        others[k] = peers[k].ldap_rc == LDAP_SUCCESS ? peers[k].set : (ldap_csn_set) { .n = 0 };
        if (peers[k].ldap_rc != LDAP_SUCCESS)
            baton_info("instance %s does not answer: %s", peers[k].uri, ldap_err2string(peers[k].ldap_rc));
    }
    for (;;) {
        const char *uri;
        catch_up_result how;

        mine = (ldap_csn_set) { .n = 0 };
        ldap_rc = local_csn(ctx, st, &mine);
        if (ldap_rc != LDAP_SUCCESS)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "own contextCSN: %s", ldap_err2string(ldap_rc));
        i = ldap_csn_set_freshest(&mine, others, n);
        if (i < 0)
            return BATON_OCF_SUCCESS;
        uri = peers[i].uri;
        others[i] = (ldap_csn_set) { .n = 0 };     /* each instance is followed once */
        baton_info("catching up from %s: it has changes this instance lacks", uri);
        r = role_apply_from(ctx, st, false, uri, CATCH_UP_SYNCREPL_TIMEOUT_S, true);
        if (r != 0)
            return r;
        how = wait_caught_up(ctx, st, uri, d, &lag, &ldap_rc);
        if (how == CATCH_UP_DONE || how == CATCH_UP_GONE)
            continue;
        (void) ldap_role_apply(ctx, st, false, true);
        if (how == CATCH_UP_LOCAL_ERROR)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "own contextCSN: %s", ldap_err2string(ldap_rc));
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "not promoting: the provider does not answer, "
                              "and this instance is still %" PRId64 " ms behind the instance at %s",
                              lag, uri);
    }
}

/*
 * Wait until this instance has every change the instance at provider_uri
 * has, as long as it answers; when it does not, catch up from the other
 * instances (peer_uris) that answer, asked together with provider_uri.
 * Keep a second of the budget for the switch.
 */
int ldap_catch_up(baton_ctx *ctx, ldap_state *st)
{
    baton_deadline d = baton_deadline_reserve(baton_ctx_deadline(ctx), 1000);
    const char *provider = baton_param_str(ctx, "provider_uri");
    csn_question q[1 + LDAP_PEERS_MAX];
    int64_t lag = 0;
    int ldap_rc;

    for (size_t k = 0; k <= st->n_peers; k++)
        q[k] = (csn_question) { .ctx = ctx, .st = st, .uri = k == 0 ? provider : st->peer_uris[k - 1] };
    csn_ask_all(q, 1 + st->n_peers);
    ldap_rc = q[0].ldap_rc;
    if (ldap_rc == LDAP_SUCCESS) {
        switch (wait_caught_up(ctx, st, provider, d, &lag, &ldap_rc)) {
        case CATCH_UP_DONE:
            return BATON_OCF_SUCCESS;
        case CATCH_UP_LOCAL_ERROR:
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "own contextCSN: %s", ldap_err2string(ldap_rc));
        case CATCH_UP_LATE:
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "not promoting: still %" PRId64 " ms behind "
                                  "the instance at %s", lag, provider);
        case CATCH_UP_GONE:
            break;
        }
    }
    if (st->n_peers == 0) {
        baton_info("provider %s does not answer (%s): promoting with the data this instance has",
                   provider, ldap_err2string(ldap_rc));
        return BATON_OCF_SUCCESS;
    }
    baton_info("provider %s does not answer (%s): catching up from the other instances that answer",
               provider, ldap_err2string(ldap_rc));
    return catch_up_from_peers(ctx, st, &q[1], st->n_peers, d);
}
