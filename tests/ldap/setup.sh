#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/ldap/setup.sh DIR SERVER_ID [PASSWORD]: one throw-away slapd instance
# for tests/integration/ldap.bats in DIR (slapd.d built with `slapadd -n0`,
# an mdb database dc=example,dc=com in DIR/db, syncprov, pid file
# DIR/slapd.pid). Server ID 1 also gets the initial entries (slapadd -w, so
# that it has a contextCSN). The configuration is a provider's; the agent
# turns it into whatever role it should have. cn=config is writable by uid 0
# over ldapi (SASL EXTERNAL), the data by the root DN cn=admin,dc=example,dc=com.
# With LDAP_SETUP_EMPTY_DB set, a second database dc=empty,dc=org (DIR/db2)
# without even its suffix entry: a base search of it answers 32.
set -euo pipefail

dir=${1:?DIR}
sid=${2:?SERVER_ID}
pw=${3:-secret}
suffix="dc=example,dc=com"
rootdn="cn=admin,$suffix"

mkdir -p "$dir/slapd.d" "$dir/db"
chmod 700 "$dir"
hash=$(slappasswd -h '{SSHA}' -s "$pw")
cat >"$dir/config.ldif" <<EOF2
dn: cn=config
objectClass: olcGlobal
cn: config
olcServerID: $sid
olcPidFile: $dir/slapd.pid
olcArgsFile: $dir/slapd.args
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: {0}back_mdb
olcModuleLoad: {1}syncprov

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: 500

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by dn.exact=gidNumber=0+uidNumber=0,cn=peercred,cn=external,cn=auth manage by * break

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $suffix
olcDbDirectory: $dir/db
olcRootDN: $rootdn
olcRootPW: $hash
olcDbIndex: objectClass eq
olcDbIndex: entryCSN eq
olcDbIndex: entryUUID eq
olcDbMaxSize: 104857600
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
olcLimits: {0}dn.exact="$rootdn" time=unlimited size=unlimited

dn: olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcSyncProvConfig
olcOverlay: {0}syncprov
olcSpCheckpoint: 100 10
olcSpSessionLog: 1000
EOF2
if [ -n "${LDAP_SETUP_EMPTY_DB:-}" ]; then
	mkdir -p "$dir/db2"
	cat >>"$dir/config.ldif" <<EOF2

dn: olcDatabase={2}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {2}mdb
olcSuffix: dc=empty,dc=org
olcDbDirectory: $dir/db2
olcDbMaxSize: 10485760
olcAccess: {0}to * by * read
EOF2
fi
slapadd -q -n0 -F "$dir/slapd.d" -l "$dir/config.ldif"
if [ "$sid" = 1 ]; then
	cat >"$dir/data.ldif" <<EOF2
dn: $suffix
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,$suffix
objectClass: organizationalUnit
ou: people
EOF2
	slapadd -q -w -n1 -F "$dir/slapd.d" -l "$dir/data.ldif"
fi
printf '%s\n' "$pw" >"$dir/password"
chmod 400 "$dir/password"
