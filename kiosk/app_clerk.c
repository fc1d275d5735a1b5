/*
 * app_clerk.c - the clerk's side: login with the PIN checked offline
 * against the server's argon2id hash (store/clerks.h), five wrong PINs
 * locking that clerk for five minutes (core/lockout.h; the lock is kept in
 * the store's settings, so a restart does not lift it), and the list of
 * this site's applications, 50 a page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app_internal.h"
#include "i18n.h"
#include "store/apps.h"
#include "store/audit.h"

static void lock_key(const tqk_clerk *c, char key[TQK_STORE_SETTING_CAP])
{
	snprintf(key, TQK_STORE_SETTING_CAP, "clerk.lock.%s", c->id);
}

static void lock_load(tqk_app *a, int i)
{
	char key[TQK_STORE_SETTING_CAP], val[TQK_STORE_SETTING_CAP];
	lock_key(&a->clerks[i], key);
	tqk_lockout *l = &a->locks[i];
	memset(l, 0, sizeof *l);
	if (tqk_store_setting_get(a->store, key, val, sizeof val) != TQK_OK)
		return;
	int failures = 0;
	long long until = 0;
	if (sscanf(val, "%d %lld", &failures, &until) == 2 && failures >= 0 &&
	    failures <= TQK_LOCKOUT_TRIES && until >= 0) {
		l->failures = failures;
		l->until = until;
	}
}

static void lock_save(tqk_app *a, int i)
{
	char key[TQK_STORE_SETTING_CAP], val[64];
	lock_key(&a->clerks[i], key);
	snprintf(val, sizeof val, "%d %lld", a->locks[i].failures, (long long)a->locks[i].until);
	if (tqk_store_setting_set(a->store, key, val) != TQK_OK)
		tqk_app_notice(a, true, tqk_store_detail(a->store));
}

/* An audit row of the clerk's; a failure is said, not hidden. */
static void audit(tqk_app *a, tqk_time now, int i, const char *action)
{
	if (tqk_store_audit_append(a->store, now, a->clerks[i].id, action, "",
	                           a->o.demo ? "demo" : "") != TQK_OK)
		tqk_app_notice(a, true, tqk_store_detail(a->store));
}

void tqk_app_login_open(tqk_app *a)
{
	if (a->clerk >= 0) {
		tqk_app_list_load(a, 1);
		tqk_app_go(a, TQK_SCR_LIST);
		return;
	}
	tqk_view_login *v = &a->view.login;
	memset(v, 0, sizeof *v);
	v->selected = -1;
	tqk_clerk all[TQK_VIEW_CLERKS];
	size_t n = 0;
	tqk_err e = tqk_store_clerks_list(a->store, all, TQK_VIEW_CLERKS, &n);
	if (e != TQK_OK)
		snprintf(v->message, sizeof v->message, "%s", tqk_strerror(e, a->view.chrome.lang));
	size_t k = 0;
	for (size_t i = 0; i < n && i < TQK_VIEW_CLERKS; i++) {
		if (!all[i].active)
			continue;
		a->clerks[k] = all[i];
		snprintf(v->names[k], sizeof v->names[k], "%s", all[i].name);
		lock_load(a, (int)k);
		k++;
	}
	v->n = k;
	sodium_memzero(all, sizeof all);
	tqk_app_go(a, TQK_SCR_LOGIN);
}

void tqk_app_login_refresh(tqk_app *a)
{
	tqk_view_login *v = &a->view.login;
	if (v->selected < 0)
		return;
	tqk_lockout *l = &a->locks[v->selected];
	tqk_time now = tqk_app_now(a, NULL);
	bool may = tqk_lockout_may_try(l, now);
	v->locked_left = may ? 0 : tqk_lockout_left(l, now);
	v->tries_left = TQK_LOCKOUT_TRIES - l->failures;
}

void tqk_app_login_pick(tqk_app *a, int i)
{
	tqk_view_login *v = &a->view.login;
	if (i < 0 || (size_t)i >= v->n)
		return;
	v->selected = i;
	v->message[0] = '\0';
	sodium_memzero(v->pin, sizeof v->pin);
	tqk_app_login_refresh(a);
	tqk_ui_focus(a->ui, "login.pin");
}

