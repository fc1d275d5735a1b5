/*
 * test_image.c - image files into grey frames: PNG in every colour type the
 * loader converts (grey 1/8/16 bits, RGB, RGBA on white, palette,
 * interlaced), binary PGM and PPM (comments, 16-bit samples, maxval
 * scaling), from a file and from memory; and every way a file can be
 * wrong: not an image, truncated, damaged, a header that lies, sizes over
 * the caps, missing files and directories.
 */
#include "test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/image.h"
#include "support/imgfile.h"

#define IW 37
#define IH 23

typedef struct dir {
	char path[256];
} dir;

static void make_dir(dir *d)
{
	snprintf(d->path, sizeof d->path, "%s/tqk-image-XXXXXX",
	         getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(d->path));
}

static void file(const dir *d, const char *name, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", d->path, name);
}

static void remove_dir(const dir *d)
{
	static const char *const names[] = {
		"a.png", "a.pgm", "a.ppm", "t.png", "t.pgm", "big", "x.txt", "e", "huge.png",
		"wide.png", "sub",
	};
	char p[512];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		file(d, names[i], p, sizeof p);
		if (unlink(p) != 0)
			rmdir(p);
	}
	assert_int_equal(rmdir(d->path), 0);
}

/* A test picture with every grey level in it somewhere. */
static void picture(uint8_t px[IW * IH])
{
	for (int y = 0; y < IH; y++)
		for (int x = 0; x < IW; x++)
			px[y * IW + x] = (uint8_t)((x * 7 + y * 11) * 3 % 256);
}

static void load_ok(const char *path, const uint8_t *want)
{
	tqk_image img = {1, 1, NULL};
	assert_int_equal(tqk_image_load(path, &img), TQK_OK);
	assert_int_equal(img.w, IW);
	assert_int_equal(img.h, IH);
	assert_memory_equal(img.px, want, IW * IH);
	tqk_image_close(&img);
	assert_null(img.px);
	assert_int_equal(img.w, 0);
}

static void png_kinds(void **state)
{
	(void)state;
	dir d;
	make_dir(&d);
	uint8_t px[IW * IH], want[IW * IH];
	picture(px);
	char p[512];
	file(&d, "a.png", p, sizeof p);
	for (int interlaced = 0; interlaced <= 1; interlaced++) {
		static const imgfile_png_kind same[] = {IMGFILE_GREY8, IMGFILE_GREY16, IMGFILE_RGB8,
		                                        IMGFILE_PALETTE8};
		for (size_t k = 0; k < sizeof same / sizeof same[0]; k++) {
			assert_int_equal(imgfile_png(p, px, IW, IH, same[k], interlaced), 0);
			load_ok(p, px);
		}
		/* 1 bit: black and white. */
		for (int i = 0; i < IW * IH; i++)
			want[i] = px[i] >= 128 ? 255 : 0;
		assert_int_equal(imgfile_png(p, px, IW, IH, IMGFILE_GREY1, interlaced), 0);
		load_ok(p, want);
		/* Transparent pixels come out white, as on paper. */
		for (int i = 0; i < IW * IH; i++)
			want[i] = px[i] > 200 ? 255 : px[i];
		assert_int_equal(imgfile_png(p, px, IW, IH, IMGFILE_RGBA8, interlaced), 0);
		load_ok(p, want);
	}
	remove_dir(&d);
}

