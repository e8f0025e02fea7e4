/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The front end of the fence agents fence_baton_<plugin>: plugin loading,
 * the fence-agents option protocol, metadata, secrets and the power logic.
 * Compiled into a convenience library so the unit tests reach every part.
 */
#ifndef BATON_STONITH_INTERNAL_H
#define BATON_STONITH_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <baton/cleanup.h>
#include <baton/deadline.h>
#include <baton/stonith.h>

/* ------------------------------------------------------------------ names */

const char *baton__stonith_result_name(baton_stonith_result r);
const char *baton__stonith_power_name(baton_stonith_power p);
const char *baton__stonith_param_type_name(baton_stonith_param_type t);

/* ------------------------------------------------------------------ loader */

/* A loaded (or, in tests, built-in) plugin with its parameter table in our stride. */
typedef struct baton__stonith_module {
    void *handle;                       /* dlopen handle; NULL for a built-in */
    const baton_stonith_plugin *plugin; /* &desc */
    baton_stonith_plugin desc;          /* copy, host layout: newer fields an older plugin lacks are 0 */
    baton_stonith_param *params;        /* copy, host layout */
    size_t n_params;
    baton_stonith_standard_param *standard;  /* copy, host layout; NULL: none */
    size_t n_standard;
} baton__stonith_module;

/* Where plugins live: $BATON_STONITH_PLUGIN_DIR, else the configured directory. */
const char *baton__stonith_plugin_dir(void);
/*
 * Pure: whether the loader can use this descriptor. needed_minor is the
 * minor that introduced the newest field the loader reads. 0, or -EPROTO
 * with a reason.
 */
int baton__stonith_abi_check(const baton_stonith_plugin *p, uint32_t needed_minor,
                             char **ret_reason);
/*
 * What ABI 1.0 laid out: a descriptor (parameter entry) at least this large
 * has every field this loader reads. Later minors only append.
 */
#define BATON__STONITH_PLUGIN_SIZE_1_0 \
    (offsetof(baton_stonith_plugin, monitor) + sizeof(((baton_stonith_plugin *) NULL)->monitor))
#define BATON__STONITH_PARAM_SIZE_1_0 \
    (offsetof(baton_stonith_param, options) + sizeof(((baton_stonith_param *) NULL)->options))
#define BATON__STONITH_STANDARD_PARAM_SIZE_1_1 sizeof(baton_stonith_standard_param)
/*
 * Pure: copy a checked descriptor into out, a host struct of out_size bytes
 * (a host of a newer minor has a larger one): the plugin's struct_size
 * bytes at most, the rest zeroed, so that fields an older plugin lacks read
 * as NULL/0 and nothing past its descriptor is read.
 */
void baton__stonith_plugin_copy(const baton_stonith_plugin *p, void *out, size_t out_size);
/* dlopen <dir>/<name>.so, check the ABI and the name. 0 or -errno with a reason. */
int baton__stonith_module_load(const char *dir, const char *name,
                               baton__stonith_module **ret, char **ret_reason);
/* Wrap a descriptor linked into the program (tests). */
int baton__stonith_module_from_plugin(const baton_stonith_plugin *p,
                                      baton__stonith_module **ret, char **ret_reason);
baton__stonith_module *baton__stonith_module_free(baton__stonith_module *m);
BATON_DEFINE_AUTOPTR(baton__stonith_module, baton__stonith_module_free)

/* ------------------------------------------------------------------ options */

/* Option values by parameter name ('-' taken as '_'); the last value wins. */
typedef struct baton__fence_opts baton__fence_opts;

baton__fence_opts *baton__fence_opts_new(void);
/* Every value is wiped before it is freed: some are secrets. */
baton__fence_opts *baton__fence_opts_free(baton__fence_opts *o);
BATON_DEFINE_AUTOPTR(baton__fence_opts, baton__fence_opts_free)
int baton__fence_opts_set(baton__fence_opts *o, const char *key, const char *value);
/* Move a wiped-on-free buffer in (no copy of a secret is left behind). */
int baton__fence_opts_set_take(baton__fence_opts *o, const char *key, char *value);
const char *baton__fence_opts_get(const baton__fence_opts *o, const char *key);
void baton__fence_opts_unset(baton__fence_opts *o, const char *key);
/* The keys given, in no particular order (unset moves the last one). */
size_t baton__fence_opts_count(const baton__fence_opts *o);
const char *baton__fence_opts_key(const baton__fence_opts *o, size_t i);
/* "plug-separator" -> "plug_separator" in place. */
void baton__fence_key_normalize(char *key);
/*
 * The stdin protocol: key=value lines, '#' comments, blank lines, surrounding
 * whitespace and one pair of matching quotes around the value stripped, the
 * last value wins. Lines without '=' are ignored. Pure.
 */
int baton__fence_opts_parse_stdin(baton__fence_opts *o, const char *buf, size_t len);
/* Wipe with a write the compiler keeps. */
void baton__wipe(void *p, size_t len);
void baton__wipe_string(char *s);

/* ------------------------------------------------------------------ parameter table */

/* What the front end itself declares, then the plugin's, then secret companions. */
typedef struct baton__fence_table {
    baton_stonith_param *v;
    size_t n;
    /* The replaced agent's parameters: fence-agents' common ones, then the plugin's. */
    const char *standard_agent;         /* "fence_ipmilan"; NULL: fence-agents in general */
    baton_stonith_standard_param *std;
    size_t n_std;
    char **owned;                       /* strings built for companions */
    size_t n_owned;
} baton__fence_table;

int baton__fence_table_build(const baton__stonith_module *m, baton__fence_table **ret,
                             char **ret_reason);
