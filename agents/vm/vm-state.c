/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vm agent's records in the run directory (gone at reboot): the domain
 * name of a started resource, and whether its health check has passed since
 * that start; and what a start's time says about boot_grace.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/fileio.h>
#include <baton/strutil.h>

#include "vm.h"
#include "vm-actions.h"
#include "vm-ctx.h"
#include "vm-memory.h"

/*
 * The domain name of a started resource, kept in the run directory (gone at
 * reboot), so that stop and probes still find the domain when the config file
 * is unreadable (shared storage gone) — stop must not call a running domain
 * stopped because its file vanished.
 */
/* <rundir>/vm/<resource><suffix>: what this resource's agent keeps between actions */
static char *state_file(baton_ctx *ctx, const char *suffix)
{
    const char *res = baton_ctx_resource(ctx);

    return strchr(res, '/') ? NULL : baton_strdup_printf("%s/vm/%s%s", vm_rundir(), res, suffix);
}

/* Write text to state_file(suffix) (vm_state_write: a checked directory); -errno. */
static int state_file_write(baton_ctx *ctx, const char *suffix, const char *text)
{
    baton_autofree char *name = NULL;
    const char *res = baton_ctx_resource(ctx);

    if (strchr(res, '/'))
        return -EINVAL;
    name = baton_strdup_printf("%s%s", res, suffix);
    if (!name)
        return -ENOMEM;
    return vm_state_write(name, text);
}

/* Recorded before the domain starts: a stop must find what a start created. */
static int state_write(baton_ctx *ctx, const char *name)
{
    int r = state_file_write(ctx, ".domain", name);

    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "cannot record the domain name in %s/vm (%s): a stop could not find "
                              "domain %s if its config became unreadable", vm_rundir(), strerror(-r), name);
    return BATON_OCF_SUCCESS;
}

/* The domain's start time from its policy record; 0 when unknown. */
int64_t vm_started_at(virDomainPtr dom)
{
    vm_policy pol = {0};

    return vm_policy_get(dom, &pol) == 0 && pol.started > 0 ? pol.started : 0;
}

/*
 * Whether the domain, started by this agent at started (vm_started_at()), was
 * started at most boot_grace ago: its guest may still be booting.
 * *ret_age_s: seconds since the start.
 */
bool vm_in_boot_grace(baton_ctx *ctx, int64_t started, int64_t *ret_age_s)
{
    int64_t now = (int64_t) time(NULL);

    if (started == 0 || now < started)
        return false;
    *ret_age_s = now - started;
    return *ret_age_s <= baton_param_ms(ctx, "boot_grace") / 1000;
}

/*
 * "The health check has passed since this start": <rundir>/vm/<resource>.healthy
 * holds the start time of the domain it was seen healthy in. Once it has, a
 * failure is a failure, boot_grace or not.
 */
bool vm_healthy_since_start(baton_ctx *ctx, int64_t started)
{
    baton_autofree char *path = state_file(ctx, ".healthy"), *text = NULL;

    return started != 0 && path && baton_file_read(path, 64, &text) == 0 &&
           strtoll(text, NULL, 10) == started;
}

void vm_healthy_record(baton_ctx *ctx, virDomainPtr dom)
{
    baton_autofree char *text = NULL;
    int64_t started = vm_started_at(dom);

    if (started == 0 || vm_healthy_since_start(ctx, started))
        return;
    text = baton_strdup_printf("%" PRId64 "\n", started);
    if (!text || state_file_write(ctx, ".healthy", text) < 0)
        baton_debug("cannot record the health check's success in %s/vm", vm_rundir());
}

void vm_ctx_state_remove(baton_ctx *ctx)
{
    baton_autofree char *path = state_file(ctx, ".domain"), *healthy = state_file(ctx, ".healthy");

    if (path)
        unlink(path);
    if (healthy)
        unlink(healthy);
}

char *vm_ctx_state_read(baton_ctx *ctx)
{
    baton_autofree char *path = state_file(ctx, ".domain");
    char *name = NULL;

    if (!path || baton_file_read(path, 256, &name) < 0)
        return NULL;
    if (!*name) {
        free(name);
        return NULL;
    }
    return name;
}

int vm_ctx_state_write(baton_ctx *ctx)
{
    return state_write(ctx, vm_settings_of(ctx)->name);
}
