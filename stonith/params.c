/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The parameter table of one agent: the front end's own parameters (action,
 * plug, timing), the plugin's, and for each secret its _script and _file
 * companions. Command-line options, validation and the metadata XML are all
 * derived from this one table, so they cannot disagree.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include <baton/log.h>
#include <baton/metadata.h>
#include <baton/param.h>

#include "stonith-internal.h"

#define LONG_ONLY_BASE 256

static const char *const method_options[] = { "onoff", "cycle", NULL };

/* The front end's parameters, in fence-agents spelling. */
static const baton_stonith_param generic_params[] = {
    { .name = "action", .type = BATON_STONITH_PARAM_STRING, .default_value = "reboot",
      .shortdesc = "Fencing action (on, off, reboot, status, list, list-status, monitor, diag "
                   "(IPMI), metadata, validate-all)",
      .getopt_short = 'o', .getopt_arg = "action" },
    { .name = "plug", .type = BATON_STONITH_PARAM_STRING, .deprecated_name = "port",
      .shortdesc = "Physical plug number on device, UUID or identification of machine",
      .getopt_short = 'n', .getopt_arg = "id" },
    { .name = "nodename", .type = BATON_STONITH_PARAM_STRING,
      .shortdesc = "Name of the node to be fenced (set by pacemaker-fenced; "
                   "used as plug when no plug is given)",
      .getopt_arg = "name" },
    { .name = "method", .type = BATON_STONITH_PARAM_SELECT, .default_value = "onoff",
      .options = method_options,
      .shortdesc = "Method to fence: onoff (off, confirm, on, confirm) or cycle "
                   "(the device's own power cycle)",
      .getopt_short = 'm', .getopt_arg = "method" },
    { .name = "power_timeout", .type = BATON_STONITH_PARAM_SECOND, .default_value = "20",
      .shortdesc = "Test X seconds for status change after ON/OFF" },
    { .name = "power_wait", .type = BATON_STONITH_PARAM_SECOND, .default_value = "0",
      .shortdesc = "Wait X seconds after issuing ON/OFF" },
    { .name = "stonith_status_sleep", .type = BATON_STONITH_PARAM_SECOND, .default_value = "0.5",
      .shortdesc = "Sleep X seconds between status calls during a STONITH action" },
    { .name = "delay", .type = BATON_STONITH_PARAM_SECOND, .default_value = "0",
      .shortdesc = "Wait X seconds before fencing is started" },
    { .name = "timeout", .type = BATON_STONITH_PARAM_SECOND, .default_value = "55",
      .shortdesc = "Overall time limit of one invocation in seconds; keep it below "
                   "pcmk_<action>_timeout (default 60), after which the fencer kills the agent" },
    { .name = "missing_as_off", .type = BATON_STONITH_PARAM_BOOLEAN, .default_value = "0",
      .shortdesc = "Missing target is treated as OFF" },
    { .name = "verbose", .type = BATON_STONITH_PARAM_BOOLEAN,
      .shortdesc = "Verbose mode (debug messages on stderr)", .getopt_short = 'v' },
    { .name = "verbose_level", .type = BATON_STONITH_PARAM_INTEGER, .getopt_arg = "level",
      .shortdesc = "Level of debugging detail: above 0 is verbose (there is one level)" },
    { .name = "quiet", .type = BATON_STONITH_PARAM_BOOLEAN, .getopt_short = 'q',
      .shortdesc = "Disable logging to stderr (syslog only); verbose still shows debug messages" },
    { .name = "version", .type = BATON_STONITH_PARAM_BOOLEAN,
      .shortdesc = "Display version information and exit", .getopt_short = 'V' },
    { .name = "help", .type = BATON_STONITH_PARAM_BOOLEAN,
      .shortdesc = "Display help and exit", .getopt_short = 'h' },
};

/*
 * fence-agents' common options (fencing.py) that are not declared above:
 * what becomes of them in every fence_baton agent. A plugin's own decision
 * on the same name, or a parameter it declares, takes precedence.
 */
