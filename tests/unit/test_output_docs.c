/*
 * test_output_docs.c - the printed documents gathered from the store
 * (output/docs.h): the form under the number people see and with the
 * county's payload only while it is the form's own and verifies, the
 * cover's title and contents, the receipt's site, hours and messages, and
 * the documents that cannot be made yet.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "core/payload.h"
#include "output/docs.h"
#include "store/apps.h"
#include "store/confirm.h"
#include "store/plan.h"
#include "store/walkin.h"
#include "support/fixture.h"

typedef struct env {
	char dir[512], db[600];
	tqk_store *s;
	uint8_t sk[TQK_SECKEY_LEN];
} env;

static int setup(void **state)
{
	env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->db, sizeof e->db, "%s/kiosk.db", e->dir);
	assert_int_equal(fixture_store(e->db, 6, 0, &e->s), TQK_OK);
	uint8_t pk[TQK_PUBKEY_LEN];
	assert_int_equal(crypto_sign_keypair(pk, e->sk), 0);
	tqk_plan p = fixture_plan(1, "");
	assert_int_equal(tqk_keyset_add(&p.keys, "k1", pk), TQK_OK);
	bool stored;
	assert_int_equal(tqk_store_plan_put(e->s, &p, FIXTURE_NOW, &stored), TQK_OK);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	env *e = *state;
	tqk_store_free(e->s);
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

/* Application i stored again with its form's payload signed as given. */
static void sign(env *e, unsigned i, const char *name)
{
	tqk_application a;
	fixture_app(i, FIXTURE_SITE, &a);
	tqk_payload p;
	memset(&p, 0, sizeof p);
	memcpy(p.reg_no, a.reg_no, sizeof p.reg_no);
	memcpy(p.id_number, a.id_number, sizeof p.id_number);
	memcpy(p.cert_no, a.cert_no, sizeof p.cert_no);
	snprintf(p.name, sizeof p.name, "%s", name != NULL ? name : a.name);
	snprintf(p.kid, sizeof p.kid, "k1");
	p.issued = FIXTURE_NOW;
	assert_int_equal(tqk_payload_sign(&p, e->sk, a.payload, NULL), TQK_OK);
	a.rev++;
	tqk_import_stats st;
	assert_int_equal(tqk_store_apps_put(e->s, &a, 1, NULL, FIXTURE_NOW, &st, NULL), TQK_OK);
}

static void form_keeps_only_its_own_payload(void **state)
{
	env *e = *state;
	tqk_application a;
	fixture_app(0, FIXTURE_SITE, &a);
	tqk_form_doc d;
	assert_int_equal(tqk_output_form(e->s, a.reg_no, FIXTURE_NOW, &d), TQK_OK);
	assert_string_equal(d.payload, "");         /* none came down */
	assert_string_equal(d.site_name, "长沙县星沙确认点");
	assert_false(d.provisional);
	assert_int_equal(d.printed, FIXTURE_NOW);

	sign(e, 0, NULL);
	assert_int_equal(tqk_output_form(e->s, a.reg_no, FIXTURE_NOW, &d), TQK_OK);
	assert_string_not_equal(d.payload, "");
	assert_string_equal(d.payload, d.app.payload);

	/* signed for a name the form no longer has (corrected since) */
	sign(e, 1, "别人");
	fixture_app(1, FIXTURE_SITE, &a);
	assert_int_equal(tqk_output_form(e->s, a.reg_no, FIXTURE_NOW, &d), TQK_OK);
	assert_string_equal(d.payload, "");

	/* with a key the plan does not have */
	uint8_t pk[TQK_PUBKEY_LEN];
	assert_int_equal(crypto_sign_keypair(pk, e->sk), 0);
	sign(e, 2, NULL);
	fixture_app(2, FIXTURE_SITE, &a);
	assert_int_equal(tqk_output_form(e->s, a.reg_no, FIXTURE_NOW, &d), TQK_OK);
	assert_string_equal(d.payload, "");

	assert_int_equal(tqk_output_form(e->s, "20269999999999", FIXTURE_NOW, &d),
	                 TQK_E_STORE_NOT_FOUND);
	assert_string_equal(d.app.reg_no, "");
}

