/*
 * form.c - the application form 教师资格定期注册申请表 (docs.h) as a
 * one-page PDF.
 *
 * From the top: the title; a band with the registration number as Code 128
 * and in text; a ruled table in four sections (基本信息 with the signed QR
 * in the place a photo takes on paper forms, 证书信息, 注册信息, 工作信息),
 * each named in a narrow column on the left; the applicant's 承诺 with the
 * signature and date lines; the school's opinion (学校意见) with the head's
 * signature, the seal and the date; and a footer with the time it was
 * printed. Each paper size has its own figures (fonts, margins, bands);
 * the table's rows share what height is left, so the page is full.
 */
#include <stdio.h>
#include <string.h>

#include "core/idnum.h"
#include "core/stage.h"
#include "print/barcode.h"
#include "print/docs.h"
#include "print/layout.h"

#define FORM_ROWS 16                /* rows of the four table sections */
#define QR_ROWS 5                   /* rows the QR spans (基本信息) */
#define QR_MODULE_MAX 0.8           /* mm */
#define C128_MODULE_MAX 0.4         /* mm */

/* The figures of one paper size, mm and pt. */
typedef struct form_fig {
	double margin, top;             /* left/right, top/bottom margins */
	double title_h, title_pt;
	double band_h, bar_h;           /* the barcode band and its bars */
	double sect_w, label_w, qr_w;   /* section, label and QR columns */
	double promise_h, school_h, footer_h;
	double label_pt, value_pt, min_pt, small_pt;
	double pad;
} form_fig;

static const form_fig figs[TQK_PAPER_COUNT] = {
	[TQK_PAPER_A4] = {15, 12, 13, 18, 19, 11, 9, 26, 48, 42, 30, 6, 10.5, 10.5, 5.5, 8, 1.5},
	[TQK_PAPER_B5] = {12, 10, 11, 15.5, 17, 10, 7.5, 22, 44, 37, 26, 5, 9, 9, 5, 7, 1.2},
	[TQK_PAPER_16K] = {12, 10, 11.5, 16, 17.5, 10, 8, 23, 45, 38, 27, 5, 9.5, 9.5, 5, 7.5, 1.3},
};

static const char promise_text[] =
	"本人郑重承诺：本表所填各项信息及所提交的全部申请材料均真实、准确、完整，"
	"本人符合教师资格定期注册的条件，所持教师资格证书合法有效。"
	"如有虚假、隐瞒或与事实不符之处，本人自愿承担由此产生的一切后果，"
	"包括注册申请不予受理、已办理的注册被撤销，并接受有关部门依照规定作出的处理。";

/* One table row: a label and a value, and optionally a second pair; when
 * l2 is NULL the first value spans the row. share is the first value's
 * part of the two values' width (0: half). Values up to 256 bytes span a
 * row, or take most of it, so that they fit at their caps. */
typedef struct form_row {
	const char *l1;
	tqk_str v1;
	const char *f1;
	const char *l2;
	tqk_str v2;
	const char *f2;
	double share;
} form_row;

typedef struct form_ctx {
	tqk_page *pg;
	const form_fig *fig;
	tqk_style label, value, small;
	const char **bad;
} form_ctx;

static const char *code_of(tqk_field f)
{
	return tqk_field_get_info(f)->code;
}

static tqk_str lit(const char *s)
{
	return tqk_str_z(s);
}

/* Draws row r at (x, y), w x h; the row leaves qr_w free on the right when
 * beside the QR. */
static tqk_err draw_row(form_ctx *c, double x, double y, double w, double h, const form_row *r)
{
	const form_fig *f = c->fig;
	tqk_err err;
	tqk_box b = {x, y, f->label_w, h};
	if ((err = tqk_cell(c->pg, b, f->pad, lit(r->l1), &c->label, "label", c->bad)) != TQK_OK)
		return err;
	if (r->l2 == NULL) {
		b = (tqk_box){x + f->label_w, y, w - f->label_w, h};
		return tqk_cell(c->pg, b, f->pad, r->v1, &c->value, r->f1, c->bad);
	}
	double values = w - 2 * f->label_w;
	double vw = values * (r->share > 0 ? r->share : 0.5);
	b = (tqk_box){x + f->label_w, y, vw, h};
	if ((err = tqk_cell(c->pg, b, f->pad, r->v1, &c->value, r->f1, c->bad)) != TQK_OK)
		return err;
	b = (tqk_box){x + f->label_w + vw, y, f->label_w, h};
	if ((err = tqk_cell(c->pg, b, f->pad, lit(r->l2), &c->label, "label", c->bad)) != TQK_OK)
		return err;
	b = (tqk_box){x + 2 * f->label_w + vw, y, values - vw, h};
	return tqk_cell(c->pg, b, f->pad, r->v2, &c->value, r->f2, c->bad);
}

