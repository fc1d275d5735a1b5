/*
 * rng.h - a small seeded pseudo-random generator (splitmix64) for tests
 * that must replay: the same seed gives the same kill schedule, the same
 * chaos, the same interleaving of work. Not for anything secret.
 *
 * Plain C without cmocka; the state is the caller's (one per thread).
 */
#ifndef TQK_TEST_RNG_H
#define TQK_TEST_RNG_H

#include <stdint.h>

/* The next number of the sequence whose state is *s (advanced). */
static inline uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A number in 0..n-1 (n > 0). */
static inline unsigned rng_below(uint64_t *s, unsigned n)
{
	return (unsigned)(rng_next(s) % n);
}

#endif