static void walkin_form_is_provisional(void **state)
{
	env *e = *state;
	tqk_application a;
	fixture_app(100, FIXTURE_SITE, &a);
	a.reg_no[0] = '\0';
	a.rev = 0;
	char no[TQK_CODE_CAP];
	assert_int_equal(tqk_store_walkin_add(e->s, &a, "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
	                                      FIXTURE_NOW, no), TQK_OK);
	tqk_form_doc d;
	assert_int_equal(tqk_output_form(e->s, no, FIXTURE_NOW, &d), TQK_OK);
	assert_true(d.provisional);
	assert_string_equal(d.app.reg_no, no);
	assert_string_equal(d.payload, "");
}

static void cover_and_receipt(void **state)
{
	env *e = *state;
	tqk_application a;
	fixture_app(3, FIXTURE_SITE, &a);
	tqk_cover_doc cv;
	tqk_receipt_doc rc;
	assert_int_equal(tqk_output_cover(e->s, a.reg_no, &cv), TQK_E_PRINT_UNCONFIRMED);
	assert_int_equal(tqk_output_receipt(e->s, a.reg_no, FIXTURE_NOW, &rc),
	                 TQK_E_PRINT_UNCONFIRMED);

	tqk_confirmation c;
	fixture_confirmation(a.reg_no, &c);
	c.conclusion = TQK_CONC_INCOMPLETE;
	c.marks.mark[TQK_MAT_HEALTH] = TQK_MARK_LACKS;
	snprintf(c.message, sizeof c.message, "请补交身心健康证明");
	assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
	assert_int_equal(tqk_output_cover(e->s, a.reg_no, &cv), TQK_OK);
	assert_string_equal(cv.archive_no, c.archive_no);
	assert_string_equal(cv.title, "2026");      /* the plan has no title: the year */
	assert_string_equal(cv.name, a.name);
	assert_string_equal(cv.school, a.school);
	assert_string_equal(cv.site_name, "长沙县星沙确认点");
	assert_int_equal(cv.qualification, a.qualification);
	assert_int_equal(cv.marks.mark[TQK_MAT_HEALTH], TQK_MARK_LACKS);

	assert_int_equal(tqk_output_receipt(e->s, a.reg_no, FIXTURE_NOW + 60, &rc), TQK_OK);
	assert_int_equal(rc.conclusion, TQK_CONC_INCOMPLETE);
	assert_string_equal(rc.archive_no, c.archive_no);
	assert_string_equal(rc.hours, "08:30–17:30");
	assert_int_equal(rc.bring_by.year, 2026);
	assert_int_equal(rc.bring_by.month, 5);
	assert_int_equal(rc.bring_by.day, 29);
	assert_string_equal(rc.site_message, "请补交身心健康证明");
	assert_int_equal(rc.at, c.at);
	assert_int_equal(rc.printed, FIXTURE_NOW + 60);

	/* 网报未受理: a receipt, but no bag */
	fixture_app(4, FIXTURE_SITE, &a);
	fixture_confirmation(a.reg_no, &c);
	c.conclusion = TQK_CONC_NOT_ACCEPTED;
	snprintf(c.remark, sizeof c.remark, "重复报名");
	assert_int_equal(tqk_store_confirm(e->s, &c), TQK_OK);
	assert_int_equal(tqk_output_cover(e->s, a.reg_no, &cv), TQK_E_PRINT_NO_BAG);
	assert_int_equal(tqk_output_receipt(e->s, a.reg_no, FIXTURE_NOW, &rc), TQK_OK);
	assert_string_equal(rc.remark, "重复报名");
	assert_string_equal(rc.archive_no, "");

	/* the plan's title once the county gives one */
	tqk_plan p = fixture_plan(2, "");
	snprintf(p.title, sizeof p.title, "2026、长沙");
	bool stored;
	assert_int_equal(tqk_store_plan_put(e->s, &p, FIXTURE_NOW, &stored), TQK_OK);
	fixture_app(3, FIXTURE_SITE, &a);
	assert_int_equal(tqk_output_cover(e->s, a.reg_no, &cv), TQK_OK);
	assert_string_equal(cv.title, "2026、长沙");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(form_keeps_only_its_own_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(walkin_form_is_provisional, setup, teardown),
		cmocka_unit_test_setup_teardown(cover_and_receipt, setup, teardown),
	};
	return cmocka_run_group_tests_name("output_docs", tests, NULL, NULL);
}
