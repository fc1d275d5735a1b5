/*
 * application.c - the correctable fields of an application: one table with
 * each field's code, labels, kind and place in the struct, and the checks
 * that every way into an application (JSON, a clerk's correction, the store)
 * goes through.
 */
#include "core/application.h"

#include <assert.h>
#include <stddef.h>
#include <string.h>

#include "core/text.h"

enum kind {
	K_NAME,         /* a person's name */
	K_TEXT,         /* free text */
	K_ID,           /* an ID number, normalised */
	K_CERT,         /* a certificate number, normalised */
	K_STAGE,        /* a stage code */
	K_DATE,         /* YYYY-MM-DD */
	K_CODE,         /* a site code */
	K_AREA,         /* urban / rural */
	K_EMAIL
};

struct field {
	tqk_field_info info;
	enum kind kind;
	size_t offset, cap;     /* the text buffer; 0 cap for enums */
};

#define TXT(m) offsetof(tqk_application, m), sizeof(((tqk_application *)0)->m)
#define ENUM(m) offsetof(tqk_application, m), 0

static const struct field fields[TQK_F_COUNT] = {
	[TQK_F_NAME] = {{"name", {"姓名", "name"}, true, true}, K_NAME, TXT(name)},
	[TQK_F_ID_NUMBER] = {{"id_number", {"身份证号码", "ID number"}, true, true},
		K_ID, TXT(id_number)},
	[TQK_F_NATION] = {{"nation", {"民族", "ethnicity"}, false, true}, K_TEXT, TXT(nation)},
	[TQK_F_CERT_NO] = {{"cert_no", {"教师资格证书号码", "certificate number"}, false, true},
		K_CERT, TXT(cert_no)},
	[TQK_F_CERT_NAME] = {{"cert_name", {"证书上的姓名", "name on the certificate"}, false, true},
		K_NAME, TXT(cert_name)},
	[TQK_F_CERT_ID] = {{"cert_id", {"证书上的身份证号码", "ID number on the certificate"},
		false, true}, K_ID, TXT(cert_id)},
	[TQK_F_QUALIFICATION] = {{"qualification", {"资格种类", "qualification type"}, false, false},
		K_STAGE, ENUM(qualification)},
	[TQK_F_CERT_SUBJECT] = {{"cert_subject", {"证书任教学科", "subject on the certificate"},
		false, false}, K_TEXT, TXT(cert_subject)},
	[TQK_F_CERT_AUTHORITY] = {{"cert_authority", {"认定机构", "certifying authority"},
		false, false}, K_TEXT, TXT(cert_authority)},
	[TQK_F_CERT_ISSUED] = {{"cert_issued", {"证书签发日期", "certificate issued"}, false, false},
		K_DATE, TXT(cert_issued)},
	[TQK_F_INSTITUTION] = {{"institution", {"注册机构", "registration institution"}, false, false},
		K_TEXT, TXT(institution)},
	[TQK_F_SITE] = {{"site", {"现场确认点", "confirmation site"}, true, false},
		K_CODE, TXT(site)},
	[TQK_F_POST] = {{"post", {"现任教学段", "stage taught now"}, false, false},
		K_STAGE, ENUM(post)},
	[TQK_F_POST_SUBJECT] = {{"post_subject", {"现任教学科", "subject taught now"}, false, false},
		K_TEXT, TXT(post_subject)},
	[TQK_F_SCHOOL] = {{"school", {"现任职学校", "school"}, false, true}, K_TEXT, TXT(school)},
	[TQK_F_SCHOOL_AREA] = {{"school_area", {"学校所在地", "school location"}, false, false},
		K_AREA, ENUM(school_area)},
	[TQK_F_TITLE] = {{"title", {"职称", "professional title"}, false, false}, K_TEXT, TXT(title)},
	[TQK_F_WORK_START] = {{"work_start", {"参加工作时间", "started work"}, false, true},
		K_DATE, TXT(work_start)},
	[TQK_F_EMAIL] = {{"email", {"电子邮箱", "email"}, false, true}, K_EMAIL, TXT(email)},
};

static const char *const areas[] = {"", "urban", "rural"};

const char *tqk_area_code(tqk_area a)
{
	return (unsigned)a < sizeof areas / sizeof areas[0] ? areas[a] : "";
}

const tqk_field_info *tqk_field_get_info(tqk_field f)
{
	return (unsigned)f < TQK_F_COUNT ? &fields[f].info : NULL;
}

tqk_err tqk_field_from_code(const char *code, tqk_field *out)
{
	for (int f = 0; code != NULL && f < TQK_F_COUNT; f++)
		if (strcmp(code, fields[f].info.code) == 0) {
			*out = (tqk_field)f;
			return TQK_OK;
		}
	return TQK_E_FIELD_UNKNOWN;
}

