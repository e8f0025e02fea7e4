/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Metadata as C source: what baton-metadata-compile writes for an agent to
 * link in. The output must build without a warning under the project's
 * strictest flags, and the same input must give the same bytes (reproducible
 * builds): it names no path, time or host, and follows declaration order.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include <baton/metadata.h>

#include "metadata-xml.h"

bool baton_metadata_symbol_is_valid(const char *s)
{
    if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (; *s; s++) {
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    }
    return true;
}

/*
 * s as a C string literal, NULL as NULL. After each newline of the text the
 * literal is split, so that the source shows the text's lines; continuations
 * are indented four more than indent. Bytes outside printable ASCII become three-digit octal
 * escapes, which cannot swallow a following digit as \x escapes would; a '?'
 * after a '?' is escaped so that no trigraph can form.
 */
static void emit_literal(FILE *out, const char *s, const char *indent)
{
    bool after_question = false;

    if (!s) {
        fputs("NULL", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\t': fputs("\\t", out); break;
        case '\r': fputs("\\r", out); break;
        case '\n':
            fputs("\\n", out);
            if (p[1])
                fprintf(out, "\"\n%s    \"", indent);
            break;
        case '?': fputs(after_question ? "\\?" : "?", out); break;
        default:
            if (*p < 0x20 || *p >= 0x7f)
                fprintf(out, "\\%03o", (unsigned) *p);
            else
                fputc(*p, out);
            break;
        }
        after_question = *p == '?';
    }
    fputc('"', out);
}

static void emit_field_str(FILE *out, const char *indent, const char *field, const char *s)
{
    fprintf(out, "%s.%s = ", indent, field);
    emit_literal(out, s, indent);
    fputs(",\n", out);
}

static void emit_field_bool(FILE *out, const char *indent, const char *field, bool b)
{
    fprintf(out, "%s.%s = %s,\n", indent, field, b ? "true" : "false");
}

/* INT64_MIN has no literal of its own: its magnitude does not fit. */
static void emit_field_int64(FILE *out, const char *indent, const char *field, int64_t v)
{
    fprintf(out, "%s.%s = ", indent, field);
    if (v == INT64_MIN)
        fputs("INT64_MIN", out);
    else if (v < 0)
        fprintf(out, "-INT64_C(%" PRId64 ")", -v);
    else
        fprintf(out, "INT64_C(%" PRId64 ")", v);
    fputs(",\n", out);
}

static const char *param_type_enum(baton_param_type t)
{
    switch (t) {
    case BATON_PARAM_STRING: return "BATON_PARAM_STRING";
    case BATON_PARAM_INTEGER: return "BATON_PARAM_INTEGER";
    case BATON_PARAM_BOOLEAN: return "BATON_PARAM_BOOLEAN";
    case BATON_PARAM_SELECT: return "BATON_PARAM_SELECT";
    case BATON_PARAM_DURATION: return "BATON_PARAM_DURATION";
    case BATON_PARAM_TYPE_MAX: break;
    }
    return NULL;
}

static const char *format_enum(baton_metadata_format f)
{
    switch (f) {
    case BATON_METADATA_OCF_1_0: return "BATON_METADATA_OCF_1_0";
    case BATON_METADATA_OCF_1_1: return "BATON_METADATA_OCF_1_1";
    case BATON_METADATA_FORMAT_MAX: break;
    }
    return NULL;
}

/* The suffix of the static array holding a format's text: <symbol>_ocf_1_0. */
static const char *format_suffix(baton_metadata_format f)
{
    return f == BATON_METADATA_OCF_1_0 ? "ocf_1_0" : "ocf_1_1";
}

static void emit_options(FILE *out, const char *symbol, size_t i, const baton_param_def *d)
{
    fprintf(out, "static const char *const %s_options_%zu[] = {\n", symbol, i);
    for (size_t k = 0; k < d->n_options; k++) {
        fputs("    ", out);
        emit_literal(out, d->options[k], "    ");
        fputs(",\n", out);
    }
    fputs("    NULL,\n};\n\n", out);
}

