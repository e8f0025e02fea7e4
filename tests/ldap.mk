# SPDX-License-Identifier: GPL-2.0-or-later
# ocf:baton:ldap. The unit tests link the agent's pure sources (no I/O)
# directly; the integration tests (tests/integration/ldap.bats) need root and
# slapd/ldap-utils and run from `bats tests/integration/ldap.bats`.

if HAVE_CMOCKA
LDAP_UNIT_TESTS = \
	tests/unit/test-ldap-csn \
	tests/unit/test-ldap-decide \
	tests/unit/test-ldap-slapd-args
check_PROGRAMS += $(LDAP_UNIT_TESTS)
TESTS += $(LDAP_UNIT_TESTS)

LDAP_UNIT_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/agents/ldap

tests_unit_test_ldap_csn_SOURCES = tests/unit/test-ldap-csn.c agents/ldap/ldap-csn.c
tests_unit_test_ldap_csn_CFLAGS = $(LDAP_UNIT_CFLAGS)
tests_unit_test_ldap_csn_LDADD = $(UNIT_LDADD)

tests_unit_test_ldap_decide_SOURCES = tests/unit/test-ldap-decide.c agents/ldap/ldap-decide.c
tests_unit_test_ldap_decide_CFLAGS = $(LDAP_UNIT_CFLAGS)
tests_unit_test_ldap_decide_LDADD = $(UNIT_LDADD)

tests_unit_test_ldap_slapd_args_SOURCES = tests/unit/test-ldap-slapd-args.c agents/ldap/ldap-slapd-args.c
tests_unit_test_ldap_slapd_args_CFLAGS = $(LDAP_UNIT_CFLAGS)
tests_unit_test_ldap_slapd_args_LDADD = $(UNIT_LDADD)
endif

EXTRA_DIST += tests/integration/ldap.bats tests/ldap/setup.sh
