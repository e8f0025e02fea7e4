/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's decisions on a parsed drbd_status: the promotion score, whether
 * a promotion is safe, what a monitor reports, and the small memo kept
 * between monitors (last score set, resync progress) in a state file. Pure,
 * for the unit tests; the table is documented in agents/drbd/README.md.
 */
#ifndef DRBD_SCORE_H
#define DRBD_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drbd-state.h"

/* Not promotable: the node has no promotion score at all. */
#define DRBD_SCORE_DELETE (-1)
/* In transition (attaching, negotiating): leave the score as it is. */
#define DRBD_SCORE_KEEP (-2)
/* Local data UpToDate and every peer connected: nobody can have newer data. */
#define DRBD_SCORE_BEST 10000
/* Local data UpToDate, some peer unreachable: plus DRBD_SCORE_PER_PEER per connected peer. */
#define DRBD_SCORE_ALONE 1000
#define DRBD_SCORE_PER_PEER 10

/* The score for this node; *ret_why says why (static text). */
int drbd_promotion_score(const drbd_status *st, bool allow_dual_primary, const char **ret_why);

/*
 * Whether a failed `drbdadm up`/`adjust` says this node's DRBD configuration
 * cannot run the resource: drbd-utils' exit 10 (E_CONFIG_INVALID: the
 * resource is not defined for this host, or the file does not parse). That
 * is a fact about this node (5, OCF_ERR_INSTALLED, as ocf:linbit:drbd
 * answers for a resource missing from drbd.conf): another node's
 * configuration may hold it, so 6 (stop it everywhere) would be wrong, and a
 * retry here (1) cannot help.
 */
#define DRBD_ADM_E_CONFIG 10

/*
 * Whether a degraded state is answered with 190/191: report_degraded, and a
 * caller that speaks OCF 1.1. The codes do not exist in OCF 1.0; a caller
 * that declares 1.0 (OCF_RA_VERSION_MINOR=0, as ocft does) gets 0/8 and the
 * reason in the log, as with report_degraded=false.
 */
bool drbd_report_degraded(bool param, bool caller_ocf_1_1);
bool drbd_adm_config_invalid(int exit_status);

/* 0 when promoting is safe, else -EPERM with the reason in reason. */
int drbd_promote_check(const drbd_status *st, bool allow_dual_primary, char *reason, size_t len);

/* Resync progress of one peer volume seen by an earlier monitor. */
typedef struct drbd_sync_mark {
    int peer_node_id;
    int volume;
    double progress;            /* percent */
    int64_t since_ms;           /* when progress was first seen at this value */
} drbd_sync_mark;

#define DRBD_MEMO_MAX_MARKS 32

/* What one invocation leaves for the next (the state file's content). */
typedef struct drbd_memo {
    bool score_known;           /* score below is what the cluster has */
    int score;                  /* DRBD_SCORE_DELETE: none set */
    int64_t score_ms;           /* when it was written (baton_now_ms); 0: not known */
    size_t n_marks;
    drbd_sync_mark marks[DRBD_MEMO_MAX_MARKS];
} drbd_memo;

/*
 * Whether the score must be written now: it changed, it is not known, or a
 * score was written BATON_SCORE_REFRESH_S or more ago (Pacemaker drops a
 * Pacemaker Remote node's transient attributes when its connection moves,
 * while the resource keeps running). "No score" is trusted for ever.
 */
bool drbd_score_due(const drbd_memo *m, int score, int64_t now_ms);

/* Text form, one item a line ("score 10000 5000", "score none", "sync 1 0 42.50 123456"). */
int drbd_memo_parse(const char *text, drbd_memo *ret);
/* Writes at most len bytes (NUL included); -ENOSPC when it does not fit. */
int drbd_memo_format(const drbd_memo *m, char *buf, size_t len);

/*
 * What a monitor reports: 7 when st is NULL (resource down), else 8/0 for
 * Primary/Secondary, 191/190 when degraded, 1 for a role DRBD cannot tell.
 * Updates next->marks (resync progress) from prev, now_ms and stall_ms: a
 * resync toward this node that made no progress across monitors for at
 * least stall_ms is stalled. The reason (degraded, down) goes to reason.
 */
int drbd_monitor_decide(const drbd_status *st, const drbd_memo *prev, int64_t now_ms,
                        int64_t stall_ms, drbd_memo *next, char *reason, size_t len);

#endif /* DRBD_SCORE_H */
