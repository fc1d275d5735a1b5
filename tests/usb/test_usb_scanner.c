/*
 * test_usb_scanner.c - the barcode scanner driver (dev/scanner.h) over
 * libusb against scanners played by the test under umockdev (mock_usbfs.h):
 * a keyboard scanner bound to usbhid that must be detached and claimed
 * (and given back on close), scans of a certificate number, a registration
 * number and a signed QR payload line, a HID POS scanner, unplugging in the
 * middle of a transfer and plugging in again, a device another program
 * holds, a device that is no scanner, and the address syntax.
 */
#include "test.h"

#include <stdio.h>
#include <time.h>

#include "core/payload.h"
#include "core/scan.h"
#include "dev/hid.h"
#include "dev/scanner.h"
#include "mock_usbfs.h"
#include "support/signedqr.h"

#define KBD_EP 0x81
#define POS_EP 0x83
#define WAIT_MS 5000

static const uint8_t boot_kbd_desc[] = {
	0x05, 0x01, 0x09, 0x06, 0xA1, 0x01, 0x05, 0x07, 0x19, 0xE0, 0x29, 0xE7,
	0x15, 0x00, 0x25, 0x01, 0x75, 0x01, 0x95, 0x08, 0x81, 0x02,
	0x95, 0x01, 0x75, 0x08, 0x81, 0x01,
	0x95, 0x05, 0x75, 0x01, 0x05, 0x08, 0x19, 0x01, 0x29, 0x05, 0x91, 0x02,
	0x95, 0x01, 0x75, 0x03, 0x91, 0x01,
	0x95, 0x06, 0x75, 0x08, 0x15, 0x00, 0x25, 0x65, 0x05, 0x07, 0x19, 0x00, 0x29, 0x65,
	0x81, 0x00, 0xC0,
};

/* HID POS: report 2 = Byte Count, AIM symbology, 56 data bytes, 2 vendor
 * bytes, Decode Data Continued (64 bytes with the ID). */
static const uint8_t pos_desc[] = {
	0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x12, 0xA1, 0x02,
	0x85, 0x02, 0x15, 0x00, 0x26, 0xFF, 0x00, 0x75, 0x08,
	0x95, 0x01, 0x05, 0x01, 0x09, 0x3B, 0x81, 0x02,
	0x95, 0x03, 0x05, 0x8C, 0x09, 0xFB, 0x09, 0xFC, 0x09, 0xFD, 0x81, 0x02,
	0x95, 0x38, 0x09, 0xFE, 0x82, 0x02, 0x01,
	0x06, 0x66, 0xFF, 0x95, 0x02, 0x09, 0x01, 0x09, 0x02, 0x81, 0x02,
	0x05, 0x8C, 0x25, 0x01, 0x75, 0x01, 0x95, 0x01, 0x09, 0xFF, 0x81, 0x02,
	0x75, 0x07, 0x81, 0x03, 0xC0, 0xC0,
};

static const uint8_t mouse_desc[] = {
	0x05, 0x01, 0x09, 0x02, 0xA1, 0x01, 0x09, 0x01, 0xA1, 0x00,
	0x05, 0x09, 0x19, 0x01, 0x29, 0x03, 0x15, 0x00, 0x25, 0x01, 0x95, 0x03, 0x75, 0x01,
	0x81, 0x02, 0x95, 0x01, 0x75, 0x05, 0x81, 0x01,
	0x05, 0x01, 0x09, 0x30, 0x09, 0x31, 0x15, 0x81, 0x25, 0x7F, 0x75, 0x08, 0x95, 0x02,
	0x81, 0x06, 0xC0, 0xC0,
};

/* A keyboard-wedge scanner as shipped: boot keyboard, bound to usbhid. */
static mock_usb_dev kbd_scanner(void)
{
	return (mock_usb_dev){
		.vid = 0x0c2e, .pid = 0x0b61, .iface = 0,
		.iface_class = 3, .iface_subclass = 1, .iface_protocol = 1,
		.ep = {{KBD_EP, 3, 8}}, .n_ep = 1,
		.hid_report = boot_kbd_desc, .hid_report_len = sizeof boot_kbd_desc,
		.kernel_driver = true,
	};
}

