# SPDX-License-Identifier: GPL-2.0-or-later
# STONITH: the plugin ABI header, the fence_baton front end and its plugins.
#
# The front end is built once per plugin from the same main.c with the plugin
# name compiled in (fence_baton_ipmi loads ipmi.so): no hard links to keep in
# step with packaging, and a name that cannot be pointed at another plugin.

batoninclude_HEADERS += include/baton/stonith.h

# Everything but main(): the unit tests link it too.
noinst_LTLIBRARIES += stonith/libfence-baton.la
stonith_libfence_baton_la_SOURCES = \
	stonith/stonith-internal.h \
	stonith/loader.c \
	stonith/opts.c \
	stonith/params.c \
	stonith/config.c \
	stonith/call.c \
	stonith/power.c \
	stonith/secret.c \
	stonith/fence-baton.c
stonith_libfence_baton_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBATON_STONITH_PLUGIN_DIR=\"$(stonithplugindir)\" -DBATON_FENCE_AGENT_DIR=\"$(sbindir)\"
stonith_libfence_baton_la_CFLAGS = $(AM_CFLAGS) $(LIBXML_CFLAGS)
stonith_libfence_baton_la_LIBADD = $(LIBXML_LIBS)

# The agents pacemaker-fenced finds in $(sbindir) as fence_*.
fenceagentdir = $(sbindir)
fenceagent_PROGRAMS = stonith/fence_baton_ipmi stonith/fence_baton_libvirt
FENCE_BATON_LDADD = stonith/libfence-baton.la lib/libbaton.la $(LIBXML_LIBS)

stonith_fence_baton_ipmi_SOURCES = stonith/main.c
stonith_fence_baton_ipmi_CPPFLAGS = $(AM_CPPFLAGS) -DBATON_STONITH_PLUGIN_NAME=\"ipmi\"
stonith_fence_baton_ipmi_LDADD = $(FENCE_BATON_LDADD)

stonith_fence_baton_libvirt_SOURCES = stonith/main.c
stonith_fence_baton_libvirt_CPPFLAGS = $(AM_CPPFLAGS) -DBATON_STONITH_PLUGIN_NAME=\"libvirt\"
stonith_fence_baton_libvirt_LDADD = $(FENCE_BATON_LDADD)

# Plugins: dlopen()ed modules exporting only the entry symbol.
STONITH_PLUGIN_LDFLAGS = -module -avoid-version -shared \
	-export-symbols-regex '^baton_stonith_plugin_entry$$'
stonithplugin_LTLIBRARIES = stonith/plugins/ipmi.la stonith/plugins/libvirt.la

stonith_plugins_ipmi_la_SOURCES = stonith/plugins/ipmi.c
stonith_plugins_ipmi_la_CFLAGS = $(AM_CFLAGS) $(FREEIPMI_CFLAGS)
stonith_plugins_ipmi_la_LIBADD = lib/libbaton.la $(FREEIPMI_LIBS)
stonith_plugins_ipmi_la_LDFLAGS = $(AM_LDFLAGS) $(STONITH_PLUGIN_LDFLAGS)

stonith_plugins_libvirt_la_SOURCES = stonith/plugins/libvirt.c
stonith_plugins_libvirt_la_CFLAGS = $(AM_CFLAGS) $(LIBVIRT_CFLAGS) -pthread
stonith_plugins_libvirt_la_LIBADD = $(LIBVIRT_LIBS)
stonith_plugins_libvirt_la_LDFLAGS = $(AM_LDFLAGS) $(STONITH_PLUGIN_LDFLAGS) -pthread

# libtool installs modules with their .la files; a dlopen()ing loader wants only the .so.
install-data-hook: stonith-plugins-drop-la
stonith-plugins-drop-la:
	rm -f $(DESTDIR)$(stonithplugindir)/*.la
# ... and without the .la, libtool's uninstall cannot find the .so: remove it here.
uninstall-local: stonith-plugins-uninstall
stonith-plugins-uninstall:
	rm -f $(stonithplugin_LTLIBRARIES:stonith/plugins/%.la=$(DESTDIR)$(stonithplugindir)/%.so)
.PHONY: stonith-plugins-drop-la stonith-plugins-uninstall
