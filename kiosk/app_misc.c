/*
 * app_misc.c - the app's clock and plan, the chrome every screen shows,
 * and the sync and admin screens' views.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app_internal.h"
#include "i18n.h"
#include "store/outbox.h"
#include "store/plan.h"

tqk_time tqk_app_now(tqk_app *a, tqk_time_source *src)
{
	tqk_time_source dummy;
	if (src == NULL)
		src = &dummy;
	tqk_time now;
	if (a->o.clock != NULL) {
		now = a->o.clock->now(a->o.clock->ctx, src);
	} else if (a->o.demo) {
		now = a->o.demo_start + (tqk_time)((SDL_GetTicks64() - a->demo_mono0) / 1000);
	} else {
		/* The trusted clock the sync worker keeps in the store. */
		tqk_clock c;
		memset(&c, 0, sizeof c);
		char text[TQK_STORE_SETTING_CAP];
		if (tqk_store_setting_get(a->store, TQK_SYNC_CLOCK_SETTING, text, sizeof text) == TQK_OK)
			(void)tqk_clock_load(text, &c);
		now = tqk_clock_now(&c, &tqk_clock_system, src, NULL);
	}
	/* Whatever a demo runs on, what it writes is marked as a demo's. */
	if (a->o.demo)
		*src = TQK_TIME_DEMO;
	return now;
}

void tqk_app_load_plan(tqk_app *a)
{
	tqk_site site;
	if (tqk_store_site_get(a->store, &site) == TQK_OK) {
		snprintf(a->site_name, sizeof a->site_name, "%s", site.site);
		snprintf(a->site_code, sizeof a->site_code, "%s", site.site);
	}
	a->hours = tqk_hours_default();
	a->period = (tqk_period){.set = false};
	a->n_insts = 0;
	tqk_calendar_free(a->cal);
	a->cal = NULL;
	tqk_plan p;
	memset(&p, 0, sizeof p);
	if (tqk_store_plan_get(a->store, &p) != TQK_OK)
		return;
	if (p.site_name[0] != '\0')
		snprintf(a->site_name, sizeof a->site_name, "%s", p.site_name);
	tqk_hours h = {p.opens, p.closes};
	if (tqk_hours_check(&h) == TQK_OK)
		a->hours = h;
	if (tqk_date_valid(p.confirm_start) && tqk_date_valid(p.confirm_end))
		a->period = (tqk_period){true, tqk_date_to_day(p.confirm_start),
		                         tqk_date_to_day(p.confirm_end)};
	int line = 0;
	if (p.calendar != NULL && p.calendar[0] != '\0' &&
	    tqk_calendar_parse(p.calendar, strlen(p.calendar), &a->cal, &line) != TQK_OK)
		a->cal = NULL;  /* the store checked it; weekdays if it still fails */
	tqk_app_walkin_trees(a, p.trees);
	memcpy(a->insts, p.institutions, sizeof a->insts);
	a->n_insts = p.n_institutions;
	a->confirm_end = p.confirm_end;
	tqk_plan_clear(&p);
	if (tqk_store_plan_keys(a->store, &a->keys) != TQK_OK)
		memset(&a->keys, 0, sizeof a->keys);
}

static tqk_window window_now(tqk_app *a)
{
	tqk_window w;
	if (tqk_window_at(a->cal, &a->hours, &a->period, tqk_app_now(a, NULL), &w) != TQK_OK)
		memset(&w, 0, sizeof w);        /* checked hours: cannot happen; closed */
	return w;
}

tqk_screen tqk_app_rest(tqk_app *a)
{
	tqk_window w = window_now(a);
	if (w.open)
		return TQK_SCR_IDLE;
	tqk_lang L = a->view.chrome.lang;
	tqk_view_closed *c = &a->view.closed;
	snprintf(c->reason, sizeof c->reason, "%s%s%s%s", tqk_closed_text(w.reason, L),
	         w.holiday != NULL && w.holiday[0] != '\0' ? "（" : "",
	         w.holiday != NULL ? w.holiday : "",
	         w.holiday != NULL && w.holiday[0] != '\0' ? "）" : "");
	c->next_open[0] = '\0';
	if (w.next_open != TQK_TIME_NONE)
		tqk_local_format(w.next_open, c->next_open);
	return TQK_SCR_CLOSED;
}

