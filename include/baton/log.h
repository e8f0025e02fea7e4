/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Logging to stderr and syslog with the tag "baton-<agent>(<resource>)".
 *
 * Messages at LOG_DEBUG are emitted only when HA_debug is set to a non-zero
 * value (as Pacemaker does for its own agents). Logging is process-wide by
 * nature (syslog is), so the state lives in the library, set once by
 * baton_log_open().
 */
#ifndef BATON_LOG_H
#define BATON_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <syslog.h>

/* Set the tag; resource may be NULL (then "baton-<agent>"). */
void baton_log_open(const char *agent, const char *resource);
/* Whether to copy messages to stderr (default: yes) and to syslog (default: yes). */
void baton_log_set_targets(bool to_stderr, bool to_syslog);
bool baton_log_debug_enabled(void);
const char *baton_log_tag(void);

void baton_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void baton_logv(int priority, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#define baton_debug(...) baton_log(LOG_DEBUG, __VA_ARGS__)
#define baton_info(...) baton_log(LOG_INFO, __VA_ARGS__)
#define baton_notice(...) baton_log(LOG_NOTICE, __VA_ARGS__)
#define baton_warn(...) baton_log(LOG_WARNING, __VA_ARGS__)
#define baton_err(...) baton_log(LOG_ERR, __VA_ARGS__)

#endif /* BATON_LOG_H */
