/* SPDX-License-Identifier: GPL-2.0-or-later */
/* baton-vm-capacity's subcommands (capacity.c: list, fit, fit-domain; capacity-cluster.c: cluster). */
#ifndef BATON_VM_CAPACITY_H
#define BATON_VM_CAPACITY_H

#include <stdbool.h>

enum {
    CAPACITY_EXIT_OK = 0,
    CAPACITY_EXIT_NOFIT = 1,    /* does not fit; cluster: a VM of --min-priority or more would stay stopped */
    CAPACITY_EXIT_ERROR = 2,    /* usage, libvirt, CIB */
};

/*
 * The forecast for each online node's failure (with pairs: also for each
 * pair failing at once, which does not change the exit status), from
 * cib_file (NULL: cibadmin --query), as a table or JSON. Returns the exit
 * status.
 */
int capacity_cluster(const char *cib_file, bool json, int min_priority, bool pairs);

#endif /* BATON_VM_CAPACITY_H */
