/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Metadata: parsing of the source XML, its strict checks, and both output
 * forms, which are validated here with libxml2 against the OCF 1.1 RelaxNG
 * schema and the 1.0 DTD; and the compiled form: C written by
 * baton-metadata-compile (tests/unit/compile-fixture.xml, compiled by the
 * build) must be exactly what parsing the source gives.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/valid.h>

#include <baton/metadata.h>

#include "metadata-xml.h"
#include "tests/unit/xml-assert.h"

/* tests/unit/compile-fixture.xml as baton-metadata-compile wrote it, with its default symbol. */
extern const baton_metadata compile_fixture_metadata;

/* Every feature of the source format at least once. */
static const char full_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<resource-agent name=\"demo\" version=\"1.2.3\" xmlns:baton=\"urn:baton:metadata:1\">\n"
    "  <version>1.1</version>\n"
    "  <longdesc lang=\"en\">\n"
    "    Manages a demo &amp; its \"friends\" &lt;tm&gt;.\n"
    "\n"
    "    Second paragraph,\n"
    "      an indented line.\n"
    "\n"
    "\n"
    "    Third.\n"
    "  </longdesc>\n"
    "  <shortdesc lang=\"en\">Demo   agent\n    for tests</shortdesc>\n"
    "  <parameters>\n"
    "    <parameter name=\"ip\" required=\"1\" unique-group=\"address\">\n"
    "      <longdesc lang=\"en\">The address.</longdesc>\n"
    "      <shortdesc lang=\"en\">IP address</shortdesc>\n"
    "      <content type=\"string\"/>\n"
    "    </parameter>\n"
    "    <parameter name=\"proto\" reloadable=\"1\">\n"
    "      <longdesc lang=\"en\">Protocol to use.</longdesc>\n"
    "      <shortdesc lang=\"en\">Protocol</shortdesc>\n"
    "      <content type=\"select\" default=\"tcp\">\n"
    "        <option value=\"tcp\"/>\n"
    "        <option value=\"udp\"/>\n"
    "      </content>\n"
    "    </parameter>\n"
    "    <parameter name=\"timeout\">\n"
    "      <longdesc lang=\"en\">How long to wait.</longdesc>\n"
    "      <shortdesc lang=\"en\">Timeout</shortdesc>\n"
    "      <content type=\"string\" baton:type=\"duration\" baton:unit=\"s\"\n"
    "               baton:min=\"500ms\" baton:max=\"1h\" default=\"20s\"/>\n"
    "    </parameter>\n"
    "    <parameter name=\"delay\">\n"
    "      <longdesc lang=\"en\">Delay in milliseconds.</longdesc>\n"
    "      <shortdesc lang=\"en\">Delay</shortdesc>\n"
    "      <content type=\"integer\" baton:type=\"duration\" baton:unit=\"ms\" baton:max=\"2s\"/>\n"
    "    </parameter>\n"
    "    <parameter name=\"arp_count\" unique=\"1\">\n"
    "      <longdesc lang=\"en\">How many.</longdesc>\n"
    "      <shortdesc lang=\"en\">Count</shortdesc>\n"
    "      <content type=\"integer\" baton:min=\"1\" baton:max=\"100\" default=\"5\"/>\n"
    "    </parameter>\n"
    "    <parameter name=\"password\" baton:private=\"1\">\n"
    "      <longdesc lang=\"en\">Secret.</longdesc>\n"
    "      <shortdesc lang=\"en\">Password</shortdesc>\n"
    "      <content type=\"string\"/>\n"
    "    </parameter>\n"
    "    <parameter name=\"nic_name\">\n"
    "      <deprecated><replaced-with name=\"nic\"/><desc lang=\"en\">Use nic.</desc></deprecated>\n"
    "      <longdesc lang=\"en\">Old name of nic.</longdesc>\n"
    "      <shortdesc lang=\"en\">NIC (deprecated)</shortdesc>\n"
    "      <content type=\"string\"/>\n"
    "    </parameter>\n"
    "    <parameter name=\"nic\">\n"
    "      <longdesc lang=\"de\">Die Netzwerkkarte.</longdesc>\n"
    "      <longdesc lang=\"en\">Second longdesc, not rendered.</longdesc>\n"
    "      <shortdesc>NIC</shortdesc>\n"
    "      <content type=\"string\" default=\"a&quot;b&lt;c&gt;&amp;d&#10;e&#9;f\"/>\n"
    "    </parameter>\n"
    "    <parameter name=\"flag\">\n"
    "      <longdesc lang=\"en\">A <b>flag</b>.</longdesc>\n"
    "      <shortdesc lang=\"en\">Flag</shortdesc>\n"
    "      <content type=\"boolean\" default=\"false\"/>\n"
    "    </parameter>\n"
    "  </parameters>\n"
    "  <actions>\n"
    "    <action name=\"start\" timeout=\"20s\"/>\n"
    "    <action name=\"stop\" timeout=\"20s\"/>\n"
    "    <action name=\"monitor\" timeout=\"20s\" interval=\"10s\" depth=\"0\" role=\"Promoted\"/>\n"
    "    <action name=\"monitor\" timeout=\"20s\" interval=\"11s\" depth=\"0\" role=\"Unpromoted\"/>\n"
    "    <action name=\"promote\" timeout=\"30s\" start-delay=\"1s\"/>\n"
    "    <action name=\"demote\" timeout=\"20s\"/>\n"
    "    <action name=\"reload-agent\" timeout=\"20s\"/>\n"
    "    <action name=\"meta-data\" timeout=\"5s\"/>\n"
    "    <action name=\"validate-all\" timeout=\"20s\"/>\n"
    "  </actions>\n"
    "  <special tag=\"baton\"><anything/></special>\n"
    "</resource-agent>\n";

static baton_metadata *parse_ok(const char *xml)
{
    baton_metadata *md = NULL;

    assert_int_equal(baton_metadata_parse(xml, strlen(xml), &md, NULL), 0);
    assert_non_null(md);
    return md;
}

static char *render_ok(const baton_metadata *md, baton_metadata_format fmt)
{
    char *out = NULL;

    assert_int_equal(baton_metadata_render(md, fmt, &out), 0);
    assert_non_null(out);
    return out;
}

static const char *path_from_env(const char *var, const char *fallback)
{
    const char *v = getenv(var);

    return v && *v ? v : fallback;
}

/* libxml2's messages of the last validation, shown when a positive check fails. */
static char xml_errors[8192];

static void collect_xml_error(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void collect_xml_error(void *ctx, const char *fmt, ...)
{
    size_t used = strlen(xml_errors);
    va_list ap;

    (void) ctx;
    va_start(ap, fmt);
    vsnprintf(xml_errors + used, sizeof(xml_errors) - used, fmt, ap);
    va_end(ap);
}

static xmlDocPtr read_doc(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int) strlen(xml), "rendered.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

    assert_non_null(doc);
    return doc;
}

