/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plugin loader's ABI checks, against descriptors in memory and against
 * real modules built with the wrong major, an older struct, a newer minor,
 * no entry point; plus the example third-party plugin. Also the secret
 * sources, which sit next to the loader in the front end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stonith/stonith-internal.h"
#include "tests/stonith/fake-plugin.h"

#ifndef TEST_PLUGIN_DIR
#error "TEST_PLUGIN_DIR: where the test modules are built"
#endif

static void expect_abi_error(const baton_stonith_plugin *p, uint32_t needed_minor, const char *needle)
{
    char *reason = NULL;

    assert_int_equal(baton__stonith_abi_check(p, needed_minor, &reason), -EPROTO);
    assert_non_null(reason);
    if (!strstr(reason, needle))
        fail_msg("reason '%s' lacks '%s'", reason, needle);
    free(reason);
}

static void test_abi_check_pure(void **state)
{
    baton_stonith_plugin p = fake_plugin;
    char *reason = NULL;

    (void) state;
    assert_int_equal(baton__stonith_abi_check(&fake_plugin, 0, &reason), 0);
    expect_abi_error(NULL, 0, "no descriptor");
    p.abi_major = BATON_STONITH_ABI_MAJOR + 1;
    expect_abi_error(&p, 0, "plugin ABI 2.");
    p = fake_plugin;
    /* a loader that reads fields of a newer minor refuses an older plugin */
    expect_abi_error(&p, BATON_STONITH_ABI_MINOR + 1, "older than");
    /* shorter than the 1.0 fields (a 1.0 plugin lacks the 1.1 ones, and loads) */
    p.struct_size = BATON__STONITH_PLUGIN_SIZE_1_0 - sizeof(void *);
    expect_abi_error(&p, 0, "bytes");
    p = fake_plugin;
    p.param_size = 8;
    expect_abi_error(&p, 0, "parameter entries");
    p = fake_plugin;
    p.status = NULL;
    expect_abi_error(&p, 0, "mandatory operation");
    p = fake_plugin;
    p.name = "";
    expect_abi_error(&p, 0, "no name");
    /* newer minor, bigger struct: fine */
    p = fake_plugin;
    p.abi_minor = 42;
    p.struct_size += 64;
    assert_int_equal(baton__stonith_abi_check(&p, 0, &reason), 0);
}

/*
 * A descriptor of exactly the 1.0 size, ending at an inaccessible page: a
 * loader that reads one byte past what the plugin declared crashes here.
 */
static baton_stonith_plugin *descriptor_1_0_at_page_end(void **ret_map, size_t *ret_len)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t len = 2 * (size_t) page;
    char *map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    baton_stonith_plugin *p;

    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + page, (size_t) page, PROT_NONE), 0);
    p = (baton_stonith_plugin *) (map + page - BATON__STONITH_PLUGIN_SIZE_1_0);
    assert_int_equal((uintptr_t) p % _Alignof(baton_stonith_plugin), 0);
    memcpy(p, &fake_plugin, BATON__STONITH_PLUGIN_SIZE_1_0);
    p->abi_minor = 0;
    p->struct_size = BATON__STONITH_PLUGIN_SIZE_1_0;
    *ret_map = map;
    *ret_len = len;
    return p;
}

/*
 * stonith.h promises that a plugin built for an older minor loads in a
 * newer front end. Stand in for a 1.1 host: its descriptor has fields
 * appended that a 1.0 plugin does not have; they must read as NULL/0, and
 * the 1.0 descriptor must not be read past its end.
 */
