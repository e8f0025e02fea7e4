/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host's VMs and ballooning (see vm-memory.h).
 *
 * The authority for a guest's size is the balloon's actual size
 * (VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON): what the guest has given up to, not
 * what was requested. virDomainSetMemoryFlags returns as soon as the
 * hypervisor accepted the request, even when no balloon driver will ever act
 * on it, so every change is confirmed by polling the actual size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include <baton/cleanup.h>
#include <baton/log.h>

#include "vm-hostattr.h"
#include "vm-memory.h"

int vm_memory_stats(virDomainPtr dom, uint64_t *ret_actual_kib, uint64_t *ret_last_update)
{
    virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
    uint64_t actual = 0, last = 0;
    bool have_actual = false;
    int n;

    n = virDomainMemoryStats(dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
    if (n < 0)
        return -EIO;
    for (int i = 0; i < n; i++) {
        if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON) {
            actual = st[i].val;
            have_actual = true;
        } else if (st[i].tag == VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE) {
            last = st[i].val;
        }
    }
    if (!have_actual) {
        /* no balloon device at all: the domain holds what libvirt says it has */
        virDomainInfo info;

        if (virDomainGetInfo(dom, &info) < 0)
            return -EIO;
        actual = info.memory;
    }
    *ret_actual_kib = actual;
    *ret_last_update = last;
    return 0;
}

int vm_policy_get(virDomainPtr dom, vm_policy *ret)
{
    char *xml;
    int code, r;

    xml = virDomainGetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, VM_POLICY_NS, VIR_DOMAIN_AFFECT_LIVE);
    if (!xml) {
        free(vm_last_error(&code));
        return code == VIR_ERR_NO_DOMAIN_METADATA ? -ENOENT : -EIO;
    }
    r = vm_policy_parse(xml, ret);
    free(xml);
    return r < 0 ? -ENOENT : 0;
}

int vm_policy_set(virDomainPtr dom, const vm_policy *p)
{
    char *xml = vm_policy_format(p);
    int r;

    if (!xml)
        return -ENOMEM;
    r = virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, xml, VM_POLICY_KEY, VM_POLICY_NS,
                             VIR_DOMAIN_AFFECT_LIVE);
    free(xml);
    return r < 0 ? -EIO : 0;
}

void vm_host_clear(vm_host *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        free(h->vms[i].name);
        if (h->vms[i].dom)
            virDomainFree(h->vms[i].dom);
    }
    free(h->vms);
    *h = (vm_host) {0};
}

int vm_host_collect(virConnectPtr conn, const char *exclude, bool stats, vm_host *ret, char **ret_err)
{
    virDomainPtr *doms = NULL;
    vm_host h = {0};
    virNodeInfo node;
    int n;

    *ret = (vm_host) {0};
    if (virNodeGetInfo(conn, &node) < 0) {
        *ret_err = vm_last_error(NULL);
        return -EIO;
    }
    h.node_kib = node.memory;
    h.node_cpus = node.cpus;
    n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    if (n < 0) {
        *ret_err = vm_last_error(NULL);
        return -EIO;
    }
    h.vms = calloc((size_t) n + 1, sizeof(*h.vms));
    if (!h.vms) {
        for (int i = 0; i < n; i++)
            virDomainFree(doms[i]);
        free(doms);
        *ret_err = strdup("out of memory");
        return -ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        vm_host_vm *v = &h.vms[h.n];
        const char *name = virDomainGetName(doms[i]);
        virDomainInfo info;

        if (!name || (exclude && strcmp(name, exclude) == 0)) {
            virDomainFree(doms[i]);
            continue;
        }
        /* a domain that vanished meanwhile holds no memory any more */
        if (virDomainGetInfo(doms[i], &info) < 0 ||
            (stats && vm_memory_stats(doms[i], &v->actual_kib, &v->last_update) < 0)) {
            baton_debug("domain %s: no memory figures (gone?), left out", name);
            virDomainFree(doms[i]);
            *v = (vm_host_vm) {0};
            continue;
        }
        v->name = strdup(name);
        v->dom = doms[i];
        h.n++;
        if (!v->name) {
            for (int j = i + 1; j < n; j++)
                virDomainFree(doms[j]);
            free(doms);
            vm_host_clear(&h);
            *ret_err = strdup("out of memory");
            return -ENOMEM;
        }
        v->max_kib = info.maxMem;
        if (!stats)
            v->actual_kib = info.memory;
        v->managed = vm_policy_get(v->dom, &v->policy) == 0;
    }
    free(doms);
    *ret = h;
    return 0;
}

