/*
 * mock_usbfs.h - a USB device played by the test, for libusb under umockdev.
 *
 * One in-process umockdev testbed per mock. The mock answers the usbfs ioctls
 * libusb sends to /dev/bus/usb/001/NNN (capabilities, claim/release, set
 * configuration, kernel driver queries, disconnect/connect of the kernel
 * driver, SUBMITURB for bulk, interrupt and control URBs, REAPURB and
 * REAPURBNDELAY, DISCARDURB; GET_DESCRIPTOR of the HID report descriptor
 * and HID class requests such as SET_PROTOCOL and SET_IDLE, logged) and
 * builds the device's sysfs entry and its
 * descriptors (device, configuration, one interface with its endpoints, and
 * a HID class descriptor when the interface is HID).
 *
 * The test plays the device: data written to an OUT endpoint is logged per
 * endpoint and handed to a callback; data the test queues for an IN endpoint
 * completes the next IN URB on it (one queued packet per URB, so a short
 * packet makes a short transfer). Unplugging drops the packets still queued,
 * makes every pending URB complete with -ESHUTDOWN and every later ioctl on
 * that device fail with ENODEV, and removes the device from sysfs; plugging
 * again adds it under a new device number, as the kernel does.
 *
 * The ioctl handler runs on umockdev's worker thread; every function here
 * may be called from the test's thread or from the OUT callback.
 * The process must run under umockdev-wrapper (libumockdev-preload).
 */
#ifndef TQK_TEST_MOCK_USBFS_H
#define TQK_TEST_MOCK_USBFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct mock_usb mock_usb;

#define MOCK_USB_EP_MAX 8

typedef struct mock_usb_ep {
	uint8_t address;   /* 0x02 OUT, 0x81 IN ... */
	uint8_t type;      /* 2 bulk, 3 interrupt */
	uint16_t max_packet;
} mock_usb_ep;

/* What the device looks like. */
typedef struct mock_usb_dev {
	uint16_t vid, pid;
	uint8_t iface;                  /* bInterfaceNumber */
	uint8_t iface_class, iface_subclass, iface_protocol;
	mock_usb_ep ep[MOCK_USB_EP_MAX];
	size_t n_ep;
	const uint8_t *hid_report;      /* HID report descriptor (class 3 only) */
	size_t hid_report_len;
	bool kernel_driver;             /* the interface starts bound to "usbhid" */
} mock_usb_dev;

/* Called (on the handler thread, with no lock held) for each OUT URB with
 * the bytes the device accepted. */
typedef void (*mock_usb_out_fn)(mock_usb *m, void *user, uint8_t ep,
                                const uint8_t *data, size_t len);

/* A testbed with no device; fails the test if umockdev is not preloaded. */
mock_usb *mock_usb_new(void);
/* Unplugs, tears the testbed down (its temp dir included). NULL: no-op. */
void mock_usb_free(mock_usb *m);

/* Adds the device (a new device number each time). At most one at a time. */
void mock_usb_plug(mock_usb *m, const mock_usb_dev *dev);
/* Removes it: pending URBs complete with -ESHUTDOWN, every later ioctl on an
 * fd of this device fails with ENODEV. No-op when nothing is plugged. */
void mock_usb_unplug(mock_usb *m);
/* Unplugs as soon as an IN URB is submitted on ep while nothing is queued
 * for it (a transfer in flight when the cable goes). */
void mock_usb_unplug_on_starved_in(mock_usb *m, uint8_t ep);

void mock_usb_on_out(mock_usb *m, mock_usb_out_fn fn, void *user);
/* Each OUT URB on ep accepts at most max bytes (0: all); the rest of the
 * URB is reported as not transferred (a partial write). */
void mock_usb_out_limit(mock_usb *m, uint8_t ep, size_t max);

/* Queues one IN packet for ep (len may be 0: a zero-length packet). */
void mock_usb_push_in(mock_usb *m, uint8_t ep, const void *data, size_t len);
/* Queues data for ep in packets of at most chunk bytes. */
void mock_usb_push_in_chunked(mock_usb *m, uint8_t ep, const void *data,
                              size_t len, size_t chunk);
/* Packets still queued for ep. */
size_t mock_usb_in_queued(mock_usb *m, uint8_t ep);

/* Moves up to cap bytes of what was written to ep into buf (oldest first)
 * and returns their count. */
size_t mock_usb_out_take(mock_usb *m, uint8_t ep, uint8_t *buf, size_t cap);
/* Number of OUT URBs seen on ep so far. */
unsigned mock_usb_out_urbs(mock_usb *m, uint8_t ep);

/* State of the plugged device (false/0 when none). */
bool mock_usb_claimed(mock_usb *m, uint8_t iface);
bool mock_usb_driver_bound(mock_usb *m, uint8_t iface);
unsigned mock_usb_plug_count(mock_usb *m);
/* Class requests (bmRequestType 0x21) seen: the last bRequest and wValue. */
int mock_usb_last_class_request(mock_usb *m, uint16_t *value);
/* Class requests sent to the plugged device, oldest first: up to cap of
 * their bRequest and wValue into req and value (either may be NULL);
 * returns how many were sent (at most MOCK_USB_CLASS_LOG are kept). */
#define MOCK_USB_CLASS_LOG 32
size_t mock_usb_class_requests(mock_usb *m, uint8_t *req, uint16_t *value, size_t cap);

/* Claims of the plugged device's interface that succeeded (with or without
 * disconnecting the kernel driver). */
unsigned mock_usb_claim_count(mock_usb *m);

/* Another program holds iface through usbfs (or lets go): claiming it,
 * also with the kernel driver's disconnect, fails with EBUSY, and its
 * driver reads "usbfs". Cleared by unplugging. */
void mock_usb_hold(mock_usb *m, uint8_t iface, bool held);

#endif
