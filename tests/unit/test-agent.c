/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent skeleton, driven the way Pacemaker drives an agent: a process
 * with an environment and an action argument, judged by its exit code, its
 * stdout and its stderr. Each run forks, so the environment of one case
 * never leaks into another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <baton/agent.h>

#include "agent-internal.h"

/* tests/unit/fake-agent.xml, compiled by the build as an agent's metadata is. */
extern const baton_metadata fake_agent_metadata;

/* What the fake agent's validate hook answers for name=<value>. */
static int fake_validate(baton_ctx *ctx)
{
    const char *name = baton_param_str(ctx, "name");

    if (strcmp(name, "missing-here") == 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "software for %s missing", name);
    if (strcmp(name, "wrong-here") == 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_ARGS, "%s is wrong on this node", name);
    return BATON_OCF_SUCCESS;
}

static int fake_start(baton_ctx *ctx)
{
    baton_ctx_set_reason(ctx, "first reason");
    if (baton_param_int(ctx, "count") == 7)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "second\nreason");
    return BATON_OCF_SUCCESS;
}

static int fake_stop(baton_ctx *ctx)
{
    printf("stop ran: %s\n", baton_ctx_action(ctx));
    fflush(stdout);
    return BATON_OCF_SUCCESS;
}

/* Reports what it saw of the invocation on stdout. */
static int fake_monitor(baton_ctx *ctx)
{
    printf("probe=%d interval=%lld level=%d resource=%s remaining_ok=%d clone_max=%s\n",
           baton_ctx_is_probe(ctx), (long long) baton_ctx_interval_ms(ctx),
           baton_ctx_check_level(ctx), baton_ctx_resource(ctx),
           baton_deadline_remaining_ms(baton_ctx_deadline(ctx)) <= 9000,
           baton_ctx_meta(ctx, "clone-max") ? baton_ctx_meta(ctx, "clone-max") : "-");
    fflush(stdout);
    if (baton_param_int(ctx, "count") == 5)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "tool vanished");
    return BATON_OCF_NOT_RUNNING;
}

/* Runs without parameter checks: must not read parameters. */
static int fake_unchecked(baton_ctx *ctx)
{
    printf("unchecked ran: %s\n", baton_ctx_action(ctx));
    return BATON_OCF_SUCCESS;
}

static const baton_action fake_actions[] = {
    { .name = "start", .fn = fake_start },
    { .name = "stop", .fn = fake_stop },
    { .name = "monitor", .fn = fake_monitor },
    { .name = "notify", .fn = fake_unchecked, .flags = BATON_ACTION_F_NO_VALIDATE },
};

/* Looks whether anything runs: count=4 stands for a process left running. */
static int fake_prove_stopped(baton_ctx *ctx)
{
    printf("looked: %s\n", baton_ctx_action(ctx));
    fflush(stdout);
    if (baton_param_int(ctx, "count") == 4)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "pid 42 still runs");
    return BATON_OCF_NOT_RUNNING;
}

static const baton_agent fake_agent = {
    .name = "fake",
    .metadata = &fake_agent_metadata,
    .actions = fake_actions,
    .n_actions = sizeof(fake_actions) / sizeof(fake_actions[0]),
    .validate = fake_validate,
    .prove_stopped = fake_prove_stopped,
};

/* The same agent without a way to look. */
static const baton_agent blind_agent = {
    .name = "blind",
    .metadata = &fake_agent_metadata,
    .actions = fake_actions,
    .n_actions = sizeof(fake_actions) / sizeof(fake_actions[0]),
    .validate = fake_validate,
};

typedef struct run_result {
    int rc;
    char out[16384];
    char err[16384];
} run_result;

static void slurp(FILE *f, char *buf, size_t size)
{
    size_t n;

    rewind(f);
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Run agent with argv[1] = action (NULL: none) in exactly env. */
static void run_agent_as(const baton_agent *agent, const char *action, char *const env[],
                         run_result *res)
{
    FILE *out = tmpfile(), *err = tmpfile();
    pid_t pid;
    int status;

    assert_non_null(out);
    assert_non_null(err);
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char *argv[] = { "fake", (char *) action, NULL };

        clearenv();
        for (size_t i = 0; env && env[i]; i++)
            putenv(env[i]);
        dup2(fileno(out), STDOUT_FILENO);
        dup2(fileno(err), STDERR_FILENO);
        baton_log_set_targets(true, false);
        status = baton_agent_main(agent, action ? 2 : 1, argv);
        fflush(NULL);
        _exit(status);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    res->rc = WEXITSTATUS(status);
    slurp(out, res->out, sizeof(res->out));
    slurp(err, res->err, sizeof(res->err));
}

static void run_agent(const char *action, char *const env[], run_result *res)
{
    run_agent_as(&fake_agent, action, env, res);
}

static int count_reason_lines(const char *err)
{
    int n = 0;

    for (const char *p = err; (p = strstr(p, "ocf-exit-reason:")); p++)
        n++;
    return n;
}

static void test_meta_data_needs_no_environment(void **state)
{
    run_result r;

    (void) state;
    run_agent("meta-data", NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "<resource-agent name=\"fake\""));
    assert_non_null(strstr(r.out, "ra-api-1.dtd"));     /* 1.0 form without Pacemaker */
    assert_null(strstr(r.out, "urn:baton"));
}

