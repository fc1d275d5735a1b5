/*
 * test_ctl_print.c - tqkioskctl roster and print: the rosters and the
 * printed documents of a store with real confirmations (fixture
 * applications of three schools and several qualification types, a
 * police-certificate case, one 网报未受理), checked the way a person would:
 * the workbooks opened (unzip + XML), the PDFs read back with poppler.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "core/confirmation.h"
#include "core/payload.h"
#include "core/roster.h"
#include "store/apps.h"
#include "store/confirm.h"
#include "store/plan.h"
#include "store/store.h"
#include "support/expect.h"
#include "support/fixture.h"
#include "support/pdfcheck.h"
#include "support/xlsxread.h"

#define APPS 8

typedef struct world {
	char dir[512], db[600], out[600];
	char reg[APPS][TQK_CODE_CAP];
	char archive[APPS][TQK_ARCHIVE_BUFLEN];
	char payload[TQK_PAYLOAD_CAP];      /* application 0's signed form */
	tqk_keyset keys;
} world;

/* What each fixture application becomes before it is confirmed. */
static const struct {
	const char *school;
	tqk_stage qual;
	tqk_conclusion conclusion;
	bool police;            /* the certificate's name differs from the card */
} shape[APPS] = {
	{"星沙中学", TQK_STAGE_SENIOR, TQK_CONC_COMPLETE, false},
	{"星沙中学", TQK_STAGE_JUNIOR, TQK_CONC_COMPLETE, true},
	{"长沙县泉塘小学", TQK_STAGE_PRIMARY, TQK_CONC_INCOMPLETE, false},
	{"星沙中学", TQK_STAGE_VOCATIONAL, TQK_CONC_COMPLETE, false},
	{"长沙县泉塘小学", TQK_STAGE_KINDERGARTEN, TQK_CONC_COMPLETE, false},
	{"长沙县第一幼儿园", TQK_STAGE_KINDERGARTEN, TQK_CONC_COMPLETE, false},
	{"星沙中学", TQK_STAGE_JUNIOR, TQK_CONC_NOT_ACCEPTED, false},
	{"长沙县泉塘小学", TQK_STAGE_PRIMARY, TQK_CONC_COMPLETE, false},
};

