/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fence_baton_<plugin>: the fence-agents API on top of a baton STONITH
 * plugin. pacemaker-fenced writes key=value lines to stdin; humans use
 * getopt options. Exit codes: 0 success (status: ON), 1 failure, 2 status
 * OFF. Every wait is bounded by the agent's own deadline (the `timeout`
 * option, default 55 s, under Pacemaker's default 60 s action timeout), and
 * a watchdog ends the process shortly after it if a plugin call hangs.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <baton/log.h>
#include <baton/param.h>
#include <baton/watchdog.h>

#include "stonith-internal.h"

/* pacemaker-fenced's stdin is small; anything this large is not from it. */
#define STDIN_MAX (64 * 1024)
/* The watchdog fires this long after the deadline: the graceful path reports first. */
#define WATCHDOG_GRACE_MS 2000
/* The `timeout` parameter's default (params.c), before the options are read. */
#define FENCE_DEFAULT_TIMEOUT_MS 55000

static bool watchdog_enabled;

/*
 * The graceful path reports the deadline itself; the watchdog, grace later,
 * is for a plugin call that never returns.
 */
static void watchdog_arm(baton_deadline d)
{
    if (!watchdog_enabled)
        return;
    if (baton_watchdog_arm(d, WATCHDOG_GRACE_MS, BATON_FENCE_EXIT_FAIL, 0,
                           "deadline expired while the device did not answer; giving up") < 0)
        baton_warn("cannot arm the watchdog: a hung plugin call is bounded by Pacemaker's timeout only");
}

/*
 * standard-params (a baton extension, not in the metadata) prints what
 * becomes of the replaced agent's parameters, for tests/check-standard-params.sh.
 */
static const char *const actions[] = {
    "on", "off", "reboot", "status", "list", "list-status", "monitor", "metadata",
    "validate-all", "diag", "standard-params",
};

static const char *action_normalize(const char *a)
{
    if (strcmp(a, "meta-data") == 0)
        return "metadata";
    if (strcmp(a, "list_status") == 0)
        return "list-status";
    if (strcmp(a, "validate_all") == 0)
        return "validate-all";
    /* Old fence agents' names, still in configurations. */
    if (strcmp(a, "enable") == 0)
        return "on";
    if (strcmp(a, "disable") == 0)
        return "off";
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (strcmp(a, actions[i]) == 0)
            return actions[i];
    return NULL;
}

static bool opt_bool(const baton__fence_opts *o, const char *name)
{
    const char *v = baton__fence_opts_get(o, name);
    bool b = false;

    return v && baton_parse_bool(v, &b) == 0 && b;
}

/* fence-agents stacks -v into verbose_level; there is one debug level here. */
static bool verbose_wanted(const baton__fence_opts *o)
{
    const char *v = baton__fence_opts_get(o, "verbose_level");
    int64_t level = 0;

    return opt_bool(o, "verbose") || (v && baton_parse_int64(v, &level) == 0 && level > 0);
}

static int64_t opt_ms(const baton__fence_table *t, const baton__fence_opts *o, const char *name)
{
    const baton_stonith_param *p = baton__fence_table_find(t, name);
    const char *v = baton__fence_opts_get(o, name);
    int64_t ms = 0;

    if (!v && p)
        v = p->default_value;
    if (v)
        (void) baton_parse_seconds_ms(v, &ms);
    return ms;
}

static void usage(const baton__fence_table *t, const char *agent, FILE *out)
{
    fprintf(out, "Usage: %s [options]  (or key=value lines on stdin)\nOptions:\n", agent);
    for (size_t i = 0; i < t->n; i++) {
        const baton_stonith_param *p = &t->v[i];
        char lbuf[128];
        const char *l = p->getopt_long;

        if (!l) {
            snprintf(lbuf, sizeof(lbuf), "%s", p->name);
            for (char *c = lbuf; *c; c++)
                if (*c == '_')
                    *c = '-';
            l = lbuf;
        }
        if (p->getopt_short)
            fprintf(out, "  -%c, --%-22s %s\n", p->getopt_short, l, p->shortdesc ? p->shortdesc : "");
        else
            fprintf(out, "      --%-22s %s\n", l, p->shortdesc ? p->shortdesc : "");
    }
}

