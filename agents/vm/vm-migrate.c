/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Live migration: migrate_to (on the source) and migrate_from (on the
 * target). Pacemaker runs them with allow-migrate=true, then a stop on the
 * source, which finds no domain there.
 *
 * migrate_to checks the target before anything moves (it answers, the
 * domain does not already run there, its free memory takes the domain at
 * its current size), then runs the migration call in a thread while this
 * one logs the job's progress and aborts the job (virDomainAbortJob) before
 * the action's deadline, so that the reason is ours and the guest keeps
 * running on the source instead of the agent being killed mid-migration.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/strutil.h>
#include <baton/watchdog.h>

#include "vm.h"
#include "vm-actions.h"
#include "vm-lifecycle.h"
#include "vm-memory.h"
#include "vm-migrate.h"
#include "vm-migrate-options.h"
#include "vm-utilization.h"

#define MIB UINT64_C(1024)
/* How often the job is sampled, and how often a sample is logged at info level. */
#define VM_MIGRATE_SAMPLE_MS 1000
#define VM_MIGRATE_LOG_MS 5000

typedef struct migrate_job {
    virDomainPtr dom;
    virConnectPtr dconn;        /* managed mode: the agent's connection to the target */
    const char *dconnuri;       /* peer-to-peer: the URI the source daemon connects to */
    virTypedParameterPtr params;
    int nparams;
    unsigned int flags;
    vm_bg_call call;
} migrate_job;

static void *migrate_main(void *arg)
{
    migrate_job *j = arg;
    int rc;

    if (j->dconn) {
        virDomainPtr ddom = virDomainMigrate3(j->dom, j->dconn, j->params, (unsigned int) j->nparams, j->flags);

        rc = ddom ? 0 : -1;
        if (ddom)
            virDomainFree(ddom);
    } else {
        rc = virDomainMigrateToURI3(j->dom, j->dconnuri, j->params, (unsigned int) j->nparams, j->flags);
    }
    vm_bg_call_finish(&j->call, rc);
    return NULL;
}

static bool sample(virDomainPtr dom, vm_migrate_progress *p)
{
    virDomainJobInfo info;

    if (virDomainGetJobInfo(dom, &info) < 0 || info.type == VIR_DOMAIN_JOB_NONE)
        return false;
    p->elapsed_ms = info.timeElapsed;
    p->data_total = info.dataTotal;
    p->data_processed = info.dataProcessed;
    p->data_remaining = info.dataRemaining;
    return true;
}

/* ---------------------------------------------------------------- pre-flight */

/*
 * The target answers, does not run the domain already, and has the memory
 * for it at its current size in its free memory (capacity - what its
 * domains hold), with this resource's host_memory and host_reserve. Nothing
 * is shrunk on the target for an incoming migration (the target's host lock
 * cannot be taken from here); when the memory is not free, the migration
 * fails, and Pacemaker's recovery (stop here, start there) runs the planner
 * there, which may balloon other VMs.
 */
