/*
 * test_store_purge.c - forgetting personal data once the retention period
 * is over (store/purge.h): nothing changes before the due day; after it the
 * personal fields, messages and remarks of applications whose records the
 * server has acknowledged (or that were never confirmed) are emptied, while
 * those with a record pending, being sent or rejected are held whole; the
 * confirmations' texts, their corrections and the acknowledged upload
 * copies are emptied too; purged applications leave the clerk's list and
 * the look-ups and can no longer be confirmed; the purge is audited, a
 * second one changes nothing, and afterwards the bytes of the database file
 * itself no longer hold the applicant's name or ID number.
 */
#define _GNU_SOURCE  /* memmem */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "store/apps.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/purge.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define NEW_NAME "欧阳晓明"
#define ID15 "430121800101123"
#define ID15_AS_18 "430121198001011232"
#define APPS 7

/* What each fixture application goes through before the purge. */
enum {
	A_ACKED = 0,            /* confirmed, acknowledged: purged */
	A_PENDING,              /* confirmed, upload retried: held */
	A_REJECTED,             /* confirmed, refused by the server: held */
	A_NEVER,                /* never confirmed: purged */
	A_CORRECTED,            /* confirmed and corrected, both acknowledged: purged */
	A_CORR_PENDING,         /* confirmed (acknowledged), correction pending: held */
	A_SENDING,              /* confirmed, upload in flight: held */
};

