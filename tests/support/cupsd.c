/*
 * cupsd.c - a private cupsd for the printing tests (cupsd.h): its files,
 * its test backend, starting it on a free loopback port, adding queues with
 * lpadmin, and tearing it all down.
 */
#define _GNU_SOURCE
#include "support/cupsd.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support/proc.h"

#define CUPSD_PATH_CAP 512
#define CUPSD_START_S 15
#define CUPSD_STOP_S 5

struct test_cupsd {
	char dir[CUPSD_PATH_CAP];
	char server[32];
	int port;
	pid_t pid;                  /* -1 once stopped */
};

static const char backend_script[] =
	"#!/bin/sh\n"
	"# testfile - the tqkiosk tests' CUPS backend (tests/support/cupsd.h).\n"
	"if [ $# -eq 0 ]; then\n"
	"\techo 'direct testfile \"Unknown\" \"tqkiosk test file\"'\n"
	"\texit 0\n"
	"fi\n"
	"target=${DEVICE_URI#testfile:}\n"
	"case $target in\n"
	"fail) echo 'ERROR: tqk test backend fails' >&2; exit 1 ;;\n"
	"stop) echo 'ERROR: tqk test backend stops' >&2; exit 4 ;;\n"
	"/*) ;;\n"
	"*) echo 'ERROR: tqk test backend: bad device URI' >&2; exit 1 ;;\n"
	"esac\n"
	"if [ $# -ge 6 ]; then\n"
	"\tcat -- \"$6\" > \"$target.part\" || exit 1\n"
	"else\n"
	"\tcat > \"$target.part\" || exit 1\n"
	"fi\n"
	"mv -f -- \"$target.part\" \"$target\" || exit 1\n"
	"exit 0\n";

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int path_in(const test_cupsd *d, const char *rel, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", d->dir, rel);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -1;
	size_t len = strlen(text);
	bool ok = write(fd, text, len) == (ssize_t)len;
	ok = fchmod(fd, mode) == 0 && ok;
	return close(fd) == 0 && ok ? 0 : -1;
}

/* A loopback port that was free a moment ago. */
static int free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int port = -1;
	if (bind(s, (struct sockaddr *)&a, sizeof a) == 0
	    && getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(s);
	return port;
}

static bool answers(int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return false;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	bool ok = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
	close(s);
	return ok;
}

