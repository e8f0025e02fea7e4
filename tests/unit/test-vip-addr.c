/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of agents/vip/vip-addr.c: parsing and prefix arithmetic. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vip-addr.h"

static vip_addr A(const char *s)
{
    vip_addr a;

    assert_int_equal(vip_addr_parse(s, &a), 0);
    return a;
}

static void test_parse_families(void **state)
{
    vip_addr a;
    char buf[VIP_ADDR_STRLEN];

    (void) state;
    assert_int_equal(vip_addr_parse("192.0.2.10", &a), 0);
    assert_int_equal(a.family, AF_INET);
    assert_int_equal(vip_addr_len(&a), 4);
    assert_string_equal(vip_addr_format(&a, buf), "192.0.2.10");

    assert_int_equal(vip_addr_parse("2001:DB8:0:0::10", &a), 0);
    assert_int_equal(a.family, AF_INET6);
    assert_int_equal(vip_addr_len(&a), 16);
    /* Printed in the RFC 5952 form, whatever the input. */
    assert_string_equal(vip_addr_format(&a, buf), "2001:db8::10");
}

static void test_parse_rejects(void **state)
{
    static const char *const bad[] = {
        "", "192.0.2", "192.0.2.256", "192.0.2.10/24", "10.1", " 192.0.2.1",
        "192.0.2.1 ", "2001:db8::/64", "2001:db8:::1", "fe80::1%eth0", "eth0", "1.2.3.4.5",
    };
    vip_addr a = { .family = 99 };

    (void) state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(vip_addr_parse(bad[i], &a), -EINVAL);
        /* Untouched on failure. */
        assert_int_equal(a.family, 99);
    }
    assert_int_equal(vip_addr_parse(NULL, &a), -EINVAL);
}

static void test_unusable(void **state)
{
    (void) state;
    assert_string_equal(vip_addr_unusable_reason(&(vip_addr){ 0 }), "not an address");
    {
        vip_addr a = A("0.0.0.0");
        assert_non_null(vip_addr_unusable_reason(&a));
    }
    {
        vip_addr a = A("255.255.255.255");
        assert_non_null(vip_addr_unusable_reason(&a));
    }
    {
        vip_addr a = A("224.0.0.1");
        assert_string_equal(vip_addr_unusable_reason(&a), "a multicast address");
    }
    {
        vip_addr a = A("239.255.255.255");
        assert_non_null(vip_addr_unusable_reason(&a));
    }
    {
        vip_addr a = A("::");
        assert_string_equal(vip_addr_unusable_reason(&a), "the unspecified address");
    }
    {
        vip_addr a = A("ff02::1");
        assert_non_null(vip_addr_unusable_reason(&a));
    }
    {
        vip_addr a = A("192.0.2.10"), b = A("2001:db8::1"), c = A("223.255.255.254");
        assert_null(vip_addr_unusable_reason(&a));
        assert_null(vip_addr_unusable_reason(&b));
        assert_null(vip_addr_unusable_reason(&c));
    }
}

static void test_link_local(void **state)
{
    vip_addr a = A("fe80::1"), b = A("2001:db8::1"), c = A("169.254.1.1");

    (void) state;
    assert_true(vip_addr_is_link_local(&a));
    assert_false(vip_addr_is_link_local(&b));
    /* IPv4 link-local needs no interface scope in the kernel. */
    assert_false(vip_addr_is_link_local(&c));
}

static void test_equal(void **state)
{
    vip_addr a = A("192.0.2.1"), b = A("192.0.2.1"), c = A("192.0.2.2"), d = A("::ffff:192.0.2.1");

    (void) state;
    assert_true(vip_addr_equal(&a, &b));
    assert_false(vip_addr_equal(&a, &c));
    /* A mapped address is another family: never the same address. */
    assert_false(vip_addr_equal(&a, &d));
    assert_false(vip_addr_equal(&(vip_addr){ 0 }, &(vip_addr){ 0 }));
}

static void test_in_prefix(void **state)
{
    vip_addr net = A("192.0.2.0"), in = A("192.0.2.200"), out = A("192.0.3.1");
    vip_addr net6 = A("2001:db8:1::"), in6 = A("2001:db8:1::10"), out6 = A("2001:db8:2::10");
    vip_addr odd = A("192.0.2.128");

    (void) state;
    assert_true(vip_addr_in_prefix(&net, 24, &in));
    assert_false(vip_addr_in_prefix(&net, 24, &out));
    assert_true(vip_addr_in_prefix(&net, 0, &out));
    assert_true(vip_addr_in_prefix(&net, 22, &out));
    /* Non-byte boundary. */
    assert_true(vip_addr_in_prefix(&odd, 25, &in));
    assert_false(vip_addr_in_prefix(&odd, 25, &net));
    assert_true(vip_addr_in_prefix(&in, 32, &in));
    assert_false(vip_addr_in_prefix(&in, 33, &in));
    assert_true(vip_addr_in_prefix(&net6, 64, &in6));
    assert_false(vip_addr_in_prefix(&net6, 64, &out6));
    assert_true(vip_addr_in_prefix(&net6, 46, &out6));
    /* Families never mix. */
    assert_false(vip_addr_in_prefix(&net, 0, &in6));
}

static void test_host_bits(void **state)
{
    vip_addr a = A("192.0.2.10"), r;
    char buf[VIP_ADDR_STRLEN];

    (void) state;
    vip_addr_host_bits(&a, 24, true, &r);
    assert_string_equal(vip_addr_format(&r, buf), "192.0.2.255");
    vip_addr_host_bits(&a, 24, false, &r);
    assert_string_equal(vip_addr_format(&r, buf), "192.0.2.0");
    vip_addr_host_bits(&a, 20, true, &r);
    assert_string_equal(vip_addr_format(&r, buf), "192.0.15.255");
    vip_addr_host_bits(&a, 30, true, &r);
    assert_string_equal(vip_addr_format(&r, buf), "192.0.2.11");
    vip_addr_host_bits(&a, 32, true, &r);
    assert_string_equal(vip_addr_format(&r, buf), "192.0.2.10");
    vip_addr_host_bits(&a, 0, false, &r);
    assert_string_equal(vip_addr_format(&r, buf), "0.0.0.0");
}

static void test_max_prefix(void **state)
{
    (void) state;
    assert_int_equal(vip_addr_max_prefix(AF_INET), 32);
    assert_int_equal(vip_addr_max_prefix(AF_INET6), 128);
}

static void test_mac_format(void **state)
{
    static const uint8_t mac[VIP_MAC_LEN] = { 0x02, 0x00, 0x5e, 0x10, 0xab, 0xff };
    char buf[VIP_MAC_STRLEN];

    (void) state;
    assert_string_equal(vip_mac_format(mac, buf), "02:00:5e:10:ab:ff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_families),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_unusable),
        cmocka_unit_test(test_link_local),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_in_prefix),
        cmocka_unit_test(test_host_bits),
        cmocka_unit_test(test_max_prefix),
        cmocka_unit_test(test_mac_format),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
