/*
 * zroi.c - regions of a grey frame that may hold a barcode (see zroi.h):
 * the noise estimate, the step counts per cell (with SSE2 where there is
 * SSE2), the grouping of dense cells into regions, and the trimming of a
 * QR code's region to the print around its inside.
 */
#include "dev/zroi.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* SSE2 where there is SSE2, unless TQK_ZROI_SCALAR (the test of the two). */
#if defined(__SSE2__) && !defined(TQK_ZROI_SCALAR)
#define SIMD 1
#include <emmintrin.h>
#endif

#define CELL TQK_ZROI_CELL
#define DIM_MAX 8192

/* Tuned on the generated frames of tests/unit/test_zscan.c and the
 * benchmark (see zscan.h for what was measured). */
#define T_MIN 16          /* grey levels: the least step that counts */
#define T_NOISE 3         /* the threshold is at least this many median steps */
#define DENSE_MIN 6       /* steps (of 32 each way) that make a cell dense */
#define ONE_WAY 3         /* steps one way this many times the other: one-way cell */
#define ONE_WAY_REGION 2  /* the same for a region (a tilted code steps both ways) */
#define CORE_NEIGHBOURS 8 /* of its 8 neighbours a mixed core cell has dense */
#define EXTEND 2          /* cells a region reaches past its cores ... */
#define LARGE_MODULE 5.0  /* ... and more when its modules are larger than this */
#define MARGIN_ALONG 3    /* cells of quiet zone before and after a linear code */
#define ALIGN_GAP 64      /* pixels between the boxes of two parts of a linear code */
/* A region whose grey levels change nearly as much from one pixel to the
 * next as over two (d2 / d1 below TEXTURE_1 / TEXTURE_2) is texture or
 * noise, not print: the modules of a code that ZBar can read are wider
 * than a pixel, so its d2 / d1 is 1.5 and more. The same goes for a cell
 * with its eight neighbours (classify). */
#define TEXTURE_1 6
#define TEXTURE_2 5
/* trim(): a block has print when its grey levels span more than TRIM_T
 * times the threshold (noise seldom does); the trimmed box keeps TRIM_PAD
 * modules around the print it reached. */
#define TRIM_T 2
#define TRIM_PAD 2.0
#define BLOCK 4

enum { C_NONE = 0, C_ACROSS, C_DOWN, C_MIXED, CORE = 4, SEEN = 8, TAKEN = 16 };

/* What the pass saw in one cell. */
typedef struct zcell {
	uint8_t across, down;    /* steps */
	uint8_t edges;           /* steps across that start an edge */
	uint8_t cls;             /* C_* and CORE, TAKEN once a region took it */
	uint8_t same, opp;       /* samples with a step both ways, of the same and
	                            of opposite signs */
	uint16_t d1, d2;         /* sums of |p[x+1] - p[x]| and |p[x+2] - p[x]| on
	                            the cell's first sampled row */
} zcell;

struct tqk_zroi {
	int gw, gh;              /* the grid of the last frame */
	size_t cap;              /* cells allocated */
	zcell *c;
	int32_t *queue;          /* cells of the region being grown */
	uint8_t *block;          /* trim(): the blocks of a region's box ... */
	int32_t *bqueue;         /* ... and those the flood reached */
	size_t bcap;
	int t;                   /* the step threshold of the last frame */
};

tqk_zroi *tqk_zroi_new(void)
{
	return calloc(1, sizeof(tqk_zroi));
}

void tqk_zroi_free(tqk_zroi *r)
{
	if (r == NULL)
		return;
	free(r->c);
	free(r->queue);
	free(r->block);
	free(r->bqueue);
	free(r);
}

/* *p made room for n elements of size bytes (kept on failure). */
static bool room(void **p, size_t n, size_t size)
{
	void *q = realloc(*p, n * size);
	if (q == NULL)
		return false;
	*p = q;
	return true;
}

static tqk_err grid(tqk_zroi *r, int w, int h)
{
	r->gw = (w + CELL - 1) / CELL;
	r->gh = (h + CELL - 1) / CELL;
	size_t n = (size_t)r->gw * (size_t)r->gh;
	if (n > r->cap) {
		if (!room((void **)&r->c, n, sizeof *r->c) ||
		    !room((void **)&r->queue, n, sizeof *r->queue))
			return TQK_E_NOMEM;
		r->cap = n;
	}
	/* trim()'s blocks of any box, with a border of one. */
	size_t nb = (size_t)(w / BLOCK + 3) * (size_t)(h / BLOCK + 3);
	if (nb > r->bcap) {
		if (!room((void **)&r->block, nb, 1) ||
		    !room((void **)&r->bqueue, nb, sizeof *r->bqueue))
			return TQK_E_NOMEM;
		r->bcap = nb;
	}
	memset(r->c, 0, n * sizeof *r->c);
	return TQK_OK;
}

