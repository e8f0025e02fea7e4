/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of agents/vip/vip-frame.c: ARP/ND frames, byte for byte. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "vip-frame.h"

static const uint8_t own[VIP_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t peer[VIP_MAC_LEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 };

static struct in_addr v4(const char *s)
{
    struct in_addr a;

    assert_int_equal(inet_pton(AF_INET, s, &a), 1);
    return a;
}

static struct in6_addr v6(const char *s)
{
    struct in6_addr a;

    assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
    return a;
}

static void test_arp_announce_request(void **state)
{
    struct in_addr ip = v4("192.0.2.10");
    uint8_t f[64];
    static const uint8_t expect[VIP_ARP_FRAME_LEN] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff,         /* broadcast */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01,         /* from us */
        0x08, 0x06,                                 /* ARP */
        0x00, 0x01, 0x08, 0x00, 6, 4,               /* Ethernet/IPv4 */
        0x00, 0x01,                                 /* request */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01,         /* sender MAC */
        192, 0, 2, 10,                              /* sender IP = the address */
        0, 0, 0, 0, 0, 0,                           /* target MAC zero (RFC 5227) */
        192, 0, 2, 10,                              /* target IP = the address */
    };

    (void) state;
    assert_int_equal(vip_frame_arp_build(f, sizeof(f), VIP_ARP_ANNOUNCE_REQUEST, own, &ip),
                     VIP_ARP_FRAME_LEN);
    assert_memory_equal(f, expect, VIP_ARP_FRAME_LEN);
}

static void test_arp_announce_reply(void **state)
{
    struct in_addr ip = v4("192.0.2.10");
    uint8_t f[VIP_ARP_FRAME_LEN];

    (void) state;
    assert_int_equal(vip_frame_arp_build(f, sizeof(f), VIP_ARP_ANNOUNCE_REPLY, own, &ip),
                     VIP_ARP_FRAME_LEN);
    assert_int_equal(f[20], 0);
    assert_int_equal(f[21], 2);                     /* reply */
    assert_memory_equal(f + 28, "\xc0\x00\x02\x0a", 4);
    assert_memory_equal(f + 32, own, VIP_MAC_LEN);  /* target MAC = ours, like arping -A */
    assert_memory_equal(f + 38, "\xc0\x00\x02\x0a", 4);
}

static void test_arp_probe(void **state)
{
    struct in_addr ip = v4("192.0.2.10");
    uint8_t f[VIP_ARP_FRAME_LEN];

    (void) state;
    assert_int_equal(vip_frame_arp_build(f, sizeof(f), VIP_ARP_PROBE, own, &ip), VIP_ARP_FRAME_LEN);
    assert_int_equal(f[21], 1);
    /* Sender IP 0.0.0.0: no neighbour learns anything from a probe. */
    assert_memory_equal(f + 28, "\0\0\0\0", 4);
    assert_memory_equal(f + 38, "\xc0\x00\x02\x0a", 4);
}

static void test_arp_short_buffer(void **state)
{
    struct in_addr ip = v4("192.0.2.10");
    uint8_t f[VIP_ARP_FRAME_LEN - 1];

    (void) state;
    assert_int_equal(vip_frame_arp_build(f, sizeof(f), VIP_ARP_PROBE, own, &ip), 0);
}

/* An ARP frame as the peer would send it. */
static size_t peer_arp(uint8_t *f, uint16_t op, const char *sip, const char *tip)
{
    struct in_addr s = v4(sip), t = v4(tip);
    size_t n = vip_frame_arp_build(f, VIP_ARP_FRAME_LEN, VIP_ARP_ANNOUNCE_REQUEST, peer, &s);

    f[21] = (uint8_t) op;
    memcpy(f + 28, &s, 4);
    memcpy(f + 38, &t, 4);
    return n;
}

