/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <baton/fileio.h>
#include <baton/log.h>
#include <baton/process.h>

#include "util-internal.h"

/* How often a stop looks whether the process is gone. */
#define TERMINATE_POLL_MS 20

int baton_pidfile_read(const char *path, pid_t *ret)
{
    baton_autofree char *text = NULL;
    char *end;
    long pid;
    int r;

    r = baton_file_read(path, 64, &text);
    if (r < 0)
        return r == -EFBIG ? -EBADMSG : r;
    errno = 0;
    pid = strtol(text, &end, 10);
    while (*end == '\n' || *end == ' ' || *end == '\t')
        end++;
    /* pid 1 is init: never something an agent may signal. */
    if (errno || end == text || *end || pid <= 1 || pid > INT_MAX)
        return -EBADMSG;
    *ret = (pid_t) pid;
    return 0;
}

bool baton_process_alive(pid_t pid)
{
    char path[64];
    baton_autofree char *stat = NULL;
    const char *p;

    if (pid <= 0)
        return false;
    if (kill(pid, 0) < 0 && errno != EPERM)
        return false;
    snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
    if (baton_file_read(path, 4096, &stat) < 0)
        return false;
    /* The state follows the command name, which may itself hold ')'. */
    p = strrchr(stat, ')');
    return p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X' && p[2] != 'x';
}

bool baton_process_has_arg(pid_t pid, const char *arg)
{
    char path[64], buf[8192];
    baton_autoclose int fd = -1;
    size_t len = 0;

    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int) pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    /* The arguments are NUL-separated; a longer command line is cut, which only loses its tail. */
    while (len < sizeof(buf) - 1) {
        ssize_t n = read(fd, buf + len, sizeof(buf) - 1 - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t) n;
    }
    buf[len] = '\0';
    for (size_t i = 0; i < len; i += strlen(buf + i) + 1) {
        if (strcmp(buf + i, arg) == 0)
            return true;
    }
    return false;
}

static bool wait_gone(pid_t pid, baton_deadline until)
{
    while (baton_process_alive(pid)) {
        if (baton_deadline_expired(until))
            return false;
        baton_sleep_ms(TERMINATE_POLL_MS);
    }
    return true;
}

int baton_process_terminate(pid_t pid, baton_deadline deadline, int64_t kill_reserve_ms)
{
    if (!baton_process_alive(pid))
        return 0;
    if (kill(pid, SIGTERM) < 0)
        return errno == ESRCH ? 0 : -errno;
    if (wait_gone(pid, baton_deadline_reserve(deadline, kill_reserve_ms)))
        return 0;
    baton_debug("pid %d ignored SIGTERM; sending SIGKILL", (int) pid);
    if (kill(pid, SIGKILL) < 0)
        return errno == ESRCH ? 0 : -errno;
    return wait_gone(pid, deadline) ? 0 : -ETIME;
}
