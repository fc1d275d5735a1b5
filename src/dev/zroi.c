/*
 * zroi.c - regions of a grey frame that may hold a barcode (see zroi.h):
 * the noise estimate, the step counts per cell, and the grouping of dense
 * cells into regions.
 */
#include "dev/zroi.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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

enum { C_NONE = 0, C_ACROSS, C_DOWN, C_MIXED, CORE = 4, SEEN = 8 };

/* What the pass saw in one cell. */
typedef struct zcell {
	uint8_t across, down;    /* steps */
	uint8_t edges;           /* steps across that start an edge */
	uint8_t cls;             /* C_* and CORE */
	uint16_t d1, d2;         /* sums of |p[x+1] - p[x]| and |p[x+2] - p[x]| on
	                            the cell's first sampled row */
} zcell;

struct tqk_zroi {
	int gw, gh;              /* the grid of the last frame */
	size_t cap;              /* cells allocated */
	zcell *c;
	int32_t *queue;          /* cells of the region being grown */
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
	free(r);
}

static tqk_err grid(tqk_zroi *r, int w, int h)
{
	r->gw = (w + CELL - 1) / CELL;
	r->gh = (h + CELL - 1) / CELL;
	size_t n = (size_t)r->gw * (size_t)r->gh;
	if (n > r->cap) {
		zcell *c = realloc(r->c, n * sizeof *c);
		if (c == NULL)
			return TQK_E_NOMEM;
		r->c = c;
		int32_t *q = realloc(r->queue, n * sizeof *q);
		if (q == NULL)
			return TQK_E_NOMEM;
		r->queue = q;
		r->cap = n;
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
	unsigned hist[256] = {0};
	unsigned total = 0;
	for (int y = CELL / 2; y < h; y += CELL) {
		const uint8_t *row = px + (size_t)y * stride;
		for (int x = 0; x + 2 < w; x += 2) {
			hist[absdiff(row[x + 2], row[x])]++;
			total++;
		}
	}
	unsigned seen = 0, median = 0;
	while (median < 255 && (seen += hist[median]) <= total / 2)
		median++;
	int t = T_NOISE * (int)median;
	return t < T_MIN ? T_MIN : t > 128 ? 128 : t;
}

/* One sample across at x of row: a step, maybe the start of an edge. */
#define ACROSS(x)                                                              \
	do {                                                                   \
		int step_ = row[(x) + 2] - row[(x)];                           \
		int sign_ = (step_ > t) - (step_ < -t);                        \
		a += sign_ != 0;                                               \
		e += (sign_ != 0) & (sign_ != prev);                           \
		prev = sign_;                                                  \
	} while (0)

/* The counts of every cell, on its rows 2, 6, 10 and 14, every second
 * column. A step across that follows no step of the same sign starts an
 * edge: a blurred edge is several steps but one edge. Steps down go from
 * row y to y + 2 in every other sampled column and from y + 2 to y + 4 in
 * the others, so that no row is skipped. The texture sums d1 and d2 come
 * from the first of a cell's four rows only. */
static void count_steps(tqk_zroi *r, const uint8_t *px, int w, int h, size_t stride, int t)
{
	for (int y = 2; y + 2 < h; y += 4) {
		const uint8_t *row = px + (size_t)y * stride, *below = row + 2 * stride;
		const uint8_t *next = y + 4 < h ? below + 2 * stride : below;
		bool texture = y % CELL == 2;
		zcell *c = r->c + (size_t)(y / CELL) * (size_t)r->gw;
		int prev = 0;
		for (int x0 = 0; x0 < w; x0 += CELL, c++) {
			int end = x0 + CELL < w - 2 ? x0 + CELL : w - 2;
			unsigned a = 0, d = 0, e = 0;
			int x = x0;
			for (; x + 2 < end; x += 4) {
				ACROSS(x);
				ACROSS(x + 2);
				d += (unsigned)(absdiff(below[x], row[x]) > t) +
				     (unsigned)(absdiff(next[x + 2], below[x + 2]) > t);
			}
			for (; x < end; x += 2) {
				ACROSS(x);
				d += absdiff(below[x], row[x]) > t;
			}
			c->across = (uint8_t)(c->across + a);
			c->down = (uint8_t)(c->down + d);
			c->edges = (uint8_t)(c->edges + e);
			if (texture) {
				unsigned d1 = 0, d2 = 0;
				for (x = x0; x < end; x += 2) {
					d1 += (unsigned)absdiff(row[x + 1], row[x]);
					d2 += (unsigned)absdiff(row[x + 2], row[x]);
				}
				c->d1 = (uint16_t)d1;
				c->d2 = (uint16_t)d2;
			}
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
	r->c[start].cls = (uint8_t)((r->c[start].cls & ~CORE) | SEEN);
	while (head < tail) {
		int i = r->queue[head++], cx = i % gw, cy = i / gw;
		for (int y = cy - 2 < 0 ? 0 : cy - 2; y <= cy + 2 && y < gh; y++)
			for (int x = cx - 2 < 0 ? 0 : cx - 2; x <= cx + 2 && x < gw; x++) {
				zcell *k = &r->c[(size_t)y * (size_t)gw + (size_t)x];
				if (k->cls & CORE) {
					k->cls = (uint8_t)((k->cls & ~CORE) | SEEN);
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
	unsigned long sa = 0, sd = 0, d1 = 0, d2 = 0;
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
	count_steps(r, px, w, h, stride, noise_threshold(px, w, h, stride));
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
