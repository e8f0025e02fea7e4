/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vm agent's validation, and the settings of one invocation it resolves
 * (the domain's XML and name, the shutdown mode) for the actions; the
 * process watchdog that bounds them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/fileio.h>
#include <baton/strutil.h>
#include <baton/watchdog.h>

#include "vm.h"
#include "vm-actions.h"
#include "vm-ctx.h"
#include "vm-lifecycle.h"

/* The largest domain XML file read. */
#define VM_CONFIG_MAX (16 * 1024 * 1024)

static bool watchdog_enabled = true;

void vm_actions_set_watchdog(bool enabled)
{
    watchdog_enabled = enabled;
}

static void settings_free(void *p)
{
    vm_settings *s = p;

    if (!s)
        return;
    free(s->xml);
    vm_domain_xml_clear(&s->dx);
    free(s->name);
    free(s);
}

vm_settings *vm_settings_of(baton_ctx *ctx)
{
    return baton_ctx_get_data(ctx);
}

const char *vm_ctx_domain_name(baton_ctx *ctx)
{
    vm_settings *s = vm_settings_of(ctx);

    return s ? s->name : NULL;
}

void vm_ctx_watchdog(baton_ctx *ctx, const char *what)
{
    baton_autofree char *msg = NULL;

    if (!watchdog_enabled)
        return;
    if (asprintf(&msg, "%s of domain %s did not finish before the operation's deadline", what,
                 vm_settings_of(ctx)->name) < 0)
        msg = NULL;
    /* no grace: the deadline already keeps baton's margin from Pacemaker's timeout */
    if (baton_watchdog_arm(baton_ctx_deadline(ctx), 0, BATON_OCF_ERR_GENERIC, BATON_WATCHDOG_OCF_EXIT_REASON,
                           msg ? msg : what) < 0)
        baton_warn("cannot start the watchdog thread: libvirt calls are bounded by keepalive only");
}

static bool action_is(baton_ctx *ctx, const char *name)
{
    return strcmp(baton_ctx_action(ctx), name) == 0;
}

int vm_validate(baton_ctx *ctx)
{
    vm_settings *s = calloc(1, sizeof(*s));
    const char *config = baton_param_str(ctx, "config");
    const char *domain = baton_param_str(ctx, "domain");
    baton_autofree char *h = NULL, *p = NULL, *path = NULL;
    int64_t min_mib = baton_param_int(ctx, "min_memory");
    int64_t target_mib = baton_param_int(ctx, "target_memory");
    int r;

    if (!s)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    baton_ctx_set_data(ctx, s, settings_free);

    if ((!config || !*config) && (!domain || !*domain))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "either config or domain must be given");
    if (config && *config) {
        if (*config != '/')
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "config '%s' is not an absolute path", config);
        r = baton_file_read(config, VM_CONFIG_MAX, &s->xml);
        if (r == 0)
            s->xml_len = strlen(s->xml);
        if (r < 0) {
            /*
             * stop and probes still find the domain (shared storage gone): by the
             * name this node recorded at start, else by the domain parameter
             */
            bool looks = action_is(ctx, "stop") || action_is(ctx, "monitor");
            char *known = looks ? vm_ctx_state_read(ctx) : NULL;

            if (known)
                baton_warn("config %s: %s; using domain %s recorded at start", config, strerror(-r), known);
            else if (looks && domain && *domain && (known = strdup(domain)))
                baton_warn("config %s: %s; using domain %s from the domain parameter", config,
                           strerror(-r), known);
            if (known) {
                s->name = known;
                goto checks;
            }
            return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "config %s cannot be read: %s",
                                  config, strerror(-r));
        }
        r = vm_domain_xml_parse(s->xml, s->xml_len, &s->dx);
        if (r < 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                                  "config %s is not a libvirt domain XML with a name", config);
        if (domain && *domain && strcmp(domain, s->dx.name) != 0)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                                  "domain '%s' does not match the name '%s' in %s", domain, s->dx.name, config);
        s->name = strdup(s->dx.name);
    } else {
        s->name = strdup(domain);
    }
    if (!s->name)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");

checks:
    if (min_mib > 0 && target_mib > 0 && min_mib > target_mib)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "min_memory (%" PRId64 " MiB) is above target_memory (%" PRId64 " MiB)",
                              min_mib, target_mib);
    if (s->dx.max_kib && target_mib > 0 && (uint64_t) target_mib * MIB > s->dx.max_kib)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "target_memory (%" PRId64 " MiB) is above the domain's maximum (%" PRIu64 " MiB)",
                              target_mib, s->dx.max_kib / MIB);
    if (s->dx.max_kib && target_mib == 0 && min_mib > 0 && (uint64_t) min_mib * MIB > s->dx.max_kib)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "min_memory (%" PRId64 " MiB) is above the domain's maximum (%" PRIu64 " MiB)",
                              min_mib, s->dx.max_kib / MIB);
    if (vm_shutdown_mode_parse(baton_param_str(ctx, "shutdown_mode"), &s->shutdown_flags) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "shutdown_mode '%s' is not a list of acpi, agent, initctl, signal, paravirt",
                              baton_param_str(ctx, "shutdown_mode"));
    if (baton_param_is_set(ctx, "health_tcp") &&
        vm_parse_hostport(baton_param_str(ctx, "health_tcp"), &h, &p) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "health_tcp '%s' is not host:port",
                              baton_param_str(ctx, "health_tcp"));
    free(h);
    free(p);
    h = p = NULL;
    if (baton_param_is_set(ctx, "health_url") &&
        vm_parse_http_url(baton_param_str(ctx, "health_url"), &h, &p, &path) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "health_url '%s' is not an http:// URL",
                              baton_param_str(ctx, "health_url"));
    return vm_params_validate(ctx);
}
