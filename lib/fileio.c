/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <baton/fileio.h>

#include "util-internal.h"

int baton_file_read(const char *path, size_t max, char **ret)
{
    baton_autoclose int fd = -1;
    baton_autofree char *buf = NULL;
    size_t len = 0, size = 0;

    if (max == 0)
        max = BATON_FILE_READ_MAX;
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return -errno;
    for (;;) {
        ssize_t n;

        if (size - len < 2) {
            size_t nsize = size ? size * 2 : 4096;
            char *nbuf;

            if (nsize > max + 2)
                nsize = max + 2;
            if (nsize <= size)
                return -EFBIG;
            nbuf = realloc(buf, nsize);
            if (!nbuf)
                return -ENOMEM;
            buf = nbuf;
            size = nsize;
        }
        n = read(fd, buf + len, size - len - 1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (n == 0)
            break;
        len += (size_t) n;
        if (len > max)
            return -EFBIG;
    }
    if (!buf && !(buf = malloc(1)))
        return -ENOMEM;
    buf[len] = '\0';
    *ret = baton_take_ptr(buf);
    return 0;
}

/* The directory part of path ("." for a bare name), as a new string. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t) (slash - path));
}

/*
 * A name next to path that nobody can have guessed: pid alone was
 * predictable, and another user could plant a link there before us.
 */
static char *tmp_name_for(const char *path)
{
    uint64_t rnd = 0;

    if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t) sizeof(rnd)) {
        struct timespec ts;

        /* Only the name's guessability suffers: linkat() never replaces what exists. */
        clock_gettime(CLOCK_MONOTONIC, &ts);
        rnd = (uint64_t) ts.tv_nsec ^ ((uint64_t) getpid() << 32) ^ (uint64_t) ts.tv_sec;
    }
    return baton_strdup_printf("%s.tmp.%016llx", path, (unsigned long long) rnd);
}

/* Mode, content and durability of the not yet visible file fd; -errno. */
static int fill_tmp(int fd, const char *text, mode_t mode)
{
    int r;

    /* fchmod, not a chmod by name: the name may have been swapped meanwhile. */
    if (fchmod(fd, mode) < 0)
        return -errno;
    r = baton__write_all(fd, text, strlen(text));
    if (r < 0)
        return r;
    /* The data must be on disk before the name points at it. */
    if (fsync(fd) < 0)
        return -errno;
    return 0;
}

/*
 * O_TMPFILE: the file has no name until it is complete, and linkat() gives it
 * one without ever following or replacing anything at that name (EEXIST).
 * Returns the name given in *ret_tmp; -EOPNOTSUPP when the file system or
 * kernel has no O_TMPFILE.
 */
static int write_tmpfile(const char *dir, const char *path, const char *text, mode_t mode,
                         char **ret_tmp)
{
    baton_autoclose int fd = -1;
    char proc[64];
    int r;

    fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0)
        /* EISDIR: a kernel older than O_TMPFILE took it for O_DIRECTORY. */
        return errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL ? -EOPNOTSUPP : -errno;
    r = fill_tmp(fd, text, mode);
    if (r < 0)
        return r;
    /* linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH; /proc/self/fd does not. */
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    for (int tries = 0; tries < 16; tries++) {
        baton_autofree char *tmp = tmp_name_for(path);

        if (!tmp)
            return -ENOMEM;
        if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
            *ret_tmp = baton_take_ptr(tmp);
            return 0;
        }
        if (errno != EEXIST)
            return errno == ENOENT && access("/proc/self/fd", F_OK) < 0 ? -EOPNOTSUPP : -errno;
    }
    return -EEXIST;
}

/* Without O_TMPFILE: mkstemp() in the same directory, created exclusively (O_EXCL). */
static int write_mkstemp(const char *path, const char *text, mode_t mode, char **ret_tmp)
{
    baton_autofree char *tmp = baton_strdup_printf("%s.tmp.XXXXXX", path);
    baton_autoclose int fd = -1;
    int r;

    if (!tmp)
        return -ENOMEM;
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return -errno;
    r = fill_tmp(fd, text, mode);
    if (r == 0 && close(baton_take_fd(fd)) < 0)
        r = -errno;
    if (r < 0) {
        (void) unlink(tmp);
        return r;
    }
    *ret_tmp = baton_take_ptr(tmp);
    return 0;
}

