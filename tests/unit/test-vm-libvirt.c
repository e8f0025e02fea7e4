/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the vm agent's parsing and of its libvirt-facing code,
 * against libvirt's in-process test:///default driver (one running domain
 * "test": 8 GiB max, 2 GiB current; state shared by every connection of
 * this process while one stays open).
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
#include <libvirt/virterror.h>

#include <baton/agent.h>

#include "agent-internal.h"
#include "util-internal.h"
#include <baton/log.h>

#include "vm.h"
#include "vm-actions.h"
#include "vm-lifecycle.h"
#include "vm-memory.h"

extern const baton_metadata vm_metadata;

static const baton_action actions[] = {
    { .name = "start", .fn = vm_start },
    { .name = "stop", .fn = vm_stop },
    { .name = "monitor", .fn = vm_monitor },
    { .name = "reload-agent", .fn = vm_reload_agent },
};
static baton_agent agent = {
    .name = "vm", .metadata = &vm_metadata,
    .actions = actions, .n_actions = sizeof(actions) / sizeof(actions[0]),
    .validate = vm_validate,
};

static char rundir[] = "/tmp/baton-vm-unit.XXXXXX";
/* stand-ins for Pacemaker's tools: admission control's attrd_updater, cibadmin, crm_node */
static char toolsdir[] = "/tmp/baton-vm-tools.XXXXXX";

/* ---------------------------------------------------------------- pure parsing */

static void test_size_units(void **state)
{
    uint64_t k;

    assert_int_equal(vm_size_to_kib("524288", NULL, &k), 0);
    assert_int_equal(k, 524288);
    assert_int_equal(vm_size_to_kib("512", "MiB", &k), 0);
    assert_int_equal(k, 524288);
    assert_int_equal(vm_size_to_kib("512", "m", &k), 0);
    assert_int_equal(k, 524288);
    assert_int_equal(vm_size_to_kib("2", "G", &k), 0);
    assert_int_equal(k, 2097152);
    assert_int_equal(vm_size_to_kib("1", "b", &k), 0);
    assert_int_equal(k, 1);                           /* rounded up */
    assert_int_equal(vm_size_to_kib("1000", "KB", &k), 0);
    assert_int_equal(k, 977);
    assert_int_equal(vm_size_to_kib("1", "TiB", &k), 0);
    assert_int_equal(k, 1ULL << 30);
    assert_int_equal(vm_size_to_kib("1", "parsec", &k), -EINVAL);
    assert_int_equal(vm_size_to_kib("-1", NULL, &k), -EINVAL);
    assert_int_equal(vm_size_to_kib("12x", NULL, &k), -EINVAL);
    assert_int_equal(vm_size_to_kib("", NULL, &k), -EINVAL);
    assert_int_equal(vm_size_to_kib("99999999999999999", "TiB", &k), -ERANGE);
}

static void test_domain_xml(void **state)
{
    static const char xml[] =
        "<domain type='qemu'>\n  <name>web</name>\n  <memory unit='MiB'>768</memory>\n"
        "  <currentMemory unit='KiB'> 524288 </currentMemory>\n</domain>\n";
    static const char nocur[] = "<domain><name>db</name><memory>1048576</memory></domain>";
    vm_domain_xml x;

    assert_int_equal(vm_domain_xml_parse(xml, strlen(xml), &x), 0);
    assert_string_equal(x.name, "web");
    assert_int_equal(x.max_kib, 786432);
    assert_int_equal(x.current_kib, 524288);
    vm_domain_xml_clear(&x);
    assert_int_equal(vm_domain_xml_parse(nocur, strlen(nocur), &x), 0);
    assert_int_equal(x.current_kib, 1048576);
    vm_domain_xml_clear(&x);

    assert_int_equal(vm_domain_xml_parse("<domain/>", 9, &x), -EINVAL);
    assert_int_equal(vm_domain_xml_parse("<pool><name>x</name></pool>", 27, &x), -EINVAL);
    assert_int_equal(vm_domain_xml_parse("<domain><name>", 14, &x), -EINVAL);
    assert_int_equal(vm_domain_xml_parse("<domain><name>a</name><memory unit='X'>1</memory></domain>", 57, &x),
                     -EINVAL);
    vm_domain_xml_clear(NULL);
}

