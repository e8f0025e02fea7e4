/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:vip - a virtual IPv4/IPv6 address, the job of IPaddr2, over
 * rtnetlink and raw sockets without running any program.
 *
 * Exit codes, where the OCF spec leaves a choice:
 *  - a parameter that cannot be right anywhere (ip does not parse, prefix
 *    out of range for the family, label too long for the given nic) is 6;
 *  - a nic that does not exist on this node is 2, OCF_ERR_ARGS,
 *    "configuration not valid on this node": a hard error that bans the
 *    resource from this node only. 5 (OCF_ERR_INSTALLED) would be the same
 *    for the scheduler but says "software missing", which misleads an admin
 *    looking for a missing NIC; 6 (IPaddr2's answer) would stop the address
 *    on every node because one node lacks a VLAN;
 *  - no connected network here that tells the nic or the prefix (none holds
 *    the address, or none holds it with the given cidr_netmask) is 1, as
 *    IPaddr2's findif answers and the stock ocft configs expect: it is the
 *    state of this node's addresses (a base address missing for now), not
 *    of the configuration;
 *  - those node checks run for start and validate-all only (like IPaddr2's
 *    findif): stop looks at what is configured, so that a vanished NIC
 *    makes stop succeed having looked (no 2 reaches it, so vip needs no
 *    prove_stopped hook); monitor says "not running" for it in a probe and
 *    fails (1) when recurring (vip_monitor_nic_gone_fails);
 *  - permission denied by the kernel (not root, no CAP_NET_ADMIN/NET_RAW)
 *    is 4; any other kernel or timeout failure is 1.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>

#include <baton.h>

#include "vip-addr.h"
#include "vip-agent.h"
#include "vip-announce.h"
#include "vip-config.h"
#include "vip-dad.h"
#include "vip-decide.h"
#include "vip-netlink.h"

extern const baton_metadata vip_metadata;   /* compiled from xml-metadata/vip.xml */

/* ------------------------------------------------------------------ helpers */

typedef struct addr_list {
    vip_ifaddr *items;
    size_t n;
} addr_list;

static void addr_list_clear(addr_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static int list_addrs(baton_ctx *ctx, vip_nl *nl, int family, addr_list *ret)
{
    int r;

    addr_list_clear(ret);
    r = vip_nl_addrs(nl, family, baton_ctx_deadline(ctx), &ret->items, &ret->n);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot list addresses: %s", vip_errno_str(r));
    return BATON_OCF_SUCCESS;
}

static void announce(baton_ctx *ctx, const vip_link *link, const vip_addr *addr, int64_t count,
                     const char *why)
{
    char ip[VIP_ADDR_STRLEN];
    int64_t sent = 0;
    int r;

    if (count <= 0)
        return;
    vip_addr_format(addr, ip);
    if (!vip_link_can_announce(link)) {
        baton_debug("%s: no ARP/NA on %s (not an Ethernet link or NOARP)", ip, link->name);
        return;
    }
    r = vip_announce(link, addr, count, baton_param_ms(ctx, "arp_interval"),
                     baton_ctx_deadline(ctx), &sent);
    /*
     * The address works without the announcement; neighbours learn it on
     * their next ARP/ND. Failing the action for it would move a working
     * address.
     */
    if (r < 0)
        baton_warn("%s: announcing %s on %s failed after %lld of %lld rounds: %s", why, ip,
                   link->name, (long long) sent, (long long) count, vip_errno_str(r));
    else
        baton_info("%s: announced %s on %s (%lld %s)", why, ip, link->name, (long long) sent,
                   addr->family == AF_INET ? "gratuitous ARP rounds" : "unsolicited NAs");
}

/* ------------------------------------------------------------------ lvs_support */

/* The loopback, by the name IPaddr2 uses for it too ("lo" exists in every namespace). */
#define VIP_LOOPBACK "lo"

static int loopback_link(baton_ctx *ctx, vip_nl *nl, vip_link *ret)
{
    int r = vip_nl_link_by_name(nl, VIP_LOOPBACK, baton_ctx_deadline(ctx), ret);

    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interface " VIP_LOOPBACK ": %s",
                              vip_errno_str(r));
    return BATON_OCF_SUCCESS;
}

/*
 * Start with lvs_support: the address goes from the loopback, where a stop
 * (or the administrator of an LVS real server) left it, to the interface:
 * it is in one place at a time, the interface while the resource runs, the
 * loopback while it is stopped, as with IPaddr2.
 */
static int start_leave_loopback(baton_ctx *ctx, vip_nl *nl, const vip_addr *ip)
{
    addr_list addrs = { 0 };
    vip_link lo;
    char s[VIP_ADDR_STRLEN];
    int r, rc;

    vip_addr_format(ip, s);
    rc = loopback_link(ctx, nl, &lo);
    for (int round = 0; rc == BATON_OCF_SUCCESS && round < 8; round++) {
        const vip_ifaddr *a;

        rc = list_addrs(ctx, nl, ip->family, &addrs);
        if (rc != BATON_OCF_SUCCESS)
            break;
        if (vip_lvs_next(addrs.items, addrs.n, ip, lo.ifindex, true, &a) == VIP_LVS_DONE)
            goto out;
        baton_notice("removing %s/%u from %s (lvs_support): the address moves to %s",
                     s, a->prefixlen, lo.name, vip_state_of(ctx)->link.name);
        r = vip_nl_addr_del(nl, a, baton_ctx_deadline(ctx));
        if (r < 0 && !vip_is_gone(r))
            rc = baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot remove %s/%u from %s: %s", s,
                                a->prefixlen, lo.name, vip_errno_str(r));
    }
    if (rc == BATON_OCF_SUCCESS)
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s is still on %s after 8 removals", s, lo.name);
out:
    addr_list_clear(&addrs);
    return rc;
}

