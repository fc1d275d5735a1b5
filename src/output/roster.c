/*
 * roster.c - the rosters' rows from the kiosk's store (roster.h).
 */
#include "output/roster.h"

#include <stdlib.h>
#include <string.h>

#include "store/apps.h"
#include "store/confirm.h"
#include "store/walkin.h"

tqk_err tqk_output_roster_rows(tqk_store *s, tqk_roster_row **rows, size_t *n)
{
	*rows = NULL;
	*n = 0;
	char (*regs)[TQK_CODE_CAP] = NULL;
	size_t count = 0;
	tqk_err err = tqk_store_confirmed(s, &regs, &count);
	if (err != TQK_OK || count == 0)
		return err;
	tqk_roster_row *v = calloc(count, sizeof *v);
	if (v == NULL) {
		free(regs);
		return TQK_E_NOMEM;
	}
	tqk_application a;
	tqk_confirmation c;
	for (size_t i = 0; err == TQK_OK && i < count; i++) {
		err = tqk_store_app_get(s, regs[i], &a);
		if (err == TQK_OK)
			err = tqk_store_confirmation_current(s, regs[i], &c);
		if (err == TQK_OK)
			err = tqk_store_shown_number(s, regs[i], a.reg_no);
		if (err == TQK_OK)
			tqk_roster_row_from(&a, &c, &v[i]);
	}
	free(regs);
	if (err != TQK_OK) {
		free(v);
		return err;
	}
	*rows = v;
	*n = count;
	return TQK_OK;
}