static void test_meta_data_for_pacemaker_is_1_1(void **state)
{
    char *env[] = { "OCF_RA_VERSION_MAJOR=1", "OCF_RA_VERSION_MINOR=1", NULL };
    run_result r;

    (void) state;
    run_agent("meta-data", env, &r);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "<version>1.1</version>"));
    assert_null(strstr(r.out, "ra-api-1.dtd"));
}

static void test_usage_and_missing_action(void **state)
{
    run_result r;

    (void) state;
    run_agent("usage", NULL, &r);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "usage: fake {meta-data|usage|validate-all|start|stop|monitor|notify}"));
    run_agent(NULL, NULL, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_ARGS);
    assert_non_null(strstr(r.err, "usage: fake"));
}

static void test_unknown_action_is_unimplemented(void **state)
{
    char *env[] = { "OCF_RESKEY_name=x", NULL };
    run_result r;

    (void) state;
    run_agent("promote", env, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_UNIMPLEMENTED);
    assert_non_null(strstr(r.err, "ocf-exit-reason:action 'promote' is not implemented\n"));
}

static void test_validate_all(void **state)
{
    char *ok[] = { "OCF_RESKEY_name=x", NULL };
    char *missing[] = { "OCF_RESKEY_count=2", NULL };
    char *range[] = { "OCF_RESKEY_name=x", "OCF_RESKEY_count=11", NULL };
    char *local[] = { "OCF_RESKEY_name=missing-here", NULL };
    run_result r;

    (void) state;
    run_agent("validate-all", ok, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(count_reason_lines(r.err), 0);

    run_agent("validate-all", missing, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_CONFIGURED);
    assert_int_equal(count_reason_lines(r.err), 1);
    assert_non_null(strstr(r.err, "ocf-exit-reason:"));
    assert_non_null(strstr(r.err, "'name'"));

    run_agent("validate-all", range, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_CONFIGURED);
    assert_non_null(strstr(r.err, "'count'"));

    /* validate-all reports a local problem as it is: only probes hide it. */
    run_agent("validate-all", local, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_INSTALLED);
}

static void test_probe_maps_local_problems_to_not_running(void **state)
{
    char *probe_installed[] = { "OCF_RESKEY_name=missing-here", "OCF_RESKEY_CRM_meta_interval=0", NULL };
    char *probe_args[] = { "OCF_RESKEY_name=wrong-here", NULL };
    char *recurring[] = { "OCF_RESKEY_name=missing-here", "OCF_RESKEY_CRM_meta_interval=10000", NULL };
    char *probe_broken_config[] = { "OCF_RESKEY_count=2", NULL };
    char *probe_vanished[] = { "OCF_RESKEY_name=x", "OCF_RESKEY_count=5", NULL };
    run_result r;

    (void) state;
    run_agent("monitor", probe_installed, &r);
    assert_int_equal(r.rc, BATON_OCF_NOT_RUNNING);
    run_agent("monitor", probe_args, &r);
    assert_int_equal(r.rc, BATON_OCF_NOT_RUNNING);
    /* A recurring monitor is not a probe: the resource was running here. */
    run_agent("monitor", recurring, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_INSTALLED);
    /* Configuration wrong everywhere stays fatal, also for a probe. */
    run_agent("monitor", probe_broken_config, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_CONFIGURED);
    /* The same rule applies to what the monitor itself finds. */
    run_agent("monitor", probe_vanished, &r);
    assert_int_equal(r.rc, BATON_OCF_NOT_RUNNING);
}

/* count=4 in the fake agent: the resource still runs although its software is gone. */
static void test_stop_and_probe_need_proof(void **state)
{
    char *running[] = { "OCF_RESKEY_name=missing-here", "OCF_RESKEY_count=4", NULL };
    char *running_args[] = { "OCF_RESKEY_name=wrong-here", "OCF_RESKEY_count=4", NULL };
    char *gone[] = { "OCF_RESKEY_name=missing-here", NULL };
    run_result r;

    (void) state;
    run_agent("stop", running, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_INSTALLED);
    /* Both halves of the story reach the administrator. */
    assert_non_null(strstr(r.err, "ocf-exit-reason:software for missing-here missing; "
                           "pid 42 still runs\n"));
    run_agent("stop", running_args, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_ARGS);
    run_agent("monitor", running, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_INSTALLED);
    assert_non_null(strstr(r.err, "still runs"));
    run_agent("stop", gone, &r);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "looked: stop\n"));
    assert_null(strstr(r.out, "stop ran"));
}

