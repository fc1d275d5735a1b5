/*
 * test_store_apps.c - applications in the local store: the server's
 * download (insert, replace only when newer, idempotent, all or nothing
 * with the bad one named, the delta cursor, the local state kept while a
 * confirmation waits for upload, duplicate registrations counted), the
 * look-ups by registration, ID and certificate number, every field's round
 * trip, and the clerk's list: 50 a page found by key, this site only, by
 * state, by name, registration-number or ID-number search, keys that
 * belong to one query, the limits of the search text, and purged
 * applications left out.
 *
 * Every test works in its own scratch directory, removed afterwards.
 */
#include "test.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/err.h"
#include "core/idnum.h"
#include "support/fixture.h"
#include "support/rawdb.h"
#include "support/records.h"
#include "store/apps.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/purge.h"
#include "store/store.h"

/* ---- scratch directories and stores ---- */

struct scratch {
	char dir[PATH_MAX / 4];
	char db[PATH_MAX / 2];
	tqk_store *s;
};

static int setup(void **state)
{
	struct scratch *t = calloc(1, sizeof *t);
	if (t == NULL)
		return -1;
	fixture_tmpdir(t->dir, sizeof t->dir);
	snprintf(t->db, sizeof t->db, "%s/kiosk.db", t->dir);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *t = *state;
	tqk_store_free(t->s);
	fixture_rmdir(t->dir);
	free(t);
	return 0;
}

/* The fixture store with applications 0..n-1 of site S01, kept in t. */
static tqk_store *store_with(struct scratch *t, size_t n)
{
	tqk_err err = fixture_store(t->db, n, 0, &t->s);
	if (err != TQK_OK)
		fail_msg("fixture_store: %s", tqk_err_code(err));
	return t->s;
}

static tqk_application *apps_alloc(size_t n)
{
	tqk_application *a = calloc(n > 0 ? n : 1, sizeof *a);
	assert_non_null(a);
	return a;
}

/* Imports apps[0..n-1], which must succeed; the stats into *st. */
static void put_ok(tqk_store *s, const tqk_application *apps, size_t n, const char *cursor,
                   tqk_import_stats *st)
{
	size_t bad = 999;
	tqk_err err = tqk_store_apps_put(s, apps, n, cursor, FIXTURE_NOW, st, &bad);
	if (err != TQK_OK)
		fail_msg("apps_put: %s (index %zu, %s)", tqk_err_code(err), bad, tqk_store_detail(s));
}

static void assert_stats(const tqk_import_stats *st, size_t inserted, size_t updated,
                         size_t unchanged, size_t kept, size_t dups)
{
	if (st->inserted != inserted || st->updated != updated || st->unchanged != unchanged ||
	    st->kept_state != kept || st->duplicates != dups)
		fail_msg("stats inserted=%zu updated=%zu unchanged=%zu kept=%zu dups=%zu, wanted"
		         " %zu %zu %zu %zu %zu", st->inserted, st->updated, st->unchanged,
		         st->kept_state, st->duplicates, inserted, updated, unchanged, kept, dups);
}

static void get_ok(tqk_store *s, const char *reg_no, tqk_application *out)
{
	tqk_err err = tqk_store_app_get(s, reg_no, out);
	if (err != TQK_OK)
		fail_msg("app_get %s: %s", reg_no, tqk_err_code(err));
}

/* ---- the download ---- */

static void import_inserts_replaces_when_newer_and_is_idempotent(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 0);
	int64_t audits = raw_verify_chain(s, t->db);
	enum { N = 10 };
	tqk_application *apps = apps_alloc(N);
	for (unsigned i = 0; i < N; i++)
		fixture_app(i, FIXTURE_SITE, &apps[i]);
	tqk_import_stats st;

	put_ok(s, apps, N, "c-1", &st);
	assert_stats(&st, N, 0, 0, 0, 0);
	assert_int_equal(raw_verify_chain(s, t->db), audits + 1);
	/* The same download again changes nothing, and audits nothing. */
	put_ok(s, apps, N, "c-1", &st);
	assert_stats(&st, 0, 0, N, 0, 0);
	assert_int_equal(raw_verify_chain(s, t->db), audits + 1);

	/* Three come back newer: only those are replaced. */
	for (unsigned i = 2; i < 5; i++) {
		apps[i].rev = 2;
		snprintf(apps[i].school, sizeof apps[i].school, "长沙县泉塘中学");
		apps[i].state = TQK_ST_CONFIRMED;
	}
	put_ok(s, apps, N, "c-2", &st);
	assert_stats(&st, 0, 3, N - 3, 0, 0);
	assert_int_equal(raw_verify_chain(s, t->db), audits + 2);
	for (unsigned i = 0; i < N; i++) {
		tqk_application got;
		get_ok(s, apps[i].reg_no, &got);
		assert_app_equal(&apps[i], &got);
	}

	/* An older or equal revision never overwrites, whatever it holds. */
	tqk_application stale[2];
	fixture_app(3, FIXTURE_SITE, &stale[0]);      /* rev 1 < 2 */
	fixture_app(7, FIXTURE_SITE, &stale[1]);      /* rev 1 = 1 */
	snprintf(stale[0].name, sizeof stale[0].name, "旧名字");
	snprintf(stale[1].name, sizeof stale[1].name, "同版本");
	put_ok(s, stale, 2, NULL, &st);
	assert_stats(&st, 0, 0, 2, 0, 0);
	tqk_application got;
	get_ok(s, apps[3].reg_no, &got);
	assert_app_equal(&apps[3], &got);
	get_ok(s, apps[7].reg_no, &got);
	assert_app_equal(&apps[7], &got);

	/* An empty download only moves the cursor. */
	put_ok(s, NULL, 0, "c-3", &st);
	assert_stats(&st, 0, 0, 0, 0, 0);
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "c-3");
	free(apps);
}