/* The same model switched to HID POS. */
static mock_usb_dev pos_scanner(void)
{
	return (mock_usb_dev){
		.vid = 0x0c2e, .pid = 0x0b87, .iface = 0,
		.iface_class = 3, .iface_subclass = 0, .iface_protocol = 0,
		.ep = {{0x04, 3, 64}, {POS_EP, 3, 64}}, .n_ep = 2,
		.hid_report = pos_desc, .hid_report_len = sizeof pos_desc,
		.kernel_driver = true,
	};
}

/* ---- playing the scanner ------------------------------------------------- */

/* Queues the boot reports of typing s and then the terminator (0: none). */
static void type(mock_usb *m, const char *s, uint8_t end)
{
	const uint8_t up[8] = {0};
	for (; *s != '\0'; s++) {
		uint8_t u = 0;
		bool shift = false;
		if (!tqk_hid_char_usage(*s, &u, &shift))
			fail_msg("no key types 0x%02x", (unsigned char)*s);
		const uint8_t down[8] = {shift ? 0x02 : 0, 0, u};
		mock_usb_push_in(m, KBD_EP, down, sizeof down);
		mock_usb_push_in(m, KBD_EP, up, sizeof up);
	}
	if (end != 0) {
		const uint8_t down[8] = {0, 0, end};
		mock_usb_push_in(m, KBD_EP, down, sizeof down);
		mock_usb_push_in(m, KBD_EP, up, sizeof up);
	}
}

/* Queues the POS reports of data, 56 bytes each, the last not continued. */
static void pos_send(mock_usb *m, const char *sym, const void *data, size_t n)
{
	const uint8_t *p = data;
	do {
		size_t part = n < 56 ? n : 56;
		uint8_t r[64] = {2, (uint8_t)part};
		memcpy(r + 2, sym, 3);
		memcpy(r + 5, p, part);
		r[63] = part < n;
		mock_usb_push_in(m, POS_EP, r, sizeof r);
		p += part;
		n -= part;
	} while (n > 0);
}

/* Polls until an event of kind comes (others in between are fine unless
 * they are errors); fails after WAIT_MS. */
static tqk_scanner_event wait_for(tqk_scanner *s, tqk_scanner_ev kind)
{
	tqk_scanner_event ev;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		tqk_scanner_ev k = tqk_scanner_poll(s, 50, &ev);
		assert_int_equal(k, ev.kind);
		if (k == kind)
			return ev;
		if (k == TQK_SCANNER_EV_ERROR)
			fail_msg("error event %s", tqk_err_code(ev.err));
		if (k == TQK_SCANNER_EV_SCAN)
			fail_msg("unexpected scan (%s)", tqk_err_code(ev.err));
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > WAIT_MS)
			fail_msg("no event %d within %d ms (state %s)", kind, WAIT_MS,
			         tqk_scanner_state_code(ev.state));
	}
}

static tqk_scanner_event wait_state(tqk_scanner *s, tqk_scanner_state st, tqk_err why)
{
	tqk_scanner_event ev = wait_for(s, TQK_SCANNER_EV_STATE);
	if (ev.state != st || ev.err != why)
		fail_msg("state %s (%s), wanted %s (%s)", tqk_scanner_state_code(ev.state),
		         tqk_err_code(ev.err), tqk_scanner_state_code(st), tqk_err_code(why));
	return ev;
}

static void expect_scan(tqk_scanner *s, const char *want, size_t len)
{
	tqk_scanner_event ev = wait_for(s, TQK_SCANNER_EV_SCAN);
	assert_int_equal(ev.err, TQK_OK);
	assert_int_equal(ev.scan.err, TQK_OK);
	assert_int_equal(ev.state, TQK_SCANNER_READY);
	assert_int_equal(ev.scan.len, len);
	assert_memory_equal(ev.scan.text, want, len);
}

static tqk_scanner *scanner_at(const char *spec)
{
	tqk_scanner *s = NULL;
	assert_int_equal(tqk_scanner_new(spec, NULL, &s), TQK_OK);
	assert_non_null(s);
	return s;
}

/* ---- the tests ----------------------------------------------------------- */

