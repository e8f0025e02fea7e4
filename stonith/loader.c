/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plugin loading. One shared object per plugin, one entry symbol, checked
 * before anything else of the descriptor is read. The parameter table is
 * copied into our own layout once, so the rest of the front end never has
 * to think about the plugin's stride.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <baton/log.h>

#include "stonith-internal.h"

#ifndef BATON_STONITH_PLUGIN_DIR
#define BATON_STONITH_PLUGIN_DIR "/usr/lib/baton/stonith"
#endif
#ifndef BATON_FENCE_AGENT_DIR
#define BATON_FENCE_AGENT_DIR "/usr/sbin"
#endif

/* The descriptor fields this loader reads were all in ABI 1.0. */
#define LOADER_NEEDED_MINOR 0
/* Refuse absurd tables rather than walk off into memory. */
#define PARAMS_MAX 256

static const char *const result_names[BATON_STONITH_RESULT_MAX] = {
    [BATON_STONITH_OK] = "ok",
    [BATON_STONITH_BAD_CONFIG] = "bad configuration",
    [BATON_STONITH_AUTH_FAILED] = "authentication failed",
    [BATON_STONITH_UNREACHABLE] = "device unreachable",
    [BATON_STONITH_TIMED_OUT] = "timed out",
    [BATON_STONITH_NO_SUCH_TARGET] = "no such target",
    [BATON_STONITH_FAILED] = "failed",
    [BATON_STONITH_UNSUPPORTED] = "unsupported",
};

static const char *const power_names[BATON_STONITH_POWER_MAX] = {
    [BATON_STONITH_POWER_UNKNOWN] = "UNKNOWN",
    [BATON_STONITH_POWER_ON] = "ON",
    [BATON_STONITH_POWER_OFF] = "OFF",
    [BATON_STONITH_POWER_TRANSITIONAL] = "TRANSITIONAL",
};

static const char *const type_names[BATON_STONITH_PARAM_TYPE_MAX] = {
    [BATON_STONITH_PARAM_STRING] = "string",
    [BATON_STONITH_PARAM_BOOLEAN] = "boolean",
    [BATON_STONITH_PARAM_INTEGER] = "integer",
    [BATON_STONITH_PARAM_SECOND] = "second",
    [BATON_STONITH_PARAM_SELECT] = "select",
};

const char *baton__stonith_result_name(baton_stonith_result r)
{
    if ((unsigned) r >= BATON_STONITH_RESULT_MAX)
        return "invalid result";
    return result_names[r];
}

const char *baton__stonith_power_name(baton_stonith_power p)
{
    if ((unsigned) p >= BATON_STONITH_POWER_MAX)
        return "UNKNOWN";
    return power_names[p];
}

const char *baton__stonith_param_type_name(baton_stonith_param_type t)
{
    if ((unsigned) t >= BATON_STONITH_PARAM_TYPE_MAX)
        return "string";
    return type_names[t];
}

/* This process is a front end installed where pacemaker-fenced finds it (or cannot tell). */
static bool running_installed(void)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    if (n <= 0)
        return true;
    self[n] = '\0';
    return strncmp(self, BATON_FENCE_AGENT_DIR "/", strlen(BATON_FENCE_AGENT_DIR) + 1) == 0;
}

/*
 * A front end in a build tree (make check, tests of _build) loads the
 * plugins the variable names; an installed one only the packaged ones: an
 * environment variable must not choose the code that fences as root.
 */
const char *baton__stonith_plugin_dir(void)
{
    const char *d = secure_getenv("BATON_STONITH_PLUGIN_DIR");

    if (!d || !*d)
        return BATON_STONITH_PLUGIN_DIR;
    if (running_installed()) {
        baton_warn("BATON_STONITH_PLUGIN_DIR ignored: an installed fence agent loads its "
                   "plugins from %s only", BATON_STONITH_PLUGIN_DIR);
        return BATON_STONITH_PLUGIN_DIR;
    }
    return d;
}

int baton__stonith_abi_check(const baton_stonith_plugin *p, uint32_t needed_minor,
                             char **ret_reason)
{
    if (!p)
        return baton__fence_fail(ret_reason, -EPROTO, "the plugin's entry returned no descriptor");
    if (p->abi_major != BATON_STONITH_ABI_MAJOR)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin ABI %u.%u, this front end speaks %u.x",
                                 p->abi_major, p->abi_minor, BATON_STONITH_ABI_MAJOR);
    if (p->abi_minor < needed_minor)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin ABI %u.%u is older than the %u.%u needed",
                                 p->abi_major, p->abi_minor, BATON_STONITH_ABI_MAJOR, needed_minor);
    /*
     * The 1.0 fields, not sizeof: a plugin built for an older minor has a
     * shorter descriptor, and stonith.h promises that it loads.
     */
    if (p->struct_size < BATON__STONITH_PLUGIN_SIZE_1_0)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin descriptor has %u bytes, at least %zu needed",
                                 p->struct_size, (size_t) BATON__STONITH_PLUGIN_SIZE_1_0);
    if (p->param_size < BATON__STONITH_PARAM_SIZE_1_0)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin parameter entries have %u bytes, at least %zu needed",
                                 p->param_size, (size_t) BATON__STONITH_PARAM_SIZE_1_0);
    if (!p->name || !*p->name)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin has no name");
    if (!p->create || !p->destroy || !p->status || !p->on || !p->off || !p->monitor)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin %s lacks a mandatory operation", p->name);
    if (!p->params)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin %s has no parameter table", p->name);
    return 0;
}

void baton__stonith_plugin_copy(const baton_stonith_plugin *p, void *out, size_t out_size)
{
    size_t k = p->struct_size < out_size ? p->struct_size : out_size;

    memset(out, 0, out_size);
    memcpy(out, p, k);
}

