/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <baton/strutil.h>

#include "vip-config.h"

static bool isset(const char *s)
{
    return s && *s;
}

bool vip_ifname_valid(const char *name)
{
    size_t n;

    if (!isset(name))
        return false;
    n = strlen(name);
    if (n >= VIP_IFNAMSIZ || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const char *p = name; *p; p++) {
        if (*p == '/' || *p == ':' || isspace((unsigned char) *p) || !isprint((unsigned char) *p))
            return false;
    }
    return true;
}

bool vip_netns_name_valid(const char *name)
{
    if (!isset(name) || name[0] == '-' || strlen(name) > VIP_NETNS_NAME_MAX)
        return false;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return false;
    for (const char *p = name; *p; p++) {
        if (*p == '/' || iscntrl((unsigned char) *p))
            return false;
    }
    return true;
}

/* Labels stay within what IPaddr2 documents (alphanumerics) plus _ . - */
static bool label_valid(const char *label)
{
    for (const char *p = label; *p; p++) {
        if (!isalnum((unsigned char) *p) && *p != '_' && *p != '.' && *p != '-')
            return false;
    }
    return true;
}

static int parse_lifetime(const char *s, bool *ret_forever, uint32_t *ret_secs)
{
    unsigned long long v;
    char *end;

    if (!isset(s) || strcmp(s, "forever") == 0) {
        *ret_forever = true;
        *ret_secs = VIP_LFT_INFINITY;
        return 0;
    }
    if (!isdigit((unsigned char) s[0]))
        return -EINVAL;
    errno = 0;
    v = strtoull(s, &end, 10);
    /* The largest finite lifetime: all ones means "forever" to the kernel. */
    if (errno || *end || v >= VIP_LFT_INFINITY)
        return -EINVAL;
    *ret_forever = false;
    *ret_secs = (uint32_t) v;
    return 0;
}

static int parse_nic(const vip_params *p, vip_config *c, char *reason, size_t len)
{
    const char *colon;
    size_t n;

    if (!isset(p->nic))
        return 0;
    colon = strchr(p->nic, ':');
    n = colon ? (size_t) (colon - p->nic) : strlen(p->nic);
    if (n == 0 || n >= sizeof(c->nic))
        return baton_reason_invalid(reason, len, "parameter 'nic': '%s' is not a valid interface name", p->nic);
    memcpy(c->nic, p->nic, n);
    c->nic[n] = '\0';
    if (!vip_ifname_valid(c->nic))
        return baton_reason_invalid(reason, len, "parameter 'nic': '%s' is not a valid interface name", p->nic);
    if (colon) {
        /* IPaddr2 accepted "eth0:label"; the label given there wins over iflabel. */
        if (strlen(colon + 1) >= sizeof(c->label) || !colon[1])
            return baton_reason_invalid(reason, len, "parameter 'nic': label in '%s' is empty or too long", p->nic);
        strcpy(c->label, colon + 1);
        c->label_from_nic = true;
    }
    return 0;
}

static int parse_label(const vip_params *p, vip_config *c, char *reason, size_t len)
{
    if (!c->label_from_nic && isset(p->iflabel)) {
        if (strlen(p->iflabel) >= sizeof(c->label))
            return baton_reason_invalid(reason, len, "parameter 'iflabel': '%s' is longer than %d characters",
                        p->iflabel, VIP_LABEL_MAX);
        strcpy(c->label, p->iflabel);
    }
    if (!c->label[0])
        return 0;
    if (c->addr.family != AF_INET)
        return baton_reason_invalid(reason, len, "parameter 'iflabel': labels exist for IPv4 addresses only");
    if (!label_valid(c->label))
        return baton_reason_invalid(reason, len, "parameter 'iflabel': '%s' may contain only letters, digits, '_', '.' and '-'",
                    c->label);
    /* The shortest interface name has one character: "x:" plus the label. */
    if (strlen(c->label) + 2 > VIP_LABEL_MAX)
        return baton_reason_invalid(reason, len, "parameter 'iflabel': 'nic:%s' would be longer than %d characters",
                    c->label, VIP_LABEL_MAX);
    if (c->nic[0]) {
        char full[VIP_IFNAMSIZ];

        if (vip_config_label(c, c->nic, full) < 0)
            return baton_reason_invalid(reason, len, "parameter 'iflabel': '%s:%s' is longer than %d characters",
                        c->nic, c->label, VIP_LABEL_MAX);
    }
    return 0;
}

static int parse_broadcast(const vip_params *p, vip_config *c, char *reason, size_t len)
{
    if (!isset(p->broadcast)) {
        c->brd_mode = VIP_BRD_AUTO;
        return 0;
    }
    if (c->addr.family != AF_INET)
        return baton_reason_invalid(reason, len, "parameter 'broadcast': IPv6 has no broadcast address");
    if (strcmp(p->broadcast, "+") == 0) {
        c->brd_mode = VIP_BRD_SET;
    } else if (strcmp(p->broadcast, "-") == 0) {
        c->brd_mode = VIP_BRD_CLEAR;
    } else {
        if (vip_addr_parse(p->broadcast, &c->brd) < 0 || c->brd.family != AF_INET)
            return baton_reason_invalid(reason, len, "parameter 'broadcast': '%s' is not an IPv4 address, '+' or '-'",
                        p->broadcast);
        c->brd_mode = VIP_BRD_ADDR;
    }
    return 0;
}