/* An agent that cannot look never reports stopped for a local problem. */
static void test_agent_without_proof_fails_stop(void **state)
{
    char *local[] = { "OCF_RESKEY_name=missing-here", NULL };
    run_result r;

    (void) state;
    run_agent_as(&blind_agent, "stop", local, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_INSTALLED);
    assert_non_null(strstr(r.err, "ocf-exit-reason:software for missing-here missing\n"));
    run_agent_as(&blind_agent, "monitor", local, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_INSTALLED);
}

static void test_stop_with_impossible_config_succeeds(void **state)
{
    char *broken[] = { "OCF_RESKEY_count=abc", NULL };
    run_result r;

    (void) state;
    run_agent("stop", broken, &r);
    assert_int_equal(r.rc, 0);
    /* start with the same configuration fails */
    run_agent("start", broken, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_CONFIGURED);
}

/*
 * A refused parameter of the replaced agent: every validating action fails
 * with 6 and the reason before the agent does anything, except stop, which
 * answers 0 (the resource cannot have started with it); a no-op one is noted.
 */
static void test_standard_parameters(void **state)
{
    char *env[] = { "OCF_RESKEY_name=a", "OCF_RESKEY_old_ns=foo", NULL };
    char *noop[] = { "OCF_RESKEY_name=a", "OCF_RESKEY_old_knob=1", NULL };
    static const char reason[] = "ocf-exit-reason:parameter old_ns of ocf:test:Fake is not "
                                 "supported by ocf:baton:fake: not here; run it there\n";
    static const char *const refusing[] = { "start", "validate-all", "monitor" };
    run_result r;

    (void) state;
    for (size_t i = 0; i < sizeof(refusing) / sizeof(refusing[0]); i++) {
        run_agent(refusing[i], env, &r);
        assert_int_equal(r.rc, BATON_OCF_ERR_CONFIGURED);
        assert_non_null(strstr(r.err, reason));
        assert_string_equal(r.out, "");
    }
    run_agent("stop", env, &r);
    assert_int_equal(r.rc, BATON_OCF_SUCCESS);
    assert_null(strstr(r.out, "stop ran"));

    run_agent("start", noop, &r);
    assert_int_equal(r.rc, BATON_OCF_SUCCESS);
    assert_non_null(strstr(r.err, "NOTICE: parameter old_knob of ocf:test:Fake has no effect in "
                                  "ocf:baton:fake: tuning only\n"));
}

static void test_exit_reason_is_one_line_and_last_wins(void **state)
{
    char *env[] = { "OCF_RESKEY_name=x", "OCF_RESKEY_count=7", NULL };
    char *ok[] = { "OCF_RESKEY_name=x", NULL };
    run_result r;

    (void) state;
    run_agent("start", env, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_GENERIC);
    assert_int_equal(count_reason_lines(r.err), 1);
    assert_non_null(strstr(r.err, "ocf-exit-reason:second reason\n"));
    /* A reason set on the way to success is not printed. */
    run_agent("start", ok, &r);
    assert_int_equal(r.rc, 0);
    assert_int_equal(count_reason_lines(r.err), 0);
}

static void test_invocation_queries(void **state)
{
    char *env[] = {
        "OCF_RESKEY_name=x",
        "OCF_RESOURCE_INSTANCE=fake:2",
        "OCF_RESKEY_CRM_meta_interval=30000",
        "OCF_RESKEY_CRM_meta_timeout=10000",
        "OCF_RESKEY_CRM_meta_clone_max=3",
        "OCF_CHECK_LEVEL=20",
        NULL,
    };
    char *prefixed_level[] = { "OCF_RESKEY_name=x", "OCF_RESKEY_OCF_CHECK_LEVEL=10", NULL };
    run_result r;

    (void) state;
    run_agent("monitor", env, &r);
    assert_int_equal(r.rc, BATON_OCF_NOT_RUNNING);
    assert_non_null(strstr(r.out, "probe=0 interval=30000 level=20 resource=fake:2 "
                                  "remaining_ok=1 clone_max=3\n"));
    run_agent("monitor", prefixed_level, &r);
    assert_non_null(strstr(r.out, "probe=1 interval=0 level=10 resource=fake "));
}

