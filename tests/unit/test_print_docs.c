/*
 * test_print_docs.c - the three printed documents (print/docs.h) as PDFs,
 * read back the way a person and a scanner read them: pdfinfo says one page
 * of the paper's size, pdftotext finds every label and every value
 * (whitespace removed, since long values wrap), also values at their caps;
 * the page rendered by pdftoppm and scanned by zbar gives back the
 * registration number (the form's Code 128), the archive number (the
 * cover's Code 128) and the exact signed payload (the form's QR), which
 * verifies. Names of 2, 3 and 4 characters, a 60-character school, each
 * paper; the form without a payload; the receipt for each conclusion; an
 * unknown paper, an unwritable path and numbers Code 128 is not used for.
 */
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/payload.h"
#include "core/stage.h"
#include "print/docs.h"
#include "support/fixture.h"
#include "support/pdfcheck.h"
#include "support/signedqr.h"

#define REG "20264301000123"
#define ID "360426199101010071"
#define SCHOOL60 "长沙县泉塘镇人民政府教育办公室下属泉塘中学暨星沙街道第一完全小学及附属幼儿园联合办学教学点第二校区"
#define DECODE_DPI 200

static const char *const names[] = {"王芳", "张三丰", "欧阳明华"};
static const tqk_paper papers[] = {TQK_PAPER_A4, TQK_PAPER_B5, TQK_PAPER_16K};

