/*
 * zscan.c - barcodes in grey frames through ZBar's image scanner, by
 * regions of interest (see zscan.h for the strategy and what it costs).
 *
 * Every scan ZBar makes here is of a copy: a region averaged across its
 * bars, a region scaled (resample.h), or a region, a band of whole lines
 * or the frame at full resolution. The one zbar_image_scanner_t is
 * reconfigured between scans (symbologies, scan directions, density); the
 * calls are cheap and skipped when nothing changes.
 */
#include "dev/zscan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <zbar.h>

#include "dev/resample.h"
#include "dev/zroi.h"

/* Frames this small are scanned whole: the analysis would not pay. */
#define SMALL_FRAME (320 * 240)
/* Mixed regions are scaled until a module is about this many pixels. ZBar
 * reads QR codes of 3 pixels a module and more nearly always, and misses
 * more and more of them below 2.5; time grows with the pixels it is
 * given. Scaling up small codes makes ZBar read codes of 1.6 pixels a
 * module that it does not read as they are. */
#define TARGET_MODULE 2.5
/* A region of modules under SMALL_MODULE pixels that gave nothing is
 * scanned again with its modules made SMALL_RETRY_MODULE pixels large. */
#define SMALL_MODULE 3.0
#define SMALL_RETRY_MODULE 3.5
/* A region that gave nothing is scanned again at full resolution when it
 * has this many core cells (clutter seldom has more than four). */
#define RETRY_CORES 6
/* The same for a linear region: noise can leave a code of small modules
 * with a few cores only. */
#define RETRY_LINEAR_CORES 3
/* and cores that span this many pixels along its bars' reading way: the
 * shortest code of ours (14 digits at a module of 1.5 pixels) spans 170,
 * an EAN-13 at one pixel a module 95; a few ruled lines, 32. */
#define LINEAR_LENGTH 64
/* A mixed region whose steps both across and down pair signs alike about
 * as often as unlike (within SLANT_MAX of their count, of at least
 * SLANT_SAMPLES) has edges two ways at right angles: a QR code or text,
 * not the bars of a tilted linear code. Measured on the generated codes:
 * QR codes 0 to 0.17, tilted Code 128 0.5 and more. */
#define SLANT_MAX 0.3
#define SLANT_SAMPLES 64
/* How far the cached box of a hit grows for the next frame (pixels). */
#define CACHE_GROW 48

#define LINEAR_SYMS (TQK_SYM_CODE128 | TQK_SYM_EAN13 | TQK_SYM_CODE39)

static const struct {
	unsigned bit;
	zbar_symbol_type_t type;
	const char *name;
	const char *word; /* in tqk_zscan_symbols_parse */
} symbols[] = {
	{TQK_SYM_QR, ZBAR_QRCODE, "QR-Code", "qr"},
	{TQK_SYM_CODE128, ZBAR_CODE128, "CODE-128", "code128"},
	{TQK_SYM_EAN13, ZBAR_EAN13, "EAN-13", "ean13"},
	{TQK_SYM_CODE39, ZBAR_CODE39, "CODE-39", "code39"},
};
#define N_SYMBOLS (sizeof symbols / sizeof symbols[0])

typedef struct box {
	int x0, y0, x1, y1;
} box;

/* How a copy's pixel (u, v) maps to the frame: (x0 + u * sx, y0 + v * sy). */
typedef struct view {
	int x0, y0;
	double sx, sy;
} view;

struct tqk_zscan {
	tqk_zscan_opts o;
	zbar_image_scanner_t *zs;
	tqk_zroi *roi;
	tqk_resampler *rs;
	uint8_t *work;           /* the copy ZBar scans */
	size_t work_cap;
	/* ZBar's configuration now: enabled TQK_SYM_* bits, scan-line spacing
	 * of columns (x) and rows (y), 0 for none. */
	unsigned cfg_syms;
	int cfg_x, cfg_y;
	bool cached;
	box cache;
	tqk_zscan_stats stats;   /* of the last decode */
	uint64_t rejects[TQK_ZSCAN_MAX_SYMBOLS]; /* hashes of this decode's rejected symbols */
	tqk_zroi_region reg[TQK_ZROI_MAX];
};

