/*
 * test_store_confirm.c - committing the site's confirmations to the local
 * store (store/confirm.h): what the store fills in (uuid, site, kiosk, the
 * archive number from consecutive serials of the kiosk's block, which ends
 * in store.serials), what one commit changes (the application's state,
 * message and remark, the upload queue entry whose payload is the stored
 * record, the audit row), corrections that supersede
 * the current confirmation and keep its bag's number, the corrections a
 * confirmation applies to the application, and every refusal, each of which
 * must leave the database file exactly as it was. The append-only rules are
 * checked from a raw SQLite connection, as any other program would see them.
 */
#include "test.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "core/materials.h"
#include "core/state.h"
#include "core/uuid.h"
#include "proto/json.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/purge.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/rawdb.h"

/* A valid uuid that no record in these tests has. */
#define UUID_UNKNOWN "0b6e3d52-3f0e-4c4a-9d8e-5a1c2b3d4e5f"
/* An old 15-digit ID number (430121, born 1980-01-01) and its 18-digit form. */
#define ID15 "430121800101123"
#define ID15_AS_18 "430121198001011232"

/* ---- one scratch directory and store per test ---- */

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

/* The fixture store with applications 0..n-1 of site S01. */
static void open_fixture(struct env *e, size_t n, int width)
{
	assert_int_equal(fixture_store(e->path, n, width, &e->s), TQK_OK);
}

static void reg_of(unsigned i, char out[TQK_CODE_CAP])
{
	tqk_application a;
	fixture_app(i, FIXTURE_SITE, &a);
	memcpy(out, a.reg_no, TQK_CODE_CAP);
}

static tqk_application app_of(struct env *e, unsigned i)
{
	char reg[TQK_CODE_CAP];
	reg_of(i, reg);
	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, reg, &a), TQK_OK);
	return a;
}

/* Stores a (a newer revision of an application, or a new one). */
static void import(struct env *e, const tqk_application *a)
{
	tqk_import_stats stats;
	assert_int_equal(tqk_store_apps_put(e->s, a, 1, NULL, FIXTURE_NOW, &stats, NULL), TQK_OK);
	assert_int_equal(stats.inserted + stats.updated, 1);
}

/* The fixture's complete confirmation of application i. */
static tqk_confirmation conf_of(unsigned i)
{
	char reg[TQK_CODE_CAP];
	reg_of(i, reg);
	tqk_confirmation c;
	fixture_confirmation(reg, &c);
	return c;
}

/* 材料不齐全: the health certificate is missing. */
static tqk_confirmation incomplete_of(unsigned i)
{
	tqk_confirmation c = conf_of(i);
	c.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
	c.conclusion = TQK_CONC_INCOMPLETE;
	snprintf(c.message, sizeof c.message, "请补交身心健康证明。");
	return c;
}

/* 网报未受理, with its reason. */
static tqk_confirmation not_accepted_of(unsigned i)
{
	tqk_confirmation c = conf_of(i);
	c.conclusion = TQK_CONC_NOT_ACCEPTED;
	snprintf(c.remark, sizeof c.remark, "同一身份证号码有两个报名号");
	return c;
}

/* A correction of cur: same application, supersedes it, no uuid yet. */
static tqk_confirmation correction_of(const tqk_confirmation *cur)
{
	tqk_confirmation c;
	fixture_confirmation(cur->reg_no, &c);
	memcpy(c.supersedes, cur->uuid, sizeof c.supersedes);
	c.at = cur->at + 600;
	return c;
}

static void add_correction(tqk_confirmation *c, tqk_field f, const char *old_value,
                           const char *new_value)
{
	assert_true(c->n_corrections < TQK_CORRECTIONS_MAX);
	tqk_correction *k = &c->corrections[c->n_corrections++];
	k->field = f;
	snprintf(k->old_value, sizeof k->old_value, "%s", old_value);
	snprintf(k->new_value, sizeof k->new_value, "%s", new_value);
}

static void confirm_ok(struct env *e, tqk_confirmation *c)
{
	tqk_err err = tqk_store_confirm(e->s, c);
	if (err != TQK_OK)
		fail_msg("confirm %s: %s (%s)", c->reg_no, tqk_err_code(err), tqk_store_detail(e->s));
}

/* What a refused commit must not change. */
struct snap {
	long long confirmations, corrections, outbox, audit, serial_next, state;
	char *dump;
};

static struct snap snap_take(struct env *e, const char *reg_no)
{
	struct snap s = {
		.confirmations = raw_int(e->path, "SELECT count(*) FROM confirmations", NULL),
		.corrections = raw_int(e->path, "SELECT count(*) FROM corrections", NULL),
		.outbox = raw_int(e->path, "SELECT count(*) FROM outbox", NULL),
		.audit = raw_int(e->path, "SELECT count(*) FROM audit", NULL),
		.serial_next = raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL),
		.state = raw_int(e->path, "SELECT state FROM applications WHERE reg_no = ?1", reg_no),
		.dump = raw_dump(e->path),
	};
	return s;
}

static void assert_unchanged(struct env *e, const char *reg_no, struct snap *before)
{
	struct snap after = snap_take(e, reg_no);
	assert_int_equal(after.confirmations, before->confirmations);
	assert_int_equal(after.corrections, before->corrections);
	assert_int_equal(after.outbox, before->outbox);
	assert_int_equal(after.audit, before->audit);
	assert_int_equal(after.serial_next, before->serial_next);
	assert_int_equal(after.state, before->state);
	assert_string_equal(after.dump, before->dump);
	free(after.dump);
	free(before->dump);
	before->dump = NULL;
}

