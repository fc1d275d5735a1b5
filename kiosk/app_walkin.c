/*
 * app_walkin.c - the walk-in application at the kiosk (SPEC §6): the eight
 * steps of core/walkin.h as one screen, for a teacher who has not applied
 * online, offline or not.
 *
 * The draft (a tqk_walkin) lives here; the view shows it. Every typed
 * field is typed in an editor over the step, every choice made in a picker
 * over it: the hierarchies of assets/walkin (authorities by province and
 * city, titles by series, qualification types with their subjects, the 56
 * groups) level by level, the plan's institutions, the stages. Going back
 * and forward keeps everything; leaving asks first; three minutes without a
 * touch discard it after a warning. Step 7's "submit" hashes the password
 * (argon2id; the password is wiped at once) and commits the application
 * with its upload in one transaction (store/walkin.h) before step 8 shows
 * the number it got: a provisional one offline, which the sync worker
 * later maps to the official one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app_internal.h"
#include "core/idnum.h"
#include "core/stage.h"
#include "core/text.h"
#include "i18n.h"
#include "store/apps.h"
#include "store/change.h"
#include "store/walkin.h"

#ifndef TQK_ASSETS_DIR
#define TQK_ASSETS_DIR "/usr/local/share/tqkiosk"
#endif

#define TEXT_MAX (16 * 1024)    /* bytes of the notice or the terms */

enum { TREE_AUTH, TREE_TITLE, TREE_QUAL, TREE_NATION };
_Static_assert(TQK_WI_TREES == TQK_PLAN_TREES, "the kiosk's trees are the plan's kinds");
enum { TEXT_NOTICE = 0, TEXT_TERMS = 2 };      /* + the language */

static const char *const tree_files[TQK_WI_TREES] = {
	"authorities", "titles", "qualifications", "nations",
};
static const char *const text_files[TQK_WI_TEXTS] = {
	"notice.zh", "notice.en", "terms.zh", "terms.en",
};

/* The whole of path, at most max bytes, NUL-terminated; NULL on failure
 * (errno's reason, or too long). */
static char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = malloc(max + 2);
	size_t n = buf != NULL ? fread(buf, 1, max + 1, f) : 0;
	bool bad = buf == NULL || ferror(f) || n > max;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

bool tqk_app_walkin_load(tqk_app *a, char *err, size_t cap)
{
	const char *dir = a->o.assets_dir != NULL ? a->o.assets_dir : TQK_ASSETS_DIR;
	tqk_lang L = a->o.lang;
	char path[1024];
	for (int i = 0; i < TQK_WI_TREES; i++) {
		snprintf(path, sizeof path, "%s/walkin/%s.tree", dir, tree_files[i]);
		size_t len = 0;
		char *text = slurp(path, TQK_TREE_MAX_BYTES, &len);
		int line = 0;
		tqk_err e = text != NULL ? tqk_tree_parse(text, len, &a->trees[i], &line)
		                         : TQK_E_CONFIG;
		free(text);
		if (e != TQK_OK) {
			snprintf(err, cap, "%s: %s (%s %d)", path,
			         text != NULL ? tqk_strerror(e, L) : tqk_tr(L, "cannot be read"),
			         tqk_tr(L, "line"), line);
			return false;
		}
	}
	for (int i = 0; i < TQK_WI_TEXTS; i++) {
		snprintf(path, sizeof path, "%s/walkin/%s.txt", dir, text_files[i]);
		size_t len = 0;
		a->texts[i] = slurp(path, TEXT_MAX, &len);
		if (a->texts[i] == NULL || !tqk_utf8_valid(a->texts[i], len)) {
			snprintf(err, cap, "%s: %s", path, tqk_tr(L, "cannot be read"));
			return false;
		}
	}
	return true;
}

/* The hierarchy i in use: the plan's, else the shipped one. */
static const tqk_tree *tree(const tqk_app *a, int i)
{
	return a->ptrees[i] != NULL ? a->ptrees[i] : a->trees[i];
}

void tqk_app_walkin_trees(tqk_app *a, char *const texts[TQK_WI_TREES])
{
	if (a->screen == TQK_SCR_WALKIN)
		return;
	for (int i = 0; i < TQK_WI_TREES; i++) {
		const char *t = texts[i];
		if ((t == NULL && a->ptexts[i] == NULL) ||
		    (t != NULL && a->ptexts[i] != NULL && strcmp(t, a->ptexts[i]) == 0))
			continue;
		tqk_tree_free(a->ptrees[i]);
		free(a->ptexts[i]);
		a->ptrees[i] = NULL;
		a->ptexts[i] = t != NULL ? strdup(t) : NULL;
		/* The store checked it; one that still fails leaves the shipped one. */
		if (a->ptexts[i] != NULL &&
		    tqk_tree_parse(a->ptexts[i], strlen(a->ptexts[i]), &a->ptrees[i], NULL) != TQK_OK)
			a->ptrees[i] = NULL;
	}
}

void tqk_app_walkin_free(tqk_app *a)
{
	for (int i = 0; i < TQK_WI_TREES; i++) {
		tqk_tree_free(a->trees[i]);
		tqk_tree_free(a->ptrees[i]);
		free(a->ptexts[i]);
	}
	for (int i = 0; i < TQK_WI_TEXTS; i++)
		free(a->texts[i]);
}