tqk_zscan_opts tqk_zscan_opts_default(void)
{
	return (tqk_zscan_opts){
		.symbols = TQK_SYM_DEFAULT, .density = 1, .speed = TQK_ZSCAN_FAST, .cache = false,
	};
}

const char *tqk_zscan_symbol_name(unsigned type)
{
	for (size_t i = 0; i < N_SYMBOLS; i++)
		if (symbols[i].bit == type)
			return symbols[i].name;
	return "?";
}

tqk_err tqk_zscan_symbols_parse(const char *s, unsigned *out)
{
	size_t len = strnlen(s, 257);
	if (len > 256)
		return TQK_E_TOO_LONG;
	unsigned bits = 0;
	const char *p = s;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
		unsigned bit = 0;
		if (n == 3 && strncasecmp(p, "all", 3) == 0)
			bit = TQK_SYM_ALL;
		for (size_t i = 0; i < N_SYMBOLS && bit == 0; i++)
			if (strlen(symbols[i].word) == n && strncasecmp(p, symbols[i].word, n) == 0)
				bit = symbols[i].bit;
		if (bit == 0)
			return TQK_E_ARG;
		bits |= bit;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	*out = bits;
	return TQK_OK;
}

/* Sets ZBar to the symbologies syms and the scan-line spacings x
 * (columns) and y (rows); 0 turns a direction off. */
static void configure(tqk_zscan *z, unsigned syms, int x, int y)
{
	if (syms != z->cfg_syms) {
		for (size_t i = 0; i < N_SYMBOLS; i++)
			if ((syms ^ z->cfg_syms) & symbols[i].bit)
				zbar_image_scanner_set_config(z->zs, symbols[i].type, ZBAR_CFG_ENABLE,
				                              (syms & symbols[i].bit) != 0);
		z->cfg_syms = syms;
	}
	if (x != z->cfg_x) {
		zbar_image_scanner_set_config(z->zs, 0, ZBAR_CFG_X_DENSITY, x);
		z->cfg_x = x;
	}
	if (y != z->cfg_y) {
		zbar_image_scanner_set_config(z->zs, 0, ZBAR_CFG_Y_DENSITY, y);
		z->cfg_y = y;
	}
}

