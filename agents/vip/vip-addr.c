/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "vip-addr.h"

int vip_addr_parse(const char *s, vip_addr *ret)
{
    vip_addr a = { 0 };

    if (!s || !*s)
        return -EINVAL;
    /*
     * inet_pton() is strict where inet_aton() is not: "10.1" or "010.0.0.1"
     * are rejected instead of being read as something the admin did not
     * mean.
     */
    if (strchr(s, ':')) {
        if (inet_pton(AF_INET6, s, &a.u.v6) != 1)
            return -EINVAL;
        a.family = AF_INET6;
    } else {
        if (inet_pton(AF_INET, s, &a.u.v4) != 1)
            return -EINVAL;
        a.family = AF_INET;
    }
    *ret = a;
    return 0;
}

const char *vip_addr_unusable_reason(const vip_addr *a)
{
    if (a->family == AF_INET) {
        uint32_t h = ntohl(a->u.v4.s_addr);

        if (h == 0)
            return "the unspecified address";
        if (h == 0xffffffffu)
            return "the limited broadcast address";
        if ((h >> 28) == 0xe)
            return "a multicast address";
        return NULL;
    }
    if (a->family == AF_INET6) {
        if (IN6_IS_ADDR_UNSPECIFIED(&a->u.v6))
            return "the unspecified address";
        if (IN6_IS_ADDR_MULTICAST(&a->u.v6))
            return "a multicast address";
        return NULL;
    }
    return "not an address";
}

bool vip_addr_is_link_local(const vip_addr *a)
{
    return a->family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&a->u.v6);
}

bool vip_addr_is_loopback(const vip_addr *a)
{
    if (a->family == AF_INET)
        return (ntohl(a->u.v4.s_addr) >> 24) == 127;
    return a->family == AF_INET6 && IN6_IS_ADDR_LOOPBACK(&a->u.v6);
}

size_t vip_addr_len(const vip_addr *a)
{
    switch (a->family) {
    case AF_INET:
        return 4;
    case AF_INET6:
        return 16;
    default:
        return 0;
    }
}

unsigned vip_addr_max_prefix(int family)
{
    return family == AF_INET6 ? 128 : 32;
}

bool vip_addr_equal(const vip_addr *a, const vip_addr *b)
{
    return a->family == b->family && a->family != 0 &&
           memcmp(a->u.bytes, b->u.bytes, vip_addr_len(a)) == 0;
}

bool vip_addr_in_prefix(const vip_addr *net, unsigned prefixlen, const vip_addr *a)
{
    size_t full, len = vip_addr_len(a);
    unsigned rest;

    if (net->family != a->family || len == 0 || prefixlen > len * 8)
        return false;
    full = prefixlen / 8;
    rest = prefixlen % 8;
    if (memcmp(net->u.bytes, a->u.bytes, full) != 0)
        return false;
    if (rest) {
        uint8_t mask = (uint8_t) (0xff << (8 - rest));

        if ((net->u.bytes[full] & mask) != (a->u.bytes[full] & mask))
            return false;
    }
    return true;
}

void vip_addr_host_bits(const vip_addr *a, unsigned prefixlen, bool set, vip_addr *ret)
{
    vip_addr r = *a;
    size_t len = vip_addr_len(a);

    for (size_t i = 0; i < len; i++) {
        unsigned first = (unsigned) i * 8;
        uint8_t host;

        if (prefixlen >= first + 8)
            continue;
        host = prefixlen <= first ? 0xff : (uint8_t) (0xff >> (prefixlen - first));
        if (set)
            r.u.bytes[i] |= host;
        else
            r.u.bytes[i] &= (uint8_t) ~host;
    }
    *ret = r;
}

const char *vip_addr_format(const vip_addr *a, char *buf)
{
    if (!inet_ntop(a->family, a->u.bytes, buf, VIP_ADDR_STRLEN))
        snprintf(buf, VIP_ADDR_STRLEN, "(invalid)");
    return buf;
}

const char *vip_mac_format(const uint8_t mac[VIP_MAC_LEN], char *buf)
{
    snprintf(buf, VIP_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
             mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}