/* Commits c expecting want, and checks that the file did not change. */
static void confirm_refused(struct env *e, tqk_confirmation *c, tqk_err want)
{
	tqk_confirmation copy = *c;
	struct snap before = snap_take(e, c->reg_no);
	tqk_err got = tqk_store_confirm(e->s, c);
	if (got != want)
		fail_msg("confirm %s: %s, expected %s", c->reg_no, tqk_err_code(got), tqk_err_code(want));
	/* The caller's struct is untouched on failure too. */
	assert_memory_equal(c, &copy, sizeof copy);
	assert_unchanged(e, c->reg_no, &before);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(e->s, &rep), TQK_OK);
}

static void assert_conf_equal(const tqk_confirmation *a, const tqk_confirmation *b)
{
	assert_string_equal(a->uuid, b->uuid);
	assert_string_equal(a->supersedes, b->supersedes);
	assert_string_equal(a->reg_no, b->reg_no);
	assert_string_equal(a->site, b->site);
	assert_string_equal(a->kiosk, b->kiosk);
	assert_string_equal(a->clerk, b->clerk);
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		assert_int_equal(a->marks.mark[m], b->marks.mark[m]);
	assert_int_equal(a->police_required, b->police_required);
	assert_int_equal(a->n_corrections, b->n_corrections);
	for (size_t i = 0; i < a->n_corrections; i++) {
		assert_int_equal(a->corrections[i].field, b->corrections[i].field);
		assert_string_equal(a->corrections[i].old_value, b->corrections[i].old_value);
		assert_string_equal(a->corrections[i].new_value, b->corrections[i].new_value);
	}
	assert_int_equal(a->conclusion, b->conclusion);
	assert_string_equal(a->remark, b->remark);
	assert_string_equal(a->message, b->message);
	assert_string_equal(a->archive_no, b->archive_no);
	assert_int_equal(a->at, b->at);
	assert_int_equal(a->time_source, b->time_source);
}

/* ---- what a commit fills in and changes ---- */

static void complete_confirmation_is_filled_in(void **state)
{
	struct env *e = *state;
	open_fixture(e, 3, 0);
	tqk_confirmation c = conf_of(0);
	snprintf(c.message, sizeof c.message, "材料已收齐，请等待审批。");
	snprintf(c.remark, sizeof c.remark, "证书原件已核验");
	assert_string_equal(c.uuid, "");
	assert_string_equal(c.site, "");
	assert_string_equal(c.kiosk, "");
	confirm_ok(e, &c);

	assert_true(tqk_uuid_valid(c.uuid));
	assert_string_equal(c.site, FIXTURE_SITE);
	assert_string_equal(c.kiosk, FIXTURE_KIOSK);
	assert_string_equal(c.archive_no, "CSX202601001");
	/* What the clerk decided comes back as given. */
	assert_string_equal(c.clerk, FIXTURE_CLERK);
	assert_int_equal(c.conclusion, TQK_CONC_COMPLETE);
	assert_int_equal(c.at, FIXTURE_NOW);

	tqk_application a = app_of(e, 0);
	assert_int_equal(a.state, TQK_ST_CONFIRMED);
	assert_string_equal(a.site_message, "材料已收齐，请等待审批。");
	assert_string_equal(a.remark, "证书原件已核验");
	/* The other applications are untouched. */
	assert_int_equal(app_of(e, 1).state, TQK_ST_SUBMITTED);

	/* Two confirmations never share a uuid. */
	tqk_confirmation d = conf_of(1);
	confirm_ok(e, &d);
	assert_true(tqk_uuid_valid(d.uuid));
	assert_string_not_equal(c.uuid, d.uuid);
}

static void given_site_and_kiosk_are_accepted(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_confirmation c = conf_of(0);
	snprintf(c.site, sizeof c.site, FIXTURE_SITE);
	snprintf(c.kiosk, sizeof c.kiosk, FIXTURE_KIOSK);
	snprintf(c.uuid, sizeof c.uuid, UUID_UNKNOWN);
	/* The archive number is the store's to give, whatever comes in. */
	snprintf(c.archive_no, sizeof c.archive_no, "CSX202601999");
	confirm_ok(e, &c);
	assert_string_equal(c.archive_no, "CSX202601001");
	/* A uuid given by the caller is kept. */
	assert_string_equal(c.uuid, UUID_UNKNOWN);
	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_get(e->s, UUID_UNKNOWN, &got), TQK_OK);
	assert_string_equal(got.reg_no, c.reg_no);
}

static void archive_serials_are_consecutive(void **state)
{
	struct env *e = *state;
	open_fixture(e, 4, 0);
	static const char *const want[] = {"CSX202601001", "CSX202601002", "CSX202601003"};
	for (unsigned i = 0; i < 3; i++) {
		tqk_confirmation c = i == 1 ? incomplete_of(i) : conf_of(i);
		confirm_ok(e, &c);
		assert_string_equal(c.archive_no, want[i]);
		char stored[64];
		assert_true(raw_text(e->path, "SELECT archive_no FROM confirmations WHERE uuid = ?1",
		                     c.uuid, stored, sizeof stored));
		assert_string_equal(stored, want[i]);
		assert_int_equal(raw_int(e->path, "SELECT serial FROM confirmations WHERE uuid = ?1",
		                         c.uuid), i + 1);
	}
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 4);
}

