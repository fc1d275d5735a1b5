/*
 * test_print_roster.c - the rosters as workbooks (print/roster.h): one
 * site, three schools, every qualification type, a police case, a
 * certificate without subject and a 网报未受理 that must be absent, written
 * into a directory and read back with unzip. Checks the files (the
 * two-workbook split, safe and distinct names, nothing temporary left,
 * sound zips), each sheet's title, caption and header, the numbering, the
 * summaries' running serial, the order, dates as YYYY-MM-DD text, 序号 the
 * only number, the A3 landscape fit-to-width page setup and the repeated
 * rows; then the names made safe, rewriting in place, and a failure that
 * leaves nothing behind.
 */
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/roster.h"
#include "print/roster.h"
#include "support/fixture.h"
#include "support/xlsxread.h"

#define TITLE "2026年教师资格定期注册申请花名册"
#define SITE_NAME "长沙县星沙确认点"
#define SENIOR_FILE "-高中中职花名册.xlsx"
#define BASIC_FILE "-初中小学幼儿园花名册.xlsx"

struct env {
	char dir[512];
	tqk_roster_row rows[16];
	size_t n;
};

/* Teacher i of school at archive serial (0: none) with type q. */
static void add(struct env *e, unsigned i, const char *school, tqk_stage q, unsigned serial,
                tqk_conclusion conc)
{
	tqk_application a;
	tqk_confirmation c;
	fixture_app(i, FIXTURE_SITE, &a);
	fixture_confirmation(a.reg_no, &c);
	snprintf(a.school, sizeof a.school, "%s", school);
	a.qualification = q;
	a.post = q == TQK_STAGE_VOC_PRACTICE ? TQK_STAGE_VOCATIONAL : q;
	c.conclusion = conc;
	if (serial > 0)
		snprintf(c.archive_no, sizeof c.archive_no, "CSX202601%03u", serial);
	assert_true(e->n < sizeof e->rows / sizeof e->rows[0]);
	tqk_roster_row_from(&a, &c, &e->rows[e->n++]);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	/* 星沙中学 001-004, 泉塘小学 005-008, 星沙职校 009-011. */
	add(e, 1, "星沙中学", TQK_STAGE_VOCATIONAL, 2, TQK_CONC_COMPLETE);
	add(e, 2, "星沙中学", TQK_STAGE_SENIOR, 3, TQK_CONC_COMPLETE);
	add(e, 3, "星沙中学", TQK_STAGE_SENIOR, 1, TQK_CONC_INCOMPLETE);
	add(e, 4, "星沙中学", TQK_STAGE_JUNIOR, 4, TQK_CONC_COMPLETE);
	add(e, 5, "泉塘小学", TQK_STAGE_KINDERGARTEN, 5, TQK_CONC_COMPLETE);
	add(e, 6, "泉塘小学", TQK_STAGE_PRIMARY, 7, TQK_CONC_COMPLETE);
	add(e, 7, "泉塘小学", TQK_STAGE_PRIMARY, 6, TQK_CONC_COMPLETE);
	add(e, 8, "泉塘小学", TQK_STAGE_JUNIOR, 8, TQK_CONC_COMPLETE);
	add(e, 9, "星沙职校", TQK_STAGE_VOC_PRACTICE, 9, TQK_CONC_COMPLETE);
	add(e, 10, "星沙职校", TQK_STAGE_VOCATIONAL, 10, TQK_CONC_COMPLETE);
	add(e, 11, "星沙职校", TQK_STAGE_SENIOR, 11, TQK_CONC_COMPLETE);
	/* A duplicate registration: not accepted, no bag, on no roster. */
	add(e, 12, "星沙中学", TQK_STAGE_SENIOR, 0, TQK_CONC_NOT_ACCEPTED);
	/* The police case: the certificate's name is the old one. */
	snprintf(e->rows[5].name, sizeof e->rows[5].name, "%s", "王小二");
	snprintf(e->rows[5].remark, sizeof e->rows[5].remark, "%s", "现身份证姓名：王晓");
	/* A certificate without subject: the one taught now. */
	{
		tqk_application a;
		tqk_confirmation c;
		fixture_app(13, FIXTURE_SITE, &a);
		fixture_confirmation(a.reg_no, &c);
		snprintf(a.school, sizeof a.school, "%s", "泉塘小学");
		a.qualification = a.post = TQK_STAGE_PRIMARY;
		a.cert_subject[0] = '\0';
		snprintf(a.post_subject, sizeof a.post_subject, "%s", "科学");
		snprintf(a.cert_name, sizeof a.cert_name, "%s", "旧名");
		c.police_required = true;
		snprintf(c.archive_no, sizeof c.archive_no, "CSX202601%03u", 12);
		tqk_roster_row_from(&a, &c, &e->rows[e->n++]);
	}
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

static const tqk_roster_site_name names[] = {{FIXTURE_SITE, SITE_NAME}};

static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && strcmp(s + a - b, tail) == 0;
}

