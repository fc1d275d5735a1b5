/*
 * cmd_scan.c - placeholder while the devices issue is built; replaced.
 */
#include "ctl.h"

int cmd_scan_image(ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ctl_usage(c, "scan_image", "尚未实现", "not built yet");
}
