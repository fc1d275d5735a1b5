/*
 * mock_usbfs.c - the usbfs side of a mocked USB device (see mock_usbfs.h).
 *
 * URB bookkeeping: SUBMITURB resolves the URB and its buffer while the
 * client's memory is reachable (only during the ioctl), keeps both, and either
 * completes the URB at once (OUT, control) or parks it until the test queues
 * data for its endpoint (IN). REAPURB(NDELAY) hands back one completed URB by
 * pointing the client's URB pointer at the kept copy
 * (umockdev_ioctl_data_set_ptr), which umockdev writes back into the client
 * with its buffer. Nothing to reap answers EAGAIN after a short sleep so that
 * libusb's poll loop (the mocked node is a plain file, always "ready") does
 * not spin a whole core.
 */
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <umockdev.h>

#include "test.h"
#include "mock_bed.h"
#include "mock_usbfs.h"

#define URB_MAX 64

typedef struct urb_rec {
	bool used;
	unsigned gen;               /* device number the URB was submitted to */
	uint8_t ep;
	UMockdevIoctlData *urb;     /* resolved struct usbdevfs_urb (owned ref) */
	UMockdevIoctlData *buf;     /* resolved buffer, NULL when empty (owned ref) */
	unsigned long seq;          /* completion order */
} urb_rec;

typedef struct in_pkt {
	struct in_pkt *next;
	size_t len;
	uint8_t data[];
} in_pkt;

struct mock_usb {
	UMockdevTestbed *bed;
	UMockdevIoctlBase *handler;
	pthread_mutex_t lock;

	/* the device; gen is its device number, 0 when nothing is plugged */
	mock_usb_dev dev;
	uint8_t hid_report[4096];
	unsigned gen, last_gen;
	char syspath[256];
	bool claimed[32];
	bool bound[32];
	bool held[32];              /* by another program */
	unsigned claims;            /* of the plugged device */
	unsigned plugs;
	int starve_ep; /* -1: off */

	urb_rec pending[URB_MAX];   /* IN URBs waiting for data */
	urb_rec done[URB_MAX];      /* completed, waiting to be reaped */
	unsigned long seq;

	in_pkt *in_head[16], *in_tail[16];
	size_t in_count[16];

	GByteArray *out_log[16];
	unsigned out_urbs[16];
	size_t out_limit[16];
	mock_usb_out_fn out_fn;
	void *out_user;

	int class_req;
	uint16_t class_value;
	size_t class_n;             /* sent to the plugged device */
	uint8_t class_log_req[MOCK_USB_CLASS_LOG];
	uint16_t class_log_value[MOCK_USB_CLASS_LOG];
};

static unsigned node_gen(const char *devnode)
{
	const char *slash = strrchr(devnode, '/');
	if (slash == NULL)
		return 0;
	char *end = NULL;
	long v = strtol(slash + 1, &end, 10);
	return (end != slash + 1 && *end == '\0' && v > 0 && v < 1000) ? (unsigned)v : 0;
}

static void rec_free(urb_rec *r)
{
	if (r->buf != NULL)
		g_object_unref(r->buf);
	if (r->urb != NULL)
		g_object_unref(r->urb);
	memset(r, 0, sizeof(*r));
}

static urb_rec *slot(urb_rec *tab)
{
	for (size_t i = 0; i < URB_MAX; i++)
		if (!tab[i].used)
			return &tab[i];
	/* on the handler thread: cmocka cannot fail from here */
	fprintf(stderr, "mock_usbfs: more than %d URBs in flight\n", URB_MAX);
	abort();
}

/* Moves a pending record into done with the given status and length. */
static void finish(mock_usb *m, urb_rec *r, int status, int actual)
{
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)r->urb->data;
	u->status = status;
	u->actual_length = actual;
	urb_rec *d = slot(m->done);
	*d = *r;
	d->seq = ++m->seq;
	memset(r, 0, sizeof(*r));
}

