/*
 * bench_zscan.c - milliseconds per 1280x720 camera frame: our FAST path
 * (zscan.h) against bare zbar_scan_image with ZBar's default
 * configuration, measured in the same run on the same frames, with the
 * detection rate of each.
 *
 * Frames come from tests/support/scene.h, seeded: clutter (text-like
 * strokes, ruled lines, blobs, a textured patch) with no code, a Code 128
 * (17 digits), a QR code (170 bytes) or both, clean or with noise of sigma
 * 10, modules of 2 to 5 pixels unless a class says otherwise. Besides the
 * baseline and FAST, the same frames go through the cheap tricks on their
 * own, to show what each is worth: ZBar restricted to QR + Code 128, the
 * same at scan density 2, and the same on the frame scaled down by 2.
 * Each frame is timed once per method, the methods in turn frame after
 * frame so that all see the same noise of a shared machine; read the
 * medians.
 *
 * A code counts as detected by a method when it returned the code's exact
 * data; "missed" counts codes ZBar's default found and FAST did not (the
 * promise of zscan.h), "extra" symbols that are not in the frame.
 *
 *   bench_zscan [frames per class]     default 60
 *
 * It reports and never fails on time; it exits 1 only when a call fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zbar.h>

#include "bench.h"
#include "dev/zscan.h"
#include "support/scene.h"

#define FRAMES_DEFAULT 60
#define FRAMES_MAX 1000
#define TARGET_MS 3.0

/* The methods timed on every frame. */
enum { M_ZBAR, M_RESTRICTED, M_DENSITY2, M_HALF, M_FAST, M_COUNT };

static const char *const method_name[M_COUNT] = {
	"ZBar default (baseline)", "ZBar qr+code128", "ZBar qr+code128, density 2",
	"ZBar qr+code128, half size", "FAST (zscan)",
};

typedef struct klass {
	const char *name;
	sc_spec spec;
} klass;

typedef struct method_stats {
	bench_samples ms;
	unsigned found, extra;
} method_stats;

typedef struct bench {
	zbar_image_scanner_t *zbar[M_HALF + 1];
	tqk_zscan *fast;
	uint8_t *half;
	tqk_zscan_result *res;
} bench;

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "bench_zscan: %s\n", what);
	exit(1);
}

/* Whether data (len bytes) is code c's. */
static bool holds(const char *data, size_t len, const sc_code *c)
{
	return len == c->len && memcmp(data, c->data, len) == 0;
}

/* Runs ZBar scanner zs on img (w x h) and scores its symbols against the
 * codes: found and extra are added to. */
static void zbar_run(zbar_image_scanner_t *zs, const uint8_t *px, int w, int h,
                     const sc_code *codes, size_t n, bool found[2], unsigned *extra)
{
	zbar_image_t *img = zbar_image_create();
	if (img == NULL)
		die("zbar_image_create failed");
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)w, (unsigned)h);
	zbar_image_set_data(img, px, (unsigned long)w * (unsigned long)h, NULL);
	if (zbar_scan_image(zs, img) < 0)
		die("zbar_scan_image failed");
	for (const zbar_symbol_t *s = zbar_image_first_symbol(img); s != NULL;
	     s = zbar_symbol_next(s)) {
		bool known = false;
		for (size_t i = 0; i < n; i++)
			if (holds(zbar_symbol_get_data(s), zbar_symbol_get_data_length(s), &codes[i])) {
				found[i] = true;
				known = true;
			}
		*extra += !known;
	}
	zbar_image_destroy(img);
}