static void test_policy_roundtrip(void **state)
{
    vm_policy p = { .floor_kib = 262144, .target_kib = 524288, .priority = -7,
                    .uncooperative = true, .started = 1700000000 }, q;
    char *s = vm_policy_format(&p);

    assert_non_null(s);
    assert_int_equal(vm_policy_parse(s, &q), 0);
    assert_int_equal(q.floor_kib, p.floor_kib);
    assert_int_equal(q.target_kib, p.target_kib);
    assert_int_equal(q.priority, p.priority);
    assert_true(q.uncooperative);
    assert_int_equal(q.started, p.started);
    assert_string_equal(q.resource, "");
    free(s);
    strcpy(p.resource, "vm-db_1.x");
    s = vm_policy_format(&p);
    assert_non_null(s);
    assert_non_null(strstr(s, " resource='vm-db_1.x'"));
    assert_int_equal(vm_policy_parse(s, &q), 0);
    assert_string_equal(q.resource, "vm-db_1.x");
    free(s);
    /* a name that would need escaping is not recorded, and not believed when read */
    strcpy(p.resource, "a'b");
    s = vm_policy_format(&p);
    assert_non_null(s);
    assert_null(strstr(s, "resource="));
    free(s);
    assert_int_equal(vm_policy_parse("<policy floor-kib='1' target-kib='2' priority='3' resource='a b'/>", &q), 0);
    assert_string_equal(q.resource, "");
    assert_int_equal(vm_policy_parse("<policy floor-kib='1' target-kib='2' priority='3'/>", &q), 0);
    assert_false(q.uncooperative);
    assert_int_equal(q.started, 0);
    assert_string_equal(q.resource, "");
    assert_int_equal(vm_policy_parse("<policy floor-kib='-1' target-kib='2' priority='3'/>", &q), -EINVAL);
    assert_int_equal(vm_policy_parse("<policy target-kib='2' priority='3'/>", &q), -EINVAL);
    assert_int_equal(vm_policy_parse("<other/>", &q), -EINVAL);
    assert_int_equal(vm_policy_parse("not xml", &q), -EINVAL);
    assert_int_equal(vm_policy_parse(NULL, &q), -EINVAL);
}

static void test_shutdown_mode(void **state)
{
    unsigned f;

    assert_int_equal(vm_shutdown_mode_parse("", &f), 0);
    assert_int_equal(f, 0);
    assert_int_equal(vm_shutdown_mode_parse(NULL, &f), 0);
    assert_int_equal(vm_shutdown_mode_parse("acpi", &f), 0);
    assert_int_equal(f, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN);
    assert_int_equal(vm_shutdown_mode_parse("agent,acpi", &f), 0);
    assert_int_equal(f, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN | VIR_DOMAIN_SHUTDOWN_GUEST_AGENT);
    assert_int_equal(vm_shutdown_mode_parse("acpi,", &f), -EINVAL);
    assert_int_equal(vm_shutdown_mode_parse(",acpi", &f), -EINVAL);
    assert_int_equal(vm_shutdown_mode_parse("acp", &f), -EINVAL);
    assert_int_equal(vm_shutdown_mode_parse("acpi,bogus", &f), -EINVAL);
}

static void test_health_parsing(void **state)
{
    char *h = NULL, *p = NULL, *path = NULL;

    assert_int_equal(vm_parse_hostport("192.0.2.1:80", &h, &p), 0);
    assert_string_equal(h, "192.0.2.1");
    assert_string_equal(p, "80");
    free(h); free(p);
    assert_int_equal(vm_parse_hostport("[2001:db8::1]:443", &h, &p), 0);
    assert_string_equal(h, "2001:db8::1");
    assert_string_equal(p, "443");
    free(h); free(p);
    assert_int_equal(vm_parse_hostport("2001:db8::1:443", &h, &p), -EINVAL);
    assert_int_equal(vm_parse_hostport("host:", &h, &p), -EINVAL);
    assert_int_equal(vm_parse_hostport(":80", &h, &p), -EINVAL);
    assert_int_equal(vm_parse_hostport("host:70000", &h, &p), -EINVAL);
    assert_int_equal(vm_parse_hostport("host:0", &h, &p), -EINVAL);
    assert_int_equal(vm_parse_hostport("host", &h, &p), -EINVAL);

    assert_int_equal(vm_parse_http_url("http://web.example/health?x=1", &h, &p, &path), 0);
    assert_string_equal(h, "web.example");
    assert_string_equal(p, "80");
    assert_string_equal(path, "/health?x=1");
    free(h); free(p); free(path);
    assert_int_equal(vm_parse_http_url("http://[2001:db8::2]:8080", &h, &p, &path), 0);
    assert_string_equal(h, "2001:db8::2");
    assert_string_equal(p, "8080");
    assert_string_equal(path, "/");
    free(h); free(p); free(path);
    assert_int_equal(vm_parse_http_url("http://[2001:db8::2]/", &h, &p, &path), 0);
    assert_string_equal(h, "2001:db8::2");
    assert_string_equal(p, "80");
    free(h); free(p); free(path);
    assert_int_equal(vm_parse_http_url("https://x/", &h, &p, &path), -EINVAL);
    assert_int_equal(vm_parse_http_url("http:///", &h, &p, &path), -EINVAL);
    assert_int_equal(vm_parse_http_url("http://u@x/", &h, &p, &path), -EINVAL);
    assert_int_equal(vm_parse_http_url("http://x/a b", &h, &p, &path), -EINVAL);

    assert_int_equal(vm_http_status("HTTP/1.1 200 OK\r\n", 17), 200);
    assert_int_equal(vm_http_status("HTTP/1.0 503\r\n", 14), 503);
    assert_int_equal(vm_http_status("HTTP/1.1 20 OK\r\n", 16), -EINVAL);
    assert_int_equal(vm_http_status("SSH-2.0-OpenSSH\r\n", 17), -EINVAL);
    assert_int_equal(vm_http_status("HTTP/1.1 2000\r\n", 15), -EINVAL);
}

