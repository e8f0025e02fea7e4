/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What ldap.c (the promotable clone, the daemon, LDAP connections) and
 * ldap-primitive.c (one slapd without roles, as ocf:heartbeat:slapd runs
 * it, and the parameters taken over from that agent) share. Internal to
 * the agent.
 */
#ifndef BATON_LDAP_AGENT_H
#define BATON_LDAP_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <ldap.h>

#include <baton.h>

typedef struct ldap_state {
    bool promotable;            /* a promotable clone (ldap_promotable_from_meta) */
    char *dir;                  /* promotable only: state_dir/RESOURCE */
    char *ldapi_uri;            /* promotable only */
    char *pid_path;
    char *role_path;            /* promotable only */
    char *score_path;           /* promotable only */
    char *monitor_uri;
    char *password;             /* NULL: anonymous (a primitive without bind_dn) */
    char **slapd_args;          /* from 'parameters', checked */
    size_t n_slapd_args;
} ldap_state;

const char *ldap_param_or_empty(const baton_ctx *ctx, const char *name);

/* The pid of our slapd, or 0 when none runs or nobody can tell (logged). */
pid_t ldap_running_pid(baton_ctx *ctx, const ldap_state *st);
/* The same, for the actions that must not guess: an OCF code, with the reason. */
int ldap_slapd_find_checked(baton_ctx *ctx, const ldap_state *st, pid_t *ret);
/* Start slapd (it daemonizes); ldapi_only: on the agent's ldapi socket alone. */
int ldap_slapd_launch(baton_ctx *ctx, const ldap_state *st, bool ldapi_only);

/*
 * Connect to uri and bind (SASL EXTERNAL when dn is NULL, else simple; ""
 * and "" is anonymous), bounded by min(cap_ms, the action's deadline).
 * Returns an LDAP result code.
 */
int ldap_conn_open(baton_ctx *ctx, const char *uri, const char *dn, const char *pw,
                   int64_t cap_ms, LDAP **ret);
void ldap_conn_unbind(LDAP **ld);

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
