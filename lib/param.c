/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parameter values: OCF_RESKEY_<name> read, typed and checked once against
 * the metadata, so that agents work with checked values only.
 *
 * A value marked baton:private (a password, a key) is never put into a
 * reason or a log line, whatever went wrong with it.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <baton/log.h>
#include <baton/ocf.h>
#include <baton/param.h>

#include "util-internal.h"

#define RESKEY_PREFIX "OCF_RESKEY_"

typedef struct param_value {
    char *name;
    baton_param_type type;
    bool private_;
    bool set;                   /* given by the user (a default does not count) */
    char *value;                /* given, else the default, else NULL */
    int64_t number;             /* INTEGER: the value; DURATION: milliseconds */
    bool flag;                  /* BOOLEAN */
} param_value;

struct baton_params {
    param_value *v;
    size_t n;
};

/* ------------------------------------------------------------------ pure parsers */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Leading digits of s as an unsigned magnitude no larger than limit.
 * *end is set past all the digits, also on -ERANGE (above limit), so that
 * the caller can still tell a bad suffix from a big number. -EINVAL
 * without digits.
 */
static int parse_magnitude(const char *s, uint64_t limit, uint64_t *ret, const char **end)
{
    uint64_t acc = 0;
    bool overflow = false;
    const char *p = s;

    if (!is_digit(*p))
        return -EINVAL;
    for (; is_digit(*p); p++) {
        unsigned d = (unsigned) (*p - '0');

        if (overflow || acc > (limit - d) / 10)
            overflow = true;
        else
            acc = acc * 10 + d;
    }
    *end = p;
    if (overflow)
        return -ERANGE;
    *ret = acc;
    return 0;
}

int baton_parse_int64(const char *s, int64_t *ret)
{
    const char *p = s, *end;
    bool negative = false;
    uint64_t mag;
    int r;

    if (!s || !ret)
        return -EINVAL;
    if (*p == '+' || *p == '-') {
        negative = *p == '-';
        p++;
    }
    r = parse_magnitude(p, negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX, &mag, &end);
    /* Trailing junk makes it not a number at all, which says more than "too large". */
    if (r == -EINVAL || *end)
        return -EINVAL;
    if (r < 0)
        return r;
    if (negative)
        *ret = mag == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) mag;
    else
        *ret = (int64_t) mag;
    return 0;
}

bool baton_value_means(const char *want, const char *value)
{
    bool a, b;

    if (!want || !value)
        return false;
    if (baton_parse_bool(want, &a) == 0 && baton_parse_bool(value, &b) == 0)
        return a == b;
    return strcmp(want, value) == 0;
}

/* What crm_is_true() and its counterpart accept, so users need not learn a new set. */
int baton_parse_bool(const char *s, bool *ret)
{
    static const char *const truths[] = { "1", "true", "yes", "y", "on" };
    static const char *const lies[] = { "0", "false", "no", "n", "off" };

    if (!s || !ret)
        return -EINVAL;
    for (size_t i = 0; i < BATON_ELEMENTSOF(truths); i++) {
        if (strcasecmp(s, truths[i]) == 0) {
            *ret = true;
            return 0;
        }
        if (strcasecmp(s, lies[i]) == 0) {
            *ret = false;
            return 0;
        }
    }
    return -EINVAL;
}

int baton__duration_unit_ms(const char *unit, bool any_case, int64_t *ret)
{
    static const struct {
        const char *suffix;
        int64_t ms;
    } units[] = {
        { "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "min", 60000 }, { "h", 3600000 },
    };

    for (size_t i = 0; i < BATON_ELEMENTSOF(units); i++) {
        if ((any_case ? strcasecmp(unit, units[i].suffix) : strcmp(unit, units[i].suffix)) == 0) {
            *ret = units[i].ms;
            return 0;
        }
    }
    return -EINVAL;
}

int baton_parse_duration_ms(const char *s, int64_t unit_ms, int64_t *ret)
{
    const char *end;
    uint64_t mag;
    int64_t mult = 0;
    int r;

    if (!s || !ret || unit_ms <= 0)
        return -EINVAL;
    r = parse_magnitude(s, INT64_MAX, &mag, &end);
    if (r == -EINVAL)
        return r;
    if (!*end)
        mult = unit_ms;
    else if (baton__duration_unit_ms(end, true, &mult) < 0)
        return -EINVAL;
    if (r < 0 || mag > (uint64_t) (INT64_MAX / mult))
        return -ERANGE;
    *ret = (int64_t) mag * mult;
    return 0;
}

int baton_parse_seconds_ms(const char *s, int64_t *ret_ms)
{
    int64_t whole = 0, frac = 0, scale = 100;
    const char *p = s;

    if (!s || !ret_ms || !is_digit(*p))
        return -EINVAL;
    for (; is_digit(*p); p++) {
        if (whole > (INT64_MAX / 1000 - 9) / 10)
            return -ERANGE;
        whole = whole * 10 + (*p - '0');
    }
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return -EINVAL;
        /* Milliseconds are the resolution; further digits are dropped. */
        for (; is_digit(*p); p++) {
            frac += (*p - '0') * scale;
            scale /= 10;
        }
    }
    if (*p)
        return -EINVAL;
    *ret_ms = whole * 1000 + frac;
    return 0;
}