/* The file of out whose name (after the site directory) is name. */
static const char *file(const tqk_roster_files *out, const char *name)
{
	char want[TQK_ROSTER_PATH_CAP];
	snprintf(want, sizeof want, "/%s/%s", SITE_NAME, name);
	for (size_t i = 0; i < out->n; i++)
		if (ends_with(out->path[i], want))
			return out->path[i];
	fail_msg("no file %s", name);
	return NULL;
}

/* The names in dir (not . and ..), sorted, joined by '|'. */
static void list_dir(const char *dir, char *buf, size_t cap)
{
	struct dirent **v = NULL;
	int n = scandir(dir, &v, NULL, alphasort);
	assert_true(n >= 0);
	size_t o = 0;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(v[i]->d_name, ".") != 0 && strcmp(v[i]->d_name, "..") != 0)
			o += (size_t)snprintf(buf + o, cap - o, "%s|", v[i]->d_name);
		free(v[i]);
	}
	free(v);
	assert_true(o < cap);
}

static bool is_date(const char *s)
{
	tqk_date d;
	return tqk_date_parse(s, strlen(s), &d) == TQK_OK;
}

/* Checks what every roster file has: a sound zip, the page setup, the print
 * titles, the three head rows, serials from first, 序号 the only number,
 * the dates' shape; and returns the archive numbers column, joined. */
