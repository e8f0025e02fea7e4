/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the agent's files share: ldap.c (validation and the actions),
 * ldap-daemon.c (slapd itself), ldap-client.c (LDAP connections),
 * ldap-role.c (roles in cn=config), ldap-score.c (the promotion score) and
 * ldap-primitive.c (one slapd without roles, as ocf:heartbeat:slapd runs
 * it, and the parameters taken over from that agent). Internal to the agent.
 */
#ifndef BATON_LDAP_AGENT_H
#define BATON_LDAP_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <ldap.h>

#include <baton.h>

#include "ldap-csn.h"
#include "ldap-decide.h"

#define LDAP_OP_CAP_MS 5000         /* one local LDAP exchange */
/*
 * A cn=config change of olcSyncrepl pauses the server, which waits for the
 * consumer's running task: up to the syncrepl timeout while a fresh session
 * still waits for its provider's refresh.
 */
#define LDAP_CFG_MODIFY_CAP_MS ((LDAP_SYNCREPL_TIMEOUT_S + 3) * 1000)
#define POLL_STEP_MS 100
#define LDAP_PEERS_MAX 16           /* peer_uris */

typedef struct ldap_state {
    bool promotable;            /* a promotable clone (ldap_promotable_from_meta) */
    char *dir;                  /* promotable only: state_dir/RESOURCE */
    char *ldapi_uri;            /* promotable only */
    char *pid_path;
    char *role_path;            /* promotable only */
    char *score_path;           /* promotable only */
    char *monitor_uri;
    char **peer_uris;           /* promotable only: peer_uris, checked */
    size_t n_peers;
    char *password;             /* NULL: anonymous (a primitive without bind_dn) */
    char **slapd_args;          /* from 'parameters', checked */
    size_t n_slapd_args;
} ldap_state;

const char *ldap_param_or_empty(const baton_ctx *ctx, const char *name);

/* Small files (ldap.c). */
int ldap_file_read(const char *path, char **ret);
int ldap_file_write(const char *path, const char *text);
/* Cut trailing newlines and blanks. */
void ldap_trim(char *s);
/* The value of "name: value" at the start of a line of an LDIF text. */
char *ldap_ldif_value(const char *text, const char *name);

/* ------------------------------------------------------------------ ldap-daemon.c */

/* The pid of our slapd, or 0 when none runs or nobody can tell (logged). */
pid_t ldap_running_pid(baton_ctx *ctx, const ldap_state *st);
/* The same, for the actions that must not guess: an OCF code, with the reason. */
int ldap_slapd_find_checked(baton_ctx *ctx, const ldap_state *st, pid_t *ret);
/* Its pid, or 7 with the reason when none runs, or the failure of finding it. */
int ldap_slapd_running(baton_ctx *ctx, const ldap_state *st, pid_t *ret);
/* Start slapd (it daemonizes); ldapi_only: on the agent's ldapi socket alone. */
int ldap_slapd_launch(baton_ctx *ctx, const ldap_state *st, bool ldapi_only);
/* Wait until cn=config answers over ldapi and the pid file names a live slapd. */
int ldap_slapd_wait_ready(baton_ctx *ctx, const ldap_state *st);
/* TERM, KILL after stop_escalate (or when the budget runs short), and confirm it is gone. */
int ldap_slapd_stop(baton_ctx *ctx, const ldap_state *st);
/* The state directory, made or checked: only root may write the role it holds. */
int ldap_state_dir_make(baton_ctx *ctx, const ldap_state *st);
/* Whether the database's entry on disk (slapd.d) would come up writable. */
bool ldap_disk_config_is_provider(baton_ctx *ctx);

/* ------------------------------------------------------------------ ldap-client.c */

/*
 * Connect to uri and bind (SASL EXTERNAL when dn is NULL, else simple; ""
 * and "" is anonymous), bounded by min(cap_ms, the action's deadline).
 * Returns an LDAP result code.
 */
int ldap_conn_open(baton_ctx *ctx, const char *uri, const char *dn, const char *pw,
                   int64_t cap_ms, LDAP **ret);
void ldap_conn_unbind(LDAP **ld);
/* cn=config over the instance's ldapi socket, SASL EXTERNAL. */
int ldap_conn_local_config(baton_ctx *ctx, const ldap_state *st, LDAP **ret);
/* The contextCSN values of base (a search bounded by the connection's timeout). */
int ldap_csn_read(LDAP *ld, const char *base, ldap_csn_set *ret);

/* ------------------------------------------------------------------ ldap-role.c */

enum { ROLE_REPLICA = 0, ROLE_PROMOTED = 1, ROLE_FENCED = 2 };

/* The role the cache in the state directory names: promoted or not. */
bool ldap_role_cached_promoted(const ldap_state *st);
/*
 * Give the running instance a role through cn=config. force: replace
 * olcSyncrepl even when it already names provider_uri (reconnects).
 */
int ldap_role_apply(baton_ctx *ctx, ldap_state *st, bool promoted, bool force);
/* The role cn=config shows (ROLE_*), or -1 with the LDAP error. */
int ldap_role_read(baton_ctx *ctx, const ldap_state *st, int *ret_ldap_rc);
/* This instance's contextCSN against provider_uri's (ret->compared false: not compared). */
void ldap_freshness_get(baton_ctx *ctx, const ldap_state *st, ldap_freshness *ret);
/* A fenced ex-provider follows the provider once that has all its changes. */
int ldap_fenced_follow(baton_ctx *ctx, ldap_state *st, const ldap_freshness *f);
/* A provider is fenced, a replica follows provider_uri: an OCF code. */
int ldap_make_unpromoted(baton_ctx *ctx, ldap_state *st);
/*
 * Before promote: wait until this instance has every change provider_uri
 * has; when that does not answer, every change of the other instances
 * (peer_uris) that answer.
 */
int ldap_catch_up(baton_ctx *ctx, ldap_state *st);

/* ------------------------------------------------------------------ ldap-score.c */

void ldap_score_update(baton_ctx *ctx, const ldap_state *st, int score);
/* The score cached by the last update, or -1. */
int ldap_score_cached(const ldap_state *st);
/* On stop: remove a score this instance set, and forget the cache. */
void ldap_score_delete(baton_ctx *ctx, const ldap_state *st);

/* ------------------------------------------------------------------ ldap-primitive.c */

/*
 * Validation of what ocf:heartbeat:slapd's users bring (both kinds):
 * 'parameters' split and checked into st->slapd_args (6 with the reason),
 * maxfiles within this node's fs.nr_open (2; start and validate-all only).
 */
int ldap_slapd_params_validate(baton_ctx *ctx, ldap_state *st);
/* The URL monitor uses on a primitive: the first ldap(s):// of services, else its first URL. */
char *ldap_primitive_monitor_uri(const char *services);
/* Add 'parameters' and maxfiles to slapd's command. */
void ldap_slapd_command_extra(baton_ctx *ctx, const ldap_state *st, baton_command *cmd);

/*
 * Bind as bind_dn (anonymously without one) at st->monitor_uri and read the
 * entry of each suffix monitor checks (suffix, watch_suffix,
 * ignore_suffix): the service works. Returns an LDAP result code, with the
 * reason on failure. cap_ms bounds the connection.
 */
int ldap_service_check(baton_ctx *ctx, const ldap_state *st, int64_t cap_ms, char *reason,
                       size_t size);

/* The actions of a plain primitive (no promotable meta). */
int ldap_primitive_start(baton_ctx *ctx);
int ldap_primitive_monitor(baton_ctx *ctx);

#endif /* BATON_LDAP_AGENT_H */
