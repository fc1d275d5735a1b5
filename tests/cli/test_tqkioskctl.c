/*
 * test_tqkioskctl.c - the admin's command line, run as a user would run it.
 *
 * Each test runs the built binary ($TQK_CTL, set by `make check`) and checks
 * its stdout, stderr and exit status: the ID vectors of DESIGN.md §3, the
 * opening window on the shipped calendar (Friday 17:29 open, 17:30 closed
 * until Monday 08:30, a holiday closed, a make-up Saturday open), archive
 * numbers, --json, --lang en and every usage error.
 */
#include "test.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/expect.h"

/* The exit status and the whole stdout; frees the result. */
static void expect(proc_result *r, int status, const char *out)
{
	expect_exact(r, status, out);
	proc_result_free(r);
}

static void id_vectors(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "id", "360426199101010071");
	expect(&r, 0, "id=360426199101010071\ngender=male\nbirth=1991-01-01\nregion=360426\n"
	              "province=江西省\nconverted=false\n");
	CTL(&r, "id", "44011320141005001X");
	expect(&r, 0, "id=44011320141005001X\ngender=male\nbirth=2014-10-05\nregion=440113\n"
	              "province=广东省\nconverted=false\n");
	CTL(&r, "id", "11010519491231002X");
	expect(&r, 0, "id=11010519491231002X\ngender=female\nbirth=1949-12-31\nregion=110105\n"
	              "province=北京市\nconverted=false\n");
	CTL(&r, "id", "350303900203307");
	expect(&r, 0, "id=350303199002033073\ngender=male\nbirth=1990-02-03\nregion=350303\n"
	              "province=福建省\nconverted=true\n");
	CTL(&r, "id", "330502880702447");
	expect(&r, 0, "id=33050219880702447X\ngender=male\nbirth=1988-07-02\nregion=330502\n"
	              "province=浙江省\nconverted=true\n");
	/* Lower-case x is read as X. */
	CTL(&r, "id", "44011320141005001x");
	expect_status(&r, 0);
	expect_out(&r, "id=44011320141005001X\n");
	proc_result_free(&r);
}

static void id_errors(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "id", "36042619910102009X");
	expect_err(&r, "校验位");
	expect(&r, 1, "error=checksum\n");
	CTL(&r, "id", "360426199113010079");
	expect(&r, 1, "error=date\n");
	CTL(&r, "id", "36042619910101007");
	expect(&r, 1, "error=length\n");
	CTL(&r, "id", "3604261991010100A1");
	expect(&r, 1, "error=chars\n");
	CTL(&r, "id", "990426199101010071");
	expect(&r, 1, "error=region\n");
	/* Born after "today". */
	CTL(&r, "id", "44011320141005001X", "--today", "2014-10-04");
	expect(&r, 1, "error=date\n");
	CTL(&r, "id", "44011320141005001X", "--today", "2014-10-05");
	expect(&r, 0, "id=44011320141005001X\ngender=male\nbirth=2014-10-05\nregion=440113\n"
	              "province=广东省\nconverted=false\n");
	CTL(&r, "--lang", "en", "id", "36042619910102009X");
	expect_err(&r, "check character is wrong");
	expect(&r, 1, "error=checksum\n");
}

static void id_json(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "--json", "id", "11010519491231002X");
	expect(&r, 0, "{\"id\":\"11010519491231002X\",\"gender\":\"female\",\"birth\":\"1949-12-31\","
	              "\"region\":\"110105\",\"province\":\"北京市\",\"converted\":false}\n");
	CTL(&r, "id", "--json", "--lang", "en", "11010519491231002X");
	expect(&r, 0, "{\"id\":\"11010519491231002X\",\"gender\":\"female\",\"birth\":\"1949-12-31\","
	              "\"region\":\"110105\",\"province\":\"Beijing\",\"converted\":false}\n");
	CTL(&r, "id", "--json", "36042619910102009X");
	expect(&r, 1, "{\"error\":\"checksum\"}\n");
}

static void cert_numbers(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "cert", "20084300142001234", "--today", "2026-11-29");
	expect(&r, 0, "cert=20084300142001234\nyear=2008\nconverted=false\n");
	CTL(&r, "cert", "960123456789012", "--today", "2026-11-29");
	expect(&r, 0, "cert=19960123456789012\nyear=1996\nconverted=true\n");
	CTL(&r, "cert", "20274300142001234", "--today", "2026-11-29");
	expect(&r, 1, "error=year\n");
	CTL(&r, "cert", "20264300142001234", "--today", "2026-11-29");
	expect(&r, 0, "cert=20264300142001234\nyear=2026\nconverted=false\n");
	CTL(&r, "cert", "920123456789012");
	expect(&r, 1, "error=year\n");
	CTL(&r, "cert", "2008430014200123");
	expect(&r, 1, "error=length\n");
	CTL(&r, "cert", "2008430014200123X");
	expect(&r, 1, "error=chars\n");
}

