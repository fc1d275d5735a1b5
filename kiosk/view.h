/*
 * view.h - what the screens show and what they ask for.
 *
 * A screen is a function of (ui, view) that draws one frame and returns an
 * action; it never calls the store, the sync worker or the devices. app.c
 * fills the view from them, carries the actions out, and owns every buffer
 * here. The only thing a screen writes into the view is the text of its
 * input fields (the PIN, the search box), which the ui edits in place.
 *
 * Everything in a view is already in the words and the form it is shown in
 * (dates formatted, states named in the frame's language), so a screen
 * holds no rules: they live in src/core and in app.c.
 */
#ifndef TQK_KIOSK_VIEW_H
#define TQK_KIOSK_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "core/application.h"
#include "core/date.h"
#include "core/err.h"
#include "core/materials.h"
#include "store/apps.h"
#include "store/clerks.h"

typedef enum tqk_screen {
	TQK_SCR_IDLE = 0,
	TQK_SCR_CLOSED,
	TQK_SCR_STATUS,
	TQK_SCR_LOGIN,
	TQK_SCR_LIST,
	TQK_SCR_SYNC,
	TQK_SCR_ADMIN,
	TQK_SCR_VERIFY,
	TQK_SCR_DONE,
	TQK_SCR_WALKIN,
	TQK_SCR_COUNT
} tqk_screen;

/* The strip at the top and bottom of every screen. */
typedef struct tqk_chrome {
	tqk_lang lang;
	bool demo;                          /* 演示模式 on every screen */
	char site_name[TQK_TEXT_CAP];
	char now[TQK_MINUTE_BUFLEN];        /* "YYYY-MM-DD HH:MM", local time */
	char hours[32];                     /* "08:30–17:30" */
	bool open;                          /* inside the opening window */
	long pending;                       /* records waiting for upload */
	long rejected;                      /* records the server refused */
	bool online;                        /* the last sync round went through */
	char clerk[TQK_NAME_CAP];           /* the clerk logged in, "" for none */
	char notice[256];                   /* a passing message ("" none) */
	bool notice_bad;                    /* drawn as a refusal */
} tqk_chrome;

/* The closed screen: why and until when. */
typedef struct tqk_view_closed {
	char reason[128];
	char next_open[TQK_MINUTE_BUFLEN];  /* "" when no further opening */
} tqk_view_closed;

#define TQK_VIEW_APPS 4                 /* registrations one ID number shows */

/* One registration of the teacher, as the status screen shows it. */
typedef struct tqk_view_app {
	char reg_no[TQK_CODE_CAP];
	char state[128];                    /* the state in plain words */
	char next[256];                     /* what to do next */
	char site_message[TQK_MSG_CAP];
	char inst_message[TQK_MSG_CAP];
	char remark[TQK_MSG_CAP];
	const char *bring[TQK_MAT_COUNT];   /* the materials to bring, in bag order */
	size_t n_bring;
	bool can_change;                    /* the teacher (by card) may still change it here */
	bool can_print;                     /* found by the teacher's own ID card: the form (and
	                                       the receipt once concluded) may be printed */
	bool concluded;                     /* the site concluded: a receipt can be printed */
} tqk_view_app;

typedef struct tqk_view_status {
	char name[TQK_NAME_CAP];            /* "" when nothing was found */
	char id_masked[TQK_ID_LEN + 1];     /* the ID number with its middle hidden */
	char looked_up[64];                 /* what was looked up, for "not found" */
	tqk_view_app apps[TQK_VIEW_APPS];
	size_t n_apps;
	bool duplicate;                     /* more than one registration number */
	bool can_apply;                     /* nothing found for a card: apply here */
	int seconds_left;                   /* until the screen clears itself */
} tqk_view_status;

#define TQK_VIEW_CLERKS 12

typedef struct tqk_view_login {
	char names[TQK_VIEW_CLERKS][TQK_NAME_CAP];
	size_t n;
	int selected;                       /* -1: choose a clerk first */
	char pin[TQK_PIN_MAX + 1];          /* edited by the screen */
	long locked_left;                   /* seconds the chosen clerk stays locked */
	int tries_left;                     /* before the lock */
	char message[256];
} tqk_view_login;

