/*
 * test_store_sync.c - what the sync worker keeps in the local store: the
 * migration to schema 4 from a version-3 file holding data (and a failed one
 * that leaves version 3), the county's plan (stored only when its revision
 * is newer, checked before anything is written, refused for another site),
 * the clerk list replaced as a whole (nothing written when it is the same)
 * and a clerk's PIN checked against its argon2id hash, the institution's
 * updates applied a page at a time with their cursor (moves the
 * institution may not make, unknown and purged applications skipped, an
 * application with a confirmation still to upload kept), and the outbox's
 * listing by state, an administrator's requeue of a quarantined row, and
 * the rescheduling of rows a clock running ahead put off. Every write is
 * audited on a chain that still verifies.
 */
#include "test.h"

#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/confirmation.h"
#include "core/state.h"
#include "proto/api.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/clerks.h"
#include "store/confirm.h"
#include "store/internal.h"     /* store_migrations, for the version-3 file */
#include "store/outbox.h"
#include "store/plan.h"
#include "store/store.h"
#include "store/updates.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define T0 FIXTURE_NOW
#define APPS 8

struct env {
	char dir[512];
	char path[600];
	tqk_store *s;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->path, APPS, 0, &e->s), TQK_OK);
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

/* The audit rows whose action is action. */
static int64_t audit_count(const struct env *e, const char *action)
{
	return raw_int(e->path, "SELECT count(*) FROM audit WHERE action = ?1", action);
}

/* ---- the migration to version 4 ---- */

#define OLD_UUID "2f1c7a3e-9b4d-4c1e-8a2b-5d6e7f8a9b0c"

/* A version-3 file with a site, settings, an application, a confirmation
 * and its queue row, written with the migrations' own SQL. */
static void build_v3(const char *path)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	raw_exec(db, "BEGIN");
	for (int v = 0; v < 3; v++)
		raw_exec(db, store_migrations[v]);
	raw_exec(db, "PRAGMA user_version = 3;"
	             "INSERT INTO site(one, site, kiosk, county, year, site_no, width)"
	             " VALUES (1, 'S01', 'K01', 'CSX', 2026, 1, 3);"
	             "INSERT INTO serials(site, next) VALUES ('S01', 2);"
	             "INSERT INTO settings(key, value) VALUES ('apps.cursor', 'c-0042'),"
	             " ('plan.period_end', '2026-05-29');"
	             "INSERT INTO applications(reg_no, site, id_number, name, registration, state, rev)"
	             " VALUES ('20260000000000', 'S01', '110105194912310029', '王伟', 1, 3, 7);"
	             "INSERT INTO confirmations(seq, uuid, reg_no, site, kiosk, clerk, marks,"
	             " police_required, conclusion, remark, message, archive_no, serial, at,"
	             " time_source) VALUES (1, '" OLD_UUID "', '20260000000000', 'S01', 'K01',"
	             " 'C007', '11111111131', 0, 'complete', '', '', 'CSX202601001', 1, 1779240665,"
	             " 'server');"
	             "INSERT INTO outbox(uuid, kind, payload, state, attempts, created, next_attempt,"
	             " last_error) VALUES ('" OLD_UUID "', 'confirmation', '{}', 3, 2, 1779240665,"
	             " 1779240665, 'store.confirmed: refused');");
	raw_exec(db, "COMMIT");
	sqlite3_close(db);
}

static void v3_file_migrates_to_v4_with_its_data(void **state)
{
	struct env *e = *state;
	char path[700];
	snprintf(path, sizeof path, "%s/v3.db", e->dir);
	build_v3(path);
	assert_int_equal(raw_int(path, "PRAGMA user_version", NULL), 3);

	tqk_store *s = NULL;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, NULL, &s, detail);
	if (err != TQK_OK)
		fail_msg("open v3: %s (%s)", tqk_err_code(err), detail);
	assert_int_equal(tqk_store_version(s), TQK_STORE_VERSION);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);

	/* And on through version 5: the kiosk keeps the whole range of its
	 * width as its block of serials, and its counter where it was. */
	tqk_site site;
	assert_int_equal(tqk_store_site_get(s, &site), TQK_OK);
	assert_int_equal(site.serial_first, 1);
	assert_int_equal(site.serial_last, 999);
	assert_int_equal(raw_int(path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 2);

	/* What version 3 held is all there. */
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_apps_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "c-0042");
	tqk_application a;
	assert_int_equal(tqk_store_app_get(s, "20260000000000", &a), TQK_OK);
	assert_int_equal(a.state, TQK_ST_CONFIRMED);
	assert_int_equal(a.rev, 7);
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(s, OLD_UUID, &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_REJECTED);
	assert_int_equal(it.attempts, 2);
	tqk_outbox_item_clear(&it);

	/* The new tables start empty, the new cursors at the beginning. */
	tqk_plan p;
	assert_int_equal(tqk_store_plan_get(s, &p), TQK_E_STORE_NOT_FOUND);
	int64_t rev = 0;
	assert_int_equal(tqk_store_plan_rev(s, &rev), TQK_OK);
	assert_int_equal(rev, -1);
	tqk_clerk c;
	size_t n = 99;
	assert_int_equal(tqk_store_clerks_list(s, &c, 1, &n), TQK_OK);
	assert_int_equal(n, 0);
	assert_int_equal(tqk_store_updates_cursor(s, cursor), TQK_OK);
	assert_string_equal(cursor, "");

	/* The migrated file works: the quarantined row goes back in line. */
	assert_int_equal(tqk_store_outbox_requeue(s, OLD_UUID, T0), TQK_OK);
	tqk_store_free(s);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name IN"
	                         " ('plan', 'clerks')", NULL), 2);
}

