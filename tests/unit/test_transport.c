/*
 * test_transport.c - the tty transport over a real pty, device addresses,
 * and the fault-injecting wrapper.
 *
 * The test holds the pty's master side and plays the device: what it writes
 * the transport reads, what the transport writes it reads back. Closing the
 * master is a hang-up, as when a USB-serial adapter is pulled out.
 */
#include "test.h"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "dev/transport.h"
#include "dev/transport_fault.h"

typedef struct pty_pair {
	int master;
	char path[64];
	char spec[96];
} pty_pair;

static void pty_open(pty_pair *p)
{
	int slave = -1;
	assert_int_equal(openpty(&p->master, &slave, p->path, NULL, NULL), 0);
	struct termios tio;
	assert_int_equal(tcgetattr(p->master, &tio), 0);
	cfmakeraw(&tio);
	assert_int_equal(tcsetattr(p->master, TCSANOW, &tio), 0);
	close(slave); /* the transport opens its own */
	snprintf(p->spec, sizeof p->spec, "tty:%s", p->path);
}

static void master_write(const pty_pair *p, const void *buf, size_t len)
{
	assert_int_equal(write(p->master, buf, len), (ssize_t)len);
}

/* Reads exactly len bytes from the master within a second. */
static void master_read(const pty_pair *p, uint8_t *buf, size_t len)
{
	size_t have = 0;
	while (have < len) {
		struct pollfd pfd = {.fd = p->master, .events = POLLIN};
		assert_int_equal(poll(&pfd, 1, 1000), 1);
		ssize_t n = read(p->master, buf + have, len - have);
		assert_true(n > 0);
		have += (size_t)n;
	}
}

/* Reads from t until len bytes came, each read waiting up to 1 s. */
static void read_all(tqk_transport *t, uint8_t *buf, size_t len)
{
	size_t have = 0;
	while (have < len) {
		size_t got = 0;
		assert_int_equal(tqk_transport_read(t, buf + have, len - have, 1000, &got), TQK_OK);
		assert_true(got >= 1 && got <= len - have);
		have += got;
	}
}

static long long ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void tty_round_trip(void **state)
{
	(void)state;
	pty_pair p;
	pty_open(&p);
	tqk_transport *t = NULL;
	assert_int_equal(tqk_transport_open(p.spec, &t), TQK_OK);
	assert_string_equal(t->ops->name, "tty");

	/* Every byte value passes untouched: 0x03, CR, LF, XON/XOFF, 0xFF. */
	uint8_t all[256], back[256];
	for (int i = 0; i < 256; i++)
		all[i] = (uint8_t)i;
	assert_int_equal(tqk_transport_write(t, all, sizeof all, 1000), TQK_OK);
	master_read(&p, back, sizeof back);
	assert_memory_equal(all, back, sizeof all);

	master_write(&p, all, sizeof all);
	memset(back, 0, sizeof back);
	read_all(t, back, sizeof back);
	assert_memory_equal(all, back, sizeof all);

	tqk_transport_close(t);
	close(p.master);
}

static void tty_timeout_and_flush(void **state)
{
	(void)state;
	pty_pair p;
	pty_open(&p);
	tqk_transport *t = NULL;
	assert_int_equal(tqk_transport_open(p.spec, &t), TQK_OK);

	uint8_t buf[16];
	size_t got = 99;
	long long t0 = ms_now();
	assert_int_equal(tqk_transport_read(t, buf, sizeof buf, 100, &got), TQK_E_DEV_TIMEOUT);
	long long waited = ms_now() - t0;
	assert_int_equal(got, 0);
	assert_true(waited >= 90);
	assert_int_equal(tqk_transport_read(t, buf, sizeof buf, 0, &got), TQK_E_DEV_TIMEOUT);

	/* Stale bytes are gone after a flush; newer ones arrive. */
	master_write(&p, "stale", 5);
	usleep(20000);
	tqk_transport_flush(t);
	master_write(&p, "new", 3);
	read_all(t, buf, 3);
	assert_memory_equal(buf, "new", 3);

	tqk_transport_close(t);
	close(p.master);
}

