/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The build-time side of agent metadata: the source XML parsed and checked
 * (metadata-parse.c, with libxml2), rendered in both output forms
 * (metadata-render.c), handed out as one baton_metadata (metadata-xml.c),
 * and written out as C (metadata-emit.c). baton-metadata-compile is made
 * of these; the unit tests use them to check parsing and rendering.
 *
 * Not installed and not in libbaton: an agent links its metadata compiled,
 * so that running it never loads an XML library. Third-party agents use the
 * installed tool, which is the stable interface to this code.
 */
#ifndef BATON_METADATA_XML_H
#define BATON_METADATA_XML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <baton/cleanup.h>
#include <baton/metadata.h>

/*
 * Parse the source XML (len bytes, need not be NUL-terminated), check it
 * strictly, and render both output forms: the result is what the compiled
 * form would be, but on the heap. 0 or -errno; on -EINVAL (not well-formed,
 * or not valid metadata) *ret_error, when ret_error is not NULL, is set to a
 * new message naming the line and what is wrong.
 */
int baton_metadata_parse(const char *xml, size_t len, baton_metadata **ret, char **ret_error);
/* Only for what baton_metadata_parse() returned (never a compiled one); accepts NULL. */
baton_metadata *baton_metadata_free(baton_metadata *md);
BATON_DEFINE_AUTOPTR(baton_metadata, baton_metadata_free)

/* Whether s can name a C object: [A-Za-z_][A-Za-z0-9_]*. */
bool baton_metadata_symbol_is_valid(const char *s);

/*
 * Write C source that defines `const baton_metadata <symbol>` equal to md
 * (its arrays are static, named <symbol>_*). source_name only goes into the
 * header comment: give a file name, not a path, so that the output does not
 * depend on where the tree is. The same input always gives the same bytes.
 * 0 or -errno (-EINVAL: bad symbol).
 */
int baton_metadata_emit_c(const baton_metadata *md, const char *symbol,
                          const char *source_name, FILE *out);

#endif /* BATON_METADATA_XML_H */
