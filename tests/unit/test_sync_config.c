/*
 * test_sync_config.c - the kiosk's connection file (sync/config.h): every
 * key read, the defaults, the url's normalisation, and every refusal with
 * the line it names: unknown sections and keys, keys given twice, values out
 * of range, bad urls (http to another host, a user name, a query, a bad
 * port), files that are not there, a secret that is not 64 hex digits, a
 * missing required key, lines too long or holding NUL, and a file others may
 * read.
 */
#include "test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proto/sign.h"
#include "support/fixture.h"
#include "sync/config.h"

#define SECRET "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF"
#define PIN "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
#define MINIMAL "[server]\nurl = https://county.example.cn:8443\n" \
	"[kiosk]\nid = K01\nsecret = " SECRET "\n"

struct env {
	char dir[512];
	char path[600];
	char ca[600];
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	assert_non_null(e);
	fixture_tmpdir(e->dir, sizeof e->dir);
	snprintf(e->path, sizeof e->path, "%s/kiosk.conf", e->dir);
	snprintf(e->ca, sizeof e->ca, "%s/ca.pem", e->dir);
	FILE *f = fopen(e->ca, "w");
	assert_non_null(f);
	fputs("not really a certificate\n", f);
	fclose(f);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	fixture_rmdir(e->dir);
	free(e);
	return 0;
}

