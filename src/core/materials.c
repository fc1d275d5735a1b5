/*
 * materials.c - the checklist, the two rules and the conclusion.
 */
#include "core/materials.h"

#include <assert.h>
#include <string.h>

#include "core/idnum.h"
#include "core/text.h"

static const tqk_material_info checklist[TQK_MAT_COUNT] = {
	[TQK_MAT_FORM] = {"form",
		{"教师资格定期注册申请表（一式两份）",
		 "Application form for periodic registration (2 copies)"},
		{"本人签字并填写日期；学校负责人签字、加盖学校公章并填写日期",
		 "signed and dated by the applicant; signed and dated by the school head, with the school's seal"},
		1},
	[TQK_MAT_CERT] = {"certificate",
		{"教师资格证书原件及复印件",
		 "Teacher qualification certificate, original and copy"},
		{"原件现场核对信息；复印件加盖学校公章",
		 "the original is checked on site; the copy carries the school's seal"},
		2},
	[TQK_MAT_QUAL_MATCH] = {"qualification_match",
		{"与任教岗位相应的教师资格证书",
		 "Qualification certificate matching the teaching post"},
		{"首次注册：持有正式教师资格证书即具备；再次注册：现任教学段不得高于证书学段",
		 "first registration: any formal certificate; later registrations: the post's stage may not be above the certificate's"},
		0},
	[TQK_MAT_ETHICS] = {"ethics",
		{"师德表现考核表原件", "Professional ethics assessment form (original)"},
		{"中心学校负责人签字并加盖中心学校公章；本年度不在本校任职的须回原单位签字盖章",
		 "signed by the head of the central school, with its seal; a teacher who changed school this year has it signed and sealed by the former school"},
		5},
	[TQK_MAT_ANNUAL] = {"annual_assessment",
		{"年度考核表复印件", "Annual assessment form (copy)"},
		{"加盖学校公章", "with the school's seal"},
		4},
	[TQK_MAT_CREDIT] = {"credit_record",
		{"学分登记表原件（省级教育行政部门认定的教育培训证明）",
		 "Credit registration form (original; the province-recognised training proof)"},
		{"加盖学校公章，第一页加盖县教师进修学校公章",
		 "with the school's seal; the first page also sealed by the county teacher-training school"},
		9},
	[TQK_MAT_HEALTH] = {"health",
		{"身心健康证明", "Certificate of physical and mental health"},
		{"由任教学校出具", "issued by the school where the applicant teaches"},
		6},
	[TQK_MAT_ID_COPY] = {"id_copy",
		{"身份证复印件", "Copy of the ID card"},
		{"现场验证原件", "the original is checked on site"},
		7},
	[TQK_MAT_EMPLOYMENT] = {"employment",
		{"聘用合同，或专业技术职务资格证书及聘任证书复印件",
		 "Employment contract, or copies of the professional title certificate and the appointment"},
		{"聘用合同1份，或两种证书复印件各1份",
		 "one contract, or one copy of each certificate"},
		3},
	[TQK_MAT_POLICE] = {"police",
		{"公安机关证明材料复印件", "Police certificate (copy)"},
		{"教师资格证书上的姓名或身份证号码与现身份证不一致时提供",
		 "needed only when the name or ID number on the certificate differs from the current ID card"},
		8},
	[TQK_MAT_OTHER] = {"other_conditions",
		{"省级以上教育行政部门规定的其他条件",
		 "Other conditions set by the provincial education authority"},
		{"省里规定的必备材料齐全；缺少时须在留言中写明需补齐的材料",
		 "every material the province requires is present; if one is missing, the message names it"},
		0},
};

const tqk_material_info *tqk_material_get(tqk_material m)
{
	assert((unsigned)m < TQK_MAT_COUNT);
	return &checklist[m];
}

/* A certificate's ID number is the same as the card's when both normalise
 * to the same 18 characters; text that does not normalise compares as is. */
static bool same_id(const char *a, const char *b)
{
	char na[TQK_ID_LEN + 1], nb[TQK_ID_LEN + 1];
	size_t la = strlen(a), lb = strlen(b);
	tqk_text_trim(&a, &la);
	tqk_text_trim(&b, &lb);
	if (tqk_id_normalize(a, la, na) == TQK_OK && tqk_id_normalize(b, lb, nb) == TQK_OK)
		return strcmp(na, nb) == 0;
	return la == lb && memcmp(a, b, la) == 0;
}

static bool blank(const char *s)
{
	return s == NULL || tqk_text_blank(s, strlen(s));
}

bool tqk_police_required(const tqk_case *c)
{
	assert(c != NULL && c->card_name != NULL && c->card_id != NULL);
	if (!blank(c->cert_name) &&
	    !tqk_name_equal(c->cert_name, strlen(c->cert_name), c->card_name, strlen(c->card_name)))
		return true;
	return !blank(c->cert_id) && !same_id(c->cert_id, c->card_id);
}

tqk_mark tqk_qual_match_mark(tqk_registration reg, tqk_stage qualification, tqk_stage post)
{
	if (qualification <= TQK_STAGE_NONE || qualification >= TQK_STAGE_COUNT)
		return TQK_MARK_LACKS;
	if (reg == TQK_REG_FIRST)
		return TQK_MARK_HAS;
	return tqk_stage_covers(qualification, post) ? TQK_MARK_HAS : TQK_MARK_LACKS;
}

