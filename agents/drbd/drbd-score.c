/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/cluster.h>

#include "drbd-score.h"

/* Progress is printed with two decimals: less than that is no progress. */
#define PROGRESS_EPSILON 0.005

/* The worst local disk state over the volumes that have a disk. */
static drbd_disk worst_local_disk(const drbd_status *st, bool *ret_client)
{
    drbd_disk worst = DRBD_DISK_UPTODATE;

    *ret_client = false;
    for (size_t i = 0; i < st->n_volumes; i++) {
        if (st->volumes[i].client) {
            *ret_client = true;
            continue;
        }
        if (st->volumes[i].disk < worst)
            worst = st->volumes[i].disk;
    }
    return worst;
}

static bool is_transitional(drbd_disk d)
{
    return d == DRBD_DISK_ATTACHING || d == DRBD_DISK_NEGOTIATING || d == DRBD_DISK_DETACHING;
}

static const drbd_volume *volume_without_quorum(const drbd_status *st)
{
    for (size_t i = 0; i < st->n_volumes; i++)
        if (!st->volumes[i].quorum)
            return &st->volumes[i];
    return NULL;
}

/* A peer connected and Primary: only a connected peer's role is known. */
static const drbd_peer *primary_peer(const drbd_status *st)
{
    for (size_t i = 0; i < st->n_peers; i++)
        if (st->peers[i].conn == DRBD_CONN_CONNECTED && st->peers[i].role == DRBD_ROLE_PRIMARY)
            return &st->peers[i];
    return NULL;
}

static const drbd_peer *standalone_peer(const drbd_status *st)
{
    for (size_t i = 0; i < st->n_peers; i++)
        if (st->peers[i].conn == DRBD_CONN_STANDALONE)
            return &st->peers[i];
    return NULL;
}

static size_t connected_peers(const drbd_status *st)
{
    size_t n = 0;

    for (size_t i = 0; i < st->n_peers; i++)
        if (st->peers[i].conn == DRBD_CONN_CONNECTED)
            n++;
    return n;
}

int drbd_promotion_score(const drbd_status *st, bool allow_dual_primary, const char **ret_why)
{
    drbd_disk worst;
    bool client;
    size_t connected;

    if (!st || st->n_volumes == 0) {
        *ret_why = "the resource is not up";
        return DRBD_SCORE_DELETE;
    }
    if (volume_without_quorum(st)) {
        *ret_why = "no quorum";
        return DRBD_SCORE_DELETE;
    }
    if (!allow_dual_primary && primary_peer(st)) {
        *ret_why = "a peer is Primary";
        return DRBD_SCORE_DELETE;
    }
    worst = worst_local_disk(st, &client);
    if (client) {
        *ret_why = "a volume is diskless (client)";
        return DRBD_SCORE_DELETE;
    }
    if (is_transitional(worst)) {
        *ret_why = "the local disk is in transition";
        return DRBD_SCORE_KEEP;
    }
    if (worst != DRBD_DISK_UPTODATE) {
        *ret_why = "the local disk is not UpToDate";
        return DRBD_SCORE_DELETE;
    }
    /* After a split brain neither side may win by itself; a Primary keeps its role. */
    if (standalone_peer(st) && st->role != DRBD_ROLE_PRIMARY) {
        *ret_why = "a connection is StandAlone (split brain?)";
        return DRBD_SCORE_DELETE;
    }
    connected = connected_peers(st);
    if (connected == st->n_peers) {
        *ret_why = "UpToDate, every peer connected";
        return DRBD_SCORE_BEST;
    }
    *ret_why = "UpToDate, some peer not connected";
    return DRBD_SCORE_ALONE + (int) connected * DRBD_SCORE_PER_PEER;
}

int drbd_promote_check(const drbd_status *st, bool allow_dual_primary, char *reason, size_t len)
{
    const drbd_volume *v;
    const drbd_peer *p;

    if (!st || st->n_volumes == 0) {
        snprintf(reason, len, "the resource is not up");
        return -EPERM;
    }
    for (size_t i = 0; i < st->n_volumes; i++) {
        v = &st->volumes[i];
        if (v->client) {
            snprintf(reason, len, "volume %d is diskless: promoting a DRBD client is not supported",
                     v->volume);
            return -EPERM;
        }
        if (v->disk != DRBD_DISK_UPTODATE) {
            snprintf(reason, len, "the local disk of volume %d is %s, not UpToDate", v->volume,
                     drbd_disk_str(v->disk));
            return -EPERM;
        }
    }
    if ((v = volume_without_quorum(st))) {
        snprintf(reason, len, "volume %d has no quorum", v->volume);
        return -EPERM;
    }
    if (!allow_dual_primary && (p = primary_peer(st))) {
        snprintf(reason, len, "peer %s is Primary (allow_dual_primary is off)", p->name);
        return -EPERM;
    }
    if ((p = standalone_peer(st))) {
        snprintf(reason, len,
                 "the connection to %s is StandAlone (split brain or disconnected by hand): "
                 "not promoting; resolve it by hand (drbdadm connect --discard-my-data on the "
                 "node whose changes are to be lost)", p->name);
        return -EPERM;
    }
    return 0;
}

