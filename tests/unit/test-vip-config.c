/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of agents/vip/vip-config.c: what is wrong everywhere (OCF 6). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vip-config.h"

static char reason[256];

static int parse(const vip_params *p, vip_config *c)
{
    reason[0] = '\0';
    return vip_config_parse(p, c, reason, sizeof(reason));
}

/* The call must fail and its reason must mention needle (the parameter). */
static void assert_rejected(const vip_params *p, const char *needle)
{
    vip_config c;

    assert_int_equal(parse(p, &c), -EINVAL);
    if (!strstr(reason, needle))
        fail_msg("reason '%s' does not mention '%s'", reason, needle);
}

static void test_minimal_v4(void **state)
{
    vip_params p = { .ip = "192.0.2.10" };
    vip_config c;

    (void) state;
    assert_int_equal(parse(&p, &c), 0);
    assert_int_equal(c.addr.family, AF_INET);
    assert_string_equal(c.nic, "");
    assert_string_equal(c.label, "");
    assert_false(c.has_prefix);
    assert_int_equal(c.brd_mode, VIP_BRD_AUTO);
    assert_true(c.lft_forever);
    assert_false(c.nodad);
    assert_false(c.v6_only_ignored);
}

static void test_full_v6(void **state)
{
    vip_params p = {
        .ip = "2001:db8:1::10", .nic = "eth0", .has_prefix = true, .prefix = 64,
        .preferred_lft = "0", .nodad = true, .noprefixroute = true,
    };
    vip_config c;

    (void) state;
    assert_int_equal(parse(&p, &c), 0);
    assert_int_equal(c.addr.family, AF_INET6);
    assert_string_equal(c.nic, "eth0");
    assert_true(c.has_prefix);
    assert_int_equal(c.prefix, 64);
    assert_false(c.lft_forever);
    assert_int_equal(c.preferred_lft, 0);
    assert_true(c.nodad);
    assert_true(c.noprefixroute);
}

static void test_bad_ip(void **state)
{
    (void) state;
    assert_rejected(&(vip_params){ .ip = "192.0.2.300" }, "'ip'");
    assert_rejected(&(vip_params){ .ip = "" }, "'ip'");
    assert_rejected(&(vip_params){ .ip = NULL }, "'ip'");
    assert_rejected(&(vip_params){ .ip = "224.0.0.5" }, "multicast");
    assert_rejected(&(vip_params){ .ip = "::" }, "unspecified");
    /* A prefix in ip gets a hint where it belongs. */
    assert_rejected(&(vip_params){ .ip = "192.0.2.10/24" }, "cidr_netmask");
}

static void test_prefix_range(void **state)
{
    vip_config c;

    (void) state;
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .has_prefix = true, .prefix = 33 }, "cidr_netmask");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .has_prefix = true, .prefix = 64 }, "IPv4");
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .has_prefix = true, .prefix = 129 }, "IPv6");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .has_prefix = true, .prefix = -1 }, "cidr_netmask");
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .has_prefix = true, .prefix = 32 }, &c), 0);
    assert_int_equal(c.prefix, 32);
    assert_int_equal(parse(&(vip_params){ .ip = "2001:db8::1", .has_prefix = true, .prefix = 128 }, &c), 0);
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .has_prefix = true, .prefix = 0 }, &c), 0);
}

static void test_nic(void **state)
{
    vip_config c;

    (void) state;
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .nic = "a/b" }, "'nic'");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .nic = "abcdefghijklmnop" }, "'nic'");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .nic = "eth 0" }, "'nic'");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .nic = ":x" }, "'nic'");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .nic = "eth0:" }, "'nic'");
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .nic = "bond0.100" }, &c), 0);
    assert_string_equal(c.nic, "bond0.100");
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .nic = "abcdefghijklmno" }, &c), 0);
}

static void test_nic_label_compat(void **state)
{
    vip_config c;
    char label[VIP_IFNAMSIZ];

    (void) state;
    /* IPaddr2's old "nic:label" form; the label there wins over iflabel. */
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .nic = "eth0:web", .iflabel = "x" }, &c), 0);
    assert_string_equal(c.nic, "eth0");
    assert_string_equal(c.label, "web");
    assert_true(c.label_from_nic);
    assert_int_equal(vip_config_label(&c, c.nic, label), 0);
    assert_string_equal(label, "eth0:web");
}