static void test_health_tcp_refused(void **state)
{
    char *err = NULL;

    /* port 9 (discard) on loopback: nothing listens in the test environment */
    assert_true(vm_health_tcp("127.0.0.1:9", 1000, &err) < 0);
    assert_non_null(err);
    assert_non_null(strstr(err, "127.0.0.1"));
    free(err);
    err = NULL;
    assert_true(vm_health_http("http://127.0.0.1:9/", 1000, &err) < 0);
    assert_non_null(err);
    free(err);
}

static void test_state_mapping(void **state)
{
    const char *d;

    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_RUNNING, 0, &d), BATON_OCF_SUCCESS);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_BLOCKED, 0, &d), BATON_OCF_SUCCESS);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_USER, &d), BATON_OCF_SUCCESS);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_MIGRATION, &d), BATON_OCF_SUCCESS);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_IOERROR, &d), BATON_OCF_ERR_GENERIC);
    assert_string_equal(d, "paused after an I/O error");
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_PAUSED, VIR_DOMAIN_PAUSED_CRASHED, &d), BATON_OCF_ERR_GENERIC);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_PAUSED, 999, &d), BATON_OCF_ERR_GENERIC);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_SHUTDOWN, 0, &d), BATON_OCF_ERR_GENERIC);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_SHUTOFF, 0, &d), BATON_OCF_NOT_RUNNING);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_CRASHED, 0, &d), BATON_OCF_ERR_GENERIC);
    assert_string_equal(d, "crashed");
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_PMSUSPENDED, 0, &d), BATON_OCF_ERR_GENERIC);
    assert_int_equal(vm_state_to_ocf(VIR_DOMAIN_NOSTATE, 0, &d), BATON_OCF_ERR_GENERIC);
    assert_int_equal(vm_state_to_ocf(4242, 0, &d), BATON_OCF_ERR_GENERIC);
}

/* ---------------------------------------------------------------- test:///default */

static virConnectPtr hold;      /* keeps the test driver's state alive between actions */

static void quiet(void *data, virErrorPtr err)
{
}

static int group_setup(void **state)
{
    virSetErrorFunc(NULL, quiet);
    baton_log_open("vm", "unit");
    baton_log_set_targets(false, false);
    vm_actions_set_watchdog(false);
    if (!mkdtemp(rundir) || !mkdtemp(toolsdir))
        return -1;
    baton__test_env_allow(true);
    setenv("BATON_RUN_DIR", rundir, 1);
    setenv("BATON_PCMK_TOOLS_DIR", toolsdir, 1);
    unsetenv("OCF_RESKEY_CRM_meta_on_node");
    hold = virConnectOpen("test:///default");
    return hold ? 0 : -1;
}

static int group_teardown(void **state)
{
    char path[256];

    if (hold)
        virConnectClose(hold);
    snprintf(path, sizeof(path), "%s/vm-memory.lock", rundir);
    unlink(path);
    snprintf(path, sizeof(path), "rm -rf '%s' '%s'", rundir, toolsdir);
    return system(path) == 0 ? 0 : -1;
}

