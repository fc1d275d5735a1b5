/*
 * test_ctl_payload.c - `tqkioskctl payload verify` and `payload classify`,
 * run as an administrator runs them ($TQK_CTL): a form's payload verified
 * offline against the keys of the local store's plan (--db or $TQK_DB) or
 * of --key options, with its fields printed (key=value, or JSON read back
 * with jansson); the reasons a payload is refused (bad signature, unknown
 * key, format, version) in Chinese and English with exit status 1 and no
 * personal data on stderr; a store without a plan and every malformed
 * option as usage errors (2); and scanned strings classified.
 *
 * Each test has a scratch kiosk store whose plan carries two of the
 * county's keys (the active one and a retired one); the payloads are
 * signed here with core/payload.h, by those keys and by one the plan does
 * not have.
 */
#include "test.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/payload.h"
#include "proto/api.h"
#include "store/plan.h"
#include "store/store.h"
#include "support/expect.h"
#include "support/fixture.h"

#define NAME "欧阳娜娜"
#define ID "11010519491231002X"

typedef struct keypair {
	uint8_t pk[TQK_PUBKEY_LEN], sk[TQK_SECKEY_LEN];
	char kid[TQK_KID_CAP];
	char arg[TQK_KID_CAP + TQK_PUBKEY_TEXT_LEN + 1];    /* KID:PUBKEY */
} keypair;

typedef struct world {
	char dir[512], db[600], empty_db[600];
	keypair active, retired, unknown;
	char good[TQK_PAYLOAD_CAP];         /* by the active key */
	char old[TQK_PAYLOAD_CAP];          /* by the retired key */
	char stranger[TQK_PAYLOAD_CAP];     /* by a key the plan lacks */
} world;

/* ---- the world ---- */

static keypair key_of(uint8_t seed_byte)
{
	keypair k;
	uint8_t seed[crypto_sign_SEEDBYTES];
	memset(seed, seed_byte, sizeof seed);
	assert_int_equal(crypto_sign_seed_keypair(k.pk, k.sk, seed), 0);
	tqk_kid_of(k.pk, k.kid);
	char pub[TQK_PUBKEY_TEXT_LEN + 1];
	tqk_pubkey_format(k.pk, pub);
	snprintf(k.arg, sizeof k.arg, "%s:%s", k.kid, pub);
	return k;
}

