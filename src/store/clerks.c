/*
 * clerks.c - the clerk accounts in the store: the list replaced as a whole
 * from the server's download, read back, and a clerk's PIN checked against
 * its argon2id hash.
 */
#include "store/clerks.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "store/audit.h"
#include "store/internal.h"

#define ARGON2ID_PREFIX "$argon2id$"

/* Checks clerk c: TQK_OK, or its failure as clerks.h lists them. */
static tqk_err check_clerk(const tqk_clerk *c)
{
	if (strnlen(c->id, sizeof c->id) >= sizeof c->id ||
	    strnlen(c->name, sizeof c->name) >= sizeof c->name ||
	    strnlen(c->pin_hash, sizeof c->pin_hash) >= sizeof c->pin_hash)
		return TQK_E_TOO_LONG;
	if (!tqk_code_valid(c->id))
		return TQK_E_ARG;
	size_t n = strlen(c->name);
	if (!tqk_utf8_valid(c->name, n))
		return TQK_E_UTF8;
	if (tqk_text_blank(c->name, n))
		return TQK_E_FIELD_REQUIRED;
	if (strncmp(c->pin_hash, ARGON2ID_PREFIX, strlen(ARGON2ID_PREFIX)) != 0)
		return TQK_E_FIELD_VALUE;
	return TQK_OK;
}

/* qsort's order of clerks: by id. */
static int by_id(const void *a, const void *b)
{
	return strcmp(((const tqk_clerk *)a)->id, ((const tqk_clerk *)b)->id);
}

/* Whether a and b are the same account in every member. */
static bool same_clerk(const tqk_clerk *a, const tqk_clerk *b)
{
	return strcmp(a->id, b->id) == 0 && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->pin_hash, b->pin_hash) == 0 && a->active == b->active;
}

/* A row selected as id, name, pin_hash, active into *c. */
static void read_clerk(sqlite3_stmt *st, tqk_clerk *c)
{
	memset(c, 0, sizeof *c);
	store_column_text(st, 0, c->id, sizeof c->id);
	store_column_text(st, 1, c->name, sizeof c->name);
	store_column_text(st, 2, c->pin_hash, sizeof c->pin_hash);
	c->active = sqlite3_column_int(st, 3) != 0;
}

tqk_err tqk_store_clerks_list(tqk_store *s, tqk_clerk *out, size_t cap, size_t *n)
{
	*n = 0;
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, name, pin_hash, active FROM clerks ORDER BY id",
	                              &err);
	if (st == NULL)
		return err;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n < cap)
			read_clerk(st, &out[*n]);
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TQK_OK : store_err(s, rc);
}

tqk_err tqk_store_clerk_get(tqk_store *s, const char *id, tqk_clerk *out)
{
	tqk_err err;
	sqlite3_stmt *st = store_stmt(s, "SELECT id, name, pin_hash, active FROM clerks WHERE id = ?1",
	                              &err);
	if (st == NULL)
		return err;
	store_bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_clerk(st, out);
	else
		err = rc == SQLITE_DONE ? TQK_E_STORE_NOT_FOUND : store_err(s, rc);
	sqlite3_reset(st);
	return err;
}

/* Whether the stored list equals sorted[0..n-1] (sorted by id), inside the
 * caller's transaction, into *equal. Fails with TQK_E_NOMEM or the store's
 * failures. */
static tqk_err equal_to_stored(tqk_store *s, const tqk_clerk *sorted, size_t n, bool *equal)
{
	*equal = false;
	tqk_clerk *stored = malloc((n + 1) * sizeof *stored);
	if (stored == NULL)
		return TQK_E_NOMEM;
	size_t m = 0;
	tqk_err err = tqk_store_clerks_list(s, stored, n + 1, &m);
	if (err == TQK_OK && m == n) {
		*equal = true;
		for (size_t i = 0; i < n && *equal; i++)
			*equal = same_clerk(&stored[i], &sorted[i]);
	}
	free(stored);
	return err;
}

