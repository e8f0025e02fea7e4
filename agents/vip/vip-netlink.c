/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include <baton/log.h>

#include "vip-netlink.h"

/*
 * Large enough for one message of any dump: the kernel sizes dump messages
 * after the largest buffer the reader ever offered, at most 32 KiB.
 */
#define VIP_NL_BUFSIZE 32768

struct vip_nl {
    struct mnl_socket *sock;
    unsigned portid;
    unsigned seq;
    char *buf;
};

vip_nl *vip_nl_close(vip_nl *nl)
{
    if (!nl)
        return NULL;
    if (nl->sock)
        mnl_socket_close(nl->sock);
    free(nl->buf);
    free(nl);
    return NULL;
}

int vip_nl_open(vip_nl **ret)
{
    baton_autoptr(vip_nl) nl = calloc(1, sizeof(*nl));

    if (!nl)
        return -ENOMEM;
    nl->buf = malloc(VIP_NL_BUFSIZE);
    if (!nl->buf)
        return -ENOMEM;
    nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
    if (!nl->sock)
        return -errno;
    if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
        return -errno;
    nl->portid = mnl_socket_get_portid(nl->sock);
    nl->seq = (unsigned) time(NULL);
    *ret = baton_take_ptr(nl);
    return 0;
}

/* Collects a callback's own failure, which libmnl cannot carry. */
typedef struct nl_cb_ctx {
    void *data;
    int err;
} nl_cb_ctx;

static struct nlmsghdr *nl_request(vip_nl *nl, uint16_t type, uint16_t flags)
{
    struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->buf);

    nlh->nlmsg_type = type;
    nlh->nlmsg_flags = NLM_F_REQUEST | flags;
    nlh->nlmsg_seq = ++nl->seq;
    return nlh;
}

/*
 * Send the request in nl->buf and process answers until the kernel's
 * ACK/DONE, each read waiting no longer than the deadline allows.
 */
/* Whether the buffer holds the end of a dump (DONE, or an error). */
static bool nl_buf_has_end(const void *buf, size_t len)
{
    const struct nlmsghdr *nlh = buf;
    int left = (int) len;

    for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
        if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
            return true;
    }
    return false;
}

static int nl_transact(vip_nl *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data, baton_deadline d)
{
    unsigned seq = nlh->nlmsg_seq;
    int fd = mnl_socket_get_fd(nl->sock);
    bool interrupted = false;

    if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
        return -errno;

    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;
        int r;

        r = poll(&pfd, 1, baton_deadline_poll_timeout(d));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            return -ETIME;
        n = mnl_socket_recvfrom(nl->sock, nl->buf, VIP_NL_BUFSIZE);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (interrupted) {
            if (nl_buf_has_end(nl->buf, (size_t) n))
                return -EINTR;
            continue;
        }
        errno = 0;
        r = mnl_cb_run(nl->buf, (size_t) n, seq, nl->portid, cb, data);
        if (r == MNL_CB_STOP)
            return 0;
        if (r < 0 && errno == EINTR) {
            /*
             * The dump changed under us (NLM_F_DUMP_INTR): read it to its
             * end so that the socket is clean, and let the caller retry.
             */
            if (nl_buf_has_end(nl->buf, (size_t) n))
                return -EINTR;
            interrupted = true;
            continue;
        }
        if (r < 0) {
            nl_cb_ctx *c = data;

            if (cb && c && c->err < 0)
                return c->err;
            return errno ? -errno : -EIO;
        }
    }
}

/* ------------------------------------------------------------------ links */

static int link_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;
    int type = mnl_attr_get_type(attr);

    if (mnl_attr_type_valid(attr, IFLA_MAX) > 0)
        tb[type] = attr;
    return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
    nl_cb_ctx *c = data;
    vip_link *l = c->data;
    const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFLA_MAX + 1] = { 0 };

    if (nlh->nlmsg_type != RTM_NEWLINK)
        return MNL_CB_OK;
    if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, tb) < 0)
        return MNL_CB_ERROR;
    memset(l, 0, sizeof(*l));
    l->ifindex = ifi->ifi_index;
    l->flags = ifi->ifi_flags;
    l->type = ifi->ifi_type;
    if (tb[IFLA_IFNAME]) {
        const char *name = mnl_attr_get_str(tb[IFLA_IFNAME]);
        size_t len = strnlen(name, sizeof(l->name) - 1);

        memcpy(l->name, name, len);
        l->name[len] = '\0';
    }
    if (tb[IFLA_OPERSTATE])
        l->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
    if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == VIP_MAC_LEN) {
        memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), VIP_MAC_LEN);
        l->has_mac = true;
    }
    return MNL_CB_OK;
}

