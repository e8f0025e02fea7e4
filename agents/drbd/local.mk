# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:drbd - DRBD 9 resources as promotable clones, from
# `drbdsetup status --json` (json-c). The pure parts are unit-tested on
# their own (tests/drbd.mk); tests/drbd/drbdsim stands in for DRBD.

DRBD_PURE_SOURCES = \
	agents/drbd/drbd-state.c agents/drbd/drbd-state.h \
	agents/drbd/drbd-score.c agents/drbd/drbd-score.h

ocfagent_PROGRAMS += agents/drbd/drbd
agents_drbd_drbd_SOURCES = $(DRBD_PURE_SOURCES) agents/drbd/drbd.c
nodist_agents_drbd_drbd_SOURCES = agents/drbd/drbd-metadata.c
agents_drbd_drbd_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
agents_drbd_drbd_LDADD = lib/libbaton.la $(JSONC_LIBS)
CLEANFILES += agents/drbd/drbd-metadata.c
agents/drbd/drbd-metadata.c: xml-metadata/drbd.xml $(BATON_METADATA_COMPILE)
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(BATON_METADATA_COMPILE) --symbol drbd_metadata \
	  --output $@ $(top_srcdir)/xml-metadata/drbd.xml

BATON_METADATA_XML += xml-metadata/drbd.xml
EXTRA_DIST += agents/drbd/README.md
