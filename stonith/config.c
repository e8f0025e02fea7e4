/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checked configuration as a plugin sees it. Everything was validated
 * against the table before create(), so the typed getters only convert;
 * asking for something the table does not declare, or with the wrong type,
 * is a plugin bug and aborts loudly rather than fencing with a guess.
 */
#include <stdio.h>
#include <stdlib.h>

#include <baton/log.h>
#include <baton/param.h>

#include "stonith-internal.h"

static const baton__fence_config *config_of(const baton_stonith_config *c)
{
    return (const baton__fence_config *) c;
}

static _Noreturn void config_misuse(const char *name, const char *what)
{
    baton_err("plugin bug: parameter %s %s", name, what);
    abort();
}

static const baton_stonith_param *config_param(const baton_stonith_config *c, const char *name)
{
    const baton_stonith_param *p = baton__fence_table_find(config_of(c)->table, name);

    if (!p)
        config_misuse(name, "is not declared");
    return p;
}

static const char *config_get(const baton_stonith_config *c, const char *name)
{
    const baton_stonith_param *p = config_param(c, name);
    const char *v = baton__fence_opts_get(config_of(c)->opts, name);

    return v ? v : p->default_value;
}

static bool config_is_set(const baton_stonith_config *c, const char *name)
{
    (void) config_param(c, name);
    return baton__fence_opts_get(config_of(c)->opts, name) != NULL;
}

static const char *config_typed(const baton_stonith_config *c, const char *name,
                                baton_stonith_param_type type)
{
    const baton_stonith_param *p = config_param(c, name);

    if (p->type != type)
        config_misuse(name, "is read with the wrong type");
    return config_get(c, name);
}

static int64_t config_get_int(const baton_stonith_config *c, const char *name)
{
    const char *v = config_typed(c, name, BATON_STONITH_PARAM_INTEGER);
    int64_t i = 0;

    if (v && baton_parse_int64(v, &i) < 0)
        config_misuse(name, "has an unchecked value");
    return i;
}

static bool config_get_bool(const baton_stonith_config *c, const char *name)
{
    const char *v = config_typed(c, name, BATON_STONITH_PARAM_BOOLEAN);
    bool b = false;

    if (v && baton_parse_bool(v, &b) < 0)
        config_misuse(name, "has an unchecked value");
    return b;
}

static int64_t config_get_ms(const baton_stonith_config *c, const char *name)
{
    const char *v = config_typed(c, name, BATON_STONITH_PARAM_SECOND);
    int64_t ms = 0;

    if (v && baton_parse_seconds_ms(v, &ms) < 0)
        config_misuse(name, "has an unchecked value");
    return ms;
}

void baton__fence_config_init(baton__fence_config *c, const baton__fence_table *t,
                              const baton__fence_opts *o)
{
    *c = (baton__fence_config) {
        .pub = {
            .struct_size = sizeof(baton_stonith_config),
            .get = config_get,
            .is_set = config_is_set,
            .get_int = config_get_int,
            .get_bool = config_get_bool,
            .get_ms = config_get_ms,
        },
        .table = t,
        .opts = o,
    };
}