static int run_action(const char *action, const char *const *extra)
{
    char *env[32];
    size_t n = 0;
    baton_ctx *ctx = NULL;
    int rc;

    /* the first occurrence of a name wins: the test's own values first */
    for (; extra && *extra && n < 27; extra++)
        env[n++] = (char *) *extra;
    env[n++] = (char *) "OCF_RESOURCE_INSTANCE=unit";
    env[n++] = (char *) "OCF_RESKEY_hypervisor=test:///default";
    env[n++] = (char *) "OCF_RESKEY_domain=test";
    env[n++] = (char *) "OCF_RESKEY_host_reserve=0";
    env[n] = NULL;
    rc = baton__ctx_new_for_test(&agent, action, env, &ctx);
    if (rc == BATON_OCF_SUCCESS) {
        for (size_t i = 0; i < agent.n_actions; i++)
            if (strcmp(agent.actions[i].name, action) == 0)
                rc = agent.actions[i].fn(ctx);
    }
    baton_ctx_free(ctx);
    return rc;
}

static void test_validate(void **state)
{
    const char *none[] = { "OCF_RESKEY_domain=", NULL };
    const char *minmax[] = { "OCF_RESKEY_min_memory=512", "OCF_RESKEY_target_memory=256", NULL };
    const char *mode[] = { "OCF_RESKEY_shutdown_mode=acpi,poweroff", NULL };
    const char *rel[] = { "OCF_RESKEY_config=relative.xml", NULL };
    const char *missing[] = { "OCF_RESKEY_config=/nonexistent/baton.xml", NULL };
    const char *tcp[] = { "OCF_RESKEY_health_tcp=nohost", NULL };

    assert_int_equal(run_action("monitor", none), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("monitor", minmax), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("monitor", mode), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("monitor", rel), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("start", missing), BATON_OCF_ERR_INSTALLED);
    assert_int_equal(run_action("monitor", tcp), BATON_OCF_ERR_CONFIGURED);
}

/* The VirtualDomain parameters of issue 15 (vm-params.c): refused combinations name the cause. */
static void test_validate_vd_params(void **state)
{
    const char *ok[] = { "OCF_RESKEY_migrate_options=--unsafe --compressed --parallel-connections 4",
                         "OCF_RESKEY_migrateport=49152", "OCF_RESKEY_migration_user=ha",
                         "OCF_RESKEY_hypervisor=qemu:///system", NULL };
    const char *unknown[] = { "OCF_RESKEY_migrate_options=--unsafe --frobnicate", NULL };
    const char *tunnel[] = { "OCF_RESKEY_migrate_options=--tunnelled", NULL };
    const char *bw[] = { "OCF_RESKEY_migrate_options=--bandwidth 10", "OCF_RESKEY_migration_speed=20", NULL };
    const char *user[] = { "OCF_RESKEY_migration_user=Root", NULL };
    const char *user_uri[] = { "OCF_RESKEY_migration_user=ha", "OCF_RESKEY_remoteuri=qemu+ssh://%n/system", NULL };
    const char *port_uri[] = { "OCF_RESKEY_migrateport=49152", "OCF_RESKEY_migrateuri=tcp://%n", NULL };
    const char *port_range[] = { "OCF_RESKEY_migrateport=70000", NULL };
    const char *port_xen[] = { "OCF_RESKEY_migrateport=8002", "OCF_RESKEY_hypervisor=xen:///system", NULL };
    const char *snap_rel[] = { "OCF_RESKEY_snapshot=state", NULL };
    const char *snap_force[] = { "OCF_RESKEY_snapshot=/tmp", "OCF_RESKEY_force_stop=true", NULL };
    const char *snap_missing[] = { "OCF_RESKEY_snapshot=/nonexistent/baton-snap", NULL };
    const char *save_noconfig[] = { "OCF_RESKEY_save_config_on_stop=true", NULL };
    const char *sync[] = { "OCF_RESKEY_sync_config_on_stop=true", NULL };

    (void) state;
    assert_int_equal(run_action("validate-all", ok), BATON_OCF_SUCCESS);
    assert_int_equal(run_action("validate-all", unknown), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", tunnel), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", bw), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", user), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", user_uri), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", port_uri), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", port_range), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", port_xen), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", snap_rel), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", snap_force), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("start", snap_missing), BATON_OCF_ERR_INSTALLED);
    assert_int_equal(run_action("validate-all", save_noconfig), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("validate-all", sync), BATON_OCF_ERR_CONFIGURED);
}