static void check_sheet(const char *path, const char *part, const char *caption_has,
                        unsigned first, size_t n, char *archives, size_t cap)
{
	assert_true(xlsx_zip_ok(path));
	char *wb = NULL, *sheet = NULL;
	assert_int_equal(xlsx_member(path, "xl/workbook.xml", &wb), 0);
	assert_non_null(strstr(wb, "_xlnm.Print_Titles"));
	assert_non_null(strstr(wb, "$1:$3"));
	free(wb);
	assert_int_equal(xlsx_member(path, "xl/worksheets/sheet1.xml", &sheet), 0);
	/* libxlsxwriter 1.1.4 leaves out fitToWidth="1", the schema's default;
	 * the other attributes are in its own order. */
	const char *ps = strstr(sheet, "<pageSetup ");
	assert_non_null(ps);
	const char *pe = strstr(ps, "/>");
	assert_non_null(pe);
	char setup[256];
	assert_true((size_t)(pe - ps) < sizeof setup);
	memcpy(setup, ps, (size_t)(pe - ps));
	setup[pe - ps] = '\0';
	assert_non_null(strstr(setup, " paperSize=\"8\""));
	assert_non_null(strstr(setup, " orientation=\"landscape\""));
	assert_non_null(strstr(setup, " fitToHeight=\"0\""));
	const char *fw = strstr(setup, " fitToWidth=");
	assert_true(fw == NULL || strncmp(fw, " fitToWidth=\"1\"", 16) == 0);
	assert_non_null(strstr(sheet, "<sheetPr><pageSetUpPr fitToPage=\"1\"/>"));
	assert_non_null(strstr(sheet, "<oddFooter>"));
	free(sheet);

	xlsx_sheet s;
	assert_int_equal(xlsx_sheet_load(path, 1, &s), 0);
	char title[256];
	snprintf(title, sizeof title, "%s%s", TITLE, part);
	assert_string_equal(xlsx_sheet_text(&s, 0, 0), title);
	assert_non_null(strstr(xlsx_sheet_text(&s, 1, 0), caption_has));
	char count[32];
	snprintf(count, sizeof count, "共 %zu 人", n);
	assert_non_null(strstr(xlsx_sheet_text(&s, 1, 0), count));
	for (int c = 0; c < TQK_RC_COUNT; c++) {
		assert_string_equal(xlsx_sheet_text(&s, 2, c), tqk_roster_col_name((tqk_roster_col)c));
		assert_true(xlsx_sheet_cell(&s, 2, c)->is_string);
	}
	assert_int_equal(s.rows, (int)(3 + n));
	size_t o = 0;
	archives[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int r = (int)(3 + i);
		const xlsx_cell *serial = xlsx_sheet_cell(&s, r, TQK_RC_SERIAL);
		assert_non_null(serial);
		assert_false(serial->is_string);
		assert_true(serial->has_value);
		assert_int_equal(strtol(serial->text, NULL, 10), (long)(first + i));
		for (int c = 1; c < TQK_RC_COUNT; c++) {
			const xlsx_cell *x = xlsx_sheet_cell(&s, r, c);
			assert_non_null(x);     /* every cell bordered, even a blank one */
			assert_true(x->is_string || !x->has_value);
		}
		assert_true(is_date(xlsx_sheet_text(&s, r, TQK_RC_BIRTH)));
		assert_true(is_date(xlsx_sheet_text(&s, r, TQK_RC_ISSUED)));
		assert_true(is_date(xlsx_sheet_text(&s, r, TQK_RC_WORK_START)));
		assert_true(is_date(xlsx_sheet_text(&s, r, TQK_RC_CONFIRMED)));
		o += (size_t)snprintf(archives + o, cap - o, "%s%s", i ? " " : "",
		                      xlsx_sheet_text(&s, r, TQK_RC_ARCHIVE) + 9);
		assert_true(o < cap);
	}
	xlsx_sheet_free(&s);
}

/* Whether any cell of path's sheet holds text. */
static bool sheet_has(const char *path, const char *text)
{
	xlsx_sheet s;
	assert_int_equal(xlsx_sheet_load(path, 1, &s), 0);
	bool found = false;
	for (size_t i = 0; i < s.n && !found; i++)
		found = strcmp(s.cells[i].text, text) == 0;
	xlsx_sheet_free(&s);
	return found;
}

/* The row of path's sheet whose archive number ends in serial3. */
static int row_of(const xlsx_sheet *s, const char *serial3)
{
	for (int r = 3; r < s->rows; r++)
		if (ends_with(xlsx_sheet_text(s, r, TQK_RC_ARCHIVE), serial3))
			return r;
	fail_msg("no row %s", serial3);
	return -1;
}

