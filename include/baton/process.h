/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Daemons an agent starts and must prove gone: pid files, liveness that
 * does not mistake a zombie for a running process, and a bounded
 * SIGTERM-then-SIGKILL stop.
 */
#ifndef BATON_PROCESS_H
#define BATON_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <baton/deadline.h>

/* The pid in a pid file. -ENOENT, -EBADMSG (not a pid > 1), or -errno. */
int baton_pidfile_read(const char *path, pid_t *ret);

/*
 * The process exists and is not a zombie. A daemon killed by a signal stays
 * a zombie until init reaps it, which may take seconds; kill(pid, 0) alone
 * would call it running.
 */
bool baton_process_alive(pid_t pid);

/*
 * One of the process's arguments is exactly arg: proof that a pid read
 * from a file still belongs to our daemon and not to a process that reused
 * the number (pass the daemon's configuration path, say).
 */
bool baton_process_has_arg(pid_t pid, const char *arg);

/*
 * The live process whose arguments hold args (NULL-terminated, at least
 * one) one after the other, e.g. { "-f", "/run/x/chrony.conf", NULL }, and
 * whose argv[0] has the basename exe (or whose kernel command name is exe;
 * NULL: any program). For a daemon whose pid file is gone or stale: the
 * configuration it was started with identifies it. The scan skips pid 1
 * and the caller. 0 with *ret, -ESRCH when none runs, -ENOTUNIQ when
 * several do (the caller cannot tell which is its own), -errno when /proc
 * cannot be read.
 */
int baton_process_find_by_args(const char *exe, const char *const *args, pid_t *ret);

/*
 * The daemon an agent started from the program at path bin (a parameter, so
 * possibly a copy or wrapper under another name) with args, which identify
 * it (its configuration): the process the pid file names when that one runs
 * with args, else the one /proc shows running with args under bin's
 * basename or its usual name. 0 with *ret (0 when none runs; *ret_lost: it
 * runs, but the pid file does not name it), -ENOTUNIQ when several run,
 * -errno when /proc cannot be read. pidfile NULL: not known.
 */
int baton_daemon_find(const char *pidfile, const char *bin, const char *name,
                      const char *const *args, pid_t *ret, bool *ret_lost);

/*
 * SIGTERM, wait until the process is gone or only kill_reserve_ms are left
 * before the deadline, then SIGKILL and wait for the rest. 0 when the
 * process is gone (also when it was gone already), -ETIME when it is still
 * alive at the deadline, -errno when it cannot be signalled.
 */
int baton_process_terminate(pid_t pid, baton_deadline deadline, int64_t kill_reserve_ms);

#endif /* BATON_PROCESS_H */
