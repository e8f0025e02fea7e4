/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Deadlines on the monotonic clock.
 *
 * Pacemaker SIGKILLs the agent's process group when an operation's timeout
 * expires, so an agent must finish (and say why it gave up) before that.
 * A baton_deadline is the instant the agent itself must be done by: the
 * operation timeout minus a safety margin. Escalation steps (destroy after a
 * failed graceful stop, abort of a migration) reserve time off the end.
 */
#ifndef BATON_DEADLINE_H
#define BATON_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct baton_deadline {
    int64_t end_ms;             /* CLOCK_MONOTONIC milliseconds; INT64_MAX = never */
} baton_deadline;

/* Timeout used when OCF_RESKEY_CRM_meta_timeout is absent (ocf-tester, by hand). */
#define BATON_DEADLINE_DEFAULT_TIMEOUT_MS 20000
/* What is kept back from Pacemaker's timeout: a tenth, at least 500 ms, at most 5 s. */
#define BATON_DEADLINE_MARGIN_MIN_MS 500
#define BATON_DEADLINE_MARGIN_MAX_MS 5000

int64_t baton_now_ms(void);

/* A deadline timeout_ms from now; timeout_ms < 0 means never. */
baton_deadline baton_deadline_in(int64_t timeout_ms);
/*
 * The agent's own deadline for a Pacemaker timeout of timeout_ms (<= 0:
 * BATON_DEADLINE_DEFAULT_TIMEOUT_MS), the margin already taken off.
 */
baton_deadline baton_deadline_for_op_timeout(int64_t timeout_ms);
/* Pure: the margin baton keeps back from an operation timeout. */
int64_t baton_deadline_margin_ms(int64_t timeout_ms);
/* Parse OCF_RESKEY_CRM_meta_timeout (milliseconds) from the environment. */
baton_deadline baton_deadline_from_env(void);

/* Milliseconds left (0 when expired; INT64_MAX when never). */
int64_t baton_deadline_remaining_ms(baton_deadline d);
bool baton_deadline_expired(baton_deadline d);
/* The earlier of the deadline and now + ms. */
baton_deadline baton_deadline_cap(baton_deadline d, int64_t ms);
/*
 * A deadline reserve_ms before d, for a step that must leave time for an
 * escalation after it (never earlier than now).
 */
baton_deadline baton_deadline_reserve(baton_deadline d, int64_t reserve_ms);
/* Remaining time as a poll()-style timeout: -1 for never, else clamped to INT_MAX. */
int baton_deadline_poll_timeout(baton_deadline d);

/* Sleep, resuming after signals. */
void baton_sleep_ms(int64_t ms);

#endif /* BATON_DEADLINE_H */