/*
 * Stop with lvs_support: the address stays on this node, as a host address
 * on the loopback, so that it keeps serving what an LVS director routes to
 * it (direct routing) without answering for the address on the network.
 * Failing here is logged, not returned: the address is off the network,
 * which is what stop promises the cluster, and a failed stop would get the
 * node fenced for the sake of the real server.
 */
static void stop_to_loopback(baton_ctx *ctx, vip_nl *nl, const vip_addr *ip)
{
    vip_addr_spec spec = {
        .addr = *ip,
        .prefixlen = vip_addr_max_prefix(ip->family),
        .lft_forever = true,
        .preferred_lft = VIP_LFT_INFINITY,
    };
    addr_list addrs = { 0 };
    const vip_ifaddr *a;
    vip_link lo;
    char s[VIP_ADDR_STRLEN];
    int r;

    vip_addr_format(ip, s);
    if (loopback_link(ctx, nl, &lo) != BATON_OCF_SUCCESS ||
        list_addrs(ctx, nl, ip->family, &addrs) != BATON_OCF_SUCCESS) {
        /* stop answers 0: the reason set above is not printed. */
        baton_err("lvs_support: %s is not on the loopback: %s", s, baton_ctx_reason(ctx));
        goto out;
    }
    if (vip_lvs_next(addrs.items, addrs.n, ip, lo.ifindex, false, &a) == VIP_LVS_DONE) {
        baton_info("lvs_support: %s is on %s already", s, lo.name);
        goto out;
    }
    spec.ifindex = lo.ifindex;
    baton_info("lvs_support: adding %s/%u to %s", s, spec.prefixlen, lo.name);
    r = vip_nl_addr_add(nl, &spec, baton_ctx_deadline(ctx));
    if (r < 0 && r != -EEXIST)
        baton_err("lvs_support: cannot add %s/%u to %s: %s", s, spec.prefixlen, lo.name, vip_errno_str(r));
out:
    addr_list_clear(&addrs);
}

/* ------------------------------------------------------------------ start */