static void keyboard_scanner_is_claimed(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_dev d = kbd_scanner();
	mock_usb_plug(m, &d);
	assert_true(mock_usb_driver_bound(m, 0));
	assert_false(mock_usb_claimed(m, 0));

	tqk_scanner *s = scanner_at("usb:0c2e:0b61");
	tqk_scanner_event ev = wait_state(s, TQK_SCANNER_READY, TQK_OK);
	assert_int_equal(ev.mode, TQK_HID_SRC_KEYBOARD);
	/* the kernel's keyboard driver let go: scans reach nothing else */
	assert_true(mock_usb_claimed(m, 0));
	assert_false(mock_usb_driver_bound(m, 0));
	/* boot protocol, idle 0 */
	uint8_t req[MOCK_USB_CLASS_LOG];
	uint16_t val[MOCK_USB_CLASS_LOG];
	size_t n = mock_usb_class_requests(m, req, val, MOCK_USB_CLASS_LOG);
	bool protocol = false, idle = false;
	for (size_t i = 0; i < n; i++) {
		protocol |= req[i] == 0x0B && val[i] == 0;
		idle |= req[i] == 0x0A && val[i] == 0;
	}
	assert_true(protocol && idle);

	const char *cert = "20194401234567890";
	type(m, cert, 0x28);
	expect_scan(s, cert, strlen(cert));
	tqk_scan c;
	const char *reg = "20260315000123";
	type(m, reg, 0x2B);
	ev = wait_for(s, TQK_SCANNER_EV_SCAN);
	assert_int_equal(ev.scan.source, TQK_HID_SRC_KEYBOARD);
	assert_int_equal(tqk_scan_classify(ev.scan.text, ev.scan.len, DATE(2026, 3, 20), &c),
	                 TQK_OK);
	assert_int_equal(c.kind, TQK_SCAN_REG);
	assert_string_equal(c.text, reg);

	/* a whole QR payload line, '|' and all (ASCII name: a keyboard
	 * scanner cannot type Chinese) */
	sq_form form;
	assert_int_equal(sq_make(&form, "Chen Jing", "20260315000123"), 0);
	const char *payload = form.text;
	size_t len = form.len;
	type(m, payload, 0x28);
	ev = wait_for(s, TQK_SCANNER_EV_SCAN);
	assert_int_equal(ev.scan.err, TQK_OK);
	assert_int_equal(ev.scan.len, len);
	assert_memory_equal(ev.scan.text, payload, len);
	assert_int_equal(tqk_scan_classify(ev.scan.text, ev.scan.len, DATE(2026, 3, 20), &c),
	                 TQK_OK);
	assert_int_equal(c.kind, TQK_SCAN_PAYLOAD);
	tqk_payload p;
	assert_int_equal(tqk_payload_verify(c.text, c.len, &form.keys, &p), TQK_OK);
	assert_string_equal(p.name, "Chen Jing");

	/* a scan of keys outside the layout is reported, not typed */
	const uint8_t f1[8] = {0, 0, 0x3A}, up[8] = {0};
	type(m, "12", 0);
	mock_usb_push_in(m, KBD_EP, f1, 8);
	mock_usb_push_in(m, KBD_EP, up, 8);
	type(m, "", 0x28);
	ev = wait_for(s, TQK_SCANNER_EV_SCAN);
	assert_int_equal(ev.err, TQK_E_SCAN_CHARS);
	assert_int_equal(ev.scan.len, 0);

	/* closing gives the interface back to the kernel driver */
	tqk_scanner_free(s);
	assert_false(mock_usb_claimed(m, 0));
	assert_true(mock_usb_driver_bound(m, 0));
	tqk_scanner_free(NULL);
	mock_usb_free(m);
}

