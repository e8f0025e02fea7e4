/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OCF agent skeleton: an agent declares its actions in a table and
 * hands its compiled metadata to baton_agent_main(), which
 *
 *  - answers meta-data (OCF 1.1 for Pacemaker, DTD-valid 1.0 otherwise)
 *    and usage without any cluster environment;
 *  - answers 3 (unimplemented) for an action not in the table;
 *  - answers validate-all itself (metadata checks, then the validate hook):
 *    the table needs no entry for it;
 *  - reads, types and checks the parameters from the metadata, then calls
 *    the agent's validate hook for what only the agent knows;
 *  - applies the stop and probe rule once: a stop or a probe (monitor,
 *    interval 0) whose software or configuration is missing on this node
 *    (5 or 2) answers "not running" (0 for stop, 7 for a probe) only when
 *    the agent's prove_stopped hook proved that nothing of the resource runs
 *    here, and fails otherwise; a stop whose configuration is wrong
 *    everywhere (6) answers 0 unseen, because a resource with that
 *    configuration can never have been started;
 *  - sets the deadline from OCF_RESKEY_CRM_meta_timeout;
 *  - prints the exit reason as one "ocf-exit-reason:" line on stderr.
 */
#ifndef BATON_AGENT_H
#define BATON_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <baton/deadline.h>
#include <baton/log.h>
#include <baton/metadata.h>
#include <baton/notify.h>
#include <baton/ocf.h>
#include <baton/param.h>

typedef struct baton_ctx baton_ctx;

typedef int (*baton_action_fn)(baton_ctx *ctx);

typedef enum baton_action_flags {
    BATON_ACTION_F_NONE = 0,
    /* Do not check the parameters before this action (the agent does). */
    BATON_ACTION_F_NO_VALIDATE = 1 << 0,
} baton_action_flags;

typedef struct baton_action {
    const char *name;           /* "start", "monitor", "migrate_to", ... */
    baton_action_fn fn;
    unsigned flags;             /* baton_action_flags */
} baton_action;

typedef struct baton_agent {
    const char *name;           /* "vip": tag baton-vip(<resource>) */
    /* Compiled from xml-metadata/<agent>.xml by baton-metadata-compile. */
    const baton_metadata *metadata;
    const baton_action *actions;
    size_t n_actions;
    /*
     * Checks beyond what the metadata expresses (the NIC exists, a file is
     * readable). Returns an OCF code; 6 for configuration that is wrong
     * everywhere, 5/2 for what is missing on this node. May stash parsed
     * state with baton_ctx_set_data(). NULL: none.
     */
    int (*validate)(baton_ctx *ctx);
    /*
     * A stop or a probe found something of this node missing (validate or
     * the probe answered 5 or 2): look with what is left (the parameters
     * are loaded; what validate stashed may be partial) whether anything of
     * the resource runs on this node; in a stop it may also end what it
     * finds with what is left (a signal to the daemon, `drbdsetup down`).
     * Return 7 only with proof that nothing runs (any more); anything else,
     * with the reason (what still runs, or why nobody can tell), makes the
     * stop or probe fail with the 5 or 2 it had. NULL: the agent cannot
     * look, and such a stop or probe fails. (Added in 0.x: agents built against an older libbaton
     * must be rebuilt.)
     */
    int (*prove_stopped)(baton_ctx *ctx);
} baton_agent;

/* Run the action named by argv[1]; returns the OCF exit code. */
int baton_agent_main(const baton_agent *agent, int argc, char **argv);

/* The invocation. */
const char *baton_ctx_action(const baton_ctx *ctx);
const char *baton_ctx_agent_name(const baton_ctx *ctx);
/* OCF_RESOURCE_INSTANCE, or the agent name when run by hand. */
const char *baton_ctx_resource(const baton_ctx *ctx);
const baton_metadata *baton_ctx_metadata(const baton_ctx *ctx);
const baton_params *baton_ctx_params(const baton_ctx *ctx);
baton_deadline baton_ctx_deadline(const baton_ctx *ctx);
/* OCF_RESKEY_CRM_meta_interval in ms (0 when absent). */
int64_t baton_ctx_interval_ms(const baton_ctx *ctx);
/* A monitor with interval 0. */
bool baton_ctx_is_probe(const baton_ctx *ctx);
/* OCF_CHECK_LEVEL (or OCF_RESKEY_OCF_CHECK_LEVEL), 0 when absent. */
int baton_ctx_check_level(const baton_ctx *ctx);
/* OCF_RESKEY_CRM_meta_<name> ('-' in name taken as '_'), NULL when absent. */
const char *baton_ctx_meta(const baton_ctx *ctx, const char *name);
/* Parsed notify variables; NULL when this is not a notification. */
const baton_notify *baton_ctx_notify(baton_ctx *ctx);

/* Shorthands for baton_params_get*() on this invocation's parameters. */
const char *baton_param_str(const baton_ctx *ctx, const char *name);
bool baton_param_is_set(const baton_ctx *ctx, const char *name);
int64_t baton_param_int(const baton_ctx *ctx, const char *name);
bool baton_param_bool(const baton_ctx *ctx, const char *name);
int64_t baton_param_ms(const baton_ctx *ctx, const char *name);

/*
 * Record the exit reason (the last one wins), log it at error level (info
 * for 7), and return rc, so that an action can end with
 *     return baton_ctx_fail(ctx, BATON_OCF_ERR_CONFIGURED, "nic %s not found", nic);
 */
int baton_ctx_fail(baton_ctx *ctx, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record the exit reason without logging or choosing a code. */
void baton_ctx_set_reason(baton_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
const char *baton_ctx_reason(const baton_ctx *ctx);

/* Agent state kept for the invocation (freed with free_fn at the end). */
void baton_ctx_set_data(baton_ctx *ctx, void *data, void (*free_fn)(void *));
void *baton_ctx_get_data(const baton_ctx *ctx);

baton_ctx *baton_ctx_free(baton_ctx *ctx);
BATON_DEFINE_AUTOPTR(baton_ctx, baton_ctx_free)

#endif /* BATON_AGENT_H */