static bool valid_rng(const char *xml)
{
    const char *path = path_from_env("BATON_TEST_OCF_RNG", BATON_TEST_OCF_RNG);
    xmlRelaxNGParserCtxtPtr pctx = xmlRelaxNGNewParserCtxt(path);
    xmlRelaxNGPtr schema;
    xmlRelaxNGValidCtxtPtr vctx;
    xmlDocPtr doc;
    int r;

    assert_non_null(pctx);
    xml_errors[0] = '\0';
    schema = xmlRelaxNGParse(pctx);
    xmlRelaxNGFreeParserCtxt(pctx);
    if (!schema)
        fail_msg("cannot load the RelaxNG schema %s", path);
    vctx = xmlRelaxNGNewValidCtxt(schema);
    assert_non_null(vctx);
    xmlRelaxNGSetValidErrors(vctx, collect_xml_error, collect_xml_error, NULL);
    doc = read_doc(xml);
    r = xmlRelaxNGValidateDoc(vctx, doc);
    xmlFreeDoc(doc);
    xmlRelaxNGFreeValidCtxt(vctx);
    xmlRelaxNGFree(schema);
    return r == 0;
}

static bool valid_dtd(const char *xml)
{
    const char *path = path_from_env("BATON_TEST_OCF_DTD", BATON_TEST_OCF_DTD);
    xmlDtdPtr dtd = xmlParseDTD(NULL, BAD_CAST path);
    xmlValidCtxtPtr vctx;
    xmlDocPtr doc;
    int ok;

    if (!dtd)
        fail_msg("cannot load the DTD %s", path);
    xml_errors[0] = '\0';
    vctx = xmlNewValidCtxt();
    assert_non_null(vctx);
    vctx->error = collect_xml_error;
    vctx->warning = collect_xml_error;
    doc = read_doc(xml);
    ok = xmlValidateDtd(vctx, doc, dtd);
    xmlFreeDoc(doc);
    xmlFreeValidCtxt(vctx);
    xmlFreeDtd(dtd);
    return ok == 1;
}

#define assert_valid(check, xml) \
    do { \
        if (!check(xml)) \
            fail_msg(#check " failed: %s\n%s", xml_errors, xml); \
    } while (0)

static void assert_contains(const char *haystack, const char *needle)
{
    if (!strstr(haystack, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, haystack);
}

static void assert_lacks(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle))
        fail_msg("did not expect \"%s\" in:\n%s", needle, haystack);
}

/* ------------------------------------------------------------------ parsing */

static void test_parse_agent(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);

    (void) state;
    assert_string_equal(baton_metadata_name(md), "demo");
    assert_string_equal(baton_metadata_agent_version(md), "1.2.3");
    assert_int_equal(baton_metadata_n_params(md), 9);
    assert_int_equal(baton_metadata_n_actions(md), 9);
    assert_null(baton_metadata_param(md, 9));
    assert_null(baton_metadata_action(md, 9));
    assert_null(baton_metadata_find_param(md, "nope"));
    assert_null(baton_metadata_find_param(md, NULL));
    assert_null(baton_metadata_find_action(md, "migrate_to"));
    /* Declaration order is kept. */
    assert_string_equal(baton_metadata_param(md, 0)->name, "ip");
    assert_string_equal(baton_metadata_param(md, 8)->name, "flag");
    assert_ptr_equal(baton_metadata_param(md, 1), baton_metadata_find_param(md, "proto"));
}

static void test_parse_params(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    const baton_param_def *d;

    (void) state;
    d = baton_metadata_find_param(md, "ip");
    assert_int_equal(d->type, BATON_PARAM_STRING);
    assert_true(d->required);
    assert_true(d->unique);
    assert_string_equal(d->unique_group, "address");
    assert_false(d->reloadable);
    assert_false(d->private_);
    assert_null(d->default_value);
    assert_string_equal(d->shortdesc, "IP address");
    assert_string_equal(d->longdesc, "The address.");
    assert_false(d->deprecated);
    assert_null(d->replaced_by);

    d = baton_metadata_find_param(md, "proto");
    assert_int_equal(d->type, BATON_PARAM_SELECT);
    assert_true(d->reloadable);
    assert_false(d->required);
    assert_false(d->unique);
    assert_int_equal(d->n_options, 2);
    assert_string_equal(d->options[0], "tcp");
    assert_string_equal(d->options[1], "udp");
    assert_null(d->options[2]);
    assert_string_equal(d->default_value, "tcp");

    d = baton_metadata_find_param(md, "timeout");
    assert_int_equal(d->type, BATON_PARAM_DURATION);
    assert_int_equal(d->unit_ms, 1000);
    assert_true(d->has_min);
    assert_true(d->has_max);
    assert_int_equal(d->min, 500);
    assert_int_equal(d->max, 3600000);
    assert_string_equal(d->default_value, "20s");

    d = baton_metadata_find_param(md, "delay");
    assert_int_equal(d->type, BATON_PARAM_DURATION);
    assert_int_equal(d->unit_ms, 1);
    assert_false(d->has_min);
    assert_true(d->has_max);
    assert_int_equal(d->max, 2000);

    d = baton_metadata_find_param(md, "arp_count");
    assert_int_equal(d->type, BATON_PARAM_INTEGER);
    assert_true(d->unique);
    assert_null(d->unique_group);
    assert_int_equal(d->min, 1);
    assert_int_equal(d->max, 100);
    assert_int_equal(d->unit_ms, 0);

    d = baton_metadata_find_param(md, "password");
    assert_true(d->private_);

    d = baton_metadata_find_param(md, "nic_name");
    assert_true(d->deprecated);
    assert_string_equal(d->replaced_by, "nic");

    d = baton_metadata_find_param(md, "nic");
    /* The first longdesc is the one kept; markup-free entities are decoded. */
    assert_string_equal(d->longdesc, "Die Netzwerkkarte.");
    assert_string_equal(d->default_value, "a\"b<c>&d\ne\tf");

    d = baton_metadata_find_param(md, "flag");
    assert_int_equal(d->type, BATON_PARAM_BOOLEAN);
    assert_string_equal(d->longdesc, "A flag.");
}

static void test_parse_actions(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    const baton_action_meta *a;

    (void) state;
    a = baton_metadata_find_action(md, "monitor");
    assert_ptr_equal(a, baton_metadata_action(md, 2));
    assert_string_equal(a->timeout, "20s");
    assert_string_equal(a->interval, "10s");
    assert_string_equal(a->depth, "0");
    assert_string_equal(a->role, "Promoted");
    assert_null(a->start_delay);
    assert_string_equal(baton_metadata_action(md, 3)->role, "Unpromoted");

    a = baton_metadata_find_action(md, "promote");
    assert_string_equal(a->timeout, "30s");
    assert_string_equal(a->start_delay, "1s");
    assert_null(a->interval);
    assert_null(a->depth);
    assert_null(a->role);
    assert_non_null(baton_metadata_find_action(md, "reload-agent"));
}

static void test_text_normalised(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    baton_autofree char *out = NULL;

    (void) state;
    out = render_ok(md, BATON_METADATA_OCF_1_1);
    /* Indentation from the XML file goes, the author's own layout stays. */
    assert_contains(out, "<longdesc lang=\"en\">Manages a demo &amp; its \"friends\" &lt;tm&gt;.\n"
                         "\n"
                         "Second paragraph,\n"
                         "  an indented line.\n"
                         "\n"
                         "Third.</longdesc>");
    assert_contains(out, "<shortdesc lang=\"en\">Demo agent for tests</shortdesc>");
}