static void invalid_application_anywhere_stores_nothing(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 0);
	int64_t audits = raw_verify_chain(s, t->db);
	enum { N = 6 };
	tqk_application *apps = apps_alloc(N);
	struct {
		size_t at;
		tqk_err want;
	} cases[] = {
		{0, TQK_E_ID_CHECKSUM},
		{3, TQK_E_FIELD_VALUE},
		{N - 1, TQK_E_STATE_UNKNOWN},
		{2, TQK_E_FIELD_REQUIRED},
		{4, TQK_E_FIELD_VALUE},
		{1, TQK_E_UTF8},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		for (unsigned i = 0; i < N; i++)
			fixture_app(100 + i, FIXTURE_SITE, &apps[i]);
		tqk_application *bad = &apps[cases[k].at];
		switch (k) {
		case 0:     /* a wrong check character */
			bad->id_number[17] = bad->id_number[17] == '1' ? '2' : '1';
			break;
		case 1:
			snprintf(bad->reg_no, sizeof bad->reg_no, "2026 0001");
			break;
		case 2:
			bad->state = TQK_ST_NONE;
			break;
		case 3:
			bad->name[0] = '\0';
			break;
		case 4:
			bad->rev = -1;
			break;
		case 5:
			snprintf(bad->site_message, sizeof bad->site_message, "请\xff补交");
			break;
		}
		tqk_import_stats st = {1, 1, 1, 1, 1};
		size_t where = 999;
		tqk_err err = tqk_store_apps_put(s, apps, N, "c-bad", FIXTURE_NOW, &st, &where);
		if (err != cases[k].want)
			fail_msg("case %zu: %s, not %s", k, tqk_err_code(err),
			         tqk_err_code(cases[k].want));
		assert_int_equal(where, cases[k].at);
		assert_stats(&st, 0, 0, 0, 0, 0);
		for (unsigned i = 0; i < N; i++) {
			tqk_application got;
			tqk_application want;
			fixture_app(100 + i, FIXTURE_SITE, &want);
			assert_int_equal(tqk_store_app_get(s, want.reg_no, &got), TQK_E_STORE_NOT_FOUND);
		}
	}
	/* bad_index may be NULL. */
	for (unsigned i = 0; i < N; i++)
		fixture_app(100 + i, FIXTURE_SITE, &apps[i]);
	apps[2].state = (tqk_state)11;
	tqk_import_stats st;
	assert_int_equal(tqk_store_apps_put(s, apps, N, NULL, FIXTURE_NOW, &st, NULL),
	                 TQK_E_STATE_UNKNOWN);

	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "");
	assert_int_equal(raw_verify_chain(s, t->db), audits);
	free(apps);
}

static void cursor_is_stored_with_the_download(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 0);
	char cursor[TQK_STORE_CURSOR_CAP] = "junk";
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "");

	tqk_application a[2];
	fixture_app(0, FIXTURE_SITE, &a[0]);
	fixture_app(1, FIXTURE_SITE, &a[1]);
	tqk_import_stats st;
	put_ok(s, a, 1, "2026-05-20T01:31:05Z#17", &st);
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "2026-05-20T01:31:05Z#17");
	/* NULL keeps the stored one. */
	put_ok(s, a, 2, NULL, &st);
	assert_int_equal(st.inserted, 1);
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "2026-05-20T01:31:05Z#17");

	/* 128 bytes is the most; one more is refused with nothing stored. */
	char longest[TQK_STORE_CURSOR_CAP], too_long[TQK_STORE_CURSOR_CAP + 1];
	memset(longest, 'c', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	memset(too_long, 'd', sizeof too_long - 1);
	too_long[sizeof too_long - 1] = '\0';
	put_ok(s, NULL, 0, longest, &st);
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, longest);

	tqk_application b;
	fixture_app(2, FIXTURE_SITE, &b);
	assert_int_equal(tqk_store_apps_put(s, &b, 1, too_long, FIXTURE_NOW, &st, NULL),
	                 TQK_E_TOO_LONG);
	assert_stats(&st, 0, 0, 0, 0, 0);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(s, b.reg_no, &got), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, longest);

	/* It is in the file. */
	tqk_store_free(s);
	t->s = NULL;
	assert_int_equal(tqk_store_open(t->db, NULL, &t->s, NULL), TQK_OK);
	assert_int_equal(tqk_store_apps_cursor(t->s, cursor), TQK_OK);
	assert_string_equal(cursor, longest);
}

/* The server's newer copy of application i: another school, state and rev. */
static void server_copy(unsigned i, int64_t rev, tqk_state st, tqk_application *a)
{
	fixture_app(i, FIXTURE_SITE, a);
	a->rev = rev;
	a->state = st;
	snprintf(a->school, sizeof a->school, "服务器第%d版", (int)rev);
}