static void test_resources(void **state)
{
    static const char xml[] =
        "<domain type='test'><name>r</name><devices>"
        "<disk type='volume'><source pool='p2' volume='a'/></disk>"
        "<disk type='volume'><source pool='p1' volume='b'/></disk>"
        "<disk type='volume'><source pool='p2' volume='c'/></disk>"
        "<disk type='file'><source file='/x'/></disk>"
        "<interface type='network'><source network='n1'/></interface>"
        "<interface type='network'><source network='n1'/></interface>"
        "</devices></domain>";
    static const char net[] =
        "<network><name>baton-unit</name><bridge name='batonu0'/>"
        "<ip address='192.0.2.1' netmask='255.255.255.0'/></network>";
    static const char uses[] =
        "<domain type='test'><name>r</name><devices><interface type='network'>"
        "<source network='baton-unit'/></interface><disk type='volume'><source pool='default-pool' volume='v'/>"
        "</disk></devices></domain>";
    char **pools = NULL, **nets = NULL, *err = NULL;
    virNetworkPtr n;

    (void) state;
    assert_int_equal(vm_resources_parse(xml, &pools, &nets), 0);
    assert_string_equal(pools[0], "p1");
    assert_string_equal(pools[1], "p2");
    assert_null(pools[2]);
    assert_string_equal(nets[0], "n1");
    assert_null(nets[1]);
    baton_strv_free(pools);
    baton_strv_free(nets);
    assert_int_equal(vm_resources_parse("<domain><name>x</name></domain>", &pools, &nets), 0);
    assert_null(pools[0]);
    assert_null(nets[0]);
    baton_strv_free(pools);
    baton_strv_free(nets);
    assert_int_equal(vm_resources_parse("<network/>", &pools, &nets), -EINVAL);
    assert_int_equal(vm_resources_parse("not xml", &pools, &nets), -EINVAL);

    /* an inactive network is started; a missing one is an error naming it */
    n = virNetworkDefineXML(hold, net);
    assert_non_null(n);
    assert_int_equal(virNetworkIsActive(n), 0);
    assert_int_equal(vm_resources_start(hold, uses, &err), 0);
    assert_null(err);
    assert_int_equal(virNetworkIsActive(n), 1);
    assert_int_equal(vm_resources_start(hold, uses, &err), 0);
    virNetworkDestroy(n);
    virNetworkUndefine(n);
    virNetworkFree(n);
    assert_int_equal(vm_resources_start(hold, xml, &err), -EIO);
    assert_non_null(strstr(err, "storage pool p1"));
    free(err);
}

static void test_saveconfig_xml(void **state)
{
    static const char xml[] =
        "<domain type='kvm'>\n  <name>g</name>\n  <metadata>\n"
        "    <baton:baton xmlns:baton='urn:baton:vm:1' floor='1'/>\n  </metadata>\n"
        "  <memory unit='KiB'>1024</memory>\n</domain>";
    static const char other[] =
        "<domain><name>g</name><metadata><a:x xmlns:a='urn:other'/>"
        "<b:baton xmlns:b='urn:baton:vm:1'/></metadata></domain>";
    char *out;

    (void) state;
    out = vm_saveconfig_xml(xml, "g");
    assert_non_null(out);
    assert_null(strstr(out, "urn:baton:vm:1"));
    assert_null(strstr(out, "<metadata"));
    assert_non_null(strstr(out, "<memory unit=\"KiB\">1024</memory>"));
    assert_int_equal(out[strlen(out) - 1], '\n');
    free(out);
    out = vm_saveconfig_xml(other, "g");
    assert_non_null(strstr(out, "urn:other"));
    assert_null(strstr(out, "urn:baton:vm:1"));
    free(out);
    assert_null(vm_saveconfig_xml(xml, "h"));
    assert_null(vm_saveconfig_xml("<network><name>g</name></network>", "g"));
    assert_null(vm_saveconfig_xml("garbage", "g"));
}

static void test_policy_on_domain(void **state)
{
    virDomainPtr dom = virDomainLookupByName(hold, "test");
    vm_policy p = { .floor_kib = 1024, .target_kib = 2048, .priority = 3 }, q;

    assert_non_null(dom);
    assert_int_equal(vm_policy_get(dom, &q), -ENOENT);
    assert_int_equal(vm_policy_set(dom, &p), 0);
    assert_int_equal(vm_policy_get(dom, &q), 0);
    assert_int_equal(q.floor_kib, 1024);
    assert_int_equal(q.priority, 3);
    /* remove it again for the other tests */
    assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL, VM_POLICY_NS,
                                          VIR_DOMAIN_AFFECT_LIVE), 0);
    virDomainFree(dom);
}

