/*
 * test_roster.c - the rosters' rule (core/roster.h): a row from an
 * application and its confirmation (the certificate's name and ID number
 * printed, gender and birth from the card, the subject's fallback, dates,
 * the police remark), the cells' texts, the split into the two rosters,
 * the order by type (higher stage first) and archive number, numbering
 * 1..n per school, the site summaries ordered by school with one running
 * serial, only bagged conclusions, the refusals, several sites, and an
 * order that does not depend on the input's.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/roster.h"
#include "core/walkin.h"
#include "support/fixture.h"

/* An 18-character ID number with its check character. */
static void make_id(const char *region, const char *birth, const char *seq,
                    char out[TQK_ID_LEN + 1])
{
	char d[18];
	int n = snprintf(d, sizeof d, "%s%s%s", region, birth, seq);
	assert_int_equal(n, 17);
	memcpy(out, d, 17);
	out[17] = tqk_id_check_char(d);
	out[18] = '\0';
}

static void set(char *dst, size_t cap, const char *s)
{
	assert_true(strlen(s) < cap);
	memcpy(dst, s, strlen(s) + 1);
}
#define SET(field, s) set((field), sizeof(field), (s))

/* A bagged row of site, school, type q and archive serial. */
static tqk_roster_row row(const char *site, const char *school, tqk_stage q, unsigned serial,
                          const char *reg_no)
{
	tqk_roster_row r;
	memset(&r, 0, sizeof r);
	SET(r.site, site);
	SET(r.school, school);
	snprintf(r.archive_no, sizeof r.archive_no, "CSX2026%s%03u", site + 1, serial);
	SET(r.reg_no, reg_no);
	SET(r.name, reg_no);
	r.qualification = q;
	r.post = q == TQK_STAGE_VOC_PRACTICE ? TQK_STAGE_VOCATIONAL : q;
	r.conclusion = TQK_CONC_COMPLETE;
	return r;
}

static void app_conf(tqk_application *a, tqk_confirmation *c)
{
	fixture_app(7, FIXTURE_SITE, a);
	fixture_confirmation(a->reg_no, c);
	make_id("110105", "19800115", "123", a->id_number);   /* 2 from the end odd: male */
	SET(a->name, "张三");
	a->cert_name[0] = '\0';
	a->cert_id[0] = '\0';
	SET(a->cert_subject, "数学");
	SET(a->post_subject, "物理");
	SET(a->cert_issued, "2012-07-01");
	SET(a->work_start, "2008-09-01");
	SET(a->school, "星沙中学");
	a->qualification = TQK_STAGE_SENIOR;
	a->post = TQK_STAGE_SENIOR;
	a->school_area = TQK_AREA_RURAL;
	a->registration = TQK_REG_FIRST;
	SET(c->archive_no, "CSX202601007");
	c->police_required = false;
	c->at = test_at("2026-05-20 00:30");
}

static const char *cell(const tqk_roster_row *r, tqk_roster_col col)
{
	static char buf[TQK_TEXT_CAP];
	return tqk_roster_cell(r, col, buf, sizeof buf);
}

