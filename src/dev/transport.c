/*
 * transport.c - opening a transport from its device address.
 *
 * The address is one line of configuration ("tty:/dev/ttyUSB0?baud=115200",
 * "usb:0400:c35a?out=02,06&in=81,85"); this file checks its length, picks
 * the backend by scheme and hands the rest to the backend's own parser.
 */
#include "dev/transport.h"

#include <stdlib.h>
#include <string.h>

#define TTY_DEFAULT_BAUD 115200u

/* "baud=N" as the only query of a tty address. */
static tqk_err tty_query(const char *q, unsigned *baud)
{
	static const char key[] = "baud=";
	if (strncmp(q, key, sizeof key - 1) != 0)
		return TQK_E_DEV_SPEC;
	const char *v = q + sizeof key - 1;
	unsigned long n = 0;
	if (*v == '\0')
		return TQK_E_DEV_SPEC;
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9' || n > 10000000ul)
			return TQK_E_DEV_SPEC;
		n = n * 10 + (unsigned long)(*v - '0');
	}
	*baud = (unsigned)n;
	return TQK_OK;
}

static tqk_err open_tty(const char *rest, tqk_transport **out)
{
	char path[TQK_DEV_SPEC_CAP];
	unsigned baud = TTY_DEFAULT_BAUD;
	const char *q = strchr(rest, '?');
	size_t n = q != NULL ? (size_t)(q - rest) : strlen(rest);
	if (n == 0 || n >= sizeof path || rest[0] != '/')
		return TQK_E_DEV_SPEC;
	memcpy(path, rest, n);
	path[n] = '\0';
	if (q != NULL) {
		tqk_err err = tty_query(q + 1, &baud);
		if (err != TQK_OK)
			return err;
	}
	return tqk_tty_open(path, baud, out);
}

static tqk_err open_usb(const char *rest, tqk_transport **out)
{
	tqk_usb_spec spec;
	tqk_err err = tqk_usb_spec_parse(rest, &spec);
	if (err != TQK_OK)
		return err;
	return tqk_usb_open(&spec, out);
}

tqk_err tqk_transport_open(const char *spec, tqk_transport **out)
{
	static const struct {
		const char *scheme;
		tqk_err (*open)(const char *rest, tqk_transport **out);
	} schemes[] = {
		{"tty:", open_tty},
		{"usb:", open_usb},
	};
	*out = NULL;
	if (spec == NULL || strnlen(spec, TQK_DEV_SPEC_CAP) >= TQK_DEV_SPEC_CAP)
		return TQK_E_DEV_SPEC;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t n = strlen(schemes[i].scheme);
		if (strncmp(spec, schemes[i].scheme, n) == 0)
			return schemes[i].open(spec + n, out);
	}
	return TQK_E_DEV_SPEC;
}