/* The notice's clock: milliseconds, from the test's clock when there is
 * one (so that a test moves it), else SDL's monotonic count. */
static uint64_t now_ms(tqk_app *a)
{
	if (a->o.clock != NULL)
		return (uint64_t)tqk_app_now(a, NULL) * 1000u;
	return SDL_GetTicks64();
}

/* The qualification-type node of stage s in the qualifications tree. */
static const tqk_tree_node *qual_node(tqk_app *a, tqk_stage s)
{
	const char *name = tqk_stage_qual_name(s, TQK_LANG_ZH);
	const tqk_tree *t = tree(a, TREE_QUAL);
	return name != NULL ? tqk_tree_child_named(t, tqk_tree_root(t), name, strlen(name)) : NULL;
}

/* ---- the view ---- */

static const char *area_name(tqk_area area, tqk_lang L)
{
	return area == TQK_AREA_URBAN ? tqk_tr(L, "urban") : area == TQK_AREA_RURAL
	       ? tqk_tr(L, "rural") : "";
}

/* Masks a password for the rows: one dot per character. */
static void dots(const char *pw, char *out, size_t cap)
{
	size_t n = strlen(pw), o = 0;
	for (size_t i = 0; i < n && o + 3 < cap; i++) {
		memcpy(out + o, "\xe2\x97\x8f", 3);        /* ● */
		o += 3;
	}
	out[o] = '\0';
}

static void row(tqk_view_walkin *v, const char *label, const char *value)
{
	if (v->n_rows >= TQK_WI_ROWS)
		return;
	snprintf(v->rows[v->n_rows][0], sizeof v->rows[0][0], "%s", label);
	snprintf(v->rows[v->n_rows][1], sizeof v->rows[0][1], "%s", value);
	v->n_rows++;
}

/* What steps 1-4 gave, read-only on step 7. */
static void summary(tqk_app *a)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	const tqk_application *ap = &a->wi.a;
	v->n_rows = 0;
	row(v, tqk_tr(L, "Name"), ap->name);
	row(v, tqk_tr(L, "ID number"), ap->id_number);
	row(v, tqk_tr(L, "Certificate number"), ap->cert_no);
	row(v, tqk_tr(L, "Qualification"), v->choice[TQK_WIC_QUALIFICATION]);
	row(v, tqk_tr(L, "Certifying authority"), ap->cert_authority);
	row(v, tqk_tr(L, "Registration institution"), ap->institution);
	char taught[2 * TQK_TEXT_CAP + 8];
	snprintf(taught, sizeof taught, "%s · %s", v->choice[TQK_WIC_POST], ap->post_subject);
	row(v, tqk_tr(L, "Teaching now"), taught);
	row(v, tqk_tr(L, "Confirmation site"), v->site);
}

/* Step 6: where and when to confirm, and what to bring. */
static void notes(tqk_app *a)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	size_t o = 0, cap = sizeof v->notes;
	char from[TQK_DATE_BUFLEN] = "", to[TQK_DATE_BUFLEN] = "";
	if (a->period.set) {
		tqk_date_format(tqk_day_to_date(a->period.first), from);
		tqk_date_format(tqk_day_to_date(a->period.last), to);
	}
	char opens[TQK_CLOCK_BUFLEN], closes[TQK_CLOCK_BUFLEN];
	tqk_clock_format(a->hours.open, opens);
	tqk_clock_format(a->hours.close, closes);
	o += (size_t)snprintf(v->notes + o, cap - o, "%s %s\n%s %s – %s, %s %s–%s\n%s\n",
	                      tqk_tr(L, "Confirmation site:"), a->site_name,
	                      tqk_tr(L, "Confirmation period:"), from, to,
	                      tqk_tr(L, "working days"), opens, closes,
	                      tqk_tr(L, "Bring these materials to the site:"));
	const char *items[TQK_MAT_COUNT];
	size_t n = tqk_app_to_bring(&a->wi.a, a->have_wcard ? a->wcard.name : NULL, L, items);
	for (size_t i = 0; i < n && o < cap; i++)
		o += (size_t)snprintf(v->notes + o, cap - o, "%zu. %s\n", i + 1, items[i]);
	if (o < cap)
		snprintf(v->notes + o, cap - o, "%s",
		         tqk_tr(L, "Bring the originals of your teacher qualification certificate, ID card, "
		                   "diploma, Putonghua certificate and title certificate to be checked; "
		                   "they are handed back."));
}