uint64_t vm_host_capacity_kib(const vm_host *h, uint64_t host_kib, uint64_t reserve_kib)
{
    return vm_plan_sat_sub(host_kib ? host_kib : h->node_kib, reserve_kib);
}

void vm_host_to_plan(const vm_host *h, vm_plan_vm *out)
{
    for (size_t i = 0; i < h->n; i++) {
        const vm_host_vm *v = &h->vms[i];

        out[i] = (vm_plan_vm) { .name = v->name, .current_kib = v->actual_kib };
        if (v->managed) {
            out[i].floor_kib = v->policy.floor_kib;
            out[i].target_kib = v->policy.target_kib;
            out[i].priority = v->policy.priority;
            out[i].cooperative = !v->policy.uncooperative && !v->excluded;
        } else {
            /* not ours: it keeps what it has, whatever it is */
            out[i].floor_kib = out[i].target_kib = v->actual_kib;
        }
    }
}

char *vm_host_attr_value(const vm_host *h, uint64_t capacity_kib)
{
    baton_autofree vm_plan_vm *pv = calloc(h->n + 1, sizeof(*pv));
    baton_autofree const char **rsc = calloc(h->n + 1, sizeof(*rsc));

    if (!pv || !rsc)
        return NULL;
    vm_host_to_plan(h, pv);
    for (size_t i = 0; i < h->n; i++)
        rsc[i] = h->vms[i].managed && h->vms[i].policy.resource[0] ? h->vms[i].policy.resource : NULL;
    return vm_hostattr_encode(capacity_kib, pv, rsc, h->n);
}

void vm_boot_list_clear(vm_boot_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free((char *) l->guests[i].name);       /* the list owns them */
    free(l->guests);
    *l = (vm_boot_list) {0};
}

/* Add dom to l when it holds a boot slot. 0 or -ENOMEM. */
static int boot_check(virDomainPtr dom, const char *exclude, int64_t now, int64_t default_budget_s,
                      vm_boot_seen *alive, vm_boot_list *l)
{
    const char *name = virDomainGetName(dom);
    unsigned id = virDomainGetID(dom);
    vm_boot_guest g = { .managed = true };
    uint64_t actual;
    vm_policy pol;

    if (!name || (exclude && strcmp(name, exclude) == 0) || vm_boot_seen_has(alive, id))
        return 0;
    /* without a record (not ours, or gone meanwhile) it holds no slot */
    if (vm_policy_get(dom, &pol) < 0)
        return 0;
    g.started = pol.started;
    g.budget_s = pol.boot_grace_s;
    /* past its budget already: no statistics could make it booting */
    if (!vm_boot_is_booting(&g, now, default_budget_s))
        return 0;
    if (vm_memory_stats(dom, &actual, &g.last_update) < 0)
        return 0;
    if (g.last_update != 0)
        return vm_boot_seen_add(alive, id);
    g.name = strdup(name);
    if (!g.name)
        return -ENOMEM;
    l->guests[l->n++] = g;
    return 0;
}

