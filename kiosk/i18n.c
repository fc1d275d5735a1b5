/*
 * i18n.c - gettext lookups for the kiosk (i18n.h).
 */
#include "i18n.h"

#include <libintl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef TQK_LOCALE_DIR
#define TQK_LOCALE_DIR "/usr/local/share/locale"
#endif

bool tqk_i18n_init(const char *locale_dir)
{
	const char *dir = locale_dir != NULL ? locale_dir : TQK_LOCALE_DIR;
	char mo[1200];
	int n = snprintf(mo, sizeof mo, "%s/zh_CN/LC_MESSAGES/" TQK_I18N_DOMAIN ".mo", dir);
	if (n < 0 || (size_t)n >= sizeof mo || access(mo, R_OK) != 0)
		return false;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return false;
	if (setenv("LANGUAGE", "zh_CN", 1) != 0)
		return false;
	return bindtextdomain(TQK_I18N_DOMAIN, dir) != NULL &&
	       bind_textdomain_codeset(TQK_I18N_DOMAIN, "UTF-8") != NULL;
}

const char *tqk_tr(tqk_lang lang, const char *msgid)
{
	if (lang == TQK_LANG_EN)
		return msgid;
	return dgettext(TQK_I18N_DOMAIN, msgid);
}
