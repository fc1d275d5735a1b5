/*
 * pinyin.c - the pinyin engine of the on-screen keyboard (pinyin.h) over
 * libpinyin: one context and one instance per engine, full pinyin with
 * incomplete syllables ("zh") and the usual corrections, candidates sorted
 * by phrase length, pinyin length and frequency. Nothing is ever trained or
 * saved; the user directory is a private temporary one, removed on free.
 */
#define _GNU_SOURCE   /* nftw's FTW_DEPTH and FTW_PHYS */
#include "ui/pinyin.h"

#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pinyin.h>

#ifndef TQK_PINYIN_DATA_DIR
#error "TQK_PINYIN_DATA_DIR: the Makefile sets it from pkg-config's libpinyin pkgdatadir"
#endif

/* The parser's options: incomplete syllables ("zh" for 张, 中...), the
 * common misspellings (ng/gn, iou/iu, v for u...), and syllables split or
 * joined where that reads better (xian: 先, 西安). */
#define OPTIONS (PINYIN_INCOMPLETE | PINYIN_CORRECT_ALL | USE_DIVIDED_TABLE | USE_RESPLIT_TABLE)
#define SORT SORT_BY_PHRASE_LENGTH_AND_PINYIN_LENGTH_AND_FREQUENCY

struct tqk_pinyin {
	pinyin_context_t *ctx;
	pinyin_instance_t *inst;
	char user_dir[TQK_PINYIN_DIR_CAP];
	char pending[TQK_PINYIN_CAP + 1];
	/* The candidates offered: libpinyin's index and text of each (libpinyin
	 * owns the text until the next lookup or reset). */
	size_t count;
	guint index[TQK_PINYIN_CANDS];
	const char *text[TQK_PINYIN_CANDS];
};

const char *tqk_pinyin_default_dir(void)
{
	return TQK_PINYIN_DATA_DIR;
}

const char *tqk_pinyin_user_dir(const tqk_pinyin *p)
{
	return p->user_dir;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	remove(path);   /* what cannot be removed stays; the walk goes on */
	return 0;
}

