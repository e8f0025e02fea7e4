/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baton-switch: moves a running cluster's resources between the standard
 * agents (IPaddr2, VirtualDomain, slapd, ocf:linbit:drbd, fence_ipmilan,
 * fence_virsh) and baton's, without restarting anything.
 *
 * The deciding parts are pure and live in switch-agent.c (what each agent
 * pair says about the parameters), switch-map.c (a resource's new definition)
 * and switch-placement.c (where the cluster sees a resource run); the I/O is
 * in switch-cluster.c (Pacemaker's tools) and baton-switch.c (the steps).
 */
#ifndef BATON_SWITCH_H
#define BATON_SWITCH_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include <baton/cleanup.h>
#include <baton/metadata.h>

/* ------------------------------------------------------------------ XML */

/* An attribute's value in malloc's memory (free()), NULL when absent. */
char *switch_xml_prop(xmlNodePtr n, const char *name);
bool switch_xml_prop_is(xmlNodePtr n, const char *name, const char *want);
/* An element of that name (NULL: no). */
bool switch_xml_is(xmlNodePtr n, const char *name);
xmlNodePtr switch_xml_child(xmlNodePtr n, const char *name);

/* ------------------------------------------------------------------ agents */

/* One entry of a baton agent's table of the standard agent's parameters. */
typedef struct switch_rule {
    char *name;
    baton_standard_decision decision;
    char *why;
    char *instead;              /* refused: what to use instead */
    char *accept;               /* refused: the value that asks for what baton does anyway */
} switch_rule;

/* A baton agent and the standard agent it replaces, as the two describe themselves. */
typedef struct switch_agent {
    char *baton;                /* "ocf:baton:vip", "stonith:fence_baton_ipmi" */
    char *standard;             /* "ocf:heartbeat:IPaddr2", "stonith:fence_ipmilan" */
    char *baton_path;           /* the programs; set by whoever found them */
    char *standard_path;
    char **baton_params;        /* what the baton agent declares; NULL-terminated */
    char **standard_params;     /* what the standard agent declares; NULL: not installed */
    switch_rule *rules;
    size_t n_rules;
} switch_agent;

switch_agent *switch_agent_free(switch_agent *a);
BATON_DEFINE_AUTOPTR(switch_agent, switch_agent_free)

/*
 * Builds the pair from what the agents print: the baton agent's
 * standard-params table and meta-data, and the standard agent's meta-data
 * (NULL when it is not installed: then only the way to baton is known).
 * 0, or -EINVAL with *ret_error saying which document is wrong.
 */
int switch_agent_parse(const char *table_xml, const char *baton_metadata_xml,
                       const char *standard_metadata_xml, switch_agent **ret, char **ret_error);

const switch_rule *switch_agent_rule(const switch_agent *a, const char *name);
bool switch_names_contain(char *const *names, const char *name);

/* ------------------------------------------------------------------ one resource */

typedef enum switch_direction {
    SWITCH_TO_BATON,
    SWITCH_TO_STANDARD,
} switch_direction;

typedef enum switch_verdict {
    SWITCH_KEEP,                /* carried over as it is (a note says how it differs) */
    SWITCH_DROP,                /* left out: it changes nothing in the new agent */
    SWITCH_BLOCK,               /* cannot be carried over: the resource stays */
} switch_verdict;

typedef struct switch_note {
    char *param;                /* NULL: about the resource as a whole */
    switch_verdict verdict;
    char *text;
} switch_note;

/* A resource to move: its definition now and after the move. */
typedef struct switch_item {
    char *id;
    char *from;                 /* "ocf:heartbeat:IPaddr2" */
    char *to;                   /* "ocf:baton:vip" */
    bool fence;                 /* a stonith device */
    bool promotable;            /* in a promotable clone: the agent is told so */
    const switch_agent *agent;
    xmlDocPtr old_def;          /* root: a copy of the <primitive> */
    xmlDocPtr new_def;          /* root: the <primitive> with the other agent */
    switch_note *notes;
    size_t n_notes;
    bool blocked;               /* a note blocks it */
} switch_item;

switch_item *switch_item_free(switch_item *it);
BATON_DEFINE_AUTOPTR(switch_item, switch_item_free)

/* "class:provider:type", or "stonith:type"; NULL when the element lacks one. */
char *switch_primitive_agent(xmlNodePtr primitive);

/*
 * The move of one <primitive> to the agent's other side, decided parameter
 * by parameter. Pure: reads the element, builds copies. 0 or -ENOMEM.
 */
int switch_map(const switch_agent *a, switch_direction dir, xmlNodePtr primitive,
               switch_item **ret);
/* A note on the item; a SWITCH_BLOCK one blocks it. 0 or -ENOMEM. */
int switch_item_note(switch_item *it, const char *param, switch_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * A copy of a definition with is-managed=false among its own meta attributes:
 * the cluster leaves an unmanaged resource where it is while its agent
 * changes and its history is probed again. NULL when out of memory.
 */
xmlDocPtr switch_def_unmanaged(xmlDocPtr def);

/* ------------------------------------------------------------------ placement */

/*
 * Where the cluster sees resources active: sorted "ID NODE ROLE" lines, roles
 * as Pacemaker 2.1 names them (Started, Promoted, Unpromoted), clone
 * instances under their primitive's ID.
 */
typedef struct switch_placement {
    char **lines;
    size_t n;
    char **failed;              /* IDs crm_mon marks failed */
    size_t n_failed;
} switch_placement;

void switch_placement_clear(switch_placement *p);
/* From crm_mon --output-as=xml. 0, or -EINVAL when it is not that. */
int switch_placement_parse(const char *crm_mon_xml, switch_placement *ret);
/* The lines of one resource, joined with ", "; "stopped" when none. */
char *switch_placement_of(const switch_placement *p, const char *id);
bool switch_placement_failed(const switch_placement *p, const char *id);

/*
 * Whether every online node of the CIB has probed the resource with the
 * given agent ("class:provider:type"): the history Pacemaker reads is then
 * the new agent's. *ret_node names a node that has not (may be NULL).
 */
bool switch_probed_everywhere(xmlDocPtr cib, const char *id, const char *agent, char **ret_node);

#endif /* BATON_SWITCH_H */
