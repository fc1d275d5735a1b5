/*
 * audit.c - appending to the SHA-256 chained audit trail and verifying it.
 */
#include "store/audit.h"

#include <sodium.h>
#include <string.h>

#include "store/internal.h"

#define HASH_LEN crypto_hash_sha256_BYTES

static void put_u64(crypto_hash_sha256_state *h, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	crypto_hash_sha256_update(h, b, sizeof b);
}

static void put_text(crypto_hash_sha256_state *h, const char *s, size_t n)
{
	uint8_t b[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
	crypto_hash_sha256_update(h, b, sizeof b);
	crypto_hash_sha256_update(h, (const uint8_t *)s, n);
}

struct row {
	int64_t seq, at;
	const char *text[4];    /* actor, action, subject, detail */
	size_t len[4];
};

static void row_hash(const uint8_t prev[HASH_LEN], const struct row *r, uint8_t out[HASH_LEN])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, HASH_LEN);
	put_u64(&h, (uint64_t)r->seq);
	put_u64(&h, (uint64_t)r->at);
	for (int i = 0; i < 4; i++)
		put_text(&h, r->text[i], r->len[i]);
	crypto_hash_sha256_final(&h, out);
}

tqk_err store_audit_add(tqk_store *s, tqk_time at, const char *actor, const char *action,
                        const char *subject, const char *detail)
{
	struct row r = {.at = at, .text = {actor, action, subject, detail}};
	for (int i = 0; i < 4; i++) {
		r.len[i] = strnlen(r.text[i], TQK_AUDIT_TEXT_CAP);
		if (r.len[i] >= TQK_AUDIT_TEXT_CAP)
			return TQK_E_TOO_LONG;
	}
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &err);
	if (st == NULL)
		return err;
	uint8_t prev[HASH_LEN] = {0};
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		r.seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == HASH_LEN)
			memcpy(prev, sqlite3_column_blob(st, 1), HASH_LEN);
	} else if (rc != SQLITE_DONE) {
		return store_err(s, rc);
	}
	sqlite3_reset(st);
	r.seq++;

	uint8_t hash[HASH_LEN];
	row_hash(prev, &r, hash);
	st = store_stmt(s, "INSERT INTO audit(seq, at, actor, action, subject, detail, prev, hash)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", &err);
	if (st == NULL)
		return err;
	sqlite3_bind_int64(st, 1, r.seq);
	sqlite3_bind_int64(st, 2, r.at);
	for (int i = 0; i < 4; i++)
		sqlite3_bind_text(st, 3 + i, r.text[i], (int)r.len[i], SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, prev, HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, hash, HASH_LEN, SQLITE_STATIC);
	return store_step_done(s, st);
}

tqk_err tqk_store_audit_append(tqk_store *s, tqk_time at, const char *actor, const char *action,
                               const char *subject, const char *detail)
{
	tqk_err err = store_begin(s);
	if (err != TQK_OK)
		return err;
	return store_end(s, store_audit_add(s, at, actor, action, subject, detail));
}

tqk_err tqk_store_audit_verify(tqk_store *s, tqk_audit_report *out)
{
	*out = (tqk_audit_report){0};
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT seq, at, actor, action, subject, detail, prev, hash"
	                                 " FROM audit ORDER BY seq", &err);
	if (st == NULL)
		return err;
	uint8_t chain[HASH_LEN] = {0};
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct row r = {.seq = sqlite3_column_int64(st, 0), .at = sqlite3_column_int64(st, 1)};
		for (int i = 0; i < 4; i++) {
			r.text[i] = (const char *)sqlite3_column_text(st, 2 + i);
			r.len[i] = (size_t)sqlite3_column_bytes(st, 2 + i);
			if (r.text[i] == NULL)
				r.text[i] = "";
		}
		out->rows++;
		const char *why = NULL;
		uint8_t hash[HASH_LEN];
		row_hash(chain, &r, hash);
		if (r.seq != out->rows)
			why = out->rows == 1 ? "the chain does not start at row 1"
			                     : "a row before this one is missing";
		else if (sqlite3_column_bytes(st, 6) != HASH_LEN ||
		         memcmp(sqlite3_column_blob(st, 6), chain, HASH_LEN) != 0)
			why = "it does not carry the previous row's hash";
		else if (sqlite3_column_bytes(st, 7) != HASH_LEN ||
		         memcmp(sqlite3_column_blob(st, 7), hash, HASH_LEN) != 0)
			why = "its content does not match its hash";
		if (why != NULL) {
			out->first_bad = r.seq;
			out->why = why;
			sqlite3_reset(st);
			return TQK_E_STORE_AUDIT;
		}
		memcpy(chain, hash, HASH_LEN);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TQK_OK : store_err(s, rc);
}
