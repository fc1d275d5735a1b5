/*
 * test_county_keys.c - the county's signing keys and the forms' signed QR
 * payloads at the county server's admin command line ($TQK_COUNTY):
 * `admin key new` (a new active key, the previous one retired, the secret
 * never printed, every plan's rev moved on), `admin key list` (active,
 * retired, and keys past the TQK_KEYSET_MAX a plan publishes),
 * `admin payload REG_NO` (the application's fields, issued now, signed by
 * the active key, checked here with core/payload.h and, independently, with
 * `openssl pkeyutl -verify`), the clear error without an active key,
 * `apps demo` making the first key, and the migration of a database of
 * schema version 2, which has no key table (nor what version 4 added).
 */
#define _GNU_SOURCE
#include "test.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/payload.h"
#include "support/expect.h"
#include "support/fixture.h"
#include "support/rawdb.h"

#define OPENSSL "/usr/bin/openssl"

typedef struct world {
	char dir[512];
	char db[600];
} world;

/* A site with a plan, no applications, no keys. */
static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	fixture_tmpdir(w->dir, sizeof w->dir);
	snprintf(w->db, sizeof w->db, "%s/county.db", w->dir);
	ADMIN_EXPECT(w->db, 0, "created=true", "site", "add", "--site", "S01", "--name", "星沙确认点",
	             "--county", "CSX", "--year", "2026", "--site-no", "1");
	ADMIN_EXPECT(w->db, 0, "rev=1\n", "plan", "set", "--site", "S01", "--apply",
	             "2026-03-01..2026-04-30", "--confirm", "2026-05-06..2026-12-31");
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

/* The plan's rev, as `plan set` with the same values reports it. */
static long plan_rev(world *w)
{
	proc_result r;
	ADMIN(&r, w->db, "plan", "set", "--site", "S01", "--apply", "2026-03-01..2026-04-30",
	      "--confirm", "2026-05-06..2026-12-31");
	expect_status(&r, 0);
	expect_out(&r, "changed=false");
	char buf[32];
	kv_get(&r, "rev", buf, sizeof buf);
	proc_result_free(&r);
	return strtol(buf, NULL, 10);
}