static const baton_stonith_standard_param generic_standard[] = {
    { .name = "debug_file", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "writing debug messages to a file of their own is not implemented",
      .instead = "set verbose=1: debug messages go to stderr, which pacemaker-fenced logs" },
    { .name = "debug", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "the old name of debug_file; writing debug messages to a file is not implemented",
      .instead = "set verbose=1: debug messages go to stderr, which pacemaker-fenced logs" },
    { .name = "plug_separator", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "one target per call, as pacemaker-fenced asks: a plug is never split into a list" },
    { .name = "separator", .decision = BATON_STONITH_DECISION_REFUSED, .accept = ",",
      .why = "list and list-status always print comma-separated lines",
      .instead = "leave separator at ',' (what pacemaker-fenced reads)" },
    { .name = "disable_timeout", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "every wait is bounded by the agent's own timeout parameter (default 55 s, "
             "under Pacemaker's 60 s action timeout); there is no separate login timeout to disable" },
    { .name = "login_timeout", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "no login prompt is waited for; the device's connection is bounded by the "
             "plugin's own timeout and the agent's timeout" },
    { .name = "shell_timeout", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "no shell is driven: there is no prompt to wait for" },
    { .name = "retry_on", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "1",
      .why = "a failed power on is not retried within one call",
      .instead = "leave retry_on at 1; pacemaker-fenced retries a failed action "
                 "(pcmk_reboot_retries, pcmk_on_retries)" },
};

const char *baton__stonith_decision_name(baton_stonith_decision d)
{
    static const char *const names[] = {
        [BATON_STONITH_DECISION_REFUSED] = "refused",
        [BATON_STONITH_DECISION_NOOP] = "noop",
        [BATON_STONITH_DECISION_DIFFERS] = "differs",
    };

    return (unsigned) d < BATON_STONITH_DECISION_MAX ? names[d] : "unknown";
}

baton__fence_table *baton__fence_table_free(baton__fence_table *t)
{
    if (!t)
        return NULL;
    for (size_t i = 0; i < t->n_owned; i++)
        free(t->owned[i]);
    free(t->owned);
    free(t->std);
    free(t->v);
    free(t);
    return NULL;
}

const baton_stonith_param *baton__fence_table_find(const baton__fence_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0)
            return &t->v[i];
    return NULL;
}

static char *table_own(baton__fence_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *table_own(baton__fence_table *t, const char *fmt, ...)
{
    char *s = NULL, **nv;
    va_list ap;

    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    if (!s)
        return NULL;
    nv = realloc(t->owned, (t->n_owned + 1) * sizeof(*nv));
    if (!nv) {
        free(s);
        return NULL;
    }
    t->owned = nv;
    t->owned[t->n_owned++] = s;
    return s;
}

static const char *long_name_of(const baton_stonith_param *p, char *buf, size_t size)
{
    if (p->getopt_long)
        return p->getopt_long;
    snprintf(buf, size, "%s", p->name);
    for (char *c = buf; *c; c++)
        if (*c == '_')
            *c = '-';
    return buf;
}

/* _script and _file for a secret: password -> password_script (-S), password_file. */
static int add_companions(baton__fence_table *t, const baton_stonith_param *s)
{
    char lbuf[128];
    const char *lname = long_name_of(s, lbuf, sizeof(lbuf));
    baton_stonith_param script = {
        .type = BATON_STONITH_PARAM_STRING,
        .getopt_short = strcmp(s->name, "password") == 0 ? 'S' : 0,
        .getopt_arg = "script",
    };
    baton_stonith_param file = {
        .type = BATON_STONITH_PARAM_STRING,
        .getopt_arg = "path",
    };

    script.name = table_own(t, "%s_script", s->name);
    script.getopt_long = table_own(t, "%s-script", lname);
    script.shortdesc = table_own(t, "Program printing the %s on its first output line "
                                 "(run with /bin/sh -c, as by fence-agents)", s->name);
    script.deprecated_name = s->deprecated_name ? table_own(t, "%s_script", s->deprecated_name) : NULL;
    file.name = table_own(t, "%s_file", s->name);
    file.getopt_long = table_own(t, "%s-file", lname);
    file.shortdesc = table_own(t, "File holding the %s on its first line (baton extension)", s->name);
    if (!script.name || !script.getopt_long || !script.shortdesc || !file.name ||
        !file.getopt_long || !file.shortdesc || (s->deprecated_name && !script.deprecated_name))
        return -ENOMEM;
    t->v[t->n++] = script;
    t->v[t->n++] = file;
    return 0;
}

static int table_check(const baton__fence_table *t, char **ret_reason)
{
    char a[128], b[128];

    for (size_t i = 0; i < t->n; i++)
        for (size_t j = i + 1; j < t->n; j++) {
            const baton_stonith_param *p = &t->v[i], *q = &t->v[j];

            if (strcmp(p->name, q->name) == 0 ||
                (q->deprecated_name && strcmp(p->name, q->deprecated_name) == 0) ||
                (p->deprecated_name && strcmp(q->name, p->deprecated_name) == 0))
                return baton__fence_fail(ret_reason, -EPROTO, "parameter %s declared twice", q->name);
            if (p->getopt_short && p->getopt_short == q->getopt_short)
                return baton__fence_fail(ret_reason, -EPROTO, "parameters %s and %s share option -%c",
                                         p->name, q->name, p->getopt_short);
            if (strcmp(long_name_of(p, a, sizeof(a)), long_name_of(q, b, sizeof(b))) == 0)
                return baton__fence_fail(ret_reason, -EPROTO, "parameters %s and %s share option --%s",
                                         p->name, q->name, a);
        }
    return 0;
}

/* Declared under this name, as itself or as its deprecated name. */
static bool table_declares(const baton__fence_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->v[i].name, name) == 0 ||
            (t->v[i].deprecated_name && strcmp(t->v[i].deprecated_name, name) == 0))
            return true;
    return false;
}

