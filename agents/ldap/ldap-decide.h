/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What ocf:baton:ldap decides, without I/O: the role a cn=config shows,
 * the cn=config changes that give it a role, the syncrepl directive, the
 * promotion score from replication freshness and monitor's verdict.
 */
#ifndef BATON_LDAP_DECIDE_H
#define BATON_LDAP_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ldap_freshness;

/* The replication attributes of the database's cn=config entry. */
typedef struct ldap_cfg_state {
    const char *syncrepl_provider;  /* provider= of olcSyncrepl; NULL: none */
    bool has_syncrepl;
    const char *update_ref;         /* olcUpdateRef; NULL: none */
    bool multi_provider;            /* olcMultiProvider TRUE */
    bool read_only;                 /* olcReadOnly TRUE */
    bool has_syncprov;              /* the syncprov overlay is configured */
} ldap_cfg_state;

/* Writable: no update referral and no consumer (or a multi-provider), not read-only. */
bool ldap_cfg_is_promoted(const ldap_cfg_state *st);
/*
 * A demoted provider: read-only, not yet consuming. It becomes a replica
 * only once the new provider has every change it has (see
 * ldap_fenced_may_follow): a consumer whose provider is behind it would
 * have its newer entries deleted by the refresh.
 */
bool ldap_cfg_is_fenced(const ldap_cfg_state *st);
bool ldap_fenced_may_follow(const struct ldap_freshness *f);

typedef enum ldap_mod_op {
    LDAP_CFG_REPLACE,
    LDAP_CFG_DELETE,
} ldap_mod_op;

typedef struct ldap_cfg_mod {
    ldap_mod_op op;
    const char *attr;
    const char *value;              /* LDAP_CFG_REPLACE only */
} ldap_cfg_mod;

#define LDAP_CFG_MODS_MAX 5

/*
 * The modifications (in this order, in one modify operation) that turn a
 * database in state cur into a provider (promoted) or a replica of
 * provider_uri with the syncrepl directive syncrepl. Only what differs is
 * changed: deleting an absent attribute fails in back-config, and replacing
 * olcSyncrepl restarts the replication session, which force asks for.
 * olcSyncrepl must come before olcUpdateRef (back-config refuses an update
 * referral without a consumer). Returns the number of modifications.
 */
size_t ldap_role_mods(bool promoted, const ldap_cfg_state *cur, const char *provider_uri,
                      const char *syncrepl, bool force, ldap_cfg_mod out[LDAP_CFG_MODS_MAX]);

/*
 * How long the consumer waits for one answer of its provider (syncrepl
 * timeout=). A cn=config change of olcSyncrepl waits as long for a session
 * that still refreshes.
 */
#define LDAP_SYNCREPL_TIMEOUT_S 5

/* One olcSyncrepl directive. */
typedef struct ldap_syncrepl_spec {
    int rid;
    const char *provider_uri;
    const char *bind_dn;
    const char *password;
    const char *suffix;
    const char *extra;              /* more keywords, or NULL */
    int timeout_s;                  /* 0: LDAP_SYNCREPL_TIMEOUT_S */
} ldap_syncrepl_spec;

/*
 * "{0}rid=RID provider=URI bindmethod=simple binddn=\"DN\" credentials=\"PW\"
 * searchbase=\"SUFFIX\" type=refreshAndPersist retry=\"1 +\" ..."; newly
 * allocated, NULL on allocation failure or when a value cannot be quoted
 * (contains '"' or '\\') or the URI holds blanks.
 */
char *ldap_syncrepl_value(const ldap_syncrepl_spec *spec);

/*
 * The provider= value of an olcSyncrepl value, copied to buf (NUL
 * terminated). 0, or -ENOENT when there is none, -ENOBUFS when too long.
 */
int ldap_syncrepl_provider(const char *value, char *buf, size_t size);

/* What the comparison with the provider found. */
struct ldap_freshness {
    bool compared;                  /* the provider answered with its contextCSN */
    bool behind;                    /* local lacks changes the provider has */
    int64_t lag_ms;                 /* how far behind (0 when not) */
    bool ahead;                     /* local has changes the provider lacks */
};
typedef struct ldap_freshness ldap_freshness;

#define LDAP_SCORE_PROMOTED 1000
#define LDAP_SCORE_IN_SYNC 900
#define LDAP_SCORE_BEHIND_MAX 800
#define LDAP_SCORE_BEHIND_MIN 10
#define LDAP_SCORE_UNKNOWN 500

/*
 * The promotion score: the provider itself 1000; a replica that has all the
 * provider's changes 900; one known to be behind 800 minus a point per
 * second of lag (at least 10), so the freshest replica wins. When the
 * provider cannot be asked, what was known last (prev_score >= 0) stands:
 * after the provider's node failed, the replica that was in sync keeps
 * its lead; with nothing known, 500.
 */
int ldap_promotion_score(bool promoted, const ldap_freshness *f, int prev_score);

/*
 * monitor's verdict for a running, answering instance: 0 or 8, or 190/191
 * with a reason when check_level >= 10 finds replication lagging beyond
 * max_lag_ms or the provider unreachable (replica), or another writable
 * instance newer than this one behind provider_uri (provider).
 */
int ldap_monitor_decide(bool promoted, int check_level, const ldap_freshness *f,
                        int64_t max_lag_ms, char *reason, size_t reason_size);

#endif /* BATON_LDAP_DECIDE_H */