/* Completes pending IN URBs for which data is queued. Lock held. */
static void feed(mock_usb *m)
{
	for (;;) {
		urb_rec *best = NULL;
		for (size_t i = 0; i < URB_MAX; i++) {
			urb_rec *r = &m->pending[i];
			if (r->used && r->gen == m->gen && m->in_head[r->ep & 0x0F] != NULL &&
			    (best == NULL || r->seq < best->seq))
				best = r;
		}
		if (best == NULL)
			return;
		unsigned k = best->ep & 0x0F;
		in_pkt *p = m->in_head[k];
		m->in_head[k] = p->next;
		if (p->next == NULL)
			m->in_tail[k] = NULL;
		m->in_count[k]--;
		struct usbdevfs_urb *u = (struct usbdevfs_urb *)best->urb->data;
		size_t n = p->len;
		int status = 0;
		if (n > (size_t)u->buffer_length) {
			n = (size_t)u->buffer_length;
			status = -EOVERFLOW; /* babble, as the kernel reports it */
		}
		if (n > 0)
			memcpy(best->buf->data, p->data, n);
		free(p);
		finish(m, best, status, (int)n);
	}
}

static void unplug_locked(mock_usb *m)
{
	if (m->gen == 0)
		return;
	for (size_t i = 0; i < URB_MAX; i++)
		if (m->pending[i].used && m->pending[i].gen == m->gen)
			finish(m, &m->pending[i], -ESHUTDOWN, 0);
	/* What the device had buffered goes with it. */
	for (size_t k = 0; k < 16; k++) {
		while (m->in_head[k] != NULL) {
			in_pkt *p = m->in_head[k];
			m->in_head[k] = p->next;
			free(p);
		}
		m->in_tail[k] = NULL;
		m->in_count[k] = 0;
	}
	umockdev_testbed_remove_device(m->bed, m->syspath);
	m->last_gen = m->gen;
	m->gen = 0;
	m->starve_ep = -1;
	memset(m->claimed, 0, sizeof(m->claimed));
	memset(m->held, 0, sizeof(m->held));
}

/* A control URB, answered at once. Lock held. */
static void control(mock_usb *m, urb_rec *r)
{
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)r->urb->data;
	if (r->buf == NULL || u->buffer_length < 8) {
		finish(m, r, -EPIPE, 0);
		return;
	}
	uint8_t *b = r->buf->data;
	uint8_t type = b[0], req = b[1];
	uint16_t value = (uint16_t)(b[2] | b[3] << 8);
	uint16_t index = (uint16_t)(b[4] | b[5] << 8);
	uint16_t length = (uint16_t)(b[6] | b[7] << 8);
	size_t room = (size_t)u->buffer_length - 8;
	if (length < room)
		room = length;
	if (type == 0x81 && req == 0x06 && (value >> 8) == 0x22 && index == m->dev.iface &&
	    m->dev.hid_report_len > 0) {
		size_t n = m->dev.hid_report_len < room ? m->dev.hid_report_len : room;
		memcpy(b + 8, m->hid_report, n);
		finish(m, r, 0, (int)n);
	} else if (type == 0x21) {
		m->class_req = req;
		m->class_value = value;
		if (m->class_n < MOCK_USB_CLASS_LOG) {
			m->class_log_req[m->class_n] = req;
			m->class_log_value[m->class_n] = value;
		}
		m->class_n++;
		finish(m, r, 0, 0);
	} else {
		finish(m, r, -EPIPE, 0);
	}
}

static void submit(mock_usb *m, UMockdevIoctlClient *client, UMockdevIoctlData *arg,
                   unsigned gen)
{
	UMockdevIoctlData *ud = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
	if (ud == NULL) {
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return;
	}
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)ud->data;
	UMockdevIoctlData *bd = NULL;
	if (u->buffer_length > 0)
		bd = umockdev_ioctl_data_resolve(ud, G_STRUCT_OFFSET(struct usbdevfs_urb, buffer),
		                                 (gsize)u->buffer_length, NULL);
	uint8_t ep = u->endpoint;
	unsigned k = ep & 0x0F;

	mock_usb_out_fn fn = NULL;
	void *user = NULL;
	uint8_t *copy = NULL;
	size_t copy_len = 0;

	pthread_mutex_lock(&m->lock);
	urb_rec *r = slot(m->pending);
	*r = (urb_rec){.used = true, .gen = gen, .ep = ep, .urb = ud, .buf = bd, .seq = ++m->seq};
	if (u->type == USBDEVFS_URB_TYPE_CONTROL) {
		control(m, r);
	} else if (ep & 0x80) {
		if (m->starve_ep == ep && m->in_head[k] == NULL) {
			unplug_locked(m);
		} else {
			feed(m);
		}
	} else {
		size_t n = (size_t)u->buffer_length;
		if (m->out_limit[k] > 0 && n > m->out_limit[k])
			n = m->out_limit[k];
		if (n > 0) {
			g_byte_array_append(m->out_log[k], bd->data, (guint)n);
			copy = g_memdup2(bd->data, n);
			copy_len = n;
		}
		m->out_urbs[k]++;
		fn = m->out_fn;
		user = m->out_user;
		finish(m, r, 0, (int)n);
	}
	pthread_mutex_unlock(&m->lock);

	umockdev_ioctl_client_complete(client, 0, 0);
	if (fn != NULL && !(ep & 0x80) && u->type != USBDEVFS_URB_TYPE_CONTROL)
		fn(m, user, ep, copy, copy_len);
	g_free(copy);
}

