# SPDX-License-Identifier: GPL-2.0-or-later
# The OCF agents, installed in $(OCF_ROOT_DIR)/resource.d/baton/.

# ---------------------------------------------------------------- vip
ocfagent_PROGRAMS += agents/vip/vip
# The pure parts (no I/O) are unit-tested on their own: see tests/vip.mk.
VIP_PURE_SOURCES = \
	agents/vip/vip-addr.c agents/vip/vip-addr.h \
	agents/vip/vip-config.c agents/vip/vip-config.h \
	agents/vip/vip-decide.c agents/vip/vip-decide.h \
	agents/vip/vip-frame.c agents/vip/vip-frame.h
agents_vip_vip_SOURCES = \
	$(VIP_PURE_SOURCES) \
	agents/vip/vip-netlink.c agents/vip/vip-netlink.h \
	agents/vip/vip-announce.c agents/vip/vip-announce.h \
	agents/vip/vip-dad.c agents/vip/vip-dad.h \
	agents/vip/vip-netns.c agents/vip/vip-netns.h \
	agents/vip/vip-agent.h agents/vip/vip-validate.c \
	agents/vip/vip.c
nodist_agents_vip_vip_SOURCES = agents/vip/vip-metadata.c
agents_vip_vip_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
agents_vip_vip_LDADD = lib/libbaton.la $(LIBMNL_LIBS)
CLEANFILES += agents/vip/vip-metadata.c
agents/vip/vip-metadata.c: xml-metadata/vip.xml $(BATON_METADATA_COMPILE)
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(BATON_METADATA_COMPILE) --symbol vip_metadata \
	  --output $@ $(top_srcdir)/xml-metadata/vip.xml
EXTRA_DIST += agents/vip/README.md
