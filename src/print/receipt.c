/*
 * receipt.c - the teacher's receipt 现场确认回执 (docs.h) as a one-page PDF.
 *
 * A title, then a ruled table: the registration number, the name, the ID
 * number masked (first 6 and last 4 characters shown), the conclusion, the
 * archive number (无 when none) and when the site concluded; then the
 * missing materials, each with what 具备 requires; where and by when to
 * bring them; the remark (why it was not accepted); the site's and the
 * institution's messages. The rows with free text share what height is
 * left by weight, so that 1024-byte messages fit on every paper. A footer
 * gives the time it was printed.
 */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "print/docs.h"
#include "print/layout.h"

#define LIST_CAP 4096               /* the missing list: 11 items of about 200 bytes */
#define FLEX_ROWS 5

typedef struct receipt_fig {
	double margin, top;
	double title_h, title_pt;
	double row_h;                   /* the fixed rows */
	double label_w, label_pt, value_pt, min_pt;
	double footer_h, small_pt;
	double pad;
} receipt_fig;

static const receipt_fig figs[TQK_PAPER_COUNT] = {
	[TQK_PAPER_A4] = {16, 14, 16, 19, 12, 30, 11, 11, 5.5, 12, 8.5, 1.6},
	[TQK_PAPER_B5] = {12, 11, 13, 16, 10, 25, 9.5, 9.5, 5, 10, 7.5, 1.3},
	[TQK_PAPER_16K] = {13, 11, 13.5, 16.5, 10.5, 26, 10, 10, 5, 10.5, 7.5, 1.4},
};

/* Weights of the free-text rows: missing, where, remark, site, institution. */
static const double flex_weight[FLEX_ROWS] = {3.4, 1.0, 1.6, 2.0, 2.0};

/* The ID number with everything but the first 6 and last 4 characters as
 * '*'; all '*' when it is shorter than 10. */
static void mask_id(const char *id, size_t n, char out[TQK_ID_LEN + 1])
{
	if (n > TQK_ID_LEN)
		n = TQK_ID_LEN;
	for (size_t i = 0; i < n; i++)
		out[i] = n >= 10 && (i < 6 || i >= n - 4) ? id[i] : '*';
	out[n] = '\0';
}

/* The missing items, one a line: "1. name（要求：requires）". */
static void missing_list(const tqk_receipt_doc *d, char *buf, size_t cap)
{
	size_t len = 0;
	int k = 0;
	buf[0] = '\0';
	if (d->conclusion != TQK_CONC_INCOMPLETE)
		return;
	for (int i = 0; i < TQK_MAT_COUNT && len < cap; i++) {
		if (d->marks.mark[i] != TQK_MARK_LACKS)
			continue;
		const tqk_material_info *mi = tqk_material_get((tqk_material)i);
		int w = snprintf(buf + len, cap - len, "%s%d. %s（要求：%s）", k > 0 ? "\n" : "", k + 1,
		                 mi->name[TQK_LANG_ZH], mi->requires[TQK_LANG_ZH]);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
		k++;
	}
}

/* Where and by when to bring what is missing. */
static void where_text(const tqk_receipt_doc *d, char *buf, size_t cap)
{
	if (d->conclusion != TQK_CONC_INCOMPLETE) {
		snprintf(buf, cap, "无需补交");
		return;
	}
	tqk_str site = tqk_str_of(d->site_name, sizeof d->site_name);
	tqk_str hours = tqk_str_of(d->hours, sizeof d->hours);
	char by[TQK_DATE_BUFLEN + 16] = "";
	if (tqk_date_valid(d->bring_by)) {
		char day[TQK_DATE_BUFLEN];
		tqk_date_format(d->bring_by, day);
		snprintf(by, sizeof by, "请于%s前", day);
	} else {
		snprintf(by, sizeof by, "请尽快");
	}
	if (hours.n > 0)
		snprintf(buf, cap, "%s（办理时间%.*s）携带上列材料到%.*s补交", by, (int)hours.n, hours.s,
		         (int)site.n, site.s);
	else
		snprintf(buf, cap, "%s携带上列材料到%.*s补交", by, (int)site.n, site.s);
}