static int preflight(baton_ctx *ctx, virConnectPtr dconn, const char *uri, uint64_t need_kib)
{
    const char *name = vm_ctx_domain_name(ctx);
    baton_autofree char *err = NULL;
    autodomain ddom = NULL;
    vm_host host;
    uint64_t capacity, used = 0, short_kib = 0;
    int r;

    r = vm_domain_lookup(dconn, name, &ddom, &err);
    if (r == -EIO)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "migration pre-flight: cannot look up %s on %s: %s",
                              name, uri, err);
    if (r == 0 && virDomainIsActive(ddom) == 1)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "migration pre-flight: domain %s is already active on %s",
                              name, uri);
    free(err);
    err = NULL;
    if (vm_host_collect(dconn, name, true, &host, &err) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "migration pre-flight: cannot list the domains on %s: %s",
                              uri, err ? err : "");
    capacity = vm_host_capacity_kib(&host, vm_ctx_param_kib(ctx, "host_memory"),
                                    vm_ctx_param_kib(ctx, "host_reserve"));
    for (size_t i = 0; i < host.n; i++)
        used += host.vms[i].actual_kib;
    r = vm_migrate_fits(capacity, used, need_kib, &short_kib);
    if (r < 0) {
        int rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                "migration pre-flight: %s has %" PRIu64 " MiB free for domain %s of %" PRIu64
                                " MiB (%" PRIu64 " MiB short; capacity %" PRIu64 " MiB, %zu domain(s) hold %"
                                PRIu64 " MiB)", uri, vm_plan_sat_sub(capacity, used) / MIB, name,
                                need_kib / MIB, (short_kib + MIB - 1) / MIB, capacity / MIB, host.n, used / MIB);
        vm_host_clear(&host);
        return rc;
    }
    baton_info("migration pre-flight: %s has %" PRIu64 " MiB free for domain %s of %" PRIu64 " MiB",
               uri, (capacity - used) / MIB, name, need_kib / MIB);
    vm_host_clear(&host);
    return BATON_OCF_SUCCESS;
}

/* ---------------------------------------------------------------- migrate_to */

typedef struct migrate_uris {
    char *host;                 /* the target node's name with the network suffix */
    char *remote;               /* its libvirt URI */
    char *data;                 /* migrateuri expanded, NULL: libvirt's choice */
} migrate_uris;

static void uris_clear(migrate_uris *u)
{
    free(u->host);
    free(u->remote);
    free(u->data);
}

/*
 * The target's libvirt URI (remoteuri, else derived from hypervisor with
 * migration_transport and migration_user) and the data URI: migrateuri,
 * else --migrateuri of migrate_options, else what VirtualDomain derives
 * from migration_network_suffix and migrateport (never in a tunnelled
 * migration, whose data has no URI of its own).
 */
static int uris_make(baton_ctx *ctx, const char *target, const char *opt_migrateuri, bool tunnelled,
                     migrate_uris *u)
{
    const char *remoteuri = baton_param_str(ctx, "remoteuri");
    const char *migrateuri = baton_param_str(ctx, "migrateuri");
    const char *suffix = baton_param_str(ctx, "migration_network_suffix");
    int64_t port = baton_param_is_set(ctx, "migrateport") ? baton_param_int(ctx, "migrateport") : 0;
    baton_autofree char *plain = NULL;
    int r;

    if (vm_migrate_target_host(target, baton_param_str(ctx, "migration_network_suffix"), &u->host) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (remoteuri && *remoteuri) {
        r = vm_uri_expand(remoteuri, u->host, &u->remote);
        if (r < 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "remoteuri '%s': only %%n and %%%% may follow a %%",
                                  remoteuri);
    } else {
        r = vm_migrate_remote_uri(baton_param_str(ctx, "hypervisor"), baton_param_str(ctx, "migration_transport"),
                                  u->host, &plain);
        if (r == 0)
            r = vm_uri_add_user(plain, baton_param_str(ctx, "migration_user"), &u->remote);
        if (r < 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                                  "cannot derive the target's URI from hypervisor '%s': set remoteuri",
                                  baton_param_str(ctx, "hypervisor"));
    }
    if (!(migrateuri && *migrateuri))
        migrateuri = opt_migrateuri;
    if (migrateuri && *migrateuri) {
        r = vm_uri_expand(migrateuri, u->host, &u->data);
        if (r < 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "migrateuri '%s': only %%n and %%%% may follow a %%",
                                  migrateuri);
    } else if (!tunnelled) {
        r = vm_migrate_data_uri(baton_param_str(ctx, "hypervisor"), u->host, suffix && *suffix, port, &u->data);
        if (r == -EINVAL)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "migrateport is used with qemu hypervisors only");
        if (r < 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    }
    return BATON_OCF_SUCCESS;
}

/* migrate_options' typed parameters, as virsh would pass them. 0 or -1 (out of memory). */
static int add_option_params(const vm_migrate_options *o, virTypedParameterPtr *params, int *n, int *max)
{
    for (size_t i = 0; i < o->n; i++) {
        const vm_mopt_param *p = &o->params[i];
        int r;

        if (p->type == VM_MOPT_INT)
            r = virTypedParamsAddInt(params, n, max, p->name, (int) p->num);
        else if (p->type == VM_MOPT_ULLONG)
            r = virTypedParamsAddULLong(params, n, max, p->name, (unsigned long long) p->num);
        else
            r = virTypedParamsAddString(params, n, max, p->name, p->str);
        if (r < 0)
            return -1;
    }
    return 0;
}

/* start_resources: the target's pools and networks the domain uses, as VirtualDomain does before migrating. */
static int target_resources(baton_ctx *ctx, virDomainPtr dom, virConnectPtr dconn, const char *uri)
{
    baton_autofree char *xml = NULL, *err = NULL;

    if (!baton_param_bool(ctx, "start_resources"))
        return BATON_OCF_SUCCESS;
    xml = virDomainGetXMLDesc(dom, 0);
    if (!xml) {
        err = vm_last_error(NULL);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot read the XML of domain %s: %s",
                              vm_ctx_domain_name(ctx), err ? err : "");
    }
    if (vm_resources_start(dconn, xml, &err) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "on %s: %s", uri, err ? err : "start_resources");
    return BATON_OCF_SUCCESS;
}

