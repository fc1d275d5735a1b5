/*
 * config.c - reading the kiosk's connection file (config.h) with inih.
 *
 * The file is opened once and checked on that descriptor (a regular file
 * that neither group nor others may read or write), then fed to inih line by
 * line through a reader that counts lines, so every complaint can say
 * "line N: ...". inih itself is built without line numbers for its handler
 * and with a fixed line length; a longer line is refused here rather than
 * cut. The result is built in a local and copied out only when everything
 * passed; the local's secret is wiped either way.
 */
#include "sync/config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#include <sodium.h>

#include "proto/api.h"

/* The keys the file may hold, one bit each, to refuse a key given twice. */
enum key {
	K_URL, K_CA_FILE, K_PINNED_KEY, K_CONNECT_TIMEOUT, K_TIMEOUT,
	K_ID, K_SECRET,
	K_BACKOFF_CAP, K_BATCH,
	K_COUNT
};

static const struct key_def {
	const char *section, *name;
} keys[K_COUNT] = {
	[K_URL] = {"server", "url"},
	[K_CA_FILE] = {"server", "ca_file"},
	[K_PINNED_KEY] = {"server", "pinned_key"},
	[K_CONNECT_TIMEOUT] = {"server", "connect_timeout"},
	[K_TIMEOUT] = {"server", "timeout"},
	[K_ID] = {"kiosk", "id"},
	[K_SECRET] = {"kiosk", "secret"},
	[K_BACKOFF_CAP] = {"sync", "backoff_cap"},
	[K_BATCH] = {"sync", "batch"},
};

/* What the reader and the handler share while one file is parsed. */
struct parse {
	FILE *f;
	int line;                   /* the line the handler is looking at */
	int bad_line;               /* the first line too long or holding NUL, or 0 */
	int line_max;               /* the longest line inih takes */
	int err_line;               /* the line of the problem in detail, or 0 */
	unsigned seen;              /* bit per enum key */
	tqk_sync_config cfg;
	bool failed;                /* the first problem is in detail */
	char *detail;
	size_t cap;
};

void tqk_sync_config_defaults(tqk_sync_config *c)
{
	memset(c, 0, sizeof *c);
	c->connect_timeout = 5;
	c->timeout = 30;
	c->backoff_cap = 300;
	c->batch = 200;
}

/* Records the first problem ("line N: ..." when line > 0); later ones are
 * dropped. Returns 0, inih's "error" answer, so handlers can return it. */
static int fail(struct parse *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct parse *p, int line, const char *fmt, ...)
{
	if (p->failed)
		return 0;
	p->failed = true;
	p->err_line = line;
	if (p->detail == NULL || p->cap == 0)
		return 0;
	int n = 0;
	if (line > 0)
		n = snprintf(p->detail, p->cap, "line %d: ", line);
	if (n < 0 || (size_t)n >= p->cap)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->detail + n, p->cap - (size_t)n, fmt, ap);
	va_end(ap);
	return 0;
}

/*
 * inih's reader: one line into str (num bytes) like fgets, counting lines.
 * A line that does not fit, or holds a NUL byte, is remembered as bad, the
 * rest of it skipped, and an empty line handed on in its place so that no
 * cut value is ever read. Returns NULL at the end of the file.
 */
static char *read_line(char *str, int num, void *stream)
{
	struct parse *p = stream;
	size_t cap = num > 2 ? (size_t)num - 2 : 0;    /* room for "\n" and NUL */
	size_t n = 0;
	bool bad = false;
	int c = getc(p->f);
	if (c == EOF)
		return NULL;
	p->line++;
	p->line_max = (int)cap;
	for (; c != EOF && c != '\n'; c = getc(p->f)) {
		if (c == '\0' || n >= cap)
			bad = true;
		else
			str[n++] = (char)c;
	}
	if (bad) {
		if (p->bad_line == 0)
			p->bad_line = p->line;
		n = 0;
	}
	str[n++] = '\n';
	str[n] = '\0';
	return str;
}

