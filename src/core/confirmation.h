/*
 * confirmation.h - the site's confirmation of one application, as a value.
 *
 * A confirmation is what the clerk concludes at the counter: the mark of
 * every material, the corrections made to the application (field, old value,
 * new value), the conclusion with its remark, the message to the applicant,
 * the archive number of the bag, and the time with the source that vouches
 * for it (SPEC §5, §7). Confirmations are never changed: a correction is a
 * new confirmation that names the one it supersedes.
 */
#ifndef TQK_CORE_CONFIRMATION_H
#define TQK_CORE_CONFIRMATION_H

#include <stdbool.h>
#include <stddef.h>

#include "core/application.h"
#include "core/archive.h"
#include "core/date.h"
#include "core/err.h"
#include "core/materials.h"
#include "core/uuid.h"

#define TQK_CORRECTIONS_MAX 16

/* Which clock stood behind a record's time (SPEC §7). A kiosk in demo mode
 * runs on a clock it was given, and every record it writes says so: the
 * source "demo" marks a record as a demonstration's, never a real one. */
typedef enum tqk_time_source {
	TQK_TIME_UNSET = 0,
	TQK_TIME_LOCAL,         /* the kiosk's own clock, never checked */
	TQK_TIME_ANCHORED,      /* the server's time at the last sync + monotonic clock */
	TQK_TIME_SERVER,        /* the server's time, just read */
	TQK_TIME_DEMO           /* a demo kiosk's made-up clock: the record is a demo's */
} tqk_time_source;

typedef struct tqk_correction {
	tqk_field field;
	char old_value[TQK_TEXT_CAP];
	char new_value[TQK_TEXT_CAP];
} tqk_correction;

typedef struct tqk_confirmation {
	char uuid[TQK_UUID_CAP];            /* empty: the store makes one */
	char supersedes[TQK_UUID_CAP];      /* the corrected confirmation, or empty */
	char reg_no[TQK_CODE_CAP];
	char site[TQK_CODE_CAP];
	char kiosk[TQK_CODE_CAP];
	char clerk[TQK_CODE_CAP];
	tqk_marks marks;
	bool police_required;               /* names or ID numbers differ */
	size_t n_corrections;
	tqk_correction corrections[TQK_CORRECTIONS_MAX];
	tqk_conclusion conclusion;
	char remark[TQK_MSG_CAP];           /* the reason for 网报未受理, or a note */
	char message[TQK_MSG_CAP];          /* 留言 to the applicant */
	char archive_no[TQK_ARCHIVE_BUFLEN];/* set by the store; empty when none */
	tqk_time at;
	tqk_time_source time_source;
} tqk_confirmation;

/*
 * Checks everything the clerk decided: the ids (a uuid when given), the marks
 * against the conclusion (tqk_conclusion_check), each correction (a known
 * field, given once, its new value valid for the field) and the time.
 * *bad (when not NULL) names the first bad member. The archive number is
 * not checked: the store assigns it.
 */
tqk_err tqk_confirmation_check(const tqk_confirmation *c, tqk_date today,
                               const char **bad) TQK_MUST_CHECK;

/* Checks corrections: at most TQK_CORRECTIONS_MAX, each of a known field,
 * given once, its old value UTF-8 within its cap, its new value valid for
 * the field (tqk_field_set); *bad names the first bad one's field. */
tqk_err tqk_corrections_check(const tqk_correction *v, size_t n, tqk_date today,
                              const char **bad) TQK_MUST_CHECK;

/* Whether a confirmation with this conclusion fills an archive bag (and so
 * takes an archive serial): 材料齐全 and 材料不齐全 do, 网报未受理 does not. */
bool tqk_conclusion_bagged(tqk_conclusion c);

const char *tqk_time_source_code(tqk_time_source s);   /* "" when unset */
bool tqk_time_source_valid(tqk_time_source s);          /* a source, not unset */
tqk_err tqk_time_source_parse(const char *s, tqk_time_source *out) TQK_MUST_CHECK;

/* Mark codes: "has", "lacks", "na" ("" for unset). */
const char *tqk_mark_code(tqk_mark m);
tqk_err tqk_mark_parse(const char *s, tqk_mark *out) TQK_MUST_CHECK;
/* Conclusion from its code ("complete", "incomplete", "not_accepted"). */
tqk_err tqk_conclusion_parse(const char *s, tqk_conclusion *out) TQK_MUST_CHECK;

#endif
