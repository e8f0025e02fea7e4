/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ldap-decide.h"

#define P "ldap://192.0.2.10/"

static void test_role_of_config(void **state)
{
    (void) state;
    assert_true(ldap_cfg_is_promoted(&(ldap_cfg_state) { .has_syncprov = true }));
    assert_false(ldap_cfg_is_promoted(&(ldap_cfg_state) { .has_syncrepl = true, .update_ref = P }));
    /* a consumer without a referral is still a replica */
    assert_false(ldap_cfg_is_promoted(&(ldap_cfg_state) { .has_syncrepl = true }));
    assert_true(ldap_cfg_is_promoted(&(ldap_cfg_state) { .has_syncrepl = true, .multi_provider = true }));
    /* a demoted provider: read-only, not consuming yet */
    assert_false(ldap_cfg_is_promoted(&(ldap_cfg_state) { .read_only = true }));
    assert_true(ldap_cfg_is_fenced(&(ldap_cfg_state) { .read_only = true }));
    assert_false(ldap_cfg_is_fenced(&(ldap_cfg_state) { .read_only = false }));
    assert_false(ldap_cfg_is_fenced(&(ldap_cfg_state) { .read_only = true, .has_syncrepl = true,
                                                       .update_ref = P }));
}

static void test_fenced_may_follow(void **state)
{
    (void) state;
    assert_true(ldap_fenced_may_follow(&(ldap_freshness) { .compared = true }));
    /* behind the provider is fine: the refresh brings it up to date */
    assert_true(ldap_fenced_may_follow(&(ldap_freshness) { .compared = true, .behind = true }));
    /* the provider lacks its changes: following would delete them */
    assert_false(ldap_fenced_may_follow(&(ldap_freshness) { .compared = true, .ahead = true }));
    assert_false(ldap_fenced_may_follow(&(ldap_freshness) { .compared = false }));
}

static void test_mods_promote_replica(void **state)
{
    ldap_cfg_state cur = { .has_syncrepl = true, .syncrepl_provider = P, .update_ref = P };
    ldap_cfg_mod m[LDAP_CFG_MODS_MAX];

    (void) state;
    assert_int_equal(ldap_role_mods(true, &cur, P, "{0}rid=001", false, m), 2);
    /* the referral goes first: back-config wants it after a consumer */
    assert_int_equal(m[0].op, LDAP_CFG_DELETE);
    assert_string_equal(m[0].attr, "olcUpdateRef");
    assert_int_equal(m[1].op, LDAP_CFG_DELETE);
    assert_string_equal(m[1].attr, "olcSyncrepl");
}

static void test_mods_promote_fenced_and_idempotent(void **state)
{
    ldap_cfg_state fenced = { .read_only = true };
    ldap_cfg_state done = { .has_syncprov = true };
    ldap_cfg_mod m[LDAP_CFG_MODS_MAX];

    (void) state;
    assert_int_equal(ldap_role_mods(true, &fenced, P, "x", false, m), 1);
    assert_int_equal(m[0].op, LDAP_CFG_REPLACE);
    assert_string_equal(m[0].attr, "olcReadOnly");
    assert_string_equal(m[0].value, "FALSE");
    assert_int_equal(ldap_role_mods(true, &done, P, "x", false, m), 0);
}

static void test_mods_demote_provider(void **state)
{
    ldap_cfg_state cur = { .has_syncprov = true };
    ldap_cfg_mod m[LDAP_CFG_MODS_MAX];

    (void) state;
    assert_int_equal(ldap_role_mods(false, &cur, P, "{0}rid=001 provider=" P, false, m), 2);
    assert_int_equal(m[0].op, LDAP_CFG_REPLACE);
    assert_string_equal(m[0].attr, "olcSyncrepl");
    assert_string_equal(m[0].value, "{0}rid=001 provider=" P);
    assert_int_equal(m[1].op, LDAP_CFG_REPLACE);
    assert_string_equal(m[1].attr, "olcUpdateRef");
    assert_string_equal(m[1].value, P);
}

