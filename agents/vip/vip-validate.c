/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:vip's validation: the parameters read and checked, the network
 * namespace entered, nic and prefix resolved on this node. The exit codes it
 * chooses are explained at the top of vip.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if.h>

#include <baton.h>

#include "vip-addr.h"
#include "vip-agent.h"
#include "vip-config.h"
#include "vip-netlink.h"
#include "vip-netns.h"

vip_state *vip_state_of(baton_ctx *ctx)
{
    return baton_ctx_get_data(ctx);
}

int vip_rc_from_errno(int r)
{
    return r == -EPERM || r == -EACCES ? BATON_OCF_ERR_PERM : BATON_OCF_ERR_GENERIC;
}

const char *vip_errno_str(int r)
{
    if (r == -ETIME)
        return "the operation timed out";
    if (r == -EPERM || r == -EACCES)
        return "permission denied (root or CAP_NET_ADMIN and CAP_NET_RAW are needed)";
    return strerror(-r);
}

bool vip_is_gone(int r)
{
    return r == -EADDRNOTAVAIL || r == -ENOENT || r == -ENODEV || r == -ESRCH;
}

/* ------------------------------------------------------------------ validate */

static int read_config(baton_ctx *ctx, vip_config *ret)
{
    char reason[256];
    vip_params p = {
        .ip = baton_param_str(ctx, "ip"),
        .nic = baton_param_str(ctx, "nic"),
        .has_prefix = baton_param_is_set(ctx, "cidr_netmask"),
        .broadcast = baton_param_str(ctx, "broadcast"),
        .iflabel = baton_param_str(ctx, "iflabel"),
        .preferred_lft = baton_param_str(ctx, "preferred_lft"),
        .nodad = baton_param_bool(ctx, "nodad"),
        .noprefixroute = baton_param_bool(ctx, "noprefixroute"),
        .dad_check = baton_param_bool(ctx, "dad_check"),
        .network_namespace = baton_param_str(ctx, "network_namespace"),
        .lvs_support = baton_param_bool(ctx, "lvs_support"),
    };

    if (p.has_prefix)
        p.prefix = baton_param_int(ctx, "cidr_netmask");
    if (vip_config_parse(&p, ret, reason, sizeof(reason)) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "%s", reason);
    return BATON_OCF_SUCCESS;
}

/* The interface named by nic, or the one whose connected route holds ip. */
static int resolve_link(baton_ctx *ctx, vip_nl *nl, vip_state *st,
                        vip_route *routes, size_t n_routes)
{
    baton_deadline d = baton_ctx_deadline(ctx);
    char ip[VIP_ADDR_STRLEN];
    ssize_t i;
    int r;

    vip_addr_format(&st->cfg.addr, ip);
    if (st->cfg.nic[0]) {
        r = vip_nl_link_by_name(nl, st->cfg.nic, d, &st->link);
        if (r == -ENODEV)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS,
                                  "interface %s does not exist on this node", st->cfg.nic);
        if (r < 0)
            return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interface %s: %s",
                                  st->cfg.nic, vip_errno_str(r));
        return BATON_OCF_SUCCESS;
    }
    i = vip_route_choose(routes, n_routes, &st->cfg.addr, 0,
                         st->cfg.has_prefix ? (int) st->cfg.prefix : -1);
    if (i < 0 && vip_loopback_serves(&st->cfg.addr)) {
        /* 127.x: the local table's route to lo is not in the main table; lo is the place. */
        r = vip_nl_link_by_name(nl, "lo", d, &st->link);
        if (r < 0)
            return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interface lo: %s",
                                  vip_errno_str(r));
        return BATON_OCF_SUCCESS;
    }
    if (i < 0 && st->cfg.has_prefix)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "no interface of this node has a directly connected network %s "
                              "%s/%u (set nic too)",
                              st->cfg.addr.family == AF_INET6 ? "of prefix length" : "that holds",
                              ip, st->cfg.prefix);
    if (i < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "no interface of this node has a directly connected route to %s "
                              "(set nic and cidr_netmask)", ip);
    r = vip_nl_link_by_index(nl, routes[i].oif, d, &st->link);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot look up interface #%d: %s",
                              routes[i].oif, vip_errno_str(r));
    baton_debug("%s: route %s/%u leads to interface %s", ip,
                vip_addr_format(&routes[i].dst, (char[VIP_ADDR_STRLEN]){ 0 }),
                routes[i].dst_len, st->link.name);
    return BATON_OCF_SUCCESS;
}