typedef struct tqk_view_list {
	char search[TQK_NAME_CAP];          /* edited by the screen */
	tqk_state filter;                   /* TQK_ST_NONE: every state */
	const tqk_page *page;               /* the rows shown */
	bool dup[TQK_PAGE_SIZE];            /* row i's ID number has another registration */
	int page_no;                        /* 1-based */
	int scroll;                         /* the first row shown (edited by the screen) */
	char message[256];
} tqk_view_list;

#define TQK_VIEW_REJECTED 8

typedef struct tqk_view_sync {
	long pending, rejected;
	char rejected_reg[TQK_VIEW_REJECTED][TQK_CODE_CAP];
	char rejected_why[TQK_VIEW_REJECTED][160];
	size_t n_rejected;
	char last_ok[TQK_MINUTE_BUFLEN];    /* "" never */
	char clock[128];                    /* the trusted clock's state */
	char detail[256];                   /* the last failure, for the administrator */
} tqk_view_sync;

#define TQK_VIEW_LINES 12

typedef struct tqk_view_admin {
	char lines[TQK_VIEW_LINES][2][160]; /* label, value */
	size_t n;
	char pin[TQK_PIN_MAX + 1];          /* the admin PIN, edited by the screen */
	bool unlocked;
	char message[256];
} tqk_view_admin;

#define TQK_VIEW_COMPARE 8              /* rows of the comparison */
#define TQK_VIEW_EDIT_CAP 256           /* a correction, a remark, a message */

/* One row of the clerk's comparison: the application's value against the
 * ID card's or the scanned certificate's. */
typedef struct tqk_view_compare {
	tqk_field field;
	const char *label;
	char app[TQK_TEXT_CAP];
	char other[TQK_TEXT_CAP];           /* "" when nothing to compare with */
	bool mismatch;
	bool corrected;
} tqk_view_compare;

enum { TQK_VERIFY_COMPARE = 0, TQK_VERIFY_MATERIALS, TQK_VERIFY_CONCLUDE };

typedef struct tqk_view_verify {
	char reg_no[TQK_CODE_CAP];
	char name[TQK_NAME_CAP];
	int tab;                            /* TQK_VERIFY_*: edited by the screen */
	tqk_view_compare rows[TQK_VIEW_COMPARE];
	size_t n_rows;
	char card_note[160];                /* whether an ID card was read */
	char duplicate[256];                /* other registration numbers, "" none */
	/* The materials: the toggles edit marks (1 具备, 2 不具备, 0 unset). */
	int marks[TQK_MAT_COUNT];
	bool na[TQK_MAT_COUNT];             /* not applicable: no toggle */
	const char *mat_name[TQK_MAT_COUNT];
	const char *mat_rule[TQK_MAT_COUNT];
	const char *mat_note[TQK_MAT_COUNT];/* why the rules prefilled it, or NULL */
	char derived[256];                  /* what the marks conclude */
	int conclusion;                     /* tqk_conclusion chosen: edited by the screen */
	char remark[TQK_VIEW_EDIT_CAP];     /* edited by the screen */
	char message[TQK_VIEW_EDIT_CAP];    /* edited by the screen */
	int editing;                        /* the row being corrected, -1 none */
	char edit[TQK_VIEW_EDIT_CAP];       /* its new value: edited by the screen */
	char error[256];
} tqk_view_verify;

typedef struct tqk_view_done {
	char archive_no[32];
	char conclusion[64];
	char reg_no[TQK_CODE_CAP];
	char name[TQK_NAME_CAP];
	char next_steps[512];               /* what the teacher must still do */
} tqk_view_done;

/* The walk-in wizard's choices, each made from a list (level by level for
 * the hierarchies), and its typed fields, each typed in an editor over the
 * step. */
