/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baton-switch's I/O: the installed agents and the running cluster. Every
 * function returns 0 or a negative errno with *ret_error saying what failed.
 */
#ifndef BATON_SWITCH_CLUSTER_H
#define BATON_SWITCH_CLUSTER_H

#include <stdint.h>

#include "switch.h"

typedef struct switch_agents {
    switch_agent **v;
    size_t n;
} switch_agents;

/*
 * Every installed baton agent that replaces a standard agent (OCF agents of
 * provider baton, fence_baton_* agents), each asked for its table and
 * meta-data, and its standard agent for its meta-data when installed.
 */
int switch_agents_load(switch_agents *ret, char **ret_error);
void switch_agents_clear(switch_agents *agents);
/* The pair a resource's agent belongs to, and which way it moves; NULL: none. */
const switch_agent *switch_agents_find(const switch_agents *agents, const char *spec,
                                       switch_direction *ret_dir);

/*
 * The new side's validate-all on the new definition, on this node: a refusal
 * blocks the item, another failure (something missing on this node) is noted.
 * 0 or a negative errno.
 */
int switch_validate(switch_item *it, switch_direction dir, int64_t timeout_ms);

int switch_cib_read_file(const char *path, xmlDocPtr *ret, char **ret_error);
int switch_cib_query(int64_t timeout_ms, xmlDocPtr *ret, char **ret_error);
/* The <primitive> of that ID in the CIB becomes def's root. */
int switch_cib_replace(xmlDocPtr def, int64_t timeout_ms, char **ret_error);
/* Forget the resource's history everywhere: the cluster probes it again. */
int switch_refresh(const char *id, int64_t timeout_ms, char **ret_error);
/* Until the cluster has nothing left to do (crm_resource --wait). */
int switch_settle(int64_t timeout_ms, char **ret_error);
int switch_placement_read(int64_t timeout_ms, switch_placement *ret, char **ret_error);

#endif /* BATON_SWITCH_CLUSTER_H */
