/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the agent concludes from chronyc's answers: is this instance a
 * usable time source for its role, what does monitor report, how good a
 * primary would it be (its promotion score). Pure, for the unit tests.
 */
#ifndef NTP_DECIDE_H
#define NTP_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntp-chrony.h"
#include "ntp-config.h"

/*
 * A source is usable when chrony selected it ('*'), it answered one of the
 * last 8 polls (reach != 0) and its last sample is at most 3 poll intervals
 * old (at least 2 s: chronyc prints whole seconds). Reach alone drains only
 * after 8 missed polls, and tracking keeps "Normal" in holdover, so neither
 * tells on its own that the source is gone.
 */
bool ntp_source_usable(const ntp_source *s);

typedef struct ntp_assess_in {
    ntp_role role;
    bool has_upstreams;             /* upstream_servers is not empty */
    const char *primary_address;    /* "" or NULL: none */
    int64_t max_offset_ms;
    const ntp_tracking *tracking;
    const ntp_source *sources;
    size_t n_sources;
} ntp_assess_in;

typedef struct ntp_assessment {
    bool synced;            /* a usable time source for its role */
    bool offset_ok;         /* the clock is within max_offset */
    bool upstream;          /* synchronised to an upstream (neither primary nor own clock) */
    int stratum;
    char reason[320];       /* why not synced; "" when synced */
} ntp_assessment;

void ntp_assess(const ntp_assess_in *in, ntp_assessment *ret);

/* The promotion score for "not promotable": delete it. */
#define NTP_SCORE_NONE (-1)
/*
 * Upstream-synchronised instances score 1000 - 10 * stratum; any other
 * answering one 10, so that a cluster without upstreams still promotes
 * someone (who then serves its own clock); one that does not answer or
 * whose clock is off by more than max_offset is not promotable.
 */
int ntp_score(bool answering, const ntp_assessment *a);

typedef enum ntp_verdict {
    NTP_VERDICT_OK = 0,
    NTP_VERDICT_GRACE,      /* unsynchronised, not yet for max_unsync */
    NTP_VERDICT_DEGRADED,
    NTP_VERDICT_FAILED,
} ntp_verdict;

/*
 * unsync_since_ms: when an unsynchronised state was first seen (monotonic
 * ms), or -1 when it was not.
 */
ntp_verdict ntp_unsync_verdict(bool synced, int64_t unsync_since_ms, int64_t now_ms,
                               int64_t max_unsync_ms, bool fail);

/* The OCF code of a monitor that found chronyd running. */
int ntp_monitor_rc(ntp_role role, ntp_verdict v);

#endif /* NTP_DECIDE_H */