static void local_state_stands_until_the_upload_is_acked(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 3);
	tqk_application a0;
	fixture_app(0, FIXTURE_SITE, &a0);
	tqk_confirmation c;
	fixture_confirmation(a0.reg_no, &c);
	assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
	tqk_application local;
	get_ok(s, a0.reg_no, &local);
	assert_int_equal(local.state, TQK_ST_CONFIRMED);

	/* Pending: the server's newer row (it has not seen our confirmation)
	 * does not overwrite. The other two are updated as usual. */
	tqk_application srv[3];
	server_copy(0, 2, TQK_ST_SUBMITTED, &srv[0]);
	server_copy(1, 2, TQK_ST_SUBMITTED, &srv[1]);
	server_copy(2, 2, TQK_ST_WRONG_INSTITUTION, &srv[2]);
	tqk_import_stats st;
	put_ok(s, srv, 3, NULL, &st);
	assert_stats(&st, 0, 2, 0, 1, 0);
	tqk_application got;
	get_ok(s, a0.reg_no, &got);
	assert_app_equal(&local, &got);
	get_ok(s, srv[2].reg_no, &got);
	assert_app_equal(&srv[2], &got);

	/* Sending, then back to pending after a failed attempt: still kept. */
	tqk_outbox_item items[4];
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(s, FIXTURE_NOW, 4, items, &n), TQK_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].uuid, c.uuid);
	put_ok(s, srv, 1, NULL, &st);
	assert_stats(&st, 0, 0, 0, 1, 0);
	assert_int_equal(tqk_store_outbox_retry(s, c.uuid, "timeout", FIXTURE_NOW, FIXTURE_NOW + 30),
	                 TQK_OK);
	put_ok(s, srv, 1, NULL, &st);
	assert_stats(&st, 0, 0, 0, 1, 0);
	get_ok(s, a0.reg_no, &got);
	assert_app_equal(&local, &got);
	tqk_outbox_item_clear(&items[0]);

	/* Acked: the server has it now, and its copy wins. */
	assert_int_equal(tqk_store_outbox_claim(s, FIXTURE_NOW + 60, 4, items, &n), TQK_OK);
	assert_int_equal(n, 1);
	tqk_outbox_item_clear(&items[0]);
	assert_int_equal(tqk_store_outbox_acked(s, c.uuid, FIXTURE_NOW + 61), TQK_OK);
	server_copy(0, 3, TQK_ST_CONFIRMED, &srv[0]);
	put_ok(s, srv, 1, NULL, &st);
	assert_stats(&st, 0, 1, 0, 0, 0);
	get_ok(s, a0.reg_no, &got);
	assert_app_equal(&srv[0], &got);
}

static void a_rejected_upload_does_not_hold_the_server_copy(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 1);
	tqk_application a0;
	fixture_app(0, FIXTURE_SITE, &a0);
	tqk_confirmation c;
	fixture_confirmation(a0.reg_no, &c);
	assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
	tqk_outbox_item it;
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(s, FIXTURE_NOW, 1, &it, &n), TQK_OK);
	assert_int_equal(n, 1);
	tqk_outbox_item_clear(&it);
	assert_int_equal(tqk_store_outbox_rejected(s, c.uuid, "site closed", FIXTURE_NOW), TQK_OK);

	tqk_application srv;
	server_copy(0, 2, TQK_ST_SUBMITTED, &srv);
	tqk_import_stats st;
	put_ok(s, &srv, 1, NULL, &st);
	assert_stats(&st, 0, 1, 0, 0, 0);
	tqk_application got;
	get_ok(s, a0.reg_no, &got);
	assert_app_equal(&srv, &got);
}

/* ---- duplicates and look-ups ---- */

static void duplicates_are_counted_and_found(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 5);
	tqk_import_stats st;

	/* Two registration numbers of one person, arriving together and in
	 * reverse order: both are duplicates. */
	tqk_application pair[2];
	fixture_app(20, FIXTURE_SITE, &pair[0]);
	fixture_app(10, FIXTURE_SITE, &pair[1]);
	memcpy(pair[0].id_number, pair[1].id_number, sizeof pair[0].id_number);
	memcpy(pair[0].cert_id, pair[1].cert_id, sizeof pair[0].cert_id);
	put_ok(s, pair, 2, NULL, &st);
	assert_int_equal(st.inserted, 2);
	assert_int_equal(st.duplicates, 2);
	/* Again, unchanged: the same count. */
	put_ok(s, pair, 2, NULL, &st);
	assert_stats(&st, 0, 0, 2, 0, 2);

	tqk_application found[4];
	memset(found, 0x5a, sizeof found);
	size_t n = 99;
	assert_int_equal(tqk_store_find_id(s, pair[1].id_number, found, 4, &n), TQK_OK);
	assert_int_equal(n, 2);
	/* In registration-number order, whatever the import order. */
	assert_app_equal(&pair[1], &found[0]);
	assert_app_equal(&pair[0], &found[1]);
	unsigned char untouched[sizeof found[2]];
	memset(untouched, 0x5a, sizeof untouched);
	assert_memory_equal(&found[2], untouched, sizeof untouched);

	/* cap bounds what is written, never the count. */
	memset(found, 0x5a, sizeof found);
	assert_int_equal(tqk_store_find_id(s, pair[1].id_number, found, 1, &n), TQK_OK);
	assert_int_equal(n, 2);
	assert_app_equal(&pair[1], &found[0]);
	assert_memory_equal(&found[1], untouched, sizeof untouched);
	assert_int_equal(tqk_store_find_id(s, pair[1].id_number, found, 0, &n), TQK_OK);
	assert_int_equal(n, 2);
	assert_memory_equal(&found[1], untouched, sizeof untouched);

	/* A third one, alone, is a duplicate of the two stored. */
	tqk_application third;
	fixture_app(30, FIXTURE_SITE, &third);
	memcpy(third.id_number, pair[1].id_number, sizeof third.id_number);
	put_ok(s, &third, 1, NULL, &st);
	assert_stats(&st, 1, 0, 0, 0, 1);
	assert_int_equal(tqk_store_find_id(s, pair[1].id_number, found, 4, &n), TQK_OK);
	assert_int_equal(n, 3);
	assert_string_equal(found[0].reg_no, pair[1].reg_no);
	assert_string_equal(found[1].reg_no, pair[0].reg_no);
	assert_string_equal(found[2].reg_no, third.reg_no);

	/* Everyone else is unique. */
	tqk_application others[5];
	for (unsigned i = 0; i < 5; i++)
		fixture_app(i, FIXTURE_SITE, &others[i]);
	put_ok(s, others, 5, NULL, &st);
	assert_stats(&st, 0, 0, 5, 0, 0);
	assert_int_equal(tqk_store_find_id(s, others[3].id_number, found, 4, &n), TQK_OK);
	assert_int_equal(n, 1);
	assert_app_equal(&others[3], &found[0]);

	/* Nobody: zero, and fine. */
	char nobody[TQK_ID_LEN + 1];
	memcpy(nobody, "43012119990101123", 17);
	nobody[17] = tqk_id_check_char(nobody);
	nobody[18] = '\0';
	n = 99;
	assert_int_equal(tqk_store_find_id(s, nobody, found, 4, &n), TQK_OK);
	assert_int_equal(n, 0);
}

