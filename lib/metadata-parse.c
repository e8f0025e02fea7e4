/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Agent metadata at build time, the parser: the source XML (OCF 1.1 plus
 * baton: attributes, see xml-metadata/README.md) is read into the model of
 * metadata-source.h and checked strictly: a mistake in an agent's metadata
 * must fail the build, not surface in a cluster.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <baton/log.h>
#include <baton/metadata.h>
#include <baton/param.h>

#include "metadata-source.h"
#include "util-internal.h"

#define SOURCE_OCF_VERSION "1.1"
#define DEFAULT_LANG "en"

/* ------------------------------------------------------------------ XML access */

static bool node_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !n->ns && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static bool node_is_baton(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns &&
           xmlStrcmp(n->ns->href, BAD_CAST BATON_METADATA_NS) == 0 &&
           xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static bool attr_is_baton(const xmlAttr *a)
{
    return a->ns && xmlStrcmp(a->ns->href, BAD_CAST BATON_METADATA_NS) == 0;
}

/* An un-namespaced attribute, as an owned string; NULL when absent. */
static const char *md_attr(md_source *md, const xmlNode *n, const char *name, int *r)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    char *s;

    if (!v)
        return NULL;
    s = md_strdup(md, (const char *) v);
    xmlFree(v);
    if (!s)
        *r = -ENOMEM;
    return s;
}

static const char *md_baton_attr(md_source *md, const xmlNode *n, const char *name, int *r)
{
    xmlChar *v = xmlGetNsProp(n, BAD_CAST name, BAD_CAST BATON_METADATA_NS);
    char *s;

    if (!v)
        return NULL;
    s = md_strdup(md, (const char *) v);
    xmlFree(v);
    if (!s)
        *r = -ENOMEM;
    return s;
}

/*
 * Every baton: attribute on n must be one of the allowed names: a typo such
 * as baton:privte must not silently turn a secret into a logged value.
 */
static int check_baton_attrs(md_source *md, const xmlNode *n, const char *const *allowed)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        bool ok = false;

        if (!attr_is_baton(a))
            continue;
        for (size_t i = 0; allowed && allowed[i]; i++)
            ok = ok || xmlStrcmp(a->name, BAD_CAST allowed[i]) == 0;
        if (!ok)
            return md_fail(md, n, "unknown attribute baton:%s on <%s>", a->name, n->name);
    }
    return 0;
}

/* The element's text (markup inside is flattened), normalised; owned. */
static const char *md_text(md_source *md, const xmlNode *n, bool one_line, int *r)
{
    xmlChar *raw = xmlNodeGetContent(n);
    char *s;

    if (!raw) {
        s = md_strdup(md, "");
    } else {
        s = md_own(md, one_line ? md_text_collapse((const char *) raw)
                                : md_text_dedent((const char *) raw));
        xmlFree(raw);
    }
    if (!s)
        *r = -ENOMEM;
    return s;
}

static int parse_bool_attr(md_source *md, const xmlNode *n, const char *v, const char *what,
                           bool *ret)
{
    if (!v) {
        *ret = false;
        return 0;
    }
    if (baton_parse_bool(v, ret) < 0)
        return md_fail(md, n, "%s=\"%s\" is not a boolean", what, v);
    return 0;
}

/* ------------------------------------------------------------------ parameters */

static int parse_desc(md_source *md, const xmlNode *n, bool one_line,
                      const char **text, const char **lang)
{
    int r = check_baton_attrs(md, n, NULL);

    /* OCF allows one per language; the first one is the one we render. */
    if (r < 0 || *text)
        return r;
    *text = md_text(md, n, one_line, &r);
    *lang = md_attr(md, n, "lang", &r);
    if (r == 0 && !*lang)
        *lang = DEFAULT_LANG;
    return r;
}

