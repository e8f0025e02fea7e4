/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The edges of baton-switch: the agents asked about themselves, and the
 * cluster through Pacemaker's own tools with their XML output (cibadmin,
 * crm_resource, crm_mon), each call bounded in time. A definition goes to
 * cibadmin on its stdin: fence devices carry passwords, which never go on a
 * command line.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <baton/cluster.h>
#include <baton/command.h>
#include <baton/strutil.h>

#include "switch-cluster.h"

#ifndef BATON_OCF_ROOT_DIR
#define BATON_OCF_ROOT_DIR "/usr/lib/ocf"
#endif
#ifndef BATON_FENCE_AGENT_DIR
#define BATON_FENCE_AGENT_DIR "/usr/sbin"
#endif

/* A CIB of a few thousand resources is some megabytes; crm_mon's view too. */
#define CAPTURE_MAX (64 * 1024 * 1024)
/* Asking an agent for its own description: it reads nothing, so this is generous. */
#define AGENT_TIMEOUT_MS 10000

static int fail(char **ret_error, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char **ret_error, int r, const char *fmt, ...)
{
    va_list ap;

    if (ret_error) {
        free(*ret_error);
        va_start(ap, fmt);
        if (vasprintf(ret_error, fmt, ap) < 0)
            *ret_error = NULL;
        va_end(ap);
    }
    return r;
}

static const char *ocf_root(void)
{
    const char *root = getenv("OCF_ROOT");

    return root && *root ? root : BATON_OCF_ROOT_DIR;
}

/* The first line of what a failed tool said, for the reason. */
static const char *first_line(baton_command_result *res)
{
    char *s = res->err && *res->err ? res->err : res->out;
    char *nl;

    if (!s || !*s)
        return "no message";
    nl = strchr(s, '\n');
    if (nl)
        *nl = '\0';
    return s;
}

/*
 * argv[0] is a path or a Pacemaker tool's name. Returns 0 with its stdout in
 * *ret_out (may be NULL), or a negative errno with *ret_error set.
 */
static int run(char *const *argv, const char *input, int64_t timeout_ms, char **ret_out,
               char **ret_error)
{
    baton_autofree char *path = argv[0][0] == '/' ? strdup(argv[0])
        : baton_strdup_printf("%s/%s", baton_cluster_tools_dir(), argv[0]);
    baton_autoptr(baton_command) cmd = path ? baton_command_new(path) : NULL;
    baton_command_result res = { 0 };
    int r;

    if (!cmd)
        return fail(ret_error, -ENOMEM, "out of memory");
    for (size_t i = 1; argv[i]; i++)
        baton_command_add_arg(cmd, argv[i]);
    baton_command_add_env(cmd, "OCF_ROOT", ocf_root());
    baton_command_pass_env(cmd, "CIB_file");
    if (input)
        baton_command_set_input(cmd, input, strlen(input));
    baton_command_set_deadline(cmd, baton_deadline_in(timeout_ms));
    baton_command_set_capture_max(cmd, CAPTURE_MAX);
    r = baton_command_run(cmd, &res);
    if (r < 0)
        r = fail(ret_error, r, "%s: cannot run: %s", argv[0], strerror(-r));
    else if (res.status == BATON_EXEC_TIMEOUT)
        r = fail(ret_error, -ETIMEDOUT, "%s %s: no answer within %lld s", argv[0],
                 argv[1] ? argv[1] : "", (long long) (timeout_ms / 1000));
    else if (res.out_truncated)
        r = fail(ret_error, -EFBIG, "%s: more than %d MiB of output", argv[0],
                 CAPTURE_MAX / (1024 * 1024));
    else if (!baton_command_result_ok(&res))
        r = fail(ret_error, -EIO, "%s %s failed (%s%s%d): %s", argv[0], argv[1] ? argv[1] : "",
                 baton_exec_status_name(res.status), res.status == BATON_EXEC_DONE ? " " : "",
                 res.status == BATON_EXEC_DONE ? res.exit_status : res.signal, first_line(&res));
    else if (ret_out)
        *ret_out = baton_take_ptr(res.out);
    baton_command_result_clear(&res);
    return r;
}

/* ------------------------------------------------------------------ agents */