static void find_by_certificate_number(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 40);
	tqk_application found[3];
	size_t n = 99;
	tqk_application want;
	fixture_app(17, FIXTURE_SITE, &want);
	assert_int_equal(tqk_store_find_cert(s, want.cert_no, found, 3, &n), TQK_OK);
	assert_int_equal(n, 1);
	assert_app_equal(&want, &found[0]);

	/* A certificate on two registrations: both, in order. */
	tqk_application other;
	fixture_app(5, FIXTURE_SITE, &other);
	memcpy(other.cert_no, want.cert_no, sizeof other.cert_no);
	other.rev = 2;
	tqk_import_stats st;
	put_ok(s, &other, 1, NULL, &st);
	assert_int_equal(st.updated, 1);
	assert_int_equal(tqk_store_find_cert(s, want.cert_no, found, 3, &n), TQK_OK);
	assert_int_equal(n, 2);
	assert_app_equal(&other, &found[0]);
	assert_app_equal(&want, &found[1]);

	assert_int_equal(tqk_store_find_cert(s, "20104301429999999", found, 3, &n), TQK_OK);
	assert_int_equal(n, 0);
	/* A certificate number is not an ID number, nor the reverse. */
	assert_int_equal(tqk_store_find_id(s, want.cert_no, found, 3, &n), TQK_OK);
	assert_int_equal(n, 0);
	assert_int_equal(tqk_store_find_cert(s, want.id_number, found, 3, &n), TQK_OK);
	assert_int_equal(n, 0);
}

static void app_get_of_an_unknown_number_is_not_found(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 3);
	tqk_application got;
	memset(&got, 0, sizeof got);
	assert_int_equal(tqk_store_app_get(s, "20260000000003", &got), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_app_get(s, "", &got), TQK_E_STORE_NOT_FOUND);
	/* Exact, not a prefix or a pattern. */
	assert_int_equal(tqk_store_app_get(s, "2026000000000", &got), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_app_get(s, "2026000000000%", &got), TQK_E_STORE_NOT_FOUND);
	get_ok(s, "20260000000002", &got);
}

/* Fills buf (cap bytes) with copies of unit, whole ones only. */
static void fill(char *buf, size_t cap, const char *unit)
{
	size_t u = strlen(unit), n = 0;
	while (n + u < cap) {
		memcpy(buf + n, unit, u);
		n += u;
	}
	buf[n] = '\0';
}

static void every_field_survives_the_round_trip(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 0);
	enum { N = 12 };
	tqk_application *apps = apps_alloc(N);
	for (unsigned i = 0; i < N; i++) {
		tqk_application *a = &apps[i];
		fixture_app(500 + i, FIXTURE_SITE, a);
		a->state = (tqk_state)(1 + i % 10);
		a->qualification = (tqk_stage)(TQK_STAGE_KINDERGARTEN + i % 6);
		a->post = (tqk_stage)(TQK_STAGE_KINDERGARTEN + (i + 3) % 6);
		a->school_area = i % 2 ? TQK_AREA_URBAN : TQK_AREA_RURAL;
		a->registration = i % 2 ? TQK_REG_FIRST : TQK_REG_SECOND;
		a->rev = (int64_t)i * 1000003 + 1;
	}
	/* Every text at its cap, multi-byte where people write Chinese. */
	tqk_application *big = &apps[0];
	fill(big->name, sizeof big->name, "欧");
	fill(big->cert_name, sizeof big->cert_name, "阳");
	fill(big->nation, sizeof big->nation, "族");
	fill(big->cert_subject, sizeof big->cert_subject, "数");
	fill(big->cert_authority, sizeof big->cert_authority, "局");
	fill(big->institution, sizeof big->institution, "教");
	fill(big->post_subject, sizeof big->post_subject, "学");
	fill(big->school, sizeof big->school, "校");
	fill(big->title, sizeof big->title, "师");
	fill(big->site_message, sizeof big->site_message, "请补交材料。\n");
	fill(big->inst_message, sizeof big->inst_message, "审");
	fill(big->remark, sizeof big->remark, "r");
	big->rev = INT64_MAX;
	/* A name with the middle dot, an old ID with X, an email with a plus. */
	tqk_application *b = &apps[1];
	snprintf(b->name, sizeof b->name, "阿依古丽·买买提");
	snprintf(b->email, sizeof b->email, "a.b+tq@example.edu.cn");
	/* The optional fields empty. */
	tqk_application *c = &apps[2];
	c->nation[0] = c->cert_subject[0] = c->cert_authority[0] = c->title[0] = '\0';
	c->post_subject[0] = c->email[0] = c->school[0] = '\0';
	for (unsigned i = 0; i < N; i++) {
		const char *bad = "";
		tqk_err err = tqk_application_check(&apps[i], tqk_time_date(FIXTURE_NOW), &bad);
		if (err != TQK_OK)
			fail_msg("test data %u is invalid: %s at %s", i, tqk_err_code(err), bad);
	}

	tqk_import_stats st;
	put_ok(s, apps, N, NULL, &st);
	assert_int_equal(st.inserted, N);
	for (unsigned i = 0; i < N; i++) {
		tqk_application got;
		memset(&got, 0x77, sizeof got);
		get_ok(s, apps[i].reg_no, &got);
		assert_app_equal(&apps[i], &got);
	}
	/* And after reopening, from the file. */
	tqk_store_free(s);
	t->s = NULL;
	assert_int_equal(tqk_store_open(t->db, NULL, &t->s, NULL), TQK_OK);
	for (unsigned i = 0; i < N; i++) {
		tqk_application got;
		get_ok(t->s, apps[i].reg_no, &got);
		assert_app_equal(&apps[i], &got);
	}
	free(apps);
}

