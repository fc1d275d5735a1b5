/*
 * srv_admin.h - `tq-county admin`: the institution's commands on the
 * server's database (sites, kiosks, clerks, the plan, applications,
 * decisions and messages, confirmations, counts, and through srv_payload.h
 * the signing keys and QR payloads of forms).
 */
#ifndef TQK_SRV_ADMIN_H
#define TQK_SRV_ADMIN_H

#include "srv_cli.h"
#include "srv_db.h"

/* Runs `admin` with its arguments (argv[0] is the first after "admin").
 * Returns the exit status (srv_cli.h). */
int srv_admin_main(cli *c, int argc, char **argv);

/* cli_fail() for err about subject, with SQLite's words as the detail when
 * it is a store failure. Returns the exit status. */
int srv_admin_db_fail(cli *c, srv_db *db, tqk_err err, const char *subject);

#endif
