/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The per-call services handed to a plugin: the deadline, a place for the
 * error message the agent reports, and logging through the agent's tag;
 * and the reason the front end's own steps give when they fail.
 */
#include <stdarg.h>
#include <stdio.h>

#include <baton/log.h>

#include "stonith-internal.h"

int baton__fence_fail(char **ret_reason, int r, const char *fmt, ...)
{
    va_list ap;

    if (ret_reason) {
        va_start(ap, fmt);
        if (vasprintf(ret_reason, fmt, ap) < 0)
            *ret_reason = NULL;
        va_end(ap);
    }
    return r;
}

static baton__fence_call *call_of(baton_stonith_call *c)
{
    return (baton__fence_call *) c;
}

static int64_t call_remaining_ms(const baton_stonith_call *c)
{
    return baton_deadline_remaining_ms(((const baton__fence_call *) c)->deadline);
}

static void call_set_error(baton_stonith_call *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(call_of(c)->error, sizeof(call_of(c)->error), fmt, ap);
    va_end(ap);
}

static void call_log(baton_stonith_call *c, int priority, const char *fmt, ...)
{
    va_list ap;

    (void) c;
    va_start(ap, fmt);
    baton_logv(priority, fmt, ap);
    va_end(ap);
}

void baton__fence_call_init(baton__fence_call *c, baton_deadline deadline)
{
    *c = (baton__fence_call) {
        .pub = {
            .struct_size = sizeof(baton_stonith_call),
            .remaining_ms = call_remaining_ms,
            .set_error = call_set_error,
            .log = call_log,
        },
        .deadline = deadline,
    };
}

void baton__fence_call_clear_error(baton__fence_call *c)
{
    c->error[0] = '\0';
}

const char *baton__fence_call_error(const baton__fence_call *c)
{
    return c->error[0] ? c->error : NULL;
}
