/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <baton/notify.h>

#define P "OCF_RESKEY_CRM_meta_notify_"

static void test_not_a_notification(void **state)
{
    char *env[] = { "OCF_RESKEY_ip=192.0.2.1", NULL };
    baton_notify *n = NULL;

    (void) state;
    assert_int_equal(baton_notify_parse(env, &n), -EINVAL);
    assert_null(n);
}

static void test_promote_notification(void **state)
{
    char *env[] = {
        P "type=pre",
        P "operation=promote",
        P "promote_resource=ldap:1 ",
        P "promote_uname=node2",
        P "promoted_resource=",
        P "promoted_uname=",
        P "unpromoted_resource=ldap:0 ldap:1",
        P "unpromoted_uname=node1 node2",
        P "active_resource=ldap:0 ldap:1",
        P "active_uname=node1  node2",
        P "all_uname=node1 node2 node3",
        NULL,
    };
    baton_autoptr(baton_notify) n = NULL;

    (void) state;
    assert_int_equal(baton_notify_parse(env, &n), 0);
    assert_int_equal(n->type, BATON_NOTIFY_PRE);
    assert_string_equal(n->operation, "promote");
    assert_int_equal(n->promote.n, 1);
    assert_string_equal(n->promote.entries[0].resource, "ldap:1");
    assert_string_equal(n->promote.entries[0].uname, "node2");
    assert_int_equal(n->promoted.n, 0);
    assert_int_equal(n->unpromoted.n, 2);
    assert_string_equal(n->unpromoted.entries[1].resource, "ldap:1");
    assert_string_equal(n->unpromoted.entries[1].uname, "node2");
    assert_int_equal(n->active.n, 2);
    assert_string_equal(n->active.entries[1].uname, "node2");
    assert_int_equal(n->all.n, 3);
    assert_null(n->all.entries[2].resource);
    assert_string_equal(n->all.entries[2].uname, "node3");
    assert_int_equal(n->start.n, 0);
    assert_true(baton_notify_list_has_uname(&n->unpromoted, "node1"));
    assert_false(baton_notify_list_has_uname(&n->promote, "node1"));
}

static void test_legacy_master_slave_names(void **state)
{
    char *env[] = {
        P "type=post",
        P "operation=demote",
        P "master_resource=drbd:0",
        P "master_uname=node1",
        P "slave_resource=drbd:1",
        P "slave_uname=node2",
        NULL,
    };
    baton_autoptr(baton_notify) n = NULL;

    (void) state;
    assert_int_equal(baton_notify_parse(env, &n), 0);
    assert_int_equal(n->type, BATON_NOTIFY_POST);
    assert_int_equal(n->promoted.n, 1);
    assert_string_equal(n->promoted.entries[0].uname, "node1");
    assert_int_equal(n->unpromoted.n, 1);
    assert_string_equal(n->unpromoted.entries[0].resource, "drbd:1");
}

static void test_uneven_lists_keep_what_is_there(void **state)
{
    char *env[] = {
        P "type=post",
        P "operation=start",
        P "start_resource=r:0 r:1 r:2",
        P "start_uname=node1",
        NULL,
    };
    baton_autoptr(baton_notify) n = NULL;

    (void) state;
    assert_int_equal(baton_notify_parse(env, &n), 0);
    assert_int_equal(n->start.n, 3);
    assert_string_equal(n->start.entries[0].uname, "node1");
    assert_null(n->start.entries[1].uname);
    assert_string_equal(n->start.entries[2].resource, "r:2");
}

static void test_unknown_type(void **state)
{
    char *env[] = { P "type=sideways", P "operation=start", NULL };
    baton_autoptr(baton_notify) n = NULL;

    (void) state;
    assert_int_equal(baton_notify_parse(env, &n), 0);
    assert_int_equal(n->type, BATON_NOTIFY_TYPE_UNKNOWN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_a_notification),
        cmocka_unit_test(test_promote_notification),
        cmocka_unit_test(test_legacy_master_slave_names),
        cmocka_unit_test(test_uneven_lists_keep_what_is_there),
        cmocka_unit_test(test_unknown_type),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
