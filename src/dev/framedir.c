/*
 * framedir.c - a directory of image files as a frame source (see
 * framesrc.h): the kiosk demo without a camera, and replays of what a
 * camera saw.
 */
#include "dev/framesrc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev/devsys.h"
#include "dev/image.h"

typedef struct framedir {
	tqk_framesrc base;
	char dir[TQK_FRAMEDIR_PATH_CAP];
	char **names;
	size_t n, next;
	bool loop;
	int interval_ms;
	long long due_ms;         /* when the next frame may come */
	tqk_image img;            /* the frame handed out */
	uint32_t seq;
} framedir;

static bool is_image_name(const char *s)
{
	static const char *const ext[] = {".png", ".pgm", ".ppm", ".PNG", ".PGM", ".PPM"};
	size_t len = strlen(s);
	for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
		if (len > 4 && strcmp(s + len - 4, ext[i]) == 0)
			return true;
	return false;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(framedir *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	d->names = NULL;
	d->n = 0;
}

static tqk_err list(framedir *d)
{
	DIR *dir = opendir(d->dir);
	if (dir == NULL)
		return TQK_E_DEV_NOT_FOUND;
	tqk_err err = TQK_OK;
	size_t cap = 0;
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		if (!is_image_name(e->d_name))
			continue;
		if (d->n == TQK_FRAMEDIR_MAX) {
			err = TQK_E_TOO_LONG;
			break;
		}
		if (strlen(d->dir) + 1 + strlen(e->d_name) >= TQK_FRAMEDIR_PATH_CAP) {
			err = TQK_E_TOO_LONG;
			break;
		}
		if (d->n == cap) {
			size_t next = cap == 0 ? 16 : 2 * cap;
			char **p = realloc(d->names, next * sizeof *p);
			if (p == NULL) {
				err = TQK_E_NOMEM;
				break;
			}
			d->names = p;
			cap = next;
		}
		if ((d->names[d->n] = strdup(e->d_name)) == NULL) {
			err = TQK_E_NOMEM;
			break;
		}
		d->n++;
	}
	closedir(dir);
	if (err == TQK_OK && d->n == 0)
		err = TQK_E_DEV_NOT_FOUND;
	if (err != TQK_OK)
		free_names(d);
	else
		qsort(d->names, d->n, sizeof *d->names, by_name);
	return err;
}

static tqk_err dir_next(tqk_framesrc *s, int timeout_ms, tqk_frame *out)
{
	framedir *d = (framedir *)s;
	memset(out, 0, sizeof *out);
	if (d->next == d->n) {
		if (!d->loop)
			return TQK_E_DEV_GONE;
		d->next = 0;
	}
	long long now = tqk_dev_now_ms(), wait = d->due_ms - now;
	if (wait > 0) {
		if (wait > (timeout_ms > 0 ? timeout_ms : 0)) {
			tqk_dev_sleep_ms(timeout_ms);
			return TQK_E_DEV_TIMEOUT;
		}
		tqk_dev_sleep_ms(wait);
	}
	d->due_ms = tqk_dev_now_ms() + d->interval_ms;
	char path[TQK_FRAMEDIR_PATH_CAP];
	int n = snprintf(path, sizeof path, "%s/%s", d->dir, d->names[d->next++]);
	if (n < 0 || (size_t)n >= sizeof path)
		return TQK_E_TOO_LONG; /* list() let no such name in */
	tqk_image_close(&d->img);
	tqk_err err = tqk_image_load(path, &d->img);
	if (err != TQK_OK)
		return err;
	*out = (tqk_frame){
		.w = d->img.w, .h = d->img.h, .stride = (size_t)d->img.w, .px = d->img.px,
		.seq = ++d->seq,
	};
	return TQK_OK;
}

static void dir_close(tqk_framesrc *s)
{
	framedir *d = (framedir *)s;
	tqk_image_close(&d->img);
	free_names(d);
	free(d);
}

static const tqk_framesrc_ops dir_ops = {"dir", dir_next, dir_close};

tqk_err tqk_framedir_open(const char *dir, bool loop, int interval_ms, tqk_framesrc **out)
{
	*out = NULL;
	size_t len = strnlen(dir, TQK_FRAMEDIR_PATH_CAP);
	if (len == 0 || interval_ms < 0)
		return TQK_E_ARG;
	if (len >= TQK_FRAMEDIR_PATH_CAP - 1)
		return TQK_E_TOO_LONG;
	framedir *d = calloc(1, sizeof *d);
	if (d == NULL)
		return TQK_E_NOMEM;
	d->base.ops = &dir_ops;
	memcpy(d->dir, dir, len + 1);
	d->loop = loop;
	d->interval_ms = interval_ms;
	tqk_err err = list(d);
	if (err != TQK_OK) {
		free(d);
		return err;
	}
	*out = &d->base;
	return TQK_OK;
}
