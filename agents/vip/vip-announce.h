/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Telling the neighbours that an address now lives here: gratuitous ARP for
 * IPv4 (over a packet socket), unsolicited Neighbor Advertisements for IPv6
 * (over an ICMPv6 raw socket, from the address itself). Synchronous: the
 * agent waits out the interval itself, so no child outlives the action and
 * nobody reading the action's output waits for one (IPaddr2's background
 * send_arp held the caller's stdout open for count * interval).
 */
#ifndef VIP_ANNOUNCE_H
#define VIP_ANNOUNCE_H

#include <stdint.h>

#include <baton/deadline.h>

#include "vip-addr.h"
#include "vip-decide.h"

/*
 * Send up to count rounds, interval_ms apart, for addr on link; fewer when
 * they would not end before d (logged). *ret_sent counts the rounds that
 * went out. 0 or a negative errno from the first round that failed.
 */
int vip_announce(const vip_link *link, const vip_addr *addr, int64_t count, int64_t interval_ms,
                 baton_deadline d, int64_t *ret_sent);

#endif /* VIP_ANNOUNCE_H */