static int absdiff(int a, int b)
{
	return a > b ? a - b : b - a;
}

/* The threshold: T_NOISE times the median step across, on every 16th row
 * (flat paper and background are most of any frame, so the median is the
 * noise), and never below T_MIN. */
static int noise_threshold(const uint8_t *px, int w, int h, size_t stride)
{
	/* Four histograms in turn: flat rows would otherwise make every
	 * increment wait for the one before to the same bin. */
	unsigned hist[4][256];
	memset(hist, 0, sizeof hist);
	unsigned total = 0;
	for (int y = CELL / 2; y < h; y += CELL) {
		const uint8_t *row = px + (size_t)y * stride;
		int x = 0;
		for (; x + 8 < w; x += 8) {
			hist[0][absdiff(row[x + 2], row[x])]++;
			hist[1][absdiff(row[x + 4], row[x + 2])]++;
			hist[2][absdiff(row[x + 6], row[x + 4])]++;
			hist[3][absdiff(row[x + 8], row[x + 6])]++;
		}
		for (; x + 2 < w; x += 2)
			hist[0][absdiff(row[x + 2], row[x])]++;
		total += (unsigned)(w - 1) / 2;
	}
	unsigned seen = 0, median = 0;
	while (median < 255 &&
	       (seen += hist[0][median] + hist[1][median] + hist[2][median] + hist[3][median]) <=
	               total / 2)
		median++;
	int t = T_NOISE * (int)median;
	return t < T_MIN ? T_MIN : t > 128 ? 128 : t;
}

/* The rows one sampled row y is counted on: y itself, y - 2 and y + 2
 * (its steps down), y + 4 (or y + 2 at the bottom: every other sample's
 * step down starts at y + 2). */
typedef struct rows {
	const uint8_t *row, *above, *below, *next;
} rows;

static rows rows_at(const uint8_t *px, int h, size_t stride, int y)
{
	rows k;
	k.row = px + (size_t)y * stride;
	k.above = k.row - 2 * stride;
	k.below = k.row + 2 * stride;
	k.next = y + 4 < h ? k.below + 2 * stride : k.below;
	return k;
}

static int sign_of(int step, int t)
{
	return (step > t) - (step < -t);
}

/* The counts of one cell on one sampled row, at x = x0, x0 + 2, ... below
 * end (see count_steps), added to c; prev is the sign of the sample before
 * (0 at the start of a row) and becomes that of the last one. */
static void count_cell(const rows *k, int x0, int end, int t, bool texture, int *prev, zcell *c)
{
	unsigned a = 0, d = 0, e = 0, same = 0, opp = 0, d1 = 0, d2 = 0;
	for (int x = x0; x < end; x += 2) {
		const uint8_t *row = k->row;
		int sign = sign_of(row[x + 2] - row[x], t);
		/* Steps down from this row and from the row below, in turn. */
		int down = (x - x0) % 4 == 0 ? k->below[x] - row[x] : k->next[x] - k->below[x];
		a += sign != 0;
		e += sign != 0 && sign != *prev;
		d += sign_of(down, t) != 0;
		int su = sign_of(row[x + 1] - k->above[x + 1], t);
		int sv = sign_of(k->below[x + 1] - row[x + 1], t);
		same += (sign * su > 0) + (sign * sv > 0);
		opp += (sign * su < 0) + (sign * sv < 0);
		d1 += (unsigned)absdiff(row[x + 1], row[x]);
		d2 += (unsigned)absdiff(row[x + 2], row[x]);
		*prev = sign;
	}
	c->across = (uint8_t)(c->across + a);
	c->down = (uint8_t)(c->down + d);
	c->edges = (uint8_t)(c->edges + e);
	c->same = (uint8_t)(c->same + same);
	c->opp = (uint8_t)(c->opp + opp);
	if (texture) {
		c->d1 = (uint16_t)d1;
		c->d2 = (uint16_t)d2;
	}
}

#ifdef SIMD
/* The same for whole cells, 16 pixels at a time with SSE2: count_cell's
 * samples are the even lanes of vectors of 16 pixels, its counts sums of
 * per-lane counters over the cell's four rows. */

/* 0xff in the lanes where a - b > t (bytes, unsigned), and in lanes. */
static inline __m128i above_t(__m128i a, __m128i b, __m128i t, __m128i lanes)
{
	__m128i none = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_subs_epu8(a, b), t), _mm_setzero_si128());
	return _mm_andnot_si128(none, lanes);
}