static const baton_stonith_standard_param *std_find(const baton_stonith_standard_param *v,
                                                    size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i];
    return NULL;
}

/* The plugin's decisions must say something the front end can enforce. */
static int std_check(const baton__fence_table *t, char **ret_reason)
{
    for (size_t i = 0; i < t->n_std; i++) {
        const baton_stonith_standard_param *sp = &t->std[i];
        bool declared = table_declares(t, sp->name);

        if ((unsigned) sp->decision >= BATON_STONITH_DECISION_MAX)
            return baton__fence_fail(ret_reason, -EPROTO, "standard parameter %s: unknown decision",
                                     sp->name);
        if (!sp->why || !*sp->why)
            return baton__fence_fail(ret_reason, -EPROTO, "standard parameter %s: no reason given",
                                     sp->name);
        if (sp->decision == BATON_STONITH_DECISION_REFUSED && (!sp->instead || !*sp->instead))
            return baton__fence_fail(ret_reason, -EPROTO, "standard parameter %s is refused "
                                     "without saying what to use instead", sp->name);
        if (sp->decision == BATON_STONITH_DECISION_DIFFERS ? !declared : declared)
            return baton__fence_fail(ret_reason, -EPROTO, "standard parameter %s is %s but %s",
                                     sp->name, baton__stonith_decision_name(sp->decision),
                                     declared ? "declared" : "not declared");
        if (std_find(t->std, i, sp->name))
            return baton__fence_fail(ret_reason, -EPROTO, "standard parameter %s decided twice",
                                     sp->name);
    }
    return 0;
}

/* The plugin's decisions, then the common ones it neither declares nor decides. */
static int std_build(baton__fence_table *t, const baton__stonith_module *m)
{
    size_t n_generic = sizeof(generic_standard) / sizeof(generic_standard[0]);

    t->standard_agent = m->plugin->standard_agent;
    t->std = calloc(m->n_standard + n_generic + 1, sizeof(*t->std));
    if (!t->std)
        return -ENOMEM;
    for (size_t i = 0; i < m->n_standard; i++)
        t->std[t->n_std++] = m->standard[i];
    for (size_t i = 0; i < n_generic; i++) {
        const baton_stonith_standard_param *g = &generic_standard[i];

        if (!table_declares(t, g->name) && !std_find(m->standard, m->n_standard, g->name))
            t->std[t->n_std++] = *g;
    }
    return 0;
}

