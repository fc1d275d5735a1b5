/*
 * barcode.c - grey test frames with barcodes (zint, libqrencode), placed,
 * rotated, blurred and noised deterministically; and frames of clutter.
 */
#include "barcode.h"

#include <math.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

#define SUPER 4 /* samples per pixel each way when drawing */

bc_frame *bc_frame_new(int w, int h, uint8_t grey)
{
	if (w < 1 || h < 1 || w > BC_FRAME_DIM_MAX || h > BC_FRAME_DIM_MAX)
		return NULL;
	bc_frame *f = malloc(sizeof *f);
	if (f == NULL)
		return NULL;
	f->px = malloc((size_t)w * (size_t)h);
	if (f->px == NULL) {
		free(f);
		return NULL;
	}
	memset(f->px, grey, (size_t)w * (size_t)h);
	f->w = w;
	f->h = h;
	return f;
}

void bc_frame_free(bc_frame *f)
{
	if (f == NULL)
		return;
	free(f->px);
	free(f);
}

void bc_matrix_free(bc_matrix *m)
{
	if (m == NULL)
		return;
	free(m->dark);
	m->dark = NULL;
	m->rows = m->cols = 0;
}

/* A linear code through zint: one row of modules read back from the raster
 * zint draws at one pixel a module (scale 0.5), without quiet zones or text. */
static int zint_linear(int symbology, const char *data, size_t len, int quiet, bc_matrix *out)
{
	memset(out, 0, sizeof *out);
	if (data == NULL || len == 0 || len > BC_DATA_MAX)
		return -1;
	struct zint_symbol *sym = ZBarcode_Create();
	if (sym == NULL)
		return -1;
	sym->symbology = symbology;
	sym->input_mode = DATA_MODE;
	sym->scale = 0.5f;
	sym->height = 4.0f;
	sym->show_hrt = 0;
	sym->output_options = BARCODE_NO_QUIET_ZONES;
	int rc = -1;
	if (ZBarcode_Encode_and_Buffer(sym, (const unsigned char *)data, (int)len, 0) < 5 &&
	    sym->bitmap != NULL && sym->bitmap_width > 0 && sym->bitmap_height > 0 &&
	    sym->bitmap_width <= BC_FRAME_DIM_MAX) {
		out->dark = malloc((size_t)sym->bitmap_width);
		if (out->dark != NULL) {
			/* The middle row: RGB triplets, dark where red is. */
			const unsigned char *row = sym->bitmap +
				(size_t)(sym->bitmap_height / 2) * (size_t)sym->bitmap_width * 3;
			for (int x = 0; x < sym->bitmap_width; x++)
				out->dark[x] = row[3 * x] < 128;
			out->rows = 1;
			out->cols = sym->bitmap_width;
			out->quiet = quiet;
			rc = 0;
		}
	}
	ZBarcode_Delete(sym);
	return rc;
}

int bc_code128(const char *data, size_t len, bc_matrix *out)
{
	return zint_linear(BARCODE_CODE128, data, len, 10, out);
}

int bc_code39(const char *data, size_t len, bc_matrix *out)
{
	return zint_linear(BARCODE_CODE39, data, len, 10, out);
}

