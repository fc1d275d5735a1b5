/*
 * test_store_audit.c - the SHA-256 chained audit trail (store/audit.h):
 * appending and verifying an empty and a long chain, how the rows are
 * linked, the verifier naming the first broken row after each kind of
 * tampering a program with the file could do once it has dropped the
 * append-only triggers (a changed detail or time, a deleted middle or first
 * row, swapped or reordered rows, a replaced hash, a forged row at the end),
 * the caps on the texts, and that the rows the kiosk itself writes around a
 * confirmation never carry the applicant's personal data.
 */
#include "test.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/purge.h"
#include "store/store.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define ROWS 8          /* rows of the chain the tampering tests start from */

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
	tqk_store_options opt = {.create = true};
	assert_int_equal(tqk_store_open(e->path, &opt, &e->s, NULL), TQK_OK);
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

/* Appends rows first..last (1-based), each with its own texts and time. */
static void append_rows(struct env *e, int first, int last)
{
	for (int i = first; i <= last; i++) {
		char subject[32], detail[64];
		snprintf(subject, sizeof subject, "row-%d", i);
		snprintf(detail, sizeof detail, "第%d行 detail=%d", i, i * 7);
		assert_int_equal(tqk_store_audit_append(e->s, FIXTURE_NOW + i, i % 2 ? "admin" : "K01/C007",
		                                        "test.step", subject, detail), TQK_OK);
	}
}

/* What someone with the file and sqlite3 could do: drop the append-only
 * triggers, then run sql. */
static void tamper(struct env *e, const char *sql)
{
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READWRITE);
	raw_exec(db, "DROP TRIGGER audit_keep; DROP TRIGGER audit_fixed;");
	raw_exec(db, sql);
	sqlite3_close(db);
}

static void assert_broken_at(struct env *e, int64_t first_bad)
{
	tqk_audit_report rep = {0};
	tqk_err err = tqk_store_audit_verify(e->s, &rep);
	if (err != TQK_E_STORE_AUDIT)
		fail_msg("verify: %s, expected the chain broken at row %lld", tqk_err_code(err),
		         (long long)first_bad);
	if (rep.first_bad != first_bad)
		fail_msg("first bad row %lld (%s), expected %lld", (long long)rep.first_bad,
		         rep.why != NULL ? rep.why : "?", (long long)first_bad);
	assert_non_null(rep.why);
	assert_true(rep.why[0] != '\0');
	/* The verifier stops at the first broken row. */
	assert_true(rep.rows >= 1);
	assert_true(rep.rows <= first_bad);
}

/* As assert_broken_at, and the report says the row before it is missing
 * (a gap in the numbering, not just a hash that does not match). */
static void assert_missing_before(struct env *e, int64_t first_bad)
{
	assert_broken_at(e, first_bad);
	tqk_audit_report rep = {0};
	assert_int_equal(tqk_store_audit_verify(e->s, &rep), TQK_E_STORE_AUDIT);
	if (strstr(rep.why, first_bad == 2 ? "row 1" : "missing") == NULL)
		fail_msg("row %lld: \"%s\" does not say a row is missing", (long long)first_bad, rep.why);
}

/* ---- appending and verifying ---- */

static void empty_chain_verifies(void **state)
{
	struct env *e = *state;
	assert_int_equal(raw_audit_rows(e->path), 0);
	assert_int_equal(raw_verify_chain(e->s, e->path), 0);
}

