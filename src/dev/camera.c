/*
 * camera.c - a V4L2 capture device as a frame source (see camera.h):
 * capability and format negotiation, the three I/O methods, grey
 * conversion, and re-opening after the device went away.
 */
#include "dev/camera.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/videodev2.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dev/devsys.h"

#define DEFAULT_PATH "/dev/video0"
#define DEFAULT_W 1280
#define DEFAULT_H 720
#define DEFAULT_BUFFERS 4
#define FORMATS_MAX 64            /* ENUM_FMT entries looked at */
#define RETRY_MS 1                 /* sleep before asking again for a frame */

typedef struct cam_buf {
	uint8_t *start;
	size_t len;
} cam_buf;

typedef struct cam {
	tqk_framesrc base;
	char path[TQK_CAM_PATH_CAP];
	int want_w, want_h, want_buffers;
	tqk_cam_io want_io;

	int fd;                   /* -1 while the device is away */
	bool streaming;
	tqk_camera_info info;
	size_t sizeimage;
	cam_buf buf[TQK_CAM_BUFFERS_MAX];
	unsigned nbuf;
	uint8_t *readbuf;         /* read I/O */

	uint8_t *grey;            /* the frame handed out */
	size_t grey_cap;
	uint32_t seq;
} cam;

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;
	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r;
}

/* An ioctl's failure during set-up. */
static tqk_err setup_err(int e)
{
	return e == ENODEV ? TQK_E_DEV_GONE : e == ENOTTY || e == EINVAL ? TQK_E_CAM_FORMAT
	                                                                  : tqk_dev_errno(e);
}

static uint32_t bytes_per_pixel(uint32_t fourcc)
{
	return fourcc == V4L2_PIX_FMT_YUYV ? 2 : 1;
}

/* ---- I/O methods ---- */

static void release_buffers(cam *c, enum v4l2_memory memory)
{
	for (unsigned i = 0; i < c->nbuf; i++) {
		if (memory == V4L2_MEMORY_MMAP)
			munmap(c->buf[i].start, c->buf[i].len);
		else
			free(c->buf[i].start);
		c->buf[i] = (cam_buf){NULL, 0};
	}
	c->nbuf = 0;
	struct v4l2_requestbuffers rb = {
		.count = 0, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = memory,
	};
	xioctl(c->fd, VIDIOC_REQBUFS, &rb); /* may fail: the device may be gone */
}

static enum v4l2_memory memory_of(tqk_cam_io io)
{
	return io == TQK_CAM_IO_MMAP ? V4L2_MEMORY_MMAP : V4L2_MEMORY_USERPTR;
}

static int queue(cam *c, unsigned i)
{
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = memory_of(c->info.io), .index = i,
	};
	if (c->info.io == TQK_CAM_IO_USERPTR) {
		b.m.userptr = (unsigned long)c->buf[i].start;
		b.length = (uint32_t)c->buf[i].len;
	}
	return xioctl(c->fd, VIDIOC_QBUF, &b);
}

/* Requests, maps or allocates, queues the buffers of io and starts
 * streaming. Returns 0, or an errno with nothing left behind. */
static int start_streaming(cam *c, tqk_cam_io io)
{
	enum v4l2_memory memory = memory_of(io);
	struct v4l2_requestbuffers rb = {
		.count = (uint32_t)c->want_buffers, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
		.memory = memory,
	};
	if (xioctl(c->fd, VIDIOC_REQBUFS, &rb) < 0)
		return errno;
	int e = 0;
	if (rb.count < 2 || rb.count > TQK_CAM_BUFFERS_MAX) {
		e = ENOMEM;
		goto undo;
	}
	long page = sysconf(_SC_PAGESIZE);
	size_t pg = page > 0 ? (size_t)page : 4096;
	for (c->nbuf = 0; c->nbuf < rb.count; c->nbuf++) {
		cam_buf *cb = &c->buf[c->nbuf];
		if (io == TQK_CAM_IO_MMAP) {
			struct v4l2_buffer b = {
				.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = memory, .index = c->nbuf,
			};
			if (xioctl(c->fd, VIDIOC_QUERYBUF, &b) < 0) {
				e = errno;
				goto undo;
			}
			void *p = mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd,
			               (off_t)b.m.offset);
			if (p == MAP_FAILED || b.length < c->sizeimage) {
				/* Not ENODEV, which mmap gives for a node that cannot
				 * be mapped: that is no unplugged device. */
				e = EINVAL;
				if (p != MAP_FAILED)
					munmap(p, b.length);
				goto undo;
			}
			*cb = (cam_buf){p, b.length};
		} else {
			size_t len = (c->sizeimage + pg - 1) / pg * pg;
			void *p = NULL;
			if (posix_memalign(&p, pg, len) != 0) {
				e = ENOMEM;
				goto undo;
			}
			*cb = (cam_buf){p, len};
		}
	}
	c->info.io = io;
	for (unsigned i = 0; i < c->nbuf; i++)
		if (queue(c, i) < 0) {
			e = errno;
			goto undo;
		}
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	if (xioctl(c->fd, VIDIOC_STREAMON, &type) < 0) {
		e = errno;
		goto undo;
	}
	c->streaming = true;
	return 0;
