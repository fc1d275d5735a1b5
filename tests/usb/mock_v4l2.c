/*
 * mock_v4l2.c - the V4L2 side of a mocked camera (see mock_v4l2.h).
 *
 * Buffers: REQBUFS records how many and of which memory type, QBUF appends
 * an index (and, for USERPTR, the client's address and length) to the
 * queue, DQBUF takes the oldest queued index and the oldest waiting
 * picture. For USERPTR the v4l2_buffer's userptr is set to the client's
 * address before that pointer is resolved, so that umockdev writes the
 * frame straight into the client's buffer when the ioctl completes.
 */
#include <linux/videodev2.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umockdev.h>

#include "test.h"
#include "mock_bed.h"
#include "mock_v4l2.h"

#define BUFS_MAX 16
#define NODE "/dev/video0"

typedef struct picture {
	struct picture *next;
	int w, h;
	uint8_t px[];
} picture;

struct mock_cam {
	UMockdevTestbed *bed;
	UMockdevIoctlBase *handler;
	pthread_mutex_t lock;
	bool attached;

	mock_cam_dev dev;
	char card[32];
	bool plugged;

	/* negotiated */
	uint32_t fourcc;
	int w, h;
	uint32_t bpl, sizeimage;
	uint32_t memory;
	unsigned nbuf;
	unsigned long userptr[BUFS_MAX];
	unsigned queue[BUFS_MAX];          /* queued indices, oldest first */
	unsigned nqueued;
	bool streaming;
	uint32_t sequence;

	picture *head, *tail;
	size_t npics;
	bool damage_next, short_next;
	unsigned delivered, reads, opens;
};

static uint32_t bpp(uint32_t fourcc)
{
	return fourcc == V4L2_PIX_FMT_YUYV ? 2 : 1;
}

/* Sets the format the way a driver does: a format it lacks becomes its
 * first, the size is clamped. Lock held. */
static void apply_format(mock_cam *m, struct v4l2_pix_format *p, bool set)
{
	bool known = false;
	for (size_t i = 0; i < m->dev.n_formats; i++)
		known |= m->dev.formats[i] == p->pixelformat;
	if (!known)
		p->pixelformat = m->dev.formats[0];
	int w = (int)p->width, h = (int)p->height;
	w = w > m->dev.max_w ? m->dev.max_w : w < m->dev.min_w ? m->dev.min_w : w;
	h = h > m->dev.max_h ? m->dev.max_h : h < m->dev.min_h ? m->dev.min_h : h;
	p->width = (uint32_t)w;
	p->height = (uint32_t)h;
	p->field = V4L2_FIELD_NONE;
	p->bytesperline = (uint32_t)w * bpp(p->pixelformat) + m->dev.pad;
	p->sizeimage = p->bytesperline * (uint32_t)h;
	p->colorspace = V4L2_COLORSPACE_SRGB;
	if (set) {
		m->fourcc = p->pixelformat;
		m->w = w;
		m->h = h;
		m->bpl = p->bytesperline;
		m->sizeimage = p->sizeimage;
	}
}

/* The oldest picture in the negotiated format into out (sizeimage
 * bytes); frees it. Lock held, a picture waiting. */
static void render(mock_cam *m, uint8_t *out)
{
	picture *p = m->head;
	m->head = p->next;
	if (m->head == NULL)
		m->tail = NULL;
	m->npics--;
	uint32_t b = bpp(m->fourcc);
	for (int y = 0; y < m->h; y++) {
		uint8_t *row = out + (size_t)y * m->bpl;
		memset(row, 0, m->bpl);
		for (int x = 0; x < m->w; x++) {
			uint8_t g = x < p->w && y < p->h ? p->px[(size_t)y * (size_t)p->w + (size_t)x] : 128;
			if (b == 1) {
				row[x] = g;
			} else {
				row[2 * x] = g;
				row[2 * x + 1] = 128;
			}
		}
	}
	free(p);
	m->delivered++;
}