struct env {
	char dir[512];
	char path[600];
	tqk_store *s;
	tqk_day end;                    /* the confirmation period's last day */
	tqk_application before[APPS];   /* each application just before the purge */
	tqk_confirmation c[APPS];       /* the first confirmation of each */
	tqk_confirmation k[APPS];       /* the correction, where there is one */
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	e->end = DAY(2026, 5, 29);
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

static tqk_application app_get(struct env *e, unsigned i)
{
	tqk_application in, out;
	fixture_app(i, FIXTURE_SITE, &in);
	assert_int_equal(tqk_store_app_get(e->s, in.reg_no, &out), TQK_OK);
	return out;
}

static void add_correction(tqk_confirmation *c, tqk_field f, const char *old_value,
                           const char *new_value)
{
	tqk_correction *k = &c->corrections[c->n_corrections++];
	k->field = f;
	snprintf(k->old_value, sizeof k->old_value, "%s", old_value);
	snprintf(k->new_value, sizeof k->new_value, "%s", new_value);
}

static tqk_err purge(struct env *e, int retention, tqk_day today, tqk_purge_stats *st)
{
	tqk_time now = FIXTURE_NOW + (tqk_time)(today - e->end + 9) * 86400;
	return tqk_store_purge(e->s, e->end, retention, today, now, st);
}

/*
 * The fixture store with APPS applications in every situation of the enum
 * above. Application A_NEVER carries messages from the server, so that the
 * purge has something to empty there too.
 */
static void scenario(struct env *e)
{
	assert_int_equal(fixture_store(e->path, APPS, 0, &e->s), TQK_OK);
	tqk_application never;
	fixture_app(A_NEVER, FIXTURE_SITE, &never);
	snprintf(never.inst_message, sizeof never.inst_message, "请%s携带原件", never.name);
	snprintf(never.site_message, sizeof never.site_message, "已预约");
	snprintf(never.remark, sizeof never.remark, "备注");
	never.rev = 2;
	tqk_import_stats is;
	assert_int_equal(tqk_store_apps_put(e->s, &never, 1, NULL, FIXTURE_NOW, &is, NULL), TQK_OK);
	assert_int_equal(is.updated, 1);

	for (unsigned i = 0; i < APPS; i++) {
		if (i == A_NEVER)
			continue;
		tqk_application a = app_get(e, i);
		tqk_confirmation *c = &e->c[i];
		fixture_confirmation(a.reg_no, c);
		c->at = FIXTURE_NOW + 60 * (tqk_time)i;
		snprintf(c->message, sizeof c->message, "%s老师：请等待审批", a.name);
		snprintf(c->remark, sizeof c->remark, "核对人 %s", a.id_number);
		if (i == A_CORRECTED) {
			add_correction(c, TQK_F_NAME, a.name, NEW_NAME);
			add_correction(c, TQK_F_ID_NUMBER, a.id_number, ID15);
		}
		assert_int_equal(tqk_store_confirm(e->s, c), TQK_OK);
	}
	for (unsigned i = A_CORRECTED; i <= A_CORR_PENDING; i++) {
		tqk_application a = app_get(e, i);
		tqk_confirmation *k = &e->k[i];
		fixture_confirmation(a.reg_no, k);
		memcpy(k->supersedes, e->c[i].uuid, sizeof k->supersedes);
		k->at = e->c[i].at + 3600;
		add_correction(k, TQK_F_SCHOOL, a.school, "长沙县星沙实验学校");
		assert_int_equal(tqk_store_confirm(e->s, k), TQK_OK);
	}

	/* Every row goes out; the server answers each its own way. */
	tqk_outbox_item items[16];
	size_t n = 0;
	tqk_time t = FIXTURE_NOW + 86400;
	assert_int_equal(tqk_store_outbox_claim(e->s, t, 16, items, &n), TQK_OK);
	assert_int_equal(n, APPS - 1 + 2);
	for (size_t i = 0; i < n; i++)
		tqk_outbox_item_clear(&items[i]);
	assert_int_equal(tqk_store_outbox_acked(e->s, e->c[A_ACKED].uuid, t), TQK_OK);
	assert_int_equal(tqk_store_outbox_retry(e->s, e->c[A_PENDING].uuid, "timeout", t, t + 60),
	                 TQK_OK);
	assert_int_equal(tqk_store_outbox_rejected(e->s, e->c[A_REJECTED].uuid, "refused", t), TQK_OK);
	assert_int_equal(tqk_store_outbox_acked(e->s, e->c[A_CORRECTED].uuid, t), TQK_OK);
	assert_int_equal(tqk_store_outbox_acked(e->s, e->k[A_CORRECTED].uuid, t), TQK_OK);
	assert_int_equal(tqk_store_outbox_acked(e->s, e->c[A_CORR_PENDING].uuid, t), TQK_OK);
	assert_int_equal(tqk_store_outbox_retry(e->s, e->k[A_CORR_PENDING].uuid, "HTTP 502", t,
	                                        t + 60), TQK_OK);
	/* A_SENDING stays "sending". */

	for (unsigned i = 0; i < APPS; i++)
		e->before[i] = app_get(e, i);
	assert_string_equal(e->before[A_CORRECTED].name, NEW_NAME);
	assert_string_equal(e->before[A_NEVER].remark, "备注");
}

static bool purged_one(unsigned i)
{
	return i == A_ACKED || i == A_NEVER || i == A_CORRECTED;
}

/* ---- before the due day ---- */

static void nothing_changes_before_the_due_day(void **state)
{
	struct env *e = *state;
	scenario(e);
	char *before = raw_dump(e->path);
	tqk_purge_stats st;
	/* The last day of the period, and the last day of retention. */
	tqk_day days[] = {e->end - 10, e->end, e->end + TQK_RETENTION_DAYS_DEFAULT};
	for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
		memset(&st, 0xa5, sizeof st);
		assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, days[i], &st), TQK_OK);
		assert_int_equal(st.due, e->end + TQK_RETENTION_DAYS_DEFAULT + 1);
		assert_int_equal(st.applications, 0);
		assert_int_equal(st.confirmations, 0);
		assert_int_equal(st.held, 0);
	}
	/* Other retention periods move the due day. */
	assert_int_equal(purge(e, 7, e->end + 7, &st), TQK_OK);
	assert_int_equal(st.due, e->end + 8);
	assert_int_equal(st.applications, 0);
	assert_int_equal(purge(e, 0, e->end, &st), TQK_OK);
	assert_int_equal(st.due, e->end + 1);
	assert_int_equal(purge(e, -5, e->end, &st), TQK_OK);
	assert_int_equal(st.due, e->end + 1);

	raw_expect_unchanged(e->path, before);
	for (unsigned i = 0; i < APPS; i++)
		assert_false(app_get(e, i).purged);
}

