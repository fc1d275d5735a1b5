/*
 * test_kiosk_devices.c - the kiosk's device threads (kiosk/devices.h) as
 * the app's loop sees them: SDL user events from a keyboard USB scanner
 * (mock_usbfs.h) and from a V4L2 camera (mock_v4l2.h) played under
 * umockdev, and from a directory of frames, with the device texts the
 * admin screen shows.
 *
 * What is proved: a registration number typed by the scanner arrives as
 * one TQK_EV_SCAN with that text, the scanner's claim and its unplugging
 * are state events and texts; a Code 128 held in front of the camera for
 * several frames is posted once, and again once it was out of view for
 * longer than the debounce; the camera's unplugging and return, a camera
 * not plugged in when the kiosk starts (no failure: it is found once
 * plugged), a camera that offers no format we read, and a frame from a
 * "dir:" address. Addresses of neither form are refused at start.
 *
 * Every wait is for an event, with a generous deadline; nothing depends
 * on how fast a frame is decoded, except that one decode takes less than
 * the 1.5 s debounce.
 */
#include "test.h"

#include <linux/videodev2.h>
#include <stdio.h>
#include <stdlib.h>

#include <SDL.h>

#include "app.h"
#include "devices.h"
#include "i18n.h"
#include "dev/hid.h"
#include "mock_usbfs.h"
#include "mock_v4l2.h"
#include "support/fixture.h"
#include "support/imgfile.h"
#include "support/scene.h"

#define WAIT_MS 5000
#define KBD_EP 0x81
#define SCANS_MAX 16
#define EN TQK_LANG_EN

static const uint8_t boot_kbd_desc[] = {
	0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7,
	0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
	0x95, 0x01, 0x75, 0x08, 0x81, 0x01,
	0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02,
	0x95, 0x01, 0x75, 0x03, 0x91, 0x01,
	0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65,
	0x81, 0x00, 0xC0,
};

/* The events' base, registered once for the whole run. */
static Uint32 ev_base;

/* What the device threads posted, as the loop would take it. */
typedef struct taken {
	char *scans[SCANS_MAX];        /* the scans' texts, in order */
	size_t n_scans;
	unsigned states;               /* TQK_EV_CARD_STATE events */
} taken;

static void taken_clear(taken *t)
{
	for (size_t i = 0; i < t->n_scans; i++)
		free(t->scans[i]);
	memset(t, 0, sizeof *t);
}

/* One event into t, waiting up to ms; false when none came. */
static bool take(taken *t, int ms)
{
	SDL_Event e;
	if (!SDL_WaitEventTimeout(&e, ms))
		return false;
	if (e.type == ev_base + TQK_EV_SCAN) {
		if (t->n_scans == SCANS_MAX)
			fail_msg("more than %d scans", SCANS_MAX);
		t->scans[t->n_scans++] = e.user.data1;
		return true;
	}
	if (e.type == ev_base + TQK_EV_CARD_STATE)
		t->states++;
	else if (e.type >= ev_base && e.type < ev_base + TQK_EV_COUNT)
		fail_msg("unexpected device event %u", (unsigned)(e.type - ev_base));
	return true;
}

/* Takes events until t holds n scans; fails after WAIT_MS. */
static void wait_scans(taken *t, size_t n)
{
	Uint64 end = SDL_GetTicks64() + WAIT_MS;
	while (t->n_scans < n) {
		Uint64 now = SDL_GetTicks64();
		if (now >= end)
			fail_msg("%zu scans within %d ms, wanted %zu", t->n_scans, WAIT_MS, n);
		(void)take(t, (int)(end - now));
	}
}

/* Takes everything queued, waiting for nothing. */
static void drain(taken *t)
{
	while (take(t, 0))
		;
}

typedef const char *(*text_fn)(tqk_devices *d, tqk_lang lang);