static int setup(void **state)
{
	world *w = calloc(1, sizeof *w);
	assert_non_null(w);
	fixture_tmpdir(w->dir, sizeof w->dir);
	snprintf(w->db, sizeof w->db, "%s/kiosk.db", w->dir);
	snprintf(w->out, sizeof w->out, "%s/out", w->dir);
	assert_int_equal(mkdir(w->out, 0700), 0);
	tqk_store *s;
	assert_int_equal(fixture_store(w->db, APPS, 0, &s), TQK_OK);
	/* The county's key, and application 0's form signed with it. */
	uint8_t pk[TQK_PUBKEY_LEN], sk[TQK_SECKEY_LEN];
	assert_int_equal(crypto_sign_keypair(pk, sk), 0);
	tqk_plan p = fixture_plan(1, "");
	snprintf(p.title, sizeof p.title, "2026、长沙");
	assert_int_equal(tqk_keyset_add(&p.keys, "k1", pk), TQK_OK);
	bool stored;
	assert_int_equal(tqk_store_plan_put(s, &p, FIXTURE_NOW, &stored), TQK_OK);
	tqk_application signed_app;
	fixture_app(0, FIXTURE_SITE, &signed_app);
	tqk_payload pl;
	memset(&pl, 0, sizeof pl);
	memcpy(pl.reg_no, signed_app.reg_no, sizeof pl.reg_no);
	memcpy(pl.id_number, signed_app.id_number, sizeof pl.id_number);
	memcpy(pl.cert_no, signed_app.cert_no, sizeof pl.cert_no);
	memcpy(pl.name, signed_app.name, sizeof pl.name);
	snprintf(pl.kid, sizeof pl.kid, "k1");
	pl.issued = FIXTURE_NOW;
	assert_int_equal(tqk_payload_sign(&pl, sk, signed_app.payload, NULL), TQK_OK);
	memcpy(w->payload, signed_app.payload, sizeof w->payload);
	signed_app.rev++;
	tqk_import_stats ist;
	assert_int_equal(tqk_store_apps_put(s, &signed_app, 1, NULL, FIXTURE_NOW, &ist, NULL), TQK_OK);
	w->keys = p.keys;
	for (unsigned i = 0; i < APPS; i++) {
		tqk_application a;
		fixture_app(i, FIXTURE_SITE, &a);
		memcpy(w->reg[i], a.reg_no, TQK_CODE_CAP);
		tqk_confirmation c;
		fixture_confirmation(a.reg_no, &c);
		c.at = FIXTURE_NOW + 60 * i;
		c.corrections[c.n_corrections].field = TQK_F_SCHOOL;
		tqk_field_text(&a, TQK_F_SCHOOL, c.corrections[c.n_corrections].old_value, TQK_TEXT_CAP);
		snprintf(c.corrections[c.n_corrections++].new_value, TQK_TEXT_CAP, "%s", shape[i].school);
		c.corrections[c.n_corrections].field = TQK_F_QUALIFICATION;
		tqk_field_text(&a, TQK_F_QUALIFICATION, c.corrections[c.n_corrections].old_value,
		               TQK_TEXT_CAP);
		snprintf(c.corrections[c.n_corrections++].new_value, TQK_TEXT_CAP, "%s",
		         tqk_stage_code(shape[i].qual));
		if (shape[i].police) {
			c.corrections[c.n_corrections].field = TQK_F_CERT_NAME;
			tqk_field_text(&a, TQK_F_CERT_NAME, c.corrections[c.n_corrections].old_value,
			               TQK_TEXT_CAP);
			snprintf(c.corrections[c.n_corrections++].new_value, TQK_TEXT_CAP, "张叁");
			c.police_required = true;
			c.marks.mark[TQK_MAT_POLICE] = TQK_MARK_HAS;
		}
		c.conclusion = shape[i].conclusion;
		if (c.conclusion == TQK_CONC_INCOMPLETE) {
			c.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
			snprintf(c.message, sizeof c.message, "请补交身心健康证明");
		}
		if (c.conclusion == TQK_CONC_NOT_ACCEPTED)
			snprintf(c.remark, sizeof c.remark, "重复报名，保留另一报名号");
		tqk_err err = tqk_store_confirm(s, &c);
		if (err != TQK_OK)
			fail_msg("confirm %u: %s (%s)", i, tqk_err_code(err), tqk_store_detail(s));
		memcpy(w->archive[i], c.archive_no, sizeof w->archive[i]);
	}
	tqk_store_free(s);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;
	fixture_rmdir(w->dir);
	free(w);
	return 0;
}

/* The value of "key=" in out, or NULL. */
static const char *kv(const proc_result *r, const char *key, char *buf, size_t cap)
{
	size_t k = strlen(key);
	for (const char *p = r->out; p != NULL && *p != '\0'; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, key, k) == 0 && p[k] == '=') {
			const char *e = strchr(p, '\n');
			size_t n = e != NULL ? (size_t)(e - p - k - 1) : strlen(p + k + 1);
			snprintf(buf, cap, "%.*s", (int)n, p + k + 1);
			return buf;
		}
	}
	return NULL;
}

/* The roster's files: one per school and roster that has teachers, and the
 * site's two summaries with one running serial; 网报未受理 is on none. */