static void window_friday_evening(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "window", "--at", "2026-11-27 17:29");
	expect(&r, 0, "state=open\ncloses=2026-11-27 17:30\ncalendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-11-27 17:30");
	expect(&r, 1, "state=closed\nreason=after_hours\nnext_open=2026-11-30 08:30\n"
	              "calendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-11-30 08:29");
	expect(&r, 1, "state=closed\nreason=before_hours\nnext_open=2026-11-30 08:30\n"
	              "calendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-11-30 08:30");
	expect(&r, 0, "state=open\ncloses=2026-11-30 17:30\ncalendar_covers=true\n");
}

static void window_holidays(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "window", "--at", "2026-10-05 10:00");
	expect_err(&r, "国庆节");
	expect(&r, 1, "state=closed\nreason=holiday\nholiday=国庆节\nnext_open=2026-10-08 08:30\n"
	              "calendar_covers=true\n");
	/* A make-up Saturday is open. */
	CTL(&r, "window", "--at", "2026-10-10 09:00");
	expect(&r, 0, "state=open\ncloses=2026-10-10 17:30\ncalendar_covers=true\n");
	/* The Friday before a make-up Saturday opens again on Saturday. */
	CTL(&r, "window", "--at", "2026-10-09 18:00");
	expect(&r, 1, "state=closed\nreason=after_hours\nnext_open=2026-10-10 08:30\n"
	              "calendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-11-28 12:00");
	expect(&r, 1, "state=closed\nreason=weekend\nnext_open=2026-11-30 08:30\n"
	              "calendar_covers=true\n");
	/* A year the calendar lacks: Monday to Friday, with a warning. */
	CTL(&r, "window", "--at", "2027-01-01 10:00");
	expect_err(&r, "2027");
	expect(&r, 0, "state=open\ncloses=2027-01-01 17:30\ncalendar_covers=false\n");
}

static void window_period_and_hours(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "window", "--at", "2026-11-27 17:30", "--period", "2026-11-02..2026-11-27");
	expect(&r, 1, "state=closed\nreason=after_hours\nnext_open=none\ncalendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-12-01 10:00", "--period", "2026-11-02..2026-11-27");
	expect(&r, 1, "state=closed\nreason=after_period\nnext_open=none\ncalendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-10-20 10:00", "--period=2026-11-01..2026-11-27");
	expect(&r, 1, "state=closed\nreason=before_period\nnext_open=2026-11-02 08:30\n"
	              "calendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-11-27 17:10", "--hours", "08:00-17:00");
	expect(&r, 1, "state=closed\nreason=after_hours\nnext_open=2026-11-30 08:00\n"
	              "calendar_covers=true\n");
	CTL(&r, "window", "--at", "2026-11-27 17:10", "--hours", "17:30-08:30");
	expect(&r, 2, "");
	CTL(&r, "window", "--at", "2026-11-27 17:10", "--period", "2026-11-27..2026-11-02");
	expect(&r, 2, "");
	CTL(&r, "window", "--at", "2026-11-27");
	expect(&r, 2, "");
}

