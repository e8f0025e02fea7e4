/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The STONITH plugin ABI: what a fence device plugin for fence_baton_<name>
 * exports, and the services the front end hands it.
 *
 * A plugin is a shared object <plugindir>/<name>.so exporting one symbol,
 * BATON_STONITH_ENTRY_SYMBOL, a function returning a constant descriptor.
 * The front end (fence_baton_<name>) speaks the fence-agents API to
 * pacemaker-fenced; it parses and checks the options against the
 * descriptor's parameter table (which also yields the metadata XML), reads
 * secrets, keeps the clock, and drives the power logic: "off" is the
 * plugin's off, then status polled until OFF; reboot is off + confirm + on +
 * confirm. A plugin therefore only issues commands and reports states.
 *
 * Compatibility: the descriptor starts with abi_major, abi_minor and
 * struct_size. The loader accepts a plugin with the same major, a minor at
 * least as new as the fields the loader reads, and a struct_size at least as
 * large as what it reads. New members are only ever appended (minor bump);
 * anything else bumps the major. The same holds for the structs the front
 * end passes in (call, config): a plugin built for a newer minor checks
 * their struct_size before it uses a member it knows the host may lack.
 *
 * This header is self-contained: a plugin needs no library from baton.
 *
 *     static const baton_stonith_param params[] = {
 *         { .name = "ip", .type = BATON_STONITH_PARAM_STRING, .required = true,
 *           .shortdesc = "Switch address", .getopt_short = 'a' },
 *         { .name = NULL },
 *     };
 *     static const baton_stonith_plugin plugin = {
 *         BATON_STONITH_PLUGIN_HEADER,
 *         .name = "myswitch", .version = "1.0", .shortdesc = "...",
 *         .params = params,
 *         .create = sw_create, .destroy = sw_destroy, .status = sw_status,
 *         .on = sw_on, .off = sw_off, .monitor = sw_monitor,
 *     };
 *     BATON_STONITH_PLUGIN_EXPORT(plugin)
 */
#ifndef BATON_STONITH_H
#define BATON_STONITH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#define BATON_STONITH_ABI_MAJOR 1
#define BATON_STONITH_ABI_MINOR 1

/* The one symbol a plugin exports. */
#define BATON_STONITH_ENTRY_SYMBOL "baton_stonith_plugin_entry"

/* What an operation came to. One vocabulary for every plugin. */
typedef enum baton_stonith_result {
    BATON_STONITH_OK = 0,
    BATON_STONITH_BAD_CONFIG,           /* wrong everywhere: fix the configuration */
    BATON_STONITH_AUTH_FAILED,          /* the device refused our credentials */
    BATON_STONITH_UNREACHABLE,          /* no answer / connection refused */
    BATON_STONITH_TIMED_OUT,            /* the deadline ran out */
    BATON_STONITH_NO_SUCH_TARGET,       /* the plug/domain does not exist */
    BATON_STONITH_FAILED,               /* the device said no or misbehaved */
    BATON_STONITH_UNSUPPORTED,          /* the device cannot do this */
    BATON_STONITH_RESULT_MAX,
} baton_stonith_result;

typedef enum baton_stonith_power {
    BATON_STONITH_POWER_UNKNOWN = 0,
    BATON_STONITH_POWER_ON,
    BATON_STONITH_POWER_OFF,
    BATON_STONITH_POWER_TRANSITIONAL,   /* changing; ask again */
    BATON_STONITH_POWER_MAX,
} baton_stonith_power;

typedef enum baton_stonith_param_type {
    BATON_STONITH_PARAM_STRING = 0,
    BATON_STONITH_PARAM_BOOLEAN,        /* 1/0, yes/no, on/off, true/false */
    BATON_STONITH_PARAM_INTEGER,
    BATON_STONITH_PARAM_SECOND,         /* seconds, fractions allowed ("0.5") */
    BATON_STONITH_PARAM_SELECT,         /* one of .options */
    BATON_STONITH_PARAM_TYPE_MAX,
} baton_stonith_param_type;

/*
 * One device parameter. The table is the single source of the metadata
 * XML, of the command-line options and of the checks the front end makes
 * before the plugin sees a value.
 */
