/*
 * test_store_walkin.c - walk-in applications in the local store
 * (store/walkin.h): one transaction stores the application under a
 * provisional number, its walk-in row, its upload (with the password's
 * hash, never the password) and an audit row; numbers count up and are
 * never reused; refusals leave the file as it was; the server's official
 * number is recorded with the upload's answer, after which either number
 * finds the application, people are shown the official one, and the
 * server's copy downloaded under it updates the same row. The walk-in rows
 * are append-only from a raw connection too.
 */
#include "test.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/walkin.h"
#include "proto/json.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/store.h"
#include "store/walkin.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define PASSWORD "Xingsha2026"
#define OFFICIAL "20269000000001"

struct env {
	char dir[512], path[600];
	tqk_store *s;
	char hash[crypto_pwhash_STRBYTES];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->path, 5, 0, &e->s), TQK_OK);
	assert_int_equal(crypto_pwhash_str_alg(e->hash, PASSWORD, strlen(PASSWORD),
	                                       crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
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

/* A walk-in's application: fixture application i under no number yet. */
static void walkin_app(unsigned i, tqk_application *a)
{
	fixture_app(i, FIXTURE_SITE, a);
	a->reg_no[0] = '\0';
	a->rev = 0;
}

static int64_t count(struct env *e, const char *sql)
{
	return raw_int(e->path, sql, NULL);
}

static void add_stores_everything_at_once(void **state)
{
	struct env *e = *state;
	int64_t apps = count(e, "SELECT COUNT(*) FROM applications");
	tqk_application a;
	walkin_app(100, &a);
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	assert_string_equal(no, "WS01-K01-000001");
	assert_true(tqk_walkin_is_provisional(no));
	assert_int_equal(count(e, "SELECT COUNT(*) FROM applications"), apps + 1);

	tqk_application got;
	assert_int_equal(tqk_store_app_get(e->s, no, &got), TQK_OK);
	assert_string_equal(got.name, a.name);
	assert_int_equal(got.state, TQK_ST_SUBMITTED);
	tqk_walkin_row w;
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	assert_string_equal(w.provisional, no);
	assert_string_equal(w.official, "");
	assert_int_equal(w.created, FIXTURE_NOW);

	/* its upload: kind application, the hash beside it, never the password */
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, w.uuid, &it), TQK_OK);
	assert_string_equal(it.kind, TQK_WALKIN_KIND);
	assert_int_equal(it.state, TQK_OUTBOX_PENDING);
	assert_non_null(strstr(it.payload, "\"provisional\""));
	assert_non_null(strstr(it.payload, no));
	assert_non_null(strstr(it.payload, "$argon2id$"));
	assert_null(strstr(it.payload, PASSWORD));
	bool plain = strstr(it.payload, "\"demo\"") == NULL;
	tqk_outbox_item_clear(&it);
	assert_true(plain);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(e->s, &rep), TQK_OK);
	assert_int_equal(count(e, "SELECT COUNT(*) FROM audit WHERE action = 'walkin'"), 1);

	/* the next one counts up */
	walkin_app(101, &a);
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW + 5, no), TQK_OK);
	assert_string_equal(no, "WS01-K01-000002");
	/* A demo's store marks its walk-ins as a demo's. */
	assert_int_equal(tqk_store_setting_set(e->s, TQK_STORE_MODE_SETTING, "demo"), TQK_OK);
	walkin_app(102, &a);
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW + 6, no), TQK_OK);
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	assert_int_equal(tqk_store_outbox_get(e->s, w.uuid, &it), TQK_OK);
	json_t *doc = NULL;
	assert_int_equal(tqk_json_parse(it.payload, strlen(it.payload), &doc, NULL, 0), TQK_OK);
	tqk_outbox_item_clear(&it);
	assert_true(json_is_true(json_object_get(doc, "demo")));
	json_decref(doc);
	/* and it may be confirmed at once, under that number */
	tqk_confirmation c;
	fixture_confirmation(no, &c);
	assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
}

