/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of agents/drbd/drbd-state.c: `drbdsetup status --json` in the
 * shapes drbd-utils 9 prints (tests/drbd/fixtures, one per state the agent
 * decides on), and output it must refuse.
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

#include "drbd-state.h"

static char *read_fixture(const char *name)
{
    char path[512];
    FILE *f;
    long n;
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", DRBD_FIXTURE_DIR, name);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t) n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t) n, f), (size_t) n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Parse fixture name for resource; returns what drbd_status_parse() returned. */
static int parse(const char *name, const char *resource, drbd_status *st)
{
    char err[256];
    char *json = read_fixture(name);
    int r = drbd_status_parse(json, resource, st, err, sizeof(err));

    if (r < 0)
        print_message("%s: %s\n", name, err);
    free(json);
    return r;
}

static void test_names_round_trip(void **state)
{
    (void) state;
    for (int d = DRBD_DISK_DUNKNOWN; d <= DRBD_DISK_UPTODATE; d++)
        assert_int_equal(drbd_disk_from_str(drbd_disk_str(d)), d);
    for (int c = DRBD_CONN_UNKNOWN; c <= DRBD_CONN_CONNECTED; c++)
        assert_int_equal(drbd_conn_from_str(drbd_conn_str(c)), c);
    for (int r = DRBD_REPL_UNKNOWN; r <= DRBD_REPL_BEHIND; r++)
        assert_int_equal(drbd_repl_from_str(drbd_repl_str(r)), r);
    for (int r = DRBD_ROLE_UNKNOWN; r <= DRBD_ROLE_PRIMARY; r++)
        assert_int_equal(drbd_role_from_str(drbd_role_str(r)), r);
    /* A word from a newer DRBD is "unknown", never a good state. */
    assert_int_equal(drbd_disk_from_str("SuperUpToDate"), DRBD_DISK_DUNKNOWN);
    assert_int_equal(drbd_disk_from_str(NULL), DRBD_DISK_DUNKNOWN);
    assert_int_equal(drbd_conn_from_str("connected"), DRBD_CONN_UNKNOWN);
    assert_string_equal(drbd_disk_str((drbd_disk) 99), "DUnknown");
    assert_true(drbd_repl_is_sync_target(DRBD_REPL_SYNC_TARGET));
    assert_true(drbd_repl_is_sync_target(DRBD_REPL_PAUSED_SYNC_T));
    assert_false(drbd_repl_is_sync_target(DRBD_REPL_SYNC_SOURCE));
    assert_true(drbd_repl_is_sync_source(DRBD_REPL_SYNC_SOURCE));
    assert_false(drbd_repl_is_sync_source(DRBD_REPL_ESTABLISHED));
}

static void test_secondary_uptodate(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("secondary-uptodate.json", "r0", &st), 1);
    assert_string_equal(st.name, "r0");
    assert_int_equal(st.node_id, 1);
    assert_int_equal(st.role, DRBD_ROLE_SECONDARY);
    assert_false(st.suspended);
    assert_int_equal(st.n_volumes, 1);
    assert_int_equal(st.volumes[0].volume, 0);
    assert_int_equal(st.volumes[0].minor, 0);
    assert_int_equal(st.volumes[0].disk, DRBD_DISK_UPTODATE);
    assert_false(st.volumes[0].client);
    assert_true(st.volumes[0].quorum);
    assert_int_equal(st.n_peers, 1);
    assert_int_equal(st.peers[0].node_id, 0);
    assert_string_equal(st.peers[0].name, "node1");
    assert_int_equal(st.peers[0].conn, DRBD_CONN_CONNECTED);
    assert_int_equal(st.peers[0].role, DRBD_ROLE_SECONDARY);
    assert_int_equal(st.peers[0].n_volumes, 1);
    assert_int_equal(st.peers[0].volumes[0].repl, DRBD_REPL_ESTABLISHED);
    assert_int_equal(st.peers[0].volumes[0].peer_disk, DRBD_DISK_UPTODATE);
    assert_false(st.peers[0].volumes[0].has_resync_done);
    assert_true(st.peers[0].volumes[0].percent_in_sync > 99.99);
}

