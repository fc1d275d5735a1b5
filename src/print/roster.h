/*
 * roster.h - the rosters (花名册) as Excel workbooks for A3 paper (seed,
 * fourth text, 5-7; SPEC §9; the rule and the order are core/roster.h).
 *
 * tqk_roster_write puts a book's rosters into a directory, one
 * subdirectory per confirmation site named after the site:
 *
 *   <dir>/<site>/汇总-高中中职花名册.xlsx           the site's two summaries
 *   <dir>/<site>/汇总-初中小学幼儿园花名册.xlsx
 *   <dir>/<site>/<school>-高中中职花名册.xlsx       each school's two rosters
 *   <dir>/<site>/<school>-初中小学幼儿园花名册.xlsx
 *
 * A roster without rows is not written. Names are made safe for every file
 * system the electronic copy may travel to (tqk_roster_safe_name); two that
 * come out the same, ignoring ASCII case, are told apart by "（2）", "（3）"...
 * after the earlier one, the summaries coming first.
 *
 * Each workbook has one sheet: the title, a line naming the school (or
 * site) and the count, the header row, the rows with borders; 序号 is a
 * number, every other cell text (dates as YYYY-MM-DD). It prints on A3
 * landscape, fitted to the page width, the first three rows repeated on
 * every page, the page number in the footer.
 */
#ifndef TQK_PRINT_ROSTER_H
#define TQK_PRINT_ROSTER_H

#include <stddef.h>

#include "core/application.h"
#include "core/err.h"
#include "core/roster.h"

#define TQK_ROSTER_PATH_CAP 1024    /* a written file's path, terminator included */
#define TQK_ROSTER_SAFE_MAX 96      /* bytes of a name made safe */
#define TQK_ROSTER_CAPTION_CAP 1024 /* a sheet's title or second line, terminator included */

/* A site's name, for its directory and its summaries' caption. */
typedef struct tqk_roster_site_name {
	char code[TQK_CODE_CAP];
	char name[TQK_TEXT_CAP];
} tqk_roster_site_name;

/* The paths written, in the order written (per site: the summaries, then
 * the schools in their order). Caller-allocated; tqk_roster_files_close
 * releases what tqk_roster_write put in it. */
typedef struct tqk_roster_files {
	size_t n;
	char (*path)[TQK_ROSTER_PATH_CAP];
} tqk_roster_files;

/*
 * Writes every roster of b under dir (which must exist). title is the
 * rosters' common title, e.g. "2026年教师资格定期注册申请花名册"; each sheet
 * adds "（高中、中职）" or "（初中、小学、幼儿园）". names[0..n_names) names the
 * sites (a site not named is written by its code). Site directories are
 * created as needed; files already there under the same names are
 * replaced. All or nothing: each workbook is written to a temporary name,
 * and only when all are written are they renamed into place; on failure
 * the temporary files and the directories this call created are removed.
 * The files are readable by their owner only: they hold ID numbers.
 * Fails with TQK_E_PRINT_IO (a directory or file cannot be made, or a path
 * longer than TQK_ROSTER_PATH_CAP), TQK_E_PRINT_RENDER (libxlsxwriter
 * failed), TQK_E_TOO_LONG (a title over TQK_ROSTER_CAPTION_CAP with its part) or
 * TQK_E_NOMEM. Should a rename itself fail (the disk pulled out in the
 * last step), the files renamed before it stay, each complete. On success
 * *out lists the files (the caller closes it); on failure *out is empty.
 */
tqk_err tqk_roster_write(const tqk_roster_book *b, const char *dir, const char *title,
                         const tqk_roster_site_name *names, size_t n_names,
                         tqk_roster_files *out) TQK_MUST_CHECK;

/* Releases the paths; f is empty afterwards. */
void tqk_roster_files_close(tqk_roster_files *f);

/*
 * Writes one roster l as a workbook at path, as it is (not atomically: the
 * caller picks a temporary name). The sheet's title is title + the roster's
 * part ("（高中、中职）"), its second line caption (e.g. "学校：…　共 12 人").
 * On failure whatever was written at path is removed: TQK_E_PRINT_IO when
 * the file cannot be written, TQK_E_PRINT_RENDER for any other failure of
 * libxlsxwriter, TQK_E_TOO_LONG for a title (with its part) or caption
 * over TQK_ROSTER_CAPTION_CAP, TQK_E_ARG for a NULL argument.
 */
tqk_err tqk_roster_xlsx(const tqk_roster_list *l, const char *path, const char *title,
                        const char *caption) TQK_MUST_CHECK;

/*
 * s made a safe file name into buf (cap bytes, at least 16): control
 * characters, '/', '\\' and the characters Windows refuses (: * ? " < > |)
 * become '_', bytes that are not UTF-8 too; outer spaces are dropped, a
 * leading '.' becomes '_', the result is cut at a character boundary to
 * TQK_ROSTER_SAFE_MAX bytes (and cap - 1); an empty result is "未命名".
 * Returns buf.
 */
char *tqk_roster_safe_name(const char *s, char *buf, size_t cap);

/* The roster's part of a file name: "高中中职花名册" or "初中小学幼儿园花名册". */
const char *tqk_roster_file_part(tqk_roster kind);

#endif
