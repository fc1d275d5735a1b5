/*
 * deliver.c - print, or else save a copy (deliver.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "print/deliver.h"

#define COPY_CHUNK (64 * 1024)
#define NAME_CAP (TQK_DELIVER_BASE_MAX + 16) /* base, "-999", ".pdf", NUL */

static bool safe_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
	       || c == '_' || c == '-';
}

/* The base name made safe into out (TQK_DELIVER_BASE_MAX + 1 bytes): unsafe
 * bytes become one '_' per run, a leading '.' becomes '_', a trailing
 * ".pdf" is dropped, and an empty result is "document". */
static void safe_base(const char *base, char *out)
{
	size_t n = 0;
	bool replaced = false;
	for (size_t i = 0; base != NULL && base[i] != '\0' && n < TQK_DELIVER_BASE_MAX; i++) {
		char c = base[i];
		if (safe_char(c) && !(n == 0 && c == '.')) {
			out[n++] = c;
			replaced = false;
		} else if (!replaced) {
			out[n++] = '_';
			replaced = true;
		}
	}
	out[n] = '\0';
	if (n >= 4 && strcasecmp(out + n - 4, ".pdf") == 0)
		out[n -= 4] = '\0';
	if (n == 0)
		snprintf(out, TQK_DELIVER_BASE_MAX + 1, "document");
}

/* Writes all of buf[0..len) to fd; false with errno on failure. */
static bool write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return false;
		}
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* Copies src to dst and fsyncs dst; false with detail on failure. */
static bool copy_fd(int src, int dst, char *detail)
{
	char *buf = malloc(COPY_CHUNK);
	if (buf == NULL) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "out of memory");
		return false;
	}
	bool ok = true;
	for (;;) {
		ssize_t n = read(src, buf, COPY_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot read the document: %s",
			         strerror(errno));
			ok = false;
			break;
		}
		if (n == 0)
			break;
		if (!write_all(dst, buf, (size_t)n)) {
			snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot write the copy: %s", strerror(errno));
			ok = false;
			break;
		}
	}
	free(buf);
	if (ok && fsync(dst) != 0) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot fsync the copy: %s", strerror(errno));
		ok = false;
	}
	return ok;
}

/* Creates the first free name in dfd; returns the fd (name in name) or -1
 * with detail. */
static int create_unique(int dfd, const char *base, char *name, char *detail)
{
	for (int i = 1; i <= TQK_DELIVER_TRIES; i++) {
		if (i == 1)
			snprintf(name, NAME_CAP, "%s.pdf", base);
		else
			snprintf(name, NAME_CAP, "%s-%d.pdf", base, i);
		int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0) {
			if (fchmod(fd, 0600) == 0)
				return fd;
			snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot make the copy private: %s",
			         strerror(errno));
			close(fd);
			unlinkat(dfd, name, 0);
			return -1;
		}
		if (errno != EEXIST) {
			snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot create a file in the save directory: %s",
			         strerror(errno));
			return -1;
		}
	}
	snprintf(detail, TQK_PRINT_DETAIL_CAP, "no free file name left in the save directory");
	return -1;
}

tqk_err tqk_deliver_save(const char *save_dir, const char *pdf_path, const char *base_name,
                         char *path, char *detail)
{
	path[0] = '\0';
	detail[0] = '\0';
	if (save_dir == NULL || save_dir[0] == '\0') {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "no save directory is configured");
		return TQK_E_PRINT_IO;
	}
	if (strlen(save_dir) + 1 + NAME_CAP > TQK_DELIVER_PATH_CAP) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "the save directory's path is too long");
		return TQK_E_PRINT_IO;
	}
	char base[TQK_DELIVER_BASE_MAX + 1];
	safe_base(base_name, base);

	int src = open(pdf_path, O_RDONLY | O_CLOEXEC);
	if (src < 0) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot open the document: %s", strerror(errno));
		return TQK_E_PRINT_IO;
	}
	int dfd = open(save_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot open the save directory: %s",
		         strerror(errno));
		close(src);
		return TQK_E_PRINT_IO;
	}
	char name[NAME_CAP];
	tqk_err e = TQK_E_PRINT_IO;
	int dst = create_unique(dfd, base, name, detail);
	if (dst >= 0) {
		bool ok = copy_fd(src, dst, detail);
		if (close(dst) != 0 && ok) {
			snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot close the copy: %s", strerror(errno));
			ok = false;
		}
		if (ok && fsync(dfd) != 0) {
			snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot fsync the save directory: %s",
			         strerror(errno));
			ok = false;
		}
		if (ok) {
			size_t dlen = strlen(save_dir);
			bool slash = dlen > 0 && save_dir[dlen - 1] == '/';
			snprintf(path, TQK_DELIVER_PATH_CAP, "%s%s%s", save_dir, slash ? "" : "/", name);
			e = TQK_OK;
		} else {
			unlinkat(dfd, name, 0);
		}
	}
	close(dfd);
	close(src);
	return e;
}

tqk_err tqk_deliver(tqk_printer *printer, const tqk_deliver_req *req, tqk_delivery *out)
{
	memset(out, 0, sizeof *out);
	if (req == NULL || req->pdf_path == NULL || !tqk_print_title_ok(req->title)
	    || req->copies < 1 || req->copies > TQK_PRINT_COPIES_MAX)
		return TQK_E_ARG;
	if (printer == NULL) {
		out->why = TQK_E_PRINT_NO_PRINTER;
		snprintf(out->print_detail, sizeof out->print_detail, "no printer is configured");
	} else {
		int job = 0;
		tqk_err e = tqk_printer_submit(printer, req->pdf_path, req->title, req->copies, &job);
		if (e == TQK_OK) {
			out->kind = TQK_DELIVERY_PRINTED;
			out->job = job;
			return TQK_OK;
		}
		out->why = e;
		snprintf(out->print_detail, sizeof out->print_detail, "%s", tqk_printer_detail(printer));
	}
	if (tqk_deliver_save(req->save_dir, req->pdf_path, req->base_name, out->path,
	                     out->save_detail) != TQK_OK)
		return TQK_E_PRINT_IO;
	out->kind = TQK_DELIVERY_SAVED;
	return TQK_OK;
}