static void test_host_collect_and_balloon(void **state)
{
    vm_host h;
    char *err = NULL;
    vm_plan_vm pv[4];
    vm_plan plan;
    vm_policy p = { .floor_kib = 1048576, .target_kib = 2097152, .priority = 0 };

    assert_int_equal(vm_host_collect(hold, NULL, true, &h, &err), 0);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.vms[0].name, "test");
    assert_int_equal(h.vms[0].actual_kib, 2097152);
    assert_false(h.vms[0].managed);
    vm_host_clear(&h);
    /* without statistics: the same size, from libvirt's record of the balloon */
    assert_int_equal(vm_host_collect(hold, NULL, false, &h, &err), 0);
    assert_int_equal(h.n, 1);
    assert_int_equal(h.vms[0].actual_kib, 2097152);
    assert_int_equal(h.vms[0].last_update, 0);
    assert_true(h.node_kib > 0);
    assert_int_equal(vm_host_capacity_kib(&h, 0, 1024), h.node_kib - 1024);
    assert_int_equal(vm_host_capacity_kib(&h, 4096, 8192), 0);
    vm_host_to_plan(&h, pv);
    assert_false(pv[0].cooperative);                  /* not ours: never shrunk */
    assert_int_equal(pv[0].floor_kib, 2097152);
    vm_host_clear(&h);

    assert_int_equal(vm_host_collect(hold, "test", true, &h, &err), 0);
    assert_int_equal(h.n, 0);
    vm_host_clear(&h);

    /* managed now: a plan for 1.5 GiB on a 3 GiB host shrinks it by 0.5 GiB, confirmed */
    virDomainPtr dom = virDomainLookupByName(hold, "test");
    assert_non_null(dom);
    assert_int_equal(vm_policy_set(dom, &p), 0);
    assert_int_equal(vm_host_collect(hold, NULL, true, &h, &err), 0);
    assert_true(h.vms[0].managed);
    vm_host_to_plan(&h, pv);
    vm_plan_demand d = { .name = "new", .want_kib = 1572864, .floor_kib = 1572864 };
    assert_int_equal(vm_plan_make_room(3145728, pv, h.n, &d, &plan), 0);
    assert_int_equal(plan.n_changes, 1);
    assert_int_equal(vm_balloon_apply(&h, &plan, true, 2000, baton_deadline_in(5000)), 0);
    assert_int_equal(h.vms[0].actual_kib, 1572864);
    vm_plan_clear(&plan);
    vm_host_clear(&h);

    /* and back */
    assert_int_equal(virDomainSetMemoryFlags(dom, 2097152, VIR_DOMAIN_AFFECT_LIVE), 0);
    assert_int_equal(virDomainSetMetadata(dom, VIR_DOMAIN_METADATA_ELEMENT, NULL, NULL, VM_POLICY_NS,
                                          VIR_DOMAIN_AFFECT_LIVE), 0);
    virDomainFree(dom);
}

static void test_actions_lifecycle(void **state)
{
    const char *level10[] = { "OCF_CHECK_LEVEL=10", NULL };
    const char *sized[] = { "OCF_RESKEY_target_memory=1024", "OCF_RESKEY_host_memory=4096", NULL };
    const char *tight[] = { "OCF_RESKEY_target_memory=1024", "OCF_RESKEY_host_memory=512", NULL };
    const char *huge[] = { "OCF_RESKEY_target_memory=9000", NULL };
    virDomainPtr dom;
    vm_policy p;
    uint64_t actual, last;

    assert_int_equal(run_action("monitor", NULL), BATON_OCF_SUCCESS);
    /* the test driver's statistics carry a fixed, old timestamp: depth 10 calls it hung */
    assert_int_equal(run_action("monitor", level10), BATON_OCF_ERR_GENERIC);
    assert_int_equal(run_action("start", NULL), BATON_OCF_SUCCESS);      /* already running */
    assert_int_equal(run_action("stop", NULL), BATON_OCF_SUCCESS);
    assert_int_equal(run_action("monitor", NULL), BATON_OCF_NOT_RUNNING);
    assert_int_equal(run_action("stop", NULL), BATON_OCF_SUCCESS);       /* stopped: still 0 */
    assert_int_equal(run_action("start", huge), BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(run_action("start", tight), BATON_OCF_ERR_GENERIC); /* shortfall */
    assert_int_equal(run_action("monitor", NULL), BATON_OCF_NOT_RUNNING);
    assert_int_equal(run_action("start", sized), BATON_OCF_SUCCESS);
    assert_int_equal(run_action("monitor", NULL), BATON_OCF_SUCCESS);

    /* started with its policy recorded and the balloon at its target */
    dom = virDomainLookupByName(hold, "test");
    assert_non_null(dom);
    assert_int_equal(vm_policy_get(dom, &p), 0);
    assert_int_equal(p.target_kib, 1048576);
    assert_int_equal(p.floor_kib, 1048576);
    assert_true(p.started > 0);
    assert_int_equal(vm_memory_stats(dom, &actual, &last), 0);
    assert_int_equal(actual, 1048576);

    /* reload-agent: a new priority and floor are recorded on the running domain */
    const char *reload[] = { "OCF_RESKEY_target_memory=1024", "OCF_RESKEY_min_memory=512",
                             "OCF_RESKEY_priority=9", "OCF_RESKEY_host_memory=1024", NULL };
    assert_int_equal(run_action("reload-agent", reload), BATON_OCF_SUCCESS);
    assert_int_equal(vm_policy_get(dom, &p), 0);
    assert_int_equal(p.priority, 9);
    assert_int_equal(p.floor_kib, 524288);
    virDomainFree(dom);
}

static void write_file(const char *dir, const char *name, const char *text, mode_t mode)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

/* What the stand-in attrd_updater was asked since the last call (one call per line); static. */
static const char *attrd_calls(void)
{
    static char buf[8192];
    char path[256];
    FILE *f;
    size_t n = 0;

    snprintf(path, sizeof(path), "%s/attrd.log", toolsdir);
    f = fopen(path, "r");
    if (f) {
        n = fread(buf, 1, sizeof(buf) - 1, f);
        fclose(f);
        unlink(path);
    }
    buf[n] = '\0';
    return buf;
}

static void forget_checks(void)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/vm/.host-check", rundir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/vm/.forecast", rundir);
    unlink(path);
}

