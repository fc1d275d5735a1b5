/*
 * keys.c - the on-screen keypad (3 x 4: 1-9, back, 0, ok) and keyboard
 * (1-0, Q-P, A-L, Z-M, then back, space, ok) of the kiosk. Their keys edit
 * the focused field through tqk_ui_edit, so the field's flags and cap apply
 * to them as to typed text. Letters are upper case only: the forms need no
 * lower case, and the ID number's X is on the Z row. Key ids are fixed
 * ("kp/..." and "kb/..."): one keypad and one keyboard per screen.
 */
#include "ui/internal.h"

#define GAP 8

bool tqk_ui_keypad(tqk_ui *ui, tqk_rect r, const char *ok_label, const char *back_label)
{
	static const char *const digits[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9"};
	int kw = (r.w - 2 * GAP) / 3;
	int kh = (r.h - 3 * GAP) / 4;
	bool ok = false;
	for (int i = 0; i < 12; i++) {
		int row = i / 3, col = i % 3;
		tqk_rect k = {r.x + col * (kw + GAP), r.y + row * (kh + GAP), kw, kh};
		if (i < 9) {
			if (tqk_ui_button_font(ui, tqk_ui_id_part(tqk_ui_id("kp/"), digits[i]), k,
			                       TQK_BTN_NORMAL, digits[i], TQK_FONT_TITLE))
				tqk_ui_edit(ui, TQK_UI_OP_TEXT, digits[i]);
		} else if (i == 9) {
			if (tqk_ui_button_font(ui, tqk_ui_id("kp/back"), k, TQK_BTN_NORMAL, back_label,
			                       TQK_FONT_BODY))
				tqk_ui_edit(ui, TQK_UI_OP_BACK, NULL);
		} else if (i == 10) {
			if (tqk_ui_button_font(ui, tqk_ui_id("kp/0"), k, TQK_BTN_NORMAL, "0", TQK_FONT_TITLE))
				tqk_ui_edit(ui, TQK_UI_OP_TEXT, "0");
		} else {
			ok = tqk_ui_button_font(ui, tqk_ui_id("kp/ok"), k, TQK_BTN_PRIMARY, ok_label,
			                        TQK_FONT_BODY);
		}
	}
	return ok;
}

bool tqk_ui_keyboard(tqk_ui *ui, tqk_rect r, const char *ok_label, const char *back_label)
{
	static const char *const rows[] = {"1234567890", "QWERTYUIOP", "ASDFGHJKL", "ZXCVBNM"};
	int kw = (r.w - 9 * GAP) / 10;
	int kh = (r.h - 4 * GAP) / 5;
	uint32_t base = tqk_ui_id("kb/");
	for (int row = 0; row < 4; row++) {
		const char *keys = rows[row];
		int n = 0;
		while (keys[n])
			n++;
		int width = n * kw + (n - 1) * GAP;
		int x0 = r.x + (r.w - width) / 2;
		for (int i = 0; i < n; i++) {
			char key[2] = {keys[i], '\0'};
			tqk_rect k = {x0 + i * (kw + GAP), r.y + row * (kh + GAP), kw, kh};
			if (tqk_ui_button_font(ui, tqk_ui_id_part(base, key), k, TQK_BTN_NORMAL, key,
			                       TQK_FONT_TITLE))
				tqk_ui_edit(ui, TQK_UI_OP_TEXT, key);
		}
	}
	/* The last row: back (2 keys wide), space (5), ok (3). */
	int y = r.y + 4 * (kh + GAP);
	int unit = kw + GAP;
	tqk_rect back = {r.x, y, 2 * unit - GAP, kh};
	tqk_rect space = {r.x + 2 * unit, y, 5 * unit - GAP, kh};
	tqk_rect okr = {r.x + 7 * unit, y, r.x + r.w - (r.x + 7 * unit), kh};
	if (tqk_ui_button_font(ui, tqk_ui_id("kb/back"), back, TQK_BTN_NORMAL, back_label, TQK_FONT_BODY))
		tqk_ui_edit(ui, TQK_UI_OP_BACK, NULL);
	if (tqk_ui_button_font(ui, tqk_ui_id("kb/space"), space, TQK_BTN_NORMAL, NULL, TQK_FONT_BODY))
		tqk_ui_edit(ui, TQK_UI_OP_TEXT, " ");
	/* The space key's mark (the font has no U+2423): a bracket drawn open upwards. */
	int bw = space.w / 3, bx = space.x + (space.w - bw) / 2, by = space.y + space.h * 2 / 3;
	tqk_ui_fill(ui, (tqk_rect){bx, by, bw, 3}, TQK_C_TEXT);
	tqk_ui_fill(ui, (tqk_rect){bx, by - 10, 3, 10}, TQK_C_TEXT);
	tqk_ui_fill(ui, (tqk_rect){bx + bw - 3, by - 10, 3, 10}, TQK_C_TEXT);
	return tqk_ui_button_font(ui, tqk_ui_id("kb/ok"), okr, TQK_BTN_PRIMARY, ok_label, TQK_FONT_BODY);
}
