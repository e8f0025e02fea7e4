/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual machines through the libvirt C API, on any connection URI.
 *
 * Bounding the calls: libvirt has no connect timeout, so the connection is
 * opened in a helper thread that the agent abandons when connect_timeout or
 * the deadline runs out. Once connected, a default event loop runs in a
 * thread and keepalive (1 s interval, 3 missed) closes a connection whose
 * daemon stopped answering, which makes a pending call fail instead of
 * hanging. Local drivers without keepalive (test:///) do not need it. What
 * remains unbounded (a daemon that answers keepalives but never completes a
 * call) is cut by the front end's watchdog.
 *
 * States: running, blocked, paused, in shutdown and pmsuspended count as ON
 * (the QEMU process exists and may still write to shared storage); shutoff
 * is OFF; crashed is ON while the domain is still active (on_crash=preserve)
 * and OFF otherwise; nostate is UNKNOWN.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <baton/stonith.h>

#define KEEPALIVE_INTERVAL_S 1
#define KEEPALIVE_COUNT 3

struct baton_stonith_device {
    const char *uri;                    /* the config's strings: valid until destroy */
    const char *username;
    const char *password;
    int64_t connect_timeout_ms;
    virConnectPtr conn;
};

static const baton_stonith_param libvirt_params[] = {
    { .name = "uri", .type = BATON_STONITH_PARAM_STRING, .default_value = "qemu:///system",
      .deprecated_name = "hypervisor_uri", .getopt_arg = "uri",
      .shortdesc = "libvirt connection URI (qemu:///system, qemu+ssh://host/system, "
                   "qemu+tcp://host/system, xen://, test:///default, ...)" },
    { .name = "username", .type = BATON_STONITH_PARAM_STRING, .deprecated_name = "login",
      .getopt_short = 'l', .getopt_arg = "name",
      .shortdesc = "User name for connections that ask for one (SASL)" },
    { .name = "password", .type = BATON_STONITH_PARAM_STRING, .secret = true,
      .deprecated_name = "passwd", .getopt_short = 'p', .getopt_arg = "password",
      .shortdesc = "Password for connections that ask for one (SASL)" },
    { .name = "connect_timeout", .type = BATON_STONITH_PARAM_SECOND, .default_value = "10",
      .getopt_arg = "seconds",
      .shortdesc = "Give up opening the connection after this many seconds" },
    { .name = NULL },
};

/*
 * What becomes of fence_virsh's parameters that are not declared above with
 * the same name and meaning (fence_virsh -o metadata; make check compares).
 * fence_virsh logs in with ssh and runs virsh there, on that user's default
 * URI; libvirt's own ssh transport reaches the same daemon without a shell:
 * its ssh options are parts of the URI. The front end decides fence-agents'
 * common options itself.
 */
#define SSH_URI "uri=qemu+ssh://LOGIN@IP/system"
static const baton_stonith_standard_param libvirt_standard[] = {
    { .name = "ip", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "there is no ssh login to a shell running virsh: libvirt connects by URI",
      .instead = "set " SSH_URI " (libvirt's ssh transport, to the qemu:///system a root "
                 "login's virsh uses)" },
    { .name = "ipaddr", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "the old name of ip; libvirt connects by URI",
      .instead = "set " SSH_URI },
    { .name = "ipport", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "22",
      .why = "the ssh port is part of the URI",
      .instead = "set uri=qemu+ssh://LOGIN@IP:PORT/system" },
    { .name = "identity_file", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "the ssh key is part of the URI",
      .instead = "set uri=qemu+ssh://LOGIN@IP/system?keyfile=PATH" },
    { .name = "ssh_options", .decision = BATON_STONITH_DECISION_REFUSED,
      .why = "libvirt runs ssh itself, with the URI's options only",
      .instead = "use the URI's query (keyfile=, no_verify=1, known_hosts=) or root's "
                 "~/.ssh/config (Host IP)" },
    { .name = "ssh", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "true",
      .why = "the URI's transport decides how to connect; there is no telnet",
      .instead = "set " SSH_URI " for ssh" },
    { .name = "secure", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "true",
      .why = "the old name of ssh; the URI's transport decides how to connect",
      .instead = "set " SSH_URI " for ssh" },
    { .name = "ssh_path", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "/usr/bin/ssh",
      .why = "libvirt runs the ssh it finds in PATH",
      .instead = "leave ssh_path at /usr/bin/ssh, or put that ssh first in pacemaker-fenced's PATH" },
    { .name = "inet4_only", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "false",
      .why = "the address family follows the URI's host",
      .instead = "use an IPv4 address as the URI's host: qemu+ssh://LOGIN@192.0.2.1/system" },
    { .name = "inet6_only", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "false",
      .why = "the address family follows the URI's host",
      .instead = "use an IPv6 address as the URI's host: qemu+ssh://LOGIN@[2001:db8::1]/system" },
    { .name = "use_sudo", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "false",
      .why = "no virsh is run on the host, so none runs with sudo",
      .instead = "connect as a user the daemon lets manage the domains: "
                 "uri=qemu+ssh://root@IP/system, or a user in the libvirt group" },
    { .name = "sudo", .decision = BATON_STONITH_DECISION_REFUSED, .accept = "false",
      .why = "the old name of use_sudo; no virsh is run on the host",
      .instead = "connect as a user the daemon lets manage the domains: "
                 "uri=qemu+ssh://root@IP/system, or a user in the libvirt group" },
    { .name = "sudo_path", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "only used with use_sudo, which is refused unless false" },
    { .name = "command_prompt", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "no shell is driven: there is no prompt to recognise" },
    { .name = "cmd_prompt", .decision = BATON_STONITH_DECISION_NOOP,
      .why = "the old name of command_prompt: no shell is driven" },
    { .name = "username", .decision = BATON_STONITH_DECISION_DIFFERS,
      .why = "the name libvirt's authentication asks for (SASL, qemu+tcp://); fence_virsh's "
             "ssh login goes into the URI: qemu+ssh://LOGIN@IP/system" },
    { .name = "password", .decision = BATON_STONITH_DECISION_DIFFERS,
      .why = "the password libvirt's authentication asks for (SASL); fence_virsh's ssh "
             "password has no place in qemu+ssh://, which needs a key (keyfile=)" },
    { .name = "stonith_status_sleep", .decision = BATON_STONITH_DECISION_DIFFERS,
      .why = "defaults to 0.5 s; fence_virsh's is 1 s" },
    { .name = NULL },
};

static void error_silent(void *userdata, virErrorPtr err)
{
    /* libvirt prints every error on stderr by default; we report ours once. */
    (void) userdata;
    (void) err;
}

static int last_error_code(void)
{
    virErrorPtr e = virGetLastError();

    return e ? e->code : VIR_ERR_OK;
}

static const char *last_error_message(void)
{
    const char *m = virGetLastErrorMessage();

    return m ? m : "unknown libvirt error";
}

static baton_stonith_result result_of_error(int code)
{
    switch (code) {
    case VIR_ERR_NO_DOMAIN:
        return BATON_STONITH_NO_SUCH_TARGET;
    case VIR_ERR_AUTH_FAILED:
    case VIR_ERR_AUTH_CANCELLED:
    case VIR_ERR_AUTH_UNAVAILABLE:
    case VIR_ERR_ACCESS_DENIED:
        return BATON_STONITH_AUTH_FAILED;
    case VIR_ERR_INVALID_ARG:
    case VIR_ERR_NO_SUPPORT:
        return BATON_STONITH_BAD_CONFIG;
    case VIR_ERR_NO_CONNECT:
    case VIR_ERR_SYSTEM_ERROR:
    case VIR_ERR_RPC:
    case VIR_ERR_INTERNAL_ERROR:
        return BATON_STONITH_UNREACHABLE;
    default:
        return BATON_STONITH_FAILED;
    }
}

static baton_stonith_result libvirt_error(baton_stonith_call *call, const char *what, const char *plug)
{
    baton_stonith_result r = result_of_error(last_error_code());

    call->set_error(call, "%s%s%s: %s", what, plug ? " " : "", plug ? plug : "", last_error_message());
    return r;
}

/* ------------------------------------------------------------------ bounded open */

typedef struct open_job {
    pthread_mutex_t lock;
    pthread_cond_t done_cond;
    int refs;                           /* the agent and the thread */
    bool done;
    char *uri;
    char *username;
    char *password;
    virConnectPtr conn;
    int error_code;
    char *error;
} open_job;

static void job_unref(open_job *j)
{
    bool last;

    pthread_mutex_lock(&j->lock);
    last = --j->refs == 0;
    pthread_mutex_unlock(&j->lock);
    if (!last)
        return;
    /* An abandoned job may still have connected: nobody else will close it. */
    if (j->conn)
        virConnectClose(j->conn);
    if (j->password)
        explicit_bzero(j->password, strlen(j->password));
    free(j->password);
    free(j->username);
    free(j->uri);
    free(j->error);
    pthread_cond_destroy(&j->done_cond);
    pthread_mutex_destroy(&j->lock);
    free(j);
}

static int auth_callback(virConnectCredentialPtr cred, unsigned int ncred, void *cbdata)
{
    open_job *j = cbdata;

    for (unsigned i = 0; i < ncred; i++) {
        const char *v = NULL;

        if (cred[i].type == VIR_CRED_AUTHNAME)
            v = j->username;
        else if (cred[i].type == VIR_CRED_PASSPHRASE || cred[i].type == VIR_CRED_NOECHOPROMPT)
            v = j->password;
        /* Nothing to answer with: fail now rather than wait for a prompt. */
        if (!v)
            return -1;
        cred[i].result = strdup(v);
        if (!cred[i].result)
            return -1;
        cred[i].resultlen = (unsigned) strlen(v);
    }
    return 0;
}

static void *open_thread(void *arg)
{
    open_job *j = arg;
    int credtypes[] = { VIR_CRED_AUTHNAME, VIR_CRED_PASSPHRASE, VIR_CRED_NOECHOPROMPT };
    virConnectAuth auth = {
        .credtype = credtypes,
        .ncredtype = sizeof(credtypes) / sizeof(credtypes[0]),
        .cb = auth_callback,
        .cbdata = j,
    };
    virConnectPtr c;

    virSetErrorFunc(NULL, error_silent);
    c = virConnectOpenAuth(j->uri, &auth, 0);
    pthread_mutex_lock(&j->lock);
    j->conn = c;
    if (!c) {
        j->error_code = last_error_code();
        j->error = strdup(last_error_message());
    }
    j->done = true;
    pthread_cond_signal(&j->done_cond);
    pthread_mutex_unlock(&j->lock);
    job_unref(j);
    return NULL;
}

static void *event_thread(void *arg)
{
    (void) arg;
    for (;;)
        if (virEventRunDefaultImpl() < 0)
            break;
    return NULL;
}

static bool event_loop_start(void)
{
    static bool started;
    pthread_t t;

    if (started)
        return true;
    if (virEventRegisterDefaultImpl() < 0)
        return false;
    if (pthread_create(&t, NULL, event_thread, NULL) != 0)
        return false;
    pthread_detach(t);
    started = true;
    return true;
}

static baton_stonith_result lv_connect(baton_stonith_device *d, baton_stonith_call *call)
{
    int64_t remaining = call->remaining_ms(call);
    int64_t wait_ms = d->connect_timeout_ms < remaining ? d->connect_timeout_ms : remaining;
    open_job *j;
    pthread_condattr_t ca;
    pthread_t t;
    struct timespec until;
    baton_stonith_result r = BATON_STONITH_OK;

    if (d->conn)
        return BATON_STONITH_OK;
    /* Keepalive needs the loop registered before the connection opens. */
    if (!event_loop_start())
        call->log(call, LOG_WARNING, "libvirt event loop not started: calls are bounded only by the watchdog");
    j = calloc(1, sizeof(*j));
    if (!j)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "out of memory");
    pthread_mutex_init(&j->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&j->done_cond, &ca);
    pthread_condattr_destroy(&ca);
    j->refs = 2;
    j->uri = strdup(d->uri);
    j->username = d->username ? strdup(d->username) : NULL;
    j->password = d->password ? strdup(d->password) : NULL;
    if (!j->uri || (d->username && !j->username) || (d->password && !j->password) ||
        pthread_create(&t, NULL, open_thread, j) != 0) {
        j->refs = 1;
        job_unref(j);
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "cannot start the connection thread");
    }
    pthread_detach(t);
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += wait_ms / 1000;
    until.tv_nsec += (wait_ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    pthread_mutex_lock(&j->lock);
    while (!j->done)
        if (pthread_cond_timedwait(&j->done_cond, &j->lock, &until) == ETIMEDOUT)
            break;
    if (!j->done) {
        r = baton_stonith_fail(call, BATON_STONITH_UNREACHABLE,
                               "%s: no connection within %lld ms", d->uri, (long long) wait_ms);
    } else if (!j->conn) {
        r = result_of_error(j->error_code);
        if (r == BATON_STONITH_NO_SUCH_TARGET || r == BATON_STONITH_FAILED)
            r = BATON_STONITH_UNREACHABLE;
        call->set_error(call, "cannot connect to %s: %s", d->uri, j->error ? j->error : "unknown error");
    } else {
        d->conn = j->conn;
        j->conn = NULL;
    }
    pthread_mutex_unlock(&j->lock);
    job_unref(j);
    if (d->conn && virConnectSetKeepAlive(d->conn, KEEPALIVE_INTERVAL_S, KEEPALIVE_COUNT) < 0)
        call->log(call, LOG_DEBUG, "%s: no keepalive (%s)", d->uri, last_error_message());
    return r;
}

