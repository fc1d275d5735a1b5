/*
 * roster.c - the rosters' rows, their order and their serials (roster.h).
 *
 * The book is built in three sorts over one array of items (a row and its
 * sort keys): by site, school, roster, type and archive number, which gives
 * every school's two rosters as runs; the schools of a site by their
 * smallest archive number; and each summary by its schools' smallest
 * archive number on that roster, then type and archive number.
 */
#include "core/roster.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/walkin.h"

/* Copies src into dst (cap bytes), cut at a character boundary. */
static void copy_text(char *dst, size_t cap, const char *src)
{
	assert(cap > 0);
	size_t n = strlen(src);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool blank(const char *s)
{
	return tqk_text_blank(s, strlen(s));
}

/* Whether the certificate's ID number is given and differs from the card's. */
static bool id_differs(const char *cert_id, const char *card_id)
{
	if (blank(cert_id))
		return false;
	char a[TQK_ID_LEN + 1], b[TQK_ID_LEN + 1];
	if (tqk_id_normalize(cert_id, strlen(cert_id), a) != TQK_OK ||
	    tqk_id_normalize(card_id, strlen(card_id), b) != TQK_OK)
		return strcmp(cert_id, card_id) != 0;
	return strcmp(a, b) != 0;
}

static bool name_differs(const char *cert_name, const char *card_name)
{
	return !blank(cert_name) &&
	       !tqk_name_equal(cert_name, strlen(cert_name), card_name, strlen(card_name));
}

/* Appends piece to buf (cap bytes) after a "；" when buf is not empty;
 * nothing when the whole does not fit. */
static void remark_add(char *buf, size_t cap, const char *label, const char *value)
{
	static const char sep[] = "；";
	size_t used = strlen(buf), ls = strlen(label), vs = strlen(value);
	size_t need = (used > 0 ? sizeof sep - 1 : 0) + ls + vs;
	if (used + need >= cap)
		return;
	if (used > 0) {
		memcpy(buf + used, sep, sizeof sep - 1);
		used += sizeof sep - 1;
	}
	memcpy(buf + used, label, ls);
	memcpy(buf + used + ls, value, vs);
	buf[used + ls + vs] = '\0';
}

void tqk_roster_row_from(const tqk_application *a, const tqk_confirmation *c,
                         tqk_roster_row *out)
{
	assert(a != NULL && c != NULL && out != NULL);
	memset(out, 0, sizeof *out);
	copy_text(out->site, sizeof out->site, a->site);
	copy_text(out->school, sizeof out->school, a->school);
	copy_text(out->archive_no, sizeof out->archive_no, c->archive_no);
	copy_text(out->name, sizeof out->name, blank(a->cert_name) ? a->name : a->cert_name);
	copy_text(out->id_number, sizeof out->id_number,
	          blank(a->cert_id) ? a->id_number : a->cert_id);

	/* Only the digits matter here, not how old the person is: any day
	 * after every birth date serves as "today". */
	tqk_idnum id;
	const tqk_date far = {TQK_YEAR_MAX, 12, 31};
	if (tqk_id_parse(a->id_number, strlen(a->id_number), far, &id) == TQK_OK) {
		out->gender = id.gender;
		tqk_date_format(id.birth, out->birth);
	}

	copy_text(out->nation, sizeof out->nation, a->nation);
	out->qualification = a->qualification;
	copy_text(out->subject, sizeof out->subject, tqk_walkin_cert_subject(a));
	copy_text(out->cert_no, sizeof out->cert_no, a->cert_no);
	copy_text(out->cert_authority, sizeof out->cert_authority, a->cert_authority);
	copy_text(out->cert_issued, sizeof out->cert_issued, a->cert_issued);
	out->registration = a->registration;
	out->post = a->post;
	copy_text(out->post_subject, sizeof out->post_subject, a->post_subject);
	copy_text(out->title, sizeof out->title, a->title);
	copy_text(out->work_start, sizeof out->work_start, a->work_start);
	out->school_area = a->school_area;
	copy_text(out->reg_no, sizeof out->reg_no, a->reg_no);
	out->conclusion = c->conclusion;
	if (c->at != 0)
		tqk_date_format(tqk_time_date(c->at), out->confirmed);

	if (c->police_required) {
		if (name_differs(a->cert_name, a->name))
			remark_add(out->remark, sizeof out->remark, "现身份证姓名：", a->name);
		if (id_differs(a->cert_id, a->id_number))
			remark_add(out->remark, sizeof out->remark, "现身份证号码：", a->id_number);
	}
}

tqk_roster tqk_roster_row_kind(const tqk_roster_row *r)
{
	tqk_roster k = tqk_stage_roster(r->qualification);
	return k != TQK_ROSTER_NONE ? k : tqk_stage_roster(r->post);
}

/* The place of a row's type on its roster: the higher stage first, rows
 * without a formal certificate last. */
static int type_rank(const tqk_roster_row *r)
{
	switch (r->qualification) {
	case TQK_STAGE_SENIOR: case TQK_STAGE_JUNIOR: return 0;
	case TQK_STAGE_VOCATIONAL: case TQK_STAGE_PRIMARY: return 1;
	case TQK_STAGE_VOC_PRACTICE: case TQK_STAGE_KINDERGARTEN: return 2;
	default: return 3;
	}
}

struct item {
	const tqk_roster_row *row;
	int kind;                   /* TQK_ROSTER_IDX */
	int rank;                   /* type_rank */
	const char *school_min;     /* the school's smallest archive number, per sort */
	size_t input;               /* the row's index in the input: the last tie */
};

/* Archive numbers of one site differ only in the serial: the shorter one
 * (a narrower serial) first, then in character order. */
static int archive_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la != lb)
		return la < lb ? -1 : 1;
	return strcmp(a, b);
}

