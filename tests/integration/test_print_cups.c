/*
 * test_print_cups.c - printing (print/printer.h, print/cups.c) and "print,
 * or else save" (print/deliver.h), in two groups:
 *
 *  - a fault-injecting backend behind the printer's function table, no CUPS:
 *    argument checks, job state names, a failing submit that makes deliver
 *    save the PDF, a stopped printer the caller sees, and the save path:
 *    unique names (-2, -3...), mode 0600, never overwriting, safe names,
 *    an unwritable, missing or non-directory save directory giving
 *    TQK_E_PRINT_IO with nothing written, and no printer at all;
 *  - a real private cupsd (tests/support/cupsd.h) with raw queues on a test
 *    backend: a job completes through pending/processing and the backend
 *    gets the PDF's bytes exactly; a failing backend aborts the job with its
 *    reason; a stopping backend stops the queue and the job shows it; a
 *    held job is cancelled; an unknown queue is TQK_E_PRINT_NO_PRINTER; and,
 *    last, a stopped server is TQK_E_PRINT_FAILED and deliver saves instead.
 *    When cupsd cannot run here these tests are skipped, saying why.
 */
#define _GNU_SOURCE
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "print/deliver.h"
#include "print/printer.h"
#include "support/cupsd.h"

#define PDF_BYTES (200 * 1024)
#define WAIT_S 20.0

/* ---- scratch files ---- */

typedef struct scratch {
	char dir[256];      /* mkdtemp */
	char pdf[320];      /* dir/in.pdf: PDF_BYTES of a PDF-like file */
	char save[320];     /* dir/save: an empty save directory */
} scratch;

static void make_pdf(const char *path)
{
	unsigned char *b = malloc(PDF_BYTES);
	assert_non_null(b);
	static const char head[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
	memcpy(b, head, sizeof head - 1);
	uint32_t x = 2463534242u;
	for (size_t i = sizeof head - 1; i < PDF_BYTES; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[i] = (unsigned char)x;     /* every byte value, NULs too */
	}
	memcpy(b + PDF_BYTES - 6, "%%EOF\n", 6);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, PDF_BYTES), PDF_BYTES);
	assert_int_equal(close(fd), 0);
	free(b);
}

static void scratch_init(scratch *s)
{
	snprintf(s->dir, sizeof s->dir, "/tmp/tqk-print.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(s->pdf, sizeof s->pdf, "%s/in.pdf", s->dir);
	snprintf(s->save, sizeof s->save, "%s/save", s->dir);
	make_pdf(s->pdf);
	assert_int_equal(mkdir(s->save, 0700), 0);
}

static void scratch_close(scratch *s)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
	assert_int_equal(system(cmd), 0);
}

/* The whole file at path (caller frees); *len its size. NULL when absent. */
static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 4 * PDF_BYTES, n = 0;
	unsigned char *b = malloc(cap);
	assert_non_null(b);
	n = fread(b, 1, cap, f);
	fclose(f);
	*len = n;
	return b;
}

static void assert_same_file(const char *a, const char *b)
{
	size_t la = 0, lb = 0;
	unsigned char *x = slurp(a, &la), *y = slurp(b, &lb);
	assert_non_null(x);
	assert_non_null(y);
	assert_int_equal(la, lb);
	assert_memory_equal(x, y, la);
	free(x);
	free(y);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void assert_mode_0600(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
}

/* ---- the fault-injecting backend ---- */

typedef struct fake {
	tqk_err submit_err;        /* what submit returns */
	int next_job;
	tqk_job_status status;     /* what state reports */
	tqk_err state_err;
	int submits, states, cancels, frees;
	int last_copies;
	char last_title[TQK_PRINT_TITLE_CAP];
	int *freed;                /* set to 1 by free, outlives the fake */
} fake;

static tqk_err fake_submit(void *ctx, const char *pdf, const char *title, int copies, int *job,
                           char *detail)
{
	fake *f = ctx;
	(void)pdf;
	f->submits++;
	f->last_copies = copies;
	snprintf(f->last_title, sizeof f->last_title, "%s", title);
	if (f->submit_err != TQK_OK) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "injected: the printer is on fire");
		return f->submit_err;
	}
	*job = f->next_job++;
	return TQK_OK;
}