/* What one agent prints for an action: OCF agents take it as argv[1], fence agents as -o. */
static char *agent_says(const char *path, bool fence, const char *action)
{
    char *out = NULL;
    char *argv_ocf[] = { (char *) path, (char *) action, NULL };
    char *argv_fence[] = { (char *) path, (char *) "-o", (char *) action, NULL };

    if (run(fence ? argv_fence : argv_ocf, NULL, AGENT_TIMEOUT_MS, &out, NULL) < 0)
        return NULL;
    return out;
}

/* The standard agent's program from "ocf:heartbeat:IPaddr2" or "stonith:fence_ipmilan". */
static char *standard_path(const char *spec)
{
    baton_autofree char *copy = strdup(spec);
    char *provider, *type;

    if (!copy)
        return NULL;
    if (strncmp(copy, "stonith:", 8) == 0)
        return baton_strdup_printf("%s/%s", baton_cluster_tools_dir(), copy + 8);
    provider = strchr(copy, ':');
    type = provider ? strchr(provider + 1, ':') : NULL;
    if (!type)
        return NULL;
    *type++ = '\0';
    return baton_strdup_printf("%s/resource.d/%s/%s", ocf_root(), provider + 1, type);
}

/* 0 with *ret NULL when the agent replaces no standard agent (ntp). */
static int agent_load(const char *path, bool fence, switch_agent **ret, char **ret_error)
{
    baton_autofree char *table = agent_says(path, fence, "standard-params");
    baton_autofree char *md = NULL;
    baton_autofree char *std_md = NULL;
    baton_autofree char *std_path = NULL;
    switch_agent *probe = NULL;
    int r;

    *ret = NULL;
    if (!table)
        return fail(ret_error, -EIO, "%s does not print its standard-params table "
                    "(an older baton?)", path);
    if (!strstr(table, "<baton:standard"))
        return 0;
    md = agent_says(path, fence, fence ? "metadata" : "meta-data");
    if (!md)
        return fail(ret_error, -EIO, "%s does not print its meta-data", path);
    /* A first parse only learns which standard agent it is, to ask that one too. */
    r = switch_agent_parse(table, md, NULL, &probe, ret_error);
    if (r < 0)
        return r;
    std_path = standard_path(probe->standard);
    switch_agent_free(probe);
    if (std_path && access(std_path, X_OK) == 0)
        std_md = agent_says(std_path, fence, fence ? "metadata" : "meta-data");
    r = switch_agent_parse(table, md, std_md, ret, ret_error);
    if (r < 0)
        return r;
    (*ret)->baton_path = strdup(path);
    (*ret)->standard_path = baton_take_ptr(std_path);
    if (!(*ret)->baton_path)
        return fail(ret_error, -ENOMEM, "out of memory");
    return 0;
}

static int agents_add(switch_agents *agents, switch_agent *a)
{
    switch_agent **grown = realloc(agents->v, (agents->n + 1) * sizeof(*grown));

    if (!grown) {
        switch_agent_free(a);
        return -ENOMEM;
    }
    grown[agents->n++] = a;
    agents->v = grown;
    return 0;
}

/* Every file of dir whose name starts with prefix, as an agent. */
static int load_dir(switch_agents *agents, const char *dir, const char *prefix, bool fence,
                    char **ret_error)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int r = 0;

    if (!d)
        return errno == ENOENT ? 0 : fail(ret_error, -errno, "%s: %s", dir, strerror(errno));
    while (r == 0 && (e = readdir(d))) {
        baton_autofree char *path = NULL;
        switch_agent *a = NULL;

        if (e->d_name[0] == '.' || strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        path = baton_strdup_printf("%s/%s", dir, e->d_name);
        if (!path) {
            r = -ENOMEM;
            break;
        }
        if (access(path, X_OK) != 0)
            continue;
        r = agent_load(path, fence, &a, ret_error);
        if (r == 0 && a)
            r = agents_add(agents, a);
    }
    closedir(d);
    return r;
}

void switch_agents_clear(switch_agents *agents)
{
    for (size_t i = 0; i < agents->n; i++)
        switch_agent_free(agents->v[i]);
    free(agents->v);
    *agents = (switch_agents) { 0 };
}