/* The domain's size now: the balloon's actual size, else what libvirt calls its memory. */
static int current_kib(virDomainPtr dom, uint64_t *ret)
{
    virDomainInfo info;
    uint64_t actual, last;

    if (vm_memory_stats(dom, &actual, &last) == 0 && actual > 0) {
        *ret = actual;
        return 0;
    }
    if (virDomainGetInfo(dom, &info) < 0)
        return -EIO;
    *ret = info.memory;
    return 0;
}

/* Run the job, log its progress, abort it at abort_at. Returns whether it was aborted. */
static bool run_job(baton_ctx *ctx, migrate_job *job, const char *target, baton_deadline abort_at)
{
    const char *name = vm_ctx_domain_name(ctx);
    int64_t next_sample = baton_now_ms() + VM_MIGRATE_SAMPLE_MS, next_log = baton_now_ms() + VM_MIGRATE_LOG_MS;
    vm_migrate_progress last = {0};
    bool aborted = false;
    char line[160];

    /* woken by the call's return: its end is noticed at once, not at the next sample */
    while (!vm_bg_call_wait(&job->call, aborted || next_sample < abort_at.end_ms ? next_sample : abort_at.end_ms)) {
        int64_t now = baton_now_ms();

        if (now >= next_sample) {
            next_sample = now + VM_MIGRATE_SAMPLE_MS;
            if (sample(job->dom, &last)) {
                vm_migrate_progress_format(&last, line, sizeof(line));
                baton_debug("migration of %s to %s: %s", name, target, line);
            }
        }
        if (now >= next_log) {
            next_log = now + VM_MIGRATE_LOG_MS;
            vm_migrate_progress_format(&last, line, sizeof(line));
            baton_info("migration of %s to %s: %s", name, target, line);
        }
        if (!aborted && baton_deadline_expired(abort_at)) {
            vm_migrate_progress_format(&last, line, sizeof(line));
            baton_warn("migration of %s to %s did not finish in time (%s): aborting it", name, target, line);
            if (virDomainAbortJob(job->dom) < 0) {
                baton_autofree char *err = vm_last_error(NULL);
                baton_warn("abort of the migration of %s: %s", name, err);
            }
            aborted = true;
            baton_autofree char *why = baton_strdup_printf("migrate_to of domain %s was aborted and did not "
                                                           "end before the operation's deadline", name);
            if (why)
                baton_watchdog_set_reason(why);
        }
    }
    return aborted;
}

