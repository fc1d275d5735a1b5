/*
 * srv_api.h - the signed calls of API v1 (API.md): the plan, applications,
 * clerks and updates of the kiosk's site, and the uploads of confirmations
 * and walk-in applications.
 */
#ifndef TQK_SRV_API_H
#define TQK_SRV_API_H

#include "srv_http.h"

/*
 * Answers one request whose path starts with "/v1/" (but is not
 * /v1/time): checks its signature (srv_auth.h), runs the call in one
 * transaction under the database lock and commits before returning, so that
 * whatever the reply says stored is durable before it is sent. A refusal
 * (4xx) or a failure (5xx) rolls everything back, the nonce included. The
 * reply is set in r; nothing is returned.
 */
void srv_api_handle(srv_req *r);

#endif
