/*
 * config.h - the kiosk's connection to its county server, read from an INI
 * file (inih), e.g. /etc/tqkiosk/kiosk.conf, mode 0600 (it holds a secret):
 *
 *   [server]
 *   url = https://county.example.cn:8443      ; https, or http only to 127.0.0.1 / ::1
 *   ca_file = /etc/tqkiosk/county-ca.pem      ; optional: trust only this CA
 *   pinned_key = sha256//BASE64...            ; optional: libcurl's pinned public key
 *   connect_timeout = 5                       ; seconds, 1..60
 *   timeout = 30                              ; seconds for a whole request, 1..600
 *   [kiosk]
 *   id = K01
 *   secret = <64 hex digits>                  ; from `tq-county admin kiosk add`
 *   [sync]
 *   backoff_cap = 300                         ; seconds, 1..86400
 *   batch = 200                               ; records per upload, 1..500
 *
 * TLS verification cannot be switched off: there is no such key, and an
 * http:// url is refused unless its host is the loopback address (tests and
 * a server on the same machine).
 */
#ifndef TQK_SYNC_CONFIG_H
#define TQK_SYNC_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/application.h"
#include "core/err.h"
#include "proto/sign.h"

#define TQK_URL_CAP 512
#define TQK_PATH_CAP 1024

typedef struct tqk_sync_config {
	char url[TQK_URL_CAP];              /* no trailing slash */
	char ca_file[TQK_PATH_CAP];         /* "" when not given */
	char pinned_key[TQK_PATH_CAP];      /* "" when not given */
	int connect_timeout, timeout;       /* seconds */
	char kiosk[TQK_CODE_CAP];
	uint8_t secret[TQK_SIGN_KEY_LEN];
	int backoff_cap;                    /* seconds */
	int batch;                          /* records per upload */
} tqk_sync_config;

/* Defaults for every optional key (connect_timeout 5, timeout 30,
 * backoff_cap 300, batch 200); the required ones empty. */
void tqk_sync_config_defaults(tqk_sync_config *c);

/*
 * Reads path over the defaults. TQK_E_CONFIG with "line N: what" (or the
 * system's reason) in detail on any problem: unknown section or key, a value
 * out of range, a missing url / id / secret, a secret that is not 64 hex
 * digits, an http url to another host, a file others may read (mode & 077).
 */
tqk_err tqk_sync_config_load(const char *path, tqk_sync_config *out, char *detail,
                             size_t cap) TQK_MUST_CHECK;

#endif