static const char cib_head[] =
    "<cib><configuration><nodes><node id='1' uname='n1'/><node id='2' uname='n2'/></nodes>"
    "<resources/><constraints/></configuration><status>"
    "<node_state id='1' uname='n1' in_ccm='true' crmd='online'/>"
    "<node_state id='2' uname='n2' in_ccm='true' crmd='online'><transient_attributes id='2'>"
    "<instance_attributes id='s2'>";
static const char cib_tail[] = "</instance_attributes></transient_attributes></node_state></status></cib>";

static void set_cib(const char *n2_attrs)
{
    char *xml = NULL;

    assert_true(asprintf(&xml, "%s%s%s", cib_head, n2_attrs, cib_tail) > 0);
    write_file(toolsdir, "cib.xml", xml, 0644);
    free(xml);
}

/*
 * Admission control in the agent: start and stop publish the host's
 * baton-vm-host value and the failover answer of every node; the monitor
 * looks at most every VM_ADM_CHECK_S and writes only what changed.
 */
static void test_admission_attributes(void **state)
{
    const char *sized[] = { "OCF_RESKEY_target_memory=1024", "OCF_RESKEY_host_memory=4096", NULL };

    write_file(toolsdir, "attrd_updater", "#!/bin/sh\nprintf '%s\\n' \"$@\" >>\"$(dirname \"$0\")/attrd.log\"\n", 0755);
    write_file(toolsdir, "cibadmin", "#!/bin/sh\n[ \"$1\" = --query ] && cat \"$(dirname \"$0\")/cib.xml\"\n", 0755);
    write_file(toolsdir, "crm_node", "#!/bin/sh\necho n1\n", 0755);
    /* n2: 2048 MiB, empty */
    set_cib("<nvpair id='h2' name='baton-vm-host' value='1 cap=2097152'/>");
    (void) attrd_calls();

    /* stopped: nothing here; either node's failure loses nothing */
    assert_int_equal(run_action("stop", sized), BATON_OCF_SUCCESS);
    assert_string_equal(attrd_calls(),
                        "--name\nbaton-vm-host\n--update\n1 cap=4194304\n"
                        "--name\nbaton-failover-ok\n--update\n1\n--node\nn1\n"
                        "--name\nbaton-failover-headroom-mib\n--update\n2048\n--node\nn1\n"
                        "--name\nbaton-failover-ok\n--update\n1\n--node\nn2\n"
                        "--name\nbaton-failover-headroom-mib\n--update\n4096\n--node\nn2\n");

    /* started: its resource, sizes and priority published; n2 would take it; n2's answer is already right */
    set_cib("<nvpair id='h2' name='baton-vm-host' value='1 cap=2097152'/>"
            "<nvpair id='o2' name='baton-failover-ok' value='1'/>"
            "<nvpair id='r2' name='baton-failover-headroom-mib' value='3072'/>");
    assert_int_equal(run_action("start", sized), BATON_OCF_SUCCESS);
    assert_string_equal(attrd_calls(),
                        "--name\nbaton-vm-host\n--update\n"
                        "1 cap=4194304 unit:test:1048576:1048576:1048576:0:c\n"
                        "--name\nbaton-failover-ok\n--update\n1\n--node\nn1\n"
                        "--name\nbaton-failover-headroom-mib\n--update\n1024\n--node\nn1\n");

    /* a monitor right after: nothing to do */
    assert_int_equal(run_action("monitor", sized), BATON_OCF_SUCCESS);
    assert_string_equal(attrd_calls(), "");

    /*
     * later, n2 shrank to 512 MiB: the host is unchanged, the answer for n1
     * turns bad; the CIB has n1's value, so it is not written again
     */
    set_cib("<nvpair id='h2' name='baton-vm-host' value='1 cap=524288'/>"
            "<nvpair id='o2' name='baton-failover-ok' value='1'/>"
            "<nvpair id='r2' name='baton-failover-headroom-mib' value='3072'/>"
            "</instance_attributes></transient_attributes></node_state>"
            "<node_state id='1' uname='n1' in_ccm='true' crmd='online'><transient_attributes id='1'>"
            "<instance_attributes id='s1'>"
            "<nvpair id='h1' name='baton-vm-host' value='1 cap=4194304 unit:test:1048576:1048576:1048576:0:c'/>");
    forget_checks();
    assert_int_equal(run_action("monitor", sized), BATON_OCF_SUCCESS);
    assert_string_equal(attrd_calls(),
                        "--name\nbaton-failover-ok\n--update\n0\n--node\nn1\n"
                        "--name\nbaton-failover-headroom-mib\n--update\n-512\n--node\nn1\n");

    /* the attribute manager lost n1's value (restarted): the next forecast writes it again */
    set_cib("<nvpair id='h2' name='baton-vm-host' value='1 cap=524288'/>");
    forget_checks();
    assert_int_equal(run_action("monitor", sized), BATON_OCF_SUCCESS);
    assert_string_equal(attrd_calls(),
                        "--name\nbaton-vm-host\n--update\n1 cap=4194304 unit:test:1048576:1048576:1048576:0:c\n"
                        "--name\nbaton-failover-ok\n--update\n0\n--node\nn1\n"
                        "--name\nbaton-failover-headroom-mib\n--update\n-512\n--node\nn1\n"
                        "--name\nbaton-failover-ok\n--update\n1\n--node\nn2\n"
                        "--name\nbaton-failover-headroom-mib\n--update\n3072\n--node\nn2\n");

    /* no cluster tools: the monitor still succeeds */
    write_file(toolsdir, "attrd_updater", "#!/bin/sh\nexit 102\n", 0755);
    forget_checks();
    assert_int_equal(run_action("stop", sized), BATON_OCF_SUCCESS);
    assert_int_equal(run_action("monitor", sized), BATON_OCF_NOT_RUNNING);
    assert_int_equal(run_action("start", sized), BATON_OCF_SUCCESS);
}

