/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of agents/ntp/ntp-chrony.c: chronyc -c tracking / sources, as chrony 4.3 prints them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "ntp-chrony.h"

/* A server of its own clock (local stratum 8), then a follower synchronised to it. */
#define TRACKING_LOCAL \
    "7F7F0101,,8,1795634778.322418371,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000," \
    "0.000000000,0.000000000,0.0,Normal\n"
#define TRACKING_FOLLOWER \
    "7F000001,127.0.0.1,9,1795634779.100000000,-0.000004017,-0.000003000,0.000005000,-1.234," \
    "0.001,0.100,0.000045000,0.000120000,0.1,Normal\n"
#define TRACKING_FRESH \
    "00000000,,0,0.000000000,0.000000000,0.000000000,0.000000000,0.000,0.000,0.000," \
    "1.000000000,1.000000000,0.0,Not synchronised\n"
#define SOURCES_SYNCED "^,*,127.0.0.1,8,-2,17,0,0.000014655,0.000015224,0.000020839\n"

static void test_tracking_local(void **state)
{
    ntp_tracking t;

    (void) state;
    assert_int_equal(ntp_tracking_parse(TRACKING_LOCAL, &t), 0);
    assert_int_equal(t.ref_id, NTP_REFID_LOCAL);
    assert_string_equal(t.ref_name, "");
    assert_int_equal(t.stratum, 8);
    assert_int_equal(t.leap, NTP_LEAP_NORMAL);
    assert_true(t.offset_s == 0.0);
}

static void test_tracking_follower(void **state)
{
    ntp_tracking t;

    (void) state;
    assert_int_equal(ntp_tracking_parse(TRACKING_FOLLOWER, &t), 0);
    assert_int_equal(t.ref_id, 0x7F000001u);
    assert_string_equal(t.ref_name, "127.0.0.1");
    assert_int_equal(t.stratum, 9);
    assert_true(t.offset_s < -0.000004 && t.offset_s > -0.0000041);
    assert_true(t.root_delay_s > 0.000044 && t.root_delay_s < 0.000046);
    assert_int_equal(t.leap, NTP_LEAP_NORMAL);
}

static void test_tracking_unsync(void **state)
{
    ntp_tracking t;

    (void) state;
    assert_int_equal(ntp_tracking_parse(TRACKING_FRESH, &t), 0);
    assert_int_equal(t.leap, NTP_LEAP_UNSYNC);
    assert_int_equal(t.stratum, 0);
    assert_string_equal(ntp_leap_str(t.leap), "Not synchronised");
    /* No line end is fine too, and the other leap states parse. */
    assert_int_equal(ntp_tracking_parse("7F7F0101,,8,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Insert second", &t), 0);
    assert_int_equal(t.leap, NTP_LEAP_INSERT);
}

static void test_tracking_malformed(void **state)
{
    ntp_tracking t = { .stratum = 42 };

    (void) state;
    assert_int_equal(ntp_tracking_parse("", &t), -EINVAL);
    assert_int_equal(ntp_tracking_parse(NULL, &t), -EINVAL);
    assert_int_equal(ntp_tracking_parse("506 Cannot talk to daemon\n", &t), -EINVAL);
    /* 13 fields */
    assert_int_equal(ntp_tracking_parse("7F7F0101,,8,1.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,Normal", &t), -EINVAL);
    /* unknown leap status, bad stratum, bad ref id, bad number */
    assert_int_equal(ntp_tracking_parse("7F7F0101,,8,1,0,0,0,0,0,0,0,0,0,Weird", &t), -EINVAL);
    assert_int_equal(ntp_tracking_parse("7F7F0101,,17,1,0,0,0,0,0,0,0,0,0,Normal", &t), -EINVAL);
    assert_int_equal(ntp_tracking_parse("XYZ,,8,1,0,0,0,0,0,0,0,0,0,Normal", &t), -EINVAL);
    assert_int_equal(ntp_tracking_parse("7F7F0101,,8,1,abc,0,0,0,0,0,0,0,0,Normal", &t), -EINVAL);
    /* two records */
    assert_int_equal(ntp_tracking_parse(TRACKING_LOCAL TRACKING_LOCAL, &t), -EINVAL);
    assert_int_equal(t.stratum, 42);
}

static void test_sources(void **state)
{
    ntp_source *s = NULL;
    size_t n = 0;

    (void) state;
    assert_int_equal(ntp_sources_parse(SOURCES_SYNCED
                                       "^,?,192.0.2.1,0,6,0,-,0.000000000,0.000000000,0.000000000\n"
                                       "=,x,2001:db8::1,3,10,377,1234,-0.5,0.1,0.2\n", &s, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(s[0].mode, '^');
    assert_int_equal(s[0].state, '*');
    assert_string_equal(s[0].address, "127.0.0.1");
    assert_int_equal(s[0].stratum, 8);
    assert_int_equal(s[0].poll, -2);
    assert_int_equal(s[0].reach, 017);
    assert_int_equal(s[0].last_rx_s, 0);
    assert_int_equal(s[1].state, '?');
    assert_int_equal(s[1].reach, 0);
    assert_int_equal(s[1].last_rx_s, -1);
    assert_int_equal(s[2].mode, '=');
    assert_string_equal(s[2].address, "2001:db8::1");
    assert_int_equal(s[2].reach, 0377);
    assert_int_equal(s[2].last_rx_s, 1234);
    assert_true(s[2].offset_s == -0.5);
    free(s);
    /* Right after start, before the first sample (chronyd 4.3). */
    assert_int_equal(ntp_sources_parse("^,?,127.0.0.1,0,0,0,4294967295,0.000000000,0.000000000,0.000000000\n",
                                       &s, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].last_rx_s, -1);
    assert_int_equal(s[0].reach, 0);
    free(s);
}

static void test_sources_empty(void **state)
{
    ntp_source *s = (ntp_source *) 1;
    size_t n = 7;

    (void) state;
    /* A `local`-only server has no sources: chronyc prints nothing. */
    assert_int_equal(ntp_sources_parse("", &s, &n), 0);
    assert_int_equal(n, 0);
    assert_null(s);
    assert_int_equal(ntp_sources_parse("\n", &s, &n), 0);
    assert_int_equal(n, 0);
}

static void test_sources_malformed(void **state)
{
    ntp_source *s = NULL;
    size_t n = 99;

    (void) state;
    assert_int_equal(ntp_sources_parse(SOURCES_SYNCED "^,*,1.2.3.4,8,-2,17\n", &s, &n), -EINVAL);
    assert_int_equal(ntp_sources_parse("^,!,1.2.3.4,8,-2,17,0,0,0,0\n", &s, &n), -EINVAL);
    assert_int_equal(ntp_sources_parse("^,*,1.2.3.4,8,-2,8,0,0,0,0\n", &s, &n), -EINVAL); /* not octal */
    assert_int_equal(ntp_sources_parse("^,*,1.2.3.4,8,-2,400,0,0,0,0\n", &s, &n), -EINVAL);
    assert_int_equal(ntp_sources_parse("^,*,1.2.3.4,8,x,17,0,0,0,0\n", &s, &n), -EINVAL);
    assert_int_equal(n, 99);
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tracking_local),
        cmocka_unit_test(test_tracking_follower),
        cmocka_unit_test(test_tracking_unsync),
        cmocka_unit_test(test_tracking_malformed),
        cmocka_unit_test(test_sources),
        cmocka_unit_test(test_sources_empty),
        cmocka_unit_test(test_sources_malformed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