/* The same where |a - b| > t. */
static inline __m128i apart_t(__m128i a, __m128i b, __m128i t, __m128i lanes)
{
	__m128i diff = _mm_or_si128(_mm_subs_epu8(a, b), _mm_subs_epu8(b, a));
	__m128i none = _mm_cmpeq_epi8(_mm_subs_epu8(diff, t), _mm_setzero_si128());
	return _mm_andnot_si128(none, lanes);
}

/* The sum of the 16 bytes of v. */
static inline unsigned sum16(__m128i v)
{
	__m128i s = _mm_sad_epu8(v, _mm_setzero_si128());
	return (unsigned)(_mm_cvtsi128_si32(s) + _mm_cvtsi128_si32(_mm_unpackhi_epi64(s, s)));
}

static inline __m128i load(const uint8_t *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}

/* The cell at x0 over the sampled rows k[0..n) (n <= 4; the first is the
 * texture row when texture), added to c. pp and pn hold, per row, the
 * signs (as lanes of 0xff) of the cell before: positive and negative;
 * they become this cell's. Reads 18 pixels of each row from x0. */
static void count_cell16(const rows *k, int n, int x0, __m128i t, bool texture, __m128i *pp,
                         __m128i *pn, zcell *c)
{
	const __m128i even = _mm_set1_epi16(0x00ff);
	const __m128i lane0 = _mm_set1_epi32(0x000000ff), lane2 = _mm_set1_epi32(0x00ff0000);
	__m128i ca = _mm_setzero_si128(), cd = ca, ce = ca, cs = ca, co = ca;
	for (int i = 0; i < n; i++) {
		__m128i r0 = load(k[i].row + x0), r1 = load(k[i].row + x0 + 1);
		__m128i r2 = load(k[i].row + x0 + 2), a1 = load(k[i].above + x0 + 1);
		__m128i b0 = load(k[i].below + x0), b1 = load(k[i].below + x0 + 1);
		__m128i n0 = load(k[i].next + x0);
		__m128i p = above_t(r2, r0, t, even), m = above_t(r0, r2, t, even);
		/* The sign before each sample: two lanes back, the first from the
		 * last lane of the cell before. */
		__m128i bp = _mm_or_si128(_mm_slli_si128(p, 2), _mm_srli_si128(pp[i], 14));
		__m128i bm = _mm_or_si128(_mm_slli_si128(m, 2), _mm_srli_si128(pn[i], 14));
		pp[i] = p;
		pn[i] = m;
		__m128i d = _mm_or_si128(apart_t(b0, r0, t, lane0), apart_t(n0, b0, t, lane2));
		__m128i up = above_t(r1, a1, t, even), um = above_t(a1, r1, t, even);
		__m128i vp = above_t(b1, r1, t, even), vm = above_t(r1, b1, t, even);
		/* Lanes of 0xff (-1): subtracting counts them. */
		ca = _mm_sub_epi8(ca, _mm_or_si128(p, m));
		ce = _mm_sub_epi8(ce, _mm_or_si128(_mm_andnot_si128(bp, p), _mm_andnot_si128(bm, m)));
		cd = _mm_sub_epi8(cd, d);
		cs = _mm_sub_epi8(cs, _mm_or_si128(_mm_and_si128(p, up), _mm_and_si128(m, um)));
		cs = _mm_sub_epi8(cs, _mm_or_si128(_mm_and_si128(p, vp), _mm_and_si128(m, vm)));
		co = _mm_sub_epi8(co, _mm_or_si128(_mm_and_si128(p, um), _mm_and_si128(m, up)));
		co = _mm_sub_epi8(co, _mm_or_si128(_mm_and_si128(p, vm), _mm_and_si128(m, vp)));
		if (texture && i == 0) {
			__m128i s1 = _mm_or_si128(_mm_subs_epu8(r1, r0), _mm_subs_epu8(r0, r1));
			__m128i s2 = _mm_or_si128(_mm_subs_epu8(r2, r0), _mm_subs_epu8(r0, r2));
			c->d1 = (uint16_t)sum16(_mm_and_si128(s1, even));
			c->d2 = (uint16_t)sum16(_mm_and_si128(s2, even));
		}
	}
	c->across = (uint8_t)(c->across + sum16(ca));
	c->down = (uint8_t)(c->down + sum16(cd));
	c->edges = (uint8_t)(c->edges + sum16(ce));
	c->same = (uint8_t)(c->same + sum16(cs));
	c->opp = (uint8_t)(c->opp + sum16(co));
}
#endif

