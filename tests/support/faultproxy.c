/*
 * faultproxy.c - the fault-injecting loopback TCP proxy of faultproxy.h.
 *
 * One thread runs one poll() loop over the listening socket, a wake-up pipe
 * and both sockets of every connection. Each connection has a buffer per
 * direction. Bytes from the client are framed as HTTP/1.1 requests: the
 * header of a request is held back until it is complete, so that the fault
 * for that request can be decided from its first line before a single byte
 * of it reaches the server; then the header and Content-Length bytes of body
 * are released towards the server, as far as the request's fault allows.
 * Bytes from the server go to the client as far as the fault allows.
 */
#define _GNU_SOURCE
#include "faultproxy.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_CAP (256u << 10)
#define HEAD_MAX (16u << 10)            /* a longer header is passed unexamined */
#define CONNS_MAX 256
#define MATCH_CAP 128

typedef struct conn {
	int cfd, sfd;                   /* client, server; -1 once closed */
	/* client -> server: [0, urel) released, [uoff, urel) still to write */
	char *ub;
	size_t ulen, urel, uoff;
	bool in_body;                   /* framing: inside a body (else a header) */
	unsigned long long body_left;
	/* server -> client */
	char *db;
	size_t dlen, doff;
	bool server_eof;
	/* the current request's fault */
	fp_mode fault;
	size_t k;
	unsigned long long req_fwd, rep_fwd;    /* bytes of this request / its reply passed */
	bool stalled;
} conn;

struct faultproxy {
	int lfd, port, target;
	int wake[2];
	pthread_t thread;
	pthread_mutex_t mu;
	/* settings, under mu */
	fp_mode mode;
	size_t k, kmax;
	char match[MATCH_CAP];
	int skip, count;
	unsigned pct;
	uint64_t rng;
	bool stop, drop;
	fp_stats stats;
	/* the loop's own */
	conn *conns[CONNS_MAX];
	size_t nconns;
};

const char *fp_mode_name(fp_mode m)
{
	static const char *const names[FP_MODES] = {"pass", "refuse", "reset-request",
		"reset-reply", "stall", "truncate-reply", "random"};
	return (unsigned)m < FP_MODES ? names[m] : "?";
}

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static void poke(faultproxy *p)
{
	char b = 1;
	if (write(p->wake[1], &b, 1) < 0) {
		/* the pipe is full: the loop wakes anyway */
	}
}