/* A version-3 file that already has a table named clerks: the step fails
 * and leaves the file at version 3, without a plan table. */
static void failed_v4_migration_leaves_v3(void **state)
{
	struct env *e = *state;
	char path[700];
	snprintf(path, sizeof path, "%s/clash.db", e->dir);
	build_v3(path);
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "CREATE TABLE clerks(note TEXT)");
	sqlite3_close(db);

	tqk_store *s = (tqk_store *)&s;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	assert_int_equal(tqk_store_open(path, NULL, &s, detail), TQK_E_STORE_INTERNAL);
	assert_null(s);
	assert_non_null(strstr(detail, "already exists"));
	assert_int_equal(raw_int(path, "PRAGMA user_version", NULL), 3);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'plan'", NULL),
	                 0);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM applications", NULL), 1);
}

/* ---- the plan ---- */

static const char calendar[] =
	"tqk-calendar 1\n"
	"year 2026\n"
	"holiday 2026-10-01..2026-10-07 国庆节\n"
	"workday 2026-10-10 国庆节调休\n";

/* The fixture's plan at revision rev with the calendar above (not owned). */
static tqk_plan plan_of(int64_t rev)
{
	return fixture_plan(rev, calendar);
}

static void assert_plan_equal(const tqk_plan *want, const tqk_plan *got)
{
	assert_int_equal(got->rev, want->rev);
	assert_string_equal(got->site, want->site);
	assert_string_equal(got->site_name, want->site_name);
	assert_string_equal(got->county, want->county);
	assert_int_equal(got->year, want->year);
	assert_int_equal(got->site_no, want->site_no);
	assert_int_equal(got->width, want->width);
	assert_memory_equal(&got->apply_start, &want->apply_start, sizeof want->apply_start);
	assert_memory_equal(&got->apply_end, &want->apply_end, sizeof want->apply_end);
	assert_memory_equal(&got->confirm_start, &want->confirm_start, sizeof want->confirm_start);
	assert_memory_equal(&got->confirm_end, &want->confirm_end, sizeof want->confirm_end);
	assert_int_equal(got->opens, want->opens);
	assert_int_equal(got->closes, want->closes);
	assert_non_null(got->calendar);
	assert_string_equal(got->calendar, want->calendar != NULL ? want->calendar : "");
	for (int i = 0; i < TQK_PLAN_TREES; i++) {
		if (want->trees[i] == NULL)
			assert_null(got->trees[i]);
		else
			assert_string_equal(got->trees[i], want->trees[i]);
	}
	assert_int_equal(got->n_institutions, want->n_institutions);
	for (size_t i = 0; i < want->n_institutions; i++) {
		assert_string_equal(got->institutions[i].name, want->institutions[i].name);
		assert_int_equal(tqk_date_to_day(got->institutions[i].apply_start),
		                 tqk_date_to_day(want->institutions[i].apply_start));
		assert_int_equal(tqk_date_to_day(got->institutions[i].apply_end),
		                 tqk_date_to_day(want->institutions[i].apply_end));
	}
}

