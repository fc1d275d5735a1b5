/*
 * devices.c - the ID-card reader's thread: it polls the reader
 * (dev/idreader.h, hot-plug and all) and posts each card and each change of
 * the reader's state to the app's loop as SDL user events, the one way
 * into the SDL thread. The card's photo is dropped here: the kiosk shows
 * no photo and keeps none.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "dev/idreader.h"
#include "devices.h"
#include "i18n.h"

struct tqk_devices {
	SDL_Thread *thread;
	atomic_bool stop;
	atomic_int reader_state;        /* tqk_idreader_state */
	tqk_idreader *reader;
	Uint32 ev_base;
};

static void post(tqk_devices *d, tqk_app_event kind, int code, void *data)
{
	SDL_Event e;
	memset(&e, 0, sizeof e);
	e.type = d->ev_base + kind;
	e.user.code = code;
	e.user.data1 = data;
	if (SDL_PushEvent(&e) != 1 && data != NULL) {
		sodium_memzero(data, sizeof(tqk_idcard));
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
			post(d, TQK_EV_CARD_STATE, (int)ev.state, NULL);
		}
		if (ev.kind == TQK_IDREADER_EV_CARD) {
			tqk_idcard *card = malloc(sizeof *card);
			if (card != NULL) {
				*card = ev.card;
				card->photo_len = 0;
				sodium_memzero(card->photo, sizeof card->photo);
				post(d, TQK_EV_CARD, 0, card);
			}
		}
		sodium_memzero(&ev, sizeof ev);
	}
	return 0;
}

tqk_err tqk_devices_start(const char *reader, Uint32 ev_base, tqk_devices **out)
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
	tqk_idreader_free(d->reader);
	free(d);
}

const char *tqk_devices_reader_text(tqk_devices *d, tqk_lang lang)
{
	if (d == NULL || d->reader == NULL)
		return tqk_tr(lang, "not configured");
	return tqk_idreader_state_text((tqk_idreader_state)atomic_load(&d->reader_state), lang);
}
