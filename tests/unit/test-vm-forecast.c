/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of admission control: the baton-vm-host attribute
 * (agents/vm/vm-hostattr.c), the cluster-wide forecast (vm-forecast.c), the
 * CIB reader (vm-cib.c), and that the forecast plans exactly what the
 * agent's start would plan on the same host (vm_host_to_plan +
 * vm_plan_make_room, the start's path).
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

#include "vm.h"
#include "vm-cib.h"
#include "vm-forecast.h"
#include "vm-hostattr.h"
#include "vm-memory.h"
#include "vm-plan.h"

#define M 1024ULL               /* one MiB in KiB */

/* ------------------------------------------------------------ attribute */

static void test_hostattr_roundtrip(void **state)
{
    vm_plan_vm vms[] = {
        { .name = "web", .current_kib = 2048 * M, .floor_kib = 1024 * M, .target_kib = 2048 * M, .priority = -3,
          .cooperative = true },
        { .name = "my vm:1%", .current_kib = 512 * M, .floor_kib = 512 * M, .target_kib = 512 * M },
        { .name = "db", .current_kib = 4096 * M, .floor_kib = 2048 * M, .target_kib = 4096 * M, .priority = 10,
          .cooperative = true },
    };
    const char *rsc[] = { "vm-web", NULL, "vm_db" };
    char *s = vm_hostattr_encode(7168 * M, vms, rsc, 3);
    vm_hostattr h;

    (void) state;
    assert_non_null(s);
    /* sorted by domain name; the unmanaged domain's name escaped */
    assert_string_equal(s, "1 cap=7340032 vm_db:db:4194304:2097152:4194304:10:c "
                           "-:my%20vm%3A1%25:524288:524288:524288:0:u "
                           "vm-web:web:2097152:1048576:2097152:-3:c");
    assert_int_equal(vm_hostattr_decode(s, &h), 0);
    assert_int_equal(h.capacity_kib, 7168 * M);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.vms[0].resource, "vm_db");
    assert_string_equal(h.vms[0].vm.name, "db");
    assert_int_equal(h.vms[0].vm.priority, 10);
    assert_true(h.vms[0].vm.cooperative);
    assert_null(h.vms[1].resource);
    assert_string_equal(h.vms[1].vm.name, "my vm:1%");
    assert_false(h.vms[1].vm.cooperative);
    assert_int_equal(h.vms[2].vm.priority, -3);
    assert_int_equal(h.vms[2].vm.floor_kib, 1024 * M);
    vm_hostattr_clear(&h);
    free(s);

    s = vm_hostattr_encode(100, NULL, NULL, 0);
    assert_string_equal(s, "1 cap=100");
    assert_int_equal(vm_hostattr_decode(s, &h), 0);
    assert_int_equal(h.n, 0);
    assert_int_equal(h.capacity_kib, 100);
    vm_hostattr_clear(&h);
    free(s);
}

static void test_hostattr_refused(void **state)
{
    static const char *const bad[] = {
        "", "x", "1", "1 cap=", "1 cap=x", "1  cap=5", "1 cap=5 ", "1 cap=5  a:b:1:1:1:0:c",
        "1 cap=5 a:b:1:1:1:0", "1 cap=5 a:b:1:1:1:0:x", "1 cap=5 a:b:1:1:1:0:cc", "1 cap=5 a:b:1:1:1:0:c:z",
        "1 cap=5 a::1:1:1:0:c", "1 cap=5 a:b:-1:1:1:0:c", "1 cap=5 a:b:1:1:1:x:c", "1 cap=5 a:%00:1:1:1:0:c",
        "1 cap=5 a:%4:1:1:1:0:c", "1 cap=5 a:b c:1:1:1:0:c", "1 cap=5 a:b:1:1:1:2147483648:c",
    };
    vm_hostattr h;

    (void) state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (vm_hostattr_decode(bad[i], &h) != -EINVAL)
            fail_msg("accepted or wrong error: \"%s\"", bad[i]);
        assert_int_equal(h.n, 0);
    }
    assert_int_equal(vm_hostattr_decode("2 cap=5", &h), -EPROTONOSUPPORT);
    assert_int_equal(vm_hostattr_decode("1 cap=281474976710657", &h), -ERANGE);
    assert_int_equal(vm_hostattr_decode("1 cap=5 a:b:281474976710657:1:1:0:c", &h), -ERANGE);
    assert_int_equal(vm_hostattr_decode("1 cap=5 a:b:1:1:1:-2147483648:u", &h), 0);
    assert_int_equal(h.vms[0].vm.priority, INT32_MIN);
    vm_hostattr_clear(&h);
    assert_int_equal(vm_hostattr_decode(NULL, &h), -EINVAL);
}