static void row_from_card_and_certificate(void **state)
{
	(void)state;
	tqk_application a;
	tqk_confirmation c;
	app_conf(&a, &c);
	tqk_roster_row r;
	tqk_roster_row_from(&a, &c, &r);
	assert_string_equal(r.name, "张三");
	assert_string_equal(r.id_number, a.id_number);
	assert_string_equal(cell(&r, TQK_RC_GENDER), "男");
	assert_string_equal(cell(&r, TQK_RC_BIRTH), "1980-01-15");
	assert_string_equal(cell(&r, TQK_RC_SUBJECT), "数学");
	assert_string_equal(cell(&r, TQK_RC_POST_SUBJECT), "物理");
	assert_string_equal(cell(&r, TQK_RC_ISSUED), "2012-07-01");
	assert_string_equal(cell(&r, TQK_RC_WORK_START), "2008-09-01");
	/* 00:30 in Beijing is the day before in UTC: the local date counts. */
	assert_string_equal(cell(&r, TQK_RC_CONFIRMED), "2026-05-20");
	assert_string_equal(cell(&r, TQK_RC_ARCHIVE), "CSX202601007");
	assert_string_equal(cell(&r, TQK_RC_REG_NO), a.reg_no);
	assert_string_equal(cell(&r, TQK_RC_REMARK), "");
	assert_string_equal(cell(&r, TQK_RC_SERIAL), "");

	/* The certificate's name and number are printed when given; the card's
	 * number still gives gender and birth. */
	SET(a.cert_name, "张叁");
	make_id("430121", "19800115", "124", a.cert_id);
	tqk_roster_row_from(&a, &c, &r);
	assert_string_equal(r.name, "张叁");
	assert_string_equal(r.id_number, a.cert_id);
	assert_string_equal(cell(&r, TQK_RC_GENDER), "男");
	/* Without the police flag, no remark even though they differ. */
	assert_string_equal(r.remark, "");
}

static void subject_falls_back_to_the_one_taught(void **state)
{
	(void)state;
	tqk_application a;
	tqk_confirmation c;
	app_conf(&a, &c);
	a.cert_subject[0] = '\0';
	tqk_roster_row r;
	tqk_roster_row_from(&a, &c, &r);
	assert_string_equal(r.subject, "物理");
	assert_string_equal(r.subject, tqk_walkin_cert_subject(&a));
}

static void police_remark_names_the_current_card(void **state)
{
	(void)state;
	tqk_application a;
	tqk_confirmation c;
	app_conf(&a, &c);
	c.police_required = true;
	tqk_roster_row r;

	SET(a.cert_name, "张叁");
	tqk_roster_row_from(&a, &c, &r);
	assert_string_equal(r.remark, "现身份证姓名：张三");

	a.cert_name[0] = '\0';
	make_id("110105", "19491231", "002", a.id_number);
	assert_string_equal(a.id_number, "11010519491231002X");
	make_id("430121", "19491231", "002", a.cert_id);
	tqk_roster_row_from(&a, &c, &r);
	assert_string_equal(r.remark, "现身份证号码：11010519491231002X");
	assert_string_equal(cell(&r, TQK_RC_GENDER), "女");
	assert_string_equal(cell(&r, TQK_RC_BIRTH), "1949-12-31");

	SET(a.cert_name, "张叁");
	tqk_roster_row_from(&a, &c, &r);
	assert_string_equal(r.remark, "现身份证姓名：张三；现身份证号码：11010519491231002X");

	/* The same ID number written the old way is no difference. */
	a.cert_name[0] = '\0';
	SET(a.cert_id, "110105491231002");
	tqk_roster_row_from(&a, &c, &r);
	assert_string_equal(r.remark, "");

	/* The longest name still fits with the ID number. */
	memset(a.cert_name, 0, sizeof a.cert_name);
	for (size_t i = 0; i + 3 < TQK_NAME_CAP; i += 3)
		memcpy(a.name + i, "张", 3);
	a.name[(TQK_NAME_CAP - 1) / 3 * 3] = '\0';
	SET(a.cert_name, "李四");
	make_id("430121", "19491231", "002", a.cert_id);
	tqk_roster_row_from(&a, &c, &r);
	assert_true(strstr(r.remark, "现身份证号码：11010519491231002X") != NULL);
	assert_true(strncmp(r.remark, "现身份证姓名：张张", strlen("现身份证姓名：张张")) == 0);
}

