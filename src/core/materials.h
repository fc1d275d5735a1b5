/*
 * materials.h - what a teacher hands in, and the site's conclusion.
 *
 * The checklist is data (SPEC §5; seed, first text 2 and 4, fourth text 10):
 * every item has an id, its name, what "具备" (present) requires, and its
 * place in the archive bag. The clerk marks each item 具备 or 不具备; two
 * items carry rules:
 *
 *  - the police certificate is needed only when the name or the ID number on
 *    the qualification certificate differs from the current ID card; otherwise
 *    it is marked "not applicable";
 *  - "qualification certificate matching the post": at a first registration
 *    every holder of a formal certificate is 具备, whatever stage they teach;
 *    without one, 不具备. From the second registration on, a teacher teaching
 *    above the certificate's stage is 不具备 (first text, 4(5); stage.h).
 *
 * The conclusion follows from the marks: all 具备 -> 材料齐全; any 不具备 ->
 * 材料不齐全 with the missing list. 网报未受理 (a duplicate registration
 * number) is the clerk's choice and needs the reason in the remark. When the
 * province's "other conditions" item is 不具备, the message to the applicant
 * must say what to bring (first text, 4(6)).
 */
#ifndef TQK_CORE_MATERIALS_H
#define TQK_CORE_MATERIALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/stage.h"
#include "core/state.h"

typedef enum tqk_material {
	TQK_MAT_FORM = 0,       /* 教师资格定期注册申请表 */
	TQK_MAT_CERT,           /* 教师资格证书原件及复印件 */
	TQK_MAT_QUAL_MATCH,     /* 与任教岗位相应的教师资格证书 (rule) */
	TQK_MAT_ETHICS,         /* 师德表现考核表 */
	TQK_MAT_ANNUAL,         /* 年度考核表复印件 */
	TQK_MAT_CREDIT,         /* 学分登记表 = 省级认定的教育培训证明 */
	TQK_MAT_HEALTH,         /* 身心健康证明 */
	TQK_MAT_ID_COPY,        /* 身份证复印件 */
	TQK_MAT_EMPLOYMENT,     /* 聘用合同，或职称证书及聘任证书复印件 */
	TQK_MAT_POLICE,         /* 公安机关证明 (only when needed) */
	TQK_MAT_OTHER,          /* 省级以上教育行政部门规定的其他条件 */
	TQK_MAT_COUNT
} tqk_material;

typedef enum tqk_mark {
	TQK_MARK_UNSET = 0,
	TQK_MARK_HAS,           /* 具备 */
	TQK_MARK_LACKS,         /* 不具备 */
	TQK_MARK_NA             /* not applicable (police certificate not needed) */
} tqk_mark;

typedef enum tqk_registration {
	TQK_REG_FIRST = 1,      /* 首次注册 */
	TQK_REG_SECOND = 2      /* second or later */
} tqk_registration;

typedef enum tqk_conclusion {
	TQK_CONC_NONE = 0,
	TQK_CONC_COMPLETE,      /* 材料齐全 */
	TQK_CONC_INCOMPLETE,    /* 材料不齐全 */
	TQK_CONC_NOT_ACCEPTED   /* 网报未受理 */
} tqk_conclusion;

typedef struct tqk_material_info {
	const char *code;                       /* "form", "police", ... */
	const char *name[TQK_LANG_COUNT];
	const char *requires[TQK_LANG_COUNT];   /* what 具备 means */
	int bag_order;          /* 1-based place in the archive bag; 0: not bagged */
} tqk_material_info;

typedef struct tqk_marks {
	tqk_mark mark[TQK_MAT_COUNT];
} tqk_marks;

/* What the rules need to know about one applicant. Strings are
 * NUL-terminated UTF-8; a NULL or blank cert_name or cert_id means "not
 * given", which compares as the same as the card. */
typedef struct tqk_case {
	const char *card_name, *card_id;        /* from the ID card */
	const char *cert_name, *cert_id;        /* on the qualification certificate */
	tqk_registration registration;
	tqk_stage qualification;                /* TQK_STAGE_NONE: no formal certificate */
	tqk_stage post;                         /* stage the teacher teaches now */
} tqk_case;

/* The checklist entry of m (asserts m is valid). */
const tqk_material_info *tqk_material_get(tqk_material m);

/* Bit m set in a mask for material m. */
#define TQK_MAT_BIT(m) (1u << (m))

/* True when the certificate's name or ID number differs from the card's. ID
 * numbers compare in normalised form (15 digits converted, x as X). */
bool tqk_police_required(const tqk_case *c);

/* The mark the qualification rule gives. */
tqk_mark tqk_qual_match_mark(tqk_registration reg, tqk_stage qualification, tqk_stage post);

/* Marks the rules decide, everything else unset: the police certificate NA
 * when not needed, and the qualification-match item. */
void tqk_marks_prefill(const tqk_case *c, tqk_marks *out);

/*
 * The conclusion the marks give and the mask of missing (不具备) items.
 * TQK_E_MAT_UNMARKED when a required item is unmarked; TQK_E_MAT_POLICE when
 * the police item is marked against the rule (NA when needed, or present /
 * missing when not needed); TQK_E_MAT_MARK for NA on any other item or a
 * mark out of range.
 */
tqk_err tqk_conclusion_derive(const tqk_marks *m, bool police_required,
                              tqk_conclusion *out, uint32_t *missing) TQK_MUST_CHECK;

/*
 * Checks the clerk's conclusion before it is committed: 网报未受理 needs a
 * reason (TQK_E_MAT_REASON) and ignores the marks; otherwise the marks must be valid
 * and give the same conclusion (TQK_E_MAT_CONCLUSION), and a missing
 * "other conditions" item needs a message (TQK_E_MAT_MESSAGE). reason and
 * message may be NULL for "empty"; blanks count as empty.
 */
tqk_err tqk_conclusion_check(const tqk_marks *m, bool police_required, tqk_conclusion chosen,
                             const char *reason, const char *message) TQK_MUST_CHECK;

/* The state a conclusion puts the application in: 3, 2 or 7 (1 for none). */
tqk_state tqk_conclusion_state(tqk_conclusion c);
const char *tqk_conclusion_name(tqk_conclusion c, tqk_lang lang);
const char *tqk_conclusion_code(tqk_conclusion c);

/*
 * Writes a message naming the missing items in checklist order, e.g.
 * "请补齐以下材料：身心健康证明；身份证复印件。", into buf (always
 * terminated when cap > 0). Returns the length the whole message needs, as
 * snprintf does; 0 when nothing is missing.
 */
size_t tqk_missing_message(uint32_t missing, tqk_lang lang, char *buf, size_t cap);

#endif