static void sign(const keypair *k, const char *reg, char out[TQK_PAYLOAD_CAP])
{
	tqk_payload p;
	memset(&p, 0, sizeof p);
	snprintf(p.reg_no, sizeof p.reg_no, "%s", reg);
	snprintf(p.id_number, sizeof p.id_number, "%s", ID);
	snprintf(p.cert_no, sizeof p.cert_no, "20234300000000000");
	snprintf(p.name, sizeof p.name, "%s", NAME);
	p.issued = test_at("2026-05-20 09:31");
	memcpy(p.kid, k->kid, sizeof p.kid);
	assert_int_equal(tqk_payload_sign(&p, k->sk, out, NULL), TQK_OK);
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	fixture_tmpdir(w->dir, sizeof w->dir);
	snprintf(w->db, sizeof w->db, "%s/kiosk.db", w->dir);
	snprintf(w->empty_db, sizeof w->empty_db, "%s/unsynced.db", w->dir);
	w->active = key_of(1);
	w->retired = key_of(2);
	w->unknown = key_of(3);
	sign(&w->active, "20260100000001", w->good);
	sign(&w->retired, "20260100000002", w->old);
	sign(&w->unknown, "20260100000003", w->stranger);

	tqk_store *s = NULL;
	assert_int_equal(fixture_store(w->db, 0, 0, &s), TQK_OK);
	tqk_plan p = fixture_plan(3, "tqk-calendar 1\nyear 2026\n");
	assert_int_equal(tqk_keyset_add(&p.keys, w->active.kid, w->active.pk), TQK_OK);
	assert_int_equal(tqk_keyset_add(&p.keys, w->retired.kid, w->retired.pk), TQK_OK);
	bool stored = false;
	assert_int_equal(tqk_store_plan_put(s, &p, FIXTURE_NOW, &stored), TQK_OK);
	assert_true(stored);
	tqk_store_free(s);
	/* A kiosk set up but never synced. */
	assert_int_equal(fixture_store(w->empty_db, 0, 0, &s), TQK_OK);
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

/* Neither the name nor the ID number may be in a message. */
static void no_personal_data_on_stderr(const proc_result *r)
{
	if (strstr(r->err, NAME) != NULL || strstr(r->err, ID) != NULL)
		expect_fail(r, "personal data on stderr");
}

/* ---- verify ---- */

static void verifies_against_the_local_plan(void **state)
{
	world *w = *state;
	proc_result r;
	CTL(&r, "payload", "verify", w->good, "--db", w->db);
	expect_status(&r, 0);
	char want[512];
	snprintf(want, sizeof want, "reg=20260100000001\nid=" ID "\ncert=20234300000000000\n"
	         "name=" NAME "\nissued=2026-05-20 09:31\nkid=%s\nvalid=true\n", w->active.kid);
	assert_string_equal(r.out, want);
	proc_result_free(&r);

	/* The retired key is still in the plan: its forms verify. */
	CTL(&r, "payload", "verify", "--db", w->db, w->old);
	expect_status(&r, 0);
	expect_out(&r, "reg=20260100000002\n");
	expect_out(&r, "valid=true\n");
	proc_result_free(&r);

	/* $TQK_DB names the store too; JSON has the same fields. */
	char env_db[700];
	snprintf(env_db, sizeof env_db, "TQK_DB=%s", w->db);
	char *env[] = {env_db, NULL};
	ctl_run(&r, env, (const char *[]){"--json", "payload", "verify", w->good, NULL});
	expect_status(&r, 0);
	json_t *j = expect_json_object(&r);
	assert_string_equal(json_string_value(json_object_get(j, "reg")), "20260100000001");
	assert_string_equal(json_string_value(json_object_get(j, "id")), ID);
	assert_string_equal(json_string_value(json_object_get(j, "cert")), "20234300000000000");
	assert_string_equal(json_string_value(json_object_get(j, "name")), NAME);
	assert_string_equal(json_string_value(json_object_get(j, "issued")), "2026-05-20 09:31");
	assert_string_equal(json_string_value(json_object_get(j, "kid")), w->active.kid);
	assert_true(json_is_true(json_object_get(j, "valid")));
	json_decref(j);
	proc_result_free(&r);
}

static void refusals_say_why(void **state)
{
	world *w = *state;
	proc_result r;
	/* A changed name: the signature fails. */
	char altered[TQK_PAYLOAD_CAP];
	memcpy(altered, w->good, sizeof altered);
	memcpy(strstr(altered, "娜娜"), "丽丽", strlen("丽丽"));
	CTL(&r, "payload", "verify", altered, "--db", w->db);
	expect_status(&r, 1);
	char want[128];
	snprintf(want, sizeof want, "valid=false\nkid=%s\nerror=payload.signature\n", w->active.kid);
	assert_string_equal(r.out, want);
	expect_err(&r, "二维码签名无效");
	no_personal_data_on_stderr(&r);
	if (strstr(r.out, "name=") != NULL || strstr(r.out, "reg=") != NULL)
		expect_fail(&r, "fields of a payload that does not verify are printed");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "payload", "verify", altered, "--db", w->db);
	expect_status(&r, 1);
	expect_err(&r, "signature is invalid");
	proc_result_free(&r);

	/* A key this kiosk has not downloaded: sync first; the kid named. */
	CTL(&r, "payload", "verify", w->stranger, "--db", w->db);
	expect_status(&r, 1);
	snprintf(want, sizeof want, "kid=%s\n", w->unknown.kid);
	expect_out(&r, want);
	expect_out(&r, "error=payload.key\n");
	expect_err(&r, "请先同步");
	expect_err(&r, w->unknown.kid);
	no_personal_data_on_stderr(&r);
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "payload", "verify", w->stranger, "--db", w->db);
	expect_err(&r, "sync first");
	proc_result_free(&r);

	/* Malformed, and another version. */
	char cut[TQK_PAYLOAD_CAP];
	snprintf(cut, sizeof cut, "%.*s", (int)strlen(w->good) - 1, w->good);
	CTL_EXPECT(1, "error=payload.format\n", "二维码内容格式有误", "payload", "verify", cut, "--db",
	           w->db);
	CTL_EXPECT(1, "error=payload.format\n", "malformed", "--lang", "en", "payload", "verify",
	           "20260100000001", "--db", w->db);
	char v2[TQK_PAYLOAD_CAP];
	memcpy(v2, w->good, sizeof v2);
	v2[2] = '2';
	CTL_EXPECT(1, "error=payload.version\n", "version is not supported", "--lang", "en",
	           "payload", "verify", v2, "--db", w->db);
	CTL(&r, "payload", "verify", v2, "--db", w->db);
	expect_err(&r, "二维码版本不受支持");
	no_personal_data_on_stderr(&r);
	if (strstr(r.out, "kid=") != NULL)
		expect_fail(&r, "a kid for a payload that does not parse");
	proc_result_free(&r);
}

