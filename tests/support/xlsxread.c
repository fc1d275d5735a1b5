/*
 * xlsxread.c - reading libxlsxwriter's workbooks back in tests
 * (xlsxread.h): unzip through proc_run, shared strings and cells found by
 * their tags.
 */
#include "support/xlsxread.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/proc.h"

#define UNZIP "/usr/bin/unzip"
#define STRINGS_MAX 100000

int xlsx_member(const char *file, const char *member, char **out)
{
	char *argv[] = {UNZIP, "-p", (char *)file, (char *)member, NULL};
	proc_result r;
	*out = NULL;
	if (proc_run(argv, NULL, NULL, &r) != 0)
		return -1;
	int ok = r.status == 0 && r.out != NULL && r.out[0] != '\0';
	if (ok) {
		*out = r.out;
		r.out = NULL;
	}
	proc_result_free(&r);
	return ok ? 0 : -1;
}

bool xlsx_zip_ok(const char *file)
{
	char *argv[] = {UNZIP, "-tq", (char *)file, NULL};
	proc_result r;
	if (proc_run(argv, NULL, NULL, &r) != 0)
		return false;
	bool ok = r.status == 0;
	proc_result_free(&r);
	return ok;
}

/* Appends code point c as UTF-8. */
static size_t put_utf8(char *o, uint32_t c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

char *xlsx_unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	if (out == NULL)
		return NULL;
	static const struct { const char *name; char c; } ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] != '&') {
			out[o++] = s[i++];
			continue;
		}
		bool done = false;
		for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !done; k++) {
			size_t l = strlen(ents[k].name);
			if (i + l <= n && memcmp(s + i, ents[k].name, l) == 0) {
				out[o++] = ents[k].c;
				i += l;
				done = true;
			}
		}
		if (!done && i + 2 < n && s[i + 1] == '#') {
			size_t j = i + 2;
			int base = 10;
			if (s[j] == 'x') {
				base = 16;
				j++;
			}
			uint32_t c = 0;
			size_t digits = 0;
			for (; j < n && s[j] != ';' && digits < 8; j++, digits++) {
				char d = s[j];
				int v = d >= '0' && d <= '9' ? d - '0'
				        : base == 16 && d >= 'a' && d <= 'f' ? d - 'a' + 10
				        : base == 16 && d >= 'A' && d <= 'F' ? d - 'A' + 10 : -1;
				if (v < 0)
					break;
				c = c * (uint32_t)base + (uint32_t)v;
			}
			if (j < n && s[j] == ';' && digits > 0 && c <= 0x10FFFF) {
				o += put_utf8(out + o, c);
				i = j + 1;
				done = true;
			}
		}
		if (!done)
			out[o++] = s[i++];
	}
	out[o] = '\0';
	return out;
}

/* The concatenated <t> texts of [s, e), unescaped. */
static char *texts(const char *s, const char *e)
{
	size_t cap = (size_t)(e - s) + 1, o = 0;
	char *acc = malloc(cap);
	if (acc == NULL)
		return NULL;
	const char *p = s;
	while (p < e) {
		const char *t = strstr(p, "<t");
		if (t == NULL || t >= e)
			break;
		if (t[2] != '>' && t[2] != ' ') {       /* another tag starting with t */
			p = t + 2;
			continue;
		}
		const char *gt = strchr(t, '>');
		if (gt == NULL || gt >= e)
			break;
		if (gt[-1] == '/') {                    /* <t/> */
			p = gt + 1;
			continue;
		}
		const char *close = strstr(gt + 1, "</t>");
		if (close == NULL || close > e)
			break;
		char *u = xlsx_unescape(gt + 1, (size_t)(close - gt - 1));
		if (u == NULL) {
			free(acc);
			return NULL;
		}
		size_t l = strlen(u);
		memcpy(acc + o, u, l);
		o += l;
		free(u);
		p = close + 4;
	}
	acc[o] = '\0';
	return acc;
}

struct strings {
	size_t n;
	char **v;
};

