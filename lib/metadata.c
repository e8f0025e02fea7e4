/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Agent metadata at run time: read-only access to what baton-metadata-compile
 * made of the agent's source XML at build time. Nothing here parses or
 * renders: a monitor that runs every few seconds on every node should not
 * pay for an XML library (parsing and rendering live in metadata-parse.c
 * and metadata-render.c, which only the build tool and the tests link).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/metadata.h>
#include <baton/param.h>

#include "util-internal.h"

static const char *const param_type_names[BATON_PARAM_TYPE_MAX] = {
    [BATON_PARAM_STRING] = "string",
    [BATON_PARAM_INTEGER] = "integer",
    [BATON_PARAM_BOOLEAN] = "boolean",
    [BATON_PARAM_SELECT] = "select",
    [BATON_PARAM_DURATION] = "duration",
};

const char *baton_param_type_name(baton_param_type t)
{
    if ((unsigned) t >= BATON_PARAM_TYPE_MAX)
        return "unknown";
    return param_type_names[t];
}

/* ------------------------------------------------------------------ queries */

const char *baton_metadata_name(const baton_metadata *md)
{
    return md->name;
}

const char *baton_metadata_agent_version(const baton_metadata *md)
{
    return md->agent_version;
}

size_t baton_metadata_n_params(const baton_metadata *md)
{
    return md->n_params;
}

const baton_param_def *baton_metadata_param(const baton_metadata *md, size_t i)
{
    return i < md->n_params ? &md->params[i] : NULL;
}

const baton_param_def *baton_metadata_find_param(const baton_metadata *md, const char *name)
{
    for (size_t i = 0; name && i < md->n_params; i++) {
        if (baton__streq(md->params[i].name, name))
            return &md->params[i];
    }
    return NULL;
}

size_t baton_metadata_n_actions(const baton_metadata *md)
{
    return md->n_actions;
}

const baton_action_meta *baton_metadata_action(const baton_metadata *md, size_t i)
{
    return i < md->n_actions ? &md->actions[i] : NULL;
}

const baton_action_meta *baton_metadata_find_action(const baton_metadata *md, const char *name)
{
    for (size_t i = 0; name && i < md->n_actions; i++) {
        if (baton__streq(md->actions[i].name, name))
            return &md->actions[i];
    }
    return NULL;
}

size_t baton_metadata_n_standard_params(const baton_metadata *md)
{
    return md->n_standard_params;
}

const baton_standard_param *baton_metadata_standard_param(const baton_metadata *md, size_t i)
{
    return i < md->n_standard_params ? &md->standard_params[i] : NULL;
}

static const char *const standard_decision_names[BATON_STANDARD_DECISION_MAX] = {
    [BATON_STANDARD_REFUSED] = "refused",
    [BATON_STANDARD_NOOP] = "noop",
    [BATON_STANDARD_DIFFERS] = "differs",
};

/* The source's spelling of a decision (decision="refused"); NULL when out of range. */
const char *baton_standard_decision_name(baton_standard_decision d)
{
    if ((unsigned) d >= BATON_STANDARD_DECISION_MAX)
        return NULL;
    return standard_decision_names[d];
}

/* ------------------------------------------------------------------ format choice */

static bool env_int(const char *name, int64_t *ret)
{
    const char *v = getenv(name);

    return v && *v && baton_parse_int64(v, ret) == 0;
}

baton_metadata_format baton_metadata_format_from_env(void)
{
    const char *forced = getenv("BATON_METADATA_FORMAT");
    int64_t major, minor;

    if (baton__streq(forced, "1.0"))
        return BATON_METADATA_OCF_1_0;
    if (baton__streq(forced, "1.1"))
        return BATON_METADATA_OCF_1_1;
    if (!env_int("OCF_RA_VERSION_MAJOR", &major) || major < 1)
        return BATON_METADATA_OCF_1_0;
    /* A caller that says exactly 1.0 gets 1.0; one that only names the major version is Pacemaker. */
    if (major == 1 && env_int("OCF_RA_VERSION_MINOR", &minor) && minor < 1)
        return BATON_METADATA_OCF_1_0;
    return BATON_METADATA_OCF_1_1;
}

/* ------------------------------------------------------------------ output */

static const char *rendered_text(const baton_metadata *md, baton_metadata_format fmt, size_t *ret_len)
{
    if (!md || (unsigned) fmt >= BATON_METADATA_FORMAT_MAX || !md->rendered[fmt])
        return NULL;
    *ret_len = md->rendered_len[fmt];
    return md->rendered[fmt];
}

int baton_metadata_render(const baton_metadata *md, baton_metadata_format fmt, char **ret)
{
    const char *text;
    size_t len;
    char *copy;

    if (!ret)
        return -EINVAL;
    text = rendered_text(md, fmt, &len);
    if (!text)
        return -EINVAL;
    copy = malloc(len + 1);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, text, len);
    copy[len] = '\0';
    *ret = copy;
    return 0;
}

int baton_metadata_write(const baton_metadata *md, baton_metadata_format fmt, FILE *out)
{
    const char *text;
    size_t len;

    text = rendered_text(md, fmt, &len);
    if (!text || !out)
        return -EINVAL;
    errno = 0;
    if (fwrite(text, 1, len, out) != len || fflush(out) != 0)
        return errno > 0 ? -errno : -EIO;
    return 0;
}

/* ------------------------------------------------------------------ standard-params */

static void write_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out); break;
        }
    }
}

static void write_attribute(FILE *out, const char *name, const char *value)
{
    if (!value)
        return;
    fprintf(out, " %s=\"", name);
    write_escaped(out, value);
    fputc('"', out);
}

/* Text output by hand: agents link no XML library (see the top of this file). */
int baton_standard_params_write(FILE *out, const char *standard_agent, const char *replaced_by,
                                const baton_standard_param *params, size_t n)
{
    if (!out || !standard_agent || !replaced_by || (n > 0 && !params))
        return -EINVAL;
    fputs("<?xml version=\"1.0\"?>\n<baton:standard", out);
    write_attribute(out, "agent", standard_agent);
    write_attribute(out, "replaced-by", replaced_by);
    fputs(" xmlns:baton=\"urn:baton:metadata:1\">\n", out);
    for (size_t i = 0; i < n; i++) {
        const baton_standard_param *p = &params[i];
        const char *decision = baton_standard_decision_name(p->decision);

        if (!p->name || !decision || !p->agent || strcmp(p->agent, standard_agent) != 0)
            continue;
        fputs("\t<baton:param", out);
        write_attribute(out, "name", p->name);
        write_attribute(out, "decision", decision);
        write_attribute(out, "instead", p->instead);
        write_attribute(out, "accept", p->accept);
        fputc('>', out);
        write_escaped(out, p->why ? p->why : "");
        fputs("</baton:param>\n", out);
    }
    fputs("</baton:standard>\n", out);
    errno = 0;
    if (fflush(out) != 0 || ferror(out))
        return errno > 0 ? -errno : -EIO;
    return 0;
}