int baton_file_write_atomic(const char *path, const char *text, mode_t mode)
{
    baton_autofree char *dir = dir_of(path);
    baton_autofree char *tmp = NULL;
    baton_autoclose int dfd = -1;
    int r;

    if (!dir)
        return -ENOMEM;
    r = write_tmpfile(dir, path, text, mode, &tmp);
    if (r == -EOPNOTSUPP)
        r = write_mkstemp(path, text, mode, &tmp);
    if (r < 0)
        return r;
    if (rename(tmp, path) < 0) {
        r = -errno;
        (void) unlink(tmp);
        return r;
    }
    /* The rename itself is durable once the directory is. */
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0 || fsync(dfd) < 0)
        return -errno;
    return 0;
}

/* mkdir -p of dir's parents (0755), then dir itself with mode. */
static int state_dir_create(const char *dir, mode_t mode)
{
    baton_autofree char *parent = dir_of(dir);
    int r;

    if (!parent)
        return -ENOMEM;
    if (strcmp(parent, ".") != 0 && strcmp(parent, "/") != 0) {
        r = baton_mkdir_p(parent, 0755);
        if (r < 0)
            return r;
    }
    if (mkdir(dir, mode) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int dir_fail(char **ret_reason, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int dir_fail(char **ret_reason, int r, const char *fmt, ...)
{
    va_list ap;

    if (ret_reason) {
        va_start(ap, fmt);
        *ret_reason = baton__vasprintf(fmt, ap);
        va_end(ap);
    }
    return r;
}

int baton_state_dir_check(const char *dir, mode_t mode, char **ret_reason)
{
    baton_autoclose int fd = -1;
    struct stat st;
    int r;

    if (ret_reason)
        *ret_reason = NULL;
    if (!dir || dir[0] != '/')
        return dir_fail(ret_reason, -EINVAL, "state directory '%s' is not an absolute path",
                        dir ? dir : "");
    r = state_dir_create(dir, mode);
    if (r < 0)
        return dir_fail(ret_reason, r, "cannot create state directory %s: %s", dir, strerror(-r));
    /* O_NOFOLLOW: a symlink planted at the name fails here instead of being used. */
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        r = -errno;
        /* With O_DIRECTORY, Linux says ENOTDIR for a symlink: tell the two apart for the reason. */
        if (r == -ELOOP || (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode)))
            return dir_fail(ret_reason, -ELOOP, "state directory %s is a symbolic link", dir);
        if (r == -ENOTDIR)
            return dir_fail(ret_reason, r, "state directory %s is not a directory", dir);
        return dir_fail(ret_reason, r, "state directory %s: %s", dir, strerror(-r));
    }
    if (fstat(fd, &st) < 0)
        return dir_fail(ret_reason, -errno, "state directory %s: %s", dir, strerror(errno));
    /* Whoever else may write there can plant the state that decides our next action. */
    if (st.st_uid != geteuid())
        return dir_fail(ret_reason, -EPERM, "state directory %s is owned by uid %u, not %u", dir,
                        (unsigned) st.st_uid, (unsigned) geteuid());
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return dir_fail(ret_reason, -EPERM, "state directory %s is writable by %s (mode %04o)",
                        dir, (st.st_mode & S_IWOTH) ? "everyone" : "its group",
                        (unsigned) (st.st_mode & 07777));
    return 0;
}

int baton_file_remove(const char *path)
{
    if (unlink(path) < 0 && errno != ENOENT)
        return -errno;
    return 0;
}

int baton_mkdir_p(const char *path, mode_t mode)
{
    baton_autofree char *copy = strdup(path);

    if (!copy)
        return -ENOMEM;
    for (char *p = copy + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        {
            char saved = *p;

            *p = '\0';
            if (mkdir(copy, mode) < 0 && errno != EEXIST)
                return -errno;
            *p = saved;
        }
        if (*p == '\0')
            break;
    }
    return 0;
}
