/*
 * stage.c - stage names, codes, coverage and roster groups.
 */
#include "core/stage.h"

#include <string.h>

struct stage_info {
	const char *code;
	int level;                  /* order for coverage; 0 for none */
	tqk_roster roster;
	const char *name[TQK_LANG_COUNT];
	const char *qual[TQK_LANG_COUNT];
	const char *alias;          /* short Chinese form, NULL if none */
};

static const struct stage_info stages[TQK_STAGE_COUNT] = {
	[TQK_STAGE_NONE] = {"none", 0, TQK_ROSTER_NONE,
		{"无", "none"}, {"无教师资格证书", "no teacher qualification"}, NULL},
	[TQK_STAGE_KINDERGARTEN] = {"kindergarten", 1, TQK_ROSTER_BASIC,
		{"幼儿园", "kindergarten"},
		{"幼儿园教师资格", "kindergarten teacher qualification"}, NULL},
	[TQK_STAGE_PRIMARY] = {"primary", 2, TQK_ROSTER_BASIC,
		{"小学", "primary school"},
		{"小学教师资格", "primary school teacher qualification"}, NULL},
	[TQK_STAGE_JUNIOR] = {"junior", 3, TQK_ROSTER_BASIC,
		{"初级中学", "junior secondary school"},
		{"初级中学教师资格", "junior secondary teacher qualification"}, "初中"},
	[TQK_STAGE_SENIOR] = {"senior", 4, TQK_ROSTER_SENIOR,
		{"高级中学", "senior secondary school"},
		{"高级中学教师资格", "senior secondary teacher qualification"}, "高中"},
	[TQK_STAGE_VOCATIONAL] = {"vocational", 4, TQK_ROSTER_SENIOR,
		{"中等职业学校", "secondary vocational school"},
		{"中等职业学校教师资格", "secondary vocational teacher qualification"}, "中职"},
	[TQK_STAGE_VOC_PRACTICE] = {"voc_practice", 4, TQK_ROSTER_SENIOR,
		{"中等职业学校实习指导", "secondary vocational practical training"},
		{"中等职业学校实习指导教师资格",
		 "secondary vocational practical-training instructor qualification"},
		"中职实习指导"},
};

static const struct stage_info *info(tqk_stage s)
{
	return &stages[(unsigned)s < TQK_STAGE_COUNT ? s : TQK_STAGE_NONE];
}

const char *tqk_stage_name(tqk_stage s, tqk_lang lang)
{
	return info(s)->name[tqk_lang_or_default(lang)];
}

const char *tqk_stage_qual_name(tqk_stage s, tqk_lang lang)
{
	return info(s)->qual[tqk_lang_or_default(lang)];
}

const char *tqk_stage_code(tqk_stage s)
{
	return info(s)->code;
}

tqk_err tqk_stage_parse(const char *s, tqk_stage *out)
{
	if (s == NULL)
		return TQK_E_STAGE_UNKNOWN;
	for (int i = TQK_STAGE_NONE; i < TQK_STAGE_COUNT; i++) {
		const struct stage_info *st = &stages[i];
		if (strcmp(s, st->code) == 0 || strcmp(s, st->name[TQK_LANG_ZH]) == 0 ||
		    strcmp(s, st->qual[TQK_LANG_ZH]) == 0 ||
		    (st->alias != NULL && strcmp(s, st->alias) == 0)) {
			*out = (tqk_stage)i;
			return TQK_OK;
		}
	}
	return TQK_E_STAGE_UNKNOWN;
}

bool tqk_stage_covers(tqk_stage qual, tqk_stage post)
{
	if (qual <= TQK_STAGE_NONE || qual >= TQK_STAGE_COUNT ||
	    post <= TQK_STAGE_NONE || post >= TQK_STAGE_COUNT)
		return false;
	if (qual == TQK_STAGE_VOC_PRACTICE)
		return post == TQK_STAGE_VOC_PRACTICE;
	/* A senior-level qualification covers a practical-training post too:
	 * both are posts at a school of its own level. */
	return stages[post].level <= stages[qual].level;
}

tqk_roster tqk_stage_roster(tqk_stage qual)
{
	return info(qual)->roster;
}
