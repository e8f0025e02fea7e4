/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vm agent's actions: start (with the memory plan), stop, monitor
 * (depths 0, 10, 20), reload-agent. Validation and the invocation's
 * settings are in vm-validate.c, the run directory's records of a start in
 * vm-state.c, the boot gate in vm-boot-slot.c, reaching libvirt (and what
 * the host tells without it) in vm-reach.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/cluster.h>
#include <baton/fileio.h>
#include <baton/strutil.h>

#include "vm.h"
#include "vm-actions.h"
#include "vm-admission.h"
#include "vm-boot.h"
#include "vm-lifecycle.h"
#include "vm-memory.h"
#include "vm-plan.h"
#include "vm-utilization.h"
#include "vm-ctx.h"

/* Graceful shutdown requests are repeated this often (a booting guest misses ACPI events). */
#define VM_SHUTDOWN_RESEND_MS 5000
/* How often stop looks at the domain's state. */
#define VM_STATE_POLL_MS 200
/* Plan, apply, confirm rounds before start gives up on finding memory. */
#define VM_PLAN_ROUNDS 4

/* 1 active, 0 inactive or gone, -EIO unknown (*ret_err). */
static int domain_active(virConnectPtr conn, const char *name, char **ret_err)
{
    autodomain dom = NULL;
    int r, code;

    r = vm_domain_lookup(conn, name, &dom, ret_err);
    if (r == -ENOENT) {
        free(*ret_err);
        *ret_err = NULL;
        return 0;
    }
    if (r < 0)
        return -EIO;
    r = virDomainIsActive(dom);
    if (r < 0) {
        *ret_err = vm_last_error(&code);
        if (code == VIR_ERR_NO_DOMAIN) {
            free(*ret_err);
            *ret_err = NULL;
            return 0;
        }
        return -EIO;
    }
    return r;
}

/* ---------------------------------------------------------------- memory */

static uint64_t param_mib(baton_ctx *ctx, const char *name)
{
    int64_t v = baton_param_int(ctx, name);

    return v > 0 ? (uint64_t) v * MIB : 0;
}

static void policy_from_params(baton_ctx *ctx, uint64_t max_kib, vm_policy *p)
{
    uint64_t target = param_mib(ctx, "target_memory");
    uint64_t floor_ = param_mib(ctx, "min_memory");
    baton_autofree char *rsc = NULL;

    p->target_kib = target ? target : max_kib;
    p->floor_kib = floor_ ? floor_ : p->target_kib;
    if (p->floor_kib > p->target_kib)
        p->floor_kib = p->target_kib;
    p->priority = (int) baton_param_int(ctx, "priority");
    p->boot_grace_s = baton_param_ms(ctx, "boot_grace") / 1000;
    /* the cluster-wide forecast restarts a failed host's VMs by resource */
    rsc = baton_ctx_resource(ctx) ? baton_cluster_resource_base(baton_ctx_resource(ctx)) : NULL;
    if (rsc && vm_policy_resource_valid(rsc))
        strcpy(p->resource, rsc);
}

/*
 * Hand free memory back to the VMs below their target. Best effort: a stop
 * has succeeded whatever happens here.
 */
