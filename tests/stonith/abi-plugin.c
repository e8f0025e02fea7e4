/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deliberately (in)compatible plugins for the loader's ABI checks, built
 * several times with different -D flags:
 *   ABI_NAME      the plugin name (= module file name)
 *   ABI_MAJOR     abi_major to claim (default: ours)
 *   ABI_MINOR     abi_minor to claim (default: ours)
 *   ABI_EXTRA     bytes a "newer" plugin appends to its descriptor
 *   ABI_SHRINK    bytes to claim less than the ABI 1.0 descriptor
 *   ABI_NO_ENTRY  export no entry point at all
 *   ABI_NULL      the entry point returns NULL
 */
#include <stddef.h>

#include <baton/stonith.h>

#ifndef ABI_MAJOR
#define ABI_MAJOR BATON_STONITH_ABI_MAJOR
#endif
#ifndef ABI_MINOR
#define ABI_MINOR BATON_STONITH_ABI_MINOR
#endif
#ifndef ABI_EXTRA
#define ABI_EXTRA 0
#endif
#ifndef ABI_SHRINK
#define ABI_SHRINK 0
#endif

struct baton_stonith_device {
    int unused;
};

static baton_stonith_result t_create(const baton_stonith_config *config, baton_stonith_call *call,
                                     baton_stonith_device **ret)
{
    static baton_stonith_device dev;

    (void) config;
    (void) call;
    *ret = &dev;
    return BATON_STONITH_OK;
}

static void t_destroy(baton_stonith_device *d)
{
    (void) d;
}

static baton_stonith_result t_status(baton_stonith_device *d, const char *plug,
                                     baton_stonith_call *call, baton_stonith_power *ret)
{
    (void) d;
    (void) plug;
    (void) call;
    *ret = BATON_STONITH_POWER_ON;
    return BATON_STONITH_OK;
}

static baton_stonith_result t_power(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    (void) d;
    (void) plug;
    (void) call;
    return BATON_STONITH_OK;
}

static baton_stonith_result t_monitor(baton_stonith_device *d, baton_stonith_call *call)
{
    (void) d;
    (void) call;
    return BATON_STONITH_OK;
}

static const baton_stonith_param t_params[] = {
    { .name = "ip", .type = BATON_STONITH_PARAM_STRING, .getopt_short = 'a' },
    { .name = NULL },
};

/* A descriptor as a newer minor would lay it out: ours plus fields we do not know. */
static const struct {
    baton_stonith_plugin p;
    char future[ABI_EXTRA + 1];
} t_plugin = {
    .p = {
        .abi_major = ABI_MAJOR,
        .abi_minor = ABI_MINOR,
        /* ABI_SHRINK cuts into the 1.0 fields, which every front end of major 1 reads. */
        .struct_size = ABI_SHRINK ? offsetof(baton_stonith_plugin, monitor) + sizeof(void *) - ABI_SHRINK
                                  : sizeof(baton_stonith_plugin) + ABI_EXTRA,
        .param_size = sizeof(baton_stonith_param),
        .name = ABI_NAME,
        .version = "0",
        .params = t_params,
        .create = t_create,
        .destroy = t_destroy,
        .status = t_status,
        .on = t_power,
        .off = t_power,
        .monitor = t_monitor,
    },
};

#ifndef ABI_NO_ENTRY
__attribute__((visibility("default"))) const baton_stonith_plugin *baton_stonith_plugin_entry(void);
__attribute__((visibility("default"))) const baton_stonith_plugin *baton_stonith_plugin_entry(void)
{
#ifdef ABI_NULL
    (void) t_plugin;
    return NULL;
#else
    return &t_plugin.p;
#endif
}
#else
__attribute__((visibility("default"))) int baton_stonith_something_else(void);
__attribute__((visibility("default"))) int baton_stonith_something_else(void)
{
    return t_plugin.p.abi_major;
}
#endif
