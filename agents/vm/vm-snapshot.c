/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Creating the domain on start, and snapshot (VirtualDomain's meaning):
 * stop saves the guest's memory into <snapshot>/<domain>.state instead of
 * shutting it down; the next start restores it from there and removes the
 * image.
 *
 * A failed restore fails the start and keeps the image, as VirtualDomain
 * does: booting afresh would leave an image whose memory no longer matches
 * the disks, and restoring it later would corrupt them. The administrator
 * removes the image to boot afresh (the reason says so).
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libvirt/virterror.h>

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/strutil.h>

#include "vm.h"
#include "vm-lifecycle.h"

char *vm_snapshot_path(const char *dir, const char *name)
{
    return baton_strdup_printf("%s/%s.state", dir, name);
}

/* The image start would restore, NULL when there is none (or no snapshot). */
static char *image_to_restore(baton_ctx *ctx, const char *name)
{
    const char *dir = baton_param_str(ctx, "snapshot");
    char *path;
    struct stat st;

    if (!baton_param_is_set(ctx, "snapshot") || !dir || *dir != '/')
        return NULL;
    path = vm_snapshot_path(dir, name);
    if (path && stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return path;
    free(path);
    return NULL;
}

static int restore(baton_ctx *ctx, virConnectPtr conn, const char *path, const char *name, virDomainPtr *ret)
{
    baton_autofree char *err = NULL;
    int r;

    baton_info("restoring domain %s from %s", name, path);
    /* not abortable: the watchdog bounds it at the action's deadline */
    if (virDomainRestoreFlags(conn, path, NULL, VIR_DOMAIN_SAVE_RUNNING) < 0) {
        err = vm_last_error(NULL);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "cannot restore domain %s from %s: %s; the image is kept (remove it to boot the "
                              "domain afresh, losing the saved state)", name, path, err);
    }
    r = vm_domain_lookup(conn, name, ret, &err);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s restored from %s is not found: %s", name, path,
                              err ? err : "no such domain");
    /* a second restore of the same image after the guest ran on would corrupt its disks */
    if (unlink(path) < 0 && errno != ENOENT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC,
                              "domain %s restored, but its image %s cannot be removed (%s): a later start would "
                              "restore the old state", name, path, strerror(errno));
    baton_info("domain %s restored; image %s removed", name, path);
    return BATON_OCF_SUCCESS;
}

/* start_resources: the pools and networks of the file, or of the definition. */
static int start_resources(baton_ctx *ctx, virConnectPtr conn, const char *xml, const char *name)
{
    baton_autofree char *err = NULL, *defined = NULL;
    autodomain dom = NULL;

    if (!baton_param_bool(ctx, "start_resources"))
        return BATON_OCF_SUCCESS;
    if (!xml) {
        int r = vm_domain_lookup(conn, name, &dom, &err);

        if (r == -ENOENT)
            return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "domain %s is not defined on this node", name);
        if (r < 0 || !(defined = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE)))
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot read the definition of domain %s: %s",
                                  name, err ? err : "virDomainGetXMLDesc failed");
        xml = defined;
    }
    if (vm_resources_start(conn, xml, &err) < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "domain %s: %s", name, err ? err : "start_resources");
    return BATON_OCF_SUCCESS;
}

int vm_start_domain(baton_ctx *ctx, virConnectPtr conn, const char *xml, const char *name, virDomainPtr *ret)
{
    baton_autofree char *err = NULL, *image = NULL;
    virDomainPtr dom;
    int r, rc;

    rc = start_resources(ctx, conn, xml, name);
    if (rc != BATON_OCF_SUCCESS)
        return rc;
    image = image_to_restore(ctx, name);
    if (image)
        return restore(ctx, conn, image, name, ret);
    if (xml) {
        /* transient: the file stays the only definition; nothing is left behind on stop */
        dom = virDomainCreateXML(conn, xml, 0);
        if (!dom) {
            err = vm_last_error(NULL);
            return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot start domain %s: %s", name, err);
        }
        *ret = dom;
        return BATON_OCF_SUCCESS;
    }
    r = vm_domain_lookup(conn, name, &dom, &err);
    if (r == -ENOENT)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_INSTALLED, "domain %s is not defined on this node", name);
    if (r < 0)
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot look up domain %s: %s", name, err);
    if (virDomainCreate(dom) < 0) {
        err = vm_last_error(NULL);
        virDomainFree(dom);
        return baton_ctx_fail(ctx, BATON_OCF_ERR_GENERIC, "cannot start domain %s: %s", name, err);
    }
    *ret = dom;
    return BATON_OCF_SUCCESS;
}

/* ---------------------------------------------------------------- save */

typedef struct save_job {
    virDomainPtr dom;
    const char *path;
    vm_bg_call call;
} save_job;

static void *save_main(void *arg)
{
    save_job *j = arg;

    vm_bg_call_finish(&j->call, virDomainSaveFlags(j->dom, j->path, NULL, 0));
    return NULL;
}

/* Wait for the job; abort it at until. Returns whether it was aborted. */
static bool save_wait(save_job *j, const char *name, baton_deadline until)
{
    if (vm_bg_call_wait(&j->call, until.end_ms))
        return false;
    baton_warn("saving domain %s did not finish in time: aborting it", name);
    if (virDomainAbortJob(j->dom) < 0) {
        baton_autofree char *err = vm_last_error(NULL);
        baton_warn("abort of the save of %s: %s", name, err);
    }
    /* an abort that does not end the call leaves it to the watchdog */
    (void) vm_bg_call_wait(&j->call, INT64_MAX);
    return true;
}

int vm_snapshot_save(baton_ctx *ctx, virDomainPtr dom, const char *name, baton_deadline until)
{
    const char *dir = baton_param_str(ctx, "snapshot");
    baton_autofree char *path = NULL;
    save_job job = { .dom = dom, .call = VM_BG_CALL_INIT };
    int64_t t0 = baton_now_ms();
    pthread_t thread;
    bool aborted;
    int r, active;

    if (!baton_param_is_set(ctx, "snapshot") || !dir || *dir != '/')
        return 0;
    path = vm_snapshot_path(dir, name);
    if (!path)
        return 0;
    job.path = path;
    baton_info("saving domain %s to %s (up to %" PRId64 " ms)", name, path, baton_deadline_remaining_ms(until));
    r = pthread_create(&thread, NULL, save_main, &job);
    if (r != 0) {
        baton_err("cannot save domain %s: no thread (%s); shutting it down instead", name, strerror(r));
        return 0;
    }
    aborted = save_wait(&job, name, until);
    pthread_join(thread, NULL);
    active = virDomainIsActive(dom);
    if (job.call.rc == 0 && active != 1) {
        baton_info("domain %s saved to %s in %" PRId64 " ms", name, path, baton_now_ms() - t0);
        return 1;
    }
    /* an image that is not a complete save must not be restored by the next start */
    if (unlink(path) == 0 || errno == ENOENT)
        baton_err("cannot save domain %s to %s%s: %s; shutting it down instead", name, path,
                  aborted ? " before the deadline" : "",
                  job.call.err ? job.call.err : "the domain is still active");
    else
        baton_err("cannot save domain %s, and its partial image %s cannot be removed (%s): a start would try "
                  "to restore it", name, path, strerror(errno));
    free(job.call.err);
    return 0;
}
