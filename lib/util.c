/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <baton/fileio.h>
#include <baton/log.h>

#include "baton/strutil.h"
#include "util-internal.h"

extern char **environ;

char *baton__vasprintf(const char *fmt, va_list ap)
{
    char *s = NULL;

    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    return s;
}

char *baton_strdup_printf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = baton__vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

const char *baton__env_get(char *const *envp, const char *name)
{
    size_t n = strlen(name);

    if (!envp)
        envp = environ;
    for (; *envp; envp++) {
        if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
            return *envp + n + 1;
    }
    return NULL;
}

/*
 * The test suite must point installed agents at fake cluster tools and
 * private run directories. A variable alone must not do that to a production
 * agent running as root: the override counts only while the suite's marker
 * exists, a root-owned regular file that no package creates, and never in a
 * process whose environment cannot be trusted (secure_getenv).
 */
static bool test_env_allowed;

void baton__test_env_allow(bool allow)
{
    test_env_allowed = allow;
}

const char *baton__test_env(const char *name)
{
    const char *v = secure_getenv(name);
    struct stat st;

    if (baton__isempty(v))
        return NULL;
    if (test_env_allowed)
        return v;
    if (lstat(BATON__TEST_MARKER, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != 0) {
        baton_warn("%s is set but %s does not exist: ignored outside baton's test suite",
                   name, BATON__TEST_MARKER);
        return NULL;
    }
    baton_debug("test suite override %s=%s", name, v);
    return v;
}

const char *baton_run_dir(void)
{
    const char *d = baton__test_env("BATON_RUN_DIR");

    return d ? d : BATON_RUN_DIR;
}

int baton__write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t k = write(fd, p, len);

        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        p += k;
        len -= (size_t) k;
    }
    return 0;
}
