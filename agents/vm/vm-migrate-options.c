/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migrate_options, migration_user and migrateport (vm-migrate-options.h).
 *
 * VirtualDomain appends migrate_options to a `virsh migrate` command line;
 * baton calls virDomainMigrate3 / virDomainMigrateToURI3, so each virsh
 * option is translated to what virsh itself would hand libvirt: a
 * VIR_MIGRATE_* flag or a typed parameter. An option without such a
 * translation is refused with its name, never dropped: an administrator who
 * wrote --copy-storage-all must not get a migration without the disks.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>

#include "vm-migrate-options.h"

typedef enum mopt_kind {
    MOPT_FLAG,                  /* a VIR_MIGRATE_* flag, no value */
    MOPT_NOOP,                  /* what the agent does anyway, no value */
    MOPT_PARAM,                 /* one typed parameter */
    MOPT_LIST,                  /* a comma-separated list: the string parameter once per item */
    MOPT_URI,                   /* --migrateuri: the data URI template (%n) */
} mopt_kind;

typedef struct mopt {
    const char *name;           /* without the leading "--" */
    mopt_kind kind;
    unsigned int flag;
    const char *param;
    vm_mopt_type type;
} mopt;

/* virsh migrate's options (libvirt 9.0) and what virsh passes to libvirt for each. */
static const mopt mopts[] = {
    { "live", MOPT_FLAG, VIR_MIGRATE_LIVE, NULL, 0 },
    { "p2p", MOPT_FLAG, VIR_MIGRATE_PEER2PEER, NULL, 0 },
    { "tunnelled", MOPT_FLAG, VIR_MIGRATE_TUNNELLED, NULL, 0 },
    { "persistent", MOPT_FLAG, VIR_MIGRATE_PERSIST_DEST, NULL, 0 },
    { "undefinesource", MOPT_FLAG, VIR_MIGRATE_UNDEFINE_SOURCE, NULL, 0 },
    { "suspend", MOPT_FLAG, VIR_MIGRATE_PAUSED, NULL, 0 },
    { "copy-storage-all", MOPT_FLAG, VIR_MIGRATE_NON_SHARED_DISK, NULL, 0 },
    { "copy-storage-inc", MOPT_FLAG, VIR_MIGRATE_NON_SHARED_INC, NULL, 0 },
    { "copy-storage-synchronous-writes", MOPT_FLAG, VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES, NULL, 0 },
    { "change-protection", MOPT_FLAG, VIR_MIGRATE_CHANGE_PROTECTION, NULL, 0 },
    { "unsafe", MOPT_FLAG, VIR_MIGRATE_UNSAFE, NULL, 0 },
    { "compressed", MOPT_FLAG, VIR_MIGRATE_COMPRESSED, NULL, 0 },
    { "abort-on-error", MOPT_FLAG, VIR_MIGRATE_ABORT_ON_ERROR, NULL, 0 },
    { "auto-converge", MOPT_FLAG, VIR_MIGRATE_AUTO_CONVERGE, NULL, 0 },
    { "rdma-pin-all", MOPT_FLAG, VIR_MIGRATE_RDMA_PIN_ALL, NULL, 0 },
    { "postcopy", MOPT_FLAG, VIR_MIGRATE_POSTCOPY, NULL, 0 },
    { "tls", MOPT_FLAG, VIR_MIGRATE_TLS, NULL, 0 },
    { "parallel", MOPT_FLAG, VIR_MIGRATE_PARALLEL, NULL, 0 },
    { "zerocopy", MOPT_FLAG, VIR_MIGRATE_ZEROCOPY, NULL, 0 },
    /* virsh prints progress; the agent logs it anyway (every 5 s at info level) */
    { "verbose", MOPT_NOOP, 0, NULL, 0 },
    { "migrateuri", MOPT_URI, 0, NULL, 0 },
    { "bandwidth", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_BANDWIDTH, VM_MOPT_ULLONG },
    { "postcopy-bandwidth", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY, VM_MOPT_ULLONG },
    { "graphicsuri", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_GRAPHICS_URI, VM_MOPT_STRING },
    { "listen-address", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_LISTEN_ADDRESS, VM_MOPT_STRING },
    { "disks-uri", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_DISKS_URI, VM_MOPT_STRING },
    { "tls-destination", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_TLS_DESTINATION, VM_MOPT_STRING },
    { "migrate-disks", MOPT_LIST, 0, VIR_MIGRATE_PARAM_MIGRATE_DISKS, VM_MOPT_STRING },
    { "comp-methods", MOPT_LIST, 0, VIR_MIGRATE_PARAM_COMPRESSION, VM_MOPT_STRING },
    { "disks-port", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_DISKS_PORT, VM_MOPT_INT },
    { "comp-mt-level", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_COMPRESSION_MT_LEVEL, VM_MOPT_INT },
    { "comp-mt-threads", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_COMPRESSION_MT_THREADS, VM_MOPT_INT },
    { "comp-mt-dthreads", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_COMPRESSION_MT_DTHREADS, VM_MOPT_INT },
    { "comp-xbzrle-cache", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_COMPRESSION_XBZRLE_CACHE, VM_MOPT_ULLONG },
    { "auto-converge-initial", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_AUTO_CONVERGE_INITIAL, VM_MOPT_INT },
    { "auto-converge-increment", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_AUTO_CONVERGE_INCREMENT, VM_MOPT_INT },
    { "parallel-connections", MOPT_PARAM, 0, VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS, VM_MOPT_INT },
};