/* ------------------------------------------------------------------ operations */

static void libvirt_destroy(baton_stonith_device *d)
{
    if (!d)
        return;
    if (d->conn)
        virConnectClose(d->conn);
    free(d);
}

static baton_stonith_result libvirt_create(const baton_stonith_config *config, baton_stonith_call *call,
                                           baton_stonith_device **ret)
{
    baton_stonith_device *d = calloc(1, sizeof(*d));

    if (!d)
        return baton_stonith_fail(call, BATON_STONITH_FAILED, "out of memory");
    virSetErrorFunc(NULL, error_silent);
    d->uri = config->get(config, "uri");
    d->username = config->get(config, "username");
    d->password = config->get(config, "password");
    d->connect_timeout_ms = config->get_ms(config, "connect_timeout");
    if (!d->uri || !*d->uri) {
        libvirt_destroy(d);
        return baton_stonith_fail(call, BATON_STONITH_BAD_CONFIG, "uri is empty");
    }
    *ret = d;
    return BATON_STONITH_OK;
}

static bool looks_like_uuid(const char *s)
{
    size_t n = 0;

    for (; *s; s++) {
        if (*s == '-')
            continue;
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
            return false;
        n++;
    }
    return n == 32;
}

static baton_stonith_result lookup(baton_stonith_device *d, const char *plug, baton_stonith_call *call,
                                   virDomainPtr *ret)
{
    baton_stonith_result r;
    virDomainPtr dom = NULL;

    if (!plug || !*plug)
        return baton_stonith_fail(call, BATON_STONITH_BAD_CONFIG, "no domain given (plug)");
    r = lv_connect(d, call);
    if (r != BATON_STONITH_OK)
        return r;
    if (looks_like_uuid(plug))
        dom = virDomainLookupByUUIDString(d->conn, plug);
    if (!dom)
        dom = virDomainLookupByName(d->conn, plug);
    if (!dom)
        return libvirt_error(call, "domain", plug);
    *ret = dom;
    return BATON_STONITH_OK;
}

