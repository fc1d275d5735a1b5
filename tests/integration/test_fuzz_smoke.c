/*
 * test_fuzz_smoke.c - a short run of every libFuzzer target (tests/fuzz).
 *
 * `make fuzz` runs each target for a minute; `make check` runs each for a
 * few seconds over its seeds so that a parser change that crashes, leaks or
 * trips UBSan on a known input fails the ordinary test run. The targets are
 * found in $TQK_FUZZ_DIR (build/fuzz); new inputs go to a temporary corpus,
 * never into the seeds.
 */
#include "test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "support/fixture.h"
#include "support/proc.h"

#define MAX_TARGETS 32
#define SMOKE_SECONDS "4"

static void smoke(void **state)
{
	const char *name = *state; /* "fuzz_sam" */
	const char *dir = getenv("TQK_FUZZ_DIR");
	const char *seeds = getenv("TQK_FUZZ_SEEDS");
	char bin[512], corpus[256], seed_dir[512];
	snprintf(bin, sizeof bin, "%s/%s", dir, name);
	fixture_tmpdir(corpus, sizeof corpus);
	snprintf(seed_dir, sizeof seed_dir, "%s/%s", seeds != NULL ? seeds : ".",
	         name + strlen("fuzz_"));

	struct stat st;
	bool have_seeds = stat(seed_dir, &st) == 0 && S_ISDIR(st.st_mode);
	char *argv[] = {bin, "-max_total_time=" SMOKE_SECONDS, "-rss_limit_mb=2048",
	                "-print_final_stats=1", corpus, have_seeds ? seed_dir : NULL, NULL};
	proc_result r;
	assert_int_equal(proc_run(argv, NULL, NULL, &r), 0);
	if (r.status != 0)
		fail_msg("%s exited %d:\n%s", name, r.status, r.err);
	/* It really ran: libFuzzer reports how many inputs it tried. */
	const char *runs = strstr(r.err, "stat::number_of_executed_units:");
	assert_non_null(runs);
	assert_true(strtol(runs + strlen("stat::number_of_executed_units:"), NULL, 10) > 100);
	proc_result_free(&r);
	fixture_rmdir(corpus);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *dir = getenv("TQK_FUZZ_DIR");
	if (dir == NULL) {
		fprintf(stderr, "test_fuzz_smoke: TQK_FUZZ_DIR is not set (run through make check)\n");
		return 1;
	}
	DIR *d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "test_fuzz_smoke: %s: no fuzz targets built\n", dir);
		return 1;
	}
	char *names[MAX_TARGETS];
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && n < MAX_TARGETS) {
		if (strncmp(e->d_name, "fuzz_", 5) == 0 && strchr(e->d_name, '.') == NULL)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof names[0], by_name);

	struct CMUnitTest tests[MAX_TARGETS];
	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){.name = names[i], .test_func = smoke,
		                               .initial_state = names[i]};
	int rc = _cmocka_run_group_tests("fuzz_smoke", tests, n, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return n == 0 ? 1 : rc;
}
