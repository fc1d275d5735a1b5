/*
 * scanner.c - the USB barcode scanner driver (scanner.h): finding and
 * claiming the HID interface, reading its report descriptor, interrupt IN
 * transfers decoded by hid.h, and reopening after an unplug.
 *
 * The driver is a small state machine driven by tqk_scanner_poll: with no
 * device it tries to open one when its backoff allows and otherwise
 * sleeps; with a device it reads one report at a time (a synchronous
 * interrupt transfer bounded by the poll's timeout) and hands out the scans
 * the decoder ends. A transfer that fails for good closes the device and
 * the next polls start over, with a fresh libusb context each attempt.
 */
#include "dev/scanner.h"

#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#include "dev/devsys.h"
#include "dev/usbaddr.h"

#define CTRL_TIMEOUT_MS 1000
#define CAND_MAX 32            /* HID interfaces of one device looked at */
#define ERRORS_MAX 3           /* transfer errors in a row before reopening */
#define SKIP_MAX 8             /* devices remembered as no scanner */
#define MS_MAX 60000u

/* HID class requests and descriptor types (HID 1.11, 7.2 and 7.1). */
#define HID_SET_IDLE 0x0A
#define HID_SET_PROTOCOL 0x0B
#define HID_PROTOCOL_BOOT 0
#define DT_HID 0x21
#define DT_REPORT 0x22
#define REQ_OUT_CLASS_IFACE 0x21
#define REQ_IN_STD_IFACE 0x81

/* A device found to be no scanner (or with a descriptor that does not
 * parse), known by where it is plugged: probing it again would detach its
 * kernel driver again (a touch screen would stutter every few seconds), so
 * the verdict stands until it is unplugged. */
typedef struct verdict {
	uint8_t bus, addr;
	tqk_err err;
} verdict;

struct tqk_scanner {
	tqk_scanner_spec spec;
	tqk_scanner_opts o;
	tqk_scanner_state state;
	tqk_err why;
	long long next_try;
	unsigned backoff;

	/* the open device; h is NULL when there is none */
	libusb_context *ctx;
	libusb_device_handle *h;
	int iface;
	uint8_t ep;
	size_t req;                /* bytes asked for per transfer */
	unsigned errors;           /* transfer errors in a row */
	tqk_hid_source mode;
	tqk_hid_kbd_layout kbd_lay;
	tqk_hid_pos_layout pos_lay;
	tqk_hid_kbd kbd;
	tqk_hid_pos pos;
	long long last_report;
	size_t n_verdicts;
	verdict verdicts[SKIP_MAX];

	uint8_t buf[TQK_HID_REPORT_MAX];
	uint8_t desc[TQK_HID_DESC_MAX];
};

/* A HID interface worth probing. */
typedef struct cand {
	int iface;
	bool boot_kbd;             /* subclass 1 (boot), protocol 1 (keyboard) */
	uint8_t ep;
	uint16_t mps;
	size_t desc_len;
} cand;

/* While opening, a device that vanishes was simply not found. */
static tqk_err open_err(int rc)
{
	tqk_err err = tqk_usb_err(rc);
	return err == TQK_E_DEV_GONE ? TQK_E_DEV_NOT_FOUND : err;
}

/* ---- the address --------------------------------------------------------- */

