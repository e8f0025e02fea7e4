/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>

#include <baton/ocf.h>

#include "util-internal.h"

typedef struct rc_entry {
    int rc;
    const char *name;
    const char *desc;
} rc_entry;

/* Names as Pacemaker 2.1 prints them (results.h, OCF 1.1). */
static const rc_entry rc_table[] = {
    { BATON_OCF_SUCCESS, "OCF_SUCCESS", "ok" },
    { BATON_OCF_ERR_GENERIC, "OCF_ERR_GENERIC", "error" },
    { BATON_OCF_ERR_ARGS, "OCF_ERR_ARGS", "invalid parameter on this node" },
    { BATON_OCF_ERR_UNIMPLEMENTED, "OCF_ERR_UNIMPLEMENTED", "action not implemented" },
    { BATON_OCF_ERR_PERM, "OCF_ERR_PERM", "insufficient privileges" },
    { BATON_OCF_ERR_INSTALLED, "OCF_ERR_INSTALLED", "not installed on this node" },
    { BATON_OCF_ERR_CONFIGURED, "OCF_ERR_CONFIGURED", "invalid configuration" },
    { BATON_OCF_NOT_RUNNING, "OCF_NOT_RUNNING", "not running" },
    { BATON_OCF_RUNNING_PROMOTED, "OCF_RUNNING_PROMOTED", "running, promoted" },
    { BATON_OCF_FAILED_PROMOTED, "OCF_FAILED_PROMOTED", "failed, promoted" },
    { BATON_OCF_DEGRADED, "OCF_DEGRADED", "running, degraded" },
    { BATON_OCF_DEGRADED_PROMOTED, "OCF_DEGRADED_PROMOTED", "running, promoted, degraded" },
};

static const rc_entry *rc_lookup(int rc)
{
    for (size_t i = 0; i < BATON_ELEMENTSOF(rc_table); i++) {
        if (rc_table[i].rc == rc)
            return &rc_table[i];
    }
    return NULL;
}

const char *baton_ocf_rc_name(int rc)
{
    const rc_entry *e = rc_lookup(rc);

    return e ? e->name : "OCF_UNKNOWN";
}

const char *baton_ocf_rc_str(int rc)
{
    const rc_entry *e = rc_lookup(rc);

    return e ? e->desc : "unknown exit status";
}

baton_ocf_rc baton_ocf_rc_from_errno(int negative_errno)
{
    switch (-negative_errno) {
    case 0:
        return BATON_OCF_SUCCESS;
    case EPERM:
    case EACCES:
        return BATON_OCF_ERR_PERM;
    case ENOSYS:
    case EOPNOTSUPP:
        return BATON_OCF_ERR_UNIMPLEMENTED;
    default:
        /* Everything else is a failure that a restart elsewhere may cure. */
        return BATON_OCF_ERR_GENERIC;
    }
}
