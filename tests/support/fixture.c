/*
 * fixture.c - deterministic applications, confirmations and stores for the
 * tests and benchmarks.
 */
#define _GNU_SOURCE  /* nftw */
#include "fixture.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/idnum.h"
#include "store/apps.h"

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
};
static const char *const given[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
	"勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
	"刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强", "晓东", "海燕",
};

void fixture_app(unsigned i, const char *site, tqk_application *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->reg_no, sizeof out->reg_no, "2026%010u", i);
	snprintf(out->site, sizeof out->site, "%s", site);

	/* 430121 (长沙县), born 1970-01-01 + i % 9000 days, sequence from i. */
	tqk_date birth = tqk_day_to_date(tqk_date_to_day((tqk_date){1970, 1, 1}) + (tqk_day)(i % 9000));
	char id[TQK_ID_LEN + 1];
	snprintf(id, sizeof id, "430121%04d%02d%02d%03u", birth.year, birth.month, birth.day,
	         (i / 9000) % 1000);
	id[17] = tqk_id_check_char(id);
	id[18] = '\0';
	memcpy(out->id_number, id, sizeof id);

	const char *sur = surnames[i % (sizeof surnames / sizeof surnames[0])];
	const char *giv = given[(i / 20) % (sizeof given / sizeof given[0])];
	snprintf(out->name, sizeof out->name, "%s%s", sur, giv);
	memcpy(out->cert_name, out->name, sizeof out->name);
	memcpy(out->cert_id, out->id_number, sizeof out->id_number);
	snprintf(out->cert_no, sizeof out->cert_no, "2010430142%07u", i % 10000000);
	snprintf(out->nation, sizeof out->nation, "汉族");
	out->qualification = (tqk_stage)(TQK_STAGE_KINDERGARTEN + i % 5);
	out->post = out->qualification;
	snprintf(out->cert_subject, sizeof out->cert_subject, "语文");
	snprintf(out->cert_authority, sizeof out->cert_authority, "长沙县教育局");
	snprintf(out->cert_issued, sizeof out->cert_issued, "2010-07-01");
	snprintf(out->institution, sizeof out->institution, "长沙县教育局");
	snprintf(out->post_subject, sizeof out->post_subject, "语文");
	snprintf(out->school, sizeof out->school, "长沙县第%u小学", i % 40 + 1);
	out->school_area = i % 2 ? TQK_AREA_RURAL : TQK_AREA_URBAN;
	snprintf(out->title, sizeof out->title, "一级教师");
	snprintf(out->work_start, sizeof out->work_start, "2010-09-01");
	snprintf(out->email, sizeof out->email, "t%u@example.cn", i);
	out->registration = i % 3 ? TQK_REG_SECOND : TQK_REG_FIRST;
	out->state = TQK_ST_SUBMITTED;
	out->rev = 1;
}

void fixture_confirmation(const char *reg_no, tqk_confirmation *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->reg_no, sizeof out->reg_no, "%s", reg_no);
	snprintf(out->clerk, sizeof out->clerk, FIXTURE_CLERK);
	for (int m = 0; m < TQK_MAT_COUNT; m++)
		out->marks.mark[m] = TQK_MARK_HAS;
	out->marks.mark[TQK_MAT_POLICE] = TQK_MARK_NA;
	out->conclusion = TQK_CONC_COMPLETE;
	out->at = FIXTURE_NOW;
	out->time_source = TQK_TIME_SERVER;
}

tqk_plan fixture_plan(int64_t rev, const char *calendar)
{
	tqk_plan p = {
		.rev = rev, .site = FIXTURE_SITE, .site_name = "长沙县星沙确认点", .county = "CSX",
		.year = 2026, .site_no = 1, .width = 3,
		.apply_start = {2026, 4, 1}, .apply_end = {2026, 5, 10},
		.confirm_start = {2026, 5, 18}, .confirm_end = {2026, 5, 29},
		.opens = 8 * 3600 + 30 * 60, .closes = 17 * 3600 + 30 * 60,
		.calendar = (char *)calendar,
		/* the fixture applications' institution, open at FIXTURE_NOW; one
		 * not yet open; one closed */
		.n_institutions = 3,
		.institutions = {
			{"长沙县教育局", {2026, 3, 1}, {2026, 6, 30}},
			{"浏阳市教育局", {2026, 6, 1}, {2026, 6, 30}},
			{"宁乡市教育局", {2026, 3, 1}, {2026, 4, 30}},
		},
	};
	return p;
}

tqk_err fixture_store(const char *path, size_t n, int width, tqk_store **out)
{
	*out = NULL;
	tqk_store *s = NULL;
	tqk_store_options opt = {.create = true};
	tqk_err err = tqk_store_open(path, &opt, &s, NULL);
	if (err != TQK_OK)
		return err;
	tqk_site site = {FIXTURE_SITE, FIXTURE_KIOSK, "CSX", 2026, 1, width > 0 ? width : 3, 0, 0};
	err = tqk_store_site_set(s, &site, FIXTURE_NOW);

	enum { BATCH = 1000 };
	tqk_application *batch = calloc(BATCH, sizeof *batch);
	if (batch == NULL)
		err = TQK_E_NOMEM;
	for (size_t i = 0; err == TQK_OK && i < n; i += BATCH) {
		size_t k = n - i < BATCH ? n - i : BATCH;
		for (size_t j = 0; j < k; j++)
			fixture_app((unsigned)(i + j), FIXTURE_SITE, &batch[j]);
		tqk_import_stats stats;
		err = tqk_store_apps_put(s, batch, k, NULL, FIXTURE_NOW, &stats, NULL);
	}
	free(batch);
	if (err != TQK_OK) {
		tqk_store_free(s);
		return err;
	}
	*out = s;
	return TQK_OK;
}

void fixture_tmpdir(char *buf, size_t cap)
{
	const char *base = getenv("TMPDIR");
	snprintf(buf, cap, "%s/tqk-test-XXXXXX", base != NULL && base[0] != '\0' ? base : "/tmp");
	if (mkdtemp(buf) == NULL) {
		perror("mkdtemp");
		abort();
	}
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

void fixture_rmdir(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}