/*
 * Secrets not given directly: from <name>_script, else <name>_file. The
 * values land in the option store, which wipes them.
 */
static int secrets_resolve(const baton__fence_table *t, baton__fence_opts *o, baton_deadline d)
{
    for (size_t i = 0; i < t->n; i++) {
        const baton_stonith_param *p = &t->v[i];
        char name[160];
        const char *src;
        baton_autofree char *reason = NULL;
        baton_autofree char *warning = NULL;
        char *secret = NULL;
        int r;

        if (!p->secret || baton__fence_opts_get(o, p->name))
            continue;
        snprintf(name, sizeof(name), "%s_script", p->name);
        src = baton__fence_opts_get(o, name);
        if (src) {
            r = baton__secret_from_script(src, d, &secret, &reason);
        } else {
            snprintf(name, sizeof(name), "%s_file", p->name);
            src = baton__fence_opts_get(o, name);
            if (!src)
                continue;
            r = baton__secret_from_file(src, &secret, &warning, &reason);
        }
        if (r < 0) {
            baton_err("%s: %s", p->name, reason ? reason : strerror(-r));
            return r;
        }
        if (warning)
            baton_warn("%s", warning);
        r = baton__fence_opts_set_take(o, p->name, secret);
        if (r < 0)
            return r;
    }
    return 0;
}

static const char *list_power_word(baton_stonith_power p)
{
    switch (p) {
    case BATON_STONITH_POWER_ON:
        return "ON";
    case BATON_STONITH_POWER_OFF:
        return "OFF";
    default:
        return "UNKNOWN";
    }
}

typedef struct list_ctx {
    bool with_status;
    size_t n;
} list_ctx;

static void list_emit(void *userdata, const char *plug, const char *alias, baton_stonith_power p)
{
    list_ctx *lc = userdata;

    if (!plug)
        return;
    lc->n++;
    if (lc->with_status)
        printf("%s,%s,%s\n", plug, alias ? alias : "", list_power_word(p));
    else
        printf("%s,%s\n", plug, alias ? alias : "");
}

static int report(baton__fence_call *call, baton_stonith_result r, const char *what)
{
    const char *e = baton__fence_call_error(call);

    baton_err("Failed: %s: %s%s%s", what, baton__stonith_result_name(r), e ? ": " : "", e ? e : "");
    return BATON_FENCE_EXIT_FAIL;
}

typedef struct fence_run {
    baton__stonith_module *m;
    const char *agent;
    baton__fence_table *t;
    baton__fence_opts *o;
    const char *action;
    baton_deadline deadline;
} fence_run;

