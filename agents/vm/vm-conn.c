/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The libvirt connection, and the watchdog that bounds every libvirt call.
 *
 * libvirt's client calls have no per-call timeout. Two things bound them:
 *  - keepalive (1 s interval, 5 unanswered probes): a daemon that died or
 *    stopped answering is noticed after about 6 s; libvirt then closes the
 *    connection and every pending call returns an error. Keepalive needs an
 *    event loop, which runs in a thread of its own.
 *  - libbaton's process watchdog (baton/watchdog.h), armed at the action's
 *    deadline by vm_ctx_watchdog(): if the action has not finished by then
 *    (a call hung in a way keepalive does not see, e.g. the daemon answers
 *    keepalive but a driver lock is stuck, or connection setup itself
 *    hangs), it prints the exit reason and ends the
 *    process with the action's failure code. Ending the process is the only
 *    way to abandon a blocked call; it happens before Pacemaker's own timeout
 *    (the deadline keeps a margin), so the exit reason reaches the cluster.
 *    Never reporting "stopped" from the watchdog is what keeps stop safe:
 *    a stop cut short fails, and the cluster fences.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include <baton/deadline.h>
#include <baton/log.h>
#include <baton/ocf.h>

#include "vm.h"

void vm_bg_call_finish(vm_bg_call *c, int rc)
{
    char *err = rc < 0 ? vm_last_error(NULL) : NULL;

    pthread_mutex_lock(&c->lock);
    c->rc = rc;
    c->err = err;
    c->done = true;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

bool vm_bg_call_wait(vm_bg_call *c, int64_t until_ms)
{
    int64_t now;
    bool done;

    pthread_mutex_lock(&c->lock);
    /*
     * On the deadline's clock (monotonic), whatever clock the condition was
     * made with; a second at a time, so that "never" (INT64_MAX) is no
     * instant the kernel has to represent.
     */
    while (!c->done && (now = baton_now_ms()) < until_ms) {
        int64_t wake = until_ms - now > 1000 ? now + 1000 : until_ms;
        struct timespec ts = { .tv_sec = wake / 1000, .tv_nsec = (wake % 1000) * 1000000L };

        (void) pthread_cond_clockwait(&c->cond, &c->lock, CLOCK_MONOTONIC, &ts);
    }
    done = c->done;
    pthread_mutex_unlock(&c->lock);
    return done;
}

/* libvirt prints every error to stderr by default; the agent reports them itself. */
static void error_quiet(void *data, virErrorPtr err)
{
    if (err && err->message)
        baton_debug("libvirt: %s", err->message);
}

char *vm_last_error(int *ret_code)
{
    virErrorPtr e = virGetLastError();

    if (ret_code)
        *ret_code = e ? e->code : VIR_ERR_OK;
    return strdup(e && e->message ? e->message : "unknown libvirt error");
}

static void *event_loop_main(void *arg)
{
    for (;;)
        if (virEventRunDefaultImpl() < 0)
            usleep(100000);
    return NULL;
}

static int event_loop_start(void)
{
    static bool started;
    pthread_t t;
    int r;

    if (started)
        return 0;
    if (virEventRegisterDefaultImpl() < 0)
        return -EIO;
    r = pthread_create(&t, NULL, event_loop_main, NULL);
    if (r != 0)
        return -r;
    pthread_detach(t);
    started = true;
    return 0;
}

int vm_conn_open(const char *uri, virConnectPtr *ret, char **ret_err)
{
    virConnectPtr conn;
    int code, r;

    virSetErrorFunc(NULL, error_quiet);
    r = event_loop_start();
    if (r < 0)
        baton_debug("libvirt event loop: %s; keepalive off", strerror(-r));
    conn = virConnectOpen(uri);
    if (!conn) {
        *ret_err = vm_last_error(&code);
        /* a local daemon that is not running: socket missing or refusing */
        if (code == VIR_ERR_SYSTEM_ERROR || code == VIR_ERR_NO_CONNECT ||
            code == VIR_ERR_RPC || code == VIR_ERR_NO_SUPPORT)
            return -ECONNREFUSED;
        return -EIO;
    }
    if (r == 0) {
        /* 1: the driver has no keepalive (test://, local drivers); the watchdog remains */
        if (virConnectSetKeepAlive(conn, 1, 5) < 0)
            baton_debug("libvirt keepalive could not be set");
    }
    *ret = conn;
    return 0;
}

void vm_conn_close(virConnectPtr conn)
{
    if (conn)
        virConnectClose(conn);
}