static void give_back(baton_ctx *ctx, virConnectPtr conn, const char *exclude, bool locked)
{
    baton_deadline d = baton_deadline_cap(baton_ctx_deadline(ctx), 10000);
    /* flock conflicts between two open files of one process too: never lock twice */
    baton_autoclose int lock = locked ? -1 : vm_lock_take(d);
    baton_autofree char *err = NULL;
    baton_autofree vm_plan_vm *pv = NULL;
    vm_host host;
    vm_plan plan;
    int r;

    if (!locked && lock < 0) {
        baton_warn("memory give-back skipped: host lock: %s", strerror(-lock));
        return;
    }
    if (vm_host_collect(conn, exclude, true, &host, &err) < 0) {
        baton_warn("memory give-back skipped: %s", err ? err : "cannot list domains");
        return;
    }
    pv = calloc(host.n + 1, sizeof(*pv));
    if (!pv) {
        vm_host_clear(&host);
        return;
    }
    vm_host_to_plan(&host, pv);
    r = vm_plan_give_back(vm_host_capacity_kib(&host, param_mib(ctx, "host_memory"), param_mib(ctx, "host_reserve")),
                          pv, host.n, &plan);
    if (r == 0 && plan.n_changes > 0) {
        baton_info("giving %" PRIu64 " MiB back to %zu VM(s)", plan.taken_kib / MIB, plan.n_changes);
        vm_balloon_apply(&host, &plan, false, 0, d);
    }
    vm_plan_clear(&plan);
    vm_host_clear(&host);
}

/*
 * Whether the domain fits at its full size as the host is, judged from
 * libvirt's record of each balloon: no round trip into every guest's QEMU,
 * which answers slowly while guests boot, the very time many starts come.
 * true with the plan's figures; false when it must be planned with the
 * guests' statistics (or libvirt could not be asked: the full plan reports).
 */
static bool fits_as_is(baton_ctx *ctx, virConnectPtr conn, const vm_plan_demand *demand, uint64_t *ret_start_kib,
                       uint64_t *ret_free_kib)
{
    baton_autofree char *err = NULL;
    baton_autofree vm_plan_vm *pv = NULL;
    vm_plan plan;
    vm_host host;
    bool fits;

    if (vm_host_collect(conn, demand->name, false, &host, &err) < 0)
        return false;
    pv = calloc(host.n + 1, sizeof(*pv));
    if (!pv) {
        vm_host_clear(&host);
        return false;
    }
    vm_host_to_plan(&host, pv);
    fits = vm_plan_make_room(vm_host_capacity_kib(&host, param_mib(ctx, "host_memory"),
                                                  param_mib(ctx, "host_reserve")),
                             pv, host.n, demand, &plan) == 0 && plan.n_changes == 0;
    if (fits) {
        *ret_start_kib = plan.start_kib;
        *ret_free_kib = plan.free_kib;
    }
    vm_plan_clear(&plan);
    vm_host_clear(&host);
    return fits;
}

/*
 * Find room for the domain: plan, balloon, confirm; re-plan without the
 * guests that did not move. Returns 0 with *ret_start_kib, or an OCF code
 * with the reason (the shortfall) when the memory cannot be found.
 */
