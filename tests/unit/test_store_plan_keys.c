/*
 * test_store_plan_keys.c - the county's public keys in the kiosk's store
 * (store/plan.h, schema version 6): stored with the plan and in its order,
 * replaced whole by a newer plan and never by an older or equal one, a bad
 * key set refused without changing anything, a damaged row reported as
 * corruption, read from a read-only connection, and the migration from
 * version 5, which sets a stored plan's revision to 0 so that the next
 * download replaces it and brings the keys.
 */
#include "test.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/payload.h"
#include "proto/api.h"
#include "store/internal.h"     /* store_migrations, for the version-5 file */
#include "store/plan.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define T0 FIXTURE_NOW
#define NKEYS 20

struct env {
	char dir[512];
	char path[600];
	tqk_store *s;
	/* Public keys of seeds 0, 1, ...; kid "k<i>". */
	char kid[NKEYS][TQK_KID_CAP];
	uint8_t pk[NKEYS][TQK_PUBKEY_LEN];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->path, 2, 0, &e->s), TQK_OK);
	for (int i = 0; i < NKEYS; i++) {
		uint8_t seed[crypto_sign_SEEDBYTES], sk[crypto_sign_SECRETKEYBYTES];
		memset(seed, i, sizeof seed);
		assert_int_equal(crypto_sign_seed_keypair(e->pk[i], sk, seed), 0);
		snprintf(e->kid[i], sizeof e->kid[i], "k%d", i);
	}
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	tqk_store_free(e->s);
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

static const char calendar[] =
	"tqk-calendar 1\n"
	"year 2026\n"
	"holiday 2026-10-01..2026-10-07 国庆节\n";

/* A valid plan of the fixture's site at rev with the keys listed (indexes
 * into e's keys, -1 ending the list). */
static tqk_plan plan_with(const struct env *e, int64_t rev, const int *keys)
{
	tqk_plan p = fixture_plan(rev, calendar);
	for (; keys != NULL && *keys >= 0; keys++)
		assert_int_equal(tqk_keyset_add(&p.keys, e->kid[*keys], e->pk[*keys]), TQK_OK);
	return p;
}

/* The stored keys must be exactly e's keys listed, in that order. */
static void expect_keys(const struct env *e, tqk_store *s, const int *keys)
{
	tqk_keyset ks;
	memset(&ks, 0xA5, sizeof ks);
	assert_int_equal(tqk_store_plan_keys(s, &ks), TQK_OK);
	size_t n = 0;
	for (; keys[n] >= 0; n++) {
		assert_true(n < ks.n);
		assert_string_equal(ks.keys[n].kid, e->kid[keys[n]]);
		assert_memory_equal(ks.keys[n].key, e->pk[keys[n]], TQK_PUBKEY_LEN);
	}
	assert_int_equal(ks.n, n);
	/* The whole plan carries the same set, unused entries zeroed. */
	tqk_plan p;
	assert_int_equal(tqk_store_plan_get(s, &p), TQK_OK);
	assert_memory_equal(&p.keys, &ks, sizeof ks);
	tqk_plan_clear(&p);
}

static void put(struct env *e, const tqk_plan *p, bool want_stored)
{
	bool stored = !want_stored;
	tqk_err err = tqk_store_plan_put(e->s, p, T0, &stored);
	if (err != TQK_OK)
		fail_msg("plan put rev %lld: %s (%s)", (long long)p->rev, tqk_err_code(err),
		         tqk_store_detail(e->s));
	assert_int_equal(stored, want_stored);
}

/* ---- tests ---- */

