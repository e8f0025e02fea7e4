/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The agent skeleton: dispatch, parameter checks, probe semantics, exit
 * reason. Everything an agent would otherwise copy from the last agent.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/agent.h>

#include "agent-internal.h"
#include "util-internal.h"

struct baton_ctx {
    const baton_agent *agent;
    const baton_action *action;
    const char *action_name;
    char *const *envp;          /* NULL: the process environment */
    char *resource;
    const baton_metadata *metadata;     /* the agent's, static */
    baton_params *params;
    baton_deadline deadline;
    int64_t interval_ms;
    int check_level;
    char *reason;
    baton_notify *notify;
    bool notify_parsed;
    void *data;
    void (*data_free)(void *);
};

/* Actions the skeleton answers itself, whatever the agent's table says. */
#define ACTION_META_DATA "meta-data"
#define ACTION_USAGE "usage"
#define ACTION_STANDARD_PARAMS "standard-params"
#define ACTION_VALIDATE_ALL "validate-all"
#define ACTION_MONITOR "monitor"
#define ACTION_STOP "stop"

static const baton_action *agent_find_action(const baton_agent *agent, const char *name)
{
    for (size_t i = 0; i < agent->n_actions; i++) {
        if (strcmp(agent->actions[i].name, name) == 0)
            return &agent->actions[i];
    }
    return NULL;
}

static void print_usage(const baton_agent *agent, FILE *out)
{
    fprintf(out, "usage: %s {meta-data|usage|validate-all", agent->name);
    for (size_t i = 0; i < agent->n_actions; i++) {
        const char *name = agent->actions[i].name;

        if (strcmp(name, ACTION_META_DATA) != 0 && strcmp(name, ACTION_USAGE) != 0 &&
            strcmp(name, ACTION_VALIDATE_ALL) != 0)
            fprintf(out, "|%s", name);
    }
    fprintf(out, "}\n\nOCF resource agent ocf:baton:%s; parameters come from "
            "OCF_RESKEY_* variables.\nSee `%s meta-data` or man ocf_baton_%s.\n",
            agent->name, agent->name, agent->name);
}

static int64_t env_int(char *const *envp, const char *name, int64_t fallback)
{
    const char *v = baton__env_get(envp, name);
    int64_t n;

    if (!v || baton_parse_int64(v, &n) < 0)
        return fallback;
    return n;
}

const char *baton_ctx_meta(const baton_ctx *ctx, const char *name)
{
    baton_autofree char *var = baton_strdup_printf("OCF_RESKEY_CRM_meta_%s", name);

    if (!var)
        return NULL;
    for (char *p = var; *p; p++) {
        if (*p == '-')
            *p = '_';
    }
    return baton__env_get(ctx->envp, var);
}

static int ctx_read_env(baton_ctx *ctx)
{
    const char *rsc = baton__env_get(ctx->envp, "OCF_RESOURCE_INSTANCE");
    const char *level;

    ctx->resource = strdup(!baton__isempty(rsc) ? rsc : ctx->agent->name);
    if (!ctx->resource)
        return -ENOMEM;

    ctx->interval_ms = env_int(ctx->envp, "OCF_RESKEY_CRM_meta_interval", 0);
    if (ctx->interval_ms < 0)
        ctx->interval_ms = 0;

    /* Pacemaker passes OCF_CHECK_LEVEL unprefixed; resource-agents also accepts the prefixed form. */
    level = baton__env_get(ctx->envp, "OCF_CHECK_LEVEL");
    if (!level)
        level = baton__env_get(ctx->envp, "OCF_RESKEY_OCF_CHECK_LEVEL");
    ctx->check_level = 0;
    if (level) {
        int64_t n;

        if (baton_parse_int64(level, &n) == 0 && n >= 0 && n <= 1000)
            ctx->check_level = (int) n;
    }

    {
        const char *t = baton__env_get(ctx->envp, "OCF_RESKEY_CRM_meta_timeout");
        int64_t ms = 0;

        if (t && baton_parse_int64(t, &ms) < 0)
            ms = 0;
        ctx->deadline = baton_deadline_for_op_timeout(ms);
    }
    return 0;
}

baton_ctx *baton_ctx_free(baton_ctx *ctx)
{
    if (!ctx)
        return NULL;
    if (ctx->data && ctx->data_free)
        ctx->data_free(ctx->data);
    baton_notify_free(ctx->notify);
    baton_params_free(ctx->params);
    free(ctx->reason);
    free(ctx->resource);
    free(ctx);
    return NULL;
}

