/*
 * devtime.h - the monotonic clock and sleeping, for the drivers' timeouts.
 *
 * Device drivers count timeouts and back-offs in milliseconds of
 * CLOCK_MONOTONIC, which never jumps when the wall clock is set.
 */
#ifndef TQK_DEV_DEVTIME_H
#define TQK_DEV_DEVTIME_H

#include <time.h>

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

#endif