/* Type, archive number, registration number, input index. */
static int tail_cmp(const struct item *x, const struct item *y)
{
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	int c = archive_cmp(x->row->archive_no, y->row->archive_no);
	if (c == 0)
		c = strcmp(x->row->reg_no, y->row->reg_no);
	if (c == 0 && x->input != y->input)
		c = x->input < y->input ? -1 : 1;
	return c;
}

/* Site, school, roster, then the tail: every school's rosters as runs. */
static int group_cmp(const void *pa, const void *pb)
{
	const struct item *x = pa, *y = pb;
	int c = strcmp(x->row->site, y->row->site);
	if (c == 0)
		c = strcmp(x->row->school, y->row->school);
	if (c == 0 && x->kind != y->kind)
		c = x->kind < y->kind ? -1 : 1;
	return c != 0 ? c : tail_cmp(x, y);
}

/* One summary: the schools by school_min (then name), then the tail. */
static int summary_cmp(const void *pa, const void *pb)
{
	const struct item *x = pa, *y = pb;
	int c = archive_cmp(x->school_min, y->school_min);
	if (c == 0)
		c = strcmp(x->row->school, y->row->school);
	return c != 0 ? c : tail_cmp(x, y);
}

struct school_key {
	tqk_roster_school school;
	const char *min;            /* smallest archive number over both rosters */
};

static int school_cmp(const void *pa, const void *pb)
{
	const struct school_key *x = pa, *y = pb;
	int c = archive_cmp(x->min, y->min);
	return c != 0 ? c : strcmp(x->school.name, y->school.name);
}

/* The book and everything it points to. */
struct book {
	tqk_roster_book pub;        /* first: the caller's pointer is this */
	tqk_roster_row *rows;
	const tqk_roster_row **ptrs;/* 2 n: the schools' lists, then the summaries */
	tqk_roster_site *sites;
	tqk_roster_school *schools;
	struct item *items;
	struct school_key *keys;
};

void tqk_roster_book_free(tqk_roster_book *b)
{
	if (b == NULL)
		return;
	struct book *k = (struct book *)b;
	free(k->rows);
	free(k->ptrs);
	free(k->sites);
	free(k->schools);
	free(k->items);
	free(k->keys);
	free(k);
}

static const char *min_archive(const char *a, const char *b)
{
	return a == NULL || archive_cmp(b, a) < 0 ? b : a;
}

/* Lays out the site of items[0..n) (sorted by group_cmp): its schools,
 * their lists, its summaries. ptrs has room for n school rows and n summary
 * rows; keys and schools for as many schools as there are rows. */
