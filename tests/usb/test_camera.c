/*
 * test_camera.c - the V4L2 camera source against a camera played under
 * umockdev (mock_v4l2.h), and its frames through the barcode decoder.
 *
 * What is proved: format negotiation (GREY before YUYV, MJPEG never, the
 * driver's size and row padding honoured, devices that offer nothing we
 * read refused), USERPTR streaming (the frame written into our own
 * buffers by the emulated driver), the fall-back from MMAP when the
 * buffers cannot be mapped, read() I/O, damaged and short frames skipped,
 * the timeout, the device vanishing mid-stream (gone, then back by itself
 * once plugged in again), and that what comes out is the picture that went
 * in: a certificate's Code 128 and a signed form QR decode from it.
 *
 * What cannot be proved here: real MMAP streaming. An emulated node is a
 * socket and cannot be mapped; a real camera's mmap path (QUERYBUF +
 * mmap + DQBUF) is the same code up to where the mock stops.
 */
#include "test.h"

#include <linux/videodev2.h>
#include <stdlib.h>
#include <time.h>

#include "dev/camera.h"
#include "dev/zscan.h"
#include "mock_v4l2.h"
#include "support/scene.h"
#include "support/signedqr.h"

/* A USB webcam: MJPEG and YUYV, up to 1280 x 720, USERPTR streaming. */
static mock_cam_dev webcam(void)
{
	return (mock_cam_dev){
		.card = "USB Camera", .formats = {V4L2_PIX_FMT_MJPEG, V4L2_PIX_FMT_YUYV},
		.n_formats = 2, .max_w = 1280, .max_h = 720, .min_w = 160, .min_h = 120,
		.streaming = true, .userptr = true,
	};
}

/* A scene of w x h with the codes of kinds, the codes into c[]. */
static bc_frame *scene(int w, int h, unsigned kinds, uint64_t seed, const sq_form *form,
                       sc_code c[2], size_t *n)
{
	sc_spec spec = sc_spec_default(kinds);
	spec.w = w;
	spec.h = h;
	spec.module_lo = 3.0;
	spec.module_hi = 3.5;
	if (form != NULL) {
		spec.qr = form->text;
		spec.qr_len = form->len;
	}
	bc_frame *f = NULL;
	assert_int_equal(sc_make(&spec, seed, &f, c, n), 0);
	return f;
}

/* Every code of c[0..n) is decoded from frame f, and nothing else. */
static void expect_codes(const tqk_frame *f, const sc_code *c, size_t n)
{
	tqk_zscan *z = NULL;
	assert_int_equal(tqk_zscan_new(NULL, &z), TQK_OK);
	tqk_zscan_result *res = malloc(sizeof *res);
	assert_non_null(res);
	assert_int_equal(tqk_zscan_decode(z, f->px, f->w, f->h, f->stride, res), TQK_OK);
	assert_int_equal(res->n, n);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < res->n; k++)
			found |= res->sym[k].len == c[i].len &&
			         memcmp(res->sym[k].data, c[i].data, c[i].len) == 0 &&
			         res->sym[k].type == (c[i].kind == SC_QR ? TQK_SYM_QR : TQK_SYM_CODE128);
		if (!found)
			fail_msg("code %zu (%s) not decoded from the camera's frame", i,
			         c[i].kind == SC_QR ? "QR" : "Code 128");
	}
	free(res);
	tqk_zscan_free(z);
}

static tqk_framesrc *open_cam(const tqk_camera_opts *o)
{
	tqk_framesrc *s = NULL;
	assert_int_equal(tqk_camera_open(o, &s), TQK_OK);
	assert_non_null(s);
	return s;
}