/* ------------------------------------------------------------------ memo */

int drbd_memo_parse(const char *text, drbd_memo *ret)
{
    drbd_memo m = { .score = DRBD_SCORE_DELETE };
    const char *line = text;

    while (line && *line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t) (end - line) : strlen(line);
        char buf[128];
        int score, peer, vol, k;
        double progress;
        int64_t since, at;

        if (n >= sizeof(buf))
            return -EBADMSG;
        memcpy(buf, line, n);
        buf[n] = '\0';
        if (strcmp(buf, "score none") == 0) {
            m.score_known = true;
            m.score = DRBD_SCORE_DELETE;
        } else if ((k = sscanf(buf, "score %d %" SCNd64, &score, &at)) >= 1 && score >= 0) {
            /* "score N" without its time: a memo of an older agent, refreshed at once */
            m.score_known = true;
            m.score = score;
            m.score_ms = k == 2 ? at : 0;
        } else if (sscanf(buf, "sync %d %d %lf %" SCNd64, &peer, &vol, &progress, &since) == 4) {
            if (m.n_marks < DRBD_MEMO_MAX_MARKS)
                m.marks[m.n_marks++] = (drbd_sync_mark){ peer, vol, progress, since };
        } else if (n > 0) {
            return -EBADMSG;
        }
        line = end ? end + 1 : NULL;
    }
    *ret = m;
    return 0;
}

bool drbd_score_due(const drbd_memo *m, int score, int64_t now_ms)
{
    if (!m->score_known || m->score != score)
        return true;
    if (score == DRBD_SCORE_DELETE)
        return false;
    return m->score_ms <= 0 || baton_promotion_score_stale(m->score_ms, now_ms);
}

int drbd_memo_format(const drbd_memo *m, char *buf, size_t len)
{
    size_t off = 0;
    int n;

    if (m->score_known) {
        if (m->score == DRBD_SCORE_DELETE)
            n = snprintf(buf, len, "score none\n");
        else
            n = snprintf(buf, len, "score %d %" PRId64 "\n", m->score, m->score_ms);
    } else {
        n = snprintf(buf, len, "%s", "");
    }
    if (n < 0 || (size_t) n >= len)
        return -ENOSPC;
    off = (size_t) n;
    for (size_t i = 0; i < m->n_marks; i++) {
        const drbd_sync_mark *k = &m->marks[i];

        n = snprintf(buf + off, len - off, "sync %d %d %.2f %" PRId64 "\n", k->peer_node_id,
                     k->volume, k->progress, k->since_ms);
        if (n < 0 || (size_t) n >= len - off)
            return -ENOSPC;
        off += (size_t) n;
    }
    return 0;
}

/* ------------------------------------------------------------------ monitor */

typedef struct reasons {
    char *buf;
    size_t len, off;
} reasons;

static void add_reason(reasons *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_reason(reasons *r, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!r->buf || r->len == 0 || r->off + 1 >= r->len)
        return;
    if (r->off > 0) {
        n = snprintf(r->buf + r->off, r->len - r->off, "; ");
        if (n < 0 || (size_t) n >= r->len - r->off) {
            r->off = r->len - 1;
            return;
        }
        r->off += (size_t) n;
    }
    va_start(ap, fmt);
    n = vsnprintf(r->buf + r->off, r->len - r->off, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t) n >= r->len - r->off)
        r->off = r->len - 1;
    else
        r->off += (size_t) n;
}

static const drbd_sync_mark *find_mark(const drbd_memo *m, int peer, int volume)
{
    if (!m)
        return NULL;
    for (size_t i = 0; i < m->n_marks; i++)
        if (m->marks[i].peer_node_id == peer && m->marks[i].volume == volume)
            return &m->marks[i];
    return NULL;
}

