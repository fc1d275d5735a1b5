/*
 * test_uuid.c - record ids: formatting 16 random bytes as a version-4,
 * variant-1 uuid in lower case (whatever the bytes, the version and variant
 * bits are forced and the result is always valid), and the validity check
 * that accepts exactly that form and nothing else.
 */
#include "test.h"

#include <stdbool.h>
#include <stdio.h>

#include "core/uuid.h"

static void format_writes_canonical_text(void **state)
{
	(void)state;
	static const uint8_t b[16] = {
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
		0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	};
	char out[TQK_UUID_CAP];
	tqk_uuid_format(b, out);
	/* byte 6 0xde -> 0x4e (version), byte 8 0x12 -> 0x92 (variant) */
	assert_string_equal(out, "12345678-9abc-4ef0-9234-56789abcdef0");
	assert_true(tqk_uuid_valid(out));
}

static void format_forces_version_and_variant(void **state)
{
	(void)state;
	char out[TQK_UUID_CAP];
	uint8_t zero[16] = {0}, ones[16];
	memset(ones, 0xff, sizeof ones);
	tqk_uuid_format(zero, out);
	assert_string_equal(out, "00000000-0000-4000-8000-000000000000");
	tqk_uuid_format(ones, out);
	assert_string_equal(out, "ffffffff-ffff-4fff-bfff-ffffffffffff");
}

static void format_is_always_valid(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	for (int round = 0; round < 5000; round++) {
		uint8_t b[16];
		for (int i = 0; i < 16; i++) {
			seed = seed * 1103515245u + 12345u;
			b[i] = (uint8_t)(seed >> 16);
		}
		char out[TQK_UUID_CAP];
		memset(out, 'Z', sizeof out);
		tqk_uuid_format(b, out);
		assert_int_equal(strlen(out), TQK_UUID_LEN);
		if (!tqk_uuid_valid(out))
			fail_msg("round %d: \"%s\" is not valid", round, out);
		/* Every byte but the version nibble and the variant bits is kept. */
		for (int i = 0; i < 16; i++) {
			static const int at[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
			unsigned hi, lo;
			char pair[3] = {out[at[i]], out[at[i] + 1], '\0'};
			assert_int_equal(sscanf(pair, "%1x%1x", &hi, &lo), 2);
			uint8_t got = (uint8_t)(hi << 4 | lo);
			uint8_t want = i == 6 ? (uint8_t)((b[i] & 0x0f) | 0x40)
			             : i == 8 ? (uint8_t)((b[i] & 0x3f) | 0x80) : b[i];
			assert_int_equal(got, want);
		}
	}
}

static void valid_accepts_the_canonical_form(void **state)
{
	(void)state;
	assert_true(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b"));
	assert_true(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-9a9b-0c1d2e3f4a5b"));
	assert_true(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-aa9b-0c1d2e3f4a5b"));
	assert_true(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-ba9b-0c1d2e3f4a5b"));
}

static void valid_rejects_upper_case(void **state)
{
	(void)state;
	assert_false(tqk_uuid_valid("0B1E3F8A-2C4D-4E5F-8A9B-0C1D2E3F4A5B"));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5B"));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-Aa9b-0c1d2e3f4a5b"));
}

static void valid_rejects_misplaced_dashes(void **state)
{
	(void)state;
	assert_false(tqk_uuid_valid("0b1e3f8a2c4d-4e5f-8a9b-0c1d2e3f4a5b-"));
	assert_false(tqk_uuid_valid("0b1e3f8-a2c4d-4e5f-8a9b-0c1d2e3f4a5b"));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b0c1d2e3f4a5b0"));
	assert_false(tqk_uuid_valid("0b1e3f8a_2c4d_4e5f_8a9b_0c1d2e3f4a5b"));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a-b"));
	assert_false(tqk_uuid_valid("{b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5}"));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4g5b"));
}

static void valid_rejects_other_versions_and_variants(void **state)
{
	(void)state;
	static const char versions[] = "012356789abcdef";
	static const char variants[] = "01234567cdef";
	char s[] = "0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b";
	for (const char *v = versions; *v != '\0'; v++) {
		s[14] = *v;
		if (tqk_uuid_valid(s))
			fail_msg("version %c accepted", *v);
	}
	s[14] = '4';
	for (const char *v = variants; *v != '\0'; v++) {
		s[19] = *v;
		if (tqk_uuid_valid(s))
			fail_msg("variant nibble %c accepted", *v);
	}
}

static void valid_rejects_wrong_lengths_and_null(void **state)
{
	(void)state;
	assert_false(tqk_uuid_valid(NULL));
	assert_false(tqk_uuid_valid(""));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5"));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b0"));
	assert_false(tqk_uuid_valid("0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b "));
	assert_false(tqk_uuid_valid(" 0b1e3f8a-2c4d-4e5f-8a9b-0c1d2e3f4a5b"));
	assert_false(tqk_uuid_valid("0b1e3f8a2c4d4e5f8a9b0c1d2e3f4a5b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(format_writes_canonical_text),
		cmocka_unit_test(format_forces_version_and_variant),
		cmocka_unit_test(format_is_always_valid),
		cmocka_unit_test(valid_accepts_the_canonical_form),
		cmocka_unit_test(valid_rejects_upper_case),
		cmocka_unit_test(valid_rejects_misplaced_dashes),
		cmocka_unit_test(valid_rejects_other_versions_and_variants),
		cmocka_unit_test(valid_rejects_wrong_lengths_and_null),
	};
	return cmocka_run_group_tests_name("uuid", tests, NULL, NULL);
}
