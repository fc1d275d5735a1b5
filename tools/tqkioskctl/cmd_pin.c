/*
 * cmd_pin.c - tqkioskctl pin-hash: the argon2id hash of an admin PIN for
 * the kiosk's configuration (admin_pin_hash = ..., kiosk/main.c). The PIN
 * is 4 to 8 digits, read from a line of standard input (or --pin, which a
 * shell history keeps: for scripts only); only its hash is printed.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "ctl.h"

#define PIN_MIN 4
#define PIN_MAX 8

static bool pin_ok(const char *p)
{
	size_t n = strlen(p);
	if (n < PIN_MIN || n > PIN_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

int cmd_pin_hash(ctl *c, int argc, char **argv)
{
	const char *given = NULL;
	const ctl_optspec opts[] = {{"--pin", &given}, {NULL, NULL}};
	if (ctl_args(c, argc, argv, opts, NULL) != CTL_OK)
		return CTL_USAGE;
	char pin[64] = "";
	if (given != NULL) {
		snprintf(pin, sizeof pin, "%s", given);
	} else if (fgets(pin, sizeof pin, stdin) != NULL) {
		pin[strcspn(pin, "\r\n")] = '\0';
	}
	int rc = CTL_OK;
	char hash[crypto_pwhash_STRBYTES];
	if (!pin_ok(pin)) {
		rc = ctl_usage(c, "pin-hash", "管理员密码须为4至8位数字", "the admin PIN is 4 to 8 digits");
	} else if (sodium_init() < 0 ||
	           crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
		rc = ctl_fail(c, TQK_E_NOMEM, "pin-hash", NULL);
	} else {
		out_str(c, "pin_hash", hash);
		ctl_say(c, "请把 pin_hash 的值写入自助机配置的 admin_pin_hash",
		        "put the value of pin_hash into admin_pin_hash of the kiosk's configuration");
	}
	sodium_memzero(pin, sizeof pin);
	return rc;
}