typedef struct baton_stonith_param {
    const char *name;                   /* fence-agents name: "ip", "username" */
    baton_stonith_param_type type;
    bool required;
    /*
     * Never logged nor echoed; zeroed after use. The front end also accepts
     * <name>_script (a program printing it) and <name>_file (a file holding
     * it); for "password" these are password_script (-S) and password_file.
     */
    bool secret;
    const char *default_value;          /* NULL: none */
    const char *shortdesc;
    int getopt_short;                   /* 'a' for -a; 0: none */
    const char *getopt_long;            /* NULL: the name with '_' as '-' */
    const char *getopt_arg;             /* metavar in the metadata; NULL: derived */
    const char *deprecated_name;        /* old name still accepted: ipaddr, login */
    const char *const *options;         /* SELECT: NULL-terminated */
} baton_stonith_param;

/*
 * Users switch from a fence-agents agent (fence_ipmilan) by copying the
 * device's options, so every parameter of that agent is accounted for:
 * declared in the parameter table with the same name and meaning, or listed
 * here. The front end adds fence-agents' common options (quiet, debug_file,
 * plug_separator, ...) itself.
 */
typedef enum baton_stonith_decision {
    /* Not implemented: the agent fails, naming what to use instead. */
    BATON_STONITH_DECISION_REFUSED = 0,
    /* Changes nothing here (a knob of the old implementation): accepted with a notice. */
    BATON_STONITH_DECISION_NOOP,
    /* Declared in the parameter table too, with another meaning or default. */
    BATON_STONITH_DECISION_DIFFERS,
    BATON_STONITH_DECISION_MAX,
} baton_stonith_decision;

/* ABI 1.1. The table ends with an entry whose name is NULL. */
typedef struct baton_stonith_standard_param {
    const char *name;                   /* the fence-agents agent's parameter */
    baton_stonith_decision decision;
    const char *why;                    /* one line */
    const char *instead;                /* REFUSED: what to use instead (required) */
    const char *accept;                 /* REFUSED: the value asking for what the plugin does
                                         * anyway (compared as a boolean when both are) */
} baton_stonith_standard_param;

/*
 * Per-call services of the front end. The deadline is the front end's (its
 * own overall limit, within the time Pacemaker gives); a plugin bounds
 * every wait by remaining_ms() and never blocks past it.
 */
typedef struct baton_stonith_call baton_stonith_call;
struct baton_stonith_call {
    uint32_t struct_size;
    /* Milliseconds left (0 when expired; INT64_MAX when unbounded). */
    int64_t (*remaining_ms)(const baton_stonith_call *call);
    /* The message the front end reports for a failed result (last wins). */
    void (*set_error)(baton_stonith_call *call, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
    /* Log through the agent (LOG_DEBUG only shown with verbose). */
    void (*log)(baton_stonith_call *call, int priority, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));
    void *host;                         /* the front end's; leave alone */
};

/* return baton_stonith_fail(call, BATON_STONITH_FAILED, "no answer from %s", ip); */
#define baton_stonith_fail(call, result, ...) \
    ((call)->set_error((call), __VA_ARGS__), (result))

/*
 * The checked configuration. Values were validated against the parameter
 * table: get_int() of an INTEGER parameter, get_bool() of a BOOLEAN and
 * get_ms() of a SECOND parameter cannot fail. get() returns the value given,
 * else the default, else NULL. Strings live until destroy(); a secret is
 * zeroed by the front end afterwards, so copy it only into what you wipe.
 */
typedef struct baton_stonith_config baton_stonith_config;
struct baton_stonith_config {
    uint32_t struct_size;
    const char *(*get)(const baton_stonith_config *config, const char *name);
    bool (*is_set)(const baton_stonith_config *config, const char *name);
    int64_t (*get_int)(const baton_stonith_config *config, const char *name);
    bool (*get_bool)(const baton_stonith_config *config, const char *name);
    int64_t (*get_ms)(const baton_stonith_config *config, const char *name);
    void *host;
};

/* Each plugin defines its own struct baton_stonith_device. */
typedef struct baton_stonith_device baton_stonith_device;