struct env {
	char dir[512];
	char path[600];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	if (e == NULL)
		return -1;
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/doc.pdf", e->dir);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

/* Copies s into a member of cap bytes (asserting it fits). */
static void put(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	assert_true(n < cap);
	memcpy(dst, s, n + 1);
}
#define PUT(m, s) put((m), sizeof(m), (s))

/* Fills a member with exactly `bytes` bytes cut from the repeated text
 * src (whole UTF-8 characters; pads with ASCII digits to the exact size). */
static void fill(char *dst, size_t cap, const char *src, size_t bytes)
{
	assert_true(bytes < cap);
	size_t n = strlen(src), k = 0, i = 0;
	while (k < bytes) {
		size_t cl = 1;
		unsigned char c = (unsigned char)src[i % n];
		if (c >= 0xf0)
			cl = 4;
		else if (c >= 0xe0)
			cl = 3;
		else if (c >= 0xc0)
			cl = 2;
		if (k + cl > bytes) {
			dst[k] = (char)('0' + k % 10);
			k++;
			continue;
		}
		memcpy(dst + k, src + i % n, cl);
		k += cl;
		i += cl;
	}
	dst[k] = '\0';
}
#define FILL(m, src, bytes) fill((m), sizeof(m), (src), (bytes))

static void form_doc(tqk_form_doc *d, const char *name, const char *school)
{
	memset(d, 0, sizeof *d);
	tqk_application *a = &d->app;
	PUT(a->reg_no, REG);
	PUT(a->site, "S01");
	PUT(a->id_number, ID);
	PUT(a->name, name);
	PUT(a->nation, "汉族");
	PUT(a->cert_no, "20234400121000123");
	PUT(a->cert_name, name);
	PUT(a->cert_id, ID);
	a->qualification = TQK_STAGE_JUNIOR;
	PUT(a->cert_subject, "数学");
	PUT(a->cert_authority, "长沙县教育局");
	PUT(a->cert_issued, "2013-07-01");
	PUT(a->institution, "长沙县教育局");
	a->post = TQK_STAGE_PRIMARY;
	PUT(a->post_subject, "语文");
	PUT(a->school, school);
	a->school_area = TQK_AREA_RURAL;
	PUT(a->title, "中小学一级教师");
	PUT(a->work_start, "2013-09-01");
	PUT(a->email, "wangfang2013@example.com");
	a->registration = TQK_REG_FIRST;
	PUT(d->site_name, "长沙县泉塘中学");
	d->printed = test_at("2026-05-20 09:41");
}

static void cover_doc(tqk_cover_doc *d, const char *name, const char *school)
{
	memset(d, 0, sizeof *d);
	PUT(d->archive_no, "CSX202401007");
	PUT(d->title, "2024、长沙");
	PUT(d->name, name);
	PUT(d->school, school);
	PUT(d->site_name, "长沙县泉塘中学");
	PUT(d->reg_no, REG);
	d->qualification = TQK_STAGE_SENIOR;
	PUT(d->subject, "物理");
	for (int i = 0; i < TQK_MAT_COUNT; i++)
		d->marks.mark[i] = TQK_MARK_HAS;
	d->marks.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	d->marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
}

static void receipt_doc(tqk_receipt_doc *d, const char *name, tqk_conclusion c)
{
	memset(d, 0, sizeof *d);
	PUT(d->reg_no, REG);
	PUT(d->name, name);
	PUT(d->id_number, ID);
	d->conclusion = c;
	for (int i = 0; i < TQK_MAT_COUNT; i++)
		d->marks.mark[i] = TQK_MARK_HAS;
	d->marks.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	if (c != TQK_CONC_NOT_ACCEPTED)
		PUT(d->archive_no, "CSX202401007");
	PUT(d->site_name, "长沙县泉塘中学");
	PUT(d->hours, "08:30–17:30");
	d->at = test_at("2026-05-20 10:15");
	d->printed = test_at("2026-05-20 10:16");
}

/* One page of paper p's size. */
static void check_page(const char *pdf, tqk_paper p)
{
	int pages = 0;
	double w = 0, h = 0, wmm, hmm;
	assert_int_equal(pdf_info(pdf, &pages, &w, &h), 0);
	assert_int_equal(pages, 1);
	assert_true(tqk_paper_mm(p, &wmm, &hmm));
	if (w < wmm * 72 / 25.4 - 0.5 || w > wmm * 72 / 25.4 + 0.5 ||
	    h < hmm * 72 / 25.4 - 0.5 || h > hmm * 72 / 25.4 + 0.5)
		fail_msg("%s: page %.2f x %.2f pt, want %.2f x %.2f", tqk_paper_code(p), w, h,
		         wmm * 72 / 25.4, hmm * 72 / 25.4);
}

/* The PDF's text, squashed, in the layout or the raw order. */
static char *text_of(const char *pdf, bool raw)
{
	char *t = NULL;
	assert_int_equal(pdf_text(pdf, raw, &t), 0);
	char *s = pdf_squash(t);
	free(t);
	assert_non_null(s);
	return s;
}

static void has(const char *text, const char *want, const char *what)
{
	char *w = pdf_squash(want);
	assert_non_null(w);
	if (strstr(text, w) == NULL)
		fail_msg("%s: \"%s\" not in the PDF's text", what, want);
	free(w);
}

static void lacks(const char *text, const char *not, const char *what)
{
	if (strstr(text, not) != NULL)
		fail_msg("%s: \"%s\" should not be in the PDF's text", what, not);
}

static void decode(const char *pdf, const char *dir, bool qr, char *out, size_t cap, size_t *len)
{
	tqk_image img = {0, 0, NULL};
	assert_int_equal(pdf_raster(pdf, dir, DECODE_DPI, &img), 0);
	int rc = pdf_decode(&img, qr, out, cap, len);
	tqk_image_close(&img);
	if (rc != 0)
		fail_msg("%s: no %s found in the rendered page", pdf, qr ? "QR" : "Code 128");
}

static const char *const form_labels[] = {
	"教师资格定期注册申请表", "姓名", "性别", "出生日期", "民族", "身份证号码", "报名号",
	"注册类型", "证书号码", "资格种类", "证书上的姓名", "证书上的身份证号码", "任教学科",
	"签发日期", "认定机构", "注册机构", "现场确认点", "现任教学段", "现任教学科", "现任职学校",
	"学校所在地", "职称", "参加工作时间", "电子邮箱", "本人承诺", "本人签字", "日期", "学校意见",
	"负责人签字", "盖章", "打印时间", "基本信息", "证书信息", "注册信息", "工作信息",
};

/* Every value of d's application and every label in text. */
static void form_has_all(const char *text, const tqk_form_doc *d)
{
	const tqk_application *a = &d->app;
	for (size_t i = 0; i < sizeof form_labels / sizeof form_labels[0]; i++)
		has(text, form_labels[i], "form label");
	const char *vals[] = {a->reg_no, a->id_number, a->name, a->nation, a->cert_no,
	                      a->cert_name, a->cert_id, a->cert_subject, a->cert_authority,
	                      a->cert_issued, a->institution, a->post_subject, a->school,
	                      a->title, a->work_start, a->email, d->site_name[0] ? d->site_name : a->site,
	                      tqk_stage_qual_name(a->qualification, TQK_LANG_ZH),
	                      tqk_stage_name(a->post, TQK_LANG_ZH), "男", "1991-01-01",
	                      a->school_area == TQK_AREA_RURAL ? "农村" : "城镇",
	                      a->registration == TQK_REG_FIRST ? "首次注册" : "再次注册",
	                      "本人郑重承诺", "真实", "后果"};
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
		has(text, vals[i], "form value");
	char printed[TQK_MINUTE_BUFLEN];
	tqk_local_format(d->printed, printed);
	has(text, printed, "printed at");
}

/* Names of 2, 3 and 4 characters and a 60-character school on every paper;
 * the QR decodes to the signed payload and verifies, the Code 128 to the
 * registration number (decoded for one name a paper). */
static void form_every_paper_and_name(void **state)
{
	struct env *e = *state;
	static tqk_form_doc d;
	for (size_t p = 0; p < 3; p++) {
		for (size_t n = 0; n < 3; n++) {
			form_doc(&d, names[n], n == 2 ? SCHOOL60 : "长沙县泉塘中学");
			sq_form sq;
			assert_int_equal(sq_make(&sq, names[n], REG), 0);
			memcpy(d.payload, sq.text, sq.len + 1);
			const char *bad = NULL;
			tqk_err err = tqk_print_form(&d, papers[p], e->path, &bad);
			if (err != TQK_OK)
				fail_msg("form %s %s: %s (%s)", tqk_paper_code(papers[p]), names[n],
				         tqk_err_code(err), bad ? bad : "-");
			check_page(e->path, papers[p]);
			char *t = text_of(e->path, true);
			form_has_all(t, &d);
			lacks(t, "二维码待联网后生成", "form with a payload");
			lacks(t, "临时报名号", "form with an official number");
			free(t);
			if (n != p)
				continue;
			char got[TQK_PAYLOAD_CAP + 8];
			size_t len = 0;
			decode(e->path, e->dir, true, got, sizeof got, &len);
			assert_int_equal(len, sq.len);
			assert_memory_equal(got, sq.text, len);
			tqk_payload pl;
			assert_int_equal(tqk_payload_verify(got, len, &sq.keys, &pl), TQK_OK);
			assert_string_equal(pl.name, names[n]);
			assert_string_equal(pl.reg_no, REG);
			decode(e->path, e->dir, false, got, sizeof got, &len);
			assert_string_equal(got, REG);
		}
	}
}

/* Without a payload (a provisional walk-in number): the QR's box says what
 * to do, the number is called 临时报名号, and its Code 128 still scans. */
static void form_without_payload(void **state)
{
	struct env *e = *state;
	static tqk_form_doc d;
	form_doc(&d, "王芳", "长沙县泉塘中学");
	PUT(d.app.reg_no, "W-K01-000042");
	d.provisional = true;
	for (size_t p = 0; p < 3; p++) {
		assert_int_equal(tqk_print_form(&d, papers[p], e->path, NULL), TQK_OK);
		check_page(e->path, papers[p]);
		char *t = text_of(e->path, true);
		has(t, "二维码待联网后生成，请同步后补打本表", "form without payload");
		has(t, "临时报名号", "provisional number");
		has(t, "W-K01-000042", "provisional number");
		free(t);
	}
	char got[64];
	size_t len = 0;
	decode(e->path, e->dir, false, got, sizeof got, &len);
	assert_string_equal(got, "W-K01-000042");
}

/* Every value at its cap (names of 96 bytes, 256-byte texts, a 32-character
 * registration number, a 300-byte payload) fits on every paper, and reads
 * back whole in content order; the longest payload's QR still scans. */
static void form_maximal_values(void **state)
{
	struct env *e = *state;
	static tqk_form_doc d;
	static const char cjk[] = "欧阳司马诸葛上官东方皇甫尉迟公孙慕容长孙宇文";
	static const char place[] = "湖南省长沙市长沙县星沙街道泉塘社区第一完全小学教学楼";
	form_doc(&d, "王芳", "长沙县泉塘中学");
	tqk_application *a = &d.app;
	FILL(a->name, cjk, 96);
	FILL(a->cert_name, cjk, 96);
	FILL(a->nation, "蒙古族", 255);
	FILL(a->cert_subject, "思想政治与道德法治", 256);
	FILL(a->cert_authority, place, 256);
	FILL(a->institution, place, 256);
	FILL(a->post_subject, "信息技术与通用技术", 256);
	FILL(a->school, place, 256);
	FILL(a->title, "中小学高级教师", 256);
	FILL(a->email, "abcdefghij.klmnopqrst", 244);
	memcpy(a->email + 244, "@example.com", 13);
	FILL(d.site_name, place, 256);
	FILL(a->reg_no, "A1b2C3d4E5f6G7h8", 32);
	/* The longest payload a form carries: 300 bytes of a form's characters. */
	FILL(d.payload, "TQ1|0123456789abcdefghijklmnopqrstuvwxyz", 300);
	for (size_t p = 0; p < 3; p++) {
		const char *bad = NULL;
		tqk_err err = tqk_print_form(&d, papers[p], e->path, &bad);
		if (err != TQK_OK)
			fail_msg("maximal form %s: %s (%s)", tqk_paper_code(papers[p]), tqk_err_code(err),
			         bad ? bad : "-");
		check_page(e->path, papers[p]);
		char *t = text_of(e->path, true);
		const char *vals[] = {a->name, a->cert_name, a->nation, a->cert_subject,
		                      a->cert_authority, a->institution, a->post_subject, a->school,
		                      a->title, a->email, d.site_name, a->reg_no};
		for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
			has(t, vals[i], "maximal value");
		free(t);
		if (papers[p] != TQK_PAPER_B5)
			continue;
		char got[TQK_PAYLOAD_CAP + 8];
		size_t len = 0;
		decode(e->path, e->dir, true, got, sizeof got, &len);
		assert_int_equal(len, 300);
		assert_memory_equal(got, d.payload, 300);
		decode(e->path, e->dir, false, got, sizeof got, &len);
		assert_string_equal(got, a->reg_no);
	}
}

/* The cover: every field top to bottom, the bag's contents in bag order
 * without the NA item, 缺 for the missing one, the archive number's barcode. */
static void cover_every_paper_and_name(void **state)
{
	struct env *e = *state;
	static tqk_cover_doc d;
	static const char *const labels[] = {"档案序号", "标题", "姓名", "工作单位", "确认点名称",
	                                     "网上报名号", "资格种类", "资格学科", "袋内材料"};
	for (size_t p = 0; p < 3; p++) {
		for (size_t n = 0; n < 3; n++) {
			cover_doc(&d, names[n], n == 1 ? SCHOOL60 : "长沙县泉塘中学");
			const char *bad = NULL;
			tqk_err err = tqk_print_cover(&d, papers[p], e->path, &bad);
			if (err != TQK_OK)
				fail_msg("cover %s: %s (%s)", tqk_paper_code(papers[p]), tqk_err_code(err),
				         bad ? bad : "-");
			check_page(e->path, papers[p]);
			char *t = text_of(e->path, true);
			for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
				has(t, labels[i], "cover label");
			const char *vals[] = {d.archive_no, d.title, d.name, d.school, d.site_name,
			                      d.reg_no, "高级中学教师资格", d.subject, "缺"};
			for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
				has(t, vals[i], "cover value");
			lacks(t, "公安机关证明", "cover: the NA item");
			lacks(t, "其他条件", "cover: an item not bagged");
			/* Bag order: the form (1) before the certificate (2) ... the credits (9). */
			static const tqk_material order[] = {TQK_MAT_FORM, TQK_MAT_CERT, TQK_MAT_EMPLOYMENT,
			                                     TQK_MAT_ANNUAL, TQK_MAT_ETHICS, TQK_MAT_HEALTH,
			                                     TQK_MAT_ID_COPY, TQK_MAT_CREDIT};
			const char *prev = t;
			for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
				char *want = pdf_squash(tqk_material_get(order[i])->name[TQK_LANG_ZH]);
				const char *at = strstr(prev, want);
				if (at == NULL)
					fail_msg("cover %s: item %zu (%s) missing or out of bag order",
					         tqk_paper_code(papers[p]), i, want);
				prev = at;
				free(want);
			}
			free(t);
			if (n != p)
				continue;
			char got[64];
			size_t len = 0;
			decode(e->path, e->dir, false, got, sizeof got, &len);
			assert_string_equal(got, "CSX202401007");
		}
	}
}

