/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Agent metadata at build time: the source XML (OCF 1.1 plus baton:
 * attributes, see xml-metadata/README.md) is parsed into plain arrays,
 * checked strictly (a mistake in an agent's metadata must fail the build,
 * not surface in a cluster), and rendered in both OCF forms, ready for
 * metadata-emit.c to write out as C.
 *
 * Output is produced from the parsed model, never by copying the source
 * tree, so nothing from the baton namespace can leak into it.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <baton/log.h>
#include <baton/metadata.h>
#include <baton/param.h>

#include "metadata-xml.h"
#include "util-internal.h"

#define SOURCE_OCF_VERSION "1.1"
#define DEFAULT_LANG "en"

/* What only the renderer needs besides the public definition. */
typedef struct md_param {
    baton_param_def def;
    const char *content_type;   /* the source's type attribute, rendered as is */
    const char *longdesc_lang;
    const char *shortdesc_lang;
    const char *deprecated_desc;
    const char *deprecated_desc_lang;
    long line;                  /* for messages about the parameter as a whole */
} md_param;

/* A <baton:param> of a <baton:standard>, with its line for later checks. */
typedef struct md_standard {
    baton_standard_param def;
    long line;
} md_standard;

/* The source as parsed. */
typedef struct md_source {
    const char *name;
    const char *version;        /* the agent's version attribute; NULL when absent */
    const char *longdesc, *longdesc_lang;
    const char *shortdesc, *shortdesc_lang;
    md_param *params;
    size_t n_params;
    baton_action_meta *actions;
    size_t n_actions;
    md_standard *standard;      /* every <baton:standard>'s entries, in source order */
    size_t n_standard, cap_standard;
    char *error;                /* the first problem found */
    /* Every allocation the strings and arrays point into. */
    void **owned;
    size_t n_owned, cap_owned;
} md_source;

/* What baton_metadata_parse() hands out: a baton_metadata and what it points into. */
typedef struct md_parsed {
    baton_metadata pub;         /* first: the handle is its address */
    md_source src;
    baton_param_def *defs;
    baton_standard_param *standard;
    char *rendered[BATON_METADATA_FORMAT_MAX];
} md_parsed;

/* ------------------------------------------------------------------ ownership */

static void *md_own(md_source *md, void *p)
{
    if (!p)
        return NULL;
    if (md->n_owned == md->cap_owned) {
        size_t cap = md->cap_owned ? md->cap_owned * 2 : 32;
        void **n = realloc(md->owned, cap * sizeof(*n));

        if (!n) {
            free(p);
            return NULL;
        }
        md->owned = n;
        md->cap_owned = cap;
    }
    md->owned[md->n_owned++] = p;
    return p;
}

static char *md_strdup(md_source *md, const char *s)
{
    return md_own(md, strdup(s));
}

static void source_clear(md_source *md)
{
    for (size_t i = 0; i < md->n_owned; i++)
        free(md->owned[i]);
    free(md->owned);
    free(md->params);
    free(md->actions);
    free(md->standard);
    free(md->error);
}

baton_metadata *baton_metadata_free(baton_metadata *md)
{
    md_parsed *p = (md_parsed *) md;

    if (!p)
        return NULL;
    source_clear(&p->src);
    free(p->defs);
    free(p->standard);
    for (size_t i = 0; i < BATON_METADATA_FORMAT_MAX; i++)
        free(p->rendered[i]);
    free(p);
    return NULL;
}

/*
 * Record why the source is rejected (the first reason wins: later ones are
 * mostly consequences) and return -EINVAL, so that a check can end with
 * `return md_fail(md, node, ...)`. line <= 0: unknown.
 */