/* virsh migrate options that have no place in an agent's migration, and why. */
static const struct {
    const char *name;
    const char *why;
} refused[] = {
    { "offline", "the agent migrates the running guest live" },
    { "direct", "direct (hypervisor-native) migration is not supported; use migration_mode" },
    { "dname", "the domain must keep its name on the target: the resource finds it by name" },
    { "xml", "a replacement XML file is not supported" },
    { "persistent-xml", "a replacement XML file is not supported" },
    { "timeout", "virsh's own timer: the agent aborts the migration before the operation's deadline" },
    { "timeout-suspend", "virsh's own timer: the agent aborts the migration before the operation's deadline" },
    { "timeout-postcopy", "virsh's own timer: the agent aborts the migration before the operation's deadline" },
    { "postcopy-after-precopy", "virsh switches to post-copy itself; the agent does not (use --postcopy only to allow it)" },
    { "postcopy-resume", "recovering a failed post-copy migration is not an agent's job" },
    { "desturi", "the agent sets the target's URI (remoteuri, migration_transport)" },
    { "domain", "the agent migrates the resource's domain" },
    { "keepalive-interval", "virsh's connection setting; the agent has its own keepalive" },
    { "keepalive-count", "virsh's connection setting; the agent has its own keepalive" },
};

void vm_migrate_options_clear(vm_migrate_options *o)
{
    for (size_t i = 0; i < o->n; i++)
        free(o->params[i].str);
    free(o->migrateuri);
    *o = (vm_migrate_options){0};
}

static const mopt *mopt_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(mopts) / sizeof(mopts[0]); i++)
        if (strlen(mopts[i].name) == len && strncmp(mopts[i].name, name, len) == 0)
            return &mopts[i];
    return NULL;
}

static const char *refused_why(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
        if (strlen(refused[i].name) == len && strncmp(refused[i].name, name, len) == 0)
            return refused[i].why;
    return NULL;
}

__attribute__((format(printf, 2, 3)))
static int fail(char **ret_reason, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vasprintf(ret_reason, fmt, ap);
    va_end(ap);
    if (n < 0) {
        *ret_reason = NULL;
        return -ENOMEM;
    }
    return -EINVAL;
}

/* Decimal digits only (no sign, no blanks), at most max. */
static bool parse_number(const char *s, uint64_t max, uint64_t *ret)
{
    uint64_t v = 0;

    if (!*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - (uint64_t) (*s - '0')) / 10)
            return false;
        v = v * 10 + (uint64_t) (*s - '0');
    }
    if (v > max)
        return false;
    *ret = v;
    return true;
}

