/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/filter.h>
#include <linux/if_addr.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <baton/cleanup.h>
#include <baton/log.h>

#include "vip-dad.h"
#include "vip-frame.h"

/* RFC 5227 PROBE_NUM. */
#define V4_PROBES 3
/* How often the IPv6 address's flags are read while the kernel's DAD runs. */
#define V6_POLL_MS 50

struct vip_dad6 {
    int fd;
    uint8_t own_mac[VIP_MAC_LEN];
};

/*
 * A packet socket that receives protocol frames of link only. Created
 * unbound (protocol 0) so that nothing from other links is queued before
 * bind() narrows it.
 */
static int packet_listen(const vip_link *link, uint16_t proto, const struct sock_fprog *filter)
{
    baton_autoclose int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    struct sockaddr_ll sll = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(proto),
        .sll_ifindex = link->ifindex,
    };

    if (fd < 0)
        return -errno;
    if (filter && setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, filter, sizeof(*filter)) < 0)
        return -errno;
    if (bind(fd, (const struct sockaddr *) &sll, sizeof(sll)) < 0)
        return -errno;
    return baton_take_fd(fd);
}

typedef bool (*conflict_fn)(const uint8_t *frame, size_t len, const vip_addr *ip,
                            const uint8_t own[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN]);

static bool arp_conflict(const uint8_t *frame, size_t len, const vip_addr *ip,
                         const uint8_t own[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN])
{
    return vip_frame_arp_conflict(frame, len, &ip->u.v4, own, ret_mac);
}

static bool nd_conflict(const uint8_t *frame, size_t len, const vip_addr *ip,
                        const uint8_t own[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN])
{
    return vip_frame_nd_conflict(frame, len, &ip->u.v6, own, ret_mac);
}

/*
 * Read what is queued without waiting. Returns 1 when a frame showed a
 * conflict (MAC in ret_mac), 0 when none did, or a negative errno.
 */
static int drain(int fd, conflict_fn is_conflict, const vip_addr *ip,
                 const uint8_t own[VIP_MAC_LEN], uint8_t ret_mac[VIP_MAC_LEN])
{
    uint8_t frame[2048];

    for (;;) {
        struct sockaddr_ll from;
        socklen_t fromlen = sizeof(from);
        ssize_t n = recvfrom(fd, frame, sizeof(frame), MSG_DONTWAIT,
                             (struct sockaddr *) &from, &fromlen);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            return -errno;
        }
        if (from.sll_pkttype == PACKET_OUTGOING)
            continue;
        if (is_conflict(frame, (size_t) n, ip, own, ret_mac))
            return 1;
    }
}

/* Wait for fd to become readable until the monotonic instant until_ms. */
static int wait_readable(int fd, int64_t until_ms)
{
    int64_t left = until_ms - baton_now_ms();
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    int r;

    if (left <= 0)
        return 0;
    r = poll(&pfd, fd >= 0 ? 1 : 0, left > 60000 ? 60000 : (int) left);
    if (r < 0)
        return errno == EINTR ? 0 : -errno;
    return r;
}

static int64_t end_of(int64_t timeout_ms, baton_deadline d)
{
    int64_t left = baton_deadline_remaining_ms(d);

    return baton_now_ms() + (timeout_ms < left ? timeout_ms : left);
}

