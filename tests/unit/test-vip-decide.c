/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of agents/vip/vip-decide.c: interface choice and monitor verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "vip-decide.h"

static vip_addr A(const char *s)
{
    vip_addr a;

    assert_int_equal(vip_addr_parse(s, &a), 0);
    return a;
}

static vip_route R(const char *dst, unsigned len, int oif)
{
    vip_route r = {
        .dst = A(dst), .dst_len = len, .table = RT_TABLE_MAIN, .type = RTN_UNICAST, .oif = oif,
    };
    return r;
}

static void test_route_longest_prefix(void **state)
{
    vip_route routes[] = {
        R("0.0.0.0", 0, 2),             /* default route (with a gateway, below) */
        R("192.0.2.0", 24, 2),
        R("192.0.2.0", 25, 3),
        R("198.51.100.0", 24, 4),
    };
    vip_addr ip = A("192.0.2.10"), hi = A("192.0.2.200"), nowhere = A("203.0.113.1");

    (void) state;
    routes[0].has_gateway = true;
    assert_int_equal(vip_route_choose(routes, 4, &ip, 0, -1), 2);
    assert_int_equal(vip_route_choose(routes, 4, &hi, 0, -1), 1);
    /* The default route says nothing about which link holds the subnet. */
    assert_int_equal(vip_route_choose(routes, 4, &nowhere, 0, -1), -1);
    /* Restricted to one interface. */
    assert_int_equal(vip_route_choose(routes, 4, &ip, 2, -1), 1);
    assert_int_equal(vip_route_choose(routes, 4, &ip, 4, -1), -1);
}

static void test_route_filters(void **state)
{
    vip_route routes[] = {
        R("192.0.2.0", 24, 2),
        R("192.0.2.0", 28, 5),          /* via a gateway */
        R("192.0.2.0", 27, 6),          /* local table */
        R("192.0.2.0", 26, 7),          /* not unicast */
        R("192.0.2.10", 32, 8),         /* host route to the address itself */
        R("192.0.2.0", 29, 0),          /* multipath: no single oif */
    };
    vip_addr ip = A("192.0.2.10");

    (void) state;
    routes[1].has_gateway = true;
    routes[2].table = RT_TABLE_LOCAL;
    routes[3].type = RTN_BLACKHOLE;
    assert_int_equal(vip_route_choose(routes, 6, &ip, 0, -1), 0);
}

static void test_route_v6(void **state)
{
    vip_route routes[] = {
        R("2001:db8:1::", 64, 3),
        R("fe80::", 64, 3),
        R("192.0.2.0", 24, 2),
        R("::", 0, 3),
    };
    vip_addr ip = A("2001:db8:1::10"), other = A("2001:db8:2::10");

    (void) state;
    assert_int_equal(vip_route_choose(routes, 4, &ip, 0, -1), 0);
    assert_int_equal(vip_route_choose(routes, 4, &other, 0, -1), -1);
    assert_int_equal(vip_route_choose(NULL, 0, &ip, 0, -1), -1);
}

/* A given cidr_netmask (ocft IPaddr2v4 cases 10 and 14, IPaddr2v6 cases 12 to 14). */
static void test_route_given_prefix(void **state)
{
    vip_route routes[] = {
        R("192.168.144.0", 24, 2),
        R("2001:db8:1234::", 64, 2),
    };
    vip_addr v4 = A("192.168.144.2"), v6 = A("2001:db8:1234::2");

    (void) state;
    /* IPv4: the network must hold ip/prefix, a narrower prefix fits inside it. */
    assert_int_equal(vip_route_choose(routes, 2, &v4, 0, 24), 0);
    assert_int_equal(vip_route_choose(routes, 2, &v4, 0, 28), 0);
    assert_int_equal(vip_route_choose(routes, 2, &v4, 0, 16), -1);
    /* IPv6: the prefix length must be the network's own. */
    assert_int_equal(vip_route_choose(routes, 2, &v6, 0, 64), 1);
    assert_int_equal(vip_route_choose(routes, 2, &v6, 0, 80), -1);
    assert_int_equal(vip_route_choose(routes, 2, &v6, 0, 48), -1);
}

static void test_loopback_serves(void **state)
{
    vip_addr a = A("127.0.0.3"), b = A("127.255.255.254"), c = A("::1");
    vip_addr d = A("128.0.0.1"), e = A("192.0.2.10"), f = A("2001:db8::1"), unset = { 0 };

    (void) state;
    /* IPaddr2's findif: 127.x falls back to lo (ocft IPaddr2 "Attachment to loopback interface"). */
    assert_false(vip_loopback_serves(&unset));
    assert_true(vip_loopback_serves(&a));
    assert_true(vip_loopback_serves(&b));
    assert_true(vip_loopback_serves(&c));
    assert_false(vip_loopback_serves(&d));
    assert_false(vip_loopback_serves(&e));
    assert_false(vip_loopback_serves(&f));
}

