/*
 * state.h - the states of an application and who may change them.
 *
 * The six states the applicant sees (seed, second text, 5), the site's
 * 网报未受理 (fourth text, 3) and the institution's final results (SPEC §4).
 * Who moves an application where:
 *
 *   applicant     (new) -> 1                 submits
 *                 4 -> 1                     corrects the institution
 *   site          1, 2, 3, 7 -> 2, 3, 7      concludes, or corrects its own
 *                                            conclusion before the
 *                                            institution acts
 *   institution   1, 2, 3, 5 -> 4, 6         wrong institution / not eligible
 *                 3 -> 5                     materials missing
 *                 3, 5 -> 8, 9, 10           final result
 *
 * 6, 8, 9 and 10 are final. The applicant edits everything in state 1 until
 * the site's confirmation period ends, only the institution in state 4 until
 * the application window closes, and nothing otherwise (second text, 4-5).
 */
#ifndef TQK_CORE_STATE_H
#define TQK_CORE_STATE_H

#include <stdbool.h>

#include "core/date.h"
#include "core/err.h"

typedef enum tqk_state {
	TQK_ST_NONE = 0,                /* not yet submitted */
	TQK_ST_SUBMITTED = 1,           /* 信息提交成功，等待现场确认 */
	TQK_ST_SITE_INCOMPLETE = 2,     /* 经审核材料不全，请向确认机构提交补齐 */
	TQK_ST_CONFIRMED = 3,           /* 信息已确认，待审批 */
	TQK_ST_WRONG_INSTITUTION = 4,   /* 经审核您选错了注册机构。请更正 */
	TQK_ST_INST_INCOMPLETE = 5,     /* 经审核材料不全，请向注册机构提交补齐 */
	TQK_ST_NOT_ELIGIBLE = 6,        /* 您不属于注册对象 */
	TQK_ST_NOT_ACCEPTED = 7,        /* 网报未受理 */
	TQK_ST_PASSED = 8,              /* 注册合格 */
	TQK_ST_DEFERRED = 9,            /* 暂缓注册 */
	TQK_ST_FAILED = 10,             /* 注册不合格 */
	TQK_ST_COUNT
} tqk_state;

typedef enum tqk_actor {
	TQK_ACTOR_APPLICANT = 1,
	TQK_ACTOR_SITE = 2,
	TQK_ACTOR_INSTITUTION = 4
} tqk_actor;

typedef enum tqk_edit {
	TQK_EDIT_NONE = 0,              /* view only */
	TQK_EDIT_ALL,                   /* every field */
	TQK_EDIT_INSTITUTION            /* only the registration institution */
} tqk_edit;

/* The label as the national system words it (zh) or its translation. */
const char *tqk_state_label(tqk_state s, tqk_lang lang);
/* What the applicant should do next, in plain words. */
const char *tqk_state_next_step(tqk_state s, tqk_lang lang);
/* Stable ASCII code ("submitted", "site_incomplete", ...); "none" for 0. */
const char *tqk_state_code(tqk_state s);
/* The state of a code; only states 1..10 are accepted (an application on
 * record always has one), so "none" is TQK_E_STATE_UNKNOWN. */
tqk_err tqk_state_from_code(const char *code, tqk_state *out) TQK_MUST_CHECK;

bool tqk_state_valid(tqk_state s);      /* 1..10 */
bool tqk_state_final(tqk_state s);      /* 6, 8, 9, 10 */

/*
 * TQK_OK when actor may move an application from `from` to `to`;
 * TQK_E_STATE_UNKNOWN for a state out of range, TQK_E_STATE_TRANSITION when
 * nobody may make that move, TQK_E_STATE_ACTOR when someone else may.
 */
tqk_err tqk_state_transition(tqk_state from, tqk_state to, tqk_actor actor) TQK_MUST_CHECK;

/*
 * What the applicant may edit at instant now, given the end of the site's
 * confirmation period (tqk_period_end) and the end of the institution's
 * application window; TQK_TIME_NONE for an end means "not known", which
 * allows nothing.
 */
tqk_edit tqk_state_applicant_edit(tqk_state s, tqk_time now, tqk_time confirm_end,
                                  tqk_time apply_end);

#endif