static void incomplete_confirmation_puts_state_2(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_confirmation c = incomplete_of(0);
	snprintf(c.remark, sizeof c.remark, "体检报告过期");
	confirm_ok(e, &c);
	assert_string_equal(c.archive_no, "CSX202601001");
	tqk_application a = app_of(e, 0);
	assert_int_equal(a.state, TQK_ST_SITE_INCOMPLETE);
	assert_string_equal(a.site_message, "请补交身心健康证明。");
	assert_string_equal(a.remark, "体检报告过期");

	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_current(e->s, c.reg_no, &got), TQK_OK);
	assert_int_equal(got.marks.mark[TQK_MAT_HEALTH], TQK_MARK_LACKS);
	assert_int_equal(got.marks.mark[TQK_MAT_FORM], TQK_MARK_HAS);
	assert_int_equal(got.marks.mark[TQK_MAT_POLICE], TQK_MARK_NA);
	assert_int_equal(got.conclusion, TQK_CONC_INCOMPLETE);
}

static void not_accepted_takes_no_serial(void **state)
{
	struct env *e = *state;
	open_fixture(e, 3, 0);
	tqk_confirmation a = conf_of(0), b = not_accepted_of(1), c = conf_of(2);
	confirm_ok(e, &a);
	confirm_ok(e, &b);
	confirm_ok(e, &c);
	assert_string_equal(a.archive_no, "CSX202601001");
	assert_string_equal(b.archive_no, "");
	/* No gap: the next bag continues the sequence. */
	assert_string_equal(c.archive_no, "CSX202601002");
	assert_int_equal(raw_int(e->path, "SELECT serial IS NULL FROM confirmations WHERE uuid = ?1",
	                         b.uuid), 1);
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 3);

	tqk_application app = app_of(e, 1);
	assert_int_equal(app.state, TQK_ST_NOT_ACCEPTED);
	assert_string_equal(app.remark, "同一身份证号码有两个报名号");
	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_get(e->s, b.uuid, &got), TQK_OK);
	assert_string_equal(got.archive_no, "");
	assert_int_equal(got.conclusion, TQK_CONC_NOT_ACCEPTED);
}

static void not_accepted_without_reason_is_refused(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_confirmation c = not_accepted_of(0);
	snprintf(c.remark, sizeof c.remark, "   ");
	confirm_refused(e, &c, TQK_E_MAT_REASON);
}

static void outbox_holds_the_record(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM outbox", NULL), 0);
	tqk_confirmation c = conf_of(0);
	snprintf(c.message, sizeof c.message, "请带好身份证原件");
	c.time_source = TQK_TIME_ANCHORED;
	confirm_ok(e, &c);

	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM outbox", NULL), 1);
	tqk_outbox_counts counts;
	assert_int_equal(tqk_store_outbox_counts(e->s, &counts), TQK_OK);
	assert_int_equal(counts.n[TQK_OUTBOX_PENDING], 1);
	assert_int_equal(counts.n[TQK_OUTBOX_SENDING] + counts.n[TQK_OUTBOX_ACKED] +
	                 counts.n[TQK_OUTBOX_REJECTED], 0);
	assert_int_equal(counts.oldest_pending, c.at);

	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, c.uuid, &it), TQK_OK);
	assert_string_equal(it.uuid, c.uuid);
	assert_string_equal(it.kind, "confirmation");
	assert_int_equal(it.state, TQK_OUTBOX_PENDING);
	assert_int_equal(it.attempts, 0);
	assert_int_equal(it.created, c.at);
	assert_int_equal(it.next_attempt, c.at);
	assert_string_equal(it.last_error, "");

	json_t *obj = NULL;
	assert_int_equal(tqk_json_parse(it.payload, strlen(it.payload), &obj, NULL, 0), TQK_OK);
	tqk_confirmation sent;
	const char *bad = NULL;
	tqk_err err = tqk_json_confirmation_decode(obj, tqk_time_date(c.at), &sent, &bad);
	if (err != TQK_OK)
		fail_msg("payload does not decode: %s at %s", tqk_err_code(err), bad ? bad : "?");
	json_decref(obj);
	tqk_outbox_item_clear(&it);

	tqk_confirmation stored;
	assert_int_equal(tqk_store_confirmation_get(e->s, c.uuid, &stored), TQK_OK);
	assert_conf_equal(&sent, &stored);
	assert_conf_equal(&sent, &c);
}