static void test_parse_length_not_terminated(void **state)
{
    size_t len = strlen(full_xml);
    char *buf = malloc(len + 16);
    baton_metadata *md = NULL;

    (void) state;
    assert_non_null(buf);
    memcpy(buf, full_xml, len);
    /* Garbage after len must not be read. */
    memcpy(buf + len, "<<<garbage>>>&&&", 16);
    assert_int_equal(baton_metadata_parse(buf, len, &md, NULL), 0);
    assert_string_equal(baton_metadata_name(md), "demo");
    baton_metadata_free(md);
    /* A truncated document is not well-formed. */
    md = NULL;
    assert_int_equal(baton_metadata_parse(buf, len / 2, &md, NULL), -EINVAL);
    assert_null(md);
    free(buf);
}

static void test_type_names(void **state)
{
    (void) state;
    assert_string_equal(baton_param_type_name(BATON_PARAM_STRING), "string");
    assert_string_equal(baton_param_type_name(BATON_PARAM_INTEGER), "integer");
    assert_string_equal(baton_param_type_name(BATON_PARAM_BOOLEAN), "boolean");
    assert_string_equal(baton_param_type_name(BATON_PARAM_SELECT), "select");
    assert_string_equal(baton_param_type_name(BATON_PARAM_DURATION), "duration");
    assert_string_equal(baton_param_type_name(BATON_PARAM_TYPE_MAX), "unknown");
    assert_null(baton_metadata_free(NULL));
}

/* ------------------------------------------------------------------ malformed */

/* A minimal valid document with one parameter whose attributes/body are given. */
#define DOC_HEAD \
    "<resource-agent name=\"x\" xmlns:baton=\"urn:baton:metadata:1\"><version>1.1</version>" \
    "<longdesc lang=\"en\">L</longdesc><shortdesc lang=\"en\">S</shortdesc>"
#define DOC_ACTIONS "<actions><action name=\"start\" timeout=\"20s\"/></actions>"
#define DOC_TAIL DOC_ACTIONS "</resource-agent>"
#define DESC "<longdesc lang=\"en\">l</longdesc><shortdesc lang=\"en\">s</shortdesc>"
#define PARAM(attrs, content) \
    DOC_HEAD "<parameters><parameter name=\"p\" " attrs ">" DESC content \
    "</parameter></parameters>" DOC_TAIL

static void test_minimal_valid(void **state)
{
    static const char *const good[] = {
        PARAM("", "<content type=\"string\"/>"),
        PARAM("baton:private=\"0\"", "<content type=\"string\"/>"),
        PARAM("", "<content type=\"integer\" baton:min=\"-5\" baton:max=\"-5\" default=\"-5\"/>"),
        PARAM("", "<content type=\"string\" baton:type=\"duration\" default=\"90\"/>"),
        PARAM("", "<content type=\"string\" baton:type=\"duration\" baton:unit=\"min\"/>"),
        PARAM("", "<content type=\"select\"><option value=\"only\"/></content>"),
        /* No <parameters> at all. */
        DOC_HEAD DOC_TAIL,
    };

    (void) state;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        baton_metadata *md = NULL;
        int r = baton_metadata_parse(good[i], strlen(good[i]), &md, NULL);

        if (r != 0)
            fail_msg("rejected (%d): %s", r, good[i]);
        baton_metadata_free(md);
    }
}