/* ------------------------------------------------------------ forecast */

typedef struct fixture {
    vm_hostattr hosts[4];
    vm_fc_node nodes[4];
    vm_fc_cluster c;
} fixture;

static void fixture_init(fixture *f, const char *const *names, const char *const *values, size_t n)
{
    memset(f, 0, sizeof(*f));
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(vm_hostattr_decode(values[i], &f->hosts[i]), 0);
        f->nodes[i] = (vm_fc_node) { .name = names[i], .online = true, .host = &f->hosts[i] };
    }
    f->c = (vm_fc_cluster) { .nodes = f->nodes, .n_nodes = n };
}

static void fixture_clear(fixture *f)
{
    for (size_t i = 0; i < 4; i++)
        vm_hostattr_clear(&f->hosts[i]);
}

/* Three hosts (sizes in MiB below; the values are KiB). */
static const char *const abc_names[] = { "a", "b", "c" };
static const char *const abc_values[] = {
    /* a: 8192; db 4096 (floor 2048, prio 10), web 2048 (floor 1024, prio 0) */
    "1 cap=8388608 db:db:4194304:2097152:4194304:10:c web:web:2097152:1048576:2097152:0:c",
    /* b: 8192; b1 4096 (floor 2048, prio 5), an unmanaged domain of 2048 */
    "1 cap=8388608 b1:b1:4194304:2097152:4194304:5:c -:b2:2097152:2097152:2097152:0:u",
    /* c: 4096; c1 3072 at its floor */
    "1 cap=4194304 c1:c1:3145728:3145728:3145728:0:c",
};

static const vm_fc_start *start_of(const vm_fc_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_starts; i++)
        if (strcmp(r->starts[i].name, name) == 0)
            return &r->starts[i];
    fail_msg("no start for %s", name);
    return NULL;
}

static void test_forecast_each_node(void **state)
{
    fixture f;
    vm_fc_result r;

    (void) state;
    fixture_init(&f, abc_names, abc_values, 3);

    /* a fails: db first (priority 10): b and c tie (one VM each), b by name; b1 gives 2048 */
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_string_equal(r.failed, "a");
    assert_int_equal(r.n_starts, 2);
    assert_string_equal(r.starts[0].name, "db");
    assert_string_equal(r.starts[0].node, "b");
    assert_int_equal(r.starts[0].start_kib, 4096 * M);
    /* web: c now runs fewer VMs; it starts at its floor from c's free 1024 */
    assert_string_equal(r.starts[1].name, "web");
    assert_string_equal(r.starts[1].node, "c");
    assert_int_equal(r.starts[1].start_kib, 1024 * M);
    assert_int_equal(r.n_shrinks, 1);
    assert_string_equal(r.shrinks[0].node, "b");
    assert_string_equal(r.shrinks[0].name, "b1");
    assert_int_equal(r.shrinks[0].from_kib, 4096 * M);
    assert_int_equal(r.shrinks[0].to_kib, 2048 * M);
    assert_int_equal(r.n_stopped, 0);
    /* b: 8192 - (2048 + 2048 + 2048); c: 4096 - (3072 + 1024) */
    assert_int_equal(r.headroom_kib, 2048 * M);
    assert_int_equal(vm_fc_headroom_mib(&r), 2048);
    vm_fc_result_clear(&r);

    /* b fails: only b1 comes back (b2 is no resource); c (1 VM) is tried first and is short by 1024 */
    assert_int_equal(vm_forecast_node(&f.c, 1, &r), 0);
    assert_int_equal(r.n_starts, 1);
    assert_string_equal(r.starts[0].node, "a");
    assert_int_equal(r.starts[0].n_candidates, 2);
    /* a's free 2048, web (priority 0) gives 1024, b1 starts 1024 below its target */
    assert_int_equal(r.starts[0].start_kib, 3072 * M);
    assert_int_equal(r.n_shrinks, 1);
    assert_string_equal(r.shrinks[0].name, "web");
    assert_int_equal(r.shrinks[0].to_kib, 1024 * M);
    vm_fc_result_clear(&r);

    /* c fails: c1 to b (a and b run... a 2 VMs, b 1) */
    assert_int_equal(vm_forecast_node(&f.c, 2, &r), 0);
    assert_string_equal(r.starts[0].node, "b");
    assert_int_equal(r.starts[0].start_kib, 3072 * M);
    assert_int_equal(r.n_shrinks, 1);
    assert_string_equal(r.shrinks[0].name, "b1");
    assert_int_equal(r.shrinks[0].to_kib, 3072 * M);
    vm_fc_result_clear(&r);

    assert_int_equal(vm_forecast_node(&f.c, 3, &r), -EINVAL);
    fixture_clear(&f);
}