static int run_device_action(fence_run *fr)
{
    const baton_stonith_plugin *pl = fr->m->plugin;
    baton__fence_config config;
    baton__fence_call call;
    baton_stonith_device *dev = NULL;
    baton__power_opts po;
    baton__power_dev pd;
    const char *plug = NULL;
    baton_stonith_result r;
    bool targeted;
    int rc = BATON_FENCE_EXIT_FAIL;

    baton__fence_call_init(&call, fr->deadline);
    baton__fence_config_init(&config, fr->t, fr->o);
    targeted = strcmp(fr->action, "on") == 0 || strcmp(fr->action, "off") == 0 ||
               strcmp(fr->action, "reboot") == 0 || strcmp(fr->action, "status") == 0 ||
               strcmp(fr->action, "diag") == 0;
    if (strcmp(fr->action, "diag") == 0 && !pl->diag) {
        baton_err("Failed: diag: the %s device has no diagnostic interrupt", pl->name);
        return BATON_FENCE_EXIT_FAIL;
    }
    if (targeted && (pl->flags & BATON_STONITH_F_PLUG)) {
        plug = baton__fence_opts_get(fr->o, "plug");
        if (!plug)
            plug = baton__fence_opts_get(fr->o, "nodename");
        if (!plug) {
            baton_err("Failed: action %s needs a plug (plug=, -n) or nodename", fr->action);
            return BATON_FENCE_EXIT_FAIL;
        }
    }
    r = pl->create(&config.pub, &call.pub, &dev);
    if (r != BATON_STONITH_OK)
        return report(&call, r, "configuration");
    if (strcmp(fr->action, "validate-all") == 0) {
        rc = BATON_FENCE_EXIT_OK;
        goto out;
    }

    po = (baton__power_opts) {
        .power_timeout_ms = opt_ms(fr->t, fr->o, "power_timeout"),
        .power_wait_ms = opt_ms(fr->t, fr->o, "power_wait"),
        .status_interval_ms = opt_ms(fr->t, fr->o, "stonith_status_sleep"),
        .missing_as_off = opt_bool(fr->o, "missing_as_off"),
    };
    pd = (baton__power_dev) { .plugin = pl, .device = dev, .plug = plug, .call = &call };

    /* diag is fencing too when pcmk_reboot_action=diag (kdump): the same delay. */
    if (strcmp(fr->action, "off") == 0 || strcmp(fr->action, "reboot") == 0 ||
        strcmp(fr->action, "diag") == 0) {
        int64_t delay = opt_ms(fr->t, fr->o, "delay");

        if (delay > 0) {
            baton_info("delay: waiting %lld ms before %s", (long long) delay, fr->action);
            baton_deadline until = baton_deadline_cap(fr->deadline, delay);

            while (!baton_deadline_expired(until))
                (void) poll(NULL, 0, baton_deadline_poll_timeout(until));
        }
    }

    if (strcmp(fr->action, "status") == 0) {
        baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;

        r = baton__power_status(&pd, &po, &p);
        if (r != BATON_STONITH_OK) {
            rc = report(&call, r, "status");
        } else if (p == BATON_STONITH_POWER_ON || p == BATON_STONITH_POWER_OFF) {
            printf("Status: %s\n", list_power_word(p));
            rc = p == BATON_STONITH_POWER_ON ? BATON_FENCE_EXIT_OK : BATON_FENCE_EXIT_OFF;
        } else {
            printf("Status: UNKNOWN\n");
            baton_err("Failed: status: power state is %s", baton__stonith_power_name(p));
        }
    } else if (strcmp(fr->action, "on") == 0 || strcmp(fr->action, "off") == 0) {
        bool on = strcmp(fr->action, "on") == 0;

        r = baton__power_set(&pd, &po, on ? BATON_STONITH_POWER_ON : BATON_STONITH_POWER_OFF);
        if (r != BATON_STONITH_OK) {
            rc = report(&call, r, fr->action);
        } else {
            printf("Success: Powered %s\n", on ? "ON" : "OFF");
            rc = BATON_FENCE_EXIT_OK;
        }
    } else if (strcmp(fr->action, "reboot") == 0) {
        const char *method = baton__fence_opts_get(fr->o, "method");

        if (method && strcmp(method, "cycle") == 0)
            r = baton__power_cycle(&pd, &po);
        else
            r = baton__power_reboot(&pd, &po);
        if (r != BATON_STONITH_OK) {
            rc = report(&call, r, "reboot");
        } else {
            printf("Success: Rebooted\n");
            rc = BATON_FENCE_EXIT_OK;
        }
    } else if (strcmp(fr->action, "diag") == 0) {
        /* As fence_ipmilan: the interrupt was taken; what the target does is not confirmed. */
        r = pl->diag(dev, plug, &call.pub);
        if (r != BATON_STONITH_OK) {
            rc = report(&call, r, "diag");
        } else {
            printf("Success: Diagnostic interrupt sent\n");
            rc = BATON_FENCE_EXIT_OK;
        }
    } else if (strcmp(fr->action, "monitor") == 0) {
        r = pl->monitor(dev, &call.pub);
        rc = r == BATON_STONITH_OK ? BATON_FENCE_EXIT_OK : report(&call, r, "monitor");
    } else if (strcmp(fr->action, "list") == 0 || strcmp(fr->action, "list-status") == 0) {
        list_ctx lc = { .with_status = strcmp(fr->action, "list-status") == 0 };

        if (!pl->list) {
            baton_err("Failed: %s: the %s device cannot list its targets", fr->action, pl->name);
        } else {
            r = pl->list(dev, &call.pub, lc.with_status, list_emit, &lc);
            rc = r == BATON_STONITH_OK ? BATON_FENCE_EXIT_OK : report(&call, r, fr->action);
        }
    }
out:
    fflush(stdout);
    pl->destroy(dev);
    return rc;
}

