/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The power logic every plugin shares. A command is never trusted on its
 * own: the target's state is polled until it is what was asked for, within
 * power_timeout and the call's deadline. A node is only reported fenced when
 * it was seen OFF.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>

#include <baton/log.h>

#include "stonith-internal.h"

static void sleep_until(baton_deadline end, int64_t ms)
{
    baton_deadline until = baton_deadline_cap(end, ms);

    while (!baton_deadline_expired(until)) {
        /* poll() with no fds: a sleep that returns on a signal, then re-checks. */
        if (poll(NULL, 0, baton_deadline_poll_timeout(until)) < 0 && errno != EINTR)
            return;
    }
}

/* A poll that failed once may succeed next time; these never will. */
static bool result_is_final(baton_stonith_result r)
{
    return r == BATON_STONITH_AUTH_FAILED || r == BATON_STONITH_BAD_CONFIG ||
           r == BATON_STONITH_UNSUPPORTED;
}

baton_stonith_result baton__power_status(const baton__power_dev *d, const baton__power_opts *o,
                                         baton_stonith_power *ret_power)
{
    baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;
    baton_stonith_result r;

    baton__fence_call_clear_error(d->call);
    if (baton_deadline_expired(d->call->deadline))
        return baton_stonith_fail(&d->call->pub, BATON_STONITH_TIMED_OUT,
                                  "deadline expired before the status query");
    r = d->plugin->status(d->device, d->plug, &d->call->pub, &p);
    if (r == BATON_STONITH_NO_SUCH_TARGET && o->missing_as_off) {
        baton_info("%s not found, counted as OFF (missing_as_off)", d->plug ? d->plug : "target");
        p = BATON_STONITH_POWER_OFF;
        r = BATON_STONITH_OK;
    }
    if (r == BATON_STONITH_OK)
        *ret_power = p;
    return r;
}

static baton_stonith_result power_confirm(const baton__power_dev *d, const baton__power_opts *o,
                                          baton_stonith_power target)
{
    baton_deadline end = baton_deadline_cap(d->call->deadline, o->power_timeout_ms);
    baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;
    baton_stonith_result r = BATON_STONITH_OK;
    int64_t start = baton_now_ms();

    sleep_until(end, o->power_wait_ms);
    for (;;) {
        r = baton__power_status(d, o, &p);
        if (r == BATON_STONITH_OK && p == target)
            return BATON_STONITH_OK;
        /* A transient domain vanishes when it is destroyed: gone is off. */
        if (r == BATON_STONITH_NO_SUCH_TARGET && target == BATON_STONITH_POWER_OFF)
            return BATON_STONITH_OK;
        if (r != BATON_STONITH_OK && result_is_final(r))
            return r;
        if (r != BATON_STONITH_OK)
            baton_debug("status while waiting for %s: %s (%s)", baton__stonith_power_name(target),
                        baton__stonith_result_name(r), baton__fence_call_error(d->call) ?: "");
        else
            baton_debug("power is %s, waiting for %s", baton__stonith_power_name(p),
                        baton__stonith_power_name(target));
        if (baton_deadline_expired(end))
            break;
        sleep_until(end, o->status_interval_ms);
    }
    if (r != BATON_STONITH_OK) {
        /* The plugin's message is quoted into the new one: copy it out first. */
        char last[sizeof(d->call->error)];

        snprintf(last, sizeof(last), "%s", d->call->error);
        return baton_stonith_fail(&d->call->pub, BATON_STONITH_TIMED_OUT,
                                  "power state not confirmed %s within %lld ms: last status %s%s%s",
                                  baton__stonith_power_name(target),
                                  (long long) (baton_now_ms() - start),
                                  baton__stonith_result_name(r), last[0] ? ": " : "", last);
    }
    return baton_stonith_fail(&d->call->pub, BATON_STONITH_TIMED_OUT,
                              "power still %s %lld ms after the %s command",
                              baton__stonith_power_name(p), (long long) (baton_now_ms() - start),
                              target == BATON_STONITH_POWER_OFF ? "off" : "on");
}

baton_stonith_result baton__power_set(const baton__power_dev *d, const baton__power_opts *o,
                                      baton_stonith_power target)
{
    bool off = target == BATON_STONITH_POWER_OFF;
    baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;
    baton_stonith_result r;

    r = baton__power_status(d, o, &p);
    if (r != BATON_STONITH_OK)
        return r;
    if (p == target) {
        baton_info("%s is already %s", d->plug ? d->plug : "chassis", baton__stonith_power_name(p));
        return BATON_STONITH_OK;
    }
    baton_debug("power is %s: sending %s", baton__stonith_power_name(p), off ? "off" : "on");
    baton__fence_call_clear_error(d->call);
    r = off ? d->plugin->off(d->device, d->plug, &d->call->pub)
            : d->plugin->on(d->device, d->plug, &d->call->pub);
    if (r != BATON_STONITH_OK)
        return r;
    return power_confirm(d, o, target);
}

baton_stonith_result baton__power_reboot(const baton__power_dev *d, const baton__power_opts *o)
{
    baton_stonith_result r;

    r = baton__power_set(d, o, BATON_STONITH_POWER_OFF);
    if (r != BATON_STONITH_OK)
        return r;
    r = baton__power_set(d, o, BATON_STONITH_POWER_ON);
    if (r != BATON_STONITH_OK) {
        /*
         * The target was seen OFF: it is fenced, which is what the cluster
         * asked. Failing now would make the fencer retry a fencing that
         * worked; fence-agents judges reboot on its off part too.
         */
        baton_err("%s is off but did not power on again: %s%s%s", d->plug ? d->plug : "chassis",
                  baton__stonith_result_name(r), baton__fence_call_error(d->call) ? ": " : "",
                  baton__fence_call_error(d->call) ?: "");
        baton__fence_call_clear_error(d->call);
    }
    return BATON_STONITH_OK;
}

baton_stonith_result baton__power_cycle(const baton__power_dev *d, const baton__power_opts *o)
{
    baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;
    baton_stonith_result r;

    if (!d->plugin->reboot)
        return baton_stonith_fail(&d->call->pub, BATON_STONITH_UNSUPPORTED,
                                  "the device has no power cycle");
    r = baton__power_status(d, o, &p);
    if (r != BATON_STONITH_OK)
        return r;
    /* Many BMCs refuse to cycle a chassis that is off (fence-agents #596). */
    if (p == BATON_STONITH_POWER_OFF)
        return baton__power_set(d, o, BATON_STONITH_POWER_ON);
    baton__fence_call_clear_error(d->call);
    r = d->plugin->reboot(d->device, d->plug, &d->call->pub);
    if (r != BATON_STONITH_OK)
        return r;
    return power_confirm(d, o, BATON_STONITH_POWER_ON);
}
