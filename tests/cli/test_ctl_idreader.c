/*
 * test_ctl_idreader.c - tqkioskctl read-id against the simulator, and the
 * simulator's own command line.
 *
 * read-id's exact key=value output for a demo card, --json, --photo (the
 * simulator's photo, mode 0600), the long-term validity and the appended
 * address; a timeout without a card, a card whose data do not check and a
 * card the reader cannot authenticate (exit 1); a missing reader, a reader
 * whose replies are damaged, one unplugged during the wait, and every usage
 * error (exit 2); no personal data on stderr. Then tq-idreader-sim: --help
 * in both languages, bad options and bad cards files, the control
 * channel's answers, SIGUSR1 and --once.
 */
#include "test.h"

#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dev/devsys.h"
#include "support/expect.h"
#include "support/fixture.h"
#include "support/idsim.h"

/* Runs tq-idreader-sim with the arguments. */
#define SIM(r, ...) tool_run((r), idsim_bin(), NULL, NULL, TOOL_ARGS(__VA_ARGS__))

static const char card1[] =
	"name=张伟\n"
	"gender=male\n"
	"nation=汉\n"
	"nation_code=01\n"
	"birth=1985-03-12\n"
	"address=湖南省长沙市岳麓区麓山南路932号\n"
	"id=430104198503121232\n"
	"authority=长沙市公安局岳麓分局\n"
	"valid_from=2015-06-01\n"
	"valid_to=2035-06-01\n"
	"photo_bytes=1024\n";

static void reads_a_card(void **state)
{
	(void)state;
	idsim *sim = idsim_start((const char *[]){"--card", "1", NULL});
	proc_result r;
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--today", "2026-05-20");
	expect_status(&r, 0);
	assert_string_equal(r.out, card1);
	/* stderr has the prompt at most, never the card */
	expect_no_err(&r, "张伟");
	expect_no_err(&r, "430104");
	proc_result_free(&r);

	/* The same card again (it is still there: a new process, a new read),
	 * as JSON, with the photo written out. */
	char dir[256], photo[320];
	fixture_tmpdir(dir, sizeof dir);
	snprintf(photo, sizeof photo, "%s/photo.wlt", dir);
	char addr[300];
	snprintf(addr, sizeof addr, "--dev=%s", idsim_address(sim));
	CTL(&r, "--json", "read-id", addr, "--timeout", "5", "--photo", photo);
	expect_status(&r, 0);
	json_error_t jerr;
	json_t *o = json_loads(r.out, 0, &jerr);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "张伟");
	assert_string_equal(json_string_value(json_object_get(o, "id")), "430104198503121232");
	assert_string_equal(json_string_value(json_object_get(o, "valid_to")), "2035-06-01");
	assert_int_equal(json_integer_value(json_object_get(o, "photo_bytes")), 1024);
	assert_null(json_object_get(o, "new_address"));
	assert_int_equal(json_object_size(o), 11);
	json_decref(o);
	proc_result_free(&r);
	struct stat st;
	assert_int_equal(stat(photo, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 1024);
	uint8_t want[1024], got[1024];
	idsim_photo("430104198503121232", want);
	FILE *f = fopen(photo, "rb");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof got, f), 1024);
	fclose(f);
	assert_memory_equal(got, want, sizeof want);

	/* Long-term validity; an appended address. */
	idsim_ok(sim, "place 3");
	CTL(&r, "read-id", "--tty", idsim_path(sim));
	expect_status(&r, 0);
	expect_out(&r, "name=李秀英\n");
	expect_out(&r, "gender=female\n");
	expect_out(&r, "valid_to=长期\n");
	proc_result_free(&r);
	idsim_ok(sim, "place 4");
	CTL(&r, "--json", "read-id", "--tty", idsim_path(sim));
	expect_status(&r, 0);
	expect_out(&r, "\"new_address\":\"江苏省南京市鼓楼区中山北路一百号\"");
	proc_result_free(&r);
	idsim_ok(sim, "place 5");
	CTL(&r, "read-id", "--tty", idsim_path(sim));
	expect_status(&r, 0);
	expect_out(&r, "nation=回\nnation_code=03\n");
	proc_result_free(&r);
	assert_int_equal(idsim_stop(sim), 0);
	fixture_rmdir(dir);
}

