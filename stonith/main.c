/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fence_baton_<plugin>: one small binary per plugin name, one front end. */
#include "stonith-internal.h"

#ifndef BATON_STONITH_PLUGIN_NAME
#error "BATON_STONITH_PLUGIN_NAME must name the plugin this agent loads"
#endif

int main(int argc, char **argv)
{
    return baton__fence_main(BATON_STONITH_PLUGIN_NAME, argc, argv);
}
