/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of ocf:baton:vm's live migration and utilization: the pure
 * helpers (URIs, flags, abort point, progress line, cache format), the
 * error paths of migrate_to / migrate_from against libvirt's test:///
 * driver (which cannot migrate: the agent must fail with a reason, and the
 * domain keep running), and utilization through a fake crm_resource in
 * BATON_PCMK_TOOLS_DIR that records its calls.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/libvirt.h>

#include <baton/agent.h>

#include "agent-internal.h"
#include "util-internal.h"

#include "vm.h"
#include "vm-actions.h"
#include "vm-migrate.h"
#include "vm-utilization.h"

extern const baton_metadata vm_metadata;

static const baton_action actions[] = {
    { .name = "start", .fn = vm_start },
    { .name = "stop", .fn = vm_stop },
    { .name = "monitor", .fn = vm_monitor },
    { .name = "migrate_to", .fn = vm_migrate_to },
    { .name = "migrate_from", .fn = vm_migrate_from },
};
static baton_agent agent = {
    .name = "vm", .metadata = &vm_metadata,
    .actions = actions, .n_actions = sizeof(actions) / sizeof(actions[0]),
    .validate = vm_validate,
};

static char tmpdir[] = "/tmp/baton-vm-migrate.XXXXXX";
static char target_uri[512];      /* a second, empty test driver: the "target node" */
static virConnectPtr hold;
static char last_reason[512];

/* ---------------------------------------------------------------- pure */

static void test_uri_expand(void **state)
{
    char *s = NULL;

    assert_int_equal(vm_uri_expand("qemu+tcp://%n/system", "node2", &s), 0);
    assert_string_equal(s, "qemu+tcp://node2/system");
    free(s);
    assert_int_equal(vm_uri_expand("tcp://%n-mig:4915%%2/%n", "a", &s), 0);
    assert_string_equal(s, "tcp://a-mig:4915%2/a");
    free(s);
    assert_int_equal(vm_uri_expand("plain", "a", &s), 0);
    assert_string_equal(s, "plain");
    free(s);
    s = NULL;
    assert_int_equal(vm_uri_expand("tcp://%h/", "a", &s), -EINVAL);
    assert_int_equal(vm_uri_expand("tcp://x%", "a", &s), -EINVAL);
    assert_null(s);
}

static void test_remote_uri(void **state)
{
    static const struct {
        const char *hv, *transport, *target, *want;
    } cases[] = {
        { "qemu:///system", "tcp", "node2", "qemu+tcp://node2/system" },
        { "qemu:///system", "", "node2", "qemu://node2/system" },
        { "qemu:///system", NULL, "node2", "qemu://node2/system" },
        { "qemu+ssh://root@node1/system", "tcp", "node2", "qemu+tcp://node2/system" },
        { "qemu+ssh://root@node1/system", NULL, "node2", "qemu+ssh://node2/system" },
        { "qemu+tcp://node1:16509/system?no_verify=1", NULL, "n2", "qemu+tcp://n2:16509/system?no_verify=1" },
        { "qemu+tcp://[2001:db8::1]:16509/system", "tls", "n2", "qemu+tls://n2:16509/system" },
        { "qemu+tcp://[2001:db8::1]/system", NULL, "n2", "qemu+tcp://n2/system" },
        { "xen:///system", "ssh", "n2", "xen+ssh://n2/system" },
    };
    char *s = NULL;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(vm_migrate_remote_uri(cases[i].hv, cases[i].transport, cases[i].target, &s), 0);
        assert_string_equal(s, cases[i].want);
        free(s);
        s = NULL;
    }
    assert_int_equal(vm_migrate_remote_uri("qemu", "tcp", "n2", &s), -EINVAL);
    assert_int_equal(vm_migrate_remote_uri("qemu://host", "tcp", "n2", &s), -EINVAL);
    assert_int_equal(vm_migrate_remote_uri("://x/", "tcp", "n2", &s), -EINVAL);
    assert_int_equal(vm_migrate_remote_uri("qemu:///system", "tcp", "", &s), -EINVAL);
    assert_null(s);
}

