/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The libvirt connection, and the watchdog that bounds every libvirt call.
 *
 * libvirt's client calls have no per-call timeout. Two things bound them:
 *  - keepalive (1 s interval, 5 unanswered probes): a daemon that died or
 *    stopped answering is noticed after about 6 s; libvirt then closes the
 *    connection and every pending call returns an error. Keepalive needs an
 *    event loop, which runs in a thread of its own.
 *  - the watchdog, a thread sleeping until the action's deadline: if the
 *    action has not finished by then (a call hung in a way keepalive does not
 *    see, e.g. the daemon answers keepalive but a driver lock is stuck, or
 *    connection setup itself hangs), it prints the exit reason and ends the
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

#include <baton/log.h>
#include <baton/ocf.h>

#include "vm.h"

static pthread_mutex_t watchdog_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watchdog_cond = PTHREAD_COND_INITIALIZER;
static bool watchdog_armed;
static int64_t watchdog_end_ms;
static int watchdog_rc;
static char watchdog_what[256];

/* The deadline is on CLOCK_MONOTONIC; so is the condition variable's clock. */
static void *watchdog_main(void *arg)
{
    pthread_mutex_lock(&watchdog_lock);
    while (watchdog_armed) {
        struct timespec ts = {
            .tv_sec = watchdog_end_ms / 1000,
            .tv_nsec = (watchdog_end_ms % 1000) * 1000000L,
        };
        if (baton_now_ms() >= watchdog_end_ms) {
            char msg[400];
            int len = snprintf(msg, sizeof(msg), "%s%s did not finish before the operation's deadline\n",
                               BATON_OCF_EXIT_REASON_PREFIX, watchdog_what);
            if (len > 0) {
                ssize_t w = write(STDERR_FILENO, msg, (size_t) len < sizeof(msg) ? (size_t) len : sizeof(msg) - 1);
                (void) w;
            }
            _exit(watchdog_rc);
        }
        pthread_cond_timedwait(&watchdog_cond, &watchdog_lock, &ts);
    }
    pthread_mutex_unlock(&watchdog_lock);
    return NULL;
}

void vm_bg_call_finish(vm_bg_call *c, int rc)
{
    char *err = rc < 0 ? vm_last_error(NULL) : NULL;

    pthread_mutex_lock(&c->lock);
    c->rc = rc;
    c->err = err;
    c->done = true;
    pthread_mutex_unlock(&c->lock);
}

bool vm_bg_call_done(vm_bg_call *c)
{
    bool done;

    pthread_mutex_lock(&c->lock);
    done = c->done;
    pthread_mutex_unlock(&c->lock);
    return done;
}

int vm_watchdog_arm(baton_deadline deadline, int rc, const char *what)
{
    static bool started;
    pthread_condattr_t attr;
    pthread_t t;
    int r;

    pthread_mutex_lock(&watchdog_lock);
    watchdog_end_ms = deadline.end_ms;
    watchdog_rc = rc;
    snprintf(watchdog_what, sizeof(watchdog_what), "%s", what);
    watchdog_armed = deadline.end_ms != INT64_MAX;
    pthread_cond_broadcast(&watchdog_cond);
    pthread_mutex_unlock(&watchdog_lock);
    if (started || !watchdog_armed)
        return 0;

    /* the condition variable must measure time on the deadline's clock */
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_destroy(&watchdog_cond);
    r = pthread_cond_init(&watchdog_cond, &attr);
    pthread_condattr_destroy(&attr);
    if (r != 0)
        return -r;
    r = pthread_create(&t, NULL, watchdog_main, NULL);
    if (r != 0)
        return -r;
    pthread_detach(t);
    started = true;
    return 0;
}

void vm_watchdog_set_what(const char *what)
{
    pthread_mutex_lock(&watchdog_lock);
    snprintf(watchdog_what, sizeof(watchdog_what), "%s", what);
    pthread_mutex_unlock(&watchdog_lock);
}

void vm_watchdog_disarm(void)
{
    pthread_mutex_lock(&watchdog_lock);
    watchdog_armed = false;
    pthread_cond_broadcast(&watchdog_cond);
    pthread_mutex_unlock(&watchdog_lock);
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
