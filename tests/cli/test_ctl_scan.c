/*
 * test_ctl_scan.c - tqkioskctl scan-image run as a clerk would run it, on
 * PNG, PGM and PPM files the test writes: a certificate's Code 128 and a
 * form's signed QR code in one picture, --symbols, --json, a picture
 * without a code, data that must not break a line, files that are no
 * image, and usage errors.
 */
#include "test.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/expect.h"
#include "support/imgfile.h"
#include "support/scene.h"
#include "support/signedqr.h"

typedef struct fixture {
	char dir[256];
	char png[320], pgm[320], ppm[320], none[320], text[320], odd[320];
	sq_form form;
	char cert[18];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	assert_non_null(f);
	snprintf(f->dir, sizeof f->dir, "%s/tqk-ctl-scan-XXXXXX",
	         getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->png, sizeof f->png, "%s/form.png", f->dir);
	snprintf(f->pgm, sizeof f->pgm, "%s/form.pgm", f->dir);
	snprintf(f->ppm, sizeof f->ppm, "%s/form.ppm", f->dir);
	snprintf(f->none, sizeof f->none, "%s/none.png", f->dir);
	snprintf(f->text, sizeof f->text, "%s/notes.png", f->dir);
	snprintf(f->odd, sizeof f->odd, "%s/odd.pgm", f->dir);
	assert_int_equal(sq_make(&f->form, "张小明", "20260410012345"), 0);
	snprintf(f->cert, sizeof f->cert, "20234400121000123");

	/* The certificate's Code 128 above, the form's QR code below. */
	bc_frame *pic = bc_frame_new(1280, 720, 128);
	assert_non_null(pic);
	bc_clutter(pic, 4242);
	bc_matrix m;
	assert_int_equal(bc_code128(f->cert, 17, &m), 0);
	bc_place p = bc_place_default(1280, 720);
	p.module = 3;
	p.cx = 400;
	p.cy = 150;
	bc_draw(pic, &m, &p);
	bc_matrix_free(&m);
	assert_int_equal(bc_qr(f->form.text, f->form.len, &m), 0);
	p.cx = 800;
	p.cy = 470;
	p.angle = 12;
	bc_draw(pic, &m, &p);
	bc_matrix_free(&m);
	assert_int_equal(imgfile_png(f->png, pic->px, pic->w, pic->h, IMGFILE_GREY8, false), 0);
	assert_int_equal(imgfile_pgm(f->pgm, pic->px, pic->w, pic->h), 0);
	assert_int_equal(imgfile_ppm(f->ppm, pic->px, pic->w, pic->h), 0);
	bc_clutter(pic, 4243);
	assert_int_equal(imgfile_png(f->none, pic->px, pic->w, pic->h, IMGFILE_RGB8, false), 0);
	bc_frame_free(pic);

	/* A QR code whose data has a line end, a backslash, a control byte
	 * and a byte that is not UTF-8. */
	pic = bc_frame_new(400, 400, 220);
	static const char odd[] = "line1\nline2\\ é \x01\xff";
	assert_int_equal(bc_qr(odd, sizeof odd - 1, &m), 0);
	p = bc_place_default(400, 400);
	p.module = 5;
	bc_draw(pic, &m, &p);
	bc_matrix_free(&m);
	assert_int_equal(imgfile_pgm(f->odd, pic->px, pic->w, pic->h), 0);
	bc_frame_free(pic);
	assert_int_equal(imgfile_bytes(f->text, "these are my notes\n", 19), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	const char *files[] = {f->png, f->pgm, f->ppm, f->none, f->text, f->odd};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		unlink(files[i]);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* "CODE-128:<cert>\nQR-Code:<payload>\n", top to bottom. */
static void both_lines(const fixture *f, char *out, size_t cap)
{
	snprintf(out, cap, "CODE-128:%s\nQR-Code:%.*s\n", f->cert, (int)f->form.len, f->form.text);
}

static void every_format(void **state)
{
	fixture *f = *state;
	char want[1024];
	both_lines(f, want, sizeof want);
	const char *files[] = {f->png, f->pgm, f->ppm};
	for (size_t i = 0; i < 3; i++) {
		proc_result r;
		CTL(&r, "scan-image", files[i]);
		expect_exact(&r, 0, want);
		/* The payload is printed as it is: the name in UTF-8. */
		expect_out(&r, "|张小明|");
		proc_result_free(&r);
	}
}

static void symbols_option(void **state)
{
	fixture *f = *state;
	char want[1024];
	proc_result r;
	CTL(&r, "scan-image", f->png, "--symbols", "qr");
	snprintf(want, sizeof want, "QR-Code:%.*s\n", (int)f->form.len, f->form.text);
	expect_exact(&r, 0, want);
	proc_result_free(&r);
	CTL(&r, "scan-image", "--symbols=code128", f->png);
	snprintf(want, sizeof want, "CODE-128:%s\n", f->cert);
	expect_exact(&r, 0, want);
	proc_result_free(&r);
	CTL(&r, "scan-image", f->png, "--symbols", "QR,Code128,ean13");
	both_lines(f, want, sizeof want);
	expect_exact(&r, 0, want);
	proc_result_free(&r);
	/* Asked only for codes that are not there. */
	CTL(&r, "scan-image", f->png, "--symbols", "ean13,code39");
	expect_exact(&r, 1, "");
	expect_err(&r, "图像中没有找到条码");
	proc_result_free(&r);
}

static void json_output(void **state)
{
	fixture *f = *state;
	proc_result r;
	CTL(&r, "--json", "scan-image", f->pgm);
	expect_status(&r, 0);
	json_t *doc = expect_json_object(&r);
	assert_int_equal(json_integer_value(json_object_get(doc, "count")), 2);
	json_t *list = json_object_get(doc, "symbols");
	assert_int_equal(json_array_size(list), 2);
	json_t *a = json_array_get(list, 0), *b = json_array_get(list, 1);
	assert_string_equal(json_string_value(json_object_get(a, "type")), "CODE-128");
	assert_string_equal(json_string_value(json_object_get(a, "data")), f->cert);
	assert_string_equal(json_string_value(json_object_get(a, "kind")), "cert");
	assert_string_equal(json_string_value(json_object_get(b, "type")), "QR-Code");
	assert_string_equal(json_string_value(json_object_get(b, "data")), f->form.text);
	assert_string_equal(json_string_value(json_object_get(b, "kind")), "payload");
	/* Where: the QR code is in the lower right part of the picture. */
	assert_true(json_integer_value(json_object_get(b, "x")) > 600);
	assert_true(json_integer_value(json_object_get(b, "y")) > 300);
	assert_true(json_integer_value(json_object_get(b, "w")) > 100);
	json_decref(doc);
	proc_result_free(&r);

	CTL(&r, "scan-image", "--json", f->none);
	expect_exact(&r, 1, "{\"count\":0,\"symbols\":[]}\n");
	proc_result_free(&r);
	CTL(&r, "scan-image", "--json", f->text);
	expect_exact(&r, 2, "{\"error\":\"scan.image_format\"}\n");
	proc_result_free(&r);
}

static void no_code(void **state)
{
	fixture *f = *state;
	proc_result r;
	CTL(&r, "scan-image", f->none);
	expect_exact(&r, 1, "");
	expect_err(&r, "图像中没有找到条码");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "scan-image", f->none);
	expect_exact(&r, 1, "");
	expect_err(&r, "no barcode found in the image");
	proc_result_free(&r);
}

static void odd_data(void **state)
{
	fixture *f = *state;
	proc_result r;
	CTL(&r, "scan-image", f->odd);
	expect_exact(&r, 0, "QR-Code:line1\\x0aline2\\x5c é \\x01\\xff\n");
	proc_result_free(&r);
	CTL(&r, "scan-image", "--json", f->odd);
	expect_status(&r, 0);
	json_t *doc = expect_json_object(&r);
	json_t *s = json_array_get(json_object_get(doc, "symbols"), 0);
	assert_null(json_object_get(s, "data"));
	assert_string_equal(json_string_value(json_object_get(s, "data_hex")),
	                    "6c696e65310a6c696e65325c20c3a92001ff");
	assert_string_equal(json_string_value(json_object_get(s, "kind")), "none");
	json_decref(doc);
	proc_result_free(&r);
}

static void bad_files(void **state)
{
	fixture *f = *state;
	proc_result r;
	char missing[400];
	snprintf(missing, sizeof missing, "%s/missing.png", f->dir);
	CTL(&r, "scan-image", missing);
	expect_exact(&r, 2, "error=scan.image\n");
	expect_err(&r, "图像文件无法读取");
	proc_result_free(&r);
	CTL(&r, "scan-image", f->text);
	expect_exact(&r, 2, "error=scan.image_format\n");
	expect_err(&r, "不是 PNG、PGM 或 PPM 图像");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "scan-image", f->dir);
	expect_exact(&r, 2, "error=scan.image\n");
	expect_err(&r, "the image file cannot be read");
	proc_result_free(&r);
}

static void usage_errors(void **state)
{
	fixture *f = *state;
	proc_result r;
	CTL(&r, "scan-image");
	expect_exact(&r, 2, "");
	expect_err(&r, "请给出图像文件");
	proc_result_free(&r);
	CTL(&r, "scan-image", f->png, f->pgm);
	expect_exact(&r, 2, "");
	expect_err(&r, "多余的参数");
	proc_result_free(&r);
	CTL(&r, "scan-image", f->png, "--symbols", "pdf417");
	expect_exact(&r, 2, "");
	expect_err(&r, "qr、code128、ean13、code39、all");
	proc_result_free(&r);
	CTL(&r, "scan-image", f->png, "--symbols");
	expect_exact(&r, 2, "");
	expect_err(&r, "缺少取值");
	proc_result_free(&r);
	CTL(&r, "scan-image", f->png, "--density", "2");
	expect_exact(&r, 2, "");
	expect_err(&r, "未知选项");
	proc_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_format),
		cmocka_unit_test(symbols_option),
		cmocka_unit_test(json_output),
		cmocka_unit_test(no_code),
		cmocka_unit_test(odd_data),
		cmocka_unit_test(bad_files),
		cmocka_unit_test(usage_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