static void userptr_yuyv_frames_decode(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev d = webcam();
	mock_cam_plug(m, &d);
	tqk_framesrc *s = open_cam(NULL);
	tqk_camera_info info;
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_OK);
	assert_int_equal(info.fourcc, V4L2_PIX_FMT_YUYV);
	assert_int_equal(info.width, 1280);
	assert_int_equal(info.height, 720);
	assert_int_equal(info.bytesperline, 2560);
	assert_int_equal(info.io, TQK_CAM_IO_USERPTR);
	assert_int_equal(info.opens, 1);
	assert_string_equal(info.card, "USB Camera");
	mock_cam_state st = mock_cam_get(m);
	assert_true(st.streaming);
	assert_int_equal(st.memory, V4L2_MEMORY_USERPTR);

	sq_form form;
	assert_int_equal(sq_make(&form, "张小明", "20260410012345"), 0);
	for (uint64_t seed = 1; seed <= 3; seed++) {
		sc_code c[2];
		size_t n;
		bc_frame *pic = scene(1280, 720, SC_CODE128 | SC_QR, seed, &form, c, &n);
		mock_cam_push(m, pic->px, pic->w, pic->h);
		tqk_frame f;
		assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
		assert_int_equal(f.seq, seed);
		assert_int_equal(f.w, 1280);
		assert_int_equal(f.h, 720);
		/* YUYV's Y bytes are the picture, byte for byte. */
		assert_memory_equal(f.px, pic->px, (size_t)pic->w * (size_t)pic->h);
		expect_codes(&f, c, n);
		bc_frame_free(pic);
	}
	assert_int_equal(mock_cam_get(m).delivered, 3);
	tqk_framesrc_close(s);
	assert_false(mock_cam_get(m).streaming);
	mock_cam_free(m);
}

/* The device takes MMAP buffers but the node cannot be mapped: the
 * camera lets them go and streams through USERPTR. */
static void mmap_that_fails_falls_back(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev d = webcam();
	d.mmap = true;
	mock_cam_plug(m, &d);
	tqk_framesrc *s = open_cam(NULL);
	tqk_camera_info info;
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_OK);
	assert_int_equal(info.io, TQK_CAM_IO_USERPTR);
	assert_int_equal(mock_cam_get(m).memory, V4L2_MEMORY_USERPTR);
	uint8_t grey[64 * 64];
	memset(grey, 77, sizeof grey);
	mock_cam_push(m, grey, 64, 64);
	tqk_frame f;
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	assert_int_equal(f.px[0], 77);
	assert_int_equal(f.px[(size_t)63 * f.stride + 63], 77);
	assert_int_equal(f.px[(size_t)64 * f.stride + 64], 128); /* outside the picture */
	tqk_framesrc_close(s);

	/* Asked for MMAP only, there is nothing that works. */
	tqk_camera_opts o = {.io = TQK_CAM_IO_MMAP};
	assert_int_equal(tqk_camera_open(&o, &s), TQK_E_CAM_FORMAT);
	assert_null(s);
	mock_cam_free(m);
}

/* GREY is preferred to YUYV; padded rows and the driver's own size are
 * honoured; the frame is exactly the picture. */
static void grey_padded_and_resized(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev d = webcam();
	d.formats[0] = V4L2_PIX_FMT_YUYV;
	d.formats[1] = V4L2_PIX_FMT_GREY;
	d.max_w = 800;
	d.max_h = 600;
	d.pad = 64;
	mock_cam_plug(m, &d);
	tqk_framesrc *s = open_cam(NULL);
	tqk_camera_info info;
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_OK);
	assert_int_equal(info.fourcc, V4L2_PIX_FMT_GREY);
	assert_int_equal(info.width, 800);
	assert_int_equal(info.height, 600);
	assert_int_equal(info.bytesperline, 864);
	sc_code c[2];
	size_t n;
	bc_frame *pic = scene(800, 600, SC_CODE128, 9, NULL, c, &n);
	mock_cam_push(m, pic->px, pic->w, pic->h);
	tqk_frame f;
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	assert_int_equal(f.w, 800);
	assert_int_equal(f.h, 600);
	assert_memory_equal(f.px, pic->px, (size_t)800 * 600);
	expect_codes(&f, c, n);
	bc_frame_free(pic);
	tqk_framesrc_close(s);

	/* A size asked for, which the driver then keeps within its range. */
	tqk_camera_opts o = {.width = 100, .height = 5000};
	s = open_cam(&o);
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_OK);
	assert_int_equal(info.width, 160);
	assert_int_equal(info.height, 600);
	tqk_framesrc_close(s);
	mock_cam_free(m);
}