/* ---- the clerk's list ---- */

#define PAGE_APPS 1234u
#define OTHER_SITE "S02"
#define OTHER_APPS 50u

/* The state the list store gives application i of S01. */
static tqk_state state_of(unsigned i)
{
	if (i % 7 == 3)
		return TQK_ST_SITE_INCOMPLETE;
	if (i % 11 == 5)
		return TQK_ST_CONFIRMED;
	if (i % 13 == 6)
		return TQK_ST_NOT_ACCEPTED;
	return TQK_ST_SUBMITTED;
}

/* Application i of S01 as the list store holds it. */
static void list_app(unsigned i, tqk_application *a)
{
	fixture_app(i, FIXTURE_SITE, a);
	if (state_of(i) != TQK_ST_SUBMITTED) {
		a->state = state_of(i);
		a->rev = 2;
	}
}

/* Application k of the other site: registration numbers between ours,
 * common names and the same prefixes, so that any leak shows. */
static void other_app(unsigned k, tqk_application *a)
{
	fixture_app(50000 + k, OTHER_SITE, a);
	snprintf(a->reg_no, sizeof a->reg_no, "2026%010ux", k * 25);
	if (k % 5 == 0)
		a->state = TQK_ST_CONFIRMED;
}

/*
 * The list store: 1,234 applications of S01 (some with other states, set by
 * a newer download) and 50 of S02 in between. It is built once for the
 * group, closed (so the file holds everything), and each list test works
 * on its own copy in its own scratch directory.
 */
static char list_dir[PATH_MAX / 4];
static char list_db[PATH_MAX / 2];

static int list_group_setup(void **state)
{
	(void)state;
	fixture_tmpdir(list_dir, sizeof list_dir);
	snprintf(list_db, sizeof list_db, "%s/list.db", list_dir);
	tqk_store *s = NULL;
	if (fixture_store(list_db, PAGE_APPS, 0, &s) != TQK_OK)
		return -1;
	tqk_application *apps = calloc(PAGE_APPS, sizeof *apps);
	if (apps == NULL)
		return -1;
	size_t n = 0;
	for (unsigned i = 0; i < PAGE_APPS; i++)
		if (state_of(i) != TQK_ST_SUBMITTED)
			list_app(i, &apps[n++]);
	tqk_import_stats st;
	tqk_err err = tqk_store_apps_put(s, apps, n, NULL, FIXTURE_NOW, &st, NULL);
	if (err == TQK_OK && st.updated != n)
		err = TQK_E_STORE_INTERNAL;
	for (unsigned k = 0; err == TQK_OK && k < OTHER_APPS; k++)
		other_app(k, &apps[k]);
	if (err == TQK_OK)
		err = tqk_store_apps_put(s, apps, OTHER_APPS, NULL, FIXTURE_NOW, &st, NULL);
	if (err == TQK_OK && st.inserted != OTHER_APPS)
		err = TQK_E_STORE_INTERNAL;
	free(apps);
	tqk_store_free(s);
	return err == TQK_OK ? 0 : -1;
}

static int list_group_teardown(void **state)
{
	(void)state;
	fixture_rmdir(list_dir);
	return 0;
}

static tqk_store *list_store(struct scratch *t)
{
	FILE *from = fopen(list_db, "rb"), *to = fopen(t->db, "wb");
	assert_non_null(from);
	assert_non_null(to);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, from)) > 0)
		assert_int_equal(fwrite(buf, 1, n, to), n);
	fclose(from);
	assert_int_equal(fclose(to), 0);
	tqk_err err = tqk_store_open(t->db, NULL, &t->s, NULL);
	if (err != TQK_OK)
		fail_msg("open the list store: %s", tqk_err_code(err));
	return t->s;
}

/* The expected list: the S01 applications that pass keep, sorted as the
 * list sorts them. */
typedef bool (*keep_fn)(const tqk_application *a, const void *arg);

static bool by_name;
static int cmp_app(const void *x, const void *y)
{
	const tqk_application *a = x, *b = y;
	if (by_name) {
		int c = strcmp(a->name, b->name);
		if (c != 0)
			return c;
	}
	return strcmp(a->reg_no, b->reg_no);
}

static size_t expected(keep_fn keep, const void *arg, bool name_order, tqk_application *out)
{
	size_t n = 0;
	for (unsigned i = 0; i < PAGE_APPS; i++) {
		list_app(i, &out[n]);
		if (keep(&out[n], arg))
			n++;
	}
	by_name = name_order;
	qsort(out, n, sizeof *out, cmp_app);
	return n;
}

/*
 * Walks every page of a query and checks it against want[0..n_want-1]:
 * 50 rows on every page but the last, "more" on every page but the last,
 * each row once, in order, with the row's fields as stored. Returns the
 * number of pages.
 */