static void test_mods_demote_multi_provider(void **state)
{
    ldap_cfg_state cur = { .multi_provider = true, .has_syncrepl = true,
                           .syncrepl_provider = P, .read_only = true };
    ldap_cfg_mod m[LDAP_CFG_MODS_MAX];

    (void) state;
    assert_int_equal(ldap_role_mods(false, &cur, P, "s", false, m), 3);
    assert_string_equal(m[0].attr, "olcMultiProvider");
    assert_string_equal(m[0].value, "FALSE");
    assert_string_equal(m[1].attr, "olcUpdateRef");
    assert_string_equal(m[2].attr, "olcReadOnly");
}

static void test_mods_replica_idempotent_or_forced(void **state)
{
    ldap_cfg_state cur = { .has_syncrepl = true, .syncrepl_provider = P, .update_ref = P };
    ldap_cfg_state other = { .has_syncrepl = true, .syncrepl_provider = "ldap://old/",
                             .update_ref = "ldap://old/" };
    ldap_cfg_mod m[LDAP_CFG_MODS_MAX];

    (void) state;
    assert_int_equal(ldap_role_mods(false, &cur, P, "s", false, m), 0);
    assert_int_equal(ldap_role_mods(false, &cur, P, "s", true, m), 1);
    assert_string_equal(m[0].attr, "olcSyncrepl");
    assert_int_equal(ldap_role_mods(false, &other, P, "s", false, m), 2);
    assert_string_equal(m[0].attr, "olcSyncrepl");
    assert_string_equal(m[1].attr, "olcUpdateRef");
}

static char *syncrepl(int rid, const char *uri, const char *pw, const char *extra, int timeout_s)
{
    return ldap_syncrepl_value(&(ldap_syncrepl_spec) {
        .rid = rid, .provider_uri = uri, .bind_dn = "cn=admin,dc=example,dc=com", .password = pw,
        .suffix = "dc=example,dc=com", .extra = extra, .timeout_s = timeout_s,
    });
}

static void test_syncrepl_value(void **state)
{
    char *s;
    char buf[64];

    (void) state;
    s = syncrepl(7, P, "pw 1", "", 0);
    assert_non_null(s);
    assert_non_null(strstr(s, "{0}rid=007 provider=" P " bindmethod=simple "));
    assert_non_null(strstr(s, "binddn=\"cn=admin,dc=example,dc=com\" credentials=\"pw 1\" "));
    assert_non_null(strstr(s, "searchbase=\"dc=example,dc=com\" type=refreshAndPersist"));
    assert_non_null(strstr(s, " timeout=5 "));
    assert_int_equal(ldap_syncrepl_provider(s, buf, sizeof(buf)), 0);
    assert_string_equal(buf, P);
    free(s);
    s = syncrepl(1, P, "x", "starttls=critical", 1);
    assert_non_null(s);
    assert_non_null(strstr(s, " timeout=1 "));
    assert_non_null(strstr(s, " starttls=critical"));
    free(s);
    s = syncrepl(1, P, "x", NULL, 0);
    assert_non_null(s);
    free(s);
    assert_null(syncrepl(1, P, "bad\"pw", "", 0));
    assert_null(syncrepl(1, P, "bad\\pw", "", 0));
    assert_null(syncrepl(1, "ldap://a/ ldap://b/", "x", "", 0));
    assert_null(syncrepl(1, NULL, "x", "", 0));
    assert_null(syncrepl(1, P, "x", "a\nb", 0));
}

static void test_syncrepl_provider(void **state)
{
    char buf[16];

    (void) state;
    /* slapd's own rendering of the value */
    assert_int_equal(ldap_syncrepl_provider("{0}rid=001 provider=ldap://h:1/ bindmethod=simple",
                                            buf, sizeof(buf)), 0);
    assert_string_equal(buf, "ldap://h:1/");
    assert_int_equal(ldap_syncrepl_provider("{0}provider=ldap://h/", buf, sizeof(buf)), 0);
    assert_string_equal(buf, "ldap://h/");
    assert_int_equal(ldap_syncrepl_provider("rid=1 xprovider=a", buf, sizeof(buf)), -ENOENT);
    assert_int_equal(ldap_syncrepl_provider("rid=1 provider=ldap://a-very-long-host/", buf,
                                            sizeof(buf)), -ENOBUFS);
}