tqk_err tqk_zscan_new(const tqk_zscan_opts *opts, tqk_zscan **out)
{
	*out = NULL;
	tqk_zscan_opts o = opts != NULL ? *opts : tqk_zscan_opts_default();
	if (o.symbols == 0)
		o.symbols = TQK_SYM_DEFAULT;
	if (o.density == 0)
		o.density = 1;
	if ((o.symbols & ~(unsigned)TQK_SYM_ALL) != 0 || o.density < 1 || o.density > 4 ||
	    (o.speed != TQK_ZSCAN_FAST && o.speed != TQK_ZSCAN_THOROUGH &&
	     o.speed != TQK_ZSCAN_PLAIN))
		return TQK_E_ARG;
	tqk_zscan *z = calloc(1, sizeof *z);
	if (z == NULL)
		return TQK_E_NOMEM;
	z->o = o;
	z->zs = zbar_image_scanner_create();
	z->roi = tqk_zroi_new();
	z->rs = tqk_resampler_new();
	if (z->zs == NULL || z->roi == NULL || z->rs == NULL) {
		tqk_zscan_free(z);
		return TQK_E_NOMEM;
	}
	/* Everything off, then ours on; QR data as the bytes in the symbol. */
	zbar_image_scanner_set_config(z->zs, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(z->zs, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
	z->cfg_x = z->cfg_y = 1; /* ZBar's defaults */
	configure(z, o.symbols, o.density, o.density);
	*out = z;
	return TQK_OK;
}

void tqk_zscan_free(tqk_zscan *z)
{
	if (z == NULL)
		return;
	if (z->zs != NULL)
		zbar_image_scanner_destroy(z->zs);
	tqk_zroi_free(z->roi);
	tqk_resampler_free(z->rs);
	free(z->work);
	free(z);
}

void tqk_zscan_last_stats(const tqk_zscan *z, tqk_zscan_stats *out)
{
	*out = z->stats;
}

void tqk_zscan_reset(tqk_zscan *z)
{
	z->cached = false;
}

/* A buffer of at least n bytes in *buf (capacity *cap), or NULL. */
static uint8_t *grow_buf(uint8_t **buf, size_t *cap, size_t n)
{
	if (n > *cap) {
		uint8_t *p = realloc(*buf, n);
		if (p == NULL)
			return NULL;
		*buf = p;
		*cap = n;
	}
	return *buf;
}

static unsigned bit_of(zbar_symbol_type_t t)
{
	for (size_t i = 0; i < N_SYMBOLS; i++)
		if (symbols[i].type == t)
			return symbols[i].bit;
	return 0;
}

/* FNV-1a of a symbol's type and data. */
static uint64_t sym_hash(unsigned type, const char *data, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull ^ type;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 0x100000001b3ull;
	return h;
}

/* Counts a symbol left out for why, once however often it is seen.
 * Returns true when it had not been seen in this decode. */
static bool reject(tqk_zscan *z, tqk_zscan_result *res, uint64_t hash, tqk_err why)
{
	size_t seen = res->rejected < TQK_ZSCAN_MAX_SYMBOLS ? res->rejected : TQK_ZSCAN_MAX_SYMBOLS;
	for (size_t i = 0; i < seen; i++)
		if (z->rejects[i] == hash)
			return false;
	if (res->rejected < TQK_ZSCAN_MAX_SYMBOLS)
		z->rejects[res->rejected] = hash;
	if (res->rejected++ == 0)
		res->reject_err = why;
	return true;
}

/* Keeps one symbol ZBar found in a copy mapped by v. Returns true when it
 * was new: kept, or left out for a reason (it was read all the same). */
static bool keep(tqk_zscan *z, tqk_zscan_result *res, const zbar_symbol_t *s, const view *v)
{
	unsigned bit = bit_of(zbar_symbol_get_type(s));
	const char *data = zbar_symbol_get_data(s);
	size_t len = zbar_symbol_get_data_length(s);
	if (bit == 0 || data == NULL)
		return false;
	for (size_t i = 0; i < res->n; i++)
		if (res->sym[i].type == bit && res->sym[i].len == len &&
		    memcmp(res->sym[i].data, data, len) == 0)
			return false;
	tqk_err why = TQK_OK;
	if (len > TQK_ZSCAN_DATA_CAP)
		why = TQK_E_TOO_LONG;
	else if (memchr(data, '\0', len) != NULL)
		why = TQK_E_SCAN_CHARS;
	else if (res->n == TQK_ZSCAN_MAX_SYMBOLS)
		why = TQK_E_TOO_LONG;
	if (why != TQK_OK)
		return reject(z, res, sym_hash(bit, data, len), why);
	tqk_zsym *o = &res->sym[res->n++];
	o->type = bit;
	o->name = tqk_zscan_symbol_name(bit);
	o->len = len;
	memcpy(o->data, data, len);
	o->data[len] = '\0';
	int u0 = 0, v0 = 0, u1 = 0, v1 = 0;
	unsigned n = zbar_symbol_get_loc_size(s);
	for (unsigned i = 0; i < n; i++) {
		int x = zbar_symbol_get_loc_x(s, i), y = zbar_symbol_get_loc_y(s, i);
		u0 = i == 0 || x < u0 ? x : u0;
		v0 = i == 0 || y < v0 ? y : v0;
		u1 = i == 0 || x > u1 ? x : u1;
		v1 = i == 0 || y > v1 ? y : v1;
	}
	o->x = v->x0 + (int)(u0 * v->sx);
	o->y = v->y0 + (int)(v0 * v->sy);
	o->w = (int)((u1 - u0 + 1) * v->sx + 0.5);
	o->h = (int)((v1 - v0 + 1) * v->sy + 0.5);
	return true;
}

/* ZBar on the w x h image px with the configuration given; symbols mapped
 * back to the frame by v. Returns the number of new symbols, or -1 when
 * out of memory. */
static int scan(tqk_zscan *z, const uint8_t *px, int w, int h, unsigned syms, int dx, int dy,
                const view *v, tqk_zscan_result *res)
{
	if (w < 1 || h < 1 || syms == 0)
		return 0;
	configure(z, syms, dx, dy);
	z->stats.scans++;
	/* Columns every dx pixels of h each, rows every dy of w each. */
	unsigned long area = (unsigned long)w * (unsigned long)h;
	z->stats.pixels += (dx > 0 ? area / (unsigned)dx : 0) + (dy > 0 ? area / (unsigned)dy : 0);
	zbar_image_t *img = zbar_image_create();
	if (img == NULL)
		return -1;
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, px, (unsigned long)w * (unsigned long)h, NULL);
	int found = 0;
	if (zbar_scan_image(z->zs, img) > 0)
		for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s != NULL;
		     s = zbar_symbol_next(s))
			found += keep(z, res, s, v);
	zbar_image_destroy(img);
	return found;
}

