/*
 * test_framedir.c - a directory of image files as the camera's stand-in
 * (framesrc.h): the files in name order, other files left out, a file that
 * does not load reported and skipped, the end or a loop, frames spaced by
 * the interval, what cannot be opened; and a code read from such a frame
 * through the decoder, as the kiosk demo reads it.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dev/framesrc.h"
#include "dev/zscan.h"
#include "support/imgfile.h"
#include "support/scene.h"

typedef struct dir {
	char path[256];
	char names[8][32];
	size_t n;
} dir;

static void make_dir(dir *d)
{
	memset(d, 0, sizeof *d);
	snprintf(d->path, sizeof d->path, "%s/tqk-framedir-XXXXXX",
	         getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(d->path));
}

/* The path of name in d, remembered for remove_dir. */
static const char *in(dir *d, const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", d->path, name);
	assert_true(d->n < 8);
	snprintf(d->names[d->n++], sizeof d->names[0], "%s", name);
	return p;
}

static void remove_dir(const dir *d)
{
	char p[512];
	for (size_t i = 0; i < d->n; i++) {
		snprintf(p, sizeof p, "%s/%s", d->path, d->names[i]);
		unlink(p);
	}
	assert_int_equal(rmdir(d->path), 0);
}

static void flat(uint8_t *px, int n, uint8_t v)
{
	memset(px, v, (size_t)n);
}

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void files_in_order(void **state)
{
	(void)state;
	dir d;
	make_dir(&d);
	uint8_t px[8 * 6];
	flat(px, sizeof px, 20);
	assert_int_equal(imgfile_png(in(&d, "b.png"), px, 8, 6, IMGFILE_GREY8, false), 0);
	flat(px, sizeof px, 10);
	assert_int_equal(imgfile_pgm(in(&d, "a.pgm"), px, 8, 6), 0);
	flat(px, sizeof px, 30);
	assert_int_equal(imgfile_ppm(in(&d, "c.ppm"), px, 8, 6), 0);
	flat(px, sizeof px, 40);
	assert_int_equal(imgfile_png(in(&d, "d.PNG"), px, 8, 6, IMGFILE_RGB8, false), 0);
	assert_int_equal(imgfile_bytes(in(&d, "broken.pgm"), "P5 8 6 255\n", 11), 0);
	assert_int_equal(imgfile_bytes(in(&d, "notes.txt"), "not a frame", 11), 0);

	tqk_framesrc *s = NULL;
	assert_int_equal(tqk_framedir_open(d.path, false, 0, &s), TQK_OK);
	tqk_frame f;
	static const uint8_t want[] = {10, 20, 0, 30, 40};
	uint32_t seq = 0;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		tqk_err err = tqk_framesrc_next(s, 0, &f);
		if (want[i] == 0) {
			/* broken.pgm: its error, then the source goes on. */
			assert_int_equal(err, TQK_E_IMAGE_FORMAT);
			assert_null(f.px);
			continue;
		}
		assert_int_equal(err, TQK_OK);
		assert_int_equal(f.w, 8);
		assert_int_equal(f.h, 6);
		assert_int_equal(f.stride, 8);
		assert_int_equal(f.px[0], want[i]);
		assert_int_equal(f.px[47], want[i]);
		assert_int_equal(f.seq, ++seq);
	}
	assert_int_equal(tqk_framesrc_next(s, 0, &f), TQK_E_DEV_GONE);
	assert_int_equal(tqk_framesrc_next(s, 0, &f), TQK_E_DEV_GONE);
	tqk_framesrc_close(s);

	/* Round and round. */
	assert_int_equal(tqk_framedir_open(d.path, true, 0, &s), TQK_OK);
	for (int round = 0; round < 3; round++)
		for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
			tqk_err err = tqk_framesrc_next(s, 0, &f);
			assert_int_equal(err, want[i] == 0 ? TQK_E_IMAGE_FORMAT : TQK_OK);
			if (err == TQK_OK)
				assert_int_equal(f.px[0], want[i]);
		}
	tqk_framesrc_close(s);
	tqk_framesrc_close(NULL);
	remove_dir(&d);
}