static void cells_name_the_enums(void **state)
{
	(void)state;
	tqk_roster_row r = row("S01", "A", TQK_STAGE_VOC_PRACTICE, 1, "R1");
	assert_string_equal(cell(&r, TQK_RC_QUALIFICATION), "中等职业学校实习指导教师资格");
	assert_string_equal(cell(&r, TQK_RC_POST), "中等职业学校");
	r.registration = TQK_REG_FIRST;
	assert_string_equal(cell(&r, TQK_RC_REGISTRATION), "首次注册");
	r.registration = TQK_REG_SECOND;
	assert_string_equal(cell(&r, TQK_RC_REGISTRATION), "定期注册");
	r.school_area = TQK_AREA_URBAN;
	assert_string_equal(cell(&r, TQK_RC_AREA), "城镇");
	r.school_area = TQK_AREA_RURAL;
	assert_string_equal(cell(&r, TQK_RC_AREA), "农村");
	r.conclusion = TQK_CONC_INCOMPLETE;
	assert_string_equal(cell(&r, TQK_RC_CONCLUSION), "材料不齐全");
	r.gender = TQK_GENDER_UNKNOWN;
	assert_string_equal(cell(&r, TQK_RC_GENDER), "");
	r.post = TQK_STAGE_NONE;
	assert_string_equal(cell(&r, TQK_RC_POST), "");
	assert_string_equal(tqk_roster_col_name(TQK_RC_SERIAL), "序号");
	assert_string_equal(tqk_roster_col_name(TQK_RC_REMARK), "备注");
	assert_null(tqk_roster_col_name(TQK_RC_COUNT));
	for (int i = 0; i < TQK_RC_COUNT; i++)
		assert_non_null(tqk_roster_col_name((tqk_roster_col)i));

	/* A short buffer cuts at a character boundary. */
	char small[5];
	tqk_roster_cell(&r, TQK_RC_QUALIFICATION, small, sizeof small);
	assert_string_equal(small, "中");
}

/* The registration numbers of a list, joined by spaces. */
static const char *regs(const tqk_roster_list *l)
{
	static char buf[4096];
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? " " : "", l->rows[i]->reg_no);
	return buf;
}

/* One site, three schools, every type; two not bagged. */
static size_t sample(tqk_roster_row *v)
{
	size_t n = 0;
	/* 一中 (archive 1..5) */
	v[n++] = row("S01", "一中", TQK_STAGE_VOCATIONAL, 3, "A3");
	v[n++] = row("S01", "一中", TQK_STAGE_SENIOR, 4, "A4");
	v[n++] = row("S01", "一中", TQK_STAGE_SENIOR, 1, "A1");
	v[n++] = row("S01", "一中", TQK_STAGE_JUNIOR, 2, "A2");
	v[n++] = row("S01", "一中", TQK_STAGE_VOC_PRACTICE, 5, "A5");
	/* 二小 (archive 6..9): only basic types */
	v[n++] = row("S01", "二小", TQK_STAGE_KINDERGARTEN, 6, "B6");
	v[n++] = row("S01", "二小", TQK_STAGE_PRIMARY, 8, "B8");
	v[n++] = row("S01", "二小", TQK_STAGE_PRIMARY, 7, "B7");
	v[n++] = row("S01", "二小", TQK_STAGE_JUNIOR, 9, "B9");
	/* 三职 (archive 10..12, but its senior rows start before 一中's?) no:
	 * its smallest number is 10, after both. */
	v[n++] = row("S01", "三职", TQK_STAGE_SENIOR, 11, "C11");
	v[n++] = row("S01", "三职", TQK_STAGE_PRIMARY, 10, "C10");
	v[n++] = row("S01", "三职", TQK_STAGE_VOCATIONAL, 12, "C12");
	/* Not on rosters. */
	v[n] = row("S01", "一中", TQK_STAGE_SENIOR, 0, "X1");
	v[n].conclusion = TQK_CONC_NOT_ACCEPTED;
	v[n++].archive_no[0] = '\0';
	v[n] = row("S01", "二小", TQK_STAGE_PRIMARY, 0, "X2");
	v[n++].conclusion = TQK_CONC_NONE;
	return n;
}

