/*
 * usb.c - the libusb bulk transport for ID-card readers on USB.
 *
 * Readers such as VID:PID 0400:C35A speak the SAM frames of sam.h over vendor
 * bulk endpoints with a split-pipe layout: the host writes a frame's header
 * (preamble + LEN, 7 bytes) to one OUT endpoint (0x02) and the rest (body and
 * checksum) to another (0x06); the reader answers with the header on one IN
 * endpoint (0x81) and the rest on another (0x85). Other readers use one bulk
 * pipe each way. The address ("usb:VID:PID?out=..&in=..&iface=N", see
 * transport.h) says which.
 *
 * Writing sends one whole frame per call, split across the two OUT pipes.
 * Reading turns the IN side back into a byte stream: with split pipes the
 * header is read from the header pipe, its LEN tells how many bytes to take
 * from the body pipe next, and everything received is buffered and handed
 * out in order, so the SAM decoder above sees the same bytes as on a tty.
 * Bytes on the header pipe that do not form a header are passed through as
 * they are (the decoder skips garbage); a LEN over the codec's cap is not
 * chased on the body pipe.
 *
 * Each transport owns its libusb context: no global state, and a transport
 * opened after a replug sees a fresh device list. The interface is claimed
 * with auto-detach of a kernel driver. A vanished device (LIBUSB_ERROR_NO_DEVICE)
 * makes the transport "gone" for good; the driver above re-opens the address.
 */
#include "dev/transport.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libusb.h>

#include "dev/devsys.h"
#include "dev/sam.h"
#include "dev/usbaddr.h"

/* OUT transfers never send more than this at once. */
#define USB_CHUNK_MAX   (TQK_SAM_FRAME_MAX + 64)
/* The receive buffer: IN requests are rounded up to whole packets (so that
 * a device sending full packets cannot overflow them), and the longest
 * frame rounded up to 1024-byte packets (SuperSpeed bulk) must fit. */
#define USB_PACKET_MAX  1024
#define USB_RX_CAP      ((TQK_SAM_FRAME_MAX + USB_PACKET_MAX - 1) / USB_PACKET_MAX * USB_PACKET_MAX)
/* flush drains a stale body with this many short reads at most. */
#define USB_DRAIN_READS 8

typedef struct usb_tp {
	tqk_transport base;
	libusb_context *ctx;
	libusb_device_handle *h;
	tqk_usb_spec spec;
	bool claimed;
	bool gone;
	uint16_t mps_in_hdr, mps_in_body; /* max packet sizes */

	/* The header being assembled from the header pipe, and the body bytes
	 * that header announced and the body pipe still owes. */
	uint8_t hdr[TQK_SAM_HEADER_LEN];
	size_t hdr_have;
	size_t owed;

	/* Received and not yet handed out: rx[head .. head + len). */
	uint8_t rx[USB_RX_CAP];
	size_t head, len;
} usb_tp;

static const tqk_transport_ops usb_ops;

/* ---- the address ------------------------------------------------------- */

/* One or two endpoint numbers ("02" or "02,06") of direction dir (0x80 IN,
 * 0 OUT) up to the end of the value at *s. */
static bool endpoints(const char **s, uint8_t dir, uint8_t *first, uint8_t *second)
{
	unsigned a, b;
	if (!tqk_usb_hex(s, 2, &a))
		return false;
	b = a;
	if (**s == ',') {
		(*s)++;
		if (!tqk_usb_hex(s, 2, &b))
			return false;
	}
	/* endpoint numbers 1..15 with the direction bit as announced */
	if ((a & 0x80u) != dir || (b & 0x80u) != dir || (a & 0x7Fu) == 0 || (a & 0x7Fu) > 15 ||
	    (b & 0x7Fu) == 0 || (b & 0x7Fu) > 15)
		return false;
	*first = (uint8_t)a;
	*second = (uint8_t)b;
	return true;
}