static size_t walk_and_compare(tqk_store *s, tqk_state state, const char *search,
                               const tqk_application *want, size_t n_want)
{
	tqk_page *p = malloc(sizeof *p);
	assert_non_null(p);
	tqk_page_key key;
	size_t seen = 0, pages = 0;
	for (;;) {
		tqk_err err = tqk_store_page(s, state, search, pages == 0 ? NULL : &key, p);
		if (err != TQK_OK)
			fail_msg("page %zu of \"%s\": %s", pages, search ? search : "", tqk_err_code(err));
		pages++;
		if (p->n > TQK_PAGE_SIZE || (p->more && p->n != TQK_PAGE_SIZE))
			fail_msg("page %zu: %zu rows, more=%d", pages, p->n, p->more);
		for (size_t i = 0; i < p->n; i++, seen++) {
			const tqk_app_row *r = &p->rows[i];
			if (seen >= n_want)
				fail_msg("\"%s\": row %zu (%s) beyond the %zu expected", search ? search : "",
				         seen, r->reg_no, n_want);
			const tqk_application *a = &want[seen];
			if (strcmp(r->reg_no, a->reg_no) != 0)
				fail_msg("\"%s\" row %zu: %s, not %s", search ? search : "", seen, r->reg_no,
				         a->reg_no);
			assert_string_equal(r->name, a->name);
			assert_string_equal(r->id_number, a->id_number);
			assert_string_equal(r->cert_no, a->cert_no);
			assert_string_equal(r->school, a->school);
			assert_int_equal(r->qualification, a->qualification);
			assert_int_equal(r->state, a->state);
		}
		if (!p->more)
			break;
		key = p->next;
		if (pages > 1000)
			fail_msg("the pages never end");
	}
	free(p);
	if (seen != n_want)
		fail_msg("\"%s\": %zu rows, not %zu", search ? search : "", seen, n_want);
	return pages;
}

static bool keep_all(const tqk_application *a, const void *arg)
{
	(void)a, (void)arg;
	return true;
}

static void list_walks_every_application_once(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_application *want = apps_alloc(PAGE_APPS);
	size_t n = expected(keep_all, NULL, false, want);
	assert_int_equal(n, PAGE_APPS);
	size_t pages = walk_and_compare(s, TQK_ST_NONE, NULL, want, n);
	assert_int_equal(pages, (PAGE_APPS + TQK_PAGE_SIZE - 1) / TQK_PAGE_SIZE);

	/* The last page of 34, then a query ending exactly on a page:
	 * registration numbers 2026000000 00xx are 100, two full pages, and
	 * the second says there is no more. */
	tqk_page *p = malloc(sizeof *p);
	assert_non_null(p);
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, "202600000000", NULL, p), TQK_OK);
	assert_int_equal(p->n, 50);
	assert_true(p->more);
	tqk_page_key key = p->next;
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, "202600000000", &key, p), TQK_OK);
	assert_int_equal(p->n, 50);
	assert_false(p->more);
	assert_string_equal(p->rows[49].reg_no, "20260000000099");
	free(p);
	free(want);
}

static bool keep_state(const tqk_application *a, const void *arg)
{
	return a->state == *(const tqk_state *)arg;
}

static void list_by_state(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_application *want = apps_alloc(PAGE_APPS);
	static const tqk_state states[] = {TQK_ST_SUBMITTED, TQK_ST_SITE_INCOMPLETE,
	                                   TQK_ST_CONFIRMED, TQK_ST_NOT_ACCEPTED, TQK_ST_PASSED};
	size_t total = 0;
	for (size_t k = 0; k < sizeof states / sizeof states[0]; k++) {
		size_t n = expected(keep_state, &states[k], false, want);
		walk_and_compare(s, states[k], NULL, want, n);
		total += n;
		if (states[k] == TQK_ST_PASSED)
			assert_int_equal(n, 0);
		else
			assert_true(n > 0);
	}
	assert_int_equal(total, PAGE_APPS);

	tqk_page *p = malloc(sizeof *p);
	assert_non_null(p);
	assert_int_equal(tqk_store_page(s, (tqk_state)11, NULL, NULL, p), TQK_E_STATE_UNKNOWN);
	assert_int_equal(tqk_store_page(s, (tqk_state)-1, NULL, NULL, p), TQK_E_STATE_UNKNOWN);
	free(p);
	free(want);
}

struct name_query {
	const char *prefix;
	tqk_state state;
};

static bool keep_name(const tqk_application *a, const void *arg)
{
	const struct name_query *q = arg;
	return strncmp(a->name, q->prefix, strlen(q->prefix)) == 0 &&
	       (q->state == TQK_ST_NONE || a->state == q->state);
}

static void list_by_name_prefix(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_application *want = apps_alloc(PAGE_APPS);
	static const struct name_query queries[] = {
		{"王", TQK_ST_NONE},           /* 62: two pages */
		{"李", TQK_ST_NONE},
		{"王秀", TQK_ST_NONE},
		{"张桂英", TQK_ST_NONE},
		{"陈", TQK_ST_SITE_INCOMPLETE},
		{"李", TQK_ST_CONFIRMED},
		{"欧阳", TQK_ST_NONE},         /* nobody */
	};
	for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
		size_t n = expected(keep_name, &queries[k], true, want);
		if (k == 0)
			assert_int_equal(n, (PAGE_APPS + 19) / 20);
		if (k < 4)
			assert_true(n > 0);
		walk_and_compare(s, queries[k].state, queries[k].prefix, want, n);
	}
	/* Spaces around the search do not matter. */
	struct name_query wang = {"王", TQK_ST_NONE};
	size_t n = expected(keep_name, &wang, true, want);
	walk_and_compare(s, TQK_ST_NONE, " \t王\xe3\x80\x80 ", want, n);
	free(want);
}