static void test_no_validate_flag(void **state)
{
    char *broken[] = { "OCF_RESKEY_count=abc", NULL };
    run_result r;

    (void) state;
    run_agent("notify", broken, &r);
    assert_int_equal(r.rc, 0);
    assert_non_null(strstr(r.out, "unchecked ran: notify"));
}

static void test_private_value_never_printed(void **state)
{
    char *env[] = { "OCF_RESKEY_name=x", "OCF_RESKEY_secret=hunter2", "OCF_RESKEY_count=7",
                    "HA_debug=1", NULL };
    run_result r;

    (void) state;
    run_agent("start", env, &r);
    assert_null(strstr(r.out, "hunter2"));
    assert_null(strstr(r.err, "hunter2"));
}

static void test_ctx_for_tests(void **state)
{
    char *env[] = { "OCF_RESKEY_name=x", "OCF_RESKEY_count=4", NULL };
    char *bad[] = { "OCF_RESKEY_count=4", NULL };
    baton_autoptr(baton_ctx) ctx = NULL;
    baton_autoptr(baton_ctx) bad_ctx = NULL;

    (void) state;
    assert_int_equal(baton__ctx_new_for_test(&fake_agent, "start", env, &ctx), 0);
    assert_int_equal(baton_param_int(ctx, "count"), 4);
    assert_string_equal(baton_param_str(ctx, "name"), "x");
    assert_true(baton_param_is_set(ctx, "count"));
    assert_false(baton_param_is_set(ctx, "secret"));
    assert_string_equal(baton_ctx_action(ctx), "start");
    assert_string_equal(baton_ctx_agent_name(ctx), "fake");
    assert_null(baton_ctx_notify(ctx));

    assert_int_equal(baton__ctx_new_for_test(&fake_agent, "start", bad, &bad_ctx),
                     BATON_OCF_ERR_CONFIGURED);
    assert_non_null(strstr(baton_ctx_reason(bad_ctx), "'name'"));
}

/* Metadata laid out for another libbaton would be misread: the agent refuses to run. */
static void test_foreign_metadata_layout_refused(void **state)
{
    baton_metadata foreign = fake_agent_metadata;
    baton_agent agent = fake_agent;
    char *env[] = { "OCF_RESKEY_name=x", NULL };
    run_result r;

    (void) state;
    foreign.layout = BATON_METADATA_LAYOUT + 1;
    agent.metadata = &foreign;
    run_agent_as(&agent, "meta-data", NULL, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_GENERIC);
    assert_string_equal(r.out, "");
    assert_non_null(strstr(r.err, "ocf-exit-reason:the agent's compiled metadata does not match"));
    run_agent_as(&agent, "start", env, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_GENERIC);
    assert_int_equal(count_reason_lines(r.err), 1);

    agent.metadata = NULL;
    run_agent_as(&agent, "monitor", env, &r);
    assert_int_equal(r.rc, BATON_OCF_ERR_GENERIC);
    /* usage needs no metadata at all */
    run_agent_as(&agent, "usage", NULL, &r);
    assert_int_equal(r.rc, 0);
}

/* What meta-data prints is the text rendered at build time, byte for byte. */
static void test_meta_data_is_the_compiled_text(void **state)
{
    char *env[] = { "OCF_RA_VERSION_MAJOR=1", "OCF_RA_VERSION_MINOR=1", NULL };
    run_result r;

    (void) state;
    run_agent("meta-data", env, &r);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.out, fake_agent_metadata.rendered[BATON_METADATA_OCF_1_1]);
    run_agent("meta-data", NULL, &r);
    assert_string_equal(r.out, fake_agent_metadata.rendered[BATON_METADATA_OCF_1_0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meta_data_needs_no_environment),
        cmocka_unit_test(test_meta_data_for_pacemaker_is_1_1),
        cmocka_unit_test(test_usage_and_missing_action),
        cmocka_unit_test(test_unknown_action_is_unimplemented),
        cmocka_unit_test(test_validate_all),
        cmocka_unit_test(test_probe_maps_local_problems_to_not_running),
        cmocka_unit_test(test_stop_and_probe_need_proof),
        cmocka_unit_test(test_agent_without_proof_fails_stop),
        cmocka_unit_test(test_stop_with_impossible_config_succeeds),
        cmocka_unit_test(test_standard_parameters),
        cmocka_unit_test(test_exit_reason_is_one_line_and_last_wins),
        cmocka_unit_test(test_invocation_queries),
        cmocka_unit_test(test_no_validate_flag),
        cmocka_unit_test(test_private_value_never_printed),
        cmocka_unit_test(test_ctx_for_tests),
        cmocka_unit_test(test_foreign_metadata_layout_refused),
        cmocka_unit_test(test_meta_data_is_the_compiled_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
