/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Boot-storm control: which guests are booting, how many may (vm-boot.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vm-boot.h"

#define VM_BOOT_RESERVE_MAX_MS 10000

int64_t vm_boot_hung_age(uint64_t last_update, int64_t now, int64_t period_s)
{
    int64_t age;

    if (last_update == 0 || last_update > (uint64_t) INT64_MAX)
        return 0;
    age = now - (int64_t) last_update;
    return age > 3 * period_s + 5 ? age : 0;
}

bool vm_boot_is_booting(const vm_boot_guest *g, int64_t now, int64_t default_budget_s)
{
    int64_t budget = g->budget_s >= 0 ? g->budget_s : default_budget_s;
    int64_t age;

    /* alive (the guest's balloon driver reported), not ours, or start unknown */
    if (!g->managed || g->last_update != 0 || g->started <= 0 || budget <= 0)
        return false;
    if (__builtin_sub_overflow(now, g->started, &age))
        return false;
    if (age < 0)
        /* started "in the future": the clock went back; trust it for one budget at most */
        return age >= -budget;
    return age < budget;
}

size_t vm_boot_count(const vm_boot_guest *g, size_t n, int64_t now, int64_t default_budget_s,
                     const char *exclude)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++) {
        if (exclude && g[i].name && strcmp(g[i].name, exclude) == 0)
            continue;
        count += vm_boot_is_booting(&g[i], now, default_budget_s);
    }
    return count;
}

char *vm_boot_names(const vm_boot_guest *g, size_t n, int64_t now, int64_t default_budget_s,
                    const char *exclude, size_t max_names)
{
    static const char sep[] = ", ", more[] = ", ...";
    size_t len = 0, shown = 0, booting = 0;
    char *s, *p;

    for (size_t i = 0; i < n; i++) {
        if ((exclude && g[i].name && strcmp(g[i].name, exclude) == 0) ||
            !vm_boot_is_booting(&g[i], now, default_budget_s))
            continue;
        booting++;
        if (shown < max_names) {
            len += (shown ? strlen(sep) : 0) + strlen(g[i].name ? g[i].name : "?");
            shown++;
        }
    }
    if (booting > shown)
        len += shown ? strlen(more) : strlen("...");
    s = malloc(len + 1);
    if (!s)
        return NULL;
    p = s;
    shown = 0;
    for (size_t i = 0; i < n && shown < max_names; i++) {
        const char *name = g[i].name ? g[i].name : "?";

        if ((exclude && g[i].name && strcmp(g[i].name, exclude) == 0) ||
            !vm_boot_is_booting(&g[i], now, default_budget_s))
            continue;
        if (shown++) {
            memcpy(p, sep, strlen(sep));
            p += strlen(sep);
        }
        memcpy(p, name, strlen(name));
        p += strlen(name);
    }
    if (booting > shown) {
        const char *m = shown ? more : "...";
        memcpy(p, m, strlen(m));
        p += strlen(m);
    }
    *p = '\0';
    return s;
}

bool vm_boot_seen_has(const vm_boot_seen *s, unsigned id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return true;
    return false;
}

int vm_boot_seen_add(vm_boot_seen *s, unsigned id)
{
    unsigned *ids;

    if (vm_boot_seen_has(s, id))
        return 0;
    ids = realloc(s->ids, (s->n + 1) * sizeof(*ids));
    if (!ids)
        return -ENOMEM;
    ids[s->n++] = id;
    s->ids = ids;
    return 0;
}

void vm_boot_seen_clear(vm_boot_seen *s)
{
    free(s->ids);
    *s = (vm_boot_seen) {0};
}

unsigned vm_boot_slots(int64_t param, unsigned host_cpus)
{
    if (param > VM_BOOT_MAX_SLOTS)
        return VM_BOOT_MAX_SLOTS;
    if (param > 0)
        return (unsigned) param;
    if (host_cpus > VM_BOOT_MAX_SLOTS)
        return VM_BOOT_MAX_SLOTS;
    return host_cpus > 0 ? host_cpus : 1;
}

int64_t vm_boot_wait_reserve_ms(int64_t left_ms)
{
    if (left_ms <= 0)
        return 0;
    return left_ms / 3 < VM_BOOT_RESERVE_MAX_MS ? left_ms / 3 : VM_BOOT_RESERVE_MAX_MS;
}
