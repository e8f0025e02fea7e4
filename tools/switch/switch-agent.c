/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An agent pair from the agents' own words: the baton agent's standard-params
 * table says what becomes of each parameter of the standard agent, the two
 * meta-data documents say which parameters each declares. Nothing about a
 * particular agent is written here, so a new baton agent needs no change.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <baton/strutil.h>

#include "switch.h"

switch_agent *switch_agent_free(switch_agent *a)
{
    if (!a)
        return NULL;
    free(a->baton);
    free(a->standard);
    free(a->baton_path);
    free(a->standard_path);
    baton_strv_free(a->baton_params);
    baton_strv_free(a->standard_params);
    for (size_t i = 0; i < a->n_rules; i++) {
        free(a->rules[i].name);
        free(a->rules[i].why);
        free(a->rules[i].instead);
        free(a->rules[i].accept);
    }
    free(a->rules);
    free(a);
    return NULL;
}

bool switch_names_contain(char *const *names, const char *name)
{
    for (size_t i = 0; names && names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

const switch_rule *switch_agent_rule(const switch_agent *a, const char *name)
{
    for (size_t i = 0; i < a->n_rules; i++)
        if (strcmp(a->rules[i].name, name) == 0)
            return &a->rules[i];
    return NULL;
}

static int fail(char **ret_error, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **ret_error, const char *fmt, ...)
{
    va_list ap;

    if (ret_error) {
        va_start(ap, fmt);
        if (vasprintf(ret_error, fmt, ap) < 0)
            *ret_error = NULL;
        va_end(ap);
    }
    return -EINVAL;
}

static xmlDocPtr read_doc(const char *xml)
{
    if (!xml)
        return NULL;
    return xmlReadMemory(xml, (int) strlen(xml), "agent.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static bool empty(const char *s)
{
    return !s || !*s;
}

static char *text_dup(xmlNodePtr n)
{
    xmlChar *v = xmlNodeGetContent(n);
    char *copy = strdup(v ? (const char *) v : "");

    xmlFree(v);
    return copy;
}

/* The names of <parameters><parameter name=...> of an agent's meta-data. */
static int parameter_names(xmlDocPtr doc, char ***ret)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    size_t n = 0;
    char **names;

    if (!root || !switch_xml_is(root, "resource-agent"))
        return -EINVAL;
    for (xmlNodePtr ps = root->children; ps; ps = ps->next) {
        if (!switch_xml_is(ps, "parameters"))
            continue;
        for (xmlNodePtr p = ps->children; p; p = p->next)
            n += switch_xml_is(p, "parameter");
    }
    names = calloc(n + 1, sizeof(*names));
    if (!names)
        return -ENOMEM;
    n = 0;
    for (xmlNodePtr ps = root->children; ps; ps = ps->next) {
        if (!switch_xml_is(ps, "parameters"))
            continue;
        for (xmlNodePtr p = ps->children; p; p = p->next) {
            if (!switch_xml_is(p, "parameter"))
                continue;
            names[n] = switch_xml_prop(p, "name");
            if (!names[n]) {
                baton_strv_free(names);
                return -EINVAL;
            }
            n++;
        }
    }
    *ret = names;
    return 0;
}

static int decision_from_name(const char *s, baton_standard_decision *ret)
{
    for (int d = 0; d < BATON_STANDARD_DECISION_MAX; d++) {
        if (baton_streq(baton_standard_decision_name((baton_standard_decision) d), s)) {
            *ret = (baton_standard_decision) d;
            return 0;
        }
    }
    return -EINVAL;
}

/* Fence agents' tables name the agent bare ("fence_ipmilan"): the CIB says stonith:NAME. */
static char *agent_spec(const char *name)
{
    if (strchr(name, ':'))
        return strdup(name);
    return baton_strdup_printf("stonith:%s", name);
}

static int parse_table(xmlDocPtr doc, switch_agent *a, char **ret_error)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    baton_autofree char *agent = NULL;
    baton_autofree char *by = NULL;
    size_t n = 0;

    if (!root || !switch_xml_is(root, "standard"))
        return fail(ret_error, "the standard-params table has no <baton:standard> element");
    agent = switch_xml_prop(root, "agent");
    by = switch_xml_prop(root, "replaced-by");
    if (empty(agent) || empty(by))
        return fail(ret_error, "the standard-params table lacks agent= or replaced-by=");
    a->standard = agent_spec(agent);
    a->baton = agent_spec(by);
    for (xmlNodePtr p = root->children; p; p = p->next)
        n += switch_xml_is(p, "param");
    a->rules = calloc(n + 1, sizeof(*a->rules));
    if (!a->standard || !a->baton || !a->rules)
        return -ENOMEM;
    for (xmlNodePtr p = root->children; p; p = p->next) {
        switch_rule *r = &a->rules[a->n_rules];
        baton_autofree char *decision = NULL;

        if (!switch_xml_is(p, "param"))
            continue;
        decision = switch_xml_prop(p, "decision");
        r->name = switch_xml_prop(p, "name");
        if (!r->name || decision_from_name(decision, &r->decision) < 0)
            return fail(ret_error, "standard-params entry %zu of %s lacks a name or a decision",
                        a->n_rules + 1, a->baton);
        a->n_rules++;
        r->why = text_dup(p);
        r->instead = switch_xml_prop(p, "instead");
        r->accept = switch_xml_prop(p, "accept");
        if (!r->why)
            return -ENOMEM;
    }
    return 0;
}

int switch_agent_parse(const char *table_xml, const char *baton_metadata_xml,
                       const char *standard_metadata_xml, switch_agent **ret, char **ret_error)
{
    baton_autoptr(switch_agent) a = calloc(1, sizeof(*a));
    xmlDocPtr table = read_doc(table_xml);
    xmlDocPtr md = read_doc(baton_metadata_xml);
    xmlDocPtr std = read_doc(standard_metadata_xml);
    int r = 0;

    if (!a)
        r = -ENOMEM;
    else if (!table)
        r = fail(ret_error, "the standard-params table is not XML");
    else if (!md)
        r = fail(ret_error, "the baton agent's meta-data is not XML");
    else if ((r = parse_table(table, a, ret_error)) < 0)
        ;
    else if (parameter_names(md, &a->baton_params) < 0)
        r = fail(ret_error, "%s: meta-data without <resource-agent><parameters>", a->baton);
    else if (standard_metadata_xml && (!std || parameter_names(std, &a->standard_params) < 0))
        r = fail(ret_error, "%s: meta-data without <resource-agent><parameters>", a->standard);
    xmlFreeDoc(table);
    xmlFreeDoc(md);
    xmlFreeDoc(std);
    if (r < 0)
        return r;
    *ret = baton_take_ptr(a);
    return 0;
}
