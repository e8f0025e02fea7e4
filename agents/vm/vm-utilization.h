/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The resource's utilization (autoset_utilization_*): the VM's vCPUs and its
 * current (ballooned) memory, written with crm_resource only when a value
 * differs from the last one written from this node (cached in
 * <rundir>/vm/<resource>.util), so a monitor costs no fork in the steady state.
 */
#ifndef BATON_VM_UTILIZATION_H
#define BATON_VM_UTILIZATION_H

#include <stdbool.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include <baton/agent.h>

/* The utilization attributes the agent may set, in this order. */
typedef enum vm_util_attr {
    VM_UTIL_CPU = 0,
    VM_UTIL_HV_MEMORY,
    VM_UTIL_HOST_MEMORY,
    VM_UTIL_MAX,
} vm_util_attr;

/* Values per attribute; -1: unknown (not cached / not published). */
typedef struct vm_util_values {
    int64_t v[VM_UTIL_MAX];
} vm_util_values;

/* "cpu", "hv_memory", "host_memory". */
const char *vm_util_attr_name(vm_util_attr a);
/* Pure: the cache file's "name=value" lines; unknown names and bad lines are ignored. */
void vm_util_cache_parse(const char *s, vm_util_values *ret);
/* Newly allocated; NULL on ENOMEM. */
char *vm_util_cache_format(const vm_util_values *v);

/* Publish what the parameters ask for and what changed; best effort (warnings only). */
void vm_utilization_update(baton_ctx *ctx, virDomainPtr dom);
/* Forget the cache (after stop): the next start publishes again. */
void vm_utilization_forget(baton_ctx *ctx);

#endif /* BATON_VM_UTILIZATION_H */
