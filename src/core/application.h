/*
 * application.h - an application for periodic registration, as a plain value.
 *
 * The fields are those of the national online system (SPEC §6, §4): who the
 * teacher is, the certificate, the registration institution, the chosen
 * confirmation point, the post, the school, and where the application stands.
 * The fields a site may correct (first text, 4(2)) are named by tqk_field and
 * reached through one text form each, so that corrections, JSON and the
 * store's columns all go through the same checks. Every text has a hard byte
 * cap; nothing here allocates.
 */
#ifndef TQK_CORE_APPLICATION_H
#define TQK_CORE_APPLICATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/certnum.h"
#include "core/date.h"
#include "core/err.h"
#include "core/idnum.h"
#include "core/materials.h"
#include "core/stage.h"
#include "core/state.h"

#define TQK_CODE_CAP 33     /* registration numbers, site, kiosk, clerk ids */
#define TQK_NAME_CAP 97     /* a person's name, up to 96 bytes of UTF-8 */
#define TQK_TEXT_CAP 257    /* school, institution, subject, email: 256 bytes */
#define TQK_MSG_CAP 1025    /* messages and remarks: 1024 bytes */
#define TQK_FORM_PAYLOAD_CAP 301 /* a signed QR payload: TQK_PAYLOAD_CAP of payload.h */

typedef enum tqk_area {
	TQK_AREA_NONE = 0,
	TQK_AREA_URBAN,         /* 城镇 */
	TQK_AREA_RURAL          /* 农村 */
} tqk_area;

/* The fields a site may correct, in the order the clerk's form shows them. */
typedef enum tqk_field {
	TQK_F_NAME = 0,         /* name as on the ID card */
	TQK_F_ID_NUMBER,
	TQK_F_NATION,           /* 民族 */
	TQK_F_CERT_NO,
	TQK_F_CERT_NAME,        /* name printed on the certificate */
	TQK_F_CERT_ID,          /* ID number printed on the certificate */
	TQK_F_QUALIFICATION,    /* 资格种类 (a stage code) */
	TQK_F_CERT_SUBJECT,     /* 任教学科 on the certificate */
	TQK_F_CERT_AUTHORITY,   /* 认定机构 */
	TQK_F_CERT_ISSUED,      /* YYYY-MM-DD */
	TQK_F_INSTITUTION,      /* 注册机构 */
	TQK_F_SITE,             /* 确认点 (a site code) */
	TQK_F_POST,             /* current stage taught (a stage code) */
	TQK_F_POST_SUBJECT,
	TQK_F_SCHOOL,
	TQK_F_SCHOOL_AREA,      /* "urban" or "rural" */
	TQK_F_TITLE,            /* 职称 */
	TQK_F_WORK_START,       /* YYYY-MM-DD */
	TQK_F_EMAIL,
	TQK_F_COUNT
} tqk_field;

typedef struct tqk_field_info {
	const char *code;       /* the JSON member and the store's column */
	const char *label[TQK_LANG_COUNT];
	bool required;          /* may not be empty */
	bool personal;          /* removed by the purge */
} tqk_field_info;

typedef struct tqk_application {
	char reg_no[TQK_CODE_CAP];          /* 报名号 */
	char site[TQK_CODE_CAP];            /* chosen confirmation point */
	char id_number[TQK_ID_LEN + 1];     /* normalised 18 characters */
	char name[TQK_NAME_CAP];
	char nation[TQK_TEXT_CAP];
	char cert_no[TQK_CERT_LEN + 1];     /* normalised 17 digits, or empty */
	char cert_name[TQK_NAME_CAP];
	char cert_id[TQK_ID_LEN + 1];
	tqk_stage qualification;
	char cert_subject[TQK_TEXT_CAP];
	char cert_authority[TQK_TEXT_CAP];
	char cert_issued[TQK_DATE_BUFLEN];
	char institution[TQK_TEXT_CAP];
	tqk_stage post;
	char post_subject[TQK_TEXT_CAP];
	char school[TQK_TEXT_CAP];
	tqk_area school_area;
	char title[TQK_TEXT_CAP];
	char work_start[TQK_DATE_BUFLEN];
	char email[TQK_TEXT_CAP];

	tqk_registration registration;      /* first or later registration */
	tqk_state state;
	char site_message[TQK_MSG_CAP];     /* 留言 from the confirmation site */
	char inst_message[TQK_MSG_CAP];     /* 留言 from the registration institution */
	char remark[TQK_MSG_CAP];           /* e.g. why the site did not accept it */
	int64_t rev;                        /* the server's revision, 0 for local */
	/* The county's signed QR payload for the printed form (core/payload.h):
	 * its registration and ID numbers are this application's. "" when the
	 * county has not signed one (no key yet, or a walk-in not yet acked). */
	char payload[TQK_FORM_PAYLOAD_CAP];
	bool purged;                        /* personal data removed */
} tqk_application;

/* The description of f; NULL when f is out of range. */
const tqk_field_info *tqk_field_get_info(tqk_field f);
/* The field whose code is code; TQK_E_FIELD_UNKNOWN when none. */
tqk_err tqk_field_from_code(const char *code, tqk_field *out) TQK_MUST_CHECK;

/* A code (registration number, site, kiosk or clerk id): 1..32 of
 * [A-Za-z0-9_-]. */
bool tqk_code_valid(const char *s);
/* True when s[0..n) (not NUL-terminated) is 1..max characters of
 * [A-Za-z0-9_-], the characters of codes and key ids. */
bool tqk_code_chars(const char *s, size_t n, size_t max);

/*
 * The text form of field f of a into buf (cap bytes; TQK_TEXT_CAP holds every
 * field). Stages and the area are written as their codes, unset ones as "".
 */
void tqk_field_text(const tqk_application *a, tqk_field f, char *buf, size_t cap);

/*
 * Checks value as field f and stores its normalised form in a (a 15-digit ID
 * or certificate number becomes 18 / 17 characters). today bounds birth
 * dates and certificate years. Fails with TQK_E_FIELD_REQUIRED for an empty
 * required field, TQK_E_TOO_LONG, TQK_E_UTF8, the ID / certificate / date /
 * stage errors, or TQK_E_FIELD_VALUE; a is untouched on failure.
 */
tqk_err tqk_field_set(tqk_application *a, tqk_field f, const char *value,
                      tqk_date today) TQK_MUST_CHECK;

/*
 * Stores value as field f without checking it: for values read back from
 * the store, which checked them on the way in (and may have emptied them in
 * a purge). Text beyond the field's cap is cut at a character boundary; an
 * unknown stage or area code reads as unset.
 */
void tqk_field_restore(tqk_application *a, tqk_field f, const char *value);

/*
 * Checks a whole application: every field as tqk_field_set would, plus the
 * registration number, the state, the first-or-second flag and the message
 * texts. On failure *bad (when not NULL) names the first bad field's code.
 */
tqk_err tqk_application_check(const tqk_application *a, tqk_date today,
                              const char **bad) TQK_MUST_CHECK;

/* A message or remark: at most TQK_MSG_CAP - 1 bytes of UTF-8, may be
 * empty, no control characters but line breaks. TQK_E_TOO_LONG, TQK_E_UTF8
 * or TQK_E_FIELD_VALUE. */
tqk_err tqk_message_check(const char *s) TQK_MUST_CHECK;

/* The case the materials rules need (police certificate, qualification
 * match), read from a and the name and ID number on the ID card. */
tqk_case tqk_application_case(const tqk_application *a, const char *card_name,
                              const char *card_id);

const char *tqk_area_code(tqk_area a);      /* "", "urban", "rural" */

#endif
