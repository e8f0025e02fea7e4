# SPDX-License-Identifier: LGPL-2.1-or-later
# Each agent's metadata XML is the single source of truth: compiled into its
# binary by baton-metadata-compile (agents/local.mk), turned into its man
# page (doc/local.mk), and validated in both output forms by make check
# (tests/metadata.mk). See README.md here.
BATON_METADATA_XML = \
	xml-metadata/vip.xml

EXTRA_DIST += $(BATON_METADATA_XML) xml-metadata/README.md

# The compiler, built for and run on the build machine (cross-compiling is not
# supported). It links the parser statically from the convenience libraries,
# so the installed tool needs libxml2 but not libbaton. Installed for
# libbaton-dev users, who find it with
#   pkg-config --variable=baton_metadata_compile baton
pkglibexec_PROGRAMS = tools/baton-metadata-compile
tools_baton_metadata_compile_SOURCES = tools/baton-metadata-compile.c
tools_baton_metadata_compile_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS) -I$(top_srcdir)/lib
tools_baton_metadata_compile_LDADD = lib/libbaton-metadata-xml.la lib/libbaton-internal.la

# A rule compiling xml-metadata/NAME.xml depends on $(BATON_METADATA_COMPILE)
# (so that a changed parser regenerates every agent's metadata) and runs
#   $(BATON_METADATA_COMPILE) --symbol NAME_metadata --output $@ $(top_srcdir)/xml-metadata/NAME.xml
# It is the in-tree tool, never an installed one.
BATON_METADATA_COMPILE = tools/baton-metadata-compile$(EXEEXT)
