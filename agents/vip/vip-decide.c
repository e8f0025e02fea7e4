/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <sys/types.h>

#include "vip-decide.h"

ssize_t vip_route_choose(const vip_route *routes, size_t n, const vip_addr *ip, int oif, int prefix)
{
    ssize_t best = -1;

    for (size_t i = 0; i < n; i++) {
        const vip_route *r = &routes[i];

        if (r->dst.family != ip->family || r->table != RT_TABLE_MAIN ||
            r->type != RTN_UNICAST || r->has_gateway || r->oif <= 0 || r->dst_len == 0)
            continue;
        if (oif > 0 && r->oif != oif)
            continue;
        if (!vip_addr_in_prefix(&r->dst, r->dst_len, ip))
            continue;
        if (prefix >= 0 && (ip->family == AF_INET6 ? r->dst_len != (unsigned) prefix
                                                   : r->dst_len > (unsigned) prefix))
            continue;
        /* A /128 or /32 host route to the address itself says nothing about the subnet. */
        if (r->dst_len == vip_addr_max_prefix(ip->family) && vip_addr_equal(&r->dst, ip))
            continue;
        if (best < 0 || r->dst_len > routes[best].dst_len)
            best = (ssize_t) i;
    }
    return best;
}

bool vip_loopback_serves(const vip_addr *ip)
{
    return vip_addr_is_loopback(ip);
}

bool vip_monitor_nic_gone_fails(bool probe)
{
    return !probe;
}

const vip_ifaddr *vip_ifaddr_find(const vip_ifaddr *addrs, size_t n, const vip_addr *ip,
                                  int ifindex, int skip_ifindex)
{
    for (size_t i = 0; i < n; i++) {
        if (ifindex > 0 && addrs[i].ifindex != ifindex)
            continue;
        if (skip_ifindex > 0 && addrs[i].ifindex == skip_ifindex)
            continue;
        if (vip_addr_equal(&addrs[i].addr, ip))
            return &addrs[i];
    }
    return NULL;
}

int vip_ifaddr_prefix_for(const vip_ifaddr *addrs, size_t n, const vip_addr *ip, int ifindex)
{
    int best = -1;

    for (size_t i = 0; i < n; i++) {
        const vip_ifaddr *a = &addrs[i];

        if (a->ifindex != ifindex || vip_addr_equal(&a->addr, ip))
            continue;
        if (a->prefixlen == 0 || !vip_addr_in_prefix(&a->addr, a->prefixlen, ip))
            continue;
        if ((int) a->prefixlen > best)
            best = (int) a->prefixlen;
    }
    return best;
}

vip_link_state vip_link_state_of(unsigned flags, uint8_t operstate)
{
    if (!(flags & IFF_UP))
        return VIP_LINK_ADMIN_DOWN;
    switch (operstate) {
    case IF_OPER_DOWN:
        return VIP_LINK_DOWN;
    case IF_OPER_LOWERLAYERDOWN:
        return VIP_LINK_LOWER_DOWN;
    case IF_OPER_NOTPRESENT:
        return VIP_LINK_NOT_PRESENT;
    default:
        /*
         * UNKNOWN is what drivers without carrier reporting (dummy, tun,
         * some virtual NICs) say; like IPaddr2 it counts as up.
         */
        return VIP_LINK_UP;
    }
}

const char *vip_link_state_str(vip_link_state s)
{
    switch (s) {
    case VIP_LINK_UP:
        return "up";
    case VIP_LINK_ADMIN_DOWN:
        return "administratively down";
    case VIP_LINK_DOWN:
        return "down (no carrier)";
    case VIP_LINK_LOWER_DOWN:
        return "down (lower layer down)";
    case VIP_LINK_NOT_PRESENT:
        return "not present";
    }
    return "in an unknown state";
}

vip_verdict vip_monitor_decide(const vip_ifaddr *found, vip_link_state link, bool check_link)
{
    if (!found)
        return VIP_ABSENT;
    if (found->addr.family == AF_INET6 && (found->flags & IFA_F_DADFAILED))
        return VIP_DUPLICATE;
    if (check_link && link != VIP_LINK_UP)
        return VIP_LINK_FAILED;
    return VIP_RUNNING;
}

vip_lvs_step vip_lvs_next(const vip_ifaddr *addrs, size_t n, const vip_addr *ip, int lo_ifindex,
                          bool started, const vip_ifaddr **ret)
{
    const vip_ifaddr *on_lo = lo_ifindex > 0 ? vip_ifaddr_find(addrs, n, ip, lo_ifindex, 0) : NULL;

    *ret = NULL;
    if (started && on_lo) {
        *ret = on_lo;
        return VIP_LVS_DEL_LOOPBACK;
    }
    if (!started && !on_lo && lo_ifindex > 0)
        return VIP_LVS_ADD_LOOPBACK;
    return VIP_LVS_DONE;
}

bool vip_link_can_announce(const vip_link *l)
{
    return l->type == ARPHRD_ETHER && l->has_mac && !(l->flags & (IFF_NOARP | IFF_LOOPBACK));
}

int64_t vip_announce_rounds(int64_t count, int64_t interval_ms, int64_t remaining_ms)
{
    int64_t fit;

    if (count <= 0 || remaining_ms <= 0)
        return 0;
    if (interval_ms <= 0)
        return count;
    /* Round 1 at 0, round k at (k-1)*interval: k rounds need (k-1)*interval. */
    fit = remaining_ms / interval_ms + 1;
    return fit < count ? fit : count;
}