static void test_malformed(void **state)
{
    static const char *const bad[] = {
        /* not XML, or not ours */
        "",
        "<resource-agent",
        "<agent name=\"x\"/>",
        "<resource-agent xmlns=\"urn:other\" name=\"x\"><version>1.1</version></resource-agent>",
        /* the agent itself */
        "<resource-agent><version>1.1</version><longdesc lang=\"en\">L</longdesc>"
        "<shortdesc lang=\"en\">S</shortdesc>" DOC_TAIL,
        "<resource-agent name=\"x\"><longdesc lang=\"en\">L</longdesc>"
        "<shortdesc lang=\"en\">S</shortdesc>" DOC_TAIL,
        "<resource-agent name=\"x\"><version>1.0</version><longdesc lang=\"en\">L</longdesc>"
        "<shortdesc lang=\"en\">S</shortdesc>" DOC_TAIL,
        "<resource-agent name=\"x\"><version>1.1</version><shortdesc lang=\"en\">S</shortdesc>"
        DOC_TAIL,
        "<resource-agent name=\"x\"><version>1.1</version><longdesc lang=\"en\">L</longdesc>"
        DOC_TAIL,
        DOC_HEAD "</resource-agent>",
        DOC_HEAD "<actions/></resource-agent>",
        DOC_HEAD DOC_ACTIONS DOC_ACTIONS "</resource-agent>",
        DOC_HEAD "<bogus/>" DOC_TAIL,
        /* parameters */
        DOC_HEAD "<parameters><parameter>" DESC "<content type=\"string\"/></parameter>"
        "</parameters>" DOC_TAIL,
        DOC_HEAD "<parameters><parameter name=\"\">" DESC "<content type=\"string\"/></parameter>"
        "</parameters>" DOC_TAIL,
        DOC_HEAD "<parameters><parameter name=\"p\">" DESC "<content type=\"string\"/></parameter>"
        "<parameter name=\"p\">" DESC "<content type=\"integer\"/></parameter></parameters>"
        DOC_TAIL,
        DOC_HEAD "<parameters><foo/></parameters>" DOC_TAIL,
        PARAM("", ""),
        PARAM("", "<content type=\"string\"/><content type=\"string\"/>"),
        PARAM("", "<content/>"),
        PARAM("", "<content type=\"time\"/>"),
        PARAM("", "<content type=\"String\"/>"),
        PARAM("", "<content type=\"select\"/>"),
        PARAM("", "<content type=\"select\"><option/></content>"),
        PARAM("", "<content type=\"select\"><option value=\"a\"/><option value=\"a\"/></content>"),
        PARAM("", "<content type=\"select\"><choice value=\"a\"/></content>"),
        PARAM("", "<content type=\"string\"><option value=\"a\"/></content>"),
        PARAM("", "<content type=\"integer\" baton:min=\"10\" baton:max=\"1\"/>"),
        PARAM("", "<content type=\"integer\" baton:min=\"ten\"/>"),
        PARAM("", "<content type=\"integer\" baton:max=\"99999999999999999999\"/>"),
        PARAM("", "<content type=\"string\" baton:type=\"duration\" baton:min=\"1h\" baton:max=\"1s\"/>"),
        PARAM("", "<content type=\"string\" baton:type=\"duration\" baton:min=\"5x\"/>"),
        PARAM("", "<content type=\"string\" baton:min=\"1\"/>"),
        PARAM("", "<content type=\"boolean\" baton:max=\"1\"/>"),
        PARAM("", "<content type=\"integer\" baton:unit=\"s\"/>"),
        PARAM("", "<content type=\"string\" baton:type=\"duration\" baton:unit=\"fortnight\"/>"),
        PARAM("", "<content type=\"string\" baton:type=\"time\"/>"),
        PARAM("", "<content type=\"boolean\" baton:type=\"duration\"/>"),
        PARAM("", "<content type=\"select\" baton:type=\"duration\"><option value=\"1s\"/></content>"),
        PARAM("", "<content type=\"string\" baton:typo=\"1\"/>"),
        PARAM("baton:privte=\"1\"", "<content type=\"string\"/>"),
        PARAM("baton:private=\"perhaps\"", "<content type=\"string\"/>"),
        PARAM("required=\"2\"", "<content type=\"string\"/>"),
        PARAM("unique=\"x\"", "<content type=\"string\"/>"),
        PARAM("reloadable=\"maybe\"", "<content type=\"string\"/>"),
        PARAM("unique-group=\"\"", "<content type=\"string\"/>"),
        /* defaults must be valid values */
        PARAM("", "<content type=\"integer\" default=\"abc\"/>"),
        PARAM("", "<content type=\"integer\" baton:max=\"3\" default=\"4\"/>"),
        PARAM("", "<content type=\"boolean\" default=\"maybe\"/>"),
        PARAM("", "<content type=\"select\" default=\"c\"><option value=\"a\"/></content>"),
        PARAM("", "<content type=\"string\" baton:type=\"duration\" baton:min=\"1s\" default=\"10ms\"/>"),
        /* deprecation */
        PARAM("", "<deprecated><replaced-with name=\"q\"/></deprecated><content type=\"string\"/>"),
        PARAM("", "<deprecated><replaced-with name=\"p\"/></deprecated><content type=\"string\"/>"),
        PARAM("", "<deprecated><replaced-with/></deprecated><content type=\"string\"/>"),
        PARAM("", "<deprecated><bogus/></deprecated><content type=\"string\"/>"),
        PARAM("", "<deprecated/><deprecated/><content type=\"string\"/>"),
        /* structure and namespace */
        PARAM("", "<content type=\"string\"/><baton:extra/>"),
        PARAM("", "<content type=\"string\"/><extra/>"),
        DOC_HEAD "<parameters><parameter name=\"p\"><shortdesc lang=\"en\">s</shortdesc>"
        "<content type=\"string\"/></parameter></parameters>" DOC_TAIL,
        DOC_HEAD "<parameters><parameter name=\"p\"><longdesc lang=\"en\">l</longdesc>"
        "<content type=\"string\"/></parameter></parameters>" DOC_TAIL,
        DOC_HEAD "<parameters><parameter name=\"p\">" DESC "<content type=\"select\">"
        "<option value=\"a\" baton:x=\"1\"/></content></parameter></parameters>" DOC_TAIL,
        "<resource-agent name=\"x\" xmlns:baton=\"urn:baton:metadata:1\" baton:x=\"1\">"
        "<version>1.1</version><longdesc lang=\"en\">L</longdesc>"
        "<shortdesc lang=\"en\">S</shortdesc>" DOC_TAIL,
        /* actions */
        DOC_HEAD "<actions><action name=\"start\"/></actions></resource-agent>",
        DOC_HEAD "<actions><action timeout=\"20s\"/></actions></resource-agent>",
        DOC_HEAD "<actions><action name=\"monitor\" timeout=\"20s\" role=\"Master\"/></actions>"
        "</resource-agent>",
        DOC_HEAD "<actions><action name=\"start\" timeout=\"20s\"><x/></action></actions>"
        "</resource-agent>",
        DOC_HEAD "<actions><start/></actions></resource-agent>",
    };

    (void) state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        baton_metadata *md = (baton_metadata *) 0x1;   /* must stay untouched */
        char *error = NULL;
        int r = baton_metadata_parse(bad[i], strlen(bad[i]), &md, &error);

        if (r != -EINVAL)
            fail_msg("#%zu accepted or wrong error (%d): %s", i, r, bad[i]);
        assert_ptr_equal(md, (baton_metadata *) 0x1);
        /* The tool shows this to whoever wrote the XML: it must say something. */
        if (!error || !*error)
            fail_msg("#%zu rejected without a reason: %s", i, bad[i]);
        free(error);
    }
}

static void test_parse_bad_arguments(void **state)
{
    baton_metadata *md = NULL;

    (void) state;
    assert_int_equal(baton_metadata_parse(NULL, 0, &md, NULL), -EINVAL);
    assert_int_equal(baton_metadata_parse(full_xml, strlen(full_xml), NULL, NULL), -EINVAL);
    assert_null(md);
}

/* ------------------------------------------------------------------ rendering */

static void test_render_1_1(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    baton_autofree char *out = render_ok(md, BATON_METADATA_OCF_1_1);

    (void) state;
    assert_valid(valid_rng, out);
    assert_lacks(out, "baton");         /* prefix, namespace and attributes */
    assert_lacks(out, "DOCTYPE");
    assert_lacks(out, "<special");
    assert_contains(out, "<?xml version=\"1.0\"?>\n<resource-agent name=\"demo\" version=\"1.2.3\">\n");
    assert_lacks(out, "encoding=");     /* crmsh 4.4 cannot parse a declared encoding */
    assert_contains(out, "<version>1.1</version>");
    assert_contains(out, "<parameter name=\"ip\" unique-group=\"address\" unique=\"1\" required=\"1\">");
    assert_contains(out, "<parameter name=\"proto\" reloadable=\"1\">");
    assert_contains(out, "<parameter name=\"arp_count\" unique=\"1\">");
    assert_contains(out, "<content type=\"select\" default=\"tcp\">\n"
                         "        <option value=\"tcp\"/>\n"
                         "        <option value=\"udp\"/>\n"
                         "      </content>");
    assert_contains(out, "<longdesc lang=\"en\">Protocol to use.</longdesc>");
    assert_contains(out, "<deprecated>\n        <replaced-with name=\"nic\"/>\n"
                         "        <desc lang=\"en\">Use nic.</desc>\n      </deprecated>");
    /* durations keep the source's OCF type; limits are ours alone */
    assert_contains(out, "<content type=\"string\" default=\"20s\"/>");
    assert_contains(out, "<content type=\"integer\"/>");
    assert_contains(out, "<content type=\"integer\" default=\"5\"/>");
    assert_contains(out, "<content type=\"boolean\" default=\"false\"/>");
    /* a missing lang gets the default one */
    assert_contains(out, "<longdesc lang=\"de\">Die Netzwerkkarte.</longdesc>\n      <shortdesc lang=\"en\">NIC</shortdesc>");
    assert_lacks(out, "Second longdesc");
    assert_contains(out, "default=\"a&quot;b&lt;c&gt;&amp;d&#10;e&#9;f\"");
    assert_contains(out, "<action name=\"monitor\" timeout=\"20s\" interval=\"10s\" depth=\"0\" role=\"Promoted\"/>");
    assert_contains(out, "<action name=\"monitor\" timeout=\"20s\" interval=\"11s\" depth=\"0\" role=\"Unpromoted\"/>");
    assert_contains(out, "<action name=\"promote\" timeout=\"30s\" start-delay=\"1s\"/>");
    assert_contains(out, "<action name=\"reload-agent\" timeout=\"20s\"/>");
    /* the schemas disagree: 1.1 is not a valid 1.0 document (and the validator can say no) */
    assert_false(valid_dtd(out));
}