bool tqk_code_valid(const char *s)
{
	size_t n = strnlen(s, TQK_CODE_CAP);
	return n < TQK_CODE_CAP && tqk_code_chars(s, n, TQK_CODE_CAP - 1);
}

bool tqk_code_chars(const char *s, size_t n, size_t max)
{
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static char *text_of(tqk_application *a, const struct field *fd)
{
	return (char *)a + fd->offset;
}

static void set_empty(tqk_application *a, const struct field *fd, tqk_field f)
{
	if (fd->kind == K_STAGE)
		*(f == TQK_F_POST ? &a->post : &a->qualification) = TQK_STAGE_NONE;
	else if (fd->kind == K_AREA)
		a->school_area = TQK_AREA_NONE;
	else
		text_of(a, fd)[0] = '\0';
}

void tqk_field_text(const tqk_application *a, tqk_field f, char *buf, size_t cap)
{
	assert((unsigned)f < TQK_F_COUNT && cap > 0);
	const struct field *fd = &fields[f];
	const char *v;
	if (fd->kind == K_STAGE) {
		tqk_stage s = f == TQK_F_POST ? a->post : a->qualification;
		v = s == TQK_STAGE_NONE ? "" : tqk_stage_code(s);
	} else if (fd->kind == K_AREA) {
		v = tqk_area_code(a->school_area);
	} else {
		v = (const char *)a + fd->offset;
	}
	size_t n = strnlen(v, cap - 1);
	memcpy(buf, v, n);
	buf[n] = '\0';
}

/* Free text: valid UTF-8 within the cap, no control characters. */
static tqk_err check_text(const char *v, size_t n, size_t cap)
{
	if (n >= cap)
		return TQK_E_TOO_LONG;
	if (!tqk_utf8_valid(v, n))
		return TQK_E_UTF8;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return TQK_E_FIELD_VALUE;
	return TQK_OK;
}

/* An email: one '@' with text on both sides, a dot in the domain, no spaces. */
static bool email_ok(const char *v, size_t n)
{
	const char *at = memchr(v, '@', n);
	if (at == NULL || at == v || memchr(at + 1, '@', n - (size_t)(at + 1 - v)) != NULL)
		return false;
	const char *dom = at + 1;
	size_t dn = n - (size_t)(dom - v);
	const char *dot = memchr(dom, '.', dn);
	if (dot == NULL || dot == dom || dot == v + n - 1)
		return false;
	return memchr(v, ' ', n) == NULL;
}

tqk_err tqk_field_set(tqk_application *a, tqk_field f, const char *value, tqk_date today)
{
	assert((unsigned)f < TQK_F_COUNT && value != NULL);
	const struct field *fd = &fields[f];
	size_t n = strnlen(value, TQK_MSG_CAP);
	if (n >= TQK_MSG_CAP)
		return TQK_E_TOO_LONG;      /* longer than any field: never cut short */
	const char *v = value;
	tqk_text_trim(&v, &n);
	if (n == 0) {
		if (fd->info.required)
			return TQK_E_FIELD_REQUIRED;
		set_empty(a, fd, f);
		return TQK_OK;
	}

	char norm[TQK_TEXT_CAP];
	tqk_err err = TQK_OK;
	switch (fd->kind) {
	case K_ID: {
		tqk_idnum id;
		if ((err = tqk_id_parse(v, n, today, &id)) != TQK_OK)
			return err;
		memcpy(norm, id.id, sizeof id.id);
		break;
	}
	case K_CERT: {
		tqk_certnum c;
		if ((err = tqk_cert_parse(v, n, today.year, &c)) != TQK_OK)
			return err;
		memcpy(norm, c.cert, sizeof c.cert);
		break;
	}
	case K_STAGE: {
		char code[64];      /* the longest name a stage has is 42 bytes */
		if (n >= sizeof code)
			return TQK_E_STAGE_UNKNOWN;
		memcpy(code, v, n);
		code[n] = '\0';
		tqk_stage s;
		if ((err = tqk_stage_parse(code, &s)) != TQK_OK)
			return err;
		*(f == TQK_F_POST ? &a->post : &a->qualification) = s;
		return TQK_OK;
	}
	case K_AREA:
		for (int i = TQK_AREA_URBAN; i <= TQK_AREA_RURAL; i++)
			if (n == strlen(areas[i]) && memcmp(v, areas[i], n) == 0) {
				a->school_area = (tqk_area)i;
				return TQK_OK;
			}
		return TQK_E_FIELD_VALUE;
	case K_DATE: {
		tqk_date d;
		if ((err = tqk_date_parse(v, n, &d)) != TQK_OK)
			return err;
		if (tqk_date_to_day(d) > tqk_date_to_day(today))
			return TQK_E_FIELD_VALUE;
		tqk_date_format(d, norm);
		break;
	}
	case K_CODE:
		if (n >= TQK_CODE_CAP)
			return TQK_E_TOO_LONG;
		memcpy(norm, v, n);
		norm[n] = '\0';
		if (!tqk_code_valid(norm))
			return TQK_E_FIELD_VALUE;
		break;
	case K_NAME:
	case K_TEXT:
	case K_EMAIL:
		if ((err = check_text(v, n, fd->cap)) != TQK_OK)
			return err;
		if (fd->kind == K_EMAIL && !email_ok(v, n))
			return TQK_E_FIELD_VALUE;
		memcpy(norm, v, n);
		norm[n] = '\0';
		break;
	}
	size_t len = strlen(norm);
	if (len >= fd->cap)
		return TQK_E_TOO_LONG;
	memcpy(text_of(a, fd), norm, len + 1);
	return TQK_OK;
}

void tqk_field_restore(tqk_application *a, tqk_field f, const char *value)
{
	assert((unsigned)f < TQK_F_COUNT && value != NULL);
	const struct field *fd = &fields[f];
	if (fd->kind == K_STAGE || fd->kind == K_AREA) {
		if (tqk_field_set(a, f, value, (tqk_date){TQK_YEAR_MAX, 12, 31}) != TQK_OK)
			set_empty(a, fd, f);
		return;
	}
	size_t n = strnlen(value, fd->cap - 1);
	/* Never end inside a UTF-8 sequence. */
	if (n == fd->cap - 1)
		while (n > 0 && ((unsigned char)value[n] & 0xc0) == 0x80)
			n--;
	char *dst = text_of(a, fd);
	memcpy(dst, value, n);
	dst[n] = '\0';
}

tqk_err tqk_message_check(const char *s)
{
	size_t n = strnlen(s, TQK_MSG_CAP);
	if (n >= TQK_MSG_CAP)
		return TQK_E_TOO_LONG;
	if (!tqk_utf8_valid(s, n))
		return TQK_E_UTF8;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
			return TQK_E_FIELD_VALUE;
	return TQK_OK;
}

tqk_err tqk_application_check(const tqk_application *a, tqk_date today, const char **bad)
{
	const char *where = "reg_no";
	tqk_err err = TQK_OK;
	if (!tqk_code_valid(a->reg_no)) {
		err = TQK_E_FIELD_VALUE;
		goto out;
	}
	/* Each field must survive its own round trip through tqk_field_set. */
	tqk_application copy = *a;
	for (int f = 0; f < TQK_F_COUNT; f++) {
		char text[TQK_TEXT_CAP];
		where = fields[f].info.code;
		/* tqk_field_text writes an out-of-range enum as a valid one. */
		if (fields[f].kind == K_STAGE &&
		    (unsigned)(f == TQK_F_POST ? a->post : a->qualification) >= TQK_STAGE_COUNT) {
			err = TQK_E_STAGE_UNKNOWN;
			goto out;
		}
		if (fields[f].kind == K_AREA && (unsigned)a->school_area > TQK_AREA_RURAL) {
			err = TQK_E_FIELD_VALUE;
			goto out;
		}
		tqk_field_text(a, (tqk_field)f, text, sizeof text);
		if (fields[f].kind != K_STAGE && fields[f].kind != K_AREA &&
		    strnlen((const char *)a + fields[f].offset, fields[f].cap) >= fields[f].cap) {
			err = TQK_E_TOO_LONG;
			goto out;
		}
		if ((err = tqk_field_set(&copy, (tqk_field)f, text, today)) != TQK_OK)
			goto out;
	}
	where = "registration";
	if (a->registration != TQK_REG_FIRST && a->registration != TQK_REG_SECOND) {
		err = TQK_E_FIELD_VALUE;
		goto out;
	}
	where = "state";
	if (!tqk_state_valid(a->state)) {
		err = TQK_E_STATE_UNKNOWN;
		goto out;
	}
	where = "site_message";
	if ((err = tqk_message_check(a->site_message)) != TQK_OK)
		goto out;
	where = "inst_message";
	if ((err = tqk_message_check(a->inst_message)) != TQK_OK)
		goto out;
	where = "remark";
	if ((err = tqk_message_check(a->remark)) != TQK_OK)
		goto out;
	where = "rev";
	if (a->rev < 0)
		err = TQK_E_FIELD_VALUE;
out:
	if (err != TQK_OK && bad != NULL)
		*bad = where;
	return err;
}

tqk_case tqk_application_case(const tqk_application *a, const char *card_name, const char *card_id)
{
	return (tqk_case){
		.card_name = card_name, .card_id = card_id,
		.cert_name = a->cert_name, .cert_id = a->cert_id,
		.registration = a->registration,
		.qualification = a->qualification, .post = a->post,
	};
}