typedef enum tqk_wi_choice {
	TQK_WIC_QUALIFICATION = 0,          /* 资格种类 */
	TQK_WIC_AUTHORITY,                  /* 认定机构: province, city, authority */
	TQK_WIC_SUBJECT,                    /* 任教学科 on the certificate */
	TQK_WIC_NATION,
	TQK_WIC_INSTITUTION,                /* 注册机构, from the plan */
	TQK_WIC_POST,                       /* 现任教学段 */
	TQK_WIC_POST_SUBJECT,               /* 现任教学科 */
	TQK_WIC_TITLE,                      /* 职称: series, grade */
	TQK_WIC_AREA,                       /* 城镇 / 农村 */
	TQK_WIC_COUNT
} tqk_wi_choice;

typedef enum tqk_wi_text {
	TQK_WIT_CERT_NO = 0,
	TQK_WIT_ID_NUMBER,
	TQK_WIT_NAME,
	TQK_WIT_ISSUED,                     /* YYYY-MM-DD */
	TQK_WIT_EMAIL,
	TQK_WIT_PASSWORD,
	TQK_WIT_PASSWORD2,
	TQK_WIT_WORK_START,                 /* YYYY-MM-DD */
	TQK_WIT_SCHOOL,
	TQK_WIT_COUNT
} tqk_wi_text;

#define TQK_WI_OPTS 24                  /* options a picker shows on one page */
#define TQK_WI_ROWS 10                  /* rows of a read-only summary */

typedef struct tqk_view_walkin {
	int step;                           /* tqk_walkin_step, 1..8 */
	int notice_left;                    /* step 1: seconds until "next" */
	const char *text;                   /* steps 1, 2, 6: the text to read */
	char notes[2048];                   /* step 6's: the site, its period, what to bring */
	bool terms;                         /* step 2: accepted */
	char value[TQK_WIT_COUNT][TQK_TEXT_CAP];    /* typed so far, as shown */
	bool fixed[TQK_WIT_COUNT];          /* read-only (from the card, the system) */
	char choice[TQK_WIC_COUNT][TQK_TEXT_CAP];   /* chosen so far, as shown */
	bool choice_fixed[TQK_WIC_COUNT];   /* read-only (the known certificate) */
	bool choice_na[TQK_WIC_COUNT];      /* not asked (no subjects to choose from) */
	char derived[128];                  /* gender and birth date from the ID number */
	char site[TQK_TEXT_CAP];            /* step 5: this site, the only choice offline */
	/* the editor open over the step (editing: a tqk_wi_text, -1 none) */
	int editing;
	char edit[TQK_TEXT_CAP];            /* edited by the screen */
	unsigned edit_flags;                /* TQK_FIELD_* */
	bool edit_keypad;                   /* digits and '-' only: the keypad */
	bool edit_chinese;                  /* a name or a school: the pinyin keyboard */
	/* the picker open over the step (picking: a tqk_wi_choice, -1 none) */
	int picking;
	char pick_path[256];                /* the levels chosen so far */
	const char *opts[TQK_WI_OPTS];
	size_t n_opts;
	bool pick_more, pick_less;          /* a next page; a previous one */
	bool pick_up;                       /* a level above to go back to */
	/* step 7: steps 1-4 read-only; step 8: what was registered */
	char rows[TQK_WI_ROWS][2][2 * TQK_TEXT_CAP + 8];   /* label, value */
	size_t n_rows;
	char error[512];
	bool leaving;                       /* "discard what you typed?" asked */
	bool change;                        /* changing an application made before */
	int idle_left;                      /* > 0: the draft goes in this many seconds */
} tqk_view_walkin;

/* The documents the kiosk prints (printing.h). */
typedef enum tqk_doc {
	TQK_DOC_FORM = 0,                   /* the application form */
	TQK_DOC_COVER,                      /* the archive-bag cover */
	TQK_DOC_RECEIPT,                    /* the teacher's receipt */
	TQK_DOC_COUNT
} tqk_doc;
/* TQK_ACT_PRINT's argument: a document of the screen's i-th application. */
#define TQK_PRINT_ARG(doc, i) ((int)(doc) + TQK_DOC_COUNT * (i))

