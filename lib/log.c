/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Logging: one tag, two sinks. syslog() is process-global by design, so the
 * tag and the sink choice are too; they are set once by the agent skeleton
 * before any action runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <baton/log.h>

#include "util-internal.h"

static struct {
    char tag[128];
    bool to_stderr;
    bool to_syslog;
    bool syslog_open;
    int debug;                  /* -1: not yet read from HA_debug */
} log_state = {
    .tag = "baton",
    .to_stderr = true,
    .to_syslog = true,
    .debug = -1,
};

static const char *priority_name(int priority)
{
    switch (priority) {
    case LOG_EMERG:
    case LOG_ALERT:
    case LOG_CRIT:
        return "CRIT";
    case LOG_ERR:
        return "ERROR";
    case LOG_WARNING:
        return "WARNING";
    case LOG_NOTICE:
        return "NOTICE";
    case LOG_INFO:
        return "INFO";
    default:
        return "DEBUG";
    }
}

void baton_log_open(const char *agent, const char *resource)
{
    if (log_state.syslog_open) {
        closelog();
        log_state.syslog_open = false;
    }
    if (!baton__isempty(resource))
        snprintf(log_state.tag, sizeof(log_state.tag), "baton-%s(%s)", agent, resource);
    else
        snprintf(log_state.tag, sizeof(log_state.tag), "baton-%s", agent);
    log_state.debug = -1;
}

void baton_log_set_targets(bool to_stderr, bool to_syslog)
{
    log_state.to_stderr = to_stderr;
    log_state.to_syslog = to_syslog;
}

const char *baton_log_tag(void)
{
    return log_state.tag;
}

bool baton_log_debug_enabled(void)
{
    if (log_state.debug < 0) {
        /* Pacemaker exports HA_debug=1 (or a level) when debugging is on. */
        const char *v = getenv("HA_debug");

        log_state.debug = v && *v && strcmp(v, "0") != 0 && strcasecmp(v, "false") != 0 &&
                          strcasecmp(v, "no") != 0 && strcasecmp(v, "off") != 0;
    }
    return log_state.debug > 0;
}

void baton_logv(int priority, const char *fmt, va_list ap)
{
    char msg[2048];

    if (priority >= LOG_DEBUG && !baton_log_debug_enabled())
        return;

    vsnprintf(msg, sizeof(msg), fmt, ap);

    if (log_state.to_syslog) {
        if (!log_state.syslog_open) {
            /* LOG_DAEMON like Pacemaker's own daemons; no LOG_PID: the tag names the resource. */
            openlog(log_state.tag, LOG_NDELAY, LOG_DAEMON);
            log_state.syslog_open = true;
        }
        syslog(priority, "%s", msg);
    }
    if (log_state.to_stderr) {
        /*
         * The same shape as the shell agents' ocf_log, so that Pacemaker's
         * execd log lines look alike for every agent.
         */
        fprintf(stderr, "%s: %s: %s\n", log_state.tag, priority_name(priority), msg);
    }
}

void baton_log(int priority, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    baton_logv(priority, fmt, ap);
    va_end(ap);
}

void baton__log_last_words(int priority, const char *msg)
{
    if (log_state.to_stderr)
        (void) baton__write_line(STDERR_FILENO, "%s: %s: %s\n", log_state.tag, priority_name(priority), msg);
    /* after stderr: should syslog() block (a stalled journal), the reason is already out */
    if (log_state.to_syslog) {
        if (!log_state.syslog_open) {
            openlog(log_state.tag, LOG_NDELAY, LOG_DAEMON);
            log_state.syslog_open = true;
        }
        syslog(priority, "%s", msg);
    }
}
