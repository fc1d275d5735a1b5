/*
 * pinyin.h - the kiosk's pinyin input-method engine: an opaque handle over
 * libpinyin that turns pending pinyin (a-z and the apostrophe, at most
 * TQK_PINYIN_CAP bytes) into candidates (words and single characters, UTF-8,
 * the likeliest first) and takes the one the teacher chooses.
 *
 * Choosing a candidate gives its text and consumes the pinyin it stands for:
 * 张 chosen for "zhangwei" leaves "wei" pending, with candidates of its own;
 * a sentence candidate (张伟) consumes all the pinyin libpinyin could parse.
 *
 * A public kiosk keeps nothing of one teacher for the next: the engine never
 * trains libpinyin and never saves, and its user directory is a fresh private
 * temporary directory (mode 0700, under $TMPDIR or /tmp) that tqk_pinyin_free
 * removes with whatever is in it. libpinyin reads its system data (read-only)
 * from the data directory given to tqk_pinyin_new, by default the one the
 * build found through pkg-config (TQK_PINYIN_DATA_DIR).
 *
 * A tqk_pinyin belongs to one thread (the UI's). Starting one takes a few
 * milliseconds (libpinyin maps its tables; pages come in on first lookups).
 */
#ifndef TQK_KIOSK_UI_PINYIN_H
#define TQK_KIOSK_UI_PINYIN_H

#include <stddef.h>

#include "core/err.h"

#define TQK_PINYIN_CAP 64                        /* bytes of pending pinyin, NUL not counted */
#define TQK_PINYIN_CANDS 256                     /* the most candidates offered for one pinyin */
#define TQK_PINYIN_TEXT_CAP (4 * TQK_PINYIN_CAP + 1) /* bytes of a candidate's text, NUL included */
#define TQK_PINYIN_DIR_CAP 1024                  /* bytes of a directory's path, NUL included */

typedef struct tqk_pinyin tqk_pinyin;

/* The data directory built in (pkg-config's pkgdatadir of libpinyin, then
 * "/data"; `make PINYIN_DATA=...` changes it). Never NULL. */
const char *tqk_pinyin_default_dir(void);

/*
 * A new engine over the libpinyin data in data_dir (NULL: the default) in
 * *out, with nothing pending. TQK_E_CONFIG when the data directory has no
 * readable table.conf, or libpinyin or the private user directory cannot be
 * set up; TQK_E_TOO_LONG when data_dir is longer than TQK_PINYIN_DIR_CAP;
 * TQK_E_NOMEM. The caller frees *out with tqk_pinyin_free.
 */
TQK_MUST_CHECK tqk_err tqk_pinyin_new(const char *data_dir, tqk_pinyin **out);
/* Frees the engine and removes its user directory; NULL is a no-op. */
void tqk_pinyin_free(tqk_pinyin *p);

/* The engine's private user directory (for tests and diagnostics). */
const char *tqk_pinyin_user_dir(const tqk_pinyin *p);

/*
 * Makes pinyin (a-z and the apostrophe; "" for nothing) the pending pinyin
 * and looks up its candidates. TQK_E_ARG for any other byte (upper case
 * included), TQK_E_TOO_LONG past TQK_PINYIN_CAP bytes; on error nothing
 * changes.
 */
TQK_MUST_CHECK tqk_err tqk_pinyin_feed(tqk_pinyin *p, const char *pinyin);

/* The pending pinyin ("" when nothing is pending); valid until the next
 * feed, choose or reset. */
const char *tqk_pinyin_pending(const tqk_pinyin *p);

/* How many candidates the pending pinyin has (at most TQK_PINYIN_CANDS; 0
 * when nothing is pending or libpinyin parses none of it), and the i-th
 * (NULL past the count); valid until the next feed, choose or reset. */
size_t tqk_pinyin_count(const tqk_pinyin *p);
const char *tqk_pinyin_candidate(const tqk_pinyin *p, size_t i);

/*
 * Chooses candidate i: copies its text into text (cap bytes, NUL included),
 * then makes the pinyin it did not consume the pending pinyin (leading
 * apostrophes dropped) and looks that up. TQK_E_ARG when there is no
 * candidate i, TQK_E_TOO_LONG when the text does not fit cap; on error
 * nothing changes.
 */
TQK_MUST_CHECK tqk_err tqk_pinyin_choose(tqk_pinyin *p, size_t i, char *text, size_t cap);

/* Drops the pending pinyin and its candidates. */
void tqk_pinyin_reset(tqk_pinyin *p);

#endif