static void reap(mock_usb *m, UMockdevIoctlClient *client, UMockdevIoctlData *arg,
                 unsigned gen)
{
	pthread_mutex_lock(&m->lock);
	if (gen == m->gen)
		feed(m);
	urb_rec *best = NULL;
	for (size_t i = 0; i < URB_MAX; i++) {
		urb_rec *r = &m->done[i];
		if (r->used && r->gen == gen && (best == NULL || r->seq < best->seq))
			best = r;
	}
	if (best == NULL) {
		bool gone = gen != m->gen;
		pthread_mutex_unlock(&m->lock);
		if (!gone)
			g_usleep(300);
		umockdev_ioctl_client_complete(client, -1, gone ? ENODEV : EAGAIN);
		return;
	}
	urb_rec r = *best;
	memset(best, 0, sizeof(*best));
	pthread_mutex_unlock(&m->lock);

	UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), NULL);
	g_assert(ptr != NULL);
	umockdev_ioctl_data_set_ptr(ptr, 0, r.urb);
	g_object_unref(ptr);
	umockdev_ioctl_client_complete(client, 0, 0);
	rec_free(&r);
}

static void discard(mock_usb *m, UMockdevIoctlClient *client, UMockdevIoctlData *arg,
                    unsigned gen)
{
	gulong addr = *(gulong *)arg->data;
	pthread_mutex_lock(&m->lock);
	int err = EINVAL;
	for (size_t i = 0; i < URB_MAX; i++) {
		urb_rec *r = &m->pending[i];
		if (r->used && r->gen == gen && r->urb->client_addr == addr) {
			finish(m, r, -ENOENT, 0);
			err = 0;
			break;
		}
	}
	if (err != 0 && gen != m->gen)
		err = ENODEV;
	pthread_mutex_unlock(&m->lock);
	umockdev_ioctl_client_complete(client, err ? -1 : 0, err);
}

