/*
 * scanner.h - the USB barcode scanner, over libusb, for the kiosk's device
 * thread.
 *
 * The scanner is named by an address, one line of configuration in the
 * spirit of transport.h:
 *
 *   usb:0c2e:0b61               that device: its HID interface that is a
 *                               POS scanner, else the one that is a keyboard
 *   usb:0c2e:0b61?iface=1       that interface
 *   usb:0c2e:0b61?iface=1&ep=82 that interface and interrupt IN endpoint
 *   usb:hid                     the first device with such an interface
 *                               (each HID interface is claimed for a moment
 *                               to read its report descriptor: a real
 *                               keyboard would be taken too; name the
 *                               scanner in production)
 *
 * Opening claims the interface with libusb's auto-detach, so the kernel's
 * keyboard driver lets go and no scan reaches the console or another
 * window; closing releases it and the kernel driver binds again. The HID
 * report descriptor (GET_DESCRIPTOR, class type 0x22) decides the dialect
 * (hid.h): a POS scanner's reports are decoded as the descriptor lays them
 * out; a keyboard is switched to the boot protocol (SET_PROTOCOL 0) and
 * SET_IDLE 0 when its interface is a boot interface (which then works even
 * with a descriptor that does not parse), else read as its descriptor says.
 * A device found to be no scanner is not probed again until it is plugged
 * in anew: probing detaches its kernel driver for a moment.
 *
 * The device may come and go at any time. tqk_scanner_new does not need
 * it; every poll while there is none tries to open it, at most once per
 * backoff interval (retry_min_ms, doubling up to retry_max_ms). Unplugging
 * (a transfer ending with LIBUSB_ERROR_NO_DEVICE or another error) turns
 * into a state change, and later polls open the device again: no restart,
 * and the caller never reopens anything. Each attempt uses a fresh libusb
 * context, so a replugged device is always seen (libusb's hotplug events
 * are not relied upon).
 *
 * The scan text goes nowhere else: the caller classifies it
 * (tqk_scan_classify) and never logs it (it may hold personal data).
 *
 * A tqk_scanner belongs to one thread.
 */
#ifndef TQK_DEV_SCANNER_H
#define TQK_DEV_SCANNER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "dev/hid.h"
#include "dev/transport.h" /* TQK_DEV_SPEC_CAP */

typedef struct tqk_scanner tqk_scanner;

/* A parsed scanner address. */
typedef struct tqk_scanner_spec {
	bool any;                 /* usb:hid */
	uint16_t vid, pid;
	int iface;                /* -1: any HID interface */
	uint8_t ep;               /* 0: the interface's first interrupt IN */
} tqk_scanner_spec;

/* Parses an address as above into *out. TQK_E_DEV_SPEC for anything else
 * (another scheme, bad hex, an endpoint that is not IN 0x81..0x8F, an
 * interface over 255, an unknown or repeated option, TQK_DEV_SPEC_CAP
 * bytes or more). */
tqk_err tqk_scanner_spec_parse(const char *s, tqk_scanner_spec *out) TQK_MUST_CHECK;

typedef struct tqk_scanner_opts {
	unsigned ends;            /* what ends a keyboard scan: TQK_HID_END_* */
	/* A pause this long ends a keyboard scan that saw no terminator (a
	 * scanner without a suffix) and drops a POS scan whose continuation
	 * did not come; 0: never. */
	unsigned idle_ms;
	unsigned retry_min_ms, retry_max_ms; /* opening attempts, 10..60000 */
} tqk_scanner_opts;

/* Enter or Tab, 300 ms, retries every 200 ms to 2 s. */
tqk_scanner_opts tqk_scanner_opts_default(void);

typedef enum tqk_scanner_state {
	TQK_SCANNER_ABSENT = 0,   /* not plugged in (or gone) */
	TQK_SCANNER_READY,        /* claimed, scans come through it */
	TQK_SCANNER_UNUSABLE,     /* there, but not ours: busy, no permission,
	                             not a scanner, a descriptor that does not
	                             parse. The kiosk falls back to the wedge. */
} tqk_scanner_state;

/* "absent", "ready", "unusable". */
const char *tqk_scanner_state_code(tqk_scanner_state s);

typedef enum tqk_scanner_ev {
	TQK_SCANNER_EV_NONE = 0,  /* the timeout passed */
	TQK_SCANNER_EV_SCAN,      /* a scan ended: scan (err = scan.err) */
	TQK_SCANNER_EV_STATE,     /* the state changed (or, while UNUSABLE,
	                             its reason) */
	TQK_SCANNER_EV_ERROR,     /* a report that did not decode, a stalled
	                             endpoint: the state stays READY */
} tqk_scanner_ev;

typedef struct tqk_scanner_event {
	tqk_scanner_ev kind;
	tqk_scanner_state state;  /* after this event, for every kind */
	/* STATE: why (TQK_OK when READY; TQK_E_DEV_NOT_FOUND, _GONE, _IO when
	 * ABSENT; TQK_E_DEV_BUSY, _ACCESS, TQK_E_HID_KIND, TQK_E_HID_DESC,
	 * TQK_E_DEV_IO when UNUSABLE). ERROR: TQK_E_HID_REPORT, TQK_E_DEV_IO.
	 * SCAN: scan.err. */
	tqk_err err;
	tqk_hid_source mode;      /* READY: TQK_HID_SRC_KEYBOARD or _POS */
	tqk_hid_scan scan;        /* SCAN only */
} tqk_scanner_event;

/*
 * A scanner at address spec with opts (NULL: the defaults) into *out,
 * ABSENT until a poll finds it. Fails with TQK_E_DEV_SPEC, TQK_E_ARG for
 * options out of range, TQK_E_NOMEM. Free with tqk_scanner_free.
 */
tqk_err tqk_scanner_new(const char *spec, const tqk_scanner_opts *opts,
                        tqk_scanner **out) TQK_MUST_CHECK;

/* Releases the interface (the kernel driver binds again), closes the
 * device and frees s. NULL is a no-op. */
void tqk_scanner_free(tqk_scanner *s);

/*
 * Waits up to timeout_ms (0: do not wait) for the next event and stores
 * it in *ev; returns ev->kind. Scans that ended are handed out one per
 * call before anything else is read.
 */
tqk_scanner_ev tqk_scanner_poll(tqk_scanner *s, int timeout_ms, tqk_scanner_event *ev);

/* The current state and its reason (why may be NULL). */
tqk_scanner_state tqk_scanner_get_state(const tqk_scanner *s, tqk_err *why);

#endif