/* ---- after it ---- */

static void acknowledged_and_unconfirmed_applications_are_emptied(void **state)
{
	struct env *e = *state;
	scenario(e);
	tqk_purge_stats st;
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT,
	                       e->end + TQK_RETENTION_DAYS_DEFAULT + 1, &st), TQK_OK);
	assert_int_equal(st.due, e->end + TQK_RETENTION_DAYS_DEFAULT + 1);
	assert_int_equal(st.applications, 3);
	assert_int_equal(st.confirmations, 3);      /* A_ACKED's, and both of A_CORRECTED */
	assert_int_equal(st.held, 4);

	for (unsigned i = 0; i < APPS; i++) {
		const tqk_application *was = &e->before[i];
		tqk_application now = app_get(e, i);
		assert_string_equal(now.reg_no, was->reg_no);
		assert_int_equal(now.state, was->state);
		assert_int_equal(now.registration, was->registration);
		assert_int_equal(now.rev, was->rev);
		assert_int_equal(now.purged, purged_one(i));
		for (int f = 0; f < TQK_F_COUNT; f++) {
			const tqk_field_info *fi = tqk_field_get_info((tqk_field)f);
			char a[TQK_TEXT_CAP], b[TQK_TEXT_CAP];
			tqk_field_text(was, (tqk_field)f, a, sizeof a);
			tqk_field_text(&now, (tqk_field)f, b, sizeof b);
			if (purged_one(i) && fi->personal) {
				if (b[0] != '\0')
					fail_msg("application %u: %s kept \"%s\"", i, fi->code, b);
			} else if (strcmp(a, b) != 0) {
				fail_msg("application %u: %s changed from \"%s\" to \"%s\"", i, fi->code, a, b);
			}
		}
		if (purged_one(i)) {
			assert_string_equal(now.site_message, "");
			assert_string_equal(now.inst_message, "");
			assert_string_equal(now.remark, "");
		} else {
			assert_string_equal(now.site_message, was->site_message);
			assert_string_equal(now.inst_message, was->inst_message);
			assert_string_equal(now.remark, was->remark);
		}
	}
	/* The fields the purge keeps are there to keep the counts. */
	tqk_application never = app_get(e, A_NEVER);
	assert_string_equal(never.site, FIXTURE_SITE);
	assert_true(never.qualification != TQK_STAGE_NONE);
}