static void test_forecast_shortfall(void **state)
{
    static const char *const names[] = { "x", "y" };
    static const char *const values[] = {
        "1 cap=4194304 big:big:4194304:3145728:4194304:10:c",
        /* y1 can give 1024; 512 unmanaged */
        "1 cap=4194304 y1:y1:3145728:2097152:3145728:20:c -:other:524288:524288:524288:0:u",
    };
    fixture f;
    vm_fc_result r;

    (void) state;
    fixture_init(&f, names, values, 2);
    /* free 512, y1 gives 1024, big may start 1024 below target: 4096 - 512 - 2048 = 1536 short */
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_int_equal(r.n_stopped, 1);
    assert_null(r.starts[0].node);
    assert_int_equal(r.starts[0].shortfall_kib, 1536 * M);
    assert_int_equal(r.starts[0].n_candidates, 1);
    assert_int_equal(r.n_shrinks, 0);
    assert_int_equal(vm_fc_headroom_mib(&r), -1536);
    vm_fc_result_clear(&r);

    /* y offline: no candidate at all */
    f.nodes[1].online = false;
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_int_equal(r.n_stopped, 1);
    assert_int_equal(r.starts[0].n_candidates, 0);
    assert_int_equal(r.starts[0].shortfall_kib, 0);
    vm_fc_result_clear(&r);
    f.nodes[1].online = true;
    f.nodes[1].standby = true;
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_int_equal(r.starts[0].n_candidates, 0);
    vm_fc_result_clear(&r);

    /* a node without data cannot be planned for; its own failure restarts nothing known */
    f.nodes[1].standby = false;
    f.nodes[0].host = NULL;
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_false(r.failed_has_data);
    assert_int_equal(r.n_starts, 0);
    assert_int_equal(r.n_stopped, 0);
    vm_fc_result_clear(&r);
    assert_int_equal(vm_forecast_node(&f.c, 1, &r), 0);
    assert_int_equal(r.n_starts, 1);
    assert_int_equal(r.starts[0].n_candidates, 0);
    vm_fc_result_clear(&r);
    fixture_clear(&f);
}