static void test_target_host(void **state)
{
    char *s;

    assert_int_equal(vm_migrate_target_host("node2.example.com", "-mig", &s), 0);
    assert_string_equal(s, "node2-mig.example.com");
    free(s);
    assert_int_equal(vm_migrate_target_host("node2", "-mig", &s), 0);
    assert_string_equal(s, "node2-mig");
    free(s);
    assert_int_equal(vm_migrate_target_host("node2.x", "", &s), 0);
    assert_string_equal(s, "node2.x");
    free(s);
    assert_int_equal(vm_migrate_target_host("node2", NULL, &s), 0);
    assert_string_equal(s, "node2");
    free(s);
}

static void test_mode_and_flags(void **state)
{
    vm_migrate_mode m = VM_MIGRATE_TUNNELLED;
    unsigned int f;

    assert_int_equal(vm_migrate_mode_parse("managed", &m), 0);
    assert_int_equal(m, VM_MIGRATE_MANAGED);
    f = vm_migrate_flags(m);
    assert_true(f & VIR_MIGRATE_LIVE);
    assert_false(f & VIR_MIGRATE_PEER2PEER);
    assert_false(f & (VIR_MIGRATE_PERSIST_DEST | VIR_MIGRATE_UNDEFINE_SOURCE));
    assert_int_equal(vm_migrate_mode_parse("p2p", &m), 0);
    f = vm_migrate_flags(m);
    assert_true((f & VIR_MIGRATE_PEER2PEER) && !(f & VIR_MIGRATE_TUNNELLED));
    assert_int_equal(vm_migrate_mode_parse("tunnelled", &m), 0);
    f = vm_migrate_flags(m);
    assert_true((f & VIR_MIGRATE_PEER2PEER) && (f & VIR_MIGRATE_TUNNELLED) && (f & VIR_MIGRATE_LIVE));
    assert_int_equal(vm_migrate_mode_parse("direct", &m), -EINVAL);
    assert_int_equal(vm_migrate_mode_parse(NULL, &m), -EINVAL);
    assert_int_equal(m, VM_MIGRATE_TUNNELLED);      /* untouched on failure */
}

static void test_abort_reserve(void **state)
{
    assert_int_equal(vm_migrate_abort_reserve_ms(115000), 15000);  /* 120 s op: capped at 15 s */
    assert_int_equal(vm_migrate_abort_reserve_ms(50000), 10000);   /* a fifth */
    assert_int_equal(vm_migrate_abort_reserve_ms(10000), 3000);    /* at least 3 s */
    assert_int_equal(vm_migrate_abort_reserve_ms(4000), 2000);     /* never more than half */
    assert_int_equal(vm_migrate_abort_reserve_ms(0), 0);
    assert_int_equal(vm_migrate_abort_reserve_ms(-5), 0);
    for (int64_t r = 0; r < 200000; r += 777) {
        int64_t v = vm_migrate_abort_reserve_ms(r);
        assert_true(v >= 0 && v <= r / 2 && v <= 15000);
    }
}

static void test_progress_format(void **state)
{
    char buf[160];
    vm_migrate_progress p = {
        .elapsed_ms = 12345, .data_total = 256ull << 20, .data_processed = 80ull << 20,
        .data_remaining = 176ull << 20,
    };

    vm_migrate_progress_format(&p, buf, sizeof(buf));
    assert_string_equal(buf, "12.3 s, 80/256 MiB transferred (31%), 176 MiB remaining");
    p = (vm_migrate_progress) { .elapsed_ms = 50 };
    vm_migrate_progress_format(&p, buf, sizeof(buf));
    assert_string_equal(buf, "0.0 s, no transfer figures yet");
    /* processed beyond total (dirty pages sent again) stays at 100% */
    p = (vm_migrate_progress) { .elapsed_ms = 1000, .data_total = 100 << 20, .data_processed = 150 << 20 };
    vm_migrate_progress_format(&p, buf, sizeof(buf));
    assert_non_null(strstr(buf, "(100%)"));
    /* a short buffer is truncated, terminated */
    vm_migrate_progress_format(&p, buf, 8);
    assert_int_equal(strlen(buf), 7);
}

