/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Publishing the host's VM memory and the cluster's failover answer (see vm-admission.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/cluster.h>
#include <baton/fileio.h>
#include <baton/log.h>
#include <baton/strutil.h>

#include "vm.h"
#include "vm-admission.h"
#include "vm-cib.h"
#include "vm-actions.h"
#include "vm-ctx.h"
#include "vm-forecast.h"
#include "vm-hostattr.h"
#include "vm-memory.h"

/* Host-wide files in <rundir>/vm: a leading dot, which no resource name (an XML ID) has. */
#define HOST_VALUE_FILE ".host-attr"    /* the value last published; mtime: when */
#define HOST_CHECK_FILE ".host-check"   /* mtime: when the host was last looked at */
#define FORECAST_FILE ".forecast"       /* mtime: when the forecast was last published */
#define FORECASTER_FILE ".forecaster"   /* exists: the last forecast made this host the forecaster */

#define MAX_TOOL_MS 10000

/* A host-wide file of the run directory; NULL on ENOMEM. */
static char *file_path(const char *name)
{
    return baton_strdup_printf("%s/vm/%s", vm_rundir(), name);
}

/* Seconds since path was modified; -1 when it does not exist (or its clock is in the future). */
static int64_t file_age_s(const char *name)
{
    baton_autofree char *path = file_path(name);
    struct stat st;
    int64_t age;

    if (!path || stat(path, &st) < 0)
        return -1;
    age = (int64_t) time(NULL) - (int64_t) st.st_mtime;
    return age < 0 ? -1 : age;
}

static char *file_text(const char *name)
{
    baton_autofree char *path = file_path(name);
    char *text = NULL;

    if (!path || baton_file_read(path, 0, &text) < 0)
        return NULL;
    return text;
}

/* The one-line reasons the forecast for node gives, for the log. */
static void log_answer(const vm_fc_result *r, bool was_ok)
{
    if (r->n_stopped == 0) {
        if (!was_ok)
            baton_notice("failover check: if %s failed now, its %zu VM(s) would start elsewhere (headroom %" PRId64
                         " MiB)", r->failed, r->n_starts, vm_fc_headroom_mib(r));
        return;
    }
    for (size_t i = 0; i < r->n_starts; i++) {
        const vm_fc_start *s = &r->starts[i];

        if (s->node)
            continue;
        if (s->n_candidates == 0)
            baton_warn("failover check: if %s failed now, %s (priority %d) would stay stopped: no node may run it",
                       r->failed, s->resource, s->priority);
        else
            baton_warn("failover check: if %s failed now, %s (priority %d) would stay stopped: %" PRIu64
                       " MiB short of its floor of %" PRIu64 " MiB", r->failed, s->resource, s->priority,
                       (s->shortfall_kib + 1023) / 1024, s->floor_kib / 1024);
    }
}

/* Set name=value on node unless the CIB already says so; false when the tool failed. */
static bool attr_sync(const char *name, const char *have, const char *want, const char *node, baton_deadline d)
{
    int r;

    if (have && strcmp(have, want) == 0)
        return true;
    r = baton_node_attr_set(name, want, node, d);
    if (r < 0) {
        baton_warn("cannot set node attribute %s=%s on %s: %s", name, want, node, strerror(-r));
        return false;
    }
    return true;
}

/* Remember whether this host is the cluster's forecaster (vm_cib_forecaster), as of cib. */
static void forecaster_record(const vm_cib *cib, const char *local)
{
    const vm_cib_node *f = vm_cib_forecaster(cib);
    baton_autofree char *path = NULL;

    if (f && strcmp(f->name, local) == 0)
        (void) vm_state_write(FORECASTER_FILE, "");
    else if ((path = file_path(FORECASTER_FILE)) && unlink(path) < 0 && errno != ENOENT)
        baton_debug("cannot remove %s: %s", path, strerror(errno));
}

/*
 * Forecast every online node's failure and publish the answers; true when
 * all were written. just_published: local_value was handed to the attribute
 * manager a moment ago (the CIB may not show it yet); otherwise a CIB that
 * lacks it (the attribute manager restarted and lost it) gets it again.
 */
static bool forecast_publish(const char *local_value, bool just_published, baton_deadline d)
{
    const vm_cib_node *me;
    baton_autofree char *xml = NULL, *local = NULL;
    baton_autofree vm_fc_node *nodes = NULL;
    vm_fc_cluster cl;
    vm_cib cib;
    bool all = true;
    int r;

    r = baton_cib_query(d, &xml);
    if (r < 0) {
        baton_warn("failover check skipped: cannot read the CIB: %s", strerror(-r));
        return false;
    }
    r = vm_cib_parse(xml, strlen(xml), &cib);
    if (r < 0) {
        baton_warn("failover check skipped: cannot parse the CIB: %s", strerror(-r));
        return false;
    }
    if (baton_cluster_local_node(d, &local) == 0) {
        me = vm_cib_node_find(&cib, local);
        if (me && !just_published && (!me->host_value || strcmp(me->host_value, local_value) != 0)) {
            r = baton_node_attr_set(VM_HOSTATTR_NAME, local_value, NULL, d);
            if (r < 0)
                baton_warn("cannot publish node attribute %s: %s", VM_HOSTATTR_NAME, strerror(-r));
            else
                baton_info("published %s again: the CIB had %s", VM_HOSTATTR_NAME,
                           me->host_value ? "another value" : "none");
        }
        /* the attribute manager may not have written this host's new value to the CIB yet */
        (void) vm_cib_set_host(&cib, local, local_value);
        forecaster_record(&cib, local);
    }
    nodes = calloc(cib.n_nodes + 1, sizeof(*nodes));
    if (!nodes) {
        vm_cib_clear(&cib);
        return false;
    }
    vm_cib_to_cluster(&cib, nodes, &cl);
    for (size_t i = 0; i < cib.n_nodes; i++) {
        const vm_cib_node *n = &cib.nodes[i];
        char ok[2], headroom[32];
        vm_fc_result res;

        if (!n->online)
            continue;
        r = vm_forecast_node(&cl, i, &res);
        if (r < 0) {
            baton_warn("failover check of %s failed: %s", n->name, strerror(-r));
            all = false;
            continue;
        }
        snprintf(ok, sizeof(ok), "%d", res.n_stopped == 0);
        snprintf(headroom, sizeof(headroom), "%" PRId64, vm_fc_headroom_mib(&res));
        if (!n->failover_ok || strcmp(n->failover_ok, ok) != 0)
            log_answer(&res, !n->failover_ok || strcmp(n->failover_ok, "0") != 0);
        all &= attr_sync(VM_ATTR_FAILOVER_OK, n->failover_ok, ok, n->name, d);
        all &= attr_sync(VM_ATTR_FAILOVER_HEADROOM, n->failover_headroom, headroom, n->name, d);
        vm_fc_result_clear(&res);
    }
    vm_cib_clear(&cib);
    return all;
}

void vm_admission_update(baton_ctx *ctx, virConnectPtr conn, bool force)
{
    baton_deadline ad = baton_ctx_deadline(ctx);
    int64_t left = baton_deadline_remaining_ms(ad);
    int64_t published_age = file_age_s(HOST_VALUE_FILE);
    int64_t check_age = file_age_s(HOST_CHECK_FILE);
    int64_t forecast_age;
    baton_autofree char *err = NULL, *value = NULL, *old = NULL;
    baton_deadline d;
    vm_host host;
    bool changed;
    int r;

    if (!force && check_age >= 0 && check_age < VM_ADM_CHECK_S)
        return;
    /* never at the cost of the action itself */
    if (left < 4000) {
        baton_debug("failover check skipped: %" PRId64 " ms left", left);
        return;
    }
    d = baton_deadline_cap(ad, left / 2 < MAX_TOOL_MS ? left / 2 : MAX_TOOL_MS);
    (void) vm_state_write(HOST_CHECK_FILE, "");

    /* libvirt's record of each balloon: no round trip into the guests */
    if (vm_host_collect(conn, NULL, false, &host, &err) < 0) {
        baton_warn("host memory not published: %s", err ? err : "cannot list domains");
        return;
    }
    value = vm_host_attr_value(&host, vm_host_capacity_kib(&host, vm_ctx_param_kib(ctx, "host_memory"),
                                                           vm_ctx_param_kib(ctx, "host_reserve")));
    vm_host_clear(&host);
    if (!value)
        return;
    old = file_text(HOST_VALUE_FILE);
    changed = !old || strcmp(old, value) != 0;
    if (changed || published_age < 0 || published_age >= VM_ADM_REPUBLISH_S) {
        r = baton_node_attr_set(VM_HOSTATTR_NAME, value, NULL, d);
        if (r < 0) {
            /* no cache written: the next look tries again; no tools = no cluster (tests) */
            baton_log(r == -ENOENT ? LOG_DEBUG : LOG_WARNING, "cannot publish node attribute %s: %s",
                      VM_HOSTATTR_NAME, strerror(-r));
            return;
        }
        if (changed)
            baton_info("published %s=%s", VM_HOSTATTR_NAME, value);
        (void) vm_state_write(HOST_VALUE_FILE, value);
    }

    forecast_age = file_age_s(FORECAST_FILE);
    if (!changed && forecast_age >= 0 &&
        forecast_age < (file_age_s(FORECASTER_FILE) >= 0 ? VM_ADM_FORECAST_S : VM_ADM_REPUBLISH_S))
        return;
    if (forecast_publish(value, changed || published_age < 0 || published_age >= VM_ADM_REPUBLISH_S, d))
        (void) vm_state_write(FORECAST_FILE, "");
}
