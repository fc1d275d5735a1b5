/*
 * devices.h - the kiosk's device threads (devices.c): the ID-card reader
 * and the USB barcode scanner polled on threads of their own, their cards,
 * scans and states posted to the SDL loop as the app's user events (app.h).
 *
 * Kept apart from app_internal.h on purpose: dev/ and sync/ each have a
 * struct named tqk_transport, and no file may see both.
 */
#ifndef TQK_KIOSK_DEVICES_H
#define TQK_KIOSK_DEVICES_H

#include <SDL.h>

#include "core/err.h"

typedef struct tqk_devices tqk_devices;

/* Opens the reader and the USB scanner at their addresses (NULL: none;
 * dev/idreader.h, dev/scanner.h) and starts a thread for each; events go
 * to ev_base + TQK_EV_*. The drivers' failures (a bad address, libusb). */
tqk_err tqk_devices_start(const char *reader, const char *scanner, Uint32 ev_base,
                          tqk_devices **out) TQK_MUST_CHECK;
void tqk_devices_stop(tqk_devices *d);      /* NULL is a no-op */
/* The reader's state for a person, in lang. */
const char *tqk_devices_reader_text(tqk_devices *d, tqk_lang lang);
/* The scanner's: USB claimed (keyboard or POS mode), or the wedge. */
const char *tqk_devices_scanner_text(tqk_devices *d, tqk_lang lang);

#endif