static void tty_hangup_is_gone_for_good(void **state)
{
	(void)state;
	pty_pair p;
	pty_open(&p);
	tqk_transport *t = NULL;
	assert_int_equal(tqk_transport_open(p.spec, &t), TQK_OK);

	master_write(&p, "ab", 2);
	close(p.master);
	uint8_t buf[8];
	size_t got = 0;
	/* What was sent before the hang-up may still arrive; then: gone. */
	tqk_err err = tqk_transport_read(t, buf, sizeof buf, 500, &got);
	if (err == TQK_OK)
		err = tqk_transport_read(t, buf, sizeof buf, 500, &got);
	assert_int_equal(err, TQK_E_DEV_GONE);
	assert_int_equal(tqk_transport_read(t, buf, sizeof buf, 500, &got), TQK_E_DEV_GONE);
	assert_int_equal(tqk_transport_write(t, buf, 1, 500), TQK_E_DEV_GONE);
	tqk_transport_close(t);
}

static void addresses(void **state)
{
	(void)state;
	tqk_transport *t = (tqk_transport *)&t;
	static const char *const bad[] = {
		"", "tty:", "tty:relative/path", "tty:/dev/ttyS0?baud=", "tty:/dev/ttyS0?baud=12345",
		"tty:/dev/ttyS0?baud=115200x", "tty:/dev/ttyS0?speed=9600", "serial:/dev/ttyS0",
		"TTY:/dev/ttyS0", "/dev/ttyS0",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(tqk_transport_open(bad[i], &t), TQK_E_DEV_SPEC);
		assert_null(t);
	}
	char longer[TQK_DEV_SPEC_CAP + 8];
	memset(longer, 'a', sizeof longer - 1);
	memcpy(longer, "tty:/", 5);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(tqk_transport_open(longer, &t), TQK_E_DEV_SPEC);

	assert_int_equal(tqk_transport_open("tty:/dev/tqk-no-such-reader", &t), TQK_E_DEV_NOT_FOUND);
	/* A file that is no serial port. */
	assert_int_equal(tqk_transport_open("tty:/dev/null", &t), TQK_E_DEV_NOT_FOUND);
	assert_null(t);

	pty_pair p;
	pty_open(&p);
	char spec[128];
	snprintf(spec, sizeof spec, "%s?baud=9600", p.spec);
	assert_int_equal(tqk_transport_open(spec, &t), TQK_OK);
	tqk_transport_close(t);
	tqk_transport_close(NULL);
	close(p.master);
}

/* ---- the fault wrapper ---- */

static tqk_transport *wrapped(pty_pair *p, const tqk_fault_plan *plan)
{
	pty_open(p);
	tqk_transport *t = NULL, *f = NULL;
	assert_int_equal(tqk_transport_open(p->spec, &t), TQK_OK);
	assert_int_equal(tqk_fault_wrap(t, plan, &f), TQK_OK);
	assert_string_equal(f->ops->name, "fault");
	return f;
}

static void fault_short_reads(void **state)
{
	(void)state;
	pty_pair p;
	tqk_fault_plan plan = {.seed = 7, .max_chunk = 3};
	tqk_transport *t = wrapped(&p, &plan);

	uint8_t msg[200], got[200];
	for (size_t i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 7);
	master_write(&p, msg, sizeof msg);
	size_t have = 0;
	unsigned reads = 0;
	while (have < sizeof got) {
		size_t n = 0;
		assert_int_equal(tqk_transport_read(t, got + have, sizeof got - have, 1000, &n), TQK_OK);
		assert_true(n >= 1 && n <= 3);
		have += n;
		reads++;
	}
	assert_memory_equal(msg, got, sizeof msg);
	assert_true(reads >= sizeof msg / 3);
	assert_int_equal(tqk_fault_garbage_sent(t), 0);
	tqk_transport_close(t);
	close(p.master);
}

