/*
 * test_payload_flow.c - a printed form's signed QR payload end to end, with
 * the real programs: the county server ($TQK_COUNTY, on a free loopback
 * port) makes a signing key (`admin key new`), a kiosk syncs
 * (`tqkioskctl sync`, which brings the plan and its keys down), the server
 * signs a form (`admin payload REG_NO`), and the kiosk verifies it offline,
 * with the server stopped (`tqkioskctl payload verify`, $TQK_CTL):
 *
 *   - a form of the server's, verified against the kiosk's store: valid,
 *     with the application's fields; its name altered: bad signature;
 *   - a form signed with a key the kiosk has not downloaded yet: unknown
 *     key, "sync first"; after a sync, valid;
 *   - key rotation: after `key new` and a sync, a form signed with the
 *     retired key still verifies, and so does one of the new key.
 *
 * TQK_KEEP=1 keeps each test's scratch directory (the server's log is in
 * it).
 */
#define _GNU_SOURCE
#include "test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "core/payload.h"
#include "support/county.h"
#include "support/expect.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define APPS 12

typedef struct env {
	char dir[512], kdb[700], conf[700];
	county srv;
	char secret[COUNTY_SECRET_HEX];
	char reg[2][TQK_CODE_CAP];          /* two of the server's applications */
} env;

static void note_why(const county *srv)
{
	fprintf(stderr, "# county: %s\n", srv->why);
	county_dump_log(srv, 4000);
}

/* ---- set-up ---- */

static int setup(void **state)
{
	signal(SIGPIPE, SIG_IGN);
	env *e = calloc(1, sizeof *e);
	if (e == NULL)
		return -1;
	*state = e;
	fixture_tmpdir(e->dir, sizeof e->dir);
	if (county_start(&e->srv, e->dir, false) != 0 ||
	    county_provision(&e->srv, "S01", "K01", 3, APPS, 1, e->secret) != 0) {
		note_why(&e->srv);
		return -1;
	}
	for (int i = 0; i < 2; i++)
		if (!raw_text(e->srv.db, i == 0
		              ? "SELECT reg_no FROM applications ORDER BY reg_no LIMIT 1"
		              : "SELECT reg_no FROM applications ORDER BY reg_no LIMIT 1 OFFSET 1", NULL,
		              e->reg[i], sizeof e->reg[i]))
			return -1;
	/* The kiosk: its store and its connection file (mode 0600). */
	snprintf(e->kdb, sizeof e->kdb, "%s/kiosk.db", e->dir);
	snprintf(e->conf, sizeof e->conf, "%s/kiosk.conf", e->dir);
	tqk_store *s = county_kiosk_store(e->kdb, "K01", 3);
	if (s == NULL)
		return -1;
	tqk_store_free(s);
	char url[64];
	county_url(e->srv.port, url, sizeof url);
	FILE *f = fopen(e->conf, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "[server]\nurl = %s\nconnect_timeout = 2\ntimeout = 10\n"
	           "[kiosk]\nid = K01\nsecret = %s\n", url, e->secret);
	if (fclose(f) != 0 || chmod(e->conf, 0600) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	if (e == NULL)
		return 0;
	int rc = 0;
	if (e->srv.pid > 0 && county_stop(&e->srv) != 0) {
		note_why(&e->srv);
		rc = -1;
	}
	const char *keep = getenv("TQK_KEEP");
	if (keep != NULL && strcmp(keep, "1") == 0)
		fprintf(stderr, "# kept %s\n", e->dir);
	else
		fixture_rmdir(e->dir);
	free(e);
	return rc;
}

/* ---- steps ---- */

/* `admin key new` on the server: the new kid. */
static void key_new(env *e, char kid[TQK_KID_CAP])
{
	proc_result r;
	if (county_admin_ok(&e->srv, &r, "key", "new", NULL) != 0)
		fail_msg("key new: %s", e->srv.why);
	kv_get(&r, "kid", kid, TQK_KID_CAP);
	proc_result_free(&r);
}

/* `admin payload REG_NO` on the server: the payload, signed by kid. */
static void payload_of(env *e, const char *reg, char *out, size_t cap, const char *kid)
{
	proc_result r;
	if (county_admin_ok(&e->srv, &r, "payload", reg, NULL) != 0)
		fail_msg("payload: %s", e->srv.why);
	kv_get(&r, "payload", out, cap);
	char got[TQK_KID_CAP];
	kv_get(&r, "kid", got, sizeof got);
	assert_string_equal(got, kid);
	proc_result_free(&r);
}

/* One sync round of the kiosk, which must bring a newer plan. */
static void sync_kiosk(env *e)
{
	proc_result r;
	CTL(&r, "sync", "--config", e->conf, "--db", e->kdb);
	expect_status(&r, 0);
	expect_out(&r, "plan=true\n");
	proc_result_free(&r);
}

/* `payload verify` at the kiosk, against its store; expects status. */
static void verify(env *e, const char *payload, int status, proc_result *r)
{
	CTL(r, "payload", "verify", payload, "--db", e->kdb);
	expect_status(r, status);
}

/* ---- tests ---- */

static void form_verifies_offline(void **state)
{
	env *e = *state;
	char kid[TQK_KID_CAP];
	key_new(e, kid);
	sync_kiosk(e);
	char payload[TQK_PAYLOAD_CAP + 1];
	payload_of(e, e->reg[0], payload, sizeof payload, kid);

	/* The server is gone: the kiosk checks the form on its own. */
	assert_int_equal(county_stop(&e->srv), 0);
	proc_result r;
	verify(e, payload, 0, &r);
	expect_out(&r, "valid=true\n");
	char want[TQK_TEXT_CAP + 16];
	snprintf(want, sizeof want, "reg=%s\n", e->reg[0]);
	expect_out(&r, want);
	snprintf(want, sizeof want, "kid=%s\n", kid);
	expect_out(&r, want);
	/* The fields are the server's application's. */
	static const char *const members[] = {"id_number", "cert_no", "name"};
	static const char *const keys[] = {"id", "cert", "name"};
	for (int i = 0; i < 3; i++) {
		char sql[128], value[TQK_TEXT_CAP], got[TQK_TEXT_CAP];
		snprintf(sql, sizeof sql, "SELECT json_extract(doc, '$.%s') FROM applications"
		         " WHERE reg_no = ?1", members[i]);
		assert_true(raw_text(e->srv.db, sql, e->reg[0], value, sizeof value));
		kv_get(&r, keys[i], got, sizeof got);
		assert_string_equal(got, value);
	}
	char name[TQK_TEXT_CAP];
	kv_get(&r, "name", name, sizeof name);
	proc_result_free(&r);

	/* The name altered on the printed form: bad signature. The first
	 * character of the name becomes another of the same length. */
	char altered[sizeof payload];
	memcpy(altered, payload, sizeof altered);
	char *at = strstr(altered, name);
	assert_non_null(at);
	const char *other = strncmp(at, "王", 3) == 0 ? "李" : "王";
	if ((unsigned char)at[0] >= 0xE0)
		memcpy(at, other, 3);
	else
		at[0] = (char)(at[0] == 'A' ? 'B' : 'A');
	verify(e, altered, 1, &r);
	expect_out(&r, "valid=false\n");
	expect_out(&r, "error=payload.signature\n");
	if (strstr(r.err, "篡改") == NULL)
		expect_fail(&r, "no word of an altered form");
	proc_result_free(&r);
}

static void unknown_key_until_the_kiosk_syncs(void **state)
{
	env *e = *state;
	char kid1[TQK_KID_CAP], kid2[TQK_KID_CAP];
	key_new(e, kid1);
	sync_kiosk(e);
	/* A key made after the kiosk's last download. */
	key_new(e, kid2);
	char payload[TQK_PAYLOAD_CAP + 1];
	payload_of(e, e->reg[1], payload, sizeof payload, kid2);
	proc_result r;
	verify(e, payload, 1, &r);
	expect_out(&r, "error=payload.key\n");
	char want[64];
	snprintf(want, sizeof want, "kid=%s\n", kid2);
	expect_out(&r, want);
	if (strstr(r.err, "请先同步") == NULL || strstr(r.err, kid2) == NULL)
		expect_fail(&r, "no word of the unknown key and what to do");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "payload", "verify", payload, "--db", e->kdb);
	expect_status(&r, 1);
	if (strstr(r.err, "sync first") == NULL)
		expect_fail(&r, "no \"sync first\"");
	proc_result_free(&r);
	/* The next sync brings the key: the same form is valid, offline. */
	sync_kiosk(e);
	assert_int_equal(county_stop(&e->srv), 0);
	verify(e, payload, 0, &r);
	expect_out(&r, "valid=true\n");
	proc_result_free(&r);
}

