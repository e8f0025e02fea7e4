/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The agent's parameters as plain values, their checks beyond the metadata,
 * and the chrony.conf each role gets. Pure, for the unit tests.
 */
#ifndef NTP_CONFIG_H
#define NTP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum ntp_role {
    NTP_ROLE_UNPROMOTED = 0,
    NTP_ROLE_PROMOTED,
} ntp_role;

const char *ntp_role_str(ntp_role r);
/* "promoted"/"unpromoted" as written in the role file; -EINVAL otherwise. */
int ntp_role_parse(const char *s, ntp_role *ret);

/* chronyd's own directory in the instance's (socket, drift and dump files). */
#define NTP_DAEMON_SUBDIR "chronyd"

typedef struct ntp_config {
    const char *dir;                /* the instance's state directory */
    const char *upstream_servers;   /* space-separated; "" none */
    const char *primary_address;    /* "" none */
    int primary_port;
    int primary_poll;               /* log2 s: minpoll = maxpoll of the primary */
    int port;                       /* NTP port served */
    const char *bind_address;       /* "" all */
    const char *allow;              /* space-separated subnets or "all"; "" serve nobody */
    int local_stratum;              /* promoted role's fallback */
    int stratum_offset;             /* unpromoted: local_stratum + offset */
    const char *makestep;           /* "" never step */
} ntp_config;

/*
 * Whether s may go into chrony.conf as one word: host names, IPv4/IPv6
 * addresses (with %zone), and with subnet also a /prefix. Rejects
 * anything that could start another directive.
 */
bool ntp_word_ok(const char *s, bool subnet);

/* 0, or -EINVAL with a reason naming the parameter. */
int ntp_config_check(const ntp_config *c, char *reason, size_t reason_len);

/* The unpromoted role's stratum when it serves its own clock (at most 15). */
int ntp_config_fallback_stratum(const ntp_config *c, ntp_role role);

/* chrony.conf for the role, newly allocated; NULL when out of memory. */
char *ntp_config_render(const ntp_config *c, ntp_role role);

#endif /* NTP_CONFIG_H */