/* Replaces the rows with sorted[0..n-1], inside the caller's transaction.
 * Fails with the store's failures. */
static tqk_err write_clerks(tqk_store *s, const tqk_clerk *sorted, size_t n)
{
	tqk_err err = store_exec(s, "DELETE FROM clerks");
	sqlite3_stmt *st = err == TQK_OK ? store_stmt(s, "INSERT INTO clerks(id, name, pin_hash, active)"
	                                              " VALUES (?1, ?2, ?3, ?4)", &err) : NULL;
	for (size_t i = 0; st != NULL && err == TQK_OK && i < n; i++) {
		store_bind_text(st, 1, sorted[i].id);
		store_bind_text(st, 2, sorted[i].name);
		store_bind_text(st, 3, sorted[i].pin_hash);
		sqlite3_bind_int(st, 4, sorted[i].active);
		err = store_step_done(s, st);
	}
	return err;
}

tqk_err tqk_store_clerks_replace(tqk_store *s, const tqk_clerk *clerks, size_t n, tqk_time now,
                                 bool *changed, size_t *bad_index)
{
	if (changed != NULL)
		*changed = false;
	if (n > TQK_CLERKS_MAX)
		return TQK_E_TOO_LONG;
	for (size_t i = 0; i < n; i++) {
		tqk_err err = check_clerk(&clerks[i]);
		for (size_t j = 0; err == TQK_OK && j < i; j++)
			if (strcmp(clerks[j].id, clerks[i].id) == 0)
				err = TQK_E_ARG;
		if (err != TQK_OK) {
			if (bad_index != NULL)
				*bad_index = i;
			return err;
		}
	}
	tqk_clerk *sorted = malloc((n + 1) * sizeof *sorted);
	if (sorted == NULL)
		return TQK_E_NOMEM;
	if (n > 0)
		memcpy(sorted, clerks, n * sizeof *sorted);
	qsort(sorted, n, sizeof *sorted, by_id);

	bool equal = false;
	tqk_err err = store_begin(s);
	if (err == TQK_OK) {
		err = equal_to_stored(s, sorted, n, &equal);
		if (err == TQK_OK && !equal)
			err = write_clerks(s, sorted, n);
		if (err == TQK_OK && !equal) {
			size_t active = 0;
			for (size_t i = 0; i < n; i++)
				active += sorted[i].active;
			char detail[TQK_AUDIT_TEXT_CAP];
			snprintf(detail, sizeof detail, "clerks=%zu active=%zu", n, active);
			err = store_audit_add(s, now, "server", "clerks.replace", "", detail);
		}
		err = store_end(s, err);
	}
	free(sorted);
	if (err == TQK_OK && changed != NULL)
		*changed = !equal;
	return err;
}

tqk_err tqk_store_clerk_login(tqk_store *s, const char *id, const char *pin, tqk_login *out)
{
	*out = TQK_LOGIN_UNKNOWN;
	tqk_clerk c;
	tqk_err err = tqk_store_clerk_get(s, id, &c);
	size_t len = strnlen(pin, TQK_PIN_MAX + 1);
	if (err == TQK_E_STORE_NOT_FOUND) {
		/* Spend what a verification spends, so that the answer's time does
		 * not tell which clerk ids exist. */
		char scratch[crypto_pwhash_STRBYTES];
		if (crypto_pwhash_str(scratch, pin, len <= TQK_PIN_MAX ? len : 0,
		                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
		                      crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
			sodium_memzero(scratch, sizeof scratch);
		return TQK_OK;
	}
	if (err != TQK_OK)
		return err;
	if (len > TQK_PIN_MAX || crypto_pwhash_str_verify(c.pin_hash, pin, len) != 0)
		*out = TQK_LOGIN_WRONG_PIN;
	else
		*out = c.active ? TQK_LOGIN_OK : TQK_LOGIN_INACTIVE;
	sodium_memzero(&c, sizeof c);
	return TQK_OK;
}