tqk_err tqk_scanner_spec_parse(const char *s, tqk_scanner_spec *out)
{
	if (s == NULL || strnlen(s, TQK_DEV_SPEC_CAP) >= TQK_DEV_SPEC_CAP ||
	    strncmp(s, "usb:", 4) != 0)
		return TQK_E_DEV_SPEC;
	s += 4;
	tqk_scanner_spec spec = {.iface = -1};
	unsigned vid, pid, v;
	if (strncmp(s, "hid", 3) == 0 && (s[3] == '\0' || s[3] == '?')) {
		spec.any = true;
		s += 3;
	} else {
		if (!tqk_usb_hex(&s, 4, &vid) || *s++ != ':' || !tqk_usb_hex(&s, 4, &pid))
			return TQK_E_DEV_SPEC;
		spec.vid = (uint16_t)vid;
		spec.pid = (uint16_t)pid;
	}
	if (*s == '?') {
		bool seen_iface = false, seen_ep = false;
		do {
			s++;
			if (strncmp(s, "iface=", 6) == 0 && !seen_iface) {
				s += 6;
				if (!tqk_usb_dec(&s, 3, &v) || v > 255)
					return TQK_E_DEV_SPEC;
				spec.iface = (int)v;
				seen_iface = true;
			} else if (strncmp(s, "ep=", 3) == 0 && !seen_ep) {
				s += 3;
				if (!tqk_usb_hex(&s, 2, &v) || v < 0x81 || v > 0x8F)
					return TQK_E_DEV_SPEC;
				spec.ep = (uint8_t)v;
				seen_ep = true;
			} else {
				return TQK_E_DEV_SPEC;
			}
		} while (*s == '&');
	}
	if (*s != '\0')
		return TQK_E_DEV_SPEC;
	*out = spec;
	return TQK_OK;
}

/* ---- opening ------------------------------------------------------------- */

/* The report descriptor's length from the HID class descriptor among the
 * interface's extra descriptors; the cap when it is not there. */
static size_t report_desc_len(const struct libusb_interface_descriptor *alt)
{
	const uint8_t *x = alt->extra;
	size_t n = alt->extra_length > 0 ? (size_t)alt->extra_length : 0;
	for (size_t i = 0; i + 2 <= n && x[i] >= 2 && x[i] <= n - i; i += x[i]) {
		if (x[i + 1] != DT_HID || x[i] < 9)
			continue;
		for (size_t k = 0; k < x[i + 5] && 6 + 3 * k + 3 <= x[i]; k++) {
			const uint8_t *e = x + i + 6 + 3 * k;
			if (e[0] == DT_REPORT) {
				size_t len = (size_t)e[1] | (size_t)e[2] << 8;
				return len > 0 && len < TQK_HID_DESC_MAX ? len : TQK_HID_DESC_MAX;
			}
		}
	}
	return TQK_HID_DESC_MAX;
}

/* Whether alt is a HID interface the address allows, with an interrupt IN
 * endpoint; fills *c. */
static bool candidate(const tqk_scanner_spec *spec, const struct libusb_interface_descriptor *alt,
                      cand *c)
{
	if (alt->bInterfaceClass != LIBUSB_CLASS_HID ||
	    (spec->iface >= 0 && alt->bInterfaceNumber != spec->iface))
		return false;
	for (int i = 0; i < alt->bNumEndpoints; i++) {
		const struct libusb_endpoint_descriptor *e = &alt->endpoint[i];
		if ((e->bmAttributes & 0x03) != LIBUSB_TRANSFER_TYPE_INTERRUPT ||
		    (e->bEndpointAddress & 0x80) == 0 ||
		    (spec->ep != 0 && e->bEndpointAddress != spec->ep))
			continue;
		c->iface = alt->bInterfaceNumber;
		c->boot_kbd = alt->bInterfaceSubClass == 1 && alt->bInterfaceProtocol == 1;
		c->ep = e->bEndpointAddress;
		c->mps = (uint16_t)(e->wMaxPacketSize & 0x7FF);
		if (c->mps == 0)
			c->mps = 8;
		c->desc_len = report_desc_len(alt);
		return true;
	}
	return false;
}

/* Claims c, reads and parses its report descriptor and says what it is.
 * On success the interface stays claimed. */