static void test_older_plugin_in_newer_host(void **state)
{
    struct host_plugin_1_1 {
        baton_stonith_plugin v1_0;
        baton_stonith_result (*newer_op)(baton_stonith_device *device, baton_stonith_call *call);
        uint32_t newer_flags;
    } host;
    baton__stonith_module *m = NULL;
    char *reason = NULL;
    void *map;
    size_t len;
    baton_stonith_plugin *p = descriptor_1_0_at_page_end(&map, &len);

    (void) state;
    /* the check asks for the 1.0 fields, not for the host's whole struct */
    assert_int_equal(baton__stonith_abi_check(p, 0, &reason), 0);
    memset(&host, 0xa5, sizeof(host));
    baton__stonith_plugin_copy(p, &host, sizeof(host));
    assert_null(host.newer_op);
    assert_int_equal(host.newer_flags, 0);
    assert_string_equal(host.v1_0.name, fake_plugin.name);
    assert_ptr_equal(host.v1_0.monitor, fake_plugin.monitor);
    assert_ptr_equal(host.v1_0.params, fake_plugin.params);
    assert_int_equal(host.v1_0.struct_size, BATON__STONITH_PLUGIN_SIZE_1_0);
    /* and through the real loader path */
    assert_int_equal(baton__stonith_module_from_plugin(p, &m, &reason), 0);
    assert_string_equal(m->plugin->name, fake_plugin.name);
    assert_ptr_equal(m->plugin->monitor, fake_plugin.monitor);
    /* the 1.1 fields a 1.0 plugin lacks: no diag, no standard table */
    assert_null(m->plugin->diag);
    assert_null(m->plugin->standard_agent);
    assert_null(m->standard);
    assert_int_equal(m->n_standard, 0);
    m = baton__stonith_module_free(m);
    /* a 1.1 plugin's table is copied */
    assert_int_equal(baton__stonith_module_from_plugin(&fake_plugin, &m, &reason), 0);
    assert_int_equal(m->n_standard, 5);
    assert_string_equal(m->standard[0].name, "bridge");
    assert_ptr_equal(m->plugin->diag, fake_plugin.diag);
    m = baton__stonith_module_free(m);
    /* one byte short of 1.0 is still refused */
    p->struct_size = BATON__STONITH_PLUGIN_SIZE_1_0 - 1;
    expect_abi_error(p, 0, "bytes");
    assert_int_equal(munmap(map, len), 0);
}

static void expect_load_error(const char *name, int err, const char *needle)
{
    baton__stonith_module *m = NULL;
    char *reason = NULL;

    assert_int_equal(baton__stonith_module_load(TEST_PLUGIN_DIR, name, &m, &reason), err);
    assert_null(m);
    assert_non_null(reason);
    if (!strstr(reason, needle))
        fail_msg("%s: reason '%s' lacks '%s'", name, reason, needle);
    free(reason);
}

static void test_load_modules(void **state)
{
    baton__stonith_module *m = NULL;
    char *reason = NULL;

    (void) state;
    expect_load_error("abi-major", -EPROTO, "plugin ABI 2.");
    expect_load_error("abi-small", -EPROTO, "bytes");
    expect_load_error("abi-noentry", -EPROTO, "no entry point");
    expect_load_error("abi-null", -EPROTO, "no descriptor");
    expect_load_error("abi-misnamed", -EPROTO, "calls itself");
    expect_load_error("does-not-exist", -ENOENT, "cannot load plugin");
    expect_load_error("../escape", -EINVAL, "invalid plugin name");
    /* a plugin from a newer minor, with fields we do not know, loads */
    assert_int_equal(baton__stonith_module_load(TEST_PLUGIN_DIR, "abi-future", &m, &reason), 0);
    assert_string_equal(m->plugin->name, "abi-future");
    assert_int_equal(m->n_params, 1);
    m = baton__stonith_module_free(m);
}

static void test_load_example(void **state)
{
    baton__stonith_module *m = NULL;
    baton__fence_table *t = NULL;
    char *reason = NULL;

    (void) state;
    assert_int_equal(baton__stonith_module_load(TEST_PLUGIN_DIR, "example", &m, &reason), 0);
    assert_string_equal(m->plugin->name, "example");
    assert_true(m->plugin->flags & BATON_STONITH_F_PLUG);
    assert_int_equal(m->n_params, 2);
    assert_string_equal(m->params[0].name, "state_dir");
    assert_int_equal(baton__fence_table_build(m, &t, &reason), 0);
    assert_non_null(baton__fence_table_find(t, "password_file"));
    /* no reboot of its own: no method parameter */
    assert_null(baton__fence_table_find(t, "method"));
    baton__fence_table_free(t);
    baton__stonith_module_free(m);
}