static void pos_scanner_reports(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_dev d = pos_scanner();
	mock_usb_plug(m, &d);
	tqk_scanner *s = scanner_at("usb:0C2E:0B87?iface=0&ep=83");
	tqk_scanner_event ev = wait_state(s, TQK_SCANNER_READY, TQK_OK);
	assert_int_equal(ev.mode, TQK_HID_SRC_POS);
	assert_true(mock_usb_claimed(m, 0));
	assert_false(mock_usb_driver_bound(m, 0));
	assert_int_equal(mock_usb_class_requests(m, NULL, NULL, 0), 0); /* no boot protocol */

	const char *cert = "20194401234567890";
	pos_send(m, "]C0", cert, strlen(cert));
	ev = wait_for(s, TQK_SCANNER_EV_SCAN);
	assert_int_equal(ev.scan.source, TQK_HID_SRC_POS);
	assert_string_equal(ev.scan.sym, "]C0");
	assert_string_equal(ev.scan.text, cert);

	/* the payload with its Chinese name, over four continued reports */
	sq_form form;
	assert_int_equal(sq_make(&form, "欧阳晓燕", "20260315000123"), 0);
	const char *payload = form.text;
	size_t len = form.len;
	assert_true(len > 3 * 56);
	pos_send(m, "]Q1", payload, len);
	ev = wait_for(s, TQK_SCANNER_EV_SCAN);
	assert_int_equal(ev.scan.err, TQK_OK);
	assert_string_equal(ev.scan.sym, "]Q1");
	assert_int_equal(ev.scan.len, len);
	assert_memory_equal(ev.scan.text, payload, len);
	tqk_payload p;
	assert_int_equal(tqk_payload_verify(ev.scan.text, ev.scan.len, &form.keys, &p), TQK_OK);
	assert_string_equal(p.name, "欧阳晓燕");

	/* a report whose Byte Count overruns its field: an error, the scanner
	 * stays ready and the next scan is whole */
	uint8_t bad[64] = {2, 60};
	mock_usb_push_in(m, POS_EP, bad, sizeof bad);
	ev = wait_for(s, TQK_SCANNER_EV_ERROR);
	assert_int_equal(ev.err, TQK_E_HID_REPORT);
	assert_int_equal(ev.state, TQK_SCANNER_READY);
	pos_send(m, "]C0", "20260315000123", 14);
	expect_scan(s, "20260315000123", 14);

	tqk_scanner_free(s);
	assert_true(mock_usb_driver_bound(m, 0));
	mock_usb_free(m);
}

static void unplug_mid_transfer_and_replug(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_dev d = kbd_scanner();
	mock_usb_plug(m, &d);
	tqk_scanner *s = scanner_at("usb:0c2e:0b61");
	(void)wait_state(s, TQK_SCANNER_READY, TQK_OK);

	/* a whole scan, half of the next, then the cable goes while the
	 * driver waits for the next report */
	type(m, "20194401234567890", 0x28);
	type(m, "123", 0);
	mock_usb_unplug_on_starved_in(m, KBD_EP);
	expect_scan(s, "20194401234567890", 17);
	(void)wait_state(s, TQK_SCANNER_ABSENT, TQK_E_DEV_GONE);
	tqk_err why;
	assert_int_equal(tqk_scanner_get_state(s, &why), TQK_SCANNER_ABSENT);
	assert_int_equal(why, TQK_E_DEV_GONE);
	/* nothing there: polls just time out */
	tqk_scanner_event ev;
	assert_int_equal(tqk_scanner_poll(s, 300, &ev), TQK_SCANNER_EV_NONE);
	assert_int_equal(ev.state, TQK_SCANNER_ABSENT);

	/* plugged in again (a new device number): the same scanner object
	 * claims it again by itself, and the half scan is not glued to the
	 * next one */
	mock_usb_plug(m, &d);
	assert_int_equal(mock_usb_plug_count(m), 2);
	(void)wait_state(s, TQK_SCANNER_READY, TQK_OK);
	assert_true(mock_usb_claimed(m, 0));
	assert_false(mock_usb_driver_bound(m, 0));
	type(m, "456789", 0x28);
	expect_scan(s, "456789", 6);

	/* and once more, unplugged while idle */
	mock_usb_unplug(m);
	(void)wait_state(s, TQK_SCANNER_ABSENT, TQK_E_DEV_GONE);
	mock_usb_plug(m, &d);
	(void)wait_state(s, TQK_SCANNER_READY, TQK_OK);
	type(m, "R1", 0x28);
	expect_scan(s, "R1", 2);
	tqk_scanner_free(s);
	mock_usb_free(m);
}

