/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The few ways baton-switch reads XML, written once: libxml2's strings become malloc's. */
#include <stdlib.h>
#include <string.h>

#include "switch.h"

char *switch_xml_prop(xmlNodePtr n, const char *name)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    char *copy = v ? strdup((const char *) v) : NULL;

    xmlFree(v);
    return copy;
}

bool switch_xml_prop_is(xmlNodePtr n, const char *name, const char *want)
{
    xmlChar *v = xmlGetProp(n, BAD_CAST name);
    bool is = v && strcmp((const char *) v, want) == 0;

    xmlFree(v);
    return is;
}

bool switch_xml_is(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

xmlNodePtr switch_xml_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (switch_xml_is(c, name))
            return c;
    return NULL;
}
