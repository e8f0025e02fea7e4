/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One DRBD 9 resource as `drbdsetup status --json` describes it, parsed into
 * plain values. Pure (no I/O): the agent runs the tool, this reads its
 * output, the unit tests feed it fixtures.
 */
#ifndef DRBD_STATE_H
#define DRBD_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* DRBD 9 allows 32 nodes per resource and 65535 volumes; agents see few. */
#define DRBD_MAX_VOLUMES 16
#define DRBD_MAX_PEERS 31
#define DRBD_NAME_MAX 128

typedef enum drbd_role {
    DRBD_ROLE_UNKNOWN = 0,
    DRBD_ROLE_SECONDARY,
    DRBD_ROLE_PRIMARY,
} drbd_role;

/* Ordered as in the kernel (enum drbd_disk_state): higher is better. */
typedef enum drbd_disk {
    DRBD_DISK_DUNKNOWN = 0,     /* also: a word this agent does not know */
    DRBD_DISK_DISKLESS,
    DRBD_DISK_ATTACHING,
    DRBD_DISK_DETACHING,
    DRBD_DISK_FAILED,
    DRBD_DISK_NEGOTIATING,
    DRBD_DISK_INCONSISTENT,
    DRBD_DISK_OUTDATED,
    DRBD_DISK_CONSISTENT,
    DRBD_DISK_UPTODATE,
} drbd_disk;

typedef enum drbd_conn {
    DRBD_CONN_UNKNOWN = 0,
    DRBD_CONN_STANDALONE,       /* gave up connecting: split brain or admin */
    DRBD_CONN_DISCONNECTING,
    DRBD_CONN_UNCONNECTED,
    DRBD_CONN_TIMEOUT,
    DRBD_CONN_BROKEN_PIPE,
    DRBD_CONN_NETWORK_FAILURE,
    DRBD_CONN_PROTOCOL_ERROR,
    DRBD_CONN_TEAR_DOWN,
    DRBD_CONN_CONNECTING,
    DRBD_CONN_CONNECTED,
} drbd_conn;

typedef enum drbd_repl {
    DRBD_REPL_UNKNOWN = 0,
    DRBD_REPL_OFF,
    DRBD_REPL_ESTABLISHED,
    DRBD_REPL_STARTING_SYNC_S,
    DRBD_REPL_STARTING_SYNC_T,
    DRBD_REPL_WF_BITMAP_S,
    DRBD_REPL_WF_BITMAP_T,
    DRBD_REPL_WF_SYNC_UUID,
    DRBD_REPL_SYNC_SOURCE,
    DRBD_REPL_SYNC_TARGET,
    DRBD_REPL_VERIFY_S,
    DRBD_REPL_VERIFY_T,
    DRBD_REPL_PAUSED_SYNC_S,
    DRBD_REPL_PAUSED_SYNC_T,
    DRBD_REPL_AHEAD,
    DRBD_REPL_BEHIND,
} drbd_repl;

/* A local volume ("devices" in the JSON). */
typedef struct drbd_volume {
    int volume;
    int minor;
    drbd_disk disk;
    bool client;                /* intentionally diskless */
    bool quorum;
} drbd_volume;

/* One volume as seen through one connection ("peer_devices"). */
typedef struct drbd_peer_volume {
    int volume;
    drbd_repl repl;
    drbd_disk peer_disk;
    bool peer_client;           /* the peer is intentionally diskless */
    double percent_in_sync;     /* 0..100, from out-of-sync / size */
    bool has_resync_done;
    double resync_done;         /* percent-resync-done, during a resync */
} drbd_peer_volume;

typedef struct drbd_peer {
    int node_id;
    char name[DRBD_NAME_MAX];
    drbd_conn conn;
    drbd_role role;
    size_t n_volumes;
    drbd_peer_volume volumes[DRBD_MAX_VOLUMES];
} drbd_peer;

typedef struct drbd_status {
    char name[DRBD_NAME_MAX];
    int node_id;
    drbd_role role;
    bool suspended;
    size_t n_volumes;
    drbd_volume volumes[DRBD_MAX_VOLUMES];
    size_t n_peers;
    drbd_peer peers[DRBD_MAX_PEERS];
} drbd_status;

/*
 * Find resource in the output of `drbdsetup status --json` (an array of
 * resources, "[]" when none is up). Returns 1 and fills *ret when it is
 * there, 0 when it is not (the resource is down on this node), -EBADMSG
 * when the text is not that JSON (why in err), -E2BIG when the resource has
 * more volumes or peers than this agent handles.
 */
int drbd_status_parse(const char *json, const char *resource, drbd_status *ret,
                      char *err, size_t err_len);

const char *drbd_role_str(drbd_role r);
const char *drbd_disk_str(drbd_disk d);
const char *drbd_conn_str(drbd_conn c);
const char *drbd_repl_str(drbd_repl r);
drbd_role drbd_role_from_str(const char *s);
drbd_disk drbd_disk_from_str(const char *s);
drbd_conn drbd_conn_from_str(const char *s);
drbd_repl drbd_repl_from_str(const char *s);

/* Resync in progress toward this node (it receives data). */
bool drbd_repl_is_sync_target(drbd_repl r);
bool drbd_repl_is_sync_source(drbd_repl r);

/* The resync progress of a peer volume in percent: resync-done when given, else in-sync. */
double drbd_peer_volume_progress(const drbd_peer_volume *pv);

#endif /* DRBD_STATE_H */
