/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of vm-migrate-options.c: migrate_options as libvirt flags and
 * typed parameters (every option mapped or refused by name), conflicts with
 * the other migration parameters, migration_user, the derived data URI.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "vm-migrate-options.h"

static const vm_mopt_param *find(const vm_migrate_options *o, const char *name, size_t nth)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->params[i].name, name) == 0 && nth-- == 0)
            return &o->params[i];
    return NULL;
}

static void test_empty(void **state)
{
    vm_migrate_options o;
    char *why = NULL;

    (void) state;
    assert_int_equal(vm_migrate_options_parse(NULL, &o, &why), 0);
    assert_int_equal(o.flags, 0);
    assert_int_equal(vm_migrate_options_parse(" \t ", &o, &why), 0);
    assert_int_equal(o.n, 0);
    assert_null(o.migrateuri);
    assert_null(why);
}

static void test_flags(void **state)
{
    static const struct {
        const char *opt;
        unsigned int flag;
    } cases[] = {
        { "--live", VIR_MIGRATE_LIVE },
        { "--p2p", VIR_MIGRATE_PEER2PEER },
        { "--tunnelled", VIR_MIGRATE_TUNNELLED },
        { "--persistent", VIR_MIGRATE_PERSIST_DEST },
        { "--undefinesource", VIR_MIGRATE_UNDEFINE_SOURCE },
        { "--suspend", VIR_MIGRATE_PAUSED },
        { "--copy-storage-all", VIR_MIGRATE_NON_SHARED_DISK },
        { "--copy-storage-inc", VIR_MIGRATE_NON_SHARED_INC },
        { "--copy-storage-synchronous-writes", VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES },
        { "--change-protection", VIR_MIGRATE_CHANGE_PROTECTION },
        { "--unsafe", VIR_MIGRATE_UNSAFE },
        { "--compressed", VIR_MIGRATE_COMPRESSED },
        { "--abort-on-error", VIR_MIGRATE_ABORT_ON_ERROR },
        { "--auto-converge", VIR_MIGRATE_AUTO_CONVERGE },
        { "--rdma-pin-all", VIR_MIGRATE_RDMA_PIN_ALL },
        { "--postcopy", VIR_MIGRATE_POSTCOPY },
        { "--tls", VIR_MIGRATE_TLS },
        { "--parallel", VIR_MIGRATE_PARALLEL },
        { "--zerocopy", VIR_MIGRATE_ZEROCOPY },
        { "--verbose", 0 },
    };
    vm_migrate_options o;
    char *why = NULL;

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(vm_migrate_options_parse(cases[i].opt, &o, &why), 0);
        assert_int_equal(o.flags, cases[i].flag);
        assert_int_equal(o.n, 0);
        vm_migrate_options_clear(&o);
    }
    assert_int_equal(vm_migrate_options_parse("--unsafe  --compressed\t--auto-converge --unsafe", &o, &why), 0);
    assert_int_equal(o.flags, VIR_MIGRATE_UNSAFE | VIR_MIGRATE_COMPRESSED | VIR_MIGRATE_AUTO_CONVERGE);
    vm_migrate_options_clear(&o);
}