static void pnm_files(void **state)
{
	(void)state;
	dir d;
	make_dir(&d);
	uint8_t px[IW * IH];
	picture(px);
	char p[512];
	file(&d, "a.pgm", p, sizeof p);
	assert_int_equal(imgfile_pgm(p, px, IW, IH), 0);
	load_ok(p, px);
	file(&d, "a.ppm", p, sizeof p);
	assert_int_equal(imgfile_ppm(p, px, IW, IH), 0);
	load_ok(p, px);

	/* Colour to luma: pure red, green and blue, BT.601. */
	static const uint8_t rgb[] = "P6 3 1 255\n\xff\x00\x00\x00\xff\x00\x00\x00\xff";
	tqk_image img;
	assert_int_equal(tqk_image_decode(rgb, sizeof rgb - 1, &img), TQK_OK);
	assert_int_equal(img.w, 3);
	assert_int_equal(img.px[0], 77);
	assert_int_equal(img.px[1], 149);
	assert_int_equal(img.px[2], 29);
	tqk_image_close(&img);
	/* Comments anywhere between the numbers; 16-bit samples; maxval 15. */
	static const uint8_t wide[] = "P5\n# one\n2 # two\n1\n#three\n65535\n\xff\xff\x80\x00";
	assert_int_equal(tqk_image_decode(wide, sizeof wide - 1, &img), TQK_OK);
	assert_int_equal(img.px[0], 255);
	assert_int_equal(img.px[1], 128);
	tqk_image_close(&img);
	static const uint8_t fifteen[] = "P5 3 1 15 \x00\x0f\x07";
	assert_int_equal(tqk_image_decode(fifteen, sizeof fifteen - 1, &img), TQK_OK);
	assert_int_equal(img.px[0], 0);
	assert_int_equal(img.px[1], 255);
	assert_int_equal(img.px[2], 119);
	tqk_image_close(&img);
	/* From memory the same as from the file. */
	uint8_t *data;
	size_t len;
	file(&d, "a.pgm", p, sizeof p);
	assert_int_equal(imgfile_slurp(p, 1 << 20, &data, &len), 0);
	assert_int_equal(tqk_image_decode(data, len, &img), TQK_OK);
	assert_memory_equal(img.px, px, IW * IH);
	tqk_image_close(&img);
	free(data);
	remove_dir(&d);
}

static void expect_decode(const char *s, size_t len, tqk_err want)
{
	tqk_image img = {5, 5, (uint8_t *)&img};
	tqk_err got = tqk_image_decode((const uint8_t *)s, len, &img);
	if (got != want)
		fail_msg("\"%.*s\": %s, want %s", (int)(len > 40 ? 40 : len), s, tqk_err_code(got),
		         tqk_err_code(want));
	assert_null(img.px);
	assert_int_equal(img.w, 0);
	assert_int_equal(img.h, 0);
}

#define BAD(s, e) expect_decode((s), sizeof(s) - 1, (e))

static void malformed_pnm(void **state)
{
	(void)state;
	BAD("", TQK_E_IMAGE_FORMAT);
	BAD("P", TQK_E_IMAGE_FORMAT);
	BAD("P4 1 1 \x80", TQK_E_IMAGE_FORMAT);          /* bitmaps are not read */
	BAD("P2 1 1 255 0", TQK_E_IMAGE_FORMAT);         /* nor ASCII greymaps */
	BAD("P52 1 255 \x01\x02", TQK_E_IMAGE_FORMAT);   /* no space after the magic */
	BAD("P5 2", TQK_E_IMAGE_FORMAT);
	BAD("P5 2 1", TQK_E_IMAGE_FORMAT);
	BAD("P5 2 1 255", TQK_E_IMAGE_FORMAT);           /* no byte after maxval */
	BAD("P5 2 1 255x\x01\x02", TQK_E_IMAGE_FORMAT);
	BAD("P5 -2 1 255 \x01\x02", TQK_E_IMAGE_FORMAT);
	BAD("P5 +2 1 255 \x01\x02", TQK_E_IMAGE_FORMAT);
	BAD("P5 0 1 255 ", TQK_E_IMAGE_FORMAT);
	BAD("P5 2 0 255 ", TQK_E_IMAGE_FORMAT);
	BAD("P5 2 1 0 \x00\x00", TQK_E_IMAGE_FORMAT);
	BAD("P5 2 1 65536 \x00\x00\x00\x00", TQK_E_IMAGE_FORMAT);
	BAD("P5 000002 1 255 \x01\x02", TQK_E_IMAGE_FORMAT); /* six digits */
	BAD("P5 2 1 255 \x01", TQK_E_IMAGE_FORMAT);      /* truncated */
	BAD("P5 2 1 255 \x01\x02\x03", TQK_E_IMAGE_FORMAT); /* a byte too many */
	BAD("P5 2 1 100 \x01\x65", TQK_E_IMAGE_FORMAT);  /* a sample above maxval */
	BAD("P6 1 1 255 \x01\x02", TQK_E_IMAGE_FORMAT);
	BAD("P5 2 1 # the end", TQK_E_IMAGE_FORMAT);
	BAD("GIF89a", TQK_E_IMAGE_FORMAT);
	BAD("\xff\xd8\xff\xe0", TQK_E_IMAGE_FORMAT);     /* JPEG */
	/* Over the caps, told by the header alone. */
	BAD("P5 8193 1 255 ", TQK_E_IMAGE_SIZE);
	BAD("P5 1 8193 255 ", TQK_E_IMAGE_SIZE);
	BAD("P5 8192 8192 255 ", TQK_E_IMAGE_SIZE);      /* 64 M pixels */
	BAD("P5 65535 65535 255 ", TQK_E_IMAGE_SIZE);
}