static void test_render_1_0(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    baton_autofree char *out = render_ok(md, BATON_METADATA_OCF_1_0);

    (void) state;
    assert_valid(valid_dtd, out);
    assert_lacks(out, "baton");
    assert_lacks(out, "encoding=");
    assert_contains(out, "<?xml version=\"1.0\"?>\n"
                         "<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\">\n"
                         "<resource-agent name=\"demo\" version=\"1.2.3\">\n"
                         "  <version>1.0</version>\n");
    assert_lacks(out, "1.1");
    assert_lacks(out, "unique-group");
    assert_lacks(out, "reloadable");
    assert_lacks(out, "deprecated>");
    assert_lacks(out, "replaced-with");
    assert_lacks(out, "<option");
    assert_lacks(out, "select");
    assert_lacks(out, "reload-agent");
    assert_lacks(out, "Promoted");
    assert_contains(out, "<parameter name=\"ip\" unique=\"1\" required=\"1\">");
    assert_contains(out, "<parameter name=\"proto\">");
    assert_contains(out, "<longdesc lang=\"en\">Protocol to use.\n\nAllowed values: tcp, udp</longdesc>");
    assert_contains(out, "<content type=\"string\" default=\"tcp\"/>");
    assert_contains(out, "<content type=\"string\" default=\"20s\"/>");
    assert_contains(out, "<content type=\"integer\"/>");
    assert_contains(out, "role=\"Master\"");
    assert_contains(out, "role=\"Slave\"");
    /* the deprecated parameter itself is still accepted, so still described */
    assert_contains(out, "<parameter name=\"nic_name\">");
    assert_contains(out, "<action name=\"validate-all\" timeout=\"20s\"/>");
    /* 1.0 output is also well-formed for 1.1 readers */
    assert_valid(valid_rng, out);
}

/* What a parser reads back is exactly what was parsed: escaping loses nothing. */
static void test_render_round_trip(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    baton_autoptr(baton_metadata) again = NULL;
    baton_autofree char *out = render_ok(md, BATON_METADATA_OCF_1_1);
    baton_autofree char *out2 = NULL;

    (void) state;
    assert_int_equal(baton_metadata_parse(out, strlen(out), &again, NULL), 0);
    assert_string_equal(baton_metadata_find_param(again, "nic")->default_value,
                        baton_metadata_find_param(md, "nic")->default_value);
    /* Rendering is a fixed point once the source's own layout is normalised. */
    out2 = render_ok(again, BATON_METADATA_OCF_1_1);
    assert_string_equal(out, out2);
}

static void test_render_empty_params_1_0(void **state)
{
    static const char xml[] = DOC_HEAD DOC_TAIL;
    baton_autoptr(baton_metadata) md = parse_ok(xml);
    baton_autofree char *out = render_ok(md, BATON_METADATA_OCF_1_0);

    (void) state;
    assert_int_equal(baton_metadata_n_params(md), 0);
    assert_valid(valid_dtd, out);
}

static void test_render_bad_arguments(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    char *out = NULL;

    (void) state;
    assert_int_equal(baton_metadata_render(md, (baton_metadata_format) 7, &out), -EINVAL);
    assert_int_equal(baton_metadata_render(NULL, BATON_METADATA_OCF_1_1, &out), -EINVAL);
    assert_null(out);
}

static void test_write(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    baton_autofree char *expected = render_ok(md, BATON_METADATA_OCF_1_0);
    baton_autofree char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    (void) state;
    assert_non_null(f);
    assert_int_equal(baton_metadata_write(md, BATON_METADATA_OCF_1_0, f), 0);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(buf, expected);
}

static void test_write_failure(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    FILE *f = fopen("/dev/full", "w");

    (void) state;
    if (!f)
        skip();
    assert_true(baton_metadata_write(md, BATON_METADATA_OCF_1_1, f) < 0);
    fclose(f);
}