static int md_failv(md_source *md, long line, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static int md_failv(md_source *md, long line, const char *fmt, va_list ap)
{
    baton_autofree char *msg = baton__vasprintf(fmt, ap);

    if (!msg)
        return -EINVAL;
    baton_debug("metadata: %s", msg);
    if (!md->error)
        md->error = line > 0 ? baton_strdup_printf("line %ld: %s", line, msg) : baton_take_ptr(msg);
    return -EINVAL;
}

static int md_fail_line(md_source *md, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int md_fail_line(md_source *md, long line, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = md_failv(md, line, fmt, ap);
    va_end(ap);
    return r;
}

static int md_fail(md_source *md, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int md_fail(md_source *md, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = md_failv(md, xmlGetLineNo(n), fmt, ap);
    va_end(ap);
    return r;
}

/* ------------------------------------------------------------------ text */

static bool is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One line: every run of whitespace becomes one space, none at the ends. */
static char *text_collapse(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    char *o = out;
    bool pending_space = false;

    if (!out)
        return NULL;
    for (; *s; s++) {
        if (is_blank_char(*s)) {
            pending_space = o != out;
            continue;
        }
        if (pending_space)
            *o++ = ' ';
        pending_space = false;
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

static size_t line_indent(const char *line, size_t len)
{
    size_t i = 0;

    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    return i;
}

/*
 * A long description as the author wrote it, minus the indentation that
 * only reflects where it sits in the XML file: the first line loses its
 * leading blanks, the others their common indentation; trailing blanks,
 * leading/trailing empty lines and repeated empty lines go.
 */
static char *text_dedent(const char *s)
{
    size_t margin = SIZE_MAX;
    bool first = true;
    char *out, *o;
    int blank_run = 0;

    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        size_t ind = line_indent(p, len);

        if (!first && ind < len && ind < margin)
            margin = ind;
        first = false;
        p += len + (nl ? 1 : 0);
    }
    if (margin == SIZE_MAX)
        margin = 0;

    out = malloc(strlen(s) + 1);
    if (!out)
        return NULL;
    o = out;
    first = true;
    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        size_t start = first ? line_indent(p, len) : (margin < len ? margin : len);
        size_t end = len;

        while (end > start && is_blank_char(p[end - 1]))
            end--;
        if (end == start) {
            if (o != out)
                blank_run++;
        } else {
            if (o != out)
                *o++ = '\n';
            if (blank_run > 0)
                *o++ = '\n';
            blank_run = 0;
            memcpy(o, p + start, end - start);
            o += end - start;
        }
        first = false;
        p += len + (nl ? 1 : 0);
    }
    *o = '\0';
    return out;
}

/* ------------------------------------------------------------------ XML access */

static bool node_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !n->ns && xmlStrcmp(n->name, BAD_CAST name) == 0;
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
        s = md_own(md, one_line ? text_collapse((const char *) raw)
                                : text_dedent((const char *) raw));
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
    static const struct {
        const char *name;
        int64_t ms;
    } units[] = {
        { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "min", 60000 }, { "h", 3600000 },
    };

    if (!unit) {
        *ret = 1000;            /* README: a bare number means seconds by default */
        return 0;
    }
    for (size_t i = 0; i < BATON_ELEMENTSOF(units); i++) {
        if (baton__streq(unit, units[i].name)) {
            *ret = units[i].ms;
            return 0;
        }
    }
    return -EINVAL;
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

static int parse_parameters(md_source *md, const xmlNode *n)
{
    size_t cap = count_elements(n, "parameter");
    int r = check_baton_attrs(md, n, NULL);

    if (r < 0)
        return r;
    if (md->params)
        return md_fail(md, n, "more than one <parameters>");
    md->params = calloc(cap ? cap : 1, sizeof(*md->params));
    if (!md->params)
        return -ENOMEM;
    for (const xmlNode *c = n->children; c; c = c->next) {
        md_param *p;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!node_is(c, "parameter"))
            return md_fail(md, c, "unexpected <%s> in <parameters>", c->name);
        p = &md->params[md->n_params];
        r = parse_parameter(md, p, c);
        if (r < 0)
            return r;
        if (source_find_param(md, p->def.name))
            return md_fail(md, c, "parameter '%s' declared twice", p->def.name);
        md->n_params++;
    }
    return 0;
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

static int parse_action(md_source *md, baton_action_meta *a, const xmlNode *n)
{
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
    return 0;
}

static int parse_actions(md_source *md, const xmlNode *n)
{
    size_t cap = count_elements(n, "action");
    int r = check_baton_attrs(md, n, NULL);

    if (r < 0)
        return r;
    if (md->actions)
        return md_fail(md, n, "more than one <actions>");
    md->actions = calloc(cap ? cap : 1, sizeof(*md->actions));
    if (!md->actions)
        return -ENOMEM;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!node_is(c, "action"))
            return md_fail(md, c, "unexpected <%s> in <actions>", c->name);
        r = parse_action(md, &md->actions[md->n_actions], c);
        if (r < 0)
            return r;
        md->n_actions++;
    }
    return 0;
}

/* ------------------------------------------------------------------ standard parameters */

/*
 * <baton:standard agent="ocf:heartbeat:IPaddr2"> lists what becomes of each
 * parameter of the agent this one replaces (see baton_standard_param). Its
 * attributes are plain ones, and every one is checked: a misspelt
 * decision or attribute must fail the build, not let a parameter through.
 */
static bool node_is_baton(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns &&
           xmlStrcmp(n->ns->href, BAD_CAST BATON_METADATA_NS) == 0 &&
           xmlStrcmp(n->name, BAD_CAST name) == 0;
}

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
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!node_is_baton(c, "param"))
            return md_fail(md, c, "unexpected <%s> in <baton:standard>", c->name);
        r = parse_standard_param(md, agent, c);
        if (r < 0)
            return r;
    }
    return 0;
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