static int parse_deprecated(md_source *md, md_param *p, const xmlNode *n)
{
    int r = check_baton_attrs(md, n, NULL);

    if (r < 0)
        return r;
    p->def.deprecated = true;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (node_is(c, "replaced-with")) {
            r = check_baton_attrs(md, c, NULL);
            if (r < 0)
                return r;
            if (p->def.replaced_by)
                /* One value cannot be handed to two replacements. */
                return md_fail(md, c, "parameter '%s': more than one <replaced-with>",
                               p->def.name);
            p->def.replaced_by = md_attr(md, c, "name", &r);
            if (r == 0 && baton__isempty(p->def.replaced_by))
                return md_fail(md, c, "parameter '%s': <replaced-with> without a name",
                               p->def.name);
        } else if (node_is(c, "desc")) {
            r = parse_desc(md, c, false, &p->deprecated_desc, &p->deprecated_desc_lang);
        } else {
            return md_fail(md, c, "parameter '%s': unexpected <%s> in <deprecated>",
                           p->def.name, c->name);
        }
        if (r < 0)
            return r;
    }
    return 0;
}

static int parse_unit(const char *unit, int64_t *ret)
{
    if (!unit) {
        *ret = 1000;            /* README: a bare number means seconds by default */
        return 0;
    }
    return baton__duration_unit_ms(unit, false, ret);
}

/* A value of the parameter's own type (default, limit), as a number. */
static int parse_typed_number(const baton_param_def *d, const char *v, int64_t *ret)
{
    if (d->type == BATON_PARAM_DURATION)
        return baton_parse_duration_ms(v, d->unit_ms, ret);
    return baton_parse_int64(v, ret);
}

static const xmlNode *first_element(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE)
            return c;
    }
    return NULL;
}

static size_t count_elements(const xmlNode *n, const char *name)
{
    size_t k = 0;

    for (const xmlNode *c = n->children; c; c = c->next)
        k += node_is(c, name);
    return k;
}

/*
 * A list element (<parameters>, <actions>) takes no baton attributes and
 * comes once; *ret_array: zeroed room of elem_size bytes for each of its
 * <child> elements and one more.
 */
static int list_begin(md_source *md, const xmlNode *n, bool seen, const char *child, size_t elem_size,
                      void **ret_array)
{
    int r = check_baton_attrs(md, n, NULL);

    if (r < 0)
        return r;
    if (seen)
        return md_fail(md, n, "more than one <%s>", n->name);
    *ret_array = calloc(count_elements(n, child) + 1, elem_size);
    return *ret_array ? 0 : -ENOMEM;
}

/*
 * A list element: every element under n must be <child> (in baton's
 * namespace when baton_ns, like n itself); each goes to add, in order.
 */
static int each_child(md_source *md, const xmlNode *n, const char *child, bool baton_ns,
                      int (*add)(md_source *md, const xmlNode *c, const void *data), const void *data)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        int r;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (baton_ns ? !node_is_baton(c, child) : !node_is(c, child))
            return md_fail(md, c, "unexpected <%s> in <%s%s>", c->name, baton_ns ? "baton:" : "", n->name);
        r = add(md, c, data);
        if (r < 0)
            return r;
    }
    return 0;
}

static int parse_options(md_source *md, baton_param_def *d, const xmlNode *n)
{
    size_t cap = count_elements(n, "option");
    const char **options;
    int r = 0;

    if (cap == 0)
        return md_fail(md, n, "parameter '%s': select without options", d->name);
    options = md_own(md, calloc(cap + 1, sizeof(*options)));
    if (!options)
        return -ENOMEM;
    for (const xmlNode *c = n->children; c; c = c->next) {
        const char *v;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!node_is(c, "option"))
            return md_fail(md, c, "parameter '%s': unexpected <%s> in <content>",
                           d->name, c->name);
        r = check_baton_attrs(md, c, NULL);
        if (r < 0)
            return r;
        v = md_attr(md, c, "value", &r);
        if (r < 0)
            return r;
        if (!v)
            return md_fail(md, c, "parameter '%s': <option> without a value", d->name);
        for (size_t i = 0; i < d->n_options; i++) {
            if (baton__streq(options[i], v))
                return md_fail(md, c, "parameter '%s': option '%s' listed twice", d->name, v);
        }
        options[d->n_options++] = v;
        d->options = options;
    }
    return 0;
}

