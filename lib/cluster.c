/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Cluster helpers over Pacemaker's command line tools. Pacemaker 2.1 keeps
 * its attribute-manager client API internal (ipc_attrd_internal.h), so the
 * stable interface is the tools; each run is bounded by the caller's
 * deadline and never goes through a shell.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

#include <baton/cluster.h>
#include <baton/command.h>
#include <baton/fileio.h>
#include <baton/log.h>
#include <baton/param.h>

#include "util-internal.h"

#ifndef BATON_PACEMAKER_SBINDIR
#define BATON_PACEMAKER_SBINDIR "/usr/sbin"
#endif

const char *baton_cluster_tools_dir(void)
{
    const char *dir = baton__test_env("BATON_PCMK_TOOLS_DIR");

    return dir ? dir : BATON_PACEMAKER_SBINDIR;
}

static baton_command *tool_new(const char *tool, baton_deadline deadline)
{
    baton_autofree char *path = baton_strdup_printf("%s/%s", baton_cluster_tools_dir(), tool);
    baton_command *cmd;

    if (!path)
        return NULL;
    cmd = baton_command_new(path);
    if (!cmd)
        return NULL;
    baton_command_set_deadline(cmd, deadline);
    /* The tools find the cluster through these when run inside a test cluster. */
    baton_command_pass_env(cmd, "CIB_file");
    baton_command_pass_env(cmd, "CIB_shadow");
    baton_command_pass_env(cmd, "OCF_RESOURCE_INSTANCE");
    return cmd;
}

/* Run and map the outcome to 0 / -errno, keeping stdout. */
static int tool_run(baton_command *cmd, char **ret_out, int *ret_exit)
{
    baton_command_result res = { 0 };
    int r;

    r = baton_command_run(cmd, &res);
    if (r < 0)
        goto out;

    switch (res.status) {
    case BATON_EXEC_DONE:
        if (ret_exit)
            *ret_exit = res.exit_status;
        if (res.exit_status != 0) {
            baton_autofree char *argv = baton_command_to_string(cmd);

            baton_debug("%s exited %d: %s", argv ? argv : "?", res.exit_status,
                        res.err ? res.err : "");
            r = -EIO;
            break;
        }
        if (ret_out) {
            *ret_out = res.out ? res.out : strdup("");
            res.out = NULL;
            if (!*ret_out)
                r = -ENOMEM;
        }
        r = r < 0 ? r : 0;
        break;
    case BATON_EXEC_TIMEOUT:
        r = -ETIME;
        break;
    case BATON_EXEC_NOT_FOUND:
        r = -ENOENT;
        break;
    default:
        r = -EIO;
        break;
    }
out:
    baton_command_result_clear(&res);
    return r;
}

static void strip_trailing_space(char *s)
{
    size_t n = strlen(s);

    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
}

int baton_cluster_local_node(baton_deadline deadline, char **ret_name)
{
    const char *on_node = getenv("OCF_RESKEY_CRM_meta_on_node");
    baton_autoptr(baton_command) cmd = NULL;
    baton_autofree char *out = NULL;
    struct utsname u;
    char *name;

    /* Pacemaker tells every action where it runs; asking costs a fork. */
    if (!baton__isempty(on_node)) {
        name = strdup(on_node);
        goto done;
    }

    cmd = tool_new("crm_node", deadline);
    if (cmd) {
        baton_command_add_arg(cmd, "-n");
        if (tool_run(cmd, &out, NULL) == 0) {
            strip_trailing_space(out);
            if (*out) {
                name = baton_take_ptr(out);
                goto done;
            }
        }
    }

    /* Without a cluster the node name is the host name, as corosync's default. */
    if (uname(&u) < 0)
        return -errno;
    name = strndup(u.nodename, strcspn(u.nodename, "."));
done:
    if (!name)
        return -ENOMEM;
    *ret_name = name;
    return 0;
}

char *baton_cluster_resource_base(const char *instance)
{
    const char *colon = strrchr(instance, ':');

    /* Only a numeric suffix is a clone instance number. */
    if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1))
        return strndup(instance, (size_t) (colon - instance));
    return strdup(instance);
}

int baton_node_attr_set(const char *name, const char *value, const char *node,
                        baton_deadline deadline)
{
    baton_autoptr(baton_command) cmd = tool_new("attrd_updater", deadline);

    if (!cmd)
        return -ENOMEM;
    baton_command_add_args(cmd, "--name", name, NULL);
    if (value)
        baton_command_add_args(cmd, "--update", value, NULL);
    else
        baton_command_add_arg(cmd, "--delete");
    if (node)
        baton_command_add_args(cmd, "--node", node, NULL);
    return tool_run(cmd, NULL, NULL);
}

/*
 * Parse one line of `attrd_updater --query` output:
 *   name="NAME" host="NODE" value="VALUE"
 * The value is absent (value="") when the attribute is not set.
 */
static int parse_attrd_value(const char *out, char **ret_value)
{
    const char *v = strstr(out, " value=\"");
    const char *end;

    if (!v)
        return -EBADMSG;
    v += strlen(" value=\"");
    end = strrchr(v, '"');
    if (!end || end < v)
        return -EBADMSG;
    if (end == v) {
        *ret_value = NULL;
        return 0;
    }
    *ret_value = strndup(v, (size_t) (end - v));
    return *ret_value ? 0 : -ENOMEM;
}

int baton_node_attr_get(const char *name, const char *node, baton_deadline deadline,
                        char **ret_value)
{
    baton_autoptr(baton_command) cmd = tool_new("attrd_updater", deadline);
    baton_autofree char *out = NULL;
    int r;

    if (!cmd)
        return -ENOMEM;
    baton_command_add_args(cmd, "--query", "--name", name, NULL);
    if (node)
        baton_command_add_args(cmd, "--node", node, NULL);
    r = tool_run(cmd, &out, NULL);
    if (r < 0)
        return r;
    return parse_attrd_value(out, ret_value);
}

