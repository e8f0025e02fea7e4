/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What `chronyc -c tracking` and `chronyc -c -n sources` print (chrony 4.x,
 * one CSV record per line), parsed into plain values. Pure, for the unit
 * tests: the agent runs chronyc and hands the text over.
 */
#ifndef NTP_CHRONY_H
#define NTP_CHRONY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NTP_NAME_MAX 256

typedef enum ntp_leap {
    NTP_LEAP_NORMAL = 0,
    NTP_LEAP_INSERT,
    NTP_LEAP_DELETE,
    NTP_LEAP_UNSYNC,            /* "Not synchronised" */
} ntp_leap;

const char *ntp_leap_str(ntp_leap l);

/* The fields of `chronyc -c tracking` the agent judges by. */
typedef struct ntp_tracking {
    uint32_t ref_id;            /* 0x7F7F0101 when serving the local clock */
    char ref_name[NTP_NAME_MAX];
    int stratum;
    double offset_s;            /* field 5: system time offset */
    double root_delay_s;
    double root_dispersion_s;
    ntp_leap leap;
} ntp_tracking;

/* chrony's reference id of its own `local` clock (127.127.1.1). */
#define NTP_REFID_LOCAL 0x7F7F0101u

/* One line of `chronyc -c -n sources`. */
typedef struct ntp_source {
    char mode;                  /* '^' server, '=' peer, '#' refclock */
    char state;                 /* '*' selected, '+', '-', '?', 'x', '~' */
    char address[NTP_NAME_MAX];
    int stratum;
    int poll;                   /* log2 seconds */
    unsigned reach;             /* the register, given in octal */
    int64_t last_rx_s;          /* -1 when there was no sample yet */
    double offset_s;
} ntp_source;

/* 0, or -EINVAL when the text is not one tracking record. */
int ntp_tracking_parse(const char *csv, ntp_tracking *ret);
/*
 * Every line; an empty text is no sources (a `local`-only server).
 * 0 or -EINVAL (malformed, *ret untouched) / -ENOMEM.
 */
int ntp_sources_parse(const char *csv, ntp_source **ret, size_t *ret_n);

#endif /* NTP_CHRONY_H */