static void verifies_against_given_keys(void **state)
{
	world *w = *state;
	/* --key instead of the store: no store needed. */
	CTL_EXPECT(0, "valid=true\n", NULL, "payload", "verify", w->good, "--key", w->active.arg);
	CTL_EXPECT(0, "reg=20260100000002\n", NULL, "payload", "verify", w->old, "--key",
	           w->active.arg, "--key", w->retired.arg);
	CTL_EXPECT(1, "error=payload.key\n", NULL, "payload", "verify", w->old, "--key",
	           w->active.arg);
	char eq[sizeof w->unknown.arg + 8];
	snprintf(eq, sizeof eq, "--key=%s", w->unknown.arg);
	CTL_EXPECT(0, "valid=true\n", NULL, "payload", "verify", w->stranger, eq, "--key",
	           w->active.arg);
	/* The right kid with another key's public half. */
	char wrong[sizeof w->active.arg];
	snprintf(wrong, sizeof wrong, "%s%s", w->active.kid, strchr(w->retired.arg, ':'));
	CTL_EXPECT(1, "error=payload.signature\n", NULL, "payload", "verify", w->good, "--key",
	           wrong);

	/* Malformed keys are usage errors. */
	char pub[TQK_PUBKEY_TEXT_LEN + 1];
	tqk_pubkey_format(w->active.pk, pub);
	char buf[128];
	CTL_EXPECT(2, NULL, "编号:公钥", "payload", "verify", w->good, "--key", pub);
	CTL_EXPECT(2, NULL, "KID:PUBKEY", "--lang", "en", "payload", "verify", w->good, "--key",
	           pub);
	snprintf(buf, sizeof buf, "k 1:%s", pub);
	CTL_EXPECT(2, NULL, "--key", "payload", "verify", w->good, "--key", buf);
	snprintf(buf, sizeof buf, ":%s", pub);
	CTL_EXPECT(2, NULL, "--key", "payload", "verify", w->good, "--key", buf);
	snprintf(buf, sizeof buf, "abcdefghij-_01234:%s", pub);
	CTL_EXPECT(2, NULL, "--key", "payload", "verify", w->good, "--key", buf);
	snprintf(buf, sizeof buf, "%s:%.42s", w->active.kid, pub);
	CTL_EXPECT(2, NULL, "43", "payload", "verify", w->good, "--key", buf);
	/* Not canonical: the last character's unused bits set. */
	snprintf(buf, sizeof buf, "%s", w->active.arg);
	size_t n = strlen(buf);
	buf[n - 1] = (char)(buf[n - 1] == 'A' ? 'B' : buf[n - 1] == 'g' ? 'h' : buf[n - 1] == 'Q'
	                    ? 'R' : buf[n - 1] == 'w' ? 'x' : '+');
	CTL_EXPECT(2, NULL, "base64url", "payload", "verify", w->good, "--key", buf);
	CTL_EXPECT(2, NULL, "两次", "payload", "verify", w->good, "--key", w->active.arg, "--key",
	           w->active.arg);
	CTL_EXPECT(2, NULL, "缺少取值", "payload", "verify", w->good, "--key");
	CTL_EXPECT(2, NULL, "--db", "payload", "verify", w->good, "--key", w->active.arg, "--db",
	           w->db);
	/* At most 16 keys. */
	const char *args[48] = {"payload", "verify", w->good};
	char keys[TQK_KEYSET_MAX + 1][64];
	int k = 3;
	for (int i = 0; i <= TQK_KEYSET_MAX; i++) {
		snprintf(keys[i], sizeof keys[i], "k%d:%s", i, pub);
		args[k++] = "--key";
		args[k++] = keys[i];
	}
	args[k] = NULL;
	proc_result r;
	ctl_run(&r, NULL, args);
	expect_status(&r, 2);
	expect_err(&r, "16");
	proc_result_free(&r);
	args[k - 2] = NULL;     /* 16 of them: fine, and none is the signer */
	ctl_run(&r, NULL, args);
	expect_status(&r, 1);
	expect_out(&r, "error=payload.key\n");
	proc_result_free(&r);
}

