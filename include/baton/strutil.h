/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The two string helpers every agent ends up writing: formatting into a new
 * string (paths, URIs, attribute names) and plain equality.
 */
#ifndef BATON_STRUTIL_H
#define BATON_STRUTIL_H

#include <stdbool.h>
#include <string.h>

/* printf into a newly allocated string (free() it); NULL when out of memory. */
char *baton_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline bool baton_streq(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

#endif /* BATON_STRUTIL_H */