/* The standard-params form: escaped, another agent's entries left out, a parser reads it back. */
static void test_standard_params_write(void **state)
{
    static const baton_standard_param params[] = {
        { .agent = "ocf:heartbeat:Old", .name = "a", .decision = BATON_STANDARD_REFUSED,
          .why = "not <here> & \"now\"", .instead = "use b", .accept = "false" },
        { .agent = "ocf:other:Agent", .name = "skipped", .decision = BATON_STANDARD_NOOP,
          .why = "another table" },
        { .agent = "ocf:heartbeat:Old", .name = "c", .decision = BATON_STANDARD_DIFFERS,
          .why = "default 1" },
    };
    baton_autofree char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    xmlDocPtr doc;

    (void) state;
    assert_non_null(f);
    assert_int_equal(baton_standard_params_write(f, "ocf:heartbeat:Old", "ocf:baton:new",
                                                 params, 3), 0);
    assert_int_equal(fclose(f), 0);
    doc = xmlReadMemory(buf, (int) len, "standard.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    assert_xpath(doc, "string(/*/@agent)", "ocf:heartbeat:Old");
    assert_xpath(doc, "string(/*/@replaced-by)", "ocf:baton:new");
    assert_xpath(doc, "count(/*/*)", "2");
    assert_xpath(doc, "string(/*/*[1]/@name)", "a");
    assert_xpath(doc, "string(/*/*[1]/@decision)", "refused");
    assert_xpath(doc, "string(/*/*[1]/@instead)", "use b");
    assert_xpath(doc, "string(/*/*[1]/@accept)", "false");
    assert_xpath(doc, "string(/*/*[1])", "not <here> & \"now\"");
    assert_xpath(doc, "string(/*/*[2]/@decision)", "differs");
    assert_xpath(doc, "count(/*/*[2]/@instead)", "0");
    xmlFreeDoc(doc);
    assert_int_equal(baton_standard_params_write(NULL, "a", "b", params, 1), -EINVAL);
}

/* ------------------------------------------------------------------ error messages */

static char *parse_error(const char *xml)
{
    baton_metadata *md = NULL;
    char *error = NULL;

    assert_int_equal(baton_metadata_parse(xml, strlen(xml), &md, &error), -EINVAL);
    assert_null(md);
    assert_non_null(error);
    return error;
}

static void test_parse_error_messages(void **state)
{
    static const char wrong_version[] =
        "<resource-agent name=\"x\">\n"
        "  <version>1.0</version>\n"
        "</resource-agent>\n";
    static const char bad_default[] =
        DOC_HEAD "\n<parameters>\n<parameter name=\"p\">" DESC
        "\n<content type=\"integer\" default=\"abc\"/></parameter></parameters>" DOC_TAIL;
    static const char unknown_replacement[] =
        DOC_HEAD "<parameters>\n\n<parameter name=\"p\">"
        "<deprecated><replaced-with name=\"q\"/></deprecated>" DESC
        "<content type=\"string\"/></parameter></parameters>" DOC_TAIL;
    static const char typo[] =
        DOC_HEAD "<parameters><parameter name=\"p\" baton:privte=\"1\">" DESC
        "<content type=\"string\"/></parameter></parameters>" DOC_TAIL;
    char *error;

    (void) state;
    error = parse_error(wrong_version);
    assert_string_equal(error, "line 2: the source must say <version>1.1</version>");
    free(error);

    error = parse_error(bad_default);
    assert_string_equal(error, "line 4: parameter 'p': invalid default 'abc'");
    free(error);

    error = parse_error(unknown_replacement);
    assert_string_equal(error, "line 3: parameter 'p' is replaced with unknown parameter 'q'");
    free(error);

    error = parse_error(typo);
    assert_string_equal(error, "line 1: unknown attribute baton:privte on <parameter>");
    free(error);

    /* libxml2's own words, with the line it stopped at */
    error = parse_error("<resource-agent name=\"x\">\n<version>1.1</version>\n<oops>\n");
    if (strncmp(error, "line ", 5) != 0 || !strstr(error, "not well-formed XML: "))
        fail_msg("unexpected message: %s", error);
    assert_null(strchr(error, '\n'));
    free(error);
}

/* The standard agents' table: every mistake names its line. */
static void test_parse_error_standard(void **state)
{
#define STD(body) \
    DOC_HEAD "<parameters><parameter name=\"p\">" DESC "<content type=\"string\"/></parameter>" \
    "</parameters>\n<baton:standard agent=\"ocf:x:y\">\n" body "</baton:standard>" DOC_TAIL
    static const struct {
        const char *xml;
        const char *error;
    } cases[] = {
        { STD("<baton:param name=\"q\" decision=\"ignored\">w</baton:param>"),
          "line 3: standard parameter 'q': unknown decision 'ignored' (refused, noop or differs)" },
        { STD("<baton:param name=\"q\">w</baton:param>"),
          "line 3: standard parameter 'q': unknown decision '(none)' (refused, noop or differs)" },
        { STD("<baton:param name=\"q\" decision=\"refused\">w</baton:param>"),
          "line 3: standard parameter 'q': refused without instead=\"...\"" },
        { STD("<baton:param name=\"q\" decision=\"noop\" instead=\"x\">w</baton:param>"),
          "line 3: standard parameter 'q': instead and accept are for refused ones" },
        { STD("<baton:param name=\"q\" decision=\"noop\"> </baton:param>"),
          "line 3: standard parameter 'q': say why (the element's text)" },
        { STD("<baton:param name=\"q\" decision=\"noop\" reason=\"x\">w</baton:param>"),
          "line 3: unknown attribute reason on <baton:param>" },
        { STD("<baton:param name=\"q\" decision=\"noop\">w</baton:param>\n"
              "<baton:param name=\"q\" decision=\"noop\">w</baton:param>"),
          "line 4: standard parameter 'q' of ocf:x:y listed twice" },
        { STD("<baton:param name=\"p\" decision=\"refused\" instead=\"i\">w</baton:param>"),
          "line 3: standard parameter 'p' is refused, but 'x' declares it: "
          "use decision=\"differs\" or drop the entry" },
        { STD("<baton:param name=\"q\" decision=\"differs\">w</baton:param>"),
          "line 3: standard parameter 'q' differs, but 'x' declares no such parameter" },
        { STD("<baton:parameter name=\"q\" decision=\"noop\">w</baton:parameter>"),
          "line 3: unexpected <parameter> in <baton:standard>" },
        { DOC_HEAD "\n<baton:standard>" "</baton:standard>" DOC_TAIL,
          "line 2: <baton:standard> needs agent=\"ocf:PROVIDER:TYPE\"" },
        { DOC_HEAD "\n<baton:standards agent=\"a\"/>" DOC_TAIL,
          "line 2: unexpected <standards> in <resource-agent>" },
    };
#undef STD

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *error = parse_error(cases[i].xml);

        if (strcmp(error, cases[i].error) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, error, cases[i].error);
        free(error);
    }
}

static void test_parse_error_untouched_on_success(void **state)
{
    baton_metadata *md = NULL;
    char *error = (char *) 0x1;

    (void) state;
    assert_int_equal(baton_metadata_parse(full_xml, strlen(full_xml), &md, &error), 0);
    assert_ptr_equal(error, (char *) 0x1);
    baton_metadata_free(md);
}

/* ------------------------------------------------------------------ compiled form */

static void assert_str_or_null_equal(const char *what, const char *a, const char *b)
{
    if (!a || !b) {
        if (a != b)
            fail_msg("%s: '%s' vs '%s'", what, a ? a : "(null)", b ? b : "(null)");
        return;
    }
    if (strcmp(a, b) != 0)
        fail_msg("%s: '%s' vs '%s'", what, a, b);
}

static void assert_param_equal(const baton_param_def *a, const baton_param_def *b)
{
    assert_str_or_null_equal("name", a->name, b->name);
    assert_int_equal(a->type, b->type);
    assert_int_equal(a->required, b->required);
    assert_int_equal(a->unique, b->unique);
    assert_str_or_null_equal("unique_group", a->unique_group, b->unique_group);
    assert_int_equal(a->reloadable, b->reloadable);
    assert_int_equal(a->private_, b->private_);
    assert_str_or_null_equal("default_value", a->default_value, b->default_value);
    assert_int_equal(a->n_options, b->n_options);
    assert_int_equal(a->options == NULL, b->options == NULL);
    for (size_t k = 0; a->options && k <= a->n_options; k++)
        assert_str_or_null_equal("option", a->options[k], b->options[k]);
    assert_int_equal(a->has_min, b->has_min);
    assert_int_equal(a->has_max, b->has_max);
    assert_true(a->min == b->min);
    assert_true(a->max == b->max);
    assert_true(a->unit_ms == b->unit_ms);
    assert_str_or_null_equal("shortdesc", a->shortdesc, b->shortdesc);
    assert_str_or_null_equal("longdesc", a->longdesc, b->longdesc);
    assert_str_or_null_equal("replaced_by", a->replaced_by, b->replaced_by);
    assert_int_equal(a->deprecated, b->deprecated);
}

static void assert_action_equal(const baton_action_meta *a, const baton_action_meta *b)
{
    assert_str_or_null_equal("action name", a->name, b->name);
    assert_str_or_null_equal("timeout", a->timeout, b->timeout);
    assert_str_or_null_equal("interval", a->interval, b->interval);
    assert_str_or_null_equal("depth", a->depth, b->depth);
    assert_str_or_null_equal("role", a->role, b->role);
    assert_str_or_null_equal("start_delay", a->start_delay, b->start_delay);
}

/* Field by field, so that a field the emitter forgets shows up here. */
static void assert_standard_equal(const baton_standard_param *a, const baton_standard_param *b)
{
    assert_str_or_null_equal("standard agent", a->agent, b->agent);
    assert_str_or_null_equal("standard name", a->name, b->name);
    assert_int_equal(a->decision, b->decision);
    assert_str_or_null_equal("standard why", a->why, b->why);
    assert_str_or_null_equal("standard instead", a->instead, b->instead);
    assert_str_or_null_equal("standard accept", a->accept, b->accept);
}