int vm_migrate_to(baton_ctx *ctx)
{
    const char *name = vm_ctx_domain_name(ctx);
    const char *target = baton_ctx_meta(ctx, "migrate_target");
    baton_deadline d = baton_ctx_deadline(ctx);
    autoconn conn = NULL;
    autoconn dconn = NULL;
    autodomain dom = NULL;
    baton_autofree char *err = NULL;
    migrate_uris uris = {0};
    vm_migrate_options opts = {0};
    migrate_job job = { .call = VM_BG_CALL_INIT };
    vm_migrate_mode mode = VM_MIGRATE_MANAGED;
    int maxparams = 0, rc, r;
    int64_t downtime = baton_param_int(ctx, "migration_downtime");
    int64_t speed = baton_param_int(ctx, "migration_speed");
    uint64_t need_kib = 0;
    int64_t t0 = baton_now_ms();
    pthread_t thread;
    bool aborted;

    vm_ctx_watchdog(ctx, "migrate_to");
    if (!target || !*target)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "no migration target (OCF_RESKEY_CRM_meta_migrate_target): migrate_to is run by "
                              "Pacemaker for resources with allow-migrate=true");
    if (vm_migrate_mode_parse(baton_param_str(ctx, "migration_mode"), &mode) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "migration_mode '%s' is not managed, p2p or tunnelled",
                              baton_param_str(ctx, "migration_mode"));
    /* validate parsed them already: a failure here is out of memory */
    if (vm_migrate_options_parse(baton_param_str(ctx, "migrate_options"), &opts, &err) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "%s", err ? err : "migrate_options: out of memory");
    job.flags = vm_migrate_flags(mode) | opts.flags;
    rc = uris_make(ctx, target, opts.migrateuri, job.flags & VIR_MIGRATE_TUNNELLED, &uris);
    if (rc != BATON_OCF_SUCCESS)
        goto out;

    rc = vm_ctx_connect(ctx, &conn);
    if (rc != BATON_OCF_SUCCESS)
        goto out;
    r = vm_domain_lookup(conn, name, &dom, &err);
    if (r < 0 || virDomainIsActive(dom) != 1) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s is not running on this node%s%s", name,
                            err ? ": " : "", err ? err : "");
        goto out;
    }
    if (current_kib(dom, &need_kib) < 0) {
        free(err);
        err = vm_last_error(NULL);
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot read the size of domain %s: %s", name, err);
        goto out;
    }

    free(err);
    err = NULL;
    if (vm_conn_open(uris.remote, &dconn, &err) < 0) {
        rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "migration pre-flight: cannot connect to %s (node %s): %s",
                            uris.remote, target, err);
        goto out;
    }
    rc = preflight(ctx, dconn, uris.remote, need_kib);
    if (rc != BATON_OCF_SUCCESS)
        goto out;
    rc = target_resources(ctx, dom, dconn, uris.remote);
    if (rc != BATON_OCF_SUCCESS)
        goto out;
    vm_saveconfig(ctx, dom, name);
    if (add_option_params(&opts, &job.params, &job.nparams, &maxparams) < 0)
        goto nomem;

    if (uris.data &&
        virTypedParamsAddString(&job.params, &job.nparams, &maxparams, VIR_MIGRATE_PARAM_URI, uris.data) < 0)
        goto nomem;
    if (speed > 0 &&
        virTypedParamsAddULLong(&job.params, &job.nparams, &maxparams, VIR_MIGRATE_PARAM_BANDWIDTH,
                                (unsigned long long) speed) < 0)
        goto nomem;
    if (downtime > 0 && virDomainMigrateSetMaxDowntime(dom, (unsigned long long) downtime, 0) < 0) {
        free(err);
        err = vm_last_error(NULL);
        baton_warn("domain %s: cannot set the migration downtime to %" PRId64 " ms: %s", name, downtime, err);
    }
    job.dom = dom;
    /* --p2p in migrate_options makes a managed migration peer-to-peer, as it does for virsh */
    if (!(job.flags & VIR_MIGRATE_PEER2PEER))
        job.dconn = dconn;
    else
        job.dconnuri = uris.remote;

    {
        int64_t reserve = vm_migrate_abort_reserve_ms(baton_deadline_remaining_ms(d));
        baton_deadline abort_at = baton_deadline_reserve(d, reserve);

        baton_info("migrating domain %s (%" PRIu64 " MiB) to %s (%s%s%s), flags 0x%x, %d parameter(s), aborting "
                   "after %" PRId64 " ms", name, need_kib / MIB, target, uris.remote, uris.data ? ", data " : "",
                   uris.data ? uris.data : "", job.flags, job.nparams, baton_deadline_remaining_ms(abort_at));
        r = pthread_create(&thread, NULL, migrate_main, &job);
        if (r != 0) {
            rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot start the migration thread: %s", strerror(r));
            goto out;
        }
        aborted = run_job(ctx, &job, target, abort_at);
        pthread_join(thread, NULL);
    }

    if (job.call.rc == 0) {
        if (aborted)
            baton_notice("migration of %s to %s finished although it was being aborted", name, target);
        baton_info("domain %s migrated to %s in %" PRId64 " ms", name, target, baton_now_ms() - t0);
        rc = BATON_OCF_SUCCESS;
    } else {
        /* say where the guest is: the abort resumes it on the source */
        int here = virDomainIsActive(dom);
        const char *where = here == 1 ? "; the domain keeps running on this node"
                            : here == 0 ? "; the domain is not running on this node" : "";

        if (aborted)
            rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                                "migration of %s to %s aborted after %" PRId64 " ms: not finished before the "
                                "operation's deadline (%s)%s", name, target, baton_now_ms() - t0,
                                job.call.err ? job.call.err : "", where);
        else
            rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "migration of %s to %s failed: %s%s", name, target,
                                job.call.err ? job.call.err : "unknown error", where);
    }
    goto out;