static void plan_is_stored_only_when_newer(void **state)
{
	struct env *e = *state;
	tqk_plan got;
	assert_int_equal(tqk_store_plan_get(e->s, &got), TQK_E_STORE_NOT_FOUND);
	assert_null(got.calendar);

	tqk_plan p = plan_of(3);
	p.trees[3] = (char *)"tqk-tree 1 nations\n01 汉族\n";
	bool stored = false;
	assert_int_equal(tqk_store_plan_put(e->s, &p, T0, &stored), TQK_OK);
	assert_true(stored);
	assert_int_equal(tqk_store_plan_get(e->s, &got), TQK_OK);
	assert_plan_equal(&p, &got);
	tqk_plan_clear(&got);
	char end[TQK_STORE_SETTING_CAP];
	assert_int_equal(tqk_store_setting_get(e->s, TQK_PLAN_PERIOD_END_SETTING, end, sizeof end),
	                 TQK_OK);
	assert_string_equal(end, "2026-05-29");
	assert_int_equal(audit_count(e, "plan.store"), 1);

	/* The same revision, or an older one, changes nothing and writes
	 * nothing, even with other content. */
	char *before = raw_dump(e->path);
	for (int64_t rev = 0; rev <= 3; rev++) {
		tqk_plan old = plan_of(rev);
		old.confirm_end = (tqk_date){2026, 6, 30};
		stored = true;
		assert_int_equal(tqk_store_plan_put(e->s, &old, T0 + 60, &stored), TQK_OK);
		assert_false(stored);
	}
	raw_expect_unchanged(e->path, before);

	/* A newer one replaces it, without a calendar too. */
	tqk_plan newer = plan_of(4);
	newer.confirm_end = (tqk_date){2026, 6, 5};
	newer.closes = 17 * 3600;
	newer.calendar = NULL;
	newer.n_institutions = 1;       /* fewer institutions: the others go */
	assert_int_equal(tqk_store_plan_put(e->s, &newer, T0 + 120, &stored), TQK_OK);
	assert_true(stored);
	assert_int_equal(tqk_store_plan_get(e->s, &got), TQK_OK);
	assert_plan_equal(&newer, &got);
	tqk_plan_clear(&got);
	int64_t rev;
	assert_int_equal(tqk_store_plan_rev(e->s, &rev), TQK_OK);
	assert_int_equal(rev, 4);
	assert_int_equal(tqk_store_setting_get(e->s, TQK_PLAN_PERIOD_END_SETTING, end, sizeof end),
	                 TQK_OK);
	assert_string_equal(end, "2026-06-05");
	assert_int_equal(audit_count(e, "plan.store"), 2);
	raw_verify_chain(e->s, e->path);
}

static void bad_plans_are_refused_and_change_nothing(void **state)
{
	struct env *e = *state;
	tqk_plan good = plan_of(1);
	bool stored;
	assert_int_equal(tqk_store_plan_put(e->s, &good, T0, &stored), TQK_OK);
	char *before = raw_dump(e->path);

	static char big[TQK_API_CALENDAR_MAX + 2];
	memset(big, '#', sizeof big - 1);
	static const struct {
		const char *what;
		tqk_err want;
	} cases[] = {
		{"negative rev", TQK_E_ARG},
		{"another site", TQK_E_STORE_SITE},
		{"site not a code", TQK_E_ARG},
		{"no such day", TQK_E_DATE_INVALID},
		{"apply window reversed", TQK_E_PERIOD},
		{"confirmation period reversed", TQK_E_PERIOD},
		{"opens after it closes", TQK_E_HOURS},
		{"closes after midnight", TQK_E_HOURS},
		{"calendar does not parse", TQK_E_CAL_HEADER},
		{"calendar too long", TQK_E_TOO_LONG},
		{"archive year", TQK_E_ARCHIVE_YEAR},
		{"width", TQK_E_ARCHIVE_WIDTH},
		{"name not UTF-8", TQK_E_UTF8},
		{"institution twice", TQK_E_FIELD_VALUE},
		{"institution window reversed", TQK_E_PERIOD},
		{"tree that does not parse", TQK_E_TREE_INDENT},
		{"tree of another kind", TQK_E_FIELD_VALUE},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tqk_plan p = plan_of(10);
		switch (i) {
		case 0: p.rev = -1; break;
		case 1: snprintf(p.site, sizeof p.site, "S02"); break;
		case 2: snprintf(p.site, sizeof p.site, "S 01"); break;
		case 3: p.confirm_end = (tqk_date){2026, 2, 30}; break;
		case 4: p.apply_start = (tqk_date){2026, 5, 11}; break;
		case 5: p.confirm_start = (tqk_date){2026, 5, 30}; break;
		case 6: p.opens = p.closes; break;
		case 7: p.closes = TQK_DAY_SECONDS + 60; break;
		case 8: p.calendar = (char *)"year 2026\n"; break;
		case 9: p.calendar = big; break;
		case 10: p.year = 1900; break;
		case 11: p.width = 9; break;
		case 12: snprintf(p.site_name, sizeof p.site_name, "\xff\xfe"); break;
		case 13: p.institutions[1] = p.institutions[0]; break;
		case 14: p.institutions[2].apply_end = (tqk_date){2026, 2, 1}; break;
		case 15: p.trees[0] = (char *)"tqk-tree 1 authorities\n\t\tdeep\n"; break;
		case 16: p.trees[0] = (char *)"tqk-tree 1 titles\n未评\n"; break;
		}
		stored = true;
		tqk_err err = tqk_store_plan_put(e->s, &p, T0, &stored);
		if (err != cases[i].want)
			fail_msg("%s: %s, not %s", cases[i].what, tqk_err_code(err),
			         tqk_err_code(cases[i].want));
		assert_false(stored);
	}
	raw_expect_unchanged(e->path, before);
}

static void plan_before_the_site_is_set_is_kept(void **state)
{
	struct env *e = *state;
	char path[700];
	snprintf(path, sizeof path, "%s/new.db", e->dir);
	tqk_store_options opt = {.create = true};
	tqk_store *s = NULL;
	assert_int_equal(tqk_store_open(path, &opt, &s, NULL), TQK_OK);
	tqk_plan p = plan_of(1);
	snprintf(p.site, sizeof p.site, "S09");
	bool stored = false;
	assert_int_equal(tqk_store_plan_put(s, &p, T0, &stored), TQK_OK);
	assert_true(stored);
	tqk_plan got;
	assert_int_equal(tqk_store_plan_get(s, &got), TQK_OK);
	assert_string_equal(got.site, "S09");
	tqk_plan_clear(&got);
	tqk_store_free(s);
}

