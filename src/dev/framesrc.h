/*
 * framesrc.h - where grey camera frames come from, behind a table of
 * functions: a V4L2 camera (camera.h) or a directory of image files
 * (framedir.c, for the kiosk demo and for replaying what a camera saw).
 *
 * The camera worker asks a source for the next frame with a timeout and
 * hands it to the barcode decoder (zscan.h); it never knows which source it
 * has. A source is an object whose first member is its table's pointer.
 */
#ifndef TQK_DEV_FRAMESRC_H
#define TQK_DEV_FRAMESRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* One grey frame, borrowed from its source until the next call on it. */
typedef struct tqk_frame {
	int w, h;
	size_t stride;          /* bytes from one row to the next, >= w */
	const uint8_t *px;
	uint32_t seq;           /* counts the frames the source gave, from 1 */
} tqk_frame;

typedef struct tqk_framesrc tqk_framesrc;

typedef struct tqk_framesrc_ops {
	const char *name;       /* "v4l2", "dir" */
	/*
	 * Waits up to timeout_ms (0: do not wait) for the next frame and
	 * points *out at it. Fails with TQK_E_DEV_TIMEOUT when none came,
	 * TQK_E_DEV_GONE when the device went away or the source ended (a
	 * camera is looked for again on every later call and comes back by
	 * itself when plugged in again), or the source's own errors; *out is
	 * zeroed on failure.
	 */
	tqk_err (*next)(tqk_framesrc *s, int timeout_ms, tqk_frame *out);
	/* Releases the device and frees s. */
	void (*close)(tqk_framesrc *s);
} tqk_framesrc_ops;

struct tqk_framesrc {
	const tqk_framesrc_ops *ops;
};

static inline tqk_err tqk_framesrc_next(tqk_framesrc *s, int timeout_ms, tqk_frame *out)
{
	return s->ops->next(s, timeout_ms, out);
}

/* NULL is a no-op. */
static inline void tqk_framesrc_close(tqk_framesrc *s)
{
	if (s != NULL)
		s->ops->close(s);
}

/*
 * Frames from the PNG, PGM and PPM files of directory dir (at most
 * TQK_FRAMEDIR_MAX of them, by name in byte order; other files are left
 * out), one file per frame, loaded when its turn comes (image.h). With
 * loop the files come round again, otherwise the source ends after the
 * last one (TQK_E_DEV_GONE). interval_ms spaces the frames as a camera
 * would (0: each at once); a frame not due within the timeout is
 * TQK_E_DEV_TIMEOUT. A file that does not load is reported with its error
 * (TQK_E_IMAGE...) and the next call goes on with the next file.
 * Fails with TQK_E_ARG for an empty dir or a negative interval,
 * TQK_E_DEV_NOT_FOUND when dir cannot be read or holds no image file,
 * TQK_E_TOO_LONG beyond TQK_FRAMEDIR_MAX files or a path over
 * TQK_FRAMEDIR_PATH_CAP, TQK_E_NOMEM.
 */
#define TQK_FRAMEDIR_MAX 4096
#define TQK_FRAMEDIR_PATH_CAP 4096
tqk_err tqk_framedir_open(const char *dir, bool loop, int interval_ms,
                          tqk_framesrc **out) TQK_MUST_CHECK;

#endif
