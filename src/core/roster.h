/*
 * roster.h - the rosters (花名册) of confirmed applications, as a pure rule
 * (seed, fourth text, 5-8; SPEC §9).
 *
 * Each school (编制所在单位) gets two rosters: one of the 高中、中职
 * qualification types (高级中学, 中等职业学校, 中职实习指导) and one of the
 * 初中、小学、幼儿园 types. Each is ordered by qualification type, the
 * higher stage first (高级中学, 中等职业学校, 中职实习指导 / 初级中学, 小学,
 * 幼儿园), then by archive number, and numbered 1..n. Each confirmation site
 * (the township) also gets the two summaries of all its schools, ordered by
 * school - the schools by their smallest archive number, so that the serial
 * and the archive numbers run together -, then by qualification type and
 * archive number, with one running serial across the site: the senior
 * summary is numbered 1..k, the basic one k+1..n. Remaining ties are broken
 * by registration number, so the order does not depend on the input's.
 *
 * Only confirmations whose conclusion fills an archive bag
 * (tqk_conclusion_bagged) are on rosters. A row is a plain value that holds
 * what the roster prints, filled from an application (after corrections) and
 * its current confirmation by tqk_roster_row_from, or by the county server
 * from its own rows. Nothing here does I/O; tqk_roster_book_new allocates
 * one book that tqk_roster_book_free releases.
 */
#ifndef TQK_CORE_ROSTER_H
#define TQK_CORE_ROSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/application.h"
#include "core/archive.h"
#include "core/confirmation.h"
#include "core/date.h"
#include "core/err.h"
#include "core/idnum.h"
#include "core/materials.h"
#include "core/stage.h"

/* "现身份证姓名：" + a name + "；" + "现身份证号码：" + 18 characters. */
#define TQK_ROSTER_REMARK_CAP 192
/* Rows one book takes (a county's year is a few thousand). */
#define TQK_ROSTER_ROWS_MAX 20000

/* One teacher's line, as printed (the enums are named when printed). */
typedef struct tqk_roster_row {
	char site[TQK_CODE_CAP];            /* the confirmation site (the township) */
	char school[TQK_TEXT_CAP];          /* 编制所在单位: groups the rows */
	char archive_no[TQK_ARCHIVE_BUFLEN];/* 档案序号 */
	char name[TQK_NAME_CAP];            /* 姓名: the certificate's, else the card's */
	tqk_gender gender;                  /* 性别, from the card's ID number */
	char birth[TQK_DATE_BUFLEN];        /* 出生日期, likewise; "" when unknown */
	char id_number[TQK_ID_LEN + 1];     /* 身份证号码: the certificate's, else the card's */
	char nation[TQK_TEXT_CAP];          /* 民族 */
	tqk_stage qualification;            /* 资格种类 */
	char subject[TQK_TEXT_CAP];         /* 任教学科: the certificate's, else the one taught now */
	char cert_no[TQK_CERT_LEN + 1];     /* 证书号码 */
	char cert_authority[TQK_TEXT_CAP];  /* 认定机构 */
	char cert_issued[TQK_DATE_BUFLEN];  /* 证书签发日期 */
	tqk_registration registration;      /* 注册类别 */
	tqk_stage post;                     /* 任教学段 */
	char post_subject[TQK_TEXT_CAP];    /* 现任教学科 */
	char title[TQK_TEXT_CAP];           /* 职称 */
	char work_start[TQK_DATE_BUFLEN];   /* 参加工作时间 */
	tqk_area school_area;               /* 学校所在地 */
	char reg_no[TQK_CODE_CAP];          /* 网上报名号 */
	tqk_conclusion conclusion;          /* 确认结论 */
	char confirmed[TQK_DATE_BUFLEN];    /* 确认日期 */
	char remark[TQK_ROSTER_REMARK_CAP]; /* 备注: the current name / ID number */
} tqk_roster_row;