/* The cover at its caps (an 18-character archive number included). */
static void cover_maximal_values(void **state)
{
	struct env *e = *state;
	static tqk_cover_doc d;
	static const char place[] = "湖南省长沙市长沙县星沙街道泉塘社区第一完全小学教学楼";
	cover_doc(&d, "王芳", "长沙县泉塘中学");
	PUT(d.archive_no, "ABCDEF202499123456");
	FILL(d.title, "2024、长沙县教师资格定期注册", 256);
	FILL(d.name, "欧阳司马诸葛上官东方皇甫", 96);
	FILL(d.school, place, 256);
	FILL(d.site_name, place, 256);
	FILL(d.subject, "思想政治与道德法治", 256);
	FILL(d.reg_no, "A1b2C3d4E5f6G7h8", 32);
	for (size_t p = 0; p < 3; p++) {
		const char *bad = NULL;
		tqk_err err = tqk_print_cover(&d, papers[p], e->path, &bad);
		if (err != TQK_OK)
			fail_msg("maximal cover %s: %s (%s)", tqk_paper_code(papers[p]), tqk_err_code(err),
			         bad ? bad : "-");
		char *t = text_of(e->path, true);
		const char *vals[] = {d.archive_no, d.title, d.name, d.school, d.site_name, d.subject,
		                      d.reg_no};
		for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
			has(t, vals[i], "maximal cover value");
		free(t);
		if (papers[p] != TQK_PAPER_B5)
			continue;
		char got[64];
		size_t len = 0;
		decode(e->path, e->dir, false, got, sizeof got, &len);
		assert_string_equal(got, d.archive_no);
	}
}