static int params_copy(baton__stonith_module *m, char **ret_reason)
{
    const baton_stonith_plugin *p = m->plugin;
    const char *base = (const char *) p->params;
    size_t n = 0;

    for (;;) {
        const baton_stonith_param *e = (const baton_stonith_param *) (base + n * p->param_size);

        if (!e->name)
            break;
        if (++n > PARAMS_MAX)
            return baton__fence_fail(ret_reason, -EPROTO, "plugin %s: parameter table not terminated", p->name);
    }
    m->params = calloc(n + 1, sizeof(*m->params));
    if (!m->params)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const void *e = base + i * p->param_size;
        size_t k = p->param_size < sizeof(baton_stonith_param) ? p->param_size
                                                               : sizeof(baton_stonith_param);

        /* An older plugin's entries are shorter: the missing tail stays zero. */
        memcpy(&m->params[i], e, k);
        if ((unsigned) m->params[i].type >= BATON_STONITH_PARAM_TYPE_MAX)
            return baton__fence_fail(ret_reason, -EPROTO, "plugin %s: parameter %s has an unknown type",
                                     p->name, m->params[i].name);
    }
    m->n_params = n;
    return 0;
}

/*
 * The decisions on the replaced agent's parameters (ABI 1.1), in host
 * layout. A 1.0 plugin's descriptor was zero-filled past its end: none.
 */
static int standard_copy(baton__stonith_module *m, char **ret_reason)
{
    const baton_stonith_plugin *p = m->plugin;
    const char *base = (const char *) p->standard_params;
    size_t n = 0;

    if (!base)
        return 0;
    if (p->standard_param_size < BATON__STONITH_STANDARD_PARAM_SIZE_1_1)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin %s: standard parameter entries have "
                                 "%u bytes, at least %zu needed", p->name, p->standard_param_size,
                                 (size_t) BATON__STONITH_STANDARD_PARAM_SIZE_1_1);
    for (;;) {
        const baton_stonith_standard_param *e =
            (const baton_stonith_standard_param *) (base + n * p->standard_param_size);

        if (!e->name)
            break;
        if (++n > PARAMS_MAX)
            return baton__fence_fail(ret_reason, -EPROTO, "plugin %s: standard parameter table "
                                     "not terminated", p->name);
    }
    m->standard = calloc(n + 1, sizeof(*m->standard));
    if (!m->standard)
        return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        size_t k = p->standard_param_size < sizeof(baton_stonith_standard_param)
                   ? p->standard_param_size : sizeof(baton_stonith_standard_param);

        memcpy(&m->standard[i], base + i * p->standard_param_size, k);
    }
    m->n_standard = n;
    return 0;
}

int baton__stonith_module_from_plugin(const baton_stonith_plugin *p,
                                      baton__stonith_module **ret, char **ret_reason)
{
    baton_autoptr(baton__stonith_module) m = NULL;
    int r;

    r = baton__stonith_abi_check(p, LOADER_NEEDED_MINOR, ret_reason);
    if (r < 0)
        return r;
    m = calloc(1, sizeof(*m));
    if (!m)
        return -ENOMEM;
    baton__stonith_plugin_copy(p, &m->desc, sizeof(m->desc));
    m->plugin = &m->desc;
    r = params_copy(m, ret_reason);
    if (r == 0)
        r = standard_copy(m, ret_reason);
    if (r < 0)
        return r;
    *ret = baton_take_ptr(m);
    return 0;
}

int baton__stonith_module_load(const char *dir, const char *name,
                               baton__stonith_module **ret, char **ret_reason)
{
    baton_autofree char *path = NULL;
    baton_autoptr(baton__stonith_module) m = NULL;
    baton_stonith_entry_fn entry;
    void *handle;
    int r;

    /* The name comes from our own binary, but never let it climb out of dir. */
    if (!name || !*name || strchr(name, '/') || name[0] == '.')
        return baton__fence_fail(ret_reason, -EINVAL, "invalid plugin name '%s'", name ? name : "");
    if (asprintf(&path, "%s/%s.so", dir, name) < 0)
        return -ENOMEM;
    dlerror();
    /*
     * NODELETE: a plugin may leave threads behind that cannot be stopped
     * (libvirt's event loop runs for the life of the process); unmapping its
     * code under them at dlclose() crashed the front end at exit.
     */
    handle = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (!handle) {
        const char *e = dlerror();

        return baton__fence_fail(ret_reason, -ENOENT, "cannot load plugin %s: %s", path, e ? e : "unknown error");
    }
    dlerror();
    *(void **) &entry = dlsym(handle, BATON_STONITH_ENTRY_SYMBOL);
    if (!entry) {
        const char *e = dlerror();

        /* dlclose() frees the dlerror() text: format the reason first. */
        r = baton__fence_fail(ret_reason, -EPROTO, "plugin %s has no entry point %s: %s", path,
                              BATON_STONITH_ENTRY_SYMBOL, e ? e : "symbol is NULL");
        dlclose(handle);
        return r;
    }
    r = baton__stonith_module_from_plugin(entry(), &m, ret_reason);
    if (r < 0) {
        dlclose(handle);
        return r;
    }
    m->handle = handle;
    if (strcmp(m->plugin->name, name) != 0)
        return baton__fence_fail(ret_reason, -EPROTO, "plugin %s calls itself '%s'", path, m->plugin->name);
    *ret = baton_take_ptr(m);
    return 0;
}

baton__stonith_module *baton__stonith_module_free(baton__stonith_module *m)
{
    if (!m)
        return NULL;
    free(m->params);
    free(m->standard);
    if (m->handle)
        dlclose(m->handle);
    free(m);
    return NULL;
}