int baton__fence_run(baton__stonith_module *m, const char *agent, int argc, char **argv,
                     const char *stdin_text, size_t stdin_len)
{
    baton_autoptr(baton__fence_table) t = NULL;
    baton_autoptr(baton__fence_opts) o = NULL;
    baton_autofree char *reason = NULL;
    const char *secret_on_argv = NULL;
    const char *action;
    int r;

    r = baton__fence_table_build(m, &t, &reason);
    if (r < 0) {
        baton_err("plugin %s: %s", m->plugin->name, reason ? reason : strerror(-r));
        return BATON_FENCE_EXIT_FAIL;
    }
    o = baton__fence_opts_new();
    if (!o)
        return BATON_FENCE_EXIT_FAIL;
    if (argc > 1)
        r = baton__fence_parse_argv(t, o, argc, argv, &secret_on_argv, &reason);
    else if (stdin_text)
        r = baton__fence_opts_parse_stdin(o, stdin_text, stdin_len);
    if (r < 0) {
        baton_err("Failed: %s", reason ? reason : strerror(-r));
        if (argc > 1)
            usage(t, agent, stderr);
        return BATON_FENCE_EXIT_FAIL;
    }
    baton__fence_resolve_aliases(t, o);
    if (opt_bool(o, "quiet") && !verbose_wanted(o))
        baton_log_set_targets(false, true);
    if (verbose_wanted(o)) {
        /* baton_log shows debug messages when HA_debug is set, as for Pacemaker's agents. */
        setenv("HA_debug", "1", 1);
        baton_log_open(agent, NULL);
    }
    if (secret_on_argv)
        baton_warn("%s given on the command line is visible to every user in ps; "
                   "use stdin, -S/--%s-script or --%s-file", secret_on_argv,
                   secret_on_argv, secret_on_argv);
    if (opt_bool(o, "help")) {
        usage(t, agent, stdout);
        return BATON_FENCE_EXIT_OK;
    }
    if (opt_bool(o, "version")) {
        printf("%s %s (plugin %s %s)\n", agent, PACKAGE_VERSION, m->plugin->name,
               m->plugin->version ? m->plugin->version : "");
        return BATON_FENCE_EXIT_OK;
    }
    action = baton__fence_opts_get(o, "action");
    if (!action)
        action = "reboot";
    action = action_normalize(action);
    if (!action) {
        baton_err("Failed: unknown action '%s'", baton__fence_opts_get(o, "action"));
        return BATON_FENCE_EXIT_FAIL;
    }
    if (strcmp(action, "metadata") == 0) {
        baton_autofree char *xml = NULL;

        r = baton__fence_metadata(t, m->plugin, agent, &xml);
        if (r < 0) {
            baton_err("Failed: metadata: %s", strerror(-r));
            return BATON_FENCE_EXIT_FAIL;
        }
        fputs(xml, stdout);
        fflush(stdout);
        return BATON_FENCE_EXIT_OK;
    }
    if (strcmp(action, "standard-params") == 0) {
        r = baton__fence_standard_write(t, agent, stdout);
        if (r < 0) {
            baton_err("Failed: standard-params: %s", strerror(-r));
            return BATON_FENCE_EXIT_FAIL;
        }
        return BATON_FENCE_EXIT_OK;
    }
    /* Before the plugin's checks: a refused parameter's reason says what to use instead. */
    r = baton__fence_check_standard(t, o, agent, &reason);
    if (r == 0)
        r = baton__fence_validate(t, o, true, &reason);
    if (r < 0) {
        baton_err("Failed: %s", reason ? reason : strerror(-r));
        return BATON_FENCE_EXIT_FAIL;
    }

    fence_run fr = {
        .m = m,
        .agent = agent,
        .t = t,
        .o = o,
        .action = action,
        .deadline = baton_deadline_in(opt_ms(t, o, "timeout")),
    };
    watchdog_arm(fr.deadline);
    if (strcmp(action, "validate-all") != 0 && secrets_resolve(t, o, fr.deadline) < 0)
        return BATON_FENCE_EXIT_FAIL;
    baton_debug("%s: action %s, deadline in %lld ms", m->plugin->name, action,
                (long long) baton_deadline_remaining_ms(fr.deadline));
    return run_device_action(&fr);
}