static int start_delete(baton_ctx *ctx, vip_nl *nl, const vip_ifaddr *a, const char *why)
{
    char ip[VIP_ADDR_STRLEN];
    int r;

    baton_notice("removing %s/%u from %s first: %s", vip_addr_format(&a->addr, ip),
                 a->prefixlen, vip_state_of(ctx)->link.name, why);
    r = vip_nl_addr_del(nl, a, baton_ctx_deadline(ctx));
    if (r < 0 && !vip_is_gone(r))
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot remove %s/%u from %s: %s", ip,
                              a->prefixlen, vip_state_of(ctx)->link.name, vip_errno_str(r));
    return BATON_OCF_SUCCESS;
}

/*
 * A link just brought up gets its carrier a moment later (a real NIC
 * negotiates, a veth is up at once): wait for it, within LINK_UP_WAIT_MS and
 * the deadline, so that start answers for the link the monitor will judge.
 */
#define LINK_UP_WAIT_MS 3000
#define LINK_UP_POLL_MS 50

static int wait_carrier(baton_ctx *ctx, vip_nl *nl, vip_state *st)
{
    baton_deadline until = baton_deadline_cap(baton_ctx_deadline(ctx), LINK_UP_WAIT_MS);
    int r;

    for (;;) {
        r = vip_nl_link_by_index(nl, st->link.ifindex, baton_ctx_deadline(ctx), &st->link);
        if (r < 0)
            return r;
        if (vip_link_state_of(st->link.flags, st->link.operstate) == VIP_LINK_UP ||
            baton_deadline_remaining_ms(until) <= 0)
            return 0;
        baton_sleep_ms(LINK_UP_POLL_MS);
    }
}

/* The link must be usable before the address is put on it. */
static int start_check_link(baton_ctx *ctx, vip_nl *nl, vip_state *st)
{
    vip_link_state ls = vip_link_state_of(st->link.flags, st->link.operstate);
    int r;

    if (ls == VIP_LINK_ADMIN_DOWN) {
        /* IPaddr2 brings the interface up too: the address is useless otherwise. */
        baton_notice("bringing interface %s up", st->link.name);
        r = vip_nl_link_set_up(nl, st->link.ifindex, baton_ctx_deadline(ctx));
        if (r < 0)
            return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot bring interface %s up: %s",
                                  st->link.name, vip_errno_str(r));
        r = wait_carrier(ctx, nl, st);
        if (r < 0)
            return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interface %s: %s",
                                  st->link.name, vip_errno_str(r));
        ls = vip_link_state_of(st->link.flags, st->link.operstate);
    }
    if (ls != VIP_LINK_UP && baton_param_bool(ctx, "check_link_status"))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "interface %s is %s; not starting %s there (check_link_status)",
                              st->link.name, vip_link_state_str(ls), baton_param_str(ctx, "ip"));
    return BATON_OCF_SUCCESS;
}

static int start_add(baton_ctx *ctx, vip_nl *nl, vip_state *st)
{
    vip_addr_spec spec = {
        .ifindex = st->link.ifindex,
        .addr = st->cfg.addr,
        .prefixlen = st->prefix,
        .lft_forever = st->cfg.lft_forever,
        .preferred_lft = st->cfg.preferred_lft,
    };
    char ip[VIP_ADDR_STRLEN], brd[VIP_ADDR_STRLEN];
    int r;

    vip_addr_format(&st->cfg.addr, ip);
    spec.has_brd = vip_config_broadcast(&st->cfg, st->prefix, &spec.brd);
    memcpy(spec.label, st->label, sizeof(spec.label));
    if (st->cfg.nodad)
        spec.flags |= IFA_F_NODAD;
    if (st->cfg.noprefixroute)
        spec.flags |= IFA_F_NOPREFIXROUTE;

    baton_info("adding %s/%u%s%s%s%s to %s", ip, st->prefix,
               spec.has_brd ? " brd " : "", spec.has_brd ? vip_addr_format(&spec.brd, brd) : "",
               spec.label[0] ? " label " : "", spec.label, st->link.name);
    r = vip_nl_addr_add(nl, &spec, baton_ctx_deadline(ctx));
    if (r == -EEXIST)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "cannot add %s/%u to %s: the kernel has it already (%s)",
                              ip, st->prefix, st->link.name,
                              st->cfg.addr.family == AF_INET6 ? "IPv6 addresses are unique per interface"
                                                              : "same address and prefix");
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot add %s/%u to %s: %s", ip, st->prefix,
                              st->link.name, vip_errno_str(r));
    return BATON_OCF_SUCCESS;
}

