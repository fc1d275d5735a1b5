/*
 * change.h - a teacher's change of their own application at the kiosk, as a
 * value (SPEC §4): the fields changed, each old -> new, like a site's
 * corrections. A teacher may change an application while it is still
 * waiting for the site (state 1) and the site's confirmation period has not
 * ended (core/state.h, tqk_state_applicant_edit); never who they are (the ID
 * and certificate numbers, the names and ID number printed on the
 * certificate) nor the site, which only the site corrects.
 */
#ifndef TQK_CORE_CHANGE_H
#define TQK_CORE_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "core/date.h"
#include "core/err.h"
#include "core/uuid.h"

typedef struct tqk_change {
	char uuid[TQK_UUID_CAP];            /* empty: the store makes one */
	char reg_no[TQK_CODE_CAP];
	char site[TQK_CODE_CAP];
	char kiosk[TQK_CODE_CAP];
	size_t n_corrections;
	tqk_correction corrections[TQK_CORRECTIONS_MAX];
	tqk_time at;
	tqk_time_source time_source;
} tqk_change;

/* Whether a teacher may change field f. */
bool tqk_change_field_allowed(tqk_field f);

/* Checks the ids (a uuid when given), 1..TQK_CORRECTIONS_MAX corrections
 * of fields a teacher may change (TQK_E_FIELD_UNKNOWN otherwise) as
 * tqk_corrections_check does, and the time; *bad names the first bad
 * member. */
tqk_err tqk_change_check(const tqk_change *e, tqk_date today, const char **bad) TQK_MUST_CHECK;

/* The edit that makes after of before: one correction per field a teacher
 * may change whose text differs, in field order (none: n_corrections 0). */
void tqk_change_diff(const tqk_application *before, const tqk_application *after, tqk_change *out);

/*
 * Applies e to a: a must still be submitted (TQK_E_WALKIN_READONLY) and
 * each correction's old value its current one (TQK_E_STORE_STALE: changed
 * meanwhile, nothing applied). *bad names the field at fault. a is
 * untouched on failure.
 */
tqk_err tqk_change_apply(tqk_application *a, const tqk_change *e, tqk_date today,
                       const char **bad) TQK_MUST_CHECK;

#endif
