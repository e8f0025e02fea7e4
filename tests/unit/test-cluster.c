/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cluster helpers against stand-ins for Pacemaker's tools (shell
 * scripts in a temporary BATON_PCMK_TOOLS_DIR that record their argv and
 * answer like the real ones), so the exact command lines, the parsing of
 * answers and the deadline are checked without a cluster.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <baton/cluster.h>
#include <baton/fileio.h>

#include "util-internal.h"

static char tools_dir[] = "/tmp/baton-test-cluster-XXXXXX";

static void write_tool(const char *name, const char *body)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tools_dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    /* Record argv one per line next to the tool, then act. */
    fprintf(f, "#!/bin/sh\nd=$(dirname \"$0\")\nprintf '%%s\\n' \"$@\" > \"$d/%s.args\"\n%s\n",
            name, body);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, 0755), 0);
}

static char *read_args(const char *name)
{
    static char buf[4096];
    char path[256];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/%s.args", tools_dir, name);
    f = fopen(path, "r");
    assert_non_null(f);
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static int setup(void **state)
{
    (void) state;
    if (!mkdtemp(tools_dir))
        return -1;
    baton__test_env_allow(true);
    setenv("BATON_PCMK_TOOLS_DIR", tools_dir, 1);
    unsetenv("OCF_RESKEY_CRM_meta_on_node");
    return 0;
}

static int teardown(void **state)
{
    char cmd[512];

    (void) state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tools_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_resource_base(void **state)
{
    char *s;

    (void) state;
    s = baton_cluster_resource_base("drbd0:1");
    assert_string_equal(s, "drbd0");
    free(s);
    s = baton_cluster_resource_base("web");
    assert_string_equal(s, "web");
    free(s);
    /* Only a number after the colon is a clone instance. */
    s = baton_cluster_resource_base("odd:name");
    assert_string_equal(s, "odd:name");
    free(s);
    s = baton_cluster_resource_base("ends:");
    assert_string_equal(s, "ends:");
    free(s);
}

static void test_tools_dir(void **state)
{
    (void) state;
    assert_string_equal(baton_cluster_tools_dir(), tools_dir);
}

static void test_local_node(void **state)
{
    char *name = NULL;

    (void) state;
    write_tool("crm_node", "echo node-from-tool");
    assert_int_equal(baton_cluster_local_node(baton_deadline_in(5000), &name), 0);
    assert_string_equal(name, "node-from-tool");
    assert_string_equal(read_args("crm_node"), "-n\n");
    free(name);

    /* What Pacemaker says wins, without running anything. */
    setenv("OCF_RESKEY_CRM_meta_on_node", "node-from-env", 1);
    assert_int_equal(baton_cluster_local_node(baton_deadline_in(5000), &name), 0);
    assert_string_equal(name, "node-from-env");
    free(name);
    unsetenv("OCF_RESKEY_CRM_meta_on_node");

    /* No cluster at all: the host name. */
    write_tool("crm_node", "exit 1");
    assert_int_equal(baton_cluster_local_node(baton_deadline_in(5000), &name), 0);
    assert_true(strlen(name) > 0);
    assert_null(strchr(name, '.'));
    free(name);
}

static void test_node_attr(void **state)
{
    char *value = NULL;

    (void) state;
    write_tool("attrd_updater", "echo 'name=\"health\" host=\"n1\" value=\"green\"'");
    assert_int_equal(baton_node_attr_set("health", "green", NULL, baton_deadline_in(5000)), 0);
    assert_string_equal(read_args("attrd_updater"), "--name\nhealth\n--update\ngreen\n");
    assert_int_equal(baton_node_attr_set("health", NULL, "n2", baton_deadline_in(5000)), 0);
    assert_string_equal(read_args("attrd_updater"), "--name\nhealth\n--delete\n--node\nn2\n");

    assert_int_equal(baton_node_attr_get("health", NULL, baton_deadline_in(5000), &value), 0);
    assert_string_equal(read_args("attrd_updater"), "--query\n--name\nhealth\n");
    assert_string_equal(value, "green");
    free(value);

    write_tool("attrd_updater", "echo 'name=\"health\" host=\"n1\" value=\"\"'");
    value = (char *) 1;
    assert_int_equal(baton_node_attr_get("health", NULL, baton_deadline_in(5000), &value), 0);
    assert_null(value);

    write_tool("attrd_updater", "echo garbage");
    assert_int_equal(baton_node_attr_get("health", NULL, baton_deadline_in(5000), &value),
                     -EBADMSG);
    write_tool("attrd_updater", "echo 'Could not connect' >&2; exit 102");
    assert_int_equal(baton_node_attr_set("health", "x", NULL, baton_deadline_in(5000)), -EIO);
}

static void test_cib_query(void **state)
{
    char *xml = NULL;

    (void) state;
    write_tool("cibadmin", "echo '<cib><configuration/></cib>'");
    assert_int_equal(baton_cib_query(baton_deadline_in(5000), &xml), 0);
    assert_string_equal(read_args("cibadmin"), "--query\n");
    assert_string_equal(xml, "<cib><configuration/></cib>\n");
    free(xml);
    write_tool("cibadmin", "echo 'Could not connect' >&2; exit 102");
    xml = NULL;
    assert_int_equal(baton_cib_query(baton_deadline_in(5000), &xml), -EIO);
    assert_null(xml);
}

static void test_promotion_score(void **state)
{
    bool set = false;
    int score = 0;

    (void) state;
    write_tool("crm_attribute", "exit 0");
    assert_int_equal(baton_promotion_score_set("ldap:1", 100, baton_deadline_in(5000)), 0);
    assert_string_equal(read_args("crm_attribute"),
                        "--promotion=ldap\n--lifetime\nreboot\n--update\n100\n");
    assert_int_equal(baton_promotion_score_delete("ldap:0", baton_deadline_in(5000)), 0);
    assert_string_equal(read_args("crm_attribute"), "--promotion=ldap\n--lifetime\nreboot\n--delete\n");

    write_tool("crm_attribute", "echo 42");
    assert_int_equal(baton_promotion_score_get("ldap", baton_deadline_in(5000), &set, &score), 0);
    assert_true(set);
    assert_int_equal(score, 42);
    assert_string_equal(read_args("crm_attribute"),
                        "--promotion=ldap\n--lifetime\nreboot\n--query\n--quiet\n");

    write_tool("crm_attribute", "echo INFINITY");
    assert_int_equal(baton_promotion_score_get("ldap", baton_deadline_in(5000), &set, &score), 0);
    assert_int_equal(score, BATON_SCORE_INFINITY);
    write_tool("crm_attribute", "echo -INFINITY");
    assert_int_equal(baton_promotion_score_get("ldap", baton_deadline_in(5000), &set, &score), 0);
    assert_int_equal(score, -BATON_SCORE_INFINITY);

    /* crm_attribute exits 105 (no such object) when there is no score. */
    write_tool("crm_attribute", "exit 105");
    assert_int_equal(baton_promotion_score_get("ldap", baton_deadline_in(5000), &set, &score),
                     -ENOENT);
    assert_false(set);
}

static int count_calls(void)
{
    char path[256];
    FILE *f;
    int n = 0, c;

    snprintf(path, sizeof(path), "%s/calls", tools_dir);
    f = fopen(path, "r");
    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

/* The cache file's mtime, age_s seconds ago (negative: in the future). */
static void set_age(const char *path, long age_s)
{
    struct timespec t[2] = { { .tv_sec = time(NULL) - age_s }, { .tv_sec = time(NULL) - age_s } };

    assert_int_equal(utimensat(AT_FDCWD, path, t, 0), 0);
}

static void test_promotion_score_update_only_on_change(void **state)
{
    char cache[256];

    (void) state;
    snprintf(cache, sizeof(cache), "%s/score-cache", tools_dir);
    write_tool("crm_attribute", "echo call >> \"$d/calls\"");

    /* No score since boot and none wanted: nothing to run. */
    assert_int_equal(baton_promotion_score_update("ntp", BATON_SCORE_NONE, cache,
                                                  baton_deadline_in(5000)), 0);
    assert_int_equal(count_calls(), 0);

    assert_int_equal(baton_promotion_score_update("ntp:1", 10, cache, baton_deadline_in(5000)), 1);
    assert_int_equal(count_calls(), 1);
    assert_string_equal(read_args("crm_attribute"),
                        "--promotion=ntp\n--lifetime\nreboot\n--update\n10\n");
    /* Unchanged: no fork. */
    assert_int_equal(baton_promotion_score_update("ntp:1", 10, cache, baton_deadline_in(5000)), 0);
    assert_int_equal(count_calls(), 1);
    assert_int_equal(baton_promotion_score_update("ntp:1", 20, cache, baton_deadline_in(5000)), 1);
    assert_int_equal(count_calls(), 2);
    assert_int_equal(baton_promotion_score_update("ntp:1", BATON_SCORE_NONE, cache,
                                                  baton_deadline_in(5000)), 1);
    assert_string_equal(read_args("crm_attribute"), "--promotion=ntp\n--lifetime\nreboot\n--delete\n");
    assert_int_equal(count_calls(), 3);

    /* A failed write is retried by the next call: the cache still says "none". */
    write_tool("crm_attribute", "echo call >> \"$d/calls\"; exit 1");
    assert_int_equal(baton_promotion_score_update("ntp", 30, cache, baton_deadline_in(5000)), -EIO);
    write_tool("crm_attribute", "echo call >> \"$d/calls\"");
    assert_int_equal(baton_promotion_score_update("ntp", 30, cache, baton_deadline_in(5000)), 1);
    assert_int_equal(count_calls(), 5);

    /* an unchanged score written BATON_SCORE_REFRESH_S ago is written again (the cluster
     * may have dropped it); one from the future too; "none" is not deleted again */
    set_age(cache, BATON_SCORE_REFRESH_S - 5);
    assert_int_equal(baton_promotion_score_update("ntp", 30, cache, baton_deadline_in(5000)), 0);
    assert_int_equal(count_calls(), 5);
    set_age(cache, BATON_SCORE_REFRESH_S);
    assert_int_equal(baton_promotion_score_update("ntp", 30, cache, baton_deadline_in(5000)), 1);
    assert_int_equal(count_calls(), 6);
    assert_int_equal(baton_promotion_score_update("ntp", 30, cache, baton_deadline_in(5000)), 0);
    assert_int_equal(count_calls(), 6);
    set_age(cache, -3600);
    assert_int_equal(baton_promotion_score_update("ntp", 30, cache, baton_deadline_in(5000)), 1);
    assert_int_equal(count_calls(), 7);
    assert_int_equal(baton_promotion_score_update("ntp", BATON_SCORE_NONE, cache, baton_deadline_in(5000)), 1);
    assert_int_equal(count_calls(), 8);
    set_age(cache, 10 * BATON_SCORE_REFRESH_S);
    assert_int_equal(baton_promotion_score_update("ntp", BATON_SCORE_NONE, cache, baton_deadline_in(5000)), 0);
    assert_int_equal(count_calls(), 8);
}

static void test_deadline_and_missing_tool(void **state)
{
    int64_t t0 = baton_now_ms();

    (void) state;
    write_tool("crm_attribute", "exec sleep 30");
    assert_int_equal(baton_promotion_score_set("ldap", 1, baton_deadline_in(300)), -ETIME);
    /* The deadline plus the kill grace, not the 30 s the tool wanted. */
    assert_true(baton_now_ms() - t0 < 3000);

    setenv("BATON_PCMK_TOOLS_DIR", "/nonexistent-baton-tools", 1);
    assert_int_equal(baton_node_attr_set("x", "1", NULL, baton_deadline_in(5000)), -ENOENT);
    setenv("BATON_PCMK_TOOLS_DIR", tools_dir, 1);
}

/* A variable alone does not redirect an installed agent: the suite's marker must exist. */
static void test_overrides_need_the_marker(void **state)
{
    struct stat st;

    (void) state;
    baton__test_env_allow(false);
    setenv("BATON_RUN_DIR", "/tmp/not-the-run-dir", 1);
    if (lstat(BATON__TEST_MARKER, &st) < 0) {
        assert_string_equal(baton_cluster_tools_dir(), "/usr/sbin");
        assert_string_equal(baton_run_dir(), BATON_RUN_DIR);
    }
    baton__test_env_allow(true);
    assert_string_equal(baton_cluster_tools_dir(), tools_dir);
    assert_string_equal(baton_run_dir(), "/tmp/not-the-run-dir");
    unsetenv("BATON_RUN_DIR");
    assert_string_equal(baton_run_dir(), BATON_RUN_DIR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resource_base),
        cmocka_unit_test(test_tools_dir),
        cmocka_unit_test(test_overrides_need_the_marker),
        cmocka_unit_test(test_local_node),
        cmocka_unit_test(test_node_attr),
        cmocka_unit_test(test_cib_query),
        cmocka_unit_test(test_promotion_score),
        cmocka_unit_test(test_promotion_score_update_only_on_change),
        cmocka_unit_test(test_deadline_and_missing_tool),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
