/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of agents/drbd/drbd-score.c: the promotion score table of
 * agents/drbd/README.md row by row, the promotion refusals, the monitor
 * verdicts and the stall detection across monitors, on the status fixtures
 * of tests/drbd/fixtures.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <baton/cluster.h>

#include "drbd-score.h"
#include "drbd-state.h"

static drbd_status load(const char *name)
{
    char path[512], err[256];
    drbd_status st;
    FILE *f;
    long n;
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", DRBD_FIXTURE_DIR, name);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    rewind(f);
    buf = calloc(1, (size_t) n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
    fclose(f);
    assert_int_equal(drbd_status_parse(buf, "r0", &st, err, sizeof(err)), 1);
    free(buf);
    return st;
}

static int score_of(const char *fixture, bool dual)
{
    drbd_status st = load(fixture);
    const char *why = NULL;
    int s = drbd_promotion_score(&st, dual, &why);

    assert_non_null(why);
    return s;
}

/* ------------------------------------------------------------------ score table */

static void test_score_table(void **state)
{
    static const struct {
        const char *fixture;
        int score;
    } rows[] = {
        /* UpToDate, every peer connected (UpToDate or being synced from us). */
        { "secondary-uptodate.json", DRBD_SCORE_BEST },
        { "primary-uptodate.json", DRBD_SCORE_BEST },
        { "primary-syncsource.json", DRBD_SCORE_BEST },
        { "three-nodes-uptodate.json", DRBD_SCORE_BEST },
        { "two-volumes-uptodate.json", DRBD_SCORE_BEST },
        /* UpToDate, peers missing: lower, more connected peers better. */
        { "primary-peer-lost.json", DRBD_SCORE_ALONE },
        { "three-nodes-one-lost.json", DRBD_SCORE_ALONE + DRBD_SCORE_PER_PEER },
        /* Never promotable. */
        { "secondary-peer-primary.json", DRBD_SCORE_DELETE },
        { "secondary-synctarget.json", DRBD_SCORE_DELETE },
        { "outdated-alone.json", DRBD_SCORE_DELETE },
        { "local-consistent.json", DRBD_SCORE_DELETE },
        { "local-inconsistent.json", DRBD_SCORE_DELETE },
        { "local-failed.json", DRBD_SCORE_DELETE },
        { "diskless-client.json", DRBD_SCORE_DELETE },
        { "two-volumes-one-outdated.json", DRBD_SCORE_DELETE },
        { "noquorum-suspended.json", DRBD_SCORE_DELETE },
        { "splitbrain-secondary.json", DRBD_SCORE_DELETE },
        /* In transition: the score stays. */
        { "local-attaching.json", DRBD_SCORE_KEEP },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int s = score_of(rows[i].fixture, false);

        if (s != rows[i].score)
            print_message("%s: %d, expected %d\n", rows[i].fixture, s, rows[i].score);
        assert_int_equal(s, rows[i].score);
    }
    /* The ordering the table promises. */
    assert_true(DRBD_SCORE_BEST > DRBD_SCORE_ALONE + DRBD_MAX_PEERS * DRBD_SCORE_PER_PEER);
}

static void test_score_not_up(void **state)
{
    const char *why = NULL;

    (void) state;
    assert_int_equal(drbd_promotion_score(NULL, false, &why), DRBD_SCORE_DELETE);
    assert_string_equal(why, "the resource is not up");
}

static void test_score_dual_primary(void **state)
{
    (void) state;
    assert_int_equal(score_of("secondary-peer-primary.json", true), DRBD_SCORE_BEST);
    assert_int_equal(score_of("secondary-peer-primary.json", false), DRBD_SCORE_DELETE);
}

static void test_score_split_brain_primary(void **state)
{
    drbd_status st = load("splitbrain-secondary.json");
    const char *why;

    (void) state;
    /* A Primary after a split brain keeps a score: demoting it loses nothing safer. */
    st.role = DRBD_ROLE_PRIMARY;
    assert_int_equal(drbd_promotion_score(&st, false, &why), DRBD_SCORE_ALONE);
}

/* ------------------------------------------------------------------ promote check */

static void expect_refusal(const char *fixture, bool dual, const char *words)
{
    drbd_status st = load(fixture);
    char reason[512] = "";

    assert_int_equal(drbd_promote_check(&st, dual, reason, sizeof(reason)), -EPERM);
    if (!strstr(reason, words))
        print_message("%s: '%s' lacks '%s'\n", fixture, reason, words);
    assert_non_null(strstr(reason, words));
}

static void test_promote_check(void **state)
{
    drbd_status st;
    char reason[512];

    (void) state;
    st = load("secondary-uptodate.json");
    assert_int_equal(drbd_promote_check(&st, false, reason, sizeof(reason)), 0);
    st = load("three-nodes-one-lost.json");
    assert_int_equal(drbd_promote_check(&st, false, reason, sizeof(reason)), 0);

    expect_refusal("outdated-alone.json", false, "is Outdated, not UpToDate");
    expect_refusal("secondary-synctarget.json", false, "is Inconsistent, not UpToDate");
    expect_refusal("local-consistent.json", false, "Consistent");
    expect_refusal("local-failed.json", false, "Failed");
    expect_refusal("diskless-client.json", false, "diskless");
    expect_refusal("two-volumes-one-outdated.json", false, "volume 1");
    expect_refusal("secondary-peer-primary.json", false, "peer node1 is Primary");
    expect_refusal("noquorum-suspended.json", false, "no quorum");
    expect_refusal("splitbrain-secondary.json", false, "StandAlone");
    expect_refusal("splitbrain-secondary.json", true, "--discard-my-data");

    st = load("secondary-peer-primary.json");
    assert_int_equal(drbd_promote_check(&st, true, reason, sizeof(reason)), 0);
    assert_int_equal(drbd_promote_check(NULL, false, reason, sizeof(reason)), -EPERM);
    assert_string_equal(reason, "the resource is not up");
}

/* ------------------------------------------------------------------ memo */

static void test_memo_round_trip(void **state)
{
    drbd_memo m = { .score_known = true, .score = 10000, .score_ms = 5000, .n_marks = 2 }, back;
    char buf[512];

    (void) state;
    m.marks[0] = (drbd_sync_mark){ 1, 0, 42.5, 123456789012 };
    m.marks[1] = (drbd_sync_mark){ 2, 3, 0, 7 };
    assert_int_equal(drbd_memo_format(&m, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "score 10000 5000\nsync 1 0 42.50 123456789012\nsync 2 3 0.00 7\n");
    assert_int_equal(drbd_memo_parse(buf, &back), 0);
    assert_true(back.score_known);
    assert_int_equal(back.score, 10000);
    assert_int_equal(back.score_ms, 5000);
    assert_int_equal(back.n_marks, 2);
    assert_int_equal(back.marks[0].since_ms, 123456789012);
    assert_float_equal(back.marks[0].progress, 42.5, 0.001);
    assert_int_equal(back.marks[1].volume, 3);

    m = (drbd_memo){ .score_known = true, .score = DRBD_SCORE_DELETE };
    assert_int_equal(drbd_memo_format(&m, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "score none\n");
    assert_int_equal(drbd_memo_parse(buf, &back), 0);
    assert_true(back.score_known);
    assert_int_equal(back.score, DRBD_SCORE_DELETE);

    m = (drbd_memo){ .score = DRBD_SCORE_DELETE };
    assert_int_equal(drbd_memo_format(&m, buf, sizeof(buf)), 0);
    assert_string_equal(buf, "");
    assert_int_equal(drbd_memo_parse("", &back), 0);
    assert_false(back.score_known);

    m = (drbd_memo){ .score_known = true, .score = 5 };
    assert_int_equal(drbd_memo_format(&m, buf, 4), -ENOSPC);
}

static void test_memo_older_agent(void **state)
{
    drbd_memo back;

    (void) state;
    /* an older agent's memo has no time: known, and due at once */
    assert_int_equal(drbd_memo_parse("score 100\n", &back), 0);
    assert_true(back.score_known);
    assert_int_equal(back.score, 100);
    assert_int_equal(back.score_ms, 0);
    assert_true(drbd_score_due(&back, 100, 10 * 1000));
}

static void test_score_due(void **state)
{
    const int64_t refresh = (int64_t) BATON_SCORE_REFRESH_S * 1000, t = 1000000;
    static const struct {
        bool known;
        int was, now;
        int64_t age_ms;         /* now - when it was written */
        bool due;
    } cases[] = {
        { false, DRBD_SCORE_DELETE, 10000, 0, true },   /* not known */
        { true, 1000, 10000, 0, true },                 /* changed */
        { true, 10000, 10000, 0, false },               /* just written */
        { true, 10000, 10000, 59 * 1000, false },
        { true, 10000, 10000, 60 * 1000, true },        /* may have been dropped: again */
        { true, 10000, 10000, -1, true },               /* written "later": not trusted */
        { true, DRBD_SCORE_DELETE, DRBD_SCORE_DELETE, 3600 * 1000, false },  /* none: for ever */
        { true, DRBD_SCORE_DELETE, 10000, 0, true },
    };

    (void) state;
    assert_int_equal(refresh, 60 * 1000);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        drbd_memo m = { .score_known = cases[i].known, .score = cases[i].was, .score_ms = t };

        if (drbd_score_due(&m, cases[i].now, t + cases[i].age_ms) != cases[i].due)
            fail_msg("case %zu: due should be %d", i, cases[i].due);
    }
}

static void test_memo_refused(void **state)
{
    drbd_memo back = { .score_known = true, .score = 77 };

    (void) state;
    assert_int_equal(drbd_memo_parse("score x\n", &back), -EBADMSG);
    assert_int_equal(drbd_memo_parse("score -5\n", &back), -EBADMSG);
    assert_int_equal(drbd_memo_parse("sync 1 2\n", &back), -EBADMSG);
    assert_int_equal(drbd_memo_parse("hello\n", &back), -EBADMSG);
    /* Untouched on failure. */
    assert_int_equal(back.score, 77);
    /* Blank lines are fine. */
    assert_int_equal(drbd_memo_parse("\nscore 3\n\n", &back), 0);
    assert_int_equal(back.score, 3);
}

/* ------------------------------------------------------------------ monitor */

static int decide(const char *fixture, char *reason, size_t len)
{
    drbd_status st = load(fixture);
    drbd_memo prev = { 0 }, next = { 0 };

    return drbd_monitor_decide(&st, &prev, 1000, 60000, &next, reason, len);
}

static void expect_verdict(const char *fixture, int rc, const char *words)
{
    char reason[1024];
    int got = decide(fixture, reason, sizeof(reason));

    if (got != rc || (words && !strstr(reason, words)))
        print_message("%s: %d '%s', expected %d '%s'\n", fixture, got, reason, rc,
                      words ? words : "");
    assert_int_equal(got, rc);
    if (words)
        assert_non_null(strstr(reason, words));
    else
        assert_string_equal(reason, "");
}

static void test_monitor_verdicts(void **state)
{
    drbd_memo next;
    char reason[256];

    (void) state;
    expect_verdict("secondary-uptodate.json", 0, NULL);
    expect_verdict("primary-uptodate.json", 8, NULL);
    expect_verdict("secondary-peer-primary.json", 0, NULL);
    expect_verdict("three-nodes-uptodate.json", 0, NULL);
    expect_verdict("two-volumes-uptodate.json", 0, NULL);
    expect_verdict("primary-peer-lost.json", 191, "peer node2 is not connected (Connecting)");
    expect_verdict("three-nodes-one-lost.json", 190, "peer node3 is not connected");
    expect_verdict("primary-syncsource.json", 191, "peer node1 volume 0 is Inconsistent (SyncSource, 75.00% done)");
    expect_verdict("secondary-synctarget.json", 190, "volume 0 resyncing from node2: 37.50% done");
    expect_verdict("secondary-synctarget.json", 190, "local disk of volume 0 is Inconsistent");
    expect_verdict("splitbrain-secondary.json", 190, "StandAlone");
    expect_verdict("noquorum-suspended.json", 190, "I/O is suspended; volume 0 has no quorum");
    expect_verdict("outdated-alone.json", 190, "local disk of volume 0 is Outdated");
    expect_verdict("two-volumes-one-outdated.json", 190, "local disk of volume 1 is Outdated");
    expect_verdict("local-failed.json", 190, "Failed");
    /* A diskless client is not degraded for lacking a disk... but its peer is gone here. */
    expect_verdict("diskless-client.json", 190, "peer node2 is not connected");

    assert_int_equal(drbd_monitor_decide(NULL, NULL, 0, 0, &next, reason, sizeof(reason)), 7);
    assert_string_equal(reason, "the resource is not up");
}

static void test_monitor_unknown_role(void **state)
{
    drbd_status st = load("secondary-uptodate.json");
    drbd_memo next;
    char reason[256];

    (void) state;
    st.role = DRBD_ROLE_UNKNOWN;
    assert_int_equal(drbd_monitor_decide(&st, NULL, 0, 0, &next, reason, sizeof(reason)), 1);
    assert_non_null(strstr(reason, "Unknown"));
}

static void test_monitor_reason_truncated(void **state)
{
    char reason[16];

    (void) state;
    /* Several reasons in a short buffer: cut, terminated, no overflow. */
    assert_int_equal(decide("noquorum-suspended.json", reason, sizeof(reason)), 190);
    assert_int_equal(strlen(reason), sizeof(reason) - 1);
    assert_int_equal(decide("noquorum-suspended.json", NULL, 0), 190);
}

/* ------------------------------------------------------------------ stall detection */

static void test_stall_detection(void **state)
{
    drbd_status st = load("secondary-synctarget.json");
    drbd_memo m0 = { 0 }, m1 = { 0 }, m2 = { 0 }, m3 = { 0 }, m4 = { 0 };
    char reason[512];
    const int64_t stall = 30000;

    (void) state;
    /* First sight: progress recorded, not stalled. */
    assert_int_equal(drbd_monitor_decide(&st, &m0, 1000, stall, &m1, reason, sizeof(reason)), 190);
    assert_null(strstr(reason, "stalled"));
    assert_int_equal(m1.n_marks, 1);
    assert_int_equal(m1.marks[0].peer_node_id, 1);
    assert_int_equal(m1.marks[0].since_ms, 1000);

    /* No progress, but not for long enough yet. */
    assert_int_equal(drbd_monitor_decide(&st, &m1, 21000, stall, &m2, reason, sizeof(reason)), 190);
    assert_null(strstr(reason, "stalled"));
    assert_int_equal(m2.marks[0].since_ms, 1000);

    /* No progress for 30 s: stalled. */
    assert_int_equal(drbd_monitor_decide(&st, &m2, 31000, stall, &m3, reason, sizeof(reason)), 190);
    assert_non_null(strstr(reason, "resync of volume 0 from node2 stalled at 37.50% for 30 s"));
    assert_int_equal(m3.marks[0].since_ms, 1000);

    /* Progress again: the clock restarts. */
    st.peers[0].volumes[0].resync_done = 40.0;
    assert_int_equal(drbd_monitor_decide(&st, &m3, 41000, stall, &m4, reason, sizeof(reason)), 190);
    assert_null(strstr(reason, "stalled"));
    assert_int_equal(m4.marks[0].since_ms, 41000);
    assert_float_equal(m4.marks[0].progress, 40.0, 0.001);

    /* A threshold of 0: the second monitor without progress says stalled. */
    assert_int_equal(drbd_monitor_decide(&st, &m4, 41001, 0, &m1, reason, sizeof(reason)), 190);
    assert_non_null(strstr(reason, "stalled"));

    /* A resync that went backwards (restarted) is no progress either. */
    st.peers[0].volumes[0].resync_done = 10.0;
    assert_int_equal(drbd_monitor_decide(&st, &m4, 41000 + stall, stall, &m1, reason, sizeof(reason)), 190);
    assert_non_null(strstr(reason, "stalled at 10.00%"));

    /* Done: no mark is kept. */
    st = load("secondary-uptodate.json");
    assert_int_equal(drbd_monitor_decide(&st, &m4, 50000, stall, &m1, reason, sizeof(reason)), 0);
    assert_int_equal(m1.n_marks, 0);
}

static void test_stall_primary_and_paused(void **state)
{
    drbd_status st = load("secondary-synctarget.json");
    drbd_memo prev = { .n_marks = 1 }, next;
    char reason[512];

    (void) state;
    prev.marks[0] = (drbd_sync_mark){ 1, 0, 37.5, 0 };
    st.role = DRBD_ROLE_PRIMARY;
    assert_int_equal(drbd_monitor_decide(&st, &prev, 100000, 1000, &next, reason, sizeof(reason)), 191);
    assert_non_null(strstr(reason, "stalled"));
    /* A paused resync is degraded, but paused is not stalled. */
    st.peers[0].volumes[0].repl = DRBD_REPL_PAUSED_SYNC_T;
    assert_int_equal(drbd_monitor_decide(&st, &prev, 100000, 1000, &next, reason, sizeof(reason)), 191);
    assert_non_null(strstr(reason, "paused"));
    assert_null(strstr(reason, "stalled"));
    /* Only the mark of another peer volume: a fresh one is started. */
    prev.marks[0].peer_node_id = 7;
    st.peers[0].volumes[0].repl = DRBD_REPL_SYNC_TARGET;
    assert_int_equal(drbd_monitor_decide(&st, &prev, 100000, 1000, &next, reason, sizeof(reason)), 191);
    assert_null(strstr(reason, "stalled"));
    assert_int_equal(next.n_marks, 1);
    assert_int_equal(next.marks[0].since_ms, 100000);
}

/* ocft drbd.linbit "wrong resource name": drbdadm's E_CONFIG_INVALID is this node's configuration. */
static void test_adm_config_invalid(void **state)
{
    (void) state;
    assert_true(drbd_adm_config_invalid(10));
    assert_false(drbd_adm_config_invalid(1));
    assert_false(drbd_adm_config_invalid(11));      /* a refused state change */
    assert_false(drbd_adm_config_invalid(17));      /* no UpToDate data */
    assert_false(drbd_adm_config_invalid(0));
}

/* 190/191 only for an OCF 1.1 caller (ocft declares 1.0: drbd.linbit case 11's peer monitor). */
static void test_report_degraded(void **state)
{
    (void) state;
    assert_true(drbd_report_degraded(true, true));
    assert_false(drbd_report_degraded(true, false));
    assert_false(drbd_report_degraded(false, true));
    assert_false(drbd_report_degraded(false, false));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_table),
        cmocka_unit_test(test_score_not_up),
        cmocka_unit_test(test_score_dual_primary),
        cmocka_unit_test(test_score_split_brain_primary),
        cmocka_unit_test(test_promote_check),
        cmocka_unit_test(test_memo_round_trip),
        cmocka_unit_test(test_memo_older_agent),
        cmocka_unit_test(test_score_due),
        cmocka_unit_test(test_memo_refused),
        cmocka_unit_test(test_monitor_verdicts),
        cmocka_unit_test(test_monitor_unknown_role),
        cmocka_unit_test(test_monitor_reason_truncated),
        cmocka_unit_test(test_stall_detection),
        cmocka_unit_test(test_stall_primary_and_paused),
        cmocka_unit_test(test_adm_config_invalid),
        cmocka_unit_test(test_report_degraded),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