static void audit_row_and_chain(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	long long before = raw_int(e->path, "SELECT count(*) FROM audit", NULL);
	assert_true(before >= 1);
	tqk_confirmation c = conf_of(0);
	confirm_ok(e, &c);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit", NULL), before + 1);

	char text[300];
	assert_true(raw_text(e->path, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     text, sizeof text));
	assert_string_equal(text, "confirm");
	assert_true(raw_text(e->path, "SELECT subject FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     text, sizeof text));
	assert_string_equal(text, c.uuid);
	assert_true(raw_text(e->path, "SELECT actor FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     text, sizeof text));
	assert_string_equal(text, FIXTURE_KIOSK "/" FIXTURE_CLERK);
	assert_true(raw_text(e->path, "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     text, sizeof text));
	assert_non_null(strstr(text, "CSX202601001"));
	assert_int_equal(raw_int(e->path, "SELECT at FROM audit ORDER BY seq DESC LIMIT 1", NULL),
	                 c.at);
	raw_verify_chain(e->s, e->path);
}

/* ---- refusals leave nothing behind ---- */

static void not_set_up_leaves_nothing(void **state)
{
	struct env *e = *state;
	tqk_store_options opt = {.create = true};
	assert_int_equal(tqk_store_open(e->path, &opt, &e->s, NULL), TQK_OK);
	tqk_application a;
	fixture_app(0, FIXTURE_SITE, &a);
	import(e, &a);
	tqk_confirmation c = conf_of(0);
	confirm_refused(e, &c, TQK_E_STORE_NOT_SETUP);
	assert_int_equal(app_of(e, 0).state, TQK_ST_SUBMITTED);
}

static void wrong_site_or_kiosk_leaves_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_confirmation c = conf_of(0);
	snprintf(c.site, sizeof c.site, "S02");
	confirm_refused(e, &c, TQK_E_STORE_SITE);

	c = conf_of(0);
	snprintf(c.kiosk, sizeof c.kiosk, "K99");
	confirm_refused(e, &c, TQK_E_STORE_SITE);

	/* The right ones still commit. */
	c = conf_of(0);
	confirm_ok(e, &c);
	assert_string_equal(c.archive_no, "CSX202601001");
}

static void unknown_application_leaves_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_confirmation c;
	fixture_confirmation("2026999999999", &c);
	confirm_refused(e, &c, TQK_E_STORE_NOT_FOUND);
}

static void purged_application_leaves_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	tqk_purge_stats st;
	tqk_day end = tqk_date_to_day(tqk_time_date(FIXTURE_NOW));
	assert_int_equal(tqk_store_purge(e->s, end, TQK_RETENTION_DAYS_DEFAULT, end + 60,
	                                 FIXTURE_NOW + 60 * 86400, &st), TQK_OK);
	assert_int_equal(st.applications, 2);
	assert_true(app_of(e, 0).purged);
	tqk_confirmation c = conf_of(0);
	confirm_refused(e, &c, TQK_E_STORE_NOT_FOUND);
}

static void conclusion_against_marks_leaves_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	/* Everything present, yet 材料不齐全. */
	tqk_confirmation c = conf_of(0);
	c.conclusion = TQK_CONC_INCOMPLETE;
	confirm_refused(e, &c, TQK_E_MAT_CONCLUSION);
	/* Something missing, yet 材料齐全. */
	c = conf_of(0);
	c.marks.mark[TQK_MAT_ANNUAL] = TQK_MARK_LACKS;
	confirm_refused(e, &c, TQK_E_MAT_CONCLUSION);
	/* An unmarked material. */
	c = conf_of(0);
	c.marks.mark[TQK_MAT_ETHICS] = TQK_MARK_UNSET;
	confirm_refused(e, &c, TQK_E_MAT_UNMARKED);
}

static void uuid_taken_leaves_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	tqk_confirmation c = conf_of(0);
	confirm_ok(e, &c);
	/* The same struct again is a retry: the stored record, nothing new. */
	tqk_confirmation retry = c;
	retry.archive_no[0] = '\0';
	struct snap before = snap_take(e, c.reg_no);
	assert_int_equal(tqk_store_confirm(e->s, &retry), TQK_OK);
	assert_conf_equal(&retry, &c);
	assert_unchanged(e, c.reg_no, &before);
	/* The same uuid with anything else in it is refused. */
	retry = c;
	snprintf(retry.message, sizeof retry.message, "请补交");
	confirm_refused(e, &retry, TQK_E_STORE_EXISTS);
	retry = c;
	retry.at++;
	confirm_refused(e, &retry, TQK_E_STORE_EXISTS);
	/* The same uuid on another application's confirmation. */
	tqk_confirmation d = conf_of(1);
	memcpy(d.uuid, c.uuid, sizeof d.uuid);
	confirm_refused(e, &d, TQK_E_STORE_EXISTS);
	assert_int_equal(app_of(e, 1).state, TQK_ST_SUBMITTED);
}

static void second_first_confirmation_is_refused(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	tqk_confirmation c = conf_of(0);
	confirm_ok(e, &c);
	tqk_confirmation again = incomplete_of(0);
	confirm_refused(e, &again, TQK_E_STORE_CONFIRMED);
	tqk_confirmation cur;
	assert_int_equal(tqk_store_confirmation_current(e->s, c.reg_no, &cur), TQK_OK);
	assert_string_equal(cur.uuid, c.uuid);
	assert_int_equal(app_of(e, 0).state, TQK_ST_CONFIRMED);

	/* 网报未受理 is a confirmation of record too: supersede it instead. */
	tqk_confirmation n = not_accepted_of(1);
	confirm_ok(e, &n);
	again = conf_of(1);
	confirm_refused(e, &again, TQK_E_STORE_CONFIRMED);
	assert_int_equal(app_of(e, 1).state, TQK_ST_NOT_ACCEPTED);
}

/* ---- corrections of a confirmation ---- */

static void correction_keeps_the_archive_number(void **state)
{
	struct env *e = *state;
	open_fixture(e, 3, 0);
	tqk_confirmation a = conf_of(0), b = conf_of(1);
	confirm_ok(e, &a);
	confirm_ok(e, &b);
	long long next = raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL);
	assert_int_equal(next, 3);

	tqk_confirmation k = correction_of(&a);
	k.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
	k.conclusion = TQK_CONC_INCOMPLETE;
	snprintf(k.message, sizeof k.message, "体检证明缺失，请补交");
	confirm_ok(e, &k);
	assert_true(tqk_uuid_valid(k.uuid));
	assert_string_not_equal(k.uuid, a.uuid);
	assert_string_equal(k.supersedes, a.uuid);
	assert_string_equal(k.archive_no, "CSX202601001");
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), next);
	assert_int_equal(raw_int(e->path, "SELECT serial IS NULL FROM confirmations WHERE uuid = ?1",
	                         k.uuid), 1);

	tqk_application app = app_of(e, 0);
	assert_int_equal(app.state, TQK_ST_SITE_INCOMPLETE);
	assert_string_equal(app.site_message, "体检证明缺失，请补交");

	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, k.uuid, &it), TQK_OK);
	assert_string_equal(it.kind, "correction");
	assert_int_equal(it.state, TQK_OUTBOX_PENDING);
	tqk_outbox_item_clear(&it);
	/* The corrected one stays queued as it was. */
	assert_int_equal(tqk_store_outbox_get(e->s, a.uuid, &it), TQK_OK);
	assert_string_equal(it.kind, "confirmation");
	tqk_outbox_item_clear(&it);

	tqk_confirmation cur, old;
	assert_int_equal(tqk_store_confirmation_current(e->s, a.reg_no, &cur), TQK_OK);
	assert_conf_equal(&cur, &k);
	assert_int_equal(tqk_store_confirmation_get(e->s, a.uuid, &old), TQK_OK);
	assert_conf_equal(&old, &a);

	char action[64];
	assert_true(raw_text(e->path, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     action, sizeof action));
	assert_string_equal(action, "correct");
	raw_verify_chain(e->s, e->path);

	/* A correction of the correction, then the next new bag: no gap. */
	tqk_confirmation k2 = correction_of(&k);
	confirm_ok(e, &k2);
	assert_string_equal(k2.archive_no, "CSX202601001");
	assert_int_equal(app_of(e, 0).state, TQK_ST_CONFIRMED);
	tqk_confirmation c = conf_of(2);
	confirm_ok(e, &c);
	assert_string_equal(c.archive_no, "CSX202601003");
}

