/*
 * faultproxy.h - a TCP proxy on loopback that breaks the network on purpose,
 * put between the kiosk's sync client and the county server.
 *
 * It listens on 127.0.0.1 (a free port) and forwards every connection to
 * the server's port, from its own thread (one poll() loop for everything).
 * A mode, changed at any time, says what happens to the requests that pass:
 *
 *   FP_PASS            forward everything untouched
 *   FP_REFUSE          close every new connection as soon as it is accepted
 *   FP_RESET_REQUEST   forward K bytes of a request, then reset (RST) both sides
 *   FP_RESET_REPLY     forward the request, K bytes of its reply, then reset
 *   FP_STALL           take the request and never answer: the client must time out
 *   FP_TRUNCATE_REPLY  forward K bytes of the reply, then close both sides cleanly
 *   FP_RANDOM          each connection (refuse) or request (the others) draws
 *                      a mode and a K from a PRNG seeded by the caller
 *
 * The proxy reads HTTP/1.1 framing on the client's side (the header, then
 * Content-Length bytes of body) to know where each request starts, so a
 * fault can be aimed at requests whose first line starts with a given
 * prefix (e.g. "POST /v1/confirmations") and at the next N of them; other
 * requests on the same or other connections pass. Connections that exist
 * when the mode changes keep going under the new mode.
 *
 * Plain C without cmocka, usable from any thread.
 */
#ifndef TQK_TEST_FAULTPROXY_H
#define TQK_TEST_FAULTPROXY_H

#include <stddef.h>
#include <stdint.h>

typedef enum fp_mode {
	FP_PASS = 0,
	FP_REFUSE,
	FP_RESET_REQUEST,
	FP_RESET_REPLY,
	FP_STALL,
	FP_TRUNCATE_REPLY,
	FP_RANDOM,
	FP_MODES
} fp_mode;

const char *fp_mode_name(fp_mode m);

typedef struct faultproxy faultproxy;

/* What the proxy has done so far. */
typedef struct fp_stats {
	unsigned long connections;      /* accepted */
	unsigned long requests;         /* request starts seen */
	unsigned long faults[FP_MODES]; /* faults applied, by mode (FP_PASS: none) */
	unsigned long long up, down;    /* bytes forwarded to the server, to the client */
} fp_stats;

/* Starts a proxy to 127.0.0.1:target_port in FP_PASS mode; NULL on failure
 * (with a message on stderr). */
faultproxy *fp_start(int target_port);

/* The port it listens on. */
int fp_port(const faultproxy *p);

/*
 * From now on: mode m with k bytes, for requests whose first line starts
 * with match (NULL or "": every request), at most count of them (count < 0:
 * no limit; once count faults happened the proxy passes everything).
 * FP_REFUSE ignores match (it acts before any request is seen).
 */
void fp_set(faultproxy *p, fp_mode m, size_t k, const char *match, int count);

/* The same, letting the first skip matching requests pass before the faults
 * begin (e.g. break the second page of a download). */
void fp_aim(faultproxy *p, fp_mode m, size_t k, const char *match, int skip, int count);

/* FP_PASS for everything again. */
void fp_clear(faultproxy *p);

/*
 * FP_RANDOM: with probability pct/100 a connection is refused or a request
 * gets one of the other faults, K drawn below kmax; seed makes it repeatable.
 */
void fp_random(faultproxy *p, uint64_t seed, unsigned pct, size_t kmax);

/* Closes every connection in flight (as a crashed switch would). */
void fp_drop_all(faultproxy *p);

void fp_get_stats(faultproxy *p, fp_stats *out);

/* Stops the thread, closes everything, frees p; NULL is a no-op. */
void fp_stop(faultproxy *p);

#endif