static void test_link_local_needs_nic(void **state)
{
    vip_config c;

    (void) state;
    assert_rejected(&(vip_params){ .ip = "fe80::10" }, "'nic'");
    assert_int_equal(parse(&(vip_params){ .ip = "fe80::10", .nic = "eth0" }, &c), 0);
}

static void test_label(void **state)
{
    vip_config c;
    char label[VIP_IFNAMSIZ];

    (void) state;
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .iflabel = "web1" }, &c), 0);
    assert_int_equal(vip_config_label(&c, "eth0", label), 0);
    assert_string_equal(label, "eth0:web1");
    /* 15 characters exactly is fine, 16 is not. */
    assert_int_equal(vip_config_label(&c, "enp0s31f6", label), 0);
    assert_string_equal(label, "enp0s31f6:web1");
    assert_int_equal(vip_config_label(&c, "enp0s31f6x", label), 0);
    assert_int_equal(vip_config_label(&c, "enp0s31f6xy", label), -ENAMETOOLONG);
    assert_string_equal(label, "");

    /* With the nic given, too long is a configuration error. */
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .nic = "enp0s31f6", .iflabel = "toolong" }, "iflabel");
    /* Too long for even a one-letter interface. */
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .iflabel = "abcdefghijklmn" }, "iflabel");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .iflabel = "a b" }, "iflabel");
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .iflabel = "web" }, "IPv4");

    /* No label: nothing to build. */
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10" }, &c), 0);
    assert_int_equal(vip_config_label(&c, "eth0", label), 0);
    assert_string_equal(label, "");
}

static void test_broadcast(void **state)
{
    vip_config c;
    vip_addr b;
    char buf[VIP_ADDR_STRLEN];

    (void) state;
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10" }, &c), 0);
    assert_true(vip_config_broadcast(&c, 24, &b));
    assert_string_equal(vip_addr_format(&b, buf), "192.0.2.255");
    assert_true(vip_config_broadcast(&c, 30, &b));
    assert_string_equal(vip_addr_format(&b, buf), "192.0.2.11");
    /* RFC 3021 point-to-point /31 and host /32: none. */
    assert_false(vip_config_broadcast(&c, 31, &b));
    assert_false(vip_config_broadcast(&c, 32, &b));

    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .broadcast = "+" }, &c), 0);
    assert_true(vip_config_broadcast(&c, 32, &b));
    assert_string_equal(vip_addr_format(&b, buf), "192.0.2.10");
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .broadcast = "-" }, &c), 0);
    assert_true(vip_config_broadcast(&c, 24, &b));
    assert_string_equal(vip_addr_format(&b, buf), "192.0.2.0");
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .broadcast = "192.0.2.127" }, &c), 0);
    assert_true(vip_config_broadcast(&c, 24, &b));
    assert_string_equal(vip_addr_format(&b, buf), "192.0.2.127");

    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .broadcast = "2001:db8::ff" }, "broadcast");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .broadcast = "bcast" }, "broadcast");
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .broadcast = "+" }, "broadcast");

    assert_int_equal(parse(&(vip_params){ .ip = "2001:db8::1" }, &c), 0);
    assert_false(vip_config_broadcast(&c, 64, &b));
}

static void test_lifetime(void **state)
{
    vip_config c;

    (void) state;
    assert_int_equal(parse(&(vip_params){ .ip = "2001:db8::1", .preferred_lft = "forever" }, &c), 0);
    assert_true(c.lft_forever);
    assert_int_equal(parse(&(vip_params){ .ip = "2001:db8::1", .preferred_lft = "3600" }, &c), 0);
    assert_false(c.lft_forever);
    assert_int_equal(c.preferred_lft, 3600);
    assert_int_equal(parse(&(vip_params){ .ip = "2001:db8::1", .preferred_lft = "4294967294" }, &c), 0);
    /* All ones is "forever" on the wire; as a number it is refused. */
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .preferred_lft = "4294967295" }, "preferred_lft");
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .preferred_lft = "-1" }, "preferred_lft");
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .preferred_lft = "1h" }, "preferred_lft");
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .preferred_lft = "never" }, "preferred_lft");
}

