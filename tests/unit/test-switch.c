/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * baton-switch's decisions: an agent pair from the agents' own documents, a
 * resource's new definition parameter by parameter, the unmanaged copy, and
 * where crm_mon and the CIB's history say a resource is.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "tools/switch/switch.h"
#include "tests/unit/xml-assert.h"

static const char table_xml[] =
    "<?xml version=\"1.0\"?>\n"
    "<baton:standard agent=\"ocf:heartbeat:Old\" replaced-by=\"ocf:baton:new\" "
    "xmlns:baton=\"urn:baton:metadata:1\">\n"
    "<baton:param name=\"gone\" decision=\"refused\" instead=\"use ip\">not here</baton:param>\n"
    "<baton:param name=\"flag\" decision=\"refused\" instead=\"leave it\" accept=\"false\">"
    "not implemented</baton:param>\n"
    "<baton:param name=\"knob\" decision=\"noop\">tuning of the old code</baton:param>\n"
    "<baton:param name=\"mask\" decision=\"differs\">a prefix length only</baton:param>\n"
    "</baton:standard>\n";

static const char baton_md[] =
    "<resource-agent name=\"new\"><parameters>"
    "<parameter name=\"ip\"/><parameter name=\"mask\"/><parameter name=\"own\"/>"
    "</parameters></resource-agent>";

static const char standard_md[] =
    "<resource-agent name=\"Old\"><parameters>"
    "<parameter name=\"ip\"/><parameter name=\"mask\"/><parameter name=\"gone\"/>"
    "<parameter name=\"flag\"/><parameter name=\"knob\"/>"
    "</parameters></resource-agent>";

static switch_agent *agent_ok(bool standard_installed)
{
    switch_agent *a = NULL;
    char *error = NULL;

    assert_int_equal(switch_agent_parse(table_xml, baton_md, standard_installed ? standard_md : NULL,
                                        &a, &error), 0);
    assert_null(error);
    return a;
}

static xmlDocPtr doc_ok(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int) strlen(xml), "t.xml", NULL, XML_PARSE_NONET);

    assert_non_null(doc);
    return doc;
}

/* The item for a primitive with the given nvpairs ("<nvpair .../>..."). */
static switch_item *map_ok(const switch_agent *a, switch_direction dir, const char *cls,
                           const char *nvpairs)
{
    baton_autofree char *xml = NULL;
    xmlDocPtr doc;
    switch_item *it = NULL;

    assert_true(asprintf(&xml, "<primitive id=\"r1\" %s><instance_attributes id=\"r1-ia\">%s"
                         "</instance_attributes><operations><op id=\"r1-mon\" name=\"monitor\" "
                         "interval=\"10s\"/></operations></primitive>", cls, nvpairs) > 0);
    doc = doc_ok(xml);
    assert_int_equal(switch_map(a, dir, xmlDocGetRootElement(doc), &it), 0);
    xmlFreeDoc(doc);
    return it;
}

static const switch_note *note_of(const switch_item *it, const char *param)
{
    for (size_t i = 0; i < it->n_notes; i++)
        if (it->notes[i].param && strcmp(it->notes[i].param, param) == 0)
            return &it->notes[i];
    return NULL;
}

#define OLD "class=\"ocf\" provider=\"heartbeat\" type=\"Old\""
#define NEW "class=\"ocf\" provider=\"baton\" type=\"new\""
#define NV(n, v) "<nvpair id=\"r1-" n "\" name=\"" n "\" value=\"" v "\"/>"

static void test_agent_parse(void **state)
{
    baton_autoptr(switch_agent) a = agent_ok(true);
    switch_agent *bad = NULL;
    char *error = NULL;

    (void) state;
    assert_string_equal(a->standard, "ocf:heartbeat:Old");
    assert_string_equal(a->baton, "ocf:baton:new");
    assert_int_equal(a->n_rules, 4);
    assert_int_equal(switch_agent_rule(a, "knob")->decision, BATON_STANDARD_NOOP);
    assert_string_equal(switch_agent_rule(a, "flag")->accept, "false");
    assert_string_equal(switch_agent_rule(a, "gone")->instead, "use ip");
    assert_null(switch_agent_rule(a, "ip"));
    assert_true(switch_names_contain(a->baton_params, "own"));
    assert_false(switch_names_contain(a->baton_params, "gone"));
    assert_true(switch_names_contain(a->standard_params, "gone"));

    assert_int_equal(switch_agent_parse("<nothing/>", baton_md, NULL, &bad, &error), -EINVAL);
    assert_null(bad);
    assert_non_null(error);
    free(error);
    error = NULL;
    assert_int_equal(switch_agent_parse(table_xml, "not xml", NULL, &bad, &error), -EINVAL);
    assert_non_null(error);
    free(error);
}

