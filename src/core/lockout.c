/*
 * lockout.c - five wrong PINs lock a clerk for five minutes (lockout.h).
 */
#include "core/lockout.h"

bool tqk_lockout_may_try(tqk_lockout *l, tqk_time now)
{
	if (l->until == 0)
		return true;
	if (now < l->until)
		return false;
	l->until = 0;
	l->failures = 0;
	return true;
}

bool tqk_lockout_record(tqk_lockout *l, bool right, tqk_time now)
{
	if (right) {
		l->failures = 0;
		l->until = 0;
		return false;
	}
	if (++l->failures < TQK_LOCKOUT_TRIES)
		return false;
	l->until = now + TQK_LOCKOUT_SECONDS;
	return true;
}

long tqk_lockout_left(const tqk_lockout *l, tqk_time now)
{
	return l->until > now ? (long)(l->until - now) : 0;
}
