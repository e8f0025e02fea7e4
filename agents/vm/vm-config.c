/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pure parsing for the vm agent: the domain XML file, the agent's policy
 * record kept as libvirt metadata on the running domain, shutdown_mode.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vm.h"

void vm_domain_xml_clear(vm_domain_xml *x)
{
    if (!x)
        return;
    free(x->name);
    *x = (vm_domain_xml) {0};
}

int vm_size_to_kib(const char *value, const char *unit, uint64_t *ret)
{
    static const struct { const char *unit; uint64_t bytes; } units[] = {
        { "b", 1 }, { "bytes", 1 },
        { "KB", 1000ULL }, { "k", 1024ULL }, { "KiB", 1024ULL },
        { "MB", 1000000ULL }, { "M", 1ULL << 20 }, { "MiB", 1ULL << 20 },
        { "GB", 1000000000ULL }, { "G", 1ULL << 30 }, { "GiB", 1ULL << 30 },
        { "TB", 1000000000000ULL }, { "T", 1ULL << 40 }, { "TiB", 1ULL << 40 },
    };
    uint64_t mult = 0, v;
    char *end;

    if (!value || !*value || *value == '-' || *value == '+')
        return -EINVAL;
    if (!unit || !*unit) {
        mult = 1024;
    } else {
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            /* libvirt accepts the one-letter units in either case, the others exactly */
            bool one = strlen(units[i].unit) == 1;
            if (one ? strcasecmp(unit, units[i].unit) == 0 : strcmp(unit, units[i].unit) == 0) {
                mult = units[i].bytes;
                break;
            }
        }
        if (!mult)
            return -EINVAL;
    }
    errno = 0;
    v = strtoull(value, &end, 10);
    if (errno || end == value || *end)
        return -EINVAL;
    if (v > UINT64_MAX / mult)
        return -ERANGE;
    v *= mult;
    *ret = v / 1024 + (v % 1024 != 0);
    return 0;
}

static xmlNode *child_element(xmlNode *parent, const char *name)
{
    for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0)
            return n;
    return NULL;
}

static int element_size(xmlNode *n, uint64_t *ret)
{
    xmlChar *text = xmlNodeGetContent(n);
    xmlChar *unit = xmlGetProp(n, BAD_CAST "unit");
    char *trimmed, *end;
    int r;

    if (!text) {
        xmlFree(unit);
        return -EINVAL;
    }
    trimmed = (char *) text;
    while (*trimmed == ' ' || *trimmed == '\n' || *trimmed == '\t' || *trimmed == '\r')
        trimmed++;
    end = trimmed + strlen(trimmed);
    while (end > trimmed && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t' || end[-1] == '\r'))
        *--end = '\0';
    r = vm_size_to_kib(trimmed, (const char *) unit, ret);
    xmlFree(text);
    xmlFree(unit);
    return r;
}

static xmlDoc *parse_doc(const char *xml, size_t len)
{
    if (len > INT32_MAX)
        return NULL;
    /* no network, no entity expansion: the file is data, not a program */
    return xmlReadMemory(xml, (int) len, NULL, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

int vm_domain_xml_parse(const char *xml, size_t len, vm_domain_xml *ret)
{
    vm_domain_xml x = {0};
    xmlDoc *doc;
    xmlNode *root, *n;
    xmlChar *name;
    int r = -EINVAL;

    doc = parse_doc(xml, len);
    if (!doc)
        return -EINVAL;
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *) root->name, "domain") != 0)
        goto out;
    n = child_element(root, "name");
    if (!n)
        goto out;
    name = xmlNodeGetContent(n);
    if (!name || !*name) {
        xmlFree(name);
        goto out;
    }
    x.name = strdup((const char *) name);
    xmlFree(name);
    if (!x.name) {
        r = -ENOMEM;
        goto out;
    }
    n = child_element(root, "memory");
    if (n && element_size(n, &x.max_kib) < 0)
        goto out;
    n = child_element(root, "currentMemory");
    if (n) {
        if (element_size(n, &x.current_kib) < 0)
            goto out;
    } else {
        x.current_kib = x.max_kib;
    }
    *ret = x;
    x = (vm_domain_xml) {0};
    r = 0;
out:
    vm_domain_xml_clear(&x);
    xmlFreeDoc(doc);
    return r;
}

