/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The CIB as the admission forecast sees it (see vm-cib.h). */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "vm-cib.h"

static bool is_element(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *) n->name, name) == 0;
}

static xmlNode *child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_element(c, name))
            return c;
    return NULL;
}

/* A copy of attribute name of n, NULL when absent (or on ENOMEM: callers treat both as absent). */
static char *prop(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *s = v ? strdup((const char *) v) : NULL;

    xmlFree(v);
    return s;
}

static bool prop_is(const xmlNode *n, const char *name, const char *value)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    bool r = v && strcmp((const char *) v, value) == 0;

    xmlFree(v);
    return r;
}

/* Pacemaker's true values (crm_is_true). */
static bool truthy(const char *s)
{
    return s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "on") == 0 || strcasecmp(s, "yes") == 0 ||
                 strcasecmp(s, "y") == 0 || strcmp(s, "1") == 0);
}

/* 2.1 writes "true"/"online"; 3.0 a time stamp (0 = no). */
static bool state_up(const xmlNode *n, const char *name, const char *word)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    bool r = false;

    if (v) {
        const char *s = (const char *) v;
        char *end;
        long long t = strtoll(s, &end, 10);

        r = strcmp(s, word) == 0 || (*s && !*end && t > 0);
    }
    xmlFree(v);
    return r;
}

/* The value of nvpair name in any instance_attributes under n; NULL when absent. */
static char *nvpair_value(const xmlNode *n, const char *set, const char *name)
{
    for (xmlNode *ia = n ? n->children : NULL; ia; ia = ia->next) {
        if (!is_element(ia, set))
            continue;
        for (xmlNode *p = ia->children; p; p = p->next)
            if (is_element(p, "nvpair") && prop_is(p, "name", name))
                return prop(p, "value");
    }
    return NULL;
}

static int parse_score(const char *s, int *ret)
{
    char *end;
    long long v;

    if (!s)
        return -EINVAL;
    if (strcmp(s, "INFINITY") == 0 || strcmp(s, "+INFINITY") == 0) {
        *ret = VM_FC_INFINITY;
        return 0;
    }
    if (strcmp(s, "-INFINITY") == 0) {
        *ret = -VM_FC_INFINITY;
        return 0;
    }
    v = strtoll(s, &end, 10);
    if (!*s || *end)
        return -EINVAL;
    *ret = v >= VM_FC_INFINITY ? VM_FC_INFINITY : v <= -VM_FC_INFINITY ? -VM_FC_INFINITY : (int) v;
    return 0;
}

static vm_cib_node *node_get(vm_cib *c, const char *name, bool add)
{
    vm_cib_node *nn;

    for (size_t i = 0; i < c->n_nodes; i++)
        if (strcmp(c->nodes[i].name, name) == 0)
            return &c->nodes[i];
    if (!add)
        return NULL;
    nn = realloc(c->nodes, (c->n_nodes + 1) * sizeof(*nn));
    if (!nn)
        return NULL;
    c->nodes = nn;
    nn = &c->nodes[c->n_nodes];
    *nn = (vm_cib_node) { .name = strdup(name), .host_err = -ENOENT };
    if (!nn->name)
        return NULL;
    c->n_nodes++;
    return nn;
}

void vm_cib_clear(vm_cib *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_nodes; i++) {
        free(c->nodes[i].name);
        free(c->nodes[i].host_value);
        free(c->nodes[i].failover_ok);
        free(c->nodes[i].failover_headroom);
        vm_hostattr_clear(&c->nodes[i].host);
    }
    free(c->nodes);
    for (size_t i = 0; i < c->n_locations; i++) {
        free((char *) c->locations[i].resource);
        free((char *) c->locations[i].node);
    }
    free(c->locations);
    *c = (vm_cib) {0};
}

const vm_cib_node *vm_cib_node_find(const vm_cib *c, const char *name)
{
    for (size_t i = 0; name && i < c->n_nodes; i++)
        if (strcmp(c->nodes[i].name, name) == 0)
            return &c->nodes[i];
    return NULL;
}

const vm_cib_node *vm_cib_forecaster(const vm_cib *c)
{
    for (size_t i = 0; i < c->n_nodes; i++)
        if (c->nodes[i].online && c->nodes[i].host_err == 0 && c->nodes[i].host.n > 0)
            return &c->nodes[i];
    return NULL;
}

int vm_cib_set_host(vm_cib *c, const char *node, const char *value)
{
    vm_cib_node *n = node_get(c, node, false);
    char *v;

    if (!n)
        return -ENOENT;
    v = value ? strdup(value) : NULL;
    if (value && !v)
        return -ENOMEM;
    free(n->host_value);
    vm_hostattr_clear(&n->host);
    n->host_value = v;
    n->host_err = v ? vm_hostattr_decode(v, &n->host) : -ENOENT;
    return n->host_err == -ENOMEM ? -ENOMEM : 0;
}

/* The entry of element n's uname (added when new): 0 with *ret NULL when n has none, or -ENOMEM. */
static int node_of(vm_cib *c, const xmlNode *n, vm_cib_node **ret)
{
    char *uname = prop(n, "uname");

    *ret = NULL;
    if (!uname)
        return 0;
    *ret = node_get(c, uname, true);
    free(uname);
    return *ret ? 0 : -ENOMEM;
}