static baton_ctx *ctx_new(const baton_agent *agent, const char *action, char *const *envp)
{
    baton_ctx *ctx = calloc(1, sizeof(*ctx));

    if (!ctx)
        return NULL;
    ctx->agent = agent;
    ctx->action_name = action;
    ctx->action = agent_find_action(agent, action);
    ctx->envp = envp;
    ctx->deadline = baton_deadline_in(-1);
    return ctx;
}

/* The effective configuration, at debug level; secrets show as <private>. */
static void log_params(const baton_ctx *ctx)
{
    for (size_t i = 0; i < baton_metadata_n_params(ctx->metadata); i++) {
        const char *name = baton_metadata_param(ctx->metadata, i)->name;

        if (baton_params_get(ctx->params, name))
            baton_debug("parameter %s=%s%s", name, baton_params_loggable(ctx->params, name),
                        baton_params_is_set(ctx->params, name) ? "" : " (default)");
    }
}

/*
 * Check the configuration: first what the metadata says, then the agent's
 * own rules. Returns an OCF code with the reason recorded.
 */
static int ctx_validate(baton_ctx *ctx)
{
    baton_autofree char *reason = NULL;
    int rc;

    rc = baton_params_load(ctx->metadata, ctx->envp, &ctx->params, &reason);
    if (rc != BATON_OCF_SUCCESS) {
        baton_ctx_set_reason(ctx, "%s", reason ? reason : "invalid parameters");
        return rc;
    }
    if (baton_log_debug_enabled())
        log_params(ctx);
    if (ctx->agent->validate)
        return ctx->agent->validate(ctx);
    return BATON_OCF_SUCCESS;
}

/*
 * Metadata compiled against another layout of baton_metadata would be
 * misread, not merely out of date: refuse it (see BATON_METADATA_LAYOUT).
 */
#define METADATA_UNUSABLE \
    "the agent's compiled metadata does not match this libbaton; rebuild the agent"

static bool metadata_usable(const baton_metadata *md)
{
    return md && md->layout == BATON_METADATA_LAYOUT;
}

static int ctx_prepare(baton_ctx *ctx)
{
    int r;

    r = ctx_read_env(ctx);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "out of memory");
    if (!metadata_usable(ctx->agent->metadata))
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "%s", METADATA_UNUSABLE);
    ctx->metadata = ctx->agent->metadata;
    return BATON_OCF_SUCCESS;
}

int baton__ctx_new_for_test(const baton_agent *agent, const char *action,
                            char *const *envp, baton_ctx **ret)
{
    baton_autoptr(baton_ctx) ctx = ctx_new(agent, action, envp);
    int rc;

    if (!ctx)
        return BATON_OCF_ERR_GENERIC;
    rc = ctx_prepare(ctx);
    if (rc == BATON_OCF_SUCCESS)
        rc = ctx_validate(ctx);
    *ret = baton_take_ptr(ctx);
    return rc;
}

static bool is_local_problem(int rc)
{
    return rc == BATON_OCF_ERR_INSTALLED || rc == BATON_OCF_ERR_ARGS;
}

/*
 * Something of this node is missing (5 or 2) in a stop or a probe. The
 * resource may still run here: a binary or a configuration file can vanish
 * under a running service. Only the agent can look with what is left; a
 * stop or a probe reports "not running" only when it proved that.
 */
static int prove_stopped(baton_ctx *ctx, int rc)
{
    const char *what = baton__streq(ctx->action_name, ACTION_STOP) ? "stop" : "probe";
    baton_autofree char *cause = ctx->reason ? strdup(ctx->reason) : NULL;

    if (!ctx->agent->prove_stopped) {
        baton_warn("%s: %s (%s); this agent cannot tell whether the resource runs here",
                   what, cause ? cause : "", baton_ocf_rc_name(rc));
        return rc;
    }
    if (ctx->agent->prove_stopped(ctx) == BATON_OCF_NOT_RUNNING) {
        baton_info("%s: %s (%s); nothing of the resource runs on this node", what,
                   cause ? cause : "", baton_ocf_rc_name(rc));
        return baton__streq(what, "stop") ? BATON_OCF_SUCCESS : BATON_OCF_NOT_RUNNING;
    }
    /* Both reasons matter to the administrator: what is missing, and what was found. */
    if (cause && ctx->reason && strcmp(cause, ctx->reason) != 0)
        baton_ctx_set_reason(ctx, "%s; %s", cause, ctx->reason);
    else if (cause && !ctx->reason)
        baton_ctx_set_reason(ctx, "%s", cause);
    /* The code says what is missing; the hook's own code only "not proven". */
    return rc;
}

/*
 * What a failed configuration check means for this action. A probe runs on
 * every node, including those where the resource can never run: software or
 * configuration missing there means "not running here" once the agent has
 * looked (prove_stopped). A stop whose configuration is wrong everywhere (6)
 * has nothing to stop: the resource could never have started with it, and a
 * failed stop would get the node fenced (resource-agents issue #137).
 */