/* The prefix length: given, else from the route or an address of the interface. */
static int resolve_prefix(baton_ctx *ctx, vip_nl *nl, vip_state *st,
                          vip_route *routes, size_t n_routes)
{
    baton_autofree vip_ifaddr *addrs = NULL;
    char ip[VIP_ADDR_STRLEN];
    size_t n = 0;
    ssize_t i;
    int r, p;

    if (st->cfg.has_prefix) {
        st->prefix = st->cfg.prefix;
        return BATON_OCF_SUCCESS;
    }
    vip_addr_format(&st->cfg.addr, ip);
    i = vip_route_choose(routes, n_routes, &st->cfg.addr, st->link.ifindex, -1);
    if (i >= 0) {
        st->prefix = routes[i].dst_len;
        return BATON_OCF_SUCCESS;
    }
    /* An address with noprefixroute still tells the subnet. */
    r = vip_nl_addrs(nl, st->cfg.addr.family, baton_ctx_deadline(ctx), &addrs, &n);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot list addresses: %s", vip_errno_str(r));
    p = vip_ifaddr_prefix_for(addrs, n, &st->cfg.addr, st->link.ifindex);
    if (p < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "cannot tell the prefix length of %s on %s: no route or address of "
                              "%s covers it (set cidr_netmask)", ip, st->link.name, st->link.name);
    st->prefix = (unsigned) p;
    return BATON_OCF_SUCCESS;
}

/* What only this node can tell: the interface, the prefix, the label's length. */
static int resolve_on_node(baton_ctx *ctx, vip_state *st)
{
    baton_autoptr(vip_nl) nl = NULL;
    baton_autofree vip_route *routes = NULL;
    size_t n_routes = 0;
    int r, rc;

    r = vip_nl_open(&nl);
    if (r < 0)
        return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot open a netlink socket: %s", vip_errno_str(r));
    if (!st->cfg.nic[0] || !st->cfg.has_prefix) {
        r = vip_nl_routes(nl, st->cfg.addr.family, baton_ctx_deadline(ctx), &routes, &n_routes);
        if (r < 0)
            return baton_ctx_fail(ctx, vip_rc_from_errno(r), "cannot list routes: %s", vip_errno_str(r));
    }
    rc = resolve_link(ctx, nl, st, routes, n_routes);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    rc = resolve_prefix(ctx, nl, st, routes, n_routes);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (st->cfg.lvs_support && (st->link.flags & IFF_LOOPBACK))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "parameter 'lvs_support': stop moves the address to the loopback, "
                              "so nic must be another interface than %s", st->link.name);
    /* With a given nic this was checked as a configuration error already. */
    if (vip_config_label(&st->cfg, st->link.name, st->label) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS,
                              "label '%s:%s' on this node's interface would be longer than %d characters",
                              st->link.name, st->cfg.label, VIP_LABEL_MAX);
    st->resolved = true;
    return BATON_OCF_SUCCESS;
}

/*
 * network_namespace: the address lives in that namespace. Every netlink,
 * packet and ICMPv6 socket belongs to the namespace its creator is in when
 * it is opened, so entering the namespace once, before any socket is
 * opened, moves every action into it: no `ip netns exec`, no second
 * process. A namespace missing here is a fact about this node: start and
 * validate-all cannot run here (2), while for stop and monitor it is the
 * proof that the address is not configured (it cannot be in a namespace
 * that does not exist); they answer for it themselves.
 */
static int enter_netns(baton_ctx *ctx, vip_state *st, bool on_node)
{
    const char *ns = st->cfg.netns;
    int r;

    if (!ns[0])
        return BATON_OCF_SUCCESS;
    r = vip_netns_enter(ns);
    if (r == 0) {
        baton_debug("in network namespace %s", ns);
        return BATON_OCF_SUCCESS;
    }
    if (r == -ENOENT || r == -EINVAL) {
        const char *what = r == -ENOENT ? "does not exist on this node"
                                        : "is not a network namespace on this node";

        if (on_node)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS, "network namespace %s (" VIP_NETNS_DIR
                                  "/%s) %s", ns, ns, what);
        baton_info("network namespace %s (" VIP_NETNS_DIR "/%s) %s", ns, ns, what);
        st->netns_missing = true;
        return BATON_OCF_SUCCESS;
    }
    if (r == -EPERM || r == -EACCES)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_PERM, "cannot enter network namespace %s: "
                              "permission denied (root or CAP_SYS_ADMIN is needed)", ns);
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot enter network namespace %s: %s",
                          ns, strerror(-r));
}

static bool touches_network(const char *action)
{
    return strcmp(action, "start") == 0 || strcmp(action, "stop") == 0 ||
           strcmp(action, "monitor") == 0 || strcmp(action, "validate-all") == 0;
}

int vip_validate(baton_ctx *ctx)
{
    const char *action = baton_ctx_action(ctx);
    bool on_node = strcmp(action, "start") == 0 || strcmp(action, "validate-all") == 0;
    vip_state *st = calloc(1, sizeof(*st));
    int rc;

    if (!st)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    baton_ctx_set_data(ctx, st, free);

    rc = read_config(ctx, &st->cfg);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (on_node && st->cfg.v6_only_ignored)
        baton_warn("nodad and preferred_lft apply to IPv6 addresses only; ignored for %s",
                   baton_param_str(ctx, "ip"));
    if (on_node && st->cfg.label_from_nic)
        baton_warn("nic=%s: a label in nic is deprecated, use iflabel", baton_param_str(ctx, "nic"));
    if (touches_network(action)) {
        rc = enter_netns(ctx, st, on_node);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
    }
    if (!on_node)
        return BATON_OCF_SUCCESS;
    return resolve_on_node(ctx, st);
}