void tqk_app_chrome(tqk_app *a)
{
	tqk_chrome *c = &a->view.chrome;
	snprintf(c->site_name, sizeof c->site_name, "%s", a->site_name);
	tqk_local_format(tqk_app_now(a, NULL), c->now);
	char opens[TQK_CLOCK_BUFLEN], closes[TQK_CLOCK_BUFLEN];
	tqk_clock_format(a->hours.open, opens);
	tqk_clock_format(a->hours.close, closes);
	snprintf(c->hours, sizeof c->hours, "%s–%s", opens, closes);
	c->open = window_now(a).open;
	tqk_outbox_counts n;
	if (tqk_store_outbox_counts(a->store, &n) == TQK_OK) {
		c->pending = (long)(n.n[TQK_OUTBOX_PENDING] + n.n[TQK_OUTBOX_SENDING]);
		c->rejected = (long)n.n[TQK_OUTBOX_REJECTED];
	}
	if (a->sync != NULL) {
		tqk_sync_status st;
		tqk_sync_get_status(a->sync, &st);
		c->online = st.rounds > 0 && st.failures == 0;
	} else {
		c->online = false;
	}
	snprintf(c->clerk, sizeof c->clerk, "%s", a->clerk >= 0 ? a->clerks[a->clerk].name : "");
}

void tqk_app_notice(tqk_app *a, bool bad, const char *text)
{
	snprintf(a->view.chrome.notice, sizeof a->view.chrome.notice, "%s", text);
	a->view.chrome.notice_bad = bad;
	a->notice_until = tqk_app_now(a, NULL) + TQK_NOTICE_SECONDS;
	a->dirty = true;
}

void tqk_app_fill_sync(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_sync *v = &a->view.sync;
	memset(v, 0, sizeof *v);
	tqk_outbox_counts n;
	if (tqk_store_outbox_counts(a->store, &n) == TQK_OK) {
		v->pending = (long)(n.n[TQK_OUTBOX_PENDING] + n.n[TQK_OUTBOX_SENDING]);
		v->rejected = (long)n.n[TQK_OUTBOX_REJECTED];
	}
	tqk_outbox_item items[TQK_VIEW_REJECTED];
	size_t got = 0;
	bool more = false;
	if (tqk_store_outbox_list(a->store, TQK_OUTBOX_REJECTED, NULL, items, TQK_VIEW_REJECTED, &got,
	                          &more) == TQK_OK) {
		for (size_t i = 0; i < got; i++) {
			/* The uuid and the server's reason: no personal data. */
			snprintf(v->rejected_reg[i], sizeof v->rejected_reg[i], "%.8s", items[i].uuid);
			snprintf(v->rejected_why[i], sizeof v->rejected_why[i], "%s", items[i].last_error);
			tqk_outbox_item_clear(&items[i]);
		}
		v->n_rejected = got;
	}
	char text[TQK_STORE_SETTING_CAP];
	tqk_clock c;
	if (tqk_store_setting_get(a->store, TQK_SYNC_CLOCK_SETTING, text, sizeof text) == TQK_OK &&
	    tqk_clock_load(text, &c) && c.anchor_time != 0) {
		char when[TQK_MINUTE_BUFLEN];
		tqk_local_format(c.anchor_time, when);
		snprintf(v->last_ok, sizeof v->last_ok, "%s", when);
	}
	tqk_time_source src = TQK_TIME_UNSET;
	(void)tqk_app_now(a, &src);
	snprintf(v->clock, sizeof v->clock, "%s",
	         a->o.demo ? tqk_tr(L, "demo clock")
	         : src == TQK_TIME_ANCHORED ? tqk_tr(L, "anchored to the county server")
	                                    : tqk_tr(L, "the kiosk's own clock, not yet checked"));
	if (a->sync != NULL) {
		tqk_sync_status st;
		tqk_sync_get_status(a->sync, &st);
		if (st.failures > 0)
			snprintf(v->detail, sizeof v->detail, "%s", st.last.detail);
	} else {
		snprintf(v->detail, sizeof v->detail, "%s", tqk_tr(L, "no county server configured"));
	}
}