static void correction_of_not_accepted_takes_a_serial(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	tqk_confirmation a = conf_of(0), n = not_accepted_of(1);
	confirm_ok(e, &a);
	confirm_ok(e, &n);
	assert_string_equal(n.archive_no, "");
	/* The duplicate was resolved: now it fills a bag. */
	tqk_confirmation k = correction_of(&n);
	confirm_ok(e, &k);
	assert_string_equal(k.archive_no, "CSX202601002");
	assert_int_equal(app_of(e, 1).state, TQK_ST_CONFIRMED);
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 3);
}

static void supersede_errors_leave_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 3, 0);
	tqk_confirmation a = conf_of(0), b = conf_of(1);
	confirm_ok(e, &a);
	confirm_ok(e, &b);
	tqk_confirmation k = correction_of(&a);
	confirm_ok(e, &k);

	/* a is no longer current. */
	tqk_confirmation x = correction_of(&a);
	confirm_refused(e, &x, TQK_E_STORE_SUPERSEDE);
	/* No such confirmation. */
	x = conf_of(0);
	snprintf(x.supersedes, sizeof x.supersedes, UUID_UNKNOWN);
	confirm_refused(e, &x, TQK_E_STORE_SUPERSEDE);
	/* Another application's current confirmation. */
	x = conf_of(0);
	memcpy(x.supersedes, b.uuid, sizeof x.supersedes);
	confirm_refused(e, &x, TQK_E_STORE_SUPERSEDE);
	/* An application without any confirmation cannot supersede b either. */
	x = conf_of(2);
	memcpy(x.supersedes, b.uuid, sizeof x.supersedes);
	confirm_refused(e, &x, TQK_E_STORE_SUPERSEDE);
	/* Superseding oneself is refused by the checks. */
	x = correction_of(&k);
	memcpy(x.uuid, k.uuid, sizeof x.uuid);
	confirm_refused(e, &x, TQK_E_UUID);
}

static void stale_correction_leaves_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_application app = app_of(e, 0);
	tqk_confirmation c = conf_of(0);
	add_correction(&c, TQK_F_NAME, "欧阳娜", "欧阳娜娜");
	confirm_refused(e, &c, TQK_E_STORE_STALE);

	/* One good correction and one stale one: neither is applied. */
	c = conf_of(0);
	add_correction(&c, TQK_F_SCHOOL, app.school, "长沙县实验小学");
	add_correction(&c, TQK_F_EMAIL, "old@example.cn", "new@example.cn");
	confirm_refused(e, &c, TQK_E_STORE_STALE);
	tqk_application after = app_of(e, 0);
	assert_string_equal(after.school, app.school);
	assert_string_equal(after.email, app.email);

	/* A correction superseding the current one is checked the same way. */
	c = conf_of(0);
	confirm_ok(e, &c);
	tqk_confirmation k = correction_of(&c);
	add_correction(&k, TQK_F_TITLE, "高级教师", "一级教师");
	confirm_refused(e, &k, TQK_E_STORE_STALE);
}

static void corrections_are_applied(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	tqk_application before = app_of(e, 0);
	tqk_confirmation c = conf_of(0);
	c.police_required = true;
	c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_HAS;
	add_correction(&c, TQK_F_NAME, before.name, "欧阳晓明");
	add_correction(&c, TQK_F_ID_NUMBER, before.id_number, ID15);
	confirm_ok(e, &c);

	tqk_application after = app_of(e, 0);
	assert_string_equal(after.name, "欧阳晓明");
	/* The old 15-digit form is stored normalised. */
	assert_string_equal(after.id_number, ID15_AS_18);
	/* Fields not corrected keep their values. */
	assert_string_equal(after.cert_name, before.cert_name);
	assert_string_equal(after.cert_no, before.cert_no);
	assert_string_equal(after.school, before.school);
	assert_int_equal(after.state, TQK_ST_CONFIRMED);

	/* The look-ups follow the new values. */
	tqk_application found[2];
	size_t n = 99;
	assert_int_equal(tqk_store_find_id(e->s, ID15_AS_18, found, 2, &n), TQK_OK);
	assert_int_equal(n, 1);
	assert_string_equal(found[0].reg_no, before.reg_no);
	assert_int_equal(tqk_store_find_id(e->s, before.id_number, found, 2, &n), TQK_OK);
	assert_int_equal(n, 0);

	/* The record keeps what the clerk wrote, old value and new. */
	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_get(e->s, c.uuid, &got), TQK_OK);
	assert_int_equal(got.n_corrections, 2);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM corrections", NULL), 2);

	/* A later correction must start from the corrected values. */
	tqk_confirmation k = correction_of(&c);
	add_correction(&k, TQK_F_NAME, before.name, "欧阳明");
	confirm_refused(e, &k, TQK_E_STORE_STALE);
	k = correction_of(&c);
	add_correction(&k, TQK_F_NAME, "欧阳晓明", "欧阳明");
	confirm_ok(e, &k);
	assert_string_equal(app_of(e, 0).name, "欧阳明");
}