/* Fills the view from the draft. */
static void fill(tqk_app *a)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	const tqk_walkin *w = &a->wi;
	const tqk_application *ap = &w->a;
	v->step = (int)w->step;
	int lang = L == TQK_LANG_EN ? 1 : 0;
	v->text = w->step == TQK_WI_NOTICE ? a->texts[TEXT_NOTICE + lang]
	          : w->step == TQK_WI_TERMS ? a->texts[TEXT_TERMS + lang] : NULL;
	v->terms = w->terms_accepted;
	if (w->step == TQK_WI_SITE_NOTES) {
		notes(a);
		v->text = v->notes;
	}

	const char *typed[TQK_WIT_COUNT] = {
		[TQK_WIT_CERT_NO] = ap->cert_no, [TQK_WIT_ID_NUMBER] = ap->id_number,
		[TQK_WIT_NAME] = ap->name, [TQK_WIT_ISSUED] = ap->cert_issued,
		[TQK_WIT_EMAIL] = ap->email, [TQK_WIT_WORK_START] = ap->work_start,
		[TQK_WIT_SCHOOL] = ap->school,
	};
	for (int i = 0; i < TQK_WIT_COUNT; i++) {
		if (i == TQK_WIT_PASSWORD || i == TQK_WIT_PASSWORD2)
			dots(i == TQK_WIT_PASSWORD ? w->password : w->password2, v->value[i],
			     sizeof v->value[i]);
		else
			snprintf(v->value[i], sizeof v->value[i], "%s", typed[i]);
	}
	/* Step 3's typed values wait in the view until they pass. */
	memset(v->fixed, 0, sizeof v->fixed);
	v->change = w->change;
	v->fixed[TQK_WIT_ID_NUMBER] = a->have_wcard || w->change;
	v->fixed[TQK_WIT_NAME] = a->have_wcard || w->change;
	v->fixed[TQK_WIT_CERT_NO] = w->change;
	if (a->have_wcard && !w->change)
		snprintf(v->value[TQK_WIT_ID_NUMBER], sizeof v->value[0], "%s", a->wcard.id);

	memset(v->choice_fixed, 0, sizeof v->choice_fixed);
	memset(v->choice_na, 0, sizeof v->choice_na);
	const char *q = ap->qualification != TQK_STAGE_NONE
	                ? tqk_stage_qual_name(ap->qualification, TQK_LANG_ZH) : NULL;
	snprintf(v->choice[TQK_WIC_QUALIFICATION], sizeof v->choice[0], "%s", q != NULL ? q : "");
	snprintf(v->choice[TQK_WIC_AUTHORITY], sizeof v->choice[0], "%s", ap->cert_authority);
	snprintf(v->choice[TQK_WIC_SUBJECT], sizeof v->choice[0], "%s", ap->cert_subject);
	snprintf(v->choice[TQK_WIC_NATION], sizeof v->choice[0], "%s", ap->nation);
	snprintf(v->choice[TQK_WIC_INSTITUTION], sizeof v->choice[0], "%s", ap->institution);
	const char *post = ap->post != TQK_STAGE_NONE ? tqk_stage_name(ap->post, TQK_LANG_ZH) : NULL;
	snprintf(v->choice[TQK_WIC_POST], sizeof v->choice[0], "%s", post != NULL ? post : "");
	snprintf(v->choice[TQK_WIC_POST_SUBJECT], sizeof v->choice[0], "%s", ap->post_subject);
	snprintf(v->choice[TQK_WIC_TITLE], sizeof v->choice[0], "%s", ap->title);
	snprintf(v->choice[TQK_WIC_AREA], sizeof v->choice[0], "%s", area_name(ap->school_area, L));
	if (w->cert_known) {
		static const int known[] = {TQK_WIC_QUALIFICATION, TQK_WIC_AUTHORITY, TQK_WIC_SUBJECT};
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			v->choice_fixed[known[i]] = true;
		v->fixed[TQK_WIT_ISSUED] = true;
	}
	/* A qualification without subjects (幼儿园) asks for none. */
	const tqk_tree_node *qn = qual_node(a, ap->qualification);
	v->choice_na[TQK_WIC_SUBJECT] = qn != NULL && tqk_tree_is_leaf(qn);
	const tqk_tree_node *pn = qual_node(a, ap->post);
	v->choice_na[TQK_WIC_POST_SUBJECT] = pn != NULL && tqk_tree_is_leaf(pn);

	v->derived[0] = '\0';
	if (ap->id_number[0] != '\0' && tqk_date_valid(w->birth)) {
		char birth[TQK_DATE_BUFLEN];
		tqk_date_format(w->birth, birth);
		snprintf(v->derived, sizeof v->derived, "%s · %s",
		         w->gender == TQK_GENDER_MALE ? tqk_tr(L, "male") : tqk_tr(L, "female"), birth);
	}
	snprintf(v->site, sizeof v->site, "%s", a->site_name);
	if (w->step == TQK_WI_ACCOUNT)
		summary(a);
}

/* ---- start, leave, discard ---- */

void tqk_app_walkin_discard(tqk_app *a)
{
	tqk_walkin_wipe(&a->wi);
	sodium_memzero(&a->view.walkin, sizeof a->view.walkin);
	sodium_memzero(&a->wcard, sizeof a->wcard);
	sodium_memzero(&a->wbefore, sizeof a->wbefore);
	a->have_wcard = false;
	a->view.walkin.editing = -1;
	a->view.walkin.picking = -1;
	a->pick_node = NULL;
}

/* Wipes the draft but keeps the card of the teacher at the kiosk. */
static void fresh_draft(tqk_app *a)
{
	tqk_idcard card = a->wcard;
	bool had = a->have_wcard;
	tqk_app_walkin_discard(a);
	a->wcard = card;
	a->have_wcard = had;
	sodium_memzero(&card, sizeof card);
}