static void test_score(void **state)
{
    ldap_freshness unknown = { .compared = false };
    ldap_freshness in_sync = { .compared = true, .behind = false };
    ldap_freshness behind2 = { .compared = true, .behind = true, .lag_ms = 2500 };
    ldap_freshness behind_far = { .compared = true, .behind = true, .lag_ms = 86400000 };

    (void) state;
    assert_int_equal(ldap_promotion_score(true, &unknown, -1), LDAP_SCORE_PROMOTED);
    assert_int_equal(ldap_promotion_score(false, &in_sync, -1), LDAP_SCORE_IN_SYNC);
    assert_int_equal(ldap_promotion_score(false, &behind2, -1), LDAP_SCORE_BEHIND_MAX - 2);
    assert_int_equal(ldap_promotion_score(false, &behind_far, -1), LDAP_SCORE_BEHIND_MIN);
    /* the fresher replica always wins; in sync beats any lag */
    assert_true(ldap_promotion_score(false, &in_sync, -1) > ldap_promotion_score(false, &behind2, -1));
    assert_true(ldap_promotion_score(false, &behind2, -1) > ldap_promotion_score(false, &behind_far, -1));
    /* provider gone: what was known last stands */
    assert_int_equal(ldap_promotion_score(false, &unknown, 798), 798);
    assert_int_equal(ldap_promotion_score(false, &unknown, 900), 900);
    assert_int_equal(ldap_promotion_score(false, &unknown, -1), LDAP_SCORE_UNKNOWN);
    assert_true(LDAP_SCORE_UNKNOWN < LDAP_SCORE_IN_SYNC);
}

static void test_monitor_decide(void **state)
{
    ldap_freshness unknown = { .compared = false };
    ldap_freshness in_sync = { .compared = true, .behind = false };
    ldap_freshness lag = { .compared = true, .behind = true, .lag_ms = 61000 };
    ldap_freshness small = { .compared = true, .behind = true, .lag_ms = 500 };
    char reason[256];

    (void) state;
    assert_int_equal(ldap_monitor_decide(false, 0, &lag, 60000, reason, sizeof(reason)), 0);
    assert_string_equal(reason, "");
    assert_int_equal(ldap_monitor_decide(true, 0, &lag, 60000, reason, sizeof(reason)), 8);
    assert_int_equal(ldap_monitor_decide(false, 10, &in_sync, 60000, reason, sizeof(reason)), 0);
    assert_int_equal(ldap_monitor_decide(false, 10, &small, 60000, reason, sizeof(reason)), 0);
    assert_int_equal(ldap_monitor_decide(false, 10, &lag, 60000, reason, sizeof(reason)), 190);
    assert_non_null(strstr(reason, "lags 61000 ms"));
    assert_int_equal(ldap_monitor_decide(false, 10, &unknown, 60000, reason, sizeof(reason)), 190);
    assert_non_null(strstr(reason, "did not answer"));
    assert_int_equal(ldap_monitor_decide(true, 10, &unknown, 60000, reason, sizeof(reason)), 8);
    assert_int_equal(ldap_monitor_decide(true, 10, &in_sync, 60000, reason, sizeof(reason)), 8);
    /* a provider that finds newer data behind provider_uri: another writer */
    assert_int_equal(ldap_monitor_decide(true, 10, &small, 60000, reason, sizeof(reason)), 191);
    assert_non_null(strstr(reason, "another writable"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_of_config),
        cmocka_unit_test(test_fenced_may_follow),
        cmocka_unit_test(test_mods_promote_replica),
        cmocka_unit_test(test_mods_promote_fenced_and_idempotent),
        cmocka_unit_test(test_mods_demote_provider),
        cmocka_unit_test(test_mods_demote_multi_provider),
        cmocka_unit_test(test_mods_replica_idempotent_or_forced),
        cmocka_unit_test(test_syncrepl_value),
        cmocka_unit_test(test_syncrepl_provider),
        cmocka_unit_test(test_score),
        cmocka_unit_test(test_monitor_decide),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
