/*
 * i18n.h - the kiosk's words in the teacher's language.
 *
 * Every string the kiosk shows is written in English in the source and
 * looked up in the gettext catalogue assets/i18n/zh_CN.po (built into
 * <locale dir>/zh_CN/LC_MESSAGES/tqkiosk.mo). Chinese is the default;
 * English is the source text itself, so switching language on screen
 * changes no process state: tqk_tr takes the language of the frame.
 *
 * tqk_i18n_init must run once, before any thread starts: it sets the
 * C.UTF-8 locale and LANGUAGE=zh_CN (glibc's gettext picks the catalogue
 * from them) and binds the catalogue directory.
 */
#ifndef TQK_KIOSK_I18N_H
#define TQK_KIOSK_I18N_H

#include <stdbool.h>

#include "core/err.h"

#define TQK_I18N_DOMAIN "tqkiosk"

/* Binds locale_dir (NULL: the installed one); false when the Chinese
 * catalogue cannot be found there (the kiosk then refuses to start: a
 * kiosk that speaks only English to a Chinese hall is broken). */
bool tqk_i18n_init(const char *locale_dir);

/* msgid in lang: the catalogue's Chinese, or msgid itself for English. */
const char *tqk_tr(tqk_lang lang, const char *msgid);

/* Marks a string for xgettext without translating it (tables). */
#define N_(s) (s)

#endif
