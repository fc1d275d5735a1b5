/*
 * test_threads.c - one writer and one reader on the same store file, each
 * thread with its own connection, for about two seconds.
 *
 * The writer commits confirmations (材料齐全, 材料不齐全, 网报未受理, and
 * corrections that conclude 材料齐全 again, some renaming the applicant) and
 * now and then imports a batch of new and newer applications. The reader
 * walks the clerk's list (every page; with and without a state filter; by
 * registration number, ID number and name) and looks applications up by ID
 * number and registration number, with their current confirmations.
 *
 * No call may fail: WAL readers never wait for the writer, and the writer is
 * alone. No read may be torn: every page's keys rise strictly, and so do
 * they from page to page; an application read in state 3 (confirmed) has a
 * current confirmation that concludes 材料齐全; one read with a current
 * confirmation is no longer in state 1 when read again. The number of
 * confirmed applications the reader sees never goes down. Since the writer
 * never takes an application out of state 3, a walk counts at least every
 * application confirmed when it began.
 */
#include "test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/apps.h"
#include "store/audit.h"
#include "store/confirm.h"
#include "store/outbox.h"
#include "support/fixture.h"
#include "support/rng.h"

#define APPS 3000
#define WIDTH 4
#define RUN_US 2000000
#define IMPORT_EVERY 40         /* writer operations between imports */
#define IMPORT_NEW 100          /* new applications per import... */
#define IMPORT_NEWER 50         /* ...and newer revisions of stored ones */
#define IMPORT_FIRST 500000     /* the new ones' fixture numbers */

static char dir[256], path[300];
static atomic_bool writer_done;

static int64_t now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/* What a thread did; problem is set on its first failure, and it stops. */
struct worker {
	uint64_t rng;
	unsigned long ops;
	unsigned long confirms, corrections, imports;           /* writer */
	unsigned long walks, pages, finds, gets, currents;      /* reader */
	unsigned long confirmed_seen;   /* the most confirmed applications a walk counted */
	char problem[512];
};

#define FAIL(w, ...) do { snprintf((w)->problem, sizeof (w)->problem, __VA_ARGS__); \
	goto out; } while (0)

static tqk_store *open_store(struct worker *w)
{
	tqk_store *s = NULL;
	char detail[TQK_STORE_DETAIL_CAP] = "";
	tqk_err err = tqk_store_open(path, NULL, &s, detail);
	if (err != TQK_OK)
		snprintf(w->problem, sizeof w->problem, "open: %s (%s)", tqk_err_code(err), detail);
	return s;
}

/* ---- the writer ---- */

static const char *const new_names[] = {"王小明", "李晓红", "张志强", "陈海燕", "刘建华"};

static tqk_err import_batch(tqk_store *s, unsigned k, tqk_application *batch)
{
	for (unsigned i = 0; i < IMPORT_NEW; i++)
		fixture_app(IMPORT_FIRST + k * IMPORT_NEW + i, FIXTURE_SITE, &batch[i]);
	for (unsigned i = 0; i < IMPORT_NEWER; i++) {
		tqk_application *a = &batch[IMPORT_NEW + i];
		fixture_app((k * IMPORT_NEWER + i * 7) % APPS, FIXTURE_SITE, a);
		a->rev = 2 + k;
	}
	char cursor[32];
	snprintf(cursor, sizeof cursor, "batch-%u", k);
	tqk_import_stats stats;
	return tqk_store_apps_put(s, batch, IMPORT_NEW + IMPORT_NEWER, cursor, FIXTURE_NOW, &stats,
	                          NULL);
}