/* Writes text to a new file in a fresh directory; returns its path. */
static char *write_temp(const char *name, const char *text)
{
	char dir[] = "/tmp/tqk-cli-XXXXXX";
	assert_non_null(mkdtemp(dir));
	size_t cap = strlen(dir) + strlen(name) + 2;
	char *path = malloc(cap);
	assert_non_null(path);
	snprintf(path, cap, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void remove_temp(char *path)
{
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	free(path);
}

static void window_custom_calendar(void **state)
{
	(void)state;
	proc_result r;
	char *good = write_temp("good.cal", "tqk-calendar 1\nyear 2030\n"
	                                    "holiday 2030-01-01 元旦\nworkday 2030-01-05 调休\n");
	CTL(&r, "window", "--at", "2030-01-01 09:00", "--calendar", good);
	expect(&r, 1, "state=closed\nreason=holiday\nholiday=元旦\nnext_open=2030-01-02 08:30\n"
	              "calendar_covers=true\n");
	CTL(&r, "window", "--at", "2030-01-05 09:00", "--calendar", good);
	expect(&r, 0, "state=open\ncloses=2030-01-05 17:30\ncalendar_covers=true\n");
	remove_temp(good);

	char *bad = write_temp("bad.cal", "tqk-calendar 1\nholiday 2030-01-01\nworkday 2030-01-07\n");
	CTL(&r, "window", "--at", "2030-01-01 09:00", "--calendar", bad);
	expect_err(&r, "bad.cal:3");
	expect_err(&r, "周六或周日");
	expect(&r, 2, "");
	remove_temp(bad);

	CTL(&r, "window", "--calendar", "/nonexistent/tqk.cal");
	expect_err(&r, "/nonexistent/tqk.cal");
	expect(&r, 2, "");
}

/* Without TQK_ASSETS the shipped calendar is found next to an installed
 * binary (<prefix>/share/tqkiosk) and from a build tree. */
static void window_finds_default_calendar(void **state)
{
	(void)state;
	char *unset[] = {"TQK_ASSETS", NULL};
	proc_result r;
	tool_run(&r, ctl_bin(), NULL, unset, TOOL_ARGS("window", "--at", "2026-10-10 09:00"));
	expect(&r, 0, "state=open\ncloses=2026-10-10 17:30\ncalendar_covers=true\n");

	char prefix[] = "/tmp/tqk-prefix-XXXXXX";
	assert_non_null(mkdtemp(prefix));
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "mkdir -p %1$s/bin %1$s/share/tqkiosk/calendar && cp '%2$s' %1$s/bin/ && "
	         "cp '%3$s/calendar/cn.cal' %1$s/share/tqkiosk/calendar/", prefix, ctl_bin(),
	         getenv("TQK_ASSETS"));
	assert_int_equal(system(cmd), 0);
	char bin[512];
	snprintf(bin, sizeof bin, "%s/bin/tqkioskctl", prefix);
	char *argv[] = {bin, "window", "--at", "2026-10-01 09:00", NULL};
	assert_int_equal(proc_run(argv, NULL, unset, &r), 0);
	expect(&r, 1, "state=closed\nreason=holiday\nholiday=国庆节\nnext_open=2026-10-08 08:30\n"
	              "calendar_covers=true\n");
	snprintf(cmd, sizeof cmd, "rm -rf %s", prefix);
	assert_int_equal(system(cmd), 0);
}

static void archive_numbers(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "archive", "--county", "CSX", "--year", "2024", "--site", "1", "--serial", "7");
	expect(&r, 0, "archive=CSX202401007\ncounty=CSX\nyear=2024\nsite=1\nserial=7\n");
	CTL(&r, "archive", "--county=JNX", "--year=2026", "--site=12", "--serial=1234", "--width=4");
	expect(&r, 0, "archive=JNX2026121234\ncounty=JNX\nyear=2026\nsite=12\nserial=1234\n");
	CTL(&r, "--json", "archive", "CSX202401007");
	expect(&r, 0, "{\"archive\":\"CSX202401007\",\"county\":\"CSX\",\"year\":2024,"
	              "\"site\":1,\"serial\":7}\n");
	CTL(&r, "archive", "--county", "CSX", "--year", "2024", "--site", "1", "--serial", "1000");
	expect(&r, 1, "error=serial\n");
	CTL(&r, "archive", "--county", "csx", "--year", "2024", "--site", "1", "--serial", "7");
	expect(&r, 1, "error=county\n");
	CTL(&r, "archive", "--county", "CSX", "--year", "2024", "--site", "100", "--serial", "7");
	expect(&r, 1, "error=site\n");
	CTL(&r, "archive", "CSX20240107");
	expect(&r, 1, "error=format\n");
	CTL(&r, "archive", "--county", "CSX", "--year", "2024", "--site", "1");
	expect(&r, 2, "");
	CTL(&r, "archive", "--county", "CSX", "--year", "20x4", "--site", "1", "--serial", "7");
	expect(&r, 2, "");
	CTL(&r, "archive", "CSX202401007", "--site", "1");
	expect(&r, 2, "");
}

static void usage_errors(void **state)
{
	(void)state;
	proc_result r;
	CTL(&r, "--help");
	expect_status(&r, 0);
	expect_out(&r, "用法");
	proc_result_free(&r);
	CTL(&r, "--lang", "en", "--help");
	expect_status(&r, 0);
	expect_out(&r, "usage");
	proc_result_free(&r);

	const char *cases[][5] = {
		{"frobnicate", NULL},
		{"id", NULL},
		{"id", "--frob", "1", NULL},
		{"id", "1", "2", NULL},
		{"id", "11010519491231002X", "--today", NULL},
		{"id", "11010519491231002X", "--today", "2026-02-30"},
		{"--lang", "fr", "id", "11010519491231002X"},
		{"window", "extra", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ctl_run(&r, NULL, cases[i]);
		if (r.status != 2 || r.out[0] != '\0' || r.err[0] == '\0')
			expect_fail(&r, "case %zu: want exit 2, nothing on stdout, a message on stderr", i);
		proc_result_free(&r);
	}
	/* Running without a command prints the usage on stderr and exits 2. */
	ctl_run(&r, NULL, (const char *const[]){NULL});
	expect_status(&r, 2);
	expect_err(&r, "用法");
	proc_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(id_vectors),
		cmocka_unit_test(id_errors),
		cmocka_unit_test(id_json),
		cmocka_unit_test(cert_numbers),
		cmocka_unit_test(window_friday_evening),
		cmocka_unit_test(window_holidays),
		cmocka_unit_test(window_period_and_hours),
		cmocka_unit_test(window_custom_calendar),
		cmocka_unit_test(window_finds_default_calendar),
		cmocka_unit_test(archive_numbers),
		cmocka_unit_test(usage_errors),
	};
	return cmocka_run_group_tests_name("tqkioskctl", tests, NULL, NULL);
}
