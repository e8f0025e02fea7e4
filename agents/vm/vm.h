/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:vm: what the agent's files share. One job per file:
 *   vm.c          actions, validation, the action table
 *   vm-config.c   the domain XML file and the agent's policy record (pure parsing)
 *   vm-conn.c     the libvirt connection and the watchdog bounding every call
 *   vm-domain.c   domain lifecycle: lookup, state, start, stop
 *   vm-memory.c   the host's VMs, balloon apply + confirm, give-back
 *   vm-lock.c     the host-wide lock serialising plan + apply
 *   vm-health.c   the depth 20 checks (TCP, HTTP)
 *   vm-plan.c     the pure memory planner
 *   vm-boot.c     boot-storm control: which guests are booting (pure, vm-boot.h)
 *   vm-migrate.c  migrate_to / migrate_from (vm-migrate.h; pure helpers in vm-migrate-util.c)
 *   vm-utilization.c  autoset_utilization_* (vm-utilization.h)
 *   capacity.c    the baton-vm-capacity tool
 */
#ifndef BATON_VM_H
#define BATON_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <libvirt/libvirt.h>

#include <baton/deadline.h>

/* ---------------------------------------------------------------- vm-config.c */

/* What the agent reads from a domain XML file (never changed). */
typedef struct vm_domain_xml {
    char *name;
    uint64_t max_kib;           /* <memory>, 0 when absent */
    uint64_t current_kib;       /* <currentMemory>, else max_kib */
} vm_domain_xml;

void vm_domain_xml_clear(vm_domain_xml *x);
/* 0, -EINVAL (not a domain, no name, bad size) or -ENOMEM. */
int vm_domain_xml_parse(const char *xml, size_t len, vm_domain_xml *ret);
/* A libvirt size with unit ("b", "KiB", "M", "GB", ...; NULL = KiB) in KiB, rounded up. 0 or -EINVAL/-ERANGE. */
int vm_size_to_kib(const char *value, const char *unit, uint64_t *ret);

/*
 * The agent's record on a running domain (libvirt metadata, live only, in
 * the namespace VM_POLICY_NS): how other agents on the host may treat it.
 */
#define VM_POLICY_NS "urn:baton:vm:1"
#define VM_POLICY_KEY "baton"
/* A resource name longer than this, or with other bytes than [A-Za-z0-9._-], is not recorded. */
#define VM_POLICY_RESOURCE_MAX 128

typedef struct vm_policy {
    uint64_t floor_kib;
    uint64_t target_kib;
    int priority;
    bool uncooperative;         /* its balloon did not move when asked */
    int64_t started;            /* Unix time of the start, 0 unknown */
    int64_t boot_grace_s;       /* its boot budget (boot_grace), < 0 unknown (older records) */
    char resource[VM_POLICY_RESOURCE_MAX]; /* the Pacemaker resource that started it, "" unknown */
} vm_policy;

/* Newly allocated XML element for virDomainSetMetadata; NULL on ENOMEM. */
char *vm_policy_format(const vm_policy *p);
/* A resource name the record can hold. */
bool vm_policy_resource_valid(const char *s);
/* 0 or -EINVAL. */
int vm_policy_parse(const char *xml, vm_policy *ret);

/* shutdown_mode ("acpi,agent") as VIR_DOMAIN_SHUTDOWN_* flags. 0 or -EINVAL. */
int vm_shutdown_mode_parse(const char *s, unsigned *ret_flags);

/* ---------------------------------------------------------------- vm-conn.c */

/*
 * The end of a libvirt call run on a thread of its own (a migration, a save)
 * while the action watches it and can abort it: whether it returned, its
 * result, and libvirt's message, taken on that thread (libvirt's errors are
 * per thread). Initialise with VM_BG_CALL_INIT; free err after the join.
 */
typedef struct vm_bg_call {
    pthread_mutex_t lock;
    pthread_cond_t cond;        /* signalled when done */
    bool done;
    int rc;
    char *err;
} vm_bg_call;
#define VM_BG_CALL_INIT { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER }
/* On the call's thread, once it returned rc (< 0: failed, and libvirt's error is kept). */
void vm_bg_call_finish(vm_bg_call *c, int rc);
/*
 * Wait until the call returned or until until_ms (baton_now_ms()'s clock),
 * whichever comes first: whether it returned. The waiter wakes the moment
 * the call returns: no polling delay is added to the action.
 */
bool vm_bg_call_wait(vm_bg_call *c, int64_t until_ms);

/*
 * Open uri (read-write). Registers the event loop and keepalive (1 s, 5
 * probes) so that a dead daemon fails pending calls; the watchdog bounds the
 * rest. On failure *ret_err is libvirt's message (newly allocated).
 * 0, -ECONNREFUSED (no daemon / socket), -EIO (other libvirt error).
 */
int vm_conn_open(const char *uri, virConnectPtr *ret, char **ret_err);
void vm_conn_close(virConnectPtr conn);
/* The last libvirt error's message and code (newly allocated message or NULL). */
char *vm_last_error(int *ret_code);

/* Handles released at the end of their scope: autoconn c = NULL; autodomain d = NULL; */
static inline void vm_domain_freep(virDomainPtr *d)
{
    if (*d)
        virDomainFree(*d);
}

static inline void vm_conn_closep(virConnectPtr *c)
{
    vm_conn_close(*c);
}

#define autodomain __attribute__((cleanup(vm_domain_freep))) virDomainPtr
#define autoconn __attribute__((cleanup(vm_conn_closep))) virConnectPtr

/* ---------------------------------------------------------------- vm-domain.c */

/* 0 (with a reference), -ENOENT (no such domain), -EIO (*ret_err set). */
int vm_domain_lookup(virConnectPtr conn, const char *name, virDomainPtr *ret, char **ret_err);
/*
 * The domain and its state (virDomainState) and reason: 0, -ENOENT (no such
 * domain, also when it vanished meanwhile), -EIO (*ret_err set).
 */
int vm_domain_state(virConnectPtr conn, const char *name, virDomainPtr *ret, int *ret_state, int *ret_reason,
                    char **ret_err);

/*
 * Pure: the OCF code for a libvirt state/reason, with a description
 * ("paused (I/O error)") for logs and exit reasons (static string).
 */
int vm_state_to_ocf(int state, int reason, const char **ret_desc);

/* ---------------------------------------------------------------- vm-lock.c */

/* baton_run_dir(): the host lock file vm-memory.lock, and vm/<resource>.* */
const char *vm_rundir(void);
/* flock LOCK_EX, waiting until deadline. The fd, -ETIME or -errno. */
int vm_lock_take(baton_deadline deadline);
/*
 * Replace <rundir>/vm/<name> with text (libbaton's atomic writer), once
 * <rundir>/vm passed baton_state_dir_check (created 0755 when missing).
 * 0, or -errno with the reason logged.
 */
int vm_state_write(const char *name, const char *text);

/* ---------------------------------------------------------------- vm-health.c */

/* "host:port" / "[v6]:port": 0 or -EINVAL. */
int vm_parse_hostport(const char *s, char **ret_host, char **ret_port);
/* "http://host[:port][/path]": 0 or -EINVAL. */
int vm_parse_http_url(const char *url, char **ret_host, char **ret_port, char **ret_path);
/* The status code in an HTTP status line, or -EINVAL. */
int vm_http_status(const char *buf, size_t len);
/* 0, or -errno with *ret_err describing the failure. */
int vm_health_tcp(const char *hostport, int64_t timeout_ms, char **ret_err);
int vm_health_http(const char *url, int64_t timeout_ms, char **ret_err);

#endif /* BATON_VM_H */