static void assert_metadata_equal(const baton_metadata *a, const baton_metadata *b)
{
    assert_int_equal(a->layout, BATON_METADATA_LAYOUT);
    assert_int_equal(b->layout, BATON_METADATA_LAYOUT);
    assert_str_or_null_equal("agent", baton_metadata_name(a), baton_metadata_name(b));
    assert_str_or_null_equal("version", baton_metadata_agent_version(a),
                             baton_metadata_agent_version(b));
    assert_int_equal(baton_metadata_n_params(a), baton_metadata_n_params(b));
    for (size_t i = 0; i < baton_metadata_n_params(a); i++)
        assert_param_equal(baton_metadata_param(a, i), baton_metadata_param(b, i));
    assert_int_equal(baton_metadata_n_actions(a), baton_metadata_n_actions(b));
    for (size_t i = 0; i < baton_metadata_n_actions(a); i++)
        assert_action_equal(baton_metadata_action(a, i), baton_metadata_action(b, i));
    assert_int_equal(baton_metadata_n_standard_params(a), baton_metadata_n_standard_params(b));
    for (size_t i = 0; i < baton_metadata_n_standard_params(a); i++)
        assert_standard_equal(baton_metadata_standard_param(a, i),
                              baton_metadata_standard_param(b, i));
    assert_null(baton_metadata_standard_param(a, baton_metadata_n_standard_params(a)));
    for (size_t f = 0; f < BATON_METADATA_FORMAT_MAX; f++) {
        assert_int_equal(a->rendered_len[f], strlen(a->rendered[f]));
        assert_int_equal(b->rendered_len[f], strlen(b->rendered[f]));
        assert_string_equal(a->rendered[f], b->rendered[f]);
    }
}

static char *read_text_file(const char *path)
{
    FILE *f = fopen(path, "r");
    char *buf;
    long len;

    if (!f)
        fail_msg("cannot open %s", path);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    assert_true(len > 0);
    rewind(f);
    buf = malloc((size_t) len + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t) len, f), (size_t) len);
    buf[len] = '\0';
    fclose(f);
    return buf;
}

static baton_metadata *parse_fixture(void)
{
    baton_autofree char *xml = read_text_file(
        path_from_env("BATON_TEST_COMPILE_FIXTURE", BATON_TEST_COMPILE_FIXTURE));

    return parse_ok(xml);
}

static void test_compiled_equals_parsed(void **state)
{
    baton_autoptr(baton_metadata) md = parse_fixture();
    const baton_metadata *c = &compile_fixture_metadata;
    const baton_standard_param *s;
    const baton_param_def *d;

    (void) state;
    assert_metadata_equal(c, md);

    /* What the fixture is there for survived the trip through C. */
    assert_string_equal(baton_metadata_name(c), "compile-fixture");
    assert_string_equal(baton_metadata_agent_version(c), "0.9\\beta");
    d = baton_metadata_find_param(c, "text");
    assert_string_equal(d->default_value, "tab\tnl\ncr\rq\"bs\\?\?=end");
    assert_string_equal(d->unique_group, "g\"\\");
    assert_true(d->private_);
    d = baton_metadata_find_param(c, "count");
    assert_true(d->min == INT64_MIN);
    assert_true(d->max == INT64_MAX);
    assert_true(d->has_min && d->has_max);
    d = baton_metadata_find_param(c, "neg");
    assert_true(d->min == -5 && d->max == -1);
    d = baton_metadata_find_param(c, "wait");
    assert_int_equal(d->type, BATON_PARAM_DURATION);
    assert_true(d->unit_ms == 1 && d->min == 1000 && d->max == 3600000);
    d = baton_metadata_find_param(c, "mode");
    assert_int_equal(d->n_options, 4);
    assert_string_equal(d->options[0], "a\"b");
    assert_string_equal(d->options[1], "c\\d");
    assert_string_equal(d->options[2], "\xc3\xa9");
    assert_string_equal(d->options[3], "?\?=");
    assert_null(d->options[4]);
    assert_string_equal(baton_metadata_find_param(c, "empty_default")->default_value, "");
    assert_null(baton_metadata_find_param(c, "flag")->options);
    assert_string_equal(baton_metadata_find_action(c, "monitor")->role, "Promoted");
    assert_string_equal(baton_metadata_find_action(c, "promote")->start_delay, "1s");
    assert_non_null(strstr(baton_metadata_param(c, 0)->longdesc, "Tab\tnewline\nend."));

    /* The standard agents' table, in source order, escapes intact, text on one line. */
    assert_int_equal(baton_metadata_n_standard_params(c), 4);
    s = baton_metadata_standard_param(c, 0);
    assert_string_equal(s->agent, "ocf:test:old");
    assert_string_equal(s->name, "gone");
    assert_int_equal(s->decision, BATON_STANDARD_REFUSED);
    assert_string_equal(s->why, "not \"here\" ?\?/ at all");
    assert_string_equal(s->instead, "use \"mode\" (a\\b)");
    assert_string_equal(s->accept, "false");
    s = baton_metadata_standard_param(c, 1);
    assert_int_equal(s->decision, BATON_STANDARD_NOOP);
    assert_string_equal(s->why, "tuning of the old one");
    assert_null(s->instead);
    assert_null(s->accept);
    assert_int_equal(baton_metadata_standard_param(c, 2)->decision, BATON_STANDARD_DIFFERS);
    assert_string_equal(baton_metadata_standard_param(c, 3)->agent, "fence_old");
}

static void test_compiled_forms_valid(void **state)
{
    const baton_metadata *c = &compile_fixture_metadata;
    baton_autofree char *v10 = render_ok(c, BATON_METADATA_OCF_1_0);
    baton_autofree char *v11 = render_ok(c, BATON_METADATA_OCF_1_1);

    (void) state;
    assert_valid(valid_rng, v11);
    assert_valid(valid_dtd, v10);
    assert_contains(v11, "Gr\xc3\xbc\xc3\x9f" "e");
    assert_contains(v11, "a DEL \x7f and a CR&#13;here.");
    assert_contains(v11, "default=\"tab&#9;nl&#10;cr&#13;q&quot;bs\\?\?=end\"");
    assert_lacks(v11, "baton");
    assert_lacks(v10, "baton");
}

static char *emit_ok(const baton_metadata *md, const char *symbol)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    assert_non_null(f);
    assert_int_equal(baton_metadata_emit_c(md, symbol, "demo.xml", f), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(buf);
    return buf;
}

