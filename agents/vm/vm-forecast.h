/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cluster-wide admission forecast: if node F failed now, where would its
 * VMs start again, which running VMs would the vm agents balloon down and by
 * how much, and which VMs would stay stopped with how many MiB missing. Pure:
 * the caller gathers the nodes' baton-vm-host attributes (vm-hostattr.h) and
 * the location constraints (vm-cib.h); every start is planned with
 * vm_plan_make_room(), the function the agent's start calls, on the numbers
 * the target host published.
 *
 * Model (what the cluster would do, as far as it is modelled):
 *  - The VMs of F that a vm resource started (resource known) are restarted;
 *    other domains of F are not. They are started one after the other,
 *    highest priority first (then by domain name), each on a survivor's
 *    state left by the previous starts.
 *  - Candidate nodes: online, not standby, not F, with a published
 *    baton-vm-host value, and not banned (a location constraint of -INFINITY
 *    for the resource on that node, e.g. crm_resource --ban). In an opt-in
 *    cluster (symmetric-cluster=false) only nodes with a location score >= 0.
 *  - Pacemaker's choice among them: highest location score, then the node
 *    running the fewest VM resources (Pacemaker spreads evenly), then the
 *    node name. When the planner finds no room
 *    there, the start fails and Pacemaker tries the next node (a failed start
 *    bans the node by default: start-failure-is-fatal), so the next candidate
 *    is planned; when none has room, the VM stays stopped and its shortfall is
 *    the smallest any candidate reported.
 *  - Not modelled: location rules, resource sets and rsc-pattern; groups,
 *    clones and colocation; stickiness and utilization placement;
 *    resources other than VMs in the even spread; the real start
 *    order of parallel starts (the host lock serialises them in whatever
 *    order they arrive); migration-threshold.
 */
#ifndef BATON_VM_FORECAST_H
#define BATON_VM_FORECAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm-hostattr.h"

/* Pacemaker's INFINITY, the bound of a location score. */
#define VM_FC_INFINITY 1000000

typedef struct vm_fc_node {
    const char *name;
    bool online;
    bool standby;
    const vm_hostattr *host;    /* NULL: no baton-vm-host value (or unreadable) */
} vm_fc_node;

/* A simple location constraint: resource on node with score. */
typedef struct vm_fc_location {
    const char *resource;
    const char *node;
    int score;                  /* -VM_FC_INFINITY .. VM_FC_INFINITY */
} vm_fc_location;

typedef struct vm_fc_cluster {
    const vm_fc_node *nodes;
    size_t n_nodes;
    const vm_fc_location *locations;
    size_t n_locations;
    bool opt_in;                /* symmetric-cluster=false */
} vm_fc_cluster;

/* One VM of the failed node. Strings point into the input. */
typedef struct vm_fc_start {
    const char *resource;
    const char *name;
    int priority;
    uint64_t want_kib;          /* its target */
    uint64_t floor_kib;
    const char *node;           /* where it starts; NULL: stays stopped */
    uint64_t start_kib;         /* the size it starts with */
    uint64_t shortfall_kib;     /* stopped: the least missing on a candidate; 0 with no candidate */
    size_t n_candidates;        /* nodes it may run on */
} vm_fc_start;

/* A running (or just started) VM ballooned down by the starts. */
typedef struct vm_fc_shrink {
    const char *node;
    const char *name;
    uint64_t from_kib;
    uint64_t to_kib;
} vm_fc_shrink;

/* The most nodes vm_forecast_nodes() fails at once. */
#define VM_FC_MAX_FAILED 2

typedef struct vm_fc_result {
    const char *failed;         /* = failed_nodes[0] */
    const char *failed_nodes[VM_FC_MAX_FAILED];
    size_t n_failed;
    vm_fc_start *starts;        /* in the order they are planned */
    size_t n_starts;
    vm_fc_shrink *shrinks;      /* by node, then domain name */
    size_t n_shrinks;
    size_t n_stopped;           /* starts that stay stopped */
    /*
     * Memory still available at floors on the survivors afterwards: the sum
     * over candidate hosts of capacity - the floors of cooperative VMs - the
     * size of the others (0 at least per host); when VMs stay stopped,
     * minus the sum of their shortfalls instead.
     */
    int64_t headroom_kib;
    bool failed_has_data;       /* every failed node published its VMs */
} vm_fc_result;

/*
 * The forecast for the failure of c->nodes[failed]. 0; -EINVAL (failed out
 * of range), -ERANGE / -ENOMEM (from the planner). *ret is initialised first;
 * release it with vm_fc_result_clear().
 */
int vm_forecast_node(const vm_fc_cluster *c, size_t failed, vm_fc_result *ret);
/*
 * The same for n_failed (1..VM_FC_MAX_FAILED) nodes failing at once: the
 * VMs of all of them restart on the others, in one priority order. -EINVAL
 * also for a node given twice.
 */
int vm_forecast_nodes(const vm_fc_cluster *c, const size_t *failed, size_t n_failed, vm_fc_result *ret);
void vm_fc_result_clear(vm_fc_result *r);

/* headroom_kib in MiB, rounded toward the safe side (down; a shortfall up). */
int64_t vm_fc_headroom_mib(const vm_fc_result *r);

/* The location score of resource on node (0 without a constraint; the sum of several, bounded). */
int vm_fc_location_score(const vm_fc_cluster *c, const char *resource, const char *node, bool *ret_set);

#endif /* BATON_VM_FORECAST_H */