static void test_v6_only_on_v4(void **state)
{
    vip_config c;

    (void) state;
    /* As in IPaddr2 these do nothing for IPv4; the agent warns. */
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .nodad = true }, &c), 0);
    assert_true(c.v6_only_ignored);
    assert_false(c.nodad);
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .preferred_lft = "0" }, &c), 0);
    assert_true(c.v6_only_ignored);
    assert_true(c.lft_forever);
}

static void test_dad_check_contradicts_nodad(void **state)
{
    vip_config c;

    (void) state;
    assert_rejected(&(vip_params){ .ip = "2001:db8::1", .nodad = true, .dad_check = true }, "dad_check");
    /* For IPv4 nodad means nothing, so there is no contradiction. */
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.1", .nodad = true, .dad_check = true }, &c), 0);
    assert_true(c.dad_check);
}

static void test_ifname_valid(void **state)
{
    (void) state;
    assert_true(vip_ifname_valid("eth0"));
    assert_true(vip_ifname_valid("br-lan"));
    assert_false(vip_ifname_valid(""));
    assert_false(vip_ifname_valid("."));
    assert_false(vip_ifname_valid(".."));
    assert_false(vip_ifname_valid("eth0:1"));
    assert_false(vip_ifname_valid("e\tx"));
    assert_false(vip_ifname_valid(NULL));
}

static void test_network_namespace(void **state)
{
    char longest[VIP_NETNS_NAME_MAX + 2];
    vip_config c;

    (void) state;
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10" }, &c), 0);
    assert_string_equal(c.netns, "");
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .network_namespace = "blue-1.x" }, &c), 0);
    assert_string_equal(c.netns, "blue-1.x");

    memset(longest, 'n', VIP_NETNS_NAME_MAX);
    longest[VIP_NETNS_NAME_MAX] = '\0';
    assert_true(vip_netns_name_valid(longest));
    longest[VIP_NETNS_NAME_MAX] = 'n';
    longest[VIP_NETNS_NAME_MAX + 1] = '\0';
    assert_false(vip_netns_name_valid(longest));

    assert_false(vip_netns_name_valid(NULL));
    assert_false(vip_netns_name_valid(""));
    assert_false(vip_netns_name_valid("."));
    assert_false(vip_netns_name_valid(".."));
    assert_true(vip_netns_name_valid("..."));
    assert_false(vip_netns_name_valid("../blue"));
    assert_false(vip_netns_name_valid("a/b"));
    assert_false(vip_netns_name_valid("-blue"));
    assert_true(vip_netns_name_valid("blue-"));
    assert_false(vip_netns_name_valid("blue\nred"));
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .network_namespace = "../x" }, "network_namespace");
    assert_rejected(&(vip_params){ .ip = "192.0.2.10", .network_namespace = "-x" }, "network_namespace");
}

static void test_lvs_support(void **state)
{
    vip_config c;

    (void) state;
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10", .lvs_support = true }, &c), 0);
    assert_true(c.lvs_support);
    assert_int_equal(parse(&(vip_params){ .ip = "192.0.2.10" }, &c), 0);
    assert_false(c.lvs_support);
    /* IPaddr2 refuses it for IPv6 as well. */
    assert_rejected(&(vip_params){ .ip = "2001:db8::10", .lvs_support = true }, "lvs_support");
    assert_int_equal(parse(&(vip_params){ .ip = "2001:db8::10", .lvs_support = false }, &c), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_v4),
        cmocka_unit_test(test_full_v6),
        cmocka_unit_test(test_bad_ip),
        cmocka_unit_test(test_prefix_range),
        cmocka_unit_test(test_nic),
        cmocka_unit_test(test_nic_label_compat),
        cmocka_unit_test(test_link_local_needs_nic),
        cmocka_unit_test(test_label),
        cmocka_unit_test(test_broadcast),
        cmocka_unit_test(test_lifetime),
        cmocka_unit_test(test_v6_only_on_v4),
        cmocka_unit_test(test_dad_check_contradicts_nodad),
        cmocka_unit_test(test_ifname_valid),
        cmocka_unit_test(test_network_namespace),
        cmocka_unit_test(test_lvs_support),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