static int source_parse(md_source *md, const char *xml, size_t len)
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

/* ------------------------------------------------------------------ rendering */

/* A growing string; the first failure sticks and is reported at the end. */
typedef struct outbuf {
    char *s;
    size_t len, cap;
    int error;
} outbuf;

static void out_mem(outbuf *o, const char *s, size_t n)
{
    if (o->error)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        char *grown;

        while (cap < o->len + n + 1)
            cap *= 2;
        grown = realloc(o->s, cap);
        if (!grown) {
            o->error = -ENOMEM;
            return;
        }
        o->s = grown;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = '\0';
}

static void out_str(outbuf *o, const char *s)
{
    out_mem(o, s, strlen(s));
}

static void out_escaped(outbuf *o, const char *s, bool attribute)
{
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '&': out_str(o, "&amp;"); break;
        case '<': out_str(o, "&lt;"); break;
        case '>': out_str(o, "&gt;"); break;
        case '"': attribute ? out_str(o, "&quot;") : out_mem(o, p, 1); break;
        /* A parser normalises raw whitespace in attribute values; references survive. */
        case '\n': attribute ? out_str(o, "&#10;") : out_mem(o, p, 1); break;
        case '\r': out_str(o, "&#13;"); break;
        case '\t': attribute ? out_str(o, "&#9;") : out_mem(o, p, 1); break;
        default: out_mem(o, p, 1); break;
        }
    }
}

static void out_indent(outbuf *o, int level)
{
    for (int i = 0; i < level; i++)
        out_str(o, "  ");
}

static void out_attr(outbuf *o, const char *name, const char *value)
{
    if (!value)
        return;
    out_str(o, " ");
    out_str(o, name);
    out_str(o, "=\"");
    out_escaped(o, value, true);
    out_str(o, "\"");
}

static void out_desc(outbuf *o, int level, const char *tag, const char *lang,
                     const char *text, const char *extra)
{
    out_indent(o, level);
    out_str(o, "<");
    out_str(o, tag);
    out_attr(o, "lang", lang);
    out_str(o, ">");
    out_escaped(o, text, false);
    if (extra) {
        /* A paragraph of its own, which still reads well when a viewer reflows the text. */
        if (*text)
            out_str(o, "\n\n");
        out_escaped(o, extra, false);
    }
    out_str(o, "</");
    out_str(o, tag);
    out_str(o, ">\n");
}