/* Runs the garbage plan once and returns what came out (and its length). */
static size_t garbage_run(uint32_t seed, uint8_t *out, size_t cap, uint64_t *garbage)
{
	pty_pair p;
	tqk_fault_plan plan = {.seed = seed, .garbage_every = 2, .garbage_max = 5, .max_chunk = 4};
	tqk_transport *t = wrapped(&p, &plan);
	master_write(&p, "0123456789abcdef", 16);
	size_t have = 0;
	while (have < cap) {
		size_t n = 0;
		tqk_err err = tqk_transport_read(t, out + have, cap - have, 200, &n);
		if (err == TQK_E_DEV_TIMEOUT)
			break;
		assert_int_equal(err, TQK_OK);
		have += n;
	}
	*garbage = tqk_fault_garbage_sent(t);
	tqk_transport_close(t);
	close(p.master);
	return have;
}

static void fault_garbage_is_deterministic(void **state)
{
	(void)state;
	uint8_t a[128], b[128];
	uint64_t ga = 0, gb = 0;
	size_t na = garbage_run(42, a, sizeof a, &ga);
	size_t nb = garbage_run(42, b, sizeof b, &gb);
	assert_true(ga > 0);
	assert_int_equal(na, 16 + ga);
	/* The same seed, the same bytes in the same pieces. */
	assert_int_equal(na, nb);
	assert_int_equal(ga, gb);
	assert_memory_equal(a, b, na);
	/* The device's bytes are all there, in order, among the garbage. */
	const char *want = "0123456789abcdef";
	size_t k = 0;
	for (size_t i = 0; i < na && k < 16; i++)
		if (a[i] == (uint8_t)want[k])
			k++;
	assert_int_equal(k, 16);
}

static void fault_hangup_and_failed_writes(void **state)
{
	(void)state;
	pty_pair p;
	tqk_fault_plan plan = {.seed = 3, .hangup_after = 10, .fail_write_every = 2};
	tqk_transport *t = wrapped(&p, &plan);

	assert_int_equal(tqk_transport_write(t, (const uint8_t *)"x", 1, 500), TQK_OK);
	assert_int_equal(tqk_transport_write(t, (const uint8_t *)"y", 1, 500), TQK_E_DEV_IO);
	uint8_t echo;
	master_read(&p, &echo, 1);
	assert_int_equal(echo, 'x');

	master_write(&p, "0123456789ABCDEF", 16);
	uint8_t buf[32];
	size_t have = 0, n = 0;
	tqk_err err;
	while ((err = tqk_transport_read(t, buf + have, sizeof buf - have, 500, &n)) == TQK_OK)
		have += n;
	assert_int_equal(err, TQK_E_DEV_GONE);
	assert_int_equal(have, 10);
	assert_memory_equal(buf, "0123456789", 10);
	assert_int_equal(tqk_transport_write(t, (const uint8_t *)"z", 1, 500), TQK_E_DEV_GONE);
	tqk_transport_close(t);
	close(p.master);
}

static void fault_delay(void **state)
{
	(void)state;
	pty_pair p;
	tqk_fault_plan plan = {.seed = 1, .delay_ms = 30};
	tqk_transport *t = wrapped(&p, &plan);
	master_write(&p, "ab", 2);
	uint8_t buf[4];
	size_t n = 0;
	long long t0 = ms_now();
	assert_int_equal(tqk_transport_read(t, buf, sizeof buf, 500, &n), TQK_OK);
	assert_true(ms_now() - t0 >= 25);
	assert_true(n >= 1);
	tqk_transport_close(t);
	close(p.master);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tty_round_trip),
		cmocka_unit_test(tty_timeout_and_flush),
		cmocka_unit_test(tty_hangup_is_gone_for_good),
		cmocka_unit_test(addresses),
		cmocka_unit_test(fault_short_reads),
		cmocka_unit_test(fault_garbage_is_deterministic),
		cmocka_unit_test(fault_hangup_and_failed_writes),
		cmocka_unit_test(fault_delay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
