/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ldap-csn.h"

/* n decimal digits at s; -1 when one is not a digit. */
static int64_t digits(const char *s, size_t n)
{
    int64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int64_t hex_digits(const char *s, size_t n)
{
    int64_t v = 0;

    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int d;

        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (no timegm: TZ-free). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int ldap_csn_parse(const char *s, ldap_csn *ret)
{
    /* YYYYmmddHHMMSS.ffffffZ#cccccc#sss#mmmmmm: fixed widths (RFC 4533 / OpenLDAP 2.4+) */
    int64_t y, mo, d, h, mi, sec, us, cnt, sid, mod;

    if (!s || strlen(s) != 40 || s[14] != '.' || s[21] != 'Z' || s[22] != '#' ||
        s[29] != '#' || s[33] != '#')
        return -EINVAL;
    y = digits(s, 4);
    mo = digits(s + 4, 2);
    d = digits(s + 6, 2);
    h = digits(s + 8, 2);
    mi = digits(s + 10, 2);
    sec = digits(s + 12, 2);
    us = digits(s + 15, 6);
    cnt = hex_digits(s + 23, 6);
    sid = hex_digits(s + 30, 3);
    mod = hex_digits(s + 34, 6);
    if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || sec < 0 || sec > 60 || us < 0 || cnt < 0 || sid < 0 || mod < 0)
        return -EINVAL;
    *ret = (ldap_csn) {
        .usec = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * 1000000) + us,
        .count = (unsigned) cnt,
        .sid = (unsigned) sid,
        .mod = (unsigned) mod,
    };
    return 0;
}

int ldap_csn_cmp(const ldap_csn *a, const ldap_csn *b)
{
    if (a->usec != b->usec)
        return a->usec < b->usec ? -1 : 1;
    if (a->count != b->count)
        return a->count < b->count ? -1 : 1;
    if (a->mod != b->mod)
        return a->mod < b->mod ? -1 : 1;
    return 0;
}

const ldap_csn *ldap_csn_set_find(const ldap_csn_set *set, unsigned sid)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->csn[i].sid == sid)
            return &set->csn[i];
    return NULL;
}

int ldap_csn_set_add(ldap_csn_set *set, const char *value)
{
    ldap_csn c;
    ldap_csn *old;

    if (ldap_csn_parse(value, &c) < 0)
        return -EINVAL;
    old = (ldap_csn *) ldap_csn_set_find(set, c.sid);
    if (old) {
        if (ldap_csn_cmp(&c, old) > 0)
            *old = c;
        return 0;
    }
    if (set->n >= LDAP_CSN_MAX)
        return -ENOSPC;
    set->csn[set->n++] = c;
    return 0;
}

const ldap_csn *ldap_csn_set_newest(const ldap_csn_set *set)
{
    const ldap_csn *best = NULL;

    for (size_t i = 0; i < set->n; i++)
        if (!best || ldap_csn_cmp(&set->csn[i], best) > 0)
            best = &set->csn[i];
    return best;
}

void ldap_csn_set_lag(const ldap_csn_set *local, const ldap_csn_set *reference,
                      bool *ret_behind, int64_t *ret_lag_ms)
{
    bool behind = false;
    int64_t lag_us = 0;

    for (size_t i = 0; i < reference->n; i++) {
        const ldap_csn *r = &reference->csn[i];
        const ldap_csn *l = ldap_csn_set_find(local, r->sid);
        int64_t d;

        if (l && ldap_csn_cmp(l, r) >= 0)
            continue;
        behind = true;
        d = l ? r->usec - l->usec : r->usec;
        if (d > lag_us)
            lag_us = d;
    }
    *ret_behind = behind;
    *ret_lag_ms = behind ? (lag_us / 1000 > 0 ? lag_us / 1000 : 1) : 0;
}

int ldap_csn_set_freshest(const ldap_csn_set *local, const ldap_csn_set *others, size_t n)
{
    int best = -1;
    int64_t best_lag = 0;

    for (size_t i = 0; i < n && i < INT_MAX; i++) {
        bool behind;
        int64_t lag;

        ldap_csn_set_lag(local, &others[i], &behind, &lag);
        if (behind && lag > best_lag) {
            best = (int) i;
            best_lag = lag;
        }
    }
    return best;
}