static void refusals_change_nothing(void **state)
{
	struct env *e = *state;
	tqk_application a;
	walkin_app(100, &a);
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	char *before = raw_dump(e->path);

	/* the same certificate again, or one of the downloaded applications' */
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no),
	                 TQK_E_WALKIN_EXISTS);
	assert_string_equal(no, "");
	fixture_app(3, FIXTURE_SITE, &a);
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no),
	                 TQK_E_WALKIN_EXISTS);
	/* another site's; a hash that is not argon2id; a bad ID number */
	walkin_app(102, &a);
	snprintf(a.site, sizeof a.site, "S02");
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_E_STORE_SITE);
	walkin_app(102, &a);
	assert_int_equal(tqk_store_walkin_add(e->s, &a, PASSWORD, FIXTURE_NOW, no),
	                 TQK_E_FIELD_VALUE);
	assert_int_equal(tqk_store_walkin_add(e->s, &a, NULL, FIXTURE_NOW, no), TQK_E_FIELD_VALUE);
	a.id_number[17] = a.id_number[17] == '0' ? '1' : '0';
	assert_int_not_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);

	raw_expect_unchanged(e->path, before);
	/* a refused one used no number */
	walkin_app(102, &a);
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	assert_string_equal(no, "WS01-K01-000002");
}

/* Claims the walk-in's row and answers it acked with official. */
static tqk_err ack_with(struct env *e, const char *uuid, const char *official, bool *moved)
{
	tqk_outbox_item items[8];
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(e->s, FIXTURE_NOW + 60, 8, items, &n), TQK_OK);
	for (size_t i = 0; i < n; i++)
		tqk_outbox_item_clear(&items[i]);
	tqk_outbox_answer a = {.uuid = uuid, .state = TQK_OUTBOX_ACKED, .official = official};
	return tqk_store_outbox_answer(e->s, &a, 1, FIXTURE_NOW + 60, moved);
}

static void official_number_with_the_answer(void **state)
{
	struct env *e = *state;
	tqk_application a;
	walkin_app(100, &a);
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	tqk_walkin_row w;
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	char shown[TQK_CODE_CAP];
	assert_int_equal(tqk_store_shown_number(e->s, no, shown), TQK_OK);
	assert_string_equal(shown, no);

	bool moved = false;
	assert_int_equal(ack_with(e, w.uuid, OFFICIAL, &moved), TQK_OK);
	assert_true(moved);
	assert_int_equal(tqk_store_walkin_get(e->s, OFFICIAL, &w), TQK_OK);
	assert_string_equal(w.provisional, no);
	assert_string_equal(w.official, OFFICIAL);
	assert_int_equal(w.mapped_at, FIXTURE_NOW + 60);
	assert_int_equal(tqk_store_shown_number(e->s, no, shown), TQK_OK);
	assert_string_equal(shown, OFFICIAL);
	/* either number finds it; it stays stored under the provisional one */
	tqk_application got;
	assert_int_equal(tqk_store_app_get(e->s, OFFICIAL, &got), TQK_OK);
	assert_string_equal(got.reg_no, no);
	/* numbers of other applications are shown as they are */
	fixture_app(2, FIXTURE_SITE, &a);
	assert_int_equal(tqk_store_shown_number(e->s, a.reg_no, shown), TQK_OK);
	assert_string_equal(shown, a.reg_no);

	/* mapping again: the same is a no-op, another is a conflict */
	assert_int_equal(tqk_store_walkin_map(e->s, w.uuid, OFFICIAL, FIXTURE_NOW + 90), TQK_OK);
	assert_int_equal(tqk_store_walkin_map(e->s, w.uuid, "20269000000002", FIXTURE_NOW + 90),
	                 TQK_E_STORE_CONFLICT);
	assert_int_equal(tqk_store_walkin_map(e->s, "0b6e3d52-3f0e-4c4a-9d8e-5a1c2b3d4e5f",
	                                      "20269000000002", FIXTURE_NOW), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_walkin_map(e->s, w.uuid, "WS01-K01-000009", FIXTURE_NOW),
	                 TQK_E_FIELD_VALUE);
	assert_int_equal(tqk_store_walkin_map(e->s, w.uuid, "", FIXTURE_NOW), TQK_E_FIELD_VALUE);
	/* from a raw connection too: never another official number, never gone */
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	char msg[256];
	assert_int_not_equal(raw_try_exec(db, "UPDATE walkins SET official = '20269000000003'", msg,
	                                  sizeof msg), SQLITE_OK);
	assert_int_not_equal(raw_try_exec(db, "DELETE FROM walkins", msg, sizeof msg), SQLITE_OK);
	assert_int_not_equal(raw_try_exec(db, "UPDATE walkins SET serial = 5", msg, sizeof msg),
	                     SQLITE_OK);
	sqlite3_close(db);
}

