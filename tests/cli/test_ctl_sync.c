/*
 * test_ctl_sync.c - tqkioskctl's commands for the county server, run as an
 * administrator would run them: `queue --rejected` lists the records the
 * server refused (and never their content), `retry UUID` queues one again
 * (only a refused one; audited), and `sync` against a server that cannot
 * be reached prints its figures, a clear net.* error and exits 1, with
 * every record still queued; a missing or unsafe configuration file is a
 * usage error.
 *
 * Each test prepares its store in a scratch directory through the store's
 * own API (confirmations committed, then claimed and refused as the worker
 * would), runs the built binary ($TQK_CTL) and checks stdout (key=value,
 * or JSON read back with jansson), stderr, the exit status and the store.
 */
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/confirmation.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "store/store.h"
#include "support/expect.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define QUEUED 4
#define UUID_UNKNOWN "0b6e3d52-3f0e-4c4a-9d8e-5a1c2b3d4e5f"

typedef struct world {
	char dir[512];
	char db[600];
	char conf[600];
	char uuids[QUEUED][TQK_UUID_CAP];   /* confirmations 0..3; 1 and 3 refused */
} world;

/* ---- the world ---- */

/* A store with QUEUED confirmations queued; 1 and 3 claimed and refused by
 * the server as the worker records it, 0 and 2 pending. */
static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	fixture_tmpdir(w->dir, sizeof w->dir);
	snprintf(w->db, sizeof w->db, "%s/kiosk.db", w->dir);
	snprintf(w->conf, sizeof w->conf, "%s/kiosk.conf", w->dir);
	tqk_store *s = NULL;
	assert_int_equal(fixture_store(w->db, QUEUED, 0, &s), TQK_OK);
	for (unsigned i = 0; i < QUEUED; i++) {
		tqk_application a;
		fixture_app(i, FIXTURE_SITE, &a);
		tqk_confirmation c;
		fixture_confirmation(a.reg_no, &c);
		c.at = FIXTURE_NOW + 60 * (tqk_time)i;
		assert_int_equal(tqk_store_confirm(s, &c), TQK_OK);
		memcpy(w->uuids[i], c.uuid, TQK_UUID_CAP);
	}
	tqk_outbox_item items[QUEUED];
	size_t n = 0;
	tqk_time now = FIXTURE_NOW + 600;
	assert_int_equal(tqk_store_outbox_claim(s, now, QUEUED, items, &n), TQK_OK);
	assert_int_equal(n, QUEUED);
	for (size_t i = 0; i < n; i++) {
		if (i == 1 || i == 3)
			assert_int_equal(tqk_store_outbox_rejected(s, items[i].uuid, i == 1
			                 ? "store.confirmed: 该申请已确认，请改为更正"
			                 : "store.exists: same uuid, other content", now), TQK_OK);
		else
			assert_int_equal(tqk_store_outbox_retry(s, items[i].uuid, "net.connect", now, now),
			                 TQK_OK);
		tqk_outbox_item_clear(&items[i]);
	}
	tqk_store_free(s);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	fixture_rmdir(w->dir);
	free(w);
	return 0;
}

/* The state and attempts of a queued record, read from the file. */
static int64_t outbox_state(const world *w, int i)
{
	return raw_int(w->db, "SELECT state FROM outbox WHERE uuid = ?1", w->uuids[i]);
}

/* Writes the kiosk's connection file with url, mode mode. */
static void write_conf(const world *w, const char *url, mode_t mode)
{
	FILE *f = fopen(w->conf, "w");
	assert_non_null(f);
	fprintf(f, "[server]\nurl = %s\nconnect_timeout = 2\ntimeout = 5\n"
	           "[kiosk]\nid = " FIXTURE_KIOSK "\n"
	           "secret = 000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
	           "[sync]\nbackoff_cap = 60\nbatch = 50\n", url);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(w->conf, mode), 0);
}

/* ---- queue --rejected ---- */