/* An ioctl that reads or writes a small struct: resolve, let f change it. */
static UMockdevIoctlData *arg_struct(UMockdevIoctlData *arg, size_t size)
{
	return umockdev_ioctl_data_resolve(arg, 0, size, NULL);
}

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer data)
{
	(void)handler;
	mock_usb *m = data;
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	unsigned gen = node_gen(umockdev_ioctl_client_get_devnode(client));

	if (request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY) {
		reap(m, client, arg, gen);
		return TRUE;
	}
	if (request == USBDEVFS_DISCARDURB) {
		discard(m, client, arg, gen);
		return TRUE;
	}
	pthread_mutex_lock(&m->lock);
	bool live = gen != 0 && gen == m->gen;
	pthread_mutex_unlock(&m->lock);
	if (!live) {
		umockdev_ioctl_client_complete(client, -1, ENODEV);
		return TRUE;
	}
	if (request == USBDEVFS_SUBMITURB) {
		submit(m, client, arg, gen);
		return TRUE;
	}

	int ret = 0, err = 0;
	UMockdevIoctlData *d = NULL;
	pthread_mutex_lock(&m->lock);
	switch (request) {
	case USBDEVFS_GET_CAPABILITIES:
		d = arg_struct(arg, sizeof(uint32_t));
		*(uint32_t *)d->data = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
		                       USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
		                       USBDEVFS_CAP_BULK_SCATTER_GATHER |
		                       USBDEVFS_CAP_REAP_AFTER_DISCONNECT;
		break;
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE: {
		d = arg_struct(arg, sizeof(unsigned));
		unsigned i = *(unsigned *)d->data;
		if (i != m->dev.iface) {
			ret = -1, err = ENOENT;
		} else if (request == USBDEVFS_RELEASEINTERFACE) {
			m->claimed[i] = false;
		} else if (m->bound[i] || m->held[i]) {
			ret = -1, err = EBUSY;
		} else {
			m->claimed[i] = true;
			m->claims++;
		}
		break;
	}
	case USBDEVFS_DISCONNECT_CLAIM: {
		d = arg_struct(arg, sizeof(struct usbdevfs_disconnect_claim));
		struct usbdevfs_disconnect_claim *dc = (void *)d->data;
		if (dc->interface != m->dev.iface) {
			ret = -1, err = ENOENT;
		} else if (m->held[dc->interface]) {
			ret = -1, err = EBUSY; /* the driver is usbfs: not disconnected */
		} else {
			m->bound[dc->interface] = false;
			m->claimed[dc->interface] = true;
			m->claims++;
		}
		break;
	}
	case USBDEVFS_GETDRIVER: {
		d = arg_struct(arg, sizeof(struct usbdevfs_getdriver));
		struct usbdevfs_getdriver *gd = (void *)d->data;
		if (gd->interface < 32 && m->bound[gd->interface])
			snprintf(gd->driver, sizeof(gd->driver), "usbhid");
		else if (gd->interface < 32 && (m->claimed[gd->interface] || m->held[gd->interface]))
			snprintf(gd->driver, sizeof(gd->driver), "usbfs");
		else
			ret = -1, err = ENODATA;
		break;
	}
	case USBDEVFS_IOCTL: {
		d = arg_struct(arg, sizeof(struct usbdevfs_ioctl));
		struct usbdevfs_ioctl *io = (void *)d->data;
		if (io->ifno != m->dev.iface) {
			ret = -1, err = EINVAL;
		} else if ((unsigned)io->ioctl_code == USBDEVFS_DISCONNECT) {
			if (m->held[io->ifno])
				ret = -1, err = EBUSY;
			else if (m->bound[io->ifno])
				m->bound[io->ifno] = false;
			else
				ret = -1, err = ENODATA;
		} else if ((unsigned)io->ioctl_code == USBDEVFS_CONNECT) {
			if (m->claimed[io->ifno]) {
				ret = -1, err = EBUSY;
			} else if (m->dev.kernel_driver) {
				m->bound[io->ifno] = true;
				ret = 1;
			}
		} else {
			ret = -1, err = ENOTTY;
		}
		break;
	}
	case USBDEVFS_SETCONFIGURATION:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESETEP:
	case USBDEVFS_RESET:
		break;
	default:
		ret = -1, err = ENOTTY;
		break;
	}
	pthread_mutex_unlock(&m->lock);
	if (d != NULL)
		g_object_unref(d);
	umockdev_ioctl_client_complete(client, ret, err);
	return TRUE;
}

mock_usb *mock_usb_new(void)
{
	mock_usb *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	pthread_mutex_init(&m->lock, NULL);
	mock_bed_new(&m->bed, &m->handler, G_CALLBACK(on_ioctl), m);
	for (size_t i = 0; i < 16; i++)
		m->out_log[i] = g_byte_array_new();
	m->starve_ep = -1;
	m->class_req = -1;
	return m;
}