static tqk_err fake_state(void *ctx, int job, tqk_job_status *out, char *detail)
{
	fake *f = ctx;
	(void)job;
	f->states++;
	if (f->state_err != TQK_OK) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "injected: no answer");
		return f->state_err;
	}
	*out = f->status;
	return TQK_OK;
}

static tqk_err fake_cancel(void *ctx, int job, char *detail)
{
	fake *f = ctx;
	(void)job;
	(void)detail;
	f->cancels++;
	return TQK_OK;
}

static void fake_free(void *ctx)
{
	fake *f = ctx;
	if (f->freed != NULL)
		*f->freed += 1;
	free(f);
}

static const tqk_printer_ops fake_ops = {
	.submit = fake_submit, .state = fake_state, .cancel = fake_cancel, .free = fake_free,
};

static tqk_printer *fake_printer(fake **out, int *freed)
{
	fake *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->next_job = 41;
	f->freed = freed;
	tqk_printer *p = NULL;
	assert_int_equal(tqk_printer_new(&fake_ops, f, &p), TQK_OK);
	*out = f;
	return p;
}

static tqk_deliver_req req_for(const scratch *s, const char *base)
{
	return (tqk_deliver_req){.pdf_path = s->pdf, .save_dir = s->save, .base_name = base,
	                         .title = "tqkiosk cover 7", .copies = 1};
}

static void free_null_and_ownership(void **state)
{
	(void)state;
	tqk_printer_free(NULL);
	int freed = 0;
	fake *f;
	tqk_printer *p = fake_printer(&f, &freed);
	assert_string_equal(tqk_printer_detail(p), "");
	tqk_printer_free(p);
	assert_int_equal(freed, 1);
}

static void titles_and_copies_checked(void **state)
{
	(void)state;
	int freed = 0;
	fake *f;
	tqk_printer *p = fake_printer(&f, &freed);
	int job = 0;
	/* Names, paths, control characters, empty and long titles never reach
	 * the backend: the title is sent to the print server. */
	const char *bad[] = {"", "张三", "tqkiosk cover 7\n", "a/b", "x\"y",
	                     "0123456789012345678901234567890123456789012345678901234567890123"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(tqk_print_title_ok(bad[i]));
		assert_int_equal(tqk_printer_submit(p, "/dev/null", bad[i], 1, &job), TQK_E_ARG);
	}
	assert_int_equal(tqk_printer_submit(p, "/dev/null", "tqkiosk cover 7", 0, &job), TQK_E_ARG);
	assert_int_equal(tqk_printer_submit(p, "/dev/null", "tqkiosk cover 7",
	                                    TQK_PRINT_COPIES_MAX + 1, &job), TQK_E_ARG);
	assert_int_equal(f->submits, 0);
	assert_int_equal(tqk_printer_state(p, 0, &(tqk_job_status){0}), TQK_E_ARG);
	assert_int_equal(tqk_printer_cancel(p, -1), TQK_E_ARG);
	assert_int_equal(f->states + f->cancels, 0);

	assert_true(tqk_print_title_ok("tqkiosk form-2024_3.1"));
	assert_int_equal(tqk_printer_submit(p, "/dev/null", "tqkiosk form 12", 3, &job), TQK_OK);
	assert_int_equal(job, 41);
	assert_int_equal(f->last_copies, 3);
	assert_string_equal(f->last_title, "tqkiosk form 12");
	assert_int_equal(tqk_printer_cancel(p, job), TQK_OK);
	assert_int_equal(f->cancels, 1);
	tqk_printer_free(p);
}

