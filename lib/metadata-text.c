/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Agent metadata at build time: the whitespace of the source's descriptions
 * normalised (pure string functions, for metadata-parse.c). What the author
 * wrote stays; what only reflects where it sits in the XML file goes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "metadata-source.h"

static bool is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* One line: every run of whitespace becomes one space, none at the ends. */
char *md_text_collapse(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    char *o = out;
    bool pending_space = false;

    if (!out)
        return NULL;
    for (; *s; s++) {
        if (is_blank_char(*s)) {
            pending_space = o != out;
            continue;
        }
        if (pending_space)
            *o++ = ' ';
        pending_space = false;
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

static size_t line_indent(const char *line, size_t len)
{
    size_t i = 0;

    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    return i;
}

/*
 * A long description as the author wrote it, minus the indentation that
 * only reflects where it sits in the XML file: the first line loses its
 * leading blanks, the others their common indentation; trailing blanks,
 * leading/trailing empty lines and repeated empty lines go.
 */
char *md_text_dedent(const char *s)
{
    size_t margin = SIZE_MAX;
    bool first = true;
    char *out, *o;
    int blank_run = 0;

    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        size_t ind = line_indent(p, len);

        if (!first && ind < len && ind < margin)
            margin = ind;
        first = false;
        p += len + (nl ? 1 : 0);
    }
    if (margin == SIZE_MAX)
        margin = 0;

    out = malloc(strlen(s) + 1);
    if (!out)
        return NULL;
    o = out;
    first = true;
    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        size_t start = first ? line_indent(p, len) : (margin < len ? margin : len);
        size_t end = len;

        while (end > start && is_blank_char(p[end - 1]))
            end--;
        if (end == start) {
            if (o != out)
                blank_run++;
        } else {
            if (o != out)
                *o++ = '\n';
            if (blank_run > 0)
                *o++ = '\n';
            blank_run = 0;
            memcpy(o, p + start, end - start);
            o += end - start;
        }
        first = false;
        p += len + (nl ? 1 : 0);
    }
    *o = '\0';
    return out;
}