int baton__fence_table_build(const baton__stonith_module *m, baton__fence_table **ret,
                             char **ret_reason)
{
    baton_autoptr(baton__fence_table) t = NULL;
    size_t n_generic = sizeof(generic_params) / sizeof(generic_params[0]);
    size_t n_secret = 0, cap;
    int r;

    for (size_t i = 0; i < m->n_params; i++)
        if (m->params[i].secret)
            n_secret++;
    cap = n_generic + m->n_params + 2 * n_secret;
    t = calloc(1, sizeof(*t));
    if (!t)
        return -ENOMEM;
    t->v = calloc(cap, sizeof(*t->v));
    if (!t->v)
        return -ENOMEM;
    for (size_t i = 0; i < n_generic; i++) {
        /* method=cycle needs the device's own cycle. */
        if (strcmp(generic_params[i].name, "method") == 0 && !m->plugin->reboot)
            continue;
        t->v[t->n++] = generic_params[i];
    }
    for (size_t i = 0; i < m->n_params; i++)
        t->v[t->n++] = m->params[i];
    for (size_t i = 0; i < m->n_params; i++) {
        if (!m->params[i].secret)
            continue;
        r = add_companions(t, &m->params[i]);
        if (r < 0)
            return r;
    }
    r = table_check(t, ret_reason);
    if (r < 0)
        return r;
    r = std_build(t, m);
    if (r < 0)
        return r;
    r = std_check(t, ret_reason);
    if (r < 0)
        return r;
    *ret = baton_take_ptr(t);
    return 0;
}

/* ------------------------------------------------------------------ argv */

int baton__fence_parse_argv(const baton__fence_table *t, baton__fence_opts *o,
                            int argc, char **argv, const char **ret_secret_on_argv,
                            char **ret_reason)
{
    baton_autofree struct option *longopts = NULL;
    baton_autofree char *shortopts = NULL;
    baton_autofree char *names = NULL;
    size_t k = 0, s = 0;
    const char *secret_seen = NULL;
    int c, r;

    longopts = calloc(t->n + 1, sizeof(*longopts));
    shortopts = calloc(2 * t->n + 2, 1);
    names = calloc(t->n, 128);
    if (!longopts || !shortopts || !names)
        return -ENOMEM;
    shortopts[s++] = ':';       /* report a missing argument as ':' */
    for (size_t i = 0; i < t->n; i++) {
        const baton_stonith_param *p = &t->v[i];
        bool arg = p->type != BATON_STONITH_PARAM_BOOLEAN;

        longopts[k++] = (struct option) {
            .name = long_name_of(p, names + i * 128, 128),
            .has_arg = arg ? required_argument : no_argument,
            .val = p->getopt_short ? p->getopt_short : LONG_ONLY_BASE + (int) i,
        };
        if (p->getopt_short) {
            shortopts[s++] = (char) p->getopt_short;
            if (arg)
                shortopts[s++] = ':';
        }
    }
    /* GNU getopt restarts its scan (also of a previous argv) with optind 0. */
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
        const baton_stonith_param *p = NULL;

        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1 < argc ? optind - 1 : argc - 1];

            return baton__fence_fail(ret_reason, -EINVAL, "%s option: %s",
                                     c == ':' ? "missing argument of" : "unknown", bad);
        }
        if (c >= LONG_ONLY_BASE)
            p = &t->v[c - LONG_ONLY_BASE];
        else
            for (size_t i = 0; i < t->n && !p; i++)
                if (t->v[i].getopt_short == c)
                    p = &t->v[i];
        if (!p)
            return baton__fence_fail(ret_reason, -EINVAL, "unknown option -%c", c);
        if (p->type == BATON_STONITH_PARAM_BOOLEAN) {
            r = baton__fence_opts_set(o, p->name, "1");
        } else {
            r = baton__fence_opts_set(o, p->name, optarg);
            if (p->secret) {
                /* Shorten the time it is readable in /proc/<pid>/cmdline. */
                baton__wipe_string(optarg);
                secret_seen = p->name;
            }
        }
        if (r < 0)
            return r;
    }
    if (optind < argc)
        return baton__fence_fail(ret_reason, -EINVAL, "unexpected argument: %s", argv[optind]);
    if (ret_secret_on_argv)
        *ret_secret_on_argv = secret_seen;
    return 0;
}