static void no_card_and_bad_cards(void **state)
{
	(void)state;
	idsim *sim = idsim_start(NULL);
	proc_result r;
	long long t0 = tqk_dev_now_ms();
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "1");
	long long took = tqk_dev_now_ms() - t0;
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=card.none\n");
	expect_err(&r, "读卡器上没有身份证");
	expect_err(&r, "请将身份证放在阅读器上");
	assert_true(took >= 900 && took < 4000);
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "read-id", "--tty", idsim_path(sim), "--timeout", "1");
	expect_status(&r, 1);
	expect_err(&r, "no ID card on the reader");
	proc_result_free(&r);

	/* The card fails the reader's authentication. */
	idsim_ok(sim, "fault status 31 read");
	idsim_ok(sim, "place 2");
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "3");
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=sam.status\n");
	expect_err(&r, "身份证认证读卡器失败");
	expect_no_err(&r, "欧阳");
	proc_result_free(&r);
	assert_int_equal(idsim_stop(sim), 0);

	/* A card whose birth date is not the ID number's. */
	char dir[256], path[320];
	fixture_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/cards.json", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"cards\": [{\"name\": \"赵六\", \"gender\": \"男\", \"nation\": \"汉\","
	      " \"birth\": \"1985-03-13\", \"address\": \"湖南省长沙市\","
	      " \"id\": \"430104198503121232\", \"authority\": \"长沙市公安局\","
	      " \"valid_from\": \"2015-06-01\", \"valid_to\": \"2035-06-01\"}]}\n", f);
	fclose(f);
	sim = idsim_start((const char *[]){"--cards", path, "--card", "1", NULL});
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "3");
	expect_status(&r, 1);
	assert_string_equal(r.out, "error=card.data\n");
	expect_err(&r, "出生日期");
	expect_no_err(&r, "赵六");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "read-id", "--tty", idsim_path(sim), "--timeout", "3");
	expect_status(&r, 1);
	expect_err(&r, "birth date");
	proc_result_free(&r);
	assert_int_equal(idsim_stop(sim), 0);
	fixture_rmdir(dir);
}

typedef struct later {
	idsim *sim;
	int after_ms;
} later;

static void *hang_up_later(void *arg)
{
	later *l = arg;
	tqk_dev_sleep_ms(l->after_ms);
	idsim_ok(l->sim, "hangup");
	return NULL;
}

static void device_errors(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "read-id", "--tty", "/dev/tqk-no-such-reader", "--timeout", "1");
	expect_status(&r, 2);
	assert_string_equal(r.out, "error=dev.not_found\n");
	expect_err(&r, "未找到设备");
	proc_result_free(&r);
	CTL(&r, "read-id", "--tty", "/dev/null");
	expect_status(&r, 2);
	assert_string_equal(r.out, "error=dev.not_found\n");
	proc_result_free(&r);
	CTL(&r, "read-id", "--dev", "serial:/dev/ttyS0");
	expect_status(&r, 2);
	assert_string_equal(r.out, "error=dev.spec\n");
	proc_result_free(&r);
	CTL(&r, "read-id", "--dev", "tty:/dev/ttyS0?baud=7");
	expect_status(&r, 2);
	assert_string_equal(r.out, "error=dev.spec\n");
	proc_result_free(&r);

	/* A reader whose every reply is damaged: failing, exit 2 at the end. */
	idsim *sim = idsim_start((const char *[]){"--fault", "checksum", "--card", "1", NULL});
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "2");
	expect_status(&r, 2);
	assert_string_equal(r.out, "error=sam.checksum\n");
	expect_err(&r, "读卡器数据校验错误");
	proc_result_free(&r);
	/* ... and one that is unplugged while we wait. */
	idsim_ok(sim, "fault none");
	idsim_ok(sim, "remove");
	later l = {sim, 400};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, hang_up_later, &l), 0);
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "5");
	pthread_join(th, NULL);
	expect_status(&r, 2);
	assert_string_equal(r.out, "error=dev.gone\n");
	expect_err(&r, "设备已断开");
	proc_result_free(&r);
	assert_int_equal(idsim_stop(sim), 0);
}

