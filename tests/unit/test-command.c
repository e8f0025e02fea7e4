/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <baton/command.h>
#include <baton/log.h>

/* Test hook in lib/command.c (no header on purpose). */
void baton__command_test_set_flags(unsigned flags);
#define TEST_NO_PIDFD (1u << 0)
#define TEST_NO_CLOSE_RANGE (1u << 1)

/* Slack for scheduling on a busy (2-core, parallel build) machine. */
#define SLACK_MS 700

static char helper_dir[PATH_MAX];
static char helper_path[PATH_MAX];

/* command-helper is built next to this test (or one up, from libtool's .libs). */
static void helper_locate(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char *dir;

    assert_true(n > 0);
    exe[n] = '\0';
    dir = dirname(exe);
    if (strcmp(basename(dir), ".libs") == 0)
        dir = dirname(dir);
    assert_true((size_t) snprintf(helper_dir, sizeof(helper_dir), "%s", dir) < sizeof(helper_dir));
    assert_true((size_t) snprintf(helper_path, sizeof(helper_path), "%s/command-helper", dir) <
                sizeof(helper_path));
    assert_int_equal(access(helper_path, X_OK), 0);
}

static baton_command *helper_new(const char *mode)
{
    baton_command *cmd = baton_command_new(helper_path);

    assert_non_null(cmd);
    baton_command_add_arg(cmd, mode);
    /* Every test is bounded, whatever goes wrong. */
    baton_command_set_deadline(cmd, baton_deadline_in(30000));
    return cmd;
}

static void run_ok(baton_command *cmd, baton_command_result *res)
{
    assert_int_equal(baton_command_run(cmd, res), 0);
}

static bool pid_alive(pid_t pid)
{
    char path[64], buf[512];
    FILE *f;
    char *p;
    bool zombie = false;

    if (kill(pid, 0) < 0)
        return false;
    /* A zombie waiting for init to reap it is dead for our purpose. */
    snprintf(path, sizeof(path), "/proc/%ld/stat", (long) pid);
    f = fopen(path, "r");
    if (!f)
        return false;
    if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) && p[1] == ' ')
        zombie = p[2] == 'Z' || p[2] == 'X';
    fclose(f);
    return !zombie;
}

/* Dead now or within a second (the reparented zombie is reaped by init). */
static bool pid_gone_soon(pid_t pid)
{
    for (int i = 0; i < 100; i++) {
        struct timespec ts = { .tv_sec = 0, .tv_nsec = 10 * 1000000L };

        if (!pid_alive(pid))
            return true;
        nanosleep(&ts, NULL);
    }
    return false;
}

static pid_t parse_pid(const char *out)
{
    long v;

    assert_non_null(out);
    v = strtol(out, NULL, 10);
    assert_true(v > 1);
    return (pid_t) v;
}

/* ------------------------------------------------------------------ pure parts */

static void test_status_names(void **state)
{
    for (int s = 0; s < BATON_EXEC_STATUS_MAX; s++) {
        assert_non_null(baton_exec_status_name(s));
        assert_string_not_equal(baton_exec_status_name(s), "unknown");
        for (int t = 0; t < s; t++)
            assert_string_not_equal(baton_exec_status_name(s), baton_exec_status_name(t));
    }
    assert_string_equal(baton_exec_status_name(BATON_EXEC_DONE), "done");
    assert_string_equal(baton_exec_status_name(BATON_EXEC_TIMEOUT), "timeout");
    assert_string_equal(baton_exec_status_name(BATON_EXEC_NOT_FOUND), "not-found");
    assert_string_equal(baton_exec_status_name(BATON_EXEC_STATUS_MAX), "unknown");
    assert_string_equal(baton_exec_status_name((baton_exec_status) -1), "unknown");
}