/* Fence agents name their standard agent bare: the CIB calls it stonith:NAME. */
static void test_agent_parse_fence(void **state)
{
    static const char fence_table[] =
        "<baton:standard agent=\"fence_old\" replaced-by=\"fence_baton_x\" "
        "xmlns:baton=\"urn:baton:metadata:1\"/>";
    baton_autoptr(switch_agent) a = NULL;

    (void) state;
    assert_int_equal(switch_agent_parse(fence_table, baton_md, NULL, &a, NULL), 0);
    assert_string_equal(a->standard, "stonith:fence_old");
    assert_string_equal(a->baton, "stonith:fence_baton_x");
    assert_int_equal(a->n_rules, 0);
    assert_null(a->standard_params);
}

static void test_map_to_baton(void **state)
{
    baton_autoptr(switch_agent) a = agent_ok(true);
    baton_autoptr(switch_item) it = map_ok(a, SWITCH_TO_BATON, OLD,
                                           NV("ip", "192.0.2.1") NV("mask", "24")
                                           NV("knob", "3") NV("flag", "no"));
    xmlDocPtr def;

    (void) state;
    assert_false(it->blocked);
    assert_string_equal(it->id, "r1");
    assert_string_equal(it->from, "ocf:heartbeat:Old");
    assert_string_equal(it->to, "ocf:baton:new");
    assert_false(it->fence);
    def = it->new_def;
    assert_xpath(def, "string(/primitive/@provider)", "baton");
    assert_xpath(def, "string(/primitive/@type)", "new");
    assert_xpath(def, "string(//nvpair[@name='ip']/@value)", "192.0.2.1");
    assert_xpath(def, "string(//nvpair[@name='mask']/@value)", "24");
    /* a no-op and a refused flag at the value baton acts on anyway are left out */
    assert_xpath(def, "count(//nvpair[@name='knob' or @name='flag'])", "0");
    /* everything else of the definition is kept */
    assert_xpath(def, "string(//op/@interval)", "10s");
    assert_xpath(it->old_def, "string(/primitive/@provider)", "heartbeat");
    assert_xpath(it->old_def, "count(//nvpair)", "4");

    assert_int_equal(note_of(it, "knob")->verdict, SWITCH_DROP);
    assert_int_equal(note_of(it, "flag")->verdict, SWITCH_DROP);
    assert_int_equal(note_of(it, "mask")->verdict, SWITCH_KEEP);
    assert_non_null(strstr(note_of(it, "mask")->text, "a prefix length only"));
    assert_null(note_of(it, "ip"));
}

static void test_map_to_baton_blocked(void **state)
{
    baton_autoptr(switch_agent) a = agent_ok(true);
    baton_autoptr(switch_item) refused = map_ok(a, SWITCH_TO_BATON, OLD, NV("gone", "x"));
    baton_autoptr(switch_item) flag = map_ok(a, SWITCH_TO_BATON, OLD, NV("flag", "true"));
    baton_autoptr(switch_item) unknown = map_ok(a, SWITCH_TO_BATON, OLD, NV("typo", "1"));

    (void) state;
    assert_true(refused->blocked);
    assert_int_equal(note_of(refused, "gone")->verdict, SWITCH_BLOCK);
    assert_non_null(strstr(note_of(refused, "gone")->text, "instead: use ip"));
    assert_true(flag->blocked);
    assert_true(unknown->blocked);
    assert_non_null(strstr(note_of(unknown, "typo")->text, "ocf:baton:new has no parameter typo"));
}

/* Rules, several sets, references: the admin's call, never guessed. */
static void test_map_by_hand(void **state)
{
    static const char *const xml[] = {
        "<primitive id=\"r1\" " OLD "><instance_attributes id=\"a\">" NV("ip", "1")
        "</instance_attributes><instance_attributes id=\"b\">" NV("mask", "2")
        "</instance_attributes></primitive>",
        "<primitive id=\"r1\" " OLD "><instance_attributes id=\"a\"><rule id=\"r\" score=\"1\"/>"
        NV("ip", "1") "</instance_attributes></primitive>",
        "<primitive id=\"r1\" " OLD "><instance_attributes id=\"a\"><nvpair id-ref=\"x\"/>"
        "</instance_attributes></primitive>",
    };
    baton_autoptr(switch_agent) a = agent_ok(true);

    (void) state;
    for (size_t i = 0; i < sizeof(xml) / sizeof(xml[0]); i++) {
        xmlDocPtr doc = doc_ok(xml[i]);
        switch_item *it = NULL;

        assert_int_equal(switch_map(a, SWITCH_TO_BATON, xmlDocGetRootElement(doc), &it), 0);
        assert_true(it->blocked);
        assert_non_null(strstr(it->notes[0].text, "by hand"));
        switch_item_free(it);
        xmlFreeDoc(doc);
    }
}

