/*
 * devices.c - the device threads: one polls the ID-card reader
 * (dev/idreader.h), one the USB barcode scanner (dev/scanner.h), hot-plug
 * and all, and each posts what came (a card, a scan) and each change of
 * its device's state to the app's loop as SDL user events, the one way
 * into the SDL thread. The card's photo is dropped here: the kiosk shows
 * no photo and keeps none. A scanner that cannot be claimed still types
 * into the window, where the keyboard-wedge detector takes it (wedge.c).
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "dev/idreader.h"
#include "dev/scanner.h"
#include "devices.h"
#include "i18n.h"

struct tqk_devices {
	SDL_Thread *thread, *scan_thread;
	atomic_bool stop;
	atomic_int reader_state;        /* tqk_idreader_state */
	atomic_int scanner_state;       /* tqk_scanner_state */
	atomic_int scanner_mode;        /* tqk_hid_source while READY */
	tqk_idreader *reader;
	tqk_scanner *scanner;
	Uint32 ev_base;
};

/* Posts kind with data (size bytes, heap; wiped and freed when the queue
 * is full). */
static void post(tqk_devices *d, tqk_app_event kind, int code, void *data, size_t size)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = d->ev_base + kind;
	e.user.code = code;
	e.user.data1 = data;
	if (SDL_PushEvent(&e) != 1 && data != NULL) {
		sodium_memzero(data, size);
		free(data);
	}
}

static int reader_thread(void *arg)
{
	tqk_devices *d = arg;
	while (!atomic_load(&d->stop)) {
		tqk_idreader_event ev;
		tqk_date today = tqk_time_date((tqk_time)time(NULL));
		tqk_idreader_poll(d->reader, 200, today, &ev);
		if (ev.state != (tqk_idreader_state)atomic_load(&d->reader_state)) {
			atomic_store(&d->reader_state, (int)ev.state);
			post(d, TQK_EV_CARD_STATE, (int)ev.state, NULL, 0);
		}
		if (ev.kind == TQK_IDREADER_EV_CARD_FAILED) {
			/* Said in Chinese: the app shows it as it is. */
			const char *why = tqk_idreader_reason_text(ev.err, ev.sw, TQK_LANG_ZH);
			char *text = strdup(why != NULL ? why : "");
			if (text != NULL)
				post(d, TQK_EV_CARD_FAILED, (int)ev.err, text, strlen(text) + 1);
		}
		if (ev.kind == TQK_IDREADER_EV_CARD) {
			tqk_idcard *card = malloc(sizeof *card);
			if (card != NULL) {
				*card = ev.card;
				card->photo_len = 0;
				sodium_memzero(card->photo, sizeof card->photo);
				post(d, TQK_EV_CARD, 0, card, sizeof *card);
			}
		}
		sodium_memzero(&ev, sizeof ev);
	}
	return 0;
}

static int scanner_thread(void *arg)
{
	tqk_devices *d = arg;
	while (!atomic_load(&d->stop)) {
		tqk_scanner_event ev;
		tqk_scanner_poll(d->scanner, 200, &ev);
		if (ev.kind == TQK_SCANNER_EV_STATE) {
			atomic_store(&d->scanner_state, (int)ev.state);
			atomic_store(&d->scanner_mode, (int)ev.mode);
			post(d, TQK_EV_CARD_STATE, 0, NULL, 0);
		}
		/* A scan with a NUL byte in it (POS data) is none of ours. */
		if (ev.kind == TQK_SCANNER_EV_SCAN && ev.scan.err == TQK_OK &&
		    memchr(ev.scan.text, '\0', ev.scan.len) == NULL) {
			char *text = malloc(ev.scan.len + 1);
			if (text != NULL) {
				memcpy(text, ev.scan.text, ev.scan.len + 1);
				post(d, TQK_EV_SCAN, 0, text, ev.scan.len + 1);
			}
		}
		sodium_memzero(&ev, sizeof ev);
	}
	return 0;
}

tqk_err tqk_devices_start(const char *reader, const char *scanner, Uint32 ev_base,
                          tqk_devices **out)
{
	*out = NULL;
	tqk_devices *d = calloc(1, sizeof *d);
	if (d == NULL)
		return TQK_E_NOMEM;
	d->ev_base = ev_base;
	atomic_init(&d->stop, false);
	atomic_init(&d->reader_state, (int)TQK_IDREADER_ABSENT);
	if (reader != NULL) {
		tqk_err e = tqk_idreader_new(reader, NULL, &d->reader);
		if (e != TQK_OK) {
			free(d);
			return e;
		}
		d->thread = SDL_CreateThread(reader_thread, "idreader", d);
		if (d->thread == NULL) {
			tqk_idreader_free(d->reader);
			free(d);
			return TQK_E_NOMEM;
		}
	}
	if (scanner != NULL) {
		tqk_scanner_opts so = tqk_scanner_opts_default();
		tqk_err e = tqk_scanner_new(scanner, &so, &d->scanner);
		if (e == TQK_OK) {
			d->scan_thread = SDL_CreateThread(scanner_thread, "scanner", d);
			if (d->scan_thread == NULL)
				e = TQK_E_NOMEM;
		}
		if (e != TQK_OK) {
			tqk_devices_stop(d);
			return e;
		}
	}
	*out = d;
	return TQK_OK;
}

void tqk_devices_stop(tqk_devices *d)
{
	if (d == NULL)
		return;
	atomic_store(&d->stop, true);
	if (d->thread != NULL)
		SDL_WaitThread(d->thread, NULL);
	if (d->scan_thread != NULL)
		SDL_WaitThread(d->scan_thread, NULL);
	tqk_idreader_free(d->reader);
	tqk_scanner_free(d->scanner);
	free(d);
}

const char *tqk_devices_reader_text(tqk_devices *d, tqk_lang lang)
{
	if (d == NULL || d->reader == NULL)
		return tqk_tr(lang, "not configured");
	return tqk_idreader_state_text((tqk_idreader_state)atomic_load(&d->reader_state), lang);
}

const char *tqk_devices_scanner_text(tqk_devices *d, tqk_lang lang)
{
	if (d == NULL || d->scanner == NULL)
		return tqk_tr(lang, "keyboard wedge (SDL key bursts)");
	switch ((tqk_scanner_state)atomic_load(&d->scanner_state)) {
	case TQK_SCANNER_READY:
		return (tqk_hid_source)atomic_load(&d->scanner_mode) == TQK_HID_SRC_POS
		               ? tqk_tr(lang, "USB, point-of-sale mode")
		               : tqk_tr(lang, "USB, keyboard mode (claimed)");
	case TQK_SCANNER_UNUSABLE:
		return tqk_tr(lang, "USB scanner not usable: keyboard wedge instead");
	case TQK_SCANNER_ABSENT:
		break;
	}
	return tqk_tr(lang, "USB scanner not connected");
}