static baton_stonith_power power_of(virDomainPtr dom, int state)
{
    switch (state) {
    case VIR_DOMAIN_RUNNING:
    case VIR_DOMAIN_BLOCKED:
    case VIR_DOMAIN_PAUSED:
    case VIR_DOMAIN_SHUTDOWN:
    case VIR_DOMAIN_PMSUSPENDED:
        return BATON_STONITH_POWER_ON;
    case VIR_DOMAIN_SHUTOFF:
        return BATON_STONITH_POWER_OFF;
    case VIR_DOMAIN_CRASHED:
        return virDomainIsActive(dom) == 1 ? BATON_STONITH_POWER_ON : BATON_STONITH_POWER_OFF;
    default:
        return BATON_STONITH_POWER_UNKNOWN;
    }
}

static baton_stonith_result domain_power(virDomainPtr dom, const char *plug, baton_stonith_call *call,
                                         baton_stonith_power *ret)
{
    int state = VIR_DOMAIN_NOSTATE, reason = 0;

    if (virDomainGetState(dom, &state, &reason, 0) < 0)
        return libvirt_error(call, "state of domain", plug);
    *ret = power_of(dom, state);
    return BATON_STONITH_OK;
}

static baton_stonith_result libvirt_status(baton_stonith_device *d, const char *plug,
                                           baton_stonith_call *call, baton_stonith_power *ret)
{
    virDomainPtr dom = NULL;
    baton_stonith_result r;

    r = lookup(d, plug, call, &dom);
    if (r != BATON_STONITH_OK)
        return r;
    r = domain_power(dom, plug, call, ret);
    virDomainFree(dom);
    return r;
}