static int start_probe_v4(baton_ctx *ctx, vip_state *st)
{
    uint8_t mac[VIP_MAC_LEN];
    char ip[VIP_ADDR_STRLEN], macs[VIP_MAC_STRLEN];
    int r;

    vip_addr_format(&st->cfg.addr, ip);
    if (!vip_link_can_announce(&st->link)) {
        baton_warn("dad_check: no ARP on %s (not an Ethernet link or NOARP); not probing for %s",
                   st->link.name, ip);
        return BATON_OCF_SUCCESS;
    }
    r = vip_dad_probe_v4(&st->link, &st->cfg.addr, baton_param_ms(ctx, "dad_timeout"),
                         baton_ctx_deadline(ctx), mac);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "duplicate address check of %s on %s failed: %s",
                              ip, st->link.name, vip_errno_str(r));
    if (r == VIP_DAD_CONFLICT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "%s is already in use on the link of %s by MAC %s (ARP probe answered); "
                              "not starting", ip, st->link.name, vip_mac_format(mac, macs));
    baton_info("dad_check: nobody answered ARP probes for %s on %s", ip, st->link.name);
    return BATON_OCF_SUCCESS;
}

/* IPv6: wait for the kernel's DAD; a failure removes the address again. */
static int start_wait_dad6(baton_ctx *ctx, vip_nl *nl, vip_state *st, vip_dad6 *w, bool *ret_usable)
{
    uint8_t mac[VIP_MAC_LEN];
    bool have_mac = false;
    char ip[VIP_ADDR_STRLEN], macs[VIP_MAC_STRLEN];
    vip_ifaddr added = { .ifindex = st->link.ifindex, .addr = st->cfg.addr, .prefixlen = st->prefix };
    int r, del;

    *ret_usable = false;
    vip_addr_format(&st->cfg.addr, ip);
    r = vip_dad6_wait(w, nl, &st->link, &st->cfg.addr, baton_param_ms(ctx, "dad_timeout"),
                      baton_ctx_deadline(ctx), &have_mac, mac);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "waiting for duplicate address detection of %s "
                              "on %s failed: %s", ip, st->link.name, vip_errno_str(r));
    if (r == VIP_DAD_OK) {
        *ret_usable = true;
        return BATON_OCF_SUCCESS;
    }
    if (r == VIP_DAD_TIMEOUT && !st->cfg.dad_check) {
        /* As IPaddr2: the address is there; the kernel may still finish DAD. */
        baton_warn("duplicate address detection of %s on %s has not finished within dad_timeout; "
                   "not announcing it", ip, st->link.name);
        return BATON_OCF_SUCCESS;
    }

    /* A tentative or duplicate address must not stay behind. */
    del = vip_nl_addr_del(nl, &added, baton_ctx_deadline(ctx));
    if (del < 0 && !vip_is_gone(del))
        baton_err("cannot remove %s from %s again: %s", ip, st->link.name, vip_errno_str(del));
    if (r == VIP_DAD_TIMEOUT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "duplicate address detection of %s on %s did not finish within "
                              "dad_timeout (%lld ms); not starting", ip, st->link.name,
                              (long long) baton_param_ms(ctx, "dad_timeout"));
    if (have_mac)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "%s is already in use on the link of %s by MAC %s (IPv6 duplicate "
                              "address detection failed); not starting", ip, st->link.name,
                              vip_mac_format(mac, macs));
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                          "%s is already in use on the link of %s by another host (IPv6 duplicate "
                          "address detection failed); not starting", ip, st->link.name);
}

