/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baton-vm-capacity cluster: the admission forecast for every node (see
 * vm-forecast.h), from the CIB (cibadmin --query, or --cib FILE) and the
 * baton-vm-host attributes the vm agents publish. Reads only.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <baton/cleanup.h>
#include <baton/cluster.h>
#include <baton/deadline.h>
#include <baton/fileio.h>

#include "capacity.h"
#include "vm-cib.h"
#include "vm-forecast.h"

#define KIB_PER_MIB 1024
#define CIB_MAX (16 * 1024 * 1024)

static int64_t mib_down(uint64_t kib)
{
    return (int64_t) (kib / KIB_PER_MIB);
}

static int64_t mib_up(uint64_t kib)
{
    return (int64_t) ((kib + KIB_PER_MIB - 1) / KIB_PER_MIB);
}

static const char *host_state(const vm_cib_node *n)
{
    if (!n->online)
        return "offline";
    if (n->standby)
        return "standby (no target)";
    switch (n->host_err) {
    case 0: return "ok";
    case -ENOENT: return "no baton-vm-host (no vm agent ran there yet): no target";
    case -EPROTONOSUPPORT: return "baton-vm-host of a newer format: no target";
    default: return "baton-vm-host unreadable: no target";
    }
}

/* How many VMs of priority >= min_priority stay stopped. */
static size_t blocking(const vm_fc_result *r, int min_priority)
{
    size_t n = 0;

    for (size_t i = 0; i < r->n_starts; i++)
        n += !r->starts[i].node && r->starts[i].priority >= min_priority;
    return n;
}

static void print_text(const vm_cib *cib, const vm_fc_result *res, size_t n_res, int min_priority)
{
    printf("%-20s %10s %6s  %s\n", "NODE", "CAPACITY", "VMS", "STATE");
    for (size_t i = 0; i < cib->n_nodes; i++) {
        const vm_cib_node *n = &cib->nodes[i];

        if (n->host_err == 0)
            printf("%-20s %6" PRId64 " MiB %6zu  %s\n", n->name, mib_down(n->host.capacity_kib), n->host.n,
                   host_state(n));
        else
            printf("%-20s %10s %6s  %s\n", n->name, "-", "-", host_state(n));
    }
    for (size_t i = 0; i < n_res; i++) {
        const vm_fc_result *r = &res[i];
        size_t b = blocking(r, min_priority);

        if (r->n_failed == 1)
            printf("\nif %s failed: ", r->failed);
        else
            printf("\nif %s and %s failed at once: ", r->failed_nodes[0], r->failed_nodes[1]);
        if (!r->failed_has_data && r->n_starts == 0) {
            printf("%s no VMs (nothing known to restart)\n", r->n_failed == 1 ? "it published" : "they published");
        } else if (r->n_starts == 0) {
            printf("no VM of a resource to restart\n");
        } else {
            printf("%zu VM(s) to restart, %s\n", r->n_starts,
                   r->n_stopped == 0 ? "all start" : b ? "SOME STAY STOPPED" : "some stay stopped (below --min-priority)");
            if (!r->failed_has_data)
                printf("  (a failed node published no VMs: only the others' are known)\n");
            printf("  %-20s %-20s %8s %9s %9s  %s\n", "RESOURCE", "DOMAIN", "PRIORITY", "TARGET", "FLOOR", "OUTCOME");
        }
        for (size_t k = 0; k < r->n_starts; k++) {
            const vm_fc_start *s = &r->starts[k];

            printf("  %-20s %-20s %8d %5" PRId64 " MiB %5" PRId64 " MiB  ", s->resource, s->name, s->priority,
                   mib_down(s->want_kib), mib_down(s->floor_kib));
            if (s->node)
                printf("starts on %s with %" PRId64 " MiB\n", s->node, mib_down(s->start_kib));
            else if (s->n_candidates == 0)
                printf("STAYS STOPPED: no node may run it\n");
            else
                printf("STAYS STOPPED: %" PRId64 " MiB short of its floor on the best of %zu node(s)\n",
                       mib_up(s->shortfall_kib), s->n_candidates);
        }
        for (size_t k = 0; k < r->n_shrinks; k++)
            printf("  shrink %s on %s: %" PRId64 " -> %" PRId64 " MiB\n", r->shrinks[k].name, r->shrinks[k].node,
                   mib_down(r->shrinks[k].from_kib), mib_down(r->shrinks[k].to_kib));
        printf("  headroom afterwards: %" PRId64 " MiB\n", vm_fc_headroom_mib(r));
    }
    if (cib->n_skipped_locations)
        printf("\nnote: %zu location constraint(s) with rules or roles are not modelled\n", cib->n_skipped_locations);
}