static tqk_err probe(tqk_scanner *s, libusb_device_handle *h, const cand *c, tqk_hid_desc *d,
                     tqk_hid_source *mode)
{
	int rc = libusb_claim_interface(h, c->iface);
	if (rc != LIBUSB_SUCCESS)
		return open_err(rc);
	tqk_err err = TQK_OK;
	int n = libusb_control_transfer(h, REQ_IN_STD_IFACE, LIBUSB_REQUEST_GET_DESCRIPTOR,
	                                DT_REPORT << 8, (uint16_t)c->iface, s->desc,
	                                (uint16_t)c->desc_len, CTRL_TIMEOUT_MS);
	if (n < 0)
		err = open_err(n);
	else if (tqk_hid_desc_parse(s->desc, (size_t)n, d, NULL) != TQK_OK)
		err = TQK_E_HID_DESC;
	if ((err == TQK_E_HID_DESC || err == TQK_E_DEV_IO) && c->boot_kbd) {
		/* the boot protocol needs no descriptor */
		memset(d, 0, sizeof *d);
		err = TQK_OK;
	}
	if (err == TQK_OK) {
		if (d->pos_found)
			*mode = TQK_HID_SRC_POS;
		else if (c->boot_kbd || (d->kbd_app && d->kbd_found))
			*mode = TQK_HID_SRC_KEYBOARD;
		else
			err = TQK_E_HID_KIND;
	}
	if (err != TQK_OK)
		(void)libusb_release_interface(h, c->iface);
	return err;
}

static int class_request(libusb_device_handle *h, uint8_t req, uint16_t value, int iface)
{
	return libusb_control_transfer(h, REQ_OUT_CLASS_IFACE, req, value, (uint16_t)iface, NULL, 0,
	                               CTRL_TIMEOUT_MS);
}

/* Makes the claimed interface c of h the scanner's, decoding as mode. */
static tqk_err take_over(tqk_scanner *s, libusb_device_handle *h, const cand *c,
                         const tqk_hid_desc *d, tqk_hid_source mode)
{
	size_t report_len;
	if (mode == TQK_HID_SRC_POS) {
		s->pos_lay = d->pos;
		report_len = d->pos.report_len;
	} else {
		s->kbd_lay = d->kbd;
		if (c->boot_kbd) {
			int rc = class_request(h, HID_SET_PROTOCOL, HID_PROTOCOL_BOOT, c->iface);
			if (rc == LIBUSB_SUCCESS)
				s->kbd_lay = tqk_hid_boot_layout;
			else if (!d->kbd_found)
				return open_err(rc);
		}
		/* report only on change; optional, many scanners stall it */
		(void)class_request(h, HID_SET_IDLE, 0, c->iface);
		report_len = s->kbd_lay.report_len;
	}
	size_t req = (report_len + c->mps - 1) / c->mps * c->mps;
	if (req > TQK_HID_REPORT_MAX)
		req = TQK_HID_REPORT_MAX / c->mps * c->mps;
	s->req = req > 0 ? req : c->mps;
	s->h = h;
	s->iface = c->iface;
	s->ep = c->ep;
	s->mode = mode;
	s->errors = 0;
	tqk_hid_kbd_init(&s->kbd, s->o.ends);
	tqk_hid_pos_init(&s->pos);
	return TQK_OK;
}

/* Opens dev when one of its HID interfaces is a scanner (POS before
 * keyboard). TQK_E_DEV_NOT_FOUND when it has no candidate. */
static tqk_err open_device(tqk_scanner *s, libusb_device *dev)
{
	struct libusb_config_descriptor *cfg = NULL;
	int rc = libusb_get_active_config_descriptor(dev, &cfg);
	if (rc != LIBUSB_SUCCESS)
		return open_err(rc);
	cand c[CAND_MAX];
	size_t n = 0;
	for (int i = 0; i < cfg->bNumInterfaces && n < CAND_MAX; i++)
		if (cfg->interface[i].num_altsetting > 0 &&
		    candidate(&s->spec, &cfg->interface[i].altsetting[0], &c[n]))
			n++;
	libusb_free_config_descriptor(cfg);
	if (n == 0)
		return TQK_E_DEV_NOT_FOUND;

	libusb_device_handle *h = NULL;
	rc = libusb_open(dev, &h);
	if (rc != LIBUSB_SUCCESS)
		return open_err(rc);
	/* not supported everywhere; the claim says what matters */
	(void)libusb_set_auto_detach_kernel_driver(h, 1);

	tqk_err err = TQK_E_DEV_NOT_FOUND;
	size_t best = n;
	tqk_hid_source best_mode = TQK_HID_SRC_NONE;
	tqk_hid_desc best_desc = {0}, d;
	for (size_t k = 0; k < n && best_mode != TQK_HID_SRC_POS; k++) {
		tqk_hid_source mode = TQK_HID_SRC_NONE;
		tqk_err e = probe(s, h, &c[k], &d, &mode);
		if (e != TQK_OK) {
			if (err == TQK_E_DEV_NOT_FOUND)
				err = e;
			continue;
		}
		if (best < n && mode != TQK_HID_SRC_POS) {
			(void)libusb_release_interface(h, c[k].iface);
			continue;
		}
		if (best < n)
			(void)libusb_release_interface(h, c[best].iface);
		best = k;
		best_mode = mode;
		best_desc = d;
	}
	if (best < n) {
		err = take_over(s, h, &c[best], &best_desc, best_mode);
		if (err == TQK_OK)
			return TQK_OK;
		(void)libusb_release_interface(h, c[best].iface);
	}
	libusb_close(h);
	return err;
}