static int vip_start(baton_ctx *ctx)
{
    vip_state *st = vip_state_of(ctx);
    baton_autoptr(vip_nl) nl = NULL;
    baton_autoptr(vip_dad6) watch = NULL;
    addr_list addrs = { 0 };
    const vip_ifaddr *cur;
    bool present = false, tentative = false, usable = true;
    char ip[VIP_ADDR_STRLEN];
    int r, rc;

    vip_addr_format(&st->cfg.addr, ip);
    r = vip_nl_open(&nl);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot open a netlink socket: %s", vip_errno_str(r));

    rc = list_addrs(ctx, nl, st->cfg.addr.family, &addrs);
    if (rc != BATON_OCF_SUCCESS)
        goto out;
    cur = vip_ifaddr_find(addrs.items, addrs.n, &st->cfg.addr, st->link.ifindex, 0);
    if (cur && (cur->flags & IFA_F_DADFAILED))
        rc = start_delete(ctx, nl, cur, "duplicate address detection had failed");
    else if (cur && cur->prefixlen != st->prefix)
        rc = start_delete(ctx, nl, cur, "its prefix length differs");
    else if (cur) {
        present = true;
        tentative = cur->flags & IFA_F_TENTATIVE;
    }
    if (rc != BATON_OCF_SUCCESS)
        goto out;
    /* With lvs_support the copy on the loopback is expected, and moves. */
    if (!present && !st->cfg.lvs_support) {
        const vip_ifaddr *other = vip_ifaddr_find(addrs.items, addrs.n, &st->cfg.addr, 0, st->link.ifindex);

        if (other)
            baton_warn("%s is configured on interface #%d of this node too", ip, other->ifindex);
    }

    rc = start_check_link(ctx, nl, st);
    if (rc != BATON_OCF_SUCCESS)
        goto out;

    if (present)
        baton_info("%s/%u is already on %s", ip, st->prefix, st->link.name);
    if (!present && st->cfg.addr.family == AF_INET && st->cfg.dad_check) {
        rc = start_probe_v4(ctx, st);
        if (rc != BATON_OCF_SUCCESS)
            goto out;
    }
    /* After the probe: a start that finds the address in use leaves it where it was. */
    if (st->cfg.lvs_support) {
        rc = start_leave_loopback(ctx, nl, &st->cfg.addr);
        if (rc != BATON_OCF_SUCCESS)
            goto out;
    }
    if (!present) {
        if (st->cfg.addr.family == AF_INET6 && !st->cfg.nodad &&
            vip_link_can_announce(&st->link)) {
            r = vip_dad6_open(&st->link, &watch);
            /* Without it DAD still works; only the MAC in the reason is lost. */
            if (r < 0)
                baton_warn("cannot watch %s for neighbour discovery: %s", st->link.name, vip_errno_str(r));
        }
        rc = start_add(ctx, nl, st);
        if (rc != BATON_OCF_SUCCESS)
            goto out;
        tentative = st->cfg.addr.family == AF_INET6 && !st->cfg.nodad;
    }

    if (tentative) {
        rc = start_wait_dad6(ctx, nl, st, watch, &usable);
        if (rc != BATON_OCF_SUCCESS)
            goto out;
    }
    if (usable)
        announce(ctx, &st->link, &st->cfg.addr, baton_param_int(ctx, "arp_count"), "start");
    rc = BATON_OCF_SUCCESS;
out:
    addr_list_clear(&addrs);
    return rc;
}

/* ------------------------------------------------------------------ stop/monitor */

/*
 * The interface to look at: the given nic, or NULL with rc 0 when nic is
 * not given (then every interface but the loopback counts). -ENODEV when
 * the given nic does not exist.
 */
static int lookup_nic(baton_ctx *ctx, vip_nl *nl, vip_link *ret)
{
    const vip_state *st = vip_state_of(ctx);

    if (!st->cfg.nic[0])
        return 0;
    return vip_nl_link_by_name(nl, st->cfg.nic, baton_ctx_deadline(ctx), ret);
}