static void confirmations_corrections_and_uploads_are_emptied(void **state)
{
	struct env *e = *state;
	scenario(e);
	tqk_purge_stats st;
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 45, &st), TQK_OK);

	/* Purged: texts gone; marks, conclusion and archive number kept. */
	const tqk_confirmation *gone[] = {&e->c[A_ACKED], &e->c[A_CORRECTED], &e->k[A_CORRECTED]};
	for (size_t i = 0; i < 3; i++) {
		tqk_confirmation got;
		assert_int_equal(tqk_store_confirmation_get(e->s, gone[i]->uuid, &got), TQK_OK);
		assert_string_equal(got.remark, "");
		assert_string_equal(got.message, "");
		assert_string_equal(got.archive_no, gone[i]->archive_no);
		assert_true(got.archive_no[0] != '\0');
		assert_int_equal(got.conclusion, gone[i]->conclusion);
		assert_memory_equal(&got.marks, &gone[i]->marks, sizeof got.marks);
		assert_int_equal(got.n_corrections, gone[i]->n_corrections);
		for (size_t k = 0; k < got.n_corrections; k++) {
			assert_int_equal(got.corrections[k].field, gone[i]->corrections[k].field);
			assert_string_equal(got.corrections[k].old_value, "");
			assert_string_equal(got.corrections[k].new_value, "");
		}
		assert_int_equal(raw_int(e->path, "SELECT purged FROM confirmations WHERE uuid = ?1",
		                         gone[i]->uuid), 1);
		tqk_outbox_item it;
		assert_int_equal(tqk_store_outbox_get(e->s, gone[i]->uuid, &it), TQK_OK);
		assert_int_equal(it.state, TQK_OUTBOX_ACKED);
		assert_string_equal(it.payload, "{}");
		tqk_outbox_item_clear(&it);
	}
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM corrections"
	                                  " WHERE old_value <> '' OR new_value <> ''", NULL), 1);
	/* (that one is A_CORR_PENDING's, held) */

	/* Held: every record whole, the acknowledged one of A_CORR_PENDING too. */
	const tqk_confirmation *kept[] = {&e->c[A_PENDING], &e->c[A_REJECTED], &e->c[A_SENDING],
	                                  &e->c[A_CORR_PENDING], &e->k[A_CORR_PENDING]};
	for (size_t i = 0; i < 5; i++) {
		tqk_confirmation got;
		assert_int_equal(tqk_store_confirmation_get(e->s, kept[i]->uuid, &got), TQK_OK);
		assert_string_equal(got.remark, kept[i]->remark);
		assert_string_equal(got.message, kept[i]->message);
		assert_int_equal(got.n_corrections, kept[i]->n_corrections);
		for (size_t k = 0; k < got.n_corrections; k++)
			assert_string_equal(got.corrections[k].new_value, kept[i]->corrections[k].new_value);
		tqk_outbox_item it;
		assert_int_equal(tqk_store_outbox_get(e->s, kept[i]->uuid, &it), TQK_OK);
		assert_non_null(strstr(it.payload, kept[i]->uuid));
		assert_non_null(strstr(it.payload, "\"message\""));
		tqk_outbox_item_clear(&it);
	}
	/* The queue itself is untouched: same states, same counts. */
	tqk_outbox_counts oc;
	assert_int_equal(tqk_store_outbox_counts(e->s, &oc), TQK_OK);
	assert_int_equal(oc.n[TQK_OUTBOX_PENDING], 2);
	assert_int_equal(oc.n[TQK_OUTBOX_SENDING], 1);
	assert_int_equal(oc.n[TQK_OUTBOX_ACKED], 4);
	assert_int_equal(oc.n[TQK_OUTBOX_REJECTED], 1);
}

static void purged_applications_leave_the_lists(void **state)
{
	struct env *e = *state;
	scenario(e);
	tqk_page page;
	assert_int_equal(tqk_store_page(e->s, TQK_ST_NONE, NULL, NULL, &page), TQK_OK);
	assert_int_equal(page.n, APPS);
	tqk_purge_stats st;
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 31, &st), TQK_OK);

	assert_int_equal(tqk_store_page(e->s, TQK_ST_NONE, NULL, NULL, &page), TQK_OK);
	assert_int_equal(page.n, 4);
	assert_false(page.more);
	for (size_t r = 0; r < page.n; r++)
		for (unsigned i = 0; i < APPS; i++)
			if (purged_one(i) && strcmp(page.rows[r].reg_no, e->before[i].reg_no) == 0)
				fail_msg("purged application %u is listed", i);
	/* Searches by state, name and registration number skip them too. */
	assert_int_equal(tqk_store_page(e->s, TQK_ST_SUBMITTED, NULL, NULL, &page), TQK_OK);
	assert_int_equal(page.n, 0);
	assert_int_equal(tqk_store_page(e->s, TQK_ST_NONE, e->before[A_ACKED].name, NULL, &page),
	                 TQK_OK);
	assert_int_equal(page.n, 0);
	assert_int_equal(tqk_store_page(e->s, TQK_ST_NONE, e->before[A_NEVER].reg_no, NULL, &page),
	                 TQK_OK);
	assert_int_equal(page.n, 0);
	assert_int_equal(tqk_store_page(e->s, TQK_ST_NONE, e->before[A_PENDING].reg_no, NULL, &page),
	                 TQK_OK);
	assert_int_equal(page.n, 1);

	tqk_application found[2];
	size_t n = 99;
	for (unsigned i = 0; i < APPS; i++) {
		assert_int_equal(tqk_store_find_id(e->s, e->before[i].id_number, found, 2, &n), TQK_OK);
		assert_int_equal(n, purged_one(i) ? 0 : 1);
		assert_int_equal(tqk_store_find_cert(e->s, e->before[i].cert_no, found, 2, &n), TQK_OK);
		assert_int_equal(n, purged_one(i) ? 0 : 1);
	}
	/* Emptied fields are not a key that finds them either. */
	assert_int_equal(tqk_store_find_cert(e->s, "", found, 2, &n), TQK_OK);
	assert_int_equal(n, 0);
}