static baton_stonith_result libvirt_off(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    virDomainPtr dom = NULL;
    baton_stonith_result r;

    r = lookup(d, plug, call, &dom);
    if (r != BATON_STONITH_OK)
        return r;
    /* Hard stop: the guest gets no say. The front end confirms shutoff. */
    if (virDomainDestroy(dom) < 0 && last_error_code() != VIR_ERR_OPERATION_INVALID)
        r = libvirt_error(call, "destroy domain", plug);
    virDomainFree(dom);
    return r;
}

static baton_stonith_result libvirt_on(baton_stonith_device *d, const char *plug, baton_stonith_call *call)
{
    virDomainPtr dom = NULL;
    baton_stonith_result r;

    r = lookup(d, plug, call, &dom);
    if (r != BATON_STONITH_OK)
        return r;
    /* OPERATION_INVALID: already running, which is what was asked. */
    if (virDomainCreate(dom) < 0 && last_error_code() != VIR_ERR_OPERATION_INVALID)
        r = libvirt_error(call, "start domain", plug);
    virDomainFree(dom);
    return r;
}

static baton_stonith_result libvirt_list(baton_stonith_device *d, baton_stonith_call *call,
                                         bool with_status, baton_stonith_list_fn emit, void *userdata)
{
    virDomainPtr *doms = NULL;
    baton_stonith_result r;
    int n;

    r = lv_connect(d, call);
    if (r != BATON_STONITH_OK)
        return r;
    n = virConnectListAllDomains(d->conn, &doms, 0);
    if (n < 0)
        return libvirt_error(call, "list domains", NULL);
    for (int i = 0; i < n; i++) {
        char uuid[VIR_UUID_STRING_BUFLEN] = "";
        baton_stonith_power p = BATON_STONITH_POWER_UNKNOWN;
        const char *name = virDomainGetName(doms[i]);

        (void) virDomainGetUUIDString(doms[i], uuid);
        if (with_status && domain_power(doms[i], name, call, &p) != BATON_STONITH_OK)
            p = BATON_STONITH_POWER_UNKNOWN;
        emit(userdata, name, uuid, p);
        virDomainFree(doms[i]);
    }
    free(doms);
    return BATON_STONITH_OK;
}