/* The box b of the frame at full resolution, scanned: the frame itself
 * when b is all of it and its rows are packed, else a copy. */
static int scan_full(tqk_zscan *z, const uint8_t *px, int fw, size_t stride, box b,
                     unsigned syms, int dx, int dy, tqk_zscan_result *res)
{
	int w = b.x1 - b.x0, h = b.y1 - b.y0;
	view v = {b.x0, b.y0, 1, 1};
	if (w == fw && stride == (size_t)fw)
		return scan(z, px + (size_t)b.y0 * stride, w, h, syms, dx, dy, &v, res);
	uint8_t *o = grow_buf(&z->work, &z->work_cap, (size_t)w * (size_t)h);
	if (o == NULL)
		return -1;
	for (int y = 0; y < h; y++)
		memcpy(o + (size_t)y * (size_t)w, px + (size_t)(b.y0 + y) * stride + (size_t)b.x0,
		       (size_t)w);
	return scan(z, o, w, h, syms, dx, dy, &v, res);
}

/* The box scaled by s (area averaging down, bilinear up), scanned both
 * ways. */
static int scan_scaled(tqk_zscan *z, const uint8_t *px, size_t stride, box b, double s,
                       unsigned syms, tqk_zscan_result *res)
{
	int bw = b.x1 - b.x0, bh = b.y1 - b.y0;
	int w = (int)(bw * s), h = (int)(bh * s);
	/* Rounding down must not leave a scale below the resampler's 1/4. */
	w = w * 4 < bw ? (bw + 3) / 4 : w;
	h = h * 4 < bh ? (bh + 3) / 4 : h;
	if (w < 1 || h < 1)
		return 0;
	uint8_t *o = grow_buf(&z->work, &z->work_cap, (size_t)w * (size_t)h);
	if (o == NULL || tqk_resample(z->rs, px + (size_t)b.y0 * stride + (size_t)b.x0, stride, bw,
	                              bh, o, w, h) != TQK_OK)
		return -1;
	view v = {b.x0, b.y0, (double)bw / w, (double)bh / h};
	return scan(z, o, w, h, syms, 1, 1, &v, res);
}

/* The box b scaled by s when scaled, else at full resolution. */
static int scan_box(tqk_zscan *z, const uint8_t *px, int fw, size_t stride, box b, bool scaled,
                    double s, unsigned syms, tqk_zscan_result *res)
{
	int d = z->o.density;
	return scaled ? scan_scaled(z, px, stride, b, s, syms, res)
	              : scan_full(z, px, fw, stride, b, syms, d, d, res);
}

/* A linear code's box averaged across its bars, 4 lines into one starting
 * phase lines in, and scanned along them only: rows when across, columns
 * when not. */