/* A camera with read() I/O only; and read() asked for by name. */
static void read_io(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev d = webcam();
	d.streaming = false;
	d.readwrite = true;
	d.max_w = 640;
	d.max_h = 480;
	mock_cam_plug(m, &d);
	tqk_framesrc *s = open_cam(NULL);
	tqk_camera_info info;
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_OK);
	assert_int_equal(info.io, TQK_CAM_IO_READ);
	sc_code c[2];
	size_t n;
	bc_frame *pic = scene(640, 480, SC_QR, 4, NULL, c, &n);
	mock_cam_push(m, pic->px, pic->w, pic->h);
	tqk_frame f;
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	assert_memory_equal(f.px, pic->px, (size_t)640 * 480);
	expect_codes(&f, c, n);
	assert_int_equal(mock_cam_get(m).reads, 1);
	/* A read of half a frame is no frame. */
	mock_cam_short_next(m);
	mock_cam_push(m, pic->px, pic->w, pic->h);
	assert_int_equal(tqk_framesrc_next(s, 100, &f), TQK_E_DEV_TIMEOUT);
	assert_null(f.px);
	bc_frame_free(pic);
	tqk_framesrc_close(s);

	/* Streaming and read() both offered, read() asked for. */
	d.streaming = true;
	mock_cam_plug(m, &d);
	tqk_camera_opts o = {.io = TQK_CAM_IO_READ};
	s = open_cam(&o);
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_OK);
	assert_int_equal(info.io, TQK_CAM_IO_READ);
	assert_false(mock_cam_get(m).streaming);
	tqk_framesrc_close(s);
	mock_cam_free(m);
}

