/*
 * devices.c - the device threads: one polls the ID-card reader
 * (dev/idreader.h), one the USB barcode scanner (dev/scanner.h), one takes
 * the camera's frames (dev/framesrc.h) and decodes them (dev/zscan.h),
 * hot-plug and all, and each posts what came (a card, a scan) and each
 * change of its device's state to the app's loop as SDL user events, the
 * one way into the SDL thread. The card's photo is dropped here: the kiosk
 * shows no photo and keeps none. A scanner that cannot be claimed still
 * types into the window, where the keyboard-wedge detector takes it
 * (wedge.c). A code held up to the camera is in every frame: it is posted
 * once, and again only after it was out of view for a while.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "dev/camera.h"
#include "dev/framesrc.h"
#include "dev/idreader.h"
#include "dev/scanner.h"
#include "dev/zscan.h"
#include "devices.h"
#include "i18n.h"

#define CAM_FRAME_MS 200        /* the longest wait for a frame: stop is seen */
#define CAM_RETRY_MS 2000       /* between tries of a camera not there or failing */
#define CAM_DIR_INTERVAL_MS 100 /* a directory's frames, as a camera would give them */
#define CAM_AGAIN_MS 1500       /* a code out of view this long is posted again */

/* The camera's state; with the error of UNUSABLE in one atomic int:
 * state + CAM_ERR_SHIFT * error. */
typedef enum cam_state {
	CAM_ABSENT = 0,         /* not there (yet): looked for every CAM_RETRY_MS */
	CAM_WORKING,            /* opened, frames come */
	CAM_GONE,               /* unplugged while in use */
	CAM_UNUSABLE,           /* there, but failing: the error says why */
} cam_state;
#define CAM_ERR_SHIFT 16

/* A code the camera saw lately, and when it was last seen. */
typedef struct cam_seen {
	char text[TQK_ZSCAN_DATA_CAP + 1];
	size_t len;             /* 0: a free slot */
	Uint64 at_ms;
} cam_seen;

/* The camera thread's own: the decoder, its result, the codes seen. */
typedef struct cam_work {
	tqk_zscan *z;
	tqk_zscan_result res;
	cam_seen seen[TQK_ZSCAN_MAX_SYMBOLS];
} cam_work;