/* One method on one frame: its time, what it found. */
static double run(bench *b, int m, const bc_frame *f, const sc_code *codes, size_t n,
                  bool found[2], unsigned *extra)
{
	found[0] = found[1] = false;
	double t0 = bench_now_ms();
	if (m == M_FAST) {
		if (tqk_zscan_decode(b->fast, f->px, f->w, f->h, (size_t)f->w, b->res) != TQK_OK)
			die("tqk_zscan_decode failed");
		for (size_t k = 0; k < b->res->n; k++) {
			bool known = false;
			for (size_t i = 0; i < n; i++)
				if (holds(b->res->sym[k].data, b->res->sym[k].len, &codes[i])) {
					found[i] = true;
					known = true;
				}
			*extra += !known;
		}
	} else if (m == M_HALF) {
		int w = f->w / 2, h = f->h / 2;
		for (int y = 0; y < h; y++) {
			const uint8_t *a = f->px + (size_t)(2 * y) * (size_t)f->w, *c = a + f->w;
			for (int x = 0; x < w; x++)
				b->half[(size_t)y * (size_t)w + (size_t)x] =
					(uint8_t)((a[2 * x] + a[2 * x + 1] + c[2 * x] + c[2 * x + 1] + 2) >> 2);
		}
		zbar_run(b->zbar[m], b->half, w, h, codes, n, found, extra);
	} else {
		zbar_run(b->zbar[m], f->px, f->w, f->h, codes, n, found, extra);
	}
	return bench_now_ms() - t0;
}

