/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Duplicate address detection before an address is taken into use.
 *
 * IPv4 has none in the kernel, so the agent probes itself (RFC 5227): ARP
 * requests with sender address 0.0.0.0, which no neighbour's cache learns
 * from, and any ARP that shows another MAC using the address is a conflict.
 *
 * IPv6 has it in the kernel (RFC 4862): the address is added tentative, and
 * the kernel marks it dadfailed when another node defends it. The kernel
 * does not say who did; a packet socket opened before the address is added
 * sees the defender's Neighbor Advertisement and so its MAC.
 */
#ifndef VIP_DAD_H
#define VIP_DAD_H

#include <stdbool.h>
#include <stdint.h>

#include <baton/deadline.h>

#include "vip-addr.h"
#include "vip-decide.h"
#include "vip-netlink.h"

typedef enum vip_dad_result {
    VIP_DAD_OK = 0,             /* nobody else uses the address */
    VIP_DAD_CONFLICT,           /* somebody does (MAC given when seen) */
    VIP_DAD_TIMEOUT,            /* IPv6: the kernel's DAD did not end in time */
} vip_dad_result;

/*
 * Probe for ip on link for timeout_ms (capped by d). Returns a
 * vip_dad_result (>= 0) or a negative errno. On a conflict ret_mac is the
 * other host's MAC.
 */
int vip_dad_probe_v4(const vip_link *link, const vip_addr *ip, int64_t timeout_ms,
                     baton_deadline d, uint8_t ret_mac[VIP_MAC_LEN]);

/* Watches the link for Neighbor Discovery about an IPv6 address. */
typedef struct vip_dad6 vip_dad6;

/* Open before the address is added, so that no answer is missed. */
int vip_dad6_open(const vip_link *link, vip_dad6 **ret);
vip_dad6 *vip_dad6_free(vip_dad6 *w);
BATON_DEFINE_AUTOPTR(vip_dad6, vip_dad6_free)

/*
 * Wait until the kernel's DAD for ip on link ended (the address is no longer
 * tentative, or dadfailed), at most timeout_ms (capped by d). w may be NULL
 * (no MAC then). *ret_have_mac tells whether ret_mac holds the MAC of the
 * node that defended the address.
 */
int vip_dad6_wait(vip_dad6 *w, vip_nl *nl, const vip_link *link, const vip_addr *ip,
                  int64_t timeout_ms, baton_deadline d, bool *ret_have_mac,
                  uint8_t ret_mac[VIP_MAC_LEN]);

#endif /* VIP_DAD_H */