static void strings_free(struct strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int strings_load(const char *file, struct strings *out)
{
	out->n = 0;
	out->v = NULL;
	char *xml = NULL;
	if (xlsx_member(file, "xl/sharedStrings.xml", &xml) != 0)
		return 0;                               /* a workbook without strings */
	int rc = 0;
	size_t cap = 0;
	for (const char *p = strstr(xml, "<si>"); p != NULL; p = strstr(p, "<si>")) {
		const char *e = strstr(p, "</si>");
		if (e == NULL || out->n >= STRINGS_MAX) {
			rc = -1;
			break;
		}
		if (out->n == cap) {
			cap = cap ? 2 * cap : 64;
			char **v = realloc(out->v, cap * sizeof *v);
			if (v == NULL) {
				rc = -1;
				break;
			}
			out->v = v;
		}
		out->v[out->n] = texts(p + 4, e);
		if (out->v[out->n] == NULL) {
			rc = -1;
			break;
		}
		out->n++;
		p = e + 5;
	}
	free(xml);
	if (rc != 0)
		strings_free(out);
	return rc;
}

/* The value of attribute name in the tag [s, e), or NULL; *n its length. */
static const char *attr(const char *s, const char *e, const char *name, size_t *n)
{
	char pat[32];
	snprintf(pat, sizeof pat, " %s=\"", name);
	const char *a = strstr(s, pat);
	if (a == NULL || a >= e)
		return NULL;
	a += strlen(pat);
	const char *q = strchr(a, '"');
	if (q == NULL || q > e)
		return NULL;
	*n = (size_t)(q - a);
	return a;
}

/* "AB12" into 0-based row and column. */
static bool ref(const char *r, size_t n, int *row, int *col)
{
	size_t i = 0;
	int c = 0, w = 0;
	for (; i < n && r[i] >= 'A' && r[i] <= 'Z'; i++)
		c = c * 26 + (r[i] - 'A' + 1);
	for (; i < n && r[i] >= '0' && r[i] <= '9'; i++)
		w = w * 10 + (r[i] - '0');
	if (i != n || c == 0 || w == 0)
		return false;
	*row = w - 1;
	*col = c - 1;
	return true;
}

void xlsx_sheet_free(xlsx_sheet *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->cells[i].text);
	free(s->cells);
	s->cells = NULL;
	s->n = 0;
}

int xlsx_sheet_load(const char *file, int number, xlsx_sheet *out)
{
	memset(out, 0, sizeof *out);
	char member[64];
	snprintf(member, sizeof member, "xl/worksheets/sheet%d.xml", number);
	struct strings st;
	char *xml = NULL;
	if (strings_load(file, &st) != 0)
		return -1;
	if (xlsx_member(file, member, &xml) != 0) {
		strings_free(&st);
		return -1;
	}
	int rc = 0;
	size_t cap = 0;
	const char *data = strstr(xml, "<sheetData");
	for (const char *p = data ? strstr(data, "<c ") : NULL; p != NULL; p = strstr(p, "<c ")) {
		const char *gt = strchr(p, '>');
		if (gt == NULL) {
			rc = -1;
			break;
		}
		bool empty = gt[-1] == '/';
		const char *end = empty ? gt + 1 : strstr(gt, "</c>");
		if (end == NULL) {
			rc = -1;
			break;
		}
		xlsx_cell c = {0};
		size_t n = 0;
		const char *r = attr(p, gt, "r", &n);
		if (r == NULL || !ref(r, n, &c.row, &c.col)) {
			rc = -1;
			break;
		}
		const char *t = attr(p, gt, "t", &n);
		bool shared = t != NULL && n == 1 && t[0] == 's';
		c.is_string = t != NULL && (shared || (n == 3 && memcmp(t, "str", 3) == 0) ||
		                            (n == 9 && memcmp(t, "inlineStr", 9) == 0));
		const char *v = empty ? NULL : strstr(gt, "<v>");
		if (v != NULL && v < end) {
			const char *ve = strstr(v, "</v>");
			if (ve == NULL || ve > end) {
				rc = -1;
				break;
			}
			c.text = xlsx_unescape(v + 3, (size_t)(ve - v - 3));
			c.has_value = true;
			if (shared && c.text != NULL) {
				long k = strtol(c.text, NULL, 10);
				free(c.text);
				c.text = k >= 0 && (size_t)k < st.n ? strdup(st.v[k]) : NULL;
			}
		} else if (!empty && c.is_string) {
			c.text = texts(gt + 1, end);
			c.has_value = true;
		} else {
			c.text = strdup("");
		}
		if (c.text == NULL) {
			rc = -1;
			break;
		}
		if (out->n == cap) {
			cap = cap ? 2 * cap : 256;
			xlsx_cell *cells = realloc(out->cells, cap * sizeof *cells);
			if (cells == NULL) {
				free(c.text);
				rc = -1;
				break;
			}
			out->cells = cells;
		}
		out->cells[out->n++] = c;
		if (c.row + 1 > out->rows)
			out->rows = c.row + 1;
		p = end;
	}
	free(xml);
	strings_free(&st);
	if (rc != 0)
		xlsx_sheet_free(out);
	return rc;
}

const xlsx_cell *xlsx_sheet_cell(const xlsx_sheet *s, int row, int col)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->cells[i].row == row && s->cells[i].col == col)
			return &s->cells[i];
	return NULL;
}

const char *xlsx_sheet_text(const xlsx_sheet *s, int row, int col)
{
	const xlsx_cell *c = xlsx_sheet_cell(s, row, col);
	return c != NULL ? c->text : "";
}
