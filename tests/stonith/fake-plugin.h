/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An in-process plugin for the unit tests, whose power behaviour each test
 * scripts through fake_state.
 */
#ifndef BATON_TEST_FAKE_PLUGIN_H
#define BATON_TEST_FAKE_PLUGIN_H

#include <baton/stonith.h>

typedef struct fake_state {
    baton_stonith_power power;          /* what status reports */
    int transitional_polls;             /* after a command: report TRANSITIONAL this often */
    baton_stonith_power pending;        /* the state the command leads to */
    bool never_off;                     /* off is accepted but nothing happens */
    baton_stonith_result status_result; /* forced result of status (OK: normal) */
    int status_failures;                /* fail status this many times, then recover */
    int failures_after_command;         /* status_failures armed by on/off */
    int n_status, n_on, n_off, n_reboot, n_diag;
} fake_state;

extern fake_state fake;
extern const baton_stonith_plugin fake_plugin;

void fake_reset(baton_stonith_power initial);

#endif
