/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The process watchdog: ends the process, saying why, when an action outlives
 * its deadline.
 *
 * Some calls cannot be bounded from the outside: a libvirt call to a daemon
 * that answers keepalive but never the call, a fence plugin blocked inside a
 * library. Ending the process is the only way to abandon them. Pacemaker
 * SIGKILLs the agent's process group when the operation's timeout expires and
 * then knows only "timed out"; the watchdog fires before that (the deadline
 * keeps baton's margin, and the grace must stay inside it), logs the reason,
 * and exits with the code the caller chose.
 *
 * It is a thread sleeping on CLOCK_MONOTONIC, not SIGALRM: a thread is not
 * held off by a blocked signal mask, does not make the main thread's system
 * calls fail with EINTR, cannot be silently re-armed by a library that uses
 * alarm() or setitimer() itself, and may format its message with the reason
 * that was current when it fired. When firing it writes with write(2) and
 * takes no stdio lock, which the hung thread might hold.
 *
 * Ending the process is process-wide, so there is one watchdog per process,
 * like alarm(): its state lives in the library. A forked child does not
 * inherit it (threads do not survive fork()); it may arm one of its own.
 */
#ifndef BATON_WATCHDOG_H
#define BATON_WATCHDOG_H

#include <stddef.h>
#include <stdint.h>

#include <baton/deadline.h>

typedef enum baton_watchdog_flags {
    /* Also print the reason as the OCF exit reason (the last line, where Pacemaker looks). */
    BATON_WATCHDOG_OCF_EXIT_REASON = 1 << 0,
} baton_watchdog_flags;

/*
 * Arm, or re-arm, the watchdog to fire at deadline + grace_ms (a deadline of
 * never disarms it). When it fires it logs reason at LOG_ERR (stderr and
 * syslog, as baton_log() is set up), with BATON_WATCHDOG_OCF_EXIT_REASON also
 * prints "ocf-exit-reason:<reason>", and calls _exit(exit_code). The first
 * arm starts the thread. 0, or -errno when the thread cannot be started (then
 * nothing bounds the process: the caller decides whether that is fatal).
 */
int baton_watchdog_arm(baton_deadline deadline, int64_t grace_ms, int exit_code,
                       unsigned flags, const char *reason);
/*
 * An early verdict. Some actions can still answer while the call they wait
 * for hangs: a monitor whose management daemon is frozen can see in the
 * process table that the guest runs. At instant at (before the armed
 * deadline) the watchdog's thread calls fn(data, reason, reason_size). fn
 * returns an exit code and writes the reason, and the process ends with
 * them as when the watchdog fires (a code of 0 is logged as a warning and
 * prints no exit reason); or fn returns -1, no verdict, and the watchdog
 * waits on for its deadline. fn runs while the action's thread may be
 * blocked anywhere: it must take no lock that thread could hold (no stdio;
 * reading files and sending signals are fine) and call no watchdog function.
 * A verdict is asked for once; arm, disarm and a later set replace it, and
 * fn NULL clears it.
 */
typedef int (*baton_watchdog_verdict_fn)(void *data, char *reason, size_t reason_size);
void baton_watchdog_set_verdict(baton_deadline at, baton_watchdog_verdict_fn fn, void *data);

/* Replace the reason of an armed watchdog (an action moved on to another step). */
void baton_watchdog_set_reason(const char *reason);
/* The action finished in time: nothing fires until the next arm. */
void baton_watchdog_disarm(void);

#endif /* BATON_WATCHDOG_H */