nomem:
    rc = baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
out:
    virTypedParamsFree(job.params, job.nparams);
    free(job.call.err);
    uris_clear(&uris);
    vm_migrate_options_clear(&opts);
    return rc;
}

/* ---------------------------------------------------------------- migrate_from */

/*
 * On the target, after migrate_to returned: the domain must be here and
 * running. The memory was checked by the source's pre-flight; nothing is
 * ballooned here (the domain arrives at its size on the source).
 */
int vm_migrate_from(baton_ctx *ctx)
{
    const char *name = vm_ctx_domain_name(ctx);
    autoconn conn = NULL;
    autodomain dom = NULL;
    baton_autofree char *err = NULL;
    const char *desc;
    int state, reason, rc, r;

    vm_ctx_watchdog(ctx, "migrate_from");
    rc = vm_ctx_connect(ctx, &conn);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    r = vm_domain_state(conn, name, &dom, &state, &reason, &err);
    if (r == -ENOENT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s did not arrive on this node", name);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot get the state of domain %s: %s", name, err);
    if (state == VIR_DOMAIN_SHUTOFF)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s did not arrive on this node (shut off)", name);
    if (vm_state_to_ocf(state, reason, &desc) != BATON_OCF_SUCCESS)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s arrived but is %s", name, desc);
    rc = vm_ctx_state_write(ctx);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    if (virDomainSetMemoryStatsPeriod(dom, (int) (baton_param_ms(ctx, "stats_period") / 1000),
                                      VIR_DOMAIN_AFFECT_LIVE) < 0)
        baton_debug("domain %s: cannot set the balloon statistics period", name);
    vm_utilization_update(ctx, dom);
    vm_saveconfig(ctx, dom, name);
    baton_info("domain %s arrived on this node (%s)", name, desc);
    return BATON_OCF_SUCCESS;
}