static void test_to_string(void **state)
{
    baton_autoptr(baton_command) cmd = baton_command_new("prog");
    baton_autoptr(baton_command) empty = baton_command_new(NULL);
    baton_autoptr(baton_command) ctl = baton_command_new("p");
    baton_autofree char *s = NULL;
    baton_autofree char *c = NULL;
    baton_autofree char *e = NULL;

    baton_command_add_args(cmd, "a b", "c", "it's", "", "--x=1,2:/p_q@%+", "$HOME", "a\"b", NULL);
    baton_command_add_argf(cmd, "-n%d", 5);
    s = baton_command_to_string(cmd);
    assert_string_equal(s, "prog 'a b' c 'it'\\''s' '' --x=1,2:/p_q@%+ '$HOME' 'a\"b' -n5");
    assert_null(baton_command_to_string(NULL));

    /* Control characters would break the log line: bash's $'...' form. */
    baton_command_add_args(ctl, "a\nb", "x\x01'\\\t", NULL);
    c = baton_command_to_string(ctl);
    assert_string_equal(c, "p $'a\\nb' $'x\\x01\\'\\\\\\t'");
    e = baton_command_to_string(empty);
    assert_string_equal(e, "");
}

static void test_result_helpers(void **state)
{
    baton_command_result res = { .status = BATON_EXEC_DONE, .exit_status = 0 };

    assert_true(baton_command_result_ok(&res));
    res.exit_status = 1;
    assert_false(baton_command_result_ok(&res));
    res = (baton_command_result) { .status = BATON_EXEC_TIMEOUT };
    assert_false(baton_command_result_ok(&res));
    assert_false(baton_command_result_ok(NULL));
    res.out = strdup("x");
    baton_command_result_clear(&res);
    assert_null(res.out);
    assert_int_equal(res.status, BATON_EXEC_ERROR);
    baton_command_result_clear(NULL);
    assert_null(baton_command_free(NULL));
}

/* ------------------------------------------------------------------ setup errors */

static void expect_setup_error(baton_command *cmd, int err)
{
    baton_command_result res;

    assert_int_equal(baton_command_run(cmd, &res), err);
    assert_int_equal(res.status, BATON_EXEC_ERROR);
    assert_null(res.out);
    baton_command_result_clear(&res);
    baton_command_free(cmd);
}

static void test_setup_errors(void **state)
{
    baton_command *cmd;
    baton_command_result res;

    cmd = baton_command_new("/bin/cat");
    baton_command_set_input(cmd, "a", 1);
    baton_command_set_input(cmd, "b", 1);
    expect_setup_error(cmd, -EINVAL);

    cmd = baton_command_new("/bin/cat");
    baton_command_set_input(cmd, NULL, 3);
    expect_setup_error(cmd, -EINVAL);

    cmd = baton_command_new("/bin/echo");
    baton_command_add_arg(cmd, NULL);
    /* Later setters do not hide the first error. */
    baton_command_add_arg(cmd, "fine");
    expect_setup_error(cmd, -EINVAL);

    expect_setup_error(baton_command_new(NULL), -EINVAL);

    cmd = baton_command_new("/bin/true");
    baton_command_add_env(cmd, "A=B", "c");
    expect_setup_error(cmd, -EINVAL);

    cmd = baton_command_new("/bin/true");
    baton_command_add_env(cmd, "", "c");
    expect_setup_error(cmd, -EINVAL);

    cmd = baton_command_new("/bin/true");
    baton_command_add_env(cmd, "A", NULL);
    expect_setup_error(cmd, -EINVAL);

    cmd = baton_command_new("/bin/true");
    baton_command_pass_env(cmd, NULL);
    expect_setup_error(cmd, -EINVAL);

    cmd = baton_command_new("/bin/true");
    baton_command_set_grace_ms(cmd, -1);
    expect_setup_error(cmd, -EINVAL);

    /* A NULL command (failed allocation) is safe with every call. */
    baton_command_add_arg(NULL, "x");
    baton_command_add_env(NULL, "A", "b");
    baton_command_set_input(NULL, "x", 1);
    baton_command_set_deadline(NULL, baton_deadline_in(1));
    assert_int_equal(baton_command_run(NULL, &res), -ENOMEM);
    assert_int_equal(res.status, BATON_EXEC_ERROR);
    baton_command_result_clear(&res);
}

/* ------------------------------------------------------------------ exit status */