static int make_room(baton_ctx *ctx, virConnectPtr conn, const vm_policy *pol, uint64_t *ret_start_kib)
{
    const char *name = vm_settings_of(ctx)->name;
    baton_deadline d = baton_ctx_deadline(ctx);
    /* keep time for creating the domain after the balloons moved */
    baton_deadline balloon_d = baton_deadline_reserve(d, 5000);
    baton_autofree char *err = NULL;
    baton_autofree vm_plan_vm *pv = NULL;
    vm_plan_demand demand = {
        .name = name, .want_kib = pol->target_kib, .floor_kib = pol->floor_kib, .priority = pol->priority,
    };
    uint64_t capacity, free_kib;
    vm_host host;
    int rc = BATON_OCF_ERR_GENERIC;

    if (fits_as_is(ctx, conn, &demand, ret_start_kib, &free_kib)) {
        baton_info("domain %s fits: starts with %" PRIu64 " MiB (free %" PRIu64 " MiB)",
                   name, *ret_start_kib / MIB, free_kib / MIB);
        return BATON_OCF_SUCCESS;
    }
    if (vm_host_collect(conn, name, true, &host, &err) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot list the host's domains: %s", err);
    capacity = vm_host_capacity_kib(&host, param_mib(ctx, "host_memory"), param_mib(ctx, "host_reserve"));
    pv = calloc(host.n + 1, sizeof(*pv));
    if (!pv) {
        vm_host_clear(&host);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    }

    for (int round = 1;; round++) {
        vm_plan plan;
        int r;

        vm_host_to_plan(&host, pv);
        r = vm_plan_make_room(capacity, pv, host.n, &demand, &plan);
        if (r == -ENOSPC) {
            rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                "not enough memory for domain %s: %" PRIu64 " MiB short of its floor of %"
                                PRIu64 " MiB (host capacity %" PRIu64 " MiB, used by %zu domain(s) %" PRIu64
                                " MiB, free %" PRIu64 " MiB)",
                                name, (plan.shortfall_kib + MIB - 1) / MIB, pol->floor_kib / MIB,
                                capacity / MIB, host.n, plan.used_kib / MIB, plan.free_kib / MIB);
            vm_plan_clear(&plan);
            break;
        }
        if (r < 0) {
            rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "memory plan failed: %s", strerror(-r));
            vm_plan_clear(&plan);
            break;
        }
        if (plan.n_changes == 0) {
            *ret_start_kib = plan.start_kib;
            baton_info("domain %s fits: starts with %" PRIu64 " MiB (free %" PRIu64 " MiB)",
                       name, plan.start_kib / MIB, plan.free_kib / MIB);
            rc = BATON_OCF_SUCCESS;
            vm_plan_clear(&plan);
            break;
        }
        if (round > VM_PLAN_ROUNDS) {
            rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                "not enough memory for domain %s: guests did not balloon after %d rounds",
                                name, VM_PLAN_ROUNDS);
            vm_plan_clear(&plan);
            break;
        }
        baton_info("domain %s needs %" PRIu64 " MiB more than is free: shrinking %zu VM(s) by %" PRIu64 " MiB",
                   name, plan.need_kib / MIB, plan.n_changes, plan.taken_kib / MIB);
        vm_balloon_apply(&host, &plan, true, baton_param_ms(ctx, "balloon_timeout"), balloon_d);
        vm_plan_clear(&plan);
        /* the next round plans from the sizes reached; confirmed guests make it a no-op */
    }
    vm_host_clear(&host);
    return rc;
}

/* ---------------------------------------------------------------- start */

/* The domain's maximum and boot size, from the file or the definition. */
static int domain_sizes(baton_ctx *ctx, virConnectPtr conn, uint64_t *ret_max, uint64_t *ret_boot)
{
    vm_settings *s = vm_settings_of(ctx);
    baton_autofree char *err = NULL;
    autodomain dom = NULL;
    virDomainInfo info;
    int r;

    if (s->xml) {
        if (!s->dx.max_kib)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "config has no memory element");
        *ret_max = s->dx.max_kib;
        *ret_boot = s->dx.current_kib;
        return BATON_OCF_SUCCESS;
    }
    r = vm_domain_lookup(conn, s->name, &dom, &err);
    if (r == -ENOENT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "domain %s is not defined on this node", s->name);
    if (r < 0 || virDomainGetInfo(dom, &info) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot read domain %s: %s", s->name,
                              err ? err : "virDomainGetInfo failed");
    *ret_max = info.maxMem;
    *ret_boot = info.memory;
    return BATON_OCF_SUCCESS;
}