static void test_primary(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("primary-uptodate.json", "r0", &st), 1);
    assert_int_equal(st.role, DRBD_ROLE_PRIMARY);
    assert_int_equal(st.peers[0].role, DRBD_ROLE_SECONDARY);
    assert_int_equal(parse("secondary-peer-primary.json", "r0", &st), 1);
    assert_int_equal(st.role, DRBD_ROLE_SECONDARY);
    assert_int_equal(st.peers[0].role, DRBD_ROLE_PRIMARY);
}

static void test_peer_lost(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("primary-peer-lost.json", "r0", &st), 1);
    assert_int_equal(st.role, DRBD_ROLE_PRIMARY);
    assert_int_equal(st.peers[0].conn, DRBD_CONN_CONNECTING);
    assert_int_equal(st.peers[0].role, DRBD_ROLE_UNKNOWN);
    assert_int_equal(st.peers[0].volumes[0].repl, DRBD_REPL_OFF);
    assert_int_equal(st.peers[0].volumes[0].peer_disk, DRBD_DISK_DUNKNOWN);
}

static void test_resync(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("secondary-synctarget.json", "r0", &st), 1);
    assert_int_equal(st.volumes[0].disk, DRBD_DISK_INCONSISTENT);
    assert_int_equal(st.peers[0].volumes[0].repl, DRBD_REPL_SYNC_TARGET);
    assert_true(st.peers[0].volumes[0].has_resync_done);
    assert_float_equal(st.peers[0].volumes[0].resync_done, 37.5, 0.001);
    assert_float_equal(st.peers[0].volumes[0].percent_in_sync, 37.5, 0.001);
    assert_float_equal(drbd_peer_volume_progress(&st.peers[0].volumes[0]), 37.5, 0.001);

    assert_int_equal(parse("primary-syncsource.json", "r0", &st), 1);
    assert_int_equal(st.role, DRBD_ROLE_PRIMARY);
    assert_int_equal(st.peers[0].volumes[0].repl, DRBD_REPL_SYNC_SOURCE);
    assert_int_equal(st.peers[0].volumes[0].peer_disk, DRBD_DISK_INCONSISTENT);
    assert_float_equal(st.peers[0].volumes[0].resync_done, 75.0, 0.001);
}

static void test_split_brain(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("splitbrain-secondary.json", "r0", &st), 1);
    assert_int_equal(st.peers[0].conn, DRBD_CONN_STANDALONE);
    assert_int_equal(st.peers[0].role, DRBD_ROLE_UNKNOWN);
}

static void test_quorum_suspended(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("noquorum-suspended.json", "r0", &st), 1);
    assert_false(st.volumes[0].quorum);
    assert_true(st.suspended);
    /* Without the fields (older drbd-utils) a node has quorum and a disk. */
    assert_int_equal(parse("legacy-no-client-quorum.json", "r0", &st), 1);
    assert_true(st.volumes[0].quorum);
    assert_false(st.volumes[0].client);
}

static void test_local_disk_states(void **state)
{
    static const struct {
        const char *file;
        drbd_disk disk;
    } cases[] = {
        { "outdated-alone.json", DRBD_DISK_OUTDATED },
        { "local-attaching.json", DRBD_DISK_ATTACHING },
        { "local-failed.json", DRBD_DISK_FAILED },
        { "local-consistent.json", DRBD_DISK_CONSISTENT },
        { "local-inconsistent.json", DRBD_DISK_INCONSISTENT },
        { "diskless-client.json", DRBD_DISK_DISKLESS },
    };
    drbd_status st;

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(parse(cases[i].file, "r0", &st), 1);
        assert_int_equal(st.volumes[0].disk, cases[i].disk);
    }
    assert_int_equal(parse("diskless-client.json", "r0", &st), 1);
    assert_true(st.volumes[0].client);
}