static void roster_of_the_site(void **state)
{
	world *w = *state;
	proc_result r;
	CTL(&r, "roster", "--db", w->db, "--out", w->out);
	expect_status(&r, 0);
	char v[1024];
	assert_string_equal(kv(&r, "rows", v, sizeof v), "7");
	assert_string_equal(kv(&r, "schools", v, sizeof v), "3");
	/* 星沙中学 both rosters, 泉塘小学 basic, 第一幼儿园 basic, two summaries */
	assert_string_equal(kv(&r, "files", v, sizeof v), "6");
	proc_result_free(&r);

	char path[1200];
	snprintf(path, sizeof path, "%s/长沙县星沙确认点/汇总-高中中职花名册.xlsx", w->out);
	xlsx_sheet senior, basic;
	assert_int_equal(xlsx_sheet_load(path, 1, &senior), 0);
	snprintf(path, sizeof path, "%s/长沙县星沙确认点/汇总-初中小学幼儿园花名册.xlsx", w->out);
	assert_int_equal(xlsx_sheet_load(path, 1, &basic), 0);
	assert_non_null(strstr(xlsx_sheet_text(&senior, 0, 0), "2026年教师资格定期注册申请花名册"));
	/* rows 3.. are teachers: the senior summary has apps 0 and 3, the basic
	 * one 1, 2, 4, 5 and 7, numbered on from the senior one */
	assert_int_equal(senior.rows - 3, 2);
	assert_int_equal(basic.rows - 3, 5);
	assert_string_equal(xlsx_sheet_text(&senior, 3, 0), "1");
	assert_string_equal(xlsx_sheet_text(&senior, 4, 0), "2");
	assert_string_equal(xlsx_sheet_text(&basic, 3, 0), "3");
	assert_string_equal(xlsx_sheet_text(&basic, 7, 0), "7");
	assert_string_equal(xlsx_sheet_text(&senior, 3, 1), w->archive[0]);
	bool remark = false, refused = false;
	for (int row = 3; row < basic.rows; row++) {
		if (strcmp(xlsx_sheet_text(&basic, row, 1), w->archive[1]) == 0)
			remark = strstr(xlsx_sheet_text(&basic, row, TQK_RC_REMARK), "现身份证姓名") != NULL;
		for (int col = 0; col < TQK_RC_COUNT; col++)
			refused |= strcmp(xlsx_sheet_text(&basic, row, col), w->reg[6]) == 0;
	}
	assert_true(remark);
	assert_false(refused);
	xlsx_sheet_free(&senior);
	xlsx_sheet_free(&basic);

	/* --json lists the files; a title of one's own */
	CTL(&r, "--json", "roster", "--db", w->db, "--out", w->out, "--title", "测试花名册");
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, "\"files\":[\""));
	assert_non_null(strstr(r.out, "汇总-高中中职花名册.xlsx"));
	proc_result_free(&r);
}

static void roster_refuses_what_it_cannot_do(void **state)
{
	world *w = *state;
	proc_result r;
	char missing[700];
	snprintf(missing, sizeof missing, "%s/nowhere", w->dir);
	CTL(&r, "roster", "--db", w->db, "--out", missing);
	expect_status(&r, 2);
	assert_non_null(strstr(r.out, "error=print.io"));
	proc_result_free(&r);
	assert_int_equal(access(missing, F_OK), -1);
	CTL(&r, "roster", "--db", w->db);
	expect_status(&r, 2);
	proc_result_free(&r);
}

/* The PDF at path: one page of w x h mm holding every string of want. */
static void pdf_is(const char *path, double w_mm, double h_mm, const char *const *want, size_t n)
{
	int pages = 0;
	double w = 0, h = 0;
	assert_int_equal(pdf_info(path, &pages, &w, &h), 0);
	assert_int_equal(pages, 1);
	assert_true(w > w_mm / 25.4 * 72 - 0.5 && w < w_mm / 25.4 * 72 + 0.5);
	assert_true(h > h_mm / 25.4 * 72 - 0.5 && h < h_mm / 25.4 * 72 + 0.5);
	const char *missing = pdf_lacks(path, want, n);
	if (missing != NULL)
		fail_msg("%s: \"%s\" is not in the text", path, missing);
}

/* print form | cover | receipt: each paper size, the county's QR on the
 * form, read back from the rendered page and verified. */