static const tqk_roster_school *school(const tqk_roster_site *s, const char *name)
{
	for (size_t i = 0; i < s->n_schools; i++)
		if (strcmp(s->schools[i].name, name) == 0)
			return &s->schools[i];
	fail_msg("no school %s", name);
	return NULL;
}

static void split_order_and_numbering(void **state)
{
	(void)state;
	tqk_roster_row v[32];
	size_t n = sample(v);
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, n, &b, NULL), TQK_OK);
	assert_int_equal(b->n_sites, 1);
	assert_int_equal(b->n_rows, 12);
	const tqk_roster_site *s = &b->sites[0];
	assert_string_equal(s->code, "S01");
	assert_int_equal(s->n_schools, 3);
	/* Schools by their smallest archive number. */
	assert_string_equal(s->schools[0].name, "一中");
	assert_string_equal(s->schools[1].name, "二小");
	assert_string_equal(s->schools[2].name, "三职");

	const tqk_roster_school *a = school(s, "一中");
	assert_int_equal(a->list[0].kind, TQK_ROSTER_SENIOR);
	assert_int_equal(a->list[1].kind, TQK_ROSTER_BASIC);
	/* 高级中学 then 中等职业学校 then 实习指导, each by archive number. */
	assert_string_equal(regs(&a->list[0]), "A1 A4 A3 A5");
	assert_string_equal(regs(&a->list[1]), "A2");
	assert_int_equal(a->list[0].first, 1);
	assert_int_equal(a->list[1].first, 1);
	const tqk_roster_school *bs = school(s, "二小");
	assert_int_equal(bs->list[0].n, 0);
	/* 初级中学 then 小学 then 幼儿园. */
	assert_string_equal(regs(&bs->list[1]), "B9 B7 B8 B6");
	assert_int_equal(bs->list[1].first, 1);
	const tqk_roster_school *c = school(s, "三职");
	assert_string_equal(regs(&c->list[0]), "C11 C12");
	assert_string_equal(regs(&c->list[1]), "C10");

	/* The summaries: by school, then type, then number; one serial. */
	assert_string_equal(regs(&s->summary[0]), "A1 A4 A3 A5 C11 C12");
	assert_int_equal(s->summary[0].first, 1);
	assert_string_equal(regs(&s->summary[1]), "A2 B9 B7 B8 B6 C10");
	assert_int_equal(s->summary[1].first, 7);
	assert_int_equal(s->summary[1].n, 6);
	tqk_roster_book_free(b);
	tqk_roster_book_free(NULL);
}

static void summary_schools_by_smallest_number_on_that_roster(void **state)
{
	(void)state;
	/* 乙 has the smallest number overall, but only on the basic roster:
	 * on the senior summary 甲 comes first. */
	tqk_roster_row v[4] = {
		row("S02", "乙", TQK_STAGE_PRIMARY, 1, "P1"),
		row("S02", "乙", TQK_STAGE_SENIOR, 9, "P9"),
		row("S02", "甲", TQK_STAGE_SENIOR, 5, "Q5"),
		row("S02", "甲", TQK_STAGE_JUNIOR, 6, "Q6"),
	};
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, 4, &b, NULL), TQK_OK);
	const tqk_roster_site *s = &b->sites[0];
	assert_string_equal(s->schools[0].name, "乙");
	assert_string_equal(regs(&s->summary[0]), "Q5 P9");
	assert_string_equal(regs(&s->summary[1]), "P1 Q6");
	assert_int_equal(s->summary[1].first, 3);
	tqk_roster_book_free(b);
}

