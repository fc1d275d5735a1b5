/*
 * test_sync_tls.c - the kiosk's TLS is verified and cannot be bypassed
 * (src/sync/config.h, src/sync/curl.c): against a real tq-county serving
 * https with a certificate from a test CA, the kiosk's client gets the
 * server's time only when it trusts that CA (ca_file) and, when a key is
 * pinned, only when the pin is the server's key. The system's CAs, an
 * unrelated CA, a wrong pin, a pin without the right CA, and a certificate
 * for another host name all end in TQK_E_NET_TLS.
 *
 * The keys and certificates are made here, in a scratch directory, with the
 * `openssl` command (EC P-256, quick to generate); the tests are skipped
 * when it is not on PATH. Two servers run for the whole file: one whose
 * certificate names 127.0.0.1 (an IP subjectAltName), one whose certificate
 * names only example.org. GET /v1/time is unsigned, so the kiosk id and
 * secret are dummies and the servers need no provisioning.
 */
#define _GNU_SOURCE
#include "test.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support/county.h"
#include "support/fixture.h"
#include "support/proc.h"
#include "sync/client.h"
#include "sync/config.h"

static char dir[512];
static char openssl[1024];              /* "" when not on PATH */
static county srv, srv_other;           /* 127.0.0.1's certificate; example.org's */
static char ca_pem[700], other_ca_pem[700];
static char pin[128], wrong_pin[128];   /* "sha256//BASE64" */

/* ---- openssl ---- */

/* The path of the `openssl` command on PATH into openssl; false when none. */
static bool find_openssl(void)
{
	const char *path = getenv("PATH");
	if (path == NULL || path[0] == '\0')
		path = "/usr/bin:/bin";
	while (*path != '\0') {
		size_t len = strcspn(path, ":");
		if (len > 0) {
			snprintf(openssl, sizeof openssl, "%.*s/openssl", (int)len, path);
			if (access(openssl, X_OK) == 0)
				return true;
		}
		path += len;
		if (*path == ':')
			path++;
	}
	openssl[0] = '\0';
	return false;
}

/* Runs openssl with the NULL-terminated arguments; 0 when it exits with 0.
 * Its stdout (trailing whitespace cut) into out when out is not NULL. */
static int run_openssl(char *out, size_t cap, ...) __attribute__((sentinel));
static int run_openssl(char *out, size_t cap, ...)
{
	char *argv[32];
	size_t n = 0;
	argv[n++] = openssl;
	va_list ap;
	va_start(ap, cap);
	const char *a;
	while ((a = va_arg(ap, const char *)) != NULL && n < 31)
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	proc_result r;
	if (proc_run(argv, NULL, NULL, &r) != 0) {
		fprintf(stderr, "# %s: cannot run\n", openssl);
		return -1;
	}
	int rc = r.status == 0 ? 0 : -1;
	if (rc != 0)
		fprintf(stderr, "# openssl %s: exit %d: %.500s\n", argv[1], r.status, r.err);
	if (rc == 0 && out != NULL) {
		snprintf(out, cap, "%s", r.out);
		size_t len = strlen(out);
		while (len > 0 && strchr(" \t\r\n", out[len - 1]) != NULL)
			out[--len] = '\0';
	}
	proc_result_free(&r);
	return rc;
}

static void path_of(char *buf, size_t cap, const char *name)
{
	snprintf(buf, cap, "%s/%s", dir, name);
}

/* A self-signed CA: NAME.key and NAME.pem. */
static int make_ca(const char *name, const char *cn)
{
	char key[700], pem[700], subj[128];
	snprintf(key, sizeof key, "%s/%s.key", dir, name);
	snprintf(pem, sizeof pem, "%s/%s.pem", dir, name);
	snprintf(subj, sizeof subj, "/CN=%s", cn);
	return run_openssl(NULL, 0, "req", "-x509", "-newkey", "ec", "-pkeyopt",
	                   "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", pem,
	                   "-days", "2", "-subj", subj, "-addext",
	                   "basicConstraints=critical,CA:TRUE", "-addext",
	                   "keyUsage=critical,keyCertSign,cRLSign", NULL);
}

/* A server key NAME.key and certificate NAME.pem for cn with subjectAltName
 * san, signed by CA ca (its NAME). */
