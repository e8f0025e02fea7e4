/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small helpers shared by the library's files. Not installed; names carry a
 * double underscore so the shared library does not export them.
 */
#ifndef BATON_UTIL_INTERNAL_H
#define BATON_UTIL_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <baton/cleanup.h>
#include <baton/strutil.h>

#define BATON_ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static inline bool baton__streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static inline bool baton__isempty(const char *s)
{
    return !s || !*s;
}

/* printf into a new string; NULL on allocation failure. */
char *baton__vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* getenv() over an explicit array (NULL: this process's environment). */
const char *baton__env_get(char *const *envp, const char *name);

/*
 * A test suite's override of a built-in path: the variable's value while
 * BATON__TEST_MARKER exists (tests/integration/lib/test-hooks.bash makes it),
 * NULL otherwise.
 */
#define BATON__TEST_MARKER "/run/baton-test-hooks"
const char *baton__test_env(const char *name);
/* A unit test linked to the internal library takes the overrides without the marker. */
void baton__test_env_allow(bool allow);

/*
 * The milliseconds of a duration's unit ("ms", "s", "m", "min", "h"): what
 * baton_parse_duration_ms accepts after the number (in any case), and what
 * metadata may give as a parameter's unit (as written). 0 or -EINVAL.
 */
int baton__duration_unit_ms(const char *unit, bool any_case, int64_t *ret);

/* Write all of buf, retrying on EINTR and short writes. 0 or -errno. */
int baton__write_all(int fd, const void *buf, size_t len);

/*
 * printf into a stack buffer, then baton__write_all: no stdio, no allocation.
 * A line longer than 2 KiB is cut (ending in a newline if fmt does). 0 or -errno.
 */
int baton__write_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Log msg at priority just before the process ends (the watchdog): to stderr
 * with write(2), never through stdio, whose lock a hung thread may hold.
 */
void baton__log_last_words(int priority, const char *msg);

#endif /* BATON_UTIL_INTERNAL_H */
