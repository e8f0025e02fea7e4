/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libbaton: everything an OCF agent written in C needs. */
#ifndef BATON_H
#define BATON_H

#include <baton/agent.h>
#include <baton/cleanup.h>
#include <baton/cluster.h>
#include <baton/command.h>
#include <baton/deadline.h>
#include <baton/fileio.h>
#include <baton/log.h>
#include <baton/metadata.h>
#include <baton/notify.h>
#include <baton/ocf.h>
#include <baton/param.h>
#include <baton/process.h>
#include <baton/strutil.h>
#include <baton/watchdog.h>

#endif /* BATON_H */
