/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Clone notification variables (OCF_RESKEY_CRM_meta_notify_*), parsed into
 * lists of (resource instance, node name) pairs.
 */
#ifndef BATON_NOTIFY_H
#define BATON_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>

#include <baton/cleanup.h>

typedef struct baton_notify_entry {
    char *resource;             /* "drbd0:1"; NULL when Pacemaker gave fewer */
    char *uname;                /* node name; NULL when Pacemaker gave fewer */
} baton_notify_entry;

typedef struct baton_notify_list {
    baton_notify_entry *entries;
    size_t n;
} baton_notify_list;

typedef enum baton_notify_type {
    BATON_NOTIFY_TYPE_UNKNOWN = 0,
    BATON_NOTIFY_PRE,
    BATON_NOTIFY_POST,
} baton_notify_type;

typedef struct baton_notify {
    baton_notify_type type;
    char *operation;            /* "start", "stop", "promote", "demote" */
    baton_notify_list start, stop, active, inactive;
    baton_notify_list promote, demote, promoted, unpromoted;
    baton_notify_list all;      /* notify_all_uname: every node (no resources) */
} baton_notify;

/*
 * Parse from envp (NULL: this process's environment). Pacemaker 2.1 sends
 * promoted/unpromoted and the deprecated master/slave forms; either is
 * accepted. 0, or -EINVAL when the variables are not a notification at all.
 */
int baton_notify_parse(char *const *envp, baton_notify **ret);
baton_notify *baton_notify_free(baton_notify *n);
BATON_DEFINE_AUTOPTR(baton_notify, baton_notify_free)

/* Whether uname appears in the list. */
bool baton_notify_list_has_uname(const baton_notify_list *l, const char *uname);

#endif /* BATON_NOTIFY_H */
