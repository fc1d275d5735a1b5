/*
 * roster.c - where the roster workbooks go (roster.h): the safe names of
 * sites and schools, the file of each roster, and the all-or-nothing
 * writing of a whole book (temporary files renamed once all are written).
 * One workbook is laid out by xlsx.c.
 */
#include "print/roster.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/text.h"

#define SUMMARY_BASE "汇总"
#define UNNAMED "未命名"
#define SUFFIX_MAX 9999         /* "（9999）" at most */

const char *tqk_roster_file_part(tqk_roster kind)
{
	return kind == TQK_ROSTER_SENIOR ? "高中中职花名册" : "初中小学幼儿园花名册";
}

/* Whether code point c may stand in a file name. */
static bool safe_char(int32_t c)
{
	if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))
		return false;
	return c >= 0x80 || strchr("/\\:*?\"<>|", (int)c) == NULL;
}

char *tqk_roster_safe_name(const char *s, char *buf, size_t cap)
{
	assert(s != NULL && buf != NULL && cap >= 16);
	size_t limit = cap - 1 < TQK_ROSTER_SAFE_MAX ? cap - 1 : TQK_ROSTER_SAFE_MAX;
	size_t len = strlen(s);
	tqk_text_trim(&s, &len);
	size_t out = 0, pos = 0;
	while (pos < len) {
		size_t at = pos;
		int32_t c = tqk_utf8_next(s, len, &pos);
		const char *piece = s + at;
		size_t n = pos - at;
		if (c < 0 || !safe_char(c) || (out == 0 && c == '.')) {
			piece = "_";
			n = 1;
		}
		if (out + n > limit)
			break;
		memcpy(buf + out, piece, n);
		out += n;
	}
	/* Cutting may leave spaces at the end. */
	while (out > 0 && buf[out - 1] == ' ')
		out--;
	buf[out] = '\0';
	if (out == 0)
		snprintf(buf, cap, "%s", UNNAMED);
	return buf;
}

/* ASCII case folded, the other bytes as they are. */
static bool same_name(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
		if (x == '\0')
			return true;
	}
}

/* Names given out in one directory during one write. */
struct names {
	size_t n, cap;
	char (*name)[NAME_MAX + 1];
};

static bool names_taken(const struct names *u, const char *s)
{
	for (size_t i = 0; i < u->n; i++)
		if (same_name(u->name[i], s))
			return true;
	return false;
}

/*
 * A name not yet given out in u: base + part (part "" for a directory,
 * "-<part>.xlsx" for a file), with "（k）" after base when needed; added to
 * u and written into out. False when u is full or no k is left.
 */
static bool names_unique(struct names *u, const char *base, const char *tail,
                         char out[NAME_MAX + 1])
{
	if (u->n >= u->cap)
		return false;
	for (int k = 1; k <= SUFFIX_MAX; k++) {
		int w = k == 1 ? snprintf(out, NAME_MAX + 1, "%s%s", base, tail)
		               : snprintf(out, NAME_MAX + 1, "%s（%d）%s", base, k, tail);
		if (w < 0 || w > NAME_MAX)
			return false;
		if (!names_taken(u, out)) {
			memcpy(u->name[u->n++], out, (size_t)w + 1);
			return true;
		}
	}
	return false;
}

/* One file to write: its temporary name beside its final one. */
struct job {
	const tqk_roster_list *list;
	char caption[TQK_ROSTER_CAPTION_CAP];
	char tmp[TQK_ROSTER_PATH_CAP];
	char final[TQK_ROSTER_PATH_CAP];
	bool made;                  /* tmp exists */
};

struct dir {
	char path[TQK_ROSTER_PATH_CAP];
	bool created;               /* by this write: removed on failure */
};

struct writer {
	const char *title;
	struct job *jobs;
	size_t n_jobs, cap_jobs;
	struct dir *dirs;
	size_t n_dirs;
	struct names files;         /* reset per site */
};

static const char *site_name(const char *code, const tqk_roster_site_name *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i].code, code) == 0 && names[i].name[0] != '\0')
			return names[i].name;
	return code;
}

/* Writes l to a new temporary file in dir as job *j, final name fname. */
static tqk_err add_job(struct writer *w, const char *dir, const char *fname,
                       const tqk_roster_list *l, const char *caption)
{
	assert(w->n_jobs < w->cap_jobs);
	struct job *j = &w->jobs[w->n_jobs];
	memset(j, 0, sizeof *j);
	j->list = l;
	if ((size_t)snprintf(j->final, sizeof j->final, "%s/%s", dir, fname) >= sizeof j->final ||
	    (size_t)snprintf(j->tmp, sizeof j->tmp, "%s/.tqk-roster-XXXXXX", dir) >= sizeof j->tmp)
		return TQK_E_PRINT_IO;
	snprintf(j->caption, sizeof j->caption, "%s", caption);
	int fd = mkstemp(j->tmp);
	if (fd < 0)
		return errno == ENOMEM ? TQK_E_NOMEM : TQK_E_PRINT_IO;
	close(fd);
	j->made = true;
	w->n_jobs++;
	/* On failure the job stays made: undo removes the file, whether
	 * tqk_roster_xlsx got as far as writing it or not. */
	return tqk_roster_xlsx(l, j->tmp, w->title, j->caption);
}