static void emit_param(FILE *out, const char *symbol, size_t i, const baton_param_def *d)
{
    const char *in = "        ";

    fputs("    {\n", out);
    emit_field_str(out, in, "name", d->name);
    fprintf(out, "%s.type = %s,\n", in, param_type_enum(d->type));
    emit_field_bool(out, in, "required", d->required);
    emit_field_bool(out, in, "unique", d->unique);
    emit_field_str(out, in, "unique_group", d->unique_group);
    emit_field_bool(out, in, "reloadable", d->reloadable);
    emit_field_bool(out, in, "private_", d->private_);
    emit_field_str(out, in, "default_value", d->default_value);
    if (d->options)
        fprintf(out, "%s.options = %s_options_%zu,\n", in, symbol, i);
    else
        fprintf(out, "%s.options = NULL,\n", in);
    fprintf(out, "%s.n_options = %zu,\n", in, d->n_options);
    emit_field_bool(out, in, "has_min", d->has_min);
    emit_field_bool(out, in, "has_max", d->has_max);
    emit_field_int64(out, in, "min", d->min);
    emit_field_int64(out, in, "max", d->max);
    emit_field_int64(out, in, "unit_ms", d->unit_ms);
    emit_field_str(out, in, "shortdesc", d->shortdesc);
    emit_field_str(out, in, "longdesc", d->longdesc);
    emit_field_str(out, in, "replaced_by", d->replaced_by);
    emit_field_bool(out, in, "deprecated", d->deprecated);
    fputs("    },\n", out);
}

static void emit_action(FILE *out, const baton_action_meta *a)
{
    const char *in = "        ";

    fputs("    {\n", out);
    emit_field_str(out, in, "name", a->name);
    emit_field_str(out, in, "timeout", a->timeout);
    emit_field_str(out, in, "interval", a->interval);
    emit_field_str(out, in, "depth", a->depth);
    emit_field_str(out, in, "role", a->role);
    emit_field_str(out, in, "start_delay", a->start_delay);
    fputs("    },\n", out);
}

static const char *standard_decision_enum(baton_standard_decision d)
{
    switch (d) {
    case BATON_STANDARD_REFUSED: return "BATON_STANDARD_REFUSED";
    case BATON_STANDARD_NOOP: return "BATON_STANDARD_NOOP";
    case BATON_STANDARD_DIFFERS: return "BATON_STANDARD_DIFFERS";
    case BATON_STANDARD_DECISION_MAX: break;
    }
    /* Not a decision the parser lets through: an undeclared name fails the generated C. */
    return "BATON_STANDARD_DECISION_INVALID";
}

static void emit_standard_param(FILE *out, const baton_standard_param *sp)
{
    const char *in = "        ";

    fputs("    {\n", out);
    emit_field_str(out, in, "agent", sp->agent);
    emit_field_str(out, in, "name", sp->name);
    fprintf(out, "%s.decision = %s,\n", in, standard_decision_enum(sp->decision));
    emit_field_str(out, in, "why", sp->why);
    emit_field_str(out, in, "instead", sp->instead);
    emit_field_str(out, in, "accept", sp->accept);
    fputs("    },\n", out);
}

static bool standard_decisions_known(const baton_metadata *md)
{
    for (size_t i = 0; i < md->n_standard_params; i++) {
        if (!standard_decision_enum(md->standard_params[i].decision))
            return false;
    }
    return true;
}

static bool param_types_known(const baton_metadata *md)
{
    for (size_t i = 0; i < md->n_params; i++) {
        if (!param_type_enum(md->params[i].type))
            return false;
        if (md->params[i].n_options > 0 && !md->params[i].options)
            return false;
    }
    return true;
}

