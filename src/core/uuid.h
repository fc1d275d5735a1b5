/*
 * uuid.h - record ids: RFC 4122 version-4 uuids in their canonical text form.
 *
 * Every confirmation, correction and walk-in application carries one; it is
 * the idempotency key of the upload, so the server never stores a record
 * twice. This module only formats and checks: the 16 random bytes come from
 * the caller (libsodium's randombytes in the store), which keeps core free of
 * I/O.
 */
#ifndef TQK_CORE_UUID_H
#define TQK_CORE_UUID_H

#include <stdbool.h>
#include <stdint.h>

#define TQK_UUID_LEN 36
#define TQK_UUID_CAP (TQK_UUID_LEN + 1)

/* Formats 16 random bytes as a version-4, variant-1 uuid, lower case. */
void tqk_uuid_format(const uint8_t random[16], char out[TQK_UUID_CAP]);

/* True for exactly 36 characters 8-4-4-4-12 of lower-case hex digits with
 * version 4 and variant 1 (the form tqk_uuid_format writes). */
bool tqk_uuid_valid(const char *s);

#endif
