/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Pacemaker passes each notification list as two space-separated variables,
 * ..._resource and ..._uname, paired by position. Either may be shorter
 * (Pacemaker pads with nothing), so entries keep NULL for what is missing.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/notify.h>
#include <baton/strutil.h>

#include "util-internal.h"

#define NOTIFY_PREFIX "OCF_RESKEY_CRM_meta_notify_"

/* Split on blanks into a NULL-terminated vector; *ret_n words. */
static void list_clear(baton_notify_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->entries[i].resource);
        free(l->entries[i].uname);
    }
    free(l->entries);
    l->entries = NULL;
    l->n = 0;
}

static const char *notify_var(char *const *envp, const char *list, const char *alias,
                              const char *suffix)
{
    char name[128];
    const char *v;

    snprintf(name, sizeof(name), NOTIFY_PREFIX "%s_%s", list, suffix);
    v = baton__env_get(envp, name);
    if (!v && alias) {
        snprintf(name, sizeof(name), NOTIFY_PREFIX "%s_%s", alias, suffix);
        v = baton__env_get(envp, name);
    }
    return v;
}

/* alias: the pre-2.1 name of the same list (master/slave), or NULL. */
static int list_parse(char *const *envp, const char *list, const char *alias,
                      baton_notify_list *ret)
{
    char **rsc = NULL, **uname = NULL;
    size_t n_rsc = 0, n_uname = 0, n;
    int r;

    r = baton_strv_split(notify_var(envp, list, alias, "resource"), &rsc, &n_rsc);
    if (r < 0)
        return r;
    r = baton_strv_split(notify_var(envp, list, alias, "uname"), &uname, &n_uname);
    if (r < 0)
        goto out;

    n = n_rsc > n_uname ? n_rsc : n_uname;
    if (n > 0) {
        ret->entries = calloc(n, sizeof(*ret->entries));
        if (!ret->entries) {
            r = -ENOMEM;
            goto out;
        }
        /* Ownership of the words moves into the entries. */
        for (size_t i = 0; i < n; i++) {
            ret->entries[i].resource = i < n_rsc ? rsc[i] : NULL;
            ret->entries[i].uname = i < n_uname ? uname[i] : NULL;
        }
        ret->n = n;
        n_rsc = n_uname = 0;
    }
    r = 0;
out:
    for (size_t i = 0; i < n_rsc; i++)
        free(rsc[i]);
    for (size_t i = 0; i < n_uname; i++)
        free(uname[i]);
    free(rsc);
    free(uname);
    return r;
}

baton_notify *baton_notify_free(baton_notify *n)
{
    if (!n)
        return NULL;
    free(n->operation);
    list_clear(&n->start);
    list_clear(&n->stop);
    list_clear(&n->active);
    list_clear(&n->inactive);
    list_clear(&n->promote);
    list_clear(&n->demote);
    list_clear(&n->promoted);
    list_clear(&n->unpromoted);
    list_clear(&n->all);
    free(n);
    return NULL;
}

int baton_notify_parse(char *const *envp, baton_notify **ret)
{
    baton_autoptr(baton_notify) n = NULL;
    const char *type = baton__env_get(envp, NOTIFY_PREFIX "type");
    const char *op = baton__env_get(envp, NOTIFY_PREFIX "operation");
    const struct {
        const char *name;
        const char *alias;
        size_t offset;
    } lists[] = {
        { "start", NULL, offsetof(baton_notify, start) },
        { "stop", NULL, offsetof(baton_notify, stop) },
        { "active", NULL, offsetof(baton_notify, active) },
        { "inactive", NULL, offsetof(baton_notify, inactive) },
        { "promote", NULL, offsetof(baton_notify, promote) },
        { "demote", NULL, offsetof(baton_notify, demote) },
        { "promoted", "master", offsetof(baton_notify, promoted) },
        { "unpromoted", "slave", offsetof(baton_notify, unpromoted) },
        { "all", NULL, offsetof(baton_notify, all) },
    };
    int r;

    if (!type || !op)
        return -EINVAL;

    n = calloc(1, sizeof(*n));
    if (!n)
        return -ENOMEM;
    if (strcmp(type, "pre") == 0)
        n->type = BATON_NOTIFY_PRE;
    else if (strcmp(type, "post") == 0)
        n->type = BATON_NOTIFY_POST;
    else
        n->type = BATON_NOTIFY_TYPE_UNKNOWN;
    n->operation = strdup(op);
    if (!n->operation)
        return -ENOMEM;

    for (size_t i = 0; i < BATON_ELEMENTSOF(lists); i++) {
        r = list_parse(envp, lists[i].name, lists[i].alias,
                       (baton_notify_list *) ((char *) n + lists[i].offset));
        if (r < 0)
            return r;
    }
    *ret = baton_take_ptr(n);
    return 0;
}

bool baton_notify_list_has_uname(const baton_notify_list *l, const char *uname)
{
    for (size_t i = 0; i < l->n; i++) {
        if (baton__streq(l->entries[i].uname, uname))
            return true;
    }
    return false;
}