static void test_forecast_locations(void **state)
{
    vm_fc_location ban[] = { { "db", "b", -VM_FC_INFINITY }, { "db", "b", 100 } };
    vm_fc_location prefer[] = { { "web", "b", 50 } };
    vm_fc_location opt_in[] = { { "db", "c", 0 }, { "web", "c", -5 } };
    fixture f;
    vm_fc_result r;
    bool set;

    (void) state;
    fixture_init(&f, abc_names, abc_values, 3);

    assert_int_equal(vm_fc_location_score(&f.c, "db", "b", &set), 0);
    assert_false(set);
    f.c.locations = ban;
    f.c.n_locations = 2;
    /* -INFINITY wins over any positive score */
    assert_int_equal(vm_fc_location_score(&f.c, "db", "b", &set), -VM_FC_INFINITY);
    assert_true(set);
    /* db banned from b: c alone, 1024 short; web then goes to b (tie, by name), from free memory */
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_null(start_of(&r, "db")->node);
    assert_int_equal(start_of(&r, "db")->n_candidates, 1);
    assert_int_equal(start_of(&r, "db")->shortfall_kib, 1024 * M);
    assert_string_equal(start_of(&r, "web")->node, "b");
    assert_int_equal(start_of(&r, "web")->start_kib, 2048 * M);
    assert_int_equal(r.n_stopped, 1);
    assert_int_equal(r.n_shrinks, 0);
    vm_fc_result_clear(&r);

    /* a location score beats the even spread: web to b although b runs more VMs by then */
    f.c.locations = prefer;
    f.c.n_locations = 1;
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_string_equal(start_of(&r, "db")->node, "b");
    assert_string_equal(start_of(&r, "web")->node, "b");
    vm_fc_result_clear(&r);

    /* opt-in cluster: only nodes with a score >= 0; web has none */
    f.c.locations = opt_in;
    f.c.n_locations = 2;
    f.c.opt_in = true;
    assert_int_equal(vm_forecast_node(&f.c, 0, &r), 0);
    assert_int_equal(start_of(&r, "db")->n_candidates, 1);
    assert_null(start_of(&r, "db")->node);
    assert_int_equal(start_of(&r, "web")->n_candidates, 0);
    assert_int_equal(r.n_stopped, 2);
    /* the shortfalls add up: 1024 for db, none known for web */
    assert_int_equal(vm_fc_headroom_mib(&r), -1024);
    vm_fc_result_clear(&r);
    fixture_clear(&f);
}

static void test_forecast_pair(void **state)
{
    const size_t ab[] = { 0, 1 }, aa[] = { 0, 0 }, abc[] = { 0, 1, 2 };
    fixture f;
    vm_fc_result r;

    (void) state;
    fixture_init(&f, abc_names, abc_values, 3);
    /* a and b at once: c alone takes what it can, highest priority first */
    assert_int_equal(vm_forecast_nodes(&f.c, ab, 2, &r), 0);
    assert_int_equal(r.n_failed, 2);
    assert_string_equal(r.failed, "a");
    assert_string_equal(r.failed_nodes[1], "b");
    assert_int_equal(r.n_starts, 3);
    assert_string_equal(r.starts[0].name, "db");
    assert_null(r.starts[0].node);
    assert_int_equal(r.starts[0].shortfall_kib, 1024 * M);
    assert_string_equal(r.starts[1].name, "b1");
    assert_null(r.starts[1].node);
    assert_int_equal(r.starts[1].shortfall_kib, 1024 * M);
    /* web fits at its floor in c's free 1024 */
    assert_string_equal(r.starts[2].name, "web");
    assert_string_equal(r.starts[2].node, "c");
    assert_int_equal(r.starts[2].start_kib, 1024 * M);
    assert_int_equal(r.n_stopped, 2);
    assert_int_equal(vm_fc_headroom_mib(&r), -2048);
    vm_fc_result_clear(&r);

    assert_int_equal(vm_forecast_nodes(&f.c, aa, 2, &r), -EINVAL);
    assert_int_equal(vm_forecast_nodes(&f.c, abc, 3, &r), -EINVAL);
    assert_int_equal(vm_forecast_nodes(&f.c, ab, 0, &r), -EINVAL);
    fixture_clear(&f);
}

static void test_headroom_rounding(void **state)
{
    vm_fc_result r = { .headroom_kib = 2047 };

    (void) state;
    assert_int_equal(vm_fc_headroom_mib(&r), 1);
    r.headroom_kib = -1;
    assert_int_equal(vm_fc_headroom_mib(&r), -1);
    r.headroom_kib = -2048;
    assert_int_equal(vm_fc_headroom_mib(&r), -2);
}

/* ------------------------------------------------------------ agreement with the agent's start */

/* A host as vm_host_collect() would return it (no libvirt objects: the planner path never uses them). */
static void host_vm(vm_host_vm *v, const char *name, uint64_t actual, bool managed, uint64_t floor_,
                    uint64_t target, int prio, bool uncooperative, const char *rsc)
{
    *v = (vm_host_vm) { .name = (char *) name, .actual_kib = actual, .managed = managed };
    v->policy = (vm_policy) { .floor_kib = floor_, .target_kib = target, .priority = prio,
                              .uncooperative = uncooperative };
    if (rsc)
        strcpy(v->policy.resource, rsc);
}