static int parse_content(md_source *md, md_param *p, const xmlNode *n)
{
    static const char *const allowed[] = { "type", "unit", "min", "max", NULL };
    baton_param_def *d = &p->def;
    const char *btype, *unit, *min, *max;
    int r = check_baton_attrs(md, n, allowed);

    if (r < 0)
        return r;
    p->content_type = md_attr(md, n, "type", &r);
    d->default_value = md_attr(md, n, "default", &r);
    btype = md_baton_attr(md, n, "type", &r);
    unit = md_baton_attr(md, n, "unit", &r);
    min = md_baton_attr(md, n, "min", &r);
    max = md_baton_attr(md, n, "max", &r);
    if (r < 0)
        return r;

    if (baton__streq(p->content_type, "string"))
        d->type = BATON_PARAM_STRING;
    else if (baton__streq(p->content_type, "integer"))
        d->type = BATON_PARAM_INTEGER;
    else if (baton__streq(p->content_type, "boolean"))
        d->type = BATON_PARAM_BOOLEAN;
    else if (baton__streq(p->content_type, "select"))
        d->type = BATON_PARAM_SELECT;
    else
        return md_fail(md, n, "parameter '%s': unknown content type '%s'",
                       d->name, p->content_type ? p->content_type : "(none)");

    if (btype) {
        /* A duration is written as text ("5s") or, with a unit, as a bare number. */
        if (!baton__streq(btype, "duration") ||
            (d->type != BATON_PARAM_STRING && d->type != BATON_PARAM_INTEGER))
            return md_fail(md, n, "parameter '%s': baton:type='%s' on type '%s'",
                           d->name, btype, p->content_type);
        d->type = BATON_PARAM_DURATION;
    }
    if (d->type == BATON_PARAM_DURATION) {
        if (parse_unit(unit, &d->unit_ms) < 0)
            return md_fail(md, n, "parameter '%s': unknown baton:unit '%s'", d->name, unit);
    } else if (unit) {
        return md_fail(md, n, "parameter '%s': baton:unit on a non-duration", d->name);
    }
    if ((min || max) && d->type != BATON_PARAM_INTEGER && d->type != BATON_PARAM_DURATION)
        return md_fail(md, n, "parameter '%s': baton:min/max on type '%s'",
                       d->name, baton_param_type_name(d->type));
    if (min) {
        if (parse_typed_number(d, min, &d->min) < 0)
            return md_fail(md, n, "parameter '%s': bad baton:min '%s'", d->name, min);
        d->has_min = true;
    }
    if (max) {
        if (parse_typed_number(d, max, &d->max) < 0)
            return md_fail(md, n, "parameter '%s': bad baton:max '%s'", d->name, max);
        d->has_max = true;
    }
    if (d->has_min && d->has_max && d->min > d->max)
        return md_fail(md, n, "parameter '%s': baton:min > baton:max", d->name);

    if (d->type == BATON_PARAM_SELECT)
        return parse_options(md, d, n);
    if (first_element(n))
        return md_fail(md, first_element(n), "parameter '%s': unexpected <%s> in <content>",
                       d->name, first_element(n)->name);
    return 0;
}

/* The default must itself be a valid value: the agent relies on it unchecked. */
static int check_default(md_source *md, const xmlNode *n, const baton_param_def *d)
{
    const char *v = d->default_value;
    int64_t num;
    bool b;

    if (!v)
        return 0;
    switch (d->type) {
    case BATON_PARAM_STRING:
        return 0;
    case BATON_PARAM_BOOLEAN:
        if (baton_parse_bool(v, &b) == 0)
            return 0;
        break;
    case BATON_PARAM_SELECT:
        for (size_t i = 0; i < d->n_options; i++) {
            if (baton__streq(d->options[i], v))
                return 0;
        }
        break;
    case BATON_PARAM_INTEGER:
    case BATON_PARAM_DURATION:
        if (parse_typed_number(d, v, &num) == 0 &&
            (!d->has_min || num >= d->min) && (!d->has_max || num <= d->max))
            return 0;
        break;
    case BATON_PARAM_TYPE_MAX:
        break;
    }
    return md_fail(md, n, "parameter '%s': invalid default '%s'", d->name, v);
}