void baton__fence_resolve_aliases(const baton__fence_table *t, baton__fence_opts *o)
{
    for (size_t i = 0; i < t->n; i++) {
        const baton_stonith_param *p = &t->v[i];
        const char *old;

        if (!p->deprecated_name)
            continue;
        old = baton__fence_opts_get(o, p->deprecated_name);
        if (old && !baton__fence_opts_get(o, p->name)) {
            char *v = strdup(old);

            if (v)
                (void) baton__fence_opts_set_take(o, p->name, v);
        }
        baton__fence_opts_unset(o, p->deprecated_name);
    }
}

/* ------------------------------------------------------------------ validation */

static const char *value_problem(const baton_stonith_param *p, const char *v)
{
    int64_t i;
    bool b;

    switch (p->type) {
    case BATON_STONITH_PARAM_BOOLEAN:
        return baton_parse_bool(v, &b) < 0 ? "is not a boolean" : NULL;
    case BATON_STONITH_PARAM_INTEGER:
        return baton_parse_int64(v, &i) < 0 ? "is not an integer" : NULL;
    case BATON_STONITH_PARAM_SECOND:
        return baton_parse_seconds_ms(v, &i) < 0 ? "is not a number of seconds" : NULL;
    case BATON_STONITH_PARAM_SELECT:
        for (const char *const *opt = p->options; opt && *opt; opt++)
            if (strcmp(*opt, v) == 0)
                return NULL;
        return "is not one of the allowed values";
    default:
        return NULL;
    }
}

static bool secret_supplied(const baton__fence_table *t, const baton__fence_opts *o,
                            const baton_stonith_param *p)
{
    char name[160];

    (void) t;
    snprintf(name, sizeof(name), "%s_script", p->name);
    if (baton__fence_opts_get(o, name))
        return true;
    snprintf(name, sizeof(name), "%s_file", p->name);
    return baton__fence_opts_get(o, name) != NULL;
}

