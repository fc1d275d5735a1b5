/*
 * srv_admin.h - `tq-county admin`: the institution's commands on the
 * server's database (sites, kiosks, clerks, the plan, applications,
 * decisions and messages, confirmations, counts).
 */
#ifndef TQK_SRV_ADMIN_H
#define TQK_SRV_ADMIN_H

#include "srv_cli.h"

/* Runs `admin` with its arguments (argv[0] is the first after "admin").
 * Returns the exit status (srv_cli.h). */
int srv_admin_main(cli *c, int argc, char **argv);

#endif
