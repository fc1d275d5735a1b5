/*
 * test_scan.c - classifying a scanned string (core/scan.h): every shape
 * (certificate numbers of 17 and 15 digits, ID numbers with x or X, the
 * form's signed payload, registration numbers) and its normalised text;
 * the suffixes scanners append (CR, LF, tab, space) and nothing else
 * dropped; control characters and non-ASCII bytes outside payloads; the
 * length cap; empty scans; a mistyped number reported with its own check's
 * error; and classification that is stable on its own output.
 */
#include "test.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/payload.h"
#include "core/scan.h"

#define TODAY DATE(2026, 5, 20)

/* A form's payload signed by the key of seed 00..1f (test_payload.c has
 * the same vector). */
#define PAYLOAD "TQ1|20260100000001|11010519491231002X|20234300000000000|李娜|202605200930|" \
	"k40bca4ea|PBE_PHdyGvIqsWcu5ZX_WUB4-Nrh0UIijs1PL2I1HbD-IafKGHHHLh38FMHN1iswbXdsd5gfXyHFiAe77U0KBA"

/* Classifies the first len bytes of s (len -1: all of it) as of today and
 * checks the error, the kind and the normalised text (NULL: ""). */
static void expect_at(int line, const char *s, long len, tqk_date today, tqk_err want_err,
                      tqk_scan_kind want_kind, const char *want_text)
{
	size_t n = len < 0 ? strlen(s) : (size_t)len;
	tqk_scan out;
	memset(&out, 0xA5, sizeof out);
	tqk_err err = tqk_scan_classify(s, n, today, &out);
	if (err != want_err || out.kind != want_kind)
		fail_msg("line %d: \"%.*s\": got %s/%s, want %s/%s", line, (int)(n > 80 ? 80 : n), s,
		         tqk_err_code(err), tqk_scan_kind_code(out.kind), tqk_err_code(want_err),
		         tqk_scan_kind_code(want_kind));
	const char *text = want_text != NULL ? want_text : "";
	if (strcmp(out.text, text) != 0 || out.len != strlen(text))
		fail_msg("line %d: text \"%s\" (%zu), want \"%s\"", line, out.text, out.len, text);
	/* A success classifies the same again from its own text. */
	if (err == TQK_OK) {
		tqk_scan again;
		assert_int_equal(tqk_scan_classify(out.text, out.len, today, &again), TQK_OK);
		assert_int_equal(again.kind, out.kind);
		assert_string_equal(again.text, out.text);
	}
}

#define SCAN(s, err, kind, text) expect_at(__LINE__, (s), -1, TODAY, (err), (kind), (text))
#define SCAN_N(s, n, err, kind, text) expect_at(__LINE__, (s), (n), TODAY, (err), (kind), (text))
#define SCAN_ON(s, today, err, kind, text) expect_at(__LINE__, (s), -1, (today), (err), (kind), (text))

static void certificate_numbers(void **state)
{
	(void)state;
	SCAN("20234300000000000", TQK_OK, TQK_SCAN_CERT, "20234300000000000");
	SCAN("19930000000000001", TQK_OK, TQK_SCAN_CERT, "19930000000000001");
	/* 15 digits: an old certificate, "19" in front (core/certnum.h). */
	SCAN("981234567890123", TQK_OK, TQK_SCAN_CERT, "19981234567890123");
	SCAN("930000000000001", TQK_OK, TQK_SCAN_CERT, "19930000000000001");
	/* The year holds: 1993..this year, by today. */
	SCAN("20264300000000000", TQK_OK, TQK_SCAN_CERT, "20264300000000000");
	SCAN("20274300000000000", TQK_E_CERT_YEAR, TQK_SCAN_CERT, NULL);
	SCAN_ON("20274300000000000", DATE(2027, 1, 1), TQK_OK, TQK_SCAN_CERT, "20274300000000000");
	SCAN("19920000000000001", TQK_E_CERT_YEAR, TQK_SCAN_CERT, NULL);
	SCAN("920000000000001", TQK_E_CERT_YEAR, TQK_SCAN_CERT, NULL);
	/* An old 15-digit ID number has the shape of an old certificate, and
	 * is judged as one: ID cards carry 18 characters since 2013. */
	SCAN("350303900203307", TQK_E_CERT_YEAR, TQK_SCAN_CERT, NULL);
}