/* ---- clerks ---- */

/* An argon2id hash of pin, at libsodium's cheapest settings (tests only). */
static void hash_pin(const char *pin, char out[TQK_PIN_HASH_CAP])
{
	assert_true(crypto_pwhash_STRBYTES <= TQK_PIN_HASH_CAP);
	assert_int_equal(crypto_pwhash_str_alg(out, pin, strlen(pin), crypto_pwhash_OPSLIMIT_MIN,
	                                       crypto_pwhash_MEMLIMIT_MIN,
	                                       crypto_pwhash_ALG_ARGON2ID13), 0);
}

static tqk_clerk clerk_of(const char *id, const char *name, const char *pin, bool active)
{
	tqk_clerk c = {.active = active};
	snprintf(c.id, sizeof c.id, "%s", id);
	snprintf(c.name, sizeof c.name, "%s", name);
	hash_pin(pin, c.pin_hash);
	return c;
}

static void clerk_list_is_replaced_as_a_whole(void **state)
{
	struct env *e = *state;
	tqk_clerk list[3] = {
		clerk_of("C009", "李芳", "2468", true),
		clerk_of("C007", "王伟", "1357", true),
		clerk_of("C008", "张敏", "9999", false),
	};
	bool changed = false;
	assert_int_equal(tqk_store_clerks_replace(e->s, list, 3, T0, &changed, NULL), TQK_OK);
	assert_true(changed);
	tqk_clerk got[4];
	size_t n = 0;
	assert_int_equal(tqk_store_clerks_list(e->s, got, 4, &n), TQK_OK);
	assert_int_equal(n, 3);
	/* In id order, every member as given. */
	static const int order[] = {1, 2, 0};
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(got[i].id, list[order[i]].id);
		assert_string_equal(got[i].name, list[order[i]].name);
		assert_string_equal(got[i].pin_hash, list[order[i]].pin_hash);
		assert_int_equal(got[i].active, list[order[i]].active);
	}
	/* A smaller cap still counts them all. */
	assert_int_equal(tqk_store_clerks_list(e->s, got, 1, &n), TQK_OK);
	assert_int_equal(n, 3);
	assert_string_equal(got[0].id, "C007");
	assert_int_equal(audit_count(e, "clerks.replace"), 1);

	/* The same list in another order writes nothing. */
	tqk_clerk same[3] = {list[2], list[0], list[1]};
	char *before = raw_dump(e->path);
	assert_int_equal(tqk_store_clerks_replace(e->s, same, 3, T0 + 60, &changed, NULL), TQK_OK);
	assert_false(changed);
	raw_expect_unchanged(e->path, before);

	/* One gone, one disabled: the list is what the server says. */
	tqk_clerk fewer[2] = {list[1], list[0]};
	fewer[1].active = false;
	assert_int_equal(tqk_store_clerks_replace(e->s, fewer, 2, T0 + 120, &changed, NULL), TQK_OK);
	assert_true(changed);
	assert_int_equal(tqk_store_clerk_get(e->s, "C008", &got[0]), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_clerk_get(e->s, "C009", &got[0]), TQK_OK);
	assert_false(got[0].active);
	assert_int_equal(audit_count(e, "clerks.replace"), 2);

	/* An empty list empties it. */
	assert_int_equal(tqk_store_clerks_replace(e->s, NULL, 0, T0 + 180, &changed, NULL), TQK_OK);
	assert_true(changed);
	assert_int_equal(tqk_store_clerks_list(e->s, got, 4, &n), TQK_OK);
	assert_int_equal(n, 0);
	assert_int_equal(audit_count(e, "clerks.replace"), 3);
	/* No PIN hash is in the audit trail. */
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit WHERE detail LIKE '%argon%'",
	                         NULL), 0);
	raw_verify_chain(e->s, e->path);
}

