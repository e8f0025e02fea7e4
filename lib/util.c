/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <baton/fileio.h>
#include <baton/log.h>

#include "baton/strutil.h"
#include "util-internal.h"

extern char **environ;

int baton_strv_push(char ***v, size_t *n, char *s)
{
    char **nv;

    if (!s)
        return -ENOMEM;
    if (*n > SIZE_MAX / sizeof(char *) - 2) {
        free(s);
        return -ENOMEM;
    }
    nv = realloc(*v, (*n + 2) * sizeof(char *));
    if (!nv) {
        free(s);
        return -ENOMEM;
    }
    nv[*n] = s;
    nv[*n + 1] = NULL;
    *v = nv;
    (*n)++;
    return 0;
}

void baton_strv_free(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

int baton_reason_invalid(char *reason, size_t len, const char *fmt, ...)
{
    va_list ap;

    if (reason && len) {
        va_start(ap, fmt);
        vsnprintf(reason, len, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

int baton_hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int baton_strv_split(const char *s, char ***ret, size_t *ret_n)
{
    char **v = calloc(1, sizeof(*v));
    size_t n = 0;

    if (!v)
        return -ENOMEM;
    while (s && *s) {
        size_t len;
        int r;

        s += strspn(s, " \t\n");
        len = strcspn(s, " \t\n");
        if (len == 0)
            break;
        r = baton_strv_push(&v, &n, strndup(s, len));
        if (r < 0) {
            baton_strv_free(v);
            return r;
        }
        s += len;
    }
    *ret = v;
    *ret_n = n;
    return 0;
}

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

/* Interface names are at most IFNAMSIZ - 1 bytes of this set (as ip(8) accepts them). */
static bool zone_valid(const char *z)
{
    size_t n = strlen(z);

    if (n == 0 || n >= IFNAMSIZ)
        return false;
    for (; *z; z++) {
        if (!isalnum((unsigned char) *z) && !strchr("._-", *z))
            return false;
    }
    return true;
}

bool baton_ip_address_valid(const char *s)
{
    unsigned char buf[sizeof(struct in6_addr)];
    char addr[INET6_ADDRSTRLEN];
    const char *pct;

    if (!s)
        return false;
    if (inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
        return true;
    pct = strchr(s, '%');
    if (!pct || (size_t) (pct - s) >= sizeof(addr))
        return false;
    memcpy(addr, s, (size_t) (pct - s));
    addr[pct - s] = '\0';
    return inet_pton(AF_INET6, addr, buf) == 1 && zone_valid(pct + 1);
}

/* One label of a host name: RFC 1123 section 2.1 (a leading digit is allowed). */
static bool label_valid(const char *p, size_t n)
{
    if (n == 0 || n > 63 || p[0] == '-' || p[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char) p[i]) && p[i] != '-')
            return false;
    }
    return true;
}

bool baton_host_name_valid(const char *s)
{
    size_t len, n = 0;
    const char *p, *last = NULL;
    bool digits_only = true;

    if (!s)
        return false;
    if (baton_ip_address_valid(s))
        return true;
    len = strlen(s);
    if (len > 0 && s[len - 1] == '.')
        len--;                              /* the root: "ntp.example.org." */
    if (len == 0 || len > 253)
        return false;
    for (p = s; p < s + len; p += n + 1) {
        n = strcspn(p, ".");
        if (p + n > s + len)
            n = (size_t) (s + len - p);
        if (!label_valid(p, n))
            return false;
        last = p;
    }
    /* A name that ends in a number reads as an (overflowing) IPv4 number. */
    for (p = last; p < last + n; p++)
        digits_only = digits_only && isdigit((unsigned char) *p);
    return !digits_only;
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

int baton__write_line(int fd, const char *fmt, ...)
{
    char line[2048];
    va_list ap;
    int len;

    va_start(ap, fmt);
    len = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (len < 0)
        return -EINVAL;
    /* cut, not dropped: the start of a reason says most of it */
    if ((size_t) len >= sizeof(line)) {
        len = sizeof(line) - 1;
        line[len - 1] = '\n';
    }
    return baton__write_all(fd, line, (size_t) len);
}