/* Whether walk-ins may be written now (SPEC §7); said when not. */
static bool open_now(tqk_app *a)
{
	tqk_window w;
	if (tqk_window_at(a->cal, &a->hours, &a->period, tqk_app_now(a, NULL), &w) == TQK_OK &&
	    w.open)
		return true;
	tqk_app_notice(a, true, tqk_tr(a->view.chrome.lang,
	                               "Applications are taken only while the site is open."));
	return false;
}

void tqk_app_walkin_start(tqk_app *a)
{
	if (!open_now(a))
		return;
	fresh_draft(a);
	tqk_site site;
	tqk_walkin_start(&a->wi, tqk_store_site_get(a->store, &site) == TQK_OK ? site.site : NULL,
	                 now_ms(a));
	if (a->have_wcard)
		snprintf(a->wi.a.name, sizeof a->wi.a.name, "%s", a->wcard.name);
	fill(a);
	a->view.walkin.notice_left = TQK_WALKIN_NOTICE_MS / 1000;
	tqk_app_go(a, TQK_SCR_WALKIN);
}

void tqk_app_walkin_card(tqk_app *a, const tqk_idcard *card)
{
	a->wcard = *card;
	a->have_wcard = true;
	/* Step 3 or before: the card's number and name are the ones. */
	if (a->wi.step <= TQK_WI_IDS) {
		snprintf(a->wi.a.name, sizeof a->wi.a.name, "%s", card->name);
		a->wi.a.id_number[0] = '\0';
	}
	fill(a);
	tqk_app_notice(a, false, tqk_tr(a->view.chrome.lang, "ID card read."));
}

void tqk_app_walkin_scan(tqk_app *a, const tqk_scan *sc)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	if (sc != NULL && sc->kind == TQK_SCAN_CERT && a->wi.step == TQK_WI_IDS) {
		/* 17 digits (scan.h) */
		char *dst = v->editing == TQK_WIT_CERT_NO ? v->edit : a->wi.a.cert_no;
		memcpy(dst, sc->text, TQK_CERT_LEN);
		dst[TQK_CERT_LEN] = '\0';
		fill(a);
		tqk_app_notice(a, false, tqk_tr(L, "Certificate number scanned."));
		return;
	}
	tqk_app_notice(a, true, tqk_tr(L, "That code is not needed here."));
}

void tqk_app_walkin_tick(tqk_app *a, long idle)
{
	tqk_view_walkin *v = &a->view.walkin;
	if (a->wi.step == TQK_WI_NOTICE) {
		uint64_t now = now_ms(a), since = a->wi.notice_since_ms;
		uint64_t shown = now > since ? now - since : 0;
		int left = shown >= TQK_WALKIN_NOTICE_MS
		           ? 0 : (int)((TQK_WALKIN_NOTICE_MS - shown + 999) / 1000);
		if (left != v->notice_left) {
			v->notice_left = left;
			a->dirty = true;
		}
	}
	switch (tqk_walkin_idle_state(idle)) {
	case TQK_WI_IDLE_NONE:
		if (v->idle_left != 0)
			a->dirty = true;
		v->idle_left = 0;
		break;
	case TQK_WI_IDLE_WARN: {
		int left = (int)(TQK_WALKIN_IDLE_S - idle);
		if (left != v->idle_left)
			a->dirty = true;
		v->idle_left = left;
		break;
	}
	case TQK_WI_IDLE_DISCARD:
		tqk_app_go(a, tqk_app_rest(a));         /* which discards the draft */
		tqk_app_notice(a, false, tqk_tr(a->view.chrome.lang,
		                                "The unfinished application was discarded."));
		break;
	}
}

/* ---- the picker ---- */

/* The options of the picker's current page: tree children, or a flat
 * list of n names. */
static void pick_fill(tqk_app *a, const char *const *flat, size_t n)
{
	tqk_view_walkin *v = &a->view.walkin;
	size_t total = a->pick_node != NULL ? tqk_tree_child_count(a->pick_node) : n;
	size_t first = a->pick_page * TQK_WI_OPTS;
	if (first >= total && total > 0) {
		a->pick_page = (total - 1) / TQK_WI_OPTS;
		first = a->pick_page * TQK_WI_OPTS;
	}
	v->n_opts = 0;
	for (size_t i = first; i < total && v->n_opts < TQK_WI_OPTS; i++)
		v->opts[v->n_opts++] = a->pick_node != NULL
		                       ? tqk_tree_name(tqk_tree_child(a->pick_node, i)) : flat[i];
	v->pick_less = a->pick_page > 0;
	v->pick_more = first + v->n_opts < total;
	v->pick_up = a->pick_node != NULL && tqk_tree_depth(a->pick_node) > 0;
	v->pick_path[0] = '\0';
	if (a->pick_node != NULL && tqk_tree_path(a->pick_node, v->pick_path, sizeof v->pick_path,
	                                          NULL) != TQK_OK)
		v->pick_path[0] = '\0';
}

/* The flat lists: the institutions, the stages, the areas (as shown). */
static size_t flat_list(tqk_app *a, int which, const char **out)
{
	tqk_lang L = a->view.chrome.lang;
	size_t n = 0;
	switch (which) {
	case TQK_WIC_INSTITUTION:
		for (size_t i = 0; i < a->n_insts; i++)
			out[n++] = a->insts[i].name;
		break;
	case TQK_WIC_POST:
		for (int s = TQK_STAGE_KINDERGARTEN; s < TQK_STAGE_COUNT; s++)
			out[n++] = tqk_stage_name((tqk_stage)s, TQK_LANG_ZH);
		break;
	case TQK_WIC_AREA:
		out[n++] = area_name(TQK_AREA_URBAN, L);
		out[n++] = area_name(TQK_AREA_RURAL, L);
		break;
	default:
		break;
	}
	return n;
}

