/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ntp-chrony.h"

#define TRACKING_FIELDS 14
#define SOURCES_FIELDS 10
#define FIELDS_MAX 16

const char *ntp_leap_str(ntp_leap l)
{
    switch (l) {
    case NTP_LEAP_NORMAL: return "Normal";
    case NTP_LEAP_INSERT: return "Insert second";
    case NTP_LEAP_DELETE: return "Delete second";
    case NTP_LEAP_UNSYNC: return "Not synchronised";
    }
    return "?";
}

/*
 * Split one line (without its newline) in place at commas. No field can
 * hold a comma: chronyc prints addresses, names and numbers only.
 */
static size_t split_fields(char *line, char **fields, size_t max)
{
    size_t n = 0;
    char *p = line;

    for (;;) {
        char *c = strchr(p, ',');

        if (n == max)
            return max + 1;
        fields[n++] = p;
        if (!c)
            return n;
        *c = '\0';
        p = c + 1;
    }
}

static int parse_long(const char *s, int base, long min, long max, long *ret)
{
    char *end;
    long v;

    if (!*s)
        return -EINVAL;
    errno = 0;
    v = strtol(s, &end, base);
    if (errno || *end || v < min || v > max)
        return -EINVAL;
    *ret = v;
    return 0;
}

static int parse_double(const char *s, double *ret)
{
    char *end;
    double v;

    if (!*s)
        return -EINVAL;
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -EINVAL;
    *ret = v;
    return 0;
}

static int copy_name(const char *s, char *dst)
{
    size_t len = strlen(s);

    if (len >= NTP_NAME_MAX)
        return -EINVAL;
    memcpy(dst, s, len + 1);
    return 0;
}

static int parse_leap(const char *s, ntp_leap *ret)
{
    for (ntp_leap l = NTP_LEAP_NORMAL; l <= NTP_LEAP_UNSYNC; l++)
        if (strcmp(s, ntp_leap_str(l)) == 0) {
            *ret = l;
            return 0;
        }
    return -EINVAL;
}

/* A copy of the first line, without its line end. */
static char *first_line(const char *text, const char **ret_rest)
{
    size_t len = strcspn(text, "\r\n");
    char *line = strndup(text, len);

    *ret_rest = text + len + strspn(text + len, "\r\n");
    return line;
}

int ntp_tracking_parse(const char *csv, ntp_tracking *ret)
{
    char *f[FIELDS_MAX];
    const char *rest;
    ntp_tracking t = { 0 };
    long v;
    char *line;
    int r = -EINVAL;

    if (!csv)
        return -EINVAL;
    line = first_line(csv, &rest);
    if (!line)
        return -ENOMEM;
    if (*rest || split_fields(line, f, FIELDS_MAX) != TRACKING_FIELDS)
        goto out;
    if (parse_long(f[0], 16, 0, 0xFFFFFFFFL, &v) < 0)
        goto out;
    t.ref_id = (uint32_t) v;
    if (copy_name(f[1], t.ref_name) < 0 || parse_long(f[2], 10, 0, 16, &v) < 0)
        goto out;
    t.stratum = (int) v;
    if (parse_double(f[4], &t.offset_s) < 0 || parse_double(f[10], &t.root_delay_s) < 0 ||
        parse_double(f[11], &t.root_dispersion_s) < 0 || parse_leap(f[13], &t.leap) < 0)
        goto out;
    *ret = t;
    r = 0;
out:
    free(line);
    return r;
}

static int parse_source(char *line, ntp_source *s)
{
    char *f[FIELDS_MAX];
    long v;

    memset(s, 0, sizeof(*s));
    if (split_fields(line, f, FIELDS_MAX) != SOURCES_FIELDS)
        return -EINVAL;
    if (strlen(f[0]) != 1 || !strchr("^=#", f[0][0]) || strlen(f[1]) != 1 ||
        !strchr("*+-?x~", f[1][0]))
        return -EINVAL;
    s->mode = f[0][0];
    s->state = f[1][0];
    if (copy_name(f[2], s->address) < 0 || parse_long(f[3], 10, 0, 16, &v) < 0)
        return -EINVAL;
    s->stratum = (int) v;
    if (parse_long(f[4], 10, -32, 32, &v) < 0)
        return -EINVAL;
    s->poll = (int) v;
    if (parse_long(f[5], 8, 0, 0377, &v) < 0)
        return -EINVAL;
    s->reach = (unsigned) v;
    /* A source never heard from shows 4294967295 (chronyc's "-" in its table). */
    if (strcmp(f[6], "-") == 0)
        s->last_rx_s = -1;
    else if (parse_long(f[6], 10, 0, 0xFFFFFFFFL, &v) < 0)
        return -EINVAL;
    else
        s->last_rx_s = v == 0xFFFFFFFFL ? -1 : v;
    return parse_double(f[7], &s->offset_s);
}

int ntp_sources_parse(const char *csv, ntp_source **ret, size_t *ret_n)
{
    ntp_source *list = NULL;
    size_t n = 0;
    const char *p = csv ? csv : "";

    p += strspn(p, "\r\n");
    while (*p) {
        ntp_source *grown;
        char *line = first_line(p, &p);
        int r;

        if (!line) {
            free(list);
            return -ENOMEM;
        }
        grown = realloc(list, (n + 1) * sizeof(*list));
        if (!grown) {
            free(line);
            free(list);
            return -ENOMEM;
        }
        list = grown;
        r = parse_source(line, &list[n]);
        free(line);
        if (r < 0) {
            free(list);
            return r;
        }
        n++;
    }
    *ret = list;
    *ret_n = n;
    return 0;
}