/* The counts of every cell, on its rows 2, 6, 10 and 14, every second
 * column. A step across that follows no step of the same sign starts an
 * edge: a blurred edge is several steps but one edge. Steps down go from
 * row y to y + 2 in every other sampled column and from y + 2 to y + 4 in
 * the others, so that no row is skipped. The signs alike and unlike pair
 * each step across (x to x + 2) with the steps down column x + 1 into and
 * out of its row. The texture sums d1 and d2 come from the first of a
 * cell's four rows only. A band of cells at a time, cell by cell. */
static void count_steps(tqk_zroi *r, const uint8_t *px, int w, int h, size_t stride, int t)
{
	for (int band = 0; band < r->gh; band++) {
		rows k[CELL / 4];
		int n = 0;
		for (int y = band * CELL + 2; n < CELL / 4 && y + 2 < h; y += 4)
			k[n++] = rows_at(px, h, stride, y);
		zcell *c = r->c + (size_t)band * (size_t)r->gw;
		int x0 = 0, prev[CELL / 4] = {0};
#ifdef SIMD
		__m128i tv = _mm_set1_epi8((char)t), pp[CELL / 4], pn[CELL / 4];
		for (int i = 0; i < n; i++)
			pp[i] = pn[i] = _mm_setzero_si128();
		for (; x0 + CELL + 2 <= w; x0 += CELL, c++)
			count_cell16(k, n, x0, tv, true, pp, pn, c);
		for (int i = 0; i < n; i++)
			prev[i] = (_mm_movemask_epi8(pp[i]) >> 14 & 1) - (_mm_movemask_epi8(pn[i]) >> 14 & 1);
#endif
		for (; x0 < w; x0 += CELL, c++) {
			int end = x0 + CELL < w - 2 ? x0 + CELL : w - 2;
			for (int i = 0; i < n; i++)
				count_cell(&k[i], x0, end, t, i == 0, &prev[i], c);
		}
	}
}

/* Whether the cells around (x, y), itself included, look like texture:
 * their sums d1 and d2 together (one cell's alone scatter too much). */
static bool textured(const tqk_zroi *r, int x, int y)
{
	unsigned long d1 = 0, d2 = 0;
	for (int j = y - 1 < 0 ? 0 : y - 1; j <= y + 1 && j < r->gh; j++)
		for (int i = x - 1 < 0 ? 0 : x - 1; i <= x + 1 && i < r->gw; i++) {
			d1 += r->c[(size_t)j * (size_t)r->gw + (size_t)i].d1;
			d2 += r->c[(size_t)j * (size_t)r->gw + (size_t)i].d2;
		}
	return TEXTURE_2 * d2 < TEXTURE_1 * d1;
}

/* Dense cells by the way their steps go; texture is never dense, so that
 * it joins no code it touches. */
static void classify(tqk_zroi *r)
{
	size_t n = (size_t)r->gw * (size_t)r->gh;
	for (size_t i = 0; i < n; i++) {
		zcell *c = &r->c[i];
		unsigned a = c->across, d = c->down;
		if (a + d < DENSE_MIN ||
		    textured(r, (int)(i % (size_t)r->gw), (int)(i / (size_t)r->gw)))
			c->cls = C_NONE;
		else if (a >= ONE_WAY * d)
			c->cls = C_ACROSS;
		else if (d >= ONE_WAY * a)
			c->cls = C_DOWN;
		else
			c->cls = C_MIXED;
	}
}

/* The class of cell (x, y); C_NONE outside the grid. */
static int cls_at(const tqk_zroi *r, int x, int y)
{
	if (x < 0 || y < 0 || x >= r->gw || y >= r->gh)
		return C_NONE;
	return r->c[(size_t)y * (size_t)r->gw + (size_t)x].cls;
}

/* Core cells: where a code is, not just an edge or a stroke. An across
 * cell with across cells left and right of it (a ruled line or a stroke is
 * one cell wide), a down cell with down cells above and below, a mixed cell
 * whose eight neighbours are all dense (a line of text is one or two cells
 * high). Cores get CORE in cls. */