/* The section name in the narrow left column, one character a line. */
static tqk_err section(form_ctx *c, double x, double y, double h, const char *name)
{
	tqk_style st = c->label;
	st.align = TQK_ALIGN_CENTER;
	return tqk_cell(c->pg, (tqk_box){x, y, c->fig->sect_w, h}, c->fig->pad * 0.6, lit(name), &st,
	                "label", c->bad);
}

/* The QR (or, without a payload, what to do instead) in b. */
static tqk_err qr_box(form_ctx *c, tqk_box b, const tqk_form_doc *d)
{
	tqk_rule_box(c->pg, b, TQK_RULE_THIN);
	size_t n = strnlen(d->payload, sizeof d->payload);
	if (n == 0) {
		tqk_style st = c->value;
		st.align = TQK_ALIGN_CENTER;
		return tqk_text_in(c->pg, tqk_box_inset(b, c->fig->pad * 2, c->fig->pad * 2), 0,
		                   lit("二维码待联网后生成，请同步后补打本表"), &st, "payload", c->bad);
	}
	tqk_err err = tqk_qr_draw(tqk_page_cairo(c->pg), d->payload, n,
	                          tqk_box_inset(b, 0.5, 0.5), QR_MODULE_MAX);
	if (err != TQK_OK && c->bad != NULL)
		*c->bad = "payload";
	return err;
}

/* The band under the title: the registration number as Code 128 on the
 * right (as wide as it needs, up to three quarters of the width) with the
 * number in text under it, and "报名号：number" on the left. */
static tqk_err band(form_ctx *c, double x, double y, double w, const tqk_form_doc *d,
                    const char *reg_label)
{
	const form_fig *f = c->fig;
	tqk_str reg = tqk_str_of(d->app.reg_no, sizeof d->app.reg_no);
	double bw = w * 0.75, used = 0;
	tqk_box bars = {x + w - bw, y + 1, bw, f->bar_h};
	tqk_err err = tqk_code128_draw(tqk_page_cairo(c->pg), reg.s, reg.n, bars, C128_MODULE_MAX,
	                               TQK_ALIGN_RIGHT, &used);
	if (err != TQK_OK) {
		if (c->bad != NULL)
			*c->bad = "reg_no";
		return err;
	}
	tqk_style st = c->small;
	st.align = TQK_ALIGN_CENTER;
	tqk_box under = {x + w - used, bars.y + bars.h + 0.3, used, f->band_h - f->bar_h - 1.6};
	if ((err = tqk_text(c->pg, under, reg.s, reg.n, &st, "reg_no", c->bad)) != TQK_OK)
		return err;
	char line[TQK_CODE_CAP + 64];
	snprintf(line, sizeof line, "%s：%.*s", reg_label, (int)reg.n, reg.s);
	st = c->value;
	st.pt = c->label.pt * 1.15;
	return tqk_text(c->pg, (tqk_box){x, y, w - used - 2, f->band_h - 1}, line, strlen(line), &st,
	                "reg_no", c->bad);
}

/* A signature line: "label" then a rule, then the date to fill in. */
static tqk_err sign_line(form_ctx *c, tqk_box b, const char *label)
{
	tqk_err err;
	double lw = b.w * 0.55;
	if ((err = tqk_text(c->pg, (tqk_box){b.x, b.y, lw * 0.45, b.h}, label, strlen(label),
	                    &c->value, "label", c->bad)) != TQK_OK)
		return err;
	tqk_rule_line(c->pg, b.x + lw * 0.45, b.y + b.h * 0.8, b.x + lw - 3, b.y + b.h * 0.8,
	              TQK_RULE_THIN);
	static const char date[] = "日期：　　　　年　　月　　日";
	tqk_style st = c->value;
	st.align = TQK_ALIGN_RIGHT;
	return tqk_text(c->pg, (tqk_box){b.x + lw, b.y, b.w - lw, b.h}, date, strlen(date), &st,
	                "label", c->bad);
}

/* The values the rows show that are not members as they stand. */
typedef struct form_vals {
	char gender[16], birth[TQK_DATE_BUFLEN];
	char printed[TQK_MINUTE_BUFLEN];
} form_vals;

