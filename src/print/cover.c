/*
 * cover.c - the archive-bag cover 档案袋封面 (docs.h) as a one-page PDF.
 *
 * Top to bottom as the seed's first text, 1(1)-(7), lists them: the
 * archive number large with its Code 128 under it, the title, the name,
 * the work unit, the site, the registration number, the qualification
 * type and subject; then the bag's contents (袋内材料) in bag order, each
 * with its number, its name, 缺 when it is missing and a tick box (ticked
 * when the site marked it 具备). Items that are not bagged (bag_order 0) or
 * not applicable are left out. Each paper size has its own figures; the
 * rows share what height is left.
 */
#include <stdio.h>
#include <string.h>

#include "core/stage.h"
#include "print/barcode.h"
#include "print/docs.h"
#include "print/layout.h"

#define C128_MODULE_MAX 0.45        /* mm */
#define INFO_ROWS 6                 /* 姓名 ... 资格学科 */

typedef struct cover_fig {
	double margin, top;
	double title_h, title_pt;       /* the page heading */
	double arch_h, arch_pt, bar_h;  /* 档案序号 cell, its number, its bars */
	double head_h, head_pt;         /* 标题 */
	double label_w, label_pt, value_pt, min_pt;
	double info_h;                  /* share of the rest the info rows take */
	double no_w, mark_w, tick_w;    /* columns of the contents table */
	double note_h, note_pt;
	double pad;
} cover_fig;

static const cover_fig figs[TQK_PAPER_COUNT] = {
	[TQK_PAPER_A4] = {18, 15, 16, 20, 42, 26, 13, 22, 20, 36, 14, 14, 6, 0.46, 16, 18, 20,
	                  9, 9.5, 2},
	[TQK_PAPER_B5] = {14, 12, 13, 17, 36, 22, 11, 19, 17, 30, 12, 12, 5.5, 0.46, 13, 15, 17,
	                  8, 8.5, 1.6},
	[TQK_PAPER_16K] = {15, 12, 13.5, 17.5, 37, 23, 11.5, 19.5, 17.5, 31, 12.5, 12.5, 5.5, 0.46,
	                   14, 16, 17, 8, 8.5, 1.7},
};

typedef struct cover_ctx {
	tqk_page *pg;
	const cover_fig *fig;
	tqk_style label, value;
	const char **bad;
} cover_ctx;

static tqk_err label_value(cover_ctx *c, double x, double y, double w, double h,
                           const char *label, tqk_str value, const tqk_style *vs,
                           const char *field)
{
	const cover_fig *f = c->fig;
	tqk_err err = tqk_cell(c->pg, (tqk_box){x, y, f->label_w, h}, f->pad, tqk_str_z(label),
	                       &c->label, "label", c->bad);
	if (err != TQK_OK)
		return err;
	return tqk_cell(c->pg, (tqk_box){x + f->label_w, y, w - f->label_w, h}, f->pad, value, vs,
	                field, c->bad);
}

/* The archive number large, its Code 128 under it. */
static tqk_err archive_cell(cover_ctx *c, double x, double y, double w, const tqk_cover_doc *d)
{
	const cover_fig *f = c->fig;
	tqk_str no = tqk_str_of(d->archive_no, sizeof d->archive_no);
	tqk_err err = tqk_cell(c->pg, (tqk_box){x, y, f->label_w, f->arch_h}, f->pad,
	                       tqk_str_z("档案序号"), &c->label, "label", c->bad);
	if (err != TQK_OK)
		return err;
	tqk_box v = {x + f->label_w, y, w - f->label_w, f->arch_h};
	tqk_rule_box(c->pg, v, TQK_RULE_THIN);
	tqk_style big = {f->arch_pt, f->arch_pt * 0.6, TQK_ALIGN_CENTER, true, false};
	double text_h = f->arch_h - f->bar_h - 4;
	if ((err = tqk_text_in(c->pg, (tqk_box){v.x, v.y + 1, v.w, text_h}, f->pad, no, &big,
	                       "archive_no", c->bad)) != TQK_OK)
		return err;
	tqk_box bars = {v.x + f->pad, v.y + 1 + text_h, v.w - 2 * f->pad, f->bar_h};
	err = tqk_code128_draw(tqk_page_cairo(c->pg), no.s, no.n, bars, C128_MODULE_MAX,
	                       TQK_ALIGN_CENTER, NULL);
	if (err != TQK_OK && c->bad != NULL)
		*c->bad = "archive_no";
	return err;
}

/* The bagged items in bag order, NA left out: their ids into out; how many. */
static int bag_items(const tqk_marks *m, tqk_material out[TQK_MAT_COUNT])
{
	int n = 0;
	for (int order = 1; order <= TQK_MAT_COUNT; order++)
		for (int i = 0; i < TQK_MAT_COUNT; i++)
			if (tqk_material_get((tqk_material)i)->bag_order == order &&
			    m->mark[i] != TQK_MARK_NA)
				out[n++] = (tqk_material)i;
	return n;
}

