/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reaching the hypervisor for an action of the vm agent: connecting (and
 * waiting for a libvirtd that restarts), and what this host tells without
 * libvirt, from the pid files libvirt's QEMU driver keeps for running
 * domains: proof that a domain does not run here, or that its QEMU lives.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/deadline.h>
#include <baton/log.h>
#include <baton/strutil.h>
#include <baton/watchdog.h>

#include "vm.h"
#include "vm-actions.h"
#include "vm-ctx.h"

BATON_DEFINE_AUTOPTR(DIR, closedir)

/* An unreachable libvirtd is asked again this often, for at most this long. */
#define VM_CONNECT_RETRY_MS 500
#define VM_CONNECT_WAIT_MS 30000

/* Where libvirt's QEMU driver keeps a pid file per running domain (qemu:///system). */
#define QEMU_PID_DIR "/run/libvirt/qemu"

/* The local QEMU driver: the one whose pid files this host has. */
static bool local_qemu(const char *uri)
{
    return strncmp(uri, "qemu:///system", 14) == 0;
}

/* A Xen URI on a host without Xen: no Xen domain can run here. */
static bool xen_absent(const char *uri)
{
    return strncmp(uri, "xen", 3) == 0 && access("/proc/xen", F_OK) < 0;
}

/* The pid file names a live process (a QEMU libvirtd lost track of is still a guest). */
static bool qemu_pidfile_alive(const char *path, pid_t *ret_pid)
{
    char buf[32];
    baton_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    ssize_t n;
    long pid;

    if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
        return false;
    buf[n] = '\0';
    pid = strtol(buf, NULL, 10);
    *ret_pid = (pid_t) pid;
    return pid > 0 && (kill((pid_t) pid, 0) == 0 || errno == EPERM);
}

/* Any QEMU domain alive on this host, by libvirt's pid files; its pid in *ret_pid. */
static bool any_qemu_alive(char **ret_name, pid_t *ret_pid)
{
    baton_autoptr(DIR) dir = opendir(QEMU_PID_DIR);
    struct dirent *e;

    if (!dir)
        return false;
    while ((e = readdir(dir))) {
        size_t len = strlen(e->d_name);
        baton_autofree char *path = NULL;

        if (len <= 4 || strcmp(e->d_name + len - 4, ".pid") != 0)
            continue;
        path = baton_strdup_printf("%s/%s", QEMU_PID_DIR, e->d_name);
        if (path && qemu_pidfile_alive(path, ret_pid)) {
            *ret_name = strndup(e->d_name, len - 4);
            return true;
        }
    }
    return false;
}

/*
 * Whether domain name runs on this host, asked without libvirt: 1 yes (QEMU
 * process *ret_pid is alive behind the pid file libvirt keeps for a running
 * domain), 0 provably not (no such process; for Xen, no Xen at all), -ENOENT
 * when nothing here can tell.
 */
int vm_domain_alive_without_hypervisor(const char *uri, const char *name, pid_t *ret_pid)
{
    baton_autofree char *pidfile = NULL;

    if (local_qemu(uri)) {
        pidfile = baton_strdup_printf("%s/%s.pid", QEMU_PID_DIR, name);
        if (!pidfile)
            return -ENOENT;
        return qemu_pidfile_alive(pidfile, ret_pid) ? 1 : 0;
    }
    return xen_absent(uri) ? 0 : -ENOENT;
}

/*
 * What a monitor can answer from this host alone when libvirt does not (its
 * daemon down, or frozen; why says which): "not running" only when the
 * domain provably does not run here. A live QEMU process is unknown to a
 * probe (an error, never "stopped"), and proof enough for a recurring
 * monitor that the guest runs, as for VirtualDomain's monitor: the deeper
 * checks wait for the daemon, and a management daemon's outage is no reason
 * to restart the guest. The code, with the reason (a warning when 0) in buf;
 * -1 when nothing here can tell. Takes no lock (the watchdog's thread asks).
 */
static int monitor_from_host(bool probe, const char *uri, const char *name, const char *why,
                             char *buf, size_t size)
{
    pid_t pid = 0;

    switch (vm_domain_alive_without_hypervisor(uri, name, &pid)) {
    case 1:
        if (probe) {
            snprintf(buf, size, "%s, and QEMU process %ld of domain %s is alive", why, (long) pid, name);
            return BATON_OCF_ERR_GENERIC;
        }
        snprintf(buf, size, "%s; QEMU process %ld of domain %s is alive: running (the guest's checks "
                 "wait for the daemon)", why, (long) pid, name);
        return BATON_OCF_SUCCESS;
    case 0:
        snprintf(buf, size, "%s; domain %s does not run on this node", why, name);
        return BATON_OCF_NOT_RUNNING;
    default:
        snprintf(buf, size, "%s", why);
        return -1;
    }
}

int vm_monitor_without_hypervisor(baton_ctx *ctx, const char *uri, const char *err)
{
    char why[512], reason[1024];
    int rc;

    snprintf(why, sizeof(why), "cannot connect to %s (%s)", uri, err);
    rc = monitor_from_host(baton_ctx_is_probe(ctx), uri, vm_settings_of(ctx)->name, why, reason,
                           sizeof(reason));
    if (rc == BATON_OCF_SUCCESS) {
        baton_warn("%s", reason);
        return rc;
    }
    return baton_ctx_fail(ctx, rc < 0 ? BATON_OCF_ERR_GENERIC : rc, "%s", reason);
}

