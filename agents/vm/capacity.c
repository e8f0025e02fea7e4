/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baton-vm-capacity: what the memory planner of ocf:baton:vm sees on this
 * host, and whether a VM of a given size (or a domain's current size, e.g.
 * the peer's VM) could start here right now, and which VMs would be shrunk.
 * Reads only: the live domains and the policy records (urn:baton:vm:1) the
 * agent stores on them. Nothing is changed.
 *
 *   baton-vm-capacity [OPTIONS] [list]
 *   baton-vm-capacity [OPTIONS] fit MiB [--floor MiB] [--priority N]
 *   baton-vm-capacity [OPTIONS] fit-domain NAME [--from URI]
 *   baton-vm-capacity cluster [--cib FILE] [--json] [--min-priority N] [--pairs]
 *
 * cluster (capacity-cluster.c) needs no libvirt: for each online node, what
 * the vm agents would do if it failed now, from the CIB and the
 * baton-vm-host node attributes the agents publish; exit status 1 when a VM
 * of priority N or more would stay stopped.
 *
 * OPTIONS: -c URI (default qemu:///system), --host-memory MiB, --host-reserve MiB
 * (the resource parameters host_memory / host_reserve; default 0 and 1024).
 * Exit status: 0 fits (or list), 1 does not fit, 2 usage or libvirt error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include <baton/cleanup.h>
#include <baton/log.h>
#include <baton/param.h>

#include "capacity.h"
#include "vm.h"
#include "vm-memory.h"
#include "vm-plan.h"

#define MIB UINT64_C(1024)
#define EXIT_NOFIT CAPACITY_EXIT_NOFIT
#define EXIT_USAGE CAPACITY_EXIT_ERROR

typedef struct options {
    const char *uri;
    const char *from;           /* fit-domain: where NAME runs (default: uri) */
    int64_t host_mib;
    int64_t reserve_mib;
    int64_t floor_mib;          /* fit: -1 = the size */
    int64_t priority;
    const char *cib;            /* cluster: a saved CIB instead of cibadmin --query */
    bool json;
    bool pairs;                 /* cluster: also every two nodes failing at once */
    int64_t min_priority;       /* cluster: the exit status counts VMs of this priority or more */
} options;

static void usage(FILE *f)
{
    fputs("usage: baton-vm-capacity [-c URI] [--host-memory MiB] [--host-reserve MiB] [list]\n"
          "       baton-vm-capacity [...] fit MiB [--floor MiB] [--priority N]\n"
          "       baton-vm-capacity [...] fit-domain NAME [--from URI]\n"
          "       baton-vm-capacity cluster [--cib FILE] [--json] [--min-priority N] [--pairs]\n"
          "Shows the VMs of this host as ocf:baton:vm plans memory, and whether a VM of MiB\n"
          "(or domain NAME at its current size) could start here now, shrinking which VMs.\n"
          "cluster: for each node (--pairs: and each two at once), what would happen to\n"
          "its VMs if it failed now.\n"
          "Exit status: 0 fits, 1 does not fit (cluster: a VM of priority N or more would\n"
          "stay stopped; default: any VM), 2 error.\n", f);
}

static int parse_mib(const char *s, int64_t *ret)
{
    return baton_parse_int64(s, ret) == 0 && *ret >= 0 && *ret < (int64_t) (VM_PLAN_MAX_KIB / MIB) ? 0 : -EINVAL;
}

static const vm_host *sort_host;

static int by_name(const void *a, const void *b)
{
    return strcmp(sort_host->vms[*(const size_t *) a].name, sort_host->vms[*(const size_t *) b].name);
}

static void print_host(const vm_host *h, uint64_t capacity, const options *o)
{
    baton_autofree size_t *order = calloc(h->n + 1, sizeof(*order));
    uint64_t used = 0;

    for (size_t i = 0; i < h->n; i++)
        used += h->vms[i].actual_kib;
    printf("host %s: capacity %" PRIu64 " MiB (%s %" PRIu64 " MiB - reserve %" PRId64 " MiB), "
           "used %" PRIu64 " MiB, free %" PRIu64 " MiB\n", o->uri, capacity / MIB,
           o->host_mib > 0 ? "host_memory" : "node", o->host_mib > 0 ? (uint64_t) o->host_mib : h->node_kib / MIB,
           o->reserve_mib, used / MIB, vm_plan_sat_sub(capacity, used) / MIB);
    printf("%-24s %9s %9s %9s %8s  %s\n", "DOMAIN", "CURRENT", "FLOOR", "TARGET", "PRIORITY", "STATE");
    /* by name: libvirt lists domains in no particular order */
    for (size_t i = 0; order && i < h->n; i++)
        order[i] = i;
    sort_host = h;
    if (order)
        qsort(order, h->n, sizeof(*order), by_name);
    for (size_t i = 0; i < h->n; i++) {
        const vm_host_vm *v = &h->vms[order ? order[i] : i];

        if (v->managed)
            printf("%-24s %9" PRIu64 " %9" PRIu64 " %9" PRIu64 " %8d  %s\n", v->name, v->actual_kib / MIB,
                   v->policy.floor_kib / MIB, v->policy.target_kib / MIB, v->policy.priority,
                   v->policy.uncooperative ? "managed, uncooperative (never shrunk)" : "managed");
        else
            printf("%-24s %9" PRIu64 " %9s %9s %8s  %s\n", v->name, v->actual_kib / MIB, "-", "-", "-",
                   "not managed by baton (never shrunk)");
    }
}

/* The plan for a VM of want_kib (floor_kib at least) on this host; the exit status. */
static int print_fit(const vm_host *h, uint64_t capacity, const char *name, uint64_t want_kib,
                     uint64_t floor_kib, int priority)
{
    baton_autofree vm_plan_vm *pv = calloc(h->n + 1, sizeof(*pv));
    vm_plan_demand d = { .name = name, .want_kib = want_kib, .floor_kib = floor_kib, .priority = priority };
    vm_plan plan;
    int r;

    if (!pv) {
        fprintf(stderr, "baton-vm-capacity: out of memory\n");
        return EXIT_USAGE;
    }
    vm_host_to_plan(h, pv);
    r = vm_plan_make_room(capacity, pv, h->n, &d, &plan);
    if (r == -ENOSPC) {
        printf("%s (%" PRIu64 " MiB, floor %" PRIu64 " MiB) does NOT fit: %" PRIu64 " MiB short even with every "
               "cooperative VM at its floor\n", name, want_kib / MIB, floor_kib / MIB,
               (plan.shortfall_kib + MIB - 1) / MIB);
        vm_plan_clear(&plan);
        return EXIT_NOFIT;
    }
    if (r < 0) {
        fprintf(stderr, "baton-vm-capacity: cannot plan: %s\n", strerror(-r));
        vm_plan_clear(&plan);
        return EXIT_USAGE;
    }
    printf("%s fits: it would start with %" PRIu64 " MiB (wants %" PRIu64 " MiB)", name, plan.start_kib / MIB,
           want_kib / MIB);
    if (plan.n_changes == 0)
        printf(", from free memory; nothing shrunk\n");
    else
        printf(", after shrinking %zu VM(s) by %" PRIu64 " MiB:\n", plan.n_changes, plan.taken_kib / MIB);
    for (size_t i = 0; i < plan.n_changes; i++)
        printf("  shrink %-24s %9" PRIu64 " -> %" PRIu64 " MiB\n", pv[plan.changes[i].index].name,
               plan.changes[i].from_kib / MIB, plan.changes[i].to_kib / MIB);
    vm_plan_clear(&plan);
    return 0;
}

/* The current size and policy floor/priority of domain name on uri. */
static int domain_size(const char *uri, const char *name, uint64_t *ret_kib, vm_policy *ret_pol, bool *ret_managed)
{
    baton_autofree char *err = NULL;
    virConnectPtr conn = NULL;
    virDomainPtr dom = NULL;
    uint64_t last;
    virDomainInfo info;
    int r;

    if (vm_conn_open(uri, &conn, &err) < 0) {
        fprintf(stderr, "baton-vm-capacity: cannot connect to %s: %s\n", uri, err);
        return -EIO;
    }
    r = vm_domain_lookup(conn, name, &dom, &err);
    if (r < 0) {
        fprintf(stderr, "baton-vm-capacity: domain %s on %s: %s\n", name, uri, err ? err : "not found");
        vm_conn_close(conn);
        return r;
    }
    if (vm_memory_stats(dom, ret_kib, &last) < 0 || *ret_kib == 0) {
        if (virDomainGetInfo(dom, &info) < 0) {
            virDomainFree(dom);
            vm_conn_close(conn);
            return -EIO;
        }
        /* not running: the size it would start with */
        *ret_kib = info.memory;
    }
    *ret_managed = vm_policy_get(dom, ret_pol) == 0;
    virDomainFree(dom);
    vm_conn_close(conn);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "connect", required_argument, NULL, 'c' },
        { "host-memory", required_argument, NULL, 'm' },
        { "host-reserve", required_argument, NULL, 'r' },
        { "floor", required_argument, NULL, 'f' },
        { "priority", required_argument, NULL, 'p' },
        { "from", required_argument, NULL, 'F' },
        { "cib", required_argument, NULL, 'C' },
        { "json", no_argument, NULL, 'j' },
        { "pairs", no_argument, NULL, '2' },
        { "min-priority", required_argument, NULL, 'P' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    options o = { .uri = "qemu:///system", .reserve_mib = 1024, .floor_mib = -1, .min_priority = INT_MIN };
    baton_autofree char *err = NULL;
    const char *cmd;
    virConnectPtr conn = NULL;
    vm_host host;
    uint64_t capacity;
    int c, rc;

    baton_log_open("vm-capacity", NULL);
    baton_log_set_targets(true, false);
    while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': o.uri = optarg; break;
        case 'F': o.from = optarg; break;
        case 'C': o.cib = optarg; break;
        case 'j': o.json = true; break;
        case '2': o.pairs = true; break;
        case 'P':
            if (baton_parse_int64(optarg, &o.min_priority) < 0 || o.min_priority < INT_MIN ||
                o.min_priority > INT_MAX)
                goto bad;
            break;
        case 'm': if (parse_mib(optarg, &o.host_mib) < 0) goto bad; break;
        case 'r': if (parse_mib(optarg, &o.reserve_mib) < 0) goto bad; break;
        case 'f': if (parse_mib(optarg, &o.floor_mib) < 0) goto bad; break;
        case 'p':
            if (baton_parse_int64(optarg, &o.priority) < 0 || o.priority < -1000000 || o.priority > 1000000)
                goto bad;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    cmd = optind < argc ? argv[optind] : "list";
    if (strcmp(cmd, "cluster") == 0) {
        if (argc - optind != 1) {
            usage(stderr);
            return EXIT_USAGE;
        }
        return capacity_cluster(o.cib, o.json, (int) o.min_priority, o.pairs);
    }
    if (o.cib || o.json || o.pairs) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!((strcmp(cmd, "list") == 0 && argc - optind <= 1) ||
          ((strcmp(cmd, "fit") == 0 || strcmp(cmd, "fit-domain") == 0) && argc - optind == 2))) {
        usage(stderr);
        return EXIT_USAGE;
    }

    if (vm_conn_open(o.uri, &conn, &err) < 0) {
        fprintf(stderr, "baton-vm-capacity: cannot connect to %s: %s\n", o.uri, err);
        return EXIT_USAGE;
    }
    free(err);
    err = NULL;
    if (vm_host_collect(conn, strcmp(cmd, "fit-domain") == 0 && !o.from ? argv[optind + 1] : NULL, true,
                        &host, &err) < 0) {
        fprintf(stderr, "baton-vm-capacity: cannot list the domains of %s: %s\n", o.uri, err ? err : "");
        vm_conn_close(conn);
        return EXIT_USAGE;
    }
    capacity = vm_host_capacity_kib(&host, (uint64_t) o.host_mib * MIB, (uint64_t) o.reserve_mib * MIB);
    print_host(&host, capacity, &o);
    rc = 0;
    if (strcmp(cmd, "fit") == 0) {
        int64_t mib;

        if (parse_mib(argv[optind + 1], &mib) < 0 || mib == 0 || (o.floor_mib > mib)) {
            vm_host_clear(&host);
            vm_conn_close(conn);
            goto bad;
        }
        rc = print_fit(&host, capacity, "the new VM", (uint64_t) mib * MIB,
                       (uint64_t) (o.floor_mib > 0 ? o.floor_mib : mib) * MIB, (int) o.priority);
    } else if (strcmp(cmd, "fit-domain") == 0) {
        const char *name = argv[optind + 1];
        vm_policy pol = {0};
        uint64_t kib = 0;
        bool managed = false;

        /* its current size: what a live migration brings, or a restart after failover needs at most */
        if (domain_size(o.from ? o.from : o.uri, name, &kib, &pol, &managed) < 0) {
            rc = EXIT_USAGE;
        } else {
            uint64_t floor_kib = managed && pol.floor_kib && pol.floor_kib < kib ? pol.floor_kib : kib;

            rc = print_fit(&host, capacity, name, kib, floor_kib, managed ? pol.priority : 0);
        }
    }
    vm_host_clear(&host);
    vm_conn_close(conn);
    return rc;

bad:
    fprintf(stderr, "baton-vm-capacity: bad value\n");
    usage(stderr);
    return EXIT_USAGE;
}