static void derive(const tqk_form_doc *d, form_vals *v)
{
	v->gender[0] = v->birth[0] = '\0';
	tqk_idnum id;
	tqk_str s = tqk_str_of(d->app.id_number, sizeof d->app.id_number);
	if (tqk_id_parse(s.s, s.n, (tqk_date){TQK_YEAR_MAX, 12, 31}, &id) == TQK_OK) {
		snprintf(v->gender, sizeof v->gender, "%s", tqk_gender_name(id.gender, TQK_LANG_ZH));
		tqk_date_format(id.birth, v->birth);
	}
	tqk_local_format(d->printed, v->printed);
}

static tqk_err draw_form(tqk_page *pg, const form_fig *f, const tqk_form_doc *d, const char **bad)
{
	form_ctx c = {pg, f, {f->label_pt, f->min_pt, TQK_ALIGN_CENTER, false, false},
	              {f->value_pt, f->min_pt, TQK_ALIGN_LEFT, false, false},
	              {f->small_pt, f->min_pt, TQK_ALIGN_LEFT, false, false}, bad};
	const tqk_application *a = &d->app;
	form_vals v;
	derive(d, &v);
	double x = f->margin, w = tqk_page_w(pg) - 2 * f->margin, y = f->top;
	tqk_err err;

	if ((err = tqk_title(pg, (tqk_box){x, y, w, f->title_h}, "教师资格定期注册申请表", f->title_pt,
	                     bad)) != TQK_OK)
		return err;
	y += f->title_h;
	const char *reg_label = d->provisional ? "临时报名号" : "报名号";
	if ((err = band(&c, x, y, w, d, reg_label)) != TQK_OK)
		return err;
	y += f->band_h;

	double rows_h = tqk_page_h(pg) - 2 * f->top - f->title_h - f->band_h - f->promise_h -
	                f->school_h - f->footer_h;
	double rh = rows_h / FORM_ROWS;
	double tx = x + f->sect_w, tw = w - f->sect_w;
	tqk_str site = tqk_str_of(d->site_name, sizeof d->site_name);
	if (site.n == 0)
		site = tqk_str_of(a->site, sizeof a->site);
	const char *area = a->school_area == TQK_AREA_URBAN ? "城镇"
	                   : a->school_area == TQK_AREA_RURAL ? "农村" : "";
	const char *reg_kind = a->registration == TQK_REG_FIRST ? "首次注册"
	                       : a->registration == TQK_REG_SECOND ? "再次注册" : "";
	const char *qual = a->qualification == TQK_STAGE_NONE ? ""
	                   : tqk_stage_qual_name(a->qualification, TQK_LANG_ZH);
	const char *post = a->post == TQK_STAGE_NONE ? "" : tqk_stage_name(a->post, TQK_LANG_ZH);
#define M(m) tqk_str_of(a->m, sizeof a->m)
	const form_row rows[FORM_ROWS] = {
		{"姓名", M(name), code_of(TQK_F_NAME), "性别", lit(v.gender), "gender", 0.6},
		{"身份证号码", M(id_number), code_of(TQK_F_ID_NUMBER), "出生日期", lit(v.birth), "birth",
		 0.6},
		{"民族", M(nation), code_of(TQK_F_NATION), NULL, {0}, NULL, 0},
		{reg_label, M(reg_no), "reg_no", NULL, {0}, NULL, 0},
		{"注册类型", lit(reg_kind), "registration", NULL, {0}, NULL, 0},
		{"证书号码", M(cert_no), code_of(TQK_F_CERT_NO), "资格种类", lit(qual),
		 code_of(TQK_F_QUALIFICATION), 0},
		{"证书上的姓名", M(cert_name), code_of(TQK_F_CERT_NAME), "证书上的身份证号码",
		 M(cert_id), code_of(TQK_F_CERT_ID), 0},
		{"任教学科", M(cert_subject), code_of(TQK_F_CERT_SUBJECT), NULL, {0}, NULL, 0},
		{"认定机构", M(cert_authority), code_of(TQK_F_CERT_AUTHORITY), "签发日期", M(cert_issued),
		 code_of(TQK_F_CERT_ISSUED), 0.72},
		{"注册机构", M(institution), code_of(TQK_F_INSTITUTION), NULL, {0}, NULL, 0},
		{"现场确认点", site, code_of(TQK_F_SITE), NULL, {0}, NULL, 0},
		{"现任教学段", lit(post), code_of(TQK_F_POST), "参加工作时间", M(work_start),
		 code_of(TQK_F_WORK_START), 0},
		{"现任教学科", M(post_subject), code_of(TQK_F_POST_SUBJECT), NULL, {0}, NULL, 0},
		{"现任职学校", M(school), code_of(TQK_F_SCHOOL), NULL, {0}, NULL, 0},
		{"职称", M(title), code_of(TQK_F_TITLE), "学校所在地", lit(area),
		 code_of(TQK_F_SCHOOL_AREA), 0.72},
		{"电子邮箱", M(email), code_of(TQK_F_EMAIL), NULL, {0}, NULL, 0},
	};
#undef M
	static const struct {
		const char *name;
		int rows;
	} sections[] = {{"基本信息", 5}, {"证书信息", 4}, {"注册信息", 2}, {"工作信息", 5}};
	double top = y;
	int r = 0;
	for (size_t s = 0; s < sizeof sections / sizeof sections[0]; s++) {
		if ((err = section(&c, x, y, rh * sections[s].rows, sections[s].name)) != TQK_OK)
			return err;
		for (int i = 0; i < sections[s].rows; i++, r++, y += rh) {
			double rw = r < QR_ROWS ? tw - f->qr_w : tw;
			if ((err = draw_row(&c, tx, y, rw, rh, &rows[r])) != TQK_OK)
				return err;
		}
	}
	if ((err = qr_box(&c, (tqk_box){x + w - f->qr_w, top, f->qr_w, rh * QR_ROWS}, d)) != TQK_OK)
		return err;

	/* 承诺 */
	if ((err = section(&c, x, y, f->promise_h, "本人承诺")) != TQK_OK)
		return err;
	tqk_box pb = {tx, y, tw, f->promise_h};
	tqk_rule_box(pg, pb, TQK_RULE_THIN);
	double sign_h = f->promise_h * 0.26;
	tqk_style para = c.value;
	para.min_pt = f->min_pt;
	if ((err = tqk_text_in(pg, (tqk_box){tx, y + 1, tw, f->promise_h - sign_h - 1}, f->pad * 2,
	                       lit(promise_text), &para, "promise", bad)) != TQK_OK)
		return err;
	if ((err = sign_line(&c, (tqk_box){tx + f->pad * 2, y + f->promise_h - sign_h - 1,
	                                   tw - f->pad * 4, sign_h}, "本人签字：")) != TQK_OK)
		return err;
	y += f->promise_h;

	/* 学校意见 */
	if ((err = section(&c, x, y, f->school_h, "学校意见")) != TQK_OK)
		return err;
	tqk_box sb = {tx, y, tw, f->school_h};
	tqk_rule_box(pg, sb, TQK_RULE_THIN);
	if ((err = tqk_text_in(pg, (tqk_box){tx, y + 1, tw, sign_h}, f->pad * 2,
	                       lit("学校意见："), &c.value, "label", bad)) != TQK_OK)
		return err;
	double seal_y = y + f->school_h - 2 * sign_h - 1;
	tqk_style right = c.value;
	right.align = TQK_ALIGN_RIGHT;
	if ((err = tqk_text_in(pg, (tqk_box){tx, seal_y, tw, sign_h}, f->pad * 2,
	                       lit("（学校盖章）"), &right, "label", bad)) != TQK_OK)
		return err;
	if ((err = sign_line(&c, (tqk_box){tx + f->pad * 2, seal_y + sign_h, tw - f->pad * 4, sign_h},
	                     "负责人签字：")) != TQK_OK)
		return err;
	y += f->school_h;
	tqk_rule_box(pg, (tqk_box){x, top, w, y - top}, TQK_RULE_THICK);

	/* Footer */
	char foot[64];
	snprintf(foot, sizeof foot, "打印时间：%s", v.printed);
	if ((err = tqk_text(pg, (tqk_box){x, y + 0.5, w / 2, f->footer_h - 0.5}, foot, strlen(foot),
	                    &c.small, "printed", bad)) != TQK_OK)
		return err;
	tqk_style fr = c.small;
	fr.align = TQK_ALIGN_RIGHT;
	static const char copies[] = "本表一式两份";
	return tqk_text(pg, (tqk_box){x + w / 2, y + 0.5, w / 2, f->footer_h - 0.5}, copies,
	                strlen(copies), &fr, "label", bad);
}

tqk_err tqk_print_form(const tqk_form_doc *d, tqk_paper p, const char *path, const char **bad)
{
	tqk_page *pg;
	tqk_err err = tqk_page_new(p, path, "教师资格定期注册申请表", &pg);
	if (err != TQK_OK)
		return err;
	if ((err = draw_form(pg, &figs[p], d, bad)) != TQK_OK) {
		tqk_page_free(pg);
		return err;
	}
	return tqk_page_finish(pg);
}