static void ties_by_registration_number(void **state)
{
	(void)state;
	/* Same archive number (a data error upstream) still orders the same. */
	tqk_roster_row v[3] = {
		row("S01", "甲", TQK_STAGE_SENIOR, 1, "R3"),
		row("S01", "甲", TQK_STAGE_SENIOR, 1, "R1"),
		row("S01", "甲", TQK_STAGE_SENIOR, 1, "R2"),
	};
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, 3, &b, NULL), TQK_OK);
	assert_string_equal(regs(&b->sites[0].schools[0].list[0]), "R1 R2 R3");
	assert_string_equal(regs(&b->sites[0].summary[0]), "R1 R2 R3");
	tqk_roster_book_free(b);
}

static void no_certificate_goes_by_the_post(void **state)
{
	(void)state;
	tqk_roster_row v[3] = {
		row("S01", "甲", TQK_STAGE_PRIMARY, 2, "R2"),
		row("S01", "甲", TQK_STAGE_NONE, 1, "R1"),
		row("S01", "甲", TQK_STAGE_KINDERGARTEN, 3, "R3"),
	};
	v[1].post = TQK_STAGE_PRIMARY;
	v[1].conclusion = TQK_CONC_INCOMPLETE;
	assert_int_equal(tqk_roster_row_kind(&v[1]), TQK_ROSTER_BASIC);
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, 3, &b, NULL), TQK_OK);
	/* After every type, whatever its number. */
	assert_string_equal(regs(&b->sites[0].schools[0].list[1]), "R2 R3 R1");
	tqk_roster_book_free(b);

	v[1].post = TQK_STAGE_NONE;
	size_t bad = 99;
	assert_int_equal(tqk_roster_book_new(v, 3, &b, &bad), TQK_E_STAGE_UNKNOWN);
	assert_null(b);
	assert_int_equal(bad, 1);
}

static void refusals(void **state)
{
	(void)state;
	tqk_roster_row v[2] = {
		row("S01", "甲", TQK_STAGE_PRIMARY, 2, "R2"),
		row("S01", "甲", TQK_STAGE_PRIMARY, 1, "R1"),
	};
	v[1].archive_no[0] = '\0';
	tqk_roster_book *b = NULL;
	size_t bad = 99;
	assert_int_equal(tqk_roster_book_new(v, 2, &b, &bad), TQK_E_FIELD_REQUIRED);
	assert_null(b);
	assert_int_equal(bad, 1);
	/* Not bagged, the same row is simply left out. */
	v[1].conclusion = TQK_CONC_NOT_ACCEPTED;
	assert_int_equal(tqk_roster_book_new(v, 2, &b, NULL), TQK_OK);
	assert_int_equal(b->n_rows, 1);
	tqk_roster_book_free(b);

	/* Beyond the cap, before any row is read. */
	size_t big = TQK_ROSTER_ROWS_MAX + 1;
	tqk_roster_row *many = calloc(big, sizeof *many);
	assert_non_null(many);
	assert_int_equal(tqk_roster_book_new(many, big, &b, NULL), TQK_E_TOO_LONG);
	assert_null(b);
	free(many);

	/* Nothing at all is an empty book. */
	assert_int_equal(tqk_roster_book_new(NULL, 0, &b, NULL), TQK_OK);
	assert_int_equal(b->n_sites, 0);
	assert_int_equal(b->n_rows, 0);
	tqk_roster_book_free(b);
}

static void sites_apart(void **state)
{
	(void)state;
	tqk_roster_row v[4] = {
		row("S02", "甲", TQK_STAGE_SENIOR, 1, "T1"),
		row("S01", "甲", TQK_STAGE_SENIOR, 2, "U2"),
		row("S01", "甲", TQK_STAGE_PRIMARY, 1, "U1"),
		row("S02", "乙", TQK_STAGE_PRIMARY, 2, "T2"),
	};
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, 4, &b, NULL), TQK_OK);
	assert_int_equal(b->n_sites, 2);
	assert_string_equal(b->sites[0].code, "S01");
	assert_string_equal(b->sites[1].code, "S02");
	assert_int_equal(b->sites[0].n_schools, 1);
	assert_int_equal(b->sites[1].n_schools, 2);
	/* The same school name at two sites is two schools. */
	assert_string_equal(regs(&b->sites[0].summary[0]), "U2");
	assert_string_equal(regs(&b->sites[0].summary[1]), "U1");
	assert_int_equal(b->sites[0].summary[1].first, 2);
	assert_string_equal(regs(&b->sites[1].summary[0]), "T1");
	assert_string_equal(regs(&b->sites[1].summary[1]), "T2");
	assert_int_equal(b->sites[1].summary[1].first, 2);
	tqk_roster_book_free(b);
}

