/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "vip-frame.h"

#define ETHERTYPE_ARP_ 0x0806
#define ETHERTYPE_IPV6_ 0x86dd
#define ETHERTYPE_IPV4_FOR_ARP 0x0800
#define ARP_HRD_ETHER 1
#define ARP_OP_REQUEST 1
#define ARP_OP_REPLY 2

#define IP6_HLEN 40
#define IP6_NEXT_ICMPV6 58
#define ND_HOP_LIMIT 255
#define ICMP6_NS 135
#define ICMP6_NA 136
#define ND_OPT_TLLA 2
#define NA_FLAG_OVERRIDE 0x20

static const uint8_t broadcast_mac[VIP_MAC_LEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero_mac[VIP_MAC_LEN];

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t) (p[0] << 8 | p[1]);
}

size_t vip_frame_arp_build(uint8_t *buf, size_t len, vip_arp_kind kind,
                           const uint8_t mac[VIP_MAC_LEN], const struct in_addr *ip)
{
    uint8_t *arp = buf + VIP_ETH_HLEN;
    static const uint8_t any_ip[4];

    if (len < VIP_ARP_FRAME_LEN)
        return 0;
    memcpy(buf, broadcast_mac, VIP_MAC_LEN);
    memcpy(buf + 6, mac, VIP_MAC_LEN);
    put16(buf + 12, ETHERTYPE_ARP_);

    put16(arp, ARP_HRD_ETHER);
    put16(arp + 2, ETHERTYPE_IPV4_FOR_ARP);
    arp[4] = VIP_MAC_LEN;
    arp[5] = 4;
    put16(arp + 6, kind == VIP_ARP_ANNOUNCE_REPLY ? ARP_OP_REPLY : ARP_OP_REQUEST);
    memcpy(arp + 8, mac, VIP_MAC_LEN);
    memcpy(arp + 14, kind == VIP_ARP_PROBE ? any_ip : (const uint8_t *) &ip->s_addr, 4);
    memcpy(arp + 18, kind == VIP_ARP_ANNOUNCE_REPLY ? mac : zero_mac, VIP_MAC_LEN);
    memcpy(arp + 24, &ip->s_addr, 4);
    return VIP_ARP_FRAME_LEN;
}

size_t vip_frame_na_build(uint8_t *buf, size_t len, const struct in6_addr *target,
                          const uint8_t mac[VIP_MAC_LEN])
{
    if (len < VIP_NA_LEN)
        return 0;
    memset(buf, 0, VIP_NA_LEN);
    buf[0] = ICMP6_NA;
    buf[4] = NA_FLAG_OVERRIDE;
    memcpy(buf + 8, target, 16);
    buf[24] = ND_OPT_TLLA;
    buf[25] = 1;                /* in units of 8 bytes */
    memcpy(buf + 26, mac, VIP_MAC_LEN);
    return VIP_NA_LEN;
}

bool vip_frame_arp_conflict(const uint8_t *frame, size_t len, const struct in_addr *ip,
                            const uint8_t own_mac[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN])
{
    const uint8_t *arp = frame + VIP_ETH_HLEN;
    const uint8_t *sha, *spa, *tpa;
    uint16_t op;
    static const uint8_t any_ip[4];

    if (len < VIP_ARP_FRAME_LEN || get16(frame + 12) != ETHERTYPE_ARP_)
        return false;
    if (get16(arp) != ARP_HRD_ETHER || get16(arp + 2) != ETHERTYPE_IPV4_FOR_ARP ||
        arp[4] != VIP_MAC_LEN || arp[5] != 4)
        return false;
    op = get16(arp + 6);
    if (op != ARP_OP_REQUEST && op != ARP_OP_REPLY)
        return false;
    sha = arp + 8;
    spa = arp + 14;
    tpa = arp + 24;
    /* Our own frames come back on a packet socket as outgoing copies. */
    if (memcmp(sha, own_mac, VIP_MAC_LEN) == 0 || memcmp(frame + 6, own_mac, VIP_MAC_LEN) == 0)
        return false;

    /* Someone answers for, or announces, the address. */
    if (memcmp(spa, &ip->s_addr, 4) == 0) {
        memcpy(ret_mac, sha, VIP_MAC_LEN);
        return true;
    }
    /* Someone else probes for it at the same time (RFC 5227 section 2.1.1). */
    if (op == ARP_OP_REQUEST && memcmp(spa, any_ip, 4) == 0 && memcmp(tpa, &ip->s_addr, 4) == 0) {
        memcpy(ret_mac, sha, VIP_MAC_LEN);
        return true;
    }
    return false;
}

/* The target link-layer address option of an NA, if any. */
static const uint8_t *nd_find_tlla(const uint8_t *opt, size_t len)
{
    while (len >= 8) {
        size_t optlen = (size_t) opt[1] * 8;

        if (optlen == 0 || optlen > len)
            return NULL;
        if (opt[0] == ND_OPT_TLLA && optlen >= 8)
            return opt + 2;
        opt += optlen;
        len -= optlen;
    }
    return NULL;
}

bool vip_frame_nd_conflict(const uint8_t *frame, size_t len, const struct in6_addr *ip,
                           const uint8_t own_mac[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN])
{
    const uint8_t *ip6 = frame + VIP_ETH_HLEN;
    const uint8_t *icmp = ip6 + IP6_HLEN;
    size_t icmp_len;
    static const uint8_t unspecified[16];

    /* ICMPv6 header (8) + target (16). */
    if (len < VIP_ETH_HLEN + IP6_HLEN + 24 || get16(frame + 12) != ETHERTYPE_IPV6_)
        return false;
    if (memcmp(frame + 6, own_mac, VIP_MAC_LEN) == 0)
        return false;
    if ((ip6[0] >> 4) != 6 || ip6[6] != IP6_NEXT_ICMPV6 || ip6[7] != ND_HOP_LIMIT)
        return false;
    icmp_len = len - VIP_ETH_HLEN - IP6_HLEN;
    if (get16(ip6 + 4) < icmp_len)
        icmp_len = get16(ip6 + 4);
    if (icmp_len < 24 || icmp[1] != 0 || memcmp(icmp + 8, ip, 16) != 0)
        return false;

    if (icmp[0] == ICMP6_NA) {
        const uint8_t *tlla = nd_find_tlla(icmp + 24, icmp_len - 24);

        memcpy(ret_mac, tlla ? tlla : frame + 6, VIP_MAC_LEN);
        return true;
    }
    /* Another host's DAD for the same address (RFC 4862 section 5.4.3). */
    if (icmp[0] == ICMP6_NS && memcmp(ip6 + 8, unspecified, 16) == 0) {
        memcpy(ret_mac, frame + 6, VIP_MAC_LEN);
        return true;
    }
    return false;
}