static tqk_err draw_receipt(tqk_page *pg, const receipt_fig *f, const tqk_receipt_doc *d,
                            const char **bad)
{
	tqk_style label = {f->label_pt, f->min_pt, TQK_ALIGN_CENTER, false, false};
	tqk_style value = {f->value_pt, f->min_pt, TQK_ALIGN_LEFT, false, false};
	double x = f->margin, w = tqk_page_w(pg) - 2 * f->margin, y = f->top;
	tqk_err err;
	if ((err = tqk_title(pg, (tqk_box){x, y, w, f->title_h}, "教师资格定期注册现场确认回执",
	                     f->title_pt, bad)) != TQK_OK)
		return err;
	y += f->title_h;
	double top = y;

	char masked[TQK_ID_LEN + 1], at[TQK_MINUTE_BUFLEN], printed[TQK_MINUTE_BUFLEN];
	mask_id(d->id_number, strnlen(d->id_number, sizeof d->id_number), masked);
	tqk_local_format(d->at, at);
	tqk_local_format(d->printed, printed);
	tqk_str arch = tqk_str_of(d->archive_no, sizeof d->archive_no);
	if (arch.n == 0)
		arch = tqk_str_z("无");
	const struct {
		const char *l1;
		tqk_str v1;
		const char *f1;
		const char *l2;
		tqk_str v2;
		const char *f2;
	} fixed[3] = {
		{"报名号", tqk_str_of(d->reg_no, sizeof d->reg_no), "reg_no", "姓名",
		 tqk_str_of(d->name, sizeof d->name), "name"},
		{"身份证号码", tqk_str_z(masked), "id_number", "确认结论",
		 tqk_str_z(tqk_conclusion_name(d->conclusion, TQK_LANG_ZH)), "conclusion"},
		{"档案序号", arch, "archive_no", "确认时间", tqk_str_z(at), "at"},
	};
	double vw = (w - 2 * f->label_w) / 2;
	for (int i = 0; i < 3; i++, y += f->row_h) {
		if ((err = tqk_cell(pg, (tqk_box){x, y, f->label_w, f->row_h}, f->pad,
		                    tqk_str_z(fixed[i].l1), &label, "label", bad)) != TQK_OK ||
		    (err = tqk_cell(pg, (tqk_box){x + f->label_w, y, vw, f->row_h}, f->pad, fixed[i].v1,
		                    &value, fixed[i].f1, bad)) != TQK_OK ||
		    (err = tqk_cell(pg, (tqk_box){x + f->label_w + vw, y, f->label_w, f->row_h}, f->pad,
		                    tqk_str_z(fixed[i].l2), &label, "label", bad)) != TQK_OK ||
		    (err = tqk_cell(pg, (tqk_box){x + 2 * f->label_w + vw, y, vw, f->row_h}, f->pad,
		                    fixed[i].v2, &value, fixed[i].f2, bad)) != TQK_OK)
			return err;
	}

	char list[LIST_CAP], where[TQK_TEXT_CAP + 128];
	missing_list(d, list, sizeof list);
	where_text(d, where, sizeof where);
	tqk_str remark = tqk_str_of(d->remark, sizeof d->remark);
	tqk_str site_msg = tqk_str_of(d->site_message, sizeof d->site_message);
	tqk_str inst_msg = tqk_str_of(d->inst_message, sizeof d->inst_message);
	const struct {
		const char *label;
		tqk_str v;
		const char *field;
	} flex[FLEX_ROWS] = {
		{"缺少材料", tqk_str_z(list[0] != '\0' ? list : "无"), "marks"},
		{"补交地点及时间", tqk_str_z(where), "site_name"},
		{"备注", remark.n > 0 ? remark : tqk_str_z("无"), "remark"},
		{"确认点留言", site_msg.n > 0 ? site_msg : tqk_str_z("无"), "site_message"},
		{"注册机构留言", inst_msg.n > 0 ? inst_msg : tqk_str_z("无"), "inst_message"},
	};
	double total = 0;
	for (int i = 0; i < FLEX_ROWS; i++)
		total += flex_weight[i];
	double rest = tqk_page_h(pg) - f->top - y - f->footer_h;
	tqk_style para = value;
	para.top = true;
	for (int i = 0; i < FLEX_ROWS; i++) {
		double h = rest * flex_weight[i] / total;
		if ((err = tqk_cell(pg, (tqk_box){x, y, f->label_w, h}, f->pad, tqk_str_z(flex[i].label),
		                    &label, "label", bad)) != TQK_OK ||
		    (err = tqk_cell(pg, (tqk_box){x + f->label_w, y, w - f->label_w, h}, f->pad * 1.5,
		                    flex[i].v, &para, flex[i].field, bad)) != TQK_OK)
			return err;
		y += h;
	}
	tqk_rule_box(pg, (tqk_box){x, top, w, y - top}, TQK_RULE_THICK);

	tqk_style small = {f->small_pt, f->min_pt, TQK_ALIGN_LEFT, false, false};
	char foot[64];
	snprintf(foot, sizeof foot, "打印时间：%s", printed);
	if ((err = tqk_text(pg, (tqk_box){x, y + 0.5, w / 2, f->footer_h - 0.5}, foot, strlen(foot),
	                    &small, "printed", bad)) != TQK_OK)
		return err;
	small.align = TQK_ALIGN_RIGHT;
	static const char keep[] = "请妥善保管本回执，补交材料时出示";
	return tqk_text(pg, (tqk_box){x + w / 2, y + 0.5, w / 2, f->footer_h - 0.5}, keep,
	                strlen(keep), &small, "label", bad);
}

tqk_err tqk_print_receipt(const tqk_receipt_doc *d, tqk_paper p, const char *path,
                          const char **bad)
{
	tqk_page *pg;
	tqk_err err = tqk_page_new(p, path, "现场确认回执", &pg);
	if (err != TQK_OK)
		return err;
	if ((err = draw_receipt(pg, &figs[p], d, bad)) != TQK_OK) {
		tqk_page_free(pg);
		return err;
	}
	return tqk_page_finish(pg);
}