void tqk_app_sync_now(tqk_app *a)
{
	tqk_time now = tqk_app_now(a, NULL);
	tqk_outbox_item items[TQK_VIEW_REJECTED];
	size_t got = 0;
	bool more = true;
	/* Every refused record goes back in the queue, then a round starts. */
	while (more && tqk_store_outbox_list(a->store, TQK_OUTBOX_REJECTED, NULL, items,
	                                     TQK_VIEW_REJECTED, &got, &more) == TQK_OK && got > 0) {
		for (size_t i = 0; i < got; i++) {
			if (tqk_store_outbox_requeue(a->store, items[i].uuid, now) != TQK_OK)
				more = false;
			tqk_outbox_item_clear(&items[i]);
		}
	}
	tqk_sync_wake(a->sync);
	tqk_app_fill_sync(a);
	tqk_app_notice(a, a->sync == NULL,
	               tqk_tr(a->view.chrome.lang, a->sync != NULL ? N_("Sync started.")
	                                                           : N_("No county server configured.")));
}

void tqk_app_fill_admin(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_admin *v = &a->view.admin;
	size_t n = 0;
#define LINE(label, ...)                                                                   \
	do {                                                                               \
		if (n < TQK_VIEW_LINES) {                                                  \
			snprintf(v->lines[n][0], sizeof v->lines[n][0], "%s", tqk_tr(L, label)); \
			snprintf(v->lines[n][1], sizeof v->lines[n][1], __VA_ARGS__);     \
			n++;                                                               \
		}                                                                          \
	} while (0)
	tqk_site site;
	if (tqk_store_site_get(a->store, &site) == TQK_OK)
		LINE("Site and kiosk", "%s / %s", site.site, site.kiosk);
	LINE("ID-card reader", "%s", tqk_devices_reader_text(a->dev, L));
	LINE("Barcode scanner", "%s", tqk_devices_scanner_text(a->dev, L));
	LINE("Camera", "%s", tqk_devices_camera_text(a->dev, L));
	char printer[1536];
	tqk_printing_describe(a->print, L, printer, sizeof printer);
	LINE("Printer", "%.159s", printer);
	LINE("Version", "%s", TQK_VERSION);
	LINE("Video driver", "%s", SDL_GetCurrentVideoDriver());
	LINE("Store", "%s", a->o.db_path);
	LINE("County server", "%s", a->o.sync_config != NULL ? a->o.sync_config : tqk_tr(L, "none"));
	LINE("Mode", "%s", a->o.demo ? tqk_tr(L, "demo") : tqk_tr(L, "production"));
#undef LINE
	v->n = n;
}

void tqk_app_admin_unlock(tqk_app *a)
{
	tqk_lang L = a->view.chrome.lang;
	tqk_view_admin *v = &a->view.admin;
	bool ok = a->o.admin_pin_hash != NULL && v->pin[0] != '\0' &&
	          crypto_pwhash_str_verify(a->o.admin_pin_hash, v->pin, strlen(v->pin)) == 0;
	sodium_memzero(v->pin, sizeof v->pin);
	if (!ok) {
		snprintf(v->message, sizeof v->message, "%s",
		         a->o.admin_pin_hash == NULL ? tqk_tr(L, "No admin PIN is configured.")
		                                     : tqk_tr(L, "Wrong PIN."));
		return;
	}
	v->unlocked = true;
	v->message[0] = '\0';
	tqk_app_fill_admin(a);
}
