/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The metadata XML generated from the parameter table: valid against
 * fence-agents' metadata.rng when installed, and carrying what Pacemaker
 * reads (parameters with getopt, deprecated aliases, actions).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>

#include "stonith/stonith-internal.h"
#include "tests/stonith/fake-plugin.h"
#include "tests/unit/xml-assert.h"

#define FENCE_AGENTS_RNG "/usr/share/cluster/relaxng/metadata.rng"

static xmlDocPtr metadata_doc(char **ret_xml)
{
    baton__stonith_module *m = NULL;
    baton__fence_table *t = NULL;
    char *reason = NULL, *xml = NULL;
    xmlDocPtr doc;

    assert_int_equal(baton__stonith_module_from_plugin(&fake_plugin, &m, &reason), 0);
    assert_int_equal(baton__fence_table_build(m, &t, &reason), 0);
    assert_int_equal(baton__fence_metadata(t, m->plugin, "fence_baton_fake", &xml), 0);
    doc = xmlReadMemory(xml, (int) strlen(xml), "metadata.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    baton__fence_table_free(t);
    baton__stonith_module_free(m);
    if (ret_xml)
        *ret_xml = xml;
    else
        free(xml);
    return doc;
}

static void test_relaxng(void **state)
{
    xmlDocPtr doc = metadata_doc(NULL);
    xmlRelaxNGParserCtxtPtr pc;
    xmlRelaxNGPtr schema;
    xmlRelaxNGValidCtxtPtr vc;

    (void) state;
    if (access(FENCE_AGENTS_RNG, R_OK) != 0) {
        xmlFreeDoc(doc);
        skip();
    }
    pc = xmlRelaxNGNewParserCtxt(FENCE_AGENTS_RNG);
    schema = xmlRelaxNGParse(pc);
    assert_non_null(schema);
    vc = xmlRelaxNGNewValidCtxt(schema);
    assert_int_equal(xmlRelaxNGValidateDoc(vc, doc), 0);
    xmlRelaxNGFreeValidCtxt(vc);
    xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pc);
    xmlFreeDoc(doc);
}

static void test_content(void **state)
{
    xmlDocPtr doc = metadata_doc(NULL);

    (void) state;
    assert_xpath(doc, "string(/resource-agent/@name)", "fence_baton_fake");
    assert_xpath(doc, "string(/resource-agent/@shortdesc)", "Fake device");
    assert_xpath(doc, "string(/resource-agent/longdesc)", "In-process device for unit tests");
    /* the plugin's parameter, with getopt, required, obsoleting its alias */
    assert_xpath(doc, "string(//parameter[@name='ip']/getopt/@mixed)", "-a, --ip=[ip]");
    assert_xpath(doc, "string(//parameter[@name='ip']/@required)", "1");
    assert_xpath(doc, "string(//parameter[@name='ip']/@obsoletes)", "ipaddr");
    assert_xpath(doc, "string(//parameter[@name='ipaddr']/@deprecated)", "1");
    assert_xpath(doc, "string(//parameter[@name='ipaddr']/@required)", "0");
    /* escaping of markup in descriptions */
    assert_xpath(doc, "string(//parameter[@name='ip']/shortdesc)", "Address <of> the \"device\" & more");
    assert_xpath(doc, "string(//parameter[@name='ip']/shortdesc/@lang)", "en");
    /* types and defaults */
    assert_xpath(doc, "string(//parameter[@name='ipport']/content/@type)", "integer");
    assert_xpath(doc, "string(//parameter[@name='ipport']/content/@default)", "623");
    assert_xpath(doc, "string(//parameter[@name='lanplus']/getopt/@mixed)", "-P, --lanplus");
    assert_xpath(doc, "string(//parameter[@name='session_timeout']/content/@type)", "second");
    assert_xpath(doc, "string(//parameter[@name='session_timeout']/getopt/@mixed)",
                 "--session-timeout=[seconds]");
    assert_xpath(doc, "count(//parameter[@name='privlvl']/content/option)", "3");
    /* the front end's own parameters and the secret's companions */
    assert_xpath(doc, "string(//parameter[@name='plug']/@obsoletes)", "port");
    assert_xpath(doc, "string(//parameter[@name='port']/@deprecated)", "1");
    assert_xpath(doc, "string(//parameter[@name='action']/content/@default)", "reboot");
    assert_xpath(doc, "string(//parameter[@name='password_script']/getopt/@mixed)",
                 "-S, --password-script=[script]");
    assert_xpath(doc, "string(//parameter[@name='passwd_script']/@deprecated)", "1");
    assert_xpath(doc, "count(//parameter[@name='password_file'])", "1");
    assert_xpath(doc, "string(//parameter[@name='power_timeout']/content/@default)", "20");
    /* actions: on is not automatic (no unfencing); no list without a list operation */
    assert_xpath(doc, "string(//actions/action[@name='on']/@automatic)", "0");
    assert_xpath(doc, "count(//actions/action[@name='off'])", "1");
    assert_xpath(doc, "count(//actions/action[@name='reboot'])", "1");
    assert_xpath(doc, "count(//actions/action[@name='status'])", "1");
    assert_xpath(doc, "count(//actions/action[@name='monitor'])", "1");
    assert_xpath(doc, "count(//actions/action[@name='metadata'])", "1");
    assert_xpath(doc, "count(//actions/action[@name='validate-all'])", "1");
    assert_xpath(doc, "count(//actions/action[@name='list'])", "0");
    /* the fake plugin has a diagnostic interrupt; standard-params is baton's, not listed */
    assert_xpath(doc, "count(//actions/action[@name='diag'])", "1");
    assert_xpath(doc, "count(//actions/action[@name='standard-params'])", "0");
    /* the decisions on the replaced agent's parameters are not metadata */
    assert_xpath(doc, "count(//parameter[@name='bridge'])", "0");
    /* every parameter has exactly one getopt, content and shortdesc */
    assert_xpath(doc, "count(//parameter[count(getopt) != 1 or count(content) != 1 "
                      "or count(shortdesc) != 1])", "0");
    xmlFreeDoc(doc);
}

static void test_no_secret_defaults(void **state)
{
    char *xml = NULL;
    xmlDocPtr doc = metadata_doc(&xml);

    (void) state;
    /* a parameter name appears once, however many tables it came from */
    assert_xpath(doc, "count(//parameter[@name='password'])", "1");
    assert_xpath(doc, "count(//parameter[@name='action'])", "1");
    assert_non_null(strstr(xml, "<?xml version=\"1.0\"?>"));
    free(xml);
    xmlFreeDoc(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_relaxng),
        cmocka_unit_test(test_content),
        cmocka_unit_test(test_no_secret_defaults),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