/* nvpair name under n's instance_attributes is true (standby). */
static bool nvpair_true(const xmlNode *n, const char *name)
{
    char *v = nvpair_value(n, "instance_attributes", name);
    bool r = truthy(v);

    free(v);
    return r;
}

static int parse_nodes(vm_cib *c, const xmlNode *cfg)
{
    for (xmlNode *n = child(child(cfg, "nodes"), "node"); n; n = n->next) {
        vm_cib_node *cn;

        if (!is_element(n, "node"))
            continue;
        if (node_of(c, n, &cn) < 0)
            return -ENOMEM;
        if (cn)
            cn->standby |= nvpair_true(n, "standby");
    }
    return 0;
}

static int parse_status(vm_cib *c, const xmlNode *status)
{
    for (xmlNode *s = status ? status->children : NULL; s; s = s->next) {
        xmlNode *ta;
        vm_cib_node *cn;
        bool remote;

        if (!is_element(s, "node_state"))
            continue;
        if (node_of(c, s, &cn) < 0)
            return -ENOMEM;
        if (!cn)
            continue;
        remote = prop_is(s, "remote_node", "true");
        cn->online = state_up(s, "in_ccm", "true") && (remote || state_up(s, "crmd", "online"));
        ta = child(s, "transient_attributes");
        cn->standby |= nvpair_true(ta, "standby");
        /* one node_state per node; should there be two, the last one counts */
        free(cn->failover_ok);
        free(cn->failover_headroom);
        free(cn->host_value);
        vm_hostattr_clear(&cn->host);
        cn->host_err = -ENOENT;
        cn->failover_ok = nvpair_value(ta, "instance_attributes", VM_ATTR_FAILOVER_OK);
        cn->failover_headroom = nvpair_value(ta, "instance_attributes", VM_ATTR_FAILOVER_HEADROOM);
        cn->host_value = nvpair_value(ta, "instance_attributes", VM_HOSTATTR_NAME);
        if (cn->host_value) {
            cn->host_err = vm_hostattr_decode(cn->host_value, &cn->host);
            if (cn->host_err == -ENOMEM)
                return -ENOMEM;
        }
    }
    return 0;
}

static int parse_constraints(vm_cib *c, const xmlNode *cfg)
{
    for (xmlNode *l = child(child(cfg, "constraints"), "rsc_location"); l; l = l->next) {
        char *rsc, *node, *score;
        vm_fc_location *nl;
        int sc;

        if (!is_element(l, "rsc_location"))
            continue;
        rsc = prop(l, "rsc");
        node = prop(l, "node");
        score = prop(l, "score");
        if (!rsc || !node || parse_score(score, &sc) < 0 || child(l, "rule") || xmlHasProp(l, BAD_CAST "role")) {
            c->n_skipped_locations++;
            free(rsc);
            free(node);
            free(score);
            continue;
        }
        free(score);
        nl = realloc(c->locations, (c->n_locations + 1) * sizeof(*nl));
        if (!nl) {
            free(rsc);
            free(node);
            return -ENOMEM;
        }
        c->locations = nl;
        c->locations[c->n_locations++] = (vm_fc_location) { .resource = rsc, .node = node, .score = sc };
    }
    return 0;
}

static int node_cmp(const void *a, const void *b)
{
    return strcmp(((const vm_cib_node *) a)->name, ((const vm_cib_node *) b)->name);
}

int vm_cib_parse(const char *xml, size_t len, vm_cib *ret)
{
    vm_cib c = {0};
    xmlDoc *doc;
    xmlNode *root, *cfg;
    char *sym;
    int r = -EINVAL;

    *ret = (vm_cib) {0};
    if (!xml || len > INT_MAX)
        return -EINVAL;
    doc = xmlReadMemory(xml, (int) len, "cib.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        return -EINVAL;
    root = xmlDocGetRootElement(doc);
    cfg = child(root, "configuration");
    if (!is_element(root, "cib") || !cfg)
        goto out;
    sym = nvpair_value(child(cfg, "crm_config"), "cluster_property_set", "symmetric-cluster");
    c.opt_in = sym && !truthy(sym);
    free(sym);
    if ((r = parse_nodes(&c, cfg)) < 0 || (r = parse_status(&c, child(root, "status"))) < 0 ||
        (r = parse_constraints(&c, cfg)) < 0)
        goto out;
    qsort(c.nodes, c.n_nodes, sizeof(*c.nodes), node_cmp);
    *ret = c;
    c = (vm_cib) {0};
    r = 0;
out:
    vm_cib_clear(&c);
    xmlFreeDoc(doc);
    return r;
}

void vm_cib_to_cluster(const vm_cib *c, vm_fc_node *nodes, vm_fc_cluster *ret)
{
    for (size_t i = 0; i < c->n_nodes; i++)
        nodes[i] = (vm_fc_node) {
            .name = c->nodes[i].name, .online = c->nodes[i].online, .standby = c->nodes[i].standby,
            .host = c->nodes[i].host_err == 0 ? &c->nodes[i].host : NULL,
        };
    *ret = (vm_fc_cluster) {
        .nodes = nodes, .n_nodes = c->n_nodes, .locations = c->locations, .n_locations = c->n_locations,
        .opt_in = c->opt_in,
    };
}