/* ------------------------------------------------------------------ checking */

static void params_clear(baton_params *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].name);
        free(p->v[i].value);
    }
    free(p->v);
}

baton_params *baton_params_free(baton_params *p)
{
    if (!p)
        return NULL;
    params_clear(p);
    free(p);
    return NULL;
}

/* A duration the way a person would write it: "90s", "5min", "250ms". */
static void format_ms(char *buf, size_t size, int64_t ms)
{
    if (ms != 0 && ms % 3600000 == 0)
        snprintf(buf, size, "%" PRId64 "h", ms / 3600000);
    else if (ms != 0 && ms % 60000 == 0)
        snprintf(buf, size, "%" PRId64 "min", ms / 60000);
    else if (ms % 1000 == 0)
        snprintf(buf, size, "%" PRId64 "s", ms / 1000);
    else
        snprintf(buf, size, "%" PRId64 "ms", ms);
}

static void format_limit(const baton_param_def *d, int64_t v, char *buf, size_t size)
{
    if (d->type == BATON_PARAM_DURATION)
        format_ms(buf, size, v);
    else
        snprintf(buf, size, "%" PRId64, v);
}

/* "out of range (1 to 10)" and its one-sided forms; NULL on allocation failure. */
static char *range_problem(const baton_param_def *d)
{
    char lo[32], hi[32];

    format_limit(d, d->min, lo, sizeof(lo));
    format_limit(d, d->max, hi, sizeof(hi));
    if (d->has_min && d->has_max)
        return baton_strdup_printf("out of range (%s to %s)", lo, hi);
    if (d->has_min)
        return baton_strdup_printf("out of range (at least %s)", lo);
    if (d->has_max)
        return baton_strdup_printf("out of range (at most %s)", hi);
    return strdup("out of range");
}

static char *select_problem(const baton_param_def *d)
{
    size_t len = sizeof("not one of: ");
    char *s;

    for (size_t i = 0; i < d->n_options; i++)
        len += strlen(d->options[i]) + 2;
    s = malloc(len);
    if (!s)
        return NULL;
    strcpy(s, "not one of: ");
    for (size_t i = 0; i < d->n_options; i++) {
        if (i > 0)
            strcat(s, ", ");
        strcat(s, d->options[i]);
    }
    return s;
}

/*
 * Type and range check of one value. Returns 0, -ENOMEM, or -EINVAL with
 * *ret_problem describing what is wrong without quoting the value.
 */
static int value_check(const baton_param_def *d, const char *v, param_value *out,
                       char **ret_problem)
{
    const char *problem = NULL;
    int r;

    switch (d->type) {
    case BATON_PARAM_STRING:
        return 0;
    case BATON_PARAM_BOOLEAN:
        if (baton_parse_bool(v, &out->flag) == 0)
            return 0;
        problem = "not a boolean (use true or false)";
        break;
    case BATON_PARAM_SELECT:
        for (size_t i = 0; i < d->n_options; i++) {
            if (baton__streq(d->options[i], v))
                return 0;
        }
        *ret_problem = select_problem(d);
        return *ret_problem ? -EINVAL : -ENOMEM;
    case BATON_PARAM_INTEGER:
    case BATON_PARAM_DURATION:
        if (d->type == BATON_PARAM_INTEGER)
            r = baton_parse_int64(v, &out->number);
        else
            r = baton_parse_duration_ms(v, d->unit_ms, &out->number);
        if (r == -EINVAL) {
            problem = d->type == BATON_PARAM_INTEGER
                      ? "not an integer"
                      : "not a duration (such as 500ms, 30s, 5min or 1h)";
            break;
        }
        if (r == 0 && (!d->has_min || out->number >= d->min) &&
            (!d->has_max || out->number <= d->max))
            return 0;
        *ret_problem = range_problem(d);
        return *ret_problem ? -EINVAL : -ENOMEM;
    case BATON_PARAM_TYPE_MAX:
        break;
    }
    if (!problem)
        problem = "unknown parameter type";
    *ret_problem = strdup(problem);
    return *ret_problem ? -EINVAL : -ENOMEM;
}

