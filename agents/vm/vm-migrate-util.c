/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure helpers of the live migration: URI templates and derivation, the
 * flags, when to abort, the progress line. No I/O (tests/unit/test-vm-migrate.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "vm-migrate.h"

#define MIB (UINT64_C(1024) * 1024)

int vm_uri_expand(const char *tmpl, const char *node, char **ret)
{
    size_t len = 0, nlen = strlen(node);
    char *out, *w;

    for (const char *p = tmpl; *p; p++) {
        if (*p != '%') {
            len++;
            continue;
        }
        p++;
        if (*p == 'n')
            len += nlen;
        else if (*p == '%')
            len++;
        else
            return -EINVAL;
    }
    out = malloc(len + 1);
    if (!out)
        return -ENOMEM;
    w = out;
    for (const char *p = tmpl; *p; p++) {
        if (*p != '%') {
            *w++ = *p;
            continue;
        }
        p++;
        if (*p == 'n') {
            memcpy(w, node, nlen);
            w += nlen;
        } else {
            *w++ = '%';
        }
    }
    *w = '\0';
    *ret = out;
    return 0;
}

int vm_migrate_remote_uri(const char *hypervisor, const char *transport, const char *target, char **ret)
{
    const char *sep = strstr(hypervisor, "://");
    const char *auth, *path, *port = NULL, *plus;
    size_t driver_len;
    char *out = NULL;
    int n;

    if (!sep || sep == hypervisor || !*target)
        return -EINVAL;
    auth = sep + 3;
    path = strchr(auth, '/');
    if (!path)
        return -EINVAL;
    /* the port of [user@]host[:port]; an IPv6 literal's colons are inside brackets */
    for (const char *p = path; p > auth; p--) {
        if (p[-1] == ']' || p[-1] == '@')
            break;
        if (p[-1] == ':') {
            port = p - 1;
            break;
        }
    }
    plus = memchr(hypervisor, '+', (size_t) (sep - hypervisor));
    driver_len = (size_t) ((transport && *transport && plus ? plus : sep) - hypervisor);
    if (transport && *transport)
        n = asprintf(&out, "%.*s+%s://%s%.*s%s", (int) driver_len, hypervisor, transport, target,
                     port ? (int) (path - port) : 0, port ? port : "", path);
    else
        n = asprintf(&out, "%.*s://%s%.*s%s", (int) driver_len, hypervisor, target,
                     port ? (int) (path - port) : 0, port ? port : "", path);
    if (n < 0)
        return -ENOMEM;
    *ret = out;
    return 0;
}

int vm_migrate_mode_parse(const char *s, vm_migrate_mode *ret)
{
    static const char *const names[] = {
        [VM_MIGRATE_MANAGED] = "managed",
        [VM_MIGRATE_P2P] = "p2p",
        [VM_MIGRATE_TUNNELLED] = "tunnelled",
    };

    for (size_t i = 0; s && i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(s, names[i]) == 0) {
            *ret = (vm_migrate_mode) i;
            return 0;
        }
    return -EINVAL;
}

unsigned int vm_migrate_flags(vm_migrate_mode mode)
{
    /*
     * Neither PERSIST_DEST nor UNDEFINE_SOURCE: a domain from config is
     * transient everywhere, a domain by name is defined on every node by the
     * admin. ABORT_ON_ERROR: an I/O error of the guest's disks during the
     * migration ends it instead of migrating a paused guest.
     */
    unsigned int f = VIR_MIGRATE_LIVE | VIR_MIGRATE_ABORT_ON_ERROR;

    if (mode == VM_MIGRATE_P2P)
        f |= VIR_MIGRATE_PEER2PEER;
    else if (mode == VM_MIGRATE_TUNNELLED)
        f |= VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_TUNNELLED;
    return f;
}

int64_t vm_migrate_abort_reserve_ms(int64_t remaining_ms)
{
    int64_t r = remaining_ms / 5;

    if (r < 3000)
        r = 3000;
    if (r > 15000)
        r = 15000;
    if (r > remaining_ms / 2)
        r = remaining_ms / 2;
    return r < 0 ? 0 : r;
}

void vm_migrate_progress_format(const vm_migrate_progress *p, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%" PRIu64 ".%" PRIu64 " s", p->elapsed_ms / 1000, (p->elapsed_ms % 1000) / 100);

    if (n < 0 || (size_t) n >= len)
        return;
    if (p->data_total > 0) {
        uint64_t pct = p->data_processed >= p->data_total ? 100
                       : p->data_processed / (p->data_total / 100 ? p->data_total / 100 : 1);

        if (pct > 100)
            pct = 100;
        snprintf(buf + n, len - (size_t) n,
                 ", %" PRIu64 "/%" PRIu64 " MiB transferred (%" PRIu64 "%%), %" PRIu64 " MiB remaining",
                 p->data_processed / MIB, p->data_total / MIB, pct, p->data_remaining / MIB);
    } else {
        snprintf(buf + n, len - (size_t) n, ", no transfer figures yet");
    }
}

int vm_migrate_fits(uint64_t capacity_kib, uint64_t used_kib, uint64_t need_kib, uint64_t *ret_short_kib)
{
    uint64_t free_kib = capacity_kib > used_kib ? capacity_kib - used_kib : 0;

    if (free_kib >= need_kib)
        return 0;
    *ret_short_kib = need_kib - free_kib;
    return -ENOSPC;
}

int vm_migrate_target_host(const char *node, const char *suffix, char **ret)
{
    size_t first = strcspn(node, ".");
    char *out = NULL;

    if (asprintf(&out, "%.*s%s%s", (int) first, node, suffix ? suffix : "", node + first) < 0)
        return -ENOMEM;
    *ret = out;
    return 0;
}
