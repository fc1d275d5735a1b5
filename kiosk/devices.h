/*
 * devices.h - the kiosk's device threads (devices.c): the ID-card reader,
 * the USB barcode scanner and the camera polled on threads of their own,
 * their cards, scans and states posted to the SDL loop as the app's user
 * events (app.h). A code the camera reads is posted as a scan, like the
 * scanner's.
 *
 * Kept apart from app_internal.h on purpose: dev/ and sync/ each have a
 * struct named tqk_transport, and no file may see both.
 */
#ifndef TQK_KIOSK_DEVICES_H
#define TQK_KIOSK_DEVICES_H

#include <SDL.h>

#include "core/err.h"

typedef struct tqk_devices tqk_devices;

/*
 * Opens the reader and the USB scanner at their addresses (NULL: none;
 * dev/idreader.h, dev/scanner.h), and the camera at its (NULL: none): a
 * V4L2 node ("/dev/video0", dev/camera.h) or "dir:PATH", a directory of
 * frames shown in a loop (dev/framesrc.h). A thread for each; events go to
 * ev_base + TQK_EV_*. A camera that is not there (yet) is looked for again
 * every 2 s and is no failure. Fails with the drivers' errors (a bad
 * address, libusb), TQK_E_DEV_SPEC for a camera address of neither form,
 * TQK_E_NOMEM.
 */
tqk_err tqk_devices_start(const char *reader, const char *scanner, const char *camera,
                          Uint32 ev_base, tqk_devices **out) TQK_MUST_CHECK;
void tqk_devices_stop(tqk_devices *d);      /* NULL is a no-op */
/* The reader's state for a person, in lang. */
const char *tqk_devices_reader_text(tqk_devices *d, tqk_lang lang);
/* The scanner's: USB claimed (keyboard or POS mode), or the wedge. */
const char *tqk_devices_scanner_text(tqk_devices *d, tqk_lang lang);
/* The camera's: not configured, working (V4L2 or a directory), not
 * connected, or not usable with the reason. Call it from one thread only
 * (the loop's): the last text may live in d until the next call. */
const char *tqk_devices_camera_text(tqk_devices *d, tqk_lang lang);

#endif