static void *writer(void *arg)
{
	struct worker *w = arg;
	tqk_application *batch = calloc(IMPORT_NEW + IMPORT_NEWER, sizeof *batch);
	tqk_store *s = open_store(w);
	unsigned next = 0;
	tqk_err err;
	if (s == NULL || batch == NULL)
		goto out;
	int64_t end = now_us() + RUN_US;
	while (now_us() < end) {
		if (w->ops % IMPORT_EVERY == IMPORT_EVERY - 1) {
			if ((err = import_batch(s, (unsigned)w->imports, batch)) != TQK_OK)
				FAIL(w, "import: %s (%s)", tqk_err_code(err), tqk_store_detail(s));
			w->imports++;
			w->ops++;
			continue;
		}
		bool fresh = next == 0 || (next < APPS && rng_below(&w->rng, 10) < 7);
		unsigned idx = fresh ? next : rng_below(&w->rng, next);
		tqk_application a;
		fixture_app(idx, FIXTURE_SITE, &a);
		tqk_confirmation c;
		fixture_confirmation(a.reg_no, &c);
		if (fresh) {
			unsigned kind = rng_below(&w->rng, 5);
			if (kind == 3) {
				c.marks.mark[TQK_MAT_ANNUAL] = TQK_MARK_LACKS;
				c.conclusion = TQK_CONC_INCOMPLETE;
			} else if (kind == 4) {
				c.conclusion = TQK_CONC_NOT_ACCEPTED;
				snprintf(c.remark, sizeof c.remark, "报名号重复");
			}
		} else {
			/* A correction that concludes 材料齐全: state 3 only grows. */
			tqk_confirmation cur;
			if ((err = tqk_store_confirmation_current(s, a.reg_no, &cur)) != TQK_OK)
				FAIL(w, "current %s: %s", a.reg_no, tqk_err_code(err));
			memcpy(c.supersedes, cur.uuid, sizeof c.supersedes);
			if (rng_below(&w->rng, 4) == 0) {
				if ((err = tqk_store_app_get(s, a.reg_no, &a)) != TQK_OK)
					FAIL(w, "app %s: %s", a.reg_no, tqk_err_code(err));
				const char *name = new_names[rng_below(&w->rng, 5)];
				if (strcmp(name, a.name) != 0) {
					c.n_corrections = 1;
					c.corrections[0].field = TQK_F_NAME;
					memcpy(c.corrections[0].old_value, a.name, sizeof a.name);
					snprintf(c.corrections[0].new_value, sizeof c.corrections[0].new_value,
					         "%s", name);
				}
			}
		}
		if ((err = tqk_store_confirm(s, &c)) != TQK_OK)
			FAIL(w, "confirm %s: %s (%s)", a.reg_no, tqk_err_code(err), tqk_store_detail(s));
		if (fresh) {
			next++;
			w->confirms++;
		} else {
			w->corrections++;
		}
		w->ops++;
	}
out:
	atomic_store(&writer_done, true);
	tqk_store_free(s);
	free(batch);
	return NULL;
}

/* ---- the reader ---- */

/* An application read in state 3 must have a current confirmation that
 * concludes 材料齐全. */
static bool confirmed_has_record(struct worker *w, tqk_store *s, const char *reg_no)
{
	tqk_confirmation c;
	tqk_err err = tqk_store_confirmation_current(s, reg_no, &c);
	w->currents++;
	if (err != TQK_OK || c.conclusion != TQK_CONC_COMPLETE) {
		snprintf(w->problem, sizeof w->problem, "%s in state 3: current confirmation %s,"
		         " conclusion %d", reg_no, tqk_err_code(err), (int)c.conclusion);
		return false;
	}
	return true;
}

/* Whether row b comes strictly after row a in the list's order. */
static bool after(const tqk_app_row *a, const tqk_app_row *b, bool by_name)
{
	int k = by_name ? strcmp(a->name, b->name) : 0;
	return k < 0 || (k == 0 && strcmp(a->reg_no, b->reg_no) < 0);
}

