/*
 * ime_labels.c - the pinyin keyboard's words looked up in the gettext
 * catalogue (ime_labels.h).
 */
#include "ime_labels.h"

#include "i18n.h"

tqk_ui_ime_labels tqk_ime_labels(tqk_lang lang)
{
	return (tqk_ui_ime_labels){
		.ok = tqk_tr(lang, "OK"),
		.back = tqk_tr(lang, "Delete"),
		/* The mode key reads "Pinyin / ABC" (中 / 英). */
		.chinese = tqk_tr(lang, "Pinyin"),
		.english = tqk_tr(lang, "ABC"),
		.hint = tqk_tr(lang, "Type the pinyin, then touch the word"),
		.unavailable = tqk_tr(lang, "Pinyin input is not available: letters are typed as they are"),
	};
}