static int parse_parameter(md_source *md, md_param *p, const xmlNode *n)
{
    static const char *const allowed[] = { "private", NULL };
    baton_param_def *d = &p->def;
    const char *unique, *required, *reloadable, *private_;
    const xmlNode *content = NULL;
    int r = check_baton_attrs(md, n, allowed);

    if (r < 0)
        return r;
    p->line = xmlGetLineNo(n);
    d->name = md_attr(md, n, "name", &r);
    d->unique_group = md_attr(md, n, "unique-group", &r);
    unique = md_attr(md, n, "unique", &r);
    required = md_attr(md, n, "required", &r);
    reloadable = md_attr(md, n, "reloadable", &r);
    private_ = md_baton_attr(md, n, "private", &r);
    if (r < 0)
        return r;
    if (baton__isempty(d->name))
        return md_fail(md, n, "a parameter without a name");
    if (d->unique_group && !*d->unique_group)
        return md_fail(md, n, "parameter '%s': empty unique-group", d->name);
    r = parse_bool_attr(md, n, unique, "unique", &d->unique);
    if (r == 0)
        r = parse_bool_attr(md, n, required, "required", &d->required);
    if (r == 0)
        r = parse_bool_attr(md, n, reloadable, "reloadable", &d->reloadable);
    if (r == 0)
        r = parse_bool_attr(md, n, private_, "baton:private", &d->private_);
    if (r < 0)
        return r;
    if (d->unique_group)
        d->unique = true;

    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (c->ns)
            return md_fail(md, c, "parameter '%s': unexpected element <%s:%s>", d->name,
                           c->ns->prefix ? (const char *) c->ns->prefix : "", c->name);
        if (node_is(c, "longdesc"))
            r = parse_desc(md, c, false, &d->longdesc, &p->longdesc_lang);
        else if (node_is(c, "shortdesc"))
            r = parse_desc(md, c, true, &d->shortdesc, &p->shortdesc_lang);
        else if (node_is(c, "deprecated") && !d->deprecated)
            r = parse_deprecated(md, p, c);
        else if (node_is(c, "content") && !content) {
            content = c;
            r = parse_content(md, p, c);
        } else {
            return md_fail(md, c, "parameter '%s': unexpected <%s>", d->name, c->name);
        }
        if (r < 0)
            return r;
    }
    if (!content || !d->longdesc || !d->shortdesc)
        return md_fail(md, n, "parameter '%s': needs <longdesc>, <shortdesc> and <content>",
                       d->name);
    return check_default(md, content, d);
}

static const md_param *source_find_param(const md_source *md, const char *name)
{
    for (size_t i = 0; i < md->n_params; i++) {
        if (baton__streq(md->params[i].def.name, name))
            return &md->params[i];
    }
    return NULL;
}

static int add_parameter(md_source *md, const xmlNode *c, const void *data)
{
    md_param *p = &md->params[md->n_params];
    int r = parse_parameter(md, p, c);

    if (r < 0)
        return r;
    if (source_find_param(md, p->def.name))
        return md_fail(md, c, "parameter '%s' declared twice", p->def.name);
    md->n_params++;
    return 0;
}

static int parse_parameters(md_source *md, const xmlNode *n)
{
    void *params;
    int r = list_begin(md, n, md->params != NULL, "parameter", sizeof(*md->params), &params);

    if (r < 0)
        return r;
    md->params = params;
    return each_child(md, n, "parameter", false, add_parameter, NULL);
}

/* After all parameters are known: deprecated names must point at real ones. */
static int check_replacements(md_source *md)
{
    for (size_t i = 0; i < md->n_params; i++) {
        const md_param *p = &md->params[i];
        const md_param *to;

        if (!p->def.replaced_by)
            continue;
        to = source_find_param(md, p->def.replaced_by);
        if (!to || to == p)
            return md_fail_line(md, p->line,
                                "parameter '%s' is replaced with unknown parameter '%s'",
                                p->def.name, p->def.replaced_by);
    }
    return 0;
}

