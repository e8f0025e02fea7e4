/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The process watchdog (include/baton/watchdog.h): one thread, started on the
 * first arm, waiting on a condition variable that measures time on the
 * deadline's clock. Arming and disarming only change the state under the lock
 * and wake the thread, which then waits for the new instant or for nothing.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <baton/ocf.h>
#include <baton/watchdog.h>

#include "util-internal.h"

#define REASON_MAX 512

static pthread_once_t watchdog_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t watchdog_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_condattr_t watchdog_condattr;
static pthread_cond_t watchdog_cond;
static int watchdog_init_error;
static struct {
    bool started;
    bool armed;
    int64_t fire_ms;            /* CLOCK_MONOTONIC */
    int exit_code;
    unsigned flags;
    char reason[REASON_MAX];
    baton_watchdog_verdict_fn verdict;  /* NULL: none pending */
    void *verdict_data;
    int64_t verdict_ms;                 /* CLOCK_MONOTONIC */
} watchdog;

/*
 * fork() copies the state but not the thread (nor a lock or condition it
 * held): a child starts over, with no watchdog, and may arm its own.
 */
static void watchdog_atfork_child(void)
{
    pthread_mutex_init(&watchdog_lock, NULL);
    pthread_cond_init(&watchdog_cond, &watchdog_condattr);
    watchdog.started = false;
    watchdog.armed = false;
    watchdog.verdict = NULL;
}

static void watchdog_init(void)
{
    /* the condition variable must measure time on the deadline's clock */
    int r = pthread_condattr_init(&watchdog_condattr);

    if (r == 0)
        r = pthread_condattr_setclock(&watchdog_condattr, CLOCK_MONOTONIC);
    if (r == 0)
        r = pthread_cond_init(&watchdog_cond, &watchdog_condattr);
    if (r == 0)
        r = pthread_atfork(NULL, NULL, watchdog_atfork_child);
    watchdog_init_error = r;
}

/* Called with the lock held; never returns. */
static void watchdog_fire(int exit_code)
{
    baton__log_last_words(exit_code == 0 ? LOG_WARNING : LOG_ERR, watchdog.reason);
    if (exit_code != 0 && (watchdog.flags & BATON_WATCHDOG_OCF_EXIT_REASON))
        (void) baton__write_line(STDERR_FILENO, "%s%s\n", BATON_OCF_EXIT_REASON_PREFIX, watchdog.reason);
    _exit(exit_code);
}

/*
 * Called with the lock held, at the verdict's instant: ask once. The lock
 * stays held so that the action cannot disarm (finish) halfway through.
 */
static void watchdog_ask_verdict(void)
{
    char reason[REASON_MAX] = "";
    baton_watchdog_verdict_fn fn = watchdog.verdict;
    int code;

    watchdog.verdict = NULL;
    code = fn(watchdog.verdict_data, reason, sizeof(reason));
    if (code < 0)
        return;
    if (reason[0])
        snprintf(watchdog.reason, sizeof(watchdog.reason), "%s", reason);
    watchdog_fire(code);
}

static void *watchdog_main(void *arg)
{
    (void) arg;
    pthread_mutex_lock(&watchdog_lock);
    for (;;) {
        int64_t next;

        if (!watchdog.armed) {
            pthread_cond_wait(&watchdog_cond, &watchdog_lock);
            continue;
        }
        if (watchdog.verdict && baton_now_ms() >= watchdog.verdict_ms)
            watchdog_ask_verdict();
        if (baton_now_ms() >= watchdog.fire_ms)
            watchdog_fire(watchdog.exit_code);
        next = watchdog.verdict && watchdog.verdict_ms < watchdog.fire_ms ? watchdog.verdict_ms
               : watchdog.fire_ms;
        struct timespec ts = {
            .tv_sec = next / 1000,
            .tv_nsec = (next % 1000) * 1000000L,
        };
        pthread_cond_timedwait(&watchdog_cond, &watchdog_lock, &ts);
    }
    return NULL;
}

int baton_watchdog_arm(baton_deadline deadline, int64_t grace_ms, int exit_code,
                       unsigned flags, const char *reason)
{
    pthread_t t;
    int r = 0;

    if (deadline.end_ms == INT64_MAX) {
        baton_watchdog_disarm();
        return 0;
    }
    pthread_once(&watchdog_once, watchdog_init);
    if (watchdog_init_error)
        return -watchdog_init_error;

    pthread_mutex_lock(&watchdog_lock);
    watchdog.fire_ms = grace_ms > 0 && deadline.end_ms < INT64_MAX - grace_ms ?
                       deadline.end_ms + grace_ms : deadline.end_ms;
    watchdog.exit_code = exit_code;
    watchdog.flags = flags;
    snprintf(watchdog.reason, sizeof(watchdog.reason), "%s", reason ? reason : "deadline expired");
    watchdog.verdict = NULL;
    watchdog.armed = true;
    if (!watchdog.started) {
        r = pthread_create(&t, NULL, watchdog_main, NULL);
        if (r == 0) {
            pthread_detach(t);
            watchdog.started = true;
        } else {
            watchdog.armed = false;
        }
    }
    pthread_cond_broadcast(&watchdog_cond);
    pthread_mutex_unlock(&watchdog_lock);
    return -r;
}

void baton_watchdog_set_verdict(baton_deadline at, baton_watchdog_verdict_fn fn, void *data)
{
    pthread_mutex_lock(&watchdog_lock);
    watchdog.verdict = fn;
    watchdog.verdict_data = data;
    watchdog.verdict_ms = at.end_ms;
    if (watchdog.started)
        pthread_cond_broadcast(&watchdog_cond);
    pthread_mutex_unlock(&watchdog_lock);
}

void baton_watchdog_set_reason(const char *reason)
{
    pthread_mutex_lock(&watchdog_lock);
    snprintf(watchdog.reason, sizeof(watchdog.reason), "%s", reason ? reason : "deadline expired");
    pthread_mutex_unlock(&watchdog_lock);
}

void baton_watchdog_disarm(void)
{
    pthread_mutex_lock(&watchdog_lock);
    watchdog.armed = false;
    watchdog.verdict = NULL;
    if (watchdog.started)
        pthread_cond_broadcast(&watchdog_cond);
    pthread_mutex_unlock(&watchdog_lock);
}
