/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ldap-decide.h"

bool ldap_cfg_is_promoted(const ldap_cfg_state *st)
{
    if (st->read_only)
        return false;
    if (st->multi_provider)
        return !st->update_ref;
    return !st->update_ref && !st->has_syncrepl;
}

bool ldap_cfg_is_fenced(const ldap_cfg_state *st)
{
    return st->read_only && !st->update_ref && (!st->has_syncrepl || st->multi_provider);
}

bool ldap_fenced_may_follow(const ldap_freshness *f)
{
    return f->compared && !f->ahead;
}

static bool str_eq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

size_t ldap_role_mods(bool promoted, const ldap_cfg_state *cur, const char *provider_uri,
                      const char *syncrepl, bool force, ldap_cfg_mod out[LDAP_CFG_MODS_MAX])
{
    size_t n = 0;

    if (promoted) {
        if (cur->update_ref)
            out[n++] = (ldap_cfg_mod) { LDAP_CFG_DELETE, "olcUpdateRef", NULL };
        if (cur->has_syncrepl)
            out[n++] = (ldap_cfg_mod) { LDAP_CFG_DELETE, "olcSyncrepl", NULL };
        if (cur->multi_provider)
            out[n++] = (ldap_cfg_mod) { LDAP_CFG_REPLACE, "olcMultiProvider", "FALSE" };
    } else {
        if (cur->multi_provider)
            out[n++] = (ldap_cfg_mod) { LDAP_CFG_REPLACE, "olcMultiProvider", "FALSE" };
        if (force || !cur->has_syncrepl || !str_eq(cur->syncrepl_provider, provider_uri))
            out[n++] = (ldap_cfg_mod) { LDAP_CFG_REPLACE, "olcSyncrepl", syncrepl };
        if (!str_eq(cur->update_ref, provider_uri))
            out[n++] = (ldap_cfg_mod) { LDAP_CFG_REPLACE, "olcUpdateRef", provider_uri };
    }
    /* A fenced ex-provider (read-only during a switchover) is lifted in both roles:
     * a replica refers writes to the provider instead of refusing them. */
    if (cur->read_only)
        out[n++] = (ldap_cfg_mod) { LDAP_CFG_REPLACE, "olcReadOnly", "FALSE" };
    return n;
}

static bool quotable(const char *s)
{
    return s && !strpbrk(s, "\"\\\n");
}

char *ldap_syncrepl_value(const ldap_syncrepl_spec *spec)
{
    const char *extra = spec->extra ? spec->extra : "";
    char *s = NULL;

    if (!quotable(spec->provider_uri) || strpbrk(spec->provider_uri, " \t") || !quotable(spec->bind_dn) ||
        !quotable(spec->password) || !quotable(spec->suffix) || strchr(extra, '\n'))
        return NULL;
    if (asprintf(&s, "{0}rid=%03d provider=%s bindmethod=simple binddn=\"%s\" "
                 "credentials=\"%s\" searchbase=\"%s\" type=refreshAndPersist "
                 "retry=\"1 +\" network-timeout=1 timeout=%d keepalive=30:3:5%s%s",
                 spec->rid, spec->provider_uri, spec->bind_dn, spec->password, spec->suffix,
                 spec->timeout_s > 0 ? spec->timeout_s : LDAP_SYNCREPL_TIMEOUT_S,
                 *extra ? " " : "", extra) < 0)
        return NULL;
    return s;
}

int ldap_syncrepl_provider(const char *value, char *buf, size_t size)
{
    const char *p = value;
    size_t len;

    /* a token "provider=..." at the start or after white space */
    for (;;) {
        p = strstr(p, "provider=");
        if (!p)
            return -ENOENT;
        if (p == value || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '}')
            break;
        p++;
    }
    p += strlen("provider=");
    len = strcspn(p, " \t\n");
    if (len >= size)
        return -ENOBUFS;
    memcpy(buf, p, len);
    buf[len] = '\0';
    return 0;
}

int ldap_promotion_score(bool promoted, const ldap_freshness *f, int prev_score)
{
    int64_t s;

    if (promoted)
        return LDAP_SCORE_PROMOTED;
    if (!f->compared)
        return prev_score >= 0 ? prev_score : LDAP_SCORE_UNKNOWN;
    if (!f->behind)
        return LDAP_SCORE_IN_SYNC;
    s = LDAP_SCORE_BEHIND_MAX - f->lag_ms / 1000;
    return s < LDAP_SCORE_BEHIND_MIN ? LDAP_SCORE_BEHIND_MIN : (int) s;
}

int ldap_monitor_decide(bool promoted, int check_level, const ldap_freshness *f,
                        int64_t max_lag_ms, char *reason, size_t reason_size)
{
    int ok = promoted ? 8 : 0, degraded = promoted ? 191 : 190;

    reason[0] = '\0';
    if (check_level < 10)
        return ok;
    if (promoted) {
        /* provider_uri normally reaches this instance; newer data there means
         * another instance took writes */
        if (f->compared && f->behind) {
            snprintf(reason, reason_size, "the instance at the provider address has changes "
                     "this one lacks (%" PRId64 " ms newer): another writable instance?", f->lag_ms);
            return degraded;
        }
        return ok;
    }
    if (!f->compared) {
        snprintf(reason, reason_size, "replication state unknown: the provider did not answer");
        return degraded;
    }
    if (f->behind && f->lag_ms > max_lag_ms) {
        snprintf(reason, reason_size, "replication lags %" PRId64 " ms behind the provider "
                 "(max_lag %" PRId64 " ms)", f->lag_ms, max_lag_ms);
        return degraded;
    }
    return ok;
}
