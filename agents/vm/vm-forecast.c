/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The cluster-wide admission forecast (model in vm-forecast.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vm-forecast.h"

/* A survivor as the starts change it. */
typedef struct fc_host {
    const vm_fc_node *node;
    vm_plan_vm *vms;            /* the host's VMs, then the VMs started there */
    uint64_t *orig_kib;         /* each VM's size before any shrink */
    size_t n;
    size_t n_resources;         /* VMs of a resource: Pacemaker's even spread counts resources */
} fc_host;

int vm_fc_location_score(const vm_fc_cluster *c, const char *resource, const char *node, bool *ret_set)
{
    bool pos_inf = false, neg_inf = false, set = false;
    int64_t sum = 0;

    for (size_t i = 0; i < c->n_locations; i++) {
        const vm_fc_location *l = &c->locations[i];

        if (!l->resource || !l->node || strcmp(l->resource, resource) != 0 || strcmp(l->node, node) != 0)
            continue;
        set = true;
        if (l->score <= -VM_FC_INFINITY)
            neg_inf = true;
        else if (l->score >= VM_FC_INFINITY)
            pos_inf = true;
        else
            sum += l->score;
    }
    if (ret_set)
        *ret_set = set;
    /* Pacemaker's score arithmetic: -INFINITY wins over everything */
    if (neg_inf)
        return -VM_FC_INFINITY;
    if (pos_inf || sum >= VM_FC_INFINITY)
        return VM_FC_INFINITY;
    return sum <= -VM_FC_INFINITY ? -VM_FC_INFINITY : (int) sum;
}

int64_t vm_fc_headroom_mib(const vm_fc_result *r)
{
    return r->headroom_kib >= 0 ? r->headroom_kib / 1024 : -((-r->headroom_kib + 1023) / 1024);
}

void vm_fc_result_clear(vm_fc_result *r)
{
    if (!r)
        return;
    free(r->starts);
    free(r->shrinks);
    *r = (vm_fc_result) {0};
}

static int start_cmp(const void *pa, const void *pb)
{
    const vm_fc_start *a = pa, *b = pb;

    if (a->priority != b->priority)
        return a->priority > b->priority ? -1 : 1;
    return strcmp(a->name, b->name);
}

typedef struct fc_candidate {
    fc_host *host;
    int score;
} fc_candidate;

static int candidate_cmp(const void *pa, const void *pb)
{
    const fc_candidate *a = pa, *b = pb;

    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->host->n_resources != b->host->n_resources)
        return a->host->n_resources < b->host->n_resources ? -1 : 1;
    return strcmp(a->host->node->name, b->host->node->name);
}

static int shrink_cmp(const void *pa, const void *pb)
{
    const vm_fc_shrink *a = pa, *b = pb;
    int r = strcmp(a->node, b->node);

    return r ? r : strcmp(a->name, b->name);
}

static void hosts_free(fc_host *hosts, size_t n)
{
    for (size_t i = 0; hosts && i < n; i++) {
        free(hosts[i].vms);
        free(hosts[i].orig_kib);
    }
    free(hosts);
}

/* Plan start s on the candidates in Pacemaker's order; 0 or a planner error other than -ENOSPC. */
static int place(const vm_fc_cluster *c, fc_host *hosts, size_t n_hosts, fc_candidate *cands, vm_fc_start *s)
{
    vm_plan_demand d = { .name = s->name, .want_kib = s->want_kib, .floor_kib = s->floor_kib,
                         .priority = s->priority };
    uint64_t best_short = UINT64_MAX;
    size_t n_cands = 0;

    for (size_t j = 0; j < n_hosts; j++) {
        bool set;
        int score = vm_fc_location_score(c, s->resource, hosts[j].node->name, &set);

        if (score <= -VM_FC_INFINITY || (c->opt_in && (!set || score < 0)))
            continue;
        cands[n_cands++] = (fc_candidate) { .host = &hosts[j], .score = score };
    }
    s->n_candidates = n_cands;
    qsort(cands, n_cands, sizeof(*cands), candidate_cmp);

    for (size_t k = 0; k < n_cands; k++) {
        fc_host *h = cands[k].host;
        vm_plan plan;
        int r = vm_plan_make_room(h->node->host->capacity_kib, h->vms, h->n, &d, &plan);

        if (r == -ENOSPC) {
            if (plan.shortfall_kib < best_short)
                best_short = plan.shortfall_kib;
            vm_plan_clear(&plan);
            continue;
        }
        if (r < 0) {
            vm_plan_clear(&plan);
            return r;
        }
        for (size_t i = 0; i < plan.n_changes; i++)
            h->vms[plan.changes[i].index].current_kib = plan.changes[i].to_kib;
        h->vms[h->n] = (vm_plan_vm) {
            .name = s->name, .current_kib = plan.start_kib, .floor_kib = s->floor_kib,
            .target_kib = s->want_kib, .priority = s->priority, .cooperative = true,
        };
        h->orig_kib[h->n] = plan.start_kib;
        h->n++;
        h->n_resources++;
        s->node = h->node->name;
        s->start_kib = plan.start_kib;
        vm_plan_clear(&plan);
        return 0;
    }
    s->shortfall_kib = best_short == UINT64_MAX ? 0 : best_short;
    return 0;
}

static bool is_failed(const size_t *failed, size_t n_failed, size_t j)
{
    for (size_t k = 0; k < n_failed; k++)
        if (failed[k] == j)
            return true;
    return false;
}