/* The 1.0 DTD has no select: the choices go into the description instead. */
static char *allowed_values_text(const baton_param_def *d)
{
    outbuf o = { 0 };

    out_str(&o, "Allowed values: ");
    for (size_t i = 0; i < d->n_options; i++) {
        if (i > 0)
            out_str(&o, ", ");
        out_str(&o, d->options[i]);
    }
    if (o.error) {
        free(o.s);
        return NULL;
    }
    return o.s;
}

static void render_param(outbuf *o, const md_param *p, baton_metadata_format fmt)
{
    const baton_param_def *d = &p->def;
    bool v11 = fmt == BATON_METADATA_OCF_1_1;
    bool select_as_string = !v11 && d->type == BATON_PARAM_SELECT;
    baton_autofree char *allowed = NULL;

    out_indent(o, 2);
    out_str(o, "<parameter");
    out_attr(o, "name", d->name);
    if (v11)
        out_attr(o, "unique-group", d->unique_group);
    /* Pacemaker 2.1 reads only "unique" (for reload decisions), so 1.1 says both. */
    out_attr(o, "unique", d->unique ? "1" : NULL);
    out_attr(o, "required", d->required ? "1" : NULL);
    if (v11)
        out_attr(o, "reloadable", d->reloadable ? "1" : NULL);
    out_str(o, ">\n");

    if (v11 && d->deprecated) {
        out_indent(o, 3);
        out_str(o, "<deprecated>\n");
        if (d->replaced_by) {
            out_indent(o, 4);
            out_str(o, "<replaced-with");
            out_attr(o, "name", d->replaced_by);
            out_str(o, "/>\n");
        }
        if (p->deprecated_desc)
            out_desc(o, 4, "desc", p->deprecated_desc_lang, p->deprecated_desc, NULL);
        out_indent(o, 3);
        out_str(o, "</deprecated>\n");
    }

    if (select_as_string) {
        allowed = allowed_values_text(d);
        if (!allowed && !o->error)
            o->error = -ENOMEM;
    }
    out_desc(o, 3, "longdesc", p->longdesc_lang, d->longdesc, allowed);
    out_desc(o, 3, "shortdesc", p->shortdesc_lang, d->shortdesc, NULL);

    out_indent(o, 3);
    out_str(o, "<content");
    out_attr(o, "type", select_as_string ? "string" : p->content_type);
    out_attr(o, "default", d->default_value);
    if (v11 && d->type == BATON_PARAM_SELECT) {
        out_str(o, ">\n");
        for (size_t i = 0; i < d->n_options; i++) {
            out_indent(o, 4);
            out_str(o, "<option");
            out_attr(o, "value", d->options[i]);
            out_str(o, "/>\n");
        }
        out_indent(o, 3);
        out_str(o, "</content>\n");
    } else {
        out_str(o, "/>\n");
    }
    out_indent(o, 2);
    out_str(o, "</parameter>\n");
}

/* The action names ra-api-1.dtd enumerates; anything else makes the 1.0 form invalid. */
static bool action_in_dtd(const char *name)
{
    static const char *const names[] = {
        "start", "stop", "recover", "monitor", "restart", "migrate_to", "migrate_from",
        "promote", "demote", "notify", "status", "reload", "meta-data", "usage", "methods",
        "validate-all",
    };

    for (size_t i = 0; i < BATON_ELEMENTSOF(names); i++) {
        if (baton__streq(name, names[i]))
            return true;
    }
    return false;
}

static const char *role_for(const char *role, baton_metadata_format fmt)
{
    if (fmt == BATON_METADATA_OCF_1_0) {
        if (baton__streq(role, "Promoted"))
            return "Master";
        if (baton__streq(role, "Unpromoted"))
            return "Slave";
    }
    return role;
}

static void render_action(outbuf *o, const baton_action_meta *a, baton_metadata_format fmt)
{
    if (fmt == BATON_METADATA_OCF_1_0 && !action_in_dtd(a->name))
        return;
    out_indent(o, 2);
    out_str(o, "<action");
    out_attr(o, "name", a->name);
    out_attr(o, "timeout", a->timeout);
    out_attr(o, "interval", a->interval);
    out_attr(o, "start-delay", a->start_delay);
    out_attr(o, "depth", a->depth);
    out_attr(o, "role", role_for(a->role, fmt));
    out_str(o, "/>\n");
}

