/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one state-file writer and the state-directory check: nothing planted
 * at a temporary name is followed or written through, the mode is exact,
 * and a directory others could write to (or a link to one) is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <baton/fileio.h>

static char dir[] = "/tmp/baton-test-fileio-XXXXXX";

static char *in_dir(const char *name)
{
    static char path[4][256];
    static int i;

    i = (i + 1) % 4;
    snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
    return path[i];
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

static void assert_file_is(const char *path, const char *want)
{
    char *text = NULL;

    assert_int_equal(baton_file_read(path, 0, &text), 0);
    assert_string_equal(text, want);
    free(text);
}

/* Entries of dir whose name starts with prefix. */
static int count_prefixed(const char *prefix)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    closedir(d);
    return n;
}

/*
 * The old writer opened "<path>.tmp.<pid>" without O_EXCL: a hard link
 * planted there had the victim truncated and overwritten, a symlink made
 * every write fail.
 */
static void test_planted_tmp_names(void **state)
{
    char old_tmp[300];

    (void) state;
    assert_int_equal(baton_file_write_atomic(in_dir("victim"), "precious\n", 0600), 0);
    snprintf(old_tmp, sizeof(old_tmp), "%s.tmp.%d", in_dir("state"), (int) getpid());
    assert_int_equal(link(in_dir("victim"), old_tmp), 0);
    assert_int_equal(baton_file_write_atomic(in_dir("state"), "score 1\n", 0600), 0);
    assert_file_is(in_dir("victim"), "precious\n");
    assert_file_is(in_dir("state"), "score 1\n");
    assert_int_equal(unlink(old_tmp), 0);

    assert_int_equal(symlink(in_dir("victim"), old_tmp), 0);
    assert_int_equal(baton_file_write_atomic(in_dir("state"), "score 2\n", 0600), 0);
    assert_file_is(in_dir("victim"), "precious\n");
    assert_file_is(in_dir("state"), "score 2\n");
    /* the planted link is left alone, and no temporary file is left over */
    assert_int_equal(unlink(old_tmp), 0);
    assert_int_equal(count_prefixed("state.tmp"), 0);
}

/* A symlink at the target itself is replaced, never written through. */
static void test_target_symlink_replaced(void **state)
{
    struct stat st;

    (void) state;
    assert_int_equal(baton_file_write_atomic(in_dir("victim2"), "precious\n", 0600), 0);
    assert_int_equal(symlink(in_dir("victim2"), in_dir("target")), 0);
    assert_int_equal(baton_file_write_atomic(in_dir("target"), "new\n", 0600), 0);
    assert_int_equal(lstat(in_dir("target"), &st), 0);
    assert_true(S_ISREG(st.st_mode));
    assert_file_is(in_dir("victim2"), "precious\n");
}

static void test_mode_exact(void **state)
{
    static const mode_t modes[] = { 0600, 0640, 0644, 0400 };
    struct stat st;
    mode_t old = umask(077);

    (void) state;
    for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
        /* replacing an existing file of another mode, too */
        assert_int_equal(baton_file_write_atomic(in_dir("mode"), "x", modes[i]), 0);
        assert_int_equal(stat(in_dir("mode"), &st), 0);
        assert_int_equal(st.st_mode & 07777, modes[i]);
    }
    umask(old);
    assert_file_is(in_dir("mode"), "x");
}

static void test_write_failure_leaves_nothing(void **state)
{
    (void) state;
    assert_int_equal(baton_file_write_atomic(in_dir("missing/x"), "x", 0600), -ENOENT);
    /* a directory at the target: the rename fails, the temporary file goes */
    assert_int_equal(mkdir(in_dir("isdir"), 0700), 0);
    assert_int_equal(baton_file_write_atomic(in_dir("isdir"), "x", 0600), -EISDIR);
    assert_int_equal(count_prefixed("isdir.tmp"), 0);
}

static void expect_refused(const char *path, const char *needle)
{
    char *reason = NULL;

    assert_true(baton_state_dir_check(path, 0700, &reason) < 0);
    assert_non_null(reason);
    if (!strstr(reason, needle))
        fail_msg("%s: reason '%s' lacks '%s'", path, reason, needle);
    free(reason);
}

static void test_state_dir_check(void **state)
{
    char *reason = NULL;
    struct stat st;

    (void) state;
    /* created, parents too, with the mode asked for */
    assert_int_equal(baton_state_dir_check(in_dir("a/b/state"), 0700, &reason), 0);
    assert_null(reason);
    assert_int_equal(stat(in_dir("a/b/state"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    /* an existing good one */
    assert_int_equal(baton_state_dir_check(in_dir("a/b/state"), 0700, &reason), 0);

    assert_int_equal(symlink(in_dir("a/b/state"), in_dir("link")), 0);
    expect_refused(in_dir("link"), "symbolic link");

    assert_int_equal(mkdir(in_dir("world"), 0700), 0);
    assert_int_equal(chmod(in_dir("world"), 0777), 0);
    expect_refused(in_dir("world"), "writable by everyone");
    assert_int_equal(mkdir(in_dir("group"), 0700), 0);
    assert_int_equal(chmod(in_dir("group"), 0770), 0);
    expect_refused(in_dir("group"), "writable by its group");

    assert_int_equal(baton_file_write_atomic(in_dir("plain"), "x", 0600), 0);
    expect_refused(in_dir("plain"), "not a directory");
    expect_refused("relative/dir", "absolute");
}

static void test_state_dir_foreign_owner(void **state)
{
    (void) state;
    if (geteuid() != 0)
        skip();
    assert_int_equal(mkdir(in_dir("foreign"), 0755), 0);
    assert_int_equal(chown(in_dir("foreign"), 65534, 65534), 0);
    expect_refused(in_dir("foreign"), "owned by uid 65534");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_planted_tmp_names),
        cmocka_unit_test(test_target_symlink_replaced),
        cmocka_unit_test(test_mode_exact),
        cmocka_unit_test(test_write_failure_leaves_nothing),
        cmocka_unit_test(test_state_dir_check),
        cmocka_unit_test(test_state_dir_foreign_owner),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
