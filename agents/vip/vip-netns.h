/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_namespace: entering a named network namespace, as ip-netns(8) names them. */
#ifndef VIP_NETNS_H
#define VIP_NETNS_H

/* Where ip-netns(8) keeps the namespaces it names (bind mounts of nsfs). */
#define VIP_NETNS_DIR "/run/netns"

/*
 * Move this process into the network namespace VIP_NETNS_DIR/name (a name
 * vip_netns_name_valid() accepts). Returns 0, -ENOENT when there is no such
 * namespace, -EINVAL when the file there is not a network namespace, -EPERM
 * without CAP_SYS_ADMIN, or another negative errno.
 */
int vip_netns_enter(const char *name);

#endif /* VIP_NETNS_H */