/* Takes events until fn says want; fails after WAIT_MS with what it says. */
static void wait_text(taken *t, tqk_devices *d, text_fn fn, const char *want)
{
	Uint64 end = SDL_GetTicks64() + WAIT_MS;
	while (strcmp(fn(d, EN), want) != 0) {
		Uint64 now = SDL_GetTicks64();
		if (now >= end)
			fail_msg("still \"%s\" after %d ms, wanted \"%s\"", fn(d, EN), WAIT_MS, want);
		(void)take(t, (int)(end - now) < 100 ? (int)(end - now) : 100);
	}
}

static tqk_devices *start(const char *scanner, const char *camera)
{
	tqk_devices *d = NULL;
	assert_int_equal(tqk_devices_start(NULL, scanner, camera, ev_base, &d), TQK_OK);
	assert_non_null(d);
	return d;
}

/* ---- the USB scanner ------------------------------------------------------ */

/* Queues the boot reports of typing s, then Enter. */
static void type(mock_usb *m, const char *s)
{
	const uint8_t up[8] = {0};
	for (; *s != '\0'; s++) {
		uint8_t u = 0;
		bool shift = false;
		if (!tqk_hid_char_usage(*s, &u, &shift))
			fail_msg("no key types 0x%02x", (unsigned char)*s);
		const uint8_t down[8] = {shift ? 0x02 : 0, 0, u};
		mock_usb_push_in(m, KBD_EP, down, sizeof down);
		mock_usb_push_in(m, KBD_EP, up, sizeof up);
	}
	const uint8_t enter[8] = {0, 0, 0x28};
	mock_usb_push_in(m, KBD_EP, enter, sizeof enter);
	mock_usb_push_in(m, KBD_EP, up, sizeof up);
}

static void scanner_scan_and_unplug(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_dev dev = {
		.vid = 0x0c2e, .pid = 0x0b61, .iface = 0,
		.iface_class = 3, .iface_subclass = 1, .iface_protocol = 1,
		.ep = {{KBD_EP, 3, 8}}, .n_ep = 1,
		.hid_report = boot_kbd_desc, .hid_report_len = sizeof boot_kbd_desc,
		.kernel_driver = true,
	};
	mock_usb_plug(m, &dev);
	tqk_devices *d = start("usb:0c2e:0b61", NULL);
	taken t = {0};
	wait_text(&t, d, tqk_devices_scanner_text, "USB, keyboard mode (claimed)");
	assert_true(t.states >= 1);
	assert_true(mock_usb_claimed(m, 0));
	/* No camera configured. */
	assert_string_equal(tqk_devices_camera_text(d, EN), "not configured");

	/* A registration number, then another: the first scan is exactly
	 * one event, the second comes after it. */
	type(m, "20260001000001");
	type(m, "20260001000002");
	wait_scans(&t, 2);
	drain(&t);
	assert_int_equal(t.n_scans, 2);
	assert_string_equal(t.scans[0], "20260001000001");
	assert_string_equal(t.scans[1], "20260001000002");

	unsigned before = t.states;
	mock_usb_unplug(m);
	wait_text(&t, d, tqk_devices_scanner_text, "USB scanner not connected");
	assert_true(t.states > before);
	tqk_devices_stop(d);
	drain(&t);
	assert_int_equal(t.n_scans, 2);
	taken_clear(&t);
	mock_usb_free(m);
}

/* ---- the camera ----------------------------------------------------------- */

/* A webcam of 640 x 480: YUYV, USERPTR streaming. */
static mock_cam_dev webcam(void)
{
	return (mock_cam_dev){
		.card = "USB Camera", .formats = {V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_YUYV},
		.n_formats = 2, .max_w = 640, .max_h = 480, .min_w = 160, .min_h = 120,
		.streaming = true, .userptr = true,
	};
}

