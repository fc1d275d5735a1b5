/*
 * idsim.c - running tq-idreader-sim from a test (see idsim.h).
 */
#define _GNU_SOURCE
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/expect.h"
#include "support/idsim.h"

#define ARGS_MAX 24
#define ANSWER_MS 5000

struct idsim {
	pid_t pid;
	int in;                 /* its stdin */
	int out;                /* its stdout */
	char buf[4096];         /* received, not yet taken as lines */
	size_t len;
	char path[256];
	char address[260];
};

const char *idsim_bin(void)
{
	return tool_path("TQK_IDSIM", "tq-idreader-sim");
}

/* The next line from the simulator's stdout into line (cap bytes). */
static void read_line(idsim *s, char *line, size_t cap)
{
	for (;;) {
		char *nl = memchr(s->buf, '\n', s->len);
		if (nl != NULL) {
			size_t n = (size_t)(nl - s->buf);
			if (n >= cap)
				fail_msg("idsim: line too long");
			memcpy(line, s->buf, n);
			line[n] = '\0';
			memmove(s->buf, nl + 1, s->len - n - 1);
			s->len -= n + 1;
			return;
		}
		struct pollfd p = {.fd = s->out, .events = POLLIN};
		int rc = poll(&p, 1, ANSWER_MS);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			fail_msg("idsim: no answer from the simulator within %d ms", ANSWER_MS);
		if (s->len == sizeof s->buf)
			fail_msg("idsim: output without a line end");
		ssize_t n = read(s->out, s->buf + s->len, sizeof s->buf - s->len);
		if (n <= 0)
			fail_msg("idsim: the simulator closed its output");
		s->len += (size_t)n;
	}
}

static void take_path(idsim *s, const char *line)
{
	size_t n = strlen(line + 4);
	if (n >= sizeof s->path)
		fail_msg("idsim: pty path too long");
	memcpy(s->path, line + 4, n + 1);
	memcpy(s->address, "tty:", 4);
	memcpy(s->address + 4, s->path, n + 1);
}

idsim *idsim_start(const char *const *args)
{
	idsim *s = calloc(1, sizeof *s);
	assert_non_null(s);
	int in[2], out[2];
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	char *argv[ARGS_MAX + 2];
	size_t n = 0;
	argv[n++] = (char *)idsim_bin();
	for (size_t i = 0; args != NULL && args[i] != NULL; i++) {
		assert_true(n <= ARGS_MAX);
		argv[n++] = (char *)args[i];
	}
	argv[n] = NULL;
	signal(SIGPIPE, SIG_IGN); /* a simulator that quit must not kill the test */
	pid_t parent = getpid();
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(127);
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->in = in[1];
	s->out = out[0];
	char line[512];
	read_line(s, line, sizeof line);
	if (strncmp(line, "pty /", 5) != 0)
		fail_msg("idsim: first line \"%s\", not \"pty PATH\"", line);
	take_path(s, line);
	return s;
}

const char *idsim_path(const idsim *s)
{
	return s->path;
}

const char *idsim_address(const idsim *s)
{
	return s->address;
}

int idsim_pid(const idsim *s)
{
	return (int)s->pid;
}

bool idsim_cmd(idsim *s, const char *cmd, char *reply, size_t cap)
{
	char msg[512];
	int n = snprintf(msg, sizeof msg, "%s\n", cmd);
	assert_true(n > 0 && (size_t)n < sizeof msg);
	assert_int_equal(write(s->in, msg, (size_t)n), n);
	char line[512];
	for (;;) {
		read_line(s, line, sizeof line);
		if (strncmp(line, "pty ", 4) == 0) {
			take_path(s, line);
			continue;
		}
		if (strncmp(line, "ok", 2) == 0 || strncmp(line, "error", 5) == 0 ||
		    strncmp(line, "stats ", 6) == 0)
			break;
		fail_msg("idsim: unexpected line \"%s\" after \"%s\"", line, cmd);
	}
	if (reply != NULL)
		snprintf(reply, cap, "%s", line);
	return strncmp(line, "error", 5) != 0;
}

void idsim_ok(idsim *s, const char *cmd)
{
	char reply[512];
	idsim_cmd(s, cmd, reply, sizeof reply);
	if (strncmp(reply, "ok", 2) != 0)
		fail_msg("idsim: \"%s\" answered \"%s\"", cmd, reply);
}

unsigned long idsim_stat(idsim *s, const char *name)
{
	char reply[512], key[64];
	idsim_cmd(s, "stats", reply, sizeof reply);
	snprintf(key, sizeof key, " %s=", name);
	const char *p = strstr(reply, key);
	if (p == NULL)
		fail_msg("idsim: no %s in \"%s\"", name, reply);
	return strtoul(p + strlen(key), NULL, 10);
}

void idsim_expect(idsim *s, const char *want)
{
	char line[512];
	read_line(s, line, sizeof line);
	if (strcmp(line, want) != 0)
		fail_msg("idsim: \"%s\", wanted \"%s\"", line, want);
}

/* Waits up to max_ms for the child; frees s; -1 when it is still running
 * (it is killed then). */
static int reap(idsim *s, int max_ms)
{
	int status = 0;
	bool done = false;
	for (int waited = 0; !done && waited <= max_ms; waited += 10) {
		if (waitpid(s->pid, &status, WNOHANG) == s->pid)
			done = true;
		else
			usleep(10000);
	}
	if (!done) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
	}
	close(s->in);
	close(s->out);
	free(s);
	if (!done)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int idsim_stop(idsim *s)
{
	if (s == NULL)
		return 0;
	(void)!write(s->in, "quit\n", 5);
	return reap(s, 5000);
}

int idsim_wait(idsim *s, int max_ms)
{
	int status = reap(s, max_ms);
	if (status < 0)
		fail_msg("idsim: the simulator did not end within %d ms", max_ms);
	return status;
}

void idsim_photo(const char *id, uint8_t out[TQK_IDCARD_PHOTO_LEN])
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < 18 && id[i] != '\0'; i++)
		h = (h ^ (uint8_t)id[i]) * 16777619u;
	uint32_t x = h != 0 ? h : 0x9E3779B9u;
	for (size_t i = 0; i < TQK_IDCARD_PHOTO_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[i] = (uint8_t)(x >> 24);
	}
}