/* ------------------------------------------------------------------ actions */

static bool role_is_valid(const char *role)
{
    static const char *const roles[] = { "Started", "Stopped", "Promoted", "Unpromoted" };

    for (size_t i = 0; i < BATON_ELEMENTSOF(roles); i++) {
        if (baton__streq(role, roles[i]))
            return true;
    }
    return false;
}

/* One <action>, into the next entry of md->actions. */
static int add_action(md_source *md, const xmlNode *n, const void *data)
{
    baton_action_meta *a = &md->actions[md->n_actions];
    int r = check_baton_attrs(md, n, NULL);

    if (r < 0)
        return r;
    a->name = md_attr(md, n, "name", &r);
    a->timeout = md_attr(md, n, "timeout", &r);
    a->interval = md_attr(md, n, "interval", &r);
    a->depth = md_attr(md, n, "depth", &r);
    a->role = md_attr(md, n, "role", &r);
    a->start_delay = md_attr(md, n, "start-delay", &r);
    if (r < 0)
        return r;
    if (baton__isempty(a->name) || baton__isempty(a->timeout))
        return md_fail(md, n, "an action needs a name and a timeout");
    if (a->role && !role_is_valid(a->role))
        return md_fail(md, n, "action '%s': unknown role '%s'", a->name, a->role);
    if (first_element(n))
        return md_fail(md, first_element(n), "action '%s': unexpected <%s>",
                       a->name, first_element(n)->name);
    md->n_actions++;
    return 0;
}

static int parse_actions(md_source *md, const xmlNode *n)
{
    void *actions;
    int r = list_begin(md, n, md->actions != NULL, "action", sizeof(*md->actions), &actions);

    if (r < 0)
        return r;
    md->actions = actions;
    return each_child(md, n, "action", false, add_action, NULL);
}

/* ------------------------------------------------------------------ standard parameters */

/*
 * <baton:standard agent="ocf:heartbeat:IPaddr2"> lists what becomes of each
 * parameter of the agent this one replaces (see baton_standard_param). Its
 * attributes are plain ones, and every one is checked: a misspelt
 * decision or attribute must fail the build, not let a parameter through.
 */
static int check_plain_attrs(md_source *md, const xmlNode *n, const char *const *allowed)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        bool ok = false;

        for (size_t i = 0; !a->ns && allowed[i]; i++)
            ok = ok || xmlStrcmp(a->name, BAD_CAST allowed[i]) == 0;
        if (!ok)
            return md_fail(md, n, "unknown attribute %s%s%s on <baton:%s>",
                           a->ns && a->ns->prefix ? (const char *) a->ns->prefix : "",
                           a->ns && a->ns->prefix ? ":" : "", a->name, n->name);
    }
    return 0;
}

static int parse_decision(md_source *md, const xmlNode *n, const char *name, const char *v,
                          baton_standard_decision *ret)
{
    for (int d = 0; d < BATON_STANDARD_DECISION_MAX; d++) {
        if (baton__streq(v, baton_standard_decision_name((baton_standard_decision) d))) {
            *ret = (baton_standard_decision) d;
            return 0;
        }
    }
    return md_fail(md, n, "standard parameter '%s': unknown decision '%s' "
                   "(refused, noop or differs)", name, v ? v : "(none)");
}

static md_standard *standard_append(md_source *md)
{
    if (md->n_standard == md->cap_standard) {
        size_t cap = md->cap_standard ? md->cap_standard * 2 : 16;
        md_standard *n = realloc(md->standard, cap * sizeof(*n));

        if (!n)
            return NULL;
        md->standard = n;
        md->cap_standard = cap;
    }
    memset(&md->standard[md->n_standard], 0, sizeof(md->standard[0]));
    return &md->standard[md->n_standard++];
}