static void test_true_false(void **state)
{
    baton_autoptr(baton_command) t = baton_command_new("/bin/true");
    baton_autoptr(baton_command) f = baton_command_new("false");   /* from the child's PATH */
    baton_command_result res;

    run_ok(t, &res);
    assert_int_equal(res.status, BATON_EXEC_DONE);
    assert_int_equal(res.exit_status, 0);
    assert_true(baton_command_result_ok(&res));
    assert_non_null(res.out);
    assert_non_null(res.err);
    assert_int_equal(res.out_len, 0);
    assert_string_equal(res.out, "");
    assert_false(res.out_truncated);
    assert_true(res.elapsed_ms >= 0 && res.elapsed_ms < 5000);
    baton_command_result_clear(&res);

    run_ok(f, &res);
    assert_int_equal(res.status, BATON_EXEC_DONE);
    assert_int_equal(res.exit_status, 1);
    assert_false(baton_command_result_ok(&res));
    baton_command_result_clear(&res);

    /* A command runs as often as asked. */
    run_ok(t, &res);
    assert_true(baton_command_result_ok(&res));
    baton_command_result_clear(&res);
}

static void test_not_found(void **state)
{
    baton_autoptr(baton_command) abs = baton_command_new("/nonexistent/baton-no-such-program");
    baton_autoptr(baton_command) name = baton_command_new("baton-no-such-program");
    baton_autoptr(baton_command) empty = baton_command_new("");
    baton_autoptr(baton_command) e127 = helper_new("exit");
    baton_command_result res;

    run_ok(abs, &res);
    assert_int_equal(res.status, BATON_EXEC_NOT_FOUND);
    assert_false(baton_command_result_ok(&res));
    baton_command_result_clear(&res);

    run_ok(name, &res);
    assert_int_equal(res.status, BATON_EXEC_NOT_FOUND);
    baton_command_result_clear(&res);

    run_ok(empty, &res);
    assert_int_equal(res.status, BATON_EXEC_NOT_FOUND);
    baton_command_result_clear(&res);

    /* A program exiting 127 is not a missing program. */
    baton_command_add_arg(e127, "127");
    run_ok(e127, &res);
    assert_int_equal(res.status, BATON_EXEC_DONE);
    assert_int_equal(res.exit_status, 127);
    baton_command_result_clear(&res);
}

static void test_not_executable(void **state)
{
    char path[] = "/tmp/baton-test-command-XXXXXX";
    int fd = mkstemp(path);
    baton_command *cmd;
    baton_command_result res;
    int r;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, "#!/bin/sh\nexit 0\n", 17), 17);
    close(fd);
    assert_int_equal(chmod(path, 0644), 0);
    cmd = baton_command_new(path);
    r = baton_command_run(cmd, &res);
    baton_command_free(cmd);
    unlink(path);
    assert_int_equal(r, 0);
    assert_int_equal(res.status, BATON_EXEC_NOT_FOUND);
    baton_command_result_clear(&res);
}

/* The name is looked up in the child's PATH, not in the caller's. */
static void test_path_lookup(void **state)
{
    baton_autoptr(baton_command) found = baton_command_new("command-helper");
    baton_autoptr(baton_command) missed = baton_command_new("command-helper");
    baton_autofree char *saved = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    baton_autofree char *ppath = NULL;
    baton_autofree char *cpath = NULL;
    baton_command_result res;
    int r;

    /* Relative and empty entries are skipped, not taken as the working directory. */
    assert_true(asprintf(&cpath, "relative/dir::/nonexistent:%s", helper_dir) > 0);
    baton_command_add_env(found, "PATH", "/nonexistent");
    baton_command_add_env(found, "PATH", cpath);   /* replaces */
    baton_command_add_args(found, "exit", "7", NULL);
    run_ok(found, &res);
    assert_int_equal(res.status, BATON_EXEC_DONE);
    assert_int_equal(res.exit_status, 7);
    baton_command_result_clear(&res);

    assert_true(asprintf(&ppath, "%s:%s", helper_dir, saved ? saved : "/usr/bin") > 0);
    assert_int_equal(setenv("PATH", ppath, 1), 0);
    baton_command_add_args(missed, "exit", "7", NULL);
    r = baton_command_run(missed, &res);
    if (saved)
        setenv("PATH", saved, 1);
    else
        unsetenv("PATH");
    assert_int_equal(r, 0);
    assert_int_equal(res.status, BATON_EXEC_NOT_FOUND);
    baton_command_result_clear(&res);
}

static void test_signaled(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("kill-self");
    baton_command_result res;

    baton_command_add_argf(cmd, "%d", SIGUSR1);
    run_ok(cmd, &res);
    assert_int_equal(res.status, BATON_EXEC_SIGNALED);
    assert_int_equal(res.signal, SIGUSR1);
    assert_false(baton_command_result_ok(&res));
    baton_command_result_clear(&res);
}

