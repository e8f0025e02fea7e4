/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What ocf:baton:ldap decides, without I/O, to stand in for
 * ocf:heartbeat:slapd: whether the resource has roles at all, which extra
 * slapd arguments (parameters) it may pass, and which suffixes monitor
 * checks (watch_suffix, ignore_suffix).
 */
#ifndef BATON_LDAP_SLAPD_ARGS_H
#define BATON_LDAP_SLAPD_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include <baton/strutil.h>

/*
 * Whether the resource is a promotable clone, from its meta attributes as
 * Pacemaker passes them (OCF_RESKEY_CRM_meta_<name>, NULL when absent), by
 * the rule of resource-agents' ocf_is_ms: promotable is true (Pacemaker 2
 * and later, also for a configuration written with the old master tag), or
 * master_max is a number above 0 (a Pacemaker 1.1 master/slave resource).
 * Anything else (a primitive, a plain clone, an agent run by hand) has no
 * roles.
 */
bool ldap_promotable_from_meta(const char *promotable, const char *master_max);

/*
 * Split the parameter 'parameters' into slapd arguments and check them.
 * Words are separated by blanks, as the unquoted shell expansion in
 * ocf:heartbeat:slapd splits them; quotes and backslashes are refused (no
 * shell here to interpret them, and passing them literally would not mean
 * what they meant there). The words are read as slapd's getopt() reads them
 * ("-46", "-sDEBUG", "-s DEBUG"); refused: the options the agent sets from
 * a parameter (-f/-F config, -h services, -u user, -g group), those that
 * would not leave a daemon serving (-d stays in the foreground, -t/-T are
 * tool modes, -V prints the version and -VV exits), -r (a chroot moves the
 * pid file and config paths the agent reads), unknown options and words
 * that are not options. Returns 0 with ret_argv (NULL terminated, free with
 * baton_strv_free) and ret_n; -EINVAL with a reason naming what to use
 * instead; -ENOMEM.
 */
int ldap_slapd_args_parse(const char *s, char ***ret_argv, size_t *ret_n, char *reason,
                          size_t reason_size);

/*
 * The values of attr in an LDIF text (a slapd.d entry), lines unfolded
 * (a line starting with one space continues the previous one). Base64
 * values ("attr:: ...") are skipped: slapd writes suffixes as plain text.
 * Returns the count, or -ENOMEM; *ret is NULL terminated (baton_strv_free).
 */
int ldap_ldif_values(const char *text, const char *attr, char ***ret);

/* Whether dn is one of the blank-separated DNs of list (case-insensitive). */
bool ldap_dn_in_list(const char *dn, const char *list);

/*
 * The suffixes monitor searches, as ocf:heartbeat:slapd chooses them: the
 * databases' suffixes of the configuration (have, n of them) that are in
 * watch when watch is not empty (ignore is then not looked at), else those
 * not in ignore. With suffix set (the database the promotable clone
 * replicates) and watch empty, suffix alone stands for the configuration's
 * databases. Pointers into have (or suffix) go to out (room for n + 1);
 * returns how many.
 */
size_t ldap_suffixes_to_check(const char *const *have, size_t n, const char *suffix,
                              const char *watch, const char *ignore, const char **out);

#endif /* BATON_LDAP_SLAPD_ARGS_H */