static void test_arp_conflict(void **state)
{
    struct in_addr ip = v4("192.0.2.10");
    uint8_t f[VIP_ARP_FRAME_LEN], mac[VIP_MAC_LEN];

    (void) state;
    /* The holder answers our probe. */
    memset(mac, 0, sizeof(mac));
    assert_true(vip_frame_arp_conflict(f, peer_arp(f, 2, "192.0.2.10", "0.0.0.0"), &ip, own, mac));
    assert_memory_equal(mac, peer, VIP_MAC_LEN);
    /* The holder asks for someone else, from the address. */
    assert_true(vip_frame_arp_conflict(f, peer_arp(f, 1, "192.0.2.10", "192.0.2.1"), &ip, own, mac));
    /* Another host probes for the same address at the same time. */
    assert_true(vip_frame_arp_conflict(f, peer_arp(f, 1, "0.0.0.0", "192.0.2.10"), &ip, own, mac));

    /* Unrelated traffic. */
    assert_false(vip_frame_arp_conflict(f, peer_arp(f, 1, "192.0.2.1", "192.0.2.10"), &ip, own, mac));
    assert_false(vip_frame_arp_conflict(f, peer_arp(f, 2, "192.0.2.1", "192.0.2.10"), &ip, own, mac));
    assert_false(vip_frame_arp_conflict(f, peer_arp(f, 1, "0.0.0.0", "192.0.2.11"), &ip, own, mac));
    /* Truncated. */
    assert_false(vip_frame_arp_conflict(f, VIP_ARP_FRAME_LEN - 1, &ip, own, mac));
    /* Not ARP. */
    peer_arp(f, 2, "192.0.2.10", "0.0.0.0");
    f[13] = 0x00;
    assert_false(vip_frame_arp_conflict(f, VIP_ARP_FRAME_LEN, &ip, own, mac));
}

static void test_arp_own_frames_ignored(void **state)
{
    struct in_addr ip = v4("192.0.2.10");
    uint8_t f[VIP_ARP_FRAME_LEN], mac[VIP_MAC_LEN];

    (void) state;
    vip_frame_arp_build(f, sizeof(f), VIP_ARP_ANNOUNCE_REQUEST, own, &ip);
    assert_false(vip_frame_arp_conflict(f, sizeof(f), &ip, own, mac));
    vip_frame_arp_build(f, sizeof(f), VIP_ARP_PROBE, own, &ip);
    assert_false(vip_frame_arp_conflict(f, sizeof(f), &ip, own, mac));
}

static void test_na_build(void **state)
{
    struct in6_addr t = v6("2001:db8:1::10");
    uint8_t b[VIP_NA_LEN + 8];

    (void) state;
    memset(b, 0xaa, sizeof(b));
    assert_int_equal(vip_frame_na_build(b, sizeof(b), &t, own), VIP_NA_LEN);
    assert_int_equal(b[0], 136);                    /* Neighbor Advertisement */
    assert_int_equal(b[1], 0);
    assert_int_equal(b[2], 0);                      /* checksum: the kernel's job */
    assert_int_equal(b[3], 0);
    assert_int_equal(b[4], 0x20);                   /* Override, not Solicited, not Router */
    assert_memory_equal(b + 5, "\0\0\0", 3);
    assert_memory_equal(b + 8, &t, 16);
    assert_int_equal(b[24], 2);                     /* target link-layer address */
    assert_int_equal(b[25], 1);
    assert_memory_equal(b + 26, own, VIP_MAC_LEN);
    assert_int_equal(b[VIP_NA_LEN], 0xaa);          /* nothing written past the end */
    assert_int_equal(vip_frame_na_build(b, VIP_NA_LEN - 1, &t, own), 0);
}

/* An Ethernet + IPv6 + ICMPv6 ND frame from the peer. */
static size_t nd_frame(uint8_t *f, uint8_t type, const char *src, const char *target, bool tlla,
                       uint8_t hops)
{
    struct in6_addr s = v6(src), t = v6(target);
    uint8_t *ip6 = f + VIP_ETH_HLEN, *icmp = ip6 + 40;
    size_t icmp_len = tlla ? 32 : 24;

    memset(f, 0, VIP_ETH_HLEN + 40 + 32);
    memcpy(f, "\x33\x33\x00\x00\x00\x01", 6);
    memcpy(f + 6, peer, VIP_MAC_LEN);
    f[12] = 0x86;
    f[13] = 0xdd;
    ip6[0] = 0x60;
    ip6[4] = 0;
    ip6[5] = (uint8_t) icmp_len;
    ip6[6] = 58;
    ip6[7] = hops;
    memcpy(ip6 + 8, &s, 16);
    icmp[0] = type;
    memcpy(icmp + 8, &t, 16);
    if (tlla) {
        static const uint8_t other[VIP_MAC_LEN] = { 0x0e, 0, 0, 0, 0, 0x99 };

        icmp[24] = 2;
        icmp[25] = 1;
        memcpy(icmp + 26, other, VIP_MAC_LEN);
    }
    return VIP_ETH_HLEN + 40 + icmp_len;
}

