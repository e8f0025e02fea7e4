/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * OCF exit codes as Pacemaker 2.1 interprets them.
 */
#ifndef BATON_OCF_H
#define BATON_OCF_H

/*
 * Exit codes of an OCF resource agent (OCF 1.1 names; the 1.0 names
 * RUNNING_MASTER/FAILED_MASTER are the same numbers).
 */
typedef enum baton_ocf_rc {
    BATON_OCF_SUCCESS = 0,
    BATON_OCF_ERR_GENERIC = 1,          /* soft failure: restart or move */
    BATON_OCF_ERR_ARGS = 2,             /* parameters wrong on this node */
    BATON_OCF_ERR_UNIMPLEMENTED = 3,
    BATON_OCF_ERR_PERM = 4,
    BATON_OCF_ERR_INSTALLED = 5,        /* software missing on this node */
    BATON_OCF_ERR_CONFIGURED = 6,       /* configuration wrong everywhere: fatal */
    BATON_OCF_NOT_RUNNING = 7,
    BATON_OCF_RUNNING_PROMOTED = 8,
    BATON_OCF_FAILED_PROMOTED = 9,
    BATON_OCF_DEGRADED = 190,
    BATON_OCF_DEGRADED_PROMOTED = 191,
} baton_ocf_rc;

/* Symbolic name, e.g. "OCF_NOT_RUNNING"; "OCF_UNKNOWN" for other values. */
const char *baton_ocf_rc_name(int rc);
/* One-line human description. */
const char *baton_ocf_rc_str(int rc);
/* Map a negative errno from libbaton to the OCF code an agent should return. */
baton_ocf_rc baton_ocf_rc_from_errno(int negative_errno);

/* The prefix Pacemaker looks for on stderr (last occurrence wins). */
#define BATON_OCF_EXIT_REASON_PREFIX "ocf-exit-reason:"

#endif /* BATON_OCF_H */