/* The watchdog's question at half the monitor's time (vm_monitor_verdict_arm). */
static int monitor_verdict(void *data, char *reason, size_t size)
{
    baton_ctx *ctx = data;
    vm_settings *s = vm_settings_of(ctx);
    const char *uri = baton_param_str(ctx, "hypervisor");
    char why[512];

    snprintf(why, sizeof(why), "%s has not answered for %" PRId64 " ms", uri,
             baton_now_ms() - s->monitor_since_ms);
    return monitor_from_host(baton_ctx_is_probe(ctx), uri, s->name, why, reason, size);
}

/*
 * A frozen libvirtd (SIGSTOP, a stuck driver lock) accepts connections and
 * answers nothing; keepalive is not on before the connection is open, so a
 * monitor would wait for the watchdog at its deadline and fail, and the
 * guest would be restarted for a management daemon's fault. When the
 * monitor has not finished by half of its remaining time, the watchdog asks
 * the host instead (monitor_from_host). Not while checking the guest's own
 * health, whose slowness is the guest's: vm_monitor_verdict_clear first.
 */
void vm_monitor_verdict_arm(baton_ctx *ctx)
{
    baton_deadline d = baton_ctx_deadline(ctx);

    vm_settings_of(ctx)->monitor_since_ms = baton_now_ms();
    baton_watchdog_set_verdict(baton_deadline_cap(d, baton_deadline_remaining_ms(d) / 2), monitor_verdict,
                               ctx);
}

void vm_monitor_verdict_clear(void)
{
    baton_watchdog_set_verdict(baton_deadline_in(0), NULL, NULL);
}

/*
 * libvirtd restarts (a package upgrade, systemd's Restart= after a crash)
 * leave its socket missing or refusing for a second or two while every guest
 * runs on. An action other than a probe waits for the daemon, for at most
 * half of the time it has left (VM_CONNECT_WAIT_MS at most), so that a
 * daemon's restart never becomes a guest's. A probe answers at once: it asks
 * what runs here, which the pid files tell.
 */
int vm_ctx_conn_open_waiting(baton_ctx *ctx, const char *uri, virConnectPtr *ret, char **ret_err)
{
    baton_deadline d = baton_ctx_deadline(ctx);
    baton_deadline until = baton_deadline_cap(d, baton_deadline_remaining_ms(d) / 2);
    int64_t t0 = baton_now_ms(), left;
    bool waited = false;
    int r;

    until = baton_deadline_cap(until, VM_CONNECT_WAIT_MS);
    while ((r = vm_conn_open(uri, ret, ret_err)) == -ECONNREFUSED && !baton_ctx_is_probe(ctx) &&
           (left = baton_deadline_remaining_ms(until)) > 0) {
        if (!waited)
            baton_warn("cannot connect to %s (%s): waiting up to %" PRId64 " ms for the daemon", uri,
                       *ret_err, left);
        waited = true;
        free(*ret_err);
        *ret_err = NULL;
        baton_sleep_ms(left < VM_CONNECT_RETRY_MS ? left : VM_CONNECT_RETRY_MS);
    }
    if (r == 0 && waited)
        baton_info("connected to %s after %" PRId64 " ms", uri, baton_now_ms() - t0);
    return r;
}

int vm_ctx_connect(baton_ctx *ctx, virConnectPtr *ret)
{
    const char *uri = baton_param_str(ctx, "hypervisor");
    baton_autofree char *err = NULL;
    int r;

    r = vm_ctx_conn_open_waiting(ctx, uri, ret, &err);
    if (r == 0)
        return BATON_OCF_SUCCESS;
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot connect to %s: %s", uri, err);
}

/*
 * Validation could not tell which domain is this resource's: the config is
 * unreadable, this node recorded no start of it, and no domain parameter names
 * it. Only a host where no domain runs at all proves that it does not run here.
 */
int vm_prove_stopped(baton_ctx *ctx)
{
    const char *uri = baton_param_str(ctx, "hypervisor");
    const char *config = baton_param_str(ctx, "config");
    baton_autofree char *err = NULL, *other = NULL;
    autoconn conn = NULL;
    pid_t pid = 0;
    int n;

    if (vm_conn_open(uri, &conn, &err) < 0) {
        if ((local_qemu(uri) && !any_qemu_alive(&other, &pid)) || xen_absent(uri))
            return BATON_OCF_NOT_RUNNING;
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "cannot connect to %s (%s) to see whether the domain of %s runs here%s%s%s",
                              uri, err, config ? config : "", other ? "; QEMU of domain " : "",
                              other ? other : "", other ? " is alive" : "");
    }
    n = virConnectNumOfDomains(conn);
    if (n == 0)
        return BATON_OCF_NOT_RUNNING;
    if (n < 0) {
        err = vm_last_error(NULL);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot list the domains of %s: %s", uri, err);
    }
    return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                          "%d domain%s run%s on this node, and without its config or the domain "
                          "parameter nobody can tell whether this resource's is among them "
                          "(set domain as well as config)",
                          n, n == 1 ? "" : "s", n == 1 ? "s" : "");
}