int vm_start(baton_ctx *ctx)
{
    vm_settings *s = vm_settings_of(ctx);
    autoconn conn = NULL;
    autodomain dom = NULL;
    baton_autofree char *err = NULL;
    baton_autoclose int lock = -1;
    uint64_t max_kib = 0, boot_kib = 0, start_kib = 0;
    vm_policy pol = {0};
    int rc, r;

    vm_ctx_watchdog(ctx, "start");
    rc = vm_ctx_connect(ctx, &conn);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    r = domain_active(conn, s->name, &err);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot query domain %s: %s", s->name, err);
    if (r == 1) {
        baton_info("domain %s is already running", s->name);
        return vm_ctx_state_write(ctx);
    }
    rc = domain_sizes(ctx, conn, &max_kib, &boot_kib);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    policy_from_params(ctx, max_kib, &pol);
    if (pol.target_kib > max_kib)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "target_memory (%" PRIu64 " MiB) is above the domain's maximum (%" PRIu64 " MiB)",
                              pol.target_kib / MIB, max_kib / MIB);

    /*
     * boot slot + plan + balloon + create under the lock: another agent's
     * plan must see this domain, and so must its count of booting guests
     */
    rc = vm_boot_slot_take(ctx, conn, &lock);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    rc = make_room(ctx, conn, &pol, &start_kib);
    if (rc != BATON_OCF_SUCCESS) {
        /* VMs shrunk in vain get their memory back */
        give_back(ctx, conn, s->name, true);
        return rc;
    }
    rc = vm_ctx_state_write(ctx);
    if (rc == BATON_OCF_SUCCESS)
        rc = vm_start_domain(ctx, conn, s->xml, s->name, &dom);
    if (rc != BATON_OCF_SUCCESS) {
        give_back(ctx, conn, s->name, true);
        return rc;
    }

    pol.started = (int64_t) time(NULL);
    if (vm_policy_set(dom, &pol) < 0) {
        err = vm_last_error(NULL);
        baton_warn("domain %s: cannot store the memory policy (%s): other agents will not shrink it",
                   s->name, err);
    }
    if (virDomainSetMemoryStatsPeriod(dom, (int) (baton_param_ms(ctx, "stats_period") / 1000),
                                      VIR_DOMAIN_AFFECT_LIVE) < 0)
        baton_debug("domain %s: cannot set the balloon statistics period", s->name);
    if (start_kib != boot_kib) {
        baton_info("domain %s: balloon target %" PRIu64 " MiB", s->name, start_kib / MIB);
        if (virDomainSetMemoryFlags(dom, start_kib, VIR_DOMAIN_AFFECT_LIVE) < 0) {
            free(err);
            err = vm_last_error(NULL);
            baton_warn("domain %s: cannot set the balloon to %" PRIu64 " MiB: %s", s->name, start_kib / MIB, err);
        }
    }
    vm_utilization_update(ctx, dom);
    baton_info("domain %s started", s->name);
    /* the other agents may plan now; the failover check is no part of the start */
    if (lock >= 0)
        close(baton_take_fd(lock));
    vm_admission_update(ctx, conn, true);
    return BATON_OCF_SUCCESS;
}

/* ---------------------------------------------------------------- stop */

/* Wait for the domain to become inactive until d; 1 inactive, 0 still active, -EIO. */
static int wait_inactive(virConnectPtr conn, const char *name, baton_deadline d, char **ret_err)
{
    for (;;) {
        int r = domain_active(conn, name, ret_err);

        if (r <= 0)
            return r < 0 ? r : 1;
        if (baton_deadline_expired(d))
            return 0;
        usleep(VM_STATE_POLL_MS * 1000);
    }
}

static int graceful_shutdown(baton_ctx *ctx, virConnectPtr conn, virDomainPtr dom, baton_deadline until)
{
    vm_settings *s = vm_settings_of(ctx);

    for (unsigned sent = 0; !baton_deadline_expired(until); sent++) {
        baton_deadline next = baton_deadline_cap(until, VM_SHUTDOWN_RESEND_MS);
        baton_autofree char *err = NULL;
        int r;

        if (sent > 0)
            baton_info("domain %s still running after %u shutdown request(s): asking again", s->name, sent);
        if (virDomainShutdownFlags(dom, s->shutdown_flags) < 0) {
            err = vm_last_error(NULL);
            baton_debug("shutdown request to %s: %s", s->name, err);
            free(err);
            err = NULL;
        }
        r = wait_inactive(conn, s->name, next, &err);
        if (r != 0)
            return r;
    }
    return 0;
}