static void cores(tqk_zroi *r)
{
	for (int y = 0; y < r->gh; y++)
		for (int x = 0; x < r->gw; x++) {
			int c = cls_at(r, x, y);
			bool core = false;
			if (c == C_ACROSS) {
				core = (cls_at(r, x - 1, y) & 3) == C_ACROSS &&
				       (cls_at(r, x + 1, y) & 3) == C_ACROSS;
			} else if (c == C_DOWN) {
				core = (cls_at(r, x, y - 1) & 3) == C_DOWN &&
				       (cls_at(r, x, y + 1) & 3) == C_DOWN;
			} else if (c == C_MIXED) {
				int dense = 0;
				for (int dy = -1; dy <= 1; dy++)
					for (int dx = -1; dx <= 1; dx++)
						dense += (cls_at(r, x + dx, y + dy) & 3) != C_NONE;
				core = dense >= CORE_NEIGHBOURS + 1;
			}
			if (core)
				r->c[(size_t)y * (size_t)r->gw + (size_t)x].cls |= CORE;
		}
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Grows the region of core cells from core cell start (taken cores lose
 * CORE) into *reg: the cores joined (a gap of one cell bridged), then the
 * dense cells up to EXTEND cells away from them (the rim and the corners
 * of a code, which are not cores). Its kind follows the steps of all its
 * cells. Returns true when the region is texture (then it is no code). */
static bool grow(tqk_zroi *r, int start, int w, int h, tqk_zroi_region *reg)
{
	int gw = r->gw, gh = r->gh;
	size_t head = 0, tail = 0;
	r->queue[tail++] = start;
	r->c[start].cls = (uint8_t)((r->c[start].cls & ~CORE) | SEEN | TAKEN);
	while (head < tail) {
		int i = r->queue[head++], cx = i % gw, cy = i / gw;
		for (int y = cy - 2 < 0 ? 0 : cy - 2; y <= cy + 2 && y < gh; y++)
			for (int x = cx - 2 < 0 ? 0 : cx - 2; x <= cx + 2 && x < gw; x++) {
				zcell *k = &r->c[(size_t)y * (size_t)gw + (size_t)x];
				if (k->cls & CORE) {
					k->cls = (uint8_t)((k->cls & ~CORE) | SEEN | TAKEN);
					r->queue[tail++] = y * gw + x;
				}
			}
	}
	int cores = (int)tail;
	/* The pitch of the edges in the cores (a QR code's module size) and
	 * their extent. */
	unsigned long se = 0;
	int kx0 = gw, ky0 = gh, kx1 = -1, ky1 = -1;
	for (size_t q = 0; q < tail; q++) {
		int i = r->queue[q], cx = i % gw, cy = i / gw;
		se += r->c[i].edges;
		kx0 = cx < kx0 ? cx : kx0;
		kx1 = cx > kx1 ? cx : kx1;
		ky0 = cy < ky0 ? cy : ky0;
		ky1 = cy > ky1 ? cy : ky1;
	}
	reg->pitch = se > 0 ? (double)CELL * (CELL / 4) * (double)cores / (double)se : 0;
	/* 1.52 modules from 2.5 pixels a module up; below, the sampling every
	 * second pixel misses edges and it falls only 0.75 pixels a module
	 * (measured on generated codes of 1.5 to 8 pixels a module, clean and
	 * noisy; blur makes a code look coarser). */
	reg->module = se == 0 ? 0 : reg->pitch >= 3.8 ? reg->pitch / 1.52
	                                              : 2.5 - (3.8 - reg->pitch) / 0.75;
	if (reg->module < 0.5)
		reg->module = 0.5;
	/* Large modules leave more of a code's rim without cores. */
	int extend = EXTEND;
	if (reg->module > LARGE_MODULE)
		extend += reg->module > LARGE_MODULE + 4 ? 3 : (int)(reg->module - LARGE_MODULE) / 2 + 1;
	for (int ring = 0, from = 0; ring < extend; ring++) {
		int to = (int)tail;
		for (int q = from; q < to; q++) {
			int i = r->queue[q], cx = i % gw, cy = i / gw;
			for (int y = cy - 1 < 0 ? 0 : cy - 1; y <= cy + 1 && y < gh; y++)
				for (int x = cx - 1 < 0 ? 0 : cx - 1; x <= cx + 1 && x < gw; x++) {
					zcell *k = &r->c[(size_t)y * (size_t)gw + (size_t)x];
					if ((k->cls & 3) != C_NONE && !(k->cls & SEEN)) {
						k->cls |= SEEN;
						r->queue[tail++] = y * gw + x;
					}
				}
		}
		from = to;
	}
	int cx0 = gw, cy0 = gh, cx1 = -1, cy1 = -1;
	unsigned long sa = 0, sd = 0, d1 = 0, d2 = 0, ss = 0, so = 0;
	for (size_t q = 0; q < tail; q++) {
		int i = r->queue[q], cx = i % gw, cy = i / gw;
		zcell *k = &r->c[i];
		k->cls &= (uint8_t)~SEEN;
		cx0 = cx < cx0 ? cx : cx0;
		cx1 = cx > cx1 ? cx : cx1;
		cy0 = cy < cy0 ? cy : cy0;
		cy1 = cy > cy1 ? cy : cy1;
		sa += k->across;
		sd += k->down;
		ss += k->same;
		so += k->opp;
		d1 += k->d1;
		d2 += k->d2;
	}
	int c = sa >= ONE_WAY_REGION * sd ? C_ACROSS : sd >= ONE_WAY_REGION * sa ? C_DOWN : C_MIXED;
	/* The margin holds the quiet zone: wide along a linear code. */
	int mx = c == C_ACROSS ? MARGIN_ALONG : 1, my = c == C_DOWN ? MARGIN_ALONG : 1;
	reg->kind = c == C_ACROSS ? TQK_ZROI_ACROSS : c == C_DOWN ? TQK_ZROI_DOWN : TQK_ZROI_MIXED;
	reg->x0 = clampi((cx0 - mx) * CELL, 0, w);
	reg->y0 = clampi((cy0 - my) * CELL, 0, h);
	reg->x1 = clampi((cx1 + 1 + mx) * CELL, 0, w);
	reg->y1 = clampi((cy1 + 1 + my) * CELL, 0, h);
	reg->cores = cores;
	reg->alike = ss;
	reg->unlike = so;
	reg->core0 = CELL * (c == C_DOWN ? ky0 : kx0);
	reg->core1 = CELL * (c == C_DOWN ? ky1 + 1 : kx1 + 1);
	return TEXTURE_2 * d2 < TEXTURE_1 * d1;
}

/* Whether a and b look like parts of one code: boxes that overlap, or
 * linear regions of one kind in line along their reading way, side by
 * side across it, with a gap of at most ALIGN_GAP pixels between their
 * boxes (noise can empty many cells in the middle of a code of small
 * modules). */
static bool parts(const tqk_zroi_region *a, const tqk_zroi_region *b)
{
	if (a->kind != b->kind)
		return false;
	if (a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1)
		return true;
	if (a->kind == TQK_ZROI_MIXED)
		return false;
	bool across = a->kind == TQK_ZROI_ACROSS;
	int a0 = across ? a->y0 : a->x0, a1 = across ? a->y1 : a->x1;
	int b0 = across ? b->y0 : b->x0, b1 = across ? b->y1 : b->x1;
	int side = (a1 < b1 ? a1 : b1) - (a0 > b0 ? a0 : b0);
	int small = a1 - a0 < b1 - b0 ? a1 - a0 : b1 - b0;
	int l0 = across ? a->x0 : a->y0, l1 = across ? a->x1 : a->y1;
	int m0 = across ? b->x0 : b->y0, m1 = across ? b->x1 : b->y1;
	int gap = l0 > m1 ? l0 - m1 : m0 - l1;
	return 2 * side >= small && gap <= ALIGN_GAP;
}

/* Merges regions that are parts of one code until none are; returns the
 * new count. */
static size_t merge(tqk_zroi_region *reg, size_t n)
{
	bool again = true;
	while (again) {
		again = false;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				tqk_zroi_region *a = &reg[i], *b = &reg[j];
				if (!parts(a, b))
					continue;
				int cores = a->cores + b->cores;
				a->alike += b->alike;
				a->unlike += b->unlike;
				a->pitch = (a->pitch * a->cores + b->pitch * b->cores) / cores;
				a->module = (a->module * a->cores + b->module * b->cores) / cores;
				a->cores = cores;
				a->x0 = a->x0 < b->x0 ? a->x0 : b->x0;
				a->y0 = a->y0 < b->y0 ? a->y0 : b->y0;
				a->x1 = a->x1 > b->x1 ? a->x1 : b->x1;
				a->y1 = a->y1 > b->y1 ? a->y1 : b->y1;
				a->core0 = a->core0 < b->core0 ? a->core0 : b->core0;
				a->core1 = a->core1 > b->core1 ? a->core1 : b->core1;
				reg[j] = reg[--n];
				again = true;
				j--;
			}
	}
	return n;
}

