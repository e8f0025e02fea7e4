/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One resource's new definition: the same <primitive> (id, operations, meta
 * attributes, utilization) with the other agent, each parameter carried over,
 * left out because it changes nothing there, or blocking the move with the
 * reason. Pure: reads the CIB element, builds copies.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/param.h>
#include <baton/strutil.h>

#include "switch.h"

switch_item *switch_item_free(switch_item *it)
{
    if (!it)
        return NULL;
    free(it->id);
    free(it->from);
    free(it->to);
    xmlFreeDoc(it->old_def);
    xmlFreeDoc(it->new_def);
    for (size_t i = 0; i < it->n_notes; i++) {
        free(it->notes[i].param);
        free(it->notes[i].text);
    }
    free(it->notes);
    free(it);
    return NULL;
}

char *switch_primitive_agent(xmlNodePtr primitive)
{
    baton_autofree char *cls = switch_xml_prop(primitive, "class");
    baton_autofree char *provider = switch_xml_prop(primitive, "provider");
    baton_autofree char *type = switch_xml_prop(primitive, "type");

    if (!cls || !type)
        return NULL;
    if (strcmp(cls, "stonith") == 0)
        return baton_strdup_printf("stonith:%s", type);
    if (!provider)
        return baton_strdup_printf("%s:%s", cls, type);
    return baton_strdup_printf("%s:%s:%s", cls, provider, type);
}

int switch_item_note(switch_item *it, const char *param, switch_verdict v, const char *fmt, ...)
{
    switch_note *notes = realloc(it->notes, (it->n_notes + 1) * sizeof(*notes));
    switch_note *n;
    va_list ap;
    int k;

    if (!notes)
        return -ENOMEM;
    it->notes = notes;
    n = &notes[it->n_notes];
    *n = (switch_note) { .verdict = v };
    va_start(ap, fmt);
    k = vasprintf(&n->text, fmt, ap);
    va_end(ap);
    if (k < 0)
        return -ENOMEM;
    if (param && !(n->param = strdup(param))) {
        free(n->text);
        return -ENOMEM;
    }
    it->n_notes++;
    if (v == SWITCH_BLOCK)
        it->blocked = true;
    return 0;
}

/* Towards baton: the baton agent's table decides; what it does not list, the agent must declare. */
static int decide_to_baton(const switch_agent *a, switch_item *it, const char *name,
                           const char *value, switch_verdict *ret)
{
    const switch_rule *rule = switch_agent_rule(a, name);

    if (!rule) {
        *ret = switch_names_contain(a->baton_params, name) ? SWITCH_KEEP : SWITCH_BLOCK;
        if (*ret == SWITCH_KEEP)
            return 0;
        return switch_item_note(it, name, SWITCH_BLOCK, "%s has no parameter %s", a->baton, name);
    }
    switch (rule->decision) {
    case BATON_STANDARD_REFUSED:
        if (rule->accept && baton_value_means(rule->accept, value)) {
            *ret = SWITCH_DROP;
            return switch_item_note(it, name, SWITCH_DROP, "%s=%s is what %s does anyway: %s", name, value,
                            a->baton, rule->why);
        }
        *ret = SWITCH_BLOCK;
        return switch_item_note(it, name, SWITCH_BLOCK, "%s: %s; instead: %s", name, rule->why,
                        rule->instead ? rule->instead : "keep the standard agent");
    case BATON_STANDARD_NOOP:
        *ret = SWITCH_DROP;
        return switch_item_note(it, name, SWITCH_DROP, "%s has no effect in %s: %s", name, a->baton,
                        rule->why);
    case BATON_STANDARD_DIFFERS:
    default:
        *ret = SWITCH_KEEP;
        return switch_item_note(it, name, SWITCH_KEEP, "%s differs: %s", name, rule->why);
    }
}