static void retired_key_still_verifies_after_rotation(void **state)
{
	env *e = *state;
	char kid1[TQK_KID_CAP], kid2[TQK_KID_CAP];
	key_new(e, kid1);
	sync_kiosk(e);
	char old_form[TQK_PAYLOAD_CAP + 1], new_form[TQK_PAYLOAD_CAP + 1];
	payload_of(e, e->reg[0], old_form, sizeof old_form, kid1);
	/* Rotation: the server signs with the new key from now on. */
	key_new(e, kid2);
	assert_string_not_equal(kid1, kid2);
	payload_of(e, e->reg[1], new_form, sizeof new_form, kid2);
	sync_kiosk(e);
	/* The kiosk's store holds both, the active one first. */
	char first[TQK_KID_CAP];
	assert_true(raw_text(e->kdb, "SELECT kid FROM plan_keys ORDER BY ord LIMIT 1", NULL, first,
	                     sizeof first));
	assert_string_equal(first, kid2);
	assert_true(raw_int(e->kdb, "SELECT count(*) FROM plan_keys WHERE kid = ?1", kid1) == 1);
	assert_int_equal(county_stop(&e->srv), 0);

	proc_result r;
	verify(e, old_form, 0, &r);
	expect_out(&r, "valid=true\n");
	char want[64];
	snprintf(want, sizeof want, "kid=%s\n", kid1);
	expect_out(&r, want);
	proc_result_free(&r);
	verify(e, new_form, 0, &r);
	snprintf(want, sizeof want, "kid=%s\n", kid2);
	expect_out(&r, want);
	proc_result_free(&r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(form_verifies_offline),
		T(unknown_key_until_the_kiosk_syncs),
		T(retired_key_still_verifies_after_rotation),
	};
	return cmocka_run_group_tests_name("payload_flow", tests, NULL, NULL);
}
