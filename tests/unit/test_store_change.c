/*
 * test_store_change.c - a teacher's change committed to the local store
 * (store/change.h): the application changed, the change's row, its upload
 * and an audit row in one transaction; every refusal (changed meanwhile,
 * no longer waiting for the site, another site's, unknown, a field a
 * teacher may not change) leaves the file as it was; while the change waits
 * for its upload a download does not undo it.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/change.h"
#include "store/apps.h"
#include "store/change.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/rawdb.h"

struct env {
	char dir[512], path[600];
	tqk_store *s;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->path, 10, 0, &e->s), TQK_OK);
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

/* A change of application i's school from what it is to school. */
static tqk_change school_change(unsigned i, const char *school)
{
	tqk_application before, after;
	fixture_app(i, FIXTURE_SITE, &before);
	after = before;
	snprintf(after.school, sizeof after.school, "%s", school);
	tqk_change c;
	memset(&c, 0, sizeof c);
	snprintf(c.reg_no, sizeof c.reg_no, "%s", before.reg_no);
	tqk_change_diff(&before, &after, &c);
	c.at = FIXTURE_NOW;
	c.time_source = TQK_TIME_ANCHORED;
	return c;
}

static void change_is_committed_whole(void **state)
{
	struct env *e = *state;
	tqk_change c = school_change(3, "长沙县星沙实验小学");
	assert_int_equal(c.n_corrections, 1);
	assert_int_equal(tqk_store_change(e->s, &c), TQK_OK);
	assert_true(tqk_uuid_valid(c.uuid));
	assert_string_equal(c.site, FIXTURE_SITE);
	assert_string_equal(c.kiosk, FIXTURE_KIOSK);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(e->s, c.reg_no, &got), TQK_OK);
	assert_string_equal(got.school, "长沙县星沙实验小学");
	assert_int_equal(got.state, TQK_ST_SUBMITTED);
	tqk_outbox_item it;
	assert_int_equal(tqk_store_outbox_get(e->s, c.uuid, &it), TQK_OK);
	assert_string_equal(it.kind, TQK_CHANGE_KIND);
	bool has = strstr(it.payload, "长沙县星沙实验小学") != NULL &&
	           strstr(it.payload, "\"field\":\"school\"") != NULL;
	tqk_outbox_item_clear(&it);
	assert_true(has);
	assert_int_equal(raw_int(e->path, "SELECT COUNT(*) FROM audit WHERE action = 'change'", NULL),
	                 1);
	raw_verify_chain(e->s, e->path);
	/* the same uuid again: refused */
	tqk_change again = school_change(3, "长沙县第二小学");
	memcpy(again.uuid, c.uuid, sizeof c.uuid);
	snprintf(again.corrections[0].old_value, sizeof again.corrections[0].old_value,
	         "长沙县星沙实验小学");
	assert_int_equal(tqk_store_change(e->s, &again), TQK_E_STORE_EXISTS);
}

static void refusals_write_nothing(void **state)
{
	struct env *e = *state;
	char *before = raw_dump(e->path);
	/* changed meanwhile: the old value is not the stored one */
	tqk_change c = school_change(3, "长沙县星沙实验小学");
	snprintf(c.corrections[0].old_value, sizeof c.corrections[0].old_value, "别的学校");
	assert_int_equal(tqk_store_change(e->s, &c), TQK_E_STORE_STALE);
	/* who the teacher is cannot be changed */
	c = school_change(3, "长沙县星沙实验小学");
	c.corrections[0].field = TQK_F_NAME;
	assert_int_equal(tqk_store_change(e->s, &c), TQK_E_FIELD_UNKNOWN);
	/* nothing changed; an unknown application */
	c = school_change(3, "长沙县星沙实验小学");
	c.n_corrections = 0;
	assert_int_equal(tqk_store_change(e->s, &c), TQK_E_FIELD_REQUIRED);
	c = school_change(3, "长沙县星沙实验小学");
	snprintf(c.reg_no, sizeof c.reg_no, "20269999999999");
	assert_int_equal(tqk_store_change(e->s, &c), TQK_E_STORE_NOT_FOUND);
	raw_expect_unchanged(e->path, before);

	/* another site's application */
	tqk_application other;
	fixture_app(50, "S02", &other);
	tqk_import_stats st;
	assert_int_equal(tqk_store_apps_put(e->s, &other, 1, NULL, FIXTURE_NOW, &st, NULL), TQK_OK);
	c = school_change(50, "长沙县星沙实验小学");
	assert_int_equal(tqk_store_change(e->s, &c), TQK_E_STORE_SITE);
	/* confirmed by the site: view only */
	tqk_confirmation conf;
	c = school_change(4, "长沙县星沙实验小学");
	fixture_confirmation(c.reg_no, &conf);
	assert_int_equal(tqk_store_confirm(e->s, &conf), TQK_OK);
	before = raw_dump(e->path);
	assert_int_equal(tqk_store_change(e->s, &c), TQK_E_WALKIN_READONLY);
	raw_expect_unchanged(e->path, before);
}

/* The server's copy from before the change does not undo it while the
 * change waits for its upload. */
static void download_keeps_a_waiting_change(void **state)
{
	struct env *e = *state;
	tqk_change c = school_change(3, "长沙县星沙实验小学");
	assert_int_equal(tqk_store_change(e->s, &c), TQK_OK);
	tqk_application srv;
	fixture_app(3, FIXTURE_SITE, &srv);
	srv.rev = 5;
	tqk_import_stats st;
	assert_int_equal(tqk_store_apps_put(e->s, &srv, 1, NULL, FIXTURE_NOW + 60, &st, NULL), TQK_OK);
	assert_int_equal(st.kept_state, 1);
	tqk_application got;
	assert_int_equal(tqk_store_app_get(e->s, c.reg_no, &got), TQK_OK);
	assert_string_equal(got.school, "长沙县星沙实验小学");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(change_is_committed_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(refusals_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(download_keeps_a_waiting_change, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