void tqk_marks_prefill(const tqk_case *c, tqk_marks *out)
{
	assert(c != NULL && out != NULL);
	memset(out, 0, sizeof *out);
	out->mark[TQK_MAT_QUAL_MATCH] = tqk_qual_match_mark(c->registration, c->qualification, c->post);
	out->mark[TQK_MAT_POLICE] = tqk_police_required(c) ? TQK_MARK_UNSET : TQK_MARK_NA;
}

tqk_err tqk_conclusion_derive(const tqk_marks *m, bool police_required, tqk_conclusion *out,
                              uint32_t *missing)
{
	assert(m != NULL && out != NULL);
	uint32_t lacks = 0;
	for (int i = 0; i < TQK_MAT_COUNT; i++) {
		tqk_mark k = m->mark[i];
		if (i == TQK_MAT_POLICE && !police_required) {
			if (k == TQK_MARK_HAS || k == TQK_MARK_LACKS)
				return TQK_E_MAT_POLICE;
			if (k != TQK_MARK_NA && k != TQK_MARK_UNSET)
				return TQK_E_MAT_MARK;
			continue;
		}
		if (i == TQK_MAT_POLICE && k == TQK_MARK_NA)
			return TQK_E_MAT_POLICE;
		if (k == TQK_MARK_UNSET)
			return TQK_E_MAT_UNMARKED;
		if (k == TQK_MARK_LACKS)
			lacks |= TQK_MAT_BIT(i);
		else if (k != TQK_MARK_HAS)
			return TQK_E_MAT_MARK;
	}
	*out = lacks != 0 ? TQK_CONC_INCOMPLETE : TQK_CONC_COMPLETE;
	if (missing != NULL)
		*missing = lacks;
	return TQK_OK;
}

tqk_err tqk_conclusion_check(const tqk_marks *m, bool police_required, tqk_conclusion chosen,
                             const char *reason, const char *message)
{
	if (chosen == TQK_CONC_NOT_ACCEPTED)
		return blank(reason) ? TQK_E_MAT_REASON : TQK_OK;
	if (chosen != TQK_CONC_COMPLETE && chosen != TQK_CONC_INCOMPLETE)
		return TQK_E_MAT_CONCLUSION;
	tqk_conclusion derived;
	uint32_t missing;
	tqk_err err = tqk_conclusion_derive(m, police_required, &derived, &missing);
	if (err != TQK_OK)
		return err;
	if (derived != chosen)
		return TQK_E_MAT_CONCLUSION;
	if ((missing & TQK_MAT_BIT(TQK_MAT_OTHER)) && blank(message))
		return TQK_E_MAT_MESSAGE;
	return TQK_OK;
}

struct conclusion_info {
	const char *code;
	const char *name[TQK_LANG_COUNT];
	tqk_state state;
};

static const struct conclusion_info conclusions[] = {
	[TQK_CONC_NONE] = {"none", {"未确认", "not concluded"}, TQK_ST_SUBMITTED},
	[TQK_CONC_COMPLETE] = {"complete", {"材料齐全", "materials complete"}, TQK_ST_CONFIRMED},
	[TQK_CONC_INCOMPLETE] = {"incomplete", {"材料不齐全", "materials incomplete"},
		TQK_ST_SITE_INCOMPLETE},
	[TQK_CONC_NOT_ACCEPTED] = {"not_accepted", {"网报未受理", "not accepted"},
		TQK_ST_NOT_ACCEPTED},
};

static const struct conclusion_info *conclusion(tqk_conclusion c)
{
	assert((unsigned)c < sizeof conclusions / sizeof conclusions[0]);
	return &conclusions[c];
}

tqk_state tqk_conclusion_state(tqk_conclusion c)
{
	return conclusion(c)->state;
}

const char *tqk_conclusion_name(tqk_conclusion c, tqk_lang lang)
{
	return conclusion(c)->name[tqk_lang_or_default(lang)];
}

const char *tqk_conclusion_code(tqk_conclusion c)
{
	return conclusion(c)->code;
}

/* Appends s whole when it fits; once a piece does not, nothing more is
 * written (so the text never ends in half a character). Counts n always. */
static void append(char *buf, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len + n < cap)
		memcpy(buf + *len, s, n + 1);
	*len += n;
}

size_t tqk_missing_message(uint32_t missing, tqk_lang lang, char *buf, size_t cap)
{
	static const char *parts[TQK_LANG_COUNT][3] = {
		{"请补齐以下材料：", "；", "。"},
		{"Please bring the following: ", "; ", "."},
	};
	lang = tqk_lang_or_default(lang);
	if (cap > 0)
		buf[0] = '\0';
	size_t len = 0;
	int count = 0;
	for (int i = 0; i < TQK_MAT_COUNT; i++) {
		if (!(missing & TQK_MAT_BIT(i)))
			continue;
		append(buf, cap, &len, parts[lang][count++ == 0 ? 0 : 1]);
		append(buf, cap, &len, checklist[i].name[lang]);
	}
	if (count > 0)
		append(buf, cap, &len, parts[lang][2]);
	return len;
}