static const verdict *verdict_of(const tqk_scanner *s, libusb_device *dev)
{
	uint8_t bus = libusb_get_bus_number(dev), addr = libusb_get_device_address(dev);
	for (size_t i = 0; i < s->n_verdicts; i++)
		if (s->verdicts[i].bus == bus && s->verdicts[i].addr == addr)
			return &s->verdicts[i];
	return NULL;
}

/* Keeps the verdicts on devices still in list[0..n). */
static void prune_verdicts(tqk_scanner *s, libusb_device **list, ssize_t n)
{
	verdict keep[SKIP_MAX];
	size_t k = 0;
	for (ssize_t i = 0; i < n && k < SKIP_MAX; i++) {
		const verdict *v = verdict_of(s, list[i]);
		if (v != NULL)
			keep[k++] = *v;
	}
	memcpy(s->verdicts, keep, k * sizeof keep[0]);
	s->n_verdicts = k;
}

/* open_device, unless dev has a verdict already (then that). */
static tqk_err open_or_recall(tqk_scanner *s, libusb_device *dev)
{
	const verdict *v = verdict_of(s, dev);
	if (v != NULL)
		return v->err;
	tqk_err err = open_device(s, dev);
	if ((err == TQK_E_HID_KIND || err == TQK_E_HID_DESC) && s->n_verdicts < SKIP_MAX)
		s->verdicts[s->n_verdicts++] = (verdict){libusb_get_bus_number(dev),
		                                         libusb_get_device_address(dev), err};
	return err;
}

/* One opening attempt over a fresh device list. */
static tqk_err try_open(tqk_scanner *s)
{
	int rc = libusb_init(&s->ctx);
	if (rc != LIBUSB_SUCCESS) {
		s->ctx = NULL;
		return rc == LIBUSB_ERROR_NO_MEM ? TQK_E_NOMEM : TQK_E_DEV_IO;
	}
	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(s->ctx, &list);
	tqk_err err = n < 0 ? open_err((int)n) : TQK_E_DEV_NOT_FOUND;
	prune_verdicts(s, list, n);
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor dd;
		if (libusb_get_device_descriptor(list[i], &dd) != LIBUSB_SUCCESS ||
		    (!s->spec.any && (dd.idVendor != s->spec.vid || dd.idProduct != s->spec.pid)))
			continue;
		tqk_err e = open_or_recall(s, list[i]);
		if (e == TQK_OK) {
			err = TQK_OK;
			break;
		}
		/* looking for any scanner, other HID devices are no failure */
		if (err == TQK_E_DEV_NOT_FOUND && !(s->spec.any && e == TQK_E_HID_KIND))
			err = e; /* the first reason a device there could not be used */
	}
	if (n >= 0)
		libusb_free_device_list(list, 1);
	if (err != TQK_OK) {
		libusb_exit(s->ctx);
		s->ctx = NULL;
	}
	return err;
}

/* Closes the device; gone: it was unplugged (nothing to release). */
static void close_device(tqk_scanner *s, bool gone)
{
	if (s->h != NULL) {
		if (!gone)
			(void)libusb_release_interface(s->h, s->iface);
		libusb_close(s->h);
		s->h = NULL;
	}
	if (s->ctx != NULL) {
		libusb_exit(s->ctx);
		s->ctx = NULL;
	}
}

/* ---- state and events ---------------------------------------------------- */

