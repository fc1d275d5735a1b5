/*
 * ime_labels.h - the words of the pinyin keyboard (tqk_ui_keyboard_ime) in
 * the teacher's language: the screens pass tqk_ime_labels(L) to it, as they
 * pass tqk_tr(L, "OK") to the other keypads.
 */
#ifndef TQK_KIOSK_IME_LABELS_H
#define TQK_KIOSK_IME_LABELS_H

#include "core/err.h"
#include "ui/ui.h"

/* The labels in lang; the strings are the catalogue's (never freed). */
tqk_ui_ime_labels tqk_ime_labels(tqk_lang lang);

#endif