static void build_site(tqk_roster_site *site, struct item *items, size_t n,
                       const tqk_roster_row **ptrs, tqk_roster_school *schools,
                       struct school_key *keys)
{
	site->code = items[0].row->site;
	size_t ns = 0, p = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		struct school_key *key = &keys[ns++];
		memset(key, 0, sizeof *key);
		key->school.name = items[i].row->school;
		for (int kind = 0; kind < 2; kind++) {
			tqk_roster_list *l = &key->school.list[kind];
			l->kind = kind == 0 ? TQK_ROSTER_SENIOR : TQK_ROSTER_BASIC;
			l->first = 1;
			l->rows = ptrs + p;
			while (j < n && strcmp(items[j].row->school, key->school.name) == 0 &&
			       items[j].kind == kind) {
				ptrs[p++] = items[j].row;
				key->min = min_archive(key->min, items[j].row->archive_no);
				l->n++;
				j++;
			}
		}
		/* Each school's smallest archive number per roster, for the summaries. */
		const char *least[2] = {NULL, NULL};
		for (size_t m = i; m < j; m++)
			least[items[m].kind] = min_archive(least[items[m].kind], items[m].row->archive_no);
		for (size_t m = i; m < j; m++)
			items[m].school_min = least[items[m].kind];
		i = j;
	}
	qsort(keys, ns, sizeof *keys, school_cmp);
	for (size_t s = 0; s < ns; s++)
		schools[s] = keys[s].school;
	site->schools = schools;
	site->n_schools = ns;

	/* The summaries: the senior rows then the basic ones, one serial. */
	qsort(items, n, sizeof *items, summary_cmp);
	const tqk_roster_row **sum = ptrs + n;
	size_t q = 0;
	for (int kind = 0; kind < 2; kind++) {
		tqk_roster_list *l = &site->summary[kind];
		l->kind = kind == 0 ? TQK_ROSTER_SENIOR : TQK_ROSTER_BASIC;
		l->first = (unsigned)q + 1;
		l->rows = sum + q;
		for (size_t i = 0; i < n; i++)
			if (items[i].kind == kind)
				sum[q++] = items[i].row;
		l->n = (size_t)(sum + q - l->rows);
	}
}

tqk_err tqk_roster_book_new(const tqk_roster_row *rows, size_t n, tqk_roster_book **out,
                            size_t *bad)
{
	assert(out != NULL && (rows != NULL || n == 0));
	*out = NULL;
	if (n > TQK_ROSTER_ROWS_MAX)
		return TQK_E_TOO_LONG;
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (!tqk_conclusion_bagged(rows[i].conclusion))
			continue;
		tqk_err e = TQK_OK;
		if (rows[i].archive_no[0] == '\0')
			e = TQK_E_FIELD_REQUIRED;
		else if (tqk_roster_row_kind(&rows[i]) == TQK_ROSTER_NONE)
			e = TQK_E_STAGE_UNKNOWN;
		if (e != TQK_OK) {
			if (bad != NULL)
				*bad = i;
			return e;
		}
		m++;
	}

	struct book *k = calloc(1, sizeof *k);
	if (k == NULL)
		return TQK_E_NOMEM;
	size_t cap = m > 0 ? m : 1;
	k->rows = calloc(cap, sizeof *k->rows);
	k->ptrs = calloc(2 * cap, sizeof *k->ptrs);
	k->sites = calloc(cap, sizeof *k->sites);
	k->schools = calloc(cap, sizeof *k->schools);
	k->items = calloc(cap, sizeof *k->items);
	k->keys = calloc(cap, sizeof *k->keys);
	if (k->rows == NULL || k->ptrs == NULL || k->sites == NULL || k->schools == NULL ||
	    k->items == NULL || k->keys == NULL) {
		tqk_roster_book_free(&k->pub);
		return TQK_E_NOMEM;
	}

	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (!tqk_conclusion_bagged(rows[i].conclusion))
			continue;
		k->rows[j] = rows[i];
		/* The texts end inside their arrays whatever the caller left. */
		k->rows[j].site[sizeof k->rows[j].site - 1] = '\0';
		k->rows[j].school[sizeof k->rows[j].school - 1] = '\0';
		k->rows[j].archive_no[sizeof k->rows[j].archive_no - 1] = '\0';
		k->rows[j].reg_no[sizeof k->rows[j].reg_no - 1] = '\0';
		k->items[j] = (struct item){
			.row = &k->rows[j],
			.kind = TQK_ROSTER_IDX(tqk_roster_row_kind(&rows[i])),
			.rank = type_rank(&rows[i]),
			.input = i,
		};
		j++;
	}
	qsort(k->items, m, sizeof *k->items, group_cmp);

	size_t ns = 0, nschools = 0;
	for (size_t i = 0; i < m;) {
		size_t e = i;
		while (e < m && strcmp(k->items[e].row->site, k->items[i].row->site) == 0)
			e++;
		build_site(&k->sites[ns], k->items + i, e - i, k->ptrs + 2 * i,
		           k->schools + nschools, k->keys + nschools);
		nschools += k->sites[ns].n_schools;
		ns++;
		i = e;
	}
	k->pub.n_sites = ns;
	k->pub.sites = k->sites;
	k->pub.n_rows = m;
	*out = &k->pub;
	return TQK_OK;
}