static void test_probe_without_hypervisor(void **state)
{
    /* a URI whose daemon is not there: a probe answers 7, a recurring monitor and stop fail */
    const char *probe[] = { "OCF_RESKEY_hypervisor=test+unix:///default?socket=/nonexistent/sock", NULL };
    const char *recurring[] = { "OCF_RESKEY_hypervisor=test+unix:///default?socket=/nonexistent/sock",
                                "OCF_RESKEY_CRM_meta_interval=10000", NULL };

    assert_int_equal(run_action("monitor", recurring), BATON_OCF_ERR_GENERIC);
    assert_int_equal(run_action("stop", probe), BATON_OCF_ERR_GENERIC);
    /* not qemu:///system and not Xen: unknown, so an error rather than "not running" */
    assert_int_equal(run_action("monitor", probe), BATON_OCF_ERR_GENERIC);
}

int main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(test_size_units),
        cmocka_unit_test(test_domain_xml),
        cmocka_unit_test(test_saveconfig_xml),
        cmocka_unit_test(test_policy_roundtrip),
        cmocka_unit_test(test_shutdown_mode),
        cmocka_unit_test(test_health_parsing),
        cmocka_unit_test(test_health_tcp_refused),
        cmocka_unit_test(test_state_mapping),
    };
    const struct CMUnitTest libvirt[] = {
        cmocka_unit_test(test_validate),
        cmocka_unit_test(test_validate_vd_params),
        cmocka_unit_test(test_resources),
        cmocka_unit_test(test_policy_on_domain),
        cmocka_unit_test(test_host_collect_and_balloon),
        cmocka_unit_test(test_actions_lifecycle),
        cmocka_unit_test(test_admission_attributes),
        cmocka_unit_test(test_probe_without_hypervisor),
    };
    int r = cmocka_run_group_tests(pure, NULL, NULL);

    return r + cmocka_run_group_tests(libvirt, group_setup, group_teardown);
}
