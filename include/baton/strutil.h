/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The string helpers every agent ends up writing: formatting into a new
 * string (paths, URIs, attribute names), plain equality, and string vectors.
 */
#ifndef BATON_STRUTIL_H
#define BATON_STRUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* printf into a newly allocated string (free() it); NULL when out of memory. */
char *baton_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * An IPv4 or IPv6 address in its usual text form (inet_pton); an IPv6
 * address may carry a zone ("fe80::1%eth0"). Nothing else: no "1.2.3", no
 * hex or octal forms, no blanks.
 */
bool baton_ip_address_valid(const char *s);

/*
 * A host name (RFC 1123: dot-separated labels of letters, digits and '-',
 * 1-63 bytes each, not starting or ending with '-', 253 bytes at most, one
 * trailing dot allowed) whose last label is not all digits (which resolvers
 * read as a number: "18446744073709551616", "1.2.3"), or an address
 * (baton_ip_address_valid). Whatever passes can go into a configuration
 * file or an argument without quoting and never starts with '-'.
 */
bool baton_host_name_valid(const char *s);

/*
 * String vectors: a NULL-terminated array of strings (an argv), the array
 * and every string allocated. baton_strv_push appends s and takes it over
 * (freed when the array cannot grow; NULL, as from a failed strdup, is
 * -ENOMEM): *n counts the entries, *v stays NULL-terminated. 0 or -ENOMEM.
 */
int baton_strv_push(char ***v, size_t *n, char *s);
/* Free the strings and the array; accepts NULL. */
void baton_strv_free(char **v);
/*
 * The words of s, split at blanks (space, tab, newline), as a string vector:
 * no quoting and no escapes (lists such as Pacemaker's notify variables,
 * words handed to a daemon without a shell). s NULL or without words: an
 * empty vector, not NULL. 0 or -ENOMEM.
 */
int baton_strv_split(const char *s, char ***ret, size_t *ret_n);

/*
 * For a check that explains a refusal in its caller's buffer: the printf-
 * formatted reason into reason[len] (nothing when reason is NULL or len 0),
 * and -EINVAL to return.
 */
int baton_reason_invalid(char *reason, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The value of one hexadecimal digit (either case), or -1. */
int baton_hex_digit(char c);

static inline bool baton_streq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

#endif /* BATON_STRUTIL_H */