static void interval(void **state)
{
	(void)state;
	dir d;
	make_dir(&d);
	uint8_t px[4 * 4];
	flat(px, sizeof px, 99);
	assert_int_equal(imgfile_pgm(in(&d, "f.pgm"), px, 4, 4), 0);
	tqk_framesrc *s = NULL;
	assert_int_equal(tqk_framedir_open(d.path, true, 200, &s), TQK_OK);
	tqk_frame f;
	assert_int_equal(tqk_framesrc_next(s, 0, &f), TQK_OK);
	/* The next one is not due yet. */
	assert_int_equal(tqk_framesrc_next(s, 0, &f), TQK_E_DEV_TIMEOUT);
	assert_int_equal(tqk_framesrc_next(s, 20, &f), TQK_E_DEV_TIMEOUT);
	long long t0 = ms_now();
	assert_int_equal(tqk_framesrc_next(s, 1000, &f), TQK_OK);
	long long took = ms_now() - t0;
	assert_true(took >= 100 && took < 1000);
	assert_int_equal(f.px[0], 99);
	tqk_framesrc_close(s);
	remove_dir(&d);
}

static void cannot_open(void **state)
{
	(void)state;
	tqk_framesrc *s = (tqk_framesrc *)&s;
	dir d;
	make_dir(&d);
	assert_int_equal(tqk_framedir_open(d.path, false, 0, &s), TQK_E_DEV_NOT_FOUND); /* empty */
	assert_null(s);
	assert_int_equal(imgfile_bytes(in(&d, "readme"), "x", 1), 0);
	assert_int_equal(tqk_framedir_open(d.path, false, 0, &s), TQK_E_DEV_NOT_FOUND);
	char missing[512];
	snprintf(missing, sizeof missing, "%s/none", d.path);
	assert_int_equal(tqk_framedir_open(missing, false, 0, &s), TQK_E_DEV_NOT_FOUND);
	assert_int_equal(tqk_framedir_open("", false, 0, &s), TQK_E_ARG);
	assert_int_equal(tqk_framedir_open(d.path, false, -1, &s), TQK_E_ARG);
	char *longpath = malloc(TQK_FRAMEDIR_PATH_CAP + 10);
	assert_non_null(longpath);
	memset(longpath, 'a', TQK_FRAMEDIR_PATH_CAP + 9);
	longpath[0] = '/';
	longpath[TQK_FRAMEDIR_PATH_CAP + 9] = '\0';
	assert_int_equal(tqk_framedir_open(longpath, false, 0, &s), TQK_E_TOO_LONG);
	free(longpath);
	remove_dir(&d);
}

/* The kiosk demo: a recorded frame with a form's codes, read back. */
static void demo_frames_decode(void **state)
{
	(void)state;
	dir d;
	make_dir(&d);
	sc_spec spec = sc_spec_default(SC_CODE128 | SC_QR);
	spec.module_lo = 3;
	spec.module_hi = 3.5;
	bc_frame *pic = NULL;
	sc_code c[2];
	size_t n;
	assert_int_equal(sc_make(&spec, 77, &pic, c, &n), 0);
	assert_int_equal(imgfile_png(in(&d, "0001.png"), pic->px, pic->w, pic->h, IMGFILE_GREY8,
	                             false), 0);
	tqk_framesrc *s = NULL;
	assert_int_equal(tqk_framedir_open(d.path, false, 0, &s), TQK_OK);
	tqk_frame f;
	assert_int_equal(tqk_framesrc_next(s, 0, &f), TQK_OK);
	tqk_zscan *z = NULL;
	assert_int_equal(tqk_zscan_new(NULL, &z), TQK_OK);
	tqk_zscan_result *r = malloc(sizeof *r);
	assert_non_null(r);
	assert_int_equal(tqk_zscan_decode(z, f.px, f.w, f.h, f.stride, r), TQK_OK);
	assert_int_equal(r->n, 2);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < r->n; k++)
			found |= r->sym[k].len == c[i].len && memcmp(r->sym[k].data, c[i].data, c[i].len) == 0;
		assert_true(found);
	}
	free(r);
	tqk_zscan_free(z);
	tqk_framesrc_close(s);
	bc_frame_free(pic);
	remove_dir(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(files_in_order),
		cmocka_unit_test(interval),
		cmocka_unit_test(cannot_open),
		cmocka_unit_test(demo_frames_decode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
