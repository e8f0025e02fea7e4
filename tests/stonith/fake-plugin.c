/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>

#include "fake-plugin.h"

fake_state fake;

struct baton_stonith_device {
    int unused;
};

void fake_reset(baton_stonith_power initial)
{
    memset(&fake, 0, sizeof(fake));
    fake.power = initial;
    fake.status_result = BATON_STONITH_OK;
}

static baton_stonith_result f_create(const baton_stonith_config *config, baton_stonith_call *call,
                                     baton_stonith_device **ret)
{
    static baton_stonith_device dev;

    if (config->get(config, "ip") && strcmp(config->get(config, "ip"), "bad") == 0)
        return baton_stonith_fail(call, BATON_STONITH_BAD_CONFIG, "ip is bad");
    *ret = &dev;
    return BATON_STONITH_OK;
}

static void f_destroy(baton_stonith_device *d)
{
    (void) d;
}

static baton_stonith_result f_status(baton_stonith_device *d, const char *plug,
                                     baton_stonith_call *call, baton_stonith_power *ret)
{
    (void) d;
    (void) plug;
    fake.n_status++;
    if (fake.status_result != BATON_STONITH_OK)
        return baton_stonith_fail(call, fake.status_result, "scripted status failure");
    if (fake.status_failures > 0) {
        fake.status_failures--;
        return baton_stonith_fail(call, BATON_STONITH_UNREACHABLE, "scripted transient failure");
    }
    if (fake.transitional_polls > 0) {
        if (--fake.transitional_polls == 0)
            fake.power = fake.pending;
        *ret = BATON_STONITH_POWER_TRANSITIONAL;
        return BATON_STONITH_OK;
    }
    *ret = fake.power;
    return BATON_STONITH_OK;
}

static baton_stonith_result f_switch(baton_stonith_power to)
{
    fake.status_failures = fake.failures_after_command;
    if (fake.transitional_polls > 0)
        fake.pending = to;
    else
        fake.power = to;
    return BATON_STONITH_OK;
}

static baton_stonith_result f_on(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    (void) d;
    (void) plug;
    (void) call;
    fake.n_on++;
    return f_switch(BATON_STONITH_POWER_ON);
}

static baton_stonith_result f_off(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    (void) d;
    (void) plug;
    (void) call;
    fake.n_off++;
    if (fake.never_off) {
        fake.status_failures = fake.failures_after_command;
        return BATON_STONITH_OK;
    }
    return f_switch(BATON_STONITH_POWER_OFF);
}

static baton_stonith_result f_reboot(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    (void) d;
    (void) plug;
    (void) call;
    fake.n_reboot++;
    fake.power = BATON_STONITH_POWER_ON;
    return BATON_STONITH_OK;
}

static baton_stonith_result f_diag(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    (void) d;
    (void) plug;
    (void) call;
    fake.n_diag++;
    return BATON_STONITH_OK;
}

static baton_stonith_result f_monitor(baton_stonith_device *d, baton_stonith_call *call)
{
    (void) d;
    (void) call;
    return BATON_STONITH_OK;
}

static const char *const f_levels[] = { "user", "operator", "administrator", NULL };

static const baton_stonith_param f_params[] = {
    { .name = "ip", .type = BATON_STONITH_PARAM_STRING, .required = true,
      .deprecated_name = "ipaddr", .getopt_short = 'a', .getopt_arg = "ip",
      .shortdesc = "Address <of> the \"device\" & more" },
    { .name = "ipport", .type = BATON_STONITH_PARAM_INTEGER, .default_value = "623",
      .getopt_short = 'u', .getopt_arg = "port", .shortdesc = "Port" },
    { .name = "username", .type = BATON_STONITH_PARAM_STRING, .deprecated_name = "login",
      .getopt_short = 'l', .getopt_arg = "name", .shortdesc = "Login" },
    { .name = "password", .type = BATON_STONITH_PARAM_STRING, .secret = true, .required = true,
      .deprecated_name = "passwd", .getopt_short = 'p', .shortdesc = "Password" },
    { .name = "lanplus", .type = BATON_STONITH_PARAM_BOOLEAN, .default_value = "1",
      .getopt_short = 'P', .shortdesc = "Lanplus" },
    { .name = "privlvl", .type = BATON_STONITH_PARAM_SELECT, .default_value = "administrator",
      .options = f_levels, .getopt_short = 'L', .shortdesc = "Privilege" },
    { .name = "session_timeout", .type = BATON_STONITH_PARAM_SECOND, .default_value = "5",
      .shortdesc = "Session timeout" },
    { .name = NULL },
};

/* As if it replaced a fence-agents agent "fence_fake". */
static const baton_stonith_standard_param f_standard[] = {
    { .name = "bridge", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "bridging is not implemented", .instead = "use ip" },
    { .name = "legacy", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "false",
      .why = "the legacy mode is not implemented", .instead = "leave legacy off" },
    { .name = "tool_path", .decision = BATON_STONITH_DECISION_NOOP, .why = "no tool is run" },
    { .name = "lanplus", .decision = BATON_STONITH_DECISION_DIFFERS, .why = "defaults to 1" },
    /* overrides the front end's decision on fence-agents' common option */
    { .name = "retry_on", .decision = BATON_STONITH_DECISION_NOOP, .why = "retries anyway" },
    { .name = NULL },
};

const baton_stonith_plugin fake_plugin = {
    BATON_STONITH_PLUGIN_HEADER,
    .name = "fake",
    .version = "1",
    .shortdesc = "Fake device",
    .longdesc = "In-process device for unit tests",
    .params = f_params,
    .create = f_create,
    .destroy = f_destroy,
    .status = f_status,
    .on = f_on,
    .off = f_off,
    .reboot = f_reboot,
    .monitor = f_monitor,
    .diag = f_diag,
    .standard_agent = "fence_fake",
    .standard_params = f_standard,
};