/*
 * A hung kernel answers no shutdown request and writes no snapshot worth
 * having: waiting shutdown_timeout for it only keeps its services away longer.
 */
static bool guest_hung(baton_ctx *ctx, virDomainPtr dom)
{
    uint64_t actual, last;
    int64_t age_s;

    if (vm_memory_stats(dom, &actual, &last) < 0)
        return false;
    age_s = vm_boot_hung_age(last, (int64_t) time(NULL), baton_param_ms(ctx, "stats_period") / 1000);
    if (age_s > 0)
        baton_warn("domain %s: the guest's last balloon statistics are %" PRId64 " s old: its kernel is "
                   "hung, no shutdown request", vm_settings_of(ctx)->name, age_s);
    return age_s > 0;
}

static int destroy(baton_ctx *ctx, virConnectPtr conn, virDomainPtr dom)
{
    vm_settings *s = vm_settings_of(ctx);
    baton_deadline d = baton_ctx_deadline(ctx);

    /* virDomainDestroy can fail while QEMU is stuck in the kernel: try until the deadline */
    for (;;) {
        baton_autofree char *err = NULL, *qerr = NULL;
        int r;

        if (virDomainDestroyFlags(dom, 0) == 0)
            return 1;
        err = vm_last_error(NULL);
        r = domain_active(conn, s->name, &qerr);
        if (r == 0)
            return 1;
        baton_warn("destroy of %s failed: %s", s->name, err ? err : "unknown");
        if (baton_deadline_remaining_ms(d) < 1000)
            return 0;
        usleep(500000);
    }
}

int vm_stop(baton_ctx *ctx)
{
    vm_settings *s = vm_settings_of(ctx);
    const char *uri = baton_param_str(ctx, "hypervisor");
    autoconn conn = NULL;
    autodomain dom = NULL;
    baton_autofree char *err = NULL;
    baton_deadline d = baton_ctx_deadline(ctx);
    int r;

    vm_ctx_watchdog(ctx, "stop");
    if (vm_ctx_conn_open_waiting(ctx, uri, &conn, &err) < 0) {
        pid_t pid = 0;

        /* no daemon to ask and no process to stop: the proof that it is stopped */
        if (vm_domain_alive_without_hypervisor(uri, s->name, &pid) == 0) {
            baton_warn("cannot connect to %s (%s); domain %s does not run on this node: stopped",
                       uri, err, s->name);
            vm_ctx_state_remove(ctx);
            vm_utilization_forget(ctx);
            return BATON_OCF_SUCCESS;
        }
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "cannot connect to %s (%s); domain %s is not known to be stopped%s", uri, err,
                              s->name, pid > 0 ? " (its QEMU process is alive)" : "");
    }
    r = vm_domain_lookup(conn, s->name, &dom, &err);
    if (r == -EIO)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot look up domain %s: %s", s->name, err);
    r = r == -ENOENT ? 0 : domain_active(conn, s->name, &err);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot query domain %s: %s", s->name, err);

    if (r == 1) {
        int64_t left = baton_deadline_remaining_ms(d);
        /* destroy and its confirmation need time too: QEMU gets SIGTERM, then SIGKILL after ~10 s */
        int64_t reserve = left / 2 < 15000 ? left / 2 : 15000;
        int64_t budget = baton_param_ms(ctx, "shutdown_timeout");
        baton_deadline graceful = baton_deadline_reserve(d, reserve);
        int done = 0;

        if (budget > 0)
            graceful = baton_deadline_cap(graceful, budget);
        vm_saveconfig(ctx, dom, s->name);
        /* snapshot: the save takes the graceful phase's time; when it fails, the guest is shut down */
        if (!baton_param_bool(ctx, "force_stop") && !guest_hung(ctx, dom) &&
            !(done = vm_snapshot_save(ctx, dom, s->name, graceful))) {
            baton_info("requesting shutdown of %s (up to %" PRId64 " ms)", s->name,
                       baton_deadline_remaining_ms(graceful));
            done = graceful_shutdown(ctx, conn, dom, graceful);
            if (done < 0)
                return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "lost domain %s during shutdown", s->name);
        }
        if (!done) {
            baton_info("destroying %s", s->name);
            if (!destroy(ctx, conn, dom))
                return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s could not be destroyed", s->name);
        }
        /* the proof: libvirt says the domain is not active (or gone, when transient) */
        free(err);
        err = NULL;
        r = wait_inactive(conn, s->name, d, &err);
        if (r != 1)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s is still active after destroy%s%s",
                                  s->name, err ? ": " : "", err ? err : "");
        baton_info("domain %s stopped", s->name);
    }
    give_back(ctx, conn, s->name, false);
    vm_ctx_state_remove(ctx);
    vm_utilization_forget(ctx);
    vm_admission_update(ctx, conn, true);
    return BATON_OCF_SUCCESS;
}

