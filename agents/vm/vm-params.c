/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The rules of VirtualDomain's parameters that vm implements since issue 15
 * (snapshot, save_config_on_stop, migrate_options, migration_user,
 * migrateport), checked with the others in validate. Where VirtualDomain
 * silently ignores one parameter because another is set, vm refuses the
 * combination: a value that is not used must not look as if it were.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <baton/agent.h>
#include <baton/cleanup.h>

#include "vm-lifecycle.h"
#include "vm-migrate.h"
#include "vm-migrate-options.h"

static int check_snapshot(baton_ctx *ctx)
{
    const char *dir = baton_param_str(ctx, "snapshot");
    struct stat st;

    if (!baton_param_is_set(ctx, "snapshot") || !*dir)
        return BATON_OCF_SUCCESS;
    if (*dir != '/')
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "snapshot '%s' is not an absolute path", dir);
    if (baton_param_bool(ctx, "force_stop"))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "force_stop and snapshot exclude each other: a destroyed guest has no state to save");
    /* the directory is needed where the guest starts (a restore) and stops (a save) */
    if (strcmp(baton_ctx_action(ctx), "start") != 0)
        return BATON_OCF_SUCCESS;
    if (stat(dir, &st) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "snapshot directory %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "snapshot %s is not a directory", dir);
    return BATON_OCF_SUCCESS;
}

static int check_migrate_options(baton_ctx *ctx)
{
    baton_autofree char *why = NULL, *expanded = NULL;
    vm_migrate_options o;
    vm_migrate_mode mode = VM_MIGRATE_MANAGED;
    const char *conflict;
    int r;

    r = vm_migrate_options_parse(baton_param_str(ctx, "migrate_options"), &o, &why);
    if (r < 0)
        return baton_ctx_fail(ctx, r == -ENOMEM ? BATON_OCF_ERR_GENERIC : BATON_OCF_ERR_CONFIGURED, "%s",
                              why ? why : "out of memory");
    if (vm_migrate_mode_parse(baton_param_str(ctx, "migration_mode"), &mode) < 0)
        mode = VM_MIGRATE_MANAGED;
    conflict = vm_migrate_options_conflict(&o, vm_migrate_flags(mode), baton_param_int(ctx, "migration_speed"),
                                           baton_param_is_set(ctx, "migrateuri") &&
                                           *baton_param_str(ctx, "migrateuri"));
    if (!conflict && o.migrateuri && vm_uri_expand(o.migrateuri, "node", &expanded) < 0)
        conflict = "--migrateuri: only %n and %% may follow a %";
    vm_migrate_options_clear(&o);
    if (conflict)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "migrate_options: %s", conflict);
    return BATON_OCF_SUCCESS;
}

static bool set(baton_ctx *ctx, const char *name)
{
    return baton_param_is_set(ctx, name) && *baton_param_str(ctx, name);
}

static int check_migration_uris(baton_ctx *ctx)
{
    baton_autofree char *data = NULL;
    int64_t port = set(ctx, "migrateport") ? baton_param_int(ctx, "migrateport") : 0;
    vm_migrate_mode mode = VM_MIGRATE_MANAGED;

    if (set(ctx, "migration_user")) {
        if (!vm_migrate_user_valid(baton_param_str(ctx, "migration_user")))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                                  "migration_user '%s' is not a login name (lower-case letters, digits, '-')",
                                  baton_param_str(ctx, "migration_user"));
        if (set(ctx, "remoteuri"))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                                  "migration_user is not used with remoteuri: put the user into remoteuri");
    }
    if (port == 0)
        return BATON_OCF_SUCCESS;
    if (set(ctx, "migrateuri"))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "migrateport is not used with migrateuri: put the port into migrateuri");
    if (vm_migrate_mode_parse(baton_param_str(ctx, "migration_mode"), &mode) == 0 && mode == VM_MIGRATE_TUNNELLED)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "migrateport is not used in a tunnelled migration (the data goes through libvirt)");
    if (vm_migrate_data_uri(baton_param_str(ctx, "hypervisor"), "node", true, port, &data) == -EINVAL)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "migrateport is used with qemu hypervisors only; set migrateuri for %s",
                              baton_param_str(ctx, "hypervisor"));
    return BATON_OCF_SUCCESS;
}

int vm_params_validate(baton_ctx *ctx)
{
    int rc;

    /* a stop needs none of this, and must not be refused for it */
    if (strcmp(baton_ctx_action(ctx), "stop") == 0)
        return BATON_OCF_SUCCESS;
    if (baton_param_bool(ctx, "save_config_on_stop") && !set(ctx, "config"))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED,
                              "save_config_on_stop needs config: the file the domain's XML is written to");
    rc = check_snapshot(ctx);
    if (rc == BATON_OCF_SUCCESS)
        rc = check_migrate_options(ctx);
    if (rc == BATON_OCF_SUCCESS)
        rc = check_migration_uris(ctx);
    return rc;
}
