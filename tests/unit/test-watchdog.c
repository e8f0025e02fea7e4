/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process watchdog. Firing ends the process, so every case runs in a
 * forked child whose stderr goes to a pipe; the parent checks how the child
 * ended, when, and what it printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <baton/deadline.h>
#include <baton/log.h>
#include <baton/watchdog.h>

/* Longer than any case needs: a child still alive then has a watchdog that never fired. */
#define CHILD_LIMIT_MS 5000
/* What a child exits with when it outlives its watchdog (it should not). */
#define EXIT_SURVIVED 99

typedef struct child_result {
    int status;                 /* waitpid()'s */
    int64_t took_ms;
    char err[4096];             /* the child's stderr */
} child_result;

/* Run body in a child with stderr on a pipe and logging to stderr only; then wait for it. */
static void run_child(void (*body)(void), child_result *res)
{
    int p[2];
    size_t len = 0;
    int64_t t0 = baton_now_ms();
    pid_t pid;

    memset(res, 0, sizeof(*res));
    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        if (dup2(p[1], STDERR_FILENO) < 0)
            _exit(98);
        baton_log_open("watchdog-test", NULL);
        baton_log_set_targets(true, false);
        body();
        _exit(EXIT_SURVIVED);
    }
    close(p[1]);
    for (;;) {
        struct pollfd pfd = { .fd = p[0], .events = POLLIN };
        int left = (int) (t0 + CHILD_LIMIT_MS - baton_now_ms());
        ssize_t k;

        if (left <= 0 || poll(&pfd, 1, left) <= 0) {
            kill(pid, SIGKILL);
            break;
        }
        k = read(p[0], res->err + len, sizeof(res->err) - 1 - len);
        if (k <= 0)
            break;
        len += (size_t) k;
    }
    close(p[0]);
    assert_int_equal(waitpid(pid, &res->status, 0), pid);
    res->took_ms = baton_now_ms() - t0;
}

/*
 * In the child: cmocka's assertions would unwind into the parent's test
 * runner, copied by fork(); a failure to arm exits with its own code instead.
 */
#define EXIT_ARM_FAILED 97
static void arm(baton_deadline deadline, int64_t grace_ms, int exit_code, unsigned flags, const char *reason)
{
    if (baton_watchdog_arm(deadline, grace_ms, exit_code, flags, reason) != 0)
        _exit(EXIT_ARM_FAILED);
}

static void block_for_a_while(void)
{
    /* as a hung call would: the watchdog is the only way out */
    baton_sleep_ms(CHILD_LIMIT_MS * 2);
}

static void fires_at_deadline(void)
{
    arm(baton_deadline_in(100), 0, 42, 0, "start of domain x hung");
    block_for_a_while();
}

static void test_fires_and_reports(void **state)
{
    child_result r;

    run_child(fires_at_deadline, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 42);
    assert_in_range(r.took_ms, 100, CHILD_LIMIT_MS - 1);
    assert_non_null(strstr(r.err, "watchdog-test: ERROR: start of domain x hung\n"));
    /* not asked for: no exit reason line */
    assert_null(strstr(r.err, "ocf-exit-reason:"));
}

static void fires_with_exit_reason(void)
{
    arm(baton_deadline_in(50), 0, 1, BATON_WATCHDOG_OCF_EXIT_REASON, "stop of domain y did not finish");
    block_for_a_while();
}

static void test_ocf_exit_reason_is_the_last_line(void **state)
{
    child_result r;
    const char *last = "ocf-exit-reason:stop of domain y did not finish\n";
    size_t n, m = strlen(last);

    run_child(fires_with_exit_reason, &r);
    n = strlen(r.err);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 1);
    assert_non_null(strstr(r.err, "ERROR: stop of domain y did not finish\n"));
    assert_true(n >= m);
    assert_string_equal(r.err + n - m, last);
}

static void fires_after_grace(void)
{
    arm(baton_deadline_in(50), 300, 3, 0, "late");
    block_for_a_while();
}

static void test_grace_delays_firing(void **state)
{
    child_result r;

    run_child(fires_after_grace, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 3);
    assert_in_range(r.took_ms, 350, CHILD_LIMIT_MS - 1);
}

static void reason_replaced(void)
{
    arm(baton_deadline_in(100), 0, 1, 0, "migrate_to of z");
    baton_watchdog_set_reason("migrate_to of z (aborted) did not end");
    block_for_a_while();
}

static void test_set_reason_replaces_the_message(void **state)
{
    child_result r;

    run_child(reason_replaced, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 1);
    assert_non_null(strstr(r.err, "ERROR: migrate_to of z (aborted) did not end\n"));
    assert_null(strstr(r.err, "ERROR: migrate_to of z\n"));
}

static void disarmed_in_time(void)
{
    arm(baton_deadline_in(100), 0, 1, 0, "must not fire");
    baton_watchdog_disarm();
    baton_sleep_ms(400);
    _exit(0);
}

static void test_disarm_stops_it(void **state)
{
    child_result r;

    run_child(disarmed_in_time, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 0);
    assert_string_equal(r.err, "");
}

/* The verdict functions: what a monitor would answer while its daemon hangs. */
static int verdict_running(void *data, char *reason, size_t size)
{
    snprintf(reason, size, "daemon silent; process %d alive: running", *(int *) data);
    return 0;
}