static void no_keys_before_the_first_plan(void **state)
{
	struct env *e = *state;
	tqk_keyset ks;
	memset(&ks, 0xA5, sizeof ks);
	assert_int_equal(tqk_store_plan_keys(e->s, &ks), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(ks.n, 0);
	/* A plan without keys: an empty set, not an error. */
	tqk_plan p = plan_with(e, 1, NULL);
	put(e, &p, true);
	expect_keys(e, e->s, (const int[]){-1});
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM plan_keys", NULL), 0);
}

static void keys_are_stored_in_the_servers_order(void **state)
{
	struct env *e = *state;
	const int keys[] = {3, 1, 2, -1};
	tqk_plan p = plan_with(e, 1, keys);
	put(e, &p, true);
	expect_keys(e, e->s, keys);
	/* As text that reads plainly in the sqlite3 shell. */
	char want[TQK_PUBKEY_TEXT_LEN + 1], got[64];
	tqk_pubkey_format(e->pk[1], want);
	assert_true(raw_text(e->path, "SELECT public FROM plan_keys WHERE kid = ?1", "k1", got,
	                     sizeof got));
	assert_string_equal(got, want);
	assert_int_equal(raw_int(e->path, "SELECT ord FROM plan_keys WHERE kid = ?1", "k3"), 0);
	assert_int_equal(raw_int(e->path, "SELECT ord FROM plan_keys WHERE kid = ?1", "k2"), 2);

	/* The most a plan holds. */
	int all[TQK_KEYSET_MAX + 1];
	for (int i = 0; i < TQK_KEYSET_MAX; i++)
		all[i] = TQK_KEYSET_MAX - 1 - i;
	all[TQK_KEYSET_MAX] = -1;
	p = plan_with(e, 2, all);
	put(e, &p, true);
	expect_keys(e, e->s, all);
}

static void a_newer_plan_replaces_the_keys(void **state)
{
	struct env *e = *state;
	tqk_plan p = plan_with(e, 5, (const int[]){1, 0, -1});
	put(e, &p, true);
	/* After a rotation the server publishes the new key first and the
	 * retired one after it. */
	p = plan_with(e, 6, (const int[]){2, 1, 0, -1});
	put(e, &p, true);
	expect_keys(e, e->s, (const int[]){2, 1, 0, -1});
	/* An equal or older revision changes nothing, whatever its keys. */
	p = plan_with(e, 6, (const int[]){7, -1});
	put(e, &p, false);
	p = plan_with(e, 3, NULL);
	put(e, &p, false);
	expect_keys(e, e->s, (const int[]){2, 1, 0, -1});
	/* A key dropped from the set is gone; none left is an empty set. */
	p = plan_with(e, 7, (const int[]){2, 0, -1});
	put(e, &p, true);
	expect_keys(e, e->s, (const int[]){2, 0, -1});
	p = plan_with(e, 8, NULL);
	put(e, &p, true);
	expect_keys(e, e->s, (const int[]){-1});
	int64_t rev = 0;
	assert_int_equal(tqk_store_plan_rev(e->s, &rev), TQK_OK);
	assert_int_equal(rev, 8);
}

static void bad_key_sets_change_nothing(void **state)
{
	struct env *e = *state;
	const int keys[] = {4, 5, -1};
	tqk_plan good = plan_with(e, 1, keys);
	put(e, &good, true);
	for (int k = 0; k < 5; k++) {
		tqk_plan p = plan_with(e, 2, (const int[]){6, 7, -1});
		switch (k) {
		case 0: p.keys.n = TQK_KEYSET_MAX + 1; break;
		case 1: memcpy(p.keys.keys[1].kid, p.keys.keys[0].kid, TQK_KID_CAP); break;
		case 2: memcpy(p.keys.keys[1].kid, "k 7", 4); break;
		case 3: memset(p.keys.keys[1].kid, 'k', TQK_KID_CAP); break;
		default: p.keys.keys[0].kid[0] = '\0'; break;
		}
		bool stored = true;
		assert_int_equal(tqk_store_plan_put(e->s, &p, T0, &stored), TQK_E_FIELD_VALUE);
		assert_false(stored);
		expect_keys(e, e->s, keys);
		int64_t rev = 0;
		assert_int_equal(tqk_store_plan_rev(e->s, &rev), TQK_OK);
		assert_int_equal(rev, 1);
	}
}

static void damaged_rows_are_corruption(void **state)
{
	struct env *e = *state;
	tqk_plan p = plan_with(e, 1, (const int[]){0, 1, -1});
	put(e, &p, true);
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	/* 43 characters, but not the canonical text of any key. */
	char text[TQK_PUBKEY_TEXT_LEN + 1];
	tqk_pubkey_format(e->pk[1], text);
	text[42] = (char)(text[42] + 1);
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE plan_keys SET public = '%s' WHERE kid = 'k1'", text);
	raw_exec(db, sql);
	tqk_keyset ks;
	memset(&ks, 0xA5, sizeof ks);
	tqk_err err = tqk_store_plan_keys(e->s, &ks);
	if (err != TQK_E_STORE_CORRUPT)
		fail_msg("non-canonical key: %s", tqk_err_code(err));
	assert_int_equal(ks.n, 0);
	assert_non_null(strstr(tqk_store_detail(e->s), "plan_keys"));
	tqk_plan got;
	assert_int_equal(tqk_store_plan_get(e->s, &got), TQK_E_STORE_CORRUPT);
	assert_null(got.calendar);
	assert_int_equal(got.rev, 0);
	/* A kid with characters no kid has. */
	tqk_pubkey_format(e->pk[1], text);
	snprintf(sql, sizeof sql, "UPDATE plan_keys SET public = '%s', kid = 'k 1' WHERE kid = 'k1'",
	         text);
	raw_exec(db, sql);
	assert_int_equal(tqk_store_plan_keys(e->s, &ks), TQK_E_STORE_CORRUPT);
	/* More rows than a plan holds. */
	raw_exec(db, "UPDATE plan_keys SET kid = 'k1' WHERE kid = 'k 1'");
	assert_int_equal(tqk_store_plan_keys(e->s, &ks), TQK_OK);
	for (int i = 2; i <= TQK_KEYSET_MAX; i++) {
		tqk_pubkey_format(e->pk[i], text);
		snprintf(sql, sizeof sql, "INSERT INTO plan_keys(kid, public, ord) VALUES ('k%d', '%s', %d)",
		         i, text, i);
		raw_exec(db, sql);
	}
	assert_int_equal(tqk_store_plan_keys(e->s, &ks), TQK_E_STORE_CORRUPT);
	sqlite3_close(db);
	/* The schema itself keeps the worst out. */
	db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	char msg[256];
	assert_int_not_equal(raw_try_exec(db, "INSERT INTO plan_keys(kid, public, ord)"
	                                      " VALUES ('', 'x', 99)", msg, sizeof msg), SQLITE_OK);
	assert_int_not_equal(raw_try_exec(db, "INSERT INTO plan_keys(kid, public, ord)"
	                                      " VALUES ('k99', 'short', 99)", msg, sizeof msg),
	                     SQLITE_OK);
	assert_int_not_equal(raw_try_exec(db, "UPDATE plan_keys SET ord = 0", msg, sizeof msg),
	                     SQLITE_OK);
	sqlite3_close(db);
}

static void read_only_connections_read_the_keys(void **state)
{
	struct env *e = *state;
	const int keys[] = {9, 8, -1};
	tqk_plan p = plan_with(e, 4, keys);
	put(e, &p, true);
	tqk_store *ro = NULL;
	tqk_store_options opt = {.readonly = true};
	assert_int_equal(tqk_store_open(e->path, &opt, &ro, NULL), TQK_OK);
	expect_keys(e, ro, keys);
	tqk_store_free(ro);
}

/* A version-5 file: site, settings, and (with_plan) a plan at revision 7,
 * written with the migrations' own SQL. */
static void build_v5(const char *path, bool with_plan)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	raw_exec(db, "BEGIN");
	for (int v = 0; v < 5; v++)
		raw_exec(db, store_migrations[v]);
	raw_exec(db, "PRAGMA user_version = 5;"
	             "INSERT INTO site(one, site, kiosk, county, year, site_no, width, serial_first,"
	             " serial_last) VALUES (1, 'S01', 'K01', 'CSX', 2026, 1, 3, 1, 999);"
	             "INSERT INTO serials(site, next) VALUES ('S01', 1);"
	             "INSERT INTO settings(key, value) VALUES ('plan.period_end', '2026-05-29');");
	if (with_plan)
		raw_exec(db, "INSERT INTO plan(one, rev, site, site_name, county, year, site_no, width,"
		             " apply_start, apply_end, confirm_start, confirm_end, opens, closes,"
		             " calendar, stored_at) VALUES (1, 7, 'S01', '长沙县星沙确认点', 'CSX', 2026,"
		             " 1, 3, '2026-04-01', '2026-05-10', '2026-05-18', '2026-05-29', 30600,"
		             " 63000, 'tqk-calendar 1\nyear 2026\n', 1779240665);");
	raw_exec(db, "COMMIT");
	sqlite3_close(db);
}