static const char *const col_names[TQK_RC_COUNT] = {
	[TQK_RC_SERIAL] = "序号",
	[TQK_RC_ARCHIVE] = "档案序号",
	[TQK_RC_NAME] = "姓名",
	[TQK_RC_GENDER] = "性别",
	[TQK_RC_BIRTH] = "出生日期",
	[TQK_RC_ID] = "身份证号码",
	[TQK_RC_NATION] = "民族",
	[TQK_RC_QUALIFICATION] = "资格种类",
	[TQK_RC_SUBJECT] = "任教学科",
	[TQK_RC_CERT_NO] = "证书号码",
	[TQK_RC_AUTHORITY] = "认定机构",
	[TQK_RC_ISSUED] = "证书签发日期",
	[TQK_RC_REGISTRATION] = "注册类别",
	[TQK_RC_POST] = "任教学段",
	[TQK_RC_POST_SUBJECT] = "现任教学科",
	[TQK_RC_TITLE] = "职称",
	[TQK_RC_WORK_START] = "参加工作时间",
	[TQK_RC_AREA] = "学校所在地",
	[TQK_RC_REG_NO] = "网上报名号",
	[TQK_RC_CONCLUSION] = "确认结论",
	[TQK_RC_CONFIRMED] = "确认日期",
	[TQK_RC_REMARK] = "备注",
};

const char *tqk_roster_col_name(tqk_roster_col col)
{
	return (unsigned)col < TQK_RC_COUNT ? col_names[col] : NULL;
}

static const char *registration_name(tqk_registration r)
{
	switch (r) {
	case TQK_REG_FIRST: return "首次注册";
	case TQK_REG_SECOND: return "定期注册";
	default: return "";
	}
}

static const char *area_name(tqk_area a)
{
	switch (a) {
	case TQK_AREA_URBAN: return "城镇";
	case TQK_AREA_RURAL: return "农村";
	default: return "";
	}
}

char *tqk_roster_cell(const tqk_roster_row *r, tqk_roster_col col, char *buf, size_t cap)
{
	assert(r != NULL && buf != NULL && cap > 0);
	const char *s = "";
	switch (col) {
	case TQK_RC_ARCHIVE: s = r->archive_no; break;
	case TQK_RC_NAME: s = r->name; break;
	case TQK_RC_GENDER:
		s = r->gender == TQK_GENDER_UNKNOWN ? "" : tqk_gender_name(r->gender, TQK_LANG_ZH);
		break;
	case TQK_RC_BIRTH: s = r->birth; break;
	case TQK_RC_ID: s = r->id_number; break;
	case TQK_RC_NATION: s = r->nation; break;
	case TQK_RC_QUALIFICATION: s = tqk_stage_qual_name(r->qualification, TQK_LANG_ZH); break;
	case TQK_RC_SUBJECT: s = r->subject; break;
	case TQK_RC_CERT_NO: s = r->cert_no; break;
	case TQK_RC_AUTHORITY: s = r->cert_authority; break;
	case TQK_RC_ISSUED: s = r->cert_issued; break;
	case TQK_RC_REGISTRATION: s = registration_name(r->registration); break;
	case TQK_RC_POST:
		s = r->post == TQK_STAGE_NONE ? "" : tqk_stage_name(r->post, TQK_LANG_ZH);
		break;
	case TQK_RC_POST_SUBJECT: s = r->post_subject; break;
	case TQK_RC_TITLE: s = r->title; break;
	case TQK_RC_WORK_START: s = r->work_start; break;
	case TQK_RC_AREA: s = area_name(r->school_area); break;
	case TQK_RC_REG_NO: s = r->reg_no; break;
	case TQK_RC_CONCLUSION:
		s = tqk_conclusion_bagged(r->conclusion) ? tqk_conclusion_name(r->conclusion, TQK_LANG_ZH)
		                                         : "";
		break;
	case TQK_RC_CONFIRMED: s = r->confirmed; break;
	case TQK_RC_REMARK: s = r->remark; break;
	case TQK_RC_SERIAL:
	case TQK_RC_COUNT:
	default: break;
	}
	/* A row's texts are bounded by their arrays, whoever filled them. */
	size_t n = strnlen(s, TQK_TEXT_CAP);
	char tmp[TQK_TEXT_CAP];
	if (n >= TQK_TEXT_CAP)
		n = TQK_TEXT_CAP - 1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	copy_text(buf, cap, tmp);
	return buf;
}