static void conflicting_number_rejects_the_row(void **state)
{
	struct env *e = *state;
	tqk_application a;
	walkin_app(100, &a);
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	tqk_walkin_row w;
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	/* the server names a number a downloaded application has here */
	tqk_application other;
	fixture_app(1, FIXTURE_SITE, &other);
	bool moved = false;
	assert_int_equal(ack_with(e, w.uuid, other.reg_no, &moved), TQK_OK);
	assert_true(moved);
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, w.uuid, &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_REJECTED);
	assert_non_null(strstr(it.last_error, "store.conflict"));
	tqk_outbox_item_clear(&it);
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	assert_string_equal(w.official, "");
}

static void download_updates_the_same_row(void **state)
{
	struct env *e = *state;
	tqk_application a;
	walkin_app(100, &a);
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	tqk_walkin_row w;
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	bool moved = false;
	assert_int_equal(ack_with(e, w.uuid, OFFICIAL, &moved), TQK_OK);
	int64_t apps = count(e, "SELECT COUNT(*) FROM applications");

	/* the server's copy, under the official number, with its message */
	tqk_application srv = a;
	snprintf(srv.reg_no, sizeof srv.reg_no, "%s", OFFICIAL);
	srv.rev = 7;
	snprintf(srv.inst_message, sizeof srv.inst_message, "请带齐材料");
	tqk_import_stats st;
	assert_int_equal(tqk_store_apps_put(e->s, &srv, 1, NULL, FIXTURE_NOW + 120, &st, NULL),
	                 TQK_OK);
	assert_int_equal(st.updated, 1);
	assert_int_equal(st.inserted, 0);
	assert_int_equal(st.duplicates, 0);
	assert_int_equal(count(e, "SELECT COUNT(*) FROM applications"), apps);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(e->s, no, &got), TQK_OK);
	assert_string_equal(got.inst_message, "请带齐材料");
	assert_int_equal(got.rev, 7);
	/* the same page again changes nothing */
	assert_int_equal(tqk_store_apps_put(e->s, &srv, 1, NULL, FIXTURE_NOW + 130, &st, NULL),
	                 TQK_OK);
	assert_int_equal(st.unchanged, 1);
}

/* The server's copy came down before the number did (the upload's reply
 * was lost, the round's download was not): the mapping folds it into the
 * walk-in's row; a row under that number that is not the walk-in's copy
 * is a conflict. */