static zbar_image_scanner_t *restricted(int density)
{
	zbar_image_scanner_t *zs = zbar_image_scanner_create();
	if (zs == NULL)
		die("zbar_image_scanner_create failed");
	zbar_image_scanner_set_config(zs, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(zs, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(zs, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
	zbar_image_scanner_set_config(zs, 0, ZBAR_CFG_X_DENSITY, density);
	zbar_image_scanner_set_config(zs, 0, ZBAR_CFG_Y_DENSITY, density);
	return zs;
}

static void class_run(bench *b, const klass *k, unsigned frames)
{
	method_stats st[M_COUNT];
	memset(st, 0, sizeof st);
	bench_samples cpu_fast = {0}, cpu_zbar = {0};
	unsigned codes_total = 0, missed = 0;
	bench_samples zbar_pixels = {0};
	for (unsigned i = 0; i < frames; i++) {
		bc_frame *f = NULL;
		sc_code codes[2];
		size_t n = 0;
		if (sc_make(&k->spec, 1000003u * (i + 1) + (uint64_t)k->spec.codes * 7919u +
		                          (uint64_t)(k->spec.noise * 131) +
		                          (uint64_t)(k->spec.module_lo * 17),
		            &f, codes, &n) != 0)
			die("sc_make failed");
		codes_total += (unsigned)n;
		bool got[M_COUNT][2];
		/* The methods in turn, starting with another one each frame. */
		for (int j = 0; j < M_COUNT; j++) {
			int m = (int)((i + (unsigned)j) % M_COUNT);
			double c0 = cpu_ms();
			double ms = run(b, m, f, codes, n, got[m], &st[m].extra);
			double cpu = cpu_ms() - c0;
			bench_add(&st[m].ms, ms);
			if (m == M_FAST) {
				bench_add(&cpu_fast, cpu);
				tqk_zscan_stats zs;
				tqk_zscan_last_stats(b->fast, &zs);
				bench_add(&zbar_pixels, (double)zs.pixels);
			} else if (m == M_ZBAR) {
				bench_add(&cpu_zbar, cpu);
			}
		}
		for (size_t c = 0; c < n; c++) {
			for (int m = 0; m < M_COUNT; m++)
				st[m].found += got[m][c];
			missed += got[M_ZBAR][c] && !got[M_FAST][c];
		}
		bc_frame_free(f);
	}
	printf("\n%s: %u frames, %u codes\n", k->name, frames, codes_total);
	bench_header();
	char name[96], target[48], ratio[64];
	double base = bench_pct(&st[M_ZBAR].ms, 50);
	for (int m = 0; m < M_COUNT; m++) {
		snprintf(name, sizeof name, "%s", method_name[m]);
		target[0] = '\0';
		if (m == M_FAST)
			snprintf(target, sizeof target, "p50 < %.0f ms: %s", TARGET_MS,
			         bench_pct(&st[m].ms, 50) < TARGET_MS ? "met" : "missed");
		double p50 = bench_pct(&st[m].ms, 50);
		snprintf(ratio, sizeof ratio, "%.1fx faster", p50 > 0 ? base / p50 : 0);
		if (m == M_ZBAR)
			ratio[0] = '\0';
		bench_row(name, &st[m].ms, target, ratio);
	}
	for (int m = 0; m < M_COUNT; m++) {
		snprintf(name, sizeof name, "  found by %s", method_name[m]);
		snprintf(ratio, sizeof ratio, "%u of %u, %u extra", st[m].found, codes_total,
		         st[m].extra);
		bench_note_row(name, st[m].found, "", ratio);
	}
	snprintf(ratio, sizeof ratio, "%u", missed);
	bench_note_row("  found by ZBar default, missed by FAST", missed, "0", ratio);
	snprintf(ratio, sizeof ratio, "FAST %.2f ms, ZBar %.2f ms", bench_pct(&cpu_fast, 50),
	         bench_pct(&cpu_zbar, 50));
	bench_note_row("  thread CPU time, p50", cpu_fast.n, "", ratio);
	snprintf(ratio, sizeof ratio, "%.0f (%.1f%% of ZBar's %u)", bench_pct(&zbar_pixels, 50),
	         100.0 * bench_pct(&zbar_pixels, 50) / (2.0 * k->spec.w * k->spec.h),
	         2 * k->spec.w * k->spec.h);
	bench_note_row("  pixels FAST hands ZBar, p50", zbar_pixels.n, "", ratio);
	for (int m = 0; m < M_COUNT; m++)
		bench_free(&st[m].ms);
	bench_free(&cpu_fast);
	bench_free(&cpu_zbar);
	bench_free(&zbar_pixels);
}

int main(int argc, char **argv)
{
	long frames = FRAMES_DEFAULT;
	if (argc > 1) {
		char *end;
		frames = strtol(argv[1], &end, 10);
		if (*end != '\0' || frames < 1 || frames > FRAMES_MAX)
			die("usage: bench_zscan [frames per class, 1..1000]");
	}
	bench b = {0};
	b.zbar[M_ZBAR] = zbar_image_scanner_create(); /* ZBar's defaults, untouched */
	if (b.zbar[M_ZBAR] == NULL)
		die("zbar_image_scanner_create failed");
	b.zbar[M_RESTRICTED] = restricted(1);
	b.zbar[M_DENSITY2] = restricted(2);
	b.zbar[M_HALF] = restricted(1);
	if (tqk_zscan_new(NULL, &b.fast) != TQK_OK)
		die("tqk_zscan_new failed");
	b.half = malloc((size_t)640 * 360);
	b.res = malloc(sizeof *b.res);
	if (b.half == NULL || b.res == NULL)
		die("out of memory");

	klass classes[] = {
		{"no code, clean", sc_spec_default(0)},
		{"no code, noisy (sigma 10)", sc_spec_default(0)},
		{"Code 128, clean", sc_spec_default(SC_CODE128)},
		{"Code 128, noisy (sigma 10)", sc_spec_default(SC_CODE128)},
		{"QR, clean", sc_spec_default(SC_QR)},
		{"QR, noisy (sigma 10)", sc_spec_default(SC_QR)},
		{"Code 128 + QR, clean", sc_spec_default(SC_CODE128 | SC_QR)},
		{"QR far off: modules 1.5 to 2.5 pixels, clean", sc_spec_default(SC_QR)},
		{"QR close up: modules 5 to 8 pixels, clean", sc_spec_default(SC_QR)},
	};
	classes[1].spec.noise = classes[3].spec.noise = classes[5].spec.noise = 10;
	classes[7].spec.module_lo = 1.5;
	classes[7].spec.module_hi = 2.5;
	classes[8].spec.module_lo = 5;
	classes[8].spec.module_hi = 8;

	printf("bench_zscan: 1280x720 grey frames, %ld a class; wall-clock ms per frame\n", frames);
	/* Warm-up: libraries, caches, allocations. */
	for (int i = 0; i < 3; i++) {
		bc_frame *f = NULL;
		sc_code c[2];
		size_t n;
		if (sc_make(&classes[6].spec, 7 + (uint64_t)i, &f, c, &n) != 0)
			die("sc_make failed");
		bool got[2];
		unsigned extra = 0;
		for (int m = 0; m < M_COUNT; m++)
			run(&b, m, f, c, n, got, &extra);
		bc_frame_free(f);
	}
	for (size_t k = 0; k < sizeof classes / sizeof classes[0]; k++)
		class_run(&b, &classes[k], (unsigned)frames);

	for (int m = 0; m <= M_HALF; m++)
		zbar_image_scanner_destroy(b.zbar[m]);
	tqk_zscan_free(b.fast);
	free(b.half);
	free(b.res);
	return 0;
}