/* Whether cell (x, y) is a core a region took; false outside the grid. */
static bool taken(const tqk_zroi *r, int x, int y)
{
	return x >= 0 && y >= 0 && x < r->gw && y < r->gh &&
	       (r->c[(size_t)y * (size_t)r->gw + (size_t)x].cls & TAKEN);
}

enum { B_EMPTY = 0, B_PRINT = 1, B_REACHED = 2 };

/* The blocks of the box x0..y1 (bw x bh of them) into blk, rows pitch
 * apart from blk[pitch + 1] on (a border of empty blocks around them):
 * B_PRINT where the grey levels of a block span more than t. */
static void print_blocks(const uint8_t *px, size_t stride, int t, int x0, int y0, int x1, int y1,
                         uint8_t *blk, int pitch)
{
	int bw = (x1 - x0 + BLOCK - 1) / BLOCK, bh = (y1 - y0 + BLOCK - 1) / BLOCK;
	memset(blk, B_EMPTY, (size_t)pitch * (size_t)(bh + 2));
	for (int j = 0; j < bh; j++) {
		int ya = y0 + j * BLOCK, yb = ya + BLOCK < y1 ? ya + BLOCK : y1;
		uint8_t *out = blk + (size_t)(j + 1) * (size_t)pitch + 1;
		int i = 0;
#ifdef SIMD
		/* Four blocks at a time: the extremes down the rows, then across
		 * each group of four bytes (into its first). */
		const __m128i tv = _mm_set1_epi8((char)t);
		for (; yb - ya == BLOCK && x0 + (i + 4) * BLOCK <= x1; i += 4) {
			const uint8_t *p = px + (size_t)ya * stride + (size_t)(x0 + i * BLOCK);
			__m128i hi = load(p), lo = hi;
			for (int y = 1; y < BLOCK; y++) {
				__m128i v = load(p + (size_t)y * stride);
				hi = _mm_max_epu8(hi, v);
				lo = _mm_min_epu8(lo, v);
			}
			hi = _mm_max_epu8(hi, _mm_srli_epi32(hi, 8));
			hi = _mm_max_epu8(hi, _mm_srli_epi32(hi, 16));
			lo = _mm_min_epu8(lo, _mm_srli_epi32(lo, 8));
			lo = _mm_min_epu8(lo, _mm_srli_epi32(lo, 16));
			__m128i none = _mm_cmpeq_epi8(_mm_subs_epu8(_mm_subs_epu8(hi, lo), tv),
			                              _mm_setzero_si128());
			unsigned bits = ~(unsigned)_mm_movemask_epi8(none);
			for (int k = 0; k < 4; k++)
				out[i + k] = (bits >> (4 * k)) & 1 ? B_PRINT : B_EMPTY;
		}
#endif
		for (; i < bw; i++) {
			int xa = x0 + i * BLOCK, xb = xa + BLOCK < x1 ? xa + BLOCK : x1;
			int lo = 255, hi = 0;
			for (int y = ya; y < yb; y++) {
				const uint8_t *row = px + (size_t)y * stride;
				for (int x = xa; x < xb; x++) {
					lo = row[x] < lo ? row[x] : lo;
					hi = row[x] > hi ? row[x] : hi;
				}
			}
			out[i] = hi - lo > t ? B_PRINT : B_EMPTY;
		}
	}
}

