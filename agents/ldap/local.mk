# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:ldap - OpenLDAP slapd: a promotable clone (provider/replica) or a plain primitive.

# The pure parts (no I/O) are unit-tested on their own: see tests/ldap.mk.
LDAP_PURE_SOURCES = \
	agents/ldap/ldap-csn.c agents/ldap/ldap-csn.h \
	agents/ldap/ldap-decide.c agents/ldap/ldap-decide.h \
	agents/ldap/ldap-slapd-args.c agents/ldap/ldap-slapd-args.h

ocfagent_PROGRAMS += agents/ldap/ldap
agents_ldap_ldap_SOURCES = $(LDAP_PURE_SOURCES) agents/ldap/ldap.c \
	agents/ldap/ldap-agent.h agents/ldap/ldap-client.c agents/ldap/ldap-daemon.c \
	agents/ldap/ldap-role.c agents/ldap/ldap-score.c agents/ldap/ldap-primitive.c
nodist_agents_ldap_ldap_SOURCES = agents/ldap/ldap-metadata.c
agents_ldap_ldap_LDADD = lib/libbaton.la $(LDAP_LIBS)
CLEANFILES += agents/ldap/ldap-metadata.c
agents/ldap/ldap-metadata.c: xml-metadata/ldap.xml $(BATON_METADATA_COMPILE)
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(BATON_METADATA_COMPILE) --symbol ldap_metadata \
	  --output $@ $(top_srcdir)/xml-metadata/ldap.xml

BATON_METADATA_XML += xml-metadata/ldap.xml
EXTRA_DIST += agents/ldap/README.md
