/*
 * walkin.h - the rules of the walk-in application at the kiosk (SPEC §6),
 * as pure functions over a draft.
 *
 * A teacher who has not applied online goes through eight steps: (1) the
 * notice, which may be left only after it has been shown for three
 * seconds; (2) the service terms, which must be accepted; (3) the
 * certificate number and the ID number (the card reader's when a card is
 * on it), where a certificate the system knows under another ID number
 * stops everything; (4) the certificate's data (taken from the known
 * certificate when there is one), the registration institution, the stage
 * and subject taught now, where an institution without a registration plan,
 * or outside its application window, refuses; (5) the confirmation point;
 * (6) the site's notes; (7) the login and work data, every field required;
 * (8) done. Gender and birth date are never typed: they come from the ID
 * number. The draft keeps everything typed while the teacher goes back and
 * forward; each step's check says which field is wrong first.
 *
 * Time comes in as numbers the caller reads from its clock (a monotonic
 * millisecond count for the notice, the trusted date for the rest), so the
 * rules run the same under a test's clock. Nothing here hashes or stores:
 * the password is checked here and hashed by the caller (argon2id), and the
 * draft is wiped with tqk_walkin_wipe.
 */
#ifndef TQK_CORE_WALKIN_H
#define TQK_CORE_WALKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/application.h"
#include "core/date.h"
#include "core/err.h"

#define TQK_WALKIN_NOTICE_MS 3000       /* the notice is shown this long before "next" */
#define TQK_WALKIN_IDLE_WARN_S 150      /* untouched this long: the draft is about to go */
#define TQK_WALKIN_IDLE_S 180           /* untouched this long: the draft is discarded */
#define TQK_PASSWORD_MIN 8              /* bytes */
#define TQK_PASSWORD_CAP 65             /* 64 bytes and the NUL */
#define TQK_WALKIN_WORK_AGE 16          /* no one starts work before this age */

typedef enum tqk_walkin_step {
	TQK_WI_NOTICE = 1,      /* 注册须知 */
	TQK_WI_TERMS,           /* 服务条款 */
	TQK_WI_IDS,             /* 证书号码与身份证号码 */
	TQK_WI_CERT,            /* 证书信息、注册机构、任教情况 */
	TQK_WI_SITE,            /* 现场确认点 */
	TQK_WI_SITE_NOTES,      /* 确认点须知 */
	TQK_WI_ACCOUNT,         /* 登录与工作信息 */
	TQK_WI_DONE             /* 完成 */
} tqk_walkin_step;

/* A registration institution and its application window, from the plan. */
typedef struct tqk_institution {
	char name[TQK_TEXT_CAP];
	tqk_date apply_start, apply_end;    /* inclusive */
} tqk_institution;

typedef struct tqk_walkin {
	tqk_walkin_step step;
	uint64_t notice_since_ms;           /* when the notice came on screen */
	bool terms_accepted;
	bool id_from_card;                  /* step 3's ID number is the card's */
	bool cert_known;                    /* step 4 prefilled from the known certificate */
	bool change;                        /* a teacher changing an application made before:
	                                       steps 4-7 only, no password (core/change.h) */
	tqk_gender gender;                  /* derived from the ID number */
	tqk_date birth;
	tqk_application a;                  /* what is being filled in */
	char password[TQK_PASSWORD_CAP];
	char password2[TQK_PASSWORD_CAP];
} tqk_walkin;

/* A new draft at step 1 for site (this kiosk's), the notice shown at now_ms. */
void tqk_walkin_start(tqk_walkin *w, const char *site, uint64_t now_ms);
/* Zeroes the whole draft, password included. */
void tqk_walkin_wipe(tqk_walkin *w);

/* Step 1: whether "next" may be touched (the notice shown 3 s). */
bool tqk_walkin_notice_ready(const tqk_walkin *w, uint64_t now_ms);

