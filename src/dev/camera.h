/*
 * camera.h - a V4L2 camera as a frame source (framesrc.h), directly through
 * linux/videodev2.h.
 *
 * Opening: the device node (default /dev/video0) non-blocking; QUERYCAP
 * must show a video capture device with streaming or read() I/O. Of the
 * pixel formats it lists, GREY is taken as it is and YUYV gives its Y
 * bytes; nothing compressed (MJPEG, H.264) is decoded here. The size asked
 * for (default 1280x720) is what the driver makes of it: it may give
 * another, which the frames then have.
 *
 * I/O, in the order tried (TQK_CAM_IO_AUTO) or as asked:
 *   mmap     driver buffers mapped into the process (real cameras);
 *   userptr  our own page-aligned buffers, which the driver fills;
 *   read     read() of one frame at a time (V4L2_CAP_READWRITE).
 * A driver that refuses a method (REQBUFS fails, a buffer does not map)
 * makes the next one be tried.
 *
 * Frames: each next() waits for a filled buffer, converts it to grey into
 * the source's own frame (so the buffer goes back to the driver at once)
 * and returns that; a buffer the driver marks as damaged, or shorter than
 * a frame, is skipped. Hot-plug: when the device goes (ENODEV), next()
 * reports TQK_E_DEV_GONE, lets the device go, and on every later call
 * opens the node again with the same options; when that works, frames
 * come again (tqk_camera_info's opens counts the times it was opened).
 */
#ifndef TQK_DEV_CAMERA_H
#define TQK_DEV_CAMERA_H

#include <stdint.h>

#include "core/err.h"
#include "dev/framesrc.h"

#define TQK_CAM_PATH_CAP 256     /* bytes of the device path, NUL included */
#define TQK_CAM_BUFFERS_MAX 8
#define TQK_CAM_DIM_MAX 8192

typedef enum tqk_cam_io {
	TQK_CAM_IO_AUTO = 0,     /* mmap, then userptr, then read */
	TQK_CAM_IO_MMAP,
	TQK_CAM_IO_USERPTR,
	TQK_CAM_IO_READ,
} tqk_cam_io;

typedef struct tqk_camera_opts {
	const char *path;        /* NULL: "/dev/video0" */
	int width, height;       /* 0: 1280 x 720 */
	tqk_cam_io io;
	int buffers;             /* streaming buffers, 2..TQK_CAM_BUFFERS_MAX; 0: 4 */
} tqk_camera_opts;

/*
 * Opens the camera into *out. Fails with TQK_E_ARG for options out of
 * range (a path over TQK_CAM_PATH_CAP, sizes outside 1..TQK_CAM_DIM_MAX,
 * an unknown io, buffers outside 2..TQK_CAM_BUFFERS_MAX),
 * TQK_E_DEV_NOT_FOUND, TQK_E_DEV_ACCESS, TQK_E_DEV_BUSY, TQK_E_CAM_FORMAT
 * (not a capture device, no GREY or YUYV, no I/O method that works),
 * TQK_E_DEV_IO, TQK_E_NOMEM.
 */
tqk_err tqk_camera_open(const tqk_camera_opts *opts, tqk_framesrc **out) TQK_MUST_CHECK;

/* What was negotiated with the device. */
typedef struct tqk_camera_info {
	uint32_t fourcc;         /* V4L2_PIX_FMT_GREY or V4L2_PIX_FMT_YUYV */
	int width, height;
	uint32_t bytesperline;
	tqk_cam_io io;           /* the method in use: never AUTO */
	unsigned opens;          /* times the device was opened (1 + re-opens) */
	char card[32];           /* the driver's name for the device */
} tqk_camera_info;

/* The info of camera s (opened by tqk_camera_open; TQK_E_ARG for another
 * kind of source, TQK_E_DEV_GONE while the device is away). */
tqk_err tqk_camera_info_of(const tqk_framesrc *s, tqk_camera_info *out) TQK_MUST_CHECK;

#endif
