/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/icmp6.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <baton/cleanup.h>
#include <baton/log.h>

#include "vip-announce.h"
#include "vip-frame.h"

/* Time kept back after the last round for the rest of the action. */
#define ANNOUNCE_RESERVE_MS 100

/* Sleep until the monotonic instant at_ms (never past the deadline). */
static void sleep_until_ms(int64_t at_ms)
{
    struct timespec ts = {
        .tv_sec = at_ms / 1000,
        .tv_nsec = (at_ms % 1000) * 1000000L,
    };

    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

static int arp_open(const vip_link *link, struct sockaddr_ll *ret_dst)
{
    /* Protocol 0: this socket only sends, nothing is queued for it. */
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

    if (fd < 0)
        return -errno;
    memset(ret_dst, 0, sizeof(*ret_dst));
    ret_dst->sll_family = AF_PACKET;
    ret_dst->sll_protocol = htons(ETH_P_ARP);
    ret_dst->sll_ifindex = link->ifindex;
    ret_dst->sll_halen = VIP_MAC_LEN;
    memset(ret_dst->sll_addr, 0xff, VIP_MAC_LEN);
    return fd;
}

static int arp_round(int fd, const struct sockaddr_ll *dst, const vip_link *link, const vip_addr *addr)
{
    static const vip_arp_kind kinds[] = { VIP_ARP_ANNOUNCE_REQUEST, VIP_ARP_ANNOUNCE_REPLY };
    uint8_t frame[VIP_ARP_FRAME_LEN];

    /* Both: some neighbours update their caches on requests only, some on replies only. */
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        size_t len = vip_frame_arp_build(frame, sizeof(frame), kinds[i], link->mac, &addr->u.v4);

        if (sendto(fd, frame, len, 0, (const struct sockaddr *) dst, sizeof(*dst)) < 0)
            return -errno;
    }
    return 0;
}

static int na_open(const vip_link *link, const vip_addr *addr, struct sockaddr_in6 *ret_dst)
{
    baton_autoclose int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    struct sockaddr_in6 src = { .sin6_family = AF_INET6, .sin6_addr = addr->u.v6 };
    struct icmp6_filter filter;
    int hops = 255;
    int ifindex = link->ifindex;

    if (fd < 0)
        return -errno;
    /* Nothing is read from this socket. */
    ICMP6_FILTER_SETBLOCKALL(&filter);
    if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0)
        return -errno;
    if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, link->name, (socklen_t) strlen(link->name)) < 0)
        return -errno;
    /* RFC 4861 section 7.1.2: receivers drop ND messages with any other hop limit. */
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0)
        return -errno;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0)
        return -errno;
    if (IN6_IS_ADDR_LINKLOCAL(&src.sin6_addr))
        src.sin6_scope_id = (uint32_t) ifindex;
    /* The source is the address itself; this fails while it is still tentative. */
    if (bind(fd, (const struct sockaddr *) &src, sizeof(src)) < 0)
        return -errno;

    memset(ret_dst, 0, sizeof(*ret_dst));
    ret_dst->sin6_family = AF_INET6;
    ret_dst->sin6_scope_id = (uint32_t) ifindex;
    /* ff02::1, all nodes on the link */
    ret_dst->sin6_addr.s6_addr[0] = 0xff;
    ret_dst->sin6_addr.s6_addr[1] = 0x02;
    ret_dst->sin6_addr.s6_addr[15] = 0x01;
    return baton_take_fd(fd);
}

static int na_round(int fd, const struct sockaddr_in6 *dst, const vip_link *link, const vip_addr *addr)
{
    uint8_t na[VIP_NA_LEN];
    size_t len = vip_frame_na_build(na, sizeof(na), &addr->u.v6, link->mac);

    if (sendto(fd, na, len, 0, (const struct sockaddr *) dst, sizeof(*dst)) < 0)
        return -errno;
    return 0;
}

int vip_announce(const vip_link *link, const vip_addr *addr, int64_t count, int64_t interval_ms,
                 baton_deadline d, int64_t *ret_sent)
{
    baton_autoclose int fd = -1;
    struct sockaddr_ll dst_ll;
    struct sockaddr_in6 dst_in6;
    int64_t rounds, start_ms;
    char ip[VIP_ADDR_STRLEN];

    *ret_sent = 0;
    rounds = vip_announce_rounds(count, interval_ms,
                                 baton_deadline_remaining_ms(d) - ANNOUNCE_RESERVE_MS);
    if (rounds <= 0 && count > 0) {
        baton_warn("no time left to announce %s on %s", vip_addr_format(addr, ip), link->name);
        return 0;
    }
    if (rounds < count)
        baton_warn("announcing %s on %s only %lld of %lld times: %lld ms apart they would not end "
                   "before the operation timeout", vip_addr_format(addr, ip), link->name,
                   (long long) rounds, (long long) count, (long long) interval_ms);

    fd = addr->family == AF_INET ? arp_open(link, &dst_ll) : na_open(link, addr, &dst_in6);
    if (fd < 0)
        return fd;

    start_ms = baton_now_ms();
    for (int64_t i = 0; i < rounds; i++) {
        int r;

        if (i > 0)
            sleep_until_ms(start_ms + i * interval_ms);
        r = addr->family == AF_INET ? arp_round(fd, &dst_ll, link, addr)
                                    : na_round(fd, &dst_in6, link, addr);
        if (r < 0)
            return r;
        (*ret_sent)++;
    }
    return 0;
}