static void many_rows_verify(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, 30);
	/* Empty texts and the longest allowed ones are rows like any other. */
	char longest[TQK_AUDIT_TEXT_CAP];
	memset(longest, 'x', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	assert_int_equal(tqk_store_audit_append(e->s, FIXTURE_NOW, "", "", "", ""), TQK_OK);
	assert_int_equal(tqk_store_audit_append(e->s, FIXTURE_NOW, longest, longest, longest, longest),
	                 TQK_OK);
	assert_int_equal(raw_audit_rows(e->path), 32);
	assert_int_equal(raw_verify_chain(e->s, e->path), 32);

	/* Rows are numbered from 1 without gaps and keep what was given. */
	assert_int_equal(raw_int(e->path, "SELECT min(seq) FROM audit", NULL), 1);
	assert_int_equal(raw_int(e->path, "SELECT max(seq) FROM audit", NULL), 32);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit WHERE seq = 5 AND"
	                                  " at = 1779240670 AND actor = 'admin' AND action = 'test.step'"
	                                  " AND subject = 'row-5' AND detail = '第5行 detail=35'",
	                         NULL), 1);
	assert_int_equal(raw_int(e->path, "SELECT length(detail) FROM audit WHERE seq = 32", NULL),
	                 TQK_AUDIT_TEXT_CAP - 1);
	/* Each hash is 32 bytes; the first row follows 32 zero bytes, every
	 * other row carries its predecessor's hash. */
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit WHERE length(hash) = 32"
	                                  " AND length(prev) = 32", NULL), 32);
	assert_int_equal(raw_int(e->path, "SELECT prev = zeroblob(32) FROM audit WHERE seq = 1",
	                         NULL), 1);
	assert_int_equal(raw_int(e->path, "SELECT count(*) FROM audit a JOIN audit b"
	                                  " ON b.seq = a.seq + 1 WHERE b.prev = a.hash", NULL), 31);
	assert_int_equal(raw_int(e->path, "SELECT count(DISTINCT hash) FROM audit", NULL), 32);

	/* The chain goes on across closing and reopening the file. */
	tqk_store_free(e->s);
	e->s = NULL;
	assert_int_equal(tqk_store_open(e->path, NULL, &e->s, NULL), TQK_OK);
	assert_int_equal(raw_verify_chain(e->s, e->path), 32);
	append_rows(e, 33, 34);
	assert_int_equal(raw_verify_chain(e->s, e->path), 34);
}

/* Two rows whose texts differ only in where one ends and the next begins
 * must not hash alike (the content is length-prefixed). */
static void text_boundaries_are_part_of_the_hash(void **state)
{
	struct env *e = *state;
	assert_int_equal(tqk_store_audit_append(e->s, FIXTURE_NOW, "ab", "c", "s", "d"), TQK_OK);
	tamper(e, "UPDATE audit SET actor = 'a', action = 'bc'");
	assert_broken_at(e, 1);
}

static void too_long_texts_add_no_row(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, 2);
	char big[TQK_AUDIT_TEXT_CAP + 1];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';        /* TQK_AUDIT_TEXT_CAP bytes: one too many */
	const char *ok = "fine";
	for (int which = 0; which < 4; which++) {
		const char *t[4] = {ok, ok, ok, ok};
		t[which] = big;
		assert_int_equal(tqk_store_audit_append(e->s, FIXTURE_NOW, t[0], t[1], t[2], t[3]),
		                 TQK_E_TOO_LONG);
		assert_int_equal(raw_audit_rows(e->path), 2);
	}
	assert_int_equal(raw_verify_chain(e->s, e->path), 2);
	/* The next good row continues the chain at row 3. */
	assert_int_equal(tqk_store_audit_append(e->s, FIXTURE_NOW, ok, ok, ok, ok), TQK_OK);
	assert_int_equal(raw_int(e->path, "SELECT max(seq) FROM audit", NULL), 3);
	assert_int_equal(raw_verify_chain(e->s, e->path), 3);
}

/* ---- tampering is found at the first broken row ---- */

static void changed_detail_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	assert_int_equal(raw_verify_chain(e->s, e->path), ROWS);
	tamper(e, "UPDATE audit SET detail = 'nothing happened' WHERE seq = 3");
	assert_broken_at(e, 3);
}

static void changed_time_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	tamper(e, "UPDATE audit SET at = at - 3600 WHERE seq = 6");
	assert_broken_at(e, 6);
}

static void changed_last_row_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	tamper(e, "UPDATE audit SET actor = 'nobody' WHERE seq = 8");
	assert_broken_at(e, ROWS);
}

static void deleted_middle_row_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	tamper(e, "DELETE FROM audit WHERE seq = 5");
	assert_int_equal(raw_audit_rows(e->path), ROWS - 1);
	/* Row 6 is where the chain no longer holds. */
	assert_missing_before(e, 6);
}