/* A 640 x 480 scene with one Code 128 of text (bc_frame_free it). */
static bc_frame *code_scene(const char *text, uint64_t seed)
{
	sc_spec spec = sc_spec_default(SC_CODE128);
	spec.w = 640;
	spec.h = 480;
	spec.module_lo = 3.0;
	spec.module_hi = 3.5;
	spec.linear = text;
	bc_frame *f = NULL;
	sc_code c[2];
	size_t n = 0;
	assert_int_equal(sc_make(&spec, seed, &f, c, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].data, text);
	return f;
}

static void camera_debounce_unplug_and_back(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev dev = webcam();
	mock_cam_plug(m, &dev);
	tqk_devices *d = start(NULL, "/dev/video0");
	taken t = {0};
	wait_text(&t, d, tqk_devices_camera_text, "working (v4l2)");
	assert_true(t.states >= 1);
	/* No scanner configured: the wedge. */
	assert_string_equal(tqk_devices_scanner_text(d, EN), "keyboard wedge (SDL key bursts)");

	/* A form held up: the same code in five frames in a row, then
	 * another code. The first is posted once, before the second. */
	const char *a = "20260001000001", *b = "20260001000002";
	bc_frame *fa = code_scene(a, 1), *fb = code_scene(b, 2);
	for (int i = 0; i < 5; i++)
		mock_cam_push(m, fa->px, fa->w, fa->h);
	mock_cam_push(m, fb->px, fb->w, fb->h);
	wait_scans(&t, 2);
	drain(&t);
	assert_int_equal(t.n_scans, 2);
	assert_string_equal(t.scans[0], a);
	assert_string_equal(t.scans[1], b);
	assert_int_equal(mock_cam_get(m).delivered, 6);

	/* Out of view for longer than the debounce (1.5 s), then back: a
	 * scan again. */
	SDL_Delay(1700);
	mock_cam_push(m, fa->px, fa->w, fa->h);
	wait_scans(&t, 3);
	assert_string_equal(t.scans[2], a);

	/* Unplugged: not connected; plugged in again: working, and scanning,
	 * without a restart. */
	mock_cam_unplug(m);
	wait_text(&t, d, tqk_devices_camera_text, "not connected");
	mock_cam_plug(m, &dev);
	wait_text(&t, d, tqk_devices_camera_text, "working (v4l2)");
	mock_cam_push(m, fb->px, fb->w, fb->h);
	wait_scans(&t, 4);
	assert_string_equal(t.scans[3], b);
	assert_true(mock_cam_get(m).opens >= 2);

	tqk_devices_stop(d);
	assert_false(mock_cam_get(m).streaming);
	drain(&t);
	assert_int_equal(t.n_scans, 4);
	taken_clear(&t);
	bc_frame_free(fa);
	bc_frame_free(fb);
	mock_cam_free(m);
}

/* Not plugged in when the kiosk starts: no failure, not connected, and
 * found once plugged in; a camera with nothing we read is not usable. */
static void camera_absent_then_plugged(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	tqk_devices *d = start(NULL, "/dev/video0");
	taken t = {0};
	assert_string_equal(tqk_devices_camera_text(d, EN), "not connected");
	assert_string_equal(tqk_devices_camera_text(d, TQK_LANG_ZH), "未连接");
	SDL_Delay(300);         /* time for a first try: the same text after it */
	drain(&t);
	assert_string_equal(tqk_devices_camera_text(d, EN), "not connected");
	mock_cam_dev dev = webcam();
	mock_cam_plug(m, &dev);
	wait_text(&t, d, tqk_devices_camera_text, "working (v4l2)");
	tqk_devices_stop(d);

	/* H.264 and MJPEG only. */
	dev.formats[1] = V4L2_PIX_FMT_H264;
	mock_cam_plug(m, &dev);
	d = start(NULL, "/dev/video0");
	char want[256];
	snprintf(want, sizeof want, "not usable: %s", tqk_strerror(TQK_E_CAM_FORMAT, EN));
	wait_text(&t, d, tqk_devices_camera_text, want);
	/* The same in Chinese, from the catalogue. */
	snprintf(want, sizeof want, "不可用：%s", tqk_strerror(TQK_E_CAM_FORMAT, TQK_LANG_ZH));
	assert_string_equal(tqk_devices_camera_text(d, TQK_LANG_ZH), want);
	tqk_devices_stop(d);

	/* A device that does not exist, and a directory that does not. */
	d = start(NULL, "/dev/video7");
	SDL_Delay(300);
	assert_string_equal(tqk_devices_camera_text(d, EN), "not connected");
	tqk_devices_stop(d);
	d = start(NULL, "dir:/nonexistent/frames");
	SDL_Delay(300);
	assert_string_equal(tqk_devices_camera_text(d, EN), "not connected");
	tqk_devices_stop(d);
	drain(&t);
	assert_int_equal(t.n_scans, 0);
	taken_clear(&t);
	mock_cam_free(m);
}