static char *reason_for(const baton_param_def *d, const char *v, const char *problem)
{
    if (d->private_)
        return baton_strdup_printf("parameter '%s': invalid value: %s", d->name, problem);
    return baton_strdup_printf("parameter '%s': '%s' is %s", d->name, v, problem);
}

static ssize_t params_index(const baton_params *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++) {
        if (baton__streq(p->v[i].name, name))
            return (ssize_t) i;
    }
    return -1;
}

static int params_read_env(baton_params *p, const baton_metadata *md, char *const *envp)
{
    for (size_t i = 0; i < p->n; i++) {
        const baton_param_def *d = baton_metadata_param(md, i);
        param_value *v = &p->v[i];
        baton_autofree char *key = baton_strdup_printf(RESKEY_PREFIX "%s", d->name);
        const char *raw;

        v->name = strdup(d->name);
        if (!key || !v->name)
            return -ENOMEM;
        v->type = d->type;
        v->private_ = d->private_;
        raw = baton__env_get(envp, key);
        /* Pacemaker passes an emptied parameter as an empty string: that is "not set". */
        if (baton__isempty(raw))
            continue;
        v->value = strdup(raw);
        if (!v->value)
            return -ENOMEM;
        v->set = true;
    }
    return 0;
}

/* Old names keep working: their value moves to the replacement unless that is set too. */
static int params_map_deprecated(baton_params *p, const baton_metadata *md)
{
    for (size_t i = 0; i < p->n; i++) {
        const baton_param_def *d = baton_metadata_param(md, i);
        ssize_t j;

        if (!d->deprecated || !p->v[i].set)
            continue;
        j = d->replaced_by ? params_index(p, d->replaced_by) : -1;
        if (j < 0) {
            baton_debug("parameter '%s' is deprecated", d->name);
            continue;
        }
        if (p->v[j].set) {
            baton_debug("parameter '%s' is deprecated and ignored: '%s' is set",
                        d->name, d->replaced_by);
            continue;
        }
        p->v[j].value = strdup(p->v[i].value);
        if (!p->v[j].value)
            return -ENOMEM;
        p->v[j].set = true;
        baton_debug("parameter '%s' is deprecated; its value is used for '%s'",
                    d->name, d->replaced_by);
    }
    return 0;
}

/* ------------------------------------------------------------------ standard parameters */

/*
 * A parameter of the standard agent this one replaces, set in the
 * environment: users move a resource by changing only its provider, so
 * none may be silently ignored (baton_standard_decision). A refused one
 * fails the check; a no-op one is noted once, when the parameters are
 * loaded (once per action). Values are never quoted: the table cannot say
 * which of the old agent's parameters were secrets.
 */
static int params_check_standard(const baton_metadata *md, char *const *envp, char **ret_reason)
{
    const char *agent = baton_metadata_name(md);

    for (size_t i = 0; i < baton_metadata_n_standard_params(md); i++) {
        const baton_standard_param *sp = baton_metadata_standard_param(md, i);
        baton_autofree char *key = baton_strdup_printf(RESKEY_PREFIX "%s", sp->name);
        const char *raw;

        if (!key)
            return -ENOMEM;
        raw = baton__env_get(envp, key);
        if (baton__isempty(raw))
            continue;
        switch (sp->decision) {
        case BATON_STANDARD_REFUSED:
            /* A value that asks for what baton does anyway ("false" also as "no" or "0"). */
            if (sp->accept && baton_value_means(sp->accept, raw)) {
                baton_notice("parameter %s of %s is %s, which is what ocf:baton:%s does "
                             "anyway: %s", sp->name, sp->agent, sp->accept, agent, sp->why);
                break;
            }
            *ret_reason = baton_strdup_printf("parameter %s of %s is not supported by "
                                              "ocf:baton:%s: %s; %s", sp->name, sp->agent,
                                              agent, sp->why, sp->instead);
            return *ret_reason ? -EINVAL : -ENOMEM;
        case BATON_STANDARD_NOOP:
            baton_notice("parameter %s of %s has no effect in ocf:baton:%s: %s",
                         sp->name, sp->agent, agent, sp->why);
            break;
        case BATON_STANDARD_DIFFERS:
            /* Declared and checked like any other: only the meaning moved. */
            baton_debug("parameter %s differs from %s's: %s", sp->name, sp->agent, sp->why);
            break;
        case BATON_STANDARD_DECISION_MAX:
            break;
        }
    }
    return 0;
}