static void site_rosters(void **state)
{
	struct env *e = *state;
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(e->rows, e->n, &b, NULL), TQK_OK);
	tqk_roster_files out;
	assert_int_equal(tqk_roster_write(b, e->dir, TITLE, names, 1, &out), TQK_OK);

	/* Two summaries; 星沙中学 both rosters, 泉塘小学 and 星沙职校 one each. */
	assert_int_equal(out.n, 6);
	assert_true(ends_with(out.path[0], "/" SITE_NAME "/汇总" SENIOR_FILE));
	assert_true(ends_with(out.path[1], "/" SITE_NAME "/汇总" BASIC_FILE));
	char sdir[700], listing[2048];
	snprintf(sdir, sizeof sdir, "%s/%s", e->dir, SITE_NAME);
	list_dir(sdir, listing, sizeof listing);
	/* (In byte order: 星 E6 98, 汇 E6 B1, 泉 E6 B3.) */
	assert_string_equal(listing, "星沙中学" BASIC_FILE "|星沙中学" SENIOR_FILE "|"
	                             "星沙职校" SENIOR_FILE "|汇总" BASIC_FILE "|"
	                             "汇总" SENIOR_FILE "|泉塘小学" BASIC_FILE "|");
	list_dir(e->dir, listing, sizeof listing);
	assert_string_equal(listing, SITE_NAME "|");
	/* Files with ID numbers: for their owner only. */
	struct stat st;
	assert_int_equal(stat(out.path[0], &st), 0);
	assert_int_equal(st.st_mode & 077, 0);

	char arch[256];
	/* Each school's rosters: by type (higher stage first), then number, from 1. */
	check_sheet(file(&out, "星沙中学" SENIOR_FILE), "（高中、中职）", "学校：星沙中学", 1, 3,
	            arch, sizeof arch);
	assert_string_equal(arch, "001 003 002");
	check_sheet(file(&out, "星沙中学" BASIC_FILE), "（初中、小学、幼儿园）", "学校：星沙中学", 1,
	            1, arch, sizeof arch);
	assert_string_equal(arch, "004");
	check_sheet(file(&out, "泉塘小学" BASIC_FILE), "（初中、小学、幼儿园）", "学校：泉塘小学", 1,
	            5, arch, sizeof arch);
	assert_string_equal(arch, "008 006 007 012 005");
	check_sheet(file(&out, "星沙职校" SENIOR_FILE), "（高中、中职）", SITE_NAME, 1, 3, arch,
	            sizeof arch);
	assert_string_equal(arch, "011 010 009");

	/* The summaries: by school, one serial across both. */
	check_sheet(file(&out, "汇总" SENIOR_FILE), "（高中、中职）", "确认点：" SITE_NAME, 1, 6, arch,
	            sizeof arch);
	assert_string_equal(arch, "001 003 002 011 010 009");
	check_sheet(file(&out, "汇总" BASIC_FILE), "（初中、小学、幼儿园）", "序号 7–12", 7, 6, arch,
	            sizeof arch);
	assert_string_equal(arch, "004 008 006 007 012 005");

	/* The remark and the subject's fallback, in their rows. */
	xlsx_sheet s;
	assert_int_equal(xlsx_sheet_load(file(&out, "泉塘小学" BASIC_FILE), 1, &s), 0);
	int r = row_of(&s, "007");
	assert_string_equal(xlsx_sheet_text(&s, r, TQK_RC_NAME), "王小二");
	assert_string_equal(xlsx_sheet_text(&s, r, TQK_RC_REMARK), "现身份证姓名：王晓");
	r = row_of(&s, "012");
	assert_string_equal(xlsx_sheet_text(&s, r, TQK_RC_SUBJECT), "科学");
	assert_string_equal(xlsx_sheet_text(&s, r, TQK_RC_POST_SUBJECT), "科学");
	assert_string_equal(xlsx_sheet_text(&s, r, TQK_RC_NAME), "旧名");
	assert_true(strncmp(xlsx_sheet_text(&s, r, TQK_RC_REMARK), "现身份证姓名：", 21) == 0);
	assert_string_equal(xlsx_sheet_text(&s, r, TQK_RC_QUALIFICATION), "小学教师资格");
	assert_string_equal(xlsx_sheet_text(&s, r, TQK_RC_CONCLUSION), "材料齐全");
	xlsx_sheet_free(&s);

	/* The one not accepted is on no roster. */
	for (size_t i = 0; i < out.n; i++)
		assert_false(sheet_has(out.path[i], e->rows[11].reg_no));
	assert_true(sheet_has(file(&out, "汇总" SENIOR_FILE), e->rows[2].reg_no));

	/* Written again: the same files, replaced, nothing added. */
	tqk_roster_files again;
	assert_int_equal(tqk_roster_write(b, e->dir, TITLE, names, 1, &again), TQK_OK);
	assert_int_equal(again.n, out.n);
	for (size_t i = 0; i < out.n; i++)
		assert_string_equal(again.path[i], out.path[i]);
	char listing2[2048];
	list_dir(sdir, listing2, sizeof listing2);
	list_dir(sdir, listing, sizeof listing);
	assert_string_equal(listing2, listing);
	tqk_roster_files_close(&again);
	tqk_roster_files_close(&out);
	assert_int_equal(out.n, 0);
	assert_null(out.path);
	tqk_roster_book_free(b);
}