tqk_err tqk_usb_spec_parse(const char *s, tqk_usb_spec *out)
{
	if (s == NULL || strnlen(s, TQK_DEV_SPEC_CAP) >= TQK_DEV_SPEC_CAP)
		return TQK_E_DEV_SPEC;
	tqk_usb_spec spec = {
		.iface = 0,
		.out_hdr = 0x02, .out_body = 0x06,
		.in_hdr = 0x81, .in_body = 0x85,
	};
	unsigned vid, pid;
	if (!tqk_usb_hex(&s, 4, &vid) || *s++ != ':' || !tqk_usb_hex(&s, 4, &pid))
		return TQK_E_DEV_SPEC;
	spec.vid = (uint16_t)vid;
	spec.pid = (uint16_t)pid;
	if (*s == '?') {
		bool seen_out = false, seen_in = false, seen_iface = false;
		do {
			s++;
			if (strncmp(s, "out=", 4) == 0 && !seen_out) {
				s += 4;
				if (!endpoints(&s, 0x00, &spec.out_hdr, &spec.out_body))
					return TQK_E_DEV_SPEC;
				seen_out = true;
			} else if (strncmp(s, "in=", 3) == 0 && !seen_in) {
				s += 3;
				if (!endpoints(&s, 0x80, &spec.in_hdr, &spec.in_body))
					return TQK_E_DEV_SPEC;
				seen_in = true;
			} else if (strncmp(s, "iface=", 6) == 0 && !seen_iface) {
				s += 6;
				unsigned v;
				if (!tqk_usb_dec(&s, 3, &v) || v > 255)
					return TQK_E_DEV_SPEC;
				spec.iface = (int)v;
				seen_iface = true;
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

/* ---- errors and time --------------------------------------------------- */

/* A libusb error as a tqk_err; NO_DEVICE also marks the transport gone. */
static tqk_err usb_err(usb_tp *u, int rc)
{
	tqk_err err = tqk_usb_err(rc);
	if (err == TQK_E_DEV_GONE && u != NULL)
		u->gone = true;
	return err;
}

/* Milliseconds left until deadline as a libusb timeout: at least 1 (0 would
 * mean "forever" to libusb); 0 when the deadline has passed. */
static unsigned left_ms(long long deadline)
{
	long long left = deadline - tqk_dev_now_ms();
	if (left <= 0)
		return 0;
	return left > 600000 ? 600000u : (unsigned)left;
}

/* ---- reading ------------------------------------------------------------ */

/* One bulk IN transfer of up to want bytes from ep appended to the buffer.
 * Returns TQK_OK with *n >= 0 bytes (a zero-length packet gives 0). */
static tqk_err bulk_in(usb_tp *u, uint8_t ep, size_t want, unsigned timeout, size_t *n)
{
	*n = 0;
	if (u->head > 0 && u->len > 0)
		memmove(u->rx, u->rx + u->head, u->len);
	u->head = 0;
	size_t room = sizeof u->rx - u->len;
	if (want > room)
		want = room;
	if (want == 0)
		return TQK_OK;
	int got = 0;
	int rc = libusb_bulk_transfer(u->h, ep, u->rx + u->len, (int)want, &got,
	                              timeout > 0 ? timeout : 1);
	if (got > 0) {
		/* keep what came, even with an error: the bytes are real */
		u->len += (size_t)got;
		*n = (size_t)got;
	}
	if (rc == LIBUSB_ERROR_TIMEOUT && got > 0)
		return TQK_OK;
	return usb_err(u, rc);
}

/* A request size for at least n bytes that a device sending whole packets
 * cannot overflow. */
static size_t round_packets(size_t n, uint16_t mps)
{
	size_t p = mps > 0 ? mps : 64;
	return (n + p - 1) / p * p;
}

/* Follows the header pipe's bytes data[0..n): once 7 of them make a header
 * with the preamble, LEN minus any body bytes that came along becomes owed. */
static void track_header(usb_tp *u, const uint8_t *data, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (u->hdr_have < TQK_SAM_HEADER_LEN) {
			u->hdr[u->hdr_have++] = data[i++];
			if (u->hdr_have < TQK_SAM_HEADER_LEN)
				continue;
			if (memcmp(u->hdr, tqk_sam_preamble, TQK_SAM_PREAMBLE_LEN) != 0) {
				/* not a header: slide by one and keep looking */
				memmove(u->hdr, u->hdr + 1, TQK_SAM_HEADER_LEN - 1);
				u->hdr_have--;
				continue;
			}
			size_t len = (size_t)u->hdr[5] << 8 | u->hdr[6];
			u->owed = len <= TQK_SAM_BODY_MAX + 1 ? len : 0;
			continue;
		}
		/* body bytes that came on the header pipe */
		size_t take = n - i < u->owed ? n - i : u->owed;
		u->owed -= take;
		i += take;
		if (u->owed == 0) {
			u->hdr_have = 0;
			if (take == 0)
				continue; /* the next header starts here */
		}
	}
	if (u->hdr_have == TQK_SAM_HEADER_LEN && u->owed == 0)
		u->hdr_have = 0;
}

static tqk_err usb_read(tqk_transport *t, uint8_t *buf, size_t cap, int timeout_ms,
                        size_t *got)
{
	usb_tp *u = (usb_tp *)t;
	*got = 0;
	if (u->gone)
		return TQK_E_DEV_GONE;
	if (cap == 0)
		return TQK_E_ARG;
	long long deadline = tqk_dev_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	bool split = u->spec.in_hdr != u->spec.in_body;

	while (u->len == 0) {
		unsigned wait = left_ms(deadline);
		size_t n = 0;
		tqk_err err;
		if (!split) {
			err = bulk_in(u, u->spec.in_body, round_packets(512, u->mps_in_body), wait, &n);
		} else if (u->owed > 0) {
			/* the body the header announced */
			err = bulk_in(u, u->spec.in_body, round_packets(u->owed, u->mps_in_body), wait, &n);
			size_t take = n < u->owed ? n : u->owed;
			u->owed -= take;
			if (u->owed == 0)
				u->hdr_have = 0;
		} else {
			size_t want = TQK_SAM_HEADER_LEN - u->hdr_have;
			err = bulk_in(u, u->spec.in_hdr, round_packets(want, u->mps_in_hdr), wait, &n);
			if (n > 0)
				track_header(u, u->rx + u->len - n, n);
		}
		if (err != TQK_OK)
			return err;
		if (n == 0 && left_ms(deadline) == 0)
			return TQK_E_DEV_TIMEOUT;
	}
	size_t n = u->len < cap ? u->len : cap;
	memcpy(buf, u->rx + u->head, n);
	u->head += n;
	u->len -= n;
	if (u->len == 0)
		u->head = 0;
	*got = n;
	return TQK_OK;
}

/* ---- writing ------------------------------------------------------------ */

/* Sends data[0..len) on ep before deadline, continuing after short transfers. */
static tqk_err bulk_out(usb_tp *u, uint8_t ep, const uint8_t *data, size_t len,
                        long long deadline)
{
	while (len > 0) {
		unsigned wait = left_ms(deadline);
		if (wait == 0)
			return TQK_E_DEV_TIMEOUT;
		int sent = 0;
		size_t n = len > USB_CHUNK_MAX ? USB_CHUNK_MAX : len;
		int rc = libusb_bulk_transfer(u->h, ep, (unsigned char *)data, (int)n, &sent, wait);
		if (sent < 0 || (size_t)sent > n)
			return TQK_E_DEV_IO;
		data += sent;
		len -= (size_t)sent;
		if (rc == LIBUSB_ERROR_TIMEOUT && sent > 0)
			continue;
		if (rc != LIBUSB_SUCCESS)
			return usb_err(u, rc);
		if (sent == 0 && len > 0 && left_ms(deadline) == 0)
			return TQK_E_DEV_TIMEOUT;
	}
	return TQK_OK;
}

static tqk_err usb_write(tqk_transport *t, const uint8_t *buf, size_t len, int timeout_ms)
{
	usb_tp *u = (usb_tp *)t;
	if (u->gone)
		return TQK_E_DEV_GONE;
	if (len == 0)
		return TQK_OK;
	if (len > TQK_SAM_FRAME_MAX)
		return TQK_E_TOO_LONG;
	long long deadline = tqk_dev_now_ms() + (timeout_ms > 0 ? timeout_ms : 1);
	if (u->spec.out_hdr == u->spec.out_body || len <= TQK_SAM_HEADER_LEN)
		return bulk_out(u, u->spec.out_hdr, buf, len, deadline);
	tqk_err err = bulk_out(u, u->spec.out_hdr, buf, TQK_SAM_HEADER_LEN, deadline);
	if (err != TQK_OK)
		return err;
	return bulk_out(u, u->spec.out_body, buf + TQK_SAM_HEADER_LEN,
	                len - TQK_SAM_HEADER_LEN, deadline);
}

/* ---- flush, close, open --------------------------------------------------- */

static void usb_flush(tqk_transport *t)
{
	usb_tp *u = (usb_tp *)t;
	u->head = u->len = 0;
	if (u->gone)
		return;
	/* A body announced and not read would be taken for the next reply's:
	 * drain it from the body pipe (briefly; the reader stopped sending). */
	for (int i = 0; i < USB_DRAIN_READS && u->owed > 0; i++) {
		size_t n = 0;
		if (bulk_in(u, u->spec.in_body, round_packets(u->owed, u->mps_in_body), 20, &n) != TQK_OK)
			break;
		u->owed -= n < u->owed ? n : u->owed;
	}
	u->owed = 0;
	u->hdr_have = 0;
	u->head = u->len = 0;
}

static void usb_close(tqk_transport *t)
{
	usb_tp *u = (usb_tp *)t;
	if (u->h != NULL) {
		if (u->claimed && !u->gone)
			(void)libusb_release_interface(u->h, u->spec.iface);
		libusb_close(u->h);
	}
	if (u->ctx != NULL)
		libusb_exit(u->ctx);
	free(u);
}

/* Max packet size of ep in the interface's current setting; 0 if absent. */
static uint16_t find_ep(const struct libusb_interface_descriptor *alt, uint8_t ep)
{
	for (int i = 0; i < alt->bNumEndpoints; i++)
		if (alt->endpoint[i].bEndpointAddress == ep)
			return alt->endpoint[i].wMaxPacketSize > 0 ? alt->endpoint[i].wMaxPacketSize : 64;
	return 0;
}

/* Checks that the claimed interface has the endpoints of the address and
 * takes their packet sizes. TQK_E_DEV_NOT_FOUND when one is missing. */
static tqk_err check_endpoints(usb_tp *u)
{
	struct libusb_config_descriptor *cfg = NULL;
	int rc = libusb_get_active_config_descriptor(libusb_get_device(u->h), &cfg);
	if (rc != LIBUSB_SUCCESS)
		return usb_err(u, rc);
	tqk_err err = TQK_E_DEV_NOT_FOUND;
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface *itf = &cfg->interface[i];
		if (itf->num_altsetting < 1 || itf->altsetting[0].bInterfaceNumber != u->spec.iface)
			continue;
		const struct libusb_interface_descriptor *alt = &itf->altsetting[0];
		u->mps_in_hdr = find_ep(alt, u->spec.in_hdr);
		u->mps_in_body = find_ep(alt, u->spec.in_body);
		if (u->mps_in_hdr && u->mps_in_body && find_ep(alt, u->spec.out_hdr) &&
		    find_ep(alt, u->spec.out_body))
			err = TQK_OK;
		break;
	}
	libusb_free_config_descriptor(cfg);
	return err;
}

/* Opens the first device with the address's vid:pid into u->h. */
static tqk_err open_device(usb_tp *u)
{
	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(u->ctx, &list);
	if (n < 0)
		return usb_err(NULL, (int)n);
	tqk_err err = TQK_E_DEV_NOT_FOUND;
	for (ssize_t i = 0; i < n; i++) {
		struct libusb_device_descriptor d;
		if (libusb_get_device_descriptor(list[i], &d) != LIBUSB_SUCCESS ||
		    d.idVendor != u->spec.vid || d.idProduct != u->spec.pid)
			continue;
		int rc = libusb_open(list[i], &u->h);
		if (rc == LIBUSB_SUCCESS) {
			err = TQK_OK;
			break;
		}
		/* a device that vanished meanwhile is "not found" */
		err = rc == LIBUSB_ERROR_NO_DEVICE ? TQK_E_DEV_NOT_FOUND : usb_err(NULL, rc);
	}
	libusb_free_device_list(list, 1);
	return err;
}

tqk_err tqk_usb_open(const tqk_usb_spec *spec, tqk_transport **out)
{
	*out = NULL;
	usb_tp *u = calloc(1, sizeof *u);
	if (u == NULL)
		return TQK_E_NOMEM;
	u->base.ops = &usb_ops;
	u->spec = *spec;
	int rc = libusb_init(&u->ctx);
	if (rc != LIBUSB_SUCCESS) {
		u->ctx = NULL;
		usb_close(&u->base);
		return rc == LIBUSB_ERROR_NO_MEM ? TQK_E_NOMEM : TQK_E_DEV_IO;
	}
	tqk_err err = open_device(u);
	if (err == TQK_OK) {
		/* not supported everywhere; the claim below says what matters */
		(void)libusb_set_auto_detach_kernel_driver(u->h, 1);
		rc = libusb_claim_interface(u->h, spec->iface);
		if (rc == LIBUSB_SUCCESS)
			u->claimed = true;
		else
			err = rc == LIBUSB_ERROR_NO_DEVICE ? TQK_E_DEV_NOT_FOUND : usb_err(NULL, rc);
	}
	if (err == TQK_OK)
		err = check_endpoints(u);
	if (err == TQK_E_DEV_GONE)
		err = TQK_E_DEV_NOT_FOUND;
	if (err != TQK_OK) {
		usb_close(&u->base);
		return err;
	}
	*out = &u->base;
	return TQK_OK;
}

static const tqk_transport_ops usb_ops = {
	.name = "usb",
	.read = usb_read,
	.write = usb_write,
	.flush = usb_flush,
	.close = usb_close,
};