/* One walk over every page of a query. */
static bool walk(struct worker *w, tqk_store *s, tqk_state state, const char *search,
                 bool by_name, tqk_page *page)
{
	tqk_page_key key;
	tqk_app_row last;
	bool first = true;
	unsigned long confirmed = 0;
	do {
		tqk_err err = tqk_store_page(s, state, search, first ? NULL : &key, page);
		w->pages++;
		if (err != TQK_OK) {
			snprintf(w->problem, sizeof w->problem, "page (state %d, \"%s\"): %s (%s)",
			         (int)state, search != NULL ? search : "", tqk_err_code(err),
			         tqk_store_detail(s));
			return false;
		}
		for (size_t i = 0; i < page->n; i++) {
			const tqk_app_row *r = &page->rows[i];
			if (!first && !after(&last, r, by_name)) {
				snprintf(w->problem, sizeof w->problem, "page (state %d, \"%s\"): %s %s"
				         " after %s %s", (int)state, search != NULL ? search : "", r->name,
				         r->reg_no, last.name, last.reg_no);
				return false;
			}
			if (state != TQK_ST_NONE && r->state != state) {
				snprintf(w->problem, sizeof w->problem, "state %d in a page of state %d",
				         (int)r->state, (int)state);
				return false;
			}
			if (r->state == TQK_ST_CONFIRMED) {
				confirmed++;
				/* Not every row: a walk would take too long. */
				if (i % 16 == 0 && !confirmed_has_record(w, s, r->reg_no))
					return false;
			}
			last = *r;
			first = false;
		}
		key = page->next;
	} while (page->more);
	w->walks++;
	/* A complete walk without a search counts every confirmed application. */
	if (search == NULL && (state == TQK_ST_NONE || state == TQK_ST_CONFIRMED)) {
		if (confirmed < w->confirmed_seen) {
			snprintf(w->problem, sizeof w->problem, "a walk counted %lu confirmed applications,"
			         " an earlier one %lu", confirmed, w->confirmed_seen);
			return false;
		}
		w->confirmed_seen = confirmed;
	}
	return true;
}

static void *reader(void *arg)
{
	struct worker *w = arg;
	tqk_page *page = malloc(sizeof *page);
	tqk_application *found = calloc(4, sizeof *found);
	tqk_store *s = open_store(w);
	tqk_err err;
	if (s == NULL || page == NULL || found == NULL)
		goto out;
	while (!atomic_load(&writer_done)) {
		unsigned idx = rng_below(&w->rng, APPS);
		tqk_application a;
		fixture_app(idx, FIXTURE_SITE, &a);
		switch (rng_below(&w->rng, 8)) {
		case 0:
			if (!walk(w, s, TQK_ST_NONE, NULL, false, page))
				goto out;
			break;
		case 1:
			if (!walk(w, s, TQK_ST_CONFIRMED, NULL, false, page))
				goto out;
			break;
		case 2:
			if (!walk(w, s, rng_below(&w->rng, 2) ? TQK_ST_SUBMITTED : TQK_ST_NOT_ACCEPTED,
			          NULL, false, page))
				goto out;
			break;
		case 3: {
			char prefix[16];
			snprintf(prefix, sizeof prefix, "%.11s", a.reg_no);    /* ~10 applications */
			if (!walk(w, s, rng_below(&w->rng, 2) ? TQK_ST_NONE : TQK_ST_CONFIRMED, prefix,
			          false, page))
				goto out;
			break;
		}
		case 4:
			/* Names: "王" matches a twentieth of the list, and renamed ones. */
			if (!walk(w, s, TQK_ST_NONE, rng_below(&w->rng, 2) ? "王" : "李晓", true, page))
				goto out;
			break;
		case 5: {
			size_t n;
			if ((err = tqk_store_find_id(s, a.id_number, found, 4, &n)) != TQK_OK)
				FAIL(w, "find_id: %s (%s)", tqk_err_code(err), tqk_store_detail(s));
			w->finds++;
			if (n < 1)
				FAIL(w, "find_id %s: none", a.id_number);
			for (size_t i = 0; i < n && i < 4; i++)
				if (found[i].state == TQK_ST_CONFIRMED &&
				    !confirmed_has_record(w, s, found[i].reg_no))
					goto out;
			break;
		}
		case 6:
			if ((err = tqk_store_app_get(s, a.reg_no, &a)) != TQK_OK)
				FAIL(w, "app_get %s: %s (%s)", a.reg_no, tqk_err_code(err), tqk_store_detail(s));
			w->gets++;
			if (a.state == TQK_ST_CONFIRMED && !confirmed_has_record(w, s, a.reg_no))
				goto out;
			break;
		default: {
			/* A current confirmation first: then the application has left
			 * state 1 for good. */
			tqk_confirmation c;
			err = tqk_store_confirmation_current(s, a.reg_no, &c);
			w->currents++;
			if (err != TQK_OK && err != TQK_E_STORE_NOT_FOUND)
				FAIL(w, "current %s: %s (%s)", a.reg_no, tqk_err_code(err), tqk_store_detail(s));
			bool has = err == TQK_OK;
			if ((err = tqk_store_app_get(s, a.reg_no, &a)) != TQK_OK)
				FAIL(w, "app_get %s: %s (%s)", a.reg_no, tqk_err_code(err), tqk_store_detail(s));
			w->gets++;
			if (has && a.state == TQK_ST_SUBMITTED)
				FAIL(w, "%s: a current confirmation, then state 1", a.reg_no);
			break;
		}
		}
		w->ops++;
	}
out:
	tqk_store_free(s);
	free(page);
	free(found);
	return NULL;
}

