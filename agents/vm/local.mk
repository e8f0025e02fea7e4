# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:vm - libvirt virtual machines with memory ballooning.

VM_AGENT_SOURCES = \
	agents/vm/vm.h \
	agents/vm/vm-actions.c \
	agents/vm/vm-actions.h \
	agents/vm/vm-admission.c \
	agents/vm/vm-admission.h \
	agents/vm/vm-boot.c \
	agents/vm/vm-boot.h \
	agents/vm/vm-boot-slot.c \
	agents/vm/vm-cib.c \
	agents/vm/vm-cib.h \
	agents/vm/vm-config.c \
	agents/vm/vm-conn.c \
	agents/vm/vm-ctx.h \
	agents/vm/vm-domain.c \
	agents/vm/vm-forecast.c \
	agents/vm/vm-forecast.h \
	agents/vm/vm-health.c \
	agents/vm/vm-hostattr.c \
	agents/vm/vm-hostattr.h \
	agents/vm/vm-lifecycle.h \
	agents/vm/vm-lock.c \
	agents/vm/vm-memory.c \
	agents/vm/vm-memory.h \
	agents/vm/vm-migrate.c \
	agents/vm/vm-migrate.h \
	agents/vm/vm-migrate-util.c \
	agents/vm/vm-migrate-options.c \
	agents/vm/vm-migrate-options.h \
	agents/vm/vm-params.c \
	agents/vm/vm-reach.c \
	agents/vm/vm-plan.c \
	agents/vm/vm-plan.h \
	agents/vm/vm-resources.c \
	agents/vm/vm-saveconfig.c \
	agents/vm/vm-snapshot.c \
	agents/vm/vm-state.c \
	agents/vm/vm-utilization.c \
	agents/vm/vm-utilization.h \
	agents/vm/vm-validate.c
VM_AGENT_CFLAGS = $(LIBVIRT_CFLAGS) $(LIBXML_CFLAGS) -pthread
VM_AGENT_LIBS = $(LIBVIRT_LIBS) $(LIBXML_LIBS)

ocfagent_PROGRAMS += agents/vm/vm
agents_vm_vm_SOURCES = agents/vm/vm.c $(VM_AGENT_SOURCES)
nodist_agents_vm_vm_SOURCES = agents/vm/vm-metadata.c
agents_vm_vm_CFLAGS = $(AM_CFLAGS) $(VM_AGENT_CFLAGS)
agents_vm_vm_LDADD = lib/libbaton.la $(VM_AGENT_LIBS)
agents_vm_vm_LDFLAGS = $(AM_LDFLAGS) -pthread
CLEANFILES += agents/vm/vm-metadata.c
agents/vm/vm-metadata.c: xml-metadata/vm.xml $(BATON_METADATA_COMPILE)
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(BATON_METADATA_COMPILE) --symbol vm_metadata \
	  --output $@ $(top_srcdir)/xml-metadata/vm.xml

BATON_METADATA_XML += xml-metadata/vm.xml
EXTRA_DIST += agents/vm/README.md

# The admin tool: what the planner sees on this host, and what would fit.
sbin_PROGRAMS += agents/vm/baton-vm-capacity
agents_vm_baton_vm_capacity_SOURCES = agents/vm/capacity.c agents/vm/capacity.h agents/vm/capacity-cluster.c \
	$(VM_AGENT_SOURCES)
nodist_agents_vm_baton_vm_capacity_SOURCES = agents/vm/vm-metadata.c
agents_vm_baton_vm_capacity_CFLAGS = $(AM_CFLAGS) $(VM_AGENT_CFLAGS) $(JSONC_CFLAGS)
agents_vm_baton_vm_capacity_LDADD = lib/libbaton.la $(VM_AGENT_LIBS) $(JSONC_LIBS)
agents_vm_baton_vm_capacity_LDFLAGS = $(AM_LDFLAGS) -pthread