static void pick_refresh(tqk_app *a)
{
	const char *flat[TQK_INSTITUTIONS_MAX + TQK_STAGE_COUNT];
	size_t n = a->pick_node == NULL ? flat_list(a, a->view.walkin.picking, flat) : 0;
	pick_fill(a, flat, n);
}

static void pick_open(tqk_app *a, int which)
{
	tqk_view_walkin *v = &a->view.walkin;
	if (which < 0 || which >= TQK_WIC_COUNT || v->choice_fixed[which] || v->choice_na[which])
		return;
	const tqk_tree_node *root = NULL;
	switch (which) {
	case TQK_WIC_QUALIFICATION:
		root = tqk_tree_root(tree(a, TREE_QUAL));
		break;
	case TQK_WIC_AUTHORITY:
		root = tqk_tree_root(tree(a, TREE_AUTH));
		break;
	case TQK_WIC_NATION:
		root = tqk_tree_root(tree(a, TREE_NATION));
		break;
	case TQK_WIC_TITLE:
		root = tqk_tree_root(tree(a, TREE_TITLE));
		break;
	case TQK_WIC_SUBJECT:
	case TQK_WIC_POST_SUBJECT:
		root = qual_node(a, which == TQK_WIC_SUBJECT ? a->wi.a.qualification : a->wi.a.post);
		if (root == NULL) {
			v->error[0] = '\0';
			snprintf(v->error, sizeof v->error, "%s",
			         tqk_tr(a->view.chrome.lang, which == TQK_WIC_SUBJECT
			                ? "Choose the qualification first."
			                : "Choose the stage you teach first."));
			return;
		}
		break;
	default:
		break;
	}
	v->picking = which;
	v->editing = -1;
	a->pick_node = root;
	a->pick_page = 0;
	pick_refresh(a);
}

/* The leaf (or flat option) name was chosen for the open picker. */
static void pick_done(tqk_app *a, const char *name)
{
	tqk_application *ap = &a->wi.a;
	int which = a->view.walkin.picking;
	switch (which) {
	case TQK_WIC_QUALIFICATION:
		for (int s = TQK_STAGE_KINDERGARTEN; s < TQK_STAGE_COUNT; s++) {
			if (strcmp(tqk_stage_qual_name((tqk_stage)s, TQK_LANG_ZH), name) == 0 &&
			    ap->qualification != (tqk_stage)s) {
				ap->qualification = (tqk_stage)s;
				ap->cert_subject[0] = '\0';     /* the subjects are the type's */
			}
		}
		break;
	case TQK_WIC_AUTHORITY:
		snprintf(ap->cert_authority, sizeof ap->cert_authority, "%s", name);
		break;
	case TQK_WIC_SUBJECT:
		snprintf(ap->cert_subject, sizeof ap->cert_subject, "%s", name);
		break;
	case TQK_WIC_NATION:
		snprintf(ap->nation, sizeof ap->nation, "%s", name);
		break;
	case TQK_WIC_INSTITUTION:
		snprintf(ap->institution, sizeof ap->institution, "%s", name);
		break;
	case TQK_WIC_POST:
		for (int s = TQK_STAGE_KINDERGARTEN; s < TQK_STAGE_COUNT; s++) {
			if (strcmp(tqk_stage_name((tqk_stage)s, TQK_LANG_ZH), name) == 0 &&
			    ap->post != (tqk_stage)s) {
				ap->post = (tqk_stage)s;
				ap->post_subject[0] = '\0';
				/* 幼儿园 has no subjects: the stage is the subject */
				const tqk_tree_node *pn = qual_node(a, ap->post);
				if (pn != NULL && tqk_tree_is_leaf(pn))
					snprintf(ap->post_subject, sizeof ap->post_subject, "%s", name);
			}
		}
		break;
	case TQK_WIC_POST_SUBJECT:
		snprintf(ap->post_subject, sizeof ap->post_subject, "%s", name);
		break;
	case TQK_WIC_TITLE:
		snprintf(ap->title, sizeof ap->title, "%s", name);
		break;
	case TQK_WIC_AREA:
		ap->school_area = strcmp(name, area_name(TQK_AREA_URBAN, a->view.chrome.lang)) == 0
		                  ? TQK_AREA_URBAN : TQK_AREA_RURAL;
		break;
	default:
		break;
	}
	a->view.walkin.picking = -1;
	a->pick_node = NULL;
}

static void pick_option(tqk_app *a, int i)
{
	tqk_view_walkin *v = &a->view.walkin;
	if (v->picking < 0 || i < 0 || (size_t)i >= v->n_opts)
		return;
	if (a->pick_node != NULL) {
		const tqk_tree_node *n = tqk_tree_child(a->pick_node, a->pick_page * TQK_WI_OPTS +
		                                                      (size_t)i);
		if (n == NULL)
			return;
		/* a level down; but a qualification type is chosen itself (its
		 * children are its subjects, the next choice) */
		if (!tqk_tree_is_leaf(n) && v->picking != TQK_WIC_QUALIFICATION) {
			a->pick_node = n;
			a->pick_page = 0;
			pick_refresh(a);
			return;
		}
	}
	pick_done(a, v->opts[i]);
}