static void state_names(void **state)
{
	(void)state;
	assert_string_equal(tqk_job_state_name(TQK_JOB_PENDING, TQK_LANG_ZH), "排队中");
	assert_string_equal(tqk_job_state_name(TQK_JOB_PENDING, TQK_LANG_EN), "queued");
	assert_string_equal(tqk_job_state_name(TQK_JOB_PROCESSING, TQK_LANG_ZH), "正在打印");
	assert_string_equal(tqk_job_state_name(TQK_JOB_COMPLETED, TQK_LANG_ZH), "打印完成");
	assert_string_equal(tqk_job_state_name(TQK_JOB_COMPLETED, TQK_LANG_EN), "printed");
	assert_string_equal(tqk_job_state_name(TQK_JOB_STOPPED, TQK_LANG_ZH), "打印机暂停");
	assert_string_equal(tqk_job_state_name(TQK_JOB_STOPPED, TQK_LANG_EN), "printer stopped");
	assert_string_equal(tqk_job_state_name(TQK_JOB_CANCELED, TQK_LANG_ZH), "已取消");
	assert_string_equal(tqk_job_state_name(TQK_JOB_ABORTED, TQK_LANG_ZH), "打印失败");
	assert_string_equal(tqk_job_state_name(TQK_JOB_STATE_COUNT, TQK_LANG_EN), "?");
	assert_string_equal(tqk_job_state_code(TQK_JOB_HELD), "held");
	assert_string_equal(tqk_job_state_code((tqk_job_state)-1), "?");
	/* Every state has its own name in both languages and its own code. */
	for (int a = 0; a < TQK_JOB_STATE_COUNT; a++) {
		for (int b = a + 1; b < TQK_JOB_STATE_COUNT; b++) {
			for (int l = 0; l < TQK_LANG_COUNT; l++)
				assert_string_not_equal(tqk_job_state_name(a, l), tqk_job_state_name(b, l));
			assert_string_not_equal(tqk_job_state_code(a), tqk_job_state_code(b));
		}
	}
	assert_false(tqk_job_state_final(TQK_JOB_PENDING));
	assert_false(tqk_job_state_final(TQK_JOB_HELD));
	assert_false(tqk_job_state_final(TQK_JOB_PROCESSING));
	assert_false(tqk_job_state_final(TQK_JOB_STOPPED));
	assert_true(tqk_job_state_final(TQK_JOB_COMPLETED));
	assert_true(tqk_job_state_final(TQK_JOB_CANCELED));
	assert_true(tqk_job_state_final(TQK_JOB_ABORTED));
}

static void clean_text(void **state)
{
	(void)state;
	char out[16];
	assert_string_equal(tqk_print_clean_text(out, sizeof out, "a\tb\nc\x7f"), "a b c ");
	assert_string_equal(tqk_print_clean_text(out, sizeof out, "x\xff\xc0y"), "x??y");
	assert_string_equal(tqk_print_clean_text(out, sizeof out, NULL), "");
	/* 5 characters of 3 bytes fill 15 bytes; a sixth is left out whole. */
	assert_string_equal(tqk_print_clean_text(out, sizeof out, "缺纸缺纸缺纸"), "缺纸缺纸缺");
	char tiny[3];
	assert_string_equal(tqk_print_clean_text(tiny, sizeof tiny, "纸"), "");
}

static void submit_fails_so_deliver_saves(void **state)
{
	(void)state;
	scratch s;
	scratch_init(&s);
	int freed = 0;
	fake *f;
	tqk_printer *p = fake_printer(&f, &freed);
	f->submit_err = TQK_E_PRINT_FAILED;
	tqk_deliver_req r = req_for(&s, "cover-CSX202401007");
	tqk_delivery d;
	assert_int_equal(tqk_deliver(p, &r, &d), TQK_OK);
	assert_int_equal(d.kind, TQK_DELIVERY_SAVED);
	assert_int_equal(d.why, TQK_E_PRINT_FAILED);
	assert_string_equal(d.print_detail, "injected: the printer is on fire");
	char want[400];
	snprintf(want, sizeof want, "%s/cover-CSX202401007.pdf", s.save);
	assert_string_equal(d.path, want);
	assert_same_file(s.pdf, d.path);
	assert_mode_0600(d.path);
	assert_int_equal(f->submits, 1);

	/* The printer works again: printed, and nothing more is saved. */
	f->submit_err = TQK_OK;
	assert_int_equal(tqk_deliver(p, &r, &d), TQK_OK);
	assert_int_equal(d.kind, TQK_DELIVERY_PRINTED);
	assert_int_equal(d.job, 41);
	assert_string_equal(d.path, "");
	assert_int_equal(count_entries(s.save), 1);

	/* A title the server must not see: nothing done at all. */
	r.title = "张三 cover";
	assert_int_equal(tqk_deliver(p, &r, &d), TQK_E_ARG);
	assert_int_equal(d.kind, TQK_DELIVERY_NONE);
	assert_int_equal(f->submits, 2);
	assert_int_equal(count_entries(s.save), 1);
	tqk_printer_free(p);
	scratch_close(&s);
}

