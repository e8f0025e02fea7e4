/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Option values as pacemaker-fenced hands them over: key=value lines on
 * stdin. The store does not know the parameter table; it only keeps the
 * last value per normalised key and wipes every value when freed, since
 * one of them is usually a password.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stonith-internal.h"

typedef struct opt_entry {
    char *key;
    char *value;
} opt_entry;

struct baton__fence_opts {
    opt_entry *v;
    size_t n;
};

void baton__wipe(void *p, size_t len)
{
    if (p)
        explicit_bzero(p, len);
}

void baton__wipe_string(char *s)
{
    if (s)
        explicit_bzero(s, strlen(s));
}

void baton__fence_key_normalize(char *key)
{
    for (; *key; key++)
        if (*key == '-')
            *key = '_';
}

baton__fence_opts *baton__fence_opts_new(void)
{
    return calloc(1, sizeof(baton__fence_opts));
}

static void entry_clear(opt_entry *e)
{
    free(e->key);
    baton__wipe_string(e->value);
    free(e->value);
    e->key = e->value = NULL;
}

baton__fence_opts *baton__fence_opts_free(baton__fence_opts *o)
{
    if (!o)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        entry_clear(&o->v[i]);
    free(o->v);
    free(o);
    return NULL;
}

static opt_entry *opts_find(const baton__fence_opts *o, const char *key)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->v[i].key, key) == 0)
            return &o->v[i];
    return NULL;
}

int baton__fence_opts_set_take(baton__fence_opts *o, const char *key, char *value)
{
    baton_autofree char *k = strdup(key);
    opt_entry *e, *nv;

    if (!k) {
        baton__wipe_string(value);
        free(value);
        return -ENOMEM;
    }
    baton__fence_key_normalize(k);
    e = opts_find(o, k);
    if (e) {
        baton__wipe_string(e->value);
        free(e->value);
        e->value = value;
        return 0;
    }
    nv = realloc(o->v, (o->n + 1) * sizeof(*o->v));
    if (!nv) {
        baton__wipe_string(value);
        free(value);
        return -ENOMEM;
    }
    o->v = nv;
    o->v[o->n++] = (opt_entry) { .key = baton_take_ptr(k), .value = value };
    return 0;
}

int baton__fence_opts_set(baton__fence_opts *o, const char *key, const char *value)
{
    char *v = strdup(value);

    if (!v)
        return -ENOMEM;
    return baton__fence_opts_set_take(o, key, v);
}

const char *baton__fence_opts_get(const baton__fence_opts *o, const char *key)
{
    const opt_entry *e = opts_find(o, key);

    return e ? e->value : NULL;
}

size_t baton__fence_opts_count(const baton__fence_opts *o)
{
    return o->n;
}

const char *baton__fence_opts_key(const baton__fence_opts *o, size_t i)
{
    return i < o->n ? o->v[i].key : NULL;
}

void baton__fence_opts_unset(baton__fence_opts *o, const char *key)
{
    opt_entry *e = opts_find(o, key);

    if (!e)
        return;
    entry_clear(e);
    *e = o->v[--o->n];
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* [*s, *e) without surrounding blanks. */
static void trim(const char **s, const char **e)
{
    while (*s < *e && is_blank(**s))
        (*s)++;
    while (*e > *s && is_blank((*e)[-1]))
        (*e)--;
}

static int parse_line(baton__fence_opts *o, const char *s, const char *e)
{
    const char *eq, *ks, *ke, *vs, *ve;
    char *key, *value;
    int r;

    trim(&s, &e);
    if (s == e || *s == '#')
        return 0;
    eq = memchr(s, '=', (size_t) (e - s));
    if (!eq)
        return 0;
    ks = s;
    ke = eq;
    vs = eq + 1;
    ve = e;
    trim(&ks, &ke);
    trim(&vs, &ve);
    if (ks == ke)
        return 0;
    /* fencing.py strips one pair of matching quotes; configurations rely on it. */
    if (ve - vs >= 2 && (*vs == '"' || *vs == '\'') && ve[-1] == *vs) {
        vs++;
        ve--;
    }
    key = strndup(ks, (size_t) (ke - ks));
    if (!key)
        return -ENOMEM;
    value = strndup(vs, (size_t) (ve - vs));
    if (!value) {
        free(key);
        return -ENOMEM;
    }
    r = baton__fence_opts_set_take(o, key, value);
    free(key);
    return r;
}

int baton__fence_opts_parse_stdin(baton__fence_opts *o, const char *buf, size_t len)
{
    const char *p = buf, *end = buf + len;

    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t) (end - p));
        const char *le = nl ? nl : end;
        int r;

        /* A NUL ends the input: nothing sane follows it. */
        const char *z = memchr(p, '\0', (size_t) (le - p));

        if (z)
            return parse_line(o, p, z);
        r = parse_line(o, p, le);
        if (r < 0)
            return r;
        p = nl ? nl + 1 : end;
    }
    return 0;
}