/*
 * All of stdin, or an error: input longer than STDIN_MAX is refused, never
 * cut. A cut line is a different option ("plug=vm-12" read as "plug=vm-1",
 * "action=off  junk" as "action=off"), and fencing the wrong target is
 * worse than not fencing. One byte more than the limit is read to tell.
 */
static int read_stdin(char **ret, size_t *ret_len)
{
    size_t len = 0;
    char *buf = malloc(STDIN_MAX + 2);

    if (!buf)
        return -ENOMEM;
    while (len <= STDIN_MAX) {
        ssize_t k = read(STDIN_FILENO, buf + len, STDIN_MAX + 1 - len);

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int r = -errno;

            baton__wipe(buf, len);
            free(buf);
            return r;
        }
        if (k == 0)
            break;
        len += (size_t) k;
    }
    if (len > STDIN_MAX) {
        baton__wipe(buf, len);
        free(buf);
        return -EFBIG;
    }
    buf[len] = '\0';
    *ret = buf;
    *ret_len = len;
    return 0;
}

int baton__fence_main(const char *plugin_name, int argc, char **argv)
{
    baton_autoptr(baton__stonith_module) m = NULL;
    baton_autofree char *reason = NULL;
    baton_autofree char *agent = NULL;
    char *in = NULL;
    size_t in_len = 0;
    int r, rc;

    if (asprintf(&agent, "fence_baton_%s", plugin_name) < 0)
        return BATON_FENCE_EXIT_FAIL;
    baton_log_open(agent, NULL);
    watchdog_enabled = true;
    /* Until the options say otherwise, the default limit also bounds reading stdin. */
    watchdog_arm(baton_deadline_in(FENCE_DEFAULT_TIMEOUT_MS));
    r = baton__stonith_module_load(baton__stonith_plugin_dir(), plugin_name, &m, &reason);
    if (r < 0) {
        baton_err("Failed: %s", reason ? reason : strerror(-r));
        return BATON_FENCE_EXIT_FAIL;
    }
    if (argc <= 1 && !isatty(STDIN_FILENO)) {
        r = read_stdin(&in, &in_len);
        if (r == -EFBIG) {
            baton_err("Failed: the options on stdin are longer than %d bytes; refusing to act "
                      "on a cut input", STDIN_MAX);
            return BATON_FENCE_EXIT_FAIL;
        }
        if (r < 0) {
            baton_err("Failed: cannot read the options on stdin: %s", strerror(-r));
            return BATON_FENCE_EXIT_FAIL;
        }
    }
    rc = baton__fence_run(m, agent, argc, argv, in, in_len);
    if (in) {
        baton__wipe(in, in_len);
        free(in);
    }
    return rc;
}