static void fill_cap(mock_cam *m, struct v4l2_capability *c)
{
	memset(c, 0, sizeof *c);
	snprintf((char *)c->driver, sizeof c->driver, "mockcam");
	snprintf((char *)c->card, sizeof c->card, "%s", m->card);
	snprintf((char *)c->bus_info, sizeof c->bus_info, "platform:mockcam");
	c->version = 0x00060100;
	uint32_t caps = m->dev.not_capture ? V4L2_CAP_VIDEO_OUTPUT : V4L2_CAP_VIDEO_CAPTURE;
	if (m->dev.streaming)
		caps |= V4L2_CAP_STREAMING;
	if (m->dev.readwrite)
		caps |= V4L2_CAP_READWRITE;
	c->device_caps = caps;
	c->capabilities = caps | V4L2_CAP_DEVICE_CAPS;
}

/* DQBUF. Lock held; returns the errno, 0 on success. */
static int dqbuf(mock_cam *m, UMockdevIoctlData *d)
{
	struct v4l2_buffer *b = (struct v4l2_buffer *)d->data;
	if (!m->streaming || b->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || b->memory != m->memory)
		return EINVAL;
	if (m->nqueued == 0 || m->head == NULL)
		return EAGAIN;
	unsigned i = m->queue[0];
	memmove(m->queue, m->queue + 1, (m->nqueued - 1) * sizeof m->queue[0]);
	m->nqueued--;
	b->index = i;
	b->bytesused = m->sizeimage;
	b->flags = V4L2_BUF_FLAG_MAPPED * (m->memory == V4L2_MEMORY_MMAP) | V4L2_BUF_FLAG_DONE;
	b->field = V4L2_FIELD_NONE;
	b->sequence = m->sequence++;
	b->length = m->sizeimage;
	if (m->damage_next) {
		b->flags |= V4L2_BUF_FLAG_ERROR;
		m->damage_next = false;
	}
	if (m->short_next) {
		b->bytesused = m->sizeimage / 2;
		m->short_next = false;
	}
	if (m->memory != V4L2_MEMORY_USERPTR) {
		/* An mmap()ed buffer cannot be reached: drop the picture. */
		uint8_t *tmp = malloc(m->sizeimage);
		assert_non_null(tmp);
		render(m, tmp);
		free(tmp);
		return 0;
	}
	b->m.userptr = m->userptr[i];
	UMockdevIoctlData *buf =
		umockdev_ioctl_data_resolve(d, G_STRUCT_OFFSET(struct v4l2_buffer, m.userptr),
		                            m->sizeimage, NULL);
	if (buf == NULL)
		return EFAULT;
	render(m, buf->data);
	return 0;
}

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
	(void)handler;
	mock_cam *m = data;
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	size_t size = _IOC_SIZE(request);
	UMockdevIoctlData *d = size > 0 ? umockdev_ioctl_data_resolve(arg, 0, size, NULL) : NULL;
	int err = 0;
	pthread_mutex_lock(&m->lock);
	if (!m->plugged) {
		err = ENODEV;
	} else if (size > 0 && d == NULL) {
		err = EFAULT;
	} else {
		switch (request) {
		case VIDIOC_QUERYCAP:
			fill_cap(m, (struct v4l2_capability *)d->data);
			m->opens++;
			break;
		case VIDIOC_ENUM_FMT: {
			struct v4l2_fmtdesc *f = (struct v4l2_fmtdesc *)d->data;
			if (f->type != V4L2_BUF_TYPE_VIDEO_CAPTURE || f->index >= m->dev.n_formats) {
				err = EINVAL;
			} else {
				f->pixelformat = m->dev.formats[f->index];
				f->flags = f->pixelformat == V4L2_PIX_FMT_MJPEG ? V4L2_FMT_FLAG_COMPRESSED : 0;
				snprintf((char *)f->description, sizeof f->description, "%.4s",
				         (const char *)&f->pixelformat);
			}
			break;
		}
		case VIDIOC_G_FMT:
		case VIDIOC_S_FMT:
		case VIDIOC_TRY_FMT: {
			struct v4l2_format *f = (struct v4l2_format *)d->data;
			if (f->type != V4L2_BUF_TYPE_VIDEO_CAPTURE) {
				err = EINVAL;
			} else if (request == VIDIOC_S_FMT && m->nbuf > 0) {
				err = EBUSY;
			} else {
				if (request == VIDIOC_G_FMT) {
					f->fmt.pix.pixelformat = m->fourcc;
					f->fmt.pix.width = (uint32_t)m->w;
					f->fmt.pix.height = (uint32_t)m->h;
				}
				apply_format(m, &f->fmt.pix, request == VIDIOC_S_FMT);
			}
			break;
		}
		case VIDIOC_REQBUFS: {
			struct v4l2_requestbuffers *r = (struct v4l2_requestbuffers *)d->data;
			bool ok = r->type == V4L2_BUF_TYPE_VIDEO_CAPTURE &&
			          ((r->memory == V4L2_MEMORY_MMAP && m->dev.mmap) ||
			           (r->memory == V4L2_MEMORY_USERPTR && m->dev.userptr));
			if (!ok || !m->dev.streaming) {
				err = EINVAL;
			} else if (m->streaming && r->count > 0) {
				err = EBUSY;
			} else {
				m->nbuf = r->count > BUFS_MAX ? BUFS_MAX : r->count;
				r->count = m->nbuf;
				m->nqueued = 0;
				if (m->nbuf > 0)
					m->memory = r->memory;
			}
			break;
		}
		case VIDIOC_QUERYBUF: {
			struct v4l2_buffer *b = (struct v4l2_buffer *)d->data;
			if (b->index >= m->nbuf || b->memory != m->memory) {
				err = EINVAL;
			} else {
				b->length = m->sizeimage;
				if (m->memory == V4L2_MEMORY_MMAP)
					b->m.offset = b->index * 4096u * 1024u;
			}
			break;
		}
		case VIDIOC_QBUF: {
			struct v4l2_buffer *b = (struct v4l2_buffer *)d->data;
			if (b->index >= m->nbuf || b->memory != m->memory || m->nqueued == BUFS_MAX ||
			    (m->memory == V4L2_MEMORY_USERPTR &&
			     (b->m.userptr == 0 || b->length < m->sizeimage))) {
				err = EINVAL;
			} else {
				if (m->memory == V4L2_MEMORY_USERPTR)
					m->userptr[b->index] = b->m.userptr;
				m->queue[m->nqueued++] = b->index;
			}
			break;
		}
		case VIDIOC_DQBUF:
			err = dqbuf(m, d);
			break;
		case VIDIOC_STREAMON:
		case VIDIOC_STREAMOFF:
			if (m->nbuf == 0 && request == VIDIOC_STREAMON)
				err = EINVAL;
			else
				m->streaming = request == VIDIOC_STREAMON;
			break;
		default:
			err = ENOTTY;
			break;
		}
	}
	pthread_mutex_unlock(&m->lock);
	umockdev_ioctl_client_complete(client, err != 0 ? -1 : 0, err);
	return TRUE;
}

