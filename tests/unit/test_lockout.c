/*
 * test_lockout.c - five wrong PINs lock a clerk for five minutes
 * (core/lockout.h): four do not, the fifth does, the lock holds until its
 * last second and lifts after, a right PIN resets the count.
 */
#include "test.h"

#include "core/lockout.h"

#define T0 ((tqk_time)1779240665)

static void five_wrong_lock(void **state)
{
	(void)state;
	tqk_lockout l = {0, 0};
	for (int i = 0; i < TQK_LOCKOUT_TRIES - 1; i++) {
		assert_true(tqk_lockout_may_try(&l, T0 + i));
		assert_false(tqk_lockout_record(&l, false, T0 + i));
	}
	assert_true(tqk_lockout_may_try(&l, T0 + 10));
	assert_true(tqk_lockout_record(&l, false, T0 + 10));
	assert_false(tqk_lockout_may_try(&l, T0 + 10));
	assert_int_equal(tqk_lockout_left(&l, T0 + 10), TQK_LOCKOUT_SECONDS);
	assert_false(tqk_lockout_may_try(&l, T0 + 10 + TQK_LOCKOUT_SECONDS - 1));
	assert_int_equal(tqk_lockout_left(&l, T0 + 10 + TQK_LOCKOUT_SECONDS - 1), 1);
	/* Lifted: the count starts afresh. */
	assert_true(tqk_lockout_may_try(&l, T0 + 10 + TQK_LOCKOUT_SECONDS));
	assert_int_equal(l.failures, 0);
	assert_int_equal(tqk_lockout_left(&l, T0 + 10 + TQK_LOCKOUT_SECONDS), 0);
}

static void right_pin_resets(void **state)
{
	(void)state;
	tqk_lockout l = {0, 0};
	for (int i = 0; i < TQK_LOCKOUT_TRIES - 1; i++)
		assert_false(tqk_lockout_record(&l, false, T0));
	assert_false(tqk_lockout_record(&l, true, T0));
	assert_int_equal(l.failures, 0);
	/* Four more wrong ones still do not lock. */
	for (int i = 0; i < TQK_LOCKOUT_TRIES - 1; i++)
		assert_false(tqk_lockout_record(&l, false, T0));
	assert_true(tqk_lockout_may_try(&l, T0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(five_wrong_lock),
		cmocka_unit_test(right_pin_resets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