/* Whether s is a whole decimal number in lo..hi, into *out. */
static bool parse_int(const char *s, int lo, int hi, int *out)
{
	long v = 0;
	size_t n = 0;
	for (; s[n] != '\0'; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 9)
			return false;
		v = v * 10 + (s[n] - '0');
	}
	if (n == 0 || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

/* Copies s into buf (cap bytes); false when it does not fit. */
static bool copy_text(char *buf, size_t cap, const char *s)
{
	size_t n = strnlen(s, cap);
	if (n >= cap)
		return false;
	memcpy(buf, s, n + 1);
	return true;
}

/* Whether c is an ASCII letter or digit. */
static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Whether the path prefix [s, s + n) (after the host, trailing slashes
 * dropped) is plain: segments of A-Z a-z 0-9 - . _ ~, none empty, "." or
 * "..", so that the path libcurl sends is the path the client signs. */
static bool plain_path(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (s[i] != '/')
			return false;
		size_t j = ++i;
		while (j < n && s[j] != '/') {
			if (!alnum(s[j]) && strchr("-._~", s[j]) == NULL)
				return false;
			j++;
		}
		size_t seg = j - i;
		bool dots = (seg == 1 && s[i] == '.') || (seg == 2 && s[i] == '.' && s[i + 1] == '.');
		if (seg == 0 || dots)
			return false;
		i = j;
	}
	return true;
}

/*
 * Checks and normalises a server url into out (TQK_URL_CAP bytes): https,
 * or http to the loopback host; a host (a name or a bracketed IPv6
 * address), an optional port 1..65535, no user name, no query; an optional
 * plain path prefix whose trailing slashes are dropped. Returns NULL when it
 * is fine, otherwise what is wrong (a static string).
 */
static const char *check_url(const char *url, char out[TQK_URL_CAP])
{
	bool tls;
	size_t skip;
	if (strncmp(url, "https://", 8) == 0) {
		tls = true;
		skip = 8;
	} else if (strncmp(url, "http://", 7) == 0) {
		tls = false;
		skip = 7;
	} else {
		return "url must start with https:// (or http:// to the loopback host)";
	}
	size_t len = strnlen(url, TQK_URL_CAP);
	if (len >= TQK_URL_CAP)
		return "url is too long";

	const char *auth = url + skip;
	size_t alen = strcspn(auth, "/");
	for (size_t i = 0; i < alen; i++) {
		if (auth[i] == '@')
			return "url must not hold a user name or password";
		if (!alnum(auth[i]) && strchr("-._:[]", auth[i]) == NULL)
			return "url's host holds a character that is not allowed";
	}
	/* The host: a bracketed IPv6 literal or a name up to ':'. */
	size_t hlen;
	if (alen > 0 && auth[0] == '[') {
		const char *close = memchr(auth, ']', alen);
		if (close == NULL)
			return "url has an unclosed '[' in its host";
		hlen = (size_t)(close - auth) + 1;
		if (memchr(auth + 1, '[', hlen - 1) != NULL)
			return "url has a stray '[' in its host";
	} else {
		hlen = strcspn(auth, ":/");
		if (memchr(auth, '[', alen) != NULL || memchr(auth, ']', alen) != NULL)
			return "url has a stray '[' or ']' in its host";
	}
	if (hlen == 0 || (hlen == 2 && auth[0] == '['))
		return "url has no host";
	if (hlen < alen) {
		char port[8];
		size_t plen = alen - hlen - 1;
		int v;
		if (auth[hlen] != ':')
			return "url has something after its host that is not a port";
		if (plen == 0 || plen >= sizeof port)
			return "url has a bad port (1..65535)";
		memcpy(port, auth + hlen + 1, plen);
		port[plen] = '\0';
		if (!parse_int(port, 1, 65535, &v))
			return "url has a bad port (1..65535)";
	}
	if (!tls) {
		bool loop = (hlen == 9 && memcmp(auth, "127.0.0.1", 9) == 0) ||
		            (hlen == 5 && memcmp(auth, "[::1]", 5) == 0) ||
		            (hlen == 9 && strncasecmp(auth, "localhost", 9) == 0);
		if (!loop)
			return "http:// is allowed only to 127.0.0.1, [::1] or localhost; use https://";
	}
	size_t end = len;
	while (end > skip + alen && url[end - 1] == '/')
		end--;
	if (!plain_path(auth + alen, end - skip - alen))
		return "url's path may hold only A-Z a-z 0-9 - . _ ~ between single slashes "
		       "(no query, no '.' or '..')";
	memcpy(out, url, end);
	out[end] = '\0';
	return NULL;
}

