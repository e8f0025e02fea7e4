/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The depth 20 monitor: is the service inside the guest answering? A TCP
 * connect, or an HTTP/1.0 GET whose status must be 2xx or 3xx, each bounded
 * by a timeout. Name resolution (getaddrinfo) is not bounded by it: use
 * addresses, or names from /etc/hosts.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <baton/cleanup.h>
#include <baton/deadline.h>

#include "vm.h"

int vm_parse_hostport(const char *s, char **ret_host, char **ret_port)
{
    const char *colon, *host = s;
    size_t hlen;
    char *h, *p;

    if (!s || !*s)
        return -EINVAL;
    if (*s == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':')
            return -EINVAL;
        host = s + 1;
        hlen = (size_t) (close - host);
        colon = close + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon || strchr(s, ':') != colon)
            return -EINVAL;
        hlen = (size_t) (colon - s);
    }
    if (hlen == 0 || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
        atoi(colon + 1) < 1 || atoi(colon + 1) > 65535 || strlen(colon + 1) > 5)
        return -EINVAL;
    h = strndup(host, hlen);
    p = strdup(colon + 1);
    if (!h || !p) {
        free(h);
        free(p);
        return -ENOMEM;
    }
    *ret_host = h;
    *ret_port = p;
    return 0;
}

int vm_parse_http_url(const char *url, char **ret_host, char **ret_port, char **ret_path)
{
    baton_autofree char *hostport = NULL, *host = NULL, *port = NULL, *path = NULL;
    const char *rest, *slash;
    size_t l;
    int r;

    if (!url || strncmp(url, "http://", 7) != 0)
        return -EINVAL;
    rest = url + 7;
    slash = strchr(rest, '/');
    hostport = slash ? strndup(rest, (size_t) (slash - rest)) : strdup(rest);
    path = strdup(slash ? slash : "/");
    if (!hostport || !path)
        return -ENOMEM;
    l = strlen(hostport);
    if (l == 0 || strpbrk(hostport, "@ \t\r\n") || strpbrk(path, " \t\r\n"))
        return -EINVAL;
    if (*hostport == '[' ? strstr(hostport, "]:") != NULL : strchr(hostport, ':') != NULL) {
        r = vm_parse_hostport(hostport, &host, &port);
        if (r < 0)
            return r;
    } else {
        if (*hostport == '[') {
            if (l < 3 || hostport[l - 1] != ']')
                return -EINVAL;
            host = strndup(hostport + 1, l - 2);
        } else {
            host = strdup(hostport);
        }
        port = strdup("80");
        if (!host || !port)
            return -ENOMEM;
    }
    *ret_host = baton_take_ptr(host);
    *ret_port = baton_take_ptr(port);
    *ret_path = baton_take_ptr(path);
    return 0;
}

int vm_http_status(const char *buf, size_t len)
{
    int status;

    /* "HTTP/1.x NNN ..." */
    if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ')
        return -EINVAL;
    if (buf[9] < '1' || buf[9] > '5' || buf[10] < '0' || buf[10] > '9' ||
        buf[11] < '0' || buf[11] > '9' || (len > 12 && buf[12] != ' ' && buf[12] != '\r'))
        return -EINVAL;
    status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    return status;
}

static void set_err(char **ret_err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **ret_err, const char *fmt, ...)
{
    va_list ap;

    free(*ret_err);
    va_start(ap, fmt);
    if (vasprintf(ret_err, fmt, ap) < 0)
        *ret_err = NULL;
    va_end(ap);
}

/* A connected socket within the deadline, or -errno with *ret_err. */
static int connect_bounded(const char *host, const char *port, baton_deadline d, char **ret_err)
{
    struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_ADDRCONFIG };
    struct addrinfo *res = NULL;
    int r, last = -ECONNREFUSED;

    r = getaddrinfo(host, port, &hints, &res);
    if (r != 0) {
        set_err(ret_err, "cannot resolve %s: %s", host, gai_strerror(r));
        return -EHOSTUNREACH;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        baton_autoclose int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                        ai->ai_protocol);
        if (fd < 0) {
            last = -errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
            struct pollfd pfd = { .fd = fd, .events = POLLOUT };
            int err = 0;
            socklen_t el = sizeof(err);

            if (errno != EINPROGRESS) {
                last = -errno;
                continue;
            }
            r = poll(&pfd, 1, baton_deadline_poll_timeout(d));
            if (r == 0) {
                last = -ETIMEDOUT;
                break;
            }
            if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0) {
                last = -errno;
                continue;
            }
            if (err) {
                last = -err;
                continue;
            }
        }
        freeaddrinfo(res);
        return baton_take_fd(fd);
    }
    freeaddrinfo(res);
    set_err(ret_err, "cannot connect to %s port %s", host, port);
    return last;
}

int vm_health_tcp(const char *hostport, int64_t timeout_ms, char **ret_err)
{
    baton_autofree char *host = NULL, *port = NULL, *err = NULL;
    baton_autoclose int fd = -1;
    int r;

    *ret_err = NULL;
    r = vm_parse_hostport(hostport, &host, &port);
    if (r < 0) {
        set_err(ret_err, "health_tcp '%s' is not host:port", hostport);
        return r;
    }
    fd = connect_bounded(host, port, baton_deadline_in(timeout_ms), &err);
    if (fd < 0) {
        set_err(ret_err, "%s: %s", err ? err : "connect", strerror(-fd));
        return fd;
    }
    return 0;
}

int vm_health_http(const char *url, int64_t timeout_ms, char **ret_err)
{
    baton_autofree char *host = NULL, *port = NULL, *path = NULL, *err = NULL, *req = NULL;
    baton_autoclose int fd = -1;
    baton_deadline d = baton_deadline_in(timeout_ms);
    char buf[256];
    size_t got = 0;
    int r, status;

    *ret_err = NULL;
    r = vm_parse_http_url(url, &host, &port, &path);
    if (r < 0) {
        set_err(ret_err, "health_url '%s' is not an http:// URL", url);
        return r;
    }
    fd = connect_bounded(host, port, d, &err);
    if (fd < 0) {
        set_err(ret_err, "%s: %s", err ? err : "connect", strerror(-fd));
        return fd;
    }
    r = asprintf(&req, "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: baton-vm\r\nConnection: close\r\n\r\n",
                 path, host);
    if (r < 0)
        return -ENOMEM;
    for (size_t off = 0; off < (size_t) r;) {
        struct pollfd pfd = { .fd = fd, .events = POLLOUT };
        ssize_t w;

        if (poll(&pfd, 1, baton_deadline_poll_timeout(d)) <= 0) {
            set_err(ret_err, "%s: no answer within the timeout", url);
            return -ETIMEDOUT;
        }
        w = send(fd, req + off, (size_t) r - off, MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN && errno != EINTR) {
            set_err(ret_err, "%s: %s", url, strerror(errno));
            return -EIO;
        }
        if (w > 0)
            off += (size_t) w;
    }
    /* the status line is all that is needed */
    while (got < sizeof(buf) - 1 && !memchr(buf, '\n', got)) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t n;

        if (poll(&pfd, 1, baton_deadline_poll_timeout(d)) <= 0) {
            set_err(ret_err, "%s: no answer within the timeout", url);
            return -ETIMEDOUT;
        }
        n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0)
            break;
        got += (size_t) n;
    }
    status = vm_http_status(buf, got);
    if (status < 0) {
        set_err(ret_err, "%s: not an HTTP answer", url);
        return -EPROTO;
    }
    if (status >= 400) {
        set_err(ret_err, "%s answered with status %d", url, status);
        return -EREMOTEIO;
    }
    return 0;
}