undo:
	release_buffers(c, memory);
	return e;
}

static int start_read(cam *c)
{
	c->readbuf = malloc(c->sizeimage);
	if (c->readbuf == NULL)
		return ENOMEM;
	c->info.io = TQK_CAM_IO_READ;
	return 0;
}

/* ---- opening and letting go ---- */

static void teardown(cam *c)
{
	if (c->fd < 0)
		return;
	if (c->streaming) {
		enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
		xioctl(c->fd, VIDIOC_STREAMOFF, &type);
		release_buffers(c, memory_of(c->info.io));
		c->streaming = false;
	}
	free(c->readbuf);
	c->readbuf = NULL;
	close(c->fd);
	c->fd = -1;
}

/* GREY when offered, else YUYV: what the device lists. */
static tqk_err pick_format(cam *c, uint32_t *fourcc)
{
	bool grey = false, yuyv = false;
	for (uint32_t i = 0; i < FORMATS_MAX; i++) {
		struct v4l2_fmtdesc d = {.index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE};
		if (xioctl(c->fd, VIDIOC_ENUM_FMT, &d) < 0) {
			if (errno == EINVAL)
				break;
			return setup_err(errno);
		}
		grey |= d.pixelformat == V4L2_PIX_FMT_GREY;
		yuyv |= d.pixelformat == V4L2_PIX_FMT_YUYV;
	}
	if (!grey && !yuyv)
		return TQK_E_CAM_FORMAT;
	*fourcc = grey ? V4L2_PIX_FMT_GREY : V4L2_PIX_FMT_YUYV;
	return TQK_OK;
}

static tqk_err set_format(cam *c, uint32_t fourcc)
{
	struct v4l2_format f = {.type = V4L2_BUF_TYPE_VIDEO_CAPTURE};
	f.fmt.pix.width = (uint32_t)c->want_w;
	f.fmt.pix.height = (uint32_t)c->want_h;
	f.fmt.pix.pixelformat = fourcc;
	f.fmt.pix.field = V4L2_FIELD_NONE;
	if (xioctl(c->fd, VIDIOC_S_FMT, &f) < 0)
		return setup_err(errno);
	const struct v4l2_pix_format *p = &f.fmt.pix;
	uint32_t bpp = bytes_per_pixel(fourcc);
	if (p->pixelformat != fourcc || p->width < 1 || p->height < 1 ||
	    p->width > TQK_CAM_DIM_MAX || p->height > TQK_CAM_DIM_MAX)
		return TQK_E_CAM_FORMAT;
	uint32_t bpl = p->bytesperline != 0 ? p->bytesperline : p->width * bpp;
	if (bpl < p->width * bpp || bpl > 4 * TQK_CAM_DIM_MAX)
		return TQK_E_CAM_FORMAT;
	size_t need = (size_t)bpl * p->height;
	c->sizeimage = p->sizeimage >= need ? p->sizeimage : need;
	if (c->sizeimage > 2 * need)
		return TQK_E_CAM_FORMAT; /* not what a raw format of this size holds */
	c->info.fourcc = fourcc;
	c->info.width = (int)p->width;
	c->info.height = (int)p->height;
	c->info.bytesperline = bpl;
	return TQK_OK;
}