static void bad_clerk_lists_are_refused_and_change_nothing(void **state)
{
	struct env *e = *state;
	tqk_clerk good = clerk_of("C007", "王伟", "1357", true);
	assert_int_equal(tqk_store_clerks_replace(e->s, &good, 1, T0, NULL, NULL), TQK_OK);
	char *before = raw_dump(e->path);
	static const struct {
		const char *what;
		tqk_err want;
	} cases[] = {
		{"id not a code", TQK_E_ARG},
		{"id twice", TQK_E_ARG},
		{"empty name", TQK_E_FIELD_REQUIRED},
		{"name not UTF-8", TQK_E_UTF8},
		{"not argon2id", TQK_E_FIELD_VALUE},
		{"empty id", TQK_E_ARG},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tqk_clerk list[2] = {clerk_of("C010", "赵强", "1111", true), good};
		switch (i) {
		case 0: snprintf(list[1].id, sizeof list[1].id, "C 7"); break;
		case 1: snprintf(list[1].id, sizeof list[1].id, "C010"); break;
		case 2: snprintf(list[1].name, sizeof list[1].name, "  "); break;
		case 3: snprintf(list[1].name, sizeof list[1].name, "\xc3"); break;
		case 4: snprintf(list[1].pin_hash, sizeof list[1].pin_hash, "$2y$10$abcdef"); break;
		case 5: list[1].id[0] = '\0'; break;
		}
		size_t bad = 99;
		bool changed = true;
		tqk_err err = tqk_store_clerks_replace(e->s, list, 2, T0, &changed, &bad);
		if (err != cases[i].want)
			fail_msg("%s: %s, not %s", cases[i].what, tqk_err_code(err),
			         tqk_err_code(cases[i].want));
		assert_int_equal(bad, 1);
		assert_false(changed);
	}
	static tqk_clerk many[TQK_CLERKS_MAX + 1];
	assert_int_equal(tqk_store_clerks_replace(e->s, many, TQK_CLERKS_MAX + 1, T0, NULL, NULL),
	                 TQK_E_TOO_LONG);
	raw_expect_unchanged(e->path, before);
}

static void clerk_pin_is_checked_offline(void **state)
{
	struct env *e = *state;
	tqk_clerk list[2] = {
		clerk_of("C007", "王伟", "135790", true),
		clerk_of("C008", "张敏", "246800", false),
	};
	assert_int_equal(tqk_store_clerks_replace(e->s, list, 2, T0, NULL, NULL), TQK_OK);
	static const struct {
		const char *id, *pin;
		tqk_login want;
	} cases[] = {
		{"C007", "135790", TQK_LOGIN_OK},
		{"C007", "135791", TQK_LOGIN_WRONG_PIN},
		{"C007", "", TQK_LOGIN_WRONG_PIN},
		{"C007", "1357900", TQK_LOGIN_WRONG_PIN},
		/* A disabled account says so only to the right PIN. */
		{"C008", "246800", TQK_LOGIN_INACTIVE},
		{"C008", "000000", TQK_LOGIN_WRONG_PIN},
		{"C999", "135790", TQK_LOGIN_UNKNOWN},
		{"", "135790", TQK_LOGIN_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tqk_login got = 99;
		assert_int_equal(tqk_store_clerk_login(e->s, cases[i].id, cases[i].pin, &got), TQK_OK);
		if (got != cases[i].want)
			fail_msg("%s / %s: %d, not %d", cases[i].id, cases[i].pin, got, cases[i].want);
	}
	char long_pin[TQK_PIN_MAX + 2];
	memset(long_pin, '1', sizeof long_pin - 1);
	long_pin[sizeof long_pin - 1] = '\0';
	tqk_login got;
	assert_int_equal(tqk_store_clerk_login(e->s, "C007", long_pin, &got), TQK_OK);
	assert_int_equal(got, TQK_LOGIN_WRONG_PIN);
}

/* ---- updates ---- */

static tqk_update update_of(int64_t seq, unsigned app, tqk_state st, const char *message)
{
	tqk_update u = {.seq = seq, .state = st, .at = T0};
	snprintf(u.reg_no, sizeof u.reg_no, "2026%010u", app);
	snprintf(u.message, sizeof u.message, "%s", message);
	return u;
}

static tqk_application app_at(const struct env *e, unsigned i)
{
	char reg[TQK_CODE_CAP];
	snprintf(reg, sizeof reg, "2026%010u", i);
	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, reg, &a), TQK_OK);
	return a;
}

/* Confirms application i (complete: state 3) and, when acked, has the
 * server acknowledge it. */
static void confirm_app(struct env *e, unsigned i, bool acked)
{
	tqk_application a;
	fixture_app(i, FIXTURE_SITE, &a);
	tqk_confirmation c;
	fixture_confirmation(a.reg_no, &c);
	assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
	if (!acked)
		return;
	tqk_outbox_item items[APPS];
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(e->s, T0 + 1, APPS, items, &n), TQK_OK);
	for (size_t k = 0; k < n; k++) {
		if (strcmp(items[k].uuid, c.uuid) == 0)
			assert_int_equal(tqk_store_outbox_acked(e->s, items[k].uuid, T0 + 2), TQK_OK);
		else
			assert_int_equal(tqk_store_outbox_retry(e->s, items[k].uuid, "", T0 + 2, T0),
			                 TQK_OK);
		tqk_outbox_item_clear(&items[k]);
	}
}

