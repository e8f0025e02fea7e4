/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests of agents/ntp/ntp-config.c: parameter checks and the chrony.conf of each role. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ntp-config.h"

static ntp_config base(void)
{
    return (ntp_config) {
        .dir = "/run/baton/ntp/ntp1",
        .upstream_servers = "0.debian.pool.ntp.org  192.0.2.1",
        .primary_address = "198.51.100.10",
        .primary_port = 123,
        .primary_poll = 4,
        .port = 123,
        .bind_address = "",
        .allow = "all",
        .local_stratum = 10,
        .stratum_offset = 1,
        .makestep = "",
    };
}

static void test_word(void **state)
{
    (void) state;
    assert_true(ntp_word_ok("ntp.example.org", false));
    assert_true(ntp_word_ok("2001:db8::1", false));
    assert_true(ntp_word_ok("fe80::1%eth0", false));
    assert_true(ntp_word_ok("192.0.2.0/24", true));
    assert_false(ntp_word_ok("192.0.2.0/24", false));
    assert_false(ntp_word_ok("", false));
    assert_false(ntp_word_ok("-x", false));
    assert_false(ntp_word_ok("a\nlocal", false));
    assert_false(ntp_word_ok("a;b", false));
    assert_false(ntp_word_ok("a b", false));
}

static void test_check(void **state)
{
    ntp_config c = base();
    char reason[256];

    (void) state;
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), 0);
    c.upstream_servers = "good.example.org bad\"name";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    assert_non_null(strstr(reason, "upstream_servers"));
    c = base();
    c.primary_address = "a b";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    assert_non_null(strstr(reason, "primary_address"));
    /* Hostile or nonsense server names, and a server that would read as an option. */
    c = base();
    c.upstream_servers = "ntp.example.org %s%n";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    assert_non_null(strstr(reason, "'%s%n' is not a host name"));
    c.upstream_servers = "18446744073709551616";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    c.upstream_servers = "-x";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    c.upstream_servers = "fe80::1%eth0 2001:db8::1 0.pool.ntp.org";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), 0);
    c = base();
    c.primary_address = "%n";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    assert_non_null(strstr(reason, "primary_address"));
    c = base();
    c.bind_address = "ntp.example.org";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    assert_non_null(strstr(reason, "bind_address"));
    c = base();
    c.allow = "192.0.2.0/24 2001:db8::/32";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), 0);
    c.allow = "192.0.2.0/24\nmakestep 1 -1";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    c = base();
    c.primary_address = "";
    c.upstream_servers = "  ";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    assert_non_null(strstr(reason, "primary_address or upstream_servers"));
    c = base();
    c.makestep = "1.0 3";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), 0);
    c.makestep = "1.0";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    c.makestep = "1.0 3\nlocal";
    assert_int_equal(ntp_config_check(&c, reason, sizeof(reason)), -EINVAL);
    assert_non_null(strstr(reason, "makestep"));
}

static void test_role(void **state)
{
    ntp_role r = NTP_ROLE_UNPROMOTED;

    (void) state;
    assert_int_equal(ntp_role_parse("promoted", &r), 0);
    assert_int_equal(r, NTP_ROLE_PROMOTED);
    assert_string_equal(ntp_role_str(r), "promoted");
    assert_int_equal(ntp_role_parse("Master", &r), -EINVAL);
    assert_int_equal(ntp_role_parse(ntp_role_str(NTP_ROLE_UNPROMOTED), &r), 0);
    assert_int_equal(r, NTP_ROLE_UNPROMOTED);
}

static void test_render_promoted(void **state)
{
    ntp_config c = base();
    char *text = ntp_config_render(&c, NTP_ROLE_PROMOTED);

    (void) state;
    assert_non_null(text);
    /* root's directory holds the pid file; chronyd's own subdirectory what its user writes */
    assert_non_null(strstr(text, "\npidfile /run/baton/ntp/ntp1/chronyd.pid\n"));
    assert_non_null(strstr(text, "\ndriftfile /run/baton/ntp/ntp1/chronyd/chrony.drift\n"));
    assert_non_null(strstr(text, "\ndumpdir /run/baton/ntp/ntp1/chronyd\n"));
    assert_non_null(strstr(text, "\ncmdport 0\nbindcmdaddress /run/baton/ntp/ntp1/chronyd/chronyd.sock\n"));
    assert_non_null(strstr(text, "\nport 123\n"));
    assert_non_null(strstr(text, "\nallow all\n"));
    assert_non_null(strstr(text, "\nserver 0.debian.pool.ntp.org iburst\nserver 192.0.2.1 iburst\n"));
    /* The primary does not follow itself. */
    assert_null(strstr(text, "198.51.100.10"));
    assert_non_null(strstr(text, "\nlocal stratum 10 orphan\n"));
    assert_null(strstr(text, "makestep"));
    assert_null(strstr(text, "bindaddress"));
    free(text);
}

static void test_render_unpromoted(void **state)
{
    ntp_config c = base();
    char *text;

    (void) state;
    c.upstream_servers = "";
    c.primary_port = 11123;
    c.primary_poll = -2;
    c.port = 11124;
    c.bind_address = "127.0.0.1";
    c.allow = "127.0.0.1 192.0.2.0/24";
    c.makestep = "1.0 3";
    c.local_stratum = 15;
    text = ntp_config_render(&c, NTP_ROLE_UNPROMOTED);
    assert_non_null(text);
    assert_non_null(strstr(text, "\nserver 198.51.100.10 port 11123 iburst minpoll -2 maxpoll -2 prefer\n"));
    assert_null(strstr(text, "\nserver 0."));
    assert_non_null(strstr(text, "\nport 11124\nbindaddress 127.0.0.1\n"));
    assert_non_null(strstr(text, "\nallow 127.0.0.1\nallow 192.0.2.0/24\n"));
    /* 15 + 1 is capped: 16 would mean unsynchronised. */
    assert_non_null(strstr(text, "\nlocal stratum 15 orphan\n"));
    assert_non_null(strstr(text, "\nmakestep 1.0 3\n"));
    free(text);
    c.local_stratum = 10;
    c.stratum_offset = 2;
    assert_int_equal(ntp_config_fallback_stratum(&c, NTP_ROLE_UNPROMOTED), 12);
    assert_int_equal(ntp_config_fallback_stratum(&c, NTP_ROLE_PROMOTED), 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_word),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_role),
        cmocka_unit_test(test_render_promoted),
        cmocka_unit_test(test_render_unpromoted),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
