/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Parameter values, read from OCF_RESKEY_<name>, typed and checked against
 * the agent's metadata. Once baton_params_load() succeeded, the typed
 * getters cannot fail: asking for a parameter the metadata does not declare
 * is a programming error and aborts.
 */
#ifndef BATON_PARAM_H
#define BATON_PARAM_H

#include <stdbool.h>
#include <stdint.h>

#include <baton/cleanup.h>
#include <baton/metadata.h>

typedef struct baton_params baton_params;

/*
 * Read and check every declared parameter from envp (NULL: this process's
 * environment). On a configuration error returns BATON_OCF_ERR_CONFIGURED
 * and sets *ret_reason to a message naming the parameter ("parameter
 * 'arp_count': 'x' is not an integer"); on success returns 0 (OCF_SUCCESS).
 * Unknown OCF_RESKEY_ variables are ignored (Pacemaker adds its own).
 * Parameters of the standard agent this one replaces (baton_standard_param):
 * a refused one that is set fails with BATON_OCF_ERR_CONFIGURED and a reason
 * naming what to use instead, a no-op one is logged as a notice.
 * Deprecated names: a value given under a deprecated parameter that names its
 * replacement is used for the replacement when that is not set itself.
 */
int baton_params_load(const baton_metadata *md, char *const *envp,
                      baton_params **ret, char **ret_reason);
baton_params *baton_params_free(baton_params *p);
BATON_DEFINE_AUTOPTR(baton_params, baton_params_free)

/* The raw value: what was given, else the default, else NULL. */
const char *baton_params_get(const baton_params *p, const char *name);
/* Whether the user gave a value (a default does not count). */
bool baton_params_is_set(const baton_params *p, const char *name);
int64_t baton_params_get_int(const baton_params *p, const char *name);
bool baton_params_get_bool(const baton_params *p, const char *name);
/* DURATION parameters, in milliseconds. */
int64_t baton_params_get_ms(const baton_params *p, const char *name);

/*
 * The value for logs: "<private>" for parameters marked baton:private,
 * else the value (or "(unset)").
 */
const char *baton_params_loggable(const baton_params *p, const char *name);

/* Pure parsers, exposed for agents and tests. 0 or -EINVAL/-ERANGE. */
int baton_parse_bool(const char *s, bool *ret);
int baton_parse_int64(const char *s, int64_t *ret);
/* "250ms", "5s", "5", "2min", "1h"; a bare number is in unit_ms. */
int baton_parse_duration_ms(const char *s, int64_t unit_ms, int64_t *ret);
/*
 * Decimal seconds as fence-agents write them ("20", "0.5"), in milliseconds;
 * digits past the third decimal are dropped. No sign, no unit.
 */
int baton_parse_seconds_ms(const char *s, int64_t *ret_ms);
/*
 * value says what want says: as booleans when both are ("no" is "false"),
 * else as the same string. For tables of values a parameter may keep.
 */
bool baton_value_means(const char *want, const char *value);

#endif /* BATON_PARAM_H */
