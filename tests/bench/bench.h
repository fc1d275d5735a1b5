/*
 * bench.h - small helpers the benchmarks share: a monotonic clock in
 * milliseconds, a growable set of timings with nearest-rank percentiles,
 * and one table line per measurement (name, n, p50, p90, p99, max, target,
 * ratio), so that every benchmark prints the same readable table.
 *
 * Header-only (static functions): each benchmark is one program built from
 * one file plus tests/support, and the Makefile builds nothing else here.
 * Benchmarks report; they never fail on time.
 */
#ifndef TQK_BENCH_H
#define TQK_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Milliseconds on CLOCK_MONOTONIC (never stepped by the wall clock). */
static inline double bench_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Timings of one measurement, in milliseconds. */
typedef struct bench_samples {
	double *ms;
	size_t n, cap;
	int sorted;
} bench_samples;

static inline void bench_add(bench_samples *b, double ms)
{
	if (b->n == b->cap) {
		size_t cap = b->cap != 0 ? 2 * b->cap : 256;
		double *p = realloc(b->ms, cap * sizeof *p);
		if (p == NULL) {
			fprintf(stderr, "bench: out of memory\n");
			exit(1);
		}
		b->ms = p;
		b->cap = cap;
	}
	b->ms[b->n++] = ms;
	b->sorted = 0;
}

static inline void bench_free(bench_samples *b)
{
	free(b->ms);
	*b = (bench_samples){0};
}

static inline int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The p-th percentile (0 < p <= 100) by nearest rank: the smallest timing
 * at least p% of the timings do not exceed. 0 when there are none. */
static inline double bench_pct(bench_samples *b, double p)
{
	if (b->n == 0)
		return 0;
	if (!b->sorted) {
		qsort(b->ms, b->n, sizeof *b->ms, bench_cmp);
		b->sorted = 1;
	}
	size_t rank = (size_t)(p / 100.0 * (double)b->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > b->n)
		rank = b->n;
	return b->ms[rank - 1];
}

/* Columns the terminal gives a UTF-8 string: two for CJK and wider scripts
 * (from U+2E80 on), one for everything else. */
static inline int bench_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p & 0xc0) == 0x80)
			continue;
		unsigned cp = *p;
		if (*p >= 0xe0 && p[1] != '\0' && p[2] != '\0')
			cp = (unsigned)(*p & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
		w += *p >= 0xf0 || cp >= 0x2e80 ? 2 : 1;
	}
	return w;
}

/* Prints s left-aligned in width columns. */
static inline void bench_pad(const char *s, int width)
{
	fputs(s, stdout);
	for (int w = bench_width(s); w < width; w++)
		putchar(' ');
}

#define BENCH_NAME_W 42
#define BENCH_TARGET_W 22

static inline void bench_header(void)
{
	bench_pad("measurement", BENCH_NAME_W);
	printf("%6s %9s %9s %9s %9s  ", "n", "p50 ms", "p90 ms", "p99 ms", "max ms");
	bench_pad("target", BENCH_TARGET_W);
	printf("ratio\n");
	for (int i = 0; i < BENCH_NAME_W + 48 + BENCH_TARGET_W + 12; i++)
		putchar('-');
	putchar('\n');
}

/* One line: name, the timings' n and percentiles, then target and ratio
 * (NULL or "": "-"). */
static inline void bench_row(const char *name, bench_samples *b, const char *target,
                             const char *ratio)
{
	bench_pad(name, BENCH_NAME_W);
	printf("%6zu %9.3f %9.3f %9.3f %9.3f  ", b->n, bench_pct(b, 50), bench_pct(b, 90),
	       bench_pct(b, 99), bench_pct(b, 100));
	bench_pad(target != NULL && target[0] != '\0' ? target : "-", BENCH_TARGET_W);
	printf("%s\n", ratio != NULL && ratio[0] != '\0' ? ratio : "-");
	fflush(stdout);
}

/* A line without timings of its own (a ratio, a count). */
static inline void bench_note_row(const char *name, size_t n, const char *target,
                                  const char *ratio)
{
	bench_pad(name, BENCH_NAME_W);
	printf("%6zu %9s %9s %9s %9s  ", n, "", "", "", "");
	bench_pad(target != NULL && target[0] != '\0' ? target : "-", BENCH_TARGET_W);
	printf("%s\n", ratio != NULL && ratio[0] != '\0' ? ratio : "-");
	fflush(stdout);
}

#endif