/* Everything the book says, as one text. */
static void describe(const tqk_roster_book *b, char *buf, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < b->n_sites; i++) {
		const tqk_roster_site *s = &b->sites[i];
		o += (size_t)snprintf(buf + o, cap - o, "[%s]", s->code);
		for (size_t j = 0; j < s->n_schools; j++)
			for (int k = 0; k < 2; k++)
				o += (size_t)snprintf(buf + o, cap - o, "%s/%d/%u:%s;", s->schools[j].name, k,
				                      s->schools[j].list[k].first, regs(&s->schools[j].list[k]));
		for (int k = 0; k < 2; k++)
			o += (size_t)snprintf(buf + o, cap - o, "sum%d/%u:%s;", k, s->summary[k].first,
			                      regs(&s->summary[k]));
		assert_true(o < cap);
	}
}

static void order_does_not_depend_on_the_input(void **state)
{
	(void)state;
	tqk_roster_row v[40];
	size_t n = sample(v);
	v[n++] = row("S03", "丙", TQK_STAGE_SENIOR, 1, "D1");
	v[n++] = row("S03", "丙", TQK_STAGE_SENIOR, 1, "D0");
	char want[8192], got[8192];
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, n, &b, NULL), TQK_OK);
	describe(b, want, sizeof want);
	tqk_roster_book_free(b);

	uint32_t x = 12345;
	for (int round = 0; round < 200; round++) {
		for (size_t i = n - 1; i > 0; i--) {    /* Fisher-Yates with an LCG */
			x = x * 1103515245u + 12345u;
			size_t j = (x >> 8) % (i + 1);
			tqk_roster_row t = v[i];
			v[i] = v[j];
			v[j] = t;
		}
		assert_int_equal(tqk_roster_book_new(v, n, &b, NULL), TQK_OK);
		describe(b, got, sizeof got);
		tqk_roster_book_free(b);
		assert_string_equal(got, want);
	}
}

static void book_keeps_its_own_copies(void **state)
{
	(void)state;
	tqk_roster_row *v = calloc(2, sizeof *v);
	assert_non_null(v);
	v[0] = row("S01", "甲", TQK_STAGE_SENIOR, 1, "R1");
	v[1] = row("S01", "甲", TQK_STAGE_SENIOR, 2, "R2");
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, 2, &b, NULL), TQK_OK);
	memset(v, 0x55, 2 * sizeof *v);
	free(v);
	assert_string_equal(regs(&b->sites[0].summary[0]), "R1 R2");
	assert_string_equal(b->sites[0].schools[0].name, "甲");
	tqk_roster_book_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(row_from_card_and_certificate),
		cmocka_unit_test(subject_falls_back_to_the_one_taught),
		cmocka_unit_test(police_remark_names_the_current_card),
		cmocka_unit_test(cells_name_the_enums),
		cmocka_unit_test(split_order_and_numbering),
		cmocka_unit_test(summary_schools_by_smallest_number_on_that_roster),
		cmocka_unit_test(ties_by_registration_number),
		cmocka_unit_test(no_certificate_goes_by_the_post),
		cmocka_unit_test(refusals),
		cmocka_unit_test(sites_apart),
		cmocka_unit_test(order_does_not_depend_on_the_input),
		cmocka_unit_test(book_keeps_its_own_copies),
	};
	return cmocka_run_group_tests_name("roster", tests, NULL, NULL);
}