int baton__fence_validate(const baton__fence_table *t, const baton__fence_opts *o,
                          bool check_required, char **ret_reason)
{
    for (size_t i = 0; i < t->n; i++) {
        const baton_stonith_param *p = &t->v[i];
        const char *v = baton__fence_opts_get(o, p->name);
        const char *problem;

        if (!v) {
            if (check_required && p->required && !p->default_value &&
                !(p->secret && secret_supplied(t, o, p)))
                return baton__fence_fail(ret_reason, -EINVAL, "required parameter %s is missing", p->name);
            continue;
        }
        problem = value_problem(p, v);
        if (problem) {
            if (p->secret)
                return baton__fence_fail(ret_reason, -EINVAL, "parameter %s: the value %s", p->name, problem);
            return baton__fence_fail(ret_reason, -EINVAL, "parameter %s: '%s' %s", p->name, v, problem);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ standard parameters */

/*
 * Values are never quoted: the table cannot say which of the old agent's
 * parameters were secrets.
 */
int baton__fence_check_standard(const baton__fence_table *t, const baton__fence_opts *o,
                                const char *agent, char **ret_reason)
{
    const char *std_agent = t->standard_agent ? t->standard_agent : "fence-agents";

    for (size_t i = 0; i < t->n_std; i++) {
        const baton_stonith_standard_param *sp = &t->std[i];
        const char *v = baton__fence_opts_get(o, sp->name);

        if (!v || !*v)
            continue;
        switch (sp->decision) {
        case BATON_STONITH_DECISION_REFUSED:
            /* A value that asks for what baton does anyway ("false" also as "no" or "0"). */
            if (sp->accept && baton_value_means(sp->accept, v)) {
                baton_notice("parameter %s of %s is %s, which is what %s does anyway: %s",
                             sp->name, std_agent, sp->accept, agent, sp->why);
                break;
            }
            return baton__fence_fail(ret_reason, -EINVAL, "parameter %s of %s is not supported "
                                     "by %s: %s; %s", sp->name, std_agent, agent, sp->why,
                                     sp->instead);
        case BATON_STONITH_DECISION_NOOP:
            baton_notice("parameter %s of %s has no effect in %s: %s", sp->name, std_agent,
                         agent, sp->why);
            break;
        case BATON_STONITH_DECISION_DIFFERS:
            baton_debug("parameter %s differs from %s's: %s", sp->name, std_agent, sp->why);
            break;
        default:
            break;
        }
    }
    for (size_t i = 0; i < baton__fence_opts_count(o); i++) {
        const char *key = baton__fence_opts_key(o, i);

        if (!table_declares(t, key) && !std_find(t->std, t->n_std, key))
            baton_warn("parameter %s is unknown to %s: ignored", key, agent);
    }
    return 0;
}

#define W(call) do { if ((call) < 0) return -EIO; } while (0)

/* ------------------------------------------------------------------ metadata */

static const char *metavar(const baton_stonith_param *p)
{
    if (p->getopt_arg)
        return p->getopt_arg;
    switch (p->type) {
    case BATON_STONITH_PARAM_SECOND:
        return "seconds";
    case BATON_STONITH_PARAM_INTEGER:
        return "number";
    default:
        return "value";
    }
}

static char *getopt_mixed(const baton_stonith_param *p)
{
    char lbuf[128], *s = NULL;
    const char *l = long_name_of(p, lbuf, sizeof(lbuf));
    bool arg = p->type != BATON_STONITH_PARAM_BOOLEAN;
    int r;

    if (p->getopt_short && arg)
        r = asprintf(&s, "-%c, --%s=[%s]", p->getopt_short, l, metavar(p));
    else if (p->getopt_short)
        r = asprintf(&s, "-%c, --%s", p->getopt_short, l);
    else if (arg)
        r = asprintf(&s, "--%s=[%s]", l, metavar(p));
    else
        r = asprintf(&s, "--%s", l);
    return r < 0 ? NULL : s;
}

static int write_parameter(xmlTextWriterPtr w, const baton_stonith_param *p,
                           const char *name, bool deprecated)
{
    baton_autofree char *mixed = getopt_mixed(p);

    if (!mixed)
        return -ENOMEM;
    W(xmlTextWriterStartElement(w, BAD_CAST "parameter"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "unique", BAD_CAST "0"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "required",
                                  BAD_CAST (p->required && !deprecated ? "1" : "0")));
    if (deprecated)
        W(xmlTextWriterWriteAttribute(w, BAD_CAST "deprecated", BAD_CAST "1"));
    else if (p->deprecated_name)
        W(xmlTextWriterWriteAttribute(w, BAD_CAST "obsoletes", BAD_CAST p->deprecated_name));
    W(xmlTextWriterStartElement(w, BAD_CAST "getopt"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "mixed", BAD_CAST mixed));
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterStartElement(w, BAD_CAST "content"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "type",
                                  BAD_CAST baton__stonith_param_type_name(p->type)));
    if (p->default_value)
        W(xmlTextWriterWriteAttribute(w, BAD_CAST "default", BAD_CAST p->default_value));
    for (const char *const *opt = p->options; p->type == BATON_STONITH_PARAM_SELECT && opt && *opt; opt++) {
        W(xmlTextWriterStartElement(w, BAD_CAST "option"));
        W(xmlTextWriterWriteAttribute(w, BAD_CAST "value", BAD_CAST *opt));
        W(xmlTextWriterEndElement(w));
    }
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterStartElement(w, BAD_CAST "shortdesc"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "lang", BAD_CAST "en"));
    W(xmlTextWriterWriteString(w, BAD_CAST (p->shortdesc ? p->shortdesc : p->name)));
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndElement(w));
    return 0;
}

static int write_action(xmlTextWriterPtr w, const char *name, const char *automatic)
{
    W(xmlTextWriterStartElement(w, BAD_CAST "action"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST name));
    if (automatic)
        W(xmlTextWriterWriteAttribute(w, BAD_CAST "automatic", BAD_CAST automatic));
    W(xmlTextWriterEndElement(w));
    return 0;
}