static bool param_seen(const vm_migrate_options *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->params[i].name, name) == 0)
            return true;
    return false;
}

static int add_string(vm_migrate_options *o, const char *name, const char *v, size_t len, char **ret_reason)
{
    if (o->n >= VM_MOPT_PARAMS_MAX)
        return fail(ret_reason, "migrate_options: too many values (%s)", name);
    o->params[o->n].str = strndup(v, len);
    if (!o->params[o->n].str)
        return -ENOMEM;
    o->params[o->n].name = name;
    o->params[o->n].type = VM_MOPT_STRING;
    o->n++;
    return 0;
}

/* One option with its value (NULL for none). */
static int take(vm_migrate_options *o, const mopt *m, const char *value, char **ret_reason)
{
    uint64_t num;

    switch (m->kind) {
    case MOPT_FLAG:
        o->flags |= m->flag;
        return 0;
    case MOPT_NOOP:
        return 0;
    case MOPT_URI:
        if (o->migrateuri)
            return fail(ret_reason, "migrate_options: --%s is given twice", m->name);
        o->migrateuri = strdup(value);
        return o->migrateuri ? 0 : -ENOMEM;
    case MOPT_LIST:
    case MOPT_PARAM:
        break;
    }
    if (param_seen(o, m->param))
        return fail(ret_reason, "migrate_options: --%s is given twice", m->name);
    if (m->kind == MOPT_LIST) {
        for (const char *p = value; *p;) {
            size_t len = strcspn(p, ",");
            int r;

            if (len == 0)
                return fail(ret_reason, "migrate_options: --%s '%s' has an empty item", m->name, value);
            r = add_string(o, m->param, p, len, ret_reason);
            if (r < 0)
                return r;
            p += len + (p[len] == ',');
        }
        return 0;
    }
    if (m->type == VM_MOPT_STRING)
        return add_string(o, m->param, value, strlen(value), ret_reason);
    if (!parse_number(value, m->type == VM_MOPT_INT ? (uint64_t) INT_MAX : UINT64_MAX, &num))
        return fail(ret_reason, "migrate_options: --%s '%s' is not a non-negative integer in range", m->name, value);
    if (o->n >= VM_MOPT_PARAMS_MAX)
        return fail(ret_reason, "migrate_options: too many values (--%s)", m->name);
    o->params[o->n] = (vm_mopt_param){ .name = m->param, .type = m->type, .num = num };
    o->n++;
    if (strcmp(m->param, VIR_MIGRATE_PARAM_BANDWIDTH) == 0)
        o->bandwidth = true;
    return 0;
}

/* The next blank-separated word of *p: its start and length, 0 at the end. */
static size_t next_word(const char **p, const char **ret_word)
{
    const char *s = *p + strspn(*p, " \t\n");
    size_t len = strcspn(s, " \t\n");

    *ret_word = s;
    *p = s + len;
    return len;
}

static int parse_words(const char *s, vm_migrate_options *o, char **ret_reason)
{
    const char *p = s, *w;
    size_t len;

    while ((len = next_word(&p, &w)) > 0) {
        char word[256], value[1024];
        const char *eq;
        const mopt *m;
        const char *why;
        size_t nlen;
        int r;

        if (len >= sizeof(word))
            return fail(ret_reason, "migrate_options: '%.40s...' is too long", w);
        memcpy(word, w, len);
        word[len] = '\0';
        if (strncmp(word, "--", 2) != 0 || !word[2])
            return fail(ret_reason, "migrate_options: '%s' is not an option (the agent gives the domain and "
                        "the URIs itself)", word);
        eq = strchr(word, '=');
        nlen = eq ? (size_t) (eq - word - 2) : len - 2;
        m = mopt_find(word + 2, nlen);
        if (!m) {
            why = refused_why(word + 2, nlen);
            if (why)
                return fail(ret_reason, "migrate_options: '%s' is refused: %s", word, why);
            return fail(ret_reason, "migrate_options: '%s' is not a virsh migrate option that ocf:baton:vm "
                        "maps to libvirt", word);
        }
        if (m->kind == MOPT_FLAG || m->kind == MOPT_NOOP) {
            if (eq)
                return fail(ret_reason, "migrate_options: '%s': --%s takes no value", word, m->name);
            r = take(o, m, NULL, ret_reason);
        } else {
            const char *v = eq ? eq + 1 : NULL;
            size_t vlen = eq ? strlen(v) : next_word(&p, &v);

            if (!eq && vlen >= 2 && strncmp(v, "--", 2) == 0)
                vlen = 0;       /* "--bandwidth --compressed": the value is missing */
            if (vlen >= sizeof(value))
                return fail(ret_reason, "migrate_options: the value of --%s is too long", m->name);
            memcpy(value, v, vlen);
            value[vlen] = '\0';
            if (!value[0])
                return fail(ret_reason, "migrate_options: --%s needs a value", m->name);
            r = take(o, m, value, ret_reason);
        }
        if (r < 0)
            return r;
    }
    return 0;
}

