/*
 * usbaddr.h - what the two libusb drivers (the reader's bulk transport,
 * usb.c, and the barcode scanner, scanner.c) share: libusb's error codes as
 * ours, and the number fields of their "usb:VID:PID?..." addresses.
 */
#ifndef TQK_DEV_USBADDR_H
#define TQK_DEV_USBADDR_H

#include <stdbool.h>

#include "core/err.h"

/* A libusb return code as a tqk_err: NO_DEVICE is TQK_E_DEV_GONE, TIMEOUT,
 * ACCESS, BUSY, NOT_FOUND and NO_MEM their own, the rest TQK_E_DEV_IO. */
tqk_err tqk_usb_err(int rc);

/* 1..digits hexadecimal digits at *s (either case) into *out, advancing *s
 * past them; false, *s untouched, when there are none or more. */
bool tqk_usb_hex(const char **s, unsigned digits, unsigned *out);

/* The same for 1..digits decimal digits. */
bool tqk_usb_dec(const char **s, unsigned digits, unsigned *out);

#endif