static void updates_apply_what_the_institution_may_do(void **state)
{
	struct env *e = *state;
	confirm_app(e, 0, true);        /* 3, uploaded */
	confirm_app(e, 1, true);        /* 3, uploaded */
	confirm_app(e, 2, false);       /* 3, waiting for upload */
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "UPDATE applications SET purged = 1 WHERE reg_no = '20260000000005'");
	sqlite3_close(db);

	tqk_update page[] = {
		update_of(1, 0, TQK_ST_INST_INCOMPLETE, "请补交学分登记表。"), /* 3 -> 5 applied */
		update_of(2, 1, TQK_ST_PASSED, ""),                            /* 3 -> 8 applied */
		update_of(3, 2, TQK_ST_PASSED, "合格"),                        /* kept: upload waits */
		update_of(4, 3, TQK_ST_PASSED, ""),                            /* 1 -> 8: not allowed */
		update_of(5, 4, TQK_ST_NONE, "请携带身份证原件。"),            /* message only */
		update_of(6, 5, TQK_ST_WRONG_INSTITUTION, ""),                 /* purged: skipped */
		update_of(7, 999, TQK_ST_NOT_ELIGIBLE, ""),                    /* unknown: skipped */
		update_of(8, 6, TQK_ST_SUBMITTED, ""),                         /* same state: applied */
		update_of(9, 7, TQK_ST_WRONG_INSTITUTION, "请更正注册机构。"), /* 1 -> 4 applied */
	};
	size_t n = sizeof page / sizeof page[0];
	tqk_application before[APPS];
	for (unsigned i = 0; i < APPS; i++)
		before[i] = app_at(e, i);

	tqk_update_stats st;
	assert_int_equal(tqk_store_updates_apply(e->s, page, n, "u-9", T0 + 10, &st, NULL), TQK_OK);
	assert_int_equal(st.applied, 5);
	assert_int_equal(st.kept, 1);
	assert_int_equal(st.skipped, 3);
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_updates_cursor(e->s, cursor), TQK_OK);
	assert_string_equal(cursor, "u-9");

	static const struct {
		tqk_state state;
		const char *message;
	} want[APPS] = {
		{TQK_ST_INST_INCOMPLETE, "请补交学分登记表。"},
		{TQK_ST_PASSED, ""},
		{TQK_ST_CONFIRMED, ""},
		{TQK_ST_SUBMITTED, ""},
		{TQK_ST_SUBMITTED, "请携带身份证原件。"},
		{TQK_ST_SUBMITTED, ""},
		{TQK_ST_SUBMITTED, ""},
		{TQK_ST_WRONG_INSTITUTION, "请更正注册机构。"},
	};
	for (unsigned i = 0; i < APPS; i++) {
		tqk_application a = app_at(e, i);
		if (a.state != want[i].state)
			fail_msg("application %u: state %d, not %d", i, a.state, want[i].state);
		assert_string_equal(a.inst_message, want[i].message);
		/* The revision stays the server's: its next download wins. */
		assert_int_equal(a.rev, before[i].rev);
		assert_string_equal(a.site_message, before[i].site_message);
	}
	assert_int_equal(audit_count(e, "updates.apply"), 1);

	/* Applying the page again changes nothing but what re-applies alike. */
	assert_int_equal(tqk_store_updates_apply(e->s, page, n, "u-9", T0 + 20, &st, NULL), TQK_OK);
	assert_int_equal(st.kept, 1);
	for (unsigned i = 0; i < APPS; i++)
		assert_int_equal(app_at(e, i).state, want[i].state);

	/* An empty page only moves the cursor; NULL keeps it. */
	assert_int_equal(tqk_store_updates_apply(e->s, NULL, 0, "u-10", T0 + 30, &st, NULL), TQK_OK);
	assert_int_equal(st.applied + st.kept + st.skipped, 0);
	assert_int_equal(tqk_store_updates_apply(e->s, NULL, 0, NULL, T0 + 30, &st, NULL), TQK_OK);
	assert_int_equal(tqk_store_updates_cursor(e->s, cursor), TQK_OK);
	assert_string_equal(cursor, "u-10");
	raw_verify_chain(e->s, e->path);
}

static void bad_update_pages_change_nothing(void **state)
{
	struct env *e = *state;
	tqk_update_stats st;
	assert_int_equal(tqk_store_updates_apply(e->s, NULL, 0, "u-1", T0, &st, NULL), TQK_OK);
	char *before = raw_dump(e->path);

	tqk_update page[2] = {update_of(1, 7, TQK_ST_WRONG_INSTITUTION, ""),
	                      update_of(2, 6, (tqk_state)11, "")};
	size_t bad = 99;
	assert_int_equal(tqk_store_updates_apply(e->s, page, 2, "u-2", T0, &st, &bad),
	                 TQK_E_STATE_UNKNOWN);
	assert_int_equal(bad, 1);
	page[1] = update_of(2, 6, TQK_ST_NONE, "a\x01b");
	assert_int_equal(tqk_store_updates_apply(e->s, page, 2, "u-2", T0, &st, &bad),
	                 TQK_E_FIELD_VALUE);
	page[1] = update_of(2, 6, TQK_ST_NONE, "\xe4\xb8");
	assert_int_equal(tqk_store_updates_apply(e->s, page, 2, "u-2", T0, &st, &bad), TQK_E_UTF8);
	char long_cursor[TQK_STORE_CURSOR_CAP + 1];
	memset(long_cursor, 'c', sizeof long_cursor - 1);
	long_cursor[sizeof long_cursor - 1] = '\0';
	assert_int_equal(tqk_store_updates_apply(e->s, page, 1, long_cursor, T0, &st, NULL),
	                 TQK_E_TOO_LONG);
	assert_int_equal(tqk_store_updates_apply(e->s, page, TQK_API_PAGE_MAX + 1, "u-2", T0, &st,
	                                         NULL), TQK_E_TOO_LONG);
	raw_expect_unchanged(e->path, before);
	char cursor[TQK_STORE_CURSOR_CAP];
	assert_int_equal(tqk_store_updates_cursor(e->s, cursor), TQK_OK);
	assert_string_equal(cursor, "u-1");
}

