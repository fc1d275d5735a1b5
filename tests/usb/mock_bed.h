/*
 * mock_bed.h - what every device a USB test plays under umockdev starts
 * from: an in-process umockdev testbed, and an ioctl handler for the
 * device's node (mock_usbfs answers usbfs on it, mock_v4l2 V4L2).
 *
 * The testbed only works when the process runs with libumockdev-preload,
 * which tests/run.sh puts in LD_PRELOAD for the tests under tests/usb/; a
 * test started otherwise fails at once saying so.
 */
#ifndef TQK_TEST_MOCK_BED_H
#define TQK_TEST_MOCK_BED_H

#include <umockdev.h>

/*
 * Fails the test unless libumockdev-preload is loaded; then makes a new
 * testbed into *bed and a handler into *handler whose "handle-ioctl" signal
 * calls on_ioctl(handler, client, user). Both are the caller's
 * (mock_bed_free).
 */
void mock_bed_new(UMockdevTestbed **bed, UMockdevIoctlBase **handler, GCallback on_ioctl,
                  void *user);

/* Drops the testbed (removing what it made) and the handler. */
void mock_bed_free(UMockdevTestbed *bed, UMockdevIoctlBase *handler);

#endif