static int scan_averaged(tqk_zscan *z, const uint8_t *px, size_t stride, box b, bool across,
                         int phase, unsigned syms, tqk_zscan_result *res)
{
	if (across)
		b.y0 += phase;
	else
		b.x0 += phase;
	int bw = b.x1 - b.x0, bh = b.y1 - b.y0;
	int w = across ? bw : bw / 4, h = across ? bh / 4 : bh;
	uint8_t *o = grow_buf(&z->work, &z->work_cap, (size_t)w * (size_t)h);
	if (o == NULL)
		return -1;
	if (across) {
		for (int y = 0; y < h; y++) {
			const uint8_t *a = px + (size_t)(b.y0 + 4 * y) * stride + (size_t)b.x0;
			uint8_t *d = o + (size_t)y * (size_t)w;
			for (int x = 0; x < w; x++)
				d[x] = (uint8_t)((a[x] + a[x + stride] + a[x + 2 * stride] +
				                  a[x + 3 * stride] + 2) >> 2);
		}
		view v = {b.x0, b.y0, 1, 4};
		return scan(z, o, w, h, syms, 0, 1, &v, res);
	}
	for (int y = 0; y < h; y++) {
		const uint8_t *a = px + (size_t)(b.y0 + y) * stride + (size_t)b.x0;
		uint8_t *d = o + (size_t)y * (size_t)w;
		for (int x = 0; x < w; x++)
			d[x] = (uint8_t)((a[4 * x] + a[4 * x + 1] + a[4 * x + 2] + a[4 * x + 3] + 2) >> 2);
	}
	view v = {b.x0, b.y0, 4, 1};
	return scan(z, o, w, h, syms, 1, 0, &v, res);
}

/* Whether the mixed region r looks like a QR code (SLANT_MAX). */
static bool matrix_like(const tqk_zroi_region *r)
{
	unsigned long n = r->alike + r->unlike;
	unsigned long d = r->alike > r->unlike ? r->alike - r->unlike : r->unlike - r->alike;
	return n >= SLANT_SAMPLES && (double)d < SLANT_MAX * (double)n;
}

/* One region (zscan.h, steps 2 to 4): the cheap scans, then more when
 * they gave nothing and the region has the cores of a code. A linear
 * code's last chance is the band of whole rows (columns) it lies in,
 * scanned as plain ZBar scans them. */
static int scan_region(tqk_zscan *z, const uint8_t *px, int w, int h, size_t stride,
                       const tqk_zroi_region *r, tqk_zscan_result *res)
{
	box b = {r->x0, r->y0, r->x1, r->y1};
	unsigned all = z->o.symbols, linear = all & LINEAR_SYMS;
	int d = z->o.density, got;
	bool mixed = r->kind == TQK_ZROI_MIXED;
	bool codelike = mixed ? r->cores >= RETRY_CORES
	                      : r->cores >= RETRY_LINEAR_CORES && r->core1 - r->core0 >= LINEAR_LENGTH;
	if (!mixed) {
		if (linear == 0)
			return 0;
		bool across = r->kind == TQK_ZROI_ACROSS;
		got = scan_averaged(z, px, stride, b, across, 0, linear, res);
		if (got == 0)
			got = scan_averaged(z, px, stride, b, across, 2, linear, res);
		if (got != 0 || !codelike)
			return got;
		/* Even first lines keep ZBar's zig-zag in step with a whole frame. */
		box band = across ? (box){0, b.y0 & ~1, w, b.y1} : (box){b.x0 & ~1, 0, b.x1, h};
		return scan_full(z, px, w, stride, band, linear, across ? 0 : d, across ? d : 0, res);
	}
	double m = r->module > 0 ? r->module : TARGET_MODULE; /* unknown: as it is */
	double s = TARGET_MODULE / m;
	s = s < 0.25 ? 0.25 : s > 3 ? 3 : s;
	bool scaled = s < 0.9 || s > 1.1;
	/* A region with the cores of a code is first scanned in its trimmed
	 * box, for QR codes only when it looks like one (the linear decoders
	 * take a sixth of ZBar's time on a clean QR code, a quarter on a noisy
	 * one); when that gives nothing, the whole box is scanned for all
	 * symbologies, as any other region is (for those not looked for yet
	 * when the box is the same), and then come the retries. */
	box tb = b;
	unsigned first = all;
	if (codelike) {
		tqk_zroi_box t;
		tqk_zroi_trim(z->roi, px, stride, r, &t);
		tb = (box){t.x0, t.y0, t.x1, t.y1};
	}
	if (codelike && (all & TQK_SYM_QR) && matrix_like(r))
		first = TQK_SYM_QR;
	got = scan_box(z, px, w, stride, tb, scaled, s, first, res);
	if (got == 0 && codelike) {
		bool whole = tb.x0 == b.x0 && tb.y0 == b.y0 && tb.x1 == b.x1 && tb.y1 == b.y1;
		unsigned rest = whole ? all & ~first : all;
		if (rest != 0)
			got = scan_box(z, px, w, stride, b, scaled, s, rest, res);
	}
	if (got != 0 || !codelike)
		return got;
	/* Small modules: larger still, where ZBar is surest. */
	if (m < SMALL_MODULE) {
		double big = SMALL_RETRY_MODULE / m;
		got = scan_scaled(z, px, stride, b, big > 4 ? 4 : big, all, res);
		if (got != 0)
			return got;
	}
	return scaled ? scan_full(z, px, w, stride, b, all, d, d, res) : 0;
}

