/*
 * mock_v4l2.h - a V4L2 camera played by the test, under umockdev.
 *
 * One in-process umockdev testbed per mock, with /dev/video0 answered by an
 * ioctl handler: QUERYCAP, ENUM_FMT, G/S/TRY_FMT (the size clamped to what
 * the device offers, rows padded as asked), REQBUFS, QUERYBUF, QBUF, DQBUF,
 * STREAMON/OFF, and read() of one frame (handle-read). With USERPTR
 * streaming, DQBUF writes the frame into the client's own buffer
 * (umockdev_ioctl_data_resolve on the buffer's userptr). The node cannot
 * be mmap()ed: a device that accepts MMAP buffers shows the client's
 * fallback when the mapping fails.
 *
 * The test queues grey pictures; each is delivered once, in the format the
 * client chose (GREY as it is, YUYV with U = V = 128). With nothing queued
 * DQBUF and read() answer EAGAIN. Unplugging drops the pictures still
 * waiting and makes every later call on a descriptor fail with ENODEV
 * (one opened while the device is away too: the node stays, the device
 * behind it does not answer) until it is plugged in again.
 *
 * The handler runs on umockdev's thread; every function here may be called
 * from the test's thread. The process must run with libumockdev-preload.
 */
#ifndef TQK_TEST_MOCK_V4L2_H
#define TQK_TEST_MOCK_V4L2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mock_cam mock_cam;

#define MOCK_CAM_FORMATS_MAX 8

/* What the camera looks like. */
typedef struct mock_cam_dev {
	const char *card;
	uint32_t formats[MOCK_CAM_FORMATS_MAX]; /* V4L2_PIX_FMT_*, in ENUM_FMT order */
	size_t n_formats;
	int max_w, max_h;          /* S_FMT gives at most this size ... */
	int min_w, min_h;          /* ... and at least this */
	uint32_t pad;              /* bytes added to every row */
	bool streaming, readwrite; /* V4L2_CAP_STREAMING, V4L2_CAP_READWRITE */
	bool mmap, userptr;        /* REQBUFS accepts these memory types */
	bool not_capture;          /* no V4L2_CAP_VIDEO_CAPTURE (an output device) */
} mock_cam_dev;

/* A testbed with no device; fails the test if umockdev is not preloaded. */
mock_cam *mock_cam_new(void);
/* Tears the testbed down (its temp dir included). NULL: no-op. */
void mock_cam_free(mock_cam *m);

void mock_cam_plug(mock_cam *m, const mock_cam_dev *dev);
void mock_cam_unplug(mock_cam *m);

/* Queues a grey picture of w x h (copied); placed at the top left of the
 * negotiated frame, the rest mid-grey. */
void mock_cam_push(mock_cam *m, const uint8_t *grey, int w, int h);
/* The next frame delivered is marked V4L2_BUF_FLAG_ERROR (corrupt). */
void mock_cam_damage_next(mock_cam *m);
/* The next frame delivered is cut to half its bytes. */
void mock_cam_short_next(mock_cam *m);

/* What the client negotiated and did. */
typedef struct mock_cam_state {
	uint32_t fourcc;
	int w, h;
	uint32_t bytesperline;
	uint32_t memory;           /* V4L2_MEMORY_* of the last REQBUFS with count > 0 */
	bool streaming;
	unsigned delivered;        /* frames handed to the client */
	unsigned reads;            /* read() calls answered with a frame */
	unsigned opens;            /* QUERYCAP calls: one per open */
	size_t queued;             /* pictures still waiting */
} mock_cam_state;

mock_cam_state mock_cam_get(mock_cam *m);

#endif