static int link_get(vip_nl *nl, int ifindex, const char *name, baton_deadline d, vip_link *ret)
{
    /* NLM_F_ACK: the ACK after the answer tells that nothing else follows. */
    struct nlmsghdr *nlh = nl_request(nl, RTM_GETLINK, NLM_F_ACK);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
    vip_link l = { .ifindex = 0 };
    nl_cb_ctx c = { .data = &l };
    int r;

    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = ifindex;
    if (name)
        mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
    /* The statistics are most of a link message, and of no use here. */
    mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);

    r = nl_transact(nl, nlh, link_cb, &c, d);
    if (r < 0)
        return r;
    if (l.ifindex <= 0)
        return -ENODEV;
    *ret = l;
    return 0;
}

int vip_nl_link_by_name(vip_nl *nl, const char *name, baton_deadline d, vip_link *ret)
{
    return link_get(nl, 0, name, d, ret);
}

int vip_nl_link_by_index(vip_nl *nl, int ifindex, baton_deadline d, vip_link *ret)
{
    return link_get(nl, ifindex, NULL, d, ret);
}

int vip_nl_link_set_up(vip_nl *nl, int ifindex, baton_deadline d)
{
    struct nlmsghdr *nlh = nl_request(nl, RTM_NEWLINK, NLM_F_ACK);
    struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

    ifi->ifi_family = AF_UNSPEC;
    ifi->ifi_index = ifindex;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    return nl_transact(nl, nlh, NULL, NULL, d);
}

/* ------------------------------------------------------------------ lists */

typedef struct vec {
    void *items;
    size_t n, cap, size;
} vec;

static void *vec_push(vec *v)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *p = reallocarray(v->items, cap, v->size);

        if (!p)
            return NULL;
        v->items = p;
        v->cap = cap;
    }
    return memset((char *) v->items + v->n++ * v->size, 0, v->size);
}

static int addr_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;

    if (mnl_attr_type_valid(attr, IFA_MAX) > 0)
        tb[mnl_attr_get_type(attr)] = attr;
    return MNL_CB_OK;
}

static bool attr_to_addr(const struct nlattr *a, int family, vip_addr *ret)
{
    size_t len = family == AF_INET ? 4 : 16;

    if (!a || mnl_attr_get_payload_len(a) != len)
        return false;
    ret->family = family;
    memcpy(ret->u.bytes, mnl_attr_get_payload(a), len);
    return true;
}

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
    nl_cb_ctx *c = data;
    vec *v = c->data;
    const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[IFA_MAX + 1] = { 0 };
    vip_ifaddr a = { .ifindex = (int) ifa->ifa_index };
    vip_ifaddr *slot;

    if (nlh->nlmsg_type != RTM_NEWADDR)
        return MNL_CB_OK;
    if (mnl_attr_parse(nlh, sizeof(*ifa), addr_attr_cb, tb) < 0)
        return MNL_CB_ERROR;
    /* IFA_LOCAL is the address itself; IFA_ADDRESS is the peer on point-to-point links. */
    if (!attr_to_addr(tb[IFA_LOCAL], ifa->ifa_family, &a.addr) &&
        !attr_to_addr(tb[IFA_ADDRESS], ifa->ifa_family, &a.addr))
        return MNL_CB_OK;
    a.prefixlen = ifa->ifa_prefixlen;
    a.flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
    if (tb[IFA_LABEL]) {
        const char *label = mnl_attr_get_str(tb[IFA_LABEL]);
        size_t len = strnlen(label, sizeof(a.label) - 1);

        memcpy(a.label, label, len);
        a.label[len] = '\0';
    }
    slot = vec_push(v);
    if (!slot) {
        c->err = -ENOMEM;
        return MNL_CB_ERROR;
    }
    *slot = a;
    return MNL_CB_OK;
}

/* A dump that changed while it was read is read again, a few times. */
#define NL_DUMP_TRIES 3

static int addrs_once(vip_nl *nl, int family, baton_deadline d, vip_ifaddr **ret, size_t *ret_n)
{
    struct nlmsghdr *nlh = nl_request(nl, RTM_GETADDR, NLM_F_DUMP);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    vec v = { .size = sizeof(vip_ifaddr) };
    nl_cb_ctx c = { .data = &v };
    int r;

    ifa->ifa_family = (uint8_t) family;
    r = nl_transact(nl, nlh, addr_cb, &c, d);
    if (r < 0) {
        free(v.items);
        return r;
    }
    *ret = v.items;
    *ret_n = v.n;
    return 0;
}