static void stopped_printer_is_seen(void **state)
{
	(void)state;
	int freed = 0;
	fake *f;
	tqk_printer *p = fake_printer(&f, &freed);
	f->status.state = TQK_JOB_STOPPED;
	snprintf(f->status.reason, sizeof f->status.reason, "缺纸 out of paper");
	int job = 0;
	assert_int_equal(tqk_printer_submit(p, "/dev/null", "tqkiosk receipt 3", 1, &job), TQK_OK);
	tqk_job_status st;
	assert_int_equal(tqk_printer_state(p, job, &st), TQK_OK);
	assert_int_equal(st.state, TQK_JOB_STOPPED);
	assert_string_equal(st.reason, "缺纸 out of paper");
	assert_false(tqk_job_state_final(st.state));
	assert_string_equal(tqk_job_state_name(st.state, TQK_LANG_ZH), "打印机暂停");

	/* A backend that cannot be asked, or gives a state that does not exist. */
	f->state_err = TQK_E_PRINT_FAILED;
	assert_int_equal(tqk_printer_state(p, job, &st), TQK_E_PRINT_FAILED);
	assert_string_equal(tqk_printer_detail(p), "injected: no answer");
	f->state_err = TQK_OK;
	f->status.state = TQK_JOB_STATE_COUNT;
	assert_int_equal(tqk_printer_state(p, job, &st), TQK_E_PRINT_FAILED);
	assert_string_not_equal(tqk_printer_detail(p), "");
	f->status.state = TQK_JOB_COMPLETED;
	assert_int_equal(tqk_printer_state(p, job, &st), TQK_OK);
	assert_string_equal(tqk_printer_detail(p), "");
	tqk_printer_free(p);
	assert_int_equal(freed, 1);
}

static void no_printer_saves(void **state)
{
	(void)state;
	scratch s;
	scratch_init(&s);
	tqk_deliver_req r = req_for(&s, "receipt-12");
	tqk_delivery d;
	assert_int_equal(tqk_deliver(NULL, &r, &d), TQK_OK);
	assert_int_equal(d.kind, TQK_DELIVERY_SAVED);
	assert_int_equal(d.why, TQK_E_PRINT_NO_PRINTER);
	assert_string_not_equal(d.print_detail, "");
	assert_same_file(s.pdf, d.path);
	assert_mode_0600(d.path);
	scratch_close(&s);
}