static void queue_rejected_lists_refused_records(void **state)
{
	world *w = *state;
	proc_result r;
	CTL(&r, "queue", "--rejected", "--db", w->db);
	expect_status(&r, 0);
	expect_kv(&r, "rejected", "2");
	static const int refused[] = {1, 3};
	static const char *const why[] = {"store.confirmed: 该申请已确认，请改为更正",
	                                  "store.exists: same uuid, other content"};
	for (int k = 0; k < 2; k++) {
		expect_kv_nth(&r, "uuid", k, w->uuids[refused[k]]);
		expect_kv_nth(&r, "kind", k, "confirmation");
		expect_kv_nth(&r, "attempts", k, "1");
		expect_kv_nth(&r, "last_error", k, why[k]);
	}
	/* Created at FIXTURE_NOW + 1 and + 3 minutes, Beijing time. */
	expect_kv_nth(&r, "created", 0, "2026-05-20 09:32");
	expect_kv_nth(&r, "created", 1, "2026-05-20 09:34");
	/* Only the refused ones, and never their content. */
	if (strstr(r.out, w->uuids[0]) != NULL || strstr(r.out, w->uuids[2]) != NULL)
		expect_fail(&r, "a pending record is listed");
	if (strstr(r.out, "reg_no") != NULL || strstr(r.out, "2026000000000") != NULL)
		expect_fail(&r, "a record's content is listed");
	expect_err(&r, "tqkioskctl retry UUID");
	proc_result_free(&r);

	/* JSON: the count and an array of records. */
	CTL(&r, "--json", "--lang", "en", "queue", "--db", w->db, "--rejected");
	expect_status(&r, 0);
	json_t *j = expect_json_object(&r);
	assert_int_equal(json_integer_value(json_object_get(j, "rejected")), 2);
	json_t *list = json_object_get(j, "records");
	assert_int_equal(json_array_size(list), 2);
	json_t *first = json_array_get(list, 0);
	assert_string_equal(json_string_value(json_object_get(first, "uuid")), w->uuids[1]);
	assert_int_equal(json_integer_value(json_object_get(first, "attempts")), 1);
	assert_string_equal(json_string_value(json_object_get(first, "last_error")), why[0]);
	json_decref(j);
	expect_err(&r, "send one again with tqkioskctl retry UUID");
	proc_result_free(&r);

	/* Without --rejected: the counts, as before. */
	CTL(&r, "queue", "--db", w->db);
	expect_status(&r, 0);
	expect_kv(&r, "pending", "2");
	expect_kv(&r, "rejected", "2");
	expect_no_kv(&r, "uuid");
	proc_result_free(&r);
}

static void queue_rejected_on_a_clean_queue_lists_nothing(void **state)
{
	world *w = *state;
	char path[700];
	snprintf(path, sizeof path, "%s/clean.db", w->dir);
	tqk_store *s = NULL;
	assert_int_equal(fixture_store(path, 1, 0, &s), TQK_OK);
	tqk_store_free(s);
	proc_result r;
	CTL(&r, "queue", "--rejected", "--db", path);
	expect_status(&r, 0);
	expect_kv(&r, "rejected", "0");
	expect_no_kv(&r, "uuid");
	assert_string_equal(r.err, "");
	proc_result_free(&r);
}

/* ---- retry ---- */

static void retry_queues_a_refused_record_again(void **state)
{
	world *w = *state;
	int64_t audit = raw_audit_rows(w->db);
	proc_result r;
	CTL(&r, "retry", "--db", w->db, w->uuids[1]);
	expect_status(&r, 0);
	expect_kv(&r, "uuid", w->uuids[1]);
	expect_kv(&r, "state", "pending");
	expect_err(&r, "已重新排队");
	proc_result_free(&r);
	assert_int_equal(outbox_state(w, 1), TQK_OUTBOX_PENDING);
	assert_int_equal(outbox_state(w, 3), TQK_OUTBOX_REJECTED);
	assert_int_equal(raw_audit_rows(w->db), audit + 1);
	assert_int_equal(raw_int(w->db, "SELECT count(*) FROM audit WHERE action = 'upload.requeue'"
	                         " AND subject = ?1", w->uuids[1]), 1);

	/* Now pending: a second retry is refused, and changes nothing. */
	CTL(&r, "--lang", "en", "retry", w->uuids[1], "--db", w->db);
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.outbox");
	expect_err(&r, "only a record the county server refused can be sent again");
	proc_result_free(&r);
	assert_int_equal(raw_audit_rows(w->db), audit + 1);

	/* The listing no longer shows it. */
	CTL(&r, "queue", "--rejected", "--db", w->db);
	expect_kv(&r, "rejected", "1");
	expect_kv_nth(&r, "uuid", 0, w->uuids[3]);
	proc_result_free(&r);
}

