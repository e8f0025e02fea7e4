/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading `drbdsetup status --json` (drbd-utils 9, user/v9/drbdsetup.c,
 * resource_status_json() and friends). Only the fields the agent decides on
 * are read; unknown fields are ignored so that newer drbd-utils, which add
 * fields, keep working. A field the agent needs that is missing or of the
 * wrong type makes the whole answer unreadable: deciding on half a state
 * is worse than failing the operation.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "drbd-state.h"

#define ELEMENTSOF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const role_names[] = {
    [DRBD_ROLE_UNKNOWN] = "Unknown",
    [DRBD_ROLE_SECONDARY] = "Secondary",
    [DRBD_ROLE_PRIMARY] = "Primary",
};

static const char *const disk_names[] = {
    [DRBD_DISK_DUNKNOWN] = "DUnknown",
    [DRBD_DISK_DISKLESS] = "Diskless",
    [DRBD_DISK_ATTACHING] = "Attaching",
    [DRBD_DISK_DETACHING] = "Detaching",
    [DRBD_DISK_FAILED] = "Failed",
    [DRBD_DISK_NEGOTIATING] = "Negotiating",
    [DRBD_DISK_INCONSISTENT] = "Inconsistent",
    [DRBD_DISK_OUTDATED] = "Outdated",
    [DRBD_DISK_CONSISTENT] = "Consistent",
    [DRBD_DISK_UPTODATE] = "UpToDate",
};

static const char *const conn_names[] = {
    [DRBD_CONN_UNKNOWN] = "Unknown",
    [DRBD_CONN_STANDALONE] = "StandAlone",
    [DRBD_CONN_DISCONNECTING] = "Disconnecting",
    [DRBD_CONN_UNCONNECTED] = "Unconnected",
    [DRBD_CONN_TIMEOUT] = "Timeout",
    [DRBD_CONN_BROKEN_PIPE] = "BrokenPipe",
    [DRBD_CONN_NETWORK_FAILURE] = "NetworkFailure",
    [DRBD_CONN_PROTOCOL_ERROR] = "ProtocolError",
    [DRBD_CONN_TEAR_DOWN] = "TearDown",
    [DRBD_CONN_CONNECTING] = "Connecting",
    [DRBD_CONN_CONNECTED] = "Connected",
};

static const char *const repl_names[] = {
    [DRBD_REPL_UNKNOWN] = "Unknown",
    [DRBD_REPL_OFF] = "Off",
    [DRBD_REPL_ESTABLISHED] = "Established",
    [DRBD_REPL_STARTING_SYNC_S] = "StartingSyncS",
    [DRBD_REPL_STARTING_SYNC_T] = "StartingSyncT",
    [DRBD_REPL_WF_BITMAP_S] = "WFBitMapS",
    [DRBD_REPL_WF_BITMAP_T] = "WFBitMapT",
    [DRBD_REPL_WF_SYNC_UUID] = "WFSyncUUID",
    [DRBD_REPL_SYNC_SOURCE] = "SyncSource",
    [DRBD_REPL_SYNC_TARGET] = "SyncTarget",
    [DRBD_REPL_VERIFY_S] = "VerifyS",
    [DRBD_REPL_VERIFY_T] = "VerifyT",
    [DRBD_REPL_PAUSED_SYNC_S] = "PausedSyncS",
    [DRBD_REPL_PAUSED_SYNC_T] = "PausedSyncT",
    [DRBD_REPL_AHEAD] = "Ahead",
    [DRBD_REPL_BEHIND] = "Behind",
};

static int lookup(const char *const *names, size_t n, const char *s)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (names[i] && strcmp(names[i], s) == 0)
            return (int) i;
    return 0;
}

static const char *name_of(const char *const *names, size_t n, unsigned i)
{
    return i < n && names[i] ? names[i] : names[0];
}

const char *drbd_role_str(drbd_role r) { return name_of(role_names, ELEMENTSOF(role_names), r); }
const char *drbd_disk_str(drbd_disk d) { return name_of(disk_names, ELEMENTSOF(disk_names), d); }
const char *drbd_conn_str(drbd_conn c) { return name_of(conn_names, ELEMENTSOF(conn_names), c); }
const char *drbd_repl_str(drbd_repl r) { return name_of(repl_names, ELEMENTSOF(repl_names), r); }

drbd_role drbd_role_from_str(const char *s)
{
    return (drbd_role) lookup(role_names, ELEMENTSOF(role_names), s);
}

drbd_disk drbd_disk_from_str(const char *s)
{
    return (drbd_disk) lookup(disk_names, ELEMENTSOF(disk_names), s);
}

drbd_conn drbd_conn_from_str(const char *s)
{
    return (drbd_conn) lookup(conn_names, ELEMENTSOF(conn_names), s);
}

drbd_repl drbd_repl_from_str(const char *s)
{
    return (drbd_repl) lookup(repl_names, ELEMENTSOF(repl_names), s);
}