static gboolean on_read(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
	(void)handler;
	mock_cam *m = data;
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	long ret = -1;
	int err = 0;
	pthread_mutex_lock(&m->lock);
	if (!m->plugged) {
		err = ENODEV;
	} else if (!m->dev.readwrite || m->streaming) {
		err = EINVAL;
	} else if (m->head == NULL) {
		err = EAGAIN;
	} else {
		uint8_t *frame = malloc(m->sizeimage);
		assert_non_null(frame);
		render(m, frame);
		size_t n = (size_t)arg->data_len < m->sizeimage ? (size_t)arg->data_len : m->sizeimage;
		if (m->short_next) {
			n /= 2;
			m->short_next = false;
		}
		memcpy(arg->data, frame, n);
		free(frame);
		m->reads++;
		ret = (long)n;
	}
	pthread_mutex_unlock(&m->lock);
	umockdev_ioctl_client_complete(client, ret, err);
	return TRUE;
}

mock_cam *mock_cam_new(void)
{
	mock_cam *m = calloc(1, sizeof *m);
	assert_non_null(m);
	pthread_mutex_init(&m->lock, NULL);
	mock_bed_new(&m->bed, &m->handler, G_CALLBACK(on_ioctl), m);
	g_signal_connect(m->handler, "handle-read", G_CALLBACK(on_read), m);
	return m;
}