/* Back to the standard agent: it must declare the parameter; the table still says how it differs. */
static int decide_to_standard(const switch_agent *a, switch_item *it, const char *name,
                              switch_verdict *ret)
{
    const switch_rule *rule = switch_agent_rule(a, name);

    if (!switch_names_contain(a->standard_params, name)) {
        *ret = SWITCH_BLOCK;
        return switch_item_note(it, name, SWITCH_BLOCK, "%s has no parameter %s: delete it first, or keep %s",
                        a->standard, name, a->baton);
    }
    *ret = SWITCH_KEEP;
    if (rule && rule->decision == BATON_STANDARD_DIFFERS)
        return switch_item_note(it, name, SWITCH_KEEP, "%s differs: %s", name, rule->why);
    return 0;
}

/* pacemaker-fenced's own device parameters (pcmk_host_list, ...): no fence agent declares them. */
static bool fencer_parameter(const switch_item *it, const char *name)
{
    return it->fence && strncmp(name, "pcmk_", 5) == 0;
}

static int map_nvpair(const switch_agent *a, switch_direction dir, switch_item *it, xmlNodePtr nv)
{
    baton_autofree char *name = switch_xml_prop(nv, "name");
    baton_autofree char *value = switch_xml_prop(nv, "value");
    baton_autofree char *ref = switch_xml_prop(nv, "id-ref");
    switch_verdict v;
    int r;

    if (ref || !name)
        return switch_item_note(it, NULL, SWITCH_BLOCK, "a parameter refers to another (id-ref=%s): "
                        "move this resource by hand", ref ? ref : "?");
    if (fencer_parameter(it, name))
        return 0;
    r = dir == SWITCH_TO_BATON ? decide_to_baton(a, it, name, value ? value : "", &v)
                               : decide_to_standard(a, it, name, &v);
    if (r < 0)
        return r;
    if (v == SWITCH_DROP) {
        xmlUnlinkNode(nv);
        xmlFreeNode(nv);
    }
    return 0;
}

/* The parameters of the new definition, one set without rules: anything else is the admin's call. */
static int map_parameters(const switch_agent *a, switch_direction dir, switch_item *it,
                          xmlNodePtr primitive)
{
    xmlNodePtr set = NULL;

    for (xmlNodePtr c = primitive->children; c; c = c->next) {
        if (!switch_xml_is(c, "instance_attributes"))
            continue;
        if (set)
            return switch_item_note(it, NULL, SWITCH_BLOCK, "several sets of parameters "
                            "(instance_attributes): move this resource by hand");
        set = c;
    }
    if (!set)
        return 0;
    for (xmlNodePtr c = set->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && !switch_xml_is(c, "nvpair"))
            return switch_item_note(it, NULL, SWITCH_BLOCK, "its parameters have a <%s> "
                            "(rules apply): move this resource by hand", (const char *) c->name);
    }
    for (xmlNodePtr c = set->children, next; c; c = next) {
        int r;

        next = c->next;
        if (switch_xml_is(c, "nvpair") && (r = map_nvpair(a, dir, it, c)) < 0)
            return r;
    }
    return 0;
}

/* class, provider, type from "class:provider:type" or "stonith:type". */
static int set_agent(xmlNodePtr primitive, const char *spec)
{
    baton_autofree char *copy = strdup(spec);
    char *cls, *provider = NULL, *type, *second;

    if (!copy)
        return -ENOMEM;
    cls = copy;
    second = strchr(cls, ':');
    if (!second)
        return -EINVAL;
    *second++ = '\0';
    type = strchr(second, ':');
    if (type) {
        *type++ = '\0';
        provider = second;
    } else {
        type = second;
    }
    if (!xmlSetProp(primitive, BAD_CAST "class", BAD_CAST cls) ||
        !xmlSetProp(primitive, BAD_CAST "type", BAD_CAST type))
        return -ENOMEM;
    if (provider)
        return xmlSetProp(primitive, BAD_CAST "provider", BAD_CAST provider) ? 0 : -ENOMEM;
    xmlUnsetProp(primitive, BAD_CAST "provider");
    return 0;
}