static const char *const receipt_labels[] = {
	"现场确认回执", "报名号", "姓名", "身份证号码", "确认结论", "档案序号", "确认时间",
	"缺少材料", "补交地点及时间", "备注", "确认点留言", "注册机构留言", "打印时间"};

static char *receipt_text(struct env *e, const tqk_receipt_doc *d, tqk_paper p, bool raw)
{
	const char *bad = NULL;
	tqk_err err = tqk_print_receipt(d, p, e->path, &bad);
	if (err != TQK_OK)
		fail_msg("receipt %s: %s (%s)", tqk_paper_code(p), tqk_err_code(err), bad ? bad : "-");
	check_page(e->path, p);
	char *t = text_of(e->path, raw);
	for (size_t i = 0; i < sizeof receipt_labels / sizeof receipt_labels[0]; i++)
		has(t, receipt_labels[i], "receipt label");
	has(t, "360426********0071", "masked ID");
	lacks(t, ID, "receipt: the whole ID number");
	has(t, REG, "receipt");
	has(t, d->name, "receipt");
	has(t, tqk_conclusion_name(d->conclusion, TQK_LANG_ZH), "conclusion");
	has(t, "2026-05-20 10:15", "concluded at");
	has(t, "2026-05-20 10:16", "printed at");
	return t;
}