static void test_map_back(void **state)
{
    baton_autoptr(switch_agent) a = agent_ok(true);
    baton_autoptr(switch_agent) not_installed = agent_ok(false);
    baton_autoptr(switch_item) ok = map_ok(a, SWITCH_TO_STANDARD, NEW, NV("ip", "1") NV("mask", "24"));
    baton_autoptr(switch_item) own = map_ok(a, SWITCH_TO_STANDARD, NEW, NV("own", "1"));
    baton_autoptr(switch_item) missing = map_ok(not_installed, SWITCH_TO_STANDARD, NEW, NV("ip", "1"));

    (void) state;
    assert_false(ok->blocked);
    assert_string_equal(ok->to, "ocf:heartbeat:Old");
    assert_xpath(ok->new_def, "string(/primitive/@provider)", "heartbeat");
    assert_xpath(ok->new_def, "count(//nvpair)", "2");
    assert_int_equal(note_of(ok, "mask")->verdict, SWITCH_KEEP);
    assert_true(own->blocked);
    assert_non_null(strstr(note_of(own, "own")->text, "delete it first"));
    assert_true(missing->blocked);
    assert_non_null(strstr(missing->notes[0].text, "not installed"));
}

static void test_map_fence(void **state)
{
    static const char fence_table[] =
        "<baton:standard agent=\"fence_old\" replaced-by=\"fence_baton_x\" "
        "xmlns:baton=\"urn:baton:metadata:1\"/>";
    baton_autoptr(switch_agent) a = NULL;
    baton_autoptr(switch_item) it = NULL;

    (void) state;
    assert_int_equal(switch_agent_parse(fence_table, baton_md, NULL, &a, NULL), 0);
    it = map_ok(a, SWITCH_TO_BATON, "class=\"stonith\" type=\"fence_old\"",
                NV("ip", "1") NV("pcmk_host_list", "node1"));
    assert_true(it->fence);
    /* pacemaker-fenced's own parameters stay, though no agent declares them */
    assert_false(it->blocked);
    assert_xpath(it->new_def, "string(//nvpair[@name='pcmk_host_list']/@value)", "node1");
    assert_string_equal(it->from, "stonith:fence_old");
    assert_xpath(it->new_def, "string(/primitive/@class)", "stonith");
    assert_xpath(it->new_def, "string(/primitive/@type)", "fence_baton_x");
    assert_xpath(it->new_def, "count(/primitive/@provider)", "0");
}

static void test_unmanaged(void **state)
{
    xmlDocPtr plain = doc_ok("<primitive id=\"r1\" " OLD "/>");
    xmlDocPtr managed = doc_ok("<primitive id=\"r1\" " OLD "><meta_attributes id=\"m\">"
                               "<nvpair id=\"m-t\" name=\"target-role\" value=\"Started\"/>"
                               "<nvpair id=\"m-im\" name=\"is-managed\" value=\"true\"/>"
                               "</meta_attributes></primitive>");
    xmlDocPtr a = switch_def_unmanaged(plain);
    xmlDocPtr b = switch_def_unmanaged(managed);

    (void) state;
    assert_non_null(a);
    assert_non_null(b);
    assert_xpath(a, "string(/primitive/meta_attributes/nvpair[@name='is-managed']/@value)", "false");
    assert_xpath(a, "count(//meta_attributes/@id)", "1");
    assert_xpath(b, "count(//nvpair[@name='is-managed'])", "1");
    assert_xpath(b, "string(//nvpair[@name='is-managed']/@value)", "false");
    assert_xpath(b, "string(//nvpair[@name='target-role']/@value)", "Started");
    /* the originals are untouched: they are what comes back afterwards */
    assert_xpath(plain, "count(//meta_attributes)", "0");
    assert_xpath(managed, "string(//nvpair[@name='is-managed']/@value)", "true");
    xmlFreeDoc(a);
    xmlFreeDoc(b);
    xmlFreeDoc(plain);
    xmlFreeDoc(managed);
}