static int make_server(const char *name, const char *cn, const char *san, const char *ca,
                       const char *serial)
{
	char key[700], csr[700], pem[700], ext[700], ca_key[700], ca_cert[700], subj[128];
	snprintf(key, sizeof key, "%s/%s.key", dir, name);
	snprintf(csr, sizeof csr, "%s/%s.csr", dir, name);
	snprintf(pem, sizeof pem, "%s/%s.pem", dir, name);
	snprintf(ext, sizeof ext, "%s/%s.ext", dir, name);
	snprintf(ca_key, sizeof ca_key, "%s/%s.key", dir, ca);
	snprintf(ca_cert, sizeof ca_cert, "%s/%s.pem", dir, ca);
	snprintf(subj, sizeof subj, "/CN=%s", cn);
	FILE *f = fopen(ext, "we");
	if (f == NULL)
		return -1;
	fprintf(f, "basicConstraints = critical,CA:FALSE\n"
	           "keyUsage = critical,digitalSignature\n"
	           "extendedKeyUsage = serverAuth\n"
	           "subjectAltName = %s\n", san);
	if (fclose(f) != 0)
		return -1;
	if (run_openssl(NULL, 0, "req", "-new", "-newkey", "ec", "-pkeyopt",
	                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", csr, "-subj",
	                subj, NULL) != 0)
		return -1;
	return run_openssl(NULL, 0, "x509", "-req", "-in", csr, "-CA", ca_cert, "-CAkey", ca_key,
	                   "-set_serial", serial, "-days", "2", "-extfile", ext, "-out", pem,
	                   NULL);
}

/* "sha256//" + base64 of the SHA-256 of the DER public key of key file
 * NAME.key, as libcurl's CURLOPT_PINNEDPUBLICKEY takes it. */
static int make_pin(const char *name, char *out, size_t cap)
{
	char key[700], der[700], sha[700], b64[128];
	snprintf(key, sizeof key, "%s/%s.key", dir, name);
	snprintf(der, sizeof der, "%s/%s.pub.der", dir, name);
	snprintf(sha, sizeof sha, "%s/%s.pub.sha256", dir, name);
	if (run_openssl(NULL, 0, "pkey", "-in", key, "-pubout", "-outform", "der", "-out", der,
	                NULL) != 0 ||
	    run_openssl(NULL, 0, "dgst", "-sha256", "-binary", "-out", sha, der, NULL) != 0 ||
	    run_openssl(b64, sizeof b64, "base64", "-A", "-in", sha, NULL) != 0)
		return -1;
	if (strlen(b64) != 44) {        /* 32 bytes in base64 */
		fprintf(stderr, "# pin of %s: unexpected base64 \"%s\"\n", name, b64);
		return -1;
	}
	snprintf(out, cap, "sha256//%s", b64);
	return 0;
}

/* Starts a TLS server in DIR/sub with certificate NAME.pem and key NAME.key. */
static int start_server(county *c, const char *sub, const char *name)
{
	char d[600], cert[700], key[700];
	snprintf(d, sizeof d, "%s/%s", dir, sub);
	snprintf(cert, sizeof cert, "%s/%s.pem", dir, name);
	snprintf(key, sizeof key, "%s/%s.key", dir, name);
	if (mkdir(d, 0700) != 0) {
		fprintf(stderr, "# mkdir %s failed\n", d);
		return -1;
	}
	if (county_start_tls(c, d, cert, key) != 0) {
		fprintf(stderr, "# county (%s): %s\n", name, c->why);
		county_dump_log(c, 4000);
		return -1;
	}
	return 0;
}

/* ---- set-up ---- */

static int group_setup(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	srv.pid = srv_other.pid = -1;
	fixture_tmpdir(dir, sizeof dir);
	if (!find_openssl())
		return 0;               /* every test skips */
	path_of(ca_pem, sizeof ca_pem, "ca.pem");
	path_of(other_ca_pem, sizeof other_ca_pem, "other-ca.pem");
	if (make_ca("ca", "tqkiosk test CA") != 0 ||
	    make_ca("other-ca", "tqkiosk unrelated CA") != 0 ||
	    make_server("server", "127.0.0.1", "IP:127.0.0.1", "ca", "1001") != 0 ||
	    make_server("elsewhere", "example.org", "DNS:example.org", "ca", "1002") != 0 ||
	    make_pin("server", pin, sizeof pin) != 0 ||
	    make_pin("other-ca", wrong_pin, sizeof wrong_pin) != 0)
		return -1;
	if (start_server(&srv, "a", "server") != 0 ||
	    start_server(&srv_other, "b", "elsewhere") != 0)
		return -1;
	return 0;
}