int switch_agents_load(switch_agents *ret, char **ret_error)
{
    switch_agents agents = { 0 };
    baton_autofree char *ocf_dir = baton_strdup_printf("%s/resource.d/baton", ocf_root());
    int r;

    if (!ocf_dir)
        return -ENOMEM;
    r = load_dir(&agents, ocf_dir, "", false, ret_error);
    if (r == 0)
        r = load_dir(&agents, BATON_FENCE_AGENT_DIR, "fence_baton_", true, ret_error);
    if (r < 0) {
        switch_agents_clear(&agents);
        return r;
    }
    *ret = agents;
    return 0;
}

const switch_agent *switch_agents_find(const switch_agents *agents, const char *spec,
                                       switch_direction *ret_dir)
{
    for (size_t i = 0; i < agents->n; i++) {
        if (strcmp(agents->v[i]->standard, spec) == 0) {
            *ret_dir = SWITCH_TO_BATON;
            return agents->v[i];
        }
        if (strcmp(agents->v[i]->baton, spec) == 0) {
            *ret_dir = SWITCH_TO_STANDARD;
            return agents->v[i];
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------ cluster */

static xmlDocPtr parse(const char *xml)
{
    return xml ? xmlReadMemory(xml, (int) strlen(xml), "cib.xml", NULL,
                               XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                               XML_PARSE_HUGE) : NULL;
}

int switch_cib_read_file(const char *path, xmlDocPtr *ret, char **ret_error)
{
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                XML_PARSE_NOWARNING | XML_PARSE_HUGE);

    if (!doc)
        return fail(ret_error, -EINVAL, "%s: not an XML file", path);
    *ret = doc;
    return 0;
}

int switch_cib_query(int64_t timeout_ms, xmlDocPtr *ret, char **ret_error)
{
    char *argv[] = { "cibadmin", "--query", NULL };
    baton_autofree char *out = NULL;
    int r = run(argv, NULL, timeout_ms, &out, ret_error);

    if (r < 0)
        return r;
    *ret = parse(out);
    return *ret ? 0 : fail(ret_error, -EINVAL, "cibadmin --query: the answer is not XML");
}

int switch_cib_replace(xmlDocPtr def, int64_t timeout_ms, char **ret_error)
{
    char *argv[] = { "cibadmin", "--replace", "--scope", "resources", "--xml-pipe", NULL };
    xmlBufferPtr buf = xmlBufferCreate();
    int r;

    if (!buf || xmlNodeDump(buf, def, xmlDocGetRootElement(def), 0, 0) < 0) {
        xmlBufferFree(buf);
        return fail(ret_error, -ENOMEM, "out of memory");
    }
    r = run(argv, (const char *) xmlBufferContent(buf), timeout_ms, NULL, ret_error);
    xmlBufferFree(buf);
    return r;
}

int switch_refresh(const char *id, int64_t timeout_ms, char **ret_error)
{
    char *argv[] = { "crm_resource", "--refresh", "--resource", (char *) id, NULL };

    return run(argv, NULL, timeout_ms, NULL, ret_error);
}

int switch_settle(int64_t timeout_ms, char **ret_error)
{
    baton_autofree char *t = baton_strdup_printf("--timeout=%llds",
                                                 (long long) (timeout_ms + 999) / 1000);
    char *argv[] = { "crm_resource", "--wait", t, NULL };

    if (!t)
        return -ENOMEM;
    /* crm_resource gets its own limit; ours adds a margin so that its answer is the one seen. */
    return run(argv, NULL, timeout_ms + 5000, NULL, ret_error);
}

int switch_placement_read(int64_t timeout_ms, switch_placement *ret, char **ret_error)
{
    char *argv[] = { "crm_mon", "--output-as=xml", "--inactive", NULL };
    baton_autofree char *out = NULL;
    int r = run(argv, NULL, timeout_ms, &out, ret_error);

    if (r < 0)
        return r;
    r = switch_placement_parse(out, ret);
    return r < 0 ? fail(ret_error, r, "crm_mon --output-as=xml: not the expected XML") : 0;
}

/* ------------------------------------------------------------------ validate-all */

/* The parameters of the item's new definition, as name=value pairs in order. */
static int for_each_parameter(const switch_item *it, void (*fn)(void *data, const char *name,
                                                                const char *value), void *data)
{
    xmlNodePtr root = xmlDocGetRootElement(it->new_def);

    for (xmlNodePtr set = root->children; set; set = set->next) {
        if (set->type != XML_ELEMENT_NODE || xmlStrcmp(set->name, BAD_CAST "instance_attributes"))
            continue;
        for (xmlNodePtr nv = set->children; nv; nv = nv->next) {
            xmlChar *name, *value;

            if (nv->type != XML_ELEMENT_NODE || xmlStrcmp(nv->name, BAD_CAST "nvpair"))
                continue;
            name = xmlGetProp(nv, BAD_CAST "name");
            value = xmlGetProp(nv, BAD_CAST "value");
            if (name)
                fn(data, (const char *) name, value ? (const char *) value : "");
            xmlFree(name);
            xmlFree(value);
        }
    }
    return 0;
}

static void add_reskey(void *data, const char *name, const char *value)
{
    baton_autofree char *var = baton_strdup_printf("OCF_RESKEY_%s", name);

    if (var)
        baton_command_add_env(data, var, value);
}

static void add_line(void *data, const char *name, const char *value)
{
    fprintf(data, "%s=%s\n", name, value);
}

/* The agent's reason: the last ocf-exit-reason line, else the first line of stderr. */
static char *reason_of(baton_command_result *res)
{
    const char *prefix = "ocf-exit-reason:";
    char *s = res->err ? res->err : NULL;
    char *found = NULL;

    for (char *p = s; p && (p = strstr(p, prefix)); p += strlen(prefix))
        found = p + strlen(prefix);
    if (found) {
        char *nl = strchr(found, '\n');

        return nl ? strndup(found, (size_t) (nl - found)) : strdup(found);
    }
    return strdup(first_line(res));
}

/*
 * The agent of the new side checks the new definition here, as validate-all
 * would in the cluster: what it refuses is a reason not to move, found before
 * the cluster is touched. OCF agents get the parameters in their environment,
 * fence agents on stdin: neither on a command line.
 */
int switch_validate(switch_item *it, switch_direction dir, int64_t timeout_ms)
{
    const char *path = dir == SWITCH_TO_BATON ? it->agent->baton_path : it->agent->standard_path;
    baton_autoptr(baton_command) cmd = path ? baton_command_new(path) : NULL;
    baton_command_result res = { 0 };
    baton_autofree char *input = NULL;
    baton_autofree char *why = NULL;
    size_t input_len = 0;
    int r;

    if (!path)
        return 0;               /* not installed: the plan already says so */
    if (!cmd)
        return -ENOMEM;
    if (it->fence) {
        FILE *f = open_memstream(&input, &input_len);

        if (!f)
            return -ENOMEM;
        fputs("action=validate-all\n", f);
        for_each_parameter(it, add_line, f);
        if (fclose(f) != 0)
            return -ENOMEM;
        baton_command_set_input(cmd, input, input_len);
    } else {
        baton_command_add_arg(cmd, "validate-all");
        baton_command_add_env(cmd, "OCF_ROOT", ocf_root());
        baton_command_add_env(cmd, "OCF_RA_VERSION_MAJOR", "1");
        baton_command_add_env(cmd, "OCF_RA_VERSION_MINOR", "1");
        baton_command_add_env(cmd, "OCF_RESOURCE_INSTANCE", it->id);
        if (it->promotable)
            baton_command_add_env(cmd, "OCF_RESKEY_CRM_meta_promotable", "true");
        for_each_parameter(it, add_reskey, cmd);
    }
    baton_command_set_quiet_argv(cmd, true);
    baton_command_set_deadline(cmd, baton_deadline_in(timeout_ms));
    r = baton_command_run(cmd, &res);
    if (r < 0) {
        baton_command_result_clear(&res);
        return r;
    }
    why = reason_of(&res);
    if (res.status != BATON_EXEC_DONE)
        r = switch_item_note(it, NULL, SWITCH_BLOCK, "%s validate-all did not finish (%s)", it->to,
                             baton_exec_status_name(res.status));
    else if (res.exit_status != 0 && (it->fence || res.exit_status == 2 || res.exit_status == 6))
        r = switch_item_note(it, NULL, SWITCH_BLOCK, "%s validate-all refuses the new "
                             "definition: %s", it->to, why ? why : "no reason");
    else if (res.exit_status != 0)
        r = switch_item_note(it, NULL, SWITCH_KEEP, "%s validate-all answers %d on this node: %s",
                             it->to, res.exit_status, why ? why : "no reason");
    baton_command_result_clear(&res);
    return r;
}