/* Defaults, required parameters, types and limits. -EINVAL comes with a reason. */
static int params_check(baton_params *p, const baton_metadata *md, char **ret_reason)
{
    for (size_t i = 0; i < p->n; i++) {
        const baton_param_def *d = baton_metadata_param(md, i);
        param_value *v = &p->v[i];
        baton_autofree char *problem = NULL;
        int r;

        if (!v->set && d->default_value) {
            v->value = strdup(d->default_value);
            if (!v->value)
                return -ENOMEM;
        }
        if (!v->set && d->required) {
            *ret_reason = baton_strdup_printf("parameter '%s' is required", d->name);
            return *ret_reason ? -EINVAL : -ENOMEM;
        }
        if (!v->value)
            continue;
        r = value_check(d, v->value, v, &problem);
        if (r == -EINVAL) {
            *ret_reason = reason_for(d, v->value, problem);
            return *ret_reason ? -EINVAL : -ENOMEM;
        }
        if (r < 0)
            return r;
    }
    return 0;
}

int baton_params_load(const baton_metadata *md, char *const *envp,
                      baton_params **ret, char **ret_reason)
{
    baton_autoptr(baton_params) p = NULL;
    baton_autofree char *reason = NULL;
    int r;

    p = calloc(1, sizeof(*p));
    if (!p)
        goto oom;
    p->n = baton_metadata_n_params(md);
    p->v = calloc(p->n ? p->n : 1, sizeof(*p->v));
    if (!p->v)
        goto oom;

    /* First: the migration is what the user needs to hear about, not its consequences. */
    r = params_check_standard(md, envp, &reason);
    if (r == 0)
        r = params_read_env(p, md, envp);
    if (r == 0)
        r = params_map_deprecated(p, md);
    if (r == 0)
        r = params_check(p, md, &reason);
    if (r == -EINVAL) {
        if (ret_reason)
            *ret_reason = baton_take_ptr(reason);
        return BATON_OCF_ERR_CONFIGURED;
    }
    if (r < 0)
        goto oom;
    *ret = baton_take_ptr(p);
    return BATON_OCF_SUCCESS;

oom:
    /* Not a configuration problem: retrying elsewhere may well work. */
    if (ret_reason)
        *ret_reason = strdup("out of memory");
    return BATON_OCF_ERR_GENERIC;
}

/* ------------------------------------------------------------------ getters */

static _Noreturn void params_misuse(const char *name, const char *what)
{
    fprintf(stderr, "baton: programming error: parameter '%s' %s\n", name ? name : "(null)", what);
    abort();
}

static const param_value *params_lookup(const baton_params *p, const char *name)
{
    ssize_t i;

    if (!p)
        params_misuse(name, "asked of parameters that were not loaded");
    i = params_index(p, name);
    if (i < 0)
        params_misuse(name, "is not declared in the agent's metadata");
    return &p->v[i];
}

static const param_value *params_lookup_typed(const baton_params *p, const char *name,
                                              baton_param_type type)
{
    const param_value *v = params_lookup(p, name);

    if (v->type != type) {
        fprintf(stderr, "baton: programming error: parameter '%s' is a %s, not a %s\n",
                name, baton_param_type_name(v->type), baton_param_type_name(type));
        abort();
    }
    return v;
}

const char *baton_params_get(const baton_params *p, const char *name)
{
    return params_lookup(p, name)->value;
}

bool baton_params_is_set(const baton_params *p, const char *name)
{
    return params_lookup(p, name)->set;
}

/* Unset without a default reads as 0/false: the agent asked for an optional value. */
int64_t baton_params_get_int(const baton_params *p, const char *name)
{
    return params_lookup_typed(p, name, BATON_PARAM_INTEGER)->number;
}

bool baton_params_get_bool(const baton_params *p, const char *name)
{
    return params_lookup_typed(p, name, BATON_PARAM_BOOLEAN)->flag;
}

int64_t baton_params_get_ms(const baton_params *p, const char *name)
{
    return params_lookup_typed(p, name, BATON_PARAM_DURATION)->number;
}

const char *baton_params_loggable(const baton_params *p, const char *name)
{
    const param_value *v = params_lookup(p, name);

    if (v->private_)
        return "<private>";
    return v->value ? v->value : "(unset)";
}
