# SPDX-License-Identifier: GPL-2.0-or-later
# Packaging travels in the release tarball: "dpkg-buildpackage -b" works in an
# unpacked tarball (3.0 native), and "rpmbuild -ta baton-VERSION.tar.gz" finds
# the configured spec at its top.
EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/rules \
	debian/source/format \
	debian/libbaton0.install \
	debian/libbaton-dev.install \
	debian/baton-agents.install \
	debian/baton-fence.install \
	debian/local.mk \
	baton.spec