static void test_params(void **state)
{
    vm_migrate_options o;
    char *why = NULL;
    const vm_mopt_param *p;

    (void) state;
    assert_int_equal(vm_migrate_options_parse("--parallel --parallel-connections 4 --bandwidth=100 "
                                              "--postcopy-bandwidth 50 --comp-methods mt,xbzrle "
                                              "--comp-xbzrle-cache 18446744073709551615 "
                                              "--migrate-disks vda,vdb --listen-address 0.0.0.0 "
                                              "--migrateuri tcp://%n-mig:49152 --disks-port=49153 "
                                              "--tls-destination host.example --graphicsuri spice://x "
                                              "--disks-uri tcp://d --comp-mt-level 9 --comp-mt-threads 2 "
                                              "--comp-mt-dthreads 2 --auto-converge-initial 20 "
                                              "--auto-converge-increment 10", &o, &why), 0);
    assert_int_equal(o.flags, VIR_MIGRATE_PARALLEL);
    p = find(&o, VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS, 0);
    assert_non_null(p);
    assert_int_equal(p->type, VM_MOPT_INT);
    assert_int_equal(p->num, 4);
    p = find(&o, VIR_MIGRATE_PARAM_BANDWIDTH, 0);
    assert_int_equal(p->type, VM_MOPT_ULLONG);
    assert_int_equal(p->num, 100);
    assert_true(o.bandwidth);
    assert_int_equal(find(&o, VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY, 0)->num, 50);
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_COMPRESSION, 0)->str, "mt");
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_COMPRESSION, 1)->str, "xbzrle");
    assert_true(find(&o, VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE, 0)->num == UINT64_MAX);
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_MIGRATE_DISKS, 0)->str, "vda");
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_MIGRATE_DISKS, 1)->str, "vdb");
    assert_null(find(&o, VIR_MIGRATE_PARAM_MIGRATE_DISKS, 2));
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_LISTEN_ADDRESS, 0)->str, "0.0.0.0");
    assert_string_equal(o.migrateuri, "tcp://%n-mig:49152");
    assert_int_equal(find(&o, VIR_MIGRATE_PARAM_DISKS_PORT, 0)->num, 49153);
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_TLS_DESTINATION, 0)->str, "host.example");
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_GRAPHICS_URI, 0)->str, "spice://x");
    assert_string_equal(find(&o, VIR_MIGRATE_PARAM_DISKS_URI, 0)->str, "tcp://d");
    assert_int_equal(find(&o, VIR_MIGRATE_PARAM_COMPRESSION_MT_LEVEL, 0)->num, 9);
    assert_int_equal(find(&o, VIR_MIGRATE_PARAM_COMPRESSION_MT_THREADS, 0)->num, 2);
    assert_int_equal(find(&o, VIR_MIGRATE_PARAM_COMPRESSION_MT_DTHREADS, 0)->num, 2);
    assert_int_equal(find(&o, VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL, 0)->num, 20);
    assert_int_equal(find(&o, VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT, 0)->num, 10);
    vm_migrate_options_clear(&o);
    assert_null(o.migrateuri);
    assert_int_equal(o.n, 0);
}

/* Each refusal is -EINVAL with a reason that contains the expected text. */
static void test_refused(void **state)
{
    static const struct {
        const char *opts;
        const char *reason;
    } cases[] = {
        { "--frobnicate", "'--frobnicate' is not a virsh migrate option" },
        { "--unsafe --frobnicate=1", "'--frobnicate=1' is not a virsh migrate option" },
        { "--offline", "'--offline' is refused: the agent migrates the running guest live" },
        { "--dname other", "'--dname' is refused" },
        { "--timeout 30", "'--timeout' is refused" },
        { "--postcopy-after-precopy", "'--postcopy-after-precopy' is refused" },
        { "--xml /tmp/x.xml", "'--xml' is refused" },
        { "--direct", "'--direct' is refused" },
        { "guest1", "'guest1' is not an option" },
        { "--", "'--' is not an option" },
        { "-v", "'-v' is not an option" },
        { "--unsafe=yes", "--unsafe takes no value" },
        { "--bandwidth", "--bandwidth needs a value" },
        { "--bandwidth=", "--bandwidth needs a value" },
        { "--bandwidth --compressed", "--bandwidth needs a value" },
        { "--bandwidth -1", "--bandwidth '-1' is not a non-negative integer" },
        { "--bandwidth 1e3", "--bandwidth '1e3' is not a non-negative integer" },
        { "--bandwidth 18446744073709551616", "is not a non-negative integer in range" },
        { "--parallel-connections 2147483648", "--parallel-connections '2147483648' is not" },
        { "--bandwidth 1 --bandwidth 2", "--bandwidth is given twice" },
        { "--migrateuri a --migrateuri b", "--migrateuri is given twice" },
        { "--migrate-disks vda,,vdb", "has an empty item" },
        { "--migrate-disks vda --migrate-disks vdb", "--migrate-disks is given twice" },
        { "--compressed 'x'", "''' is not interpreted" },
        { "--listen-address \"a b\"", "'\"' is not interpreted" },
        { "--unsafe; rm -rf /", "'--unsafe;' is not a virsh migrate option" },
        { "--graphicsuri $(id)", "'$' is not interpreted" },
        { "--graphicsuri a\\ b", "'\\' is not interpreted" },
    };
    vm_migrate_options o;

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *why = NULL;

        assert_int_equal(vm_migrate_options_parse(cases[i].opts, &o, &why), -EINVAL);
        assert_non_null(why);
        if (!strstr(why, cases[i].reason))
            fail_msg("'%s': reason '%s' lacks '%s'", cases[i].opts, why, cases[i].reason);
        assert_int_equal(o.n, 0);
        assert_null(o.migrateuri);
        free(why);
    }
}

