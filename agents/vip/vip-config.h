/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's parameters, checked and turned into a configuration. Pure:
 * everything that can be decided without looking at this node is decided
 * here, and whatever is wrong here is wrong on every node (OCF 6).
 */
#ifndef VIP_CONFIG_H
#define VIP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vip-addr.h"

/* The raw parameter values (NULL or "" = not given). */
typedef struct vip_params {
    const char *ip;
    const char *nic;
    bool has_prefix;
    int64_t prefix;
    const char *broadcast;
    const char *iflabel;
    const char *preferred_lft;
    bool nodad;
    bool noprefixroute;
    bool dad_check;
    const char *network_namespace;
    bool lvs_support;
} vip_params;

/* The longest network namespace name: a file name in /run/netns (NAME_MAX). */
#define VIP_NETNS_NAME_MAX 255

typedef enum vip_brd_mode {
    VIP_BRD_AUTO = 0,           /* "+" up to /30, none above */
    VIP_BRD_ADDR,               /* the given address */
    VIP_BRD_SET,                /* "+": host bits set */
    VIP_BRD_CLEAR,              /* "-": host bits cleared */
} vip_brd_mode;

typedef struct vip_config {
    vip_addr addr;
    char nic[VIP_IFNAMSIZ];         /* "" = find it from the routes */
    char label[VIP_IFNAMSIZ];       /* the part after "nic:"; "" = no label */
    bool label_from_nic;        /* given as nic=eth0:label (IPaddr2's old form) */
    bool has_prefix;
    unsigned prefix;
    vip_brd_mode brd_mode;
    vip_addr brd;               /* VIP_BRD_ADDR */
    bool lft_forever;
    uint32_t preferred_lft;     /* seconds, when !lft_forever */
    bool nodad;                 /* effective: IPv6 and asked for */
    bool noprefixroute;
    bool dad_check;
    char netns[VIP_NETNS_NAME_MAX + 1]; /* "" = the namespace the agent runs in */
    bool lvs_support;           /* stop moves the address to lo (IPv4 only) */
    /* Parameters that were given but do not apply to IPv4 (for a warning). */
    bool v6_only_ignored;
} vip_config;

/* The kernel's label limit (VIP_IFNAMSIZ - 1). */
#define VIP_LABEL_MAX 15
/* "forever" lifetime in rtnetlink. */
#define VIP_LFT_INFINITY 0xffffffffu

/*
 * Check the parameters. Returns 0, or -EINVAL with a one-line reason (that
 * names the parameter) in reason.
 */
int vip_config_parse(const vip_params *p, vip_config *ret, char *reason, size_t reason_len);

/*
 * The kernel label "nic:label" for the address on interface nic, into out
 * (VIP_IFNAMSIZ bytes); "" when no label is configured. -ENAMETOOLONG when it
 * is longer than 15 characters.
 */
int vip_config_label(const vip_config *c, const char *nic, char *out);

/* The broadcast address to set for prefix; false when none. */
bool vip_config_broadcast(const vip_config *c, unsigned prefix, vip_addr *ret);

/*
 * A name ip-netns(8) could have made: a plain file name in /run/netns (not
 * empty, no '/', not "." or "..", at most VIP_NETNS_NAME_MAX bytes), and
 * neither an option to anyone who passes it on (a leading '-') nor a log
 * line breaker (control characters).
 */
bool vip_netns_name_valid(const char *name);

/* Valid interface name as the kernel's dev_valid_name() sees it. */
bool vip_ifname_valid(const char *name);

#endif /* VIP_CONFIG_H */