/* 材料齐全: the archive number, nothing missing, nothing to bring. */
static void receipt_complete(void **state)
{
	struct env *e = *state;
	static tqk_receipt_doc d;
	for (size_t p = 0; p < 3; p++) {
		receipt_doc(&d, names[p], TQK_CONC_COMPLETE);
		char *t = receipt_text(e, &d, papers[p], false);
		has(t, "CSX202401007", "archive number");
		has(t, "无需补交", "nothing to bring");
		free(t);
	}
}

/* 材料不齐全: each missing item with what it requires, where, when and the
 * hours to bring them, and the messages. */
static void receipt_incomplete(void **state)
{
	struct env *e = *state;
	static tqk_receipt_doc d;
	for (size_t p = 0; p < 3; p++) {
		receipt_doc(&d, names[p], TQK_CONC_INCOMPLETE);
		d.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
		d.marks.mark[TQK_MAT_OTHER] = TQK_MARK_LACKS;
		d.bring_by = DATE(2026, 5, 29);
		PUT(d.site_message, "请补交身心健康证明。\n另需补交普通话等级证书复印件一份。");
		PUT(d.inst_message, "请于截止日前完成补交，逾期不予注册。");
		char *t = receipt_text(e, &d, papers[p], true);
		static const tqk_material missing[] = {TQK_MAT_HEALTH, TQK_MAT_OTHER};
		for (size_t i = 0; i < 2; i++) {
			has(t, tqk_material_get(missing[i])->name[TQK_LANG_ZH], "missing item");
			has(t, tqk_material_get(missing[i])->requires[TQK_LANG_ZH], "what it requires");
		}
		lacks(t, "年度考核表", "an item that is present");
		has(t, "2026-05-29", "bring by");
		has(t, "08:30–17:30", "hours");
		has(t, "长沙县泉塘中学", "where");
		has(t, "请补交身心健康证明。另需补交普通话等级证书复印件一份。", "site message");
		has(t, d.inst_message, "institution message");
		has(t, "CSX202401007", "archive number");
		free(t);
	}
}