static void version_5_migrates_and_the_next_plan_brings_keys(void **state)
{
	struct env *e = *state;
	char path[700];
	snprintf(path, sizeof path, "%s/v5.db", e->dir);
	build_v5(path, true);
	tqk_store *s = NULL;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, NULL, &s, detail);
	if (err != TQK_OK)
		fail_msg("open v5: %s (%s)", tqk_err_code(err), detail);
	assert_int_equal(tqk_store_version(s), TQK_STORE_VERSION);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);

	/* The plan is kept, at revision 0, with no keys. */
	int64_t rev = -1;
	assert_int_equal(tqk_store_plan_rev(s, &rev), TQK_OK);
	assert_int_equal(rev, 0);
	tqk_plan got;
	assert_int_equal(tqk_store_plan_get(s, &got), TQK_OK);
	assert_string_equal(got.site_name, "长沙县星沙确认点");
	assert_int_equal(got.keys.n, 0);
	tqk_plan_clear(&got);
	tqk_keyset ks;
	assert_int_equal(tqk_store_plan_keys(s, &ks), TQK_OK);
	assert_int_equal(ks.n, 0);

	/* The server's plan, at whatever revision it is (even one below the
	 * 7 this kiosk had), replaces it and brings the keys. */
	tqk_plan p = plan_with(e, 0, (const int[]){3, -1});
	bool stored = true;
	assert_int_equal(tqk_store_plan_put(s, &p, T0, &stored), TQK_OK);
	assert_false(stored);           /* 0 is not newer than 0 */
	p = plan_with(e, 1, (const int[]){3, 4, -1});
	assert_int_equal(tqk_store_plan_put(s, &p, T0, &stored), TQK_OK);
	assert_true(stored);
	expect_keys(e, s, (const int[]){3, 4, -1});
	tqk_store_free(s);

	/* A version-5 file that never had a plan still has none. */
	snprintf(path, sizeof path, "%s/v5-empty.db", e->dir);
	build_v5(path, false);
	assert_int_equal(tqk_store_open(path, NULL, &s, detail), TQK_OK);
	assert_int_equal(tqk_store_plan_rev(s, &rev), TQK_OK);
	assert_int_equal(rev, -1);
	assert_int_equal(tqk_store_plan_keys(s, &ks), TQK_E_STORE_NOT_FOUND);
	tqk_store_free(s);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(no_keys_before_the_first_plan),
		T(keys_are_stored_in_the_servers_order),
		T(a_newer_plan_replaces_the_keys),
		T(bad_key_sets_change_nothing),
		T(damaged_rows_are_corruption),
		T(read_only_connections_read_the_keys),
		T(version_5_migrates_and_the_next_plan_brings_keys),
	};
	return cmocka_run_group_tests_name("store_plan_keys", tests, NULL, NULL);
}