/* Whether the draft may leave its step (the check of the step it is at):
 * TQK_OK, or the first failure with *bad naming the field (a tqk_field
 * code, "notice", "terms", "password" or "password2"). For steps 3 and 4
 * see the functions below; this one runs their checks on what the draft
 * holds. insts / n: the plan's institutions; today: the trusted date. */
tqk_err tqk_walkin_check(const tqk_walkin *w, uint64_t now_ms, const tqk_institution *insts,
                         size_t n, tqk_date today, const char **bad) TQK_MUST_CHECK;
/* tqk_walkin_check, then the next step. */
tqk_err tqk_walkin_next(tqk_walkin *w, uint64_t now_ms, const tqk_institution *insts, size_t n,
                        tqk_date today, const char **bad) TQK_MUST_CHECK;
/* The step before (nothing typed is lost); steps 1 and 8 stay, and step 4
 * of a change. Coming back to the notice shows it anew (now_ms). */
void tqk_walkin_back(tqk_walkin *w, uint64_t now_ms);

/*
 * Step 3: the certificate number and the ID number, checked and stored
 * normalised (a 15-digit ID number converted, a 15-digit certificate number
 * given with "19" in front). known is the system's application holding
 * this certificate (NULL: not known): when its ID number differs the
 * teacher cannot go on (TQK_E_WALKIN_CERT_ID, *bad "id_number"); when it
 * matches, step 4 is prefilled from it (cert_known). Gender and birth date
 * are derived here. The draft is untouched on failure.
 */
tqk_err tqk_walkin_ids(tqk_walkin *w, const char *cert_no, const char *id_number,
                       const tqk_application *known, tqk_date today,
                       const char **bad) TQK_MUST_CHECK;

/*
 * Step 4's institution rule: the institution named must be among insts
 * (TQK_E_WALKIN_NO_PLAN otherwise) and today inside its window
 * (TQK_E_WALKIN_NOT_OPEN before it, with *when its first day;
 * TQK_E_WALKIN_CLOSED after it, with *when its last day).
 */
tqk_err tqk_walkin_institution(const char *name, const tqk_institution *insts, size_t n,
                               tqk_date today, tqk_date *when) TQK_MUST_CHECK;

/* Checks a plan's list of institutions: at most TQK_INSTITUTIONS_MAX, each
 * name non-empty, valid UTF-8 and given once (TQK_E_FIELD_REQUIRED,
 * TQK_E_UTF8, TQK_E_FIELD_VALUE), each window a valid start <= end
 * (TQK_E_DATE_INVALID, TQK_E_PERIOD); TQK_E_TOO_LONG beyond the count. */
#define TQK_INSTITUTIONS_MAX 32
tqk_err tqk_institutions_check(const tqk_institution *v, size_t n) TQK_MUST_CHECK;

/* The subject taught under the certificate: its own, or, when the
 * certificate names none, the one taught now (SPEC §6, step 4). */
const char *tqk_walkin_cert_subject(const tqk_application *a);

/* Idle rule: what 'idle_s' seconds without a touch mean for a draft. */
typedef enum tqk_walkin_idle {
	TQK_WI_IDLE_NONE = 0,
	TQK_WI_IDLE_WARN,       /* say the draft is about to be discarded */
	TQK_WI_IDLE_DISCARD
} tqk_walkin_idle;
tqk_walkin_idle tqk_walkin_idle_state(int64_t idle_s);

/*
 * The provisional registration number of a walk-in registered offline:
 * "W" + site + "-" + kiosk + "-" + serial in 6 digits ("WS01-K01-000042"),
 * unique across kiosks because kiosk ids are (the server maps it to an
 * official number). TQK_E_ARG for a serial outside 1..999999 or a bad code,
 * TQK_E_TOO_LONG when it does not fit a code (32 characters).
 */
tqk_err tqk_walkin_provisional(const char *site, const char *kiosk, uint32_t serial,
                               char out[TQK_CODE_CAP]) TQK_MUST_CHECK;
/* Whether reg_no has the provisional form (a number the server has not yet
 * mapped). */
bool tqk_walkin_is_provisional(const char *reg_no);


#endif