/* Whether s is libcurl's pinned-key hash list: "sha256//" followed by 44
 * base64 characters ending in '=', one or more joined by ';'. */
static bool pin_list(const char *s)
{
	for (;;) {
		if (strncmp(s, "sha256//", 8) != 0)
			return false;
		s += 8;
		size_t n = 0;
		while (s[n] != '\0' && s[n] != ';') {
			char c = s[n];
			bool b64 = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			           (c >= '0' && c <= '9') || c == '+' || c == '/';
			if (!b64 && !(c == '=' && n == 43))
				return false;
			n++;
		}
		if (n != 44 || s[43] != '=')
			return false;
		s += n;
		if (*s == '\0')
			return true;
		s++;
	}
}

/* An absolute path to a file this process can read into buf, or what is
 * wrong with it (into the parse's detail). Returns inih's answer. */
static int set_file(struct parse *p, const char *name, const char *value, char *buf, size_t cap)
{
	if (value[0] != '/')
		return fail(p, p->line, "%s must be an absolute path", name);
	if (!copy_text(buf, cap, value))
		return fail(p, p->line, "%s is longer than %zu bytes", name, cap - 1);
	if (access(value, R_OK) != 0)
		return fail(p, p->line, "%s: cannot read %s: %s", name, value, strerror(errno));
	return 1;
}

/* inih's handler: one key = value of one section. Returns 1 when the
 * pair is fine, 0 (with the problem recorded) otherwise. */
static int on_pair(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	tqk_sync_config *c = &p->cfg;
	if (section[0] == '\0')
		return fail(p, p->line, "\"%s\" stands before any [section]", name);
	bool known_section = false;
	int k = 0;
	for (; k < K_COUNT; k++) {
		if (strcmp(keys[k].section, section) != 0)
			continue;
		known_section = true;
		if (strcmp(keys[k].name, name) == 0)
			break;
	}
	if (k == K_COUNT) {
		if (!known_section)
			return fail(p, p->line, "unknown section [%s]", section);
		return fail(p, p->line, "unknown key \"%s\" in [%s]", name, section);
	}
	if (p->seen & (1u << k))
		return fail(p, p->line, "%s given twice (or continued on the next line)", name);
	p->seen |= 1u << k;
	if (value[0] == '\0')
		return fail(p, p->line, "%s is empty", name);

	const char *why;
	switch ((enum key)k) {
	case K_URL:
		if ((why = check_url(value, c->url)) != NULL)
			return fail(p, p->line, "%s", why);
		return 1;
	case K_CA_FILE:
		return set_file(p, name, value, c->ca_file, sizeof c->ca_file);
	case K_PINNED_KEY:
		if (strncmp(value, "sha256//", 8) == 0) {
			if (!pin_list(value))
				return fail(p, p->line, "pinned_key must be sha256//<44 base64 "
				            "characters>, several joined by ';'");
			if (!copy_text(c->pinned_key, sizeof c->pinned_key, value))
				return fail(p, p->line, "pinned_key is too long");
			return 1;
		}
		return set_file(p, name, value, c->pinned_key, sizeof c->pinned_key);
	case K_CONNECT_TIMEOUT:
		if (!parse_int(value, 1, 60, &c->connect_timeout))
			return fail(p, p->line, "connect_timeout must be whole seconds, 1..60");
		return 1;
	case K_TIMEOUT:
		if (!parse_int(value, 1, 600, &c->timeout))
			return fail(p, p->line, "timeout must be whole seconds, 1..600");
		return 1;
	case K_ID:
		if (!tqk_code_valid(value))
			return fail(p, p->line, "id must be 1..32 of A-Z a-z 0-9 _ -");
		memcpy(c->kiosk, value, strlen(value) + 1);
		return 1;
	case K_SECRET:
		if (!tqk_hex_decode(value, c->secret, sizeof c->secret))
			return fail(p, p->line, "secret must be exactly %d hex digits",
			            2 * TQK_SIGN_KEY_LEN);
		return 1;
	case K_BACKOFF_CAP:
		if (!parse_int(value, 1, 86400, &c->backoff_cap))
			return fail(p, p->line, "backoff_cap must be whole seconds, 1..86400");
		return 1;
	case K_BATCH:
		if (!parse_int(value, 1, TQK_API_BATCH_MAX, &c->batch))
			return fail(p, p->line, "batch must be a whole number, 1..%d",
			            TQK_API_BATCH_MAX);
		return 1;
	case K_COUNT:
		break;
	}
	return 0;
}

