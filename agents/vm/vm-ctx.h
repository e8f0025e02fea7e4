/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the files of the vm agent's actions share about one invocation:
 * the settings validate resolved (vm-validate.c), the run directory's
 * records of a start (vm-state.c) and the boot gate (vm-boot-slot.c).
 * Internal to the agent; vm-actions.h is what the rest of it calls.
 */
#ifndef BATON_VM_CTX_H
#define BATON_VM_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include <baton/agent.h>

#include "vm.h"

#define MIB UINT64_C(1024)

typedef struct vm_settings {
    char *xml;                  /* the config file's contents; NULL: domain by name */
    size_t xml_len;
    vm_domain_xml dx;
    char *name;
    unsigned shutdown_flags;
    int64_t monitor_since_ms;   /* CLOCK_MONOTONIC: when the monitor's verdict was armed */
} vm_settings;

/* What vm_validate resolved (NULL before it ran). */
vm_settings *vm_settings_of(baton_ctx *ctx);

/* ------------------------------------------------------------------ vm-state.c */

/*
 * The domain name of a started resource, kept in the run directory (gone at
 * reboot), so that stop and probes still find the domain when the config file
 * is unreadable. vm_ctx_state_write is in vm-actions.h.
 */
/* The recorded name, or NULL. */
char *vm_ctx_state_read(baton_ctx *ctx);
/* Forget the name and the health record (stop). */
void vm_ctx_state_remove(baton_ctx *ctx);

/* When this agent started the domain (its policy's record), or 0. */
int64_t vm_started_at(virDomainPtr dom);
/*
 * Whether the domain, started by this agent at started (vm_started_at()), was
 * started at most boot_grace ago: its guest may still be booting.
 * *ret_age_s: seconds since the start.
 */
bool vm_in_boot_grace(baton_ctx *ctx, int64_t started, int64_t *ret_age_s);
/* Whether the health check has passed since the start at started. */
bool vm_healthy_since_start(baton_ctx *ctx, int64_t started);
/* Record that the health check passed since this start (best effort). */
void vm_healthy_record(baton_ctx *ctx, virDomainPtr dom);

/* ------------------------------------------------------------------ vm-boot-slot.c */

/*
 * Wait for a boot slot (boot_slots) and return with the host lock held in
 * *ret_lock; an OCF code, with the reason when no slot came in time.
 */
int vm_boot_slot_take(baton_ctx *ctx, virConnectPtr conn, int *ret_lock);

#endif /* BATON_VM_CTX_H */
