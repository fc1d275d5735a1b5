/*
 * stage.h - school stages and the qualification types that match them.
 *
 * One enum serves both as the teaching stage of a post (任教学段) and as the
 * type of a teacher-qualification certificate (资格种类), since each type is
 * named after the stage it qualifies for. Ordering and coverage follow the
 * Teacher Qualification Regulations (教师资格条例, art. 5): a qualification
 * covers its own stage and every lower one (幼儿园 < 小学 < 初级中学 <
 * 高级中学); 高级中学 and 中等职业学校 are the same level and valid for each
 * other; 中等职业学校实习指导 covers only practical-training posts at a
 * secondary vocational school, and such posts are also covered by the
 * 高级中学 and 中等职业学校 qualifications (a post at a school of their level).
 */
#ifndef TQK_CORE_STAGE_H
#define TQK_CORE_STAGE_H

#include <stdbool.h>

#include "core/err.h"

typedef enum tqk_stage {
	TQK_STAGE_NONE = 0,         /* no formal certificate / not given */
	TQK_STAGE_KINDERGARTEN,     /* 幼儿园 */
	TQK_STAGE_PRIMARY,          /* 小学 */
	TQK_STAGE_JUNIOR,           /* 初级中学 */
	TQK_STAGE_SENIOR,           /* 高级中学 */
	TQK_STAGE_VOCATIONAL,       /* 中等职业学校 */
	TQK_STAGE_VOC_PRACTICE,     /* 中等职业学校实习指导 */
	TQK_STAGE_COUNT
} tqk_stage;

/* Which of a school's two rosters (花名册) a qualification type goes on
 * (seed, fourth text, 5). */
typedef enum tqk_roster {
	TQK_ROSTER_NONE = 0,
	TQK_ROSTER_SENIOR,          /* 高中、中职 */
	TQK_ROSTER_BASIC            /* 初中、小学、幼儿园 */
} tqk_roster;

/* The stage's name ("初级中学" / "junior secondary school"). */
const char *tqk_stage_name(tqk_stage s, tqk_lang lang);
/* The qualification type's name ("初级中学教师资格" / "...teacher qualification"). */
const char *tqk_stage_qual_name(tqk_stage s, tqk_lang lang);
/* Stable ASCII code: "kindergarten", "primary", "junior", "senior",
 * "vocational", "voc_practice"; "none" for TQK_STAGE_NONE. */
const char *tqk_stage_code(tqk_stage s);

/* Accepts the code, the Chinese stage or qualification name, or a common
 * short form (幼儿园, 小学, 初中, 高中, 中职, 中职实习指导); "none" gives
 * TQK_STAGE_NONE, so that every code written reads back. */
tqk_err tqk_stage_parse(const char *s, tqk_stage *out) TQK_MUST_CHECK;

/* True when a certificate of type qual qualifies its holder for a post at
 * stage post (art. 5 above). False whenever either is TQK_STAGE_NONE. */
bool tqk_stage_covers(tqk_stage qual, tqk_stage post);

tqk_roster tqk_stage_roster(tqk_stage qual);

#endif