static void test_plugin_dir_env(void **state)
{
    (void) state;
    setenv("BATON_STONITH_PLUGIN_DIR", "/tmp/x", 1);
    assert_string_equal(baton__stonith_plugin_dir(), "/tmp/x");
    unsetenv("BATON_STONITH_PLUGIN_DIR");
    assert_non_null(strstr(baton__stonith_plugin_dir(), "baton/stonith"));
}

static void test_secret_file(void **state)
{
    char path[] = "/tmp/baton-test-pw-XXXXXX";
    int fd = mkstemp(path);
    char *secret = NULL, *warning = NULL, *reason = NULL;

    (void) state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "hunter2\r\nsecond line\n", 21), 21);
    close(fd);
    assert_int_equal(chmod(path, 0600), 0);
    assert_int_equal(baton__secret_from_file(path, &secret, &warning, &reason), 0);
    assert_string_equal(secret, "hunter2");
    assert_null(warning);
    free(secret);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(baton__secret_from_file(path, &secret, &warning, &reason), 0);
    assert_non_null(warning);
    assert_non_null(strstr(warning, "readable by others"));
    free(secret);
    free(warning);
    unlink(path);
    assert_int_equal(baton__secret_from_file(path, &secret, NULL, &reason), -ENOENT);
    assert_non_null(reason);
    free(reason);
}

static void test_secret_script(void **state)
{
    char path[] = "/tmp/baton-test-pwscript-XXXXXX";
    char cmdline[128];
    char *secret = NULL, *reason = NULL;
    int fd;

    (void) state;
    /* the first output line; quoting as the shell does it */
    assert_int_equal(baton__secret_from_script("printf '%s\\n%s' 'pw with space' ';rm'",
                                               baton_deadline_in(5000), &secret, &reason), 0);
    assert_string_equal(secret, "pw with space");
    free(secret);
    /*
     * A script without "#!": fence-agents runs it through /bin/sh (os.popen),
     * so configurations rely on it. exec() alone failed with ENOEXEC, which
     * came out as "not-found (exit status 0)".
     */
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "echo pw-no-shebang\n", 19), 19);
    assert_int_equal(fchmod(fd, 0700), 0);
    assert_int_equal(close(fd), 0);
    assert_int_equal(baton__secret_from_script(path, baton_deadline_in(5000), &secret, &reason), 0);
    assert_string_equal(secret, "pw-no-shebang");
    free(secret);
    /* shell syntax, as fence-agents allows it */
    snprintf(cmdline, sizeof(cmdline), "%s | tr a-z A-Z", path);
    assert_int_equal(baton__secret_from_script(cmdline, baton_deadline_in(5000), &secret, &reason), 0);
    assert_string_equal(secret, "PW-NO-SHEBANG");
    free(secret);
    unlink(path);
    assert_int_equal(baton__secret_from_script("false", baton_deadline_in(5000), &secret, &reason),
                     -EIO);
    assert_non_null(reason);
    free(reason);
    reason = NULL;
    assert_true(baton__secret_from_script("/nonexistent/pw-script", baton_deadline_in(5000),
                                          &secret, &reason) < 0);
    assert_non_null(reason);
    if (!strstr(reason, "status 127: command not found"))
        fail_msg("reason '%s' does not say why the script did not run", reason);
    free(reason);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_abi_check_pure),
        cmocka_unit_test(test_older_plugin_in_newer_host),
        cmocka_unit_test(test_load_modules),
        cmocka_unit_test(test_load_example),
        cmocka_unit_test(test_plugin_dir_env),
        cmocka_unit_test(test_secret_file),
        cmocka_unit_test(test_secret_script),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