static void camera_addresses_refused(void **state)
{
	(void)state;
	const char *bad[] = {"", "video0", "dir:", "usb:0c2e:0b61", "DIR:/tmp"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tqk_devices *d = NULL;
		assert_int_equal(tqk_devices_start(NULL, NULL, bad[i], ev_base, &d), TQK_E_DEV_SPEC);
		assert_null(d);
	}
	char longpath[5000];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	tqk_devices *d = NULL;
	assert_int_equal(tqk_devices_start(NULL, NULL, longpath, ev_base, &d), TQK_E_DEV_SPEC);
	memcpy(longpath, "dir:", 4);
	assert_int_equal(tqk_devices_start(NULL, NULL, longpath, ev_base, &d), TQK_E_DEV_SPEC);
	assert_null(d);
	/* Nothing at all is fine, and says so. */
	d = start(NULL, NULL);
	assert_string_equal(tqk_devices_camera_text(d, EN), "not configured");
	assert_string_equal(tqk_devices_reader_text(d, EN), "not configured");
	tqk_devices_stop(d);
	assert_string_equal(tqk_devices_camera_text(NULL, EN), "not configured");
}

/* A directory holding one PGM frame: its code is posted. */
static void frames_from_a_directory(void **state)
{
	(void)state;
	char dir[512], path[600], addr[600];
	fixture_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/frame-0001.pgm", dir);
	const char *reg = "20260001000003";
	bc_frame *f = code_scene(reg, 3);
	assert_int_equal(imgfile_pgm(path, f->px, f->w, f->h), 0);
	bc_frame_free(f);
	snprintf(addr, sizeof addr, "dir:%s", dir);
	tqk_devices *d = start(NULL, addr);
	taken t = {0};
	wait_scans(&t, 1);
	assert_string_equal(t.scans[0], reg);
	assert_string_equal(tqk_devices_camera_text(d, EN), "working (frames from a directory)");
	tqk_devices_stop(d);
	drain(&t);
	taken_clear(&t);
	fixture_rmdir(dir);
}

static int setup_sdl(void **state)
{
	(void)state;
	/* The catalogue, for the texts in Chinese (English is the msgid). */
	const char *locale = getenv("TQK_LOCALE");
	assert_true(tqk_i18n_init(locale != NULL ? locale : "build/locale"));
	if (SDL_Init(SDL_INIT_EVENTS) != 0)
		fail_msg("SDL_Init: %s", SDL_GetError());
	ev_base = SDL_RegisterEvents(TQK_EV_COUNT);
	assert_true(ev_base != (Uint32)-1);
	return 0;
}

static int teardown_sdl(void **state)
{
	(void)state;
	SDL_Quit();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scanner_scan_and_unplug),
		cmocka_unit_test(camera_debounce_unplug_and_back),
		cmocka_unit_test(camera_absent_then_plugged),
		cmocka_unit_test(camera_addresses_refused),
		cmocka_unit_test(frames_from_a_directory),
	};
	return cmocka_run_group_tests(tests, setup_sdl, teardown_sdl);
}
