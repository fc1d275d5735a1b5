/*
 * records.c - records compared field by field (see records.h).
 */
#include "test.h"

#include "support/records.h"

void assert_app_equal(const tqk_application *want, const tqk_application *got)
{
	assert_string_equal(got->reg_no, want->reg_no);
	for (int f = 0; f < TQK_F_COUNT; f++) {
		char a[TQK_TEXT_CAP], b[TQK_TEXT_CAP];
		tqk_field_text(want, (tqk_field)f, a, sizeof a);
		tqk_field_text(got, (tqk_field)f, b, sizeof b);
		if (strcmp(a, b) != 0)
			fail_msg("%s: field %s is \"%s\", not \"%s\"", want->reg_no,
			         tqk_field_get_info((tqk_field)f)->code, b, a);
	}
	assert_int_equal(got->registration, want->registration);
	assert_int_equal(got->state, want->state);
	assert_string_equal(got->site_message, want->site_message);
	assert_string_equal(got->inst_message, want->inst_message);
	assert_string_equal(got->remark, want->remark);
	assert_int_equal(got->rev, want->rev);
	assert_int_equal(got->purged, want->purged);
}
