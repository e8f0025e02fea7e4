/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The host lock: two agents starting VMs on one host at once must not both
 * plan with the same free memory. Planning and ballooning (and the
 * give-back) happen under an exclusive flock on one file; the kernel drops
 * it when the process ends, so a killed agent cannot leave it held.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <baton/cleanup.h>
#include <baton/fileio.h>
#include <baton/log.h>

#include "vm.h"

const char *vm_rundir(void)
{
    return baton_run_dir();
}

int vm_state_write(const char *name, const char *text)
{
    baton_autofree char *dir = NULL, *path = NULL, *reason = NULL;
    int r;

    if (asprintf(&dir, "%s/vm", vm_rundir()) < 0) {
        dir = NULL;
        return -ENOMEM;
    }
    if (asprintf(&path, "%s/%s", dir, name) < 0) {
        path = NULL;
        return -ENOMEM;
    }
    /* What others could write there would decide what a stop or probe believes. */
    r = baton_state_dir_check(dir, 0755, &reason);
    if (r < 0) {
        baton_warn("not keeping state: %s", reason ? reason : strerror(-r));
        return r;
    }
    r = baton_file_write_atomic(path, text, 0644);
    if (r < 0)
        baton_warn("cannot write %s: %s", path, strerror(-r));
    return r;
}

int vm_lock_take(baton_deadline deadline)
{
    baton_autofree char *path = NULL;
    baton_autoclose int fd = -1;

    if (mkdir(vm_rundir(), 0755) < 0 && errno != EEXIST)
        return -errno;
    if (asprintf(&path, "%s/vm-memory.lock", vm_rundir()) < 0)
        return -ENOMEM;
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return -errno;
    /* flock has no timeout: poll, the holder is another agent doing the same bounded work */
    for (;;) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return baton_take_fd(fd);
        if (errno != EWOULDBLOCK && errno != EINTR)
            return -errno;
        if (baton_deadline_expired(deadline))
            return -ETIME;
        usleep(50000);
    }
}
