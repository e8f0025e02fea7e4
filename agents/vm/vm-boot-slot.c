/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vm agent's boot gate: a start waits until fewer guests boot on this
 * host than boot_slots allows (the counting is vm-boot.c's), and creates its
 * domain under the host lock.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/deadline.h>
#include <baton/strutil.h>

#include "vm.h"
#include "vm-boot.h"
#include "vm-ctx.h"
#include "vm-memory.h"

/* How often a start waiting for a boot slot looks again. */
#define VM_BOOT_POLL_MS 250
/* Booting guests named in the log and the exit reason. */
#define VM_BOOT_NAMES_MAX 8

static int lock_or_fail(baton_ctx *ctx, baton_deadline d)
{
    int fd = vm_lock_take(d);

    if (fd < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot take the host memory lock in %s: %s",
                              vm_rundir(), fd == -ETIME ? "another agent held it until the deadline"
                                                        : strerror(-fd));
    return fd;
}

/*
 * Wait until fewer guests are booting on this host than boot_slots allows
 * (vm-boot.h), and return with the host lock held in *ret_lock: the domain
 * created under it counts as booting for the next agent. The lock is not
 * held while waiting. Gives up (1, naming the booting guests) in time to
 * leave the start itself a reserve of the deadline.
 */
int vm_boot_slot_take(baton_ctx *ctx, virConnectPtr conn, int *ret_lock)
{
    const char *name = vm_settings_of(ctx)->name;
    baton_deadline d = baton_ctx_deadline(ctx);
    baton_deadline give_up = baton_deadline_reserve(d, vm_boot_wait_reserve_ms(baton_deadline_remaining_ms(d)));
    int64_t budget_s = baton_param_ms(ctx, "boot_grace") / 1000;
    int64_t t0 = baton_now_ms();
    __attribute__((cleanup(vm_boot_seen_clear))) vm_boot_seen alive = {0};
    bool waited = false;
    virNodeInfo node;
    unsigned slots;

    if (virNodeGetInfo(conn, &node) < 0) {
        baton_autofree char *err = vm_last_error(NULL);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot read the host's CPU count: %s", err);
    }
    slots = vm_boot_slots(baton_param_int(ctx, "boot_slots"), node.cpus);
    for (;;) {
        __attribute__((cleanup(vm_boot_list_clear))) vm_boot_list booting = {0};
        baton_autofree char *err = NULL, *names = NULL;
        baton_autoclose int lock = -1;
        int64_t now;
        size_t n_booting;

        lock = lock_or_fail(ctx, baton_deadline_reserve(d, 5000));
        if (lock < 0)
            return BATON_OCF_ERR_GENERIC;
        now = (int64_t) time(NULL);
        if (vm_host_booting(conn, name, now, budget_s, &alive, &booting, &err) < 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot list the host's domains: %s", err);
        /* the scan only left out who cannot be booting: the count is the pure function's */
        n_booting = vm_boot_count(booting.guests, booting.n, now, budget_s, name);
        if (n_booting < slots) {
            if (waited)
                baton_info("domain %s got a boot slot after waiting %" PRId64 " ms (%zu of %u in use)",
                           name, baton_now_ms() - t0, n_booting, slots);
            else
                baton_debug("domain %s: boot slot free (%zu of %u in use)", name, n_booting, slots);
            *ret_lock = baton_take_fd(lock);
            return BATON_OCF_SUCCESS;
        }
        names = vm_boot_names(booting.guests, booting.n, now, budget_s, name, VM_BOOT_NAMES_MAX);
        if (!waited) {
            baton_info("waiting for a boot slot: %zu guest(s) booting (%s), limit %u",
                       n_booting, names ? names : "?", slots);
            waited = true;
        }
        if (baton_deadline_expired(give_up))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                  "no boot slot for domain %s after waiting %" PRId64 " ms: %zu guest(s) booting"
                                  " (%s), limit %u", name, baton_now_ms() - t0, n_booting, names ? names : "?",
                                  slots);
        /* not held while sleeping: the agents of the booting guests need it */
        close(baton_take_fd(lock));
        usleep((useconds_t) (baton_deadline_remaining_ms(baton_deadline_cap(give_up, VM_BOOT_POLL_MS)) * 1000));
    }
}
