/*
 * bench_print.c - how long the printed documents and the rosters take to
 * make, each against a baseline measured in the same run:
 *
 *  - the form, the cover and the receipt (tqk_print_*, A4, a realistic
 *    application with its signed QR payload) against a bare cairo + pango
 *    PDF page of the same font with about as many characters (40 lines of
 *    Chinese text), written the same way; the ratio says what our layout
 *    (fitting every cell, the rules, both barcodes) costs over that;
 *  - the rosters of 3,000 teachers (tqk_roster_book_new + tqk_roster_write:
 *    the rule, the two-per-school split, the summaries, every workbook
 *    written all or nothing) against raw libxlsxwriter writing the same
 *    number of string cells into one workbook.
 *
 * The runs alternate ours and the baseline so both see the same noise;
 * quote the medians. A benchmark reports and never fails on time.
 *
 *   bench_print [renders [roster_rows]]     default 30 and 3000
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <xlsxwriter.h>

#include "bench.h"
#include "core/roster.h"
#include "print/docs.h"
#include "print/roster.h"
#include "support/fixture.h"
#include "support/signedqr.h"

/* A page of bare cairo + pango: 40 lines of Chinese in the same font. */
static int bare_page(const char *path)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, 595.28, 841.89);
	cairo_t *cr = cairo_create(s);
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string("WenQuanYi Micro Hei 10");
	pango_layout_set_font_description(l, fd);
	for (int i = 0; i < 40; i++) {
		cairo_move_to(cr, 50, 50 + i * 18.5);
		pango_layout_set_text(l, "教师资格定期注册申请表：姓名、身份证号码、证书号码、任教学校。", -1);
		pango_cairo_show_layout(cr, l);
	}
	pango_font_description_free(fd);
	g_object_unref(l);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	int ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS ? 0 : -1;
	cairo_surface_destroy(s);
	return ok;
}

/* A raw workbook of rows x cols strings. */
static int bare_workbook(const char *path, size_t rows, int cols)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = wb != NULL ? workbook_add_worksheet(wb, NULL) : NULL;
	if (ws == NULL)
		return -1;
	char cell[64];
	for (size_t r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			snprintf(cell, sizeof cell, "长沙县星沙中学%zu-%d", r, c);
			worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, cell, NULL);
		}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

static void ratio_row(const char *name, bench_samples *ours, bench_samples *base)
{
	char ratio[32];
	snprintf(ratio, sizeof ratio, "%.2fx", bench_pct(ours, 50) / bench_pct(base, 50));
	bench_note_row(name, ours->n, "vs the baseline", ratio);
}

