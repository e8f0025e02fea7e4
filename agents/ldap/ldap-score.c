/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocf:baton:ldap, the promotion score of a promotable clone: set through
 * the cluster (baton_promotion_score_update) only when it changes or was
 * written BATON_SCORE_REFRESH_S ago, with a cache of the last value in the
 * state directory.
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <baton.h>

#include "ldap-agent.h"

#define SCORE_TIMEOUT_MS 5000

void ldap_score_update(baton_ctx *ctx, const ldap_state *st, int score)
{
    baton_deadline d = baton_deadline_cap(baton_ctx_deadline(ctx), SCORE_TIMEOUT_MS);
    int r = baton_promotion_score_update(baton_ctx_resource(ctx), score, st->score_path, d);

    if (r < 0)
        /* The next monitor tries again: the cache is left as it was. */
        baton_warn("cannot set the promotion score: %s", strerror(-r));
    else if (r > 0)
        baton_info("promotion score %d", score);
}

int ldap_score_cached(const ldap_state *st)
{
    baton_autofree char *cached = NULL;
    int64_t v;

    if (ldap_file_read(st->score_path, &cached) < 0)
        return -1;
    ldap_trim(cached);
    if (baton_parse_int64(cached, &v) < 0 || v < 0 || v > BATON_SCORE_INFINITY)
        return -1;
    return (int) v;
}

/* On stop: remove a score this instance set, and forget the cache. */
void ldap_score_delete(baton_ctx *ctx, const ldap_state *st)
{
    int r;

    if (access(st->score_path, F_OK) < 0)
        return;
    r = baton_promotion_score_update(baton_ctx_resource(ctx), BATON_SCORE_NONE, st->score_path,
                                     baton_deadline_cap(baton_ctx_deadline(ctx), SCORE_TIMEOUT_MS));
    if (r < 0)
        baton_warn("cannot delete the promotion score: %s", strerror(-r));
    r = baton_file_remove(st->score_path);
    if (r < 0)
        baton_warn("cannot remove %s: %s", st->score_path, strerror(-r));
}