static const md_standard *source_find_standard(const md_source *md, const char *agent,
                                               const char *name, const md_standard *except)
{
    for (size_t i = 0; i < md->n_standard; i++) {
        const md_standard *s = &md->standard[i];

        if (s != except && baton__streq(s->def.agent, agent) && baton__streq(s->def.name, name))
            return s;
    }
    return NULL;
}

static int parse_standard_param(md_source *md, const char *agent, const xmlNode *n)
{
    static const char *const allowed[] = { "name", "decision", "instead", "accept", NULL };
    const char *decision;
    md_standard *s;
    int r = check_plain_attrs(md, n, allowed);

    if (r < 0)
        return r;
    s = standard_append(md);
    if (!s)
        return -ENOMEM;
    s->line = xmlGetLineNo(n);
    s->def.agent = agent;
    s->def.name = md_attr(md, n, "name", &r);
    decision = md_attr(md, n, "decision", &r);
    s->def.instead = md_attr(md, n, "instead", &r);
    s->def.accept = md_attr(md, n, "accept", &r);
    s->def.why = md_text(md, n, true, &r);
    if (r < 0)
        return r;
    if (baton__isempty(s->def.name))
        return md_fail(md, n, "<baton:param> without a name");
    r = parse_decision(md, n, s->def.name, decision, &s->def.decision);
    if (r < 0)
        return r;
    if (first_element(n))
        return md_fail(md, first_element(n), "standard parameter '%s': unexpected <%s>",
                       s->def.name, first_element(n)->name);
    if (baton__isempty(s->def.why))
        return md_fail(md, n, "standard parameter '%s': say why (the element's text)",
                       s->def.name);
    /* A refusal must tell the user where to go; the other decisions have nowhere to send them. */
    if (s->def.decision == BATON_STANDARD_REFUSED && baton__isempty(s->def.instead))
        return md_fail(md, n, "standard parameter '%s': refused without instead=\"...\"",
                       s->def.name);
    if (s->def.decision != BATON_STANDARD_REFUSED && (s->def.instead || s->def.accept))
        return md_fail(md, n, "standard parameter '%s': instead and accept are for refused ones",
                       s->def.name);
    if (s->def.accept && !*s->def.accept)
        return md_fail(md, n, "standard parameter '%s': empty accept", s->def.name);
    if (source_find_standard(md, agent, s->def.name, s))
        return md_fail(md, n, "standard parameter '%s' of %s listed twice", s->def.name, agent);
    return 0;
}

static int add_standard_param(md_source *md, const xmlNode *c, const void *agent)
{
    return parse_standard_param(md, agent, c);
}

static int parse_standard(md_source *md, const xmlNode *n)
{
    static const char *const allowed[] = { "agent", NULL };
    const char *agent;
    int r = check_plain_attrs(md, n, allowed);

    if (r < 0)
        return r;
    agent = md_attr(md, n, "agent", &r);
    if (r < 0)
        return r;
    if (baton__isempty(agent) || strpbrk(agent, " \t\n"))
        return md_fail(md, n, "<baton:standard> needs agent=\"ocf:PROVIDER:TYPE\"");
    return each_child(md, n, "param", true, add_standard_param, agent);
}

/*
 * After all parameters are known: a parameter baton declares is implemented,
 * so it cannot also be refused or a no-op; one that differs must be declared.
 */
static int check_standard(md_source *md)
{
    for (size_t i = 0; i < md->n_standard; i++) {
        const md_standard *s = &md->standard[i];
        bool declared = source_find_param(md, s->def.name) != NULL;

        if (s->def.decision == BATON_STANDARD_DIFFERS && !declared)
            return md_fail_line(md, s->line, "standard parameter '%s' differs, but '%s' "
                                "declares no such parameter", s->def.name, md->name);
        if (s->def.decision != BATON_STANDARD_DIFFERS && declared)
            return md_fail_line(md, s->line, "standard parameter '%s' is %s, but '%s' "
                                "declares it: use decision=\"differs\" or drop the entry",
                                s->def.name, baton_standard_decision_name(s->def.decision),
                                md->name);
    }
    return 0;
}