const char *tqk_scanner_state_code(tqk_scanner_state st)
{
	switch (st) {
	case TQK_SCANNER_READY:
		return "ready";
	case TQK_SCANNER_UNUSABLE:
		return "unusable";
	default:
		return "absent";
	}
}

static void event(tqk_scanner *s, tqk_scanner_ev kind, tqk_err err, tqk_scanner_event *ev)
{
	ev->kind = kind;
	ev->state = s->state;
	ev->err = err;
	ev->mode = s->state == TQK_SCANNER_READY ? s->mode : TQK_HID_SRC_NONE;
	if (kind != TQK_SCANNER_EV_SCAN) {
		ev->scan.err = TQK_OK;
		ev->scan.source = TQK_HID_SRC_NONE;
		ev->scan.sym[0] = '\0';
		ev->scan.len = 0;
		ev->scan.text[0] = '\0';
	}
}

/* Moves to st for why; true (and *ev filled) when that is news: another
 * state, or another reason for being unusable. */
static bool set_state(tqk_scanner *s, tqk_scanner_state st, tqk_err why, tqk_scanner_event *ev)
{
	bool news = st != s->state || (st == TQK_SCANNER_UNUSABLE && why != s->why);
	s->state = st;
	s->why = why;
	if (news)
		event(s, TQK_SCANNER_EV_STATE, why, ev);
	return news;
}

static bool attempt(tqk_scanner *s, tqk_scanner_event *ev)
{
	tqk_err err = try_open(s);
	if (err == TQK_OK) {
		s->backoff = s->o.retry_min_ms;
		return set_state(s, TQK_SCANNER_READY, TQK_OK, ev);
	}
	s->next_try = tqk_dev_now_ms() + s->backoff;
	s->backoff = s->backoff * 2 > s->o.retry_max_ms ? s->o.retry_max_ms : s->backoff * 2;
	return set_state(s, err == TQK_E_DEV_NOT_FOUND ? TQK_SCANNER_ABSENT : TQK_SCANNER_UNUSABLE,
	                 err, ev);
}

/* The device is lost: close it, try again soon. */
static void lost(tqk_scanner *s, tqk_err why, tqk_scanner_event *ev)
{
	close_device(s, why == TQK_E_DEV_GONE);
	s->backoff = s->o.retry_min_ms;
	s->next_try = tqk_dev_now_ms() + s->backoff;
	s->state = TQK_SCANNER_ABSENT;
	s->why = why;
	event(s, TQK_SCANNER_EV_STATE, why, ev);
}

static bool take(tqk_scanner *s, tqk_scanner_event *ev)
{
	bool got = s->mode == TQK_HID_SRC_POS ? tqk_hid_pos_take(&s->pos, &ev->scan)
	                                      : tqk_hid_kbd_take(&s->kbd, &ev->scan);
	if (got)
		event(s, TQK_SCANNER_EV_SCAN, ev->scan.err, ev);
	return got;
}

static bool pending(const tqk_scanner *s)
{
	return s->mode == TQK_HID_SRC_POS ? tqk_hid_pos_pending(&s->pos)
	                                  : tqk_hid_kbd_pending(&s->kbd);
}

/* Reads one report for up to wait ms; true when it made an event. */
static bool read_report(tqk_scanner *s, unsigned wait, tqk_scanner_event *ev)
{
	int got = 0;
	int rc = libusb_interrupt_transfer(s->h, s->ep, s->buf, (int)s->req, &got,
	                                   wait > 0 ? wait : 1);
	if (rc == LIBUSB_SUCCESS || (rc == LIBUSB_ERROR_TIMEOUT && got > 0)) {
		if (got <= 0)
			return false;
		s->last_report = tqk_dev_now_ms();
		s->errors = 0;
		tqk_err err = s->mode == TQK_HID_SRC_POS
		                      ? tqk_hid_pos_report(&s->pos, &s->pos_lay, s->buf, (size_t)got)
		                      : tqk_hid_kbd_report(&s->kbd, &s->kbd_lay, s->buf, (size_t)got);
		if (err == TQK_OK)
			return false;
		event(s, TQK_SCANNER_EV_ERROR, err, ev);
		return true;
	}
	if (rc == LIBUSB_ERROR_TIMEOUT)
		return false;
	if ((rc == LIBUSB_ERROR_OVERFLOW || rc == LIBUSB_ERROR_PIPE) && ++s->errors < ERRORS_MAX) {
		if (rc == LIBUSB_ERROR_PIPE)
			(void)libusb_clear_halt(s->h, s->ep);
		event(s, TQK_SCANNER_EV_ERROR,
		      rc == LIBUSB_ERROR_OVERFLOW ? TQK_E_HID_REPORT : TQK_E_DEV_IO, ev);
		return true;
	}
	lost(s, rc == LIBUSB_ERROR_NO_DEVICE ? TQK_E_DEV_GONE : TQK_E_DEV_IO, ev);
	return true;
}

