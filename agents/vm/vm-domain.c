/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Domain lifecycle helpers: lookup, the state mapping, stop (graceful, then
 * destroy, then proof of inactivity).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libvirt/virterror.h>

#include <baton/log.h>
#include <baton/ocf.h>

#include "vm.h"

int vm_domain_lookup(virConnectPtr conn, const char *name, virDomainPtr *ret, char **ret_err)
{
    virDomainPtr dom = virDomainLookupByName(conn, name);
    int code;

    if (dom) {
        *ret = dom;
        return 0;
    }
    *ret_err = vm_last_error(&code);
    return code == VIR_ERR_NO_DOMAIN ? -ENOENT : -EIO;
}

int vm_domain_state(virConnectPtr conn, const char *name, virDomainPtr *ret, int *ret_state, int *ret_reason,
                    char **ret_err)
{
    virDomainPtr dom;
    int r, code, state, reason;

    r = vm_domain_lookup(conn, name, &dom, ret_err);
    if (r < 0)
        return r;
    if (virDomainGetState(dom, &state, &reason, 0) < 0) {
        *ret_err = vm_last_error(&code);
        virDomainFree(dom);
        return code == VIR_ERR_NO_DOMAIN ? -ENOENT : -EIO;
    }
    *ret = dom;
    *ret_state = state;
    *ret_reason = reason;
    return 0;
}

/*
 * The mapping (documented in agents/vm/README.md):
 *   running, blocked (waiting for a resource; normal for an idle Xen vCPU)  0
 *   paused for a reason that ends by itself or by the admin (user, migration,
 *     save, dump, snapshot, starting up, shutting down, from snapshot,
 *     post-copy)                                                            0
 *   paused because something broke (I/O error, watchdog, crashed, failed
 *     post-copy, unknown reason)                                            1
 *   shutdown (the guest is powering itself off)                             1
 *   shutoff                                                                 7
 *   crashed, pmsuspended (suspended by the guest), nostate, unknown         1
 */
int vm_state_to_ocf(int state, int reason, const char **ret_desc)
{
    const char *d;
    int rc;

    switch (state) {
    case VIR_DOMAIN_RUNNING:
        d = "running";
        rc = BATON_OCF_SUCCESS;
        break;
    case VIR_DOMAIN_BLOCKED:
        d = "blocked on a resource";
        rc = BATON_OCF_SUCCESS;
        break;
    case VIR_DOMAIN_PAUSED:
        rc = BATON_OCF_SUCCESS;
        switch (reason) {
        case VIR_DOMAIN_PAUSED_USER: d = "paused by the administrator"; break;
        case VIR_DOMAIN_PAUSED_MIGRATION: d = "paused for migration"; break;
        case VIR_DOMAIN_PAUSED_SAVE: d = "paused while being saved"; break;
        case VIR_DOMAIN_PAUSED_DUMP: d = "paused for a core dump"; break;
        case VIR_DOMAIN_PAUSED_FROM_SNAPSHOT: d = "paused from a snapshot"; break;
        case VIR_DOMAIN_PAUSED_SHUTTING_DOWN: d = "paused while shutting down"; break;
        case VIR_DOMAIN_PAUSED_SNAPSHOT: d = "paused for a snapshot"; break;
        case VIR_DOMAIN_PAUSED_STARTING_UP: d = "paused while starting up"; break;
        case VIR_DOMAIN_PAUSED_POSTCOPY: d = "paused for post-copy migration"; break;
        case VIR_DOMAIN_PAUSED_IOERROR:
            d = "paused after an I/O error"; rc = BATON_OCF_ERR_GENERIC; break;
        case VIR_DOMAIN_PAUSED_WATCHDOG:
            d = "paused by its watchdog"; rc = BATON_OCF_ERR_GENERIC; break;
        case VIR_DOMAIN_PAUSED_CRASHED:
            d = "paused after a guest crash"; rc = BATON_OCF_ERR_GENERIC; break;
        case VIR_DOMAIN_PAUSED_POSTCOPY_FAILED:
            d = "paused after a failed post-copy migration"; rc = BATON_OCF_ERR_GENERIC; break;
        default:
            d = "paused for an unknown reason"; rc = BATON_OCF_ERR_GENERIC; break;
        }
        break;
    case VIR_DOMAIN_SHUTDOWN:
        d = "shutting down";
        rc = BATON_OCF_ERR_GENERIC;
        break;
    case VIR_DOMAIN_SHUTOFF:
        d = "shut off";
        rc = BATON_OCF_NOT_RUNNING;
        break;
    case VIR_DOMAIN_CRASHED:
        d = "crashed";
        rc = BATON_OCF_ERR_GENERIC;
        break;
    case VIR_DOMAIN_PMSUSPENDED:
        d = "suspended by guest power management";
        rc = BATON_OCF_ERR_GENERIC;
        break;
    case VIR_DOMAIN_NOSTATE:
        d = "in no state";
        rc = BATON_OCF_ERR_GENERIC;
        break;
    default:
        d = "in an unknown state";
        rc = BATON_OCF_ERR_GENERIC;
        break;
    }
    *ret_desc = d;
    return rc;
}