static void busy_then_free(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_dev d = kbd_scanner();
	d.kernel_driver = false;
	mock_usb_plug(m, &d);
	mock_usb_hold(m, 0, true); /* another program has it */
	tqk_scanner *s = scanner_at("usb:0c2e:0b61");
	(void)wait_state(s, TQK_SCANNER_UNUSABLE, TQK_E_DEV_BUSY);
	assert_false(mock_usb_claimed(m, 0));
	tqk_err why;
	assert_int_equal(tqk_scanner_get_state(s, &why), TQK_SCANNER_UNUSABLE);
	assert_int_equal(why, TQK_E_DEV_BUSY);
	/* the other program lets go: a later attempt takes it */
	mock_usb_hold(m, 0, false);
	(void)wait_state(s, TQK_SCANNER_READY, TQK_OK);
	assert_true(mock_usb_claimed(m, 0));
	type(m, "20260315000123", 0x28);
	expect_scan(s, "20260315000123", 14);
	tqk_scanner_free(s);
	mock_usb_free(m);
}

static void not_a_scanner(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_dev d = kbd_scanner();
	d.iface_protocol = 2; /* a boot mouse */
	d.hid_report = mouse_desc;
	d.hid_report_len = sizeof mouse_desc;
	mock_usb_plug(m, &d);
	tqk_scanner *s = scanner_at("usb:0c2e:0b61");
	(void)wait_state(s, TQK_SCANNER_UNUSABLE, TQK_E_HID_KIND);
	/* probed and given back */
	assert_false(mock_usb_claimed(m, 0));
	assert_true(mock_usb_driver_bound(m, 0));
	assert_int_equal(mock_usb_claim_count(m), 1);
	/* and not probed again (each probe detaches its driver) until it is
	 * plugged in anew */
	tqk_scanner_event ev;
	for (int i = 0; i < 5; i++)
		assert_int_equal(tqk_scanner_poll(s, 200, &ev), TQK_SCANNER_EV_NONE);
	assert_int_equal(mock_usb_claim_count(m), 1);
	mock_usb_unplug(m);
	mock_usb_plug(m, &d);
	for (int i = 0; i < 5 && mock_usb_claim_count(m) == 0; i++)
		assert_int_equal(tqk_scanner_poll(s, 600, &ev), TQK_SCANNER_EV_NONE);
	assert_int_equal(mock_usb_claim_count(m), 1);
	assert_int_equal(tqk_scanner_get_state(s, NULL), TQK_SCANNER_UNUSABLE);
	tqk_scanner_free(s);
	mock_usb_unplug(m);

	/* a report descriptor that does not parse, on a non-boot interface */
	const uint8_t broken[] = {0x05, 0x8C, 0x09, 0x02, 0xA1, 0x01, 0x75};
	d = pos_scanner();
	d.hid_report = broken;
	d.hid_report_len = sizeof broken;
	mock_usb_plug(m, &d);
	s = scanner_at("usb:0c2e:0b87");
	(void)wait_state(s, TQK_SCANNER_UNUSABLE, TQK_E_HID_DESC);
	assert_true(mock_usb_driver_bound(m, 0));
	tqk_scanner_free(s);
	mock_usb_unplug(m);

	/* ... and on a boot keyboard, where the boot protocol needs none */
	d = kbd_scanner();
	d.hid_report = broken;
	d.hid_report_len = sizeof broken;
	mock_usb_plug(m, &d);
	s = scanner_at("usb:0c2e:0b61");
	ev = wait_state(s, TQK_SCANNER_READY, TQK_OK);
	assert_int_equal(ev.mode, TQK_HID_SRC_KEYBOARD);
	type(m, "42424242", 0x28);
	expect_scan(s, "42424242", 8);
	tqk_scanner_free(s);
	mock_usb_free(m);
}

