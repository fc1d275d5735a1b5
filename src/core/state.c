/*
 * state.c - state labels and the transition table.
 */
#include "core/state.h"

#include <string.h>

#include "core/window.h"

struct state_info {
	const char *code;
	const char *label[TQK_LANG_COUNT];
	const char *next[TQK_LANG_COUNT];
};

static const struct state_info states[TQK_ST_COUNT] = {
	[TQK_ST_NONE] = {"none", {"未提交", "not submitted"},
		{"请先完成网上申报或在本机申报。",
		 "Apply online or at this kiosk first."}},
	[TQK_ST_SUBMITTED] = {"submitted",
		{"信息提交成功，等待现场确认",
		 "Submitted; waiting for on-site confirmation"},
		{"请携带材料到现场确认点确认。确认期结束前仍可修改申请信息。",
		 "Bring your materials to the confirmation site. You can change your application until the confirmation period ends."}},
	[TQK_ST_SITE_INCOMPLETE] = {"site_incomplete",
		{"经审核材料不全，请向确认机构提交补齐",
		 "Materials incomplete; bring the missing ones to the confirmation site"},
		{"请补齐下列材料，交到现场确认点。",
		 "Bring the materials listed below to the confirmation site."}},
	[TQK_ST_CONFIRMED] = {"confirmed",
		{"信息已确认，待审批",
		 "Confirmed; waiting for the registration institution's review"},
		{"现场确认已完成，请等待注册机构审批。",
		 "On-site confirmation is done; the registration institution will review it."}},
	[TQK_ST_WRONG_INSTITUTION] = {"wrong_institution",
		{"经审核您选错了注册机构。请更正",
		 "You chose the wrong registration institution; please correct it"},
		{"请在网上申报时间内改选正确的注册机构。",
		 "Choose the right registration institution within the application window."}},
	[TQK_ST_INST_INCOMPLETE] = {"institution_incomplete",
		{"经审核材料不全，请向注册机构提交补齐",
		 "Materials incomplete; bring the missing ones to the registration institution"},
		{"请补齐下列材料，交到注册机构。",
		 "Bring the materials listed below to the registration institution."}},
	[TQK_ST_NOT_ELIGIBLE] = {"not_eligible",
		{"您不属于注册对象", "You are not eligible for registration"},
		{"您不在本次定期注册范围内，如有疑问请咨询注册机构。",
		 "You are outside the scope of this registration; ask the registration institution if in doubt."}},
	[TQK_ST_NOT_ACCEPTED] = {"not_accepted",
		{"网报未受理", "Online application not accepted"},
		{"该报名号未被受理，原因见备注；如有疑问请咨询确认点工作人员。",
		 "This registration number was not accepted; the remark gives the reason. Ask the site's clerk if in doubt."}},
	[TQK_ST_PASSED] = {"passed",
		{"注册合格", "Registration approved"},
		{"定期注册已通过。", "Your periodic registration is approved."}},
	[TQK_ST_DEFERRED] = {"deferred",
		{"暂缓注册", "Registration deferred"},
		{"注册暂缓，请按注册机构的要求办理。",
		 "Registration is deferred; follow the registration institution's instructions."}},
	[TQK_ST_FAILED] = {"failed",
		{"注册不合格", "Registration not approved"},
		{"注册不合格，如有疑问请咨询注册机构。",
		 "Registration was not approved; ask the registration institution if in doubt."}},
};

/* Bit i set: a move to state i is allowed from the row's state. */
#define TO(s) (1u << (s))
#define SITE_CONCLUSIONS (TO(TQK_ST_SITE_INCOMPLETE) | TO(TQK_ST_CONFIRMED) | TO(TQK_ST_NOT_ACCEPTED))
#define FINAL_RESULTS (TO(TQK_ST_PASSED) | TO(TQK_ST_DEFERRED) | TO(TQK_ST_FAILED))
#define INST_REFUSALS (TO(TQK_ST_WRONG_INSTITUTION) | TO(TQK_ST_NOT_ELIGIBLE))

struct moves {
	unsigned applicant, site, institution;
};

static const struct moves moves[TQK_ST_COUNT] = {
	[TQK_ST_NONE] = {TO(TQK_ST_SUBMITTED), 0, 0},
	[TQK_ST_SUBMITTED] = {0, SITE_CONCLUSIONS, INST_REFUSALS},
	[TQK_ST_SITE_INCOMPLETE] = {0, SITE_CONCLUSIONS, INST_REFUSALS},
	[TQK_ST_CONFIRMED] = {0, SITE_CONCLUSIONS,
		INST_REFUSALS | TO(TQK_ST_INST_INCOMPLETE) | FINAL_RESULTS},
	[TQK_ST_WRONG_INSTITUTION] = {TO(TQK_ST_SUBMITTED), 0, 0},
	[TQK_ST_INST_INCOMPLETE] = {0, 0, INST_REFUSALS | FINAL_RESULTS},
	[TQK_ST_NOT_ACCEPTED] = {0, SITE_CONCLUSIONS, 0},
};

static const struct state_info *info(tqk_state s)
{
	return &states[(unsigned)s < TQK_ST_COUNT ? s : TQK_ST_NONE];
}

const char *tqk_state_label(tqk_state s, tqk_lang lang)
{
	return info(s)->label[tqk_lang_or_default(lang)];
}

const char *tqk_state_next_step(tqk_state s, tqk_lang lang)
{
	return info(s)->next[tqk_lang_or_default(lang)];
}

const char *tqk_state_code(tqk_state s)
{
	return info(s)->code;
}

tqk_err tqk_state_from_code(const char *code, tqk_state *out)
{
	if (code != NULL)
		for (int i = TQK_ST_SUBMITTED; i < TQK_ST_COUNT; i++)
			if (strcmp(code, states[i].code) == 0) {
				*out = (tqk_state)i;
				return TQK_OK;
			}
	return TQK_E_STATE_UNKNOWN;
}

bool tqk_state_valid(tqk_state s)
{
	return s >= TQK_ST_SUBMITTED && s < TQK_ST_COUNT;
}

bool tqk_state_final(tqk_state s)
{
	return s == TQK_ST_NOT_ELIGIBLE || s == TQK_ST_PASSED || s == TQK_ST_DEFERRED ||
	       s == TQK_ST_FAILED;
}

tqk_err tqk_state_transition(tqk_state from, tqk_state to, tqk_actor actor)
{
	if ((from != TQK_ST_NONE && !tqk_state_valid(from)) || !tqk_state_valid(to))
		return TQK_E_STATE_UNKNOWN;
	const struct moves *m = &moves[from];
	unsigned bit = TO(to);
	unsigned mine = actor == TQK_ACTOR_APPLICANT ? m->applicant
	              : actor == TQK_ACTOR_SITE ? m->site
	              : actor == TQK_ACTOR_INSTITUTION ? m->institution : 0;
	if (mine & bit)
		return TQK_OK;
	if ((m->applicant | m->site | m->institution) & bit)
		return TQK_E_STATE_ACTOR;
	return TQK_E_STATE_TRANSITION;
}

tqk_edit tqk_state_applicant_edit(tqk_state s, tqk_time now, tqk_time confirm_end,
                                  tqk_time apply_end)
{
	if (s == TQK_ST_SUBMITTED && confirm_end != TQK_TIME_NONE && now < confirm_end)
		return TQK_EDIT_ALL;
	if (s == TQK_ST_WRONG_INSTITUTION && apply_end != TQK_TIME_NONE && now < apply_end)
		return TQK_EDIT_INSTITUTION;
	return TQK_EDIT_NONE;
}