/* The trimmed box of a mixed region (zroi.h). Blocks of BLOCK x BLOCK
 * pixels of its box whose grey levels span more than t hold print; a
 * flood through them, 8-connected, from the blocks of its core cells that
 * are surrounded by core cells (a code's inside, not text next to it that
 * had cores too; all its core cells when none is) stops at the quiet zone
 * around a code, a white band of four modules, and at any gap of a block.
 * The trimmed box is the box of the blocks it reached, TRIM_PAD modules
 * larger, within the region's box. Text or a blob touching the code, or a
 * quiet zone narrower than two blocks, only leave it larger. A linear
 * region, or one with no module size, keeps its box. */
void tqk_zroi_trim(tqk_zroi *r, const uint8_t *px, size_t stride, const tqk_zroi_region *g,
                   tqk_zroi_box *out)
{
	*out = (tqk_zroi_box){g->x0, g->y0, g->x1, g->y1};
	if (g->kind != TQK_ZROI_MIXED || g->module <= 0)
		return;
	int t = TRIM_T * r->t;
	int bw = (g->x1 - g->x0 + BLOCK - 1) / BLOCK, bh = (g->y1 - g->y0 + BLOCK - 1) / BLOCK;
	int pitch = bw + 2;
	uint8_t *blk = r->block;
	print_blocks(px, stride, t, g->x0, g->y0, g->x1, g->y1, blk, pitch);
	/* The seed cells (x0 and y0 are whole cells), flagged in r->queue,
	 * which no longer holds a region. */
	int cx0 = g->x0 / CELL, cy0 = g->y0 / CELL;
	int cw = (g->x1 + CELL - 1) / CELL - cx0, ch = (g->y1 + CELL - 1) / CELL - cy0;
	int32_t *seed = r->queue;
	int seeds = 0;
	for (int deep = 1; deep >= 0 && seeds == 0; deep--)
		for (int y = 0; y < ch; y++)
			for (int x = 0; x < cw; x++) {
				bool s = taken(r, cx0 + x, cy0 + y);
				for (int k = 0; k < 9 && s && deep; k++)
					s = taken(r, cx0 + x + k % 3 - 1, cy0 + y + k / 3 - 1);
				seed[y * cw + x] = s;
				seeds += s;
			}
	if (seeds == 0)
		return;
	/* Their blocks are reached; those on the rim of a seed cell next to
	 * one that is not start the flood. */
	size_t head = 0, tail = 0;
	int32_t *q = r->bqueue;
	for (int y = 0; y < ch; y++)
		for (int x = 0; x < cw; x++) {
			if (!seed[y * cw + x])
				continue;
			bool inside = true;
			for (int k = 0; k < 9 && inside; k++) {
				int nx = x + k % 3 - 1, ny = y + k / 3 - 1;
				inside = nx >= 0 && ny >= 0 && nx < cw && ny < ch && seed[ny * cw + nx];
			}
			for (int j = y * (CELL / BLOCK); j < (y + 1) * (CELL / BLOCK) && j < bh; j++)
				for (int i = x * (CELL / BLOCK); i < (x + 1) * (CELL / BLOCK) && i < bw; i++) {
					int at = (j + 1) * pitch + i + 1;
					blk[at] = B_REACHED;
					bool rim = j % (CELL / BLOCK) == 0 || j % (CELL / BLOCK) == CELL / BLOCK - 1 ||
					           i % (CELL / BLOCK) == 0 || i % (CELL / BLOCK) == CELL / BLOCK - 1;
					if (rim && !inside)
						q[tail++] = at;
				}
		}
	const int step[8] = {-pitch - 1, -pitch, -pitch + 1, -1, 1, pitch - 1, pitch, pitch + 1};
	while (head < tail) {
		int at = q[head++];
		for (int k = 0; k < 8; k++)
			if (blk[at + step[k]] == B_PRINT) {
				blk[at + step[k]] = B_REACHED;
				q[tail++] = at + step[k];
			}
	}
	int bx0 = bw, by0 = bh, bx1 = -1, by1 = -1;
	for (int j = 0; j < bh; j++) {
		const uint8_t *row = blk + (size_t)(j + 1) * (size_t)pitch + 1;
		const uint8_t *first = memchr(row, B_REACHED, (size_t)bw);
		if (first == NULL)
			continue;
		int i = bw - 1;
		while (row[i] != B_REACHED)
			i--;
		bx0 = (int)(first - row) < bx0 ? (int)(first - row) : bx0;
		bx1 = i > bx1 ? i : bx1;
		by0 = j < by0 ? j : by0;
		by1 = j;
	}
	int pad = (int)(TRIM_PAD * g->module) + 1;
	out->x0 = clampi(g->x0 + bx0 * BLOCK - pad, g->x0, g->x1);
	out->y0 = clampi(g->y0 + by0 * BLOCK - pad, g->y0, g->y1);
	out->x1 = clampi(g->x0 + (bx1 + 1) * BLOCK + pad, g->x0, g->x1);
	out->y1 = clampi(g->y0 + (by1 + 1) * BLOCK + pad, g->y0, g->y1);
}