static baton_stonith_result libvirt_monitor(baton_stonith_device *d, baton_stonith_call *call)
{
    unsigned long ver = 0;
    baton_stonith_result r;

    r = lv_connect(d, call);
    if (r != BATON_STONITH_OK)
        return r;
    /* A round trip to the daemon for remote URIs, not just a local flag. */
    if (virConnectGetLibVersion(d->conn, &ver) < 0)
        return libvirt_error(call, "connection check", NULL);
    call->log(call, LOG_DEBUG, "%s: libvirt %lu.%lu.%lu", d->uri, ver / 1000000, ver / 1000 % 1000,
              ver % 1000);
    return BATON_STONITH_OK;
}

static const baton_stonith_plugin libvirt_plugin = {
    BATON_STONITH_PLUGIN_HEADER,
    .name = "libvirt",
    .version = "1.0",
    .shortdesc = "Fence agent for libvirt virtual machines (libvirt C API)",
    .longdesc = "fence_baton_libvirt fences a virtual machine through libvirt on any "
                "connection URI. The plug is the domain's name or UUID. Off destroys the "
                "domain (hard stop) and confirms it is shut off; on starts the defined "
                "domain; reboot is off, confirm, on, confirm. list and list-status come "
                "from the API (name,uuid[,ON|OFF]).",
    .vendor_url = "https://libvirt.org/",
    .flags = BATON_STONITH_F_PLUG,
    .params = libvirt_params,
    .create = libvirt_create,
    .destroy = libvirt_destroy,
    .status = libvirt_status,
    .on = libvirt_on,
    .off = libvirt_off,
    .list = libvirt_list,
    .monitor = libvirt_monitor,
    .standard_agent = "fence_virsh",
    .standard_params = libvirt_standard,
};

BATON_STONITH_PLUGIN_EXPORT(libvirt_plugin)
