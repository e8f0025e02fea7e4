/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A complete third-party STONITH plugin, built against nothing but the
 * installed <baton/stonith.h>: a "power switch" whose outlets are files in
 * a directory, each holding "on" or "off". fence_baton_example drives it in
 * the tests; it shows how small a plugin is when the front end does options,
 * metadata, secrets, timing and confirmation.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/stonith.h>

struct baton_stonith_device {
    const char *dir;
};

static const baton_stonith_param example_params[] = {
    { .name = "state_dir", .type = BATON_STONITH_PARAM_STRING, .required = true,
      .getopt_short = 'd', .getopt_arg = "dir",
      .shortdesc = "Directory with one file per outlet, holding on or off" },
    { .name = "password", .type = BATON_STONITH_PARAM_STRING, .secret = true,
      .deprecated_name = "passwd", .getopt_short = 'p',
      .shortdesc = "Must match the file .password in state_dir when that exists" },
    { .name = NULL },
};

static void example_destroy(baton_stonith_device *d)
{
    free(d);
}

static baton_stonith_result check_password(const baton_stonith_config *config,
                                           const char *dir, baton_stonith_call *call)
{
    const char *pw = config->get(config, "password");
    char path[4096], want[256] = "";
    FILE *f;

    snprintf(path, sizeof(path), "%s/.password", dir);
    f = fopen(path, "re");
    if (!f)
        return BATON_STONITH_OK;
    if (!fgets(want, sizeof(want), f))
        want[0] = '\0';
    fclose(f);
    want[strcspn(want, "\n")] = '\0';
    if (!pw || strcmp(pw, want) != 0)
        return baton_stonith_fail(call, BATON_STONITH_AUTH_FAILED, "wrong password");
    return BATON_STONITH_OK;
}

static baton_stonith_result example_create(const baton_stonith_config *config,
                                           baton_stonith_call *call, baton_stonith_device **ret)
{
    baton_stonith_device *d;
    baton_stonith_result r;

    r = check_password(config, config->get(config, "state_dir"), call);
    if (r != BATON_STONITH_OK)
        return r;
    d = calloc(1, sizeof(*d));
    if (!d)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "out of memory");
    d->dir = config->get(config, "state_dir");
    *ret = d;
    return BATON_STONITH_OK;
}

static baton_stonith_result outlet_path(baton_stonith_device *d, const char *plug,
                                        baton_stonith_call *call, char *buf, size_t size)
{
    if (!plug || !*plug || strchr(plug, '/') || plug[0] == '.')
        return baton_stonith_fail(call, BATON_STONITH_NO_SUCH_TARGET, "bad outlet '%s'",
                                  plug ? plug : "");
    snprintf(buf, size, "%s/%s", d->dir, plug);
    return BATON_STONITH_OK;
}

static baton_stonith_result read_outlet(const char *path, baton_stonith_call *call,
                                        baton_stonith_power *ret)
{
    char s[32] = "";
    FILE *f = fopen(path, "re");

    if (!f)
        return baton_stonith_fail(call, errno == ENOENT ? BATON_STONITH_NO_SUCH_TARGET
                                                        : BATON_STONITH_FAILED,
                                  "%s: %s", path, strerror(errno));
    if (!fgets(s, sizeof(s), f))
        s[0] = '\0';
    fclose(f);
    if (strncmp(s, "on", 2) == 0)
        *ret = BATON_STONITH_POWER_ON;
    else if (strncmp(s, "off", 3) == 0)
        *ret = BATON_STONITH_POWER_OFF;
    else
        *ret = BATON_STONITH_POWER_TRANSITIONAL;
    return BATON_STONITH_OK;
}

static baton_stonith_result example_status(baton_stonith_device *d, const char *plug,
                                           baton_stonith_call *call, baton_stonith_power *ret)
{
    char path[4096];
    baton_stonith_result r = outlet_path(d, plug, call, path, sizeof(path));

    return r != BATON_STONITH_OK ? r : read_outlet(path, call, ret);
}

static baton_stonith_result write_outlet(baton_stonith_device *d, const char *plug,
                                         baton_stonith_call *call, const char *state)
{
    char path[4096];
    baton_stonith_power p;
    baton_stonith_result r = outlet_path(d, plug, call, path, sizeof(path));
    FILE *f;

    if (r == BATON_STONITH_OK)
        r = read_outlet(path, call, &p);        /* no outlet, no power */
    if (r != BATON_STONITH_OK)
        return r;
    f = fopen(path, "we");
    if (!f || fprintf(f, "%s\n", state) < 0 || fclose(f) != 0)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "%s: cannot write", path);
    call->log(call, LOG_DEBUG, "outlet %s switched %s", plug, state);
    return BATON_STONITH_OK;
}

static baton_stonith_result example_on(baton_stonith_device *d, const char *plug,
                                       baton_stonith_call *call)
{
    return write_outlet(d, plug, call, "on");
}

static baton_stonith_result example_off(baton_stonith_device *d, const char *plug,
                                        baton_stonith_call *call)
{
    return write_outlet(d, plug, call, "off");
}

static baton_stonith_result example_list(baton_stonith_device *d, baton_stonith_call *call,
                                         bool with_status, baton_stonith_list_fn emit,
                                         void *userdata)
{
    struct dirent *e;
    DIR *dir = opendir(d->dir);

    if (!dir)
        return baton_stonith_fail(call, BATON_STONITH_UNREACHABLE, "%s: %s", d->dir, strerror(errno));
    while ((e = readdir(dir))) {
        baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;

        if (e->d_name[0] == '.')
            continue;
        if (with_status)
            (void) example_status(d, e->d_name, call, &p);
        emit(userdata, e->d_name, NULL, p);
    }
    closedir(dir);
    return BATON_STONITH_OK;
}

static baton_stonith_result example_monitor(baton_stonith_device *d, baton_stonith_call *call)
{
    DIR *dir = opendir(d->dir);

    if (!dir)
        return baton_stonith_fail(call, BATON_STONITH_UNREACHABLE, "%s: %s", d->dir, strerror(errno));
    closedir(dir);
    return BATON_STONITH_OK;
}

static const baton_stonith_plugin example_plugin = {
    BATON_STONITH_PLUGIN_HEADER,
    .name = "example",
    .version = "0.1",
    .shortdesc = "Example plugin: outlets are files",
    .longdesc = "Shows the baton STONITH plugin ABI; for tests only.",
    .flags = BATON_STONITH_F_PLUG,
    .params = example_params,
    .create = example_create,
    .destroy = example_destroy,
    .status = example_status,
    .on = example_on,
    .off = example_off,
    .list = example_list,
    .monitor = example_monitor,
};

BATON_STONITH_PLUGIN_EXPORT(example_plugin)