/*
 * IPaddr2 refuses lvs_support for IPv6 too: there an LVS real server needs
 * an address label (lvs_ipv6_addrlabel) rather than the address on lo, or
 * the loopback copy becomes the source of its own replies.
 */
static int parse_lvs(const vip_params *p, vip_config *c, char *reason, size_t len)
{
    if (!p->lvs_support)
        return 0;
    if (c->addr.family != AF_INET)
        return baton_reason_invalid(reason, len, "parameter 'lvs_support' is for IPv4 addresses only "
                    "(as in IPaddr2); for IPv6 leave it false");
    c->lvs_support = true;
    return 0;
}

int vip_config_parse(const vip_params *p, vip_config *ret, char *reason, size_t len)
{
    vip_config c = { 0 };
    const char *why;
    int r;

    if (!isset(p->ip))
        return baton_reason_invalid(reason, len, "parameter 'ip' is required");
    if (vip_addr_parse(p->ip, &c.addr) < 0)
        return baton_reason_invalid(reason, len, "parameter 'ip': '%s' is not an IPv4 or IPv6 address%s", p->ip,
                    strchr(p->ip, '/') ? " (give the prefix length in cidr_netmask)" : "");
    why = vip_addr_unusable_reason(&c.addr);
    if (why)
        return baton_reason_invalid(reason, len, "parameter 'ip': %s is %s", p->ip, why);

    r = parse_nic(p, &c, reason, len);
    if (r < 0)
        return r;
    if (vip_addr_is_link_local(&c.addr) && !c.nic[0])
        return baton_reason_invalid(reason, len, "parameter 'nic' is required for the link-local address %s", p->ip);

    if (p->has_prefix) {
        unsigned max = vip_addr_max_prefix(c.addr.family);

        if (p->prefix < 0 || p->prefix > (int64_t) max)
            return baton_reason_invalid(reason, len, "parameter 'cidr_netmask': %lld is out of range for %s (0-%u)",
                        (long long) p->prefix, c.addr.family == AF_INET ? "IPv4" : "IPv6", max);
        c.has_prefix = true;
        c.prefix = (unsigned) p->prefix;
    }

    r = parse_label(p, &c, reason, len);
    if (r < 0)
        return r;
    r = parse_broadcast(p, &c, reason, len);
    if (r < 0)
        return r;

    if (parse_lifetime(p->preferred_lft, &c.lft_forever, &c.preferred_lft) < 0)
        return baton_reason_invalid(reason, len, "parameter 'preferred_lft': '%s' is neither 'forever' nor a number of seconds",
                    p->preferred_lft);

    if (c.addr.family == AF_INET6) {
        if (p->nodad && p->dad_check)
            return baton_reason_invalid(reason, len, "parameters 'nodad' and 'dad_check' contradict each other "
                        "(dad_check uses the kernel's IPv6 duplicate address detection)");
        c.nodad = p->nodad;
    } else {
        /* IPaddr2 ignores these for IPv4 too; the agent warns about them. */
        c.v6_only_ignored = p->nodad || !c.lft_forever;
        c.lft_forever = true;
        c.preferred_lft = VIP_LFT_INFINITY;
    }
    c.noprefixroute = p->noprefixroute;
    c.dad_check = p->dad_check;

    r = parse_lvs(p, &c, reason, len);
    if (r < 0)
        return r;
    if (isset(p->network_namespace)) {
        if (!vip_netns_name_valid(p->network_namespace))
            return baton_reason_invalid(reason, len, "parameter 'network_namespace': '%s' is not a network namespace "
                        "name (a file name in /run/netns: no '/', not '.' or '..', not starting "
                        "with '-', at most %d characters)", p->network_namespace, VIP_NETNS_NAME_MAX);
        strcpy(c.netns, p->network_namespace);
    }
    *ret = c;
    return 0;
}

int vip_config_label(const vip_config *c, const char *nic, char *out)
{
    size_t n_nic = strlen(nic), n_label = strlen(c->label);

    out[0] = '\0';
    if (!c->label[0])
        return 0;
    if (n_nic + 1 + n_label > VIP_LABEL_MAX)
        return -ENAMETOOLONG;
    memcpy(out, nic, n_nic);
    out[n_nic] = ':';
    memcpy(out + n_nic + 1, c->label, n_label + 1);
    return 0;
}

bool vip_config_broadcast(const vip_config *c, unsigned prefix, vip_addr *ret)
{
    if (c->addr.family != AF_INET)
        return false;
    switch (c->brd_mode) {
    case VIP_BRD_ADDR:
        *ret = c->brd;
        return true;
    case VIP_BRD_SET:
        vip_addr_host_bits(&c->addr, prefix, true, ret);
        return true;
    case VIP_BRD_CLEAR:
        vip_addr_host_bits(&c->addr, prefix, false, ret);
        return true;
    case VIP_BRD_AUTO:
    default:
        /* /31 (RFC 3021) and /32 have no broadcast address. */
        if (prefix > 30)
            return false;
        vip_addr_host_bits(&c->addr, prefix, true, ret);
        return true;
    }
}
