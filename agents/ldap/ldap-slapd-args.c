/* SPDX-License-Identifier: GPL-2.0-or-later */
/* See ldap-slapd-args.h. No I/O: unit-tested in tests/unit/test-ldap-slapd-args.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <baton.h>

#include "ldap-slapd-args.h"

#define BLANKS " \t\n"

bool ldap_promotable_from_meta(const char *promotable, const char *master_max)
{
    bool v = false;
    int64_t n = 0;

    if (promotable && baton_parse_bool(promotable, &v) == 0 && v)
        return true;
    return master_max && baton_parse_int64(master_max, &n) == 0 && n > 0;
}

/*
 * slapd's own options (its getopt string, OpenLDAP 2.4 to 2.6), each with
 * whether it takes a value and, for those the agent refuses, why and what
 * to use instead.
 */
typedef struct slapd_opt {
    char letter;
    bool has_value;
    const char *refused;            /* NULL: passed on */
} slapd_opt;

static const slapd_opt slapd_opts[] = {
    { '4', false, NULL },
    { '6', false, NULL },
    { 'c', true, NULL },
    { 'l', true, NULL },
    { 'n', true, NULL },
    { 'o', true, NULL },
    { 's', true, NULL },
    { 'S', true, NULL },
    { 'f', true, "the agent sets the configuration: use the parameter 'config' (a slapd.d directory)" },
    { 'F', true, "the agent sets the configuration directory: use the parameter 'config'" },
    { 'h', true, "the agent sets the URLs to serve: use the parameter 'services'" },
    { 'u', true, "the agent sets the user: use the parameter 'user'" },
    { 'g', true, "the agent sets the group: use the parameter 'group'" },
    { 'd', true, "slapd -d stays in the foreground and start would wait for it: set olcLogLevel "
                 "in cn=config, or use -s for the syslog level" },
    { 't', false, "slapd -t only tests the configuration: not a service option" },
    { 'T', true, "slapd -T runs a tool (slapadd, slapcat...): not a service option" },
    { 'V', false, "slapd -V prints its version (-VV exits): not a service option" },
    { 'r', true, "a chroot (-r) moves the pid file and configuration paths the agent reads: "
                 "not supported" },
};

static const slapd_opt *slapd_opt_of(char c)
{
    for (size_t i = 0; i < sizeof(slapd_opts) / sizeof(slapd_opts[0]); i++)
        if (slapd_opts[i].letter == c)
            return &slapd_opts[i];
    return NULL;
}

/* Check the words as slapd's getopt() reads them; 0 or -EINVAL with the reason. */
static int slapd_args_check(char *const *argv, size_t n, char *reason, size_t size)
{
    for (size_t i = 0; i < n; i++) {
        const char *w = argv[i];

        if (w[0] != '-' || w[1] == '\0' || baton_streq(w, "--")) {
            snprintf(reason, size, "parameter 'parameters': '%s' is not a slapd option", w);
            return -EINVAL;
        }
        for (const char *p = w + 1; *p; p++) {
            const slapd_opt *o = slapd_opt_of(*p);

            if (!o) {
                snprintf(reason, size, "parameter 'parameters': slapd has no option -%c", *p);
                return -EINVAL;
            }
            if (o->refused) {
                snprintf(reason, size, "parameter 'parameters': -%c is refused: %s", *p, o->refused);
                return -EINVAL;
            }
            if (!o->has_value)
                continue;
            /* The rest of the word is the value ("-sDEBUG"), else the next word. */
            if (p[1] == '\0' && ++i >= n) {
                snprintf(reason, size, "parameter 'parameters': -%c needs a value", *p);
                return -EINVAL;
            }
            break;
        }
    }
    return 0;
}

int ldap_slapd_args_parse(const char *s, char ***ret_argv, size_t *ret_n, char *reason,
                          size_t reason_size)
{
    char **argv = NULL;
    size_t n = 0;
    int r;

    reason[0] = '\0';
    for (const char *p = s ? s : ""; *p; p++) {
        if (*p == '"' || *p == '\'' || *p == '\\' || ((unsigned char) *p < 0x20 && !strchr(BLANKS, *p))) {
            snprintf(reason, reason_size, "parameter 'parameters': quotes, backslashes and control "
                     "characters are refused (the words are split at blanks, with no shell)");
            return -EINVAL;
        }
    }
    r = baton_strv_split(s, &argv, &n);
    if (r < 0)
        return r;
    r = slapd_args_check(argv, n, reason, reason_size);
    if (r < 0) {
        baton_strv_free(argv);
        return r;
    }
    *ret_argv = argv;
    *ret_n = n;
    return 0;
}

int ldap_ldif_values(const char *text, const char *attr, char ***ret)
{
    size_t alen = strlen(attr), n = 0;
    char **v = calloc(1, sizeof(char *));

    if (!v)
        return -ENOMEM;
    for (const char *line = text; line && *line;) {
        const char *end = line + strcspn(line, "\n");
        const char *next = *end ? end + 1 : end;

        if (strncasecmp(line, attr, alen) == 0 && line[alen] == ':' && line[alen + 1] != ':') {
            const char *val = line + alen + 1 + strspn(line + alen + 1, " ");
            char *s = strndup(val, (size_t) (end - val));

            /* Continuation lines: one leading space, dropped. */
            while (s && *next == ' ') {
                const char *cend = next + strcspn(next, "\n");
                size_t old = strlen(s), add = (size_t) (cend - next - 1);
                char *t = realloc(s, old + add + 1);

                if (!t) {
                    free(s);
                    s = NULL;
                    break;
                }
                s = t;
                memcpy(s + old, next + 1, add);
                s[old + add] = '\0';
                next = *cend ? cend + 1 : cend;
            }
            if (s)
                s[strcspn(s, "\r")] = '\0';
            if (!s || baton_strv_push(&v, &n, s) < 0) {
                baton_strv_free(v);
                return -ENOMEM;
            }
        }
        line = next;
    }
    *ret = v;
    return (int) n;
}

bool ldap_dn_in_list(const char *dn, const char *list)
{
    size_t dlen = strlen(dn);

    for (const char *p = list ? list : ""; *p;) {
        size_t len;

        p += strspn(p, BLANKS);
        len = strcspn(p, BLANKS);
        if (len && len == dlen && strncasecmp(p, dn, len) == 0)
            return true;
        p += len;
    }
    return false;
}

static bool list_empty(const char *list)
{
    return !list || list[strspn(list, BLANKS)] == '\0';
}

size_t ldap_suffixes_to_check(const char *const *have, size_t n, const char *suffix,
                              const char *watch, const char *ignore, const char **out)
{
    size_t k = 0;

    if (list_empty(watch) && suffix && *suffix) {
        if (!ldap_dn_in_list(suffix, ignore))
            out[k++] = suffix;
        return k;
    }
    for (size_t i = 0; i < n; i++) {
        bool take = list_empty(watch) ? !ldap_dn_in_list(have[i], ignore)
                                      : ldap_dn_in_list(have[i], watch);

        if (take)
            out[k++] = have[i];
    }
    return k;
}