static tqk_err contents(cover_ctx *c, double x, double y, double w, double h,
                        const tqk_cover_doc *d)
{
	const cover_fig *f = c->fig;
	tqk_material items[TQK_MAT_COUNT];
	int n = bag_items(&d->marks, items);
	double rh = h / (n + 2);
	tqk_err err;
	tqk_style head = c->label;
	head.bold = true;
	if ((err = tqk_cell(c->pg, (tqk_box){x, y, w, rh}, f->pad, tqk_str_z("袋内材料（按序号顺序装袋）"),
	                    &head, "label", c->bad)) != TQK_OK)
		return err;
	y += rh;
	double name_w = w - f->no_w - f->mark_w - f->tick_w;
	const double cx[4] = {x, x + f->no_w, x + f->no_w + name_w, x + f->no_w + name_w + f->mark_w};
	const double cw[4] = {f->no_w, name_w, f->mark_w, f->tick_w};
	static const char *const heads[4] = {"序号", "材料名称", "缺项", "核对"};
	for (int k = 0; k < 4; k++)
		if ((err = tqk_cell(c->pg, (tqk_box){cx[k], y, cw[k], rh}, f->pad, tqk_str_z(heads[k]),
		                    &c->label, "label", c->bad)) != TQK_OK)
			return err;
	y += rh;
	tqk_style name = c->value;
	for (int i = 0; i < n; i++, y += rh) {
		const tqk_material_info *mi = tqk_material_get(items[i]);
		tqk_mark mk = d->marks.mark[items[i]];
		char no[8];
		snprintf(no, sizeof no, "%d", mi->bag_order);
		if ((err = tqk_cell(c->pg, (tqk_box){cx[0], y, cw[0], rh}, f->pad, tqk_str_z(no),
		                    &c->label, "marks", c->bad)) != TQK_OK ||
		    (err = tqk_cell(c->pg, (tqk_box){cx[1], y, cw[1], rh}, f->pad,
		                    tqk_str_z(mi->name[TQK_LANG_ZH]), &name, "marks", c->bad)) != TQK_OK ||
		    (err = tqk_cell(c->pg, (tqk_box){cx[2], y, cw[2], rh}, f->pad,
		                    tqk_str_z(mk == TQK_MARK_LACKS ? "缺" : ""), &c->label, "marks",
		                    c->bad)) != TQK_OK)
			return err;
		tqk_box tb = {cx[3], y, cw[3], rh};
		tqk_rule_box(c->pg, tb, TQK_RULE_THIN);
		double side = rh * 0.5 < 6 ? rh * 0.5 : 6;
		tqk_tick_box(c->pg, (tqk_box){tb.x + (tb.w - side) / 2, tb.y + (tb.h - side) / 2, side, side},
		             mk == TQK_MARK_HAS);
	}
	return TQK_OK;
}

static tqk_err draw_cover(tqk_page *pg, const cover_fig *f, const tqk_cover_doc *d,
                          const char **bad)
{
	cover_ctx c = {pg, f, {f->label_pt, f->min_pt, TQK_ALIGN_CENTER, false, false},
	               {f->value_pt, f->min_pt, TQK_ALIGN_LEFT, false, false}, bad};
	double x = f->margin, w = tqk_page_w(pg) - 2 * f->margin, y = f->top;
	tqk_err err;
	if ((err = tqk_title(pg, (tqk_box){x, y, w, f->title_h}, "教师资格定期注册档案袋", f->title_pt,
	                     bad)) != TQK_OK)
		return err;
	y += f->title_h;
	double top = y;
	if ((err = archive_cell(&c, x, y, w, d)) != TQK_OK)
		return err;
	y += f->arch_h;
	tqk_style head = {f->head_pt, f->min_pt, TQK_ALIGN_CENTER, true, false};
	if ((err = label_value(&c, x, y, w, f->head_h, "标题", tqk_str_of(d->title, sizeof d->title),
	                       &head, "title")) != TQK_OK)
		return err;
	y += f->head_h;
	double rest = tqk_page_h(pg) - f->top - y - f->note_h;
	double rh = rest * f->info_h / INFO_ROWS;
	const char *qual = d->qualification == TQK_STAGE_NONE ? ""
	                   : tqk_stage_qual_name(d->qualification, TQK_LANG_ZH);
	const struct {
		const char *label;
		tqk_str v;
		const char *field;
	} info[INFO_ROWS] = {
		{"姓名", tqk_str_of(d->name, sizeof d->name), "name"},
		{"工作单位", tqk_str_of(d->school, sizeof d->school), "school"},
		{"确认点名称", tqk_str_of(d->site_name, sizeof d->site_name), "site_name"},
		{"网上报名号", tqk_str_of(d->reg_no, sizeof d->reg_no), "reg_no"},
		{"资格种类", tqk_str_z(qual), "qualification"},
		{"资格学科", tqk_str_of(d->subject, sizeof d->subject), "subject"},
	};
	for (int i = 0; i < INFO_ROWS; i++, y += rh)
		if ((err = label_value(&c, x, y, w, rh, info[i].label, info[i].v, &c.value,
		                       info[i].field)) != TQK_OK)
			return err;
	double ch = tqk_page_h(pg) - f->top - f->note_h - y;
	if ((err = contents(&c, x, y, w, ch, d)) != TQK_OK)
		return err;
	y += ch;
	tqk_rule_box(pg, (tqk_box){x, top, w, y - top}, TQK_RULE_THICK);
	tqk_style note = {f->note_pt, f->min_pt, TQK_ALIGN_LEFT, false, false};
	static const char note_text[] = "注：档案袋内所有资料请按序号顺序整理装袋；“缺”为现场确认时不具备的材料。";
	return tqk_text(pg, (tqk_box){x, y + 0.5, w, f->note_h - 0.5}, note_text, strlen(note_text),
	                &note, "label", bad);
}

tqk_err tqk_print_cover(const tqk_cover_doc *d, tqk_paper p, const char *path, const char **bad)
{
	tqk_page *pg;
	tqk_err err = tqk_page_new(p, path, "档案袋封面", &pg);
	if (err != TQK_OK)
		return err;
	if ((err = draw_cover(pg, &figs[p], d, bad)) != TQK_OK) {
		tqk_page_free(pg);
		return err;
	}
	return tqk_page_finish(pg);
}
