/*
 * tty.c - the serial-port transport: USB-serial and CDC-ACM ID-card readers.
 *
 * The port is opened non-blocking and exclusive (TIOCEXCL: a second program
 * gets "busy" instead of stealing bytes; released again on close), set raw
 * 8N1 without flow control at the configured speed, and flushed. Reads wait
 * with poll(); a hang-up (the USB adapter unplugged, a pty's master closed)
 * makes the transport "gone" for good, and the reader driver re-opens the
 * address later.
 */
#include "dev/transport.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "dev/devsys.h"

typedef struct tty {
	tqk_transport base;
	int fd;
	bool gone;
} tty;

/* Waits for events on the port until deadline_ms (monotonic); returns the
 * revents, 0 on timeout, -1 with errno on failure. */
static int wait_for(int fd, short events, long long deadline_ms)
{
	for (;;) {
		long long left = deadline_ms - tqk_dev_now_ms();
		struct pollfd p = {.fd = fd, .events = events};
		int n = poll(&p, 1, left > 0 ? (int)(left > 60000 ? 60000 : left) : 0);
		if (n > 0)
			return p.revents;
		if (n < 0 && errno != EINTR)
			return -1;
		if (n == 0 && tqk_dev_now_ms() >= deadline_ms)
			return 0;
	}
}

static tqk_err tty_read(tqk_transport *t, uint8_t *buf, size_t cap,
                        int timeout_ms, size_t *got)
{
	tty *p = (tty *)t;
	*got = 0;
	if (p->gone)
		return TQK_E_DEV_GONE;
	if (cap == 0)
		return TQK_E_ARG;
	int ev = wait_for(p->fd, POLLIN, tqk_dev_now_ms() + (timeout_ms > 0 ? timeout_ms : 0));
	if (ev < 0)
		return tqk_dev_errno(errno);
	if (ev == 0)
		return TQK_E_DEV_TIMEOUT;
	for (;;) {
		ssize_t n = read(p->fd, buf, cap);
		if (n > 0) {
			*got = (size_t)n;
			return TQK_OK;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return (ev & (POLLHUP | POLLERR)) ? (p->gone = true, TQK_E_DEV_GONE)
			                                   : TQK_E_DEV_TIMEOUT;
		/* End of file or an error after POLLIN/POLLHUP: the line is down. */
		tqk_err err = n == 0 ? TQK_E_DEV_GONE : tqk_dev_errno(errno);
		if (err == TQK_E_DEV_GONE)
			p->gone = true;
		return err;
	}
}

static tqk_err tty_write(tqk_transport *t, const uint8_t *buf, size_t len,
                         int timeout_ms)
{
	tty *p = (tty *)t;
	if (p->gone)
		return TQK_E_DEV_GONE;
	long long deadline = tqk_dev_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(p->fd, buf + off, len - off);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int ev = wait_for(p->fd, POLLOUT, deadline);
			if (ev < 0)
				return tqk_dev_errno(errno);
			if (ev == 0)
				return TQK_E_DEV_TIMEOUT;
			if ((ev & (POLLHUP | POLLERR)) && !(ev & POLLOUT)) {
				p->gone = true;
				return TQK_E_DEV_GONE;
			}
			continue;
		}
		tqk_err err = n == 0 ? TQK_E_DEV_IO : tqk_dev_errno(errno);
		if (err == TQK_E_DEV_GONE)
			p->gone = true;
		return err;
	}
	return TQK_OK;
}

static void tty_flush(tqk_transport *t)
{
	tty *p = (tty *)t;
	if (!p->gone)
		(void)tcflush(p->fd, TCIFLUSH);
}

static void tty_close(tqk_transport *t)
{
	tty *p = (tty *)t;
	/* TIOCEXCL outlives our close while another process (a simulator, a
	 * modem manager) keeps the tty open: our own next open after a re-plug
	 * would then be refused as busy unless we run with CAP_SYS_ADMIN. */
	if (!p->gone)
		(void)ioctl(p->fd, TIOCNXCL);
	close(p->fd);
	free(p);
}

static const tqk_transport_ops tty_ops = {
	.name = "tty",
	.read = tty_read,
	.write = tty_write,
	.flush = tty_flush,
	.close = tty_close,
};

static bool baud_speed(unsigned baud, speed_t *out)
{
	static const struct { unsigned baud; speed_t speed; } speeds[] = {
		{9600, B9600}, {19200, B19200}, {38400, B38400}, {57600, B57600},
		{115200, B115200}, {230400, B230400}, {460800, B460800}, {921600, B921600},
	};
	for (size_t i = 0; i < sizeof speeds / sizeof speeds[0]; i++) {
		if (speeds[i].baud == baud) {
			*out = speeds[i].speed;
			return true;
		}
	}
	return false;
}

tqk_err tqk_tty_open(const char *path, unsigned baud, tqk_transport **out)
{
	speed_t speed;
	*out = NULL;
	if (path == NULL || path[0] == '\0' || !baud_speed(baud, &speed))
		return TQK_E_DEV_SPEC;

	int fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return tqk_dev_errno(errno);
	struct termios tio;
	if (!isatty(fd) || tcgetattr(fd, &tio) != 0) {
		close(fd);
		return TQK_E_DEV_NOT_FOUND; /* a file that is no serial port */
	}
	if (ioctl(fd, TIOCEXCL) != 0 && errno != ENOTTY) {
		tqk_err err = tqk_dev_errno(errno);
		close(fd);
		return err;
	}
	cfmakeraw(&tio);
	tio.c_cflag &= ~(tcflag_t)(CSTOPB | PARENB | CRTSCTS | CSIZE);
	tio.c_cflag |= CS8 | CLOCAL | CREAD;
	tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF | IXANY);
	tio.c_cc[VMIN] = 0;
	tio.c_cc[VTIME] = 0;
	if (cfsetispeed(&tio, speed) != 0 || cfsetospeed(&tio, speed) != 0 ||
	    tcsetattr(fd, TCSANOW, &tio) != 0) {
		tqk_err err = tqk_dev_errno(errno);
		close(fd);
		return err == TQK_E_DEV_NOT_FOUND ? TQK_E_DEV_IO : err;
	}
	(void)tcflush(fd, TCIOFLUSH);

	tty *p = calloc(1, sizeof *p);
	if (p == NULL) {
		close(fd);
		return TQK_E_NOMEM;
	}
	p->base.ops = &tty_ops;
	p->fd = fd;
	*out = &p->base;
	return TQK_OK;
}