static void id_numbers(void **state)
{
	(void)state;
	SCAN("11010519491231002X", TQK_OK, TQK_SCAN_ID, "11010519491231002X");
	SCAN("360426199101010071", TQK_OK, TQK_SCAN_ID, "360426199101010071");
	/* x as scanners and people type it: X in the text. */
	SCAN("44011320141005001x", TQK_OK, TQK_SCAN_ID, "44011320141005001X");
	/* A mistyped number says what is wrong with it, as an ID number. */
	SCAN("36042619910102009X", TQK_E_ID_CHECKSUM, TQK_SCAN_ID, NULL);
	SCAN("360426199101010072", TQK_E_ID_CHECKSUM, TQK_SCAN_ID, NULL);
	SCAN("360426199113010079", TQK_E_ID_DATE, TQK_SCAN_ID, NULL);
	SCAN("990426199101010071", TQK_E_ID_REGION, TQK_SCAN_ID, NULL);
	/* Born after today. */
	SCAN_ON("44011320141005001X", DATE(2014, 10, 4), TQK_E_ID_DATE, TQK_SCAN_ID, NULL);
	SCAN_ON("44011320141005001X", DATE(2014, 10, 5), TQK_OK, TQK_SCAN_ID, "44011320141005001X");
	/* 17 digits and another letter: not an ID's shape. */
	SCAN("44011320141005001Y", TQK_OK, TQK_SCAN_REG, "44011320141005001Y");
}