static json_object *jstr(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static int print_json(const vm_cib *cib, const vm_fc_result *res, size_t n_res, int min_priority)
{
    json_object *root = json_object_new_object(), *nodes = json_object_new_array(),
                *failures = json_object_new_array();
    size_t total_blocking = 0;
    const char *text;

    if (!root || !nodes || !failures) {
        json_object_put(root);
        json_object_put(nodes);
        json_object_put(failures);
        return -ENOMEM;
    }
    json_object_object_add(root, "version", json_object_new_int(1));
    json_object_object_add(root, "nodes", nodes);
    json_object_object_add(root, "failures", failures);
    for (size_t i = 0; i < cib->n_nodes; i++) {
        const vm_cib_node *n = &cib->nodes[i];
        json_object *o = json_object_new_object();

        json_object_array_add(nodes, o);
        json_object_object_add(o, "name", jstr(n->name));
        json_object_object_add(o, "online", json_object_new_boolean(n->online));
        json_object_object_add(o, "standby", json_object_new_boolean(n->standby));
        json_object_object_add(o, "published", json_object_new_boolean(n->host_err == 0));
        if (n->host_err == 0) {
            json_object_object_add(o, "capacity_mib", json_object_new_int64(mib_down(n->host.capacity_kib)));
            json_object_object_add(o, "vms", json_object_new_int64((int64_t) n->host.n));
        }
    }
    for (size_t i = 0; i < n_res; i++) {
        const vm_fc_result *r = &res[i];
        json_object *o, *starts, *shrinks, *names;
        size_t b = blocking(r, min_priority);

        /* the exit status, and "ok", answer for single failures */
        if (r->n_failed == 1)
            total_blocking += b;
        o = json_object_new_object();
        starts = json_object_new_array();
        shrinks = json_object_new_array();
        names = json_object_new_array();
        json_object_array_add(failures, o);
        json_object_object_add(o, "node", jstr(r->failed));
        json_object_object_add(o, "nodes", names);
        for (size_t k = 0; k < r->n_failed; k++)
            json_object_array_add(names, jstr(r->failed_nodes[k]));
        json_object_object_add(o, "published", json_object_new_boolean(r->failed_has_data));
        json_object_object_add(o, "ok", json_object_new_boolean(r->n_stopped == 0));
        json_object_object_add(o, "stopped", json_object_new_int64((int64_t) r->n_stopped));
        json_object_object_add(o, "blocking", json_object_new_int64((int64_t) b));
        json_object_object_add(o, "headroom_mib", json_object_new_int64(vm_fc_headroom_mib(r)));
        json_object_object_add(o, "starts", starts);
        json_object_object_add(o, "shrinks", shrinks);
        for (size_t k = 0; k < r->n_starts; k++) {
            const vm_fc_start *s = &r->starts[k];
            json_object *so = json_object_new_object();

            json_object_array_add(starts, so);
            json_object_object_add(so, "resource", jstr(s->resource));
            json_object_object_add(so, "domain", jstr(s->name));
            json_object_object_add(so, "priority", json_object_new_int(s->priority));
            json_object_object_add(so, "target_mib", json_object_new_int64(mib_down(s->want_kib)));
            json_object_object_add(so, "floor_mib", json_object_new_int64(mib_down(s->floor_kib)));
            json_object_object_add(so, "candidates", json_object_new_int64((int64_t) s->n_candidates));
            json_object_object_add(so, "node", jstr(s->node));
            if (s->node)
                json_object_object_add(so, "start_mib", json_object_new_int64(mib_down(s->start_kib)));
            else
                json_object_object_add(so, "shortfall_mib", json_object_new_int64(mib_up(s->shortfall_kib)));
        }
        for (size_t k = 0; k < r->n_shrinks; k++) {
            json_object *so = json_object_new_object();

            json_object_array_add(shrinks, so);
            json_object_object_add(so, "node", jstr(r->shrinks[k].node));
            json_object_object_add(so, "domain", jstr(r->shrinks[k].name));
            json_object_object_add(so, "from_mib", json_object_new_int64(mib_down(r->shrinks[k].from_kib)));
            json_object_object_add(so, "to_mib", json_object_new_int64(mib_down(r->shrinks[k].to_kib)));
        }
    }
    json_object_object_add(root, "min_priority", json_object_new_int(min_priority));
    json_object_object_add(root, "ok", json_object_new_boolean(total_blocking == 0));
    json_object_object_add(root, "unmodelled_locations", json_object_new_int64((int64_t) cib->n_skipped_locations));
    text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
    if (!text) {
        json_object_put(root);
        return -ENOMEM;
    }
    puts(text);
    json_object_put(root);
    return 0;
}

/* Forecast failed[0..n-1] into res[*n_res]; the error, or 0. */
static int forecast_into(const vm_fc_cluster *cl, const size_t *failed, size_t n, vm_fc_result *res,
                         size_t *n_res)
{
    int r = vm_forecast_nodes(cl, failed, n, &res[*n_res]);

    if (r < 0) {
        fprintf(stderr, "baton-vm-capacity: forecast for %s%s%s: %s\n", cl->nodes[failed[0]].name,
                n > 1 ? " and " : "", n > 1 ? cl->nodes[failed[1]].name : "", strerror(-r));
        return r;
    }
    (*n_res)++;
    return 0;
}

int capacity_cluster(const char *cib_file, bool json, int min_priority, bool pairs)
{
    baton_autofree char *xml = NULL;
    baton_autofree vm_fc_node *nodes = NULL;
    baton_autofree vm_fc_result *res = NULL;
    vm_fc_cluster cl;
    vm_cib cib;
    size_t worst = 0, n_res = 0, max_res;
    int r = 0, rc = CAPACITY_EXIT_OK;

    r = cib_file ? baton_file_read(cib_file, CIB_MAX, &xml) : baton_cib_query(baton_deadline_in(30000), &xml);
    if (r < 0) {
        fprintf(stderr, "baton-vm-capacity: cannot read the CIB%s%s: %s\n", cib_file ? " from " : "",
                cib_file ? cib_file : " (cibadmin --query)", strerror(-r));
        return CAPACITY_EXIT_ERROR;
    }
    r = vm_cib_parse(xml, strlen(xml), &cib);
    if (r < 0) {
        fprintf(stderr, "baton-vm-capacity: not a CIB: %s\n", strerror(-r));
        return CAPACITY_EXIT_ERROR;
    }
    max_res = cib.n_nodes + (pairs ? cib.n_nodes * cib.n_nodes / 2 : 0);
    nodes = calloc(cib.n_nodes + 1, sizeof(*nodes));
    res = calloc(max_res + 1, sizeof(*res));
    if (!nodes || !res) {
        vm_cib_clear(&cib);
        fprintf(stderr, "baton-vm-capacity: out of memory\n");
        return CAPACITY_EXIT_ERROR;
    }
    vm_cib_to_cluster(&cib, nodes, &cl);
    /* an offline node has failed already: what it ran is Pacemaker's business now */
    for (size_t i = 0; r == 0 && i < cib.n_nodes; i++) {
        if (!cib.nodes[i].online)
            continue;
        r = forecast_into(&cl, &i, 1, res, &n_res);
        if (r == 0)
            worst += blocking(&res[n_res - 1], min_priority);
    }
    for (size_t i = 0; pairs && r == 0 && i < cib.n_nodes; i++)
        for (size_t j = i + 1; r == 0 && j < cib.n_nodes; j++) {
            const size_t two[] = { i, j };

            if (cib.nodes[i].online && cib.nodes[j].online)
                r = forecast_into(&cl, two, 2, res, &n_res);
        }
    if (r < 0) {
        rc = CAPACITY_EXIT_ERROR;
    } else {
        if (json)
            r = print_json(&cib, res, n_res, min_priority);
        else
            print_text(&cib, res, n_res, min_priority);
        if (r < 0)
            rc = CAPACITY_EXIT_ERROR;
        else if (worst > 0)
            rc = CAPACITY_EXIT_NOFIT;
    }
    for (size_t i = 0; i < n_res; i++)
        vm_fc_result_clear(&res[i]);
    vm_cib_clear(&cib);
    return rc;
}
