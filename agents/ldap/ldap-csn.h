/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * contextCSN values ("20261125184512.123456Z#000000#001#000000": time,
 * change count, server ID, modifier) and how two sets of them compare.
 * A database has one contextCSN per server ID that ever wrote to it; a
 * replica has caught up with its provider when, for every server ID the
 * provider knows, its own CSN is at least as new. Pure: no I/O.
 */
#ifndef BATON_LDAP_CSN_H
#define BATON_LDAP_CSN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LDAP_CSN_MAX 16            /* server IDs per database we track */

typedef struct ldap_csn {
    int64_t usec;                   /* microseconds since the epoch (UTC) */
    unsigned count;                 /* change counter within that microsecond */
    unsigned sid;                   /* server ID (0..4095) */
    unsigned mod;
} ldap_csn;

typedef struct ldap_csn_set {
    ldap_csn csn[LDAP_CSN_MAX];
    size_t n;
} ldap_csn_set;

/* 0, or -EINVAL when s is not a CSN. */
int ldap_csn_parse(const char *s, ldap_csn *ret);
/* <0, 0, >0 like strcmp, by time, then count, then modifier. */
int ldap_csn_cmp(const ldap_csn *a, const ldap_csn *b);

/*
 * Add one value to the set; a second value for the same server ID keeps
 * the newer. 0, -EINVAL (not a CSN) or -ENOSPC (too many server IDs).
 */
int ldap_csn_set_add(ldap_csn_set *set, const char *value);
const ldap_csn *ldap_csn_set_find(const ldap_csn_set *set, unsigned sid);
/* The newest CSN of the set, NULL when empty. */
const ldap_csn *ldap_csn_set_newest(const ldap_csn_set *set);

/*
 * How far local is behind reference: for every server ID of reference,
 * how much newer its CSN is than local's (local lacking that server ID
 * counts as behind by the reference CSN's full age, i.e. the time since the
 * epoch). ret_behind is false when local has everything reference has; then
 * ret_lag_ms is 0. ret_lag_ms is the largest time difference in ms (at
 * least 1 when behind, even within the same millisecond).
 */
void ldap_csn_set_lag(const ldap_csn_set *local, const ldap_csn_set *reference,
                      bool *ret_behind, int64_t *ret_lag_ms);

/*
 * Of the sets other instances answered with, the one local is furthest
 * behind (largest ldap_csn_set_lag; the first of equals): the instance to
 * catch up from first. -1 when local has everything every one of them has
 * (an empty set, e.g. an instance that did not answer, never counts).
 */
int ldap_csn_set_freshest(const ldap_csn_set *local, const ldap_csn_set *others, size_t n);

#endif /* BATON_LDAP_CSN_H */
