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
 * Replace path with text atomically (a temporary file in the same
 * directory, then rename): a reader sees the old or the new content, never
 * half of it, even if the agent is killed in between.
 */
int baton_file_write_atomic(const char *path, const char *text, mode_t mode);

/* unlink() that counts an absent file as removed. */
int baton_file_remove(const char *path);

/* mkdir -p: every missing component with mode; existing ones are left as they are. */
int baton_mkdir_p(const char *path, mode_t mode);

/* Sleep, resuming after signals. */
void baton_sleep_ms(int64_t ms);

#endif /* BATON_FILEIO_H */