int vip_dad_probe_v4(const vip_link *link, const vip_addr *ip, int64_t timeout_ms,
                     baton_deadline d, uint8_t ret_mac[VIP_MAC_LEN])
{
    baton_autoclose int fd = packet_listen(link, ETH_P_ARP, NULL);
    struct sockaddr_ll dst = {
        .sll_family = AF_PACKET,
        .sll_protocol = htons(ETH_P_ARP),
        .sll_ifindex = link->ifindex,
        .sll_halen = VIP_MAC_LEN,
    };
    uint8_t probe[VIP_ARP_FRAME_LEN];
    size_t len;
    int64_t start = baton_now_ms(), end = end_of(timeout_ms, d);
    int sent = 0;

    if (fd < 0)
        return fd;
    memset(dst.sll_addr, 0xff, VIP_MAC_LEN);
    len = vip_frame_arp_build(probe, sizeof(probe), VIP_ARP_PROBE, link->mac, &ip->u.v4);

    for (;;) {
        /* The probes are spread evenly over the time, the first at once. */
        int64_t next_probe = start + sent * (end - start) / V4_PROBES;
        int64_t now = baton_now_ms();
        int r;

        if (sent < V4_PROBES && now >= next_probe) {
            if (sendto(fd, probe, len, 0, (const struct sockaddr *) &dst, sizeof(dst)) < 0)
                return -errno;
            sent++;
            continue;
        }
        if (now >= end)
            break;
        r = wait_readable(fd, sent < V4_PROBES && next_probe < end ? next_probe : end);
        if (r < 0)
            return r;
        if (r > 0) {
            r = drain(fd, arp_conflict, ip, link->mac, ret_mac);
            if (r != 0)
                return r < 0 ? r : VIP_DAD_CONFLICT;
        }
    }
    /* A last look at what arrived with the deadline. */
    {
        int r = drain(fd, arp_conflict, ip, link->mac, ret_mac);

        if (r != 0)
            return r < 0 ? r : VIP_DAD_CONFLICT;
    }
    return VIP_DAD_OK;
}

int vip_dad6_open(const vip_link *link, vip_dad6 **ret)
{
    /* IPv6, next header ICMPv6 (no extension headers in ND), type NS or NA. */
    static struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, 0, 6),
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 4),
        BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 54),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 135, 1, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 136, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, 0xffff),
        BPF_STMT(BPF_RET | BPF_K, 0),
    };
    static const struct sock_fprog prog = {
        .len = sizeof(code) / sizeof(code[0]),
        .filter = code,
    };
    vip_dad6 *w;
    int fd = packet_listen(link, ETH_P_IPV6, &prog);

    if (fd < 0)
        return fd;
    w = calloc(1, sizeof(*w));
    if (!w) {
        close(fd);
        return -ENOMEM;
    }
    w->fd = fd;
    memcpy(w->own_mac, link->mac, VIP_MAC_LEN);
    *ret = w;
    return 0;
}

vip_dad6 *vip_dad6_free(vip_dad6 *w)
{
    if (w) {
        baton_closep(&w->fd);
        free(w);
    }
    return NULL;
}

/* Flags of ip on ifindex: 0 and *ret_flags, or -ENOENT when it is gone. */
static int addr_flags(vip_nl *nl, const vip_link *link, const vip_addr *ip, baton_deadline d,
                      uint32_t *ret_flags)
{
    baton_autofree vip_ifaddr *addrs = NULL;
    const vip_ifaddr *a;
    size_t n = 0;
    int r;

    r = vip_nl_addrs(nl, ip->family, d, &addrs, &n);
    if (r < 0)
        return r;
    a = vip_ifaddr_find(addrs, n, ip, link->ifindex, 0);
    if (!a)
        return -ENOENT;
    *ret_flags = a->flags;
    return 0;
}

int vip_dad6_wait(vip_dad6 *w, vip_nl *nl, const vip_link *link, const vip_addr *ip,
                  int64_t timeout_ms, baton_deadline d, bool *ret_have_mac,
                  uint8_t ret_mac[VIP_MAC_LEN])
{
    int64_t end = end_of(timeout_ms, d);

    *ret_have_mac = false;
    for (;;) {
        uint32_t flags = 0;
        int r;

        /* The defender's advertisement is queued here before the kernel acts on it. */
        if (w && !*ret_have_mac) {
            r = drain(w->fd, nd_conflict, ip, w->own_mac, ret_mac);
            if (r < 0)
                return r;
            *ret_have_mac = r > 0;
        }
        r = addr_flags(nl, link, ip, d, &flags);
        if (r < 0)
            return r;
        if (flags & IFA_F_DADFAILED) {
            if (w && !*ret_have_mac)
                *ret_have_mac = drain(w->fd, nd_conflict, ip, w->own_mac, ret_mac) > 0;
            return VIP_DAD_CONFLICT;
        }
        if (!(flags & IFA_F_TENTATIVE))
            return VIP_DAD_OK;
        if (baton_now_ms() >= end)
            return VIP_DAD_TIMEOUT;
        {
            int64_t until = baton_now_ms() + V6_POLL_MS;

            r = wait_readable(w && !*ret_have_mac ? w->fd : -1, until < end ? until : end);
            if (r < 0)
                return r;
        }
    }
}