/* Writes len bytes of text to the env's file with mode. */
static void write_bytes(struct env *e, const char *text, size_t len, mode_t mode)
{
	unlink(e->path);
	int fd = open(e->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void write_conf(struct env *e, const char *text)
{
	write_bytes(e, text, strlen(text), 0600);
}

/* Loads the env's file, expecting err; returns the detail (static). */
static const char *load(struct env *e, tqk_err want, tqk_sync_config *out)
{
	static char detail[256];
	tqk_sync_config scratch;
	detail[0] = '\0';
	tqk_err err = tqk_sync_config_load(e->path, out != NULL ? out : &scratch, detail,
	                                   sizeof detail);
	if (err != want)
		fail_msg("load gave %d (%s), wanted %d", err, detail, want);
	return detail;
}

/* Loads text, expects TQK_E_CONFIG with a detail that contains want. */
static void refused(struct env *e, const char *text, const char *want)
{
	write_conf(e, text);
	tqk_sync_config c;
	tqk_sync_config_defaults(&c);
	c.batch = 77;
	const char *d = load(e, TQK_E_CONFIG, &c);
	if (strstr(d, want) == NULL)
		fail_msg("detail \"%s\" does not contain \"%s\"", d, want);
	assert_int_equal(c.batch, 77);      /* nothing written on failure */
}

static void every_key_is_read(void **state)
{
	struct env *e = *state;
	char text[2048];
	snprintf(text, sizeof text,
	         "; the kiosk's connection\n"
	         "[server]\n"
	         "url = https://county.example.cn:8443/tqk/   ; behind a proxy\n"
	         "ca_file = %s\n"
	         "pinned_key = " PIN ";" PIN "\n"
	         "connect_timeout = 7\n"
	         "timeout = 45\n"
	         "\n"
	         "[kiosk]\n"
	         "id = K-01_a\n"
	         "secret = " SECRET "\n"
	         "# sync\n"
	         "[sync]\n"
	         "backoff_cap = 600\n"
	         "batch = 500\n", e->ca);
	write_conf(e, text);
	tqk_sync_config c;
	load(e, TQK_OK, &c);
	assert_string_equal(c.url, "https://county.example.cn:8443/tqk");
	assert_string_equal(c.ca_file, e->ca);
	assert_string_equal(c.pinned_key, PIN ";" PIN);
	assert_int_equal(c.connect_timeout, 7);
	assert_int_equal(c.timeout, 45);
	assert_string_equal(c.kiosk, "K-01_a");
	uint8_t want[TQK_SIGN_KEY_LEN];
	assert_true(tqk_hex_decode(SECRET, want, sizeof want));
	assert_memory_equal(c.secret, want, sizeof want);
	assert_int_equal(c.backoff_cap, 600);
	assert_int_equal(c.batch, 500);
}

static void optional_keys_take_their_defaults(void **state)
{
	struct env *e = *state;
	write_conf(e, MINIMAL);
	tqk_sync_config c;
	load(e, TQK_OK, &c);
	assert_string_equal(c.url, "https://county.example.cn:8443");
	assert_string_equal(c.ca_file, "");
	assert_string_equal(c.pinned_key, "");
	assert_int_equal(c.connect_timeout, 5);
	assert_int_equal(c.timeout, 30);
	assert_int_equal(c.backoff_cap, 300);
	assert_int_equal(c.batch, 200);

	tqk_sync_config d;
	memset(&d, 0xff, sizeof d);
	tqk_sync_config_defaults(&d);
	assert_string_equal(d.url, "");
	assert_string_equal(d.kiosk, "");
	assert_int_equal(d.connect_timeout, 5);
	assert_int_equal(d.timeout, 30);
	assert_int_equal(d.backoff_cap, 300);
	assert_int_equal(d.batch, 200);
}

static void pinned_key_may_be_a_file(void **state)
{
	struct env *e = *state;
	char text[1024];
	snprintf(text, sizeof text, MINIMAL "[server]\npinned_key = %s\n", e->ca);
	write_conf(e, text);
	tqk_sync_config c;
	load(e, TQK_OK, &c);
	assert_string_equal(c.pinned_key, e->ca);
}

/* Loads MINIMAL with url replaced; returns the url read, or "" when it
 * was refused (the detail then in *why). */
static const char *url_of(struct env *e, const char *url, const char **why)
{
	static tqk_sync_config c;
	char text[1024];
	snprintf(text, sizeof text, "[server]\nurl = %s\n[kiosk]\nid = K01\nsecret = " SECRET "\n",
	         url);
	write_conf(e, text);
	static char detail[256];
	tqk_err err = tqk_sync_config_load(e->path, &c, detail, sizeof detail);
	*why = detail;
	if (err != TQK_OK) {
		assert_int_equal(err, TQK_E_CONFIG);
		return "";
	}
	return c.url;
}

static void url_is_normalised_and_loopback_may_be_http(void **state)
{
	struct env *e = *state;
	const char *why;
	static const char *const ok[][2] = {
		{"https://county.example.cn", "https://county.example.cn"},
		{"https://county.example.cn/", "https://county.example.cn"},
		{"https://county.example.cn:8443///", "https://county.example.cn:8443"},
		{"https://10.0.0.5:443/api/v/", "https://10.0.0.5:443/api/v"},
		{"https://[2001:db8::1]:8443", "https://[2001:db8::1]:8443"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080"},
		{"http://[::1]:8080", "http://[::1]:8080"},
		{"http://localhost", "http://localhost"},
		{"http://LocalHost:1", "http://LocalHost:1"},
		{"https://host:65535", "https://host:65535"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		const char *got = url_of(e, ok[i][0], &why);
		if (strcmp(got, ok[i][1]) != 0)
			fail_msg("%s gave \"%s\" (%s)", ok[i][0], got, why);
	}
}

static void bad_urls_are_refused_with_their_line(void **state)
{
	struct env *e = *state;
	static const char *const bad[][2] = {
		{"ftp://county.example.cn", "must start with https://"},
		{"HTTPS://county.example.cn", "must start with https://"},
		{"county.example.cn", "must start with https://"},
		{"http://county.example.cn", "http:// is allowed only to"},
		{"http://192.168.1.10:8080", "http:// is allowed only to"},
		{"http://127.0.0.2", "http:// is allowed only to"},
		{"http://127.0.0.1.example.cn", "http:// is allowed only to"},
		{"http://localhost.example.cn", "http:// is allowed only to"},
		{"http://[::2]", "http:// is allowed only to"},
		{"https://user:pw@county.example.cn", "user name or password"},
		{"https://county.example.cn/v1?x=1", "path may hold only"},
		{"https://county.example.cn/#frag", "path may hold only"},
		{"https://county.example.cn/a/../b", "path may hold only"},
		{"https://county.example.cn/a//b", "path may hold only"},
		{"https://county.example.cn/a%20b", "path may hold only"},
		{"https://county example.cn", "not allowed"},
		{"https://", "no host"},
		{"https:///v1", "no host"},
		{"https://[::1", "unclosed"},
		{"https://host]:1", "stray"},
		{"https://host:0", "bad port"},
		{"https://host:65536", "bad port"},
		{"https://host:", "bad port"},
		{"https://host:8x", "bad port"},
		{"https://host:1234567", "bad port"},
		{"https://[::1]x", "not a port"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *why;
		const char *got = url_of(e, bad[i][0], &why);
		if (got[0] != '\0')
			fail_msg("%s was accepted as %s", bad[i][0], got);
		if (strncmp(why, "line 2: ", 8) != 0 || strstr(why, bad[i][1]) == NULL)
			fail_msg("%s: detail \"%s\", wanted line 2 and \"%s\"", bad[i][0], why, bad[i][1]);
	}
}

static void values_out_of_range_are_refused(void **state)
{
	struct env *e = *state;
	static const char *const bad[][2] = {
		{"[server]\nconnect_timeout = 0\n", "line 7: connect_timeout must be"},
		{"[server]\nconnect_timeout = 61\n", "line 7: connect_timeout must be"},
		{"[server]\nconnect_timeout = -1\n", "line 7: connect_timeout must be"},
		{"[server]\nconnect_timeout = +5\n", "line 7: connect_timeout must be"},
		{"[server]\nconnect_timeout = 5s\n", "line 7: connect_timeout must be"},
		{"[server]\nconnect_timeout = 1e1\n", "line 7: connect_timeout must be"},
		{"[server]\nconnect_timeout = 0000000005\n", "line 7: connect_timeout must be"},
		{"[server]\ntimeout = 601\n", "line 7: timeout must be"},
		{"[server]\ntimeout = 0\n", "line 7: timeout must be"},
		{"[sync]\nbackoff_cap = 0\n", "line 7: backoff_cap must be"},
		{"[sync]\nbackoff_cap = 86401\n", "line 7: backoff_cap must be"},
		{"[sync]\nbatch = 0\n", "line 7: batch must be"},
		{"[sync]\nbatch = 501\n", "line 7: batch must be"},
		{"[sync]\nbatch = 99999999999999999999\n", "line 7: batch must be"},
		{"[sync]\nbatch =\n", "line 7: batch is empty"},
		{"[server]\nca_file = ca.pem\n", "line 7: ca_file must be an absolute path"},
		{"[server]\nca_file = /nonexistent/ca.pem\n", "line 7: ca_file: cannot read"},
		{"[server]\npinned_key = sha256//short=\n", "line 7: pinned_key must be"},
		{"[server]\npinned_key = " PIN ";\n", "line 7: pinned_key must be"},
		{"[server]\npinned_key = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n",
		 "line 7: pinned_key must be"},
		{"[server]\npinned_key = sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA*=\n",
		 "line 7: pinned_key must be"},
		{"[server]\npinned_key = key.pem\n", "line 7: pinned_key must be an absolute path"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text, MINIMAL "%s", bad[i][0]);
		refused(e, text, bad[i][1]);
	}
}

static void kiosk_id_and_secret_are_checked(void **state)
{
	struct env *e = *state;
	static const char *const bad[][2] = {
		{"id = K 01", "line 3: id must be"},
		{"id = K01!", "line 3: id must be"},
		{"id = 这是", "line 3: id must be"},
		{"id = 123456789012345678901234567890123", "line 3: id must be"},
		{"secret = " SECRET "0", "line 3: secret must be exactly 64 hex digits"},
		{"secret = 0" SECRET, "line 3: secret must be exactly 64 hex digits"},
		{"secret = 00112233", "line 3: secret must be exactly 64 hex digits"},
		{"secret = 0g112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
		 "line 3: secret must be exactly 64 hex digits"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[1024];
		snprintf(text, sizeof text, "[server]\nurl = https://h\n[kiosk]\n%s\n%s\n",
		         bad[i][0], strncmp(bad[i][0], "id", 2) == 0 ? "secret = " SECRET : "id = K01");
		/* The bad line is line 4 in this layout. */
		char want[128];
		snprintf(want, sizeof want, "line 4%s", strchr(bad[i][1], ':'));
		refused(e, text, want);
	}
}

static void structure_problems_name_their_line(void **state)
{
	struct env *e = *state;
	refused(e, "url = https://h\n" MINIMAL, "line 1: \"url\" stands before any [section]");
	refused(e, MINIMAL "[proxy]\nhost = x\n", "line 7: unknown section [proxy]");
	refused(e, MINIMAL "[server]\nverify_peer = 0\n", "line 7: unknown key \"verify_peer\" in [server]");
	refused(e, MINIMAL "[server]\nURL = https://h\n", "line 7: unknown key \"URL\"");
	refused(e, MINIMAL "[kiosk]\nid = K02\n", "line 7: id given twice");
	refused(e, "[server]\nurl = https://h\n  https://other\n[kiosk]\nid = K01\nsecret = " SECRET "\n",
	        "line 3: url given twice (or continued");
	refused(e, MINIMAL "just some words\n", "line 6: not a [section] or a key = value line");
	refused(e, MINIMAL "[sync\nbatch = 5\n", "line 6: not a [section]");
	/* The first problem in file order wins. */
	refused(e, "[server]\nurl = https://h\nnonsense\n[kiosk]\nid = bad id\n", "line 3: not a");
	refused(e, "[server]\nurl = https://h\n[kiosk]\nid = bad id\nnonsense\n", "line 4: id must be");
}

static void long_lines_and_nul_bytes_are_refused(void **state)
{
	struct env *e = *state;
	char text[2048];
	char path[400];
	memset(path, 'a', sizeof path - 1);
	path[0] = '/';
	path[sizeof path - 1] = '\0';
	snprintf(text, sizeof text, MINIMAL "[server]\nca_file = %s\nnonsense\n", path);
	refused(e, text, "line 7: longer than");

	static const char nul[] = "[server]\nurl = https://h\0ost\n[kiosk]\nid = K01\nsecret = " SECRET "\n";
	write_bytes(e, nul, sizeof nul - 1, 0600);
	const char *d = load(e, TQK_E_CONFIG, NULL);
	assert_non_null(strstr(d, "line 2: longer than"));
	assert_non_null(strstr(d, "NUL"));
}

static void required_keys_must_be_there(void **state)
{
	struct env *e = *state;
	refused(e, "[kiosk]\nid = K01\nsecret = " SECRET "\n", "[server] url is missing");
	refused(e, "[server]\nurl = https://h\n[kiosk]\nsecret = " SECRET "\n", "[kiosk] id is missing");
	refused(e, "[server]\nurl = https://h\n[kiosk]\nid = K01\n", "[kiosk] secret is missing");
	refused(e, "", "[server] url is missing");
}

static void others_may_not_read_the_file(void **state)
{
	struct env *e = *state;
	static const mode_t bad[] = {0644, 0640, 0604, 0620, 0602, 0660, 0666};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_bytes(e, MINIMAL, strlen(MINIMAL), bad[i]);
		const char *d = load(e, TQK_E_CONFIG, NULL);
		assert_non_null(strstr(d, "chmod 600"));
	}
	write_bytes(e, MINIMAL, strlen(MINIMAL), 0400);
	load(e, TQK_OK, NULL);
	write_bytes(e, MINIMAL, strlen(MINIMAL), 0600);
	load(e, TQK_OK, NULL);
}

static void missing_files_and_directories_are_refused(void **state)
{
	struct env *e = *state;
	char missing[700];
	char detail[256];
	tqk_sync_config c;
	snprintf(missing, sizeof missing, "%s/nope.conf", e->dir);
	assert_int_equal(tqk_sync_config_load(missing, &c, detail, sizeof detail), TQK_E_CONFIG);
	assert_non_null(strstr(detail, "cannot open"));
	assert_int_equal(chmod(e->dir, 0700), 0);
	assert_int_equal(tqk_sync_config_load(e->dir, &c, detail, sizeof detail), TQK_E_CONFIG);
	assert_non_null(strstr(detail, "not a regular file"));
	/* No detail buffer is fine too. */
	assert_int_equal(tqk_sync_config_load(missing, &c, NULL, 0), TQK_E_CONFIG);
}

static void crlf_bom_and_comments_are_fine(void **state)
{
	struct env *e = *state;
	write_conf(e, "\xef\xbb\xbf; kiosk\r\n[server]\r\nurl = http://127.0.0.1:9/ ; test\r\n"
	              "# comment\r\n[kiosk]\r\nid=K01\r\nsecret   =   " SECRET "\r\n");
	tqk_sync_config c;
	load(e, TQK_OK, &c);
	assert_string_equal(c.url, "http://127.0.0.1:9");
	assert_string_equal(c.kiosk, "K01");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_key_is_read, setup, teardown),
		cmocka_unit_test_setup_teardown(optional_keys_take_their_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(pinned_key_may_be_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(url_is_normalised_and_loopback_may_be_http, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(bad_urls_are_refused_with_their_line, setup, teardown),
		cmocka_unit_test_setup_teardown(values_out_of_range_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(kiosk_id_and_secret_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(structure_problems_name_their_line, setup, teardown),
		cmocka_unit_test_setup_teardown(long_lines_and_nul_bytes_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(required_keys_must_be_there, setup, teardown),
		cmocka_unit_test_setup_teardown(others_may_not_read_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_files_and_directories_are_refused, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(crlf_bom_and_comments_are_fine, setup, teardown),
	};
	return cmocka_run_group_tests_name("sync_config", tests, NULL, NULL);
}
