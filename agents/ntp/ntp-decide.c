/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <baton/ocf.h>

#include "ntp-decide.h"

bool ntp_source_usable(const ntp_source *s)
{
    double limit = 3.0 * ldexp(1.0, s->poll);

    if (limit < 2.0)
        limit = 2.0;
    return s->state == '*' && s->reach != 0 && s->last_rx_s >= 0 && (double) s->last_rx_s <= limit;
}

static const ntp_source *selected_source(const ntp_assess_in *in)
{
    for (size_t i = 0; i < in->n_sources; i++)
        if (in->sources[i].state == '*')
            return &in->sources[i];
    return NULL;
}

static void describe_sources(const ntp_assess_in *in, char *buf, size_t len)
{
    const ntp_source *s = selected_source(in);

    if (in->n_sources == 0) {
        snprintf(buf, len, "no sources");
        return;
    }
    if (!s)
        s = &in->sources[0];
    if (s->last_rx_s < 0)
        snprintf(buf, len, "%s source %.64s: state '%c', reach %o, no sample yet",
                 s->state == '*' ? "selected" : "none selected; first", s->address, s->state,
                 s->reach);
    else
        snprintf(buf, len, "%s source %.64s: state '%c', reach %o, last sample %llds ago",
                 s->state == '*' ? "selected" : "none selected; first", s->address, s->state,
                 s->reach, (long long) s->last_rx_s);
}

void ntp_assess(const ntp_assess_in *in, ntp_assessment *ret)
{
    const ntp_tracking *t = in->tracking;
    const ntp_source *sel = selected_source(in);
    bool usable = sel && ntp_source_usable(sel);
    double max_offset_s = (double) in->max_offset_ms / 1000.0;
    char detail[200];

    memset(ret, 0, sizeof(*ret));
    ret->stratum = t->stratum;
    ret->offset_ok = fabs(t->offset_s) <= max_offset_s;
    ret->upstream = usable && t->ref_id != NTP_REFID_LOCAL &&
                    !(in->primary_address && *in->primary_address &&
                      strcmp(sel->address, in->primary_address) == 0);

    if (t->leap == NTP_LEAP_UNSYNC || t->stratum >= 16) {
        snprintf(ret->reason, sizeof(ret->reason), "chronyd is not synchronised (leap status '%s', stratum %d)",
                 ntp_leap_str(t->leap), t->stratum);
        return;
    }
    if (!ret->offset_ok) {
        snprintf(ret->reason, sizeof(ret->reason),
                 "the system clock is %.6f s off, beyond max_offset %.3f s", t->offset_s, max_offset_s);
        return;
    }
    describe_sources(in, detail, sizeof(detail));
    if (in->role == NTP_ROLE_PROMOTED) {
        /* Without upstreams the own clock is the design, not a fault. */
        if (!in->has_upstreams || ret->upstream) {
            ret->synced = true;
            return;
        }
        snprintf(ret->reason, sizeof(ret->reason),
                 "no upstream server is usable, serving the local clock at stratum %d (%s)",
                 t->stratum, detail);
        return;
    }
    if (usable) {
        ret->synced = true;
        return;
    }
    snprintf(ret->reason, sizeof(ret->reason), "not following a reachable source (%s)", detail);
}

int ntp_score(bool answering, const ntp_assessment *a)
{
    if (!answering || !a->offset_ok)
        return NTP_SCORE_NONE;
    if (a->synced && a->upstream && a->stratum >= 1 && a->stratum < 16)
        return 1000 - 10 * a->stratum;
    return 10;
}

ntp_verdict ntp_unsync_verdict(bool synced, int64_t unsync_since_ms, int64_t now_ms,
                               int64_t max_unsync_ms, bool fail)
{
    if (synced)
        return NTP_VERDICT_OK;
    if (unsync_since_ms >= 0 && now_ms - unsync_since_ms < max_unsync_ms)
        return NTP_VERDICT_GRACE;
    if (unsync_since_ms < 0 && max_unsync_ms > 0)
        return NTP_VERDICT_GRACE;
    return fail ? NTP_VERDICT_FAILED : NTP_VERDICT_DEGRADED;
}

int ntp_monitor_rc(ntp_role role, ntp_verdict v)
{
    bool promoted = role == NTP_ROLE_PROMOTED;

    switch (v) {
    case NTP_VERDICT_OK:
    case NTP_VERDICT_GRACE:
        return promoted ? BATON_OCF_RUNNING_PROMOTED : BATON_OCF_SUCCESS;
    case NTP_VERDICT_DEGRADED:
        return promoted ? BATON_OCF_DEGRADED_PROMOTED : BATON_OCF_DEGRADED;
    case NTP_VERDICT_FAILED:
        break;
    }
    return promoted ? BATON_OCF_FAILED_PROMOTED : BATON_OCF_ERR_GENERIC;
}