static void test_emit_c(void **state)
{
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    baton_autoptr(baton_metadata) fixture = parse_fixture();
    baton_autofree char *c = emit_ok(md, "demo_md");
    baton_autofree char *again = emit_ok(md, "demo_md");
    baton_autofree char *fc = emit_ok(fixture, "fx");

    (void) state;
    /* Reproducible: the same input, the same bytes. */
    assert_string_equal(c, again);
    assert_contains(c, "/* Generated by baton-metadata-compile from demo.xml; do not edit. */\n"
                       "#include <baton/metadata.h>\n\n");
    assert_contains(c, "\nextern const baton_metadata demo_md;\n");
    assert_contains(c, "\nconst baton_metadata demo_md = {\n    .layout = BATON_METADATA_LAYOUT,\n");
    assert_contains(c, "static const char *const demo_md_options_1[] = {\n"
                       "    \"tcp\",\n    \"udp\",\n    NULL,\n};\n");
    assert_contains(c, ".default_value = \"a\\\"b<c>&d\\n\"\n            \"e\\tf\",");
    assert_contains(c, ".type = BATON_PARAM_DURATION,");
    assert_contains(c, ".min = INT64_C(500),");
    assert_contains(c, ".unique_group = NULL,");
    assert_contains(c, "[BATON_METADATA_OCF_1_1] = sizeof(demo_md_ocf_1_1) - 1,");
    /* no path, no date: only the name given */
    assert_lacks(c, "/tests/");

    /* the fixture's bytes, each in the one form C accepts without a warning */
    assert_contains(fc, ".min = INT64_MIN,");
    assert_contains(fc, ".max = INT64_C(9223372036854775807),");
    assert_contains(fc, ".min = -INT64_C(5),");
    assert_contains(fc, "\"\\303\\251\"");            /* é */
    assert_contains(fc, "\"?\\?=\"");                  /* no trigraph */
    assert_contains(fc, "\"c\\\\d\"");
    assert_contains(fc, "\\177");                       /* DEL */
    assert_contains(fc, "cr\\rq");
    assert_lacks(fc, "??");
}

static void test_emit_c_without_parameters(void **state)
{
    static const char xml[] = DOC_HEAD DOC_TAIL;
    baton_autoptr(baton_metadata) md = parse_ok(xml);
    baton_autofree char *c = emit_ok(md, "x");

    (void) state;
    /* ISO C has no empty array initialiser. */
    assert_lacks(c, "x_params");
    assert_contains(c, "    .params = NULL,\n    .n_params = 0,\n");
}

static void test_emit_c_bad_arguments(void **state)
{
    static const char *const bad_symbols[] = { "", "1abc", "a-b", "a b", "é", NULL };
    baton_autoptr(baton_metadata) md = parse_ok(full_xml);
    FILE *f = fopen("/dev/null", "w");

    (void) state;
    assert_non_null(f);
    for (size_t i = 0; i < sizeof(bad_symbols) / sizeof(bad_symbols[0]); i++) {
        if (baton_metadata_emit_c(md, bad_symbols[i], "x.xml", f) != -EINVAL)
            fail_msg("symbol '%s' accepted", bad_symbols[i] ? bad_symbols[i] : "(null)");
    }
    assert_int_equal(baton_metadata_emit_c(NULL, "ok", "x.xml", f), -EINVAL);
    assert_true(baton_metadata_symbol_is_valid("_ok9"));
    fclose(f);
}

static void test_render_without_text(void **state)
{
    static const baton_metadata empty = { .layout = BATON_METADATA_LAYOUT, .name = "e" };
    char *out = NULL;

    (void) state;
    assert_int_equal(baton_metadata_render(&empty, BATON_METADATA_OCF_1_1, &out), -EINVAL);
    assert_null(out);
    assert_int_equal(baton_metadata_write(&empty, BATON_METADATA_OCF_1_0, stdout), -EINVAL);
    assert_int_equal(baton_metadata_n_params(&empty), 0);
    assert_null(baton_metadata_param(&empty, 0));
    assert_null(baton_metadata_find_action(&empty, "start"));
}

/* ------------------------------------------------------------------ format choice */

static void set_env(const char *major, const char *minor, const char *forced)
{
    const char *names[] = { "OCF_RA_VERSION_MAJOR", "OCF_RA_VERSION_MINOR", "BATON_METADATA_FORMAT" };
    const char *values[] = { major, minor, forced };

    for (size_t i = 0; i < 3; i++) {
        if (values[i])
            assert_int_equal(setenv(names[i], values[i], 1), 0);
        else
            assert_int_equal(unsetenv(names[i]), 0);
    }
}

static void test_format_from_env(void **state)
{
    static const struct {
        const char *major, *minor, *forced;
        baton_metadata_format want;
    } cases[] = {
        { NULL, NULL, NULL, BATON_METADATA_OCF_1_0 },       /* ocf-tester, by hand */
        { "1", "1", NULL, BATON_METADATA_OCF_1_1 },         /* Pacemaker 2.1 */
        { "1", NULL, NULL, BATON_METADATA_OCF_1_1 },
        { "1", "0", NULL, BATON_METADATA_OCF_1_0 },
        { "1", "2", NULL, BATON_METADATA_OCF_1_1 },
        { "2", "0", NULL, BATON_METADATA_OCF_1_1 },
        { "0", "9", NULL, BATON_METADATA_OCF_1_0 },
        { "", NULL, NULL, BATON_METADATA_OCF_1_0 },
        { "x", NULL, NULL, BATON_METADATA_OCF_1_0 },
        { "1", "x", NULL, BATON_METADATA_OCF_1_1 },
        { NULL, NULL, "1.1", BATON_METADATA_OCF_1_1 },
        { "1", "1", "1.0", BATON_METADATA_OCF_1_0 },
        { NULL, NULL, "1.0", BATON_METADATA_OCF_1_0 },
        { "1", "1", "2.0", BATON_METADATA_OCF_1_1 },        /* nonsense is ignored */
        { NULL, NULL, "", BATON_METADATA_OCF_1_0 },
    };

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        set_env(cases[i].major, cases[i].minor, cases[i].forced);
        if (baton_metadata_format_from_env() != cases[i].want)
            fail_msg("case %zu: MAJOR=%s MINOR=%s FORMAT=%s", i,
                     cases[i].major ? cases[i].major : "(unset)",
                     cases[i].minor ? cases[i].minor : "(unset)",
                     cases[i].forced ? cases[i].forced : "(unset)");
    }
    set_env(NULL, NULL, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_agent),
        cmocka_unit_test(test_parse_params),
        cmocka_unit_test(test_parse_actions),
        cmocka_unit_test(test_text_normalised),
        cmocka_unit_test(test_parse_length_not_terminated),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_minimal_valid),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_parse_bad_arguments),
        cmocka_unit_test(test_render_1_1),
        cmocka_unit_test(test_render_1_0),
        cmocka_unit_test(test_render_round_trip),
        cmocka_unit_test(test_render_empty_params_1_0),
        cmocka_unit_test(test_render_bad_arguments),
        cmocka_unit_test(test_write),
        cmocka_unit_test(test_write_failure),
        cmocka_unit_test(test_standard_params_write),
        cmocka_unit_test(test_format_from_env),
        cmocka_unit_test(test_parse_error_messages),
        cmocka_unit_test(test_parse_error_standard),
        cmocka_unit_test(test_parse_error_untouched_on_success),
        cmocka_unit_test(test_compiled_equals_parsed),
        cmocka_unit_test(test_compiled_forms_valid),
        cmocka_unit_test(test_emit_c),
        cmocka_unit_test(test_emit_c_without_parameters),
        cmocka_unit_test(test_emit_c_bad_arguments),
        cmocka_unit_test(test_render_without_text),
    };
    int r;

    /* Expected errors of negative tests are collected, not printed. */
    xmlSetGenericErrorFunc(NULL, collect_xml_error);
    r = cmocka_run_group_tests(tests, NULL, NULL);
    xmlCleanupParser();
    return r;
}