/*
 * For each capacity, demand and priority: the agent's start on host s (its
 * path: vm_host_to_plan, vm_plan_make_room with the demand from the VM's
 * policy) and the forecast for the failure of the VM's host f, from the
 * attribute values both hosts publish (vm_host_attr_value), must give the
 * same start size, the same balloon changes, or the same shortfall.
 */
static void test_forecast_agrees_with_start(void **state)
{
    static const uint64_t caps[] = { 6144 * M, 8192 * M, 12288 * M };
    static const uint64_t wants[][2] = { { 4096 * M, 4096 * M }, { 4096 * M, 2048 * M }, { 8192 * M, 6144 * M },
                                         { 1024 * M, 512 * M } };
    static const int prios[] = { -1, 5, 10, 20 };
    vm_host_vm sv[4], fv[1];
    vm_host s = { .vms = sv, .n = 4, .node_kib = 16384 * M };
    vm_host f = { .vms = fv, .n = 1, .node_kib = 16384 * M };
    size_t checked = 0, shrinking = 0, short_ = 0;

    (void) state;
    host_vm(&sv[0], "s-low", 3072 * M, true, 1024 * M, 3072 * M, 0, false, "s-low");
    host_vm(&sv[1], "s-high", 2048 * M, true, 1536 * M, 4096 * M, 10, false, "s-high");
    host_vm(&sv[2], "s-deaf", 1024 * M, true, 512 * M, 1024 * M, -5, true, "s-deaf");
    host_vm(&sv[3], "unmanaged", 512 * M, false, 0, 0, 0, false, NULL);

    for (size_t ci = 0; ci < sizeof(caps) / sizeof(caps[0]); ci++)
        for (size_t wi = 0; wi < sizeof(wants) / sizeof(wants[0]); wi++)
            for (size_t pi = 0; pi < sizeof(prios) / sizeof(prios[0]); pi++) {
                uint64_t cap = vm_host_capacity_kib(&s, caps[ci], 1024 * M);
                vm_plan_vm pv[4];
                vm_plan_demand d = { .name = "newvm", .want_kib = wants[wi][0], .floor_kib = wants[wi][1],
                                     .priority = prios[pi] };
                vm_plan plan;
                char *values[2];
                const char *const names[] = { "f", "s" };
                fixture fx;
                vm_fc_result r;
                int rp;

                /* the agent on s */
                vm_host_to_plan(&s, pv);
                rp = vm_plan_make_room(cap, pv, s.n, &d, &plan);

                /* the forecast from what f and s publish */
                host_vm(&fv[0], "newvm", wants[wi][0] / 2, true, wants[wi][1], wants[wi][0], prios[pi], false,
                        "rsc-new");
                values[0] = vm_host_attr_value(&f, vm_host_capacity_kib(&f, 0, 1024 * M));
                values[1] = vm_host_attr_value(&s, cap);
                assert_non_null(values[0]);
                assert_non_null(values[1]);
                fixture_init(&fx, names, (const char *const *) values, 2);
                assert_int_equal(vm_forecast_node(&fx.c, 0, &r), 0);
                assert_int_equal(r.n_starts, 1);
                assert_string_equal(r.starts[0].resource, "rsc-new");

                if (rp == -ENOSPC) {
                    assert_null(r.starts[0].node);
                    assert_int_equal(r.starts[0].shortfall_kib, plan.shortfall_kib);
                    assert_int_equal(r.n_shrinks, 0);
                    short_++;
                } else {
                    assert_int_equal(rp, 0);
                    assert_string_equal(r.starts[0].node, "s");
                    assert_int_equal(r.starts[0].start_kib, plan.start_kib);
                    assert_int_equal(r.n_shrinks, plan.n_changes);
                    for (size_t k = 0; k < plan.n_changes; k++) {
                        const vm_plan_change *c = &plan.changes[k];
                        bool found = false;

                        for (size_t j = 0; j < r.n_shrinks; j++)
                            if (strcmp(r.shrinks[j].name, pv[c->index].name) == 0) {
                                assert_int_equal(r.shrinks[j].from_kib, c->from_kib);
                                assert_int_equal(r.shrinks[j].to_kib, c->to_kib);
                                found = true;
                            }
                        assert_true(found);
                    }
                    shrinking += plan.n_changes > 0;
                }
                checked++;
                vm_plan_clear(&plan);
                vm_fc_result_clear(&r);
                fixture_clear(&fx);
                free(values[0]);
                free(values[1]);
            }
    /* the grid covers all three outcomes */
    assert_int_equal(checked, 48);
    assert_true(shrinking > 0);
    assert_true(short_ > 0);
    assert_true(checked - shrinking - short_ > 0);
}