static void usage_errors(void **state)
{
	(void)state;
	static const char *const cases[][6] = {
		{"read-id", NULL},
		{"read-id", "--tty", "/dev/x", "--dev", "tty:/dev/x", NULL},
		{"read-id", "--tty", NULL},
		{"read-id", "--tty", "/dev/x", "--timeout", "0", NULL},
		{"read-id", "--tty", "/dev/x", "--timeout", "abc", NULL},
		{"read-id", "--tty", "/dev/x", "--timeout", "3601", NULL},
		{"read-id", "--tty", "/dev/x", "--bogus", NULL},
		{"read-id", "--tty", "/dev/x", "extra", NULL},
		{"read-id", "--tty", "/dev/x", "--today", "2026-02-30", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		proc_result r;
		ctl_run(&r, NULL, cases[i]);
		if (r.status != 2)
			expect_fail(&r, "case %zu: want exit 2", i);
		assert_true(strlen(r.err) > 10);
		proc_result_free(&r);
	}
	proc_result r;
	CTL(&r, "read-id");
	expect_err(&r, "--tty");
	proc_result_free(&r);
	CTL(&r, "--help");
	expect_status(&r, 0);
	expect_out(&r, "read-id --tty 路径 | --dev 设备地址 [--timeout 秒] [--photo 文件]");
	proc_result_free(&r);
}

/* ---- the simulator's command line ---- */

static void sim_help_and_options(void **state)
{
	(void)state;
	proc_result r;
	SIM(&r, "--help");
	expect_status(&r, 0);
	expect_out(&r, "用法：tq-idreader-sim");
	expect_out(&r, "fault status SW");
	expect_out(&r, "hangup");
	expect_out(&r, "SIGUSR1");
	assert_string_equal(r.err, "");
	proc_result_free(&r);
	SIM(&r, "--lang", "en", "--help");
	expect_status(&r, 0);
	expect_out(&r, "usage: tq-idreader-sim");
	expect_out(&r, "fault split BYTES [MS]");
	expect_out(&r, "place N");
	proc_result_free(&r);

	static const char *const bad[][4] = {
		{"--bogus", NULL},
		{"--card", NULL},
		{"--card", "0", NULL},
		{"--card", "99", NULL},
		{"--card", "x", NULL},
		{"--once", NULL},
		{"--fault", "wobble", NULL},
		{"--fault", "slow", NULL},
		{"--fault", "status 123", NULL},
		{"--fault", "status 31 nowhere", NULL},
		{"--seed", "-1", NULL},
		{"--lang", "fr", NULL},
		{"--cards", "/nonexistent/cards.json", NULL},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tool_run(&r, idsim_bin(), NULL, NULL, bad[i]);
		if (r.status != 2 || strlen(r.err) < 10 || r.out[0] != '\0')
			expect_fail(&r, "case %zu: want exit 2, a message on stderr, nothing on stdout", i);
		proc_result_free(&r);
	}
	SIM(&r, "--lang", "en", "--card", "99");
	expect_err(&r, "--card: no such card");
	proc_result_free(&r);
}

static void sim_bad_cards_files(void **state)
{
	(void)state;
	char dir[256], path[320];
	fixture_tmpdir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/cards.json", dir);
	static const struct {
		const char *json;
		const char *says;
	} cases[] = {
		{"{\"cards\": [", "line"},
		{"{\"cards\": []}", "cards"},
		{"[]", "cards"},
		{"{\"cards\": [{}], \"more\": 1}", "cards"},
		{"{\"cards\": [{\"name\": \"甲\", \"colour\": \"red\"}]}", "colour"},
		{"{\"cards\": [{\"name\": 7}]}", "name"},
		{"{\"cards\": [{\"name\": \"甲乙\", \"gender\": \"男\", \"nation\": \"火星\", \"birth\": \"1985-03-12\","
		 " \"address\": \"某地\", \"id\": \"430104198503121232\", \"authority\": \"某局\","
		 " \"valid_from\": \"2015-06-01\", \"valid_to\": \"2035-06-01\"}]}", "nation"},
		{"{\"cards\": [{\"name\": \"甲乙\", \"gender\": \"男\", \"nation\": \"汉\", \"birth\": \"1985-02-30\","
		 " \"address\": \"某地\", \"id\": \"430104198503121232\", \"authority\": \"某局\","
		 " \"valid_from\": \"2015-06-01\", \"valid_to\": \"2035-06-01\"}]}", "birth"},
		{"{\"cards\": [{\"name\": \"甲乙\", \"gender\": \"男\", \"nation\": \"汉\", \"birth\": \"1985-03-12\","
		 " \"address\": \"一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六\","
		 " \"id\": \"430104198503121232\", \"authority\": \"某局\","
		 " \"valid_from\": \"2015-06-01\", \"valid_to\": \"2035-06-01\"}]}", "address"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(cases[i].json, f);
		fclose(f);
		proc_result r;
		SIM(&r, "--cards", path);
		if (r.status != 2 || strstr(r.err, cases[i].says) == NULL)
			expect_fail(&r, "case %zu: want exit 2 and \"%s\" on stderr", i, cases[i].says);
		assert_string_equal(r.out, "");
		proc_result_free(&r);
	}
	fixture_rmdir(dir);
}

static void sim_control_channel(void **state)
{
	(void)state;
	idsim *sim = idsim_start(NULL);
	char reply[256];
	assert_false(idsim_cmd(sim, "place 0", reply, sizeof reply));
	if (strstr(reply, "error place") == NULL)
		fail_msg("\"error place\" not in \"%s\"", reply);
	assert_false(idsim_cmd(sim, "fly away", reply, sizeof reply));
	assert_string_equal(reply, "error unknown command");
	assert_false(idsim_cmd(sim, "fault split", reply, sizeof reply));
	assert_false(idsim_cmd(sim, "plug", reply, sizeof reply));
	assert_false(idsim_cmd(sim, "a b c d e f g h i j", reply, sizeof reply));
	char huge[400];
	memset(huge, 'x', sizeof huge - 1);
	huge[sizeof huge - 1] = '\0';
	assert_false(idsim_cmd(sim, huge, reply, sizeof reply));
	assert_string_equal(reply, "error line too long");
	idsim_ok(sim, "fault status 0x31 any 2");
	idsim_ok(sim, "fault checksum off");
	idsim_ok(sim, "fault split 5:1");
	idsim_ok(sim, "fault none   # and back (comments are allowed)");
	/* hang-up and plug print the new path */
	idsim_ok(sim, "hangup");
	assert_false(idsim_cmd(sim, "hangup", reply, sizeof reply));
	idsim_ok(sim, "plug");
	assert_true(strncmp(idsim_path(sim), "/dev/", 5) == 0);
	assert_int_equal(access(idsim_path(sim), F_OK), 0);

	/* SIGUSR1 taps card 1 on, and off again. */
	proc_result r;
	kill(idsim_pid(sim), SIGUSR1);
	idsim_expect(sim, "ok place 1");
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "3");
	expect_status(&r, 0);
	assert_string_equal(r.out, card1);
	proc_result_free(&r);
	idsim_ok(sim, "place 2");
	kill(idsim_pid(sim), SIGUSR1);
	idsim_expect(sim, "ok remove");
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "1");
	expect_status(&r, 1);
	proc_result_free(&r);
	/* the next tap places the card placed last */
	kill(idsim_pid(sim), SIGUSR1);
	idsim_expect(sim, "ok place 2");
	assert_int_equal(idsim_stop(sim), 0);
}

static void sim_once(void **state)
{
	(void)state;
	idsim *sim = idsim_start((const char *[]){"--card", "6", "--once", NULL});
	proc_result r;
	CTL(&r, "read-id", "--tty", idsim_path(sim), "--timeout", "3");
	expect_status(&r, 0);
	expect_out(&r, "id=15010219751003049X\n");
	expect_out(&r, "nation=蒙古\n");
	proc_result_free(&r);
	/* it ends by itself, about a second after the read */
	long long t0 = tqk_dev_now_ms();
	assert_int_equal(idsim_wait(sim, 3000), 0);
	assert_true(tqk_dev_now_ms() - t0 < 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_a_card),
		cmocka_unit_test(no_card_and_bad_cards),
		cmocka_unit_test(device_errors),
		cmocka_unit_test(usage_errors),
		cmocka_unit_test(sim_help_and_options),
		cmocka_unit_test(sim_bad_cards_files),
		cmocka_unit_test(sim_control_channel),
		cmocka_unit_test(sim_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
