/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int baton_file_write_atomic(const char *path, const char *text, mode_t mode)
{
    baton_autofree char *tmp = baton_strdup_printf("%s.tmp.%d", path, (int) getpid());
    int fd, r;

    if (!tmp)
        return -ENOMEM;
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
    if (fd < 0)
        return -errno;
    r = baton__write_all(fd, text, strlen(text));
    /* The data must be on disk before the name points at it. */
    if (r == 0 && fsync(fd) < 0)
        r = -errno;
    if (close(fd) < 0 && r == 0)
        r = -errno;
    if (r == 0 && fchmodat(AT_FDCWD, tmp, mode, 0) < 0)
        r = -errno;
    if (r == 0 && rename(tmp, path) < 0)
        r = -errno;
    if (r < 0)
        (void) unlink(tmp);
    return r;
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

void baton_sleep_ms(int64_t ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long) (ms % 1000) * 1000000L };

    if (ms <= 0)
        return;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}
