# SPDX-License-Identifier: GPL-2.0-or-later
# Man pages ocf_baton_<agent>(7), generated from each agent's metadata source
# (xml-metadata/<agent>.xml) by doc/ocf-man.xsl. A new agent adds its page to
# BATON_OCF_MANS; the one rule below serves every page in that list.

BATON_OCF_MANS = \
	doc/ocf_baton_vip.7 \
	doc/ocf_baton_vm.7 \
	doc/ocf_baton_ntp.7 \
	doc/ocf_baton_ldap.7 \
	doc/ocf_baton_drbd.7

man7_MANS += $(BATON_OCF_MANS)
CLEANFILES += $(BATON_OCF_MANS)
EXTRA_DIST += doc/ocf-man.xsl

# The agent's name is taken from the target: doc/ocf_baton_<agent>.7.
$(BATON_OCF_MANS): $(BATON_METADATA_XML) $(top_srcdir)/doc/ocf-man.xsl
	$(AM_V_GEN)$(MKDIR_P) doc && \
	agent=`echo '$@' | $(SED) -e 's|^.*/ocf_baton_||' -e 's|\.7$$||'` && \
	$(XSLTPROC) --nonet --stringparam provider baton \
	  --stringparam package-version '$(PACKAGE_VERSION)' \
	  -o $@.tmp $(top_srcdir)/doc/ocf-man.xsl $(top_srcdir)/xml-metadata/$$agent.xml && \
	mv $@.tmp $@ || { rm -f $@.tmp; exit 1; }