static void purged_applications_cannot_be_confirmed(void **state)
{
	struct env *e = *state;
	scenario(e);
	tqk_purge_stats st;
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 31, &st), TQK_OK);
	char *before = raw_dump(e->path);

	tqk_confirmation c;
	fixture_confirmation(e->before[A_NEVER].reg_no, &c);
	assert_int_equal(tqk_store_confirm(e->s, &c), TQK_E_STORE_NOT_FOUND);
	tqk_confirmation k;
	fixture_confirmation(e->before[A_ACKED].reg_no, &k);
	memcpy(k.supersedes, e->c[A_ACKED].uuid, sizeof k.supersedes);
	assert_int_equal(tqk_store_confirm(e->s, &k), TQK_E_STORE_NOT_FOUND);

	raw_expect_unchanged(e->path, before);
	/* A held one still can. */
	tqk_confirmation h;
	fixture_confirmation(e->before[A_PENDING].reg_no, &h);
	memcpy(h.supersedes, e->c[A_PENDING].uuid, sizeof h.supersedes);
	assert_int_equal(tqk_store_confirm(e->s, &h), TQK_OK);
}

static void purge_is_audited_once(void **state)
{
	struct env *e = *state;
	scenario(e);
	long long rows = raw_int(e->path, "SELECT count(*) FROM audit", NULL);
	tqk_purge_stats st;
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 31, &st), TQK_OK);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit", NULL), rows + 1);
	char text[300];
	assert_true(raw_text(e->path, "SELECT action FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     text, sizeof text));
	assert_string_equal(text, "purge");
	assert_true(raw_text(e->path, "SELECT actor FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     text, sizeof text));
	assert_string_equal(text, "admin");
	assert_true(raw_text(e->path, "SELECT detail FROM audit ORDER BY seq DESC LIMIT 1", NULL,
	                     text, sizeof text));
	assert_string_equal(text, "applications=3 confirmations=3 held=4");
	raw_verify_chain(e->s, e->path);

	/* A second purge finds nothing more to do and writes nothing. */
	char *before = raw_dump(e->path);
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 32, &st), TQK_OK);
	assert_int_equal(st.applications, 0);
	assert_int_equal(st.confirmations, 0);
	assert_int_equal(st.held, 4);
	raw_expect_unchanged(e->path, before);
	raw_verify_chain(e->s, e->path);
}

static void held_applications_go_once_acknowledged(void **state)
{
	struct env *e = *state;
	scenario(e);
	tqk_purge_stats st;
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 31, &st), TQK_OK);
	assert_int_equal(st.held, 4);
	tqk_time t = FIXTURE_NOW + 40 * 86400;
	tqk_outbox_item items[4];
	size_t n = 0;
	/* The two pending rows, and A_SENDING's, whose lease ran out long ago. */
	assert_int_equal(tqk_store_outbox_claim(e->s, t, 4, items, &n), TQK_OK);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(tqk_store_outbox_acked(e->s, items[i].uuid, t), TQK_OK);
		tqk_outbox_item_clear(&items[i]);
	}
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 41, &st), TQK_OK);
	assert_int_equal(st.applications, 3);
	/* A_PENDING's one, and both of A_CORR_PENDING and A_SENDING's. */
	assert_int_equal(st.confirmations, 4);
	/* The rejected record holds its application until someone acts. */
	assert_int_equal(st.held, 1);
	assert_true(app_get(e, A_PENDING).purged);
	assert_true(app_get(e, A_CORR_PENDING).purged);
	assert_true(app_get(e, A_SENDING).purged);
	assert_false(app_get(e, A_REJECTED).purged);
	raw_verify_chain(e->s, e->path);
}