static void print_each_document(void **state)
{
	world *w = *state;
	proc_result r;
	char path[700], v[1024];
	tqk_application a;
	fixture_app(0, FIXTURE_SITE, &a);

	snprintf(path, sizeof path, "%s/form.pdf", w->out);
	CTL(&r, "print", "form", w->reg[0], "--db", w->db, "--out", path);
	expect_status(&r, 0);
	assert_string_equal(kv(&r, "qr", v, sizeof v), "true");
	assert_string_equal(kv(&r, "size", v, sizeof v), "a4");
	proc_result_free(&r);
	const char *form[] = {w->reg[0], a.id_number, "教师资格定期注册申请表", "星沙中学"};
	pdf_is(path, 210, 297, form, 4);
	tqk_image img;
	assert_int_equal(pdf_raster(path, w->out, 200, &img), 0);
	char qr[TQK_PAYLOAD_CAP];
	size_t len = 0;
	assert_int_equal(pdf_decode(&img, true, qr, sizeof qr, &len), 0);
	tqk_image_close(&img);
	assert_string_equal(qr, w->payload);
	tqk_payload got;
	assert_int_equal(tqk_payload_verify(qr, len, &w->keys, &got), TQK_OK);
	assert_string_equal(got.reg_no, w->reg[0]);

	/* the others have no signed payload: the form says to print it later */
	snprintf(path, sizeof path, "%s/form-b5.pdf", w->out);
	CTL(&r, "print", "form", w->reg[1], "--db", w->db, "--out", path, "--size", "b5");
	expect_status(&r, 0);
	assert_string_equal(kv(&r, "qr", v, sizeof v), "false");
	proc_result_free(&r);
	const char *later[] = {w->reg[1], "二维码待联网后生成"};
	pdf_is(path, 176, 250, later, 2);

	snprintf(path, sizeof path, "%s/cover.pdf", w->out);
	CTL(&r, "print", "cover", w->reg[0], "--db", w->db, "--out", path, "--size", "16k");
	expect_status(&r, 0);
	assert_string_equal(kv(&r, "archive_no", v, sizeof v), w->archive[0]);
	proc_result_free(&r);
	const char *cover[] = {w->archive[0], "2026、长沙", "星沙中学", "长沙县星沙确认点",
	                       "高级中学教师资格"};
	pdf_is(path, 184, 260, cover, 5);

	snprintf(path, sizeof path, "%s/receipt.pdf", w->out);
	CTL(&r, "--json", "print", "receipt", w->reg[2], "--db", w->db, "--out", path);
	expect_status(&r, 0);
	assert_non_null(strstr(r.out, "\"kind\":\"receipt\""));
	proc_result_free(&r);
	const char *receipt[] = {w->reg[2], "材料不齐全", "身心健康证明", "请补交身心健康证明"};
	pdf_is(path, 210, 297, receipt, 4);
}

/* What cannot be printed says why and writes nothing. */
static void print_refusals(void **state)
{
	world *w = *state;
	char path[700];
	snprintf(path, sizeof path, "%s/x.pdf", w->out);
	proc_result r;
	CTL(&r, "print", "cover", w->reg[6], "--db", w->db, "--out", path);
	expect_status(&r, 1);
	assert_non_null(strstr(r.out, "error=print.no_bag"));
	proc_result_free(&r);
	/* a receipt of an application not confirmed yet */
	tqk_store *s;
	assert_int_equal(fixture_store(w->db, APPS + 1, 0, &s), TQK_OK);
	tqk_store_free(s);
	tqk_application a;
	fixture_app(APPS, FIXTURE_SITE, &a);
	CTL(&r, "print", "receipt", a.reg_no, "--db", w->db, "--out", path);
	expect_status(&r, 1);
	assert_non_null(strstr(r.out, "error=print.unconfirmed"));
	proc_result_free(&r);
	CTL(&r, "print", "form", "20269999999999", "--db", w->db, "--out", path);
	expect_status(&r, 1);
	assert_non_null(strstr(r.out, "error=store.not_found"));
	proc_result_free(&r);
	assert_int_equal(access(path, F_OK), -1);
	CTL(&r, "print", "form", w->reg[0], "--db", w->db, "--out", path, "--size", "a3");
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "print", "label", w->reg[0], "--db", w->db, "--out", path);
	expect_status(&r, 2);
	proc_result_free(&r);
	CTL(&r, "print", "form", w->reg[0], "--db", w->db);
	expect_status(&r, 2);
	proc_result_free(&r);
	snprintf(path, sizeof path, "%s/nowhere/x.pdf", w->dir);
	CTL(&r, "print", "form", w->reg[0], "--db", w->db, "--out", path);
	expect_status(&r, 2);
	assert_non_null(strstr(r.out, "error=print.io"));
	proc_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(roster_of_the_site, setup, teardown),
		cmocka_unit_test_setup_teardown(roster_refuses_what_it_cannot_do, setup, teardown),
		cmocka_unit_test_setup_teardown(print_each_document, setup, teardown),
		cmocka_unit_test_setup_teardown(print_refusals, setup, teardown),
	};
	return cmocka_run_group_tests_name("ctl_print", tests, NULL, NULL);
}