static void saved_names_unique_and_safe(void **state)
{
	(void)state;
	scratch s;
	scratch_init(&s);
	char path[TQK_DELIVER_PATH_CAP], detail[TQK_PRINT_DETAIL_CAP], want[400];
	/* A file already there under the first name is never touched. */
	snprintf(want, sizeof want, "%s/form-7.pdf", s.save);
	int fd = open(want, O_WRONLY | O_CREAT | O_EXCL, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	mode_t old = umask(0);
	for (int i = 2; i <= 4; i++) {
		assert_int_equal(tqk_deliver_save(s.save, s.pdf, "form-7", path, detail), TQK_OK);
		snprintf(want, sizeof want, "%s/form-7-%d.pdf", s.save, i);
		assert_string_equal(path, want);
		assert_mode_0600(path);     /* even with umask 0 */
		assert_same_file(s.pdf, path);
	}
	umask(old);
	size_t len = 0;
	snprintf(want, sizeof want, "%s/form-7.pdf", s.save);
	unsigned char *kept = slurp(want, &len);
	assert_non_null(kept);
	assert_int_equal(len, 4);
	assert_memory_equal(kept, "keep", 4);
	free(kept);

	/* Unsafe base names: no directory change, no hidden file, no ".pdf.pdf". */
	struct {
		const char *base, *name;
	} cases[] = {
		{"../../etc/passwd", "_._.._etc_passwd.pdf"},
		{"张三 cover", "_cover.pdf"},
		{".hidden", "_hidden.pdf"},
		{"roster.PDF", "roster.pdf"},
		{"", "document.pdf"},
		{NULL, "document-2.pdf"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(tqk_deliver_save(s.save, s.pdf, cases[i].base, path, detail), TQK_OK);
		snprintf(want, sizeof want, "%s/%s", s.save, cases[i].name);
		assert_string_equal(path, want);
	}
	/* A long base is cut, and still unique. */
	char longb[200];
	memset(longb, 'a', sizeof longb - 1);
	longb[sizeof longb - 1] = '\0';
	assert_int_equal(tqk_deliver_save(s.save, s.pdf, longb, path, detail), TQK_OK);
	assert_int_equal(strlen(strrchr(path, '/') + 1), TQK_DELIVER_BASE_MAX + 4);
	assert_int_equal(tqk_deliver_save(s.save, s.pdf, longb, path, detail), TQK_OK);
	assert_int_equal(strlen(strrchr(path, '/') + 1), TQK_DELIVER_BASE_MAX + 6);
	assert_int_equal(count_entries(s.save), 4 + 6 + 2);
	scratch_close(&s);
}

/* Runs deliver with no printer into dir; 0 when it gave TQK_E_PRINT_IO with
 * both reasons and nothing saved, else a number saying what went wrong. */
static int deliver_must_fail(const scratch *s, const char *dir)
{
	tqk_deliver_req r = req_for(s, "cover-1");
	r.save_dir = dir;
	tqk_delivery d;
	if (tqk_deliver(NULL, &r, &d) != TQK_E_PRINT_IO)
		return 1;
	if (d.kind != TQK_DELIVERY_NONE || d.why != TQK_E_PRINT_NO_PRINTER)
		return 2;
	if (d.print_detail[0] == '\0' || d.save_detail[0] == '\0' || d.path[0] != '\0')
		return 3;
	return 0;
}

static void unwritable_dir_is_io(void **state)
{
	(void)state;
	scratch s;
	scratch_init(&s);
	char ro[400];
	snprintf(ro, sizeof ro, "%s/ro", s.dir);
	assert_int_equal(mkdir(ro, 0555), 0);
	assert_int_equal(chmod(ro, 0555), 0);
	if (geteuid() == 0) {
		/* Root writes anywhere: try as nobody, in a child. */
		assert_int_equal(chmod(s.dir, 0755), 0);
		assert_int_equal(chmod(s.pdf, 0644), 0);
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (setgid(65534) != 0 || setuid(65534) != 0)
				_exit(90);
			_exit(deliver_must_fail(&s, ro));
		}
		int status = 0;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	} else {
		assert_int_equal(deliver_must_fail(&s, ro), 0);
	}
	assert_int_equal(count_entries(ro), 0);

	/* A save directory that is missing, or is a file, or is not set. */
	char missing[400];
	snprintf(missing, sizeof missing, "%s/missing", s.dir);
	assert_int_equal(deliver_must_fail(&s, missing), 0);
	assert_int_equal(access(missing, F_OK), -1);
	assert_int_equal(deliver_must_fail(&s, s.pdf), 0);
	assert_int_equal(deliver_must_fail(&s, ""), 0);
	/* A PDF that is not there: nothing is created. */
	char path[TQK_DELIVER_PATH_CAP], detail[TQK_PRINT_DETAIL_CAP];
	assert_int_equal(tqk_deliver_save(s.save, missing, "x", path, detail), TQK_E_PRINT_IO);
	assert_string_not_equal(detail, "");
	assert_int_equal(count_entries(s.save), 0);
	scratch_close(&s);
}

/* ---- a real cupsd ---- */

typedef struct cups_env {
	test_cupsd *d;
	char why[256];
	char out_tq[600];     /* what queue tq's backend writes */
	char out_hold[600];   /* what queue tqhold's backend writes */
	scratch s;
} cups_env;

static int cups_group_setup(void **state)
{
	cups_env *e = calloc(1, sizeof *e);
	if (e == NULL)
		return -1;
	*state = e;
	e->d = test_cupsd_start(e->why, sizeof e->why);
	if (e->d == NULL)
		return 0;
	const char *dir = test_cupsd_dir(e->d);
	snprintf(e->out_tq, sizeof e->out_tq, "%s/out/tq.pdf", dir);
	snprintf(e->out_hold, sizeof e->out_hold, "%s/out/hold.pdf", dir);
	/* The default server, for the test of a printer without one: ours, so
	 * that nothing here ever talks to the machine's own CUPS. */
	setenv("CUPS_SERVER", test_cupsd_server(e->d), 1);
	if (test_cupsd_add_queue(e->d, "tq", e->out_tq, true) != 0
	    || test_cupsd_add_queue(e->d, "tqhold", e->out_hold, true) != 0
	    || test_cupsd_add_queue(e->d, "tqfail", "fail", true) != 0
	    || test_cupsd_add_queue(e->d, "tqstop", "stop", false) != 0) {
		snprintf(e->why, sizeof e->why, "lpadmin could not add the test queues");
		test_cupsd_dump_log(e->d);
		test_cupsd_free(e->d);
		e->d = NULL;
	}
	return 0;
}

static int cups_group_teardown(void **state)
{
	cups_env *e = *state;
	test_cupsd_free(e->d);
	free(e);
	return 0;
}

static int cups_setup(void **state)
{
	cups_env *e = *state;
	scratch_init(&e->s);
	return 0;
}

static int cups_teardown(void **state)
{
	cups_env *e = *state;
	scratch_close(&e->s);
	return 0;
}

static cups_env *need_cupsd(void **state)
{
	cups_env *e = *state;
	if (e->d == NULL) {
		print_message("skipped: no private cupsd here: %s\n", e->why);
		skip();
	}
	return e;
}

static tqk_printer *cups_printer(cups_env *e, const char *queue, bool hold)
{
	tqk_cups_config cfg = {.server = test_cupsd_server(e->d), .queue = queue, .hold = hold};
	tqk_printer *p = NULL;
	char detail[TQK_PRINT_DETAIL_CAP];
	tqk_err err = tqk_printer_cups_new(&cfg, &p, detail);
	if (err != TQK_OK) {
		test_cupsd_dump_log(e->d);
		fail_msg("printer %s: %s (%s)", queue, tqk_err_code(err), detail);
	}
	return p;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Polls the job until its state is `until` (or final when until is
 * TQK_JOB_STATE_COUNT); seen[] counts each state observed on the way. */
static tqk_job_status wait_job(cups_env *e, tqk_printer *p, int job, tqk_job_state until,
                               int seen[TQK_JOB_STATE_COUNT])
{
	tqk_job_status st = {0};
	double deadline = now_s() + WAIT_S;
	for (;;) {
		tqk_err err = tqk_printer_state(p, job, &st);
		if (err != TQK_OK)
			fail_msg("state of job %d: %s (%s)", job, tqk_err_code(err), tqk_printer_detail(p));
		if (seen != NULL)
			seen[st.state]++;
		if (until == TQK_JOB_STATE_COUNT ? tqk_job_state_final(st.state) : st.state == until)
			return st;
		if (now_s() > deadline) {
			test_cupsd_dump_log(e->d);
			fail_msg("job %d stays %s (%s)", job, tqk_job_state_code(st.state), st.reason);
		}
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
}

static void cups_job_completes_with_the_bytes(void **state)
{
	cups_env *e = need_cupsd(state);
	tqk_printer *p = cups_printer(e, "tq", false);
	int job = 0;
	tqk_err err = tqk_printer_submit(p, e->s.pdf, "tqkiosk form 1", 1, &job);
	if (err != TQK_OK)
		fail_msg("submit: %s (%s)", tqk_err_code(err), tqk_printer_detail(p));
	assert_true(job > 0);
	int seen[TQK_JOB_STATE_COUNT] = {0};
	tqk_job_status st = wait_job(e, p, job, TQK_JOB_STATE_COUNT, seen);
	assert_int_equal(st.state, TQK_JOB_COMPLETED);
	/* On the way: only pending and processing, then completed once. */
	for (int s = 0; s < TQK_JOB_STATE_COUNT; s++)
		if (s != TQK_JOB_PENDING && s != TQK_JOB_PROCESSING && s != TQK_JOB_COMPLETED)
			assert_int_equal(seen[s], 0);
	assert_int_equal(seen[TQK_JOB_COMPLETED], 1);
	assert_same_file(e->s.pdf, e->out_tq);
	/* A finished job still answers, and stays completed. */
	assert_int_equal(tqk_printer_state(p, job, &st), TQK_OK);
	assert_int_equal(st.state, TQK_JOB_COMPLETED);
	tqk_printer_free(p);
}

static void cups_default_server_and_deliver(void **state)
{
	cups_env *e = need_cupsd(state);
	tqk_cups_config cfg = {.server = NULL, .queue = "tq"};
	tqk_printer *p = NULL;
	char detail[TQK_PRINT_DETAIL_CAP];
	assert_int_equal(tqk_printer_cups_new(&cfg, &p, detail), TQK_OK);
	assert_int_equal(unlink(e->out_tq) == 0 || errno == ENOENT, 1);
	tqk_deliver_req r = req_for(&e->s, "form-2");
	r.copies = 2;
	tqk_delivery d;
	assert_int_equal(tqk_deliver(p, &r, &d), TQK_OK);
	assert_int_equal(d.kind, TQK_DELIVERY_PRINTED);
	assert_true(d.job > 0);
	assert_int_equal(count_entries(e->s.save), 0);
	tqk_job_status st = wait_job(e, p, d.job, TQK_JOB_STATE_COUNT, NULL);
	assert_int_equal(st.state, TQK_JOB_COMPLETED);
	assert_same_file(e->s.pdf, e->out_tq);
	tqk_printer_free(p);
}

static void cups_failing_backend_aborts(void **state)
{
	cups_env *e = need_cupsd(state);
	tqk_printer *p = cups_printer(e, "tqfail", false);
	int job = 0;
	assert_int_equal(tqk_printer_submit(p, e->s.pdf, "tqkiosk cover 2", 1, &job), TQK_OK);
	tqk_job_status st = wait_job(e, p, job, TQK_JOB_STATE_COUNT, NULL);
	assert_int_equal(st.state, TQK_JOB_ABORTED);
	if (strstr(st.reason, "tqk test backend fails") == NULL)
		fail_msg("reason \"%s\"", st.reason);
	tqk_printer_free(p);
}

static void cups_stopping_backend_stops(void **state)
{
	cups_env *e = need_cupsd(state);
	tqk_printer *p = cups_printer(e, "tqstop", false);
	int job = 0;
	assert_int_equal(tqk_printer_submit(p, e->s.pdf, "tqkiosk receipt 4", 1, &job), TQK_OK);
	tqk_job_status st = wait_job(e, p, job, TQK_JOB_STOPPED, NULL);
	if (strstr(st.reason, "tqk test backend stops") == NULL)
		fail_msg("reason \"%s\"", st.reason);
	/* The queue stays stopped; the job is cancelled and says so. */
	assert_int_equal(tqk_printer_cancel(p, job), TQK_OK);
	st = wait_job(e, p, job, TQK_JOB_STATE_COUNT, NULL);
	assert_int_equal(st.state, TQK_JOB_CANCELED);
	tqk_printer_free(p);
}

static void cups_held_job_cancels(void **state)
{
	cups_env *e = need_cupsd(state);
	tqk_printer *p = cups_printer(e, "tqhold", true);
	int job = 0;
	assert_int_equal(tqk_printer_submit(p, e->s.pdf, "tqkiosk form 5", 1, &job), TQK_OK);
	tqk_job_status st = wait_job(e, p, job, TQK_JOB_HELD, NULL);
	assert_int_equal(st.state, TQK_JOB_HELD);
	assert_int_equal(tqk_printer_cancel(p, job), TQK_OK);
	st = wait_job(e, p, job, TQK_JOB_STATE_COUNT, NULL);
	assert_int_equal(st.state, TQK_JOB_CANCELED);
	assert_int_equal(access(e->out_hold, F_OK), -1);    /* never printed */
	/* A cancelled job cannot be cancelled again. */
	assert_int_equal(tqk_printer_cancel(p, job), TQK_E_PRINT_FAILED);
	assert_string_not_equal(tqk_printer_detail(p), "");
	tqk_printer_free(p);
}

static void cups_unknown_queue(void **state)
{
	cups_env *e = need_cupsd(state);
	tqk_cups_config cfg = {.server = test_cupsd_server(e->d), .queue = "nosuch"};
	tqk_printer *p = NULL;
	char detail[TQK_PRINT_DETAIL_CAP];
	assert_int_equal(tqk_printer_cups_new(&cfg, &p, detail), TQK_E_PRINT_NO_PRINTER);
	assert_null(p);
	assert_string_not_equal(detail, "");
	cfg.queue = "no such";
	assert_int_equal(tqk_printer_cups_new(&cfg, &p, detail), TQK_E_ARG);
	cfg.queue = "tq";
	cfg.server = "127.0.0.1:99999";
	assert_int_equal(tqk_printer_cups_new(&cfg, &p, detail), TQK_E_ARG);
	assert_null(p);
}

/* Last: it stops the server. */
static void cups_stopped_server_fails(void **state)
{
	cups_env *e = need_cupsd(state);
	tqk_printer *p = cups_printer(e, "tq", false);
	int job = 0;
	assert_int_equal(tqk_printer_submit(p, e->s.pdf, "tqkiosk form 9", 1, &job), TQK_OK);
	wait_job(e, p, job, TQK_JOB_STATE_COUNT, NULL);
	test_cupsd_stop(e->d);

	int job2 = 0;
	assert_int_equal(tqk_printer_submit(p, e->s.pdf, "tqkiosk form 10", 1, &job2),
	                 TQK_E_PRINT_FAILED);
	assert_string_not_equal(tqk_printer_detail(p), "");
	tqk_job_status st;
	assert_int_equal(tqk_printer_state(p, job, &st), TQK_E_PRINT_FAILED);
	assert_int_equal(tqk_printer_cancel(p, job), TQK_E_PRINT_FAILED);

	tqk_deliver_req r = req_for(&e->s, "form-10");
	tqk_delivery d;
	assert_int_equal(tqk_deliver(p, &r, &d), TQK_OK);
	assert_int_equal(d.kind, TQK_DELIVERY_SAVED);
	assert_int_equal(d.why, TQK_E_PRINT_FAILED);
	assert_string_not_equal(d.print_detail, "");
	assert_same_file(e->s.pdf, d.path);
	tqk_printer_free(p);

	tqk_cups_config cfg = {.server = test_cupsd_server(e->d), .queue = "tq"};
	tqk_printer *q = NULL;
	char detail[TQK_PRINT_DETAIL_CAP];
	assert_int_equal(tqk_printer_cups_new(&cfg, &q, detail), TQK_E_PRINT_FAILED);
	assert_null(q);
	assert_string_not_equal(detail, "");
}

int main(void)
{
	const struct CMUnitTest fault_tests[] = {
		cmocka_unit_test(free_null_and_ownership),
		cmocka_unit_test(titles_and_copies_checked),
		cmocka_unit_test(state_names),
		cmocka_unit_test(clean_text),
		cmocka_unit_test(submit_fails_so_deliver_saves),
		cmocka_unit_test(stopped_printer_is_seen),
		cmocka_unit_test(no_printer_saves),
		cmocka_unit_test(saved_names_unique_and_safe),
		cmocka_unit_test(unwritable_dir_is_io),
	};
	const struct CMUnitTest cups_tests[] = {
		cmocka_unit_test_setup_teardown(cups_job_completes_with_the_bytes, cups_setup, cups_teardown),
		cmocka_unit_test_setup_teardown(cups_default_server_and_deliver, cups_setup, cups_teardown),
		cmocka_unit_test_setup_teardown(cups_failing_backend_aborts, cups_setup, cups_teardown),
		cmocka_unit_test_setup_teardown(cups_stopping_backend_stops, cups_setup, cups_teardown),
		cmocka_unit_test_setup_teardown(cups_held_job_cancels, cups_setup, cups_teardown),
		cmocka_unit_test_setup_teardown(cups_unknown_queue, cups_setup, cups_teardown),
		cmocka_unit_test_setup_teardown(cups_stopped_server_fails, cups_setup, cups_teardown),
	};
	int failed = cmocka_run_group_tests_name("print_fault", fault_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("print_cups", cups_tests, cups_group_setup,
	                                      cups_group_teardown);
	return failed;
}
