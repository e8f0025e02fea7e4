# SPDX-License-Identifier: GPL-2.0-or-later
# baton-switch: moves a running cluster between the standard agents and baton's.
# The deciding parts are a library of their own so the unit tests link them.

noinst_LTLIBRARIES += tools/switch/libswitch.la
tools_switch_libswitch_la_SOURCES = \
	tools/switch/switch.h \
	tools/switch/switch-xml.c \
	tools/switch/switch-agent.c \
	tools/switch/switch-map.c \
	tools/switch/switch-placement.c
tools_switch_libswitch_la_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS)
tools_switch_libswitch_la_LIBADD = $(LIBXML_LIBS)

sbin_PROGRAMS += tools/switch/baton-switch
tools_switch_baton_switch_SOURCES = \
	tools/switch/baton-switch.c \
	tools/switch/switch-cluster.h \
	tools/switch/switch-cluster.c
tools_switch_baton_switch_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBATON_OCF_ROOT_DIR=\"$(OCF_ROOT_DIR)\" -DBATON_FENCE_AGENT_DIR=\"$(sbindir)\"
tools_switch_baton_switch_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS)
tools_switch_baton_switch_LDADD = tools/switch/libswitch.la lib/libbaton.la $(LIBXML_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test-switch
TESTS += tests/unit/test-switch
tests_unit_test_switch_SOURCES = tests/unit/test-switch.c tests/unit/xml-assert.h
tests_unit_test_switch_CFLAGS = $(UNIT_CFLAGS) $(LIBXML_CFLAGS)
tests_unit_test_switch_LDADD = tools/switch/libswitch.la $(UNIT_LDADD) $(LIBXML_LIBS)
endif
EXTRA_DIST += tests/integration/switch.bats