/* ---------------------------------------------------------------- monitor */

static int monitor_alive(baton_ctx *ctx, virDomainPtr dom)
{
    const char *name = vm_settings_of(ctx)->name;
    uint64_t actual, last;
    int64_t age_s;

    if (vm_memory_stats(dom, &actual, &last) < 0) {
        baton_autofree char *err = vm_last_error(NULL);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s: no memory statistics: %s", name, err);
    }
    if (last == 0) {
        if (vm_in_boot_grace(ctx, vm_started_at(dom), &age_s)) {
            baton_debug("domain %s: no guest statistics yet, started %" PRId64 " s ago", name, age_s);
            return BATON_OCF_SUCCESS;
        }
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "domain %s: the guest delivers no balloon statistics (no driver, or not booted)",
                              name);
    }
    age_s = vm_boot_hung_age(last, (int64_t) time(NULL), baton_param_ms(ctx, "stats_period") / 1000);
    if (age_s > 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "domain %s: the guest's last balloon statistics are %" PRId64 " s old (hung?)",
                              name, age_s);
    return BATON_OCF_SUCCESS;
}

/*
 * A failed health check of a guest still within boot_grace of its start,
 * and not yet seen healthy since, is not a failure: the service inside is not
 * up yet, and Pacemaker's first recurring monitor comes seconds after start (a
 * restart would only begin the boot again).
 */
static int health_failed(baton_ctx *ctx, virDomainPtr dom, const char *err)
{
    const char *name = vm_settings_of(ctx)->name;
    int64_t started = vm_started_at(dom), age_s;

    if (!vm_healthy_since_start(ctx, started) && vm_in_boot_grace(ctx, started, &age_s)) {
        baton_info("domain %s: health check failed %" PRId64 " s after start, within boot_grace: %s",
                   name, age_s, err ? err : "failed");
        return BATON_OCF_SUCCESS;
    }
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s: health check: %s", name, err ? err : "failed");
}

static int monitor_health(baton_ctx *ctx, virDomainPtr dom)
{
    int64_t to = baton_param_ms(ctx, "health_timeout");
    baton_autofree char *err = NULL;

    if (baton_param_is_set(ctx, "health_tcp") &&
        vm_health_tcp(baton_param_str(ctx, "health_tcp"), to, &err) < 0)
        return health_failed(ctx, dom, err);
    free(err);
    err = NULL;
    if (baton_param_is_set(ctx, "health_url") &&
        vm_health_http(baton_param_str(ctx, "health_url"), to, &err) < 0)
        return health_failed(ctx, dom, err);
    vm_healthy_record(ctx, dom);
    return BATON_OCF_SUCCESS;
}

