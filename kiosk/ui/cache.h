/*
 * cache.h - the string cache of the kiosk UI: rendered strings as
 * SDL_Textures keyed by (font size, colour, text), a fixed table of
 * TQK_UI_CACHE_N entries, the least recently used evicted (its texture
 * destroyed) when a new string needs a place.
 */
#ifndef TQK_KIOSK_UI_CACHE_H
#define TQK_KIOSK_UI_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <SDL.h>
#include <SDL_ttf.h>

#define TQK_UI_CACHE_N 256
#define TQK_UI_CACHE_KEY_CAP 512   /* bytes of a cached string; longer ones are rendered each time */

typedef struct tqk_ui_cache_entry {
	SDL_Texture *tex;          /* NULL: the entry is free */
	uint64_t hash;
	uint64_t used;             /* the tick of the last lookup */
	int font;
	uint32_t color;
	int w, h;
	size_t len;
	char text[TQK_UI_CACHE_KEY_CAP];
} tqk_ui_cache_entry;

typedef struct tqk_ui_cache {
	tqk_ui_cache_entry e[TQK_UI_CACHE_N];
	uint64_t tick;
	size_t renders;            /* strings rendered with SDL_ttf so far */
	size_t count;              /* entries in use */
} tqk_ui_cache;

/*
 * The texture of s (len bytes, len > 0) in font (index f) and colour c
 * (0xRRGGBBAA), rendered and cached on a miss; its size in *w, *h. NULL when
 * SDL_ttf or SDL fails. A string longer than the key cap is rendered into a
 * texture the caller must destroy: *owned tells.
 */
SDL_Texture *tqk_ui_cache_get(tqk_ui_cache *c, SDL_Renderer *r, TTF_Font *font, int f, uint32_t color,
                              const char *s, size_t len, int *w, int *h, bool *owned);
/* Destroys every texture (on free and after a render device reset). */
void tqk_ui_cache_clear(tqk_ui_cache *c);

#endif