/* ---- the editor ---- */

static void edit_open(tqk_app *a, int which)
{
	tqk_view_walkin *v = &a->view.walkin;
	if (which < 0 || which >= TQK_WIT_COUNT || v->fixed[which])
		return;
	v->editing = which;
	v->picking = -1;
	v->error[0] = '\0';
	tqk_ui_focus(a->ui, "wi.edit");
	v->edit_flags = 0;
	v->edit_keypad = false;
	v->edit_chinese = which == TQK_WIT_NAME || which == TQK_WIT_SCHOOL;
	switch (which) {
	case TQK_WIT_PASSWORD:
	case TQK_WIT_PASSWORD2:
		v->edit_flags = TQK_FIELD_SECRET;
		snprintf(v->edit, sizeof v->edit, "%s",
		         which == TQK_WIT_PASSWORD ? a->wi.password : a->wi.password2);
		return;
	case TQK_WIT_CERT_NO:
		v->edit_flags = TQK_FIELD_DIGITS;
		v->edit_keypad = true;
		break;
	case TQK_WIT_ID_NUMBER:
		v->edit_flags = TQK_FIELD_UPPER;
		break;
	case TQK_WIT_ISSUED:
	case TQK_WIT_WORK_START:
		v->edit_keypad = true;
		break;
	default:
		break;
	}
	snprintf(v->edit, sizeof v->edit, "%s", v->value[which]);
}

/* A typed date: "20120701" is taken as 2012-07-01 (the keypad has no '-'). */
static void date_form(char *s, size_t cap)
{
	size_t n = strlen(s);
	bool digits = n == 8;
	for (size_t i = 0; digits && i < n; i++)
		digits = s[i] >= '0' && s[i] <= '9';
	if (digits && cap >= 11) {
		char t[11];
		snprintf(t, sizeof t, "%.4s-%.2s-%.2s", s, s + 4, s + 6);
		memcpy(s, t, sizeof t);
	}
}

static void edit_ok(tqk_app *a)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	tqk_application *ap = &a->wi.a;
	tqk_date today = tqk_time_date(tqk_app_now(a, NULL));
	int which = v->editing;
	v->error[0] = '\0';
	static const tqk_field fields[TQK_WIT_COUNT] = {
		[TQK_WIT_CERT_NO] = TQK_F_CERT_NO, [TQK_WIT_ID_NUMBER] = TQK_F_ID_NUMBER,
		[TQK_WIT_NAME] = TQK_F_NAME, [TQK_WIT_ISSUED] = TQK_F_CERT_ISSUED,
		[TQK_WIT_EMAIL] = TQK_F_EMAIL, [TQK_WIT_PASSWORD] = TQK_F_COUNT,
		[TQK_WIT_PASSWORD2] = TQK_F_COUNT, [TQK_WIT_WORK_START] = TQK_F_WORK_START,
		[TQK_WIT_SCHOOL] = TQK_F_SCHOOL,
	};
	if (which == TQK_WIT_PASSWORD || which == TQK_WIT_PASSWORD2) {
		char *dst = which == TQK_WIT_PASSWORD ? a->wi.password : a->wi.password2;
		snprintf(dst, TQK_PASSWORD_CAP, "%s", v->edit);
	} else if (which == TQK_WIT_CERT_NO || which == TQK_WIT_ID_NUMBER) {
		/* checked together on "next" (step 3): kept as typed till then */
		tqk_application scratch = *ap;
		tqk_err e = tqk_field_set(&scratch, fields[which], v->edit, today);
		if (e != TQK_OK) {
			snprintf(v->error, sizeof v->error, "%s", tqk_strerror(e, L));
			return;
		}
		char *dst = which == TQK_WIT_CERT_NO ? ap->cert_no : ap->id_number;
		size_t cap = which == TQK_WIT_CERT_NO ? sizeof ap->cert_no : sizeof ap->id_number;
		snprintf(dst, cap, "%s", which == TQK_WIT_CERT_NO ? scratch.cert_no : scratch.id_number);
	} else if (which >= 0 && which < TQK_WIT_COUNT) {
		if (which == TQK_WIT_ISSUED || which == TQK_WIT_WORK_START)
			date_form(v->edit, sizeof v->edit);
		tqk_err e = tqk_field_set(ap, fields[which], v->edit, today);
		if (e != TQK_OK) {
			snprintf(v->error, sizeof v->error, "%s", tqk_strerror(e, L));
			return;
		}
	}
	sodium_memzero(v->edit, sizeof v->edit);
	v->editing = -1;
}

/* ---- the steps ---- */

