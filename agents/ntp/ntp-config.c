/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/strutil.h>

#include "ntp-config.h"

#define WORD_MAX 253

const char *ntp_role_str(ntp_role r)
{
    return r == NTP_ROLE_PROMOTED ? "promoted" : "unpromoted";
}

int ntp_role_parse(const char *s, ntp_role *ret)
{
    if (strcmp(s, "promoted") == 0)
        *ret = NTP_ROLE_PROMOTED;
    else if (strcmp(s, "unpromoted") == 0)
        *ret = NTP_ROLE_UNPROMOTED;
    else
        return -EINVAL;
    return 0;
}

bool ntp_word_ok(const char *s, bool subnet)
{
    static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:-_%";
    size_t len = strlen(s);

    if (len == 0 || len > WORD_MAX || s[0] == '-')
        return false;
    for (const char *p = s; *p; p++)
        if (!strchr(plain, *p) && !(subnet && *p == '/'))
            return false;
    return true;
}

/*
 * Every space-separated word of list is a host name or address (hosts) or
 * passes ntp_word_ok() (subnets for allow).
 */
static int check_list(const char *name, const char *list, bool hosts, char *reason, size_t len)
{
    char word[WORD_MAX + 2];
    const char *p = list;

    while (*(p += strspn(p, " \t"))) {
        size_t n = strcspn(p, " \t");

        if (n > WORD_MAX)
            return baton_reason_invalid(reason, len, "parameter '%s': a word is longer than %d characters", name, WORD_MAX);
        memcpy(word, p, n);
        word[n] = '\0';
        if (hosts ? !baton_host_name_valid(word) : !ntp_word_ok(word, true))
            return baton_reason_invalid(reason, len, "parameter '%s': '%s' is not a host name or address%s", name,
                        word, hosts ? " (RFC 1123 name, IPv4 or IPv6 address)" : " (or subnet)");
        p += n;
    }
    return 0;
}

static bool list_empty(const char *s)
{
    return !s || s[strspn(s, " \t")] == '\0';
}

/* "threshold limit": a number of seconds and a count of updates (-1: any). */
static bool makestep_ok(const char *s)
{
    double threshold;
    int limit, used = 0;

    return sscanf(s, "%lf %d%n", &threshold, &limit, &used) == 2 && s[used] == '\0' &&
           threshold > 0 && limit >= -1;
}

int ntp_config_check(const ntp_config *c, char *reason, size_t len)
{
    if (check_list("upstream_servers", c->upstream_servers, true, reason, len) < 0 ||
        check_list("allow", c->allow, false, reason, len) < 0)
        return -EINVAL;
    if (!list_empty(c->primary_address) && !baton_host_name_valid(c->primary_address))
        return baton_reason_invalid(reason, len, "parameter 'primary_address': '%s' is not one host name (RFC 1123) "
                    "or IPv4/IPv6 address", c->primary_address);
    if (!list_empty(c->bind_address) && !baton_ip_address_valid(c->bind_address))
        return baton_reason_invalid(reason, len, "parameter 'bind_address': '%s' is not an IPv4 or IPv6 address",
                    c->bind_address);
    if (list_empty(c->primary_address) && list_empty(c->upstream_servers))
        return baton_reason_invalid(reason, len, "set primary_address or upstream_servers: the unpromoted role "
                    "needs a source to follow");
    if (!list_empty(c->makestep) && !makestep_ok(c->makestep))
        return baton_reason_invalid(reason, len, "parameter 'makestep': '%s' is not \"<threshold seconds> <limit>\"",
                    c->makestep);
    return 0;
}

int ntp_config_fallback_stratum(const ntp_config *c, ntp_role role)
{
    int s = c->local_stratum;

    if (role == NTP_ROLE_UNPROMOTED)
        s += c->stratum_offset;
    return s > 15 ? 15 : s;
}

/* An in-memory FILE collects the text; any failed write shows in ferror(). */
static void put_list(FILE *f, const char *directive, const char *list, const char *options)
{
    const char *p = list ? list : "";

    while (*(p += strspn(p, " \t"))) {
        int n = (int) strcspn(p, " \t");

        fprintf(f, "%s %.*s%s\n", directive, n, p, options);
        p += n;
    }
}

char *ntp_config_render(const ntp_config *c, ntp_role role)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    bool failed;

    if (!f)
        return NULL;
    fprintf(f,
            "# Written by ocf:baton:ntp for the %s role; rewritten on every role change.\n"
            "pidfile %s/chronyd.pid\n"
            "driftfile %s/" NTP_DAEMON_SUBDIR "/chrony.drift\n"
            "dumpdir %s/" NTP_DAEMON_SUBDIR "\n"
            "# Commands only through the Unix socket (its directory is 0700): no UDP command port.\n"
            "cmdport 0\n"
            "bindcmdaddress %s/" NTP_DAEMON_SUBDIR "/chronyd.sock\n",
            ntp_role_str(role), c->dir, c->dir, c->dir, c->dir);
    fprintf(f, "port %d\n", c->port);
    if (!list_empty(c->bind_address))
        fprintf(f, "bindaddress %s\n", c->bind_address);
    put_list(f, "allow", c->allow, "");
    put_list(f, "server", c->upstream_servers, " iburst");
    if (role == NTP_ROLE_UNPROMOTED && !list_empty(c->primary_address))
        fprintf(f, "server %s port %d iburst minpoll %d maxpoll %d prefer\n", c->primary_address,
                c->primary_port, c->primary_poll, c->primary_poll);
    /* Without sources (or when none answers) serve the own clock, above any real server. */
    fprintf(f, "local stratum %d orphan\n", ntp_config_fallback_stratum(c, role));
    /* Never step the clock unless the admin asked for it: slewing only. */
    if (!list_empty(c->makestep))
        fprintf(f, "makestep %s\n", c->makestep);
    failed = ferror(f) != 0;
    if (fclose(f) != 0 || failed) {
        free(buf);
        return NULL;
    }
    return buf;
}
