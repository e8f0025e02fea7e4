/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
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
/* /proc/<pid>/comm: the executable's name, cut at this many bytes. */
#define TASK_COMM_MAX 15

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

/*
 * The arguments of pid, NUL-separated, into buf (NUL-terminated); *ret_len
 * bytes. A longer command line is cut, which only loses its tail. -errno
 * when it cannot be read (the process is gone).
 */
static int cmdline_read(pid_t pid, char *buf, size_t size, size_t *ret_len)
{
    char path[64];
    baton_autoclose int fd = -1;
    size_t len = 0;

    snprintf(path, sizeof(path), "/proc/%d/cmdline", (int) pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    while (len < size - 1) {
        ssize_t n = read(fd, buf + len, size - 1 - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        len += (size_t) n;
    }
    buf[len] = '\0';
    *ret_len = len;
    return 0;
}

bool baton_process_has_arg(pid_t pid, const char *arg)
{
    char buf[8192];
    size_t len;

    if (cmdline_read(pid, buf, sizeof(buf), &len) < 0)
        return false;
    for (size_t i = 0; i < len; i += strlen(buf + i) + 1) {
        if (strcmp(buf + i, arg) == 0)
            return true;
    }
    return false;
}

/* The command name as the kernel keeps it (cut at 15 bytes). */
static bool comm_is(pid_t pid, const char *name)
{
    char path[64];
    baton_autofree char *comm = NULL;

    snprintf(path, sizeof(path), "/proc/%d/comm", (int) pid);
    if (baton_file_read(path, 64, &comm) < 0)
        return false;
    comm[strcspn(comm, "\n")] = '\0';
    if (strlen(name) > TASK_COMM_MAX)
        return strlen(comm) == TASK_COMM_MAX && strncmp(comm, name, TASK_COMM_MAX) == 0;
    return strcmp(comm, name) == 0;
}

/*
 * argv[0]'s basename is exe (or the kernel's command name is, for a
 * daemon that rewrote argv[0]), and args appear as consecutive arguments
 * after argv[0].
 */
static bool cmdline_matches(pid_t pid, const char *exe, const char *const *args)
{
    char buf[8192];
    const char *argv[512];
    size_t len, argc = 0, nargs = 0;

    if (cmdline_read(pid, buf, sizeof(buf), &len) < 0 || len == 0)
        return false;
    for (size_t i = 0; i < len && argc < sizeof(argv) / sizeof(argv[0]); i += strlen(buf + i) + 1)
        argv[argc++] = buf + i;
    if (exe) {
        const char *slash = strrchr(argv[0], '/');

        if (strcmp(slash ? slash + 1 : argv[0], exe) != 0 && !comm_is(pid, exe))
            return false;
    }
    while (args[nargs])
        nargs++;
    for (size_t i = 1; i + nargs <= argc; i++) {
        size_t k = 0;

        while (k < nargs && strcmp(argv[i + k], args[k]) == 0)
            k++;
        if (k == nargs)
            return true;
    }
    return false;
}

int baton_process_find_by_args(const char *exe, const char *const *args, pid_t *ret)
{
    DIR *d;
    struct dirent *de;
    pid_t found = 0, self = getpid();
    int r = 0;

    if (!args || !args[0])
        return -EINVAL;
    d = opendir("/proc");
    if (!d)
        return -errno;
    for (;;) {
        char *end;
        long pid;

        errno = 0;
        de = readdir(d);
        if (!de) {
            if (errno)
                r = -errno;
            break;
        }
        errno = 0;
        pid = strtol(de->d_name, &end, 10);
        /* Not a process; init and this agent are never the daemon. */
        if (errno || *end || end == de->d_name || pid <= 1 || pid > INT_MAX || pid == self)
            continue;
        /* A process that ends while we read it simply does not match. */
        if (!cmdline_matches((pid_t) pid, exe, args) || !baton_process_alive((pid_t) pid))
            continue;
        if (found) {
            r = -ENOTUNIQ;
            break;
        }
        found = (pid_t) pid;
    }
    closedir(d);
    if (r < 0)
        return r;
    if (!found)
        return -ESRCH;
    *ret = found;
    return 0;
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

/* Under bin's basename (a copy or wrapper the parameter names), else under name. */
static int daemon_scan(const char *bin, const char *name, const char *const *args, pid_t *ret)
{
    const char *base = bin && strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin;
    int r = -ESRCH;

    if (base && *base && strcmp(base, name) != 0)
        r = baton_process_find_by_args(base, args, ret);
    if (r == -ESRCH)
        r = baton_process_find_by_args(name, args, ret);
    return r;
}

int baton_daemon_find(const char *pidfile, const char *bin, const char *name,
                      const char *const *args, pid_t *ret, bool *ret_lost)
{
    pid_t pid;
    int r;

    *ret_lost = false;
    if (pidfile && baton_pidfile_read(pidfile, &pid) == 0 && baton_process_alive(pid) &&
        cmdline_matches(pid, NULL, args)) {
        *ret = pid;
        return 0;
    }
    r = daemon_scan(bin, name, args, &pid);
    if (r == -ESRCH) {
        *ret = 0;
        return 0;
    }
    if (r < 0)
        return r;
    *ret = pid;
    *ret_lost = true;
    return 0;
}