/* ---- the outbox: listing, requeue, reschedule ---- */

/* Queues n confirmations of applications 0..n-1, a minute apart from T0;
 * their uuids into uuids. */
static void queue_n(struct env *e, size_t n, char uuids[][TQK_UUID_CAP])
{
	for (size_t i = 0; i < n; i++) {
		tqk_application a;
		fixture_app((unsigned)i, FIXTURE_SITE, &a);
		tqk_confirmation c;
		fixture_confirmation(a.reg_no, &c);
		c.at = T0 + 60 * (tqk_time)i;
		assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
		memcpy(uuids[i], c.uuid, TQK_UUID_CAP);
	}
}

/* Claims everything due at now and rejects those whose index is in
 * reject (a bitmask), retrying the rest. */
static void answer_all(struct env *e, tqk_time now, unsigned reject, char uuids[][TQK_UUID_CAP],
                       size_t n_uuids)
{
	tqk_outbox_item items[APPS];
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(e->s, now, APPS, items, &n), TQK_OK);
	for (size_t k = 0; k < n; k++) {
		size_t idx = 0;
		while (idx < n_uuids && strcmp(uuids[idx], items[k].uuid) != 0)
			idx++;
		if (reject & (1u << idx)) {
			char why[64];
			snprintf(why, sizeof why, "store.confirmed: record %zu", idx);
			assert_int_equal(tqk_store_outbox_rejected(e->s, items[k].uuid, why, now), TQK_OK);
		} else {
			assert_int_equal(tqk_store_outbox_retry(e->s, items[k].uuid, "net.connect", now,
			                                        now + 3600), TQK_OK);
		}
		tqk_outbox_item_clear(&items[k]);
	}
}

static void outbox_lists_rows_by_state_in_pages(void **state)
{
	struct env *e = *state;
	char uuids[5][TQK_UUID_CAP];
	queue_n(e, 5, uuids);
	answer_all(e, T0 + 600, (1u << 1) | (1u << 3) | (1u << 4), uuids, 5);

	tqk_outbox_item items[8];
	size_t n = 0;
	bool more = true;
	assert_int_equal(tqk_store_outbox_list(e->s, TQK_OUTBOX_REJECTED, NULL, items, 8, &n, &more),
	                 TQK_OK);
	assert_int_equal(n, 3);
	assert_false(more);
	static const int rejected[] = {1, 3, 4};
	for (size_t i = 0; i < n; i++) {
		int k = rejected[i];
		assert_string_equal(items[i].uuid, uuids[k]);
		assert_string_equal(items[i].kind, "confirmation");
		assert_int_equal(items[i].state, TQK_OUTBOX_REJECTED);
		assert_int_equal(items[i].attempts, 1);
		assert_int_equal(items[i].created, T0 + 60 * k);
		char why[64];
		snprintf(why, sizeof why, "store.confirmed: record %d", k);
		assert_string_equal(items[i].last_error, why);
		assert_null(items[i].payload);
		tqk_outbox_item_clear(&items[i]);
	}

	/* Pages of two, then one; an empty "after" starts from the first. */
	assert_int_equal(tqk_store_outbox_list(e->s, TQK_OUTBOX_REJECTED, "", items, 2, &n, &more),
	                 TQK_OK);
	assert_int_equal(n, 2);
	assert_true(more);
	assert_string_equal(items[1].uuid, uuids[3]);
	char after[TQK_UUID_CAP];
	memcpy(after, items[1].uuid, sizeof after);
	assert_int_equal(tqk_store_outbox_list(e->s, TQK_OUTBOX_REJECTED, after, items, 2, &n, &more),
	                 TQK_OK);
	assert_int_equal(n, 1);
	assert_false(more);
	assert_string_equal(items[0].uuid, uuids[4]);

	/* The other states list alike. */
	assert_int_equal(tqk_store_outbox_list(e->s, TQK_OUTBOX_PENDING, NULL, items, 8, &n, &more),
	                 TQK_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].last_error, "net.connect");
	assert_int_equal(items[0].next_attempt, T0 + 4200);
	assert_int_equal(tqk_store_outbox_list(e->s, TQK_OUTBOX_ACKED, NULL, items, 8, &n, &more),
	                 TQK_OK);
	assert_int_equal(n, 0);
	assert_false(more);

	assert_int_equal(tqk_store_outbox_list(e->s, TQK_OUTBOX_STATES, NULL, items, 8, &n, &more),
	                 TQK_E_ARG);
	assert_int_equal(tqk_store_outbox_list(e->s, TQK_OUTBOX_REJECTED,
	                                       "0b6e3d52-3f0e-4c4a-9d8e-5a1c2b3d4e5f", items, 8, &n,
	                                       &more), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(n, 0);
}

