/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What an agent asks of the cluster: the local node's name, node attributes
 * and its promotion score. Pacemaker 2.1's C API for the attribute manager
 * is internal, so these run Pacemaker's own tools (crm_node, attrd_updater,
 * crm_attribute) without a shell and within the given deadline.
 *
 * All return 0 or a negative errno: -ETIME when the deadline ran out,
 * -ENOENT when a tool is missing, -EIO when it failed (its stderr is logged
 * at debug level).
 */
#ifndef BATON_CLUSTER_H
#define BATON_CLUSTER_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <baton/deadline.h>

/*
 * The local node's cluster name: OCF_RESKEY_CRM_meta_on_node when Pacemaker
 * gave it, else `crm_node -n`, else the kernel's node name.
 */
int baton_cluster_local_node(baton_deadline deadline, char **ret_name);

/* The resource name without a clone instance suffix ("drbd0:1" -> "drbd0"). */
char *baton_cluster_resource_base(const char *instance);

/*
 * A transient (reboot-lifetime) node attribute through the attribute
 * manager; node NULL = the local node. value NULL deletes it.
 */
int baton_node_attr_set(const char *name, const char *value, const char *node,
                        baton_deadline deadline);
/* *ret_value is NULL when the attribute is not set. */
int baton_node_attr_get(const char *name, const char *node,
                        baton_deadline deadline, char **ret_value);

/*
 * The whole CIB as XML text (`cibadmin --query`; with CIB_file set in the
 * environment, that file), at most 16 MiB.
 */
int baton_cib_query(baton_deadline deadline, char **ret_xml);

/* Pacemaker's INFINITY score. */
#define BATON_SCORE_INFINITY 1000000

/*
 * The local node's promotion score for resource (clone suffix ignored),
 * like `crm_attribute --promotion`.
 */
int baton_promotion_score_set(const char *resource, int score, baton_deadline deadline);
int baton_promotion_score_delete(const char *resource, baton_deadline deadline);
/* -ENOENT with *ret_set = false when there is none. */
int baton_promotion_score_get(const char *resource, baton_deadline deadline,
                              bool *ret_set, int *ret_score);

/* "No score": baton_promotion_score_update() deletes it. */
#define BATON_SCORE_NONE INT_MIN

/* Seconds a written score is trusted before baton_promotion_score_update() writes it again. */
#define BATON_SCORE_REFRESH_S 60

/*
 * Whether a score written at written_ms is due to be written again at now_ms
 * (one clock, any epoch): BATON_SCORE_REFRESH_S or more ago, or "later" than
 * now (the clock stepped back). Pure; for agents that keep their own memo.
 */
bool baton_promotion_score_stale(int64_t written_ms, int64_t now_ms);

/*
 * Set the local promotion score (BATON_SCORE_NONE: delete it) only when it
 * differs from the value cache_path says was last written, or when that was
 * BATON_SCORE_REFRESH_S or more ago (Pacemaker drops a Pacemaker Remote
 * node's transient attributes when its connection moves, and the resource
 * keeps running), so a monitor whose score did not change runs nothing most
 * of the time. Keep cache_path on a tmpfs (/run): it must not outlive a
 * reboot, as the score does not. The cache is written only after the tool
 * succeeded, so a failure is retried by the next call. Returns 1 when the
 * score was written, 0 when unchanged, or a negative errno.
 */
int baton_promotion_score_update(const char *resource, int score, const char *cache_path,
                                 baton_deadline deadline);

/*
 * Where the tools live. Default: BATON_PACEMAKER_SBINDIR from configure;
 * the environment variable BATON_PCMK_TOOLS_DIR overrides it (tests).
 */
const char *baton_cluster_tools_dir(void);

#endif /* BATON_CLUSTER_H */