int baton_cib_query(baton_deadline deadline, char **ret_xml)
{
    baton_autoptr(baton_command) cmd = tool_new("cibadmin", deadline);

    if (!cmd)
        return -ENOMEM;
    baton_command_add_arg(cmd, "--query");
    /* a CIB with a long status section is larger than a tool's usual output */
    baton_command_set_capture_max(cmd, 16 * 1024 * 1024);
    return tool_run(cmd, ret_xml, NULL);
}

static baton_command *promotion_cmd(const char *resource, baton_deadline deadline)
{
    baton_autofree char *base = baton_cluster_resource_base(resource);
    baton_command *cmd = tool_new("crm_attribute", deadline);

    if (!cmd || !base)
        return baton_command_free(cmd);
    /* --promotion takes the resource name; a transient (reboot) attribute. */
    baton_command_add_argf(cmd, "--promotion=%s", base);
    baton_command_add_args(cmd, "--lifetime", "reboot", NULL);
    return cmd;
}

int baton_promotion_score_set(const char *resource, int score, baton_deadline deadline)
{
    baton_autoptr(baton_command) cmd = promotion_cmd(resource, deadline);

    if (!cmd)
        return -ENOMEM;
    baton_command_add_arg(cmd, "--update");
    baton_command_add_argf(cmd, "%d", score);
    return tool_run(cmd, NULL, NULL);
}

int baton_promotion_score_delete(const char *resource, baton_deadline deadline)
{
    baton_autoptr(baton_command) cmd = promotion_cmd(resource, deadline);

    if (!cmd)
        return -ENOMEM;
    baton_command_add_arg(cmd, "--delete");
    return tool_run(cmd, NULL, NULL);
}

/* Pacemaker scores: integers clamped to +/-1000000, or (+/-)INFINITY. */
static int parse_score(const char *s, int64_t *ret)
{
    if (strcmp(s, "INFINITY") == 0 || strcmp(s, "+INFINITY") == 0) {
        *ret = BATON_SCORE_INFINITY;
        return 0;
    }
    if (strcmp(s, "-INFINITY") == 0) {
        *ret = -BATON_SCORE_INFINITY;
        return 0;
    }
    if (baton_parse_int64(s, ret) < 0)
        return -EBADMSG;
    if (*ret > BATON_SCORE_INFINITY)
        *ret = BATON_SCORE_INFINITY;
    else if (*ret < -BATON_SCORE_INFINITY)
        *ret = -BATON_SCORE_INFINITY;
    return 0;
}

int baton_promotion_score_get(const char *resource, baton_deadline deadline,
                              bool *ret_set, int *ret_score)
{
    baton_autoptr(baton_command) cmd = promotion_cmd(resource, deadline);
    baton_autofree char *out = NULL;
    int64_t n;
    int r, exit_status = 0;

    if (!cmd)
        return -ENOMEM;
    /* --quiet prints the bare value; exit 105 (ENXIO) means no such attribute. */
    baton_command_add_args(cmd, "--query", "--quiet", NULL);
    r = tool_run(cmd, &out, &exit_status);
    if (r == -EIO && exit_status == 105) {
        *ret_set = false;
        return -ENOENT;
    }
    if (r < 0)
        return r;
    strip_trailing_space(out);
    r = parse_score(out, &n);
    if (r < 0)
        return r;
    *ret_set = true;
    *ret_score = (int) n;
    return 0;
}

/*
 * Whether the cache still says what the cluster has. Pacemaker can drop a
 * node's transient attributes while its resources keep running, and tells
 * the agent nothing: a Pacemaker Remote node's when its connection starts on
 * another full node, any node's when its attribute manager restarts. So a
 * score is trusted for BATON_SCORE_REFRESH_S only and then written again,
 * unchanged. "none" is trusted for ever: nobody else sets our score. A cache
 * file from the future (the clock stepped back) is not trusted.
 */
static bool score_cache_current(const char *cached, const char *text, const char *path)
{
    struct stat st;
    time_t now = time(NULL);

    if (strcmp(cached, text) != 0)
        return false;
    if (strcmp(text, "none\n") == 0)
        return true;
    if (stat(path, &st) < 0 || now == (time_t) -1)
        return false;
    return !baton_promotion_score_stale((int64_t) st.st_mtime * 1000, (int64_t) now * 1000);
}

bool baton_promotion_score_stale(int64_t written_ms, int64_t now_ms)
{
    return now_ms < written_ms || now_ms - written_ms >= (int64_t) BATON_SCORE_REFRESH_S * 1000;
}

int baton_promotion_score_update(const char *resource, int score, const char *cache_path,
                                 baton_deadline deadline)
{
    baton_autofree char *cached = NULL;
    char text[32];
    int r;

    if (score == BATON_SCORE_NONE)
        snprintf(text, sizeof(text), "none\n");
    else
        snprintf(text, sizeof(text), "%d\n", score);

    r = baton_file_read(cache_path, 64, &cached);
    if (r == 0 && score_cache_current(cached, text, cache_path))
        return 0;
    if (r == -ENOENT && score == BATON_SCORE_NONE) {
        /* Nothing was set since boot: there is nothing to delete. */
        r = baton_file_write_atomic(cache_path, text, 0644);
        return r < 0 ? r : 0;
    }

    if (score == BATON_SCORE_NONE)
        r = baton_promotion_score_delete(resource, deadline);
    else
        r = baton_promotion_score_set(resource, score, deadline);
    if (r < 0)
        return r;
    r = baton_file_write_atomic(cache_path, text, 0644);
    return r < 0 ? r : 1;
}