static tqk_err do_site(struct writer *w, const tqk_roster_site *s, const char *sdir,
                       const char *sname)
{
	char fname[NAME_MAX + 1], safe[TQK_ROSTER_SAFE_MAX + 1], caption[TQK_ROSTER_CAPTION_CAP];
	char tail[64];
	w->files.n = 0;
	for (int k = 0; k < 2; k++) {
		const tqk_roster_list *l = &s->summary[k];
		if (l->n == 0)
			continue;
		snprintf(tail, sizeof tail, "-%s.xlsx", tqk_roster_file_part(l->kind));
		if (!names_unique(&w->files, SUMMARY_BASE, tail, fname))
			return TQK_E_PRINT_IO;
		snprintf(caption, sizeof caption, "确认点：%s（汇总）　共 %zu 人　序号 %u–%zu", sname,
		         l->n, l->first, l->first + l->n - 1);
		tqk_err e = add_job(w, sdir, fname, l, caption);
		if (e != TQK_OK)
			return e;
	}
	for (size_t i = 0; i < s->n_schools; i++) {
		const tqk_roster_school *sc = &s->schools[i];
		tqk_roster_safe_name(sc->name, safe, sizeof safe);
		for (int k = 0; k < 2; k++) {
			const tqk_roster_list *l = &sc->list[k];
			if (l->n == 0)
				continue;
			snprintf(tail, sizeof tail, "-%s.xlsx", tqk_roster_file_part(l->kind));
			if (!names_unique(&w->files, safe, tail, fname))
				return TQK_E_PRINT_IO;
			snprintf(caption, sizeof caption, "学校：%s　确认点：%s　共 %zu 人", sc->name, sname,
			         l->n);
			tqk_err e = add_job(w, sdir, fname, l, caption);
			if (e != TQK_OK)
				return e;
		}
	}
	return TQK_OK;
}

static tqk_err make_dir(struct writer *w, const char *path)
{
	struct dir *d = &w->dirs[w->n_dirs];
	snprintf(d->path, sizeof d->path, "%s", path);
	if (mkdir(path, 0755) == 0) {
		d->created = true;
		w->n_dirs++;
		return TQK_OK;
	}
	struct stat st;
	if (errno == EEXIST && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return TQK_OK;
	return TQK_E_PRINT_IO;
}

static void undo(struct writer *w)
{
	for (size_t i = 0; i < w->n_jobs; i++)
		if (w->jobs[i].made)
			unlink(w->jobs[i].tmp);
	for (size_t i = w->n_dirs; i-- > 0;)
		if (w->dirs[i].created)
			rmdir(w->dirs[i].path);
}

void tqk_roster_files_close(tqk_roster_files *f)
{
	if (f == NULL)
		return;
	free(f->path);
	f->path = NULL;
	f->n = 0;
}

static tqk_err write_all(struct writer *w, const tqk_roster_book *b, const char *dir,
                         const tqk_roster_site_name *names, size_t n_names, struct names *sites)
{
	char sdir[TQK_ROSTER_PATH_CAP], safe[TQK_ROSTER_SAFE_MAX + 1], dname[NAME_MAX + 1];
	for (size_t i = 0; i < b->n_sites; i++) {
		const tqk_roster_site *s = &b->sites[i];
		const char *sname = site_name(s->code, names, n_names);
		tqk_roster_safe_name(sname, safe, sizeof safe);
		if (!names_unique(sites, safe, "", dname))
			return TQK_E_PRINT_IO;
		if ((size_t)snprintf(sdir, sizeof sdir, "%s/%s", dir, dname) >= sizeof sdir)
			return TQK_E_PRINT_IO;
		tqk_err e = make_dir(w, sdir);
		if (e == TQK_OK)
			e = do_site(w, s, sdir, sname);
		if (e != TQK_OK)
			return e;
	}
	return TQK_OK;
}

tqk_err tqk_roster_write(const tqk_roster_book *b, const char *dir, const char *title,
                         const tqk_roster_site_name *names, size_t n_names,
                         tqk_roster_files *out)
{
	assert(b != NULL && dir != NULL && title != NULL && out != NULL);
	assert(names != NULL || n_names == 0);
	out->n = 0;
	out->path = NULL;

	struct writer w = {.title = title};
	size_t most = 0, most_site = 2;
	for (size_t i = 0; i < b->n_sites; i++) {
		most += 2 + 2 * b->sites[i].n_schools;
		if (2 + 2 * b->sites[i].n_schools > most_site)
			most_site = 2 + 2 * b->sites[i].n_schools;
	}
	struct names sites = {.cap = b->n_sites};
	w.cap_jobs = most;
	w.files.cap = most_site;
	w.jobs = calloc(most > 0 ? most : 1, sizeof *w.jobs);
	w.dirs = calloc(b->n_sites > 0 ? b->n_sites : 1, sizeof *w.dirs);
	w.files.name = calloc(most_site, sizeof *w.files.name);
	sites.name = calloc(b->n_sites > 0 ? b->n_sites : 1, sizeof *sites.name);
	tqk_err e = TQK_E_NOMEM;
	if (w.jobs != NULL && w.dirs != NULL && w.files.name != NULL && sites.name != NULL)
		e = write_all(&w, b, dir, names, n_names, &sites);
	if (e == TQK_OK && w.n_jobs > 0) {
		out->path = calloc(w.n_jobs, sizeof *out->path);
		if (out->path == NULL)
			e = TQK_E_NOMEM;
	}
	for (size_t i = 0; e == TQK_OK && i < w.n_jobs; i++) {
		if (rename(w.jobs[i].tmp, w.jobs[i].final) != 0) {
			e = TQK_E_PRINT_IO;
			break;
		}
		w.jobs[i].made = false;
		memcpy(out->path[out->n++], w.jobs[i].final, sizeof out->path[0]);
	}
	if (e != TQK_OK) {
		undo(&w);
		tqk_roster_files_close(out);
	}
	free(w.jobs);
	free(w.dirs);
	free(w.files.name);
	free(sites.name);
	return e;
}