static int source_render(const md_source *md, baton_metadata_format fmt, char **ret)
{
    bool v11 = fmt == BATON_METADATA_OCF_1_1;
    outbuf o = { 0 };

    /*
     * No encoding declaration: UTF-8 is XML's default anyway, and crmsh 4.4
     * hands the text to lxml as a str, which refuses one ("crm ra info"
     * then fails with "Cannot parse meta-data XML").
     */
    out_str(&o, "<?xml version=\"1.0\"?>\n");
    if (!v11)
        out_str(&o, "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n");
    out_str(&o, "<resource-agent");
    out_attr(&o, "name", md->name);
    out_attr(&o, "version", md->version);
    out_str(&o, ">\n");
    out_indent(&o, 1);
    out_str(&o, v11 ? "<version>1.1</version>\n" : "<version>1.0</version>\n");
    out_desc(&o, 1, "longdesc", md->longdesc_lang, md->longdesc, NULL);
    out_desc(&o, 1, "shortdesc", md->shortdesc_lang, md->shortdesc, NULL);

    out_indent(&o, 1);
    out_str(&o, "<parameters>\n");
    for (size_t i = 0; i < md->n_params; i++)
        render_param(&o, &md->params[i], fmt);
    out_indent(&o, 1);
    out_str(&o, "</parameters>\n");

    out_indent(&o, 1);
    out_str(&o, "<actions>\n");
    for (size_t i = 0; i < md->n_actions; i++)
        render_action(&o, &md->actions[i], fmt);
    out_indent(&o, 1);
    out_str(&o, "</actions>\n");
    out_str(&o, "</resource-agent>\n");

    if (o.error) {
        free(o.s);
        return o.error;
    }
    *ret = o.s;
    return 0;
}

/* ------------------------------------------------------------------ result */

/* Fill in the public view: the definitions in one array, both forms rendered. */
static int parsed_finish(md_parsed *p)
{
    const md_source *src = &p->src;
    int r;

    p->defs = calloc(src->n_params ? src->n_params : 1, sizeof(*p->defs));
    if (!p->defs)
        return -ENOMEM;
    for (size_t i = 0; i < src->n_params; i++)
        p->defs[i] = src->params[i].def;
    p->standard = calloc(src->n_standard ? src->n_standard : 1, sizeof(*p->standard));
    if (!p->standard)
        return -ENOMEM;
    for (size_t i = 0; i < src->n_standard; i++)
        p->standard[i] = src->standard[i].def;
    for (size_t f = 0; f < BATON_METADATA_FORMAT_MAX; f++) {
        r = source_render(src, (baton_metadata_format) f, &p->rendered[f]);
        if (r < 0)
            return r;
        p->pub.rendered[f] = p->rendered[f];
        p->pub.rendered_len[f] = strlen(p->rendered[f]);
    }
    p->pub.layout = BATON_METADATA_LAYOUT;
    p->pub.name = src->name;
    p->pub.agent_version = src->version;
    p->pub.params = p->defs;
    p->pub.n_params = src->n_params;
    p->pub.actions = src->actions;
    p->pub.n_actions = src->n_actions;
    p->pub.standard_params = p->standard;
    p->pub.n_standard_params = src->n_standard;
    return 0;
}

int baton_metadata_parse(const char *xml, size_t len, baton_metadata **ret, char **ret_error)
{
    md_parsed *p;
    int r;

    if (!xml || !ret || len > INT_MAX)
        return -EINVAL;
    p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    r = source_parse(&p->src, xml, len);
    if (r == 0)
        r = parsed_finish(p);
    if (r < 0) {
        if (r == -EINVAL && ret_error && p->src.error)
            *ret_error = baton_take_ptr(p->src.error);
        baton_metadata_free(&p->pub);
        return r;
    }
    *ret = &p->pub;
    return 0;
}