/* 网报未受理: no archive number (无), the remark. */
static void receipt_not_accepted(void **state)
{
	struct env *e = *state;
	static tqk_receipt_doc d;
	for (size_t p = 0; p < 3; p++) {
		receipt_doc(&d, names[p], TQK_CONC_NOT_ACCEPTED);
		PUT(d.remark, "同一证书存在两个报名号，本报名号为重复报名，请使用另一报名号确认。");
		char *t = receipt_text(e, &d, papers[p], false);
		has(t, d.remark, "remark");
		has(t, "档案序号无", "no archive number");
		lacks(t, "CSX", "no archive number");
		free(t);
	}
}

/* Every missing item and 1024-byte remark and messages fit on every paper. */
static void receipt_maximal_values(void **state)
{
	struct env *e = *state;
	static tqk_receipt_doc d;
	static const char msg[] = "请携带师德表现考核表原件及学分登记表原件到确认点补交，"
	                          "并由学校负责人签字加盖公章后方可受理。";
	for (size_t p = 0; p < 3; p++) {
		receipt_doc(&d, "王芳", TQK_CONC_INCOMPLETE);
		FILL(d.name, "欧阳司马诸葛上官东方皇甫", 96);
		for (int i = 0; i < TQK_MAT_COUNT; i++)
			d.marks.mark[i] = TQK_MARK_LACKS;
		FILL(d.site_name, "湖南省长沙市长沙县星沙街道泉塘社区第一完全小学", 256);
		FILL(d.remark, msg, 1024);
		FILL(d.site_message, msg, 1024);
		FILL(d.inst_message, msg, 1024);
		PUT(d.archive_no, "ABCDEF202499123456");
		d.bring_by = DATE(2026, 5, 29);
		char *t = receipt_text(e, &d, papers[p], true);
		for (int i = 0; i < TQK_MAT_COUNT; i++)
			has(t, tqk_material_get((tqk_material)i)->requires[TQK_LANG_ZH], "every missing item");
		has(t, d.site_name, "maximal site");
		has(t, d.remark, "maximal remark");
		has(t, d.site_message, "maximal site message");
		has(t, d.inst_message, "maximal institution message");
		free(t);
	}
}

