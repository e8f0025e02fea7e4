/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small files, pid files, liveness and bounded termination of daemons. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <baton/fileio.h>
#include <baton/process.h>

static char dir[] = "/tmp/baton-test-process-XXXXXX";

static char *in_dir(const char *name)
{
    static char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

static int setup(void **state)
{
    (void) state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[300];

    (void) state;
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_file_roundtrip(void **state)
{
    char *text = NULL;
    struct stat st;

    (void) state;
    assert_int_equal(baton_file_write_atomic(in_dir("a"), "hello\n", 0600), 0);
    assert_int_equal(baton_file_read(in_dir("a"), 0, &text), 0);
    assert_string_equal(text, "hello\n");
    free(text);
    assert_int_equal(stat(in_dir("a"), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);

    /* Replaced, not appended; no temporary left behind. */
    assert_int_equal(baton_file_write_atomic(in_dir("a"), "", 0644), 0);
    assert_int_equal(baton_file_read(in_dir("a"), 0, &text), 0);
    assert_string_equal(text, "");
    free(text);
    assert_int_equal(access(in_dir("a.tmp"), F_OK), -1);

    assert_int_equal(baton_file_read(in_dir("missing"), 0, &text), -ENOENT);
    assert_int_equal(baton_file_remove(in_dir("a")), 0);
    assert_int_equal(baton_file_remove(in_dir("a")), 0);
}

static void test_file_read_limit(void **state)
{
    char big[10000];
    char *text = NULL;

    (void) state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(baton_file_write_atomic(in_dir("big"), big, 0644), 0);
    assert_int_equal(baton_file_read(in_dir("big"), 100, &text), -EFBIG);
    assert_int_equal(baton_file_read(in_dir("big"), 9999, &text), 0);
    assert_int_equal(strlen(text), 9999);
    free(text);
}

static void test_mkdir_p(void **state)
{
    struct stat st;

    (void) state;
    assert_int_equal(baton_mkdir_p(in_dir("x/y/z"), 0700), 0);
    assert_int_equal(stat(in_dir("x/y/z"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(baton_mkdir_p(in_dir("x/y/z"), 0700), 0);   /* idempotent */
    assert_int_equal(baton_file_write_atomic(in_dir("file"), "f", 0644), 0);
    assert_int_equal(baton_mkdir_p(in_dir("file/sub"), 0700), -ENOTDIR);
}

static void test_pidfile(void **state)
{
    pid_t pid = 0;

    (void) state;
    assert_int_equal(baton_file_write_atomic(in_dir("pid"), "1234\n", 0644), 0);
    assert_int_equal(baton_pidfile_read(in_dir("pid"), &pid), 0);
    assert_int_equal(pid, 1234);
    assert_int_equal(baton_file_write_atomic(in_dir("pid"), "1\n", 0644), 0);
    assert_int_equal(baton_pidfile_read(in_dir("pid"), &pid), -EBADMSG);   /* never init */
    assert_int_equal(baton_file_write_atomic(in_dir("pid"), "12x\n", 0644), 0);
    assert_int_equal(baton_pidfile_read(in_dir("pid"), &pid), -EBADMSG);
    assert_int_equal(baton_file_write_atomic(in_dir("pid"), "", 0644), 0);
    assert_int_equal(baton_pidfile_read(in_dir("pid"), &pid), -EBADMSG);
    assert_int_equal(baton_pidfile_read(in_dir("nopid"), &pid), -ENOENT);
}

/* A child that runs `sleep` with a recognisable argument; ignore_term: trap TERM. */
static pid_t spawn_sleeper(bool ignore_term)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        if (ignore_term)
            execl("/bin/sh", "sh", "-c", "trap '' TERM; exec sleep 30", "baton-marker", (char *) NULL);
        else
            execl("/bin/sleep", "sleep", "30", (char *) NULL);
        _exit(127);
    }
    /* Until exec is done, cmdline is the test's own. */
    for (int i = 0; i < 200 && !baton_process_has_arg(pid, "30") &&
                    !baton_process_has_arg(pid, "baton-marker"); i++)
        baton_sleep_ms(5);
    return pid;
}

static void test_alive_and_zombie(void **state)
{
    pid_t pid = spawn_sleeper(false);
    int status;

    (void) state;
    assert_true(baton_process_alive(pid));
    assert_true(baton_process_has_arg(pid, "30"));
    assert_false(baton_process_has_arg(pid, "3"));
    kill(pid, SIGKILL);
    /* Not reaped yet: a zombie, which must count as dead. */
    for (int i = 0; i < 200 && baton_process_alive(pid); i++)
        baton_sleep_ms(5);
    assert_false(baton_process_alive(pid));
    assert_int_equal(kill(pid, 0), 0);        /* ... although kill(pid, 0) still finds it */
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_false(baton_process_alive(pid));
    assert_false(baton_process_alive(0));
    assert_false(baton_process_alive(-5));
}

static void reap_when_dead(pid_t pid)
{
    int status;

    (void) waitpid(pid, &status, 0);
}

static void test_terminate_polite(void **state)
{
    pid_t pid = spawn_sleeper(false);
    int64_t t0 = baton_now_ms();

    (void) state;
    /* Our own child stays a zombie, which baton_process_alive calls dead. */
    assert_int_equal(baton_process_terminate(pid, baton_deadline_in(5000), 1000), 0);
    assert_true(baton_now_ms() - t0 < 2000);
    reap_when_dead(pid);
    /* Already gone: nothing to do. */
    assert_int_equal(baton_process_terminate(pid, baton_deadline_in(1000), 100), 0);
}

static void test_terminate_escalates_to_kill(void **state)
{
    pid_t pid = spawn_sleeper(true);
    int64_t t0 = baton_now_ms(), took;

    (void) state;
    baton_sleep_ms(100);                   /* let the shell install its trap */
    assert_int_equal(baton_process_terminate(pid, baton_deadline_in(1500), 1000), 0);
    took = baton_now_ms() - t0;
    /* SIGTERM got the 500 ms before the reserve, then SIGKILL did it. */
    assert_true(took >= 400);
    assert_true(took < 1500);
    reap_when_dead(pid);
}

/*
 * sleep with two durations it adds up ("29.<pid>" "1"): arguments no other
 * process on the machine has, and a program name that is not the test's.
 */
static pid_t spawn_marked(const char *a, const char *b)
{
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/bin/sleep", "sleep", a, b, (char *) NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && !baton_process_has_arg(pid, a); i++)
        baton_sleep_ms(5);
    return pid;
}

static void test_find_by_args(void **state)
{
    char mark[32];
    const char *both[] = { mark, "1", NULL };
    const char *reversed[] = { "1", mark, NULL };
    const char *first[] = { mark, NULL };
    pid_t pid, other, found = 0;
    char pidtext[32];
    bool lost;

    (void) state;
    snprintf(mark, sizeof(mark), "29.%d", (int) getpid());
    assert_int_equal(baton_process_find_by_args("sleep", both, &found), -ESRCH);
    pid = spawn_marked(mark, "1");

    assert_int_equal(baton_process_find_by_args("sleep", both, &found), 0);
    assert_int_equal(found, pid);
    found = 0;
    assert_int_equal(baton_process_find_by_args(NULL, first, &found), 0);
    assert_int_equal(found, pid);
    /* A daemon's binary parameter names a copy elsewhere, or it runs under its usual name. */
    found = 0;
    assert_int_equal(baton_daemon_find(NULL, "/opt/x/sleep", "chronyd", both, &found, &lost), 0);
    assert_int_equal(found, pid);
    assert_true(lost);
    found = 0;
    assert_int_equal(baton_daemon_find(NULL, "/usr/sbin/mysleep", "sleep", both, &found, &lost), 0);
    assert_int_equal(found, pid);
    assert_int_equal(baton_daemon_find(NULL, NULL, "slapd", both, &found, &lost), 0);
    assert_int_equal(found, 0);
    assert_false(lost);
    /* Its pid file names it: found there; a stale one names another process: found all the same. */
    snprintf(pidtext, sizeof(pidtext), "%d\n", (int) pid);
    assert_int_equal(baton_file_write_atomic(in_dir("daemon.pid"), pidtext, 0644), 0);
    assert_int_equal(baton_daemon_find(in_dir("daemon.pid"), NULL, "slapd", both, &found, &lost), 0);
    assert_int_equal(found, pid);
    assert_false(lost);
    snprintf(pidtext, sizeof(pidtext), "%d\n", (int) getpid());
    assert_int_equal(baton_file_write_atomic(in_dir("daemon.pid"), pidtext, 0644), 0);
    assert_int_equal(baton_daemon_find(in_dir("daemon.pid"), NULL, "sleep", both, &found, &lost), 0);
    assert_int_equal(found, pid);
    assert_true(lost);
    /* Consecutive and in this order, and the program's name counts. */
    assert_int_equal(baton_process_find_by_args("sleep", reversed, &found), -ESRCH);
    assert_int_equal(baton_process_find_by_args("sh", both, &found), -ESRCH);
    assert_int_equal(baton_process_find_by_args("slee", both, &found), -ESRCH);
    assert_int_equal(baton_process_find_by_args("sleep", (const char *[]) { NULL }, &found), -EINVAL);

    /* Two of them: nobody can tell which one is meant. */
    other = spawn_marked(mark, "1");
    assert_int_equal(baton_process_find_by_args("sleep", both, &found), -ENOTUNIQ);
    kill(other, SIGKILL);
    reap_when_dead(other);

    /* Killed and not reaped yet: a zombie runs nothing. */
    kill(pid, SIGKILL);
    for (int i = 0; i < 200 && baton_process_alive(pid); i++)
        baton_sleep_ms(5);
    assert_int_equal(baton_process_find_by_args("sleep", both, &found), -ESRCH);
    reap_when_dead(pid);
    assert_int_equal(baton_process_find_by_args("sleep", both, &found), -ESRCH);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_roundtrip),
        cmocka_unit_test(test_file_read_limit),
        cmocka_unit_test(test_mkdir_p),
        cmocka_unit_test(test_pidfile),
        cmocka_unit_test(test_alive_and_zombie),
        cmocka_unit_test(test_terminate_polite),
        cmocka_unit_test(test_terminate_escalates_to_kill),
        cmocka_unit_test(test_find_by_args),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
