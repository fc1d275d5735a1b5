/*
 * cmd_device.c - placeholder while the devices issue is built; replaced.
 */
#include "ctl.h"

int cmd_read_id(ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ctl_usage(c, "read_id", "尚未实现", "not built yet");
}