tqk_scanner_ev tqk_scanner_poll(tqk_scanner *s, int timeout_ms, tqk_scanner_event *ev)
{
	long long deadline = tqk_dev_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	bool read_once = false;
	for (;;) {
		if (take(s, ev))
			return ev->kind;
		long long now = tqk_dev_now_ms();
		if (s->h == NULL) {
			if (now >= s->next_try) {
				if (attempt(s, ev))
					return ev->kind;
				continue;
			}
			long long until = deadline < s->next_try ? deadline : s->next_try;
			if (until <= now)
				break;
			tqk_dev_sleep_ms(until - now);
			continue;
		}
		bool part = pending(s);
		if (part && s->o.idle_ms > 0 && now - s->last_report >= s->o.idle_ms) {
			if (s->mode == TQK_HID_SRC_POS)
				tqk_hid_pos_flush(&s->pos);
			else
				tqk_hid_kbd_flush(&s->kbd);
			continue;
		}
		if (read_once && now >= deadline)
			break;
		long long until = deadline;
		if (part && s->o.idle_ms > 0 && s->last_report + s->o.idle_ms < until)
			until = s->last_report + s->o.idle_ms;
		read_once = true;
		if (read_report(s, until > now ? (unsigned)(until - now) : 1, ev))
			return ev->kind;
	}
	event(s, TQK_SCANNER_EV_NONE, TQK_OK, ev);
	return ev->kind;
}

tqk_scanner_state tqk_scanner_get_state(const tqk_scanner *s, tqk_err *why)
{
	if (why != NULL)
		*why = s->why;
	return s->state;
}

/* ---- life ---------------------------------------------------------------- */

tqk_scanner_opts tqk_scanner_opts_default(void)
{
	return (tqk_scanner_opts){
		.ends = TQK_HID_END_DEFAULT,
		.idle_ms = 300,
		.retry_min_ms = 200,
		.retry_max_ms = 2000,
	};
}

tqk_err tqk_scanner_new(const char *spec, const tqk_scanner_opts *opts, tqk_scanner **out)
{
	*out = NULL;
	tqk_scanner_spec sp;
	tqk_err err = tqk_scanner_spec_parse(spec, &sp);
	if (err != TQK_OK)
		return err;
	tqk_scanner_opts o = opts != NULL ? *opts : tqk_scanner_opts_default();
	if ((o.ends & ~(unsigned)TQK_HID_END_DEFAULT) != 0 || o.idle_ms > MS_MAX ||
	    o.retry_min_ms < 10 || o.retry_max_ms < o.retry_min_ms || o.retry_max_ms > MS_MAX)
		return TQK_E_ARG;
	tqk_scanner *s = calloc(1, sizeof *s);
	if (s == NULL)
		return TQK_E_NOMEM;
	s->spec = sp;
	s->o = o;
	s->state = TQK_SCANNER_ABSENT;
	s->why = TQK_E_DEV_NOT_FOUND;
	s->backoff = o.retry_min_ms;
	s->next_try = 0;
	tqk_hid_kbd_init(&s->kbd, o.ends);
	tqk_hid_pos_init(&s->pos);
	*out = s;
	return TQK_OK;
}

void tqk_scanner_free(tqk_scanner *s)
{
	if (s == NULL)
		return;
	close_device(s, false);
	free(s);
}
