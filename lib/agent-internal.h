/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The agent skeleton's entry for unit tests. Not installed, not exported:
 * the double underscore keeps it out of libbaton.so (lib/local.mk).
 */
#ifndef BATON_AGENT_INTERNAL_H
#define BATON_AGENT_INTERNAL_H

#include <baton/agent.h>

/*
 * Build a context from an environment array without dispatching, as
 * baton_agent_main() would before running the action. Returns 0 or an OCF
 * code with the reason in the context.
 */
int baton__ctx_new_for_test(const baton_agent *agent, const char *action,
                            char *const *envp, baton_ctx **ret);

#endif /* BATON_AGENT_INTERNAL_H */