static tqk_err device_open(cam *c)
{
	c->fd = open(c->path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (c->fd < 0)
		return tqk_dev_errno(errno);
	tqk_err err = TQK_OK;
	struct v4l2_capability cap;
	memset(&cap, 0, sizeof cap);
	if (xioctl(c->fd, VIDIOC_QUERYCAP, &cap) < 0) {
		err = setup_err(errno);
		goto fail;
	}
	uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps
	                                                          : cap.capabilities;
	if (!(caps & V4L2_CAP_VIDEO_CAPTURE) ||
	    !(caps & (V4L2_CAP_STREAMING | V4L2_CAP_READWRITE))) {
		err = TQK_E_CAM_FORMAT;
		goto fail;
	}
	memcpy(c->info.card, cap.card, sizeof c->info.card - 1);
	c->info.card[sizeof c->info.card - 1] = '\0';
	uint32_t fourcc = 0;
	if ((err = pick_format(c, &fourcc)) != TQK_OK || (err = set_format(c, fourcc)) != TQK_OK)
		goto fail;
	size_t grey = (size_t)c->info.width * (size_t)c->info.height;
	if (grey > c->grey_cap) {
		uint8_t *g = realloc(c->grey, grey);
		if (g == NULL) {
			err = TQK_E_NOMEM;
			goto fail;
		}
		c->grey = g;
		c->grey_cap = grey;
	}
	/* The methods in order; a method the device lacks or refuses makes
	 * way for the next. */
	static const tqk_cam_io order[] = {TQK_CAM_IO_MMAP, TQK_CAM_IO_USERPTR, TQK_CAM_IO_READ};
	int e = EINVAL;
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		tqk_cam_io io = order[i];
		if (c->want_io != TQK_CAM_IO_AUTO && c->want_io != io)
			continue;
		bool can = io == TQK_CAM_IO_READ ? (caps & V4L2_CAP_READWRITE) != 0
		                                 : (caps & V4L2_CAP_STREAMING) != 0;
		if (!can)
			continue;
		e = io == TQK_CAM_IO_READ ? start_read(c) : start_streaming(c, io);
		if (e == 0) {
			c->info.opens++;
			return TQK_OK;
		}
		if (e == ENODEV || e == EBUSY || e == ENOMEM)
			break;
	}
	err = e == ENODEV ? TQK_E_DEV_GONE : e == EBUSY ? TQK_E_DEV_BUSY
	    : e == ENOMEM ? TQK_E_NOMEM : TQK_E_CAM_FORMAT;
fail:
	close(c->fd);
	c->fd = -1;
	return err;
}

/* ---- frames ---- */

/* The frame in src (bytesused bytes) into c->grey; false when it is too
 * short to be a whole frame. */
static bool convert(cam *c, const uint8_t *src, size_t bytesused)
{
	int w = c->info.width, h = c->info.height;
	size_t bpl = c->info.bytesperline;
	uint32_t bpp = bytes_per_pixel(c->info.fourcc);
	if (bytesused < bpl * (size_t)(h - 1) + (size_t)w * bpp)
		return false;
	for (int y = 0; y < h; y++) {
		const uint8_t *s = src + (size_t)y * bpl;
		uint8_t *d = c->grey + (size_t)y * (size_t)w;
		if (bpp == 1) {
			memcpy(d, s, (size_t)w);
		} else {
			for (int x = 0; x < w; x++)
				d[x] = s[2 * x];
		}
	}
	return true;
}

/* One attempt to take a frame. Returns 1 with a frame in c->grey, 0 when
 * none is ready (or one was skipped), -1 with errno set on failure. */
static int take(cam *c)
{
	if (c->info.io == TQK_CAM_IO_READ) {
		ssize_t n = read(c->fd, c->readbuf, c->sizeimage);
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		return convert(c, c->readbuf, (size_t)n) ? 1 : 0;
	}
	struct v4l2_buffer b = {
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = memory_of(c->info.io),
	};
	if (xioctl(c->fd, VIDIOC_DQBUF, &b) < 0)
		return errno == EAGAIN || errno == EIO ? 0 : -1;
	if (b.index >= c->nbuf) {
		errno = EPROTO;
		return -1;
	}
	const uint8_t *src = c->buf[b.index].start;
	size_t used = b.bytesused < c->buf[b.index].len ? b.bytesused : c->buf[b.index].len;
	bool ok = !(b.flags & V4L2_BUF_FLAG_ERROR) && convert(c, src, used);
	if (queue(c, b.index) < 0)
		return -1;
	return ok ? 1 : 0;
}

