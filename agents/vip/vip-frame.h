/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The frames the agent sends and the frames it looks for, as bytes. Pure:
 * vip-announce.c and vip-dad.c only move these through sockets.
 *
 * Ethernet only: the agent announces and probes on ARPHRD_ETHER links
 * (Ethernet, bonds, bridges, VLANs, veth, macvlan); on other links it
 * leaves neighbour discovery to the kernel.
 */
#ifndef VIP_FRAME_H
#define VIP_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "vip-addr.h"

#define VIP_ETH_HLEN 14
/* Ethernet header + ARP for IPv4 over Ethernet (28 bytes). */
#define VIP_ARP_FRAME_LEN 42
/* ICMPv6 Neighbor Advertisement (24) + target link-layer address option (8). */
#define VIP_NA_LEN 32

typedef enum vip_arp_kind {
    /* Gratuitous request: sender = target = ip, target MAC zero (RFC 5227 announcement). */
    VIP_ARP_ANNOUNCE_REQUEST,
    /* Gratuitous reply: sender = target = ip, target MAC = ours (arping -A). */
    VIP_ARP_ANNOUNCE_REPLY,
    /* Probe: sender ip 0.0.0.0, target ip (RFC 5227 section 2.1.1). */
    VIP_ARP_PROBE,
} vip_arp_kind;

/*
 * Build a broadcast ARP frame from mac about ip into buf (at least
 * VIP_ARP_FRAME_LEN bytes). Returns the length, or 0 when buf is too small.
 */
size_t vip_frame_arp_build(uint8_t *buf, size_t len, vip_arp_kind kind,
                           const uint8_t mac[VIP_MAC_LEN], const struct in_addr *ip);

/*
 * Build an unsolicited Neighbor Advertisement for target (RFC 4861 section
 * 7.2.6: Override set, Solicited clear, target link-layer address option)
 * into buf (at least VIP_NA_LEN bytes). The checksum is left 0: the kernel
 * computes it for ICMPv6 raw sockets. Returns the length, or 0.
 */
size_t vip_frame_na_build(uint8_t *buf, size_t len, const struct in6_addr *target,
                          const uint8_t mac[VIP_MAC_LEN]);

/*
 * Whether an Ethernet frame (with its header) shows another host (not
 * own_mac) using ip: an ARP request or reply with sender address ip, or an
 * ARP probe for ip. *ret_mac is the other host's MAC (the ARP sender).
 */
bool vip_frame_arp_conflict(const uint8_t *frame, size_t len, const struct in_addr *ip,
                            const uint8_t own_mac[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN]);

/*
 * Whether an Ethernet frame shows another host using or claiming ip: a
 * Neighbor Advertisement for target ip, or a DAD Neighbor Solicitation
 * (from ::) for ip. *ret_mac is the target link-layer address option of the
 * advertisement, else the frame's source MAC.
 */
bool vip_frame_nd_conflict(const uint8_t *frame, size_t len, const struct in6_addr *ip,
                           const uint8_t own_mac[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN]);

#endif /* VIP_FRAME_H */