int vm_host_booting(virConnectPtr conn, const char *exclude, int64_t now, int64_t default_budget_s,
                    vm_boot_seen *alive, vm_boot_list *ret, char **ret_err)
{
    virDomainPtr *doms = NULL;
    vm_boot_list l = {0};
    int n, r = 0;

    n = virConnectListAllDomains(conn, &doms, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    if (n < 0) {
        *ret_err = vm_last_error(NULL);
        return -EIO;
    }
    l.guests = calloc((size_t) n + 1, sizeof(*l.guests));
    if (!l.guests)
        r = -ENOMEM;
    for (int i = 0; i < n; i++) {
        if (r == 0)
            r = boot_check(doms[i], exclude, now, default_budget_s, alive, &l);
        virDomainFree(doms[i]);
    }
    free(doms);
    if (r < 0) {
        vm_boot_list_clear(&l);
        *ret_err = strdup("out of memory");
        return r;
    }
    *ret = l;
    return 0;
}

static bool reached(uint64_t actual, uint64_t from, uint64_t to)
{
    return to <= from ? actual <= to + VM_BALLOON_SLACK_KIB
                      : actual + VM_BALLOON_SLACK_KIB >= to;
}

static bool moved(uint64_t actual, uint64_t from)
{
    return actual + VM_BALLOON_SLACK_KIB < from || actual > from + VM_BALLOON_SLACK_KIB;
}

size_t vm_balloon_apply(vm_host *h, const vm_plan *plan, bool confirm, int64_t timeout_ms,
                        baton_deadline deadline)
{
    baton_deadline until = baton_deadline_cap(deadline, timeout_ms);
    bool *pending = calloc(plan->n_changes + 1, sizeof(*pending));
    size_t left = 0;

    if (!pending)
        return plan->n_changes;
    for (size_t k = 0; k < plan->n_changes; k++) {
        const vm_plan_change *c = &plan->changes[k];
        vm_host_vm *v = &h->vms[c->index];

        baton_info("balloon %s: %llu -> %llu MiB", v->name,
                   (unsigned long long) (c->from_kib / 1024), (unsigned long long) (c->to_kib / 1024));
        if (virDomainSetMemoryFlags(v->dom, c->to_kib, VIR_DOMAIN_AFFECT_LIVE) < 0) {
            baton_autofree char *err = vm_last_error(NULL);
            baton_warn("balloon %s: %s", v->name, err);
            v->excluded = true;
            left++;
            continue;
        }
        pending[k] = confirm;
        left += confirm;
    }
    if (!confirm) {
        free(pending);
        return 0;
    }

    for (;;) {
        for (size_t k = 0; k < plan->n_changes; k++) {
            const vm_plan_change *c = &plan->changes[k];
            vm_host_vm *v = &h->vms[c->index];
            uint64_t last;

            if (!pending[k])
                continue;
            if (vm_memory_stats(v->dom, &v->actual_kib, &last) < 0)
                continue;
            if (reached(v->actual_kib, c->from_kib, c->to_kib)) {
                pending[k] = false;
                left--;
                baton_info("balloon %s: reached %llu MiB", v->name,
                           (unsigned long long) (v->actual_kib / 1024));
            }
        }
        if (left == 0 || baton_deadline_expired(until))
            break;
        usleep(100000);
    }

    for (size_t k = 0; k < plan->n_changes; k++) {
        const vm_plan_change *c = &plan->changes[k];
        vm_host_vm *v = &h->vms[c->index];

        if (!pending[k])
            continue;
        v->excluded = true;
        if (!moved(v->actual_kib, c->from_kib) && v->managed) {
            /* not a KiB moved: no balloon driver, or a hung guest */
            baton_warn("balloon %s: did not move from %llu MiB within %lld ms: marked uncooperative",
                       v->name, (unsigned long long) (v->actual_kib / 1024), (long long) timeout_ms);
            v->policy.uncooperative = true;
            if (vm_policy_set(v->dom, &v->policy) < 0)
                baton_warn("balloon %s: cannot record it as uncooperative", v->name);
        } else {
            baton_warn("balloon %s: stopped at %llu MiB instead of %llu MiB; left out of this plan",
                       v->name, (unsigned long long) (v->actual_kib / 1024),
                       (unsigned long long) (c->to_kib / 1024));
        }
    }
    free(pending);
    return left;
}
