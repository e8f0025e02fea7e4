#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# embed-xml.sh SYMBOL INPUT OUTPUT
# Writes a C file defining `const char SYMBOL[]` (NUL-terminated) and
# `const size_t SYMBOL_len` with INPUT's bytes, so an agent carries its
# metadata XML inside the binary.
set -eu
sym=$1 in=$2 out=$3
tmp="$out.tmp$$"
trap 'rm -f "$tmp"' EXIT
{
    printf '/* Generated from %s by embed-xml.sh; do not edit. */\n' "${in##*/}"
    printf '#include <stddef.h>\n'
    printf 'extern const char %s[];\nextern const size_t %s_len;\n' "$sym" "$sym"
    printf 'const char %s[] = {\n' "$sym"
    od -An -v -tx1 "$in" | sed -e 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/    /'
    printf '    0x00\n};\n'
    printf 'const size_t %s_len = sizeof(%s) - 1;\n' "$sym" "$sym"
} >"$tmp"
mv "$tmp" "$out"
trap - EXIT
