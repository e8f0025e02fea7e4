/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * autoset_utilization_*: publish the VM's vCPUs and current memory as the
 * resource's utilization through crm_resource, only when it changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/cluster.h>
#include <baton/command.h>

#include "vm.h"
#include "vm-memory.h"
#include "vm-utilization.h"

/* A crm_resource call may take this long at most (it waits for the CIB). */
#define VM_UTIL_TIMEOUT_MS 10000

static const char *const attr_names[VM_UTIL_MAX] = {
    [VM_UTIL_CPU] = "cpu",
    [VM_UTIL_HV_MEMORY] = "hv_memory",
    [VM_UTIL_HOST_MEMORY] = "host_memory",
};

/* The parameter that switches each attribute on (VirtualDomain's names). */
static const char *const attr_params[VM_UTIL_MAX] = {
    [VM_UTIL_CPU] = "autoset_utilization_cpu",
    [VM_UTIL_HV_MEMORY] = "autoset_utilization_hv_memory",
    [VM_UTIL_HOST_MEMORY] = "autoset_utilization_host_memory",
};

const char *vm_util_attr_name(vm_util_attr a)
{
    return a < VM_UTIL_MAX ? attr_names[a] : NULL;
}

void vm_util_cache_parse(const char *s, vm_util_values *ret)
{
    for (int i = 0; i < VM_UTIL_MAX; i++)
        ret->v[i] = -1;
    while (s && *s) {
        size_t len = strcspn(s, "\n");
        const char *eq = memchr(s, '=', len);

        for (int i = 0; eq && i < VM_UTIL_MAX; i++) {
            size_t nlen = strlen(attr_names[i]);
            char num[24];
            size_t vlen = len - (size_t) (eq + 1 - s);
            int64_t v;

            if ((size_t) (eq - s) != nlen || strncmp(s, attr_names[i], nlen) != 0 ||
                vlen == 0 || vlen >= sizeof(num))
                continue;
            memcpy(num, eq + 1, vlen);
            num[vlen] = '\0';
            if (baton_parse_int64(num, &v) == 0 && v >= 0)
                ret->v[i] = v;
        }
        s += len;
        if (*s == '\n')
            s++;
    }
}

char *vm_util_cache_format(const vm_util_values *v)
{
    char buf[256];
    size_t off = 0;

    buf[0] = '\0';
    for (int i = 0; i < VM_UTIL_MAX; i++) {
        int n;

        if (v->v[i] < 0)
            continue;
        n = snprintf(buf + off, sizeof(buf) - off, "%s=%" PRId64 "\n", attr_names[i], v->v[i]);
        if (n < 0 || (size_t) n >= sizeof(buf) - off)
            return NULL;
        off += (size_t) n;
    }
    return strdup(buf);
}

static char *cache_path(baton_ctx *ctx)
{
    const char *res = baton_ctx_resource(ctx);
    char *p = NULL;

    if (strchr(res, '/') || asprintf(&p, "%s/vm/%s.util", vm_rundir(), res) < 0)
        return NULL;
    return p;
}

static void cache_read(baton_ctx *ctx, vm_util_values *ret)
{
    baton_autofree char *path = cache_path(ctx);
    baton_autoclose int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
    char buf[256];
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

    buf[n > 0 ? n : 0] = '\0';
    vm_util_cache_parse(buf, ret);
}

/* A failure costs one crm_attribute run next time; vm_state_write logs why. */
static void cache_write(baton_ctx *ctx, const vm_util_values *v)
{
    baton_autofree char *name = NULL;
    baton_autofree char *text = vm_util_cache_format(v);
    const char *res = baton_ctx_resource(ctx);

    if (!text || strchr(res, '/') || asprintf(&name, "%s.util", res) < 0)
        return;
    (void) vm_state_write(name, text);
}

void vm_utilization_forget(baton_ctx *ctx)
{
    baton_autofree char *path = cache_path(ctx);

    if (path)
        unlink(path);
}

static int publish(baton_ctx *ctx, const char *attr, int64_t value)
{
    baton_autofree char *tool = NULL, *rsc = baton_cluster_resource_base(baton_ctx_resource(ctx));
    baton_autoptr(baton_command) cmd = NULL;
    baton_command_result res = {0};
    int rc = 0;

    if (!rsc || asprintf(&tool, "%s/crm_resource", baton_cluster_tools_dir()) < 0)
        return -ENOMEM;
    cmd = baton_command_new(tool);
    if (!cmd)
        return -ENOMEM;
    baton_command_add_args(cmd, "--resource", rsc, "--utilization", "--set-parameter", attr,
                           "--parameter-value", NULL);
    baton_command_add_argf(cmd, "%" PRId64, value);
    baton_command_pass_env(cmd, "CIB_file");
    baton_command_pass_env(cmd, "CIB_shadow");
    baton_command_set_deadline(cmd, baton_deadline_cap(baton_ctx_deadline(ctx), VM_UTIL_TIMEOUT_MS));
    if (baton_command_run(cmd, &res) < 0 || !baton_command_result_ok(&res)) {
        if (res.status == BATON_EXEC_DONE)
            baton_warn("cannot set utilization %s=%" PRId64 " of %s: crm_resource exited with %d%s%s", attr,
                       value, rsc, res.exit_status, res.err && *res.err ? ": " : "", res.err ? res.err : "");
        else
            baton_warn("cannot set utilization %s=%" PRId64 " of %s: crm_resource: %s", attr, value, rsc,
                       baton_exec_status_name(res.status));
        rc = -EIO;
    }
    baton_command_result_clear(&res);
    return rc;
}

void vm_utilization_update(baton_ctx *ctx, virDomainPtr dom)
{
    vm_util_values want, have;
    virDomainInfo info;
    uint64_t actual, last;
    bool any = false, changed = false;

    for (int i = 0; i < VM_UTIL_MAX; i++)
        any |= baton_param_bool(ctx, attr_params[i]);
    if (!any)
        return;
    if (virDomainGetInfo(dom, &info) < 0) {
        baton_autofree char *err = vm_last_error(NULL);
        baton_warn("utilization not updated: %s", err);
        return;
    }
    if (vm_memory_stats(dom, &actual, &last) < 0 || actual == 0)
        actual = info.memory;
    want.v[VM_UTIL_CPU] = info.nrVirtCpu;
    want.v[VM_UTIL_HV_MEMORY] = (int64_t) (actual / 1024);
    want.v[VM_UTIL_HOST_MEMORY] = (int64_t) (actual / 1024);

    cache_read(ctx, &have);
    for (int i = 0; i < VM_UTIL_MAX; i++) {
        if (!baton_param_bool(ctx, attr_params[i]) || have.v[i] == want.v[i])
            continue;
        if (publish(ctx, attr_names[i], want.v[i]) < 0)
            continue;           /* the next monitor tries again */
        baton_info("utilization %s of %s: %" PRId64, attr_names[i], baton_ctx_resource(ctx), want.v[i]);
        have.v[i] = want.v[i];
        changed = true;
    }
    if (changed)
        cache_write(ctx, &have);
}
