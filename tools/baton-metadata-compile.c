/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * baton-metadata-compile: an agent's metadata source (xml-metadata/<agent>.xml)
 * checked and turned into C that defines a `const baton_metadata`, both
 * meta-data forms rendered in. Run by the build, for baton's agents and for
 * third-party agents written with libbaton; see xml-metadata/README.md.
 *
 * The output file appears complete or not at all, so that an interrupted or
 * failed run cannot leave make a half-written "up-to-date" source.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include <baton/fileio.h>
#include <baton/log.h>
#include <baton/metadata.h>

#include "metadata-xml.h"
#include "util-internal.h"

#define PROGRAM "baton-metadata-compile"

/* 1 (EXIT_FAILURE): the source is wrong or cannot be read, or the output cannot be written. */
#define EXIT_USAGE 2

static void usage(FILE *out)
{
    fprintf(out,
            "usage: " PROGRAM " [--symbol NAME] [--output FILE] SOURCE.xml\n"
            "\n"
            "Check an agent's metadata source (OCF 1.1 plus baton: attributes) and write\n"
            "C that defines `const baton_metadata NAME` for the agent to link in.\n"
            "\n"
            "  -s, --symbol NAME   the object's name (default: <agent>_metadata)\n"
            "  -o, --output FILE   where to write (default: standard output)\n"
            "  -h, --help          this text\n"
            "      --version       print the version\n");
}

/* <agent>_metadata, with whatever cannot be in a C name made '_'. */
static char *default_symbol(const char *agent)
{
    char *s = baton_strdup_printf("%s_metadata", agent);

    if (!s)
        return NULL;
    for (char *p = s; *p; p++) {
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '_'))
            *p = '_';
    }
    return s;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* Write to a FILE, closing it. 0 or -errno. */
static int emit_and_close(const baton_metadata *md, const char *symbol, const char *source_name,
                          FILE *f)
{
    int r = baton_metadata_emit_c(md, symbol, source_name, f);

    errno = 0;
    if (fclose(f) != 0 && r == 0)
        r = errno > 0 ? -errno : -EIO;
    return r;
}

/*
 * A regular file (or a new one) is written through a temporary file beside
 * it and renamed over it at the end; anything else (/dev/stdout, a pipe)
 * is written in place: renaming over it would replace the device itself.
 * 0 or -errno.
 */
static int write_output(const baton_metadata *md, const char *symbol, const char *source_name,
                        const char *output)
{
    baton_autofree char *tmp = NULL;
    struct stat st;
    FILE *f;
    int fd, r;

    if (!output)
        return emit_and_close(md, symbol, source_name, stdout);
    if (stat(output, &st) == 0 && !S_ISREG(st.st_mode)) {
        f = fopen(output, "we");
        if (!f)
            return -errno;
        return emit_and_close(md, symbol, source_name, f);
    }
    tmp = baton_strdup_printf("%s.tmpXXXXXX", output);
    if (!tmp)
        return -ENOMEM;
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return -errno;
    f = fdopen(fd, "w");
    if (!f) {
        r = -errno;
        close(fd);
        unlink(tmp);
        return r;
    }
    r = emit_and_close(md, symbol, source_name, f);
    /* mkstemp makes the file 0600; a generated source is as readable as any other. */
    if (r == 0 && chmod(tmp, 0644) < 0)
        r = -errno;
    if (r == 0 && rename(tmp, output) < 0)
        r = -errno;
    if (r < 0)
        unlink(tmp);
    return r;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "symbol", required_argument, NULL, 's' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    const char *symbol_arg = NULL, *output = NULL, *input;
    baton_autofree char *xml = NULL;
    baton_autofree char *error = NULL;
    baton_autofree char *symbol = NULL;
    baton_autoptr(baton_metadata) md = NULL;
    size_t len = 0;
    int c, r;

    while ((c = getopt_long(argc, argv, "s:o:h", options, NULL)) != -1) {
        switch (c) {
        case 's': symbol_arg = optarg; break;
        case 'o': output = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf(PROGRAM " %s\n", PACKAGE_VERSION); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        usage(stderr);
        return EXIT_USAGE;
    }
    input = argv[optind];
    if (symbol_arg && !baton_metadata_symbol_is_valid(symbol_arg)) {
        fprintf(stderr, PROGRAM ": '%s' is not a C identifier\n", symbol_arg);
        return EXIT_USAGE;
    }
    /* libbaton logs at debug level only, and never to syslog from a build. */
    baton_log_set_targets(true, false);

    r = baton_file_read(input, 0, &xml);
    if (r < 0) {
        fprintf(stderr, PROGRAM ": %s: %s\n", input, strerror(-r));
        return EXIT_FAILURE;
    }
    len = strlen(xml);
    r = baton_metadata_parse(xml, len, &md, &error);
    xmlCleanupParser();
    if (r < 0) {
        fprintf(stderr, PROGRAM ": %s: %s\n", input, error ? error : strerror(-r));
        return EXIT_FAILURE;
    }
    symbol = symbol_arg ? strdup(symbol_arg) : default_symbol(baton_metadata_name(md));
    if (!symbol) {
        fprintf(stderr, PROGRAM ": %s\n", strerror(ENOMEM));
        return EXIT_FAILURE;
    }
    if (!baton_metadata_symbol_is_valid(symbol)) {
        fprintf(stderr, PROGRAM ": %s: agent name '%s' makes no C name; use --symbol\n",
                input, baton_metadata_name(md));
        return EXIT_USAGE;
    }
    r = write_output(md, symbol, base_name(input), output);
    if (r < 0) {
        fprintf(stderr, PROGRAM ": %s: %s\n", output ? output : "(stdout)", strerror(-r));
        return EXIT_FAILURE;
    }
    return 0;
}