/* ---- the test ---- */

static void one_writer_one_reader(void **state)
{
	(void)state;
	fixture_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/store.db", dir);
	tqk_store *s = NULL;
	assert_int_equal(fixture_store(path, APPS, WIDTH, &s), TQK_OK);
	tqk_store_free(s);

	struct worker *wr = calloc(1, sizeof *wr), *rd = calloc(1, sizeof *rd);
	assert_non_null(wr);
	assert_non_null(rd);
	uint64_t seed = (uint64_t)now_us();
	wr->rng = seed;
	rd->rng = seed ^ 0xabcdefu;
	atomic_store(&writer_done, false);
	pthread_t tw, tr;
	int64_t t0 = now_us();
	assert_int_equal(pthread_create(&tw, NULL, writer, wr), 0);
	assert_int_equal(pthread_create(&tr, NULL, reader, rd), 0);
	pthread_join(tw, NULL);
	pthread_join(tr, NULL);
	double secs = (double)(now_us() - t0) / 1e6;
	printf("# threads: %.1f s; writer: %lu confirmations, %lu corrections, %lu imports;"
	       " reader: %lu operations, %lu walks of %lu pages, %lu ID look-ups, %lu application"
	       " reads, %lu current confirmations; at most %lu confirmed applications in a walk\n",
	       secs, wr->confirms, wr->corrections, wr->imports, rd->ops, rd->walks, rd->pages,
	       rd->finds, rd->gets, rd->currents, rd->confirmed_seen);
	if (wr->problem[0] != '\0')
		fail_msg("writer: %s", wr->problem);
	if (rd->problem[0] != '\0')
		fail_msg("reader: %s", rd->problem);
	assert_true(wr->confirms > 0 && wr->imports > 0 && wr->corrections > 0);
	assert_true(rd->walks > 0 && rd->finds > 0 && rd->gets > 0);

	/* And the file is whole, with everything the writer committed. */
	char detail[TQK_STORE_DETAIL_CAP] = "";
	assert_int_equal(tqk_store_open(path, NULL, &s, detail), TQK_OK);
	assert_int_equal(tqk_store_check(s, true), TQK_OK);
	tqk_audit_report rep;
	assert_int_equal(tqk_store_audit_verify(s, &rep), TQK_OK);
	assert_int_equal(rep.rows, 1 + (APPS + 999) / 1000 + wr->confirms + wr->corrections +
	                           wr->imports);
	tqk_outbox_counts oc;
	assert_int_equal(tqk_store_outbox_counts(s, &oc), TQK_OK);
	assert_int_equal(oc.n[TQK_OUTBOX_PENDING], wr->confirms + wr->corrections);
	tqk_store_free(s);
	free(wr);
	free(rd);
	fixture_rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_writer_one_reader),
	};
	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
