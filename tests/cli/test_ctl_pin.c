/*
 * test_ctl_pin.c - tqkioskctl pin-hash: an admin PIN of 4 to 8 digits
 * becomes an argon2id string that verifies against that PIN and no other;
 * anything else is refused with exit 2; the PIN itself is never printed.
 */
#include "test.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "support/expect.h"

static void hashes_a_pin(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "pin-hash", "--pin", "97531");
	assert_int_equal(r.status, 0);
	const char *p = strstr(r.out, "pin_hash=");
	assert_non_null(p);
	p += strlen("pin_hash=");
	char hash[crypto_pwhash_STRBYTES];
	size_t n = strcspn(p, "\n");
	assert_true(n < sizeof hash);
	memcpy(hash, p, n);
	hash[n] = '\0';
	assert_true(strncmp(hash, "$argon2id$", 10) == 0);
	assert_int_equal(crypto_pwhash_str_verify(hash, "97531", 5), 0);
	assert_int_not_equal(crypto_pwhash_str_verify(hash, "97530", 5), 0);
	assert_null(strstr(r.out, "97531"));
	assert_null(strstr(r.err, "97531"));
	proc_result_free(&r);
}

static void refuses_what_is_no_pin(void **state)
{
	(void)state;
	const char *bad[] = {"123", "123456789", "12a4", ""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		proc_result r;
		CTL(&r, "pin-hash", "--pin", bad[i]);
		assert_int_equal(r.status, 2);
		assert_null(strstr(r.out, "pin_hash="));
		assert_true(r.err[0] != '\0');
		proc_result_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hashes_a_pin),
		cmocka_unit_test(refuses_what_is_no_pin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
