/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

#include "vip-netns.h"

int vip_netns_enter(const char *name)
{
    char path[sizeof(VIP_NETNS_DIR) + NAME_MAX + 1];
    int fd, r = 0;

    if (snprintf(path, sizeof(path), VIP_NETNS_DIR "/%s", name) >= (int) sizeof(path))
        return -ENAMETOOLONG;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    /* A socket belongs to the namespace its creator was in: this covers all that follow. */
    if (setns(fd, CLONE_NEWNET) < 0)
        r = -errno;
    close(fd);
    return r;
}
