/*
 * devsys.h - what the device drivers share of the operating system: the
 * monotonic clock and sleeping for their timeouts, and errno as a tqk_err.
 *
 * Drivers count timeouts and back-offs in milliseconds of CLOCK_MONOTONIC,
 * which never jumps when the wall clock is set.
 */
#ifndef TQK_DEV_DEVSYS_H
#define TQK_DEV_DEVSYS_H

#include <errno.h>
#include <time.h>

#include "core/err.h"

/* Milliseconds of the monotonic clock (an arbitrary origin). */
static inline long long tqk_dev_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms milliseconds (nothing for ms <= 0), through signals. */
static inline void tqk_dev_sleep_ms(long long ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = {.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* An errno of opening or using a device node as a tqk_err: no such node
 * TQK_E_DEV_NOT_FOUND, no permission TQK_E_DEV_ACCESS, EBUSY
 * TQK_E_DEV_BUSY, a hang-up (EIO, EPIPE, ECONNRESET) TQK_E_DEV_GONE, ENOMEM
 * TQK_E_NOMEM, anything else TQK_E_DEV_IO. */
static inline tqk_err tqk_dev_errno(int e)
{
	switch (e) {
	case ENOENT: case ENODEV: case ENXIO: case ENOTDIR:
		return TQK_E_DEV_NOT_FOUND;
	case EACCES: case EPERM: case EROFS:
		return TQK_E_DEV_ACCESS;
	case EBUSY:
		return TQK_E_DEV_BUSY;
	case EIO: case EPIPE: case ECONNRESET:
		return TQK_E_DEV_GONE;
	case ENOMEM:
		return TQK_E_NOMEM;
	default:
		return TQK_E_DEV_IO;
	}
}

#endif