/* What the last print did, under the print buttons of the screen that
 * asked for it. */
typedef struct tqk_view_print {
	char text[2048];                    /* "" when nothing was printed here */
	uint32_t colour;                    /* TQK_C_OK, _WARN or _BAD */
	bool busy;                          /* under way: the print buttons wait */
} tqk_view_print;

typedef struct tqk_view {
	tqk_chrome chrome;
	tqk_view_closed closed;
	tqk_view_status status;
	tqk_view_login login;
	tqk_view_list list;
	tqk_view_sync sync;
	tqk_view_admin admin;
	tqk_view_verify verify;
	tqk_view_done done;
	tqk_view_walkin walkin;
	tqk_view_print print;
} tqk_view;

typedef enum tqk_action_kind {
	TQK_ACT_NONE = 0,
	TQK_ACT_REDRAW,         /* the screen changed its own state (a scroll) */
	TQK_ACT_LANG,           /* switch between Chinese and English */
	TQK_ACT_HOME,           /* back to idle (or closed), personal data cleared */
	TQK_ACT_CLERK,          /* open the clerk login (or the list when logged in) */
	TQK_ACT_LOGIN_PICK,     /* arg: the clerk's index */
	TQK_ACT_LOGIN,          /* check the PIN */
	TQK_ACT_LOGOUT,
	TQK_ACT_LIST_SEARCH,    /* the search box or filter changed */
	TQK_ACT_LIST_FILTER,    /* arg: a tqk_state, TQK_ST_NONE for all */
	TQK_ACT_LIST_NEXT,
	TQK_ACT_LIST_FIRST,
	TQK_ACT_LIST_OPEN,      /* arg: the row */
	TQK_ACT_SYNC,           /* open the sync screen */
	TQK_ACT_SYNC_NOW,       /* a round now (retries the rejected too) */
	TQK_ACT_ADMIN,          /* open the admin screen */
	TQK_ACT_ADMIN_UNLOCK,   /* check the admin PIN */
	TQK_ACT_EDIT,           /* arg: the comparison row to correct */
	TQK_ACT_EDIT_OK,        /* record the correction */
	TQK_ACT_EDIT_CANCEL,
	TQK_ACT_MARKS,          /* a material's mark changed: conclude again */
	TQK_ACT_CONFIRM,        /* commit the confirmation */
	TQK_ACT_BACK,           /* from verification back to the list */
	TQK_ACT_WALKIN,         /* begin a walk-in application */
	TQK_ACT_WI_NEXT,        /* the step's "next" (step 7: submit) */
	TQK_ACT_WI_BACK,        /* the step before */
	TQK_ACT_WI_LEAVE,       /* ask before discarding the draft */
	TQK_ACT_WI_DISCARD,     /* discard it and leave */
	TQK_ACT_WI_STAY,        /* keep it */
	TQK_ACT_WI_PICK,        /* arg: a tqk_wi_choice to choose */
	TQK_ACT_WI_OPTION,      /* arg: the option on the picker's page */
	TQK_ACT_WI_PAGE,        /* arg: +1 or -1 */
	TQK_ACT_WI_UP,          /* the picker's level above */
	TQK_ACT_WI_PICK_CLOSE,
	TQK_ACT_WI_EDIT,        /* arg: a tqk_wi_text to type */
	TQK_ACT_WI_EDIT_OK,
	TQK_ACT_WI_EDIT_CANCEL,
	TQK_ACT_WI_EDIT_CLEAR,  /* empty the editor's field */
	TQK_ACT_WI_TERMS,       /* step 2: accept or take it back */
	TQK_ACT_WI_CHANGE,      /* arg: the status's application to change */
	TQK_ACT_PRINT           /* arg: TQK_PRINT_ARG(document, application) */
} tqk_action_kind;

typedef struct tqk_action {
	tqk_action_kind kind;
	int arg;
} tqk_action;

#endif