int vm_forecast_node(const vm_fc_cluster *c, size_t failed, vm_fc_result *ret)
{
    return vm_forecast_nodes(c, &failed, 1, ret);
}

int vm_forecast_nodes(const vm_fc_cluster *c, const size_t *failed, size_t n_failed, vm_fc_result *ret)
{
    fc_host *hosts = NULL;
    fc_candidate *cands = NULL;
    size_t n_hosts = 0, n_shrinks = 0, n_vms = 0;
    int64_t headroom = 0, short_sum = 0;
    int r = -ENOMEM;

    *ret = (vm_fc_result) {0};
    if (!c || !failed || n_failed == 0 || n_failed > VM_FC_MAX_FAILED)
        return -EINVAL;
    for (size_t k = 0; k < n_failed; k++) {
        if (failed[k] >= c->n_nodes || is_failed(failed, k, failed[k]))
            return -EINVAL;
        ret->failed_nodes[k] = c->nodes[failed[k]].name;
        if (c->nodes[failed[k]].host)
            n_vms += c->nodes[failed[k]].host->n;
    }
    ret->n_failed = n_failed;
    ret->failed = ret->failed_nodes[0];
    ret->failed_has_data = true;

    ret->starts = calloc(n_vms + 1, sizeof(*ret->starts));
    if (!ret->starts)
        goto out;
    for (size_t k = 0; k < n_failed; k++) {
        const vm_fc_node *f = &c->nodes[failed[k]];

        if (!f->host) {
            ret->failed_has_data = false;
            continue;
        }
        for (size_t i = 0; i < f->host->n; i++) {
            const vm_hostattr_vm *v = &f->host->vms[i];

            /* only what a vm resource started comes back; a target of 0 cannot start */
            if (!v->resource || v->vm.target_kib == 0)
                continue;
            ret->starts[ret->n_starts++] = (vm_fc_start) {
                .resource = v->resource, .name = v->vm.name, .priority = v->vm.priority,
                .want_kib = v->vm.target_kib,
                .floor_kib = v->vm.floor_kib && v->vm.floor_kib <= v->vm.target_kib ? v->vm.floor_kib
                                                                                    : v->vm.target_kib,
            };
        }
    }
    qsort(ret->starts, ret->n_starts, sizeof(*ret->starts), start_cmp);

    hosts = calloc(c->n_nodes + 1, sizeof(*hosts));
    cands = calloc(c->n_nodes + 1, sizeof(*cands));
    if (!hosts || !cands)
        goto out;
    for (size_t j = 0; j < c->n_nodes; j++) {
        const vm_fc_node *nd = &c->nodes[j];
        fc_host *h = &hosts[n_hosts];

        if (is_failed(failed, n_failed, j) || !nd->online || nd->standby || !nd->host)
            continue;
        h->node = nd;
        h->vms = calloc(nd->host->n + ret->n_starts + 1, sizeof(*h->vms));
        h->orig_kib = calloc(nd->host->n + ret->n_starts + 1, sizeof(*h->orig_kib));
        n_hosts++;
        if (!h->vms || !h->orig_kib)
            goto out;
        for (size_t i = 0; i < nd->host->n; i++) {
            h->vms[i] = nd->host->vms[i].vm;
            h->orig_kib[i] = h->vms[i].current_kib;
            h->n_resources += nd->host->vms[i].resource != NULL;
        }
        h->n = nd->host->n;
    }

    for (size_t k = 0; k < ret->n_starts; k++) {
        r = place(c, hosts, n_hosts, cands, &ret->starts[k]);
        if (r < 0)
            goto out;
        if (!ret->starts[k].node) {
            ret->n_stopped++;
            short_sum += (int64_t) ret->starts[k].shortfall_kib;
        }
    }

    r = -ENOMEM;
    for (size_t j = 0; j < n_hosts; j++)
        for (size_t i = 0; i < hosts[j].n; i++)
            n_shrinks += hosts[j].vms[i].current_kib < hosts[j].orig_kib[i];
    ret->shrinks = calloc(n_shrinks + 1, sizeof(*ret->shrinks));
    if (!ret->shrinks)
        goto out;
    for (size_t j = 0; j < n_hosts; j++) {
        uint64_t held = 0;

        for (size_t i = 0; i < hosts[j].n; i++) {
            const vm_plan_vm *v = &hosts[j].vms[i];

            if (v->current_kib < hosts[j].orig_kib[i])
                ret->shrinks[ret->n_shrinks++] = (vm_fc_shrink) {
                    .node = hosts[j].node->name, .name = v->name,
                    .from_kib = hosts[j].orig_kib[i], .to_kib = v->current_kib,
                };
            /* what it keeps even when squeezed: the planner never goes below a floor */
            held += v->cooperative && v->floor_kib < v->current_kib ? v->floor_kib : v->current_kib;
        }
        headroom += (int64_t) vm_plan_sat_sub(hosts[j].node->host->capacity_kib, held);
    }
    qsort(ret->shrinks, ret->n_shrinks, sizeof(*ret->shrinks), shrink_cmp);
    ret->headroom_kib = ret->n_stopped ? -short_sum : headroom;
    r = 0;
out:
    hosts_free(hosts, n_hosts);
    free(cands);
    if (r < 0)
        vm_fc_result_clear(ret);
    return r;
}