/* ------------------------------------------------------------------ document */

static int parse_version(md_source *md, const xmlNode *n)
{
    xmlChar *v = xmlNodeGetContent(n);
    bool ok = v && xmlStrcmp(v, BAD_CAST SOURCE_OCF_VERSION) == 0;

    xmlFree(v);
    if (!ok)
        return md_fail(md, n, "the source must say <version>" SOURCE_OCF_VERSION "</version>");
    return 0;
}

static int parse_root(md_source *md, const xmlNode *root)
{
    bool has_version = false;
    int r = check_baton_attrs(md, root, NULL);

    if (r < 0)
        return r;
    if (!node_is(root, "resource-agent"))
        return md_fail(md, root, "the root element is not <resource-agent>");
    md->name = md_attr(md, root, "name", &r);
    md->version = md_attr(md, root, "version", &r);
    if (r < 0)
        return r;
    if (baton__isempty(md->name))
        return md_fail(md, root, "<resource-agent> without a name");
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (node_is(c, "version") && !has_version) {
            r = parse_version(md, c);
            has_version = true;
        } else if (node_is(c, "longdesc")) {
            r = parse_desc(md, c, false, &md->longdesc, &md->longdesc_lang);
        } else if (node_is(c, "shortdesc")) {
            r = parse_desc(md, c, true, &md->shortdesc, &md->shortdesc_lang);
        } else if (node_is(c, "parameters")) {
            r = parse_parameters(md, c);
        } else if (node_is(c, "actions")) {
            r = parse_actions(md, c);
        } else if (node_is(c, "special")) {
            continue;           /* allowed by OCF, meaningless to us, not rendered */
        } else if (node_is_baton(c, "standard")) {
            r = parse_standard(md, c);
        } else {
            return md_fail(md, c, "unexpected <%s> in <resource-agent>", c->name);
        }
        if (r < 0)
            return r;
    }
    /* The 1.0 DTD needs all of these; demanding them keeps both forms valid. */
    if (!has_version || !md->longdesc || !md->shortdesc || !md->actions || md->n_actions == 0)
        return md_fail(md, root, "<version>, <longdesc>, <shortdesc> and <actions> are required");
    if (!md->params) {
        md->params = calloc(1, sizeof(*md->params));
        if (!md->params)
            return -ENOMEM;
    }
    r = check_replacements(md);
    if (r == 0)
        r = check_standard(md);
    return r;
}

/* libxml2's own message for a document that is not well-formed. */
static int fail_not_well_formed(md_source *md, xmlParserCtxtPtr pctx)
{
    const xmlError *e = xmlCtxtGetLastError(pctx);
    baton_autofree char *msg = e && e->message ? strdup(e->message) : NULL;

    /* libxml2 ends its messages with a newline. */
    if (msg && *msg && msg[strlen(msg) - 1] == '\n')
        msg[strlen(msg) - 1] = '\0';
    return md_fail_line(md, e ? e->line : 0, "not well-formed XML: %s",
                        msg ? msg : "unknown error");
}

int source_parse(md_source *md, const char *xml, size_t len)
{
    xmlParserCtxtPtr pctx;
    xmlDocPtr doc;
    int r;

    pctx = xmlNewParserCtxt();
    if (!pctx)
        return -ENOMEM;
    /*
     * No network, no entity expansion, no DTD loading: the input is the
     * agent's own file, but a parser that can reach out is never needed here.
     * Errors are collected, not printed by libxml2's default handler.
     */
    doc = xmlCtxtReadMemory(pctx, xml, (int) len, "metadata.xml", NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        r = fail_not_well_formed(md, pctx);
        xmlFreeParserCtxt(pctx);
        return r;
    }
    xmlFreeParserCtxt(pctx);
    r = xmlDocGetRootElement(doc) ? parse_root(md, xmlDocGetRootElement(doc))
                                  : md_fail_line(md, 0, "an empty document");
    xmlFreeDoc(doc);
    return r;
}
