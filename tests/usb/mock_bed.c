/*
 * mock_bed.c - the umockdev testbed and ioctl handler of a mocked device
 * (see mock_bed.h).
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "mock_bed.h"

void mock_bed_new(UMockdevTestbed **bed, UMockdevIoctlBase **handler, GCallback on_ioctl,
                  void *user)
{
	const char *pre = getenv("LD_PRELOAD");
	if (pre == NULL || strstr(pre, "libumockdev-preload") == NULL)
		fail_msg("not under umockdev: run through tests/run.sh, which preloads "
		         "libumockdev-preload.so.0 for the tests under tests/usb/");
	*bed = umockdev_testbed_new();
	assert_non_null(*bed);
	*handler = umockdev_ioctl_base_new();
	assert_non_null(*handler);
	g_signal_connect(*handler, "handle-ioctl", on_ioctl, user);
}

void mock_bed_free(UMockdevTestbed *bed, UMockdevIoctlBase *handler)
{
	g_object_unref(bed);
	g_object_unref(handler);
}
