/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <baton/log.h>

/* Run fn with stderr redirected to a buffer; returns what it printed. */
static char *capture_stderr(void (*fn)(void))
{
    char path[] = "/tmp/baton-test-log-XXXXXX";
    int fd = mkstemp(path);
    int saved = dup(STDERR_FILENO);
    static char buf[8192];
    ssize_t n;

    assert_true(fd >= 0 && saved >= 0);
    unlink(path);
    fflush(stderr);
    assert_true(dup2(fd, STDERR_FILENO) >= 0);
    fn();
    fflush(stderr);
    assert_true(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    assert_true(lseek(fd, 0, SEEK_SET) == 0);
    n = read(fd, buf, sizeof(buf) - 1);
    assert_true(n >= 0);
    buf[n] = '\0';
    close(fd);
    return buf;
}

static void log_some(void)
{
    baton_info("hello %d", 42);
    baton_debug("hidden unless HA_debug");
    baton_err("broken");
}

static void test_tag_and_levels(void **state)
{
    char *out;

    (void) state;
    unsetenv("HA_debug");
    baton_log_set_targets(true, false);
    baton_log_open("vip", "vip1");
    assert_string_equal(baton_log_tag(), "baton-vip(vip1)");
    out = capture_stderr(log_some);
    assert_non_null(strstr(out, "baton-vip(vip1): INFO: hello 42\n"));
    assert_non_null(strstr(out, "baton-vip(vip1): ERROR: broken\n"));
    assert_null(strstr(out, "hidden"));
}

static void test_debug_follows_ha_debug(void **state)
{
    char *out;

    (void) state;
    setenv("HA_debug", "1", 1);
    baton_log_open("vip", NULL);        /* re-reads HA_debug */
    assert_string_equal(baton_log_tag(), "baton-vip");
    assert_true(baton_log_debug_enabled());
    out = capture_stderr(log_some);
    assert_non_null(strstr(out, "baton-vip: DEBUG: hidden unless HA_debug\n"));

    setenv("HA_debug", "0", 1);
    baton_log_open("vip", NULL);
    assert_false(baton_log_debug_enabled());
    unsetenv("HA_debug");
}

static void test_stderr_can_be_silenced(void **state)
{
    char *out;

    (void) state;
    baton_log_set_targets(false, false);
    out = capture_stderr(log_some);
    assert_string_equal(out, "");
    baton_log_set_targets(true, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tag_and_levels),
        cmocka_unit_test(test_debug_follows_ha_debug),
        cmocka_unit_test(test_stderr_can_be_silenced),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
