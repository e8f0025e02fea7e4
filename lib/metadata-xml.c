/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Agent metadata at build time: the source XML (OCF 1.1 plus baton:
 * attributes, see xml-metadata/README.md) is parsed into plain arrays and
 * checked strictly (metadata-parse.c), rendered in both OCF forms
 * (metadata-render.c), and handed out here as one baton_metadata, ready for
 * metadata-emit.c to write out as C. This file holds what those share: who
 * owns the model's memory, and how a problem in the source is recorded.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include <baton/log.h>
#include <baton/metadata.h>

#include "metadata-source.h"
#include "metadata-xml.h"
#include "util-internal.h"

/* What baton_metadata_parse() hands out: a baton_metadata and what it points into. */
typedef struct md_parsed {
    baton_metadata pub;         /* first: the handle is its address */
    md_source src;
    baton_param_def *defs;
    baton_standard_param *standard;
    char *rendered[BATON_METADATA_FORMAT_MAX];
} md_parsed;

/* ------------------------------------------------------------------ ownership */

void *md_own(md_source *md, void *p)
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

char *md_strdup(md_source *md, const char *s)
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

int md_fail_line(md_source *md, long line, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = md_failv(md, line, fmt, ap);
    va_end(ap);
    return r;
}

int md_fail(md_source *md, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = md_failv(md, xmlGetLineNo(n), fmt, ap);
    va_end(ap);
    return r;
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