static void test_three_nodes_two_volumes(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("three-nodes-one-lost.json", "r0", &st), 1);
    assert_int_equal(st.n_peers, 2);
    assert_string_equal(st.peers[0].name, "node2");
    assert_int_equal(st.peers[0].conn, DRBD_CONN_CONNECTED);
    assert_string_equal(st.peers[1].name, "node3");
    assert_int_equal(st.peers[1].node_id, 2);
    assert_int_equal(st.peers[1].conn, DRBD_CONN_CONNECTING);

    assert_int_equal(parse("two-volumes-one-outdated.json", "r0", &st), 1);
    assert_int_equal(st.n_volumes, 2);
    assert_int_equal(st.volumes[0].disk, DRBD_DISK_UPTODATE);
    assert_int_equal(st.volumes[1].volume, 1);
    assert_int_equal(st.volumes[1].disk, DRBD_DISK_OUTDATED);
    assert_int_equal(st.peers[0].n_volumes, 2);
}

static void test_which_resource(void **state)
{
    drbd_status st;

    (void) state;
    assert_int_equal(parse("two-resources.json", "r1", &st), 1);
    assert_string_equal(st.name, "r1");
    assert_int_equal(st.volumes[0].minor, 1);
    assert_int_equal(parse("two-resources.json", "r0", &st), 1);
    assert_string_equal(st.name, "r0");
    /* Down here: not in the list, and st is left alone. */
    memset(&st, 0x5a, sizeof(st));
    assert_int_equal(parse("two-resources.json", "r2", &st), 0);
    assert_int_equal(parse("none-up.json", "r0", &st), 0);
    assert_int_equal(((unsigned char *) &st)[0], 0x5a);
}

static void test_refused(void **state)
{
    static const char *const bad[] = {
        "garbage.txt", "not-an-array.json", "missing-disk-state.json",
        "wrong-type.json", "truncated.json",
    };
    drbd_status st;
    char err[256];

    (void) state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&st, 0x5a, sizeof(st));
        assert_int_equal(parse(bad[i], "r0", &st), -EBADMSG);
        assert_int_equal(((unsigned char *) &st)[0], 0x5a);
    }
    assert_int_equal(drbd_status_parse("", "r0", &st, err, sizeof(err)), -EBADMSG);
    assert_int_equal(drbd_status_parse(NULL, "r0", &st, err, sizeof(err)), -EBADMSG);
    assert_int_equal(drbd_status_parse("[] []", "r0", &st, err, sizeof(err)), -EBADMSG);
    assert_int_equal(drbd_status_parse("[1]", "r0", &st, err, sizeof(err)), -EBADMSG);
    assert_int_equal(drbd_status_parse("[{\"name\": 5}]", "r0", &st, err, sizeof(err)), -EBADMSG);
    assert_non_null(strstr(err, "no name"));
    assert_int_equal(drbd_status_parse("[]\n", "r0", &st, err, sizeof(err)), 0);
    /* The reason names the field. */
    {
        char *json = read_fixture("missing-disk-state.json");

        assert_int_equal(drbd_status_parse(json, "r0", &st, err, sizeof(err)), -EBADMSG);
        assert_non_null(strstr(err, "disk-state"));
        free(json);
    }
}

static void test_too_many_volumes(void **state)
{
    char json[8192];
    size_t off = 0;
    drbd_status st;

    (void) state;
    off += (size_t) snprintf(json + off, sizeof(json) - off,
                             "[{\"name\":\"r0\",\"node-id\":0,\"role\":\"Secondary\",\"devices\":[");
    for (int i = 0; i <= DRBD_MAX_VOLUMES; i++)
        off += (size_t) snprintf(json + off, sizeof(json) - off,
                                 "%s{\"volume\":%d,\"minor\":%d,\"disk-state\":\"UpToDate\"}",
                                 i ? "," : "", i, i);
    snprintf(json + off, sizeof(json) - off, "],\"connections\":[]}]");
    assert_int_equal(drbd_status_parse(json, "r0", &st, NULL, 0), -E2BIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_round_trip),
        cmocka_unit_test(test_secondary_uptodate),
        cmocka_unit_test(test_primary),
        cmocka_unit_test(test_peer_lost),
        cmocka_unit_test(test_resync),
        cmocka_unit_test(test_split_brain),
        cmocka_unit_test(test_quorum_suspended),
        cmocka_unit_test(test_local_disk_states),
        cmocka_unit_test(test_three_nodes_two_volumes),
        cmocka_unit_test(test_which_resource),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_too_many_volumes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
