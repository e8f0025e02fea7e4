/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Deadlines on CLOCK_MONOTONIC, in milliseconds. The wall clock is never
 * used: chrony or an operator stepping it must not shorten or stretch an
 * operation.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <time.h>

#include <baton/deadline.h>
#include <baton/param.h>

#include "util-internal.h"

#define DEADLINE_NEVER INT64_MAX
#define TIMEOUT_ENV "OCF_RESKEY_CRM_meta_timeout"

int64_t baton_now_ms(void)
{
    struct timespec ts;

    /*
     * CLOCK_MONOTONIC cannot fail on Linux with a valid pointer; if it ever
     * did, every deadline would be meaningless, so do not limp on.
     */
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        abort();
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* now + ms, saturating: a sum past the representable range means never. */
static baton_deadline deadline_at(int64_t now, int64_t ms)
{
    if (ms > DEADLINE_NEVER - 1 - now)
        return (baton_deadline) { .end_ms = DEADLINE_NEVER };
    return (baton_deadline) { .end_ms = now + ms };
}

static bool deadline_is_never(baton_deadline d)
{
    return d.end_ms == DEADLINE_NEVER;
}

baton_deadline baton_deadline_in(int64_t timeout_ms)
{
    if (timeout_ms < 0)
        return (baton_deadline) { .end_ms = DEADLINE_NEVER };
    return deadline_at(baton_now_ms(), timeout_ms);
}

int64_t baton_deadline_margin_ms(int64_t timeout_ms)
{
    int64_t margin;

    /* No timeout, nothing to keep back from it. */
    if (timeout_ms <= 0)
        return 0;
    margin = timeout_ms / 10;
    if (margin < BATON_DEADLINE_MARGIN_MIN_MS)
        margin = BATON_DEADLINE_MARGIN_MIN_MS;
    if (margin > BATON_DEADLINE_MARGIN_MAX_MS)
        margin = BATON_DEADLINE_MARGIN_MAX_MS;
    /*
     * With a very short timeout the minimum margin would eat all of it;
     * leave the agent at least half the time to do its work.
     */
    if (margin > timeout_ms / 2)
        margin = timeout_ms / 2;
    return margin;
}

baton_deadline baton_deadline_for_op_timeout(int64_t timeout_ms)
{
    if (timeout_ms <= 0)
        timeout_ms = BATON_DEADLINE_DEFAULT_TIMEOUT_MS;
    return baton_deadline_in(timeout_ms - baton_deadline_margin_ms(timeout_ms));
}

/*
 * Pacemaker writes the timeout as plain decimal milliseconds. Anything else
 * (units, signs, blanks) is not from Pacemaker; fall back to the default
 * rather than guess.
 */
static int parse_timeout_ms(const char *s, int64_t *ret_ms)
{
    /* a sign is not Pacemaker's either */
    if (baton__isempty(s) || !isdigit((unsigned char) s[0]))
        return -EINVAL;
    return baton_parse_int64(s, ret_ms);
}

baton_deadline baton_deadline_from_env(void)
{
    int64_t ms = 0;

    if (parse_timeout_ms(getenv(TIMEOUT_ENV), &ms) < 0)
        ms = 0;
    return baton_deadline_for_op_timeout(ms);
}

int64_t baton_deadline_remaining_ms(baton_deadline d)
{
    int64_t now;

    if (deadline_is_never(d))
        return INT64_MAX;
    now = baton_now_ms();
    return d.end_ms > now ? d.end_ms - now : 0;
}

bool baton_deadline_expired(baton_deadline d)
{
    return baton_deadline_remaining_ms(d) == 0;
}

baton_deadline baton_deadline_cap(baton_deadline d, int64_t ms)
{
    baton_deadline c = baton_deadline_in(ms);

    return c.end_ms < d.end_ms ? c : d;
}

baton_deadline baton_deadline_reserve(baton_deadline d, int64_t reserve_ms)
{
    int64_t now;

    if (deadline_is_never(d))
        return d;
    if (reserve_ms < 0)
        reserve_ms = 0;
    now = baton_now_ms();
    /* Written as a comparison so that huge reserves cannot overflow. */
    if (d.end_ms - now <= reserve_ms)
        return (baton_deadline) { .end_ms = now < d.end_ms ? now : d.end_ms };
    return (baton_deadline) { .end_ms = d.end_ms - reserve_ms };
}

int baton_deadline_poll_timeout(baton_deadline d)
{
    int64_t left;

    if (deadline_is_never(d))
        return -1;
    left = baton_deadline_remaining_ms(d);
    return left > INT_MAX ? INT_MAX : (int) left;
}

void baton_sleep_ms(int64_t ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long) (ms % 1000) * 1000000L };

    if (ms <= 0)
        return;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}
