/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VirtualDomain's start/stop extras, through the libvirt API:
 *   vm-params.c     validation of snapshot, start_resources, save_config_on_stop,
 *                   migrate_options, migration_user, migrateport
 *   vm-snapshot.c   snapshot: save on stop (virDomainSaveFlags), restore on start;
 *                   creating the domain (from config, by name, or from the image)
 *   vm-resources.c  start_resources: the domain's storage pools and networks
 *   vm-saveconfig.c save_config_on_stop: the domain's XML back into config
 */
#ifndef BATON_VM_LIFECYCLE_H
#define BATON_VM_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include <libvirt/libvirt.h>

#include <baton/agent.h>

/* ---------------------------------------------------------------- vm-params.c */

/* The end of vm_validate: the rules of the parameters above. An OCF code. */
int vm_params_validate(baton_ctx *ctx);

/* ---------------------------------------------------------------- vm-snapshot.c */

/* "<dir>/<name>.state", VirtualDomain's name for the image (nodes can switch agents). */
char *vm_snapshot_path(const char *dir, const char *name);

/*
 * Create the domain: from the saved image when snapshot has one (then the
 * image is removed), else from xml (transient) or the definition of name;
 * start_resources first. An OCF code, *ret the running domain.
 */
int vm_start_domain(baton_ctx *ctx, virConnectPtr conn, const char *xml, const char *name, virDomainPtr *ret);

/*
 * stop with snapshot: save the running domain's state into its image, as
 * a job aborted at until (the rest of the stop keeps its time for
 * shutdown and destroy). 1 saved (the domain is no longer active), 0 not
 * (no snapshot, or the save failed or was aborted: logged, no image left).
 */
int vm_snapshot_save(baton_ctx *ctx, virDomainPtr dom, const char *name, baton_deadline until);

/* ---------------------------------------------------------------- vm-resources.c */

/*
 * Pure: the storage pools and networks a domain XML refers to (disk
 * source pool=, interface source network=), sorted, without duplicates.
 * NULL-terminated arrays (free with baton_strv_free). 0, -EINVAL, -ENOMEM.
 */
int vm_resources_parse(const char *xml, char ***ret_pools, char ***ret_networks);

/*
 * Start the inactive pools and networks xml refers to on conn (and refresh
 * the active pools, as VirtualDomain does). 0, or -EIO with *ret_err.
 */
int vm_resources_start(virConnectPtr conn, const char *xml, char **ret_err);

/* ---------------------------------------------------------------- vm-saveconfig.c */

/*
 * Pure: the domain's XML as it goes into the config file: without the
 * agent's live policy record (a later start must not begin with a stale
 * one). The domain must be named name. Newly allocated, NULL on error.
 */
char *vm_saveconfig_xml(const char *xml, const char *name);

/*
 * save_config_on_stop: write the domain's inactive XML (with secrets, as
 * VirtualDomain's dumpxml --security-info) into config, atomically, when it
 * differs. Best effort: a failure is a warning (a stop must not fail for it).
 */
void vm_saveconfig(baton_ctx *ctx, virDomainPtr dom, const char *name);

#endif /* BATON_VM_LIFECYCLE_H */