void tqk_app_login(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_login *v = &a->view.login;
	int i = v->selected;
	if (i < 0)
		return;
	tqk_time now = tqk_app_now(a, NULL);
	tqk_app_login_refresh(a);
	if (v->locked_left > 0 || v->pin[0] == '\0') {
		sodium_memzero(v->pin, sizeof v->pin);
		return;
	}
	tqk_login out = TQK_LOGIN_UNKNOWN;
	tqk_err e = tqk_store_clerk_login(a->store, a->clerks[i].id, v->pin, &out);
	sodium_memzero(v->pin, sizeof v->pin);
	if (e != TQK_OK) {
		snprintf(v->message, sizeof v->message, "%s", tqk_strerror(e, L));
		return;
	}
	bool right = out == TQK_LOGIN_OK;
	if (out == TQK_LOGIN_OK || out == TQK_LOGIN_WRONG_PIN) {
		bool locked = tqk_lockout_record(&a->locks[i], right, now);
		lock_save(a, i);
		if (locked)
			audit(a, now, i, "clerk.locked");
	}
	if (!right) {
		tqk_app_login_refresh(a);
		if (out == TQK_LOGIN_WRONG_PIN && v->locked_left == 0)
			snprintf(v->message, sizeof v->message, tqk_tr(L, "Wrong PIN: %d tries left."),
			         v->tries_left);
		else if (out != TQK_LOGIN_WRONG_PIN)
			snprintf(v->message, sizeof v->message, "%s",
			         tqk_tr(L, "This account cannot log in here."));
		return;
	}
	a->clerk = i;
	audit(a, now, i, "clerk.login");
	memset(&a->view.list, 0, sizeof a->view.list);
	tqk_app_list_load(a, 1);
	tqk_app_go(a, TQK_SCR_LIST);
}

void tqk_app_logout(tqk_app *a)
{
	if (a->clerk >= 0)
		audit(a, tqk_app_now(a, NULL), a->clerk, "clerk.logout");
	a->clerk = -1;
	memset(&a->page, 0, sizeof a->page);
	tqk_app_go(a, tqk_app_rest(a));
	memset(&a->view.list, 0, sizeof a->view.list);
}

/* Marks the rows whose ID number has another registration number. */
static void mark_duplicates(tqk_app *a)
{
	tqk_view_list *v = &a->view.list;
	for (size_t i = 0; i < a->page.n; i++) {
		tqk_application one;
		size_t n = 0;
		v->dup[i] = tqk_store_find_id(a->store, a->page.rows[i].id_number, &one, 1, &n) == TQK_OK &&
		            n > 1;
		sodium_memzero(&one, sizeof one);
	}
}

void tqk_app_list_load(tqk_app *a, int page_no)
{
	tqk_view_list *v = &a->view.list;
	int max = (int)(sizeof a->page_keys / sizeof a->page_keys[0]);
	if (page_no < 1 || page_no > max + 1)
		page_no = 1;
	/* Page k > 1 starts after the key page k - 1 ended with. */
	if (page_no > 1 && !a->page.more)
		return;
	if (page_no > 1)
		a->page_keys[page_no - 2] = a->page.next;
	const tqk_page_key *after = page_no > 1 ? &a->page_keys[page_no - 2] : NULL;
	tqk_err e = tqk_store_page(a->store, v->filter, v->search, after, &a->page);
	v->message[0] = '\0';
	if (e != TQK_OK) {
		memset(&a->page, 0, sizeof a->page);
		snprintf(v->message, sizeof v->message, "%s", tqk_strerror(e, a->view.chrome.lang));
		page_no = 1;
	}
	v->page = &a->page;
	v->page_no = page_no;
	v->scroll = 0;
	mark_duplicates(a);
}

void tqk_app_list_open(tqk_app *a, int row)
{
	if (row < 0 || (size_t)row >= a->page.n)
		return;
	char reg[TQK_CODE_CAP];
	snprintf(reg, sizeof reg, "%s", a->page.rows[row].reg_no);
	tqk_app_verify_open(a, reg);
}