int main(int argc, char **argv)
{
	int renders = argc > 1 ? atoi(argv[1]) : 30;
	size_t rows = argc > 2 ? (size_t)atoi(argv[2]) : 3000;
	if (renders < 1 || rows < 1)
		return 2;
	char dir[512];
	fixture_tmpdir(dir, sizeof dir);
	char path[700];
	snprintf(path, sizeof path, "%s/doc.pdf", dir);

	tqk_form_doc form;
	memset(&form, 0, sizeof form);
	fixture_app(7, FIXTURE_SITE, &form.app);
	sq_form sq;
	if (sq_make(&sq, form.app.name, "20260100000007") != 0)
		return 1;
	memcpy(form.payload, sq.text, sizeof form.payload);
	snprintf(form.site_name, sizeof form.site_name, "长沙县星沙确认点");
	form.printed = FIXTURE_NOW;
	tqk_cover_doc cover;
	memset(&cover, 0, sizeof cover);
	snprintf(cover.archive_no, sizeof cover.archive_no, "CSX202601007");
	snprintf(cover.title, sizeof cover.title, "2026、长沙");
	snprintf(cover.name, sizeof cover.name, "%s", form.app.name);
	snprintf(cover.school, sizeof cover.school, "%s", form.app.school);
	snprintf(cover.site_name, sizeof cover.site_name, "长沙县星沙确认点");
	snprintf(cover.reg_no, sizeof cover.reg_no, "%s", form.app.reg_no);
	cover.qualification = form.app.qualification;
	snprintf(cover.subject, sizeof cover.subject, "%s", form.app.cert_subject);
	tqk_confirmation conf;
	fixture_confirmation(form.app.reg_no, &conf);
	cover.marks = conf.marks;
	tqk_receipt_doc receipt;
	memset(&receipt, 0, sizeof receipt);
	snprintf(receipt.reg_no, sizeof receipt.reg_no, "%s", form.app.reg_no);
	snprintf(receipt.name, sizeof receipt.name, "%s", form.app.name);
	snprintf(receipt.id_number, sizeof receipt.id_number, "%s", form.app.id_number);
	receipt.conclusion = TQK_CONC_INCOMPLETE;
	receipt.marks = conf.marks;
	receipt.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
	snprintf(receipt.site_name, sizeof receipt.site_name, "长沙县星沙确认点");
	snprintf(receipt.site_message, sizeof receipt.site_message, "请补交身心健康证明。");
	receipt.at = receipt.printed = FIXTURE_NOW;

	bench_samples base = {0}, s_form = {0}, s_cover = {0}, s_receipt = {0};
	const char *bad = NULL;
	for (int i = -3; i < renders; i++) {
		double t0 = bench_now_ms();
		if (bare_page(path) != 0)
			return 1;
		double t1 = bench_now_ms();
		if (tqk_print_form(&form, TQK_PAPER_A4, path, &bad) != TQK_OK)
			return 1;
		double t2 = bench_now_ms();
		if (tqk_print_cover(&cover, TQK_PAPER_A4, path, &bad) != TQK_OK)
			return 1;
		double t3 = bench_now_ms();
		if (tqk_print_receipt(&receipt, TQK_PAPER_A4, path, &bad) != TQK_OK)
			return 1;
		double t4 = bench_now_ms();
		if (i < 0)
			continue;       /* warm-up: fonts loaded, caches filled */
		bench_add(&base, t1 - t0);
		bench_add(&s_form, t2 - t1);
		bench_add(&s_cover, t3 - t2);
		bench_add(&s_receipt, t4 - t3);
	}
	bench_header();
	bench_row("bare cairo + pango page (baseline)", &base, NULL, NULL);
	bench_row("application form, A4", &s_form, "DESIGN.md: 20-35 ms", NULL);
	ratio_row("  form / baseline", &s_form, &base);
	bench_row("archive-bag cover, A4", &s_cover, "DESIGN.md: 20-35 ms", NULL);
	ratio_row("  cover / baseline", &s_cover, &base);
	bench_row("receipt, A4", &s_receipt, "DESIGN.md: 20-35 ms", NULL);
	ratio_row("  receipt / baseline", &s_receipt, &base);

	/* The rosters of rows teachers: 6 schools, every qualification type. */
	tqk_roster_row *v = calloc(rows, sizeof *v);
	if (v == NULL)
		return 1;
	static const char *const schools[] = {"星沙中学", "泉塘小学", "长沙县第一幼儿园",
	                                      "长沙县职业中专", "黄兴镇中学", "松雅湖小学"};
	for (size_t i = 0; i < rows; i++) {
		tqk_application a;
		fixture_app((unsigned)i, FIXTURE_SITE, &a);
		a.qualification = (tqk_stage)(1 + i % 6);
		snprintf(a.school, sizeof a.school, "%s", schools[i % 6]);
		tqk_confirmation c;
		fixture_confirmation(a.reg_no, &c);
		snprintf(c.archive_no, sizeof c.archive_no, "CSX202601%04u", (unsigned)(i + 1) % 10000u);
		tqk_roster_row_from(&a, &c, &v[i]);
	}
	char out[700];
	snprintf(out, sizeof out, "%s/rosters", dir);
	if (mkdir(out, 0700) != 0)
		return 1;
	tqk_roster_site_name name = {FIXTURE_SITE, "长沙县星沙确认点"};
	bench_samples r_base = {0}, r_ours = {0};
	size_t n_files = 0;
	for (int i = -1; i < 5; i++) {
		double t0 = bench_now_ms();
		if (bare_workbook(path, rows, TQK_RC_COUNT) != 0)
			return 1;
		double t1 = bench_now_ms();
		tqk_roster_book *book = NULL;
		size_t bad_row = 0;
		tqk_roster_files files = {0, NULL};
		if (tqk_roster_book_new(v, rows, &book, &bad_row) != TQK_OK ||
		    tqk_roster_write(book, out, "2026年教师资格定期注册申请花名册", &name, 1, &files) != TQK_OK)
			return 1;
		double t2 = bench_now_ms();
		n_files = files.n;
		tqk_roster_files_close(&files);
		tqk_roster_book_free(book);
		if (i < 0)
			continue;
		bench_add(&r_base, t1 - t0);
		bench_add(&r_ours, t2 - t1);
	}
	char label[96];
	snprintf(label, sizeof label, "raw libxlsxwriter, %zu rows (baseline)", rows);
	bench_row(label, &r_base, NULL, NULL);
	snprintf(label, sizeof label, "rosters of %zu teachers (%zu workbooks)", rows, n_files);
	bench_row(label, &r_ours, NULL, NULL);
	ratio_row("  rosters / baseline", &r_ours, &r_base);
	free(v);
	bench_free(&base);
	bench_free(&s_form);
	bench_free(&s_cover);
	bench_free(&s_receipt);
	bench_free(&r_base);
	bench_free(&r_ours);
	fixture_rmdir(dir);
	return 0;
}
