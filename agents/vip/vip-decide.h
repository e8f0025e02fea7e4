/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's decisions, made on plain values that vip-netlink.c filled in:
 * which interface and prefix serve an address, whether the address is
 * there, what a monitor reports, how many announcement rounds fit in the
 * time left. Pure, for the unit tests.
 */
#ifndef VIP_DECIDE_H
#define VIP_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vip-addr.h"

/* A network interface as RTM_GETLINK describes it. */
typedef struct vip_link {
    int ifindex;
    char name[VIP_IFNAMSIZ];
    unsigned flags;             /* IFF_* including IFF_LOWER_UP */
    uint8_t operstate;          /* IF_OPER_* (RFC 2863) */
    unsigned short type;        /* ARPHRD_* */
    bool has_mac;
    uint8_t mac[VIP_MAC_LEN];   /* valid for ARPHRD_ETHER */
} vip_link;

/* An address as RTM_GETADDR describes it. */
typedef struct vip_ifaddr {
    int ifindex;
    vip_addr addr;              /* IFA_LOCAL (IPv4) / IFA_ADDRESS (IPv6) */
    unsigned prefixlen;
    uint32_t flags;             /* IFA_F_*, from IFA_FLAGS when present */
    char label[VIP_IFNAMSIZ];
} vip_ifaddr;

/* A route as an RTM_GETROUTE dump describes it. */
typedef struct vip_route {
    vip_addr dst;               /* family set even for a default route */
    unsigned dst_len;
    uint32_t table;
    uint8_t type;               /* RTN_* */
    int oif;                    /* 0 when absent (multipath) */
    bool has_gateway;
} vip_route;

/*
 * The route that tells which interface serves ip, like IPaddr2's findif:
 * the longest-prefix unicast route of the main table that contains ip,
 * has no gateway (the prefix is on the link) and has a prefix (a default
 * route says nothing about the link). oif > 0 restricts the choice to that
 * interface. prefix >= 0 (a given cidr_netmask) asks for a route that holds
 * the whole ip/prefix, as findif's `ip route list match ip/prefix`: a
 * cidr_netmask broader than every connected network matches none, since
 * the address would then claim hosts that are not on that link.
 * Returns the index in routes, or -1.
 */
ssize_t vip_route_choose(const vip_route *routes, size_t n, const vip_addr *ip, int oif, int prefix);
/*
 * For IPv6 a given prefix must be the route's own, not only fit inside it:
 * findif's "netmask mismatch" rule, which the stock ocft config IPaddr2v6
 * expects (on IPv6 the prefix length is a property of the link, announced by
 * its routers; another one without an explicit nic is a mistake).
 */

/*
 * Whether the loopback serves ip when nothing else does: for a 127.x.y.z
 * address (IPaddr2's findif falls back to lo's network for those; an LVS
 * direct-routing real server holds its service address there), and where
 * stop and monitor look for it without a nic. Any other address on the
 * loopback belongs to someone else (lvs_support's stopped copy, an admin's).
 */
bool vip_loopback_serves(const vip_addr *ip);

/*
 * A monitor whose nic does not exist. A probe: not running (the address
 * cannot be on an interface this node lacks). A recurring monitor: a failure
 * (1, as IPaddr2 since 3.9.6): the interface the address ran on vanished
 * under it, which "not running" (7) would report as if the address alone had
 * been removed. True when it is a failure.
 */
bool vip_monitor_nic_gone_fails(bool probe);

/*
 * The address ip on interface ifindex (0: on any interface), or NULL.
 * skip_ifindex > 0 ignores that interface (the loopback, when searching).
 */
const vip_ifaddr *vip_ifaddr_find(const vip_ifaddr *addrs, size_t n, const vip_addr *ip,
                                  int ifindex, int skip_ifindex);
/*
 * The prefix length of an address of interface ifindex whose subnet
 * contains ip (the longest such), other than ip itself. -1 when none.
 */
int vip_ifaddr_prefix_for(const vip_ifaddr *addrs, size_t n, const vip_addr *ip, int ifindex);

typedef enum vip_link_state {
    VIP_LINK_UP = 0,
    VIP_LINK_ADMIN_DOWN,        /* IFF_UP clear */
    VIP_LINK_DOWN,              /* operstate DOWN: no carrier */
    VIP_LINK_LOWER_DOWN,        /* operstate LOWERLAYERDOWN (veth peer, bond slaves, vlan parent) */
    VIP_LINK_NOT_PRESENT,       /* operstate NOTPRESENT */
} vip_link_state;

vip_link_state vip_link_state_of(unsigned flags, uint8_t operstate);
/* "administratively down", "down (no carrier)", ... */
const char *vip_link_state_str(vip_link_state s);

typedef enum vip_verdict {
    VIP_RUNNING = 0,
    VIP_ABSENT,                 /* not configured on the interface */
    VIP_LINK_FAILED,            /* configured, but the link does not work */
    VIP_DUPLICATE,              /* IPv6 DAD failed: the address is unusable */
} vip_verdict;

/* What a monitor makes of the address found (NULL: absent) and the link. */
vip_verdict vip_monitor_decide(const vip_ifaddr *found, vip_link_state link, bool check_link);

/*
 * lvs_support (LVS direct routing, as IPaddr2): while the resource is
 * stopped the node still holds the address, on the loopback lo_ifindex, so
 * that it serves what an LVS director routes to it without answering for the
 * address on the network; while it runs, the address is on the interface
 * only. What to change on the loopback next, given the addresses now
 * configured:
 */
typedef enum vip_lvs_step {
    VIP_LVS_DONE = 0,           /* the loopback is as it should be */
    VIP_LVS_ADD_LOOPBACK,       /* stop: put ip/32 (the host prefix) on the loopback */
    VIP_LVS_DEL_LOOPBACK,       /* start: remove *ret, a copy on the loopback */
} vip_lvs_step;

/*
 * started: after start (the address must leave the loopback, every prefix
 * length of it) or after stop (some copy must be there; one with another
 * prefix length the administrator put there will do). *ret is set for
 * VIP_LVS_DEL_LOOPBACK, else NULL.
 */
vip_lvs_step vip_lvs_next(const vip_ifaddr *addrs, size_t n, const vip_addr *ip, int lo_ifindex,
                          bool started, const vip_ifaddr **ret);

/* Whether announcements (ARP/NA) make sense on this link at all. */
bool vip_link_can_announce(const vip_link *l);

/*
 * How many announcement rounds of count, interval_ms apart, fit into
 * remaining_ms (the first is sent at once). At least 1 when count > 0 and
 * anything remains.
 */
int64_t vip_announce_rounds(int64_t count, int64_t interval_ms, int64_t remaining_ms);

#endif /* VIP_DECIDE_H */