static void requeue_puts_a_quarantined_row_back_in_line(void **state)
{
	struct env *e = *state;
	char uuids[3][TQK_UUID_CAP];
	queue_n(e, 3, uuids);
	answer_all(e, T0 + 600, 1u << 1, uuids, 3);

	/* Only a rejected row may be requeued. */
	assert_int_equal(tqk_store_outbox_requeue(e->s, uuids[0], T0 + 700), TQK_E_STORE_OUTBOX);
	assert_int_equal(tqk_store_outbox_requeue(e->s, "0b6e3d52-3f0e-4c4a-9d8e-5a1c2b3d4e5f",
	                                          T0 + 700), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(audit_count(e, "upload.requeue"), 0);

	assert_int_equal(tqk_store_outbox_requeue(e->s, uuids[1], T0 + 700), TQK_OK);
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, uuids[1], &it), TQK_OK);
	assert_int_equal(it.state, TQK_OUTBOX_PENDING);
	assert_int_equal(it.next_attempt, T0 + 700);
	assert_int_equal(it.attempts, 1);
	assert_string_equal(it.last_error, "store.confirmed: record 1");
	tqk_outbox_item_clear(&it);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM outbox WHERE uuid = ?1"
	                         " AND done_at IS NULL", uuids[1]), 1);
	assert_int_equal(audit_count(e, "upload.requeue"), 1);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit WHERE action = 'upload.requeue'"
	                         " AND actor = 'admin' AND subject = ?1", uuids[1]), 1);
	/* Twice is refused: it is pending now. */
	assert_int_equal(tqk_store_outbox_requeue(e->s, uuids[1], T0 + 701), TQK_E_STORE_OUTBOX);

	/* It is claimed at once; the others wait for their next attempt. */
	tqk_outbox_item items[4];
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(e->s, T0 + 700, 4, items, &n), TQK_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].uuid, uuids[1]);
	tqk_outbox_item_clear(&items[0]);
	raw_verify_chain(e->s, e->path);
}

static void reschedule_brings_back_rows_a_fast_clock_put_off(void **state)
{
	struct env *e = *state;
	char uuids[4][TQK_UUID_CAP];
	queue_n(e, 4, uuids);
	/* Committed under a wall clock a day ahead: due only "tomorrow". */
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "UPDATE outbox SET next_attempt = next_attempt + 86400 WHERE id IN (1, 2);"
	             "UPDATE outbox SET next_attempt = next_attempt + 400 WHERE id = 3;"
	             "UPDATE outbox SET state = 3 WHERE id = 4;"
	             "UPDATE outbox SET next_attempt = next_attempt + 86400 WHERE id = 4;");
	sqlite3_close(db);
	tqk_outbox_item items[4];
	size_t n = 0;
	tqk_time now = T0 + 300;
	assert_int_equal(tqk_store_outbox_claim(e->s, now, 4, items, &n), TQK_OK);
	assert_int_equal(n, 0);

	assert_int_equal(tqk_store_outbox_reschedule(e->s, now, 300, &n), TQK_OK);
	assert_int_equal(n, 2);
	/* Within the horizon, and rejected rows, are left as they are. */
	assert_int_equal(raw_int(e->path, "SELECT next_attempt FROM outbox WHERE id = 3", NULL),
	                 T0 + 120 + 400);
	assert_int_equal(raw_int(e->path, "SELECT state FROM outbox WHERE id = 4", NULL), 3);
	assert_int_equal(tqk_store_outbox_claim(e->s, now, 4, items, &n), TQK_OK);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(items[i].uuid, uuids[i]);
		tqk_outbox_item_clear(&items[i]);
	}
	assert_int_equal(tqk_store_outbox_reschedule(e->s, now, 300, &n), TQK_OK);
	assert_int_equal(n, 0);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(v3_file_migrates_to_v4_with_its_data),
		T(failed_v4_migration_leaves_v3),
		T(plan_is_stored_only_when_newer),
		T(bad_plans_are_refused_and_change_nothing),
		T(plan_before_the_site_is_set_is_kept),
		T(clerk_list_is_replaced_as_a_whole),
		T(bad_clerk_lists_are_refused_and_change_nothing),
		T(clerk_pin_is_checked_offline),
		T(updates_apply_what_the_institution_may_do),
		T(bad_update_pages_change_nothing),
		T(outbox_lists_rows_by_state_in_pages),
		T(requeue_puts_a_quarantined_row_back_in_line),
		T(reschedule_brings_back_rows_a_fast_clock_put_off),
	};
	return cmocka_run_group_tests_name("store_sync", tests, NULL, NULL);
}
