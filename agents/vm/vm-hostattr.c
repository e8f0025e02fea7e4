/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The baton-vm-host node attribute (format in vm-hostattr.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <baton/strutil.h>

#include "vm-hostattr.h"

static bool plain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
}

/* Append s percent-encoded. */
static void put_escaped(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        if (plain(*p))
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}

static const vm_plan_vm *sort_vms;

static int by_name(const void *a, const void *b)
{
    return strcmp(sort_vms[*(const size_t *) a].name, sort_vms[*(const size_t *) b].name);
}

char *vm_hostattr_encode(uint64_t capacity_kib, const vm_plan_vm *vms, const char *const *resources, size_t n)
{
    size_t *order;
    char *buf = NULL;
    size_t len = 0;
    FILE *f;

    if (n > 0 && !vms)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!vms[i].name)
            return NULL;
    order = calloc(n + 1, sizeof(*order));
    if (!order)
        return NULL;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    sort_vms = vms;
    qsort(order, n, sizeof(*order), by_name);
    sort_vms = NULL;

    f = open_memstream(&buf, &len);
    if (!f) {
        free(order);
        return NULL;
    }
    fprintf(f, "%d cap=%" PRIu64, VM_HOSTATTR_VERSION, capacity_kib);
    for (size_t k = 0; k < n; k++) {
        const vm_plan_vm *v = &vms[order[k]];
        const char *rsc = resources ? resources[order[k]] : NULL;

        fputc(' ', f);
        if (rsc && *rsc)
            put_escaped(f, rsc);
        else
            fputc('-', f);
        fputc(':', f);
        put_escaped(f, v->name);
        fprintf(f, ":%" PRIu64 ":%" PRIu64 ":%" PRIu64 ":%d:%c", v->current_kib, v->floor_kib, v->target_kib,
                v->priority, v->cooperative ? 'c' : 'u');
    }
    free(order);
    if (ferror(f)) {
        fclose(f);
        free(buf);
        return NULL;
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

void vm_hostattr_clear(vm_hostattr *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        free(h->vms[i].resource);
        free((char *) h->vms[i].vm.name);
    }
    free(h->vms);
    *h = (vm_hostattr) {0};
}

/* Decode the percent-encoded [s, s+len); NULL on ENOMEM, *bad on a malformed or empty text. */
static char *unescape(const char *s, size_t len, bool *bad)
{
    char *out = malloc(len + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%') {
            int hi = i + 2 < len ? baton_hex_digit(s[i + 1]) : -1;
            int lo = i + 2 < len ? baton_hex_digit(s[i + 2]) : -1;

            /* a NUL would cut the name short */
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                *bad = true;
                break;
            }
            out[o++] = (char) (hi * 16 + lo);
            i += 2;
        } else if (plain((unsigned char) s[i])) {
            out[o++] = s[i];
        } else {
            *bad = true;
            break;
        }
    }
    out[o] = '\0';
    if (o == 0)
        *bad = true;
    return out;
}

/* A decimal number of [s, s+len) into *ret; false when malformed. */
static bool parse_u64(const char *s, size_t len, uint64_t *ret)
{
    uint64_t v = 0;

    if (len == 0 || len > 19)
        return false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t) (s[i] - '0');
    }
    *ret = v;
    return true;
}

static bool parse_int(const char *s, size_t len, int *ret)
{
    bool neg = len > 0 && s[0] == '-';
    uint64_t v;

    if (!parse_u64(s + neg, len - neg, &v) || v > (neg ? UINT64_C(2147483648) : UINT64_C(2147483647)))
        return false;
    *ret = neg ? (int) (-(int64_t) v) : (int) v;
    return true;
}

/* One "<rsc>:<dom>:<cur>:<floor>:<target>:<prio>:<c|u>" of [s, s+len). */
static int parse_vm(const char *s, size_t len, vm_hostattr_vm *ret)
{
    const char *f[7];
    size_t fl[7];
    size_t nf = 0, start = 0;
    bool bad = false;
    char *rsc = NULL, *name;

    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != ':')
            continue;
        if (nf == 7)
            return -EINVAL;
        f[nf] = s + start;
        fl[nf++] = i - start;
        start = i + 1;
    }
    if (nf != 7 || fl[6] != 1 || (f[6][0] != 'c' && f[6][0] != 'u'))
        return -EINVAL;
    if (!parse_u64(f[2], fl[2], &ret->vm.current_kib) || !parse_u64(f[3], fl[3], &ret->vm.floor_kib) ||
        !parse_u64(f[4], fl[4], &ret->vm.target_kib) || !parse_int(f[5], fl[5], &ret->vm.priority))
        return -EINVAL;
    if (ret->vm.current_kib > VM_PLAN_MAX_KIB || ret->vm.floor_kib > VM_PLAN_MAX_KIB ||
        ret->vm.target_kib > VM_PLAN_MAX_KIB)
        return -ERANGE;
    ret->vm.cooperative = f[6][0] == 'c';
    if (!(fl[0] == 1 && f[0][0] == '-')) {
        rsc = unescape(f[0], fl[0], &bad);
        if (!rsc)
            return -ENOMEM;
    }
    name = unescape(f[1], fl[1], &bad);
    if (!name || bad) {
        free(rsc);
        free(name);
        return name ? -EINVAL : -ENOMEM;
    }
    ret->resource = rsc;
    ret->vm.name = name;
    return 0;
}

int vm_hostattr_decode(const char *s, vm_hostattr *ret)
{
    vm_hostattr h = {0};
    size_t cap_vms = 0;
    const char *p;
    char *end;
    long version;

    *ret = (vm_hostattr) {0};
    if (!s || s[0] < '0' || s[0] > '9')
        return -EINVAL;
    errno = 0;
    version = strtol(s, &end, 10);
    if (errno || (*end != ' ' && *end != '\0'))
        return -EINVAL;
    if (version != VM_HOSTATTR_VERSION)
        return -EPROTONOSUPPORT;
    p = end;
    if (strncmp(p, " cap=", 5) != 0)
        return -EINVAL;
    p += 5;
    {
        size_t l = strcspn(p, " ");

        if (!parse_u64(p, l, &h.capacity_kib))
            return -EINVAL;
        if (h.capacity_kib > VM_PLAN_MAX_KIB)
            return -ERANGE;
        p += l;
    }
    while (*p) {
        size_t l;
        int r;

        if (*p != ' ' || p[1] == ' ' || p[1] == '\0') {
            vm_hostattr_clear(&h);
            return -EINVAL;
        }
        p++;
        l = strcspn(p, " ");
        if (h.n == cap_vms) {
            vm_hostattr_vm *nv;

            if (h.n >= VM_PLAN_MAX_VMS) {
                vm_hostattr_clear(&h);
                return -ERANGE;
            }
            cap_vms = cap_vms ? cap_vms * 2 : 8;
            nv = realloc(h.vms, cap_vms * sizeof(*nv));
            if (!nv) {
                vm_hostattr_clear(&h);
                return -ENOMEM;
            }
            h.vms = nv;
        }
        h.vms[h.n] = (vm_hostattr_vm) {0};
        r = parse_vm(p, l, &h.vms[h.n]);
        if (r < 0) {
            vm_hostattr_clear(&h);
            return r;
        }
        h.n++;
        p += l;
    }
    *ret = h;
    return 0;
}