static void test_fits(void **state)
{
    uint64_t s = 0;

    assert_int_equal(vm_migrate_fits(4096, 1024, 3072, &s), 0);
    assert_int_equal(vm_migrate_fits(4096, 1024, 3073, &s), -ENOSPC);
    assert_int_equal(s, 1);
    assert_int_equal(vm_migrate_fits(1024, 2048, 512, &s), -ENOSPC);  /* overcommitted */
    assert_int_equal(s, 512);
}

static void test_util_cache(void **state)
{
    vm_util_values v;
    char *s;

    vm_util_cache_parse("cpu=2\nhost_memory=256\nbogus=1\nhv_memory=x\n", &v);
    assert_int_equal(v.v[VM_UTIL_CPU], 2);
    assert_int_equal(v.v[VM_UTIL_HOST_MEMORY], 256);
    assert_int_equal(v.v[VM_UTIL_HV_MEMORY], -1);
    s = vm_util_cache_format(&v);
    assert_string_equal(s, "cpu=2\nhost_memory=256\n");
    free(s);
    vm_util_cache_parse("", &v);
    assert_int_equal(v.v[VM_UTIL_CPU], -1);
    vm_util_cache_parse(NULL, &v);
    assert_int_equal(v.v[VM_UTIL_HOST_MEMORY], -1);
    vm_util_cache_parse("cpu=\ncpu", &v);
    assert_int_equal(v.v[VM_UTIL_CPU], -1);
    assert_string_equal(vm_util_attr_name(VM_UTIL_HV_MEMORY), "hv_memory");
}

/* ---------------------------------------------------------------- actions against test:/// */

static int group_setup(void **state)
{
    char path[400];
    FILE *f;

    vm_actions_set_watchdog(false);
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(path, sizeof(path), "%s/run", tmpdir);
    baton__test_env_allow(true);
    setenv("BATON_RUN_DIR", path, 1);
    /* a separate test driver instance with 4 GiB and no domains */
    snprintf(path, sizeof(path), "%s/target.xml", tmpdir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("<node><cpu><mhz>1000</mhz><model>i686</model><active>2</active><nodes>1</nodes>"
          "<sockets>1</sockets><cores>2</cores><threads>1</threads></cpu>"
          "<memory>4194304</memory></node>\n", f);
    fclose(f);
    snprintf(target_uri, sizeof(target_uri), "OCF_RESKEY_remoteuri=test://%s", path);
    /* the fake crm_resource: records its arguments, one call per line */
    snprintf(path, sizeof(path), "%s/crm_resource", tmpdir);
    f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "#!/bin/sh\necho \"$*\" >> '%s/crm_resource.calls'\n[ -e '%s/fail' ] && exit 1\nexit 0\n",
            tmpdir, tmpdir);
    fclose(f);
    chmod(path, 0755);
    setenv("BATON_PCMK_TOOLS_DIR", tmpdir, 1);
    hold = virConnectOpen("test:///default");
    return hold ? 0 : -1;
}

