/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * start_resources (VirtualDomain's meaning): before the domain starts (or
 * migrates there), the storage pools and virtual networks its XML refers to
 * are started when inactive; active pools are refreshed, so that volumes
 * created on another node are seen. VirtualDomain finds them with a regular
 * expression over the file; here the XML is parsed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <baton/cleanup.h>
#include <baton/log.h>
#include <baton/strutil.h>

#include "vm.h"
#include "vm-lifecycle.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The distinct values of the attributes expr selects, sorted. */
static int collect(xmlXPathContextPtr xp, const char *expr, char ***ret)
{
    xmlXPathObjectPtr res = xmlXPathEvalExpression((const xmlChar *) expr, xp);
    size_t n = 0, max;
    char **v;

    if (!res)
        return -ENOMEM;
    max = res->nodesetval ? (size_t) res->nodesetval->nodeNr : 0;
    v = calloc(max + 1, sizeof(*v));
    if (!v) {
        xmlXPathFreeObject(res);
        return -ENOMEM;
    }
    for (size_t i = 0; i < max; i++) {
        xmlChar *val = xmlNodeGetContent(res->nodesetval->nodeTab[i]);

        if (val && *val) {
            v[n] = strdup((const char *) val);
            if (!v[n]) {
                xmlFree(val);
                xmlXPathFreeObject(res);
                baton_strv_free(v);
                return -ENOMEM;
            }
            n++;
        }
        xmlFree(val);
    }
    xmlXPathFreeObject(res);
    qsort(v, n, sizeof(*v), cmp_str);
    /* drop duplicates */
    for (size_t i = 1, w = 1; i <= n; i++) {
        if (i == n) {
            v[w] = NULL;
            break;
        }
        if (strcmp(v[i], v[w - 1]) == 0)
            free(v[i]);
        else
            v[w++] = v[i];
    }
    *ret = v;
    return 0;
}

int vm_resources_parse(const char *xml, char ***ret_pools, char ***ret_networks)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int) strlen(xml), "domain.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlXPathContextPtr xp;
    int r;

    if (!doc)
        return -EINVAL;
    if (!xmlDocGetRootElement(doc) || !xmlStrEqual(xmlDocGetRootElement(doc)->name, (const xmlChar *) "domain")) {
        xmlFreeDoc(doc);
        return -EINVAL;
    }
    xp = xmlXPathNewContext(doc);
    if (!xp) {
        xmlFreeDoc(doc);
        return -ENOMEM;
    }
    r = collect(xp, "/domain/devices/disk/source/@pool", ret_pools);
    if (r == 0) {
        r = collect(xp, "/domain/devices/interface/source/@network", ret_networks);
        if (r < 0)
            baton_strv_free(*ret_pools);
    }
    xmlXPathFreeContext(xp);
    xmlFreeDoc(doc);
    return r;
}

static int fail(char **ret_err, const char *what, const char *name)
{
    baton_autofree char *err = vm_last_error(NULL);

    *ret_err = baton_strdup_printf("start_resources: %s %s: %s", what, name, err ? err : "unknown error");
    return -EIO;
}

static int pool_start(virConnectPtr conn, const char *name, char **ret_err)
{
    virStoragePoolPtr pool = virStoragePoolLookupByName(conn, name);
    int active, r = 0;

    if (!pool)
        return fail(ret_err, "cannot find storage pool", name);
    active = virStoragePoolIsActive(pool);
    if (active < 0) {
        r = fail(ret_err, "cannot query storage pool", name);
    } else if (active == 0) {
        baton_info("starting storage pool %s", name);
        if (virStoragePoolCreate(pool, 0) < 0)
            r = fail(ret_err, "cannot start storage pool", name);
    } else if (virStoragePoolRefresh(pool, 0) < 0) {
        /* the pool is there: a volume it has not listed yet is found by QEMU's open anyway */
        baton_autofree char *err = vm_last_error(NULL);
        baton_warn("start_resources: cannot refresh storage pool %s: %s", name, err ? err : "");
    }
    virStoragePoolFree(pool);
    return r;
}

static int network_start(virConnectPtr conn, const char *name, char **ret_err)
{
    virNetworkPtr net = virNetworkLookupByName(conn, name);
    int active, r = 0;

    if (!net)
        return fail(ret_err, "cannot find network", name);
    active = virNetworkIsActive(net);
    if (active < 0) {
        r = fail(ret_err, "cannot query network", name);
    } else if (active == 0) {
        baton_info("starting network %s", name);
        if (virNetworkCreate(net) < 0)
            r = fail(ret_err, "cannot start network", name);
    }
    virNetworkFree(net);
    return r;
}

int vm_resources_start(virConnectPtr conn, const char *xml, char **ret_err)
{
    char **pools = NULL, **nets = NULL;
    int r;

    *ret_err = NULL;
    r = vm_resources_parse(xml, &pools, &nets);
    if (r < 0) {
        *ret_err = strdup("start_resources: the domain XML cannot be parsed");
        return -EIO;
    }
    for (size_t i = 0; r == 0 && pools[i]; i++)
        r = pool_start(conn, pools[i], ret_err);
    for (size_t i = 0; r == 0 && nets[i]; i++)
        r = network_start(conn, nets[i], ret_err);
    baton_strv_free(pools);
    baton_strv_free(nets);
    return r;
}