static int stop(county *c)
{
	if (c->pid > 0 && county_stop(c) != 0) {
		fprintf(stderr, "# county: %s\n", c->why);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	int rc = stop(&srv);
	if (stop(&srv_other) != 0)
		rc = -1;
	fixture_rmdir(dir);
	return rc;
}

/* ---- the kiosk's side ---- */

/* GET /v1/time from https://127.0.0.1:port with ca_file ca and pinned_key
 * pinned ("" for none); the error, the time into *now. */
static tqk_err time_from(int port, const char *ca, const char *pinned, tqk_time *now)
{
	if (openssl[0] == '\0')
		skip();
	tqk_sync_config cfg;
	tqk_sync_config_defaults(&cfg);
	snprintf(cfg.url, sizeof cfg.url, "https://127.0.0.1:%d", port);
	snprintf(cfg.ca_file, sizeof cfg.ca_file, "%s", ca);
	snprintf(cfg.pinned_key, sizeof cfg.pinned_key, "%s", pinned);
	snprintf(cfg.kiosk, sizeof cfg.kiosk, "K01");
	memset(cfg.secret, 0x5a, sizeof cfg.secret);
	cfg.connect_timeout = 2;
	cfg.timeout = 5;

	tqk_http_transport t;
	tqk_client *c = NULL;
	assert_int_equal(tqk_http_curl(&cfg, &t), TQK_OK);
	assert_int_equal(tqk_client_new(&cfg, t, &c), TQK_OK);
	*now = 0;
	tqk_err err = tqk_client_time(c, now);
	fprintf(stderr, "# ca=%s pin=%s: %s (%s)\n", ca[0] != '\0' ? strrchr(ca, '/') + 1 : "-",
	        pinned[0] == '\0' ? "-" : pinned == pin ? "right" : "wrong", tqk_err_code(err),
	        tqk_client_detail(c));
	tqk_client_free(c);
	return err;
}

static void assert_plausible(tqk_time t)
{
	tqk_time mine = (tqk_time)time(NULL);
	assert_true(t > mine - 300 && t < mine + 300);
}

/* 1. The right CA: the time comes back, close to ours. */
static void right_ca(void **state)
{
	(void)state;
	tqk_time t;
	assert_int_equal(time_from(srv.port, ca_pem, "", &t), TQK_OK);
	assert_plausible(t);
}

/* 2. No ca_file: the system's CAs do not know the test CA. */
static void system_cas(void **state)
{
	(void)state;
	tqk_time t;
	assert_int_equal(time_from(srv.port, "", "", &t), TQK_E_NET_TLS);
	assert_int_equal(t, 0);
}

/* 3. An unrelated CA. */
static void unrelated_ca(void **state)
{
	(void)state;
	tqk_time t;
	assert_int_equal(time_from(srv.port, other_ca_pem, "", &t), TQK_E_NET_TLS);
	assert_int_equal(t, 0);
}

/* 4a. The server's key pinned, with the right CA. */
static void right_pin(void **state)
{
	(void)state;
	tqk_time t;
	assert_int_equal(time_from(srv.port, ca_pem, pin, &t), TQK_OK);
	assert_plausible(t);
}

/* 4b. Another key pinned: the right CA is not enough. */
static void wrong_pin_refused(void **state)
{
	(void)state;
	tqk_time t;
	assert_int_equal(time_from(srv.port, ca_pem, wrong_pin, &t), TQK_E_NET_TLS);
	assert_int_equal(t, 0);
}

/* 4c. The right pin does not replace the chain: without the CA it fails. */
static void pin_without_ca(void **state)
{
	(void)state;
	tqk_time t;
	assert_int_equal(time_from(srv.port, "", pin, &t), TQK_E_NET_TLS);
	assert_int_equal(time_from(srv.port, other_ca_pem, pin, &t), TQK_E_NET_TLS);
	assert_int_equal(t, 0);
}

/* 5. A certificate from the right CA, but for another host name. */
static void wrong_host(void **state)
{
	(void)state;
	tqk_time t;
	assert_int_equal(time_from(srv_other.port, ca_pem, "", &t), TQK_E_NET_TLS);
	assert_int_equal(t, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(right_ca),
		cmocka_unit_test(system_cas),
		cmocka_unit_test(unrelated_ca),
		cmocka_unit_test(right_pin),
		cmocka_unit_test(wrong_pin_refused),
		cmocka_unit_test(pin_without_ca),
		cmocka_unit_test(wrong_host),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