static const char crm_mon_xml[] =
    "<pacemaker-result api-version=\"2.29\"><resources>"
    "<resource id=\"ip1\" role=\"Started\" active=\"true\" failed=\"false\">"
    "<node name=\"n1\" id=\"1\" cached=\"true\"/></resource>"
    "<clone id=\"drbd-clone\" multi_state=\"true\">"
    "<resource id=\"drbd\" role=\"Promoted\" failed=\"false\"><node name=\"n2\" id=\"2\"/></resource>"
    "<resource id=\"drbd\" role=\"Slave\" failed=\"false\"><node name=\"n1\" id=\"1\"/></resource>"
    "</clone>"
    "<group id=\"g\"><resource id=\"vm1\" role=\"Stopped\" failed=\"false\"/>"
    "<resource id=\"bad:0\" role=\"Started\" failed=\"true\"><node name=\"n1\"/></resource></group>"
    "</resources></pacemaker-result>";

static void test_placement(void **state)
{
    switch_placement p = { 0 };
    baton_autofree char *ip = NULL;
    baton_autofree char *drbd = NULL;
    baton_autofree char *vm = NULL;

    (void) state;
    assert_int_equal(switch_placement_parse(crm_mon_xml, &p), 0);
    ip = switch_placement_of(&p, "ip1");
    drbd = switch_placement_of(&p, "drbd");
    vm = switch_placement_of(&p, "vm1");
    assert_string_equal(ip, "n1 Started");
    /* sorted, with the old role names mapped */
    assert_string_equal(drbd, "n1 Unpromoted, n2 Promoted");
    assert_string_equal(vm, "stopped");
    assert_true(switch_placement_failed(&p, "bad"));
    assert_false(switch_placement_failed(&p, "ip1"));
    switch_placement_clear(&p);
    assert_int_equal(switch_placement_parse("<not-crm-mon/>", &p), -EINVAL);
    assert_int_equal(switch_placement_parse("garbage", &p), -EINVAL);
}

static void test_probed_everywhere(void **state)
{
    xmlDocPtr cib = doc_ok(
        "<cib><configuration/><status>"
        "<node_state id=\"1\" uname=\"n1\" crmd=\"online\"><lrm id=\"1\"><lrm_resources>"
        "<lrm_resource id=\"ip1\" class=\"ocf\" provider=\"baton\" type=\"vip\">"
        "<lrm_rsc_op id=\"ip1_last_0\" operation=\"monitor\" call-id=\"7\"/></lrm_resource>"
        "<lrm_resource id=\"vm1\" class=\"ocf\" provider=\"heartbeat\" type=\"VirtualDomain\">"
        "<lrm_rsc_op id=\"vm1_last_0\" operation=\"monitor\" call-id=\"3\"/></lrm_resource>"
        "<lrm_resource id=\"fd\" class=\"stonith\" type=\"fence_baton_ipmi\">"
        "<lrm_rsc_op id=\"fd_last_0\" operation=\"monitor\" call-id=\"-1\"/></lrm_resource>"
        "</lrm_resources></lrm></node_state>"
        "<node_state id=\"2\" uname=\"n2\" crmd=\"online\"><lrm id=\"2\"><lrm_resources>"
        "<lrm_resource id=\"ip1\" class=\"ocf\" provider=\"baton\" type=\"vip\">"
        "<lrm_rsc_op id=\"ip1_last_0\" operation=\"monitor\" call-id=\"4\"/></lrm_resource>"
        "</lrm_resources></lrm></node_state>"
        "<node_state id=\"3\" uname=\"n3\" crmd=\"offline\"/>"
        "</status></cib>");
    baton_autofree char *node = NULL;

    (void) state;
    assert_true(switch_probed_everywhere(cib, "ip1", "ocf:baton:vip", NULL));
    /* n1 still has the old agent's history; n2 none at all */
    assert_false(switch_probed_everywhere(cib, "vm1", "ocf:baton:vm", &node));
    assert_string_equal(node, "n1");
    /* a pending operation is no answer yet */
    assert_false(switch_probed_everywhere(cib, "fd", "stonith:fence_baton_ipmi", NULL));
    xmlFreeDoc(cib);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agent_parse),
        cmocka_unit_test(test_agent_parse_fence),
        cmocka_unit_test(test_map_to_baton),
        cmocka_unit_test(test_map_to_baton_blocked),
        cmocka_unit_test(test_map_by_hand),
        cmocka_unit_test(test_map_back),
        cmocka_unit_test(test_map_fence),
        cmocka_unit_test(test_unmanaged),
        cmocka_unit_test(test_placement),
        cmocka_unit_test(test_probed_everywhere),
    };
    int r = cmocka_run_group_tests(tests, NULL, NULL);

    xmlCleanupParser();
    return r;
}
