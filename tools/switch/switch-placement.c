/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where the cluster sees a resource, before and after its agent changed: the
 * move is only finished when the new agent's probes put every resource exactly
 * where the old agent had it. Pure: reads crm_mon's XML and the CIB.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <baton/strutil.h>

#include "switch.h"

void switch_placement_clear(switch_placement *p)
{
    if (!p)
        return;
    baton_strv_free(p->lines);
    baton_strv_free(p->failed);
    *p = (switch_placement) { 0 };
}

/* Pacemaker 2.1 still prints the old names in places. */
static const char *role_name(const char *role)
{
    if (baton_streq(role, "Master"))
        return "Promoted";
    if (baton_streq(role, "Slave"))
        return "Unpromoted";
    return role ? role : "Started";
}

/* An anonymous clone's instances are the primitive: "drbd:1" is "drbd". */
static void strip_instance(char *id)
{
    char *colon = strchr(id, ':');

    if (colon)
        *colon = '\0';
}

static int add_resource(switch_placement *p, xmlNodePtr rsc)
{
    baton_autofree char *id = switch_xml_prop(rsc, "id");
    baton_autofree char *role = switch_xml_prop(rsc, "role");
    int r;

    if (!id)
        return -EINVAL;
    strip_instance(id);
    if (switch_xml_prop_is(rsc, "failed", "true") &&
        (r = baton_strv_push(&p->failed, &p->n_failed, strdup(id))) < 0)
        return r;
    for (xmlNodePtr n = rsc->children; n; n = n->next) {
        baton_autofree char *node = NULL;

        if (!switch_xml_is(n, "node"))
            continue;
        node = switch_xml_prop(n, "name");
        r = baton_strv_push(&p->lines, &p->n, baton_strdup_printf("%s %s %s", id, node ? node : "?",
                                                                   role_name(role)));
        if (r < 0)
            return r;
    }
    return 0;
}

/* Every <resource>, also inside groups, clones and bundles. */
static int walk(switch_placement *p, xmlNodePtr parent)
{
    for (xmlNodePtr c = parent->children; c; c = c->next) {
        int r;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        r = switch_xml_is(c, "resource") ? add_resource(p, c) : walk(p, c);
        if (r < 0)
            return r;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int switch_placement_parse(const char *crm_mon_xml, switch_placement *ret)
{
    xmlDocPtr doc = crm_mon_xml ? xmlReadMemory(crm_mon_xml, (int) strlen(crm_mon_xml),
                                                "crm_mon.xml", NULL,
                                                XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                XML_PARSE_NOWARNING) : NULL;
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    switch_placement p = { 0 };
    int r = -EINVAL;

    for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
        if (switch_xml_is(c, "resources")) {
            r = walk(&p, c);
            break;
        }
    }
    xmlFreeDoc(doc);
    if (r < 0) {
        switch_placement_clear(&p);
        return r;
    }
    if (p.n > 1)
        qsort(p.lines, p.n, sizeof(*p.lines), cmp_str);
    *ret = p;
    return 0;
}

char *switch_placement_of(const switch_placement *p, const char *id)
{
    size_t len = strlen(id);
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    bool any = false;

    if (!f)
        return NULL;
    for (size_t i = 0; i < p->n; i++) {
        if (strncmp(p->lines[i], id, len) != 0 || p->lines[i][len] != ' ')
            continue;
        fprintf(f, "%s%s", any ? ", " : "", p->lines[i] + len + 1);
        any = true;
    }
    if (!any)
        fputs("stopped", f);
    if (fclose(f) != 0) {
        free(out);
        return NULL;
    }
    return out;
}

bool switch_placement_failed(const switch_placement *p, const char *id)
{
    for (size_t i = 0; i < p->n_failed; i++)
        if (strcmp(p->failed[i], id) == 0)
            return true;
    return false;
}

/* ------------------------------------------------------------------ probes */

static bool node_online(xmlNodePtr state)
{
    if (switch_xml_prop_is(state, "remote_node", "true"))
        return switch_xml_prop_is(state, "in_ccm", "true");
    return switch_xml_prop_is(state, "crmd", "online");
}

static bool is_instance_of(xmlNodePtr lrm_rsc, const char *id)
{
    baton_autofree char *rid = switch_xml_prop(lrm_rsc, "id");

    if (!rid)
        return false;
    strip_instance(rid);
    return strcmp(rid, id) == 0;
}

/* Its history is the given agent's, with at least one finished operation. */
static bool history_of(xmlNodePtr lrm_rsc, const char *agent)
{
    baton_autofree char *have = switch_primitive_agent(lrm_rsc);

    if (!baton_streq(have, agent))
        return false;
    for (xmlNodePtr op = lrm_rsc->children; op; op = op->next) {
        if (switch_xml_is(op, "lrm_rsc_op") && !switch_xml_prop_is(op, "call-id", "-1"))
            return true;
    }
    return false;
}

static bool node_probed(xmlNodePtr state, const char *id, const char *agent)
{
    xmlNodePtr rscs = switch_xml_child(switch_xml_child(state, "lrm"), "lrm_resources");
    bool seen = false;

    for (xmlNodePtr r = rscs ? rscs->children : NULL; r; r = r->next) {
        if (!switch_xml_is(r, "lrm_resource") || !is_instance_of(r, id))
            continue;
        if (!history_of(r, agent))
            return false;
        seen = true;
    }
    return seen;
}

bool switch_probed_everywhere(xmlDocPtr cib, const char *id, const char *agent, char **ret_node)
{
    xmlNodePtr status = switch_xml_child(xmlDocGetRootElement(cib), "status");

    if (ret_node)
        *ret_node = NULL;
    if (!status)
        return false;
    for (xmlNodePtr s = status->children; s; s = s->next) {
        if (!switch_xml_is(s, "node_state") || !node_online(s) || node_probed(s, id, agent))
            continue;
        if (ret_node)
            *ret_node = switch_xml_prop(s, "uname");
        return false;
    }
    return true;
}