/* Removes dir and everything in it (not following symbolic links). */
static void remove_tree(const char *dir)
{
	if (dir[0] != '\0')
		nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* A fresh directory of mode 0700 under $TMPDIR (or /tmp) in dir; false when
 * none can be made. */
static bool make_user_dir(char dir[TQK_PINYIN_DIR_CAP])
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	int n = snprintf(dir, TQK_PINYIN_DIR_CAP, "%s/tqk-pinyin.XXXXXX", tmp);
	if (n < 0 || n >= TQK_PINYIN_DIR_CAP || !mkdtemp(dir)) {
		dir[0] = '\0';
		return false;
	}
	/*
	 * An empty user.conf: libpinyin reads it as "no user data of any
	 * version" (what a fresh directory means), where a missing one makes
	 * it print "open .../user.conf failed." on stderr without a newline.
	 */
	char conf[TQK_PINYIN_DIR_CAP + 16];
	n = snprintf(conf, sizeof conf, "%s/user.conf", dir);
	if (n < 0 || (size_t)n >= sizeof conf)
		return false;
	int fd = open(conf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

tqk_err tqk_pinyin_new(const char *data_dir, tqk_pinyin **out)
{
	*out = NULL;
	if (!data_dir)
		data_dir = tqk_pinyin_default_dir();
	if (strlen(data_dir) >= TQK_PINYIN_DIR_CAP)
		return TQK_E_TOO_LONG;
	/* pinyin_init fails (and leaks) only when table.conf is missing; any
	 * other missing file makes an engine that finds nothing: refuse early. */
	char probe[TQK_PINYIN_DIR_CAP + 32];
	static const char *const needed[] = {"table.conf", "pinyin_index.bin", "phrase_index.bin",
	                                     "bigram.db"};
	for (size_t i = 0; i < sizeof needed / sizeof needed[0]; i++) {
		snprintf(probe, sizeof probe, "%s/%s", data_dir, needed[i]);
		if (access(probe, R_OK) != 0)
			return TQK_E_CONFIG;
	}
	tqk_pinyin *p = calloc(1, sizeof *p);
	if (!p)
		return TQK_E_NOMEM;
	if (!make_user_dir(p->user_dir)) {
		tqk_pinyin_free(p);
		return TQK_E_CONFIG;
	}
	/* libpinyin sets LC_NUMERIC to "C" while it reads its .conf files and
	 * does not always set it back: keep the caller's. */
	char numeric[64] = "C";
	const char *cur = setlocale(LC_NUMERIC, NULL);
	if (cur && strlen(cur) < sizeof numeric)
		memcpy(numeric, cur, strlen(cur) + 1);
	p->ctx = pinyin_init(data_dir, p->user_dir);
	setlocale(LC_NUMERIC, numeric);
	if (!p->ctx) {
		tqk_pinyin_free(p);
		return TQK_E_CONFIG;
	}
	pinyin_set_options(p->ctx, OPTIONS);
	p->inst = pinyin_alloc_instance(p->ctx);
	if (!p->inst) {
		tqk_pinyin_free(p);
		return TQK_E_NOMEM;
	}
	*out = p;
	return TQK_OK;
}

void tqk_pinyin_free(tqk_pinyin *p)
{
	if (!p)
		return;
	if (p->inst)
		pinyin_free_instance(p->inst);
	if (p->ctx)
		pinyin_fini(p->ctx);   /* no pinyin_save: nothing learnt is kept */
	remove_tree(p->user_dir);
	free(p);
}

/* Looks up the candidates of the pending pinyin. */
static void lookup(tqk_pinyin *p)
{
	p->count = 0;
	pinyin_reset(p->inst);
	if (p->pending[0] == '\0')
		return;
	pinyin_parse_more_full_pinyins(p->inst, p->pending);
	pinyin_guess_sentence(p->inst);
	if (!pinyin_guess_candidates(p->inst, 0, SORT))
		return;
	guint n = 0;
	if (!pinyin_get_n_candidate(p->inst, &n))
		return;
	for (guint i = 0; i < n && p->count < TQK_PINYIN_CANDS; i++) {
		lookup_candidate_t *c = NULL;
		const gchar *s = NULL;
		if (!pinyin_get_candidate(p->inst, i, &c) || !c ||
		    !pinyin_get_candidate_string(p->inst, c, &s) || !s || s[0] == '\0' ||
		    strlen(s) >= TQK_PINYIN_TEXT_CAP)
			continue;
		p->index[p->count] = i;
		p->text[p->count] = s;
		p->count++;
	}
}

static bool pinyin_byte(char c)
{
	return (c >= 'a' && c <= 'z') || c == '\'';
}

tqk_err tqk_pinyin_feed(tqk_pinyin *p, const char *pinyin)
{
	size_t n = strnlen(pinyin, TQK_PINYIN_CAP + 1);
	if (n > TQK_PINYIN_CAP)
		return TQK_E_TOO_LONG;
	for (size_t i = 0; i < n; i++)
		if (!pinyin_byte(pinyin[i]))
			return TQK_E_ARG;
	memmove(p->pending, pinyin, n);
	p->pending[n] = '\0';
	lookup(p);
	return TQK_OK;
}

const char *tqk_pinyin_pending(const tqk_pinyin *p)
{
	return p->pending;
}

size_t tqk_pinyin_count(const tqk_pinyin *p)
{
	return p->count;
}

const char *tqk_pinyin_candidate(const tqk_pinyin *p, size_t i)
{
	return i < p->count ? p->text[i] : NULL;
}

tqk_err tqk_pinyin_choose(tqk_pinyin *p, size_t i, char *text, size_t cap)
{
	if (i >= p->count)
		return TQK_E_ARG;
	size_t n = strlen(p->text[i]);
	if (n + 1 > cap)
		return TQK_E_TOO_LONG;
	lookup_candidate_t *c = NULL;
	if (!pinyin_get_candidate(p->inst, p->index[i], &c) || !c)
		return TQK_E_ARG;
	memcpy(text, p->text[i], n + 1);
	/* The cursor after the candidate: the end of the pinyin it consumed (a
	 * byte offset into the pending pinyin, as the matrix is built from it). */
	size_t len = strlen(p->pending);
	int cursor = pinyin_choose_candidate(p->inst, 0, c);
	size_t end = cursor > 0 ? (size_t)cursor : 0;
	if (end == 0 || end > len) {
		end = pinyin_get_parsed_input_length(p->inst);
		if (end == 0 || end > len)
			end = len;
	}
	while (p->pending[end] == '\'')
		end++;
	memmove(p->pending, p->pending + end, len - end + 1);
	lookup(p);
	return TQK_OK;
}

void tqk_pinyin_reset(tqk_pinyin *p)
{
	p->pending[0] = '\0';
	p->count = 0;
	pinyin_reset(p->inst);
}
