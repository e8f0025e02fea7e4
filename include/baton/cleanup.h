/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scope-bound ownership for libbaton users.
 *
 * Ownership in baton is expressed with the compiler's cleanup attribute so
 * that every early return releases what the function holds; code that hands
 * a resource on says so with baton_take_ptr()/baton_take_fd().
 */
#ifndef BATON_CLEANUP_H
#define BATON_CLEANUP_H

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

static inline void baton_freep(void *p)
{
    free(*(void **) p);
}

static inline void baton_closep(int *fd)
{
    if (*fd >= 0) {
        int saved = errno;      /* close() must not clobber the caller's errno */
        close(*fd);
        errno = saved;
    }
}

/* Frees the pointer with free() when the variable leaves scope. */
#define baton_autofree __attribute__((cleanup(baton_freep)))
/* Closes the descriptor (if >= 0) when the variable leaves scope. */
#define baton_autoclose __attribute__((cleanup(baton_closep)))

/*
 * BATON_DEFINE_AUTOPTR(type, free_fn) lets `baton_autoptr(type) x = NULL;`
 * call free_fn(x) at scope exit; free_fn must accept NULL.
 */
#define BATON_DEFINE_AUTOPTR(type, free_fn)                             \
    static inline void baton_autoptr_cleanup_##type(type **p)           \
    {                                                                   \
        if (*p)                                                         \
            free_fn(*p);                                                \
    }
#define baton_autoptr(type) \
    __attribute__((cleanup(baton_autoptr_cleanup_##type))) type *

/* Hand ownership out of a scope-bound variable. */
#define baton_take_ptr(p)                       \
    ({                                          \
        __typeof__(p) baton_tmp_ = (p);         \
        (p) = NULL;                             \
        baton_tmp_;                             \
    })
#define baton_take_fd(fd)                       \
    ({                                          \
        int baton_tmpfd_ = (fd);                \
        (fd) = -1;                              \
        baton_tmpfd_;                           \
    })

#endif /* BATON_CLEANUP_H */
