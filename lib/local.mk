# SPDX-License-Identifier: LGPL-2.1-or-later
# libbaton. Everything is compiled once into a convenience library, which the
# unit tests link directly (they may use internal functions); the shared
# library exports only the public baton_* API. libbaton links no XML library:
# agents carry their metadata compiled (xml-metadata/README.md).

noinst_LTLIBRARIES = lib/libbaton-internal.la
lib_libbaton_internal_la_SOURCES = \
	lib/util-internal.h \
	lib/agent-internal.h \
	lib/util.c \
	lib/ocf.c \
	lib/log.c \
	lib/deadline.c \
	lib/fileio.c \
	lib/process.c \
	lib/command.c \
	lib/metadata.c \
	lib/param.c \
	lib/notify.c \
	lib/cluster.c \
	lib/watchdog.c \
	lib/agent.c

lib_LTLIBRARIES += lib/libbaton.la
lib_libbaton_la_SOURCES =
lib_libbaton_la_LIBADD = lib/libbaton-internal.la
lib_libbaton_la_LDFLAGS = $(AM_LDFLAGS) -version-info $(LIBBATON_LT_VERSION) \
	-export-symbols-regex '^baton_[a-z]'

batonincludedir = $(includedir)/baton
batoninclude_HEADERS = \
	include/baton/agent.h \
	include/baton/cleanup.h \
	include/baton/cluster.h \
	include/baton/command.h \
	include/baton/deadline.h \
	include/baton/fileio.h \
	include/baton/log.h \
	include/baton/metadata.h \
	include/baton/notify.h \
	include/baton/ocf.h \
	include/baton/param.h \
	include/baton/process.h \
	include/baton/strutil.h \
	include/baton/watchdog.h
include_HEADERS = include/baton.h

# The build-time side of metadata (parse, check, render, write C), with
# libxml2: for tools/baton-metadata-compile and the unit tests, never for
# libbaton or an agent.
noinst_LTLIBRARIES += lib/libbaton-metadata-xml.la
lib_libbaton_metadata_xml_la_SOURCES = \
	lib/metadata-xml.h \
	lib/metadata-xml.c \
	lib/metadata-source.h \
	lib/metadata-parse.c \
	lib/metadata-render.c \
	lib/metadata-text.c \
	lib/metadata-emit.c
lib_libbaton_metadata_xml_la_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS)
lib_libbaton_metadata_xml_la_LIBADD = $(LIBXML_LIBS)

pkgconfig_DATA = lib/baton.pc
EXTRA_DIST += lib/baton.pc.in
