/*
 * test_err.c - the one error enum: every value from TQK_OK to the last has a
 * domain, a stable code and a message in Chinese and in English; domain.code
 * names are unique across the project; values out of range still get a
 * generic message, code and domain; and the two language names parse.
 */
#include "test.h"

#include <stdio.h>

#include "core/err.h"

static bool has_non_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* A code or domain: lower-case ASCII letters, digits and '_'. */
static bool plain_name(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static void every_value_is_described(void **state)
{
	(void)state;
	for (int e = TQK_OK; e < TQK_E_COUNT; e++) {
		const char *domain = tqk_err_domain((tqk_err)e);
		const char *code = tqk_err_code((tqk_err)e);
		const char *zh = tqk_strerror((tqk_err)e, TQK_LANG_ZH);
		const char *en = tqk_strerror((tqk_err)e, TQK_LANG_EN);
		if (domain == NULL || code == NULL || zh == NULL || en == NULL)
			fail_msg("error %d: a NULL description", e);
		if (!plain_name(domain) || !plain_name(code))
			fail_msg("error %d: domain \"%s\", code \"%s\"", e, domain, code);
		if (zh[0] == '\0' || en[0] == '\0')
			fail_msg("error %d (%s.%s): an empty message", e, domain, code);
		/* No value falls through to the generic description. */
		if (strcmp(code, "unknown") == 0 && strcmp(domain, "general") == 0)
			fail_msg("error %d has no entry of its own", e);
	}
}

/* The Chinese message is written in Chinese, the English one in ASCII. */
static void messages_are_in_their_language(void **state)
{
	(void)state;
	for (int e = TQK_OK; e < TQK_E_COUNT; e++) {
		const char *zh = tqk_strerror((tqk_err)e, TQK_LANG_ZH);
		const char *en = tqk_strerror((tqk_err)e, TQK_LANG_EN);
		if (!has_non_ascii(zh))
			fail_msg("error %s.%s: Chinese message \"%s\" is all ASCII",
			         tqk_err_domain((tqk_err)e), tqk_err_code((tqk_err)e), zh);
		if (has_non_ascii(en))
			fail_msg("error %s.%s: English message \"%s\" is not ASCII",
			         tqk_err_domain((tqk_err)e), tqk_err_code((tqk_err)e), en);
	}
}

static void domain_code_pairs_are_unique(void **state)
{
	(void)state;
	char names[TQK_E_COUNT][64];
	for (int e = TQK_OK; e < TQK_E_COUNT; e++) {
		int n = snprintf(names[e], sizeof names[e], "%s.%s", tqk_err_domain((tqk_err)e),
		                 tqk_err_code((tqk_err)e));
		assert_true(n > 0 && (size_t)n < sizeof names[e]);
		for (int f = TQK_OK; f < e; f++)
			if (strcmp(names[e], names[f]) == 0)
				fail_msg("errors %d and %d are both %s", f, e, names[e]);
	}
}

/* Each value names its own failure: no two share a message. */
static void messages_are_distinct(void **state)
{
	(void)state;
	for (int lang = 0; lang < TQK_LANG_COUNT; lang++)
		for (int e = TQK_OK; e < TQK_E_COUNT; e++)
			for (int f = TQK_OK; f < e; f++)
				if (strcmp(tqk_strerror((tqk_err)e, (tqk_lang)lang),
				           tqk_strerror((tqk_err)f, (tqk_lang)lang)) == 0)
					fail_msg("errors %s.%s and %s.%s share a message",
					         tqk_err_domain((tqk_err)f), tqk_err_code((tqk_err)f),
					         tqk_err_domain((tqk_err)e), tqk_err_code((tqk_err)e));
}

/* The examples the header gives. */
static void documented_codes(void **state)
{
	(void)state;
	assert_string_equal(tqk_err_code(TQK_OK), "ok");
	assert_string_equal(tqk_err_code(TQK_E_ID_CHECKSUM), "checksum");
	assert_string_equal(tqk_err_domain(TQK_E_ID_CHECKSUM), "id");
	assert_string_equal(tqk_err_domain(TQK_E_CERT_LENGTH), "cert");
	assert_string_equal(tqk_err_domain(TQK_E_CAL_HEADER), "calendar");
}

/* Out of range: still a message in each language, a code and a domain, and
 * the message is a generic one, not some real error's. */
static void out_of_range_gets_a_generic_message(void **state)
{
	(void)state;
	const tqk_err bad[] = {TQK_E_COUNT, (tqk_err)(TQK_E_COUNT + 1), (tqk_err)1000,
	                       (tqk_err)-1};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_non_null(tqk_err_code(bad[i]));
		assert_non_null(tqk_err_domain(bad[i]));
		assert_true(tqk_err_code(bad[i])[0] != '\0');
		assert_true(tqk_err_domain(bad[i])[0] != '\0');
		for (int lang = 0; lang < TQK_LANG_COUNT; lang++) {
			const char *msg = tqk_strerror(bad[i], (tqk_lang)lang);
			assert_non_null(msg);
			assert_true(msg[0] != '\0');
			for (int e = TQK_OK; e < TQK_E_COUNT; e++)
				if (strcmp(msg, tqk_strerror((tqk_err)e, (tqk_lang)lang)) == 0)
					fail_msg("value %d gets the message of error %d", bad[i], e);
		}
		assert_true(has_non_ascii(tqk_strerror(bad[i], TQK_LANG_ZH)));
		assert_false(has_non_ascii(tqk_strerror(bad[i], TQK_LANG_EN)));
	}
}

static void lang_parse_accepts_zh_and_en(void **state)
{
	(void)state;
	const char *zh[] = {"zh", "zh_CN", "zh-CN"};
	for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++) {
		tqk_lang out = TQK_LANG_EN;
		assert_int_equal(tqk_lang_parse(zh[i], &out), TQK_OK);
		if (out != TQK_LANG_ZH)
			fail_msg("\"%s\" is not Chinese", zh[i]);
	}
	tqk_lang out = TQK_LANG_ZH;
	assert_int_equal(tqk_lang_parse("en", &out), TQK_OK);
	assert_int_equal(out, TQK_LANG_EN);
}

static void lang_parse_rejects_others(void **state)
{
	(void)state;
	const char *bad[] = {
		"", "z", "zh_", "zhCN", "ZH", "Zh", "zh_cn", "zh_TW", "zh-TW", "zh_CN.UTF-8",
		" zh", "zh ", "EN", "En", "en ", "eng", "english", "fr", "de", "中文",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_lang out = TQK_LANG_ZH;
		if (tqk_lang_parse(bad[i], &out) != TQK_E_ARG)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	tqk_lang out = TQK_LANG_ZH;
	assert_int_equal(tqk_lang_parse(NULL, &out), TQK_E_ARG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_value_is_described),
		cmocka_unit_test(messages_are_in_their_language),
		cmocka_unit_test(domain_code_pairs_are_unique),
		cmocka_unit_test(messages_are_distinct),
		cmocka_unit_test(documented_codes),
		cmocka_unit_test(out_of_range_gets_a_generic_message),
		cmocka_unit_test(lang_parse_accepts_zh_and_en),
		cmocka_unit_test(lang_parse_rejects_others),
	};
	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