void mock_cam_free(mock_cam *m)
{
	if (m == NULL)
		return;
	mock_cam_unplug(m);
	mock_bed_free(m->bed, m->handler);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

void mock_cam_plug(mock_cam *m, const mock_cam_dev *dev)
{
	assert_true(dev->n_formats >= 1 && dev->n_formats <= MOCK_CAM_FORMATS_MAX);
	pthread_mutex_lock(&m->lock);
	m->dev = *dev;
	snprintf(m->card, sizeof m->card, "%s", dev->card != NULL ? dev->card : "Mock Camera");
	m->dev.card = m->card;
	if (m->dev.min_w < 1)
		m->dev.min_w = 1;
	if (m->dev.min_h < 1)
		m->dev.min_h = 1;
	m->fourcc = dev->formats[0];
	m->w = dev->max_w;
	m->h = dev->max_h;
	m->nbuf = m->nqueued = 0;
	m->streaming = false;
	m->plugged = true;
	bool attach = !m->attached;
	m->attached = true;
	pthread_mutex_unlock(&m->lock);
	if (attach) {
		GError *error = NULL;
		/* The handler first: the node must answer as soon as it exists. */
		assert_true(umockdev_testbed_attach_ioctl(m->bed, NODE, m->handler, &error));
		assert_true(umockdev_testbed_add_from_string(m->bed,
			"P: /devices/virtual/video4linux/video0\n"
			"N: video0\n"
			"E: SUBSYSTEM=video4linux\n"
			"E: DEVNAME=/dev/video0\n"
			"A: name=Mock Camera\\n\n", &error));
	}
}

static void drop_pictures(mock_cam *m)
{
	while (m->head != NULL) {
		picture *p = m->head;
		m->head = p->next;
		free(p);
	}
	m->tail = NULL;
	m->npics = 0;
}

void mock_cam_unplug(mock_cam *m)
{
	pthread_mutex_lock(&m->lock);
	m->plugged = false;
	m->streaming = false;
	m->nbuf = m->nqueued = 0;
	drop_pictures(m); /* what was in flight is lost */
	pthread_mutex_unlock(&m->lock);
}

void mock_cam_push(mock_cam *m, const uint8_t *grey, int w, int h)
{
	assert_true(w > 0 && h > 0);
	picture *p = malloc(sizeof *p + (size_t)w * (size_t)h);
	assert_non_null(p);
	p->next = NULL;
	p->w = w;
	p->h = h;
	memcpy(p->px, grey, (size_t)w * (size_t)h);
	pthread_mutex_lock(&m->lock);
	if (m->tail != NULL)
		m->tail->next = p;
	else
		m->head = p;
	m->tail = p;
	m->npics++;
	pthread_mutex_unlock(&m->lock);
}

void mock_cam_damage_next(mock_cam *m)
{
	pthread_mutex_lock(&m->lock);
	m->damage_next = true;
	pthread_mutex_unlock(&m->lock);
}

void mock_cam_short_next(mock_cam *m)
{
	pthread_mutex_lock(&m->lock);
	m->short_next = true;
	pthread_mutex_unlock(&m->lock);
}

mock_cam_state mock_cam_get(mock_cam *m)
{
	pthread_mutex_lock(&m->lock);
	mock_cam_state s = {
		.fourcc = m->fourcc, .w = m->w, .h = m->h, .bytesperline = m->bpl,
		.memory = m->memory, .streaming = m->streaming, .delivered = m->delivered,
		.reads = m->reads, .opens = m->opens, .queued = m->npics,
	};
	pthread_mutex_unlock(&m->lock);
	return s;
}