/* `key new`: its kid and public key. */
static void key_new(world *w, char kid[TQK_KID_CAP], char pub[TQK_PUBKEY_TEXT_LEN + 1])
{
	proc_result r;
	ADMIN(&r, w->db, "key", "new");
	expect_status(&r, 0);
	kv_get(&r, "kid", kid, TQK_KID_CAP);
	kv_get(&r, "public", pub, TQK_PUBKEY_TEXT_LEN + 1);
	assert_true(tqk_kid_valid(kid));
	/* The kid is the county's: "k" and 8 hex digits of the key's hash. */
	uint8_t key[TQK_PUBKEY_LEN];
	assert_int_equal(tqk_pubkey_parse(pub, strlen(pub), key), TQK_OK);
	char want[TQK_KID_CAP];
	tqk_kid_of(key, want);
	assert_string_equal(kid, want);
	/* The secret is never shown, in any encoding. */
	char secret[2 * TQK_SECKEY_LEN + 1];
	assert_true(raw_text(w->db, "SELECT hex(secret) FROM signing_keys WHERE kid = ?1", kid, secret,
	                     sizeof secret));
	uint8_t sk[TQK_SECKEY_LEN];
	assert_int_equal(sodium_hex2bin(sk, sizeof sk, secret, strlen(secret), NULL, NULL, NULL), 0);
	char b64[TQK_SECKEY_TEXT_LEN + 1], hex[2 * TQK_SECKEY_LEN + 1];
	tqk_seckey_format(sk, b64);
	sodium_bin2hex(hex, sizeof hex, sk, sizeof sk);
	char seed_b64[64];
	sodium_bin2base64(seed_b64, sizeof seed_b64, sk, 32, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	static const char *const streams[2] = {"stdout", "stderr"};
	const char *texts[2] = {r.out, r.err};
	for (int i = 0; i < 2; i++)
		if (strcasestr(texts[i], secret) != NULL || strstr(texts[i], hex) != NULL ||
		    strstr(texts[i], b64) != NULL || strstr(texts[i], seed_b64) != NULL)
			fail_msg("the secret key is on %s", streams[i]);
	/* The key signs what its public half verifies. */
	assert_memory_equal(sk + 32, key, TQK_PUBKEY_LEN);
	sodium_memzero(sk, sizeof sk);
	proc_result_free(&r);
}

/* `key list` as lines. */
static size_t key_list(world *w, char lines[][160], size_t cap)
{
	proc_result r;
	ADMIN(&r, w->db, "key", "list");
	expect_status(&r, 0);
	size_t n = 0;
	for (const char *p = r.out; *p != '\0' && n < cap; n++) {
		size_t len = strcspn(p, "\n");
		assert_true(len < 160);
		memcpy(lines[n], p, len);
		lines[n][len] = '\0';
		p += len + (p[len] == '\n');
	}
	proc_result_free(&r);
	return n;
}

/* ---- tests ---- */

static void new_keys_rotate_and_move_the_plan(void **state)
{
	world *w = *state;
	/* None yet. */
	proc_result r;
	ADMIN(&r, w->db, "key", "list");
	expect_status(&r, 0);
	assert_string_equal(r.out, "");
	expect_err(&r, "admin key new");
	proc_result_free(&r);
	assert_int_equal(plan_rev(w), 1);

	char kid1[TQK_KID_CAP], pub1[TQK_PUBKEY_TEXT_LEN + 1];
	key_new(w, kid1, pub1);
	/* Every plan moves on, so kiosks download the new key set. */
	assert_int_equal(plan_rev(w), 2);
	char lines[4][160], want[160];
	assert_int_equal(key_list(w, lines, 4), 1);
	assert_non_null(strstr(lines[0], " active "));
	snprintf(want, sizeof want, " - %s", pub1);
	assert_non_null(strstr(lines[0], want));
	assert_int_equal(strncmp(lines[0], kid1, strlen(kid1)), 0);

	/* The second retires the first, which stays listed after it. */
	ADMIN(&r, w->db, "key", "new");
	expect_status(&r, 0);
	snprintf(want, sizeof want, "retired=%s\n", kid1);
	expect_out(&r, want);
	expect_err(&r, "旧密钥签发的申请表仍可校验");
	char kid2[TQK_KID_CAP];
	kv_get(&r, "kid", kid2, sizeof kid2);
	proc_result_free(&r);
	assert_string_not_equal(kid1, kid2);
	assert_int_equal(plan_rev(w), 3);
	assert_int_equal(key_list(w, lines, 4), 2);
	assert_int_equal(strncmp(lines[0], kid2, strlen(kid2)), 0);
	assert_non_null(strstr(lines[0], " active "));
	assert_int_equal(strncmp(lines[1], kid1, strlen(kid1)), 0);
	assert_non_null(strstr(lines[1], " retired "));
	assert_null(strstr(lines[1], " - "));   /* it has a retirement time */
	/* Times are Beijing minutes, YYYY-MM-DDTHH:MM. */
	char today[TQK_MINUTE_BUFLEN];
	tqk_local_format((tqk_time)time(NULL), today);
	today[10] = 'T';
	today[13] = '\0';               /* the hour: a minute may turn meanwhile */
	assert_non_null(strstr(lines[1], today));
	ADMIN(&r, w->db, "--lang", "en", "key", "new");
	expect_err(&r, "forms signed with the retired keys still verify");
	proc_result_free(&r);

	/* Nothing else on the line. */
	ADMIN_EXPECT(w->db, 2, NULL, "key", "new", "extra");
	ADMIN_EXPECT(w->db, 2, NULL, "key", "list", "--all");
	ADMIN_EXPECT(w->db, 2, NULL, "key", "rotate");
}

static void plans_publish_at_most_keyset_max(void **state)
{
	world *w = *state;
	char kid[TQK_KEYSET_MAX + 2][TQK_KID_CAP], pub[TQK_PUBKEY_TEXT_LEN + 1];
	for (int i = 0; i < TQK_KEYSET_MAX; i++)
		key_new(w, kid[i], pub);
	/* The 17th pushes the first out of the published set, and says so. */
	proc_result r;
	ADMIN(&r, w->db, "key", "new");
	expect_status(&r, 0);
	expect_err(&r, kid[0]);
	expect_err(&r, "不再随计划下发");
	proc_result_free(&r);
	char lines[TQK_KEYSET_MAX + 4][160];
	assert_int_equal(key_list(w, lines, TQK_KEYSET_MAX + 4), TQK_KEYSET_MAX + 1);
	assert_non_null(strstr(lines[0], " active "));
	for (int i = 1; i < TQK_KEYSET_MAX; i++)
		assert_non_null(strstr(lines[i], " retired "));
	assert_int_equal(strncmp(lines[TQK_KEYSET_MAX], kid[0], strlen(kid[0])), 0);
	assert_non_null(strstr(lines[TQK_KEYSET_MAX], " unpublished "));
	assert_int_equal(plan_rev(w), 1 + TQK_KEYSET_MAX + 1);
}

/* The signed message of a payload (domain, NUL, the text before the last
 * '|') and its raw signature, as files for openssl. */
static void openssl_verifies(world *w, const char *payload, const char *pub_text)
{
	const char *bar = strrchr(payload, '|');
	assert_non_null(bar);
	size_t body = (size_t)(bar - payload);
	char msg_path[700], sig_path[700], der_path[700];
	snprintf(msg_path, sizeof msg_path, "%s/msg.bin", w->dir);
	snprintf(sig_path, sizeof sig_path, "%s/sig.bin", w->dir);
	snprintf(der_path, sizeof der_path, "%s/pub.der", w->dir);
	unsigned char msg[512];
	memcpy(msg, TQK_PAYLOAD_DOMAIN, sizeof TQK_PAYLOAD_DOMAIN);
	memcpy(msg + sizeof TQK_PAYLOAD_DOMAIN, payload, body);
	file_spill(msg_path, msg, sizeof TQK_PAYLOAD_DOMAIN + body);
	uint8_t sig[TQK_SIG_LEN];
	size_t n = 0;
	assert_int_equal(sodium_base642bin(sig, sizeof sig, bar + 1, strlen(bar + 1), NULL, &n, NULL,
	                                   sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
	assert_int_equal(n, sizeof sig);
	file_spill(sig_path, sig, sizeof sig);
	/* SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): a fixed prefix
	 * and the 32 bytes. */
	static const uint8_t spki[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70,
	                                 0x03, 0x21, 0x00};
	uint8_t der[sizeof spki + TQK_PUBKEY_LEN];
	memcpy(der, spki, sizeof spki);
	assert_int_equal(tqk_pubkey_parse(pub_text, strlen(pub_text), der + sizeof spki), TQK_OK);
	file_spill(der_path, der, sizeof der);
	char *argv[] = {OPENSSL, "pkeyutl", "-verify", "-rawin", "-pubin", "-keyform", "DER",
	                "-inkey", der_path, "-in", msg_path, "-sigfile", sig_path, NULL};
	proc_result r;
	assert_int_equal(proc_run(argv, NULL, NULL, &r), 0);
	expect_status(&r, 0);
	expect_out(&r, "Signature Verified Successfully");
	proc_result_free(&r);
	/* And refuses the same signature over another message. */
	msg[sizeof TQK_PAYLOAD_DOMAIN + 5] ^= 1;
	file_spill(msg_path, msg, sizeof TQK_PAYLOAD_DOMAIN + body);
	assert_int_equal(proc_run(argv, NULL, NULL, &r), 0);
	assert_int_not_equal(r.status, 0);
	proc_result_free(&r);
}

static void payload_of_an_application(void **state)
{
	world *w = *state;
	/* The demo set makes the county's first key, once. */
	proc_result r;
	ADMIN(&r, w->db, "apps", "demo", "--site", "S01", "--count", "5", "--seed", "7");
	expect_status(&r, 0);
	char demo_kid[TQK_KID_CAP];
	kv_get(&r, "key", demo_kid, sizeof demo_kid);
	proc_result_free(&r);
	ADMIN(&r, w->db, "apps", "demo", "--site", "S01", "--count", "5", "--seed", "7");
	expect_status(&r, 0);
	if (strstr(r.out, "key=") != NULL)
		expect_fail(&r, "a second key from apps demo");
	proc_result_free(&r);
	char lines[4][160];
	assert_int_equal(key_list(w, lines, 4), 1);
	assert_int_equal(strncmp(lines[0], demo_kid, strlen(demo_kid)), 0);

	/* A rotation: the payload is signed by the active key. */
	char kid[TQK_KID_CAP], pub[TQK_PUBKEY_TEXT_LEN + 1];
	key_new(w, kid, pub);
	char reg[TQK_CODE_CAP];
	assert_true(raw_text(w->db, "SELECT reg_no FROM applications ORDER BY reg_no LIMIT 1", NULL,
	                     reg, sizeof reg));
	tqk_time before = (tqk_time)time(NULL) / 60 * 60;
	ADMIN(&r, w->db, "payload", reg);
	tqk_time after = (tqk_time)time(NULL);
	expect_status(&r, 0);
	char got_reg[TQK_CODE_CAP], got_kid[TQK_KID_CAP], issued[64], payload[TQK_PAYLOAD_CAP + 1];
	kv_get(&r, "reg_no", got_reg, sizeof got_reg);
	kv_get(&r, "kid", got_kid, sizeof got_kid);
	kv_get(&r, "issued", issued, sizeof issued);
	kv_get(&r, "payload", payload, sizeof payload);
	proc_result_free(&r);
	assert_string_equal(got_reg, reg);
	assert_string_equal(got_kid, kid);

	/* It verifies with the key's published text, and says what the
	 * server's application says. */
	tqk_keyset ks;
	memset(&ks, 0, sizeof ks);
	uint8_t key[TQK_PUBKEY_LEN];
	assert_int_equal(tqk_pubkey_parse(pub, strlen(pub), key), TQK_OK);
	assert_int_equal(tqk_keyset_add(&ks, kid, key), TQK_OK);
	tqk_payload p;
	tqk_err err = tqk_payload_verify(payload, strlen(payload), &ks, &p);
	if (err != TQK_OK)
		fail_msg("%s: %s", payload, tqk_err_code(err));
	assert_string_equal(p.reg_no, reg);
	char want[TQK_TEXT_CAP];
	static const char *const members[] = {"$.id_number", "$.cert_no", "$.name"};
	const char *fields[] = {p.id_number, p.cert_no, p.name};
	for (int i = 0; i < 3; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT json_extract(doc, '%s') FROM applications"
		         " WHERE reg_no = ?1", members[i]);
		assert_true(raw_text(w->db, sql, reg, want, sizeof want));
		assert_string_equal(fields[i], want);
	}
	/* Issued now, to the minute, as printed. */
	assert_true(p.issued >= before && p.issued <= after);
	char minute[TQK_MINUTE_BUFLEN];
	tqk_local_format(p.issued, minute);
	assert_string_equal(issued, minute);
	/* An implementation that is not ours agrees. */
	openssl_verifies(w, payload, pub);

	/* Unknown applications, and the command's own usage. */
	ADMIN(&r, w->db, "payload", "20269999999999");
	expect_status(&r, 1);
	expect_out(&r, "error=store.not_found");
	expect_no_out(&r, "payload=");
	proc_result_free(&r);
	ADMIN_EXPECT(w->db, 2, NULL, "payload");
	ADMIN_EXPECT(w->db, 2, NULL, "payload", reg, "extra");
	ADMIN_EXPECT(w->db, 2, NULL, "payload", reg, "--issued", "2026-05-20 09:30");
}

static void fields_that_cannot_be_signed(void **state)
{
	world *w = *state;
	ADMIN_EXPECT(w->db, 0, "key=", "apps", "demo", "--site", "S01", "--count", "2");
	char reg[TQK_CODE_CAP];
	assert_true(raw_text(w->db, "SELECT reg_no FROM applications ORDER BY reg_no LIMIT 1", NULL,
	                     reg, sizeof reg));
	/* A name the application allows but a payload cannot hold. */
	sqlite3 *db = raw_open(w->db, SQLITE_OPEN_READWRITE);
	raw_exec(db, "UPDATE applications SET doc = json_set(doc, '$.name', '李|娜')");
	sqlite3_close(db);
	proc_result r;
	ADMIN(&r, w->db, "payload", reg);
	expect_status(&r, 1);
	expect_out(&r, "error=payload.format");
	expect_err(&r, "96");
	expect_no_out(&r, "payload=");
	expect_no_err(&r, "李|娜");
	proc_result_free(&r);
}

static void without_an_active_key_and_after_migration(void **state)
{
	world *w = *state;
	ADMIN_EXPECT(w->db, 0, "key=", "apps", "demo", "--site", "S01", "--count", "2");
	char reg[TQK_CODE_CAP];
	assert_true(raw_text(w->db, "SELECT reg_no FROM applications ORDER BY reg_no LIMIT 1", NULL,
	                     reg, sizeof reg));
	/* A database of schema version 2: no key table at all. */
	sqlite3 *db = raw_open(w->db, SQLITE_OPEN_READWRITE);
	raw_exec(db, "DROP TABLE signing_keys; DROP TABLE logins; DROP TABLE trees;"
	         " DROP TABLE changes;"
	         " ALTER TABLE plans DROP COLUMN institutions; ALTER TABLE plans DROP COLUMN title;"
	         " PRAGMA user_version = 2;");
	sqlite3_close(db);
	long rev = raw_int(w->db, "SELECT rev FROM plans WHERE site = 'S01'", NULL);

	/* Opened, it is migrated; without a key, a payload is a clear no. */
	proc_result r;
	ADMIN(&r, w->db, "payload", reg);
	expect_status(&r, 1);
	expect_out(&r, "error=payload.no_key\n");
	expect_err(&r, "admin key new");
	expect_no_out(&r, "payload=");
	proc_result_free(&r);
	ADMIN(&r, w->db, "--lang", "en", "payload", reg);
	expect_status(&r, 1);
	expect_err(&r, "no active signing key");
	proc_result_free(&r);
	assert_int_equal(raw_int(w->db, "PRAGMA user_version", NULL), 5); /* SRV_DB_VERSION */
	assert_int_equal(raw_int(w->db, "SELECT rev FROM plans WHERE site = 'S01'", NULL), rev);
	char lines[2][160];
	assert_int_equal(key_list(w, lines, 2), 0);

	/* apps demo on a county that has applications but no key makes one. */
	ADMIN_EXPECT(w->db, 0, "key=", "apps", "demo", "--site", "S01", "--count", "2");
	ADMIN_EXPECT(w->db, 0, "payload=TQ1|", "payload", reg);
	assert_int_equal(raw_int(w->db, "SELECT rev FROM plans WHERE site = 'S01'", NULL), rev + 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		T(new_keys_rotate_and_move_the_plan),
		T(plans_publish_at_most_keyset_max),
		T(payload_of_an_application),
		T(fields_that_cannot_be_signed),
		T(without_an_active_key_and_after_migration),
	};
	return cmocka_run_group_tests_name("county_keys", tests, NULL, NULL);
}