static void retry_refuses_what_it_cannot_do(void **state)
{
	world *w = *state;
	proc_result r;
	CTL(&r, "retry", "--db", w->db, UUID_UNKNOWN);
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.not_found");
	proc_result_free(&r);

	CTL(&r, "retry", "--db", w->db, w->uuids[0]);      /* pending, not refused */
	expect_status(&r, 1);
	expect_kv(&r, "error", "store.outbox");
	proc_result_free(&r);
	assert_int_equal(outbox_state(w, 0), TQK_OUTBOX_PENDING);

	CTL(&r, "retry", "--db", w->db, "not-a-uuid");
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "retry", "--db", w->db);
	expect_status(&r, 2);
	expect_err(&r, "queue --rejected");
	proc_result_free(&r);
	CTL(&r, "retry", w->uuids[1]);                     /* no --db, no $TQK_DB */
	expect_status(&r, 2);
	proc_result_free(&r);
	assert_int_equal(outbox_state(w, 1), TQK_OUTBOX_REJECTED);
}

/* ---- sync ---- */

static void sync_without_a_server_says_so_and_keeps_the_queue(void **state)
{
	world *w = *state;
	write_conf(w, "http://127.0.0.1:1", 0600);
	char *before = raw_dump(w->db);
	proc_result r;
	CTL(&r, "--lang", "en", "sync", "--db", w->db, "--config", w->conf);
	expect_status(&r, 1);
	expect_kv(&r, "error", "net.connect");
	expect_kv(&r, "uploaded", "0");
	expect_kv(&r, "rejected", "0");
	expect_kv(&r, "retried", "0");
	expect_kv(&r, "applications", "0");
	expect_kv(&r, "plan", "false");
	expect_kv(&r, "server_time", "none");
	expect_kv(&r, "pending", "2");
	expect_err(&r, "cannot reach the county server");
	expect_err(&r, "/v1/time");
	proc_result_free(&r);
	/* The rows wait, pending and due; nothing in the file changed. */
	assert_int_equal(outbox_state(w, 0), TQK_OUTBOX_PENDING);
	assert_int_equal(outbox_state(w, 2), TQK_OUTBOX_PENDING);
	raw_expect_unchanged(w->db, before);

	/* $TQK_CONFIG stands in for --config; --json gives one object. */
	char env[700];
	snprintf(env, sizeof env, "TQK_CONFIG=%s", w->conf);
	ctl_run(&r, (char *[]){env, NULL}, (const char *[]){"--json", "sync", "--db", w->db, NULL});
	expect_status(&r, 1);
	json_t *j = expect_json_object(&r);
	assert_string_equal(json_string_value(json_object_get(j, "error")), "net.connect");
	assert_int_equal(json_integer_value(json_object_get(j, "pending")), 2);
	assert_true(json_is_false(json_object_get(j, "plan")));
	json_decref(j);
	expect_err(&r, "无法连接县服务器");
	proc_result_free(&r);
}

static void sync_needs_a_sound_configuration(void **state)
{
	world *w = *state;
	proc_result r;
	CTL(&r, "sync", "--db", w->db);                    /* neither --config nor $TQK_CONFIG */
	expect_status(&r, 2);
	expect_err(&r, "TQK_CONFIG");
	proc_result_free(&r);

	CTL(&r, "sync", "--db", w->db, "--config", w->conf);  /* no such file */
	expect_status(&r, 2);
	expect_kv(&r, "error", "config.invalid");
	proc_result_free(&r);

	write_conf(w, "http://127.0.0.1:1", 0644);          /* others may read the secret */
	CTL(&r, "--lang", "en", "sync", "--db", w->db, "--config", w->conf);
	expect_status(&r, 2);
	expect_err(&r, "chmod 600");
	proc_result_free(&r);

	write_conf(w, "http://192.0.2.1:8443", 0600);       /* plain http off the machine */
	CTL(&r, "sync", "--db", w->db, "--config", w->conf);
	expect_status(&r, 2);
	proc_result_free(&r);

	CTL(&r, "sync", "--db", w->db, "--config", w->conf, "extra");
	expect_status(&r, 2);
	proc_result_free(&r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(queue_rejected_lists_refused_records),
		T(queue_rejected_on_a_clean_queue_lists_nothing),
		T(retry_queues_a_refused_record_again),
		T(retry_refuses_what_it_cannot_do),
		T(sync_without_a_server_says_so_and_keeps_the_queue),
		T(sync_needs_a_sound_configuration),
	};
	return cmocka_run_group_tests_name("ctl_sync", tests, NULL, NULL);
}
