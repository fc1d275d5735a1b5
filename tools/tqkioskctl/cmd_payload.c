/*
 * cmd_payload.c - placeholder while the devices issue is built; replaced.
 */
#include "ctl.h"

int cmd_payload(ctl *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return ctl_usage(c, "payload", "尚未实现", "not built yet");
}
