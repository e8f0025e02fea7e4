/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An agent's metadata: what its parameters are (used to type and check them)
 * and what it prints for meta-data, as OCF 1.1 (for Pacemaker) or as OCF 1.0
 * valid against ra-api-1.dtd (for ocf-tester).
 *
 * The single source of truth is xml-metadata/<agent>.xml: OCF 1.1 plus
 * attributes in the namespace BATON_METADATA_NS (see xml-metadata/README.md),
 * which never reach the output. baton-metadata-compile parses and checks it
 * at build time and writes C that defines a `const baton_metadata`, with both
 * output forms already rendered; an agent links that in, so that running it
 * parses no XML and libbaton needs no XML library.
 */
#ifndef BATON_METADATA_H
#define BATON_METADATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <baton/cleanup.h>

#define BATON_METADATA_NS "urn:baton:metadata:1"

typedef enum baton_param_type {
    BATON_PARAM_STRING = 0,
    BATON_PARAM_INTEGER,
    BATON_PARAM_BOOLEAN,
    BATON_PARAM_SELECT,         /* one of the <option> values */
    BATON_PARAM_DURATION,       /* number with optional unit: ms, s, m/min, h */
    BATON_PARAM_TYPE_MAX,
} baton_param_type;

const char *baton_param_type_name(baton_param_type t);

typedef struct baton_param_def {
    const char *name;
    baton_param_type type;
    bool required;
    bool unique;                /* unique="1" or a unique-group */
    const char *unique_group;   /* NULL when none */
    bool reloadable;
    bool private_;              /* baton:private="1": value never logged */
    const char *default_value;  /* NULL when none */
    const char *const *options; /* SELECT: NULL-terminated */
    size_t n_options;
    bool has_min, has_max;      /* INTEGER: the value; DURATION: milliseconds */
    int64_t min, max;
    int64_t unit_ms;            /* DURATION: what a bare number means (1 or 1000) */
    const char *shortdesc;
    const char *longdesc;
    const char *replaced_by;    /* <deprecated><replaced-with name=..> */
    bool deprecated;
} baton_param_def;

typedef struct baton_action_meta {
    const char *name;
    const char *timeout;
    const char *interval;       /* NULL when absent */
    const char *depth;
    const char *role;           /* "Promoted"/"Unpromoted" in the source */
    const char *start_delay;
} baton_action_meta;

/*
 * What baton does with a parameter of the standard agent it replaces
 * (<baton:standard> in the source): users move a cluster by changing the
 * provider only, so no parameter of the old agent may be silently ignored.
 * One the agent implements under the same name and meaning needs no entry.
 */
typedef enum baton_standard_decision {
    BATON_STANDARD_REFUSED = 0, /* validation fails with 6, naming what to use instead */
    BATON_STANDARD_NOOP,        /* changes nothing here: accepted, with a notice */
    BATON_STANDARD_DIFFERS,     /* declared by baton too, with another meaning */
    BATON_STANDARD_DECISION_MAX,
} baton_standard_decision;

const char *baton_standard_decision_name(baton_standard_decision d);

typedef struct baton_standard_param {
    const char *agent;          /* the standard agent, "ocf:heartbeat:IPaddr2" */
    const char *name;
    baton_standard_decision decision;
    const char *why;            /* one line */
    const char *instead;        /* REFUSED: what to use instead; NULL otherwise */
    const char *accept;         /* REFUSED: the value that asks for what baton does anyway
                                 * (compared as a boolean when both are); NULL when none */
} baton_standard_param;

typedef enum baton_metadata_format {
    BATON_METADATA_OCF_1_0,     /* ra-api-1.dtd: ocf-tester */
    BATON_METADATA_OCF_1_1,     /* OCF 1.1 RelaxNG: Pacemaker */
    BATON_METADATA_FORMAT_MAX,
} baton_metadata_format;

/*
 * The layout of struct baton_metadata below. Every agent carries one in its
 * binary, so changing the struct (or baton_param_def, baton_action_meta)
 * changes libbaton's ABI: bump this too, and baton_agent_main() refuses an
 * agent compiled against another layout instead of misreading it.
 */
#define BATON_METADATA_LAYOUT 2

/*
 * Written by baton-metadata-compile, never by hand; read it through the
 * functions below. Everything is static and NUL-terminated.
 * Layout 2 added standard_params.
 */
typedef struct baton_metadata {
    unsigned layout;                    /* BATON_METADATA_LAYOUT */
    const char *name;
    const char *agent_version;          /* NULL when absent */
    const baton_param_def *params;      /* declaration order */
    size_t n_params;
    const baton_action_meta *actions;
    size_t n_actions;
    /* What meta-data prints, per format; the length excludes the NUL. */
    const char *rendered[BATON_METADATA_FORMAT_MAX];
    size_t rendered_len[BATON_METADATA_FORMAT_MAX];
    const baton_standard_param *standard_params;   /* source order */
    size_t n_standard_params;
} baton_metadata;

const char *baton_metadata_name(const baton_metadata *md);
const char *baton_metadata_agent_version(const baton_metadata *md);
size_t baton_metadata_n_params(const baton_metadata *md);
const baton_param_def *baton_metadata_param(const baton_metadata *md, size_t i);
const baton_param_def *baton_metadata_find_param(const baton_metadata *md, const char *name);
size_t baton_metadata_n_actions(const baton_metadata *md);
const baton_action_meta *baton_metadata_action(const baton_metadata *md, size_t i);
const baton_action_meta *baton_metadata_find_action(const baton_metadata *md, const char *name);
size_t baton_metadata_n_standard_params(const baton_metadata *md);
const baton_standard_param *baton_metadata_standard_param(const baton_metadata *md, size_t i);

/*
 * The format Pacemaker expects: 1.1 when OCF_RA_VERSION_MAJOR is set
 * (Pacemaker always sets it), else 1.0. BATON_METADATA_FORMAT=1.0|1.1
 * overrides (for tests and man pages).
 */
baton_metadata_format baton_metadata_format_from_env(void);

/* The given form (rendered at build time); *ret is a new copy. 0 or -errno. */
int baton_metadata_render(const baton_metadata *md, baton_metadata_format fmt, char **ret);
int baton_metadata_write(const baton_metadata *md, baton_metadata_format fmt, FILE *out);

/*
 * The table of one replaced standard agent as XML, the form every baton agent
 * prints for its "standard-params" action and baton-switch reads:
 *   <baton:standard agent="STANDARD" replaced-by="AGENT"><baton:param name=
 *   decision= [instead=] [accept=]>why</baton:param>...</baton:standard>
 * Entries of another standard agent are skipped. 0 or -errno.
 */
int baton_standard_params_write(FILE *out, const char *standard_agent, const char *replaced_by,
                                const baton_standard_param *params, size_t n);

#endif /* BATON_METADATA_H */
