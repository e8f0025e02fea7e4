/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Addresses and prefixes of either family, as plain values. Pure: no I/O,
 * so every rule about what an acceptable virtual address is can be unit
 * tested.
 */
#ifndef VIP_ADDR_H
#define VIP_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>
#include <arpa/inet.h>

/* Big enough for either family's text form. */
#define VIP_ADDR_STRLEN INET6_ADDRSTRLEN
/* "aa:bb:cc:dd:ee:ff" */
#define VIP_MAC_STRLEN 18
#define VIP_MAC_LEN 6
/* IFNAMSIZ, without <net/if.h>, which clashes with <linux/if.h>. */
#define VIP_IFNAMSIZ 16

typedef struct vip_addr {
    int family;                 /* AF_INET or AF_INET6; 0 when unset */
    union {
        struct in_addr v4;
        struct in6_addr v6;
        uint8_t bytes[16];
    } u;
} vip_addr;

/*
 * Parse a bare address (no "/prefix", no "%scope"). 0, or -EINVAL when it
 * is not an address of either family.
 */
int vip_addr_parse(const char *s, vip_addr *ret);
/*
 * Whether the address can be a unicast host address at all: not
 * unspecified, multicast, or the IPv4 limited broadcast. Returns NULL when
 * it can, else why not (a static string).
 */
const char *vip_addr_unusable_reason(const vip_addr *a);
bool vip_addr_is_link_local(const vip_addr *a);
/* 127.0.0.0/8 or ::1: an address only the loopback interface can serve. */
bool vip_addr_is_loopback(const vip_addr *a);

/* 4 or 16 (0 for an unset address). */
size_t vip_addr_len(const vip_addr *a);
/* 32 or 128. */
unsigned vip_addr_max_prefix(int family);
bool vip_addr_equal(const vip_addr *a, const vip_addr *b);
/* Whether a lies in net/prefixlen (same family required). */
bool vip_addr_in_prefix(const vip_addr *net, unsigned prefixlen, const vip_addr *a);
/* a with its host bits (beyond prefixlen) all set or all cleared. */
void vip_addr_host_bits(const vip_addr *a, unsigned prefixlen, bool set, vip_addr *ret);
/* Text form into buf (VIP_ADDR_STRLEN bytes); returns buf. */
const char *vip_addr_format(const vip_addr *a, char *buf);

/* "aa:bb:cc:dd:ee:ff" into buf (VIP_MAC_STRLEN bytes); returns buf. */
const char *vip_mac_format(const uint8_t mac[VIP_MAC_LEN], char *buf);

#endif /* VIP_ADDR_H */