static int route_attr_cb(const struct nlattr *attr, void *data)
{
    const struct nlattr **tb = data;

    if (mnl_attr_type_valid(attr, RTA_MAX) > 0)
        tb[mnl_attr_get_type(attr)] = attr;
    return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
    nl_cb_ctx *c = data;
    vec *v = c->data;
    const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
    const struct nlattr *tb[RTA_MAX + 1] = { 0 };
    vip_route rt = { .dst_len = rtm->rtm_dst_len, .table = rtm->rtm_table, .type = rtm->rtm_type };
    vip_route *slot;

    if (nlh->nlmsg_type != RTM_NEWROUTE)
        return MNL_CB_OK;
    if (mnl_attr_parse(nlh, sizeof(*rtm), route_attr_cb, tb) < 0)
        return MNL_CB_ERROR;
    rt.dst.family = rtm->rtm_family;
    if (tb[RTA_DST])
        attr_to_addr(tb[RTA_DST], rtm->rtm_family, &rt.dst);
    if (tb[RTA_TABLE])
        rt.table = mnl_attr_get_u32(tb[RTA_TABLE]);
    if (tb[RTA_OIF])
        rt.oif = (int) mnl_attr_get_u32(tb[RTA_OIF]);
    rt.has_gateway = tb[RTA_GATEWAY] || tb[RTA_VIA] || tb[RTA_MULTIPATH];
    slot = vec_push(v);
    if (!slot) {
        c->err = -ENOMEM;
        return MNL_CB_ERROR;
    }
    *slot = rt;
    return MNL_CB_OK;
}

int vip_nl_addrs(vip_nl *nl, int family, baton_deadline d, vip_ifaddr **ret, size_t *ret_n)
{
    int r = -EINTR;

    for (int i = 0; i < NL_DUMP_TRIES && r == -EINTR; i++)
        r = addrs_once(nl, family, d, ret, ret_n);
    return r;
}

static int routes_once(vip_nl *nl, int family, baton_deadline d, vip_route **ret, size_t *ret_n)
{
    struct nlmsghdr *nlh = nl_request(nl, RTM_GETROUTE, NLM_F_DUMP);
    struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
    vec v = { .size = sizeof(vip_route) };
    nl_cb_ctx c = { .data = &v };
    int r;

    rtm->rtm_family = (uint8_t) family;
    r = nl_transact(nl, nlh, route_cb, &c, d);
    if (r < 0) {
        free(v.items);
        return r;
    }
    *ret = v.items;
    *ret_n = v.n;
    return 0;
}

int vip_nl_routes(vip_nl *nl, int family, baton_deadline d, vip_route **ret, size_t *ret_n)
{
    int r = -EINTR;

    for (int i = 0; i < NL_DUMP_TRIES && r == -EINTR; i++)
        r = routes_once(nl, family, d, ret, ret_n);
    return r;
}

/* ------------------------------------------------------------------ changes */

int vip_nl_addr_add(vip_nl *nl, const vip_addr_spec *s, baton_deadline d)
{
    struct nlmsghdr *nlh = nl_request(nl, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
    size_t len = vip_addr_len(&s->addr);

    ifa->ifa_family = (uint8_t) s->addr.family;
    ifa->ifa_prefixlen = (uint8_t) s->prefixlen;
    /* The old 8-bit field for kernels without IFA_FLAGS; IFA_FLAGS carries all. */
    ifa->ifa_flags = (uint8_t) (s->flags & 0xff);
    /* The kernel takes 127.x only with host scope (what `ip addr add` picks for it too). */
    ifa->ifa_scope = vip_addr_is_loopback(&s->addr) ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
    ifa->ifa_index = (unsigned) s->ifindex;

    mnl_attr_put(nlh, IFA_LOCAL, len, s->addr.u.bytes);
    mnl_attr_put(nlh, IFA_ADDRESS, len, s->addr.u.bytes);
    if (s->has_brd && s->addr.family == AF_INET)
        mnl_attr_put(nlh, IFA_BROADCAST, 4, s->brd.u.bytes);
    if (s->label[0] && s->addr.family == AF_INET)
        mnl_attr_put_strz(nlh, IFA_LABEL, s->label);
    if (s->flags)
        mnl_attr_put_u32(nlh, IFA_FLAGS, s->flags);
    if (!s->lft_forever) {
        struct ifa_cacheinfo ci = {
            .ifa_prefered = s->preferred_lft,
            .ifa_valid = 0xffffffffu,
        };

        mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
    }
    return nl_transact(nl, nlh, NULL, NULL, d);
}

int vip_nl_addr_del(vip_nl *nl, const vip_ifaddr *a, baton_deadline d)
{
    struct nlmsghdr *nlh = nl_request(nl, RTM_DELADDR, NLM_F_ACK);
    struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));

    ifa->ifa_family = (uint8_t) a->addr.family;
    ifa->ifa_prefixlen = (uint8_t) a->prefixlen;
    ifa->ifa_index = (unsigned) a->ifindex;
    /*
     * IPv4 matches IFA_LOCAL alone (an IFA_ADDRESS would also have to match
     * the prefix); IPv6 takes either.
     */
    mnl_attr_put(nlh, IFA_LOCAL, vip_addr_len(&a->addr), a->addr.u.bytes);
    return nl_transact(nl, nlh, NULL, NULL, d);
}