/* Devices that offer nothing we read, and options out of range. */
static void refused(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	tqk_framesrc *s = NULL;
	/* Nothing plugged in yet. */
	assert_int_equal(tqk_camera_open(NULL, &s), TQK_E_DEV_NOT_FOUND);
	tqk_camera_opts o = {.path = "/dev/video7"};
	assert_int_equal(tqk_camera_open(&o, &s), TQK_E_DEV_NOT_FOUND);

	mock_cam_dev d = webcam();
	d.formats[1] = V4L2_PIX_FMT_H264;
	mock_cam_plug(m, &d);
	assert_int_equal(tqk_camera_open(NULL, &s), TQK_E_CAM_FORMAT);
	d = webcam();
	d.not_capture = true;
	mock_cam_plug(m, &d);
	assert_int_equal(tqk_camera_open(NULL, &s), TQK_E_CAM_FORMAT);
	d = webcam();
	d.userptr = false; /* streaming, but no memory type that works */
	mock_cam_plug(m, &d);
	assert_int_equal(tqk_camera_open(NULL, &s), TQK_E_CAM_FORMAT);
	assert_null(s);

	d = webcam();
	mock_cam_plug(m, &d);
	const tqk_camera_opts bad[] = {
		{.width = -1}, {.height = 8193}, {.buffers = 1}, {.buffers = 9},
		{.io = (tqk_cam_io)7}, {.path = ""},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(tqk_camera_open(&bad[i], &s), TQK_E_ARG);
	char longpath[TQK_CAM_PATH_CAP + 8];
	memset(longpath, 'a', sizeof longpath - 1);
	longpath[0] = '/';
	longpath[sizeof longpath - 1] = '\0';
	o = (tqk_camera_opts){.path = longpath};
	assert_int_equal(tqk_camera_open(&o, &s), TQK_E_ARG);
	assert_null(s);
	/* info of something that is not a camera */
	tqk_camera_info info;
	assert_int_equal(tqk_camera_info_of(NULL, &info), TQK_E_ARG);
	mock_cam_free(m);
}

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* No frame: a timeout, in about the time asked; damaged and short frames
 * are skipped, the next good one comes. */
static void timeout_and_bad_frames(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev d = webcam();
	d.max_w = 320;
	d.max_h = 240;
	mock_cam_plug(m, &d);
	tqk_framesrc *s = open_cam(NULL);
	tqk_frame f;
	long long t0 = ms_now();
	assert_int_equal(tqk_framesrc_next(s, 150, &f), TQK_E_DEV_TIMEOUT);
	long long took = ms_now() - t0;
	assert_true(took >= 140 && took < 2000);
	assert_int_equal(tqk_framesrc_next(s, 0, &f), TQK_E_DEV_TIMEOUT);

	uint8_t a[16 * 16], b[16 * 16], c[16 * 16];
	memset(a, 10, sizeof a);
	memset(b, 20, sizeof b);
	memset(c, 30, sizeof c);
	mock_cam_damage_next(m);
	mock_cam_push(m, a, 16, 16);
	mock_cam_push(m, b, 16, 16);
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	assert_int_equal(f.px[0], 20);
	mock_cam_short_next(m);
	mock_cam_push(m, a, 16, 16);
	mock_cam_push(m, c, 16, 16);
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	assert_int_equal(f.px[0], 30);
	assert_int_equal(f.seq, 2);
	assert_int_equal(mock_cam_get(m).delivered, 4);
	tqk_framesrc_close(s);
	mock_cam_free(m);
}

/* Unplugged mid-stream: gone, gone again while away, then frames again
 * once it is back, without opening anything by hand. */
static void gone_and_back(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev d = webcam();
	mock_cam_plug(m, &d);
	tqk_framesrc *s = open_cam(NULL);
	sc_code c[2];
	size_t n;
	bc_frame *pic = scene(1280, 720, SC_CODE128, 21, NULL, c, &n);
	mock_cam_push(m, pic->px, pic->w, pic->h);
	tqk_frame f;
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	expect_codes(&f, c, n);

	mock_cam_push(m, pic->px, pic->w, pic->h);
	mock_cam_unplug(m);
	assert_int_equal(tqk_framesrc_next(s, 500, &f), TQK_E_DEV_GONE);
	assert_null(f.px);
	tqk_camera_info info;
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_E_DEV_GONE);
	assert_int_equal(tqk_framesrc_next(s, 100, &f), TQK_E_DEV_GONE);
	assert_int_equal(tqk_framesrc_next(s, 100, &f), TQK_E_DEV_GONE);

	/* Back, now as a smaller camera. */
	d.max_w = 640;
	d.max_h = 480;
	mock_cam_plug(m, &d);
	bc_frame *small = scene(640, 480, SC_QR, 22, NULL, c, &n);
	mock_cam_push(m, small->px, small->w, small->h);
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	assert_int_equal(f.w, 640);
	assert_int_equal(f.h, 480);
	expect_codes(&f, c, n);
	assert_int_equal(tqk_camera_info_of(s, &info), TQK_OK);
	assert_int_equal(info.opens, 2);
	assert_int_equal(info.io, TQK_CAM_IO_USERPTR);
	bc_frame_free(small);
	bc_frame_free(pic);
	tqk_framesrc_close(s);
	mock_cam_free(m);
}

/* The same through read() I/O. */
static void gone_while_reading(void **state)
{
	(void)state;
	mock_cam *m = mock_cam_new();
	mock_cam_dev d = webcam();
	d.streaming = false;
	d.readwrite = true;
	d.max_w = 320;
	d.max_h = 240;
	mock_cam_plug(m, &d);
	tqk_framesrc *s = open_cam(NULL);
	uint8_t g[8 * 8];
	memset(g, 200, sizeof g);
	mock_cam_push(m, g, 8, 8);
	tqk_frame f;
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	mock_cam_unplug(m);
	assert_int_equal(tqk_framesrc_next(s, 500, &f), TQK_E_DEV_GONE);
	mock_cam_plug(m, &d);
	mock_cam_push(m, g, 8, 8);
	assert_int_equal(tqk_framesrc_next(s, 2000, &f), TQK_OK);
	assert_int_equal(f.px[0], 200);
	assert_int_equal(f.seq, 2);
	tqk_framesrc_close(s);
	mock_cam_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(userptr_yuyv_frames_decode),
		cmocka_unit_test(mmap_that_fails_falls_back),
		cmocka_unit_test(grey_padded_and_resized),
		cmocka_unit_test(read_io),
		cmocka_unit_test(refused),
		cmocka_unit_test(timeout_and_bad_frames),
		cmocka_unit_test(gone_and_back),
		cmocka_unit_test(gone_while_reading),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