static int map_validation_failure(baton_ctx *ctx, int rc)
{
    bool stop = baton__streq(ctx->action_name, ACTION_STOP);

    if ((stop || baton_ctx_is_probe(ctx)) && is_local_problem(rc))
        return prove_stopped(ctx, rc);
    if (stop && rc == BATON_OCF_ERR_CONFIGURED) {
        baton_warn("stop: %s (%s); a resource with this configuration cannot be running",
                   ctx->reason ? ctx->reason : "", baton_ocf_rc_name(rc));
        return BATON_OCF_SUCCESS;
    }
    return rc;
}

static int ctx_run(baton_ctx *ctx)
{
    int rc;

    if (baton__streq(ctx->action_name, ACTION_VALIDATE_ALL) && !ctx->action)
        return ctx_validate(ctx);

    if (!ctx->action)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_UNIMPLEMENTED,
                              "action '%s' is not implemented", ctx->action_name);

    if (!(ctx->action->flags & BATON_ACTION_F_NO_VALIDATE)) {
        rc = ctx_validate(ctx);
        if (rc != BATON_OCF_SUCCESS)
            return map_validation_failure(ctx, rc);
        if (baton__streq(ctx->action_name, ACTION_VALIDATE_ALL))
            return BATON_OCF_SUCCESS;
    }

    rc = ctx->action->fn(ctx);
    if (baton_ctx_is_probe(ctx) && is_local_problem(rc))
        return map_validation_failure(ctx, rc);
    return rc;
}

/* The text was rendered at build time: nothing to parse, nothing to fail but the write. */
static int print_metadata(const baton_agent *agent)
{
    int r;

    if (!metadata_usable(agent->metadata)) {
        fprintf(stderr, BATON_OCF_EXIT_REASON_PREFIX "%s\n", METADATA_UNUSABLE);
        return BATON_OCF_ERR_GENERIC;
    }
    r = baton_metadata_write(agent->metadata, baton_metadata_format_from_env(), stdout);
    if (r < 0) {
        fprintf(stderr, BATON_OCF_EXIT_REASON_PREFIX "cannot write metadata\n");
        return BATON_OCF_ERR_GENERIC;
    }
    return BATON_OCF_SUCCESS;
}

/*
 * What becomes of the replaced standard agent's parameters (a baton extension,
 * not an OCF action: baton-switch and tests/check-standard-params.sh read it).
 * An agent replaces at most one standard agent; one without a table prints none.
 */
static int print_standard_params(const baton_agent *agent)
{
    const baton_metadata *md = agent->metadata;
    const baton_standard_param *first;
    baton_autofree char *self = NULL;

    if (!metadata_usable(md)) {
        fprintf(stderr, BATON_OCF_EXIT_REASON_PREFIX "%s\n", METADATA_UNUSABLE);
        return BATON_OCF_ERR_GENERIC;
    }
    first = baton_metadata_standard_param(md, 0);
    if (!first)
        return BATON_OCF_SUCCESS;
    self = baton_strdup_printf("ocf:baton:%s", agent->name);
    if (!self || baton_standard_params_write(stdout, first->agent, self, md->standard_params,
                                    md->n_standard_params) < 0) {
        fprintf(stderr, BATON_OCF_EXIT_REASON_PREFIX "cannot write the standard parameters\n");
        return BATON_OCF_ERR_GENERIC;
    }
    return BATON_OCF_SUCCESS;
}

static void print_exit_reason(const baton_ctx *ctx)
{
    /* One line: Pacemaker takes the text up to the newline after the last prefix. */
    fputs(BATON_OCF_EXIT_REASON_PREFIX, stderr);
    for (const char *p = ctx->reason; *p; p++)
        fputc(*p == '\n' || *p == '\r' ? ' ' : *p, stderr);
    fputc('\n', stderr);
}