int baton_metadata_emit_c(const baton_metadata *md, const char *symbol,
                          const char *source_name, FILE *out)
{
    if (!md || !out || !baton_metadata_symbol_is_valid(symbol) || !param_types_known(md) ||
        !standard_decisions_known(md))
        return -EINVAL;
    for (size_t f = 0; f < BATON_METADATA_FORMAT_MAX; f++) {
        if (!md->rendered[f])
            return -EINVAL;
    }

    fputs("/* Generated by baton-metadata-compile", out);
    if (source_name) {
        /* Kept out of the comment's way: a name cannot end it early. */
        fputs(" from ", out);
        for (const char *p = source_name; *p; p++)
            fputc(*p == '*' && p[1] == '/' ? '_' : *p, out);
    }
    fputs("; do not edit. */\n#include <baton/metadata.h>\n\n", out);
    /*
     * A rendered text is longer than the 4095 bytes ISO C promises every
     * compiler takes; GCC and clang take any length, but say so under
     * -Wpedantic, which an SDK user's -Werror build must survive.
     */
    fputs("#if defined(__GNUC__)\n"
          "#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n"
          "#endif\n\n", out);
    /* Declared before it is defined: -Wmissing-variable-declarations and readers want that. */
    fprintf(out, "extern const baton_metadata %s;\n\n", symbol);

    for (size_t i = 0; i < md->n_params; i++) {
        if (md->params[i].options)
            emit_options(out, symbol, i, &md->params[i]);
    }
    /* ISO C has no empty initialiser: without parameters there is no array. */
    if (md->n_params > 0) {
        fprintf(out, "static const baton_param_def %s_params[] = {\n", symbol);
        for (size_t i = 0; i < md->n_params; i++)
            emit_param(out, symbol, i, &md->params[i]);
        fputs("};\n\n", out);
    }
    if (md->n_actions > 0) {
        fprintf(out, "static const baton_action_meta %s_actions[] = {\n", symbol);
        for (size_t i = 0; i < md->n_actions; i++)
            emit_action(out, &md->actions[i]);
        fputs("};\n\n", out);
    }
    if (md->n_standard_params > 0) {
        fprintf(out, "static const baton_standard_param %s_standard_params[] = {\n", symbol);
        for (size_t i = 0; i < md->n_standard_params; i++)
            emit_standard_param(out, &md->standard_params[i]);
        fputs("};\n\n", out);
    }
    for (size_t f = 0; f < BATON_METADATA_FORMAT_MAX; f++) {
        fprintf(out, "static const char %s_%s[] =\n    ", symbol,
                format_suffix((baton_metadata_format) f));
        emit_literal(out, md->rendered[f], "");
        fputs(";\n\n", out);
    }

    fprintf(out, "const baton_metadata %s = {\n", symbol);
    fputs("    .layout = BATON_METADATA_LAYOUT,\n", out);
    emit_field_str(out, "    ", "name", md->name);
    emit_field_str(out, "    ", "agent_version", md->agent_version);
    if (md->n_params > 0) {
        fprintf(out, "    .params = %s_params,\n", symbol);
        fprintf(out, "    .n_params = sizeof(%s_params) / sizeof(%s_params[0]),\n", symbol, symbol);
    } else {
        fputs("    .params = NULL,\n    .n_params = 0,\n", out);
    }
    if (md->n_actions > 0) {
        fprintf(out, "    .actions = %s_actions,\n", symbol);
        fprintf(out, "    .n_actions = sizeof(%s_actions) / sizeof(%s_actions[0]),\n", symbol, symbol);
    } else {
        fputs("    .actions = NULL,\n    .n_actions = 0,\n", out);
    }
    fputs("    .rendered = {\n", out);
    for (size_t f = 0; f < BATON_METADATA_FORMAT_MAX; f++)
        fprintf(out, "        [%s] = %s_%s,\n", format_enum((baton_metadata_format) f), symbol,
                format_suffix((baton_metadata_format) f));
    fputs("    },\n    .rendered_len = {\n", out);
    for (size_t f = 0; f < BATON_METADATA_FORMAT_MAX; f++)
        fprintf(out, "        [%s] = sizeof(%s_%s) - 1,\n", format_enum((baton_metadata_format) f),
                symbol, format_suffix((baton_metadata_format) f));
    fputs("    },\n", out);
    if (md->n_standard_params > 0) {
        fprintf(out, "    .standard_params = %s_standard_params,\n", symbol);
        fprintf(out, "    .n_standard_params = sizeof(%s_standard_params) / "
                "sizeof(%s_standard_params[0]),\n", symbol, symbol);
    } else {
        fputs("    .standard_params = NULL,\n    .n_standard_params = 0,\n", out);
    }
    fputs("};\n", out);

    errno = 0;
    if (fflush(out) != 0 || ferror(out))
        return errno > 0 ? -errno : -EIO;
    return 0;
}
