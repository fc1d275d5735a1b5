/*
 * usbaddr.c - libusb's error codes as ours, and the number fields of USB
 * device addresses (usbaddr.h).
 */
#include "dev/usbaddr.h"

#include <libusb.h>

tqk_err tqk_usb_err(int rc)
{
	switch (rc) {
	case LIBUSB_SUCCESS:
		return TQK_OK;
	case LIBUSB_ERROR_NO_DEVICE:
		return TQK_E_DEV_GONE;
	case LIBUSB_ERROR_TIMEOUT:
		return TQK_E_DEV_TIMEOUT;
	case LIBUSB_ERROR_ACCESS:
		return TQK_E_DEV_ACCESS;
	case LIBUSB_ERROR_BUSY:
		return TQK_E_DEV_BUSY;
	case LIBUSB_ERROR_NOT_FOUND:
		return TQK_E_DEV_NOT_FOUND;
	case LIBUSB_ERROR_NO_MEM:
		return TQK_E_NOMEM;
	default:
		return TQK_E_DEV_IO;
	}
}

/* The value of c as a digit of base (10 or 16), or -1. */
static int digit(char c, unsigned base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool field(const char **s, unsigned base, unsigned digits, unsigned *out)
{
	unsigned v = 0, n = 0;
	const char *p = *s;
	for (int d; (d = digit(*p, base)) >= 0; p++, n++) {
		if (n == digits)
			return false;
		v = v * base + (unsigned)d;
	}
	if (n == 0)
		return false;
	*s = p;
	*out = v;
	return true;
}

bool tqk_usb_hex(const char **s, unsigned digits, unsigned *out)
{
	return field(s, 16, digits, out);
}

bool tqk_usb_dec(const char **s, unsigned digits, unsigned *out)
{
	return field(s, 10, digits, out);
}