int baton_agent_main(const baton_agent *agent, int argc, char **argv)
{
    baton_autoptr(baton_ctx) ctx = NULL;
    const char *action;
    int rc;

    if (argc < 2 || baton__isempty(argv[1])) {
        print_usage(agent, stderr);
        return BATON_OCF_ERR_ARGS;
    }
    action = argv[1];

    /* These two need nothing at all: no cluster, no parameters, no root. */
    if (strcmp(action, ACTION_META_DATA) == 0)
        return print_metadata(agent);
    if (strcmp(action, ACTION_STANDARD_PARAMS) == 0)
        return print_standard_params(agent);
    if (strcmp(action, ACTION_USAGE) == 0 || strcmp(action, "help") == 0) {
        print_usage(agent, stdout);
        return BATON_OCF_SUCCESS;
    }

    baton_log_open(agent->name, getenv("OCF_RESOURCE_INSTANCE"));
    ctx = ctx_new(agent, action, NULL);
    if (!ctx) {
        fprintf(stderr, BATON_OCF_EXIT_REASON_PREFIX "out of memory\n");
        return BATON_OCF_ERR_GENERIC;
    }

    rc = ctx_prepare(ctx);
    if (rc == BATON_OCF_SUCCESS)
        rc = ctx_run(ctx);

    if (ctx->reason && rc != BATON_OCF_SUCCESS)
        print_exit_reason(ctx);
    baton_debug("%s%s: %s (%d)", action, baton_ctx_is_probe(ctx) ? " (probe)" : "",
                baton_ocf_rc_name(rc), rc);
    return rc;
}

/* ------------------------------------------------------------------ queries */

const char *baton_ctx_action(const baton_ctx *ctx) { return ctx->action_name; }
const char *baton_ctx_agent_name(const baton_ctx *ctx) { return ctx->agent->name; }
const char *baton_ctx_resource(const baton_ctx *ctx) { return ctx->resource; }
const baton_metadata *baton_ctx_metadata(const baton_ctx *ctx) { return ctx->metadata; }
const baton_params *baton_ctx_params(const baton_ctx *ctx) { return ctx->params; }
baton_deadline baton_ctx_deadline(const baton_ctx *ctx) { return ctx->deadline; }
int64_t baton_ctx_interval_ms(const baton_ctx *ctx) { return ctx->interval_ms; }
int baton_ctx_check_level(const baton_ctx *ctx) { return ctx->check_level; }

bool baton_ctx_is_probe(const baton_ctx *ctx)
{
    return baton__streq(ctx->action_name, ACTION_MONITOR) && ctx->interval_ms == 0;
}

const baton_notify *baton_ctx_notify(baton_ctx *ctx)
{
    if (!ctx->notify_parsed) {
        ctx->notify_parsed = true;
        if (baton_notify_parse(ctx->envp, &ctx->notify) < 0)
            ctx->notify = NULL;
    }
    return ctx->notify;
}

/* Parameters are checked before any action that needs them runs. */
static const baton_params *ctx_checked_params(const baton_ctx *ctx, const char *name)
{
    if (!ctx->params) {
        fprintf(stderr, "baton: parameter '%s' read before the parameters were checked "
                "(action %s has BATON_ACTION_F_NO_VALIDATE?)\n", name, ctx->action_name);
        abort();
    }
    return ctx->params;
}

const char *baton_param_str(const baton_ctx *ctx, const char *name)
{
    return baton_params_get(ctx_checked_params(ctx, name), name);
}

bool baton_param_is_set(const baton_ctx *ctx, const char *name)
{
    return baton_params_is_set(ctx_checked_params(ctx, name), name);
}

int64_t baton_param_int(const baton_ctx *ctx, const char *name)
{
    return baton_params_get_int(ctx_checked_params(ctx, name), name);
}

bool baton_param_bool(const baton_ctx *ctx, const char *name)
{
    return baton_params_get_bool(ctx_checked_params(ctx, name), name);
}

int64_t baton_param_ms(const baton_ctx *ctx, const char *name)
{
    return baton_params_get_ms(ctx_checked_params(ctx, name), name);
}

/* ------------------------------------------------------------------ reasons */

static void ctx_set_reasonv(baton_ctx *ctx, const char *fmt, va_list ap)
{
    char *s = baton__vasprintf(fmt, ap);

    /* Keep the older reason rather than none if memory ran out. */
    if (s) {
        free(ctx->reason);
        ctx->reason = s;
    }
}

void baton_ctx_set_reason(baton_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ctx_set_reasonv(ctx, fmt, ap);
    va_end(ap);
}

int baton_ctx_fail(baton_ctx *ctx, int rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    ctx_set_reasonv(ctx, fmt, ap);
    va_end(ap);
    if (ctx->reason)
        baton_log(rc == BATON_OCF_NOT_RUNNING ? LOG_INFO : LOG_ERR, "%s", ctx->reason);
    return rc;
}

const char *baton_ctx_reason(const baton_ctx *ctx)
{
    return ctx->reason;
}

void baton_ctx_set_data(baton_ctx *ctx, void *data, void (*free_fn)(void *))
{
    if (ctx->data && ctx->data_free && ctx->data != data)
        ctx->data_free(ctx->data);
    ctx->data = data;
    ctx->data_free = free_fn;
}

void *baton_ctx_get_data(const baton_ctx *ctx)
{
    return ctx->data;
}