static void payloads(void **state)
{
	(void)state;
	SCAN(PAYLOAD, TQK_OK, TQK_SCAN_PAYLOAD, PAYLOAD);
	SCAN(PAYLOAD "\r\n", TQK_OK, TQK_SCAN_PAYLOAD, PAYLOAD);
	SCAN(PAYLOAD "\t", TQK_OK, TQK_SCAN_PAYLOAD, PAYLOAD);
	/* Classified, not verified: the caller checks the signature with the
	 * plan's keys, on the text. */
	uint8_t seed[32], pk[32], sk[64];
	for (int i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	assert_int_equal(crypto_sign_seed_keypair(pk, sk, seed), 0);
	tqk_keyset ks;
	memset(&ks, 0, sizeof ks);
	assert_int_equal(tqk_keyset_add(&ks, "k40bca4ea", pk), TQK_OK);
	char altered[sizeof PAYLOAD];
	memcpy(altered, PAYLOAD, sizeof altered);
	memcpy(strstr(altered, "李娜"), "李冰", strlen("李冰"));
	tqk_scan out;
	assert_int_equal(tqk_scan_classify(altered, strlen(altered), TODAY, &out), TQK_OK);
	assert_int_equal(out.kind, TQK_SCAN_PAYLOAD);
	assert_int_equal(tqk_payload_verify(out.text, out.len, &ks, NULL), TQK_E_PAYLOAD_SIGNATURE);
	assert_int_equal(tqk_scan_classify(PAYLOAD "\r", sizeof PAYLOAD, TODAY, &out), TQK_OK);
	assert_int_equal(tqk_payload_verify(out.text, out.len, &ks, NULL), TQK_OK);

	/* Other versions, and what is not a payload of ours after all. */
	SCAN("TQ2|20260100000001|x", TQK_E_PAYLOAD_VERSION, TQK_SCAN_PAYLOAD, NULL);
	SCAN("TQ123|", TQK_E_PAYLOAD_VERSION, TQK_SCAN_PAYLOAD, NULL);
	SCAN("TQ1|20260100000001", TQK_E_PAYLOAD_FORMAT, TQK_SCAN_PAYLOAD, NULL);
	SCAN("TQ1|", TQK_E_PAYLOAD_FORMAT, TQK_SCAN_PAYLOAD, NULL);
	/* The name is the one place for UTF-8, never for control bytes. */
	memcpy(altered, PAYLOAD, sizeof altered);
	memcpy(strstr(altered, "李娜"), "李\x01\x02\x03娜", 6);
	SCAN(altered, TQK_E_PAYLOAD_FORMAT, TQK_SCAN_PAYLOAD, NULL);
	/* Not the shape: four digits, no '|', lower case, in the middle. */
	SCAN("TQ1234|x", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("TQ1", TQK_OK, TQK_SCAN_REG, "TQ1");
	SCAN("tq1|x", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("TQ|x", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("x" PAYLOAD, TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
}

static void registration_numbers(void **state)
{
	(void)state;
	SCAN("20260100000001", TQK_OK, TQK_SCAN_REG, "20260100000001");
	SCAN("20269000000001", TQK_OK, TQK_SCAN_REG, "20269000000001");
	SCAN("K01-0001", TQK_OK, TQK_SCAN_REG, "K01-0001");
	SCAN("a_b", TQK_OK, TQK_SCAN_REG, "a_b");
	SCAN("R", TQK_OK, TQK_SCAN_REG, "R");
	SCAN("ABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123", TQK_OK, TQK_SCAN_REG,
	     "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-0123");
	SCAN("ABCDEFGHIJKLMNOPQRSTUVWXYZ_-01234", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	/* Digits of lengths no certificate or ID number has. */
	SCAN("2026010000000", TQK_OK, TQK_SCAN_REG, "2026010000000");
	SCAN("2026010000000012", TQK_OK, TQK_SCAN_REG, "2026010000000012");
	SCAN("2026010000000012345", TQK_OK, TQK_SCAN_REG, "2026010000000012345");
	/* Printable ASCII that no code holds. */
	SCAN("2026 0100000001", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("2026.01", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("http://example.cn/x", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
}

static void scanner_suffixes(void **state)
{
	(void)state;
	static const char *const suffixes[] = {"\r", "\n", "\r\n", "\t", " ", " \t\r\n", "\n\n\n"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char buf[64];
		snprintf(buf, sizeof buf, "20234300000000000%s", suffixes[i]);
		SCAN(buf, TQK_OK, TQK_SCAN_CERT, "20234300000000000");
		snprintf(buf, sizeof buf, "44011320141005001x%s", suffixes[i]);
		SCAN(buf, TQK_OK, TQK_SCAN_ID, "44011320141005001X");
		snprintf(buf, sizeof buf, "20260100000001%s", suffixes[i]);
		SCAN(buf, TQK_OK, TQK_SCAN_REG, "20260100000001");
	}
	/* Only at the end, and only those four. */
	SCAN(" 20234300000000000", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("\r\n20234300000000000", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN("2023430000 0000000", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("20234300000000000\v", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN("20234300000000000\f", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN("20234300000000000\xE3\x80\x80", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	/* Only len bytes are read. */
	SCAN_N("20234300000000000999", 17, TQK_OK, TQK_SCAN_CERT, "20234300000000000");
}

static void control_and_non_ascii(void **state)
{
	(void)state;
	/* Control characters anywhere but the suffix. */
	static const char *const controls[] = {
		"2023\x01" "4300000000000", "\x1b[A", "20260100000001\x7f", "\x02" "20260100000001\x03",
		"2026\r0100000001",
	};
	for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++)
		SCAN(controls[i], TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN_N("2023\0" "430000000000", 17, TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN_N("\0", 1, TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	/* Bytes outside ASCII: full-width digits, a name, Latin-1, garbage. */
	SCAN("２０２３４３００００００００００００", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN("李娜", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN("Jos\xE9", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN("\xff\xfe", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
	SCAN("2026010000000\xC2\xB9", TQK_E_SCAN_CHARS, TQK_SCAN_NONE, NULL);
}

static void length_limits(void **state)
{
	(void)state;
	char *big = malloc(TQK_SCAN_MAX + 8);
	assert_non_null(big);
	/* Nothing at all. */
	SCAN("", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("\r\n", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN("   ", TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	tqk_scan out;
	assert_int_equal(tqk_scan_classify(NULL, 0, TODAY, &out), TQK_E_SCAN_UNKNOWN);
	assert_int_equal(out.kind, TQK_SCAN_NONE);
	/* The cap counts the scan as delivered, suffix included. */
	memset(big, 'A', TQK_SCAN_MAX);
	SCAN_N(big, TQK_SCAN_MAX, TQK_E_SCAN_UNKNOWN, TQK_SCAN_NONE, NULL);
	SCAN_N(big, TQK_SCAN_MAX + 1, TQK_E_TOO_LONG, TQK_SCAN_NONE, NULL);
	memcpy(big, "20260100000001", 14);
	memset(big + 14, '\n', TQK_SCAN_MAX - 14);
	SCAN_N(big, TQK_SCAN_MAX, TQK_OK, TQK_SCAN_REG, "20260100000001");
	big[TQK_SCAN_MAX] = '\n';
	SCAN_N(big, TQK_SCAN_MAX + 1, TQK_E_TOO_LONG, TQK_SCAN_NONE, NULL);
	/* A payload longer than a payload can be. */
	memcpy(big, PAYLOAD, strlen(PAYLOAD));
	memset(big + strlen(PAYLOAD), 'A', 200);
	SCAN_N(big, strlen(PAYLOAD) + 200, TQK_E_PAYLOAD_FORMAT, TQK_SCAN_PAYLOAD, NULL);
	free(big);
}

static void kind_codes(void **state)
{
	(void)state;
	assert_string_equal(tqk_scan_kind_code(TQK_SCAN_NONE), "none");
	assert_string_equal(tqk_scan_kind_code(TQK_SCAN_CERT), "cert");
	assert_string_equal(tqk_scan_kind_code(TQK_SCAN_ID), "id");
	assert_string_equal(tqk_scan_kind_code(TQK_SCAN_PAYLOAD), "payload");
	assert_string_equal(tqk_scan_kind_code(TQK_SCAN_REG), "reg");
	assert_string_equal(tqk_scan_kind_code((tqk_scan_kind)99), "none");
	assert_string_equal(tqk_scan_kind_code((tqk_scan_kind)-1), "none");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(certificate_numbers),
		cmocka_unit_test(id_numbers),
		cmocka_unit_test(payloads),
		cmocka_unit_test(registration_numbers),
		cmocka_unit_test(scanner_suffixes),
		cmocka_unit_test(control_and_non_ascii),
		cmocka_unit_test(length_limits),
		cmocka_unit_test(kind_codes),
	};
	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