/* Records the progress; true when it has not moved for stall_ms across monitors. */
static bool track_resync(const drbd_peer *p, const drbd_peer_volume *pv, const drbd_memo *prev,
                         int64_t now_ms, int64_t stall_ms, drbd_memo *next, int64_t *ret_for_ms)
{
    const drbd_sync_mark *old = find_mark(prev, p->node_id, pv->volume);
    double progress = drbd_peer_volume_progress(pv);
    drbd_sync_mark mark = { p->node_id, pv->volume, progress, now_ms };
    bool stalled = false;

    if (old && progress < old->progress + PROGRESS_EPSILON) {
        /* Same value as before (or lower: a restarted resync is no progress either). */
        mark.since_ms = old->since_ms;
        mark.progress = old->progress;
        *ret_for_ms = now_ms - old->since_ms;
        stalled = *ret_for_ms >= stall_ms;
    }
    if (next->n_marks < DRBD_MEMO_MAX_MARKS)
        next->marks[next->n_marks++] = mark;
    return stalled;
}

static void check_peer(const drbd_status *st, const drbd_peer *p, const drbd_memo *prev,
                       int64_t now_ms, int64_t stall_ms, drbd_memo *next, reasons *why,
                       bool *degraded)
{
    if (p->conn != DRBD_CONN_CONNECTED) {
        *degraded = true;
        if (p->conn == DRBD_CONN_STANDALONE)
            add_reason(why, "connection to %s is StandAlone (split brain or disconnected by hand; "
                       "resolve by hand, nothing is discarded automatically)", p->name);
        else
            add_reason(why, "peer %s is not connected (%s)", p->name, drbd_conn_str(p->conn));
        return;
    }
    for (size_t j = 0; j < p->n_volumes; j++) {
        const drbd_peer_volume *pv = &p->volumes[j];
        int64_t for_ms = 0;

        if (pv->repl == DRBD_REPL_SYNC_TARGET) {
            *degraded = true;
            if (track_resync(p, pv, prev, now_ms, stall_ms, next, &for_ms))
                add_reason(why, "resync of volume %d from %s stalled at %.2f%% for %" PRId64 " s",
                           pv->volume, p->name, drbd_peer_volume_progress(pv), for_ms / 1000);
            else
                add_reason(why, "volume %d resyncing from %s: %.2f%% done", pv->volume, p->name,
                           drbd_peer_volume_progress(pv));
            continue;
        }
        if (pv->repl == DRBD_REPL_PAUSED_SYNC_T) {
            *degraded = true;
            add_reason(why, "resync of volume %d from %s is paused", pv->volume, p->name);
            continue;
        }
        if (pv->peer_client && pv->peer_disk == DRBD_DISK_DISKLESS)
            continue;
        if (pv->peer_disk != DRBD_DISK_UPTODATE) {
            *degraded = true;
            if (drbd_repl_is_sync_source(pv->repl))
                add_reason(why, "peer %s volume %d is %s (%s, %.2f%% done)", p->name, pv->volume,
                           drbd_disk_str(pv->peer_disk), drbd_repl_str(pv->repl),
                           drbd_peer_volume_progress(pv));
            else
                add_reason(why, "peer %s volume %d is %s", p->name, pv->volume,
                           drbd_disk_str(pv->peer_disk));
        }
    }
    (void) st;
}

int drbd_monitor_decide(const drbd_status *st, const drbd_memo *prev, int64_t now_ms,
                        int64_t stall_ms, drbd_memo *next, char *reason, size_t len)
{
    reasons why = { .buf = reason, .len = len };
    bool degraded = false;

    if (reason && len)
        reason[0] = '\0';
    next->n_marks = 0;
    if (!st || st->n_volumes == 0) {
        add_reason(&why, "the resource is not up");
        return 7;
    }
    if (st->role != DRBD_ROLE_PRIMARY && st->role != DRBD_ROLE_SECONDARY) {
        add_reason(&why, "DRBD reports role %s", drbd_role_str(st->role));
        return 1;
    }
    if (st->suspended) {
        degraded = true;
        add_reason(&why, "I/O is suspended");
    }
    for (size_t i = 0; i < st->n_volumes; i++) {
        const drbd_volume *v = &st->volumes[i];

        if (!v->quorum) {
            degraded = true;
            add_reason(&why, "volume %d has no quorum", v->volume);
        }
        if (!v->client && v->disk != DRBD_DISK_UPTODATE) {
            degraded = true;
            add_reason(&why, "local disk of volume %d is %s", v->volume, drbd_disk_str(v->disk));
        }
    }
    for (size_t i = 0; i < st->n_peers; i++)
        check_peer(st, &st->peers[i], prev, now_ms, stall_ms, next, &why, &degraded);
    if (st->role == DRBD_ROLE_PRIMARY)
        return degraded ? 191 : 8;
    return degraded ? 190 : 0;
}

bool drbd_adm_config_invalid(int exit_status)
{
    return exit_status == DRBD_ADM_E_CONFIG;
}

bool drbd_report_degraded(bool param, bool caller_ocf_1_1)
{
    return param && caller_ocf_1_1;
}