static void test_nic_gone(void **state)
{
    (void) state;
    /* ocft IPaddr2 "monitor failure when 'OCF_RESKEY_nic' is vanished": 1, a probe 7. */
    assert_true(vip_monitor_nic_gone_fails(false));
    assert_false(vip_monitor_nic_gone_fails(true));
}

static void test_ifaddr_find(void **state)
{
    vip_ifaddr addrs[] = {
        { .ifindex = 1, .addr = A("192.0.2.10"), .prefixlen = 32 },
        { .ifindex = 2, .addr = A("192.0.2.1"), .prefixlen = 24 },
        { .ifindex = 3, .addr = A("192.0.2.10"), .prefixlen = 24 },
    };
    vip_addr ip = A("192.0.2.10"), absent = A("192.0.2.99");

    (void) state;
    assert_ptr_equal(vip_ifaddr_find(addrs, 3, &ip, 0, 0), &addrs[0]);
    assert_ptr_equal(vip_ifaddr_find(addrs, 3, &ip, 3, 0), &addrs[2]);
    assert_null(vip_ifaddr_find(addrs, 3, &ip, 2, 0));
    /* Skipping the loopback. */
    assert_ptr_equal(vip_ifaddr_find(addrs, 3, &ip, 0, 1), &addrs[2]);
    assert_null(vip_ifaddr_find(addrs, 3, &absent, 0, 0));
}

static void test_ifaddr_prefix_for(void **state)
{
    vip_ifaddr addrs[] = {
        { .ifindex = 2, .addr = A("192.0.2.1"), .prefixlen = 24 },
        { .ifindex = 2, .addr = A("192.0.2.129"), .prefixlen = 25 },
        { .ifindex = 2, .addr = A("192.0.2.10"), .prefixlen = 32 },  /* the VIP itself */
        { .ifindex = 3, .addr = A("192.0.2.5"), .prefixlen = 30 },
        { .ifindex = 2, .addr = A("10.0.0.1"), .prefixlen = 0 },
    };
    vip_addr ip = A("192.0.2.10"), hi = A("192.0.2.200"), out = A("198.51.100.1");

    (void) state;
    assert_int_equal(vip_ifaddr_prefix_for(addrs, 5, &ip, 2), 24);
    assert_int_equal(vip_ifaddr_prefix_for(addrs, 5, &hi, 2), 25);
    assert_int_equal(vip_ifaddr_prefix_for(addrs, 5, &out, 2), -1);
    assert_int_equal(vip_ifaddr_prefix_for(addrs, 5, &ip, 3), -1);
}

static void test_lvs_next(void **state)
{
    /* lo is #1; the address on the nic (#2), on lo as /32 and as /8. */
    vip_ifaddr running[] = {
        { .ifindex = 2, .addr = A("192.0.2.10"), .prefixlen = 24 },
        { .ifindex = 1, .addr = A("127.0.0.1"), .prefixlen = 8 },
    };
    vip_ifaddr both[] = {
        { .ifindex = 2, .addr = A("192.0.2.10"), .prefixlen = 24 },
        { .ifindex = 1, .addr = A("192.0.2.10"), .prefixlen = 32 },
    };
    vip_ifaddr admin[] = {
        { .ifindex = 1, .addr = A("192.0.2.10"), .prefixlen = 8 },
    };
    vip_addr ip = A("192.0.2.10");
    const vip_ifaddr *a = &running[0];

    (void) state;
    /* After start: nothing on lo is right; a copy there goes, whatever its prefix. */
    assert_int_equal(vip_lvs_next(running, 2, &ip, 1, true, &a), VIP_LVS_DONE);
    assert_null(a);
    assert_int_equal(vip_lvs_next(both, 2, &ip, 1, true, &a), VIP_LVS_DEL_LOOPBACK);
    assert_ptr_equal(a, &both[1]);
    assert_int_equal(vip_lvs_next(admin, 1, &ip, 1, true, &a), VIP_LVS_DEL_LOOPBACK);
    assert_ptr_equal(a, &admin[0]);
    /* After stop: some copy on lo; the administrator's one will do. */
    assert_int_equal(vip_lvs_next(running, 2, &ip, 1, false, &a), VIP_LVS_ADD_LOOPBACK);
    assert_null(a);
    assert_int_equal(vip_lvs_next(NULL, 0, &ip, 1, false, &a), VIP_LVS_ADD_LOOPBACK);
    assert_int_equal(vip_lvs_next(both, 2, &ip, 1, false, &a), VIP_LVS_DONE);
    assert_int_equal(vip_lvs_next(admin, 1, &ip, 1, false, &a), VIP_LVS_DONE);
    /* No loopback known: nothing to do either way. */
    assert_int_equal(vip_lvs_next(both, 2, &ip, 0, true, &a), VIP_LVS_DONE);
    assert_int_equal(vip_lvs_next(running, 2, &ip, 0, false, &a), VIP_LVS_DONE);
}

