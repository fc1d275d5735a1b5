#include "test.h"
#include "mock_usbfs.h"
#include "dev/transport.h"
#include <stdio.h>
static void t(void **state)
{
	(void)state;
	mock_usb *m = mock_usb_new();
	mock_usb_dev d = {.vid = 0x0400, .pid = 0xc35a, .iface_class = 0xff,
		.ep = {{0x02, 2, 64}, {0x06, 2, 64}, {0x81, 2, 64}, {0x85, 2, 64}}, .n_ep = 4};
	mock_usb_plug(m, &d);
	tqk_transport *tp = NULL;
	assert_int_equal(tqk_transport_open("usb:0400:c35a", &tp), TQK_OK);
	uint8_t f[] = {0xAA,0xAA,0xAA,0x96,0x69,0,3,0x20,0x01,0x22};
	assert_int_equal(tqk_transport_write(tp, f, sizeof f, 500), TQK_OK);
	uint8_t b[64];
	assert_int_equal(mock_usb_out_take(m, 0x02, b, sizeof b), 7);
	assert_int_equal(mock_usb_out_take(m, 0x06, b, sizeof b), 3);
	mock_usb_push_in(m, 0x81, f, 7);
	mock_usb_push_in(m, 0x85, f + 7, 3);
	size_t got = 0, tot = 0;
	while (tot < 10) {
		assert_int_equal(tqk_transport_read(tp, b + tot, sizeof b - tot, 500, &got), TQK_OK);
		tot += got;
	}
	assert_memory_equal(b, f, 10);
	assert_int_equal(tqk_transport_read(tp, b, sizeof b, 50, &got), TQK_E_DEV_TIMEOUT);
	mock_usb_unplug(m);
	assert_int_equal(tqk_transport_read(tp, b, sizeof b, 50, &got), TQK_E_DEV_GONE);
	tqk_transport_close(tp);
	assert_int_equal(tqk_transport_open("usb:0400:c35a", &tp), TQK_E_DEV_NOT_FOUND);
	mock_usb_plug(m, &d);
	assert_int_equal(tqk_transport_open("usb:0400:c35a", &tp), TQK_OK);
	tqk_transport_close(tp);
	mock_usb_free(m);
}
int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(t)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