static void test_nd_conflict(void **state)
{
    struct in6_addr ip = v6("2001:db8:1::10");
    uint8_t f[128], mac[VIP_MAC_LEN];
    static const uint8_t other[VIP_MAC_LEN] = { 0x0e, 0, 0, 0, 0, 0x99 };

    (void) state;
    /* The defender's NA: the MAC comes from its target link-layer address option. */
    assert_true(vip_frame_nd_conflict(f, nd_frame(f, 136, "2001:db8:1::10", "2001:db8:1::10", true, 255),
                                      &ip, own, mac));
    assert_memory_equal(mac, other, VIP_MAC_LEN);
    /* Without the option: the frame's source. */
    assert_true(vip_frame_nd_conflict(f, nd_frame(f, 136, "fe80::2", "2001:db8:1::10", false, 255),
                                      &ip, own, mac));
    assert_memory_equal(mac, peer, VIP_MAC_LEN);
    /* Another node's DAD for the address. */
    assert_true(vip_frame_nd_conflict(f, nd_frame(f, 135, "::", "2001:db8:1::10", false, 255),
                                      &ip, own, mac));
    assert_memory_equal(mac, peer, VIP_MAC_LEN);

    /* An ordinary solicitation (someone resolving the address) is no conflict. */
    assert_false(vip_frame_nd_conflict(f, nd_frame(f, 135, "2001:db8:1::1", "2001:db8:1::10", false, 255),
                                       &ip, own, mac));
    /* Another target. */
    assert_false(vip_frame_nd_conflict(f, nd_frame(f, 136, "fe80::2", "2001:db8:1::11", true, 255),
                                       &ip, own, mac));
    /* Routed from afar: invalid ND (RFC 4861 hop limit). */
    assert_false(vip_frame_nd_conflict(f, nd_frame(f, 136, "fe80::2", "2001:db8:1::10", true, 64),
                                       &ip, own, mac));
    /* Truncated before the target. */
    assert_false(vip_frame_nd_conflict(f, VIP_ETH_HLEN + 40 + 20, &ip, own, mac));
    /* Our own frame. */
    nd_frame(f, 136, "2001:db8:1::10", "2001:db8:1::10", true, 255);
    memcpy(f + 6, own, VIP_MAC_LEN);
    assert_false(vip_frame_nd_conflict(f, VIP_ETH_HLEN + 40 + 32, &ip, own, mac));
}

static void test_nd_bad_option(void **state)
{
    struct in6_addr ip = v6("2001:db8:1::10");
    uint8_t f[128], mac[VIP_MAC_LEN];
    size_t n = nd_frame(f, 136, "fe80::2", "2001:db8:1::10", true, 255);

    (void) state;
    /* A zero-length option must not loop forever; the frame source is used. */
    f[VIP_ETH_HLEN + 40 + 25] = 0;
    assert_true(vip_frame_nd_conflict(f, n, &ip, own, mac));
    assert_memory_equal(mac, peer, VIP_MAC_LEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arp_announce_request),
        cmocka_unit_test(test_arp_announce_reply),
        cmocka_unit_test(test_arp_probe),
        cmocka_unit_test(test_arp_short_buffer),
        cmocka_unit_test(test_arp_conflict),
        cmocka_unit_test(test_arp_own_frames_ignored),
        cmocka_unit_test(test_na_build),
        cmocka_unit_test(test_nd_conflict),
        cmocka_unit_test(test_nd_bad_option),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
