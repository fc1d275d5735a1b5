/*
 * cache.c - the string cache (cache.h): a fixed table searched by a 64-bit
 * hash of (font, colour, text) then compared in full; a miss renders the
 * string with TTF_RenderUTF8_Blended into a texture and takes a free entry
 * or the least recently used one.
 */
#include "ui/cache.h"

#include <string.h>

static uint64_t key_hash(int f, uint32_t color, const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ull;
	const uint64_t prime = 1099511628211ull;
	h = (h ^ (uint64_t)(unsigned)f) * prime;
	for (int i = 0; i < 4; i++)
		h = (h ^ ((color >> (8 * i)) & 0xFFu)) * prime;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * prime;
	return h;
}

/* Renders s into a new texture; NULL on failure. */
static SDL_Texture *render(tqk_ui_cache *c, SDL_Renderer *r, TTF_Font *font, uint32_t color,
                           const char *s, size_t len, int *w, int *h)
{
	char buf[TQK_UI_CACHE_KEY_CAP * 8];
	if (len >= sizeof buf)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	SDL_Color fg = {(Uint8)(color >> 24), (Uint8)(color >> 16), (Uint8)(color >> 8), 255};
	SDL_Surface *surf = TTF_RenderUTF8_Blended(font, buf, fg);
	c->renders++;
	if (!surf)
		return NULL;
	SDL_Texture *tex = SDL_CreateTextureFromSurface(r, surf);
	if (tex) {
		*w = surf->w;
		*h = surf->h;
		SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
		SDL_SetTextureAlphaMod(tex, (Uint8)(color & 0xFFu));
	}
	SDL_FreeSurface(surf);
	return tex;
}

SDL_Texture *tqk_ui_cache_get(tqk_ui_cache *c, SDL_Renderer *r, TTF_Font *font, int f, uint32_t color,
                              const char *s, size_t len, int *w, int *h, bool *owned)
{
	*owned = false;
	if (len >= TQK_UI_CACHE_KEY_CAP) {
		*owned = true;
		return render(c, r, font, color, s, len, w, h);
	}
	uint64_t hash = key_hash(f, color, s, len);
	size_t victim = 0;
	uint64_t oldest = UINT64_MAX;
	c->tick++;
	for (size_t i = 0; i < TQK_UI_CACHE_N; i++) {
		tqk_ui_cache_entry *e = &c->e[i];
		if (!e->tex) {
			if (oldest != 0) {
				victim = i;
				oldest = 0;
			}
			continue;
		}
		if (e->hash == hash && e->font == f && e->color == color && e->len == len &&
		    memcmp(e->text, s, len) == 0) {
			e->used = c->tick;
			*w = e->w;
			*h = e->h;
			return e->tex;
		}
		if (e->used < oldest) {
			oldest = e->used;
			victim = i;
		}
	}
	int tw = 0, th = 0;
	SDL_Texture *tex = render(c, r, font, color, s, len, &tw, &th);
	if (!tex)
		return NULL;
	tqk_ui_cache_entry *e = &c->e[victim];
	if (e->tex)
		SDL_DestroyTexture(e->tex);
	else
		c->count++;
	e->tex = tex;
	e->hash = hash;
	e->used = c->tick;
	e->font = f;
	e->color = color;
	e->w = tw;
	e->h = th;
	e->len = len;
	memcpy(e->text, s, len);
	*w = tw;
	*h = th;
	return tex;
}

void tqk_ui_cache_clear(tqk_ui_cache *c)
{
	for (size_t i = 0; i < TQK_UI_CACHE_N; i++) {
		if (c->e[i].tex)
			SDL_DestroyTexture(c->e[i].tex);
		c->e[i].tex = NULL;
	}
	c->count = 0;
}