/* ------------------------------------------------------------------ I/O */

static void test_stdout_stderr(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("outerr");
    baton_command_result res;

    baton_command_add_args(cmd, "hello\nworld\n", "oops", NULL);
    run_ok(cmd, &res);
    assert_true(baton_command_result_ok(&res));
    assert_string_equal(res.out, "hello\nworld\n");
    assert_int_equal(res.out_len, 12);
    assert_string_equal(res.err, "oops");
    assert_int_equal(res.err_len, 4);
    baton_command_result_clear(&res);
}

static void test_argv_verbatim(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("argv");
    baton_command_result res;

    baton_command_add_args(cmd, "a b", "", "$HOME", "*", "'q'", "; rm -rf /", NULL);
    run_ok(cmd, &res);
    assert_true(baton_command_result_ok(&res));
    assert_string_equal(res.out, "a b\n\n$HOME\n*\n'q'\n; rm -rf /\n");
    baton_command_result_clear(&res);
}

/* More than any pipe buffer each way: a writer that blocks would deadlock here. */
static void test_stdin_large(void **state)
{
    const size_t len = 1024 * 1024;
    baton_autoptr(baton_command) cmd = helper_new("echo-stdin");
    baton_autofree unsigned char *input = malloc(len);
    baton_command_result res;

    assert_non_null(input);
    for (size_t i = 0; i < len; i++)
        input[i] = (unsigned char) (i * 131 + (i >> 9));
    baton_command_set_input(cmd, input, len);
    /* The command keeps its own copy. */
    input[0] ^= 0xff;
    run_ok(cmd, &res);
    input[0] ^= 0xff;
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(res.out_len, len);
    assert_false(res.out_truncated);
    assert_memory_equal(res.out, input, len);
    assert_int_equal(res.out[len], '\0');
    baton_command_result_clear(&res);
}

static void test_stdin_empty_and_none(void **state)
{
    baton_autoptr(baton_command) empty = helper_new("echo-stdin");
    baton_autoptr(baton_command) none = helper_new("echo-stdin");
    baton_command_result res;

    baton_command_set_input(empty, "", 0);
    run_ok(empty, &res);
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(res.out_len, 0);
    baton_command_result_clear(&res);

    /* Without input, stdin is /dev/null: EOF at once, never the caller's stdin. */
    run_ok(none, &res);
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(res.out_len, 0);
    baton_command_result_clear(&res);
}

