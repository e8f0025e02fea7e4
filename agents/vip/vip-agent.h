/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What ocf:baton:vip's actions (vip.c) and its validation (vip-validate.c)
 * share: the state validate leaves for the action, and how a kernel error
 * becomes an exit code and a reason.
 */
#pragma once

#include <stdbool.h>

#include <baton.h>

#include "vip-config.h"
#include "vip-netlink.h"

/* What validate found out, for the action that follows. */
typedef struct vip_state {
    vip_config cfg;
    bool resolved;              /* link and prefix below are set (start, validate-all) */
    vip_link link;
    unsigned prefix;
    char label[VIP_IFNAMSIZ];   /* "nic:label" or "" */
    bool netns_missing;         /* network_namespace does not exist here (stop, monitor) */
} vip_state;

/* The state vip_validate left in ctx. */
vip_state *vip_state_of(baton_ctx *ctx);

/* Permission denied is 4 (OCF_ERR_PERM), any other kernel or timeout failure 1. */
int vip_rc_from_errno(int r);
/* A kernel error (-errno) in words; -ETIME as the timeout it is here. */
const char *vip_errno_str(int r);
/* The address, interface or namespace is not there (already gone, for stop). */
bool vip_is_gone(int r);

/*
 * The agent's validate hook: reads and checks the parameters, enters
 * network_namespace for the actions that touch the network, and for start
 * and validate-all resolves nic and prefix on this node (exit codes: vip.c).
 */
int vip_validate(baton_ctx *ctx);
