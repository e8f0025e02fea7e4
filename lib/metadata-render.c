/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Agent metadata at build time, the renderer: both OCF forms (1.1, and 1.0
 * for ra-api-1.dtd) written from the parsed model of metadata-source.h.
 *
 * Output is produced from the parsed model, never by copying the source
 * tree, so nothing from the baton namespace can leak into it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <baton/metadata.h>
#include <baton/param.h>

#include "metadata-source.h"
#include "util-internal.h"

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

int source_render(const md_source *md, baton_metadata_format fmt, char **ret)
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
