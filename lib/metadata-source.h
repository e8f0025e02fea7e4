/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The metadata source as parsed: the model that metadata-parse.c fills in
 * from the XML, metadata-render.c turns into both OCF forms, and
 * metadata-xml.c hands out as a baton_metadata. Internal to
 * libbaton-metadata-xml: see metadata-xml.h for its interface.
 */
#ifndef BATON_METADATA_SOURCE_H
#define BATON_METADATA_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include <baton/metadata.h>
#include <baton/param.h>


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

/* Every string and array the model points into is owned by md (md_own). */
void *md_own(md_source *md, void *p);
char *md_strdup(md_source *md, const char *s);

/*
 * Record why the source is rejected (the first reason wins: later ones are
 * mostly consequences) and return -EINVAL, so that a check can end with
 * `return md_fail(md, node, ...)`. line <= 0: unknown.
 */
int md_fail_line(md_source *md, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int md_fail(md_source *md, const xmlNode *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The whitespace of a description (metadata-text.c); a new string, NULL when out of memory. */
/* One line: every run of whitespace becomes one space, none at the ends. */
char *md_text_collapse(const char *s);
/*
 * A long description minus the indentation that only reflects where it sits
 * in the XML file (metadata-text.c has the rules).
 */
char *md_text_dedent(const char *s);

/* Parse and check the source XML into md: 0, or -EINVAL with md->error set, or -errno. */
int source_parse(md_source *md, const char *xml, size_t len);

/* One output form of the parsed source, as a new string: 0 or -ENOMEM. */
int source_render(const md_source *md, baton_metadata_format fmt, char **ret);

#endif /* BATON_METADATA_SOURCE_H */