static int verdict_none(void *data, char *reason, size_t size)
{
    (void) data;
    (void) reason;
    (void) size;
    return -1;
}

static int pid_seen = 4242;

static void verdict_given(void)
{
    arm(baton_deadline_in(2000), 0, 1, BATON_WATCHDOG_OCF_EXIT_REASON, "monitor hung");
    baton_watchdog_set_verdict(baton_deadline_in(100), verdict_running, &pid_seen);
    block_for_a_while();
}

static void test_verdict_answers_early(void **state)
{
    child_result r;

    run_child(verdict_given, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 0);
    assert_in_range(r.took_ms, 100, 1999);
    assert_non_null(strstr(r.err, "WARNING: daemon silent; process 4242 alive: running\n"));
    /* a success has no exit reason, and the armed reason is not printed */
    assert_null(strstr(r.err, "ocf-exit-reason:"));
    assert_null(strstr(r.err, "monitor hung"));
}

static void verdict_declined(void)
{
    arm(baton_deadline_in(400), 0, 1, BATON_WATCHDOG_OCF_EXIT_REASON, "monitor hung");
    baton_watchdog_set_verdict(baton_deadline_in(100), verdict_none, NULL);
    block_for_a_while();
}

static void test_no_verdict_waits_for_the_deadline(void **state)
{
    child_result r;

    run_child(verdict_declined, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 1);
    assert_in_range(r.took_ms, 400, CHILD_LIMIT_MS - 1);
    assert_non_null(strstr(r.err, "ocf-exit-reason:monitor hung\n"));
}

static void verdict_cleared(void)
{
    arm(baton_deadline_in(60000), 0, 1, 0, "must not fire");
    baton_watchdog_set_verdict(baton_deadline_in(100), verdict_running, &pid_seen);
    baton_watchdog_set_verdict(baton_deadline_in(100), NULL, NULL);
    baton_sleep_ms(300);
    /* and disarm drops one too */
    baton_watchdog_set_verdict(baton_deadline_in(100), verdict_running, &pid_seen);
    baton_watchdog_disarm();
    baton_sleep_ms(300);
    _exit(0);
}

static void test_verdict_cleared_or_disarmed_never_asked(void **state)
{
    child_result r;

    run_child(verdict_cleared, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 0);
    assert_string_equal(r.err, "");
}

static void rearmed_earlier(void)
{
    /* the thread sleeps towards the first instant; re-arming must wake it */
    arm(baton_deadline_in(60000), 0, 1, 0, "first");
    arm(baton_deadline_in(100), 0, 7, 0, "second");
    block_for_a_while();
}

static void test_rearm_moves_the_deadline(void **state)
{
    child_result r;

    run_child(rearmed_earlier, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 7);
    assert_in_range(r.took_ms, 100, 3000);
    assert_non_null(strstr(r.err, "ERROR: second\n"));
}

static void rearmed_after_disarm(void)
{
    arm(baton_deadline_in(50), 0, 1, 0, "first");
    baton_watchdog_disarm();
    arm(baton_deadline_in(100), 0, 5, 0, "again");
    block_for_a_while();
}

static void test_arm_after_disarm_fires(void **state)
{
    child_result r;

    run_child(rearmed_after_disarm, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 5);
    assert_non_null(strstr(r.err, "ERROR: again\n"));
}

static void never(void)
{
    baton_deadline d = baton_deadline_in(-1);

    arm(baton_deadline_in(100), 0, 1, 0, "disarmed by never");
    /* a deadline of never disarms */
    arm(d, 0, 1, 0, "never");
    baton_sleep_ms(300);
    _exit(0);
}

static void test_never_does_not_fire(void **state)
{
    child_result r;

    run_child(never, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 0);
    assert_string_equal(r.err, "");
}

static void forked_child_arms_its_own(void)
{
    int status;
    pid_t pid;

    arm(baton_deadline_in(60000), 0, 1, 0, "the parent's");
    pid = fork();
    if (pid < 0)
        _exit(96);
    if (pid == 0) {
        /* the parent's thread did not come along: this arm must start one */
        arm(baton_deadline_in(100), 0, 11, 0, "the child's");
        block_for_a_while();
        _exit(EXIT_SURVIVED);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        _exit(95);
    _exit(WEXITSTATUS(status));
}

static void test_forked_child_arms_its_own(void **state)
{
    child_result r;

    run_child(forked_child_arms_its_own, &r);
    assert_true(WIFEXITED(r.status));
    assert_int_equal(WEXITSTATUS(r.status), 11);
    assert_non_null(strstr(r.err, "ERROR: the child's\n"));
    assert_null(strstr(r.err, "the parent's"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fires_and_reports),
        cmocka_unit_test(test_ocf_exit_reason_is_the_last_line),
        cmocka_unit_test(test_grace_delays_firing),
        cmocka_unit_test(test_set_reason_replaces_the_message),
        cmocka_unit_test(test_disarm_stops_it),
        cmocka_unit_test(test_verdict_answers_early),
        cmocka_unit_test(test_no_verdict_waits_for_the_deadline),
        cmocka_unit_test(test_verdict_cleared_or_disarmed_never_asked),
        cmocka_unit_test(test_rearm_moves_the_deadline),
        cmocka_unit_test(test_arm_after_disarm_fires),
        cmocka_unit_test(test_never_does_not_fire),
        cmocka_unit_test(test_forked_child_arms_its_own),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