void mock_usb_free(mock_usb *m)
{
	if (m == NULL)
		return;
	pthread_mutex_lock(&m->lock);
	unplug_locked(m);
	pthread_mutex_unlock(&m->lock);
	mock_bed_free(m->bed, m->handler);
	for (size_t i = 0; i < URB_MAX; i++) {
		if (m->pending[i].used)
			rec_free(&m->pending[i]);
		if (m->done[i].used)
			rec_free(&m->done[i]);
	}
	for (size_t i = 0; i < 16; i++) {
		while (m->in_head[i] != NULL) {
			in_pkt *p = m->in_head[i];
			m->in_head[i] = p->next;
			free(p);
		}
		g_byte_array_unref(m->out_log[i]);
	}
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* Device, configuration, interface, [HID], endpoint descriptors. */
static size_t descriptors(const mock_usb_dev *d, uint8_t *out, size_t cap)
{
	size_t n = 0;
	bool hid = d->iface_class == 3;
	size_t total = 9 + 9 + (hid ? 9 : 0) + 7 * d->n_ep;
	assert_true(18 + total <= cap);
	const uint8_t dev[18] = {18, 1, 0x00, 0x02, 0, 0, 0, 64,
	                         (uint8_t)d->vid, (uint8_t)(d->vid >> 8),
	                         (uint8_t)d->pid, (uint8_t)(d->pid >> 8),
	                         0x00, 0x01, 1, 2, 3, 1};
	memcpy(out + n, dev, sizeof(dev));
	n += sizeof(dev);
	const uint8_t cfg[9] = {9, 2, (uint8_t)total, (uint8_t)(total >> 8), 1, 1, 0, 0x80, 50};
	memcpy(out + n, cfg, sizeof(cfg));
	n += sizeof(cfg);
	const uint8_t itf[9] = {9, 4, d->iface, 0, (uint8_t)d->n_ep, d->iface_class,
	                        d->iface_subclass, d->iface_protocol, 0};
	memcpy(out + n, itf, sizeof(itf));
	n += sizeof(itf);
	if (hid) {
		const uint8_t h[9] = {9, 0x21, 0x11, 0x01, 0, 1, 0x22,
		                      (uint8_t)d->hid_report_len, (uint8_t)(d->hid_report_len >> 8)};
		memcpy(out + n, h, sizeof(h));
		n += sizeof(h);
	}
	for (size_t i = 0; i < d->n_ep; i++) {
		const uint8_t e[7] = {7, 5, d->ep[i].address, d->ep[i].type,
		                      (uint8_t)d->ep[i].max_packet, (uint8_t)(d->ep[i].max_packet >> 8),
		                      (uint8_t)(d->ep[i].type == 3 ? 10 : 0)};
		memcpy(out + n, e, sizeof(e));
		n += sizeof(e);
	}
	return n;
}

void mock_usb_plug(mock_usb *m, const mock_usb_dev *dev)
{
	assert_true(dev->n_ep <= MOCK_USB_EP_MAX);
	assert_true(dev->hid_report_len <= sizeof(m->hid_report));
	assert_true(dev->iface < 32);
	pthread_mutex_lock(&m->lock);
	assert_int_equal(m->gen, 0);
	unsigned gen = m->last_gen + 1;
	if (gen < 2)
		gen = 2;
	m->dev = *dev;
	if (dev->hid_report_len > 0)
		memcpy(m->hid_report, dev->hid_report, dev->hid_report_len);
	m->dev.hid_report = m->hid_report;
	memset(m->claimed, 0, sizeof(m->claimed));
	memset(m->bound, 0, sizeof(m->bound));
	memset(m->held, 0, sizeof(m->held));
	m->bound[dev->iface] = dev->kernel_driver;
	m->class_n = 0;
	m->claims = 0;
	m->plugs++;
	pthread_mutex_unlock(&m->lock);

	uint8_t desc[256];
	size_t n = descriptors(dev, desc, sizeof(desc));
	char hex[2 * sizeof(desc) + 1];
	for (size_t i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02X", desc[i]);
	char node[64];
	snprintf(node, sizeof(node), "/dev/bus/usb/001/%03u", gen);
	GError *error = NULL;
	/* The handler first: the node must answer as soon as it exists. */
	assert_true(umockdev_testbed_attach_ioctl(m->bed, node, m->handler, &error));
	char text[2048];
	snprintf(text, sizeof(text),
	         "P: /devices/usb%u\n"
	         "N: bus/usb/001/%03u\n"
	         "E: SUBSYSTEM=usb\n"
	         "E: DEVTYPE=usb_device\n"
	         "E: DEVNAME=/dev/bus/usb/001/%03u\n"
	         "E: BUSNUM=001\n"
	         "E: DEVNUM=%03u\n"
	         "A: busnum=1\\n\n"
	         "A: devnum=%u\\n\n"
	         "A: speed=12\\n\n"
	         "A: bConfigurationValue=1\\n\n"
	         "A: dev=189:%u\\n\n"
	         "H: descriptors=%s\n",
	         gen, gen, gen, gen, gen, gen, hex);
	assert_true(umockdev_testbed_add_from_string(m->bed, text, &error));
	pthread_mutex_lock(&m->lock);
	snprintf(m->syspath, sizeof(m->syspath), "/sys/devices/usb%u", gen);
	m->gen = gen;
	pthread_mutex_unlock(&m->lock);
}

void mock_usb_unplug(mock_usb *m)
{
	pthread_mutex_lock(&m->lock);
	unplug_locked(m);
	pthread_mutex_unlock(&m->lock);
}

void mock_usb_unplug_on_starved_in(mock_usb *m, uint8_t ep)
{
	pthread_mutex_lock(&m->lock);
	m->starve_ep = ep;
	pthread_mutex_unlock(&m->lock);
}

void mock_usb_on_out(mock_usb *m, mock_usb_out_fn fn, void *user)
{
	pthread_mutex_lock(&m->lock);
	m->out_fn = fn;
	m->out_user = user;
	pthread_mutex_unlock(&m->lock);
}

void mock_usb_out_limit(mock_usb *m, uint8_t ep, size_t max)
{
	pthread_mutex_lock(&m->lock);
	m->out_limit[ep & 0x0F] = max;
	pthread_mutex_unlock(&m->lock);
}

void mock_usb_push_in(mock_usb *m, uint8_t ep, const void *data, size_t len)
{
	in_pkt *p = malloc(sizeof(*p) + len + 1);
	assert_non_null(p);
	p->next = NULL;
	p->len = len;
	if (len > 0)
		memcpy(p->data, data, len);
	unsigned k = ep & 0x0F;
	pthread_mutex_lock(&m->lock);
	if (m->in_tail[k] != NULL)
		m->in_tail[k]->next = p;
	else
		m->in_head[k] = p;
	m->in_tail[k] = p;
	m->in_count[k]++;
	pthread_mutex_unlock(&m->lock);
}

void mock_usb_push_in_chunked(mock_usb *m, uint8_t ep, const void *data, size_t len,
                              size_t chunk)
{
	const uint8_t *p = data;
	assert_true(chunk > 0);
	while (len > 0) {
		size_t n = len < chunk ? len : chunk;
		mock_usb_push_in(m, ep, p, n);
		p += n;
		len -= n;
	}
}

size_t mock_usb_in_queued(mock_usb *m, uint8_t ep)
{
	pthread_mutex_lock(&m->lock);
	size_t n = m->in_count[ep & 0x0F];
	pthread_mutex_unlock(&m->lock);
	return n;
}

size_t mock_usb_out_take(mock_usb *m, uint8_t ep, uint8_t *buf, size_t cap)
{
	pthread_mutex_lock(&m->lock);
	GByteArray *a = m->out_log[ep & 0x0F];
	size_t n = a->len < cap ? a->len : cap;
	memcpy(buf, a->data, n);
	g_byte_array_remove_range(a, 0, (guint)n);
	pthread_mutex_unlock(&m->lock);
	return n;
}

unsigned mock_usb_out_urbs(mock_usb *m, uint8_t ep)
{
	pthread_mutex_lock(&m->lock);
	unsigned n = m->out_urbs[ep & 0x0F];
	pthread_mutex_unlock(&m->lock);
	return n;
}

bool mock_usb_claimed(mock_usb *m, uint8_t iface)
{
	pthread_mutex_lock(&m->lock);
	bool v = m->gen != 0 && iface < 32 && m->claimed[iface];
	pthread_mutex_unlock(&m->lock);
	return v;
}

bool mock_usb_driver_bound(mock_usb *m, uint8_t iface)
{
	pthread_mutex_lock(&m->lock);
	bool v = m->gen != 0 && iface < 32 && m->bound[iface];
	pthread_mutex_unlock(&m->lock);
	return v;
}

unsigned mock_usb_plug_count(mock_usb *m)
{
	pthread_mutex_lock(&m->lock);
	unsigned v = m->plugs;
	pthread_mutex_unlock(&m->lock);
	return v;
}

int mock_usb_last_class_request(mock_usb *m, uint16_t *value)
{
	pthread_mutex_lock(&m->lock);
	int r = m->class_req;
	if (value != NULL)
		*value = m->class_value;
	pthread_mutex_unlock(&m->lock);
	return r;
}

size_t mock_usb_class_requests(mock_usb *m, uint8_t *req, uint16_t *value, size_t cap)
{
	pthread_mutex_lock(&m->lock);
	size_t n = m->class_n;
	for (size_t i = 0; i < n && i < cap && i < MOCK_USB_CLASS_LOG; i++) {
		if (req != NULL)
			req[i] = m->class_log_req[i];
		if (value != NULL)
			value[i] = m->class_log_value[i];
	}
	pthread_mutex_unlock(&m->lock);
	return n;
}

void mock_usb_hold(mock_usb *m, uint8_t iface, bool held)
{
	pthread_mutex_lock(&m->lock);
	if (m->gen != 0 && iface < 32)
		m->held[iface] = held;
	pthread_mutex_unlock(&m->lock);
}

unsigned mock_usb_claim_count(mock_usb *m)
{
	pthread_mutex_lock(&m->lock);
	unsigned v = m->claims;
	pthread_mutex_unlock(&m->lock);
	return v;
}
