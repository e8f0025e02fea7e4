/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * save_config_on_stop (VirtualDomain's meaning): changes made to the running
 * domain (devices attached live, memory, ...) go back into the config file,
 * on stop before the domain goes away, and also on monitor, migrate_to and
 * migrate_from, as VirtualDomain does, so that the file on every node is as
 * fresh as possible. The file is replaced atomically and only when the
 * content differs: a reader (another node's start, over shared storage) sees
 * the old or the new file, never half of one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/fileio.h>

#include "vm.h"
#include "vm-lifecycle.h"

/* The largest config file compared (as vm-validate.c reads it). */
#define VM_SAVECONFIG_MAX (16 * 1024 * 1024)

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *) name))
            return c;
    return NULL;
}

/* Remove the agent's policy record; then <metadata> itself when nothing else is in it. */
static void strip_policy(xmlNodePtr root)
{
    xmlNodePtr md = child(root, "metadata"), next;
    bool other = false;

    if (!md)
        return;
    for (xmlNodePtr c = md->children; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && c->ns && xmlStrEqual(c->ns->href, (const xmlChar *) VM_POLICY_NS)) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        } else if (c->type == XML_ELEMENT_NODE) {
            other = true;
        }
    }
    if (!other) {
        xmlUnlinkNode(md);
        xmlFreeNode(md);
    }
}

char *vm_saveconfig_xml(const char *xml, const char *name)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int) strlen(xml), "domain.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL, n;
    xmlBufferPtr buf = NULL;
    xmlChar *got = NULL;
    char *out = NULL;

    if (!root || !xmlStrEqual(root->name, (const xmlChar *) "domain"))
        goto out;
    /* what is written must be this resource's domain, or the next start finds another */
    n = child(root, "name");
    got = n ? xmlNodeGetContent(n) : NULL;
    if (!got || strcmp((const char *) got, name) != 0)
        goto out;
    strip_policy(root);
    buf = xmlBufferCreate();
    if (!buf || xmlNodeDump(buf, doc, root, 0, 0) < 0)
        goto out;
    if (asprintf(&out, "%s\n", (const char *) xmlBufferContent(buf)) < 0)
        out = NULL;
out:
    xmlFree(got);
    if (buf)
        xmlBufferFree(buf);
    if (doc)
        xmlFreeDoc(doc);
    return out;
}

void vm_saveconfig(baton_ctx *ctx, virDomainPtr dom, const char *name)
{
    const char *config = baton_param_str(ctx, "config");
    baton_autofree char *xml = NULL, *clean = NULL, *old = NULL, *err = NULL;
    struct stat st;
    mode_t mode = 0600;
    int r;

    if (!baton_param_bool(ctx, "save_config_on_stop") || !config || *config != '/')
        return;
    /* inactive: the definition the next start creates; secure: VNC/SPICE passwords stay in the file */
    xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
    if (!xml) {
        err = vm_last_error(NULL);
        baton_warn("save_config_on_stop: cannot read the XML of domain %s: %s", name, err ? err : "");
        return;
    }
    clean = vm_saveconfig_xml(xml, name);
    if (!clean) {
        baton_warn("save_config_on_stop: the XML of domain %s is not a domain named %s: %s not updated",
                   name, name, config);
        return;
    }
    if (baton_file_read(config, VM_SAVECONFIG_MAX, &old) == 0 && strcmp(old, clean) == 0) {
        baton_debug("save_config_on_stop: %s is up to date", config);
        return;
    }
    /* the file may hold secrets: keep its mode */
    if (stat(config, &st) == 0)
        mode = st.st_mode & 07777;
    r = baton_file_write_atomic(config, clean, mode);
    if (r < 0)
        baton_warn("save_config_on_stop: cannot write %s: %s", config, strerror(-r));
    else
        baton_info("saved the configuration of domain %s to %s", name, config);
}