tqk_err tqk_sync_config_load(const char *path, tqk_sync_config *out, char *detail, size_t cap)
{
	struct parse p = {.detail = detail, .cap = cap};
	if (detail != NULL && cap > 0)
		detail[0] = '\0';
	tqk_sync_config_defaults(&p.cfg);

	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fail(&p, 0, "cannot open: %s", strerror(errno));
		return TQK_E_CONFIG;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		fail(&p, 0, "cannot stat: %s", strerror(errno));
		close(fd);
		return TQK_E_CONFIG;
	}
	if (!S_ISREG(st.st_mode)) {
		fail(&p, 0, "not a regular file");
		close(fd);
		return TQK_E_CONFIG;
	}
	if ((st.st_mode & 077) != 0) {
		fail(&p, 0, "mode %04o lets others read or change it (it holds the secret): chmod 600",
		     (unsigned)(st.st_mode & 07777));
		close(fd);
		return TQK_E_CONFIG;
	}
	p.f = fdopen(fd, "r");
	if (p.f == NULL) {
		fail(&p, 0, "cannot read: %s", strerror(errno));
		close(fd);
		return TQK_E_CONFIG;
	}

	int rc = ini_parse_stream(read_line, &p, on_pair, &p);
	bool read_error = ferror(p.f) != 0;
	fclose(p.f);
	/* The first problem in file order: inih's rc is the first line it
	 * found wrong (a handler's or its own), bad_line the first one the
	 * reader blanked. */
	if (p.bad_line > 0 && (rc <= 0 || p.bad_line < rc)) {
		p.failed = false;
		fail(&p, p.bad_line, "longer than %d bytes, or holds a NUL byte", p.line_max);
	} else if (rc > 0 && !(p.failed && p.err_line == rc)) {
		p.failed = false;
		fail(&p, rc, "not a [section] or a key = value line");
	} else if (rc < 0 && !p.failed) {
		fail(&p, 0, "out of memory while reading");
	} else if (read_error && !p.failed) {
		fail(&p, 0, "read error");
	}
	if (!p.failed) {
		static const enum key required[] = {K_URL, K_ID, K_SECRET};
		for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
			if (!(p.seen & (1u << required[i]))) {
				fail(&p, 0, "[%s] %s is missing", keys[required[i]].section,
				     keys[required[i]].name);
				break;
			}
	}
	if (!p.failed)
		*out = p.cfg;
	sodium_memzero(&p.cfg, sizeof p.cfg);
	return p.failed ? TQK_E_CONFIG : TQK_OK;
}