int bc_qr(const char *data, size_t len, bc_matrix *out)
{
	memset(out, 0, sizeof *out);
	if (data == NULL || len == 0 || len > BC_DATA_MAX)
		return -1;
	QRcode *qr = QRcode_encodeData((int)len, (const unsigned char *)data, 0, QR_ECLEVEL_M);
	if (qr == NULL)
		return -1;
	size_t n = (size_t)qr->width * (size_t)qr->width;
	out->dark = malloc(n);
	if (out->dark == NULL) {
		QRcode_free(qr);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		out->dark[i] = qr->data[i] & 1;
	out->rows = out->cols = qr->width;
	out->quiet = 4;
	QRcode_free(qr);
	return 0;
}

bc_place bc_place_default(int w, int h)
{
	return (bc_place){
		.cx = w / 2.0, .cy = h / 2.0, .module = 3.0, .bar_height = 0.0,
		.angle = 0.0, .ink = 20, .paper = 235,
	};
}

/* The symbol's size in modules with its quiet zone (and, for linear codes,
 * a margin of two modules above and below the bars). */
static void symbol_size(const bc_matrix *m, const bc_place *p, double *W, double *H,
                        double *bar_h)
{
	*W = m->cols + 2.0 * m->quiet;
	if (m->rows == 1) {
		*bar_h = p->bar_height > 0 ? p->bar_height : 0.25 * m->cols;
		*H = *bar_h + 4.0;
	} else {
		*bar_h = 0;
		*H = m->rows + 2.0 * m->quiet;
	}
}

void bc_extent(const bc_frame *f, const bc_matrix *m, const bc_place *p, int *x0, int *y0,
               int *x1, int *y1)
{
	double W, H, bar_h;
	symbol_size(m, p, &W, &H, &bar_h);
	double a = p->angle * M_PI / 180.0, c = cos(a), s = sin(a);
	double hw = W * p->module / 2, hh = H * p->module / 2;
	/* Half extents of the rotated rectangle. */
	double ex = fabs(hw * c) + fabs(hh * s), ey = fabs(hw * s) + fabs(hh * c);
	double fx0 = floor(p->cx - ex) - 1, fy0 = floor(p->cy - ey) - 1;
	double fx1 = ceil(p->cx + ex) + 1, fy1 = ceil(p->cy + ey) + 1;
	*x0 = fx0 < 0 ? 0 : fx0 > f->w ? f->w : (int)fx0;
	*y0 = fy0 < 0 ? 0 : fy0 > f->h ? f->h : (int)fy0;
	*x1 = fx1 < 0 ? 0 : fx1 > f->w ? f->w : (int)fx1;
	*y1 = fy1 < 0 ? 0 : fy1 > f->h ? f->h : (int)fy1;
}

void bc_draw(bc_frame *f, const bc_matrix *m, const bc_place *p)
{
	if (m->dark == NULL || p->module <= 0)
		return;
	double W, H, bar_h;
	symbol_size(m, p, &W, &H, &bar_h);
	double a = p->angle * M_PI / 180.0, c = cos(a), s = sin(a);
	int x0, y0, x1, y1;
	bc_extent(f, m, p, &x0, &y0, &x1, &y1);
	for (int y = y0; y < y1; y++) {
		for (int x = x0; x < x1; x++) {
			int sum = 0, inside = 0;
			for (int sy = 0; sy < SUPER; sy++) {
				for (int sx = 0; sx < SUPER; sx++) {
					double dx = x + (sx + 0.5) / SUPER - p->cx;
					double dy = y + (sy + 0.5) / SUPER - p->cy;
					/* Inverse rotation into symbol modules. */
					double u = (dx * c - dy * s) / p->module + W / 2;
					double v = (dx * s + dy * c) / p->module + H / 2;
					if (u < 0 || v < 0 || u >= W || v >= H)
						continue;
					inside++;
					int col = (int)u - m->quiet, dark = 0;
					if (m->rows == 1) {
						dark = v >= 2.0 && v < 2.0 + bar_h && col >= 0 &&
						       col < m->cols && m->dark[col];
					} else {
						int row = (int)v - m->quiet;
						dark = row >= 0 && row < m->rows && col >= 0 &&
						       col < m->cols &&
						       m->dark[(size_t)row * (size_t)m->cols + (size_t)col];
					}
					sum += dark ? p->ink : p->paper;
				}
			}
			if (inside == 0)
				continue;
			uint8_t *px = &f->px[(size_t)y * (size_t)f->w + (size_t)x];
			sum += (SUPER * SUPER - inside) * *px;
			*px = (uint8_t)((sum + SUPER * SUPER / 2) / (SUPER * SUPER));
		}
	}
}

uint64_t bc_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

double bc_uniform(uint64_t *state, double lo, double hi)
{
	return lo + (hi - lo) * (double)(bc_rand(state) >> 11) / 9007199254740992.0;
}

static uint8_t clamp8(double v)
{
	return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)(v + 0.5);
}