static void test_link_state(void **state)
{
    (void) state;
    assert_int_equal(vip_link_state_of(IFF_UP | IFF_RUNNING | IFF_LOWER_UP, IF_OPER_UP), VIP_LINK_UP);
    /* Drivers without carrier reporting. */
    assert_int_equal(vip_link_state_of(IFF_UP | IFF_LOWER_UP, IF_OPER_UNKNOWN), VIP_LINK_UP);
    assert_int_equal(vip_link_state_of(0, IF_OPER_DOWN), VIP_LINK_ADMIN_DOWN);
    assert_int_equal(vip_link_state_of(0, IF_OPER_UP), VIP_LINK_ADMIN_DOWN);
    assert_int_equal(vip_link_state_of(IFF_UP, IF_OPER_DOWN), VIP_LINK_DOWN);
    assert_int_equal(vip_link_state_of(IFF_UP, IF_OPER_LOWERLAYERDOWN), VIP_LINK_LOWER_DOWN);
    assert_int_equal(vip_link_state_of(IFF_UP, IF_OPER_NOTPRESENT), VIP_LINK_NOT_PRESENT);
    assert_string_equal(vip_link_state_str(VIP_LINK_LOWER_DOWN), "down (lower layer down)");
    assert_string_equal(vip_link_state_str(VIP_LINK_ADMIN_DOWN), "administratively down");
}

static void test_monitor_decide(void **state)
{
    vip_ifaddr v4 = { .ifindex = 2, .addr = A("192.0.2.10"), .prefixlen = 24 };
    vip_ifaddr v6 = { .ifindex = 2, .addr = A("2001:db8::10"), .prefixlen = 64 };

    (void) state;
    assert_int_equal(vip_monitor_decide(NULL, VIP_LINK_UP, true), VIP_ABSENT);
    assert_int_equal(vip_monitor_decide(NULL, VIP_LINK_DOWN, false), VIP_ABSENT);
    assert_int_equal(vip_monitor_decide(&v4, VIP_LINK_UP, true), VIP_RUNNING);
    assert_int_equal(vip_monitor_decide(&v4, VIP_LINK_LOWER_DOWN, true), VIP_LINK_FAILED);
    assert_int_equal(vip_monitor_decide(&v4, VIP_LINK_ADMIN_DOWN, true), VIP_LINK_FAILED);
    /* check_link_status=false: the address is all that counts. */
    assert_int_equal(vip_monitor_decide(&v4, VIP_LINK_DOWN, false), VIP_RUNNING);
    assert_int_equal(vip_monitor_decide(&v6, VIP_LINK_UP, true), VIP_RUNNING);
    v6.flags = IFA_F_TENTATIVE;
    assert_int_equal(vip_monitor_decide(&v6, VIP_LINK_UP, true), VIP_RUNNING);
    v6.flags = IFA_F_DADFAILED | IFA_F_TENTATIVE;
    assert_int_equal(vip_monitor_decide(&v6, VIP_LINK_UP, true), VIP_DUPLICATE);
    assert_int_equal(vip_monitor_decide(&v6, VIP_LINK_DOWN, false), VIP_DUPLICATE);
}

static void test_can_announce(void **state)
{
    vip_link eth = { .type = ARPHRD_ETHER, .has_mac = true, .flags = IFF_UP };
    vip_link l;

    (void) state;
    assert_true(vip_link_can_announce(&eth));
    l = eth;
    l.flags |= IFF_NOARP;
    assert_false(vip_link_can_announce(&l));
    l = eth;
    l.type = ARPHRD_LOOPBACK;
    l.flags |= IFF_LOOPBACK;
    assert_false(vip_link_can_announce(&l));
    l = eth;
    l.type = ARPHRD_NONE;           /* tun, wireguard */
    assert_false(vip_link_can_announce(&l));
    l = eth;
    l.has_mac = false;
    assert_false(vip_link_can_announce(&l));
}

static void test_announce_rounds(void **state)
{
    (void) state;
    /* 5 rounds 200 ms apart need 800 ms. */
    assert_int_equal(vip_announce_rounds(5, 200, 800), 5);
    assert_int_equal(vip_announce_rounds(5, 200, 20000), 5);
    assert_int_equal(vip_announce_rounds(5, 200, 799), 4);
    assert_int_equal(vip_announce_rounds(5, 200, 100), 1);
    assert_int_equal(vip_announce_rounds(5, 200, 0), 0);
    assert_int_equal(vip_announce_rounds(5, 200, -5), 0);
    assert_int_equal(vip_announce_rounds(0, 200, 20000), 0);
    assert_int_equal(vip_announce_rounds(1000, 10000, 15000), 2);
    assert_int_equal(vip_announce_rounds(3, 0, 1), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_longest_prefix),
        cmocka_unit_test(test_route_filters),
        cmocka_unit_test(test_route_v6),
        cmocka_unit_test(test_route_given_prefix),
        cmocka_unit_test(test_loopback_serves),
        cmocka_unit_test(test_nic_gone),
        cmocka_unit_test(test_ifaddr_find),
        cmocka_unit_test(test_ifaddr_prefix_for),
        cmocka_unit_test(test_lvs_next),
        cmocka_unit_test(test_link_state),
        cmocka_unit_test(test_monitor_decide),
        cmocka_unit_test(test_can_announce),
        cmocka_unit_test(test_announce_rounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