static void invalid_correction_value_leaves_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_application app = app_of(e, 0);
	tqk_confirmation c = conf_of(0);
	/* The check character is wrong. */
	char bad_id[TQK_ID_LEN + 1];
	memcpy(bad_id, ID15_AS_18, sizeof bad_id);
	bad_id[17] = bad_id[17] == '0' ? '1' : '0';
	add_correction(&c, TQK_F_ID_NUMBER, app.id_number, bad_id);
	confirm_refused(e, &c, TQK_E_ID_CHECKSUM);
}

static void site_correction_brings_an_application_here(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_application other;
	fixture_app(100, "S02", &other);
	import(e, &other);

	/* Another site's application, as it is. */
	tqk_confirmation c;
	fixture_confirmation(other.reg_no, &c);
	confirm_refused(e, &c, TQK_E_STORE_SITE);

	/* Moving this site's application away is refused too. */
	tqk_confirmation away = conf_of(0);
	add_correction(&away, TQK_F_SITE, FIXTURE_SITE, "S02");
	confirm_refused(e, &away, TQK_E_STORE_SITE);

	/* Corrected to this site, it is confirmed here. */
	fixture_confirmation(other.reg_no, &c);
	add_correction(&c, TQK_F_SITE, "S02", FIXTURE_SITE);
	confirm_ok(e, &c);
	assert_string_equal(c.archive_no, "CSX202601001");
	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, other.reg_no, &a), TQK_OK);
	assert_string_equal(a.site, FIXTURE_SITE);
	assert_int_equal(a.state, TQK_ST_CONFIRMED);

	/* It now shows in this site's list. */
	tqk_page page;
	assert_int_equal(tqk_store_page(e->s, TQK_ST_NONE, other.reg_no, NULL, &page), TQK_OK);
	assert_int_equal(page.n, 1);
	assert_string_equal(page.rows[0].reg_no, other.reg_no);
}

static void refused_transitions_leave_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	/* 5: the institution found materials missing; 8: registered. */
	tqk_application a;
	fixture_app(0, FIXTURE_SITE, &a);
	a.state = TQK_ST_INST_INCOMPLETE;
	a.rev = 2;
	import(e, &a);
	fixture_app(1, FIXTURE_SITE, &a);
	a.state = TQK_ST_PASSED;
	a.rev = 2;
	import(e, &a);
	assert_int_equal(app_of(e, 0).state, TQK_ST_INST_INCOMPLETE);
	assert_int_equal(app_of(e, 1).state, TQK_ST_PASSED);

	for (unsigned i = 0; i < 2; i++) {
		tqk_confirmation c = conf_of(i);
		confirm_refused(e, &c, TQK_E_STATE_TRANSITION);
		c = incomplete_of(i);
		confirm_refused(e, &c, TQK_E_STATE_TRANSITION);
		c = not_accepted_of(i);
		confirm_refused(e, &c, TQK_E_STATE_TRANSITION);
	}
	assert_int_equal(app_of(e, 0).state, TQK_ST_INST_INCOMPLETE);
	assert_int_equal(app_of(e, 1).state, TQK_ST_PASSED);
}

static void correction_after_the_institution_acted_is_refused(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_confirmation c = conf_of(0);
	confirm_ok(e, &c);
	/* Uploaded and acknowledged, then the institution moves it to 5. */
	tqk_outbox_item it;
	size_t n;
	assert_int_equal(tqk_store_outbox_claim(e->s, FIXTURE_NOW, 1, &it, &n), TQK_OK);
	assert_int_equal(n, 1);
	tqk_outbox_item_clear(&it);
	assert_int_equal(tqk_store_outbox_acked(e->s, c.uuid, FIXTURE_NOW + 5), TQK_OK);
	tqk_application a = app_of(e, 0);
	a.state = TQK_ST_INST_INCOMPLETE;
	a.rev = 2;
	import(e, &a);
	tqk_confirmation k = correction_of(&c);
	confirm_refused(e, &k, TQK_E_STATE_TRANSITION);
}

static void serials_exhausted_leave_nothing(void **state)
{
	struct env *e = *state;
	open_fixture(e, 12, 1);
	tqk_confirmation first = conf_of(0);
	for (unsigned i = 0; i < 9; i++) {
		tqk_confirmation c = i == 0 ? first : conf_of(i);
		confirm_ok(e, &c);
		char want[16];
		snprintf(want, sizeof want, "CSX20260%u%u", 1u, i + 1);
		assert_string_equal(c.archive_no, want);
		if (i == 0)
			first = c;
	}
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 10);
	tqk_confirmation c = conf_of(9);
	confirm_refused(e, &c, TQK_E_STORE_SERIALS);
	c = incomplete_of(9);
	confirm_refused(e, &c, TQK_E_STORE_SERIALS);
	assert_int_equal(app_of(e, 9).state, TQK_ST_SUBMITTED);

	/* What needs no new serial still works. */
	c = not_accepted_of(10);
	confirm_ok(e, &c);
	assert_string_equal(c.archive_no, "");
	tqk_confirmation k = correction_of(&first);
	confirm_ok(e, &k);
	assert_string_equal(k.archive_no, "CSX2026011");
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 10);
}