/* ------------------------------------------------------------ CIB */

static const char cib_xml[] =
    "<cib epoch='1' num_updates='0' admin_epoch='0'>"
    " <configuration>"
    "  <crm_config><cluster_property_set id='o'>"
    "   <nvpair id='o-s' name='symmetric-cluster' value='false'/>"
    "  </cluster_property_set></crm_config>"
    "  <nodes>"
    "   <node id='1' uname='n1'/>"
    "   <node id='2' uname='n2'><instance_attributes id='n2-ia'>"
    "    <nvpair id='n2-s' name='standby' value='on'/></instance_attributes></node>"
    "   <node id='3' uname='n3'/>"
    "  </nodes>"
    "  <resources/>"
    "  <constraints>"
    "   <rsc_location id='l1' rsc='db' node='n1' score='INFINITY'/>"
    "   <rsc_location id='cli-ban-db-on-n3' rsc='db' node='n3' score='-INFINITY'/>"
    "   <rsc_location id='l3' rsc='web' node='n2' score='-20'/>"
    "   <rsc_location id='l4' rsc='web'><rule id='r' score='10'><expression id='e' attribute='x'"
    "     operation='defined'/></rule></rsc_location>"
    "   <rsc_location id='l5' rsc='web' node='n1' score='5' role='Promoted'/>"
    "  </constraints>"
    " </configuration>"
    " <status>"
    "  <node_state id='1' uname='n1' in_ccm='true' crmd='online' join='member' expected='member'>"
    "   <transient_attributes id='1'><instance_attributes id='status-1'>"
    "    <nvpair id='a1' name='baton-vm-host' value='1 cap=1048576 db:db:524288:262144:524288:3:c'/>"
    "    <nvpair id='a2' name='baton-failover-ok' value='1'/>"
    "    <nvpair id='a3' name='baton-failover-headroom-mib' value='512'/>"
    "   </instance_attributes></transient_attributes>"
    "  </node_state>"
    "  <node_state id='2' uname='n2' in_ccm='1700000000' crmd='1700000000'>"
    "   <transient_attributes id='2'><instance_attributes id='status-2'>"
    "    <nvpair id='b1' name='baton-vm-host' value='7 future'/>"
    "   </instance_attributes></transient_attributes>"
    "  </node_state>"
    "  <node_state id='3' uname='n3' in_ccm='false' crmd='offline'/>"
    "  <node_state id='r1' uname='remote1' remote_node='true' in_ccm='true'>"
    "   <transient_attributes id='r1'><instance_attributes id='status-r1'>"
    "    <nvpair id='c1' name='standby' value='true'/>"
    "   </instance_attributes></transient_attributes>"
    "  </node_state>"
    " </status>"
    "</cib>";