static void malformed_png(void **state)
{
	(void)state;
	dir d;
	make_dir(&d);
	uint8_t px[IW * IH];
	picture(px);
	char p[512];
	file(&d, "t.png", p, sizeof p);
	assert_int_equal(imgfile_png(p, px, IW, IH, IMGFILE_RGB8, false), 0);
	uint8_t *data;
	size_t len;
	assert_int_equal(imgfile_slurp(p, 1 << 20, &data, &len), 0);
	assert_true(len > 100);
	/* Cut anywhere: never an image, never a crash. */
	size_t cuts[] = {1, 7, 8, 12, 20, 33, 40, len / 2, len - 13, len - 1};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++)
		expect_decode((const char *)data, cuts[i], TQK_E_IMAGE_FORMAT);
	/* A byte changed in the header's CRC-checked data, then in the
	 * compressed pixels. */
	uint8_t *bad = malloc(len);
	assert_non_null(bad);
	size_t spots[] = {17, 24, len / 2, len - 20};
	for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
		memcpy(bad, data, len);
		bad[spots[i]] ^= 0x5a;
		expect_decode((const char *)bad, len, TQK_E_IMAGE_FORMAT);
	}
	free(bad);
	free(data);

	/* Too wide for the cap (and nothing else wrong with it). */
	uint8_t *row = calloc(9000, 1);
	assert_non_null(row);
	file(&d, "wide.png", p, sizeof p);
	assert_int_equal(imgfile_png(p, row, 9000, 1, IMGFILE_GREY8, false), 0);
	tqk_image img;
	assert_int_equal(tqk_image_load(p, &img), TQK_E_IMAGE_SIZE);
	assert_null(img.px);
	free(row);
	/* More pixels than the cap, each side within it. */
	uint8_t *all = calloc((size_t)4100 * 4100, 1);
	assert_non_null(all);
	file(&d, "huge.png", p, sizeof p);
	assert_int_equal(imgfile_png(p, all, 4100, 4100, IMGFILE_GREY8, false), 0);
	assert_int_equal(tqk_image_load(p, &img), TQK_E_IMAGE_SIZE);
	free(all);
	remove_dir(&d);
}

static void files(void **state)
{
	(void)state;
	dir d;
	make_dir(&d);
	char p[512];
	tqk_image img;
	file(&d, "missing.png", p, sizeof p);
	assert_int_equal(tqk_image_load(p, &img), TQK_E_IMAGE);
	assert_null(img.px);
	file(&d, "sub", p, sizeof p);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(tqk_image_load(p, &img), TQK_E_IMAGE);
	file(&d, "e", p, sizeof p);
	assert_int_equal(imgfile_bytes(p, "", 0), 0);
	assert_int_equal(tqk_image_load(p, &img), TQK_E_IMAGE_FORMAT);
	file(&d, "x.txt", p, sizeof p);
	assert_int_equal(imgfile_bytes(p, "hello, world\n", 13), 0);
	assert_int_equal(tqk_image_load(p, &img), TQK_E_IMAGE_FORMAT);
	/* A file over TQK_IMAGE_FILE_MAX (sparse: no disk used). */
	file(&d, "big", p, sizeof p);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "P5 1 1 255 \x01", 12), 12);
	assert_int_equal(ftruncate(fd, (off_t)TQK_IMAGE_FILE_MAX + 1), 0);
	close(fd);
	assert_int_equal(tqk_image_load(p, &img), TQK_E_IMAGE_SIZE);
	/* Closing twice, or nothing, is harmless. */
	tqk_image_close(&img);
	tqk_image_close(&img);
	tqk_image_close(NULL);
	remove_dir(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(png_kinds),
		cmocka_unit_test(pnm_files),
		cmocka_unit_test(malformed_pnm),
		cmocka_unit_test(malformed_png),
		cmocka_unit_test(files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