struct tqk_devices {
	SDL_Thread *thread, *scan_thread, *cam_thread;
	atomic_bool stop;
	atomic_int reader_state;        /* tqk_idreader_state */
	atomic_int scanner_state;       /* tqk_scanner_state */
	atomic_int scanner_mode;        /* tqk_hid_source while READY */
	atomic_int cam_state;           /* cam_state + CAM_ERR_SHIFT * tqk_err */
	tqk_idreader *reader;
	tqk_scanner *scanner;
	char *cam_addr;                 /* the camera's address; NULL: none */
	bool cam_dir;                   /* "dir:PATH" rather than a V4L2 node */
	cam_work *cam;
	char cam_text[256];             /* tqk_devices_camera_text's last "not usable" */
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

/* Sleeps about ms, waking to see stop every 100 ms. */
static void cam_pause(tqk_devices *d, int ms)
{
	for (int t = 0; t < ms && !atomic_load(&d->stop); t += 100)
		SDL_Delay(100);
}

/* Keeps the camera's state, and tells the loop when it changed. */
static void cam_set(tqk_devices *d, cam_state st, tqk_err err)
{
	int v = (int)st + CAM_ERR_SHIFT * (st == CAM_UNUSABLE ? (int)err : 0);
	if (atomic_exchange(&d->cam_state, v) != v)
		post(d, TQK_EV_CARD_STATE, 0, NULL, 0);
}

static tqk_err cam_open(const tqk_devices *d, tqk_framesrc **out)
{
	if (d->cam_dir)
		return tqk_framedir_open(d->cam_addr + 4, true, CAM_DIR_INTERVAL_MS, out);
	tqk_camera_opts o = {.path = d->cam_addr};
	return tqk_camera_open(&o, out);
}

/* Decodes frame f and posts each code in it that was not in view within
 * CAM_AGAIN_MS as a scan. What was decoded is wiped; codes out of view
 * that long are forgotten. */
static void cam_frame(tqk_devices *d, cam_work *w, const tqk_frame *f)
{
	if (tqk_zscan_decode(w->z, f->px, f->w, f->h, f->stride, &w->res) != TQK_OK)
		return;         /* no memory; the result is empty */
	Uint64 now = SDL_GetTicks64();
	for (size_t k = 0; k < TQK_ZSCAN_MAX_SYMBOLS; k++)
		if (w->seen[k].len > 0 && now - w->seen[k].at_ms >= CAM_AGAIN_MS)
			sodium_memzero(&w->seen[k], sizeof w->seen[k]);
	for (size_t i = 0; i < w->res.n; i++) {
		const tqk_zsym *s = &w->res.sym[i];
		/* zscan leaves such data out; a NUL is none of ours anyway */
		if (s->len == 0 || memchr(s->data, '\0', s->len) != NULL)
			continue;
		cam_seen *slot = NULL, *spare = &w->seen[0];
		for (size_t k = 0; k < TQK_ZSCAN_MAX_SYMBOLS && slot == NULL; k++) {
			cam_seen *c = &w->seen[k];
			if (c->len == s->len && memcmp(c->text, s->data, s->len) == 0)
				slot = c;
			else if (spare->len > 0 && (c->len == 0 || c->at_ms < spare->at_ms))
				spare = c;
		}
		if (slot == NULL) {
			char *text = malloc(s->len + 1);
			if (text != NULL) {
				memcpy(text, s->data, s->len);
				text[s->len] = '\0';
				post(d, TQK_EV_SCAN, 0, text, s->len + 1);
			}
			slot = spare;
			sodium_memzero(slot, sizeof *slot);
			memcpy(slot->text, s->data, s->len);
			slot->len = s->len;
		}
		slot->at_ms = now;
	}
	sodium_memzero(w->res.sym, w->res.n * sizeof w->res.sym[0]);
	w->res.n = 0;
}

static int camera_thread(void *arg)
{
	tqk_devices *d = arg;
	cam_work *w = d->cam;
	tqk_framesrc *src = NULL;
	while (!atomic_load(&d->stop)) {
		tqk_err e;
		if (src == NULL) {
			e = cam_open(d, &src);
			if (e != TQK_OK) {
				cam_set(d, e == TQK_E_DEV_NOT_FOUND ? CAM_ABSENT : CAM_UNUSABLE, e);
				cam_pause(d, CAM_RETRY_MS);
				continue;
			}
			cam_set(d, CAM_WORKING, TQK_OK);
		}
		tqk_frame f;
		tqk_camera_info info;
		e = tqk_framesrc_next(src, CAM_FRAME_MS, &f);
		if (e == TQK_OK) {
			cam_set(d, CAM_WORKING, TQK_OK);
			cam_frame(d, w, &f);
		} else if (e == TQK_E_DEV_TIMEOUT) {
			/* A camera back after it was gone, before its first frame. */
			if (!d->cam_dir && tqk_camera_info_of(src, &info) == TQK_OK)
				cam_set(d, CAM_WORKING, TQK_OK);
		} else {
			/* Gone: the source opens the device again by itself on
			 * later calls; failing: tried again later too. */
			cam_set(d, e == TQK_E_DEV_GONE ? CAM_GONE : CAM_UNUSABLE, e);
			tqk_zscan_reset(w->z);
			cam_pause(d, CAM_RETRY_MS);
		}
	}
	tqk_framesrc_close(src);
	sodium_memzero(w->seen, sizeof w->seen);
	return 0;
}

/* Takes the camera's address into d: "dir:PATH" or a V4L2 node's path.
 * TQK_E_DEV_SPEC for anything else, TQK_E_NOMEM. */
static tqk_err cam_init(tqk_devices *d, const char *addr)
{
	size_t len = strlen(addr);
	d->cam_dir = strncmp(addr, "dir:", 4) == 0;
	if (d->cam_dir ? len == 4 || len - 4 >= TQK_FRAMEDIR_PATH_CAP
	               : addr[0] != '/' || len >= TQK_CAM_PATH_CAP)
		return TQK_E_DEV_SPEC;
	d->cam_addr = strdup(addr);
	d->cam = calloc(1, sizeof *d->cam);
	if (d->cam_addr == NULL || d->cam == NULL)
		return TQK_E_NOMEM;
	tqk_zscan_opts zo = tqk_zscan_opts_default();
	zo.speed = TQK_ZSCAN_FAST;
	zo.cache = true;
	return tqk_zscan_new(&zo, &d->cam->z);
}

tqk_err tqk_devices_start(const char *reader, const char *scanner, const char *camera,
                          Uint32 ev_base, tqk_devices **out)
{
	*out = NULL;
	tqk_devices *d = calloc(1, sizeof *d);
	if (d == NULL)
		return TQK_E_NOMEM;
	d->ev_base = ev_base;
	atomic_init(&d->stop, false);
	atomic_init(&d->reader_state, (int)TQK_IDREADER_ABSENT);
	atomic_init(&d->cam_state, (int)CAM_ABSENT);
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
	if (camera != NULL) {
		tqk_err e = cam_init(d, camera);
		if (e == TQK_OK) {
			d->cam_thread = SDL_CreateThread(camera_thread, "camera", d);
			if (d->cam_thread == NULL)
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
	if (d->cam_thread != NULL)
		SDL_WaitThread(d->cam_thread, NULL);
	tqk_idreader_free(d->reader);
	tqk_scanner_free(d->scanner);
	if (d->cam != NULL) {
		tqk_zscan_free(d->cam->z);
		sodium_memzero(d->cam, sizeof *d->cam);
		free(d->cam);
	}
	free(d->cam_addr);
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

const char *tqk_devices_camera_text(tqk_devices *d, tqk_lang lang)
{
	if (d == NULL || d->cam_thread == NULL)
		return tqk_tr(lang, "not configured");
	int v = atomic_load(&d->cam_state);
	switch ((cam_state)(v % CAM_ERR_SHIFT)) {
	case CAM_WORKING:
		return d->cam_dir ? tqk_tr(lang, "working (frames from a directory)")
		                  : tqk_tr(lang, "working (v4l2)");
	case CAM_UNUSABLE:
		snprintf(d->cam_text, sizeof d->cam_text, "%s%s", tqk_tr(lang, "not usable: "),
		         tqk_strerror((tqk_err)(v / CAM_ERR_SHIFT), lang));
		return d->cam_text;
	case CAM_ABSENT:
	case CAM_GONE:
		break;
	}
	return tqk_tr(lang, "not connected");
}