/* The printed columns, in their order. */
typedef enum tqk_roster_col {
	TQK_RC_SERIAL = 0,      /* 序号: the only number; the others are text */
	TQK_RC_ARCHIVE,
	TQK_RC_NAME,
	TQK_RC_GENDER,
	TQK_RC_BIRTH,
	TQK_RC_ID,
	TQK_RC_NATION,
	TQK_RC_QUALIFICATION,
	TQK_RC_SUBJECT,
	TQK_RC_CERT_NO,
	TQK_RC_AUTHORITY,
	TQK_RC_ISSUED,
	TQK_RC_REGISTRATION,
	TQK_RC_POST,
	TQK_RC_POST_SUBJECT,
	TQK_RC_TITLE,
	TQK_RC_WORK_START,
	TQK_RC_AREA,
	TQK_RC_REG_NO,
	TQK_RC_CONCLUSION,
	TQK_RC_CONFIRMED,
	TQK_RC_REMARK,
	TQK_RC_COUNT
} tqk_roster_col;

/* One numbered list: rows[i] carries serial first + i. */
typedef struct tqk_roster_list {
	tqk_roster kind;                    /* TQK_ROSTER_SENIOR or TQK_ROSTER_BASIC */
	unsigned first;                     /* 1, or k + 1 for the basic summary */
	size_t n;
	const tqk_roster_row *const *rows;  /* into the book */
} tqk_roster_list;

/* Index of a kind in the arrays below: [0] senior, [1] basic. */
#define TQK_ROSTER_IDX(kind) ((kind) == TQK_ROSTER_SENIOR ? 0 : 1)

typedef struct tqk_roster_school {
	const char *name;                   /* the rows' school text */
	tqk_roster_list list[2];            /* its two rosters; n may be 0 */
} tqk_roster_school;

typedef struct tqk_roster_site {
	const char *code;
	size_t n_schools;
	const tqk_roster_school *schools;   /* by smallest archive number, then name */
	tqk_roster_list summary[2];         /* senior 1..k, basic k+1..n */
} tqk_roster_site;

/* What tqk_roster_book_new builds; read-only, owned by the book. */
typedef struct tqk_roster_book {
	size_t n_sites;
	const tqk_roster_site *sites;       /* by site code */
	size_t n_rows;                      /* the rows on rosters */
} tqk_roster_book;

/*
 * Fills *out from an application a (its corrections applied) and its current
 * confirmation c: the printed name and ID number (the certificate's when
 * given), gender and birth date from the card's ID number (unknown when it
 * does not parse), the subject (tqk_walkin_cert_subject), the confirmation
 * date (local date of c->at) and the remark, which names the current name
 * and / or ID number when c->police_required and they differ from the
 * certificate's ("现身份证姓名：张三", "现身份证号码：…", joined by "；").
 * The conclusion is copied whatever it is: tqk_roster_book_new leaves out
 * the rows that are not bagged. Never fails; nothing is allocated.
 */
void tqk_roster_row_from(const tqk_application *a, const tqk_confirmation *c,
                         tqk_roster_row *out);

/*
 * Builds the rosters of rows[0..n) (copied: the caller's array may go once
 * this returns). Rows whose conclusion is not bagged are left out. Fails
 * with TQK_E_TOO_LONG beyond TQK_ROSTER_ROWS_MAX rows, TQK_E_NOMEM, and for
 * a bagged row without archive number (TQK_E_FIELD_REQUIRED) or whose
 * qualification type, or post when it has none, belongs on no roster
 * (TQK_E_STAGE_UNKNOWN): *bad (when not NULL) is then that row's index.
 * On success *out is the caller's, released with tqk_roster_book_free.
 */
tqk_err tqk_roster_book_new(const tqk_roster_row *rows, size_t n, tqk_roster_book **out,
                            size_t *bad) TQK_MUST_CHECK;
/* Releases b; NULL is a no-op. */
void tqk_roster_book_free(tqk_roster_book *b);

/* Which roster a row goes on: its qualification type's, or, without a
 * formal certificate, its post's; TQK_ROSTER_NONE when neither has one. */
tqk_roster tqk_roster_row_kind(const tqk_roster_row *r);

/* The column's header ("档案序号"); NULL when col is out of range. */
const char *tqk_roster_col_name(tqk_roster_col col);

/*
 * The text of column col of r into buf (cap bytes, cut at a character
 * boundary when short): the enums by their Chinese names, dates as
 * YYYY-MM-DD, "" for what is unknown. TQK_RC_SERIAL has no text here (the
 * serial is the list's): buf gets "". Returns buf.
 */
char *tqk_roster_cell(const tqk_roster_row *r, tqk_roster_col col, char *buf, size_t cap);

#endif