int vm_monitor(baton_ctx *ctx)
{
    const char *name = vm_settings_of(ctx)->name;
    const char *uri = baton_param_str(ctx, "hypervisor");
    autoconn conn = NULL;
    autodomain dom = NULL;
    baton_autofree char *err = NULL;
    const char *desc;
    int state, reason, rc, r;

    vm_ctx_watchdog(ctx, "monitor");
    vm_monitor_verdict_arm(ctx);
    if (vm_ctx_conn_open_waiting(ctx, uri, &conn, &err) < 0)
        return vm_monitor_without_hypervisor(ctx, uri, err);
    r = vm_domain_state(conn, name, &dom, &state, &reason, &err);
    if (r == -ENOENT) {
        /* probes reach every node: a host without a VM yet still tells what it can take */
        vm_admission_update(ctx, conn, false);
        return baton_ctx_fail(ctx, BATON_OCF_NOT_RUNNING, "domain %s is not running", name);
    }
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot get the state of domain %s: %s", name, err);
    rc = vm_state_to_ocf(state, reason, &desc);
    if (rc != BATON_OCF_SUCCESS)
        return baton_ctx_fail(ctx, rc, "domain %s is %s", name, desc);
    if (state == VIR_DOMAIN_PAUSED)
        baton_warn("domain %s is %s", name, desc);
    if (baton_ctx_check_level(ctx) >= 10 && state != VIR_DOMAIN_PAUSED) {
        rc = monitor_alive(ctx, dom);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
    }
    if (baton_ctx_check_level(ctx) >= 20) {
        vm_monitor_verdict_clear();
        rc = monitor_health(ctx, dom);
        if (rc != BATON_OCF_SUCCESS)
            return rc;
        vm_monitor_verdict_arm(ctx);
    }
    vm_utilization_update(ctx, dom);
    vm_saveconfig(ctx, dom, name);
    vm_admission_update(ctx, conn, false);
    return BATON_OCF_SUCCESS;
}

/* ---------------------------------------------------------------- reload-agent */

/*
 * New memory policy for the running domain: record it, bring the balloon
 * within the new bounds, hand out what is free.
 */
int vm_reload_agent(baton_ctx *ctx)
{
    const char *name = vm_settings_of(ctx)->name;
    autoconn conn = NULL;
    autodomain dom = NULL;
    baton_autofree char *err = NULL;
    vm_policy old = {0}, pol = {0};
    virDomainInfo info;
    uint64_t actual, last;
    int rc, r;

    vm_ctx_watchdog(ctx, "reload");
    rc = vm_ctx_connect(ctx, &conn);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    r = vm_domain_lookup(conn, name, &dom, &err);
    if (r == -ENOENT || (r == 0 && virDomainIsActive(dom) == 0))
        return BATON_OCF_SUCCESS;
    if (r < 0 || virDomainGetInfo(dom, &info) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot read domain %s: %s", name, err ? err : "");
    policy_from_params(ctx, info.maxMem, &pol);
    if (pol.target_kib > info.maxMem)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "target_memory is above the domain's maximum");
    if (vm_policy_get(dom, &old) == 0) {
        pol.uncooperative = old.uncooperative;
        pol.started = old.started;
    }
    if (vm_policy_set(dom, &pol) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot store the memory policy of %s", name);
    if (vm_memory_stats(dom, &actual, &last) == 0 && actual > pol.target_kib + VM_BALLOON_SLACK_KIB) {
        baton_info("domain %s: %" PRIu64 " MiB is above the new target: balloon to %" PRIu64 " MiB",
                   name, actual / MIB, pol.target_kib / MIB);
        if (virDomainSetMemoryFlags(dom, pol.target_kib, VIR_DOMAIN_AFFECT_LIVE) < 0)
            baton_warn("domain %s: cannot set the balloon", name);
    }
    give_back(ctx, conn, NULL, false);
    return BATON_OCF_SUCCESS;
}

/* ---------------------------------------------------------------- shared */

uint64_t vm_ctx_param_kib(baton_ctx *ctx, const char *name)
{
    return param_mib(ctx, name);
}