static void early_copy_is_folded_in(void **state)
{
	struct env *e = *state;
	tqk_application a;
	walkin_app(100, &a);
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	tqk_walkin_row w;
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	int64_t apps = count(e, "SELECT COUNT(*) FROM applications");
	tqk_application srv = a;
	snprintf(srv.reg_no, sizeof srv.reg_no, "%s", OFFICIAL);
	srv.rev = 9;
	snprintf(srv.inst_message, sizeof srv.inst_message, "已收到");
	tqk_import_stats st;
	assert_int_equal(tqk_store_apps_put(e->s, &srv, 1, NULL, FIXTURE_NOW + 30, &st, NULL),
	                 TQK_OK);
	assert_int_equal(count(e, "SELECT COUNT(*) FROM applications"), apps + 1);
	bool moved = false;
	assert_int_equal(ack_with(e, w.uuid, OFFICIAL, &moved), TQK_OK);
	assert_int_equal(count(e, "SELECT COUNT(*) FROM applications"), apps);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(e->s, OFFICIAL, &got), TQK_OK);
	assert_string_equal(got.reg_no, no);
	assert_string_equal(got.inst_message, "已收到");
	assert_int_equal(got.rev, 9);
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, w.uuid, &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_ACKED);
	tqk_outbox_item_clear(&it);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(e->s, &rep), TQK_OK);

	/* another teacher's application under the number: not folded */
	walkin_app(101, &a);
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);
	tqk_application stranger;
	fixture_app(102, FIXTURE_SITE, &stranger);
	snprintf(stranger.reg_no, sizeof stranger.reg_no, "20269000000002");
	assert_int_equal(tqk_store_apps_put(e->s, &stranger, 1, NULL, FIXTURE_NOW + 30, &st, NULL),
	                 TQK_OK);
	assert_int_equal(ack_with(e, w.uuid, "20269000000002", &moved), TQK_OK);
	assert_int_equal(tqk_store_outbox_get(e->s, w.uuid, &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_REJECTED);
	tqk_outbox_item_clear(&it);
	assert_int_equal(tqk_store_app_get(e->s, "20269000000002", &got), TQK_OK);
	assert_string_equal(got.name, stranger.name);
}

/* A confirmation of a walk-in waits until the walk-in is acked; other
 * confirmations go as before. */
static void confirmations_wait_for_their_walkin(void **state)
{
	struct env *e = *state;
	tqk_application a;
	walkin_app(100, &a);
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, e->hash, FIXTURE_NOW, no), TQK_OK);
	tqk_confirmation mine, other;
	fixture_confirmation(no, &mine);
	assert_int_equal(tqk_store_confirm(e->s, &mine), TQK_OK);
	fixture_app(2, FIXTURE_SITE, &a);
	fixture_confirmation(a.reg_no, &other);
	assert_int_equal(tqk_store_confirm(e->s, &other), TQK_OK);
	tqk_walkin_row w;
	assert_int_equal(tqk_store_walkin_get(e->s, no, &w), TQK_OK);

	/* the first claim: the walk-in and the other confirmation */
	tqk_outbox_item items[8];
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(e->s, FIXTURE_NOW + 60, 8, items, &n), TQK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].uuid, w.uuid);
	assert_string_equal(items[1].uuid, other.uuid);
	for (size_t i = 0; i < n; i++)
		tqk_outbox_item_clear(&items[i]);
	/* the walk-in retried: its confirmation still waits */
	assert_int_equal(tqk_store_outbox_retry(e->s, w.uuid, "net.timeout", FIXTURE_NOW + 60,
	                                        FIXTURE_NOW + 60), TQK_OK);
	assert_int_equal(tqk_store_outbox_claim(e->s, FIXTURE_NOW + 61, 8, items, &n), TQK_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].uuid, w.uuid);
	tqk_outbox_item_clear(&items[0]);
	/* acked with its number: now the confirmation goes */
	tqk_outbox_answer ans = {.uuid = w.uuid, .state = TQK_OUTBOX_ACKED, .official = OFFICIAL};
	assert_int_equal(tqk_store_outbox_answer(e->s, &ans, 1, FIXTURE_NOW + 62, NULL), TQK_OK);
	assert_int_equal(tqk_store_outbox_claim(e->s, FIXTURE_NOW + 63, 8, items, &n), TQK_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].uuid, mine.uuid);
	tqk_outbox_item_clear(&items[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(add_stores_everything_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(official_number_with_the_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(conflicting_number_rejects_the_row, setup, teardown),
		cmocka_unit_test_setup_teardown(download_updates_the_same_row, setup, teardown),
		cmocka_unit_test_setup_teardown(confirmations_wait_for_their_walkin, setup, teardown),
		cmocka_unit_test_setup_teardown(early_copy_is_folded_in, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
