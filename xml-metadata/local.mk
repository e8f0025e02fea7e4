# SPDX-License-Identifier: LGPL-2.1-or-later
# Each agent's metadata XML is the single source of truth: embedded into its
# binary (agents/local.mk), turned into its man page (doc/local.mk) and
# validated in both output forms by make check (tests/local.mk).
BATON_METADATA_XML = \
	xml-metadata/vip.xml

EMBED_XML = $(SHELL) $(top_srcdir)/build-aux/embed-xml.sh
EXTRA_DIST += $(BATON_METADATA_XML) xml-metadata/README.md build-aux/embed-xml.sh