/*
 * A kiosk with a block of the site's serials numbers from the block's start
 * and stops at its end (SPEC §3: two kiosks of one site never write the
 * same number): the refusal leaves nothing, and a block that grows at its
 * end goes on where it stopped. The block's start and a shrinking end are
 * fixed once a confirmation exists.
 */
static void serials_come_from_the_kiosks_block(void **state)
{
	struct env *e = *state;
	open_fixture(e, 6, 0);
	tqk_site site;
	assert_int_equal(tqk_store_site_get(e->s, &site), TQK_OK);
	assert_int_equal(site.serial_first, 1);
	assert_int_equal(site.serial_last, 999);
	site.serial_first = 500;
	site.serial_last = 501;
	assert_int_equal(tqk_store_site_set(e->s, &site, FIXTURE_NOW), TQK_OK);
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 500);

	static const char *const want[] = {"CSX202601500", "CSX202601501"};
	for (unsigned i = 0; i < 2; i++) {
		tqk_confirmation c = conf_of(i);
		confirm_ok(e, &c);
		assert_string_equal(c.archive_no, want[i]);
	}
	tqk_confirmation c = conf_of(2);
	confirm_refused(e, &c, TQK_E_STORE_SERIALS);
	assert_int_equal(app_of(e, 2).state, TQK_ST_SUBMITTED);

	/* Fixed now: the start, a shrinking end; growing the end is fine. */
	tqk_site bad = site;
	bad.serial_first = 499;
	assert_int_equal(tqk_store_site_set(e->s, &bad, FIXTURE_NOW), TQK_E_STORE_SITE);
	bad = site;
	bad.serial_last = 500;
	assert_int_equal(tqk_store_site_set(e->s, &bad, FIXTURE_NOW), TQK_E_STORE_SITE);
	site.serial_last = 502;
	assert_int_equal(tqk_store_site_set(e->s, &site, FIXTURE_NOW), TQK_OK);
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 502);
	confirm_ok(e, &c);
	assert_string_equal(c.archive_no, "CSX202601502");
	tqk_site got;
	assert_int_equal(tqk_store_site_get(e->s, &got), TQK_OK);
	assert_int_equal(got.serial_first, 500);
	assert_int_equal(got.serial_last, 502);
}

/* A block must lie in 1..10^width - 1, first before last; 0..0 is the
 * whole range. A refused block changes nothing. */
static void serial_blocks_out_of_range_are_refused(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_site site;
	assert_int_equal(tqk_store_site_get(e->s, &site), TQK_OK);
	static const unsigned bad[][2] = {{0, 5}, {5, 0}, {6, 5}, {1, 1000}, {1000, 1000}};
	char *before = raw_dump(e->path);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_site b = site;
		b.serial_first = bad[i][0];
		b.serial_last = bad[i][1];
		assert_int_equal(tqk_store_site_set(e->s, &b, FIXTURE_NOW), TQK_E_ARCHIVE_SERIAL);
	}
	raw_expect_unchanged(e->path, before);

	tqk_site one = site;
	one.serial_first = one.serial_last = 999;
	assert_int_equal(tqk_store_site_set(e->s, &one, FIXTURE_NOW), TQK_OK);
	tqk_site whole = site;
	whole.width = 4;
	whole.serial_first = whole.serial_last = 0;
	assert_int_equal(tqk_store_site_set(e->s, &whole, FIXTURE_NOW), TQK_OK);
	tqk_site got;
	assert_int_equal(tqk_store_site_get(e->s, &got), TQK_OK);
	assert_int_equal(got.serial_first, 1);
	assert_int_equal(got.serial_last, 9999);
	assert_int_equal(raw_int(e->path, "SELECT next FROM serials WHERE site = 'S01'", NULL), 1);
}

/* ---- reading confirmations back ---- */

static void get_and_current_round_trip(void **state)
{
	struct env *e = *state;
	open_fixture(e, 2, 0);
	tqk_application app = app_of(e, 0);
	tqk_confirmation c = conf_of(0);
	c.police_required = true;
	c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_LACKS;
	c.marks.mark[TQK_MAT_OTHER] = TQK_MARK_LACKS;
	c.conclusion = TQK_CONC_INCOMPLETE;
	c.time_source = TQK_TIME_LOCAL;
	c.at = FIXTURE_NOW + 3661;
	snprintf(c.clerk, sizeof c.clerk, "C-042_b");
	snprintf(c.remark, sizeof c.remark, "姓名与证书不一致，需公安证明");
	snprintf(c.message, sizeof c.message, "请补交公安机关证明及本省规定的继续教育证明。");
	/* In the form's order, which is not the codes' alphabetical order. */
	add_correction(&c, TQK_F_NATION, app.nation, "回族");
	add_correction(&c, TQK_F_CERT_NAME, app.cert_name, "王大伟");
	add_correction(&c, TQK_F_SCHOOL, app.school, "长沙县星沙实验学校");
	add_correction(&c, TQK_F_WORK_START, app.work_start, "2009-09-01");
	confirm_ok(e, &c);

	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_get(e->s, c.uuid, &got), TQK_OK);
	assert_conf_equal(&got, &c);
	assert_int_equal(tqk_store_confirmation_current(e->s, c.reg_no, &got), TQK_OK);
	assert_conf_equal(&got, &c);

	/* A correction becomes current; both still read back whole. */
	tqk_confirmation k = correction_of(&c);
	k.time_source = TQK_TIME_ANCHORED;
	add_correction(&k, TQK_F_CERT_NAME, "王大伟", app.cert_name);
	confirm_ok(e, &k);
	assert_int_equal(tqk_store_confirmation_current(e->s, c.reg_no, &got), TQK_OK);
	assert_conf_equal(&got, &k);
	assert_int_equal(tqk_store_confirmation_get(e->s, c.uuid, &got), TQK_OK);
	assert_conf_equal(&got, &c);
	assert_int_equal(tqk_store_confirmation_get(e->s, k.uuid, &got), TQK_OK);
	assert_conf_equal(&got, &k);

	/* Nothing to read. */
	char reg1[TQK_CODE_CAP];
	reg_of(1, reg1);
	assert_int_equal(tqk_store_confirmation_current(e->s, reg1, &got), TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_confirmation_current(e->s, "2026999999999", &got),
	                 TQK_E_STORE_NOT_FOUND);
	assert_int_equal(tqk_store_confirmation_get(e->s, UUID_UNKNOWN, &got), TQK_E_STORE_NOT_FOUND);
}

