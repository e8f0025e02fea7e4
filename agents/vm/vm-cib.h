/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the admission forecast needs from the CIB (cibadmin --query, or a
 * saved CIB): the nodes (online, standby), their transient baton-vm-host
 * attributes, simple location constraints and symmetric-cluster. Pure
 * parsing with libxml2 of the CIB's XML text.
 */
#ifndef BATON_VM_CIB_H
#define BATON_VM_CIB_H

#include <stdbool.h>
#include <stddef.h>

#include "vm-forecast.h"
#include "vm-hostattr.h"

/* The node attributes kept current by the vm agents (see agents/vm/README.md). */
#define VM_ATTR_FAILOVER_OK "baton-failover-ok"
#define VM_ATTR_FAILOVER_HEADROOM "baton-failover-headroom-mib"

typedef struct vm_cib_node {
    char *name;
    bool online;
    bool standby;
    char *host_value;           /* baton-vm-host as found; NULL: not set */
    vm_hostattr host;           /* decoded when host_err == 0 */
    int host_err;               /* 0, -ENOENT (not set), or vm_hostattr_decode()'s error */
    char *failover_ok;          /* the published answer, NULL: not set */
    char *failover_headroom;
} vm_cib_node;

typedef struct vm_cib {
    vm_cib_node *nodes;         /* by name */
    size_t n_nodes;
    vm_fc_location *locations;  /* strings owned */
    size_t n_locations;
    size_t n_skipped_locations; /* with rules, sets, patterns: not modelled */
    bool opt_in;
} vm_cib;

/* Parse the CIB. 0, -EINVAL (not a CIB), -ENOMEM. *ret is initialised first. */
int vm_cib_parse(const char *xml, size_t len, vm_cib *ret);
void vm_cib_clear(vm_cib *c);

/* The node of that name, or NULL. */
const vm_cib_node *vm_cib_node_find(const vm_cib *c, const char *name);

/*
 * The node that keeps the cluster's answers current between changes: the
 * first online node (by name) whose baton-vm-host lists a VM, so it runs vm
 * monitors. NULL when there is none. One such node a cluster, not every VM
 * host, reads the whole CIB every minute: with hundreds of hosts, one query
 * each a minute would grow with the square of the cluster.
 */
const vm_cib_node *vm_cib_forecaster(const vm_cib *c);

/* Replace node's baton-vm-host value (the local one, just computed). 0, -ENOENT (no such node), -ENOMEM. */
int vm_cib_set_host(vm_cib *c, const char *node, const char *value);

/* The forecast's view; nodes must have room for c->n_nodes entries and outlive *ret. */
void vm_cib_to_cluster(const vm_cib *c, vm_fc_node *nodes, vm_fc_cluster *ret);

#endif /* BATON_VM_CIB_H */