struct reg_query {
	const char *prefix;
	tqk_state state;
};

static bool keep_reg(const tqk_application *a, const void *arg)
{
	const struct reg_query *q = arg;
	return strncmp(a->reg_no, q->prefix, strlen(q->prefix)) == 0 &&
	       (q->state == TQK_ST_NONE || a->state == q->state);
}

static void list_by_registration_number_prefix(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_application *want = apps_alloc(PAGE_APPS);
	static const struct reg_query queries[] = {
		{"20260000001", TQK_ST_NONE},          /* 1000..1233 */
		{"2026000000012", TQK_ST_NONE},        /* 120..129 */
		{"20260000000777", TQK_ST_NONE},       /* exactly one */
		{"2026", TQK_ST_NONE},                 /* everyone */
		{"20260000001", TQK_ST_CONFIRMED},
		{"20260000009", TQK_ST_NONE},          /* nobody */
	};
	for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
		size_t n = expected(keep_reg, &queries[k], false, want);
		if (k == 0)
			assert_int_equal(n, 234);
		if (k == 2)
			assert_int_equal(n, 1);
		walk_and_compare(s, queries[k].state, queries[k].prefix, want, n);
	}
	free(want);
}

static void list_by_id_number(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_application want[4];

	/* The 18-character number, and the 15-digit one of before 1999
	 * (the fixture's people are born in the 1900s). */
	tqk_application a;
	list_app(345, &a);
	assert_int_equal(memcmp(a.id_number + 6, "19", 2), 0);
	char id15[TQK_ID_OLD_LEN + 1];
	memcpy(id15, a.id_number, 6);
	memcpy(id15 + 6, a.id_number + 8, 9);
	id15[15] = '\0';
	char norm[TQK_ID_LEN + 1];
	assert_int_equal(tqk_id_normalize(id15, 15, norm), TQK_OK);
	assert_string_equal(norm, a.id_number);
	want[0] = a;
	walk_and_compare(s, TQK_ST_NONE, a.id_number, want, 1);
	walk_and_compare(s, TQK_ST_NONE, id15, want, 1);
	char spaced[40];
	snprintf(spaced, sizeof spaced, "  %s ", a.id_number);
	walk_and_compare(s, TQK_ST_NONE, spaced, want, 1);
	/* Combined with a state: its own, or another. */
	walk_and_compare(s, a.state, a.id_number, want, 1);
	walk_and_compare(s, a.state == TQK_ST_CONFIRMED ? TQK_ST_SUBMITTED : TQK_ST_CONFIRMED,
	                 a.id_number, want, 0);

	/* An ID number ending in X, searched with a small x. */
	unsigned x = 0;
	while (x < PAGE_APPS) {
		list_app(x, &a);
		if (a.id_number[17] == 'X')
			break;
		x++;
	}
	assert_true(x < PAGE_APPS);
	char lower[TQK_ID_LEN + 1];
	memcpy(lower, a.id_number, sizeof lower);
	lower[17] = 'x';
	want[0] = a;
	walk_and_compare(s, TQK_ST_NONE, lower, want, 1);

	/* One person, two registration numbers: both, in order; and the
	 * other site's application with the same number stays out. */
	tqk_application dup[2];
	list_app(1001, &a);
	fixture_app(3000, FIXTURE_SITE, &dup[0]);
	memcpy(dup[0].id_number, a.id_number, sizeof dup[0].id_number);
	fixture_app(3001, OTHER_SITE, &dup[1]);
	memcpy(dup[1].id_number, a.id_number, sizeof dup[1].id_number);
	tqk_import_stats st;
	put_ok(s, dup, 2, NULL, &st);
	assert_int_equal(st.duplicates, 2);
	want[0] = a;
	want[1] = dup[0];
	walk_and_compare(s, TQK_ST_NONE, a.id_number, want, 2);

	/* Nobody has this one. */
	char nobody[TQK_ID_LEN + 1];
	memcpy(nobody, "43012119990101123", 17);
	nobody[17] = tqk_id_check_char(nobody);
	nobody[18] = '\0';
	walk_and_compare(s, TQK_ST_NONE, nobody, want, 0);
}

static void a_key_belongs_to_its_query(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_page *p = malloc(sizeof *p);
	assert_non_null(p);

	struct {
		tqk_state state;
		const char *search;
	} queries[] = {
		{TQK_ST_NONE, NULL},
		{TQK_ST_SUBMITTED, NULL},
		{TQK_ST_NONE, "王"},
		{TQK_ST_NONE, "李"},
		{TQK_ST_NONE, "2026000000"},
		{TQK_ST_NONE, "20260000001"},
		{TQK_ST_SUBMITTED, "2026000000"},
	};
	enum { Q = sizeof queries / sizeof queries[0] };
	tqk_page_key keys[Q];
	for (size_t i = 0; i < Q; i++) {
		assert_int_equal(tqk_store_page(s, queries[i].state, queries[i].search, NULL, p), TQK_OK);
		if (!p->more)
			fail_msg("query %zu has one page only", i);
		keys[i] = p->next;
	}
	for (size_t i = 0; i < Q; i++)
		for (size_t k = 0; k < Q; k++) {
			tqk_err err = tqk_store_page(s, queries[k].state, queries[k].search, &keys[i], p);
			tqk_err want = i == k ? TQK_OK : TQK_E_ARG;
			if (err != want)
				fail_msg("key of query %zu on query %zu: %s", i, k, tqk_err_code(err));
			if (err != TQK_OK)
				assert_int_equal(p->n, 0);
		}

	/* No search, a blank one and an empty one are the same query. */
	tqk_page_key none = keys[0];
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, "", &none, p), TQK_OK);
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, " \xe3\x80\x80\t", &none, p), TQK_OK);
	assert_string_equal(p->rows[0].reg_no, "20260000000050");
	free(p);
}