/* Corrections given in any order are kept in the form's order, so that the
 * caller's copy, the queued payload and the stored record are one record. */
static void corrections_come_back_in_form_order(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_application app = app_of(e, 0);
	tqk_confirmation c = conf_of(0);
	add_correction(&c, TQK_F_EMAIL, app.email, "new@example.cn");
	add_correction(&c, TQK_F_SCHOOL, app.school, "长沙县实验小学");
	add_correction(&c, TQK_F_NAME, app.name, "欧阳晓明");
	add_correction(&c, TQK_F_CERT_ID, app.cert_id, ID15);
	confirm_ok(e, &c);
	static const tqk_field order[] = {TQK_F_NAME, TQK_F_CERT_ID, TQK_F_SCHOOL, TQK_F_EMAIL};
	assert_int_equal(c.n_corrections, 4);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(c.corrections[i].field, order[i]);
	assert_string_equal(c.corrections[0].new_value, "欧阳晓明");
	assert_string_equal(c.corrections[1].new_value, ID15);
	assert_string_equal(c.corrections[3].old_value, app.email);

	tqk_confirmation got;
	assert_int_equal(tqk_store_confirmation_get(e->s, c.uuid, &got), TQK_OK);
	assert_conf_equal(&got, &c);

	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, c.uuid, &it), TQK_OK);
	json_t *obj = NULL;
	assert_int_equal(tqk_json_parse(it.payload, strlen(it.payload), &obj, NULL, 0), TQK_OK);
	tqk_confirmation sent;
	assert_int_equal(tqk_json_confirmation_decode(obj, tqk_time_date(c.at), &sent, NULL), TQK_OK);
	json_decref(obj);
	tqk_outbox_item_clear(&it);
	assert_conf_equal(&sent, &got);
	/* The application took all four. */
	tqk_application after = app_of(e, 0);
	assert_string_equal(after.name, "欧阳晓明");
	assert_string_equal(after.cert_id, ID15_AS_18);
	assert_string_equal(after.school, "长沙县实验小学");
	assert_string_equal(after.email, "new@example.cn");
}

static void confirmations_and_audit_are_append_only(void **state)
{
	struct env *e = *state;
	open_fixture(e, 1, 0);
	tqk_application app = app_of(e, 0);
	tqk_confirmation c = conf_of(0);
	add_correction(&c, TQK_F_SCHOOL, app.school, "长沙县实验小学");
	confirm_ok(e, &c);
	char *before = raw_dump(e->path);

	static const char *const refused[] = {
		"UPDATE confirmations SET conclusion = 'incomplete'",
		"UPDATE confirmations SET archive_no = 'CSX202601999'",
		"UPDATE confirmations SET serial = 999",
		"UPDATE confirmations SET reg_no = '2026000000009'",
		"UPDATE confirmations SET supersedes = NULL",
		"UPDATE confirmations SET at = at + 1",
		"DELETE FROM confirmations",
		"UPDATE audit SET detail = ''",
		"UPDATE audit SET at = 0",
		"DELETE FROM audit",
		"DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
	};
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		char msg[256];
		int rc = raw_try_exec(db, refused[i], msg, sizeof msg);
		if (rc == SQLITE_OK)
			fail_msg("\"%s\" was allowed", refused[i]);
		assert_int_equal(rc & 0xff, SQLITE_CONSTRAINT);
		assert_non_null(strstr(msg, "append-only"));
	}
	sqlite3_close(db);
	raw_expect_unchanged(e->path, before);
	raw_verify_chain(e->s, e->path);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(complete_confirmation_is_filled_in),
		T(given_site_and_kiosk_are_accepted),
		T(archive_serials_are_consecutive),
		T(incomplete_confirmation_puts_state_2),
		T(not_accepted_takes_no_serial),
		T(not_accepted_without_reason_is_refused),
		T(outbox_holds_the_record),
		T(audit_row_and_chain),
		T(not_set_up_leaves_nothing),
		T(wrong_site_or_kiosk_leaves_nothing),
		T(unknown_application_leaves_nothing),
		T(purged_application_leaves_nothing),
		T(conclusion_against_marks_leaves_nothing),
		T(uuid_taken_leaves_nothing),
		T(second_first_confirmation_is_refused),
		T(correction_keeps_the_archive_number),
		T(correction_of_not_accepted_takes_a_serial),
		T(supersede_errors_leave_nothing),
		T(stale_correction_leaves_nothing),
		T(corrections_are_applied),
		T(invalid_correction_value_leaves_nothing),
		T(site_correction_brings_an_application_here),
		T(refused_transitions_leave_nothing),
		T(correction_after_the_institution_acted_is_refused),
		T(serials_exhausted_leave_nothing),
		T(serials_come_from_the_kiosks_block),
		T(serial_blocks_out_of_range_are_refused),
		T(get_and_current_round_trip),
		T(corrections_come_back_in_form_order),
		T(confirmations_and_audit_are_append_only),
	};
#undef T
	return cmocka_run_group_tests_name("store_confirm", tests, NULL, NULL);
}