void bc_noise(bc_frame *f, double sigma, uint64_t seed)
{
	uint64_t st = seed;
	size_t n = (size_t)f->w * (size_t)f->h;
	/* Four uniform draws of 16 bits from one 64-bit number: their sum has
	 * variance 4/12 of the unit range, hence the factor sqrt(3). */
	double k = sigma * sqrt(3.0) / 65536.0;
	for (size_t i = 0; i < n; i++) {
		uint64_t r = bc_rand(&st);
		double sum = (double)(r & 0xffff) + (double)((r >> 16) & 0xffff) +
		             (double)((r >> 32) & 0xffff) + (double)(r >> 48) - 2.0 * 65535.0;
		f->px[i] = clamp8(f->px[i] + sum * k);
	}
}

/* One box pass of radius r along rows (dx 1) or columns: n samples of
 * stride step starting at base, through tmp. */
static void box_line(uint8_t *base, size_t step, int n, int r, uint8_t *tmp)
{
	for (int i = 0; i < n; i++)
		tmp[i] = base[(size_t)i * step];
	int sum = 0;
	for (int i = -r; i <= r; i++)
		sum += tmp[i < 0 ? 0 : i >= n ? n - 1 : i];
	for (int i = 0; i < n; i++) {
		base[(size_t)i * step] = (uint8_t)((sum + r) / (2 * r + 1));
		int out = i - r, in = i + r + 1;
		sum += tmp[in >= n ? n - 1 : in] - tmp[out < 0 ? 0 : out];
	}
}

int bc_blur(bc_frame *f, int r)
{
	if (r < 1 || r > 8)
		return -1;
	uint8_t *tmp = malloc((size_t)(f->w > f->h ? f->w : f->h));
	if (tmp == NULL)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		for (int y = 0; y < f->h; y++)
			box_line(f->px + (size_t)y * (size_t)f->w, 1, f->w, r, tmp);
		for (int x = 0; x < f->w; x++)
			box_line(f->px + x, (size_t)f->w, f->h, r, tmp);
	}
	free(tmp);
	return 0;
}

void bc_contrast(bc_frame *f, uint8_t lo, uint8_t hi)
{
	size_t n = (size_t)f->w * (size_t)f->h;
	for (size_t i = 0; i < n; i++)
		f->px[i] = (uint8_t)(lo + f->px[i] * (hi - lo) / 255);
}

/* A thick segment from (ax, ay) to (bx, by) of half-width hw in grey g. */
static void segment(bc_frame *f, double ax, double ay, double bx, double by, double hw,
                    uint8_t g)
{
	int x0 = (int)floor(fmin(ax, bx) - hw), x1 = (int)ceil(fmax(ax, bx) + hw);
	int y0 = (int)floor(fmin(ay, by) - hw), y1 = (int)ceil(fmax(ay, by) + hw);
	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > f->w ? f->w : x1;
	y1 = y1 > f->h ? f->h : y1;
	double vx = bx - ax, vy = by - ay, len2 = vx * vx + vy * vy;
	for (int y = y0; y < y1; y++) {
		for (int x = x0; x < x1; x++) {
			double px = x + 0.5 - ax, py = y + 0.5 - ay;
			double t = len2 > 0 ? (px * vx + py * vy) / len2 : 0;
			t = t < 0 ? 0 : t > 1 ? 1 : t;
			double ex = px - t * vx, ey = py - t * vy;
			if (ex * ex + ey * ey <= hw * hw)
				f->px[(size_t)y * (size_t)f->w + (size_t)x] = g;
		}
	}
}

static void ellipse(bc_frame *f, double cx, double cy, double rx, double ry, uint8_t g)
{
	int x0 = (int)(cx - rx), x1 = (int)(cx + rx) + 1;
	int y0 = (int)(cy - ry), y1 = (int)(cy + ry) + 1;
	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > f->w ? f->w : x1;
	y1 = y1 > f->h ? f->h : y1;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			double u = (x + 0.5 - cx) / rx, v = (y + 0.5 - cy) / ry;
			if (u * u + v * v <= 1)
				f->px[(size_t)y * (size_t)f->w + (size_t)x] = g;
		}
}

