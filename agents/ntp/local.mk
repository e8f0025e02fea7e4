# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:ntp - a promotable chronyd time service.

# The pure parts (no I/O) are unit-tested on their own: see tests/ntp.mk.
NTP_PURE_SOURCES = \
	agents/ntp/ntp-chrony.c agents/ntp/ntp-chrony.h \
	agents/ntp/ntp-config.c agents/ntp/ntp-config.h \
	agents/ntp/ntp-decide.c agents/ntp/ntp-decide.h

ocfagent_PROGRAMS += agents/ntp/ntp
agents_ntp_ntp_SOURCES = $(NTP_PURE_SOURCES) agents/ntp/ntp.c
nodist_agents_ntp_ntp_SOURCES = agents/ntp/ntp-metadata.c
agents_ntp_ntp_LDADD = lib/libbaton.la -lm
CLEANFILES += agents/ntp/ntp-metadata.c
agents/ntp/ntp-metadata.c: xml-metadata/ntp.xml $(BATON_METADATA_COMPILE)
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(BATON_METADATA_COMPILE) --symbol ntp_metadata \
	  --output $@ $(top_srcdir)/xml-metadata/ntp.xml

BATON_METADATA_XML += xml-metadata/ntp.xml
EXTRA_DIST += agents/ntp/README.md