/* Says err for the step, with the date of an institution's window. */
static void refused(tqk_app *a, tqk_err err, const char *bad)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	if (err == TQK_E_WALKIN_NOT_OPEN || err == TQK_E_WALKIN_CLOSED) {
		tqk_date when = {0, 0, 0};
		if (tqk_walkin_institution(a->wi.a.institution, a->insts, a->n_insts,
		                           tqk_time_date(tqk_app_now(a, NULL)), &when) == err) {
			char d[TQK_DATE_BUFLEN];
			tqk_date_format(when, d);
			snprintf(v->error, sizeof v->error, "%s %s %s", tqk_strerror(err, L),
			         tqk_tr(L, err == TQK_E_WALKIN_NOT_OPEN ? "It opens on" : "It closed on"), d);
			return;
		}
	}
	const char *label = NULL;
	tqk_field f;
	if (bad != NULL && tqk_field_from_code(bad, &f) == TQK_OK)
		label = tqk_field_get_info(f)->label[L];
	else if (bad != NULL && (strcmp(bad, "password") == 0 || strcmp(bad, "password2") == 0))
		label = tqk_tr(L, "Password");
	if (label != NULL)
		snprintf(v->error, sizeof v->error, "%s: %s", label, tqk_strerror(err, L));
	else
		snprintf(v->error, sizeof v->error, "%s", tqk_strerror(err, L));
}

/* Step 3: the numbers typed (or the card's), and the certificate the
 * store knows under them. */
static tqk_err ids(tqk_app *a, const char **bad)
{
	tqk_date today = tqk_time_date(tqk_app_now(a, NULL));
	tqk_walkin *w = &a->wi;
	char cert[TQK_TEXT_CAP], id[TQK_TEXT_CAP];
	snprintf(cert, sizeof cert, "%s", w->a.cert_no);
	snprintf(id, sizeof id, "%s", a->have_wcard ? a->wcard.id : w->a.id_number);
	tqk_err e = tqk_walkin_ids(w, cert, id, NULL, today, bad);
	if (e != TQK_OK)
		return e;
	tqk_application known[4];
	size_t n = 0;
	if ((e = tqk_store_find_cert(a->store, w->a.cert_no, known, 4, &n)) != TQK_OK)
		return e;
	for (size_t i = 0; i < n && i < 4; i++) {
		e = tqk_walkin_ids(w, cert, id, &known[i], today, bad);
		if (e != TQK_OK)
			return e;
		/* Applied already, and not refused: see that one. */
		if (known[i].state != TQK_ST_NOT_ACCEPTED) {
			*bad = "cert_no";
			return TQK_E_WALKIN_EXISTS;
		}
	}
	return TQK_OK;
}

/* Step 7's "submit": the password hashed, the application committed. */
static void submit(tqk_app *a)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	if (!open_now(a))
		return;
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str_alg(hash, a->wi.password, strlen(a->wi.password),
	                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                          crypto_pwhash_MEMLIMIT_INTERACTIVE,
	                          crypto_pwhash_ALG_ARGON2ID13) != 0) {
		snprintf(v->error, sizeof v->error, "%s", tqk_strerror(TQK_E_NOMEM, L));
		return;
	}
	char reg[TQK_CODE_CAP];
	tqk_err e = tqk_store_walkin_add(a->store, &a->wi.a, hash, tqk_app_now(a, NULL), reg);
	sodium_memzero(hash, sizeof hash);
	if (e != TQK_OK) {
		snprintf(v->error, sizeof v->error, "%s: %s %s", tqk_tr(L, "Not saved"),
		         tqk_strerror(e, L), tqk_store_detail(a->store));
		return;
	}
	/* Saved, and on its way when the server can be reached. */
	if (a->sync != NULL)
		tqk_sync_wake(a->sync);
	/* The password goes now; step 8 shows what was registered. */
	sodium_memzero(a->wi.password, sizeof a->wi.password);
	sodium_memzero(a->wi.password2, sizeof a->wi.password2);
	snprintf(a->wi.a.reg_no, sizeof a->wi.a.reg_no, "%s", reg);
	a->wi.step = TQK_WI_DONE;
	fill(a);
	v->n_rows = 0;
	const tqk_application *ap = &a->wi.a;
	row(v, tqk_tr(L, "Name"), ap->name);
	row(v, tqk_tr(L, "ID number"), ap->id_number);
	row(v, tqk_tr(L, "Certificate number"), ap->cert_no);
	row(v, tqk_tr(L, "Email"), ap->email);
	row(v, tqk_tr(L, "Registration number"), reg);
	row(v, tqk_tr(L, "Confirmation site"), v->site);
}

/* Step 7's "save" of a change: the fields that differ, committed as the
 * teacher's change with its upload. */
static void save_change(tqk_app *a)
{
	tqk_view_walkin *v = &a->view.walkin;
	tqk_lang L = a->view.chrome.lang;
	if (!open_now(a))
		return;
	tqk_change c;
	memset(&c, 0, sizeof c);
	snprintf(c.reg_no, sizeof c.reg_no, "%s", a->wbefore.reg_no);
	tqk_change_diff(&a->wbefore, &a->wi.a, &c);
	if (c.n_corrections == 0) {
		snprintf(v->error, sizeof v->error, "%s", tqk_tr(L, "Nothing was changed."));
		return;
	}
	c.at = tqk_app_now(a, &c.time_source);
	tqk_err e = tqk_store_change(a->store, &c);
	if (e != TQK_OK) {
		snprintf(v->error, sizeof v->error, "%s: %s %s", tqk_tr(L, "Not saved"),
		         tqk_strerror(e, L), tqk_store_detail(a->store));
		return;
	}
	if (a->sync != NULL)
		tqk_sync_wake(a->sync);
	a->wi.step = TQK_WI_DONE;
	fill(a);
	v->n_rows = 0;
	for (size_t i = 0; i < c.n_corrections; i++) {
		char line[2 * TQK_TEXT_CAP + 8];
		snprintf(line, sizeof line, "%s → %s", c.corrections[i].old_value,
		         c.corrections[i].new_value);
		row(v, tqk_field_get_info(c.corrections[i].field)->label[L], line);
	}
}