static int group_teardown(void **state)
{
    char cmd[512];

    if (hold)
        virConnectClose(hold);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static int run_action(const char *action, const char *const *extra)
{
    char *env[32];
    size_t n = 0;
    baton_ctx *ctx = NULL;
    int rc;

    for (; extra && *extra && n < 26; extra++)
        env[n++] = (char *) *extra;
    env[n++] = (char *) "OCF_RESOURCE_INSTANCE=unit";
    env[n++] = (char *) "OCF_RESKEY_hypervisor=test:///default";
    env[n++] = (char *) "OCF_RESKEY_domain=test";
    env[n++] = (char *) "OCF_RESKEY_host_reserve=0";
    env[n++] = (char *) "OCF_RESKEY_CRM_meta_timeout=20000";
    env[n] = NULL;
    last_reason[0] = '\0';
    rc = baton__ctx_new_for_test(&agent, action, env, &ctx);
    if (rc == BATON_OCF_SUCCESS) {
        for (size_t i = 0; i < agent.n_actions; i++)
            if (strcmp(agent.actions[i].name, action) == 0)
                rc = agent.actions[i].fn(ctx);
    }
    if (ctx && baton_ctx_reason(ctx))
        snprintf(last_reason, sizeof(last_reason), "%s", baton_ctx_reason(ctx));
    baton_ctx_free(ctx);
    return rc;
}

static void assert_reason_has(const char *what)
{
    if (!strstr(last_reason, what))
        fail_msg("reason '%s' lacks '%s'", last_reason, what);
}

static void test_migrate_to_errors(void **state)
{
    const char *no_target[] = { target_uri, NULL };
    const char *bad_tmpl[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2", "OCF_RESKEY_remoteuri=test://%x/", NULL };
    const char *bad_data[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2", target_uri,
                               "OCF_RESKEY_migrateuri=tcp://%q", NULL };
    const char *unreachable[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2",
                                  "OCF_RESKEY_remoteuri=test+unix:///default?socket=/nonexistent/%n", NULL };
    const char *same_host[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2",
                                "OCF_RESKEY_remoteuri=test:///default", NULL };
    /* the domain holds 2 GiB; the target's capacity is 1 GiB */
    const char *short_mem[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2", target_uri,
                                "OCF_RESKEY_host_memory=1024", NULL };
    const char *fits[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2", target_uri,
                           "OCF_RESKEY_migration_speed=100", "OCF_RESKEY_migration_downtime=300",
                           "OCF_RESKEY_migrateuri=tcp://%n-mig:49152", NULL };
    const char *p2p[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2", target_uri,
                          "OCF_RESKEY_migration_mode=p2p", NULL };
    const char *not_here[] = { "OCF_RESKEY_CRM_meta_migrate_target=n2", target_uri,
                               "OCF_RESKEY_domain=nosuch", NULL };

    assert_int_equal(run_action("migrate_to", no_target), BATON_OCF_ERR_GENERIC);
    assert_reason_has("migrate_target");
    assert_int_equal(run_action("migrate_to", bad_tmpl), BATON_OCF_ERR_CONFIGURED);
    assert_reason_has("remoteuri");
    assert_int_equal(run_action("migrate_to", bad_data), BATON_OCF_ERR_CONFIGURED);
    assert_reason_has("migrateuri");
    assert_int_equal(run_action("migrate_to", unreachable), BATON_OCF_ERR_GENERIC);
    assert_reason_has("cannot connect to test+unix:///default?socket=/nonexistent/n2");
    assert_int_equal(run_action("migrate_to", same_host), BATON_OCF_ERR_GENERIC);
    assert_reason_has("already active");
    assert_int_equal(run_action("migrate_to", short_mem), BATON_OCF_ERR_GENERIC);
    assert_reason_has("1024 MiB short");
    assert_int_equal(run_action("migrate_to", not_here), BATON_OCF_ERR_GENERIC);
    assert_reason_has("not running on this node");
    /* the pre-flight passes; the test driver cannot migrate: a clean failure, still running here */
    assert_int_equal(run_action("migrate_to", fits), BATON_OCF_ERR_GENERIC);
    assert_reason_has("migration of test to n2 failed");
    assert_reason_has("keeps running on this node");
    assert_int_equal(run_action("migrate_to", p2p), BATON_OCF_ERR_GENERIC);
    assert_reason_has("keeps running on this node");
    assert_int_equal(run_action("monitor", NULL), BATON_OCF_SUCCESS);
}

static void test_migrate_from(void **state)
{
    const char *nosuch[] = { "OCF_RESKEY_domain=nosuch", NULL };
    char path[400];

    assert_int_equal(run_action("migrate_from", nosuch), BATON_OCF_ERR_GENERIC);
    assert_reason_has("did not arrive");
    /* the domain runs "here": accepted and recorded for stop and probes */
    assert_int_equal(run_action("migrate_from", NULL), BATON_OCF_SUCCESS);
    snprintf(path, sizeof(path), "%s/run/vm/unit.domain", tmpdir);
    assert_int_equal(access(path, F_OK), 0);
}

static char *read_calls(void)
{
    static char buf[4096];
    char path[400];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/crm_resource.calls", tmpdir);
    f = fopen(path, "r");
    if (!f)
        return strcpy(buf, "");
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    unlink(path);
    return buf;
}

static void test_utilization(void **state)
{
    const char *on[] = { "OCF_RESKEY_autoset_utilization_cpu=true", "OCF_RESKEY_autoset_utilization_host_memory=1",
                         "OCF_RESKEY_CRM_meta_interval=10000", NULL };
    const char *all[] = { "OCF_RESKEY_autoset_utilization_cpu=true", "OCF_RESKEY_autoset_utilization_host_memory=1",
                          "OCF_RESKEY_autoset_utilization_hv_memory=yes", "OCF_RESKEY_CRM_meta_interval=10000",
                          NULL };
    const char *failing[] = { "OCF_RESKEY_autoset_utilization_cpu=true",
                              "OCF_RESKEY_CRM_meta_interval=10000", NULL };
    const char *sized[] = { "OCF_RESKEY_target_memory=1024", "OCF_RESKEY_host_memory=4096", NULL };
    virDomainPtr dom = virDomainLookupByName(hold, "test");
    char path[400];

    assert_non_null(dom);
    read_calls();
    /* off by default: no call */
    assert_int_equal(run_action("monitor", NULL), BATON_OCF_SUCCESS);
    assert_string_equal(read_calls(), "");
    /* the first monitor publishes: 2 vCPUs, 2048 MiB */
    assert_int_equal(run_action("monitor", on), BATON_OCF_SUCCESS);
    assert_string_equal(read_calls(),
                        "--resource unit --utilization --set-parameter cpu --parameter-value 2\n"
                        "--resource unit --utilization --set-parameter host_memory --parameter-value 2048\n");
    /* unchanged: no fork */
    assert_int_equal(run_action("monitor", on), BATON_OCF_SUCCESS);
    assert_string_equal(read_calls(), "");
    /* ballooned: only the memory is written again */
    assert_int_equal(virDomainSetMemoryFlags(dom, 1572864, VIR_DOMAIN_AFFECT_LIVE), 0);
    assert_int_equal(run_action("monitor", all), BATON_OCF_SUCCESS);
    assert_string_equal(read_calls(),
                        "--resource unit --utilization --set-parameter hv_memory --parameter-value 1536\n"
                        "--resource unit --utilization --set-parameter host_memory --parameter-value 1536\n");
    snprintf(path, sizeof(path), "%s/run/vm/unit.util", tmpdir);
    assert_int_equal(access(path, F_OK), 0);
    /* stop forgets the cache; a failing crm_resource is retried at the next monitor */
    assert_int_equal(run_action("stop", NULL), BATON_OCF_SUCCESS);
    assert_int_not_equal(access(path, F_OK), 0);
    assert_int_equal(run_action("start", sized), BATON_OCF_SUCCESS);
    read_calls();
    snprintf(path, sizeof(path), "%s/fail", tmpdir);
    fclose(fopen(path, "w"));
    assert_int_equal(run_action("monitor", failing), BATON_OCF_SUCCESS);
    assert_string_equal(read_calls(), "--resource unit --utilization --set-parameter cpu --parameter-value 2\n");
    assert_int_equal(run_action("monitor", failing), BATON_OCF_SUCCESS);
    assert_string_equal(read_calls(), "--resource unit --utilization --set-parameter cpu --parameter-value 2\n");
    unlink(path);
    virDomainFree(dom);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_uri_expand),
        cmocka_unit_test(test_remote_uri),
        cmocka_unit_test(test_target_host),
        cmocka_unit_test(test_mode_and_flags),
        cmocka_unit_test(test_abort_reserve),
        cmocka_unit_test(test_progress_format),
        cmocka_unit_test(test_fits),
        cmocka_unit_test(test_util_cache),
    };
    const struct CMUnitTest libvirt[] = {
        cmocka_unit_test(test_migrate_to_errors),
        cmocka_unit_test(test_migrate_from),
        cmocka_unit_test(test_utilization),
    };
    int r = cmocka_run_group_tests(pure, NULL, NULL);

    return r + cmocka_run_group_tests(libvirt, group_setup, group_teardown);
}