static void deleted_middle_row_renumbered_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	/* Closing the gap does not hide it: row 5 now carries row 5's prev
	 * but not its content. */
	tamper(e, "DELETE FROM audit WHERE seq = 5;"
	          "UPDATE audit SET seq = seq - 1 WHERE seq > 5");
	assert_broken_at(e, 5);
}

static void deleted_first_row_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	tamper(e, "DELETE FROM audit WHERE seq = 1");
	assert_missing_before(e, 2);
}

static void deleted_last_rows_leave_a_shorter_chain(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	/* Cutting the tail leaves a chain that verifies on its own: the rows
	 * count is what tells (the chain has no outside anchor). */
	tamper(e, "DELETE FROM audit WHERE seq > 6");
	assert_int_equal(raw_verify_chain(e->s, e->path), 6);
}

static void swapped_contents_are_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	tamper(e, "CREATE TEMP TABLE t AS SELECT * FROM audit WHERE seq IN (4, 5);"
	          "UPDATE audit SET (at, actor, action, subject, detail) ="
	          " (SELECT at, actor, action, subject, detail FROM t WHERE t.seq = 9 - audit.seq)"
	          " WHERE seq IN (4, 5)");
	assert_int_equal(raw_int(e->path, "SELECT subject = 'row-5' FROM audit WHERE seq = 4",
	                         NULL), 1);
	assert_broken_at(e, 4);
}

static void reordered_rows_are_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	/* Whole rows, hashes and all, change places. */
	tamper(e, "UPDATE audit SET seq = 1000 WHERE seq = 4;"
	          "UPDATE audit SET seq = 4 WHERE seq = 5;"
	          "UPDATE audit SET seq = 5 WHERE seq = 1000");
	assert_broken_at(e, 4);
}

static void replaced_hash_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	/* A plausible 32-byte hash, linked from the next row as well. */
	tamper(e, "CREATE TEMP TABLE r AS SELECT randomblob(32) AS b;"
	          "UPDATE audit SET hash = (SELECT b FROM r) WHERE seq = 6;"
	          "UPDATE audit SET prev = (SELECT b FROM r) WHERE seq = 7");
	assert_int_equal(raw_int(e->path, "SELECT length(hash) FROM audit WHERE seq = 6", NULL),
	                 32);
	assert_broken_at(e, 6);
}

static void replaced_prev_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	tamper(e, "UPDATE audit SET prev = randomblob(32) WHERE seq = 2");
	assert_broken_at(e, 2);
}

static void forged_row_at_the_end_is_found(void **state)
{
	struct env *e = *state;
	append_rows(e, 1, ROWS);
	/* Linked to the last row, but its own hash is made up. */
	tamper(e, "INSERT INTO audit(seq, at, actor, action, subject, detail, prev, hash)"
	          " SELECT 9, at + 1, 'admin', 'purge', '', 'forged', hash, randomblob(32)"
	          " FROM audit WHERE seq = 8");
	assert_broken_at(e, ROWS + 1);
	/* Appending after a broken chain does not mend it. */
	append_rows(e, 10, 10);
	assert_broken_at(e, ROWS + 1);
}

/* ---- no personal data in the trail ---- */

static bool audit_contains(struct env *e, const char *needle)
{
	sqlite3 *db = raw_open(e->path, SQLITE_OPEN_READONLY);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT actor, action, subject, detail FROM audit",
	                                    -1, &st, NULL), SQLITE_OK);
	bool found = false;
	while (!found && sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < 4 && !found; i++)
			found = strstr((const char *)sqlite3_column_text(st, i), needle) != NULL;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return found;
}

static void add_correction(tqk_confirmation *c, tqk_field f, const char *old_value,
                           const char *new_value)
{
	tqk_correction *k = &c->corrections[c->n_corrections++];
	k->field = f;
	snprintf(k->old_value, sizeof k->old_value, "%s", old_value);
	snprintf(k->new_value, sizeof k->new_value, "%s", new_value);
}