void tqk_app_walkin_change(tqk_app *a, int i)
{
	tqk_lang L = a->view.chrome.lang;
	if (i < 0 || i >= TQK_VIEW_APPS || !a->view.status.apps[i].can_change || !open_now(a))
		return;
	tqk_application app;
	if (tqk_store_app_get(a->store, a->view.status.apps[i].reg_no, &app) != TQK_OK) {
		tqk_app_notice(a, true, tqk_strerror(TQK_E_STORE_NOT_FOUND, L));
		return;
	}
	fresh_draft(a);
	tqk_walkin_start(&a->wi, app.site, now_ms(a));
	a->wi.a = app;
	a->wbefore = app;
	a->wi.change = true;
	a->wi.terms_accepted = true;
	a->wi.step = TQK_WI_CERT;
	tqk_idnum id;
	if (tqk_id_parse(app.id_number, strlen(app.id_number), tqk_time_date(tqk_app_now(a, NULL)),
	                 &id) == TQK_OK) {
		a->wi.gender = id.gender;
		a->wi.birth = id.birth;
	}
	sodium_memzero(&app, sizeof app);
	fill(a);
	tqk_app_go(a, TQK_SCR_WALKIN);
}

static void next(tqk_app *a)
{
	tqk_view_walkin *v = &a->view.walkin;
	v->error[0] = '\0';
	const char *bad = NULL;
	tqk_date today = tqk_time_date(tqk_app_now(a, NULL));
	tqk_err e = TQK_OK;
	if (a->wi.step == TQK_WI_IDS)
		e = ids(a, &bad);
	if (e == TQK_OK && a->wi.step == TQK_WI_ACCOUNT) {
		e = tqk_walkin_check(&a->wi, now_ms(a), a->insts, a->n_insts, today, &bad);
		if (e == TQK_OK) {
			if (a->wi.change)
				save_change(a);
			else
				submit(a);
			return;
		}
	}
	if (e == TQK_OK)
		e = tqk_walkin_next(&a->wi, now_ms(a), a->insts, a->n_insts, today, &bad);
	if (e != TQK_OK) {
		refused(a, e, bad);
		return;
	}
	fill(a);
}

void tqk_app_walkin_act(tqk_app *a, tqk_action x)
{
	tqk_view_walkin *v = &a->view.walkin;
	switch (x.kind) {
	case TQK_ACT_WALKIN:
		tqk_app_walkin_start(a);
		return;
	case TQK_ACT_WI_CHANGE:
		tqk_app_walkin_change(a, x.arg);
		return;
	case TQK_ACT_WI_NEXT:
		if (a->wi.step == TQK_WI_DONE) {
			tqk_app_go(a, tqk_app_rest(a));
			return;
		}
		next(a);
		return;
	case TQK_ACT_WI_BACK:
		v->error[0] = '\0';
		tqk_walkin_back(&a->wi, now_ms(a));
		fill(a);
		if (a->wi.step == TQK_WI_NOTICE)
			v->notice_left = TQK_WALKIN_NOTICE_MS / 1000;
		return;
	case TQK_ACT_WI_LEAVE:
		v->leaving = true;
		return;
	case TQK_ACT_WI_STAY:
		v->leaving = false;
		return;
	case TQK_ACT_WI_DISCARD:
		tqk_app_go(a, tqk_app_rest(a));
		return;
	case TQK_ACT_WI_TERMS:
		a->wi.terms_accepted = !a->wi.terms_accepted;
		break;
	case TQK_ACT_WI_PICK:
		pick_open(a, x.arg);
		return;
	case TQK_ACT_WI_OPTION:
		pick_option(a, x.arg);
		break;
	case TQK_ACT_WI_PAGE:
		if (x.arg > 0 && v->pick_more)
			a->pick_page++;
		else if (x.arg < 0 && a->pick_page > 0)
			a->pick_page--;
		pick_refresh(a);
		return;
	case TQK_ACT_WI_UP:
		if (a->pick_node != NULL && tqk_tree_depth(a->pick_node) > 0) {
			a->pick_node = tqk_tree_parent(a->pick_node);
			a->pick_page = 0;
			pick_refresh(a);
		}
		return;
	case TQK_ACT_WI_PICK_CLOSE:
		v->picking = -1;
		a->pick_node = NULL;
		return;
	case TQK_ACT_WI_EDIT:
		edit_open(a, x.arg);
		return;
	case TQK_ACT_WI_EDIT_OK:
		edit_ok(a);
		break;
	case TQK_ACT_WI_EDIT_CANCEL:
		sodium_memzero(v->edit, sizeof v->edit);
		v->editing = -1;
		return;
	case TQK_ACT_WI_EDIT_CLEAR:
		sodium_memzero(v->edit, sizeof v->edit);
		v->error[0] = '\0';
		return;
	default:
		return;
	}
	fill(a);
}