bool vm_policy_resource_valid(const char *s)
{
    size_t len = s ? strlen(s) : 0;

    return len > 0 && len < VM_POLICY_RESOURCE_MAX &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
}

char *vm_policy_format(const vm_policy *p)
{
    char *s = NULL;
    char grace[48] = "";

    /* only a name that needs no XML escaping (Pacemaker IDs are such names) */
    bool rsc = p->resource[0] && vm_policy_resource_valid(p->resource);

    if (p->boot_grace_s >= 0)
        snprintf(grace, sizeof(grace), " boot-grace='%" PRId64 "'", p->boot_grace_s);
    if (asprintf(&s, "<policy floor-kib='%" PRIu64 "' target-kib='%" PRIu64 "' priority='%d'"
                 " uncooperative='%d' started='%" PRId64 "'%s%s%s%s/>",
                 p->floor_kib, p->target_kib, p->priority, p->uncooperative ? 1 : 0,
                 p->started, grace, rsc ? " resource='" : "", rsc ? p->resource : "", rsc ? "'" : "") < 0)
        return NULL;
    return s;
}

static int prop_u64(xmlNode *n, const char *name, uint64_t *ret)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *end;
    int r = -EINVAL;

    if (v && *v && *v != '-') {
        errno = 0;
        unsigned long long x = strtoull((const char *) v, &end, 10);
        if (!errno && !*end) {
            *ret = x;
            r = 0;
        }
    }
    xmlFree(v);
    return r;
}

static int prop_i64(xmlNode *n, const char *name, int64_t *ret)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *end;
    int r = -EINVAL;

    if (v && *v) {
        errno = 0;
        long long x = strtoll((const char *) v, &end, 10);
        if (!errno && !*end) {
            *ret = x;
            r = 0;
        }
    }
    xmlFree(v);
    return r;
}

int vm_policy_parse(const char *xml, vm_policy *ret)
{
    vm_policy p = {0};
    xmlDoc *doc;
    xmlNode *root;
    int64_t prio, unc;
    int r = -EINVAL;

    if (!xml)
        return -EINVAL;
    doc = parse_doc(xml, strlen(xml));
    if (!doc)
        return -EINVAL;
    root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *) root->name, "policy") != 0)
        goto out;
    if (prop_u64(root, "floor-kib", &p.floor_kib) < 0 ||
        prop_u64(root, "target-kib", &p.target_kib) < 0 ||
        prop_i64(root, "priority", &prio) < 0 || prio < INT32_MIN || prio > INT32_MAX)
        goto out;
    p.priority = (int) prio;
    /* optional: older records or hand-written ones */
    if (prop_i64(root, "uncooperative", &unc) == 0)
        p.uncooperative = unc != 0;
    if (prop_i64(root, "started", &p.started) < 0)
        p.started = 0;
    if (prop_i64(root, "boot-grace", &p.boot_grace_s) < 0 || p.boot_grace_s < 0)
        p.boot_grace_s = -1;
    {
        xmlChar *rsc = xmlGetProp(root, BAD_CAST "resource");

        /* records written before it existed have none; a bad one is ignored */
        if (rsc && vm_policy_resource_valid((const char *) rsc))
            strcpy(p.resource, (const char *) rsc);
        xmlFree(rsc);
    }
    *ret = p;
    r = 0;
out:
    xmlFreeDoc(doc);
    return r;
}

int vm_shutdown_mode_parse(const char *s, unsigned *ret_flags)
{
    static const struct { const char *name; unsigned flag; } modes[] = {
        { "acpi", VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN },
        { "agent", VIR_DOMAIN_SHUTDOWN_GUEST_AGENT },
        { "initctl", VIR_DOMAIN_SHUTDOWN_INITCTL },
        { "signal", VIR_DOMAIN_SHUTDOWN_SIGNAL },
        { "paravirt", VIR_DOMAIN_SHUTDOWN_PARAVIRT },
    };
    unsigned flags = 0;
    const char *p = s ? s : "";

    while (*p) {
        size_t len = strcspn(p, ",");
        bool found = false;

        if (len == 0)
            return -EINVAL;
        for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
            if (strlen(modes[i].name) == len && strncmp(p, modes[i].name, len) == 0) {
                flags |= modes[i].flag;
                found = true;
            }
        }
        if (!found)
            return -EINVAL;
        p += len;
        if (*p == ',' && !*++p)
            return -EINVAL;
    }
    *ret_flags = flags;
    return 0;
}