static void no_personal_data_in_the_trail(void **state)
{
	struct env *e = *state;
	tqk_store_free(e->s);
	e->s = NULL;
	assert_int_equal(fixture_store(e->path, 2, 0, &e->s), TQK_OK);
	tqk_application a;
	assert_int_equal(tqk_store_app_get(e->s, "20260000000000", &a), TQK_OK);

	/* A confirmation with corrections, a correction of it, the upload's
	 * answers and a purge: every kind of row the kiosk writes for a person. */
	tqk_confirmation c;
	fixture_confirmation(a.reg_no, &c);
	c.police_required = true;
	c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_HAS;
	snprintf(c.message, sizeof c.message, "%s老师，请补交材料", a.name);
	snprintf(c.remark, sizeof c.remark, "身份证号 %s 与证书不一致", a.id_number);
	add_correction(&c, TQK_F_NAME, a.name, "欧阳晓明");
	add_correction(&c, TQK_F_ID_NUMBER, a.id_number, "430121800101123");
	add_correction(&c, TQK_F_SCHOOL, a.school, "长沙县星沙实验学校");
	add_correction(&c, TQK_F_EMAIL, a.email, "ouyang@example.cn");
	assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
	tqk_confirmation k;
	fixture_confirmation(a.reg_no, &k);
	memcpy(k.supersedes, c.uuid, sizeof k.supersedes);
	k.at = c.at + 60;
	add_correction(&k, TQK_F_CERT_NAME, a.cert_name, "欧阳晓明");
	assert_int_equal(tqk_store_confirm(e->s, &k), TQK_OK);

	tqk_outbox_item items[2];
	size_t n = 0;
	assert_int_equal(tqk_store_outbox_claim(e->s, k.at, 2, items, &n), TQK_OK);
	assert_int_equal(n, 2);
	tqk_outbox_item_clear(&items[0]);
	tqk_outbox_item_clear(&items[1]);
	assert_int_equal(tqk_store_outbox_retry(e->s, c.uuid, "HTTP 500", k.at, k.at + 60), TQK_OK);
	assert_int_equal(tqk_store_outbox_acked(e->s, k.uuid, k.at), TQK_OK);
	assert_int_equal(tqk_store_outbox_claim(e->s, k.at + 60, 2, items, &n), TQK_OK);
	assert_int_equal(n, 1);
	tqk_outbox_item_clear(&items[0]);
	assert_int_equal(tqk_store_outbox_acked(e->s, c.uuid, k.at + 61), TQK_OK);
	tqk_purge_stats ps;
	tqk_day end = tqk_date_to_day(tqk_time_date(FIXTURE_NOW));
	assert_int_equal(tqk_store_purge(e->s, end, TQK_RETENTION_DAYS_DEFAULT, end + 40,
	                                 FIXTURE_NOW + 40 * 86400, &ps), TQK_OK);
	assert_int_equal(ps.applications, 2);

	long long rows = raw_audit_rows(e->path);
	/* site, import, 2 confirmations, 3 answers, purge */
	assert_int_equal(rows, 8);
	assert_int_equal(raw_verify_chain(e->s, e->path), rows);
	/* The trail names the records by uuid and archive number. */
	assert_true(audit_contains(e, c.uuid));
	assert_true(audit_contains(e, k.uuid));
	assert_true(audit_contains(e, c.archive_no));

	const char *secrets[] = {
		a.name, "欧阳晓明", a.id_number, "430121800101123", "430121198001011232",
		a.school, "长沙县星沙实验学校", a.email, "ouyang@example.cn", "老师",
	};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
		if (audit_contains(e, secrets[i]))
			fail_msg("the audit trail holds \"%s\"", secrets[i]);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(empty_chain_verifies),
		T(many_rows_verify),
		T(text_boundaries_are_part_of_the_hash),
		T(too_long_texts_add_no_row),
		T(changed_detail_is_found),
		T(changed_time_is_found),
		T(changed_last_row_is_found),
		T(deleted_middle_row_is_found),
		T(deleted_middle_row_renumbered_is_found),
		T(deleted_first_row_is_found),
		T(deleted_last_rows_leave_a_shorter_chain),
		T(swapped_contents_are_found),
		T(reordered_rows_are_found),
		T(replaced_hash_is_found),
		T(replaced_prev_is_found),
		T(forged_row_at_the_end_is_found),
		T(no_personal_data_in_the_trail),
	};
#undef T
	return cmocka_run_group_tests_name("store_audit", tests, NULL, NULL);
}