static int by_position(const void *a, const void *b)
{
	const tqk_zsym *x = a, *y = b;
	if (x->y != y->y)
		return (x->y > y->y) - (x->y < y->y);
	return (x->x > y->x) - (x->x < y->x);
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The FAST path; returns -1 when out of memory. */
static int fast(tqk_zscan *z, const uint8_t *px, int w, int h, size_t stride,
                tqk_zscan_result *res)
{
	unsigned all = z->o.symbols;
	int d = z->o.density;
	if ((long)w * h <= SMALL_FRAME)
		return scan_full(z, px, w, stride, (box){0, 0, w, h}, all, d, d, res);
	if (z->o.cache && z->cached) {
		box c = {clampi(z->cache.x0, 0, w), clampi(z->cache.y0, 0, h),
		         clampi(z->cache.x1, 0, w), clampi(z->cache.y1, 0, h)};
		int got = c.x1 > c.x0 && c.y1 > c.y0 ? scan_full(z, px, w, stride, c, all, d, d, res)
		                                       : 0;
		if (got != 0)
			return got;
	}
	size_t n;
	if (tqk_zroi_find(z->roi, px, w, h, stride, z->reg, TQK_ZROI_MAX, &n) != TQK_OK)
		return -1;
	z->stats.regions = (unsigned)n;
	int total = 0;
	for (size_t i = 0; i < n; i++) {
		int got = scan_region(z, px, w, h, stride, &z->reg[i], res);
		if (got < 0)
			return -1;
		total += got;
	}
	return total;
}

tqk_err tqk_zscan_decode(tqk_zscan *z, const uint8_t *px, int w, int h, size_t stride,
                         tqk_zscan_result *res)
{
	res->n = 0;
	res->rejected = 0;
	res->reject_err = TQK_OK;
	z->stats = (tqk_zscan_stats){0};
	if (w < 1 || h < 1 || w > TQK_ZSCAN_DIM_MAX || h > TQK_ZSCAN_DIM_MAX ||
	    stride < (size_t)w || px == NULL)
		return TQK_E_ARG;
	unsigned all = z->o.symbols;
	int d = z->o.density, got;
	box frame = {0, 0, w, h};
	if (z->o.speed == TQK_ZSCAN_PLAIN) {
		got = scan_full(z, px, w, stride, frame, all, d, d, res);
	} else {
		got = fast(z, px, w, h, stride, res);
		if (got == 0 && z->o.speed == TQK_ZSCAN_THOROUGH)
			got = scan_full(z, px, w, stride, frame, all, d, d, res);
	}
	if (got < 0) {
		res->n = 0;
		res->rejected = 0;
		res->reject_err = TQK_OK;
		return TQK_E_NOMEM;
	}
	qsort(res->sym, res->n, sizeof res->sym[0], by_position);
	if (z->o.cache) {
		z->cached = res->n > 0;
		if (z->cached) {
			box c = {w, h, 0, 0};
			for (size_t i = 0; i < res->n; i++) {
				const tqk_zsym *s = &res->sym[i];
				c.x0 = s->x < c.x0 ? s->x : c.x0;
				c.y0 = s->y < c.y0 ? s->y : c.y0;
				c.x1 = s->x + s->w > c.x1 ? s->x + s->w : c.x1;
				c.y1 = s->y + s->h > c.y1 ? s->y + s->h : c.y1;
			}
			z->cache = (box){clampi(c.x0 - CACHE_GROW, 0, w), clampi(c.y0 - CACHE_GROW, 0, h),
			                 clampi(c.x1 + CACHE_GROW, 0, w), clampi(c.y1 + CACHE_GROW, 0, h)};
		}
	}
	return TQK_OK;
}