/* Closes fd; with reset, so that the peer gets a RST instead of a FIN. */
static void close_fd(int *fd, bool reset)
{
	if (*fd < 0)
		return;
	if (reset) {
		struct linger l = {1, 0};
		setsockopt(*fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
	}
	close(*fd);
	*fd = -1;
}

static void conn_free(conn *c, bool reset)
{
	close_fd(&c->cfd, reset);
	close_fd(&c->sfd, reset);
	free(c->ub);
	free(c->db);
	free(c);
}

static int connect_target(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static void accept_one(faultproxy *p)
{
	int fd = accept4(p->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	pthread_mutex_lock(&p->mu);
	p->stats.connections++;
	bool refuse = false;
	if (p->mode == FP_REFUSE && p->count != 0) {
		refuse = true;
		if (p->count > 0)
			p->count--;
	} else if (p->mode == FP_RANDOM && rng_next(&p->rng) % 100 < p->pct &&
	           rng_next(&p->rng) % 5 == 0) {
		refuse = true;
	}
	if (refuse)
		p->stats.faults[FP_REFUSE]++;
	pthread_mutex_unlock(&p->mu);

	conn *c = NULL;
	if (!refuse && p->nconns < CONNS_MAX && (c = calloc(1, sizeof *c)) != NULL) {
		c->cfd = fd;
		c->ub = malloc(BUF_CAP);
		c->db = malloc(BUF_CAP);
		c->sfd = connect_target(p->target);
	}
	if (c == NULL || c->ub == NULL || c->db == NULL || c->sfd < 0) {
		/* refused, or the server is down: the client sees a reset */
		if (c != NULL) {
			c->cfd = -1;
			conn_free(c, true);
		}
		close_fd(&fd, true);
		return;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	p->conns[p->nconns++] = c;
}

/* Decides the fault of a request whose header (len bytes at head) is complete. */
static void decide(faultproxy *p, conn *c, const char *head, size_t len)
{
	pthread_mutex_lock(&p->mu);
	p->stats.requests++;
	fp_mode m = FP_PASS;
	size_t k = 0;
	if (p->mode == FP_RANDOM) {
		if (rng_next(&p->rng) % 100 < p->pct) {
			static const fp_mode pick[] = {FP_RESET_REQUEST, FP_RESET_REPLY, FP_STALL,
			                               FP_TRUNCATE_REPLY};
			m = pick[rng_next(&p->rng) % 4];
			k = p->kmax > 0 ? (size_t)(rng_next(&p->rng) % p->kmax) : 0;
		}
	} else if (p->mode != FP_PASS && p->mode != FP_REFUSE && p->count != 0) {
		size_t ml = strlen(p->match);
		if (ml != 0 && (len < ml || memcmp(head, p->match, ml) != 0)) {
			/* not aimed at */
		} else if (p->skip > 0) {
			p->skip--;
		} else {
			m = p->mode;
			k = p->k;
			if (p->count > 0)
				p->count--;
		}
	}
	if (m != FP_PASS)
		p->stats.faults[m]++;
	pthread_mutex_unlock(&p->mu);

	c->fault = m;
	c->k = k;
	c->req_fwd = 0;
	c->rep_fwd = 0;
	if (m == FP_STALL) {
		/* nothing of it reaches the server; the client waits for ever */
		c->stalled = true;
		close_fd(&c->sfd, false);
		c->ulen = c->urel = c->uoff = 0;
	}
}

/* The Content-Length of a complete header (0 when none). */
static unsigned long long content_length(const char *head, size_t len)
{
	static const char key[] = "\r\ncontent-length:";
	for (size_t i = 0; i + sizeof key - 1 <= len; i++)
		if (strncasecmp(head + i, key, sizeof key - 1) == 0)
			return strtoull(head + i + sizeof key - 1, NULL, 10);
	return 0;
}

/* Releases what the framing allows of the client's bytes in the buffer. */
static void frame(faultproxy *p, conn *c)
{
	while (!c->stalled && c->urel < c->ulen) {
		if (c->in_body) {
			size_t n = c->ulen - c->urel;
			if (n > c->body_left)
				n = (size_t)c->body_left;
			c->urel += n;
			c->body_left -= n;
			if (c->body_left == 0)
				c->in_body = false;
			continue;
		}
		/* a header starts at urel: wait until it is complete */
		const char *h = c->ub + c->urel;
		size_t avail = c->ulen - c->urel;
		const char *end = memmem(h, avail, "\r\n\r\n", 4);
		if (end == NULL) {
			if (avail < HEAD_MAX)
				return;
			c->urel = c->ulen;      /* not HTTP as we know it: pass it on */
			return;
		}
		size_t hlen = (size_t)(end - h) + 4;
		decide(p, c, h, hlen);
		if (c->stalled)
			return;
		c->urel += hlen;
		c->body_left = content_length(h, hlen);
		c->in_body = c->body_left > 0;
	}
}

/* Makes room in a buffer by dropping what was written already. */
static void compact(char *buf, size_t *len, size_t *off, size_t *rel)
{
	if (*off == 0)
		return;
	memmove(buf, buf + *off, *len - *off);
	*len -= *off;
	if (rel != NULL)
		*rel -= *off;
	*off = 0;
}

/* Pumps one connection after poll; false when it is finished. */
static bool pump(faultproxy *p, conn *c, short crev, short srev)
{
	/* client -> us */
	if (crev & (POLLIN | POLLHUP | POLLERR)) {
		if (c->stalled) {
			char sink[4096];
			ssize_t n = recv(c->cfd, sink, sizeof sink, 0);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				return false;
		} else if (c->ulen < BUF_CAP) {
			ssize_t n = recv(c->cfd, c->ub + c->ulen, BUF_CAP - c->ulen, 0);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				return false;
			if (n > 0) {
				c->ulen += (size_t)n;
				frame(p, c);
			}
		}
	}
	if (c->stalled)
		return true;

	/* us -> server, as far as a reset-request fault allows */
	if (c->sfd >= 0 && c->urel > c->uoff) {
		size_t n = c->urel - c->uoff;
		bool cut = false;
		if (c->fault == FP_RESET_REQUEST && c->req_fwd + n >= c->k) {
			n = (size_t)(c->k - c->req_fwd);
			cut = true;
		}
		if (n > 0) {
			ssize_t w = send(c->sfd, c->ub + c->uoff, n, MSG_NOSIGNAL);
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				return false;
			if (w > 0) {
				c->uoff += (size_t)w;
				c->req_fwd += (size_t)w;
				pthread_mutex_lock(&p->mu);
				p->stats.up += (size_t)w;
				pthread_mutex_unlock(&p->mu);
			}
			if (w < (ssize_t)n)
				cut = false;    /* not all of it went: cut later */
		}
		if (cut) {
			close_fd(&c->sfd, true);
			close_fd(&c->cfd, true);
			return false;
		}
	}
	if (c->uoff == c->ulen)
		c->ulen = c->urel = c->uoff = 0;
	else if (c->ulen > BUF_CAP / 2)
		compact(c->ub, &c->ulen, &c->uoff, &c->urel);

	/* server -> us */
	if (c->sfd >= 0 && (srev & (POLLIN | POLLHUP | POLLERR)) && c->dlen < BUF_CAP) {
		ssize_t n = recv(c->sfd, c->db + c->dlen, BUF_CAP - c->dlen, 0);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			c->server_eof = true;
			close_fd(&c->sfd, false);
		} else if (n > 0) {
			c->dlen += (size_t)n;
		}
	}

	/* us -> client, as far as a reply fault allows */
	bool reply_fault = c->fault == FP_RESET_REPLY || c->fault == FP_TRUNCATE_REPLY;
	if (c->dlen > c->doff) {
		size_t n = c->dlen - c->doff;
		bool cut = false;
		if (reply_fault && c->rep_fwd + n >= c->k) {
			n = (size_t)(c->k - c->rep_fwd);
			cut = true;
		}
		if (n > 0) {
			ssize_t w = send(c->cfd, c->db + c->doff, n, MSG_NOSIGNAL);
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				return false;
			if (w > 0) {
				c->doff += (size_t)w;
				c->rep_fwd += (size_t)w;
				pthread_mutex_lock(&p->mu);
				p->stats.down += (size_t)w;
				pthread_mutex_unlock(&p->mu);
			}
			if (w < (ssize_t)n)
				cut = false;
		}
		if (cut) {
			bool reset = c->fault == FP_RESET_REPLY;
			close_fd(&c->sfd, reset);
			close_fd(&c->cfd, reset);
			return false;
		}
	}
	if (c->doff == c->dlen)
		c->dlen = c->doff = 0;
	else if (c->dlen > BUF_CAP / 2)
		compact(c->db, &c->dlen, &c->doff, NULL);
	if (c->server_eof && c->dlen == c->doff)
		return false;   /* the server closed and everything it said was passed on */
	return true;
}

static void *loop(void *arg)
{
	faultproxy *p = arg;
	struct pollfd fds[2 + 2 * CONNS_MAX];
	for (;;) {
		pthread_mutex_lock(&p->mu);
		bool stop = p->stop, drop = p->drop;
		p->drop = false;
		pthread_mutex_unlock(&p->mu);
		if (stop || drop) {
			for (size_t i = 0; i < p->nconns; i++)
				conn_free(p->conns[i], true);
			p->nconns = 0;
			if (stop)
				break;
		}

		size_t nf = 0;
		fds[nf++] = (struct pollfd){p->wake[0], POLLIN, 0};
		fds[nf++] = (struct pollfd){p->lfd, POLLIN, 0};
		for (size_t i = 0; i < p->nconns; i++) {
			conn *c = p->conns[i];
			short ce = 0, se = 0;
			if (c->stalled || c->ulen < BUF_CAP)
				ce |= POLLIN;
			if (!c->stalled && c->dlen > c->doff)
				ce |= POLLOUT;
			if (c->sfd >= 0 && !c->stalled) {
				if (c->dlen < BUF_CAP)
					se |= POLLIN;
				if (c->urel > c->uoff)
					se |= POLLOUT;
			}
			fds[nf++] = (struct pollfd){c->cfd, ce, 0};
			fds[nf++] = (struct pollfd){c->sfd, se, 0};   /* fd -1 is ignored by poll */
		}
		int r = poll(fds, nf, 200);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (fds[0].revents & POLLIN) {
			char b[64];
			while (read(p->wake[0], b, sizeof b) > 0)
				;
		}
		size_t keep = 0;
		size_t before = p->nconns;
		for (size_t i = 0; i < before; i++) {
			conn *c = p->conns[i];
			if (pump(p, c, fds[2 + 2 * i].revents, fds[3 + 2 * i].revents))
				p->conns[keep++] = c;
			else
				conn_free(c, false);
		}
		p->nconns = keep;
		if (fds[1].revents & POLLIN)
			accept_one(p);
	}
	return NULL;
}

faultproxy *fp_start(int target_port)
{
	faultproxy *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->target = target_port;
	p->count = -1;
	p->wake[0] = p->wake[1] = -1;
	p->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0,
	                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	if (p->lfd < 0 || bind(p->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    listen(p->lfd, 64) != 0 || getsockname(p->lfd, (struct sockaddr *)&a, &alen) != 0 ||
	    pipe2(p->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		perror("faultproxy");
		goto fail;
	}
	p->port = ntohs(a.sin_port);
	pthread_mutex_init(&p->mu, NULL);
	if (pthread_create(&p->thread, NULL, loop, p) != 0) {
		fprintf(stderr, "faultproxy: pthread_create failed\n");
		pthread_mutex_destroy(&p->mu);
		goto fail;
	}
	return p;
fail:
	if (p->lfd >= 0)
		close(p->lfd);
	if (p->wake[0] >= 0) {
		close(p->wake[0]);
		close(p->wake[1]);
	}
	free(p);
	return NULL;
}

int fp_port(const faultproxy *p)
{
	return p->port;
}

void fp_set(faultproxy *p, fp_mode m, size_t k, const char *match, int count)
{
	fp_aim(p, m, k, match, 0, count);
}

void fp_aim(faultproxy *p, fp_mode m, size_t k, const char *match, int skip, int count)
{
	pthread_mutex_lock(&p->mu);
	p->mode = m;
	p->skip = skip;
	p->k = k;
	snprintf(p->match, sizeof p->match, "%s", match != NULL ? match : "");
	p->count = count;
	pthread_mutex_unlock(&p->mu);
	poke(p);
}

void fp_clear(faultproxy *p)
{
	fp_set(p, FP_PASS, 0, NULL, -1);
}

void fp_random(faultproxy *p, uint64_t seed, unsigned pct, size_t kmax)
{
	pthread_mutex_lock(&p->mu);
	p->mode = FP_RANDOM;
	p->rng = seed;
	p->pct = pct;
	p->kmax = kmax;
	p->count = -1;
	p->match[0] = '\0';
	pthread_mutex_unlock(&p->mu);
	poke(p);
}

void fp_drop_all(faultproxy *p)
{
	pthread_mutex_lock(&p->mu);
	p->drop = true;
	pthread_mutex_unlock(&p->mu);
	poke(p);
}

void fp_get_stats(faultproxy *p, fp_stats *out)
{
	pthread_mutex_lock(&p->mu);
	*out = p->stats;
	pthread_mutex_unlock(&p->mu);
}

void fp_stop(faultproxy *p)
{
	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = true;
	pthread_mutex_unlock(&p->mu);
	poke(p);
	pthread_join(p->thread, NULL);
	close(p->lfd);
	close(p->wake[0]);
	close(p->wake[1]);
	pthread_mutex_destroy(&p->mu);
	free(p);
}