static void without_a_plan_nothing_is_checked(void **state)
{
	world *w = *state;
	/* Set up but never synced: exit 2, and what to do about it. */
	CTL_EXPECT(2, "error=store.not_found\n", "请先同步", "payload", "verify", w->good, "--db",
	           w->empty_db);
	CTL_EXPECT(2, NULL, "sync first", "--lang", "en", "payload", "verify", w->good, "--db",
	           w->empty_db);
	/* No store named at all, or none there. */
	CTL_EXPECT(2, NULL, "TQK_DB", "payload", "verify", w->good);
	char missing[700];
	snprintf(missing, sizeof missing, "%s/none.db", w->dir);
	CTL_EXPECT(2, "error=store.missing\n", NULL, "payload", "verify", w->good, "--db", missing);
}

static void usage_errors(void **state)
{
	world *w = *state;
	CTL_EXPECT(2, NULL, "verify", "payload");
	CTL_EXPECT(2, NULL, "verify", "payload", "sign", w->good);
	CTL_EXPECT(2, NULL, "verify", "payload", "verify");
	CTL_EXPECT(2, NULL, "classify", "payload", "classify");
	CTL_EXPECT(2, NULL, "--frobnicate", "payload", "verify", w->good, "--frobnicate");
	CTL_EXPECT(2, NULL, "extra", "payload", "verify", w->good, "extra", "--db", w->db);
	CTL_EXPECT(2, NULL, "--today", "payload", "verify", w->good, "--today", "2026-05-20",
	           "--db", w->db);
	CTL_EXPECT(2, NULL, "--key", "payload", "classify", w->good, "--key", w->active.arg);
	CTL_EXPECT(2, NULL, "--db", "payload", "classify", w->good, "--db", w->db);
	CTL_EXPECT(2, NULL, "--today", "payload", "classify", w->good, "--today", "2026-13-01");
	/* The help names both. */
	proc_result r;
	CTL(&r, "--help");
	expect_status(&r, 0);
	expect_out(&r, "payload verify");
	expect_out(&r, "payload classify");
	proc_result_free(&r);
}

/* ---- classify ---- */

static void classifies_scans(void **state)
{
	world *w = *state;
	CTL_EXPECT(0, "kind=cert\ntext=19981234567890123\n", NULL, "payload", "classify",
	           "981234567890123");
	CTL_EXPECT(0, "kind=id\ntext=44011320141005001X\n", NULL, "payload", "classify",
	           "44011320141005001x\r\n");
	CTL_EXPECT(0, "kind=reg\ntext=20260100000001\n", NULL, "payload", "classify",
	           "20260100000001");
	char want[TQK_PAYLOAD_CAP + 32];
	snprintf(want, sizeof want, "kind=payload\ntext=%s\n", w->good);
	CTL_EXPECT(0, want, NULL, "payload", "classify", w->good);
	/* Classified, not verified: a payload by an unknown key is a payload. */
	CTL_EXPECT(0, "kind=payload\n", NULL, "payload", "classify", w->stranger);
	/* A mistyped ID number says so, as an ID number. */
	CTL_EXPECT(1, "kind=id\nerror=id.checksum\n", "校验位", "payload", "classify",
	           "36042619910102009X");
	CTL_EXPECT(1, "kind=none\nerror=scan.unknown\n", NULL, "payload", "classify",
	           "hello world");
	CTL_EXPECT(1, "kind=none\nerror=scan.chars\n", NULL, "payload", "classify", "李娜");
	/* --today bounds the certificate's year. */
	CTL_EXPECT(1, "kind=cert\nerror=cert.year\n", NULL, "payload", "classify",
	           "20274300000000000", "--today", "2026-12-31");
	CTL_EXPECT(0, "kind=cert\n", NULL, "payload", "classify", "20274300000000000", "--today",
	           "2027-01-01");
	proc_result r;
	CTL(&r, "--json", "payload", "classify", "981234567890123");
	expect_status(&r, 0);
	assert_string_equal(r.out, "{\"kind\":\"cert\",\"text\":\"19981234567890123\"}\n");
	proc_result_free(&r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(verifies_against_the_local_plan),
		T(refusals_say_why),
		T(verifies_against_given_keys),
		T(without_a_plan_nothing_is_checked),
		T(usage_errors),
		T(classifies_scans),
	};
	return cmocka_run_group_tests_name("ctl_payload", tests, NULL, NULL);
}