static void search_text_limits(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_page *p = malloc(sizeof *p);
	assert_non_null(p);

	/* 96 bytes is the most a name holds; 97 is too long. */
	char search[200];
	fill(search, 97, "王");      /* 32 characters, 96 bytes */
	assert_int_equal(strlen(search), 96);
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, search, NULL, p), TQK_OK);
	assert_int_equal(p->n, 0);
	strcat(search, "a");
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, search, NULL, p), TQK_E_TOO_LONG);
	memset(search, 'z', 150);
	search[150] = '\0';
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, search, NULL, p), TQK_E_TOO_LONG);
	/* Spaces around do not count against the limit. */
	snprintf(search, sizeof search, "%80s王%80s", "", "");
	assert_int_equal(tqk_store_page(s, TQK_ST_NONE, search, NULL, p), TQK_OK);
	assert_int_equal(p->n, 50);
	assert_int_equal(strncmp(p->rows[0].name, "王", 3), 0);

	/* Not UTF-8. */
	static const char *const broken[] = {"\xff", "王\xe7\x8e", "\xc0\xaf", "a\x80" "b",
	                                     "\xed\xa0\x80"};
	for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		tqk_err err = tqk_store_page(s, TQK_ST_NONE, broken[i], NULL, p);
		if (err != TQK_E_UTF8)
			fail_msg("broken search %zu: %s", i, tqk_err_code(err));
		assert_int_equal(p->n, 0);
		assert_false(p->more);
	}
	free(p);
}

static void blank_search_is_no_search(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = list_store(t);
	tqk_application *want = apps_alloc(PAGE_APPS);
	size_t n = expected(keep_all, NULL, false, want);
	static const char *const blanks[] = {"", " ", "   ", "\t", "\xe3\x80\x80",
	                                     " \xe3\x80\x80\xe3\x80\x80 \t"};
	for (size_t i = 0; i < sizeof blanks / sizeof blanks[0]; i++)
		walk_and_compare(s, TQK_ST_NONE, blanks[i], want, n);
	/* With a state too. */
	tqk_state st = TQK_ST_CONFIRMED;
	n = expected(keep_state, &st, false, want);
	walk_and_compare(s, TQK_ST_CONFIRMED, "\xe3\x80\x80", want, n);
	free(want);
}

static void purged_applications_are_left_out(void **state)
{
	struct scratch *t = *state;
	tqk_store *s = store_with(t, 120);
	/* Two confirmations wait for upload: those two are held; the purge
	 * empties everyone else. */
	tqk_confirmation c;
	tqk_application kept[2];
	for (unsigned k = 0; k < 2; k++) {
		fixture_app(40 + 20 * k, FIXTURE_SITE, &kept[k]);
		fixture_confirmation(kept[k].reg_no, &c);
		assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
		get_ok(s, kept[k].reg_no, &kept[k]);
	}
	tqk_purge_stats ps;
	assert_int_equal(tqk_store_purge(s, test_day("2026-05-01"), 1, test_day("2026-05-20"),
	                                 FIXTURE_NOW, &ps), TQK_OK);
	assert_int_equal(ps.applications, 118);
	assert_int_equal(ps.held, 2);

	walk_and_compare(s, TQK_ST_NONE, NULL, kept, 2);
	walk_and_compare(s, TQK_ST_CONFIRMED, NULL, kept, 2);
	walk_and_compare(s, TQK_ST_SUBMITTED, NULL, kept, 0);
	walk_and_compare(s, TQK_ST_NONE, "2026", kept, 2);
	/* kept[0] is 王 (40 % 20 == 0), kept[1] too (60 % 20 == 0). */
	walk_and_compare(s, TQK_ST_NONE, "王", kept, 2);
	walk_and_compare(s, TQK_ST_NONE, "李", kept, 0);

	/* A purged application's ID number finds nothing, its registration
	 * number still reads (for the counts), emptied. */
	tqk_application gone;
	fixture_app(7, FIXTURE_SITE, &gone);
	walk_and_compare(s, TQK_ST_NONE, gone.id_number, kept, 0);
	walk_and_compare(s, TQK_ST_NONE, gone.reg_no, kept, 0);
	tqk_application found[2];
	size_t n = 99;
	assert_int_equal(tqk_store_find_id(s, gone.id_number, found, 2, &n), TQK_OK);
	assert_int_equal(n, 0);
	assert_int_equal(tqk_store_find_cert(s, gone.cert_no, found, 2, &n), TQK_OK);
	assert_int_equal(n, 0);
	tqk_application got;
	get_ok(s, gone.reg_no, &got);
	assert_true(got.purged);
	assert_string_equal(got.name, "");
	assert_string_equal(got.id_number, "");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(import_inserts_replaces_when_newer_and_is_idempotent),
		T(invalid_application_anywhere_stores_nothing),
		T(cursor_is_stored_with_the_download),
		T(local_state_stands_until_the_upload_is_acked),
		T(a_rejected_upload_does_not_hold_the_server_copy),
		T(duplicates_are_counted_and_found),
		T(find_by_certificate_number),
		T(app_get_of_an_unknown_number_is_not_found),
		T(every_field_survives_the_round_trip),
		T(list_walks_every_application_once),
		T(list_by_state),
		T(list_by_name_prefix),
		T(list_by_registration_number_prefix),
		T(list_by_id_number),
		T(a_key_belongs_to_its_query),
		T(search_text_limits),
		T(blank_search_is_no_search),
		T(purged_applications_are_left_out),
	};
	return cmocka_run_group_tests_name("store_apps", tests, list_group_setup, list_group_teardown);
}