static void test_cib_parse(void **state)
{
    vm_cib c;
    vm_fc_node nodes[4];
    vm_fc_cluster cl;

    (void) state;
    assert_int_equal(vm_cib_parse(cib_xml, strlen(cib_xml), &c), 0);
    assert_true(c.opt_in);
    assert_int_equal(c.n_nodes, 4);
    /* sorted by name */
    assert_string_equal(c.nodes[0].name, "n1");
    assert_true(c.nodes[0].online);
    assert_false(c.nodes[0].standby);
    assert_int_equal(c.nodes[0].host_err, 0);
    assert_int_equal(c.nodes[0].host.n, 1);
    assert_string_equal(c.nodes[0].host.vms[0].resource, "db");
    assert_string_equal(c.nodes[0].failover_ok, "1");
    assert_string_equal(c.nodes[0].failover_headroom, "512");
    /* Pacemaker 3's time stamps; standby from the configuration; a newer format */
    assert_string_equal(c.nodes[1].name, "n2");
    assert_true(c.nodes[1].online);
    assert_true(c.nodes[1].standby);
    assert_int_equal(c.nodes[1].host_err, -EPROTONOSUPPORT);
    assert_null(c.nodes[1].failover_ok);
    assert_string_equal(c.nodes[2].name, "n3");
    assert_false(c.nodes[2].online);
    assert_int_equal(c.nodes[2].host_err, -ENOENT);
    /* a remote node: online through its connection; transient standby */
    assert_string_equal(c.nodes[3].name, "remote1");
    assert_true(c.nodes[3].online);
    assert_true(c.nodes[3].standby);
    /* rules and roles are not modelled */
    assert_int_equal(c.n_locations, 3);
    assert_int_equal(c.n_skipped_locations, 2);
    assert_string_equal(c.locations[1].resource, "db");
    assert_string_equal(c.locations[1].node, "n3");
    assert_int_equal(c.locations[1].score, -VM_FC_INFINITY);
    assert_int_equal(c.locations[0].score, VM_FC_INFINITY);
    assert_int_equal(c.locations[2].score, -20);

    assert_ptr_equal(vm_cib_node_find(&c, "n3"), &c.nodes[2]);
    assert_null(vm_cib_node_find(&c, "n4"));
    assert_null(vm_cib_node_find(&c, NULL));

    /* the local value replaces the CIB's */
    assert_int_equal(vm_cib_set_host(&c, "n2", "1 cap=2048"), 0);
    assert_int_equal(c.nodes[1].host_err, 0);
    assert_int_equal(c.nodes[1].host.capacity_kib, 2048);
    assert_int_equal(vm_cib_set_host(&c, "nope", "1 cap=1"), -ENOENT);

    vm_cib_to_cluster(&c, nodes, &cl);
    assert_int_equal(cl.n_nodes, 4);
    assert_true(cl.opt_in);
    assert_ptr_equal(cl.nodes[0].host, &c.nodes[0].host);
    assert_null(cl.nodes[2].host);

    /* the forecaster: the first online node by name that runs a VM */
    assert_ptr_equal(vm_cib_forecaster(&c), &c.nodes[0]);
    assert_int_equal(vm_cib_set_host(&c, "n1", "1 cap=1048576"), 0);
    assert_null(vm_cib_forecaster(&c));
    assert_int_equal(vm_cib_set_host(&c, "n3", "1 cap=1048576 db:db:524288:262144:524288:3:c"), 0);
    assert_null(vm_cib_forecaster(&c));                  /* n3 is offline */
    assert_int_equal(vm_cib_set_host(&c, "remote1", "1 cap=1048576 db:db:524288:262144:524288:3:c"), 0);
    assert_ptr_equal(vm_cib_forecaster(&c), &c.nodes[3]);
    assert_int_equal(vm_cib_set_host(&c, "n2", "1 cap=1048576 web:web:524288:262144:524288:1:c"), 0);
    assert_ptr_equal(vm_cib_forecaster(&c), &c.nodes[1]);
    vm_cib_clear(&c);

    assert_int_equal(vm_cib_parse("<notcib/>", 9, &c), -EINVAL);
    assert_int_equal(vm_cib_parse("garbage", 7, &c), -EINVAL);
    assert_int_equal(c.n_nodes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostattr_roundtrip),
        cmocka_unit_test(test_hostattr_refused),
        cmocka_unit_test(test_forecast_each_node),
        cmocka_unit_test(test_forecast_shortfall),
        cmocka_unit_test(test_forecast_locations),
        cmocka_unit_test(test_forecast_pair),
        cmocka_unit_test(test_headroom_rounding),
        cmocka_unit_test(test_forecast_agrees_with_start),
        cmocka_unit_test(test_cib_parse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