/*
 * Find where the address is: on link (ifindex > 0), or on any non-loopback
 * interface (on the loopback too for a 127.x address, which lives there).
 */
static int locate(baton_ctx *ctx, vip_nl *nl, const addr_list *addrs, int ifindex,
                  const vip_ifaddr **ret, vip_link *ret_link)
{
    const vip_state *st = vip_state_of(ctx);
    int skip = 0;

    for (;;) {
        const vip_ifaddr *a = vip_ifaddr_find(addrs->items, addrs->n, &st->cfg.addr, ifindex, skip);
        int r;

        *ret = a;
        if (!a || ifindex > 0)
            return 0;
        r = vip_nl_link_by_index(nl, a->ifindex, baton_ctx_deadline(ctx), ret_link);
        if (r < 0)
            return r;
        if (!(ret_link->flags & IFF_LOOPBACK) || vip_loopback_serves(&st->cfg.addr))
            return 0;
        /* An address on lo (an LVS real server, say) is not this resource. */
        if (skip) {
            *ret = NULL;
            return 0;
        }
        skip = a->ifindex;
    }
}

/* Remove the address from the interface(s) that serve it. */
static int stop_remove(baton_ctx *ctx, vip_nl *nl)
{
    vip_state *st = vip_state_of(ctx);
    addr_list addrs = { 0 };
    vip_link link = { 0 };
    char ip[VIP_ADDR_STRLEN];
    int r, rc, removed = 0;

    vip_addr_format(&st->cfg.addr, ip);
    r = lookup_nic(ctx, nl, &link);
    if (r == -ENODEV) {
        baton_info("interface %s does not exist; %s cannot be on it", st->cfg.nic, ip);
        return BATON_OCF_SUCCESS;
    }
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interface %s: %s", st->cfg.nic,
                              vip_errno_str(r));

    /* Every copy goes (IPv4 allows the address with several prefix lengths). */
    for (int round = 0; round < 8; round++) {
        const vip_ifaddr *a;
        vip_link where = link;

        rc = list_addrs(ctx, nl, st->cfg.addr.family, &addrs);
        if (rc != BATON_OCF_SUCCESS)
            goto out;
        r = locate(ctx, nl, &addrs, link.ifindex, &a, &where);
        if (r < 0) {
            rc = baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interfaces: %s", vip_errno_str(r));
            goto out;
        }
        if (!a) {
            if (!removed)
                baton_info("%s is not configured%s%s", ip, link.ifindex ? " on " : "",
                           link.ifindex ? link.name : "");
            rc = BATON_OCF_SUCCESS;
            goto out;
        }
        baton_info("removing %s/%u from %s", ip, a->prefixlen, where.name);
        r = vip_nl_addr_del(nl, a, baton_ctx_deadline(ctx));
        if (r < 0 && !vip_is_gone(r)) {
            rc = baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot remove %s/%u from %s: %s", ip,
                                a->prefixlen, where.name, vip_errno_str(r));
            goto out;
        }
        removed++;
    }
    rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s is still configured after %d removals", ip, removed);
out:
    addr_list_clear(&addrs);
    return rc;
}

static int vip_stop(baton_ctx *ctx)
{
    vip_state *st = vip_state_of(ctx);
    baton_autoptr(vip_nl) nl = NULL;
    int r, rc;

    if (st->netns_missing) {
        baton_info("%s cannot be configured in network namespace %s, which does not exist",
                   baton_param_str(ctx, "ip"), st->cfg.netns);
        return BATON_OCF_SUCCESS;
    }
    r = vip_nl_open(&nl);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot open a netlink socket: %s", vip_errno_str(r));
    rc = stop_remove(ctx, nl);
    if (rc == BATON_OCF_SUCCESS && st->cfg.lvs_support)
        stop_to_loopback(ctx, nl, &st->cfg.addr);
    return rc;
}

/*
 * 7 with the reason for a recurring monitor, where it is a failure the admin
 * wants explained; a probe finding nothing is the normal answer on every
 * node but one, so it is only logged.
 */