static xmlDocPtr doc_of_copy(xmlNodePtr n)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = doc ? xmlDocCopyNode(n, doc, 1) : NULL;

    if (!copy) {
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlDocSetRootElement(doc, copy);
    return doc;
}

int switch_map(const switch_agent *a, switch_direction dir, xmlNodePtr primitive,
               switch_item **ret)
{
    baton_autoptr(switch_item) it = calloc(1, sizeof(*it));
    int r;

    if (!it)
        return -ENOMEM;
    it->id = switch_xml_prop(primitive, "id");
    it->from = switch_primitive_agent(primitive);
    it->to = strdup(dir == SWITCH_TO_BATON ? a->baton : a->standard);
    it->old_def = doc_of_copy(primitive);
    it->new_def = doc_of_copy(primitive);
    if (!it->id || !it->from || !it->to || !it->old_def || !it->new_def)
        return -ENOMEM;
    it->fence = strncmp(it->to, "stonith:", 8) == 0;
    it->agent = a;
    r = set_agent(xmlDocGetRootElement(it->new_def), it->to);
    if (r < 0)
        return r;
    if (dir == SWITCH_TO_STANDARD && !a->standard_params)
        r = switch_item_note(it, NULL, SWITCH_BLOCK, "%s is not installed here: its parameters are unknown",
                     a->standard);
    else
        r = map_parameters(a, dir, it, xmlDocGetRootElement(it->new_def));
    if (r < 0)
        return r;
    *ret = baton_take_ptr(it);
    return 0;
}

/* ------------------------------------------------------------------ is-managed */

static xmlNodePtr own_meta_set(xmlNodePtr primitive)
{
    for (xmlNodePtr c = primitive->children; c; c = c->next) {
        bool has_rule = false;

        if (!switch_xml_is(c, "meta_attributes"))
            continue;
        for (xmlNodePtr k = c->children; k; k = k->next)
            has_rule |= switch_xml_is(k, "rule");
        if (!has_rule)
            return c;
    }
    return NULL;
}

static xmlNodePtr find_nvpair(xmlNodePtr set, const char *name)
{
    for (xmlNodePtr c = set ? set->children : NULL; c; c = c->next) {
        xmlChar *n;
        bool match;

        if (!switch_xml_is(c, "nvpair"))
            continue;
        n = xmlGetProp(c, BAD_CAST "name");
        match = n && xmlStrcmp(n, BAD_CAST name) == 0;
        xmlFree(n);
        if (match)
            return c;
    }
    return NULL;
}

xmlDocPtr switch_def_unmanaged(xmlDocPtr def)
{
    xmlDocPtr copy = xmlCopyDoc(def, 1);
    xmlNodePtr root = copy ? xmlDocGetRootElement(copy) : NULL;
    baton_autofree char *id = root ? switch_xml_prop(root, "id") : NULL;
    baton_autofree char *set_id = NULL;
    baton_autofree char *nv_id = NULL;
    xmlNodePtr set, nv;

    if (!id)
        goto fail;
    set = own_meta_set(root);
    if (!set) {
        set_id = baton_strdup_printf("%s-baton-switch-meta", id);
        set = set_id ? xmlNewChild(root, NULL, BAD_CAST "meta_attributes", NULL) : NULL;
        if (!set || !xmlSetProp(set, BAD_CAST "id", BAD_CAST set_id))
            goto fail;
    }
    nv = find_nvpair(set, "is-managed");
    if (!nv) {
        nv_id = baton_strdup_printf("%s-baton-switch-is-managed", id);
        nv = nv_id ? xmlNewChild(set, NULL, BAD_CAST "nvpair", NULL) : NULL;
        if (!nv || !xmlSetProp(nv, BAD_CAST "id", BAD_CAST nv_id) ||
            !xmlSetProp(nv, BAD_CAST "name", BAD_CAST "is-managed"))
            goto fail;
    }
    if (!xmlSetProp(nv, BAD_CAST "value", BAD_CAST "false"))
        goto fail;
    return copy;
fail:
    xmlFreeDoc(copy);
    return NULL;
}