typedef void (*baton_stonith_list_fn)(void *userdata, const char *plug,
                                      const char *alias, baton_stonith_power power);

typedef enum baton_stonith_plugin_flags {
    /* Targets are named by plug (VMs, outlets); without it, one device = one host. */
    BATON_STONITH_F_PLUG = 1u << 0,
} baton_stonith_plugin_flags;

typedef struct baton_stonith_plugin {
    /* Fill with BATON_STONITH_PLUGIN_HEADER. */
    uint32_t abi_major;
    uint32_t abi_minor;
    uint32_t struct_size;               /* sizeof(baton_stonith_plugin) */
    uint32_t param_size;                /* sizeof(baton_stonith_param): the table's stride */

    const char *name;                   /* "ipmi": the agent is fence_baton_ipmi */
    const char *version;
    const char *shortdesc;
    const char *longdesc;
    const char *vendor_url;             /* may be NULL */
    uint32_t flags;                     /* baton_stonith_plugin_flags */
    const baton_stonith_param *params;  /* ends with an entry whose name is NULL */

    /*
     * Build the device from a checked configuration without touching the
     * device (validate-all calls only this). May check what the table cannot
     * express and fail with BAD_CONFIG.
     */
    baton_stonith_result (*create)(const baton_stonith_config *config,
                                   baton_stonith_call *call,
                                   baton_stonith_device **ret_device);
    void (*destroy)(baton_stonith_device *device);

    /* plug is NULL unless BATON_STONITH_F_PLUG. */
    baton_stonith_result (*status)(baton_stonith_device *device, const char *plug,
                                   baton_stonith_call *call, baton_stonith_power *ret_power);
    /* Issue the command; the front end confirms by polling status. */
    baton_stonith_result (*on)(baton_stonith_device *device, const char *plug,
                               baton_stonith_call *call);
    baton_stonith_result (*off)(baton_stonith_device *device, const char *plug,
                                baton_stonith_call *call);
    /* Optional (NULL): the device's own power cycle, used for method=cycle. */
    baton_stonith_result (*reboot)(baton_stonith_device *device, const char *plug,
                                   baton_stonith_call *call);
    /* Optional (NULL): every target, with its power state when with_status. */
    baton_stonith_result (*list)(baton_stonith_device *device, baton_stonith_call *call,
                                 bool with_status, baton_stonith_list_fn emit, void *userdata);
    /* The device answers and the credentials work. */
    baton_stonith_result (*monitor)(baton_stonith_device *device, baton_stonith_call *call);

    /* ABI 1.1 */
    /*
     * Optional (NULL): pulse a diagnostic interrupt (NMI), the "diag" action
     * of fence_ipmilan: the target's kernel may dump and reboot. Nothing is
     * confirmed: it does not prove the target stopped.
     */
    baton_stonith_result (*diag)(baton_stonith_device *device, const char *plug,
                                 baton_stonith_call *call);
    const char *standard_agent;         /* the fence-agents agent replaced: "fence_ipmilan" */
    const baton_stonith_standard_param *standard_params;   /* may be NULL */
    uint32_t standard_param_size;       /* sizeof(baton_stonith_standard_param): the stride */
} baton_stonith_plugin;

typedef const baton_stonith_plugin *(*baton_stonith_entry_fn)(void);

#define BATON_STONITH_PLUGIN_HEADER                             \
    .abi_major = BATON_STONITH_ABI_MAJOR,                       \
    .abi_minor = BATON_STONITH_ABI_MINOR,                       \
    .struct_size = sizeof(baton_stonith_plugin),                \
    .param_size = sizeof(baton_stonith_param),                  \
    .standard_param_size = sizeof(baton_stonith_standard_param)

#define BATON_STONITH_PLUGIN_EXPORT(descriptor)                                 \
    __attribute__((visibility("default")))                                      \
    const baton_stonith_plugin *baton_stonith_plugin_entry(void);               \
    __attribute__((visibility("default")))                                      \
    const baton_stonith_plugin *baton_stonith_plugin_entry(void)                \
    {                                                                           \
        return &(descriptor);                                                   \
    }

#endif /* BATON_STONITH_H */