static void found_by_class_and_idle_end(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	tqk_scanner_opts o = tqk_scanner_opts_default();
	o.idle_ms = 150;
	o.ends = TQK_HID_END_ENTER;
	tqk_scanner *s = NULL;
	assert_int_equal(tqk_scanner_new("usb:hid", &o, &s), TQK_OK);
	/* nothing plugged in: timeouts, no event */
	tqk_scanner_event ev;
	assert_int_equal(tqk_scanner_poll(s, 0, &ev), TQK_SCANNER_EV_NONE);
	assert_int_equal(tqk_scanner_poll(s, 250, &ev), TQK_SCANNER_EV_NONE);
	assert_int_equal(ev.state, TQK_SCANNER_ABSENT);

	mock_usb_dev d = kbd_scanner();
	d.vid = 0x1eab;
	d.pid = 0x1d06;
	mock_usb_plug(m, &d);
	ev = wait_state(s, TQK_SCANNER_READY, TQK_OK);
	assert_int_equal(ev.mode, TQK_HID_SRC_KEYBOARD);
	/* a scanner set up without a suffix: the pause ends the scan */
	type(m, "20194401234567890", 0);
	expect_scan(s, "20194401234567890", 17);
	tqk_scanner_free(s);
	mock_usb_free(m);
}

static void addresses(void **state)
{
	(void)state;
	tqk_scanner_spec sp;
	assert_int_equal(tqk_scanner_spec_parse("usb:0c2e:0b61", &sp), TQK_OK);
	assert_false(sp.any);
	assert_int_equal(sp.vid, 0x0c2e);
	assert_int_equal(sp.pid, 0x0b61);
	assert_int_equal(sp.iface, -1);
	assert_int_equal(sp.ep, 0);
	assert_int_equal(tqk_scanner_spec_parse("usb:C2E:B61?ep=82&iface=2", &sp), TQK_OK);
	assert_int_equal(sp.vid, 0x0c2e);
	assert_int_equal(sp.iface, 2);
	assert_int_equal(sp.ep, 0x82);
	assert_int_equal(tqk_scanner_spec_parse("usb:hid", &sp), TQK_OK);
	assert_true(sp.any);
	assert_int_equal(tqk_scanner_spec_parse("usb:hid?iface=1", &sp), TQK_OK);
	assert_true(sp.any && sp.iface == 1);
	static const char *bad[] = {
		"", "usb:", "tty:/dev/ttyUSB0", "usb:0c2e", "usb:0c2e:", "usb:0c2e0:0b61",
		"usb:0c2e:0b61?", "usb:0c2e:0b61?ep=02", "usb:0c2e:0b61?ep=90", "usb:0c2e:0b61?ep=",
		"usb:0c2e:0b61?iface=256", "usb:0c2e:0b61?iface=1&iface=1", "usb:0c2e:0b61?speed=1",
		"usb:0c2e:0b61 ", "usb:hidx", "usb:HID", "usb:0c2e:0b61?iface=1000", NULL,
	};
	for (size_t i = 0; bad[i] != NULL; i++)
		if (tqk_scanner_spec_parse(bad[i], &sp) != TQK_E_DEV_SPEC)
			fail_msg("\"%s\" parsed", bad[i]);
	char longer[TQK_DEV_SPEC_CAP + 8] = "usb:0c2e:0b61?iface=1";
	memset(longer + strlen(longer), '0', sizeof longer - strlen(longer) - 1);
	longer[sizeof longer - 1] = '\0';
	assert_int_equal(tqk_scanner_spec_parse(longer, &sp), TQK_E_DEV_SPEC);

	tqk_scanner *s = (tqk_scanner *)&sp;
	assert_int_equal(tqk_scanner_new("usb:0c2e", NULL, &s), TQK_E_DEV_SPEC);
	assert_null(s);
	tqk_scanner_opts o = tqk_scanner_opts_default();
	o.retry_min_ms = 5;
	assert_int_equal(tqk_scanner_new("usb:hid", &o, &s), TQK_E_ARG);
	o = tqk_scanner_opts_default();
	o.ends = 4;
	assert_int_equal(tqk_scanner_new("usb:hid", &o, &s), TQK_E_ARG);
	assert_string_equal(tqk_scanner_state_code(TQK_SCANNER_UNUSABLE), "unusable");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keyboard_scanner_is_claimed),
		cmocka_unit_test(pos_scanner_reports),
		cmocka_unit_test(unplug_mid_transfer_and_replug),
		cmocka_unit_test(busy_then_free),
		cmocka_unit_test(not_a_scanner),
		cmocka_unit_test(found_by_class_and_idle_end),
		cmocka_unit_test(addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
