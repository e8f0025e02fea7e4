/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live migration of ocf:baton:vm: the actions (vm-migrate.c) and the pure
 * helpers that decide URIs, flags, the abort point and the progress line
 * (vm-migrate-util.c, unit-tested).
 */
#ifndef BATON_VM_MIGRATE_H
#define BATON_VM_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <baton/agent.h>

/* ---------------------------------------------------------------- vm-migrate.c */

int vm_migrate_to(baton_ctx *ctx);
int vm_migrate_from(baton_ctx *ctx);

/* ---------------------------------------------------------------- vm-migrate-util.c */

/*
 * Expand a user template: "%n" becomes node, "%%" a single '%'. Any other
 * '%' sequence is -EINVAL (a typo must not reach libvirt). 0, -EINVAL, -ENOMEM.
 */
int vm_uri_expand(const char *tmpl, const char *node, char **ret);

/*
 * The target's libvirt URI derived from this node's hypervisor URI, as
 * ocf:heartbeat:VirtualDomain does: "driver[+transport]://[user@][host][:port]/path[?query]"
 * becomes "driver[+transport]://host[:port]/path[?query]" with host = target.
 * transport (NULL or "": keep the URI's own) replaces the URI's transport.
 * A host in the URI is replaced, its port kept. 0, -EINVAL (not a
 * "scheme://.../" URI), -ENOMEM.
 */
int vm_migrate_remote_uri(const char *hypervisor, const char *transport, const char *target, char **ret);

/*
 * The target's host name for the URIs: node with migration_network_suffix
 * appended to its first label ("node2.example.com" + "-mig" =
 * "node2-mig.example.com"), as VirtualDomain does. 0 or -ENOMEM.
 */
int vm_migrate_target_host(const char *node, const char *suffix, char **ret);

/* migration_mode. */
typedef enum vm_migrate_mode {
    VM_MIGRATE_MANAGED = 0,     /* the agent connects to both daemons (virsh migrate, VirtualDomain) */
    VM_MIGRATE_P2P,             /* the source daemon connects to the target itself */
    VM_MIGRATE_TUNNELLED,       /* p2p, and the data goes through the libvirt connection */
} vm_migrate_mode;

/* "managed", "p2p", "tunnelled": 0 or -EINVAL. */
int vm_migrate_mode_parse(const char *s, vm_migrate_mode *ret);
/* The virDomainMigrate* flags for a live migration of a domain in this mode. */
unsigned int vm_migrate_flags(vm_migrate_mode mode);

/*
 * When to abort a migration that has not finished: remaining_ms before the
 * action's deadline, the time kept back for virDomainAbortJob and for the
 * source to resume the guest: a fifth of what is left, at least 3 s, at most
 * 15 s, never more than half of what is left.
 */
int64_t vm_migrate_abort_reserve_ms(int64_t remaining_ms);

/* One sample of the migration job (virDomainGetJobInfo), in bytes and ms. */
typedef struct vm_migrate_progress {
    uint64_t elapsed_ms;
    uint64_t data_total;
    uint64_t data_processed;
    uint64_t data_remaining;
} vm_migrate_progress;

/* "12.3 s, 80/256 MiB transferred (31%), 176 MiB remaining" into buf (always terminated). */
void vm_migrate_progress_format(const vm_migrate_progress *p, char *buf, size_t len);

/*
 * The pre-flight memory check on the target: does a VM of need_kib fit into
 * capacity_kib - used_kib? 0 (fits) or -ENOSPC with *ret_short_kib the
 * missing amount.
 */
int vm_migrate_fits(uint64_t capacity_kib, uint64_t used_kib, uint64_t need_kib, uint64_t *ret_short_kib);

#endif /* BATON_VM_MIGRATE_H */
