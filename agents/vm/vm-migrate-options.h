/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * VirtualDomain's migration parameters that baton maps onto the libvirt
 * API: migrate_options (virsh migrate options as VIR_MIGRATE_* flags and
 * typed parameters), migration_user and migrateport. Pure functions, no
 * I/O (tests/unit/test-vm-migrate-options.c).
 */
#ifndef BATON_VM_MIGRATE_OPTIONS_H
#define BATON_VM_MIGRATE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How a typed migration parameter is passed (virTypedParamsAdd*). */
typedef enum vm_mopt_type {
    VM_MOPT_INT,
    VM_MOPT_ULLONG,
    VM_MOPT_STRING,
} vm_mopt_type;

typedef struct vm_mopt_param {
    const char *name;           /* VIR_MIGRATE_PARAM_* (static) */
    vm_mopt_type type;
    uint64_t num;               /* INT (<= INT_MAX) and ULLONG */
    char *str;                  /* STRING */
} vm_mopt_param;

/* More than any sensible option string (one per list item of --migrate-disks / --comp-methods). */
#define VM_MOPT_PARAMS_MAX 64

typedef struct vm_migrate_options {
    unsigned int flags;         /* VIR_MIGRATE_* the options ask for */
    char *migrateuri;           /* --migrateuri (a template: %n), NULL */
    bool bandwidth;             /* --bandwidth was given */
    size_t n;
    vm_mopt_param params[VM_MOPT_PARAMS_MAX];
} vm_migrate_options;

void vm_migrate_options_clear(vm_migrate_options *o);

/*
 * Parse migrate_options ("--compressed --bandwidth 100 --parallel-connections=4")
 * without a shell: words are separated by blanks; quotes, backslashes and
 * '$' are refused rather than interpreted. Every option must be one baton
 * maps; anything else (an unknown option, a positional argument, a
 * duplicate parameter, a bad number) is -EINVAL with *ret_reason naming it
 * (newly allocated). 0, -EINVAL or -ENOMEM. NULL or "" is no option.
 */
int vm_migrate_options_parse(const char *s, vm_migrate_options *ret, char **ret_reason);

/*
 * The options together with the rest of the configuration:
 * mode_flags = vm_migrate_flags(migration_mode), speed = migration_speed,
 * migrateuri = whether the migrateuri parameter is set. NULL (fine) or a
 * static reason: a tunnelled migration that is not peer-to-peer, the
 * bandwidth or the data URI given twice.
 */
const char *vm_migrate_options_conflict(const vm_migrate_options *o, unsigned int mode_flags, int64_t speed,
                                        bool migrateuri);

/* migration_user: VirtualDomain's rule, a lower-case login name ^[a-z][-a-z0-9]*$. */
bool vm_migrate_user_valid(const char *user);

/*
 * "scheme://rest" as "scheme://user@rest" (user NULL or "": a copy).
 * 0, -EINVAL (no "://"), -ENOMEM.
 */
int vm_uri_add_user(const char *uri, const char *user, char **ret);

/*
 * The data URI VirtualDomain derives when migrateuri is not given and a
 * migration network (suffix) or a migrateport is: for QEMU "tcp://HOST[:PORT]",
 * for Xen "HOST". hypervisor is the libvirt URI, host the target's name with
 * the suffix, port 0 when unset. 0 with *ret, 1 when there is nothing to
 * derive (*ret NULL: libvirt's choice), -EINVAL (a port for a hypervisor
 * whose data URI has none), -ENOMEM.
 */
int vm_migrate_data_uri(const char *hypervisor, const char *host, bool suffix, int64_t port, char **ret);

#endif /* BATON_VM_MIGRATE_OPTIONS_H */