void bc_clutter(bc_frame *f, uint64_t seed)
{
	uint64_t st = seed ^ 0x5eed5eedull;
	/* Lighting: a linear gradient plus a soft vignette. */
	double g0 = bc_uniform(&st, 110, 210), gx = bc_uniform(&st, -60, 60);
	double gy = bc_uniform(&st, -40, 40);
	for (int y = 0; y < f->h; y++)
		for (int x = 0; x < f->w; x++) {
			double u = (double)x / f->w - 0.5, v = (double)y / f->h - 0.5;
			double g = g0 + gx * u + gy * v - 50 * (u * u + v * v);
			f->px[(size_t)y * (size_t)f->w + (size_t)x] = clamp8(g);
		}
	/* Blobs: a hand, a sleeve, a chair in the background. */
	int blobs = 2 + (int)(bc_rand(&st) % 4);
	for (int i = 0; i < blobs; i++)
		ellipse(f, bc_uniform(&st, 0, f->w), bc_uniform(&st, 0, f->h),
		        bc_uniform(&st, 20, f->w / 5.0), bc_uniform(&st, 20, f->h / 4.0),
		        (uint8_t)bc_uniform(&st, 30, 230));
	/* Ruled lines, as on a form. */
	int rules = 2 + (int)(bc_rand(&st) % 5);
	for (int i = 0; i < rules; i++) {
		double y = bc_uniform(&st, 0, f->h), x = bc_uniform(&st, 0, f->w);
		if (bc_rand(&st) & 1)
			segment(f, 0, y, f->w, y + bc_uniform(&st, -10, 10), 1.0, 40);
		else
			segment(f, x, 0, x + bc_uniform(&st, -10, 10), f->h, 1.0, 40);
	}
	/* Lines of text-like glyphs: strokes in cells, in rows. */
	int lines = 4 + (int)(bc_rand(&st) % 10);
	for (int l = 0; l < lines; l++) {
		double cell = bc_uniform(&st, 8, 30);
		double x = bc_uniform(&st, 0, f->w * 0.6), y = bc_uniform(&st, 0, f->h);
		int glyphs = 5 + (int)(bc_rand(&st) % 40);
		double hw = cell * bc_uniform(&st, 0.04, 0.12);
		uint8_t ink = (uint8_t)bc_uniform(&st, 10, 80);
		for (int g = 0; g < glyphs && x < f->w; g++, x += cell * 1.1) {
			int strokes = 2 + (int)(bc_rand(&st) % 5);
			for (int k = 0; k < strokes; k++) {
				double ax = x + bc_uniform(&st, 0, cell), ay = y + bc_uniform(&st, 0, cell);
				double bx = x + bc_uniform(&st, 0, cell), by = y + bc_uniform(&st, 0, cell);
				/* Mostly horizontal and vertical strokes, as in Hanzi. */
				switch (bc_rand(&st) % 3) {
				case 0:
					by = ay;
					break;
				case 1:
					bx = ax;
					break;
				default:
					break;
				}
				segment(f, ax, ay, bx, by, hw, ink);
			}
		}
	}
	/* A textured patch (a photo on an ID card, a patterned shirt). */
	int px0 = (int)bc_uniform(&st, 0, f->w * 0.8), py0 = (int)bc_uniform(&st, 0, f->h * 0.8);
	int pw = (int)bc_uniform(&st, 20, f->w / 5.0), ph = (int)bc_uniform(&st, 20, f->h / 4.0);
	for (int y = py0; y < py0 + ph && y < f->h; y++)
		for (int x = px0; x < px0 + pw && x < f->w; x++)
			f->px[(size_t)y * (size_t)f->w + (size_t)x] =
				(uint8_t)(60 + (bc_rand(&st) % 140));
}