static tqk_err cam_next(tqk_framesrc *s, int timeout_ms, tqk_frame *out)
{
	cam *c = (cam *)s;
	memset(out, 0, sizeof *out);
	if (c->fd < 0) {
		tqk_err err = device_open(c);
		if (err != TQK_OK)
			return err == TQK_E_DEV_NOT_FOUND ? TQK_E_DEV_GONE : err;
	}
	long long deadline = tqk_dev_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		int got = take(c);
		if (got > 0)
			break;
		if (got < 0) {
			int e = errno;
			teardown(c);
			return e == ENODEV || e == ENXIO ? TQK_E_DEV_GONE : TQK_E_DEV_IO;
		}
		long long left = deadline - tqk_dev_now_ms();
		if (left <= 0)
			return TQK_E_DEV_TIMEOUT;
		/* POLLOUT too: an emulated device node is a socket, always
		 * writable, and a capture device never raises POLLOUT. Either
		 * way the next take() tells; between two, a short sleep. */
		struct pollfd p = {.fd = c->fd, .events = POLLIN | POLLOUT};
		if (poll(&p, 1, left > 1000 ? 1000 : (int)left) < 0 && errno != EINTR) {
			teardown(c);
			return TQK_E_DEV_IO;
		}
		if (!(p.revents & POLLIN))
			tqk_dev_sleep_ms(RETRY_MS);
	}
	*out = (tqk_frame){
		.w = c->info.width, .h = c->info.height, .stride = (size_t)c->info.width,
		.px = c->grey, .seq = ++c->seq,
	};
	return TQK_OK;
}

static void cam_close(tqk_framesrc *s)
{
	cam *c = (cam *)s;
	teardown(c);
	free(c->grey);
	free(c);
}

static const tqk_framesrc_ops cam_ops = {"v4l2", cam_next, cam_close};

tqk_err tqk_camera_open(const tqk_camera_opts *opts, tqk_framesrc **out)
{
	*out = NULL;
	tqk_camera_opts o = opts != NULL ? *opts : (tqk_camera_opts){0};
	const char *path = o.path != NULL ? o.path : DEFAULT_PATH;
	int w = o.width != 0 ? o.width : DEFAULT_W, h = o.height != 0 ? o.height : DEFAULT_H;
	int nb = o.buffers != 0 ? o.buffers : DEFAULT_BUFFERS;
	size_t len = strnlen(path, TQK_CAM_PATH_CAP);
	if (len == 0 || len >= TQK_CAM_PATH_CAP || w < 1 || h < 1 || w > TQK_CAM_DIM_MAX ||
	    h > TQK_CAM_DIM_MAX || nb < 2 || nb > TQK_CAM_BUFFERS_MAX ||
	    (unsigned)o.io > TQK_CAM_IO_READ)
		return TQK_E_ARG;
	cam *c = calloc(1, sizeof *c);
	if (c == NULL)
		return TQK_E_NOMEM;
	c->base.ops = &cam_ops;
	memcpy(c->path, path, len + 1);
	c->want_w = w;
	c->want_h = h;
	c->want_buffers = nb;
	c->want_io = o.io;
	tqk_err err = device_open(c);
	if (err != TQK_OK) {
		free(c->grey);
		free(c);
		return err == TQK_E_DEV_GONE ? TQK_E_DEV_NOT_FOUND : err;
	}
	*out = &c->base;
	return TQK_OK;
}

tqk_err tqk_camera_info_of(const tqk_framesrc *s, tqk_camera_info *out)
{
	memset(out, 0, sizeof *out);
	if (s == NULL || s->ops != &cam_ops)
		return TQK_E_ARG;
	const cam *c = (const cam *)s;
	if (c->fd < 0)
		return TQK_E_DEV_GONE;
	*out = c->info;
	return TQK_OK;
}
