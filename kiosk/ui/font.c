/*
 * font.c - finds the kiosk's CJK font through fontconfig: the best match for
 * "sans:lang=zh-cn", accepted only when its charset has both glyphs of
 * "确认" (U+786E, U+8BA4), so that a Latin-only fallback is refused rather
 * than drawing boxes.
 */
#include "ui/ui.h"

#include <string.h>

#include <fontconfig/fontconfig.h>

bool tqk_ui_font_find(char path[TQK_UI_FONT_PATH_CAP], int *index)
{
	bool ok = false;
	FcConfig *cfg = FcInitLoadConfigAndFonts();
	if (!cfg)
		return false;
	FcPattern *pat = FcPatternCreate();
	if (!pat)
		goto out_cfg;
	if (!FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)"sans") ||
	    !FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"zh-cn"))
		goto out_pat;
	if (!FcConfigSubstitute(cfg, pat, FcMatchPattern))
		goto out_pat;
	FcDefaultSubstitute(pat);
	FcResult res = FcResultNoMatch;
	FcPattern *m = FcFontMatch(cfg, pat, &res);
	if (!m)
		goto out_pat;
	FcChar8 *file = NULL;
	FcCharSet *cs = NULL;
	int idx = 0;
	if (FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch &&
	    FcPatternGetCharSet(m, FC_CHARSET, 0, &cs) == FcResultMatch &&
	    FcCharSetHasChar(cs, 0x786E) && FcCharSetHasChar(cs, 0x8BA4)) {
		if (FcPatternGetInteger(m, FC_INDEX, 0, &idx) != FcResultMatch)
			idx = 0;
		size_t n = strlen((const char *)file);
		if (n > 0 && n < TQK_UI_FONT_PATH_CAP) {
			memcpy(path, file, n + 1);
			*index = idx;
			ok = true;
		}
	}
	FcPatternDestroy(m);
out_pat:
	FcPatternDestroy(pat);
out_cfg:
	FcConfigDestroy(cfg);
	return ok;
}
