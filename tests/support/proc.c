/*
 * proc.c - fork, exec, and read stdout and stderr together with poll() so
 * that neither pipe can fill up and stall the child.
 */
#define _GNU_SOURCE
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct sink {
	char *buf;
	size_t len;
};

static int drain(int fd, struct sink *s)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n <= 0)
		return n == 0 || errno != EINTR ? 0 : 1;
	size_t keep = (size_t)n;
	if (s->len + keep > PROC_MAX_OUTPUT)
		keep = PROC_MAX_OUTPUT - s->len;
	memcpy(s->buf + s->len, chunk, keep);
	s->len += keep;
	return 1;
}

static void child(char *const argv[], char *const env_set[], char *const env_unset[],
                  int out_fd, int err_fd)
{
	dup2(out_fd, STDOUT_FILENO);
	dup2(err_fd, STDERR_FILENO);
	for (size_t i = 0; env_unset != NULL && env_unset[i] != NULL; i++)
		unsetenv(env_unset[i]);
	for (size_t i = 0; env_set != NULL && env_set[i] != NULL; i++)
		putenv(env_set[i]);
	execv(argv[0], argv);
	_exit(127);
}

int proc_run(char *const argv[], char *const env_set[], char *const env_unset[],
             proc_result *out)
{
	struct sink sinks[2] = {{malloc(PROC_MAX_OUTPUT + 1), 0}, {malloc(PROC_MAX_OUTPUT + 1), 0}};
	int po[2] = {-1, -1}, pe[2] = {-1, -1};
	pid_t pid = -1;
	if (sinks[0].buf == NULL || sinks[1].buf == NULL || pipe2(po, O_CLOEXEC) != 0 ||
	    pipe2(pe, O_CLOEXEC) != 0 || (pid = fork()) < 0) {
		int saved = errno;
		for (int i = 0; i < 2; i++) {
			free(sinks[i].buf);
			if (po[i] >= 0)
				close(po[i]);
			if (pe[i] >= 0)
				close(pe[i]);
		}
		errno = saved;
		return -1;
	}
	if (pid == 0)
		child(argv, env_set, env_unset, po[1], pe[1]);
	close(po[1]);
	close(pe[1]);

	struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_fds = 2;
	while (open_fds > 0) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !drain(fds[i].fd, &sinks[i])) {
				close(fds[i].fd);
				fds[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);

	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	out->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	sinks[0].buf[sinks[0].len] = '\0';
	sinks[1].buf[sinks[1].len] = '\0';
	out->out = sinks[0].buf;
	out->err = sinks[1].buf;
	return 0;
}

void proc_result_free(proc_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}