static void safe_names(void **state)
{
	(void)state;
	char b[TQK_ROSTER_SAFE_MAX + 1];
	assert_string_equal(tqk_roster_safe_name("星沙/中学", b, sizeof b), "星沙_中学");
	assert_string_equal(tqk_roster_safe_name("a\\b:c*d?e\"f<g>h|i", b, sizeof b),
	                    "a_b_c_d_e_f_g_h_i");
	assert_string_equal(tqk_roster_safe_name("x\ty\x7f", b, sizeof b), "x_y_");
	assert_string_equal(tqk_roster_safe_name("..", b, sizeof b), "_.");
	assert_string_equal(tqk_roster_safe_name(".hidden", b, sizeof b), "_hidden");
	assert_string_equal(tqk_roster_safe_name("  中学　", b, sizeof b), "中学");
	assert_string_equal(tqk_roster_safe_name("", b, sizeof b), "未命名");
	assert_string_equal(tqk_roster_safe_name("\xff", b, sizeof b), "_");
	/* Cut at a character boundary. */
	char longname[301];
	for (int i = 0; i < 100; i++)
		memcpy(longname + 3 * i, "中", 3);
	longname[300] = '\0';
	tqk_roster_safe_name(longname, b, sizeof b);
	assert_int_equal(strlen(b), 96);
	char small[16];
	tqk_roster_safe_name(longname, small, sizeof small);
	assert_int_equal(strlen(small), 15);
	assert_string_equal(tqk_roster_file_part(TQK_ROSTER_SENIOR), "高中中职花名册");
	assert_string_equal(tqk_roster_file_part(TQK_ROSTER_BASIC), "初中小学幼儿园花名册");
}

static tqk_roster_row plain(const char *site, const char *school, tqk_stage q, unsigned serial)
{
	tqk_application a;
	tqk_confirmation c;
	fixture_app(100 + serial, site, &a);
	fixture_confirmation(a.reg_no, &c);
	snprintf(a.school, sizeof a.school, "%s", school);
	a.qualification = a.post = q;
	snprintf(c.archive_no, sizeof c.archive_no, "CSX2026%s%03u", site + 1, serial);
	tqk_roster_row r;
	tqk_roster_row_from(&a, &c, &r);
	return r;
}

static void colliding_names_kept_apart(void **state)
{
	struct env *e = *state;
	tqk_roster_row v[4] = {
		plain("S01", "一/中", TQK_STAGE_SENIOR, 1),
		plain("S01", "一_中", TQK_STAGE_SENIOR, 2),
		plain("S01", "汇总", TQK_STAGE_SENIOR, 3),     /* a school named like the summary */
		plain("S02", "甲", TQK_STAGE_SENIOR, 1),
	};
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, 4, &b, NULL), TQK_OK);
	/* Two sites of names that come out the same; S02 has none: its code. */
	const tqk_roster_site_name two[] = {{"S01", "A/B"}, {"S03", "x"}};
	tqk_roster_files out;
	assert_int_equal(tqk_roster_write(b, e->dir, TITLE, two, 2, &out), TQK_OK);
	assert_int_equal(out.n, 6);
	char listing[2048], sdir[700];
	list_dir(e->dir, listing, sizeof listing);
	assert_string_equal(listing, "A_B|S02|");
	snprintf(sdir, sizeof sdir, "%s/A_B", e->dir);
	list_dir(sdir, listing, sizeof listing);
	assert_string_equal(listing, "一_中" SENIOR_FILE "|一_中（2）" SENIOR_FILE "|"
	                             "汇总" SENIOR_FILE "|汇总（2）" SENIOR_FILE "|");
	/* The clean name went to the summary. */
	char path[800];
	snprintf(path, sizeof path, "%s/汇总" SENIOR_FILE, sdir);
	xlsx_sheet s;
	assert_int_equal(xlsx_sheet_load(path, 1, &s), 0);
	assert_non_null(strstr(xlsx_sheet_text(&s, 1, 0), "确认点：A/B（汇总）"));
	xlsx_sheet_free(&s);
	snprintf(path, sizeof path, "%s/一_中（2）" SENIOR_FILE, sdir);
	assert_int_equal(xlsx_sheet_load(path, 1, &s), 0);
	assert_non_null(strstr(xlsx_sheet_text(&s, 1, 0), "学校：一_中"));
	xlsx_sheet_free(&s);
	tqk_roster_files_close(&out);
	tqk_roster_book_free(b);
}

