/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small files an agent keeps between invocations (state, caches, generated
 * configuration) and the directories that hold them.
 */
#ifndef BATON_FILEIO_H
#define BATON_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where agents keep what must not outlive a reboot (locks, what a start recorded). */
#define BATON_RUN_DIR "/run/baton"

/*
 * BATON_RUN_DIR, or the test suite's private directory while it runs
 * (BATON_RUN_DIR in the environment, honoured only under the suite's marker).
 */
const char *baton_run_dir(void);

/* Largest file baton_file_read() reads when max is 0. */
#define BATON_FILE_READ_MAX (1024 * 1024)

/*
 * The whole file as a NUL-terminated string. -EFBIG when it is larger than
 * max bytes (0: BATON_FILE_READ_MAX); -errno of open/read otherwise.
 */
int baton_file_read(const char *path, size_t max, char **ret);

/*
 * Replace path with text atomically: a reader sees the old or the new
 * content, never half of it, even if the agent is killed in between. The
 * temporary file is unnamed (O_TMPFILE) or created exclusively (mkstemp) in
 * the same directory, so nothing planted next to path is followed or
 * written through; it gets mode (umask aside) before it gets a name, is
 * fsync()ed, then renamed over path; the directory is fsync()ed last.
 * Returns 0 or -errno; no temporary file is left behind on failure.
 */
int baton_file_write_atomic(const char *path, const char *text, mode_t mode);

/*
 * Make dir fit to hold state that decides what an agent does next: created
 * when missing (parents 0755, dir itself with mode, e.g. 0700 or 0755),
 * then it must be a directory and not a symbolic link, owned by the
 * effective uid, and writable by neither group nor others. Returns 0, or
 * -errno with *ret_reason (free()) saying what is wrong.
 */
int baton_state_dir_check(const char *dir, mode_t mode, char **ret_reason);

/* unlink() that counts an absent file as removed. */
int baton_file_remove(const char *path);

/* mkdir -p: every missing component with mode; existing ones are left as they are. */
int baton_mkdir_p(const char *path, mode_t mode);

#endif /* BATON_FILEIO_H */
