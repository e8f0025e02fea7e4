/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rtnetlink requests the agent needs (libmnl), each one waiting at most
 * until the action's deadline. All return 0 or a negative errno: the
 * kernel's answer (-ENODEV, -EPERM, -EEXIST, ...), or -ETIME when the
 * deadline passed first.
 */
#ifndef VIP_NETLINK_H
#define VIP_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <baton/cleanup.h>
#include <baton/deadline.h>

#include "vip-addr.h"
#include "vip-decide.h"

typedef struct vip_nl vip_nl;

int vip_nl_open(vip_nl **ret);
vip_nl *vip_nl_close(vip_nl *nl);
BATON_DEFINE_AUTOPTR(vip_nl, vip_nl_close)

/* -ENODEV when there is no such interface. */
int vip_nl_link_by_name(vip_nl *nl, const char *name, baton_deadline d, vip_link *ret);
int vip_nl_link_by_index(vip_nl *nl, int ifindex, baton_deadline d, vip_link *ret);
int vip_nl_link_set_up(vip_nl *nl, int ifindex, baton_deadline d);

/* Every address of the family; *ret is freed by the caller. */
int vip_nl_addrs(vip_nl *nl, int family, baton_deadline d, vip_ifaddr **ret, size_t *ret_n);
/* Every route of the family, all tables; *ret is freed by the caller. */
int vip_nl_routes(vip_nl *nl, int family, baton_deadline d, vip_route **ret, size_t *ret_n);

/* What to add: "ip addr add addr/prefixlen [brd] dev ifindex [label] [flags] [lft]". */
typedef struct vip_addr_spec {
    int ifindex;
    vip_addr addr;
    unsigned prefixlen;
    bool has_brd;
    vip_addr brd;
    char label[VIP_IFNAMSIZ];   /* "" = none */
    bool lft_forever;
    uint32_t preferred_lft;
    uint32_t flags;             /* IFA_F_NODAD, IFA_F_NOPREFIXROUTE */
} vip_addr_spec;

/* -EEXIST when the address is there already. */
int vip_nl_addr_add(vip_nl *nl, const vip_addr_spec *spec, baton_deadline d);
/* -EADDRNOTAVAIL (or -ENOENT) when it is gone already. */
int vip_nl_addr_del(vip_nl *nl, const vip_ifaddr *a, baton_deadline d);

#endif /* VIP_NETLINK_H */