static void test_conflict(void **state)
{
    vm_migrate_options o = {0};
    unsigned int managed = VIR_MIGRATE_LIVE | VIR_MIGRATE_ABORT_ON_ERROR;
    char *why = NULL;

    (void) state;
    assert_null(vm_migrate_options_conflict(&o, managed, 0, false));
    assert_null(vm_migrate_options_conflict(&o, managed, 100, true));
    o.flags = VIR_MIGRATE_TUNNELLED;
    assert_non_null(strstr(vm_migrate_options_conflict(&o, managed, 0, false), "--tunnelled needs peer-to-peer"));
    assert_null(vm_migrate_options_conflict(&o, managed | VIR_MIGRATE_PEER2PEER, 0, false));
    o.flags |= VIR_MIGRATE_PEER2PEER;
    assert_null(vm_migrate_options_conflict(&o, managed, 0, false));
    o.flags = VIR_MIGRATE_NON_SHARED_DISK | VIR_MIGRATE_NON_SHARED_INC;
    assert_non_null(vm_migrate_options_conflict(&o, managed, 0, false));

    assert_int_equal(vm_migrate_options_parse("--bandwidth 10 --migrateuri tcp://x", &o, &why), 0);
    assert_null(vm_migrate_options_conflict(&o, managed, 0, false));
    assert_non_null(strstr(vm_migrate_options_conflict(&o, managed, 5, false), "migration_speed"));
    assert_non_null(strstr(vm_migrate_options_conflict(&o, managed, 0, true), "migrateuri"));
    vm_migrate_options_clear(&o);
}

static void test_user(void **state)
{
    char *s = NULL;

    (void) state;
    assert_true(vm_migrate_user_valid("root"));
    assert_true(vm_migrate_user_valid("ha-mig2"));
    assert_false(vm_migrate_user_valid(""));
    assert_false(vm_migrate_user_valid(NULL));
    assert_false(vm_migrate_user_valid("Root"));
    assert_false(vm_migrate_user_valid("2x"));
    assert_false(vm_migrate_user_valid("a@b"));
    assert_false(vm_migrate_user_valid("a/b"));
    assert_false(vm_migrate_user_valid("a b"));

    assert_int_equal(vm_uri_add_user("qemu+ssh://node2/system", "ha", &s), 0);
    assert_string_equal(s, "qemu+ssh://ha@node2/system");
    free(s);
    assert_int_equal(vm_uri_add_user("qemu+ssh://node2:22/system", "", &s), 0);
    assert_string_equal(s, "qemu+ssh://node2:22/system");
    free(s);
    assert_int_equal(vm_uri_add_user("qemu+ssh://node2/system", NULL, &s), 0);
    assert_string_equal(s, "qemu+ssh://node2/system");
    free(s);
    assert_int_equal(vm_uri_add_user("node2", "ha", &s), -EINVAL);
}

static void test_data_uri(void **state)
{
    char *s = NULL;

    (void) state;
    /* nothing asks for a data URI: libvirt's choice */
    assert_int_equal(vm_migrate_data_uri("qemu:///system", "node2", false, 0, &s), 1);
    assert_null(s);
    assert_int_equal(vm_migrate_data_uri("qemu:///system", "node2-mig", true, 0, &s), 0);
    assert_string_equal(s, "tcp://node2-mig");
    free(s);
    assert_int_equal(vm_migrate_data_uri("qemu+ssh://x/system", "node2-mig.example.com", true, 49152, &s), 0);
    assert_string_equal(s, "tcp://node2-mig.example.com:49152");
    free(s);
    /* a port alone is used too (VirtualDomain only uses it with the suffix) */
    assert_int_equal(vm_migrate_data_uri("qemu:///system", "node2", false, 49200, &s), 0);
    assert_string_equal(s, "tcp://node2:49200");
    free(s);
    assert_int_equal(vm_migrate_data_uri("xen:///system", "node2-mig", true, 0, &s), 0);
    assert_string_equal(s, "node2-mig");
    free(s);
    assert_int_equal(vm_migrate_data_uri("xen:///system", "node2-mig", true, 8002, &s), -EINVAL);
    assert_int_equal(vm_migrate_data_uri("lxc:///", "node2-mig", true, 0, &s), 1);
    assert_int_equal(vm_migrate_data_uri("lxc:///", "node2", false, 1, &s), -EINVAL);
    assert_int_equal(vm_migrate_data_uri("qemuz:///system", "n", false, 1, &s), -EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_flags),
        cmocka_unit_test(test_params),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_conflict),
        cmocka_unit_test(test_user),
        cmocka_unit_test(test_data_uri),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
