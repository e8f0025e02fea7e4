/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot-storm control of ocf:baton:vm: pure functions deciding how many
 * guests may boot at the same time on this host and which ones are booting.
 * No I/O: the agent lists the host's domains (vm-memory.c) and asks.
 *
 * There are no slot files and no daemon. A guest holds a boot slot while all
 * of these hold:
 *   - it is an active domain carrying a baton policy record (started by the
 *     agent) with a known start time;
 *   - its balloon driver has never reported statistics (last_update 0):
 *     the guest kernel is not up yet;
 *   - it was started less than its boot budget (boot_grace) ago.
 * So a guest that crashed or was destroyed frees its slot by vanishing, a
 * guest that never comes alive frees it when its budget runs out, and every
 * agent process on the host sees the same truth through libvirt.
 */
#ifndef BATON_VM_BOOT_H
#define BATON_VM_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most slots boot_slots accepts (the metadata's maximum). */
#define VM_BOOT_MAX_SLOTS 4096

/* One active domain of the host, as the boot gate sees it. */
typedef struct vm_boot_guest {
    const char *name;
    bool managed;               /* carries a baton policy record */
    int64_t started;            /* Unix time of its start, <= 0 unknown */
    int64_t budget_s;           /* its own boot_grace from the record, < 0 unknown */
    uint64_t last_update;       /* balloon statistics time, 0 = never reported */
} vm_boot_guest;

/*
 * Whether g holds a boot slot at Unix time now. default_budget_s applies
 * when g carries no budget of its own. A start time in the future (the
 * clock was set back) counts as "just started" as long as it is at most one
 * budget ahead; further ahead, the record cannot be trusted and the guest
 * holds no slot: a slot must never be held for longer than two budgets.
 */
bool vm_boot_is_booting(const vm_boot_guest *g, int64_t now, int64_t default_budget_s);

/*
 * A guest counts as hung when its balloon driver, which reports every
 * period_s seconds from a kernel work item, has been silent for three periods
 * and 5 s of scheduling slack: its kernel no longer runs (a panic without a
 * panic device, a deadlock). The age of its last statistics in seconds when
 * hung, else 0 (fresh, or never reported: booting or without the driver,
 * which boot_grace judges).
 */
int64_t vm_boot_hung_age(uint64_t last_update, int64_t now, int64_t period_s);

/* The number of guests of g[n] holding a boot slot, exclude (may be NULL) left out. */
size_t vm_boot_count(const vm_boot_guest *g, size_t n, int64_t now, int64_t default_budget_s,
                     const char *exclude);

/*
 * "a, b, c" (the booting guests, in the order given; at most max_names,
 * then ", ..."), newly allocated; NULL on ENOMEM. "" when none boots.
 */
char *vm_boot_names(const vm_boot_guest *g, size_t n, int64_t now, int64_t default_budget_s,
                    const char *exclude, size_t max_names);

/*
 * The domains a waiting start has seen alive, by domain ID. An alive guest
 * stays alive (for the boot gate) until its domain is started again, which
 * gives it a new ID, so it need not be asked again while the start waits.
 */
typedef struct vm_boot_seen {
    unsigned *ids;
    size_t n;
} vm_boot_seen;

bool vm_boot_seen_has(const vm_boot_seen *s, unsigned id);
/* 0 or -ENOMEM (s unchanged). */
int vm_boot_seen_add(vm_boot_seen *s, unsigned id);
void vm_boot_seen_clear(vm_boot_seen *s);

/*
 * The number of slots for the parameter boot_slots: param > 0 as given (at
 * most VM_BOOT_MAX_SLOTS), else (0 = automatic) the host's CPU count, at
 * least 1.
 */
unsigned vm_boot_slots(int64_t param, unsigned host_cpus);

/*
 * How long before the action's deadline start stops waiting for a slot, to
 * keep time for the start itself: a third of the time left, at most 10 s.
 */
int64_t vm_boot_wait_reserve_ms(int64_t left_ms);

#endif /* BATON_VM_BOOT_H */