/* Nothing but the document (or nothing at all) in the directory. */
static int entries(const char *dir)
{
	DIR *dp = opendir(dir);
	assert_non_null(dp);
	int n = 0;
	for (struct dirent *de; (de = readdir(dp)) != NULL;)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

/* An unknown paper, a path that cannot be written, numbers Code 128 is not
 * used for: refused with their codes, nothing left behind, an old document
 * at the path left as it was. */
static void bad_input(void **state)
{
	struct env *e = *state;
	static tqk_form_doc f;
	static tqk_cover_doc c;
	static tqk_receipt_doc r;
	form_doc(&f, "王芳", "长沙县泉塘中学");
	cover_doc(&c, "王芳", "长沙县泉塘中学");
	receipt_doc(&r, "王芳", TQK_CONC_COMPLETE);
	assert_int_equal(tqk_print_form(&f, TQK_PAPER_COUNT, e->path, NULL), TQK_E_PRINT_PAPER);
	assert_int_equal(tqk_print_cover(&c, (tqk_paper)-1, e->path, NULL), TQK_E_PRINT_PAPER);
	assert_int_equal(tqk_print_receipt(&r, TQK_PAPER_COUNT, e->path, NULL), TQK_E_PRINT_PAPER);
	assert_int_equal(entries(e->dir), 0);

	char nodir[700];
	snprintf(nodir, sizeof nodir, "%s/missing/doc.pdf", e->dir);
	assert_int_equal(tqk_print_form(&f, TQK_PAPER_A4, nodir, NULL), TQK_E_PRINT_IO);
	assert_int_equal(tqk_print_cover(&c, TQK_PAPER_A4, nodir, NULL), TQK_E_PRINT_IO);
	assert_int_equal(tqk_print_receipt(&r, TQK_PAPER_A4, nodir, NULL), TQK_E_PRINT_IO);
	assert_int_equal(tqk_print_receipt(&r, TQK_PAPER_A4, "", NULL), TQK_E_PRINT_IO);
	assert_int_equal(entries(e->dir), 0);

	/* A document already there stays when the next one fails. */
	assert_int_equal(tqk_print_receipt(&r, TQK_PAPER_A4, e->path, NULL), TQK_OK);
	char *before = text_of(e->path, false);
	const char *bad = NULL;
	PUT(f.app.reg_no, "报名号0001");
	assert_int_equal(tqk_print_form(&f, TQK_PAPER_A4, e->path, &bad), TQK_E_PRINT_BARCODE);
	assert_string_equal(bad, "reg_no");
	PUT(f.app.reg_no, "2026\t0001");
	bad = NULL;
	assert_int_equal(tqk_print_form(&f, TQK_PAPER_B5, e->path, &bad), TQK_E_PRINT_BARCODE);
	assert_string_equal(bad, "reg_no");
	f.app.reg_no[0] = '\0';
	assert_int_equal(tqk_print_form(&f, TQK_PAPER_16K, e->path, NULL), TQK_E_PRINT_BARCODE);
	PUT(c.archive_no, "长沙202401007");
	bad = NULL;
	assert_int_equal(tqk_print_cover(&c, TQK_PAPER_A4, e->path, &bad), TQK_E_PRINT_BARCODE);
	assert_string_equal(bad, "archive_no");
	assert_int_equal(entries(e->dir), 1);
	char *after = text_of(e->path, false);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(form_every_paper_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(form_without_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(form_maximal_values, setup, teardown),
		cmocka_unit_test_setup_teardown(cover_every_paper_and_name, setup, teardown),
		cmocka_unit_test_setup_teardown(cover_maximal_values, setup, teardown),
		cmocka_unit_test_setup_teardown(receipt_complete, setup, teardown),
		cmocka_unit_test_setup_teardown(receipt_incomplete, setup, teardown),
		cmocka_unit_test_setup_teardown(receipt_not_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(receipt_maximal_values, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_input, setup, teardown),
	};
	return cmocka_run_group_tests_name("print_docs", tests, NULL, NULL);
}