bool drbd_repl_is_sync_target(drbd_repl r)
{
    return r == DRBD_REPL_SYNC_TARGET || r == DRBD_REPL_PAUSED_SYNC_T ||
           r == DRBD_REPL_STARTING_SYNC_T || r == DRBD_REPL_WF_BITMAP_T ||
           r == DRBD_REPL_WF_SYNC_UUID;
}

bool drbd_repl_is_sync_source(drbd_repl r)
{
    return r == DRBD_REPL_SYNC_SOURCE || r == DRBD_REPL_PAUSED_SYNC_S ||
           r == DRBD_REPL_STARTING_SYNC_S || r == DRBD_REPL_WF_BITMAP_S;
}

double drbd_peer_volume_progress(const drbd_peer_volume *pv)
{
    return pv->has_resync_done ? pv->resync_done : pv->percent_in_sync;
}

/* ------------------------------------------------------------------ parsing */

typedef struct parser {
    char *err;
    size_t err_len;
} parser;

static int fail(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(parser *p, const char *fmt, ...)
{
    va_list ap;

    if (p->err && p->err_len) {
        va_start(ap, fmt);
        vsnprintf(p->err, p->err_len, fmt, ap);
        va_end(ap);
    }
    return -EBADMSG;
}

static int get_field(parser *p, json_object *obj, const char *key, json_type type,
                     bool optional, json_object **ret)
{
    json_object *v = NULL;

    if (!json_object_object_get_ex(obj, key, &v) || !v) {
        *ret = NULL;
        return optional ? 0 : fail(p, "field \"%s\" missing", key);
    }
    /* percent-in-sync and friends are printed with %.2f, but 100 may come as an int. */
    if (type == json_type_double && json_object_is_type(v, json_type_int)) {
        *ret = v;
        return 0;
    }
    if (!json_object_is_type(v, type))
        return fail(p, "field \"%s\" is a %s, not a %s", key,
                    json_type_to_name(json_object_get_type(v)), json_type_to_name(type));
    *ret = v;
    return 0;
}

static int get_str(parser *p, json_object *obj, const char *key, const char **ret)
{
    json_object *v;
    int r = get_field(p, obj, key, json_type_string, false, &v);

    if (r < 0)
        return r;
    *ret = json_object_get_string(v);
    return 0;
}

static int get_int(parser *p, json_object *obj, const char *key, int *ret)
{
    json_object *v;
    int r = get_field(p, obj, key, json_type_int, false, &v);

    if (r < 0)
        return r;
    *ret = json_object_get_int(v);
    return 0;
}

/* Missing booleans are false: older drbd-utils lack "client" and "quorum"... */
static int get_bool(parser *p, json_object *obj, const char *key, bool dflt, bool *ret)
{
    json_object *v;
    int r = get_field(p, obj, key, json_type_boolean, true, &v);

    if (r < 0)
        return r;
    *ret = v ? json_object_get_boolean(v) : dflt;
    return 0;
}

static int get_double(parser *p, json_object *obj, const char *key, bool *ret_has, double *ret)
{
    json_object *v;
    int r = get_field(p, obj, key, json_type_double, true, &v);

    if (r < 0)
        return r;
    *ret_has = v != NULL;
    *ret = v ? json_object_get_double(v) : 0.0;
    return 0;
}

static int get_array(parser *p, json_object *obj, const char *key, size_t max,
                     json_object **ret, size_t *ret_n)
{
    int r = get_field(p, obj, key, json_type_array, false, ret);

    if (r < 0)
        return r;
    *ret_n = json_object_array_length(*ret);
    if (*ret_n > max) {
        fail(p, "\"%s\" has %zu entries, at most %zu are supported", key, *ret_n, max);
        return -E2BIG;
    }
    return 0;
}

static int copy_name(parser *p, char *dst, const char *src, const char *what)
{
    size_t n = strlen(src);

    if (n >= DRBD_NAME_MAX)
        return fail(p, "%s name is too long", what);
    memcpy(dst, src, n + 1);
    return 0;
}

static int parse_volume(parser *p, json_object *o, drbd_volume *v)
{
    const char *disk;
    int r;

    if (!json_object_is_type(o, json_type_object))
        return fail(p, "a device is not an object");
    if ((r = get_int(p, o, "volume", &v->volume)) < 0 ||
        (r = get_int(p, o, "minor", &v->minor)) < 0 ||
        (r = get_str(p, o, "disk-state", &disk)) < 0 ||
        (r = get_bool(p, o, "client", false, &v->client)) < 0 ||
        /* Before DRBD 9.0.?? there was no quorum: a node always had it then. */
        (r = get_bool(p, o, "quorum", true, &v->quorum)) < 0)
        return r;
    v->disk = drbd_disk_from_str(disk);
    return 0;
}

static int parse_peer_volume(parser *p, json_object *o, drbd_peer_volume *pv)
{
    const char *repl, *disk;
    bool has_in_sync;
    int r;

    if (!json_object_is_type(o, json_type_object))
        return fail(p, "a peer device is not an object");
    if ((r = get_int(p, o, "volume", &pv->volume)) < 0 ||
        (r = get_str(p, o, "replication-state", &repl)) < 0 ||
        (r = get_str(p, o, "peer-disk-state", &disk)) < 0 ||
        (r = get_bool(p, o, "peer-client", false, &pv->peer_client)) < 0 ||
        (r = get_double(p, o, "percent-in-sync", &has_in_sync, &pv->percent_in_sync)) < 0 ||
        (r = get_double(p, o, "percent-resync-done", &pv->has_resync_done, &pv->resync_done)) < 0)
        return r;
    if (!has_in_sync)
        pv->percent_in_sync = 100.0;
    pv->repl = drbd_repl_from_str(repl);
    pv->peer_disk = drbd_disk_from_str(disk);
    return 0;
}

static int parse_peer(parser *p, json_object *o, drbd_peer *peer)
{
    json_object *arr;
    const char *name, *conn, *role;
    int r;

    if (!json_object_is_type(o, json_type_object))
        return fail(p, "a connection is not an object");
    if ((r = get_int(p, o, "peer-node-id", &peer->node_id)) < 0 ||
        (r = get_str(p, o, "name", &name)) < 0 ||
        (r = copy_name(p, peer->name, name, "connection")) < 0 ||
        (r = get_str(p, o, "connection-state", &conn)) < 0 ||
        (r = get_str(p, o, "peer-role", &role)) < 0 ||
        (r = get_array(p, o, "peer_devices", DRBD_MAX_VOLUMES, &arr, &peer->n_volumes)) < 0)
        return r;
    peer->conn = drbd_conn_from_str(conn);
    peer->role = drbd_role_from_str(role);
    for (size_t i = 0; i < peer->n_volumes; i++) {
        r = parse_peer_volume(p, json_object_array_get_idx(arr, i), &peer->volumes[i]);
        if (r < 0)
            return r;
    }
    return 0;
}

static int parse_resource(parser *p, json_object *o, drbd_status *st)
{
    json_object *devs, *conns;
    const char *name, *role;
    int r;

    if ((r = get_str(p, o, "name", &name)) < 0 ||
        (r = copy_name(p, st->name, name, "resource")) < 0 ||
        (r = get_int(p, o, "node-id", &st->node_id)) < 0 ||
        (r = get_str(p, o, "role", &role)) < 0 ||
        (r = get_bool(p, o, "suspended", false, &st->suspended)) < 0 ||
        (r = get_array(p, o, "devices", DRBD_MAX_VOLUMES, &devs, &st->n_volumes)) < 0 ||
        (r = get_array(p, o, "connections", DRBD_MAX_PEERS, &conns, &st->n_peers)) < 0)
        return r;
    st->role = drbd_role_from_str(role);
    for (size_t i = 0; i < st->n_volumes; i++) {
        r = parse_volume(p, json_object_array_get_idx(devs, i), &st->volumes[i]);
        if (r < 0)
            return r;
    }
    for (size_t i = 0; i < st->n_peers; i++) {
        r = parse_peer(p, json_object_array_get_idx(conns, i), &st->peers[i]);
        if (r < 0)
            return r;
    }
    return 0;
}

int drbd_status_parse(const char *json, const char *resource, drbd_status *ret,
                      char *err, size_t err_len)
{
    parser p = { .err = err, .err_len = err_len };
    json_tokener *tok;
    json_object *root;
    enum json_tokener_error jerr;
    size_t n, end;
    int r = 0;

    if (err && err_len)
        err[0] = '\0';
    if (!json)
        return fail(&p, "no output");
    tok = json_tokener_new();
    if (!tok)
        return -ENOMEM;
    root = json_tokener_parse_ex(tok, json, (int) strlen(json));
    jerr = json_tokener_get_error(tok);
    end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    if (!root || jerr != json_tokener_success) {
        json_object_put(root);
        return fail(&p, "not JSON: %s", jerr == json_tokener_continue ? "unexpected end"
                                                                     : json_tokener_error_desc(jerr));
    }
    if (json[end + strspn(json + end, " \t\r\n")] != '\0') {
        r = fail(&p, "trailing text after the JSON");
        goto out;
    }
    if (!json_object_is_type(root, json_type_array)) {
        r = fail(&p, "not an array of resources");
        goto out;
    }
    n = json_object_array_length(root);
    r = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *o = json_object_array_get_idx(root, i);
        json_object *name;

        if (!json_object_is_type(o, json_type_object)) {
            r = fail(&p, "resource #%zu is not an object", i);
            goto out;
        }
        if (!json_object_object_get_ex(o, "name", &name) || !json_object_is_type(name, json_type_string)) {
            r = fail(&p, "resource #%zu has no name", i);
            goto out;
        }
        if (strcmp(json_object_get_string(name), resource) != 0)
            continue;
        {
            /* Filled on the side: *ret stays untouched on failure. */
            drbd_status tmp = { 0 };

            r = parse_resource(&p, o, &tmp);
            if (r == 0) {
                *ret = tmp;
                r = 1;
            }
        }
        break;
    }
out:
    json_object_put(root);
    return r;
}