/* The directories and files cupsd needs, all under d->dir. */
static int write_tree(test_cupsd *d, char *why, size_t cap)
{
	static const char *const dirs[] = {"conf", "bin", "bin/backend", "bin/daemon", "bin/filter",
	                                   "state", "cache", "spool", "spool/tmp", "log", "out"};
	char p[CUPSD_PATH_CAP], q[CUPSD_PATH_CAP];
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		if (path_in(d, dirs[i], p, sizeof p) != 0 || mkdir(p, 0755) != 0) {
			snprintf(why, cap, "cannot make %s: %s", dirs[i], strerror(errno));
			return -1;
		}
	}
	/* cupsd runs every backend and filter through cups-exec. */
	if (path_in(d, "bin/daemon/cups-exec", p, sizeof p) != 0
	    || symlink("/usr/lib/cups/daemon/cups-exec", p) != 0) {
		snprintf(why, cap, "cannot link cups-exec: %s", strerror(errno));
		return -1;
	}
	if (path_in(d, "bin/backend/testfile", p, sizeof p) != 0
	    || write_file(p, backend_script, 0700) != 0) {
		snprintf(why, cap, "cannot write the test backend: %s", strerror(errno));
		return -1;
	}
	char conf[8192];
	snprintf(conf, sizeof conf,
	         "# a private cupsd for the tqkiosk tests\n"
	         "Listen 127.0.0.1:%d\n"
	         "Browsing No\n"
	         "BrowseLocalProtocols none\n"
	         "DefaultShared No\n"
	         "WebInterface No\n"
	         "DefaultAuthType None\n"
	         "LogLevel info\n"
	         "MaxLogSize 0\n"
	         "PreserveJobHistory Yes\n"
	         "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
	         "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
	         d->port);
	if (path_in(d, "conf/cupsd.conf", p, sizeof p) != 0 || write_file(p, conf, 0644) != 0) {
		snprintf(why, cap, "cannot write cupsd.conf: %s", strerror(errno));
		return -1;
	}
	snprintf(conf, sizeof conf,
	         "ServerRoot %s/conf\n"
	         "StateDir %s/state\n"
	         "CacheDir %s/cache\n"
	         "RequestRoot %s/spool\n"
	         "TempDir %s/spool/tmp\n"
	         "ServerBin %s/bin\n"
	         "DataDir /usr/share/cups\n"
	         "AccessLog %s/log/access_log\n"
	         "ErrorLog %s/log/error_log\n"
	         "PageLog %s/log/page_log\n"
	         "Printcap %s/state/printcap\n"
	         "FileDevice Yes\n"
	         "User lp\n"
	         "Group lp\n"
	         "SystemGroup root\n",
	         d->dir, d->dir, d->dir, d->dir, d->dir, d->dir, d->dir, d->dir, d->dir, d->dir);
	if (path_in(d, "conf/cups-files.conf", q, sizeof q) != 0 || write_file(q, conf, 0644) != 0) {
		snprintf(why, cap, "cannot write cups-files.conf: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void remove_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static pid_t spawn(const test_cupsd *d)
{
	char conf[CUPSD_PATH_CAP], files[CUPSD_PATH_CAP], out[CUPSD_PATH_CAP];
	if (path_in(d, "conf/cupsd.conf", conf, sizeof conf) != 0
	    || path_in(d, "conf/cups-files.conf", files, sizeof files) != 0
	    || path_in(d, "log/cupsd.out", out, sizeof out) != 0)
		return -1;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(126);
	int fd = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	char *argv[] = {"cupsd", "-f", "-c", conf, "-s", files, NULL};
	execv(TEST_CUPSD_BIN, argv);
	_exit(127);
}

test_cupsd *test_cupsd_start(char *why, size_t cap)
{
	if (access(TEST_CUPSD_BIN, X_OK) != 0) {
		snprintf(why, cap, "%s is not installed (package cups-daemon)", TEST_CUPSD_BIN);
		return NULL;
	}
	if (access(TEST_LPADMIN_BIN, X_OK) != 0) {
		snprintf(why, cap, "%s is not installed (package cups-client)", TEST_LPADMIN_BIN);
		return NULL;
	}
	if (geteuid() != 0) {
		snprintf(why, cap, "cupsd needs root to run its backends (running as uid %d)",
		         (int)geteuid());
		return NULL;
	}
	test_cupsd *d = calloc(1, sizeof *d);
	if (d == NULL) {
		snprintf(why, cap, "out of memory");
		return NULL;
	}
	d->pid = -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(d->dir, sizeof d->dir, "%s/tqk-cupsd.XXXXXX", tmp != NULL && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(d->dir) == NULL) {
		snprintf(why, cap, "mkdtemp: %s", strerror(errno));
		free(d);
		return NULL;
	}
	for (int attempt = 0; attempt < 3 && d->pid < 0; attempt++) {
		d->port = free_port();
		if (d->port <= 0) {
			snprintf(why, cap, "no free loopback port");
			break;
		}
		if (attempt > 0) {
			remove_tree(d->dir);
			mkdir(d->dir, 0700);
		}
		if (write_tree(d, why, cap) != 0)
			break;
		pid_t pid = spawn(d);
		if (pid < 0) {
			snprintf(why, cap, "fork: %s", strerror(errno));
			break;
		}
		double deadline = now_s() + CUPSD_START_S;
		bool up = false, dead = false;
		while (!up && !dead && now_s() < deadline) {
			int status;
			if (waitpid(pid, &status, WNOHANG) == pid) {
				dead = true;
				snprintf(why, cap, "cupsd exited at once (status %d); see its log",
				         WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			} else if (answers(d->port)) {
				up = true;
			} else {
				nap_ms(20);
			}
		}
		if (up) {
			d->pid = pid;
		} else if (!dead) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			snprintf(why, cap, "cupsd did not answer on port %d within %d s", d->port,
			         CUPSD_START_S);
		}
	}
	if (d->pid < 0) {
		test_cupsd_dump_log(d);
		remove_tree(d->dir);
		free(d);
		return NULL;
	}
	snprintf(d->server, sizeof d->server, "127.0.0.1:%d", d->port);
	return d;
}

const char *test_cupsd_server(const test_cupsd *d)
{
	return d->server;
}

const char *test_cupsd_dir(const test_cupsd *d)
{
	return d->dir;
}

int test_cupsd_add_queue(test_cupsd *d, const char *name, const char *target, bool abort_job)
{
	char uri[CUPSD_PATH_CAP + 16];
	char env[64];
	snprintf(uri, sizeof uri, "testfile:%s", target);
	snprintf(env, sizeof env, "CUPS_SERVER=%s", d->server);
	char *argv[16];
	int n = 0;
	argv[n++] = TEST_LPADMIN_BIN;
	argv[n++] = "-h";
	argv[n++] = d->server;
	argv[n++] = "-p";
	argv[n++] = (char *)name;
	argv[n++] = "-E";
	argv[n++] = "-v";
	argv[n++] = uri;
	argv[n++] = "-m";
	argv[n++] = "raw";
	if (abort_job) {
		argv[n++] = "-o";
		argv[n++] = "printer-error-policy=abort-job";
	}
	argv[n] = NULL;
	char *env_set[] = {env, NULL};
	proc_result r;
	if (proc_run(argv, env_set, NULL, &r) != 0) {
		fprintf(stderr, "cannot run lpadmin: %s\n", strerror(errno));
		return -1;
	}
	int status = r.status;
	if (status != 0)
		fprintf(stderr, "lpadmin -p %s failed (%d): %s%s\n", name, status, r.out, r.err);
	proc_result_free(&r);
	return status == 0 ? 0 : -1;
}

void test_cupsd_stop(test_cupsd *d)
{
	if (d->pid < 0)
		return;
	kill(d->pid, SIGTERM);
	double deadline = now_s() + CUPSD_STOP_S;
	while (waitpid(d->pid, NULL, WNOHANG) == 0) {
		if (now_s() >= deadline) {
			kill(d->pid, SIGKILL);
			waitpid(d->pid, NULL, 0);
			break;
		}
		nap_ms(10);
	}
	d->pid = -1;
}

void test_cupsd_dump_log(const test_cupsd *d)
{
	static const char *const logs[] = {"log/cupsd.out", "log/error_log"};
	for (size_t i = 0; i < sizeof logs / sizeof logs[0]; i++) {
		char p[CUPSD_PATH_CAP];
		if (path_in(d, logs[i], p, sizeof p) != 0)
			continue;
		FILE *f = fopen(p, "r");
		if (f == NULL)
			continue;
		char buf[8192];
		size_t n = 0;
		if (fseek(f, -(long)(sizeof buf - 1), SEEK_END) != 0)
			rewind(f);
		n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		fclose(f);
		fprintf(stderr, "--- cupsd %s:\n%s\n", logs[i], buf);
	}
}

void test_cupsd_free(test_cupsd *d)
{
	if (d == NULL)
		return;
	test_cupsd_stop(d);
	remove_tree(d->dir);
	free(d);
}