static int by_cores(const void *a, const void *b)
{
	const tqk_zroi_region *x = a, *y = b;
	return (y->cores > x->cores) - (y->cores < x->cores);
}

tqk_err tqk_zroi_find(tqk_zroi *r, const uint8_t *px, int w, int h, size_t stride,
                      tqk_zroi_region *out, size_t cap, size_t *n)
{
	*n = 0;
	if (w < 1 || h < 1 || w > DIM_MAX || h > DIM_MAX || stride < (size_t)w)
		return TQK_E_ARG;
	tqk_err err = grid(r, w, h);
	if (err != TQK_OK)
		return err;
	r->t = noise_threshold(px, w, h, stride);
	count_steps(r, px, w, h, stride, r->t);
	classify(r);
	cores(r);
	size_t got = 0, cells = (size_t)r->gw * (size_t)r->gh;
	for (size_t i = 0; i < cells; i++) {
		if (!(r->c[i].cls & CORE))
			continue;
		tqk_zroi_region reg;
		if (grow(r, (int)i, w, h, &reg))
			continue; /* texture */
		if (got < cap) {
			out[got++] = reg;
		} else {
			/* Full: the smallest kept gives way to a larger one. */
			size_t small = 0;
			for (size_t k = 1; k < got; k++)
				if (out[k].cores < out[small].cores)
					small = k;
			if (got > 0 && out[small].cores < reg.cores)
				out[small] = reg;
		}
	}
	got = merge(out, got);
	qsort(out, got, sizeof *out, by_cores);
	*n = got;
	return TQK_OK;
}
