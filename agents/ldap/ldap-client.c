/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ldap, the LDAP client side: connections to slapd bounded by the
 * action's deadline (libldap, never ldapsearch or ldapmodify), and reading
 * contextCSN.
 */
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <ldap.h>

#include <baton.h>

#include "ldap-agent.h"
#include "ldap-csn.h"

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

int ldap_conn_local_config(baton_ctx *ctx, const ldap_state *st, LDAP **ret)
{
    return ldap_conn_open(ctx, st->ldapi_uri, NULL, NULL, LDAP_OP_CAP_MS, ret);
}

/* The contextCSN values of base (a search bounded by the connection's timeout). */
int ldap_csn_read(LDAP *ld, const char *base, ldap_csn_set *ret)
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
