/*
 * wedge.c - the keyboard-wedge scanner (SPEC §2): a barcode scanner that
 * types into the kiosk like a keyboard. Every key and text event passes
 * through the detector of dev/hid.h first: a burst faster than a person
 * types, ending in Enter or Tab, is a scan and goes to the look-up; all
 * else reaches the widgets as it was typed, in order, at most one gap
 * late. Scans are at least TQK_WEDGE_MIN characters (a registration number
 * has 14), so a PIN typed on a physical keyboard is never taken for one.
 */
#include <string.h>

#include "app_internal.h"
#include "i18n.h"

#define TQK_WEDGE_MIN 10

void tqk_app_wedge_init(tqk_app *a)
{
	tqk_wedge_opts o = tqk_wedge_opts_default();
	o.min_len = TQK_WEDGE_MIN;
	/* Constant options in range; on TQK_E_ARG the defaults are in place. */
	tqk_err e = tqk_wedge_init(&a->wedge, &o);
	(void)e;
}

/* Hands typed bytes to the widgets: printable runs as text, '\r' as
 * Return, '\t' as Tab; other bytes stand for an event delivered itself. */
static void give(tqk_app *a, const char *p, size_t n)
{
	SDL_Event e;
	size_t i = 0;
	while (i < n) {
		memset(&e, 0, sizeof e);
		if (p[i] == '\r' || p[i] == '\t') {
			e.type = SDL_KEYDOWN;
			e.key.state = SDL_PRESSED;
			e.key.keysym.sym = p[i] == '\r' ? SDLK_RETURN : SDLK_TAB;
			e.key.keysym.scancode = SDL_GetScancodeFromKey(e.key.keysym.sym);
			i++;
		} else if ((unsigned char)p[i] >= 0x20 && (unsigned char)p[i] < 0x7f) {
			size_t k = 0;
			e.type = SDL_TEXTINPUT;
			while (i < n && k + 1 < sizeof e.text.text && (unsigned char)p[i] >= 0x20 &&
			       (unsigned char)p[i] < 0x7f)
				e.text.text[k++] = p[i++];
		} else {
			i++;
			continue;
		}
		if (tqk_ui_event(a->ui, &e))
			a->dirty = true;
	}
}

static void out(tqk_app *a, const tqk_wedge_out *o)
{
	give(a, o->pass, o->pass_len);
	if (!o->scanned)
		return;
	if (o->scan.err != TQK_OK) {
		tqk_app_notice(a, true, tqk_strerror(o->scan.err, a->view.chrome.lang));
		return;
	}
	tqk_app_look_scan(a, o->scan.text);
	a->dirty = true;
}

bool tqk_app_wedge_event(tqk_app *a, const SDL_Event *e)
{
	uint64_t now = SDL_GetTicks64();
	tqk_wedge_out o;
	if (e->type == SDL_TEXTINPUT) {
		const unsigned char *t = (const unsigned char *)e->text.text;
		bool ascii = true;
		for (size_t i = 0; t[i] != '\0'; i++)
			ascii &= t[i] >= 0x20 && t[i] < 0x7f;
		if (!ascii) {
			/* Text of an input method: what waited goes first. */
			tqk_wedge_key(&a->wedge, now, 0x01, &o);
			out(a, &o);
			return false;
		}
		for (size_t i = 0; t[i] != '\0'; i++) {
			tqk_wedge_key(&a->wedge, now, t[i], &o);
			out(a, &o);
		}
		return true;
	}
	if (e->type == SDL_KEYDOWN) {
		SDL_Keycode k = e->key.keysym.sym;
		bool end = k == SDLK_RETURN || k == SDLK_KP_ENTER || k == SDLK_TAB;
		tqk_wedge_key(&a->wedge, now, end ? (k == SDLK_TAB ? '\t' : '\r') : 0x01, &o);
		out(a, &o);
		return end;
	}
	return false;
}

int tqk_app_wedge_tick(tqk_app *a)
{
	tqk_wedge_out o;
	tqk_wedge_tick(&a->wedge, SDL_GetTicks64(), &o);
	out(a, &o);
	/* While a burst waits, the loop must come back within a gap. */
	return a->wedge.run.len > 0 ? (int)a->wedge.o.max_gap_ms : -1;
}