static void failure_leaves_nothing(void **state)
{
	struct env *e = *state;
	tqk_roster_row v[3] = {
		plain("S01", "甲", TQK_STAGE_SENIOR, 1),
		plain("S01", "乙", TQK_STAGE_PRIMARY, 2),
		plain("S02", "丙", TQK_STAGE_SENIOR, 1),
	};
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(v, 3, &b, NULL), TQK_OK);
	/* The second site's directory is taken by a file: the first site's
	 * workbooks, already written under temporary names, must go. */
	char blocker[700];
	snprintf(blocker, sizeof blocker, "%s/S02", e->dir);
	FILE *f = fopen(blocker, "w");
	assert_non_null(f);
	fclose(f);
	tqk_roster_files out;
	assert_int_equal(tqk_roster_write(b, e->dir, TITLE, NULL, 0, &out), TQK_E_PRINT_IO);
	assert_int_equal(out.n, 0);
	assert_null(out.path);
	char listing[1024];
	list_dir(e->dir, listing, sizeof listing);
	assert_string_equal(listing, "S02|");

	/* No such directory. */
	char missing[700];
	snprintf(missing, sizeof missing, "%s/none", e->dir);
	assert_int_equal(tqk_roster_write(b, missing, TITLE, NULL, 0, &out), TQK_E_PRINT_IO);
	assert_int_equal(out.n, 0);
	/* A path too long for the cap. */
	char deep[TQK_ROSTER_PATH_CAP + 8];
	memset(deep, 'd', sizeof deep - 1);
	deep[0] = '/';
	deep[sizeof deep - 1] = '\0';
	assert_int_equal(tqk_roster_write(b, deep, TITLE, NULL, 0, &out), TQK_E_PRINT_IO);
	/* A title too long for a sheet, found once a file is begun. */
	unlink(blocker);
	char title[TQK_ROSTER_CAPTION_CAP + 1];
	memset(title, 'T', sizeof title - 1);
	title[sizeof title - 1] = '\0';
	assert_int_equal(tqk_roster_write(b, e->dir, title, NULL, 0, &out), TQK_E_TOO_LONG);
	assert_int_equal(out.n, 0);
	list_dir(e->dir, listing, sizeof listing);
	assert_string_equal(listing, "");
	f = fopen(blocker, "w");
	assert_non_null(f);
	fclose(f);
	tqk_roster_book_free(b);

	/* One workbook to a place that cannot be written. */
	assert_int_equal(tqk_roster_book_new(v, 1, &b, NULL), TQK_OK);
	char bad[800];
	snprintf(bad, sizeof bad, "%s/none/x.xlsx", e->dir);
	assert_int_equal(tqk_roster_xlsx(&b->sites[0].summary[0], bad, TITLE, "c"), TQK_E_PRINT_IO);
	tqk_roster_book_free(b);
	list_dir(e->dir, listing, sizeof listing);
	assert_string_equal(listing, "S02|");
}

static void empty_book_writes_nothing(void **state)
{
	struct env *e = *state;
	tqk_roster_book *b = NULL;
	assert_int_equal(tqk_roster_book_new(&e->rows[11], 1, &b, NULL), TQK_OK);  /* not accepted */
	tqk_roster_files out;
	assert_int_equal(tqk_roster_write(b, e->dir, TITLE, names, 1, &out), TQK_OK);
	assert_int_equal(out.n, 0);
	char listing[256];
	list_dir(e->dir, listing, sizeof listing);
	assert_string_equal(listing, "");
	tqk_roster_files_close(&out);
	tqk_roster_book_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(site_rosters, setup, teardown),
		cmocka_unit_test(safe_names),
		cmocka_unit_test_setup_teardown(colliding_names_kept_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(failure_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_book_writes_nothing, setup, teardown),
	};
	return cmocka_run_group_tests_name("print_roster", tests, NULL, NULL);
}