static int write_metadata(xmlTextWriterPtr w, const baton__fence_table *t,
                          const baton_stonith_plugin *pl, const char *agent)
{
    static const char *const actions[] = { "off", "reboot", "status", "monitor",
                                           "metadata", "validate-all" };
    int r;

    W(xmlTextWriterSetIndent(w, 1));
    W(xmlTextWriterSetIndentString(w, BAD_CAST "\t"));
    W(xmlTextWriterStartDocument(w, NULL, NULL, NULL));
    W(xmlTextWriterStartElement(w, BAD_CAST "resource-agent"));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "name", BAD_CAST agent));
    W(xmlTextWriterWriteAttribute(w, BAD_CAST "shortdesc",
                                  BAD_CAST (pl->shortdesc ? pl->shortdesc : agent)));
    W(xmlTextWriterWriteElement(w, BAD_CAST "longdesc",
                                BAD_CAST (pl->longdesc ? pl->longdesc : "")));
    W(xmlTextWriterWriteElement(w, BAD_CAST "vendor-url",
                                BAD_CAST (pl->vendor_url ? pl->vendor_url : "")));
    W(xmlTextWriterStartElement(w, BAD_CAST "parameters"));
    for (size_t i = 0; i < t->n; i++) {
        const baton_stonith_param *p = &t->v[i];

        r = write_parameter(w, p, p->name, false);
        if (r < 0)
            return r;
        /* fence-agents lists the old name as its own, deprecated parameter. */
        if (p->deprecated_name) {
            r = write_parameter(w, p, p->deprecated_name, true);
            if (r < 0)
                return r;
        }
    }
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterStartElement(w, BAD_CAST "actions"));
    r = write_action(w, "on", "0");
    if (r < 0)
        return r;
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
        r = write_action(w, actions[i], NULL);
        if (r < 0)
            return r;
    }
    if (pl->diag) {
        r = write_action(w, "diag", NULL);
        if (r < 0)
            return r;
    }
    if (pl->list) {
        r = write_action(w, "list", NULL);
        if (r == 0)
            r = write_action(w, "list-status", NULL);
        if (r < 0)
            return r;
    }
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndElement(w));
    W(xmlTextWriterEndDocument(w));
    return 0;
}

typedef int (*xml_write_fn)(xmlTextWriterPtr w, const baton__fence_table *t,
                            const baton_stonith_plugin *pl, const char *agent);

static int render_xml(xml_write_fn fn, const baton__fence_table *t, const baton_stonith_plugin *pl,
                      const char *agent, char **ret_xml)
{
    xmlBufferPtr buf = xmlBufferCreate();
    xmlTextWriterPtr w;
    int r;

    if (!buf)
        return -ENOMEM;
    w = xmlNewTextWriterMemory(buf, 0);
    if (!w) {
        xmlBufferFree(buf);
        return -ENOMEM;
    }
    r = fn(w, t, pl, agent);
    xmlFreeTextWriter(w);       /* flushes into buf */
    if (r == 0) {
        *ret_xml = strdup((const char *) xmlBufferContent(buf));
        if (!*ret_xml)
            r = -ENOMEM;
    }
    xmlBufferFree(buf);
    return r;
}

int baton__fence_metadata(const baton__fence_table *t, const baton_stonith_plugin *pl,
                          const char *agent, char **ret_xml)
{
    return render_xml(write_metadata, t, pl, agent, ret_xml);
}

/* The plugin ABI's decisions are libbaton's, value for value: the cast below relies on it. */
_Static_assert((int) BATON_STONITH_DECISION_REFUSED == (int) BATON_STANDARD_REFUSED &&
               (int) BATON_STONITH_DECISION_NOOP == (int) BATON_STANDARD_NOOP &&
               (int) BATON_STONITH_DECISION_DIFFERS == (int) BATON_STANDARD_DIFFERS,
               "stonith and OCF standard-parameter decisions differ");

/* Through libbaton's writer, so the OCF agents' tables and these read alike. */
int baton__fence_standard_write(const baton__fence_table *t, const char *agent, FILE *out)
{
    const char *std_agent = t->standard_agent ? t->standard_agent : "fence-agents";
    baton_autofree baton_standard_param *params = calloc(t->n_std + 1, sizeof(*params));

    if (!params)
        return -ENOMEM;
    for (size_t i = 0; i < t->n_std; i++) {
        const baton_stonith_standard_param *sp = &t->std[i];

        params[i] = (baton_standard_param) {
            .agent = std_agent,
            .name = sp->name,
            .decision = (baton_standard_decision) sp->decision,
            .why = sp->why,
            .instead = sp->instead,
            .accept = sp->accept,
        };
    }
    return baton_standard_params_write(out, std_agent, agent, params, t->n_std);
}