static int not_running(baton_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int not_running(baton_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (baton_ctx_is_probe(ctx)) {
        baton_logv(LOG_INFO, fmt, ap);
    } else {
        baton_autofree char *msg = NULL;

        if (vasprintf(&msg, fmt, ap) < 0)
            msg = NULL;
        baton_ctx_fail(ctx, BATON_OCF_NOT_RUNNING, "%s", msg ? msg : "not running");
    }
    va_end(ap);
    return BATON_OCF_NOT_RUNNING;
}

static int vip_monitor(baton_ctx *ctx)
{
    vip_state *st = vip_state_of(ctx);
    baton_autoptr(vip_nl) nl = NULL;
    addr_list addrs = { 0 };
    const vip_ifaddr *a;
    vip_link link = { 0 };
    char ip[VIP_ADDR_STRLEN];
    int r, rc;

    vip_addr_format(&st->cfg.addr, ip);
    if (st->netns_missing)
        return not_running(ctx, "network namespace %s does not exist", st->cfg.netns);
    r = vip_nl_open(&nl);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot open a netlink socket: %s", vip_errno_str(r));
    r = lookup_nic(ctx, nl, &link);
    if (r == -ENODEV && vip_monitor_nic_gone_fails(baton_ctx_is_probe(ctx)))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "interface %s does not exist (any more); "
                              "%s cannot be served", st->cfg.nic, ip);
    if (r == -ENODEV)
        return not_running(ctx, "interface %s does not exist", st->cfg.nic);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interface %s: %s", st->cfg.nic,
                              vip_errno_str(r));

    rc = list_addrs(ctx, nl, st->cfg.addr.family, &addrs);
    if (rc != BATON_OCF_SUCCESS)
        goto out;
    r = locate(ctx, nl, &addrs, link.ifindex, &a, &link);
    if (r < 0) {
        rc = baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interfaces: %s", vip_errno_str(r));
        goto out;
    }

    switch (vip_monitor_decide(a, vip_link_state_of(link.flags, link.operstate),
                               baton_param_bool(ctx, "check_link_status"))) {
    case VIP_ABSENT:
        rc = not_running(ctx, "%s is not configured%s%s", ip,
                            st->cfg.nic[0] ? " on " : "", st->cfg.nic);
        break;
    case VIP_LINK_FAILED:
        rc = not_running(ctx, "%s is configured on %s, but %s is %s", ip,
                            link.name, link.name,
                            vip_link_state_str(vip_link_state_of(link.flags, link.operstate)));
        break;
    case VIP_DUPLICATE:
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                            "%s on %s is unusable: IPv6 duplicate address detection failed "
                            "(another host uses it)", ip, link.name);
        break;
    case VIP_RUNNING:
    default:
        if (!(a->flags & IFA_F_TENTATIVE))
            announce(ctx, &link, &st->cfg.addr, baton_param_int(ctx, "arp_count_refresh"), "monitor");
        rc = BATON_OCF_SUCCESS;
        break;
    }
out:
    addr_list_clear(&addrs);
    return rc;
}

/* ------------------------------------------------------------------ the rest */

/* Every reloadable parameter is read afresh by each action: nothing to apply. */
static int vip_reload_agent(baton_ctx *ctx)
{
    baton_info("parameters reloaded for %s", baton_param_str(ctx, "ip"));
    return BATON_OCF_SUCCESS;
}

static const baton_action vip_actions[] = {
    { .name = "start", .fn = vip_start },
    { .name = "stop", .fn = vip_stop },
    { .name = "monitor", .fn = vip_monitor },
    { .name = "reload-agent", .fn = vip_reload_agent },
};

int main(int argc, char **argv)
{
    static const baton_agent agent = {
        .name = "vip",
        .metadata = &vip_metadata,
        .actions = vip_actions,
        .n_actions = sizeof(vip_actions) / sizeof(vip_actions[0]),
        .validate = vip_validate,
    };

    return baton_agent_main(&agent, argc, argv);
}