baton__fence_table *baton__fence_table_free(baton__fence_table *t);
BATON_DEFINE_AUTOPTR(baton__fence_table, baton__fence_table_free)
const baton_stonith_param *baton__fence_table_find(const baton__fence_table *t, const char *name);

/*
 * Command-line options (getopt_long built from the table). A secret given on
 * the command line is taken and its argv copy overwritten; *ret_secret_on_argv
 * names it so the caller can warn. 0, or -EINVAL with a reason.
 */
int baton__fence_parse_argv(const baton__fence_table *t, baton__fence_opts *o,
                            int argc, char **argv, const char **ret_secret_on_argv,
                            char **ret_reason);
/* Values given under a deprecated name move to the current name unless it is set. */
void baton__fence_resolve_aliases(const baton__fence_table *t, baton__fence_opts *o);
/*
 * Type and range checks; with check_required also required parameters. A
 * secret's value never appears in the reason. 0, or -EINVAL with a reason.
 */
int baton__fence_validate(const baton__fence_table *t, const baton__fence_opts *o,
                          bool check_required, char **ret_reason);
/*
 * The replaced agent's parameters given with a value: a refused one fails
 * (-EINVAL, the reason names what to use instead) unless its value asks for
 * what baton does anyway, a no-op one is noted; any other key that is
 * neither declared nor decided is warned about (fence-agents ignores such
 * stdin lines too). agent: "fence_baton_ipmi".
 */
int baton__fence_check_standard(const baton__fence_table *t, const baton__fence_opts *o,
                                const char *agent, char **ret_reason);
/* The decisions as a <baton:standard> table (tests/check-standard-params.sh reads it). */
int baton__fence_standard_write(const baton__fence_table *t, const char *agent, FILE *out);
const char *baton__stonith_decision_name(baton_stonith_decision d);
/* The fence-agents metadata XML (lib/metadata.rng of fence-agents). */
int baton__fence_metadata(const baton__fence_table *t, const baton_stonith_plugin *p,
                          const char *agent, char **ret_xml);

/* ------------------------------------------------------------------ config, call */

typedef struct baton__fence_config {
    baton_stonith_config pub;
    const baton__fence_table *table;
    const baton__fence_opts *opts;
} baton__fence_config;

/* Both must be validated (baton__fence_validate) and outlive the config. */
void baton__fence_config_init(baton__fence_config *c, const baton__fence_table *t,
                              const baton__fence_opts *o);

typedef struct baton__fence_call {
    baton_stonith_call pub;
    baton_deadline deadline;
    char error[512];                    /* the plugin's last message */
} baton__fence_call;

void baton__fence_call_init(baton__fence_call *c, baton_deadline deadline);
void baton__fence_call_clear_error(baton__fence_call *c);
const char *baton__fence_call_error(const baton__fence_call *c);

/* ------------------------------------------------------------------ power logic */

typedef struct baton__power_opts {
    int64_t power_timeout_ms;           /* per confirmation: wait this long for the state */
    int64_t power_wait_ms;              /* after a command, before the first status */
    int64_t status_interval_ms;         /* between status polls */
    bool missing_as_off;                /* a missing target counts as off */
} baton__power_opts;

typedef struct baton__power_dev {
    const baton_stonith_plugin *plugin;
    baton_stonith_device *device;
    const char *plug;
    baton__fence_call *call;
} baton__power_dev;

/* One status query, missing_as_off applied. */
baton_stonith_result baton__power_status(const baton__power_dev *d, const baton__power_opts *o,
                                         baton_stonith_power *ret_power);
/*
 * Bring the target to ON or OFF and confirm it by polling status, bounded by
 * power_timeout and the call's deadline. A target already in that state
 * succeeds without a command. Transitional and unknown states are waited on.
 */
baton_stonith_result baton__power_set(const baton__power_dev *d, const baton__power_opts *o,
                                      baton_stonith_power target);
/* off + confirm + on + confirm; an off target is only powered on. */
baton_stonith_result baton__power_reboot(const baton__power_dev *d, const baton__power_opts *o);
/* The device's own cycle (method=cycle): on when off, else reboot, then confirm on. */
baton_stonith_result baton__power_cycle(const baton__power_dev *d, const baton__power_opts *o);

/* ------------------------------------------------------------------ secrets */

/*
 * Run a password script without a shell (the value split at blanks, quotes
 * group words, no expansion) and return the first line of its output.
 */
int baton__secret_from_script(const char *cmdline, baton_deadline deadline,
                              char **ret_secret, char **ret_reason);
/* First line of a file; *ret_warning when others may read it. */
int baton__secret_from_file(const char *path, char **ret_secret, char **ret_warning,
                            char **ret_reason);
/*
 * Split a command line: blanks separate, '...' and "..." group, \ escapes.
 * Pure. *ret_argv is a string vector (baton_strv_free).
 */
int baton__split_cmdline(const char *s, char ***ret_argv, size_t *ret_argc);

/* ------------------------------------------------------------------ front end */

/* Exit codes of the fence-agents API. */
enum {
    BATON_FENCE_EXIT_OK = 0,
    BATON_FENCE_EXIT_FAIL = 1,
    BATON_FENCE_EXIT_OFF = 2,           /* status: the target is off */
};

/*
 * The whole agent: plugin <name> from the plugin directory, options from
 * argv or stdin. Returns the exit code.
 */
int baton__fence_main(const char *plugin_name, int argc, char **argv);
/* Same with an already loaded module and stdin text (tests). */
int baton__fence_run(baton__stonith_module *m, const char *agent, int argc, char **argv,
                     const char *stdin_text, size_t stdin_len);

/* Store a printf-made reason in *ret_reason (when not NULL, free()) and return r. */
int baton__fence_fail(char **ret_reason, int r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif /* BATON_STONITH_INTERNAL_H */
