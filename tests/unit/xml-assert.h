/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * XPath assertions for unit tests that check XML they made: include after
 * <cmocka.h> and libxml2's headers. Header-only because each test is one
 * program of its own.
 */
#ifndef BATON_TESTS_XML_ASSERT_H
#define BATON_TESTS_XML_ASSERT_H

#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xpath.h>

/* The expression's value as a string (XPath string()); the caller frees it. */
static inline char *xpath_string(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr o = ctx ? xmlXPathEvalExpression(BAD_CAST expr, ctx) : NULL;
    xmlChar *s = o ? xmlXPathCastToString(o) : NULL;
    char *ret = s ? strdup((const char *) s) : NULL;

    if (!ret)
        fail_msg("%s: cannot evaluate", expr);
    xmlFree(s);
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(ctx);
    return ret;
}

static inline void assert_xpath(xmlDocPtr doc, const char *expr, const char *want)
{
    char *got = xpath_string(doc, expr);

    if (strcmp(got, want) != 0)
        fail_msg("%s: got '%s', want '%s'", expr, got, want);
    free(got);
}

#endif