/* The child closes stdin unread: EPIPE is not an error and SIGPIPE does not kill us. */
static void test_stdin_closed_by_child(void **state)
{
    const size_t len = 4 * 1024 * 1024;
    baton_autoptr(baton_command) cmd = helper_new("close-stdin");
    baton_autofree char *input = calloc(1, len);
    sigset_t before, after, pending;
    baton_command_result res;

    assert_non_null(input);
    assert_int_equal(sigprocmask(SIG_SETMASK, NULL, &before), 0);
    baton_command_set_input(cmd, input, len);
    run_ok(cmd, &res);
    assert_int_equal(res.status, BATON_EXEC_DONE);
    assert_int_equal(res.exit_status, 0);
    baton_command_result_clear(&res);
    assert_int_equal(sigprocmask(SIG_SETMASK, NULL, &after), 0);
    assert_int_equal(sigismember(&after, SIGPIPE), sigismember(&before, SIGPIPE));
    assert_int_equal(sigpending(&pending), 0);
    assert_int_equal(sigismember(&pending, SIGPIPE), 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

static void test_environment(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("env");
    baton_command_result res;
    char *lines[16];
    size_t n = 0;
    char *save = NULL;

    assert_int_equal(setenv("BATON_TEST_SECRET", "must-not-leak", 1), 0);
    assert_int_equal(setenv("BATON_TEST_PASS", "passed value", 1), 0);
    assert_int_equal(unsetenv("BATON_TEST_UNSET"), 0);
    baton_command_add_env(cmd, "FOO", "bar");
    baton_command_add_env(cmd, "FOO", "baz=qux");   /* replaces */
    baton_command_add_env(cmd, "EMPTY", "");
    baton_command_pass_env(cmd, "BATON_TEST_PASS");
    baton_command_pass_env(cmd, "BATON_TEST_UNSET");
    run_ok(cmd, &res);
    unsetenv("BATON_TEST_SECRET");
    unsetenv("BATON_TEST_PASS");
    assert_true(baton_command_result_ok(&res));
    assert_null(strstr(res.out, "must-not-leak"));
    for (char *l = strtok_r(res.out, "\n", &save); l && n < 16; l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    qsort(lines, n, sizeof(lines[0]), cmp_str);
    assert_int_equal(n, 5);
    assert_string_equal(lines[0], "BATON_TEST_PASS=passed value");
    assert_string_equal(lines[1], "EMPTY=");
    assert_string_equal(lines[2], "FOO=baz=qux");
    assert_string_equal(lines[3], "LC_ALL=C");
    assert_string_equal(lines[4], "PATH=/usr/sbin:/usr/bin:/sbin:/bin");
    baton_command_result_clear(&res);
}

/* Inherited descriptors are closed in the child, whatever their flags. */
static void test_fds_closed(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("fds");
    baton_autoclose int leak1 = open("/dev/null", O_RDONLY);
    baton_autoclose int leak2 = -1;
    baton_command_result res;

    assert_true(leak1 >= 0);
    leak2 = fcntl(leak1, F_DUPFD, 100);
    assert_true(leak2 >= 100);
    run_ok(cmd, &res);
    assert_true(baton_command_result_ok(&res));
    assert_string_equal(res.out, "0\n1\n2\n");
    baton_command_result_clear(&res);
}

/* Blocked and ignored signals of the caller do not reach the child. */
static void test_signal_state_reset(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("sigstate");
    struct sigaction ign = { .sa_handler = SIG_IGN }, old_hup, old_pipe;
    sigset_t block, old_mask, now_mask;
    baton_command_result res;
    unsigned long long sig_blk = 1, sig_ign = 1;
    int r;

    assert_int_equal(sigemptyset(&block), 0);
    assert_int_equal(sigaddset(&block, SIGUSR2), 0);
    assert_int_equal(sigaction(SIGHUP, &ign, &old_hup), 0);
    assert_int_equal(sigaction(SIGPIPE, &ign, &old_pipe), 0);
    assert_int_equal(sigprocmask(SIG_BLOCK, &block, &old_mask), 0);
    r = baton_command_run(cmd, &res);
    assert_int_equal(sigprocmask(SIG_SETMASK, NULL, &now_mask), 0);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    assert_int_equal(r, 0);
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(sscanf(res.out, "SigBlk: %llx SigIgn: %llx", &sig_blk, &sig_ign), 2);
    assert_int_equal(sig_blk, 0);
    /*
     * Signals 32 and 33 belong to glibc, which refuses to let programs
     * change them and itself leaves them ignored in posix_spawn() children
     * (make runs this test that way).
     */
    assert_int_equal(sig_ign & ~(3ULL << 31), 0);
    /* The caller's mask is back as it was. */
    assert_int_equal(sigismember(&now_mask, SIGUSR2), 1);
    assert_int_equal(sigismember(&now_mask, SIGPIPE), 0);
    baton_command_result_clear(&res);
}

static void test_own_process_group(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("pgid");
    baton_command_result res;
    long pid = 0, pgid = 0;

    run_ok(cmd, &res);
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(sscanf(res.out, "%ld %ld", &pid, &pgid), 2);
    assert_true(pid > 1);
    assert_int_equal(pid, pgid);
    assert_int_not_equal(pgid, (long) getpgid(0));
    baton_command_result_clear(&res);
}

/* maxfiles of ocf:baton:ldap: the limit is the child's, set before exec; ours is unchanged. */
static void test_rlimit(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("nofile");
    baton_autoptr(baton_command) again = helper_new("nofile");
    baton_autoptr(baton_command) bad = helper_new("nofile");
    baton_autoptr(baton_command) unknown = helper_new("nofile");
    baton_autoptr(baton_command) too_high = helper_new("nofile");
    baton_command_result res;
    struct rlimit mine, after;
    unsigned long long soft = 0, hard = 0;

    assert_int_equal(getrlimit(RLIMIT_NOFILE, &mine), 0);
    assert_true(mine.rlim_max >= 100);
    baton_command_set_rlimit(cmd, RLIMIT_NOFILE, 77, 100);
    run_ok(cmd, &res);
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(sscanf(res.out, "%llu %llu", &soft, &hard), 2);
    assert_int_equal(soft, 77);
    assert_int_equal(hard, 100);
    baton_command_result_clear(&res);
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &after), 0);
    assert_int_equal(after.rlim_cur, mine.rlim_cur);
    assert_int_equal(after.rlim_max, mine.rlim_max);

    /* The last call for a resource wins. */
    baton_command_set_rlimit(again, RLIMIT_NOFILE, 50, 50);
    baton_command_set_rlimit(again, RLIMIT_NOFILE, 64, 64);
    run_ok(again, &res);
    assert_int_equal(sscanf(res.out, "%llu %llu", &soft, &hard), 2);
    assert_int_equal(soft, 64);
    assert_int_equal(hard, 64);
    baton_command_result_clear(&res);

    baton_command_set_rlimit(bad, RLIMIT_NOFILE, 100, 99);
    assert_int_equal(baton_command_run(bad, &res), -EINVAL);
    baton_command_result_clear(&res);
    baton_command_set_rlimit(unknown, RLIM_NLIMITS, 1, 1);
    assert_int_equal(baton_command_run(unknown, &res), -EINVAL);
    baton_command_result_clear(&res);
    baton_command_set_rlimit(NULL, RLIMIT_NOFILE, 1, 1);

    /* Beyond what the kernel allows (fs.nr_open, at most 2^30): refused, nothing runs. */
    baton_command_set_rlimit(too_high, RLIMIT_NOFILE, RLIM_INFINITY, RLIM_INFINITY);
    assert_true(baton_command_run(too_high, &res) < 0);
    assert_null(res.out);
    baton_command_result_clear(&res);
}

static void test_capture_truncation(void **state)
{
    baton_autoptr(baton_command) small = helper_new("flood");
    baton_autoptr(baton_command) dflt = helper_new("flood");
    baton_autoptr(baton_command) zero = helper_new("flood");
    baton_autoptr(baton_command) exact = helper_new("flood");
    baton_command_result res;

    baton_command_add_arg(small, "300000");
    baton_command_set_capture_max(small, 1000);
    run_ok(small, &res);
    /* The child was not blocked by the limit: it ran to its end. */
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(res.out_len, 1000);
    assert_int_equal(res.err_len, 1000);
    assert_true(res.out_truncated);
    assert_true(res.err_truncated);
    assert_int_equal(strlen(res.out), 1000);
    assert_int_equal(res.out[0], 'o');
    assert_int_equal(res.err[999], 'e');
    baton_command_result_clear(&res);

    baton_command_add_argf(dflt, "%d", 2 * BATON_COMMAND_CAPTURE_MAX);
    run_ok(dflt, &res);
    assert_true(baton_command_result_ok(&res));
    assert_int_equal(res.out_len, BATON_COMMAND_CAPTURE_MAX);
    assert_true(res.out_truncated);
    baton_command_result_clear(&res);

    baton_command_add_arg(zero, "10");
    baton_command_set_capture_max(zero, 0);
    run_ok(zero, &res);
    assert_int_equal(res.out_len, 0);
    assert_string_equal(res.out, "");
    assert_true(res.out_truncated);
    baton_command_result_clear(&res);

    /* Exactly the limit is not truncation. */
    baton_command_add_arg(exact, "5000");
    baton_command_set_capture_max(exact, 5000);
    run_ok(exact, &res);
    assert_int_equal(res.out_len, 5000);
    assert_false(res.out_truncated);
    assert_false(res.err_truncated);
    baton_command_result_clear(&res);
}

/* ------------------------------------------------------------------ time */

static void test_timeout_sleep(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("sleep");
    baton_command_result res;

    baton_command_set_deadline(cmd, baton_deadline_in(300));
    run_ok(cmd, &res);
    assert_int_equal(res.status, BATON_EXEC_TIMEOUT);
    assert_false(baton_command_result_ok(&res));
    /* SIGTERM is enough for it: no need to wait for the grace period. */
    assert_in_range(res.elapsed_ms, 290, 300 + BATON_COMMAND_DEFAULT_GRACE_MS + SLACK_MS);
    baton_command_result_clear(&res);
}

static void test_timeout_ignores_sigterm(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("ignore-term");
    baton_command_result res;

    baton_command_set_deadline(cmd, baton_deadline_in(400));
    baton_command_set_grace_ms(cmd, 300);
    run_ok(cmd, &res);
    assert_int_equal(res.status, BATON_EXEC_TIMEOUT);
    assert_int_equal(res.signal, SIGKILL);
    assert_in_range(res.elapsed_ms, 690, 700 + SLACK_MS);
    /* Output written before the end is kept. */
    assert_string_equal(res.out, "ready\n");
    baton_command_result_clear(&res);
}

static void test_deadline_already_passed(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("sleep");
    baton_command_result res;

    baton_command_set_deadline(cmd, baton_deadline_in(0));
    run_ok(cmd, &res);
    assert_int_equal(res.status, BATON_EXEC_TIMEOUT);
    assert_true(res.elapsed_ms < 100);
    baton_command_result_clear(&res);
}

static void test_grace_capped(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("ignore-term");
    baton_command_result res;

    baton_command_set_deadline(cmd, baton_deadline_in(100));
    /* An hour of grace would outlive any operation timeout; it is capped. */
    baton_command_set_grace_ms(cmd, 3600 * 1000);
    run_ok(cmd, &res);
    assert_int_equal(res.status, BATON_EXEC_TIMEOUT);
    assert_true(res.elapsed_ms <= 100 + BATON_DEADLINE_MARGIN_MAX_MS + SLACK_MS);
    baton_command_result_clear(&res);
}

/* On timeout the whole group goes, also helpers that ignore SIGTERM. */
static void check_group_timeout(const char *flags)
{
    baton_autoptr(baton_command) cmd = helper_new("grandchild");
    baton_command_result res;
    pid_t gc;
    bool gone;

    baton_command_add_arg(cmd, flags);
    baton_command_set_deadline(cmd, baton_deadline_in(500));
    baton_command_set_grace_ms(cmd, 200);
    run_ok(cmd, &res);
    gc = parse_pid(res.out);
    gone = pid_gone_soon(gc);
    if (!gone)
        kill(gc, SIGKILL);
    assert_true(gone);
    assert_int_equal(res.status, BATON_EXEC_TIMEOUT);
    assert_in_range(res.elapsed_ms, 490, 500 + 200 + SLACK_MS);
    baton_command_result_clear(&res);
}

static void test_timeout_kills_group(void **state)
{
    check_group_timeout("");     /* grandchild detached from our pipes */
    check_group_timeout("i");    /* ... and ignoring SIGTERM */
    check_group_timeout("k");    /* holding our stdout */
    check_group_timeout("ki");   /* holding our stdout, ignoring SIGTERM */
}

/*
 * The child exits at once; its grandchild keeps stdout open. The run must
 * not wait for the grandchild (nor for the deadline), and must not leave it
 * holding the pipe.
 */
static void test_grandchild_holds_stdout(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("grandchild");
    baton_command_result res;
    pid_t gc;
    bool gone;

    baton_command_add_arg(cmd, "kix");
    baton_command_set_deadline(cmd, baton_deadline_in(20000));
    run_ok(cmd, &res);
    gc = parse_pid(res.out);
    gone = pid_gone_soon(gc);
    if (!gone)
        kill(gc, SIGKILL);
    assert_true(gone);
    assert_int_equal(res.status, BATON_EXEC_DONE);
    assert_int_equal(res.exit_status, 0);
    assert_true(res.elapsed_ms < 100 + SLACK_MS);
    baton_command_result_clear(&res);
}

/* A grandchild that let go of our output (a daemon) is left alone. */
static void test_detached_grandchild_left_alone(void **state)
{
    baton_autoptr(baton_command) cmd = helper_new("grandchild");
    baton_command_result res;
    pid_t gc;
    bool alive;

    baton_command_add_arg(cmd, "x");
    run_ok(cmd, &res);
    gc = parse_pid(res.out);
    alive = pid_alive(gc);
    kill(gc, SIGKILL);
    assert_true(alive);
    assert_true(baton_command_result_ok(&res));
    assert_true(res.elapsed_ms < 100 + SLACK_MS);
    baton_command_result_clear(&res);
}

/* ------------------------------------------------------------------ logging */

static char *read_file(int fd)
{
    char *buf = calloc(1, 65536);
    ssize_t n;

    assert_non_null(buf);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    n = read(fd, buf, 65535);
    assert_true(n >= 0);
    return buf;
}

/* argv is logged at debug level, unless the caller said it is private. */
static void test_debug_log(void **state)
{
    baton_autoptr(baton_command) loud = baton_command_new("/bin/echo");
    baton_autoptr(baton_command) quiet = baton_command_new("/bin/echo");
    char path[] = "/tmp/baton-test-command-log-XXXXXX";
    baton_autoclose int log_fd = mkstemp(path);
    baton_autoclose int saved_stderr = dup(STDERR_FILENO);
    baton_autofree char *text = NULL;
    baton_command_result res1, res2;
    int r1, r2;

    assert_true(log_fd >= 0);
    assert_true(saved_stderr >= 0);
    unlink(path);
    baton_command_add_args(loud, "visible-arg", NULL);
    baton_command_add_args(quiet, "--password", "hunter2-secret", NULL);
    baton_command_set_quiet_argv(quiet, true);

    fflush(stderr);
    assert_true(dup2(log_fd, STDERR_FILENO) >= 0);
    r1 = baton_command_run(loud, &res1);
    r2 = baton_command_run(quiet, &res2);
    fflush(stderr);
    assert_true(dup2(saved_stderr, STDERR_FILENO) >= 0);

    assert_int_equal(r1, 0);
    assert_int_equal(r2, 0);
    text = read_file(log_fd);
    assert_non_null(strstr(text, "visible-arg"));
    assert_non_null(strstr(text, "arguments not logged"));
    assert_non_null(strstr(text, "exit status 0"));
    assert_null(strstr(text, "hunter2-secret"));
    baton_command_result_clear(&res1);
    baton_command_result_clear(&res2);
}

/* ------------------------------------------------------------------ main */

static int setup_native(void **state)
{
    baton__command_test_set_flags(0);
    return 0;
}

/* The fallbacks for kernels without pidfd_open()/close_range(). */
static int setup_fallback(void **state)
{
    baton__command_test_set_flags(TEST_NO_PIDFD | TEST_NO_CLOSE_RANGE);
    return 0;
}

static int teardown(void **state)
{
    baton__command_test_set_flags(0);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_to_string),
        cmocka_unit_test(test_result_helpers),
        cmocka_unit_test(test_setup_errors),
        cmocka_unit_test(test_true_false),
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_not_executable),
        cmocka_unit_test(test_path_lookup),
        cmocka_unit_test(test_signaled),
        cmocka_unit_test(test_stdout_stderr),
        cmocka_unit_test(test_argv_verbatim),
        cmocka_unit_test(test_stdin_large),
        cmocka_unit_test(test_stdin_empty_and_none),
        cmocka_unit_test(test_stdin_closed_by_child),
        cmocka_unit_test(test_environment),
        cmocka_unit_test(test_fds_closed),
        cmocka_unit_test(test_rlimit),
        cmocka_unit_test(test_signal_state_reset),
        cmocka_unit_test(test_own_process_group),
        cmocka_unit_test(test_capture_truncation),
        cmocka_unit_test(test_timeout_sleep),
        cmocka_unit_test(test_timeout_ignores_sigterm),
        cmocka_unit_test(test_deadline_already_passed),
        cmocka_unit_test(test_grace_capped),
        cmocka_unit_test(test_timeout_kills_group),
        cmocka_unit_test(test_grandchild_holds_stdout),
        cmocka_unit_test(test_detached_grandchild_left_alone),
        cmocka_unit_test(test_debug_log),
    };
    /* The paths that differ when the kernel lacks pidfd_open()/close_range(). */
    const struct CMUnitTest fallback_tests[] = {
        cmocka_unit_test(test_true_false),
        cmocka_unit_test(test_signaled),
        cmocka_unit_test(test_stdin_large),
        cmocka_unit_test(test_fds_closed),
        cmocka_unit_test(test_timeout_sleep),
        cmocka_unit_test(test_timeout_ignores_sigterm),
        cmocka_unit_test(test_timeout_kills_group),
        cmocka_unit_test(test_grandchild_holds_stdout),
    };
    int failed;

    helper_locate();
    /* Debug logging on, to stderr only, so that test_debug_log has something to read. */
    assert_int_equal(setenv("HA_debug", "1", 1), 0);
    baton_log_open("test-command", NULL);
    baton_log_set_targets(true, false);

    failed = cmocka_run_group_tests_name("command", tests, setup_native, teardown);
    failed += cmocka_run_group_tests_name("command-fallback", fallback_tests, setup_fallback, teardown);
    return failed;
}