/* ---- the bytes of the file ---- */

static bool file_holds(const unsigned char *buf, size_t len, const char *needle)
{
	return buf != NULL && memmem(buf, len, needle, strlen(needle)) != NULL;
}

static void purged_data_leaves_the_file(void **state)
{
	struct env *e = *state;
	scenario(e);
	tqk_purge_stats st;
	assert_int_equal(purge(e, TQK_RETENTION_DAYS_DEFAULT, e->end + 31, &st), TQK_OK);
	assert_int_equal(st.applications, 3);
	/* Right after the purge, the WAL holds nothing any more. */
	char wal[700];
	snprintf(wal, sizeof wal, "%s-wal", e->path);
	size_t len = 0;
	unsigned char *bytes = file_slurp_if_exists(wal, &len);
	assert_int_equal(len, 0);
	free(bytes);
	tqk_store_free(e->s);
	e->s = NULL;

	unsigned char *db = file_slurp(e->path, &len);
	assert_true(len > 0);
	size_t wal_len = 0;
	unsigned char *walb = file_slurp_if_exists(wal, &wal_len);

	const char *gone[] = {
		e->before[A_ACKED].name, e->before[A_ACKED].id_number, e->before[A_ACKED].email,
		e->before[A_NEVER].name, e->before[A_NEVER].id_number, e->before[A_NEVER].cert_no,
		/* A_CORRECTED: the names and ID numbers before and after its corrections */
		e->c[A_CORRECTED].corrections[0].old_value, NEW_NAME,
		e->c[A_CORRECTED].corrections[1].old_value, ID15, ID15_AS_18,
	};
	for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
		if (file_holds(db, len, gone[i]))
			fail_msg("the database file still holds \"%s\"", gone[i]);
		if (file_holds(walb, wal_len, gone[i]))
			fail_msg("the WAL still holds \"%s\"", gone[i]);
	}
	/* The search finds what is still meant to be there: the held ones. */
	assert_true(file_holds(db, len, e->before[A_PENDING].name));
	assert_true(file_holds(db, len, e->before[A_PENDING].id_number));
	assert_true(file_holds(db, len, e->before[A_REJECTED].id_number));
	free(db);
	free(walb);

	/* The file is still a sound store. */
	assert_int_equal(tqk_store_open(e->path, NULL, &e->s, NULL), TQK_OK);
	assert_int_equal(tqk_store_check(e->s, true), TQK_OK);
	raw_verify_chain(e->s, e->path);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(nothing_changes_before_the_due_day),
		T(acknowledged_and_unconfirmed_applications_are_emptied),
		T(confirmations_corrections_and_uploads_are_emptied),
		T(purged_applications_leave_the_lists),
		T(purged_applications_cannot_be_confirmed),
		T(purge_is_audited_once),
		T(held_applications_go_once_acknowledged),
		T(purged_data_leaves_the_file),
	};
#undef T
	return cmocka_run_group_tests_name("store_purge", tests, NULL, NULL);
}
