/*
 * transport.h - a byte pipe to a device, behind a table of functions.
 *
 * The ID-card reader speaks the same frames over a serial tty and over USB
 * bulk endpoints; the driver (idreader.h) sees only this interface. Each
 * backend is a tqk_transport_ops table; a transport is an object whose first
 * member is the table's pointer. A wrapper (transport_fault.h) injects short
 * reads, delays, garbage and disconnects around any real backend.
 *
 * A transport is opened from a device address, one line of configuration:
 *
 *   tty:/dev/ttyUSB0             a serial port, 115200 8N1
 *   tty:/dev/ttyACM0?baud=9600   another speed (9600 .. 921600)
 *   usb:0400:c35a                a USB reader with the split-pipe layout
 *                                (out 0x02 + 0x06, in 0x81 + 0x85)
 *   usb:0400:c35a?out=01&in=82   one bulk pipe each way
 *   usb:0400:c35a?out=02,06&in=81,85&iface=0
 *
 * Reads have a timeout and return what arrived (at least one byte); writes
 * send one whole SAM frame per call, which is what the split-pipe USB layout
 * needs (the header goes to one endpoint, the body to the other).
 */
#ifndef TQK_DEV_TRANSPORT_H
#define TQK_DEV_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_DEV_SPEC_CAP 256 /* bytes of a device address, NUL included */

typedef struct tqk_transport tqk_transport;

typedef struct tqk_transport_ops {
	const char *name; /* "tty", "usb", "fault" */
	/*
	 * Waits up to timeout_ms (0: do not wait) for bytes and stores 1..cap
	 * of them in buf, their count in *got. Fails with TQK_E_DEV_TIMEOUT
	 * when none came (*got = 0), TQK_E_DEV_GONE when the device went away
	 * (every later call fails the same way), TQK_E_DEV_IO otherwise.
	 */
	tqk_err (*read)(tqk_transport *t, uint8_t *buf, size_t cap,
	                int timeout_ms, size_t *got);
	/*
	 * Sends len bytes (one whole frame) within timeout_ms. Fails with
	 * TQK_E_DEV_TIMEOUT, TQK_E_DEV_GONE or TQK_E_DEV_IO; a failed write may
	 * have sent part of the frame.
	 */
	tqk_err (*write)(tqk_transport *t, const uint8_t *buf, size_t len,
	                 int timeout_ms);
	/* Drops whatever was received and not read yet (after an error, before
	 * the next request). */
	void (*flush)(tqk_transport *t);
	/* Releases the device and frees t. */
	void (*close)(tqk_transport *t);
} tqk_transport_ops;

struct tqk_transport {
	const tqk_transport_ops *ops;
};

/*
 * Opens the device at spec (see above) into *out. Fails with
 * TQK_E_DEV_SPEC for an address that does not parse (unknown scheme, bad
 * speed or endpoint, over TQK_DEV_SPEC_CAP), TQK_E_DEV_NOT_FOUND,
 * TQK_E_DEV_ACCESS, TQK_E_DEV_BUSY, TQK_E_NOMEM or TQK_E_DEV_IO.
 */
tqk_err tqk_transport_open(const char *spec, tqk_transport **out) TQK_MUST_CHECK;

/* The backends behind tqk_transport_open, for callers that parsed the
 * address already. path is a tty device; baud one of the standard speeds. */
tqk_err tqk_tty_open(const char *path, unsigned baud, tqk_transport **out) TQK_MUST_CHECK;

/* A USB bulk reader: vid:pid, the interface to claim, and its endpoints.
 * out_hdr/in_hdr carry the preamble and length, out_body/in_body the rest
 * of each frame; equal numbers mean one pipe each way. */
typedef struct tqk_usb_spec {
	uint16_t vid, pid;
	int iface;
	uint8_t out_hdr, out_body; /* OUT endpoints, e.g. 0x02, 0x06 */
	uint8_t in_hdr, in_body;   /* IN endpoints, e.g. 0x81, 0x85 */
} tqk_usb_spec;

/* Parses the part of a "usb:" address after the scheme. TQK_E_DEV_SPEC. */
tqk_err tqk_usb_spec_parse(const char *s, tqk_usb_spec *out) TQK_MUST_CHECK;
tqk_err tqk_usb_open(const tqk_usb_spec *spec, tqk_transport **out) TQK_MUST_CHECK;

/* Convenience wrappers over the table; t must not be NULL except in
 * tqk_transport_close, where NULL is a no-op. */
static inline tqk_err tqk_transport_read(tqk_transport *t, uint8_t *buf, size_t cap,
                                         int timeout_ms, size_t *got)
{
	return t->ops->read(t, buf, cap, timeout_ms, got);
}

static inline tqk_err tqk_transport_write(tqk_transport *t, const uint8_t *buf,
                                          size_t len, int timeout_ms)
{
	return t->ops->write(t, buf, len, timeout_ms);
}

static inline void tqk_transport_flush(tqk_transport *t)
{
	t->ops->flush(t);
}

static inline void tqk_transport_close(tqk_transport *t)
{
	if (t != NULL)
		t->ops->close(t);
}

#endif
