/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Where a password comes from when it is not on stdin: a script's output
 * (run by /bin/sh -c, as fence-agents does, with our explicit environment)
 * or a file. The secret only ever travels through pipes and memory we wipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <baton/command.h>
#include <baton/strutil.h>

#include "stonith-internal.h"

/* A password longer than this is not a password. */
#define SECRET_MAX 4096
/* The script gets at most this long, within the agent's own deadline. */
#define SCRIPT_TIMEOUT_MS 10000

int baton__split_cmdline(const char *s, char ***ret_argv, size_t *ret_argc)
{
    char **v = NULL;
    size_t n = 0;
    size_t len = strlen(s);
    char *word = malloc(len + 1);
    const char *p = s;
    int r = 0;

    if (!word)
        return -ENOMEM;
    for (;;) {
        size_t w = 0;
        bool have = false;
        char quote = 0;

        while (*p == ' ' || *p == '\t' || *p == '\n')
            p++;
        if (!*p)
            break;
        for (; *p; p++) {
            if (quote) {
                if (*p == quote)
                    quote = 0;
                else if (*p == '\\' && quote == '"' && (p[1] == '"' || p[1] == '\\'))
                    word[w++] = *++p;
                else
                    word[w++] = *p;
            } else if (*p == '\'' || *p == '"') {
                quote = *p;
                have = true;
            } else if (*p == '\\' && p[1]) {
                word[w++] = *++p;
            } else if (*p == ' ' || *p == '\t' || *p == '\n') {
                break;
            } else {
                word[w++] = *p;
            }
            have = true;
        }
        if (quote) {
            r = -EINVAL;
            break;
        }
        if (have) {
            r = baton_strv_push(&v, &n, strndup(word, w));
            if (r < 0)
                break;
        }
    }
    free(word);
    if (r == 0 && n == 0)
        r = -EINVAL;
    if (r < 0) {
        baton_strv_free(v);
        return r;
    }
    *ret_argv = v;
    *ret_argc = n;
    return 0;
}

/* The first line of buf (without CR/LF), as a new string. */
static char *first_line(const char *buf, size_t len)
{
    size_t n = 0;

    while (n < len && buf[n] != '\n' && buf[n] != '\r' && buf[n] != '\0')
        n++;
    return strndup(buf, n);
}

/*
 * fence-agents runs password_script with os.popen(), that is /bin/sh -c: a
 * configuration written for fence_ipmilan may use shell syntax (a pipe, a
 * variable) or a script without "#!" (which only a shell runs; exec() says
 * ENOEXEC). We do exactly the same, so every such configuration works
 * alike. The command line is configuration, not a secret; the secret is
 * the output, which comes back through a pipe.
 */
int baton__secret_from_script(const char *cmdline, baton_deadline deadline,
                              char **ret_secret, char **ret_reason)
{
    baton_autoptr(baton_command) cmd = NULL;
    baton_command_result res = { 0 };
    char *secret;
    int r;

    if (!cmdline || !cmdline[strspn(cmdline, " \t\n")])
        return baton__fence_fail(ret_reason, -EINVAL, "password script: empty command line");
    cmd = baton_command_new("/bin/sh");
    if (!cmd)
        return -ENOMEM;
    baton_command_add_args(cmd, "-c", cmdline, NULL);
    /* Scripts commonly look up their store in HOME. */
    baton_command_pass_env(cmd, "HOME");
    baton_command_set_deadline(cmd, baton_deadline_cap(deadline, SCRIPT_TIMEOUT_MS));
    baton_command_set_capture_max(cmd, SECRET_MAX);
    r = baton_command_run(cmd, &res);
    if (r < 0) {
        baton_command_result_clear(&res);
        return baton__fence_fail(ret_reason, r, "password script could not be run");
    }
    if (res.status != BATON_EXEC_DONE) {
        r = baton__fence_fail(ret_reason, -EIO, "password script (/bin/sh -c '%s'): %s", cmdline,
                              baton_exec_status_name(res.status));
        baton__wipe(res.out, res.out_len);
        baton_command_result_clear(&res);
        return r;
    }
    /* fence-agents ignores the status; a failed script's output is no password. */
    if (res.exit_status != 0) {
        r = baton__fence_fail(ret_reason, -EIO, "password script (/bin/sh -c '%s') exited with status %d%s",
                              cmdline, res.exit_status,
                              res.exit_status == 127 ? ": command not found"
                              : res.exit_status == 126 ? ": not executable" : "");
        baton__wipe(res.out, res.out_len);
        baton_command_result_clear(&res);
        return r;
    }
    secret = first_line(res.out ? res.out : "", res.out ? res.out_len : 0);
    baton__wipe(res.out, res.out_len);
    baton_command_result_clear(&res);
    if (!secret)
        return -ENOMEM;
    *ret_secret = secret;
    return 0;
}

int baton__secret_from_file(const char *path, char **ret_secret, char **ret_warning,
                            char **ret_reason)
{
    baton_autoclose int fd = -1;
    char buf[SECRET_MAX];
    struct stat st;
    size_t len = 0;
    char *secret;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return baton__fence_fail(ret_reason, -errno, "password file %s: %m", path);
    if (fstat(fd, &st) < 0)
        return baton__fence_fail(ret_reason, -errno, "password file %s: %m", path);
    if (!S_ISREG(st.st_mode))
        return baton__fence_fail(ret_reason, -EINVAL, "password file %s is not a regular file", path);
    while (len < sizeof(buf)) {
        ssize_t k = read(fd, buf + len, sizeof(buf) - len);

        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = -errno;

            baton__wipe(buf, sizeof(buf));
            return baton__fence_fail(ret_reason, e, "password file %s: read failed", path);
        }
        if (k == 0)
            break;
        len += (size_t) k;
    }
    secret = first_line(buf, len);
    baton__wipe(buf, sizeof(buf));
    if (!secret)
        return -ENOMEM;
    if (ret_warning && (st.st_mode & 0077)) {
        if (asprintf(ret_warning, "password file %s is readable by others (mode %04o)", path,
                     (unsigned) (st.st_mode & 07777)) < 0)
            *ret_warning = NULL;
    }
    *ret_secret = secret;
    return 0;
}
