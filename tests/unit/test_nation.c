/*
 * test_nation.c - the GB 3304 nation codes (src/core/nation.h) and their
 * way through the ID card's text block.
 *
 * All 58 codes: 01..56 in the standard's order, 97 and 98; lookups by code,
 * by the card's two digits, by short, full and English name; the pick list
 * order; unknown codes and malformed digits; and every code written on a
 * card and decoded again.
 */
#include "test.h"

#include <stdio.h>

#include "core/idnum.h"
#include "core/nation.h"
#include "dev/idcard.h"

/* The standard's order, as the card prints the names. */
static const char *const short_names[56] = {
	"汉", "蒙古", "回", "藏", "维吾尔", "苗", "彝", "壮", "布依", "朝鲜",
	"满", "侗", "瑶", "白", "土家", "哈尼", "哈萨克", "傣", "黎", "傈僳",
	"佤", "畲", "高山", "拉祜", "水", "东乡", "纳西", "景颇", "柯尔克孜", "土",
	"达斡尔", "仫佬", "羌", "布朗", "撒拉", "毛南", "仡佬", "锡伯", "阿昌", "普米",
	"塔吉克", "怒", "乌孜别克", "俄罗斯", "鄂温克", "德昂", "保安", "裕固", "京", "塔塔尔",
	"独龙", "鄂伦春", "赫哲", "门巴", "珞巴", "基诺",
};

static void all_codes(void **state)
{
	(void)state;
	size_t seen = 0;
	for (int code = -5; code <= 120; code++) {
		const tqk_nation *n = tqk_nation_by_code(code);
		bool known = (code >= 1 && code <= 56) || code == 97 || code == 98;
		if (!known) {
			assert_null(n);
			continue;
		}
		assert_non_null(n);
		seen++;
		assert_int_equal(n->code, code);
		char digits[3];
		snprintf(digits, sizeof digits, "%02d", code);
		assert_string_equal(n->digits, digits);
		assert_ptr_equal(tqk_nation_by_digits(digits, 2), n);
		assert_ptr_equal(tqk_nation_by_name(n->zh, strlen(n->zh)), n);
		assert_ptr_equal(tqk_nation_by_name(n->zh_full, strlen(n->zh_full)), n);
		assert_ptr_equal(tqk_nation_by_name(n->en, strlen(n->en)), n);
		assert_string_equal(tqk_nation_name(n, TQK_LANG_ZH), n->zh_full);
		assert_string_equal(tqk_nation_name(n, TQK_LANG_EN), n->en);
		if (code <= 56) {
			assert_string_equal(n->zh, short_names[code - 1]);
			/* the full name is the short one with 族 */
			char full[64];
			snprintf(full, sizeof full, "%s族", n->zh);
			assert_string_equal(n->zh_full, full);
		}
	}
	assert_int_equal(seen, TQK_NATION_COUNT);
	assert_string_equal(tqk_nation_by_code(97)->zh_full, "其他");
	assert_string_equal(tqk_nation_by_code(98)->zh, "外国血统中国籍人士");
	assert_string_equal(tqk_nation_by_code(98)->zh_full, "外国血统中国籍人士");
	assert_string_equal(tqk_nation_by_code(TQK_NATION_OTHER)->en, "Other");
	assert_string_equal(tqk_nation_by_code(1)->en, "Han");
	assert_string_equal(tqk_nation_by_code(5)->en, "Uyghur");
}

static void pick_list_and_uniqueness(void **state)
{
	(void)state;
	int last = 0;
	for (size_t i = 0; i < TQK_NATION_COUNT; i++) {
		const tqk_nation *n = tqk_nation_at(i);
		assert_non_null(n);
		assert_true(n->code > last); /* code order */
		last = n->code;
		for (size_t j = 0; j < i; j++) {
			const tqk_nation *m = tqk_nation_at(j);
			assert_string_not_equal(n->zh_full, m->zh_full);
			assert_string_not_equal(n->en, m->en);
			assert_string_not_equal(n->digits, m->digits);
		}
	}
	assert_int_equal(last, 98);
	assert_null(tqk_nation_at(TQK_NATION_COUNT));
	assert_null(tqk_nation_at((size_t)-1));
}

static void lookups_refused(void **state)
{
	(void)state;
	const char *digits[] = {"00", "57", "96", "99", "1", "001", "+1", " 1", "1 ", "０１", "-1",
	                        "a1", ""};
	for (size_t i = 0; i < sizeof digits / sizeof digits[0]; i++)
		assert_null(tqk_nation_by_digits(digits[i], strlen(digits[i])));
	assert_null(tqk_nation_by_digits(NULL, 2));
	assert_null(tqk_nation_by_digits("01", 1));
	/* Names: outer spaces and English case do not matter; others do. */
	assert_int_equal(tqk_nation_by_name("  回族 ", strlen("  回族 "))->code, 3);
	assert_int_equal(tqk_nation_by_name("HUI", 3)->code, 3);
	assert_int_equal(tqk_nation_by_name("uyghur", 6)->code, 5);
	assert_int_equal(tqk_nation_by_name("土", strlen("土"))->code, 30);
	assert_int_equal(tqk_nation_by_name("土家族", strlen("土家族"))->code, 15);
	const char *names[] = {"", "   ", "汉 族", "汉族人", "Hanzu", "其他族", "族", "01"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_null(tqk_nation_by_name(names[i], strlen(names[i])));
	assert_null(tqk_nation_by_name(NULL, 0));
	/* A length that stops inside the name. */
	assert_null(tqk_nation_by_name("蒙古族", 3));
	assert_int_equal(tqk_nation_by_name("蒙古族", 6)->code, 2);
}

static void every_code_on_a_card(void **state)
{
	(void)state;
	const tqk_date today = {2026, 5, 20};
	for (size_t i = 0; i < TQK_NATION_COUNT; i++) {
		const tqk_nation *n = tqk_nation_at(i);
		tqk_idcard c;
		memset(&c, 0, sizeof c);
		memcpy(c.name, "李娜", sizeof "李娜");
		c.gender = TQK_GENDER_FEMALE;
		c.nation = n->code;
		c.birth = DATE(1990, 7, 4);
		memcpy(c.address, "云南省昆明市五华区", sizeof "云南省昆明市五华区");
		memcpy(c.id, "53010219900704122", 17);
		c.id[17] = tqk_id_check_char(c.id);
		memcpy(c.authority, "昆明市公安局五华分局", sizeof "昆明市公安局五华分局");
		c.valid_from = DATE(2012, 3, 1);
		c.valid_to = DATE(2032, 3, 1);
		uint8_t b[TQK_IDCARD_TEXT_LEN];
		assert_int_equal(tqk_idcard_encode(&c, b, NULL), TQK_OK);
		assert_int_equal(b[TQK_IDCARD_OFF_NATION], (uint8_t)n->digits[0]);
		assert_int_equal(b[TQK_IDCARD_OFF_NATION + 2], (uint8_t)n->digits[1]);
		tqk_idcard d;
		assert_int_equal(tqk_idcard_decode(b, sizeof b, today, &d, NULL), TQK_OK);
		assert_int_equal(d.nation, n->code);
		assert_string_equal(tqk_idcard_nation_text(d.nation), n->zh);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_codes),
		cmocka_unit_test(pick_list_and_uniqueness),
		cmocka_unit_test(lookups_refused),
		cmocka_unit_test(every_code_on_a_card),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