int vm_migrate_options_parse(const char *s, vm_migrate_options *ret, char **ret_reason)
{
    const char *bad;
    int r;

    *ret = (vm_migrate_options){0};
    *ret_reason = NULL;
    if (!s)
        return 0;
    /* no shell: a quote or escape would be taken literally, which is never what was meant */
    bad = strpbrk(s, "'\"\\$`");
    if (bad) {
        char c[2] = { *bad, '\0' };
        return fail(ret_reason, "migrate_options: '%s' is not interpreted (options are split at blanks, "
                    "without a shell)", c);
    }
    r = parse_words(s, ret, ret_reason);
    if (r < 0)
        vm_migrate_options_clear(ret);
    return r;
}

const char *vm_migrate_options_conflict(const vm_migrate_options *o, unsigned int mode_flags, int64_t speed,
                                        bool migrateuri)
{
    unsigned int f = o->flags | mode_flags;

    if ((f & VIR_MIGRATE_TUNNELLED) && !(f & VIR_MIGRATE_PEER2PEER))
        return "--tunnelled needs peer-to-peer: add --p2p or set migration_mode=tunnelled";
    if (o->bandwidth && speed > 0)
        return "--bandwidth and migration_speed both set the bandwidth: set only one";
    if (o->migrateuri && migrateuri)
        return "--migrateuri and migrateuri both set the data URI: set only migrateuri";
    if ((f & VIR_MIGRATE_NON_SHARED_DISK) && (f & VIR_MIGRATE_NON_SHARED_INC))
        return "--copy-storage-all and --copy-storage-inc exclude each other";
    return NULL;
}

bool vm_migrate_user_valid(const char *user)
{
    if (!user || *user < 'a' || *user > 'z')
        return false;
    for (const char *p = user + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

int vm_uri_add_user(const char *uri, const char *user, char **ret)
{
    const char *sep = strstr(uri, "://");
    char *out = NULL;
    int n;

    if (!sep)
        return -EINVAL;
    if (user && *user)
        n = asprintf(&out, "%.*s%s@%s", (int) (sep + 3 - uri), uri, user, sep + 3);
    else
        n = asprintf(&out, "%s", uri);
    if (n < 0)
        return -ENOMEM;
    *ret = out;
    return 0;
}

int vm_migrate_data_uri(const char *hypervisor, const char *host, bool suffix, int64_t port, char **ret)
{
    size_t driver = strcspn(hypervisor, "+:");
    char *out = NULL;
    int n;

    *ret = NULL;
    if (!suffix && port <= 0)
        return 1;
    if (driver == 4 && strncmp(hypervisor, "qemu", 4) == 0) {
        if (port > 0)
            n = asprintf(&out, "tcp://%s:%lld", host, (long long) port);
        else
            n = asprintf(&out, "tcp://%s", host);
    } else if (driver == 3 && strncmp(hypervisor, "xen", 3) == 0) {
        if (port > 0)
            return -EINVAL;
        n = asprintf(&out, "%s", host);
    } else {
        return port > 0 ? -EINVAL : 1;
    }
    if (n < 0)
        return -ENOMEM;
    *ret = out;
    return 0;
}
