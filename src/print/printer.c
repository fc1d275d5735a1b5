/*
 * printer.c - the printer handle (printer.h): checks the arguments every
 * backend shares, calls the backend's table, keeps its last failure detail,
 * and names job states for the screen.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "print/printer.h"

struct tqk_printer {
	const tqk_printer_ops *ops;
	void *ctx;
	char detail[TQK_PRINT_DETAIL_CAP];
};

static const struct {
	const char *code;
	const char *name[TQK_LANG_COUNT];
} job_states[TQK_JOB_STATE_COUNT] = {
	[TQK_JOB_PENDING] = {"pending", {"排队中", "queued"}},
	[TQK_JOB_HELD] = {"held", {"等待放行", "held"}},
	[TQK_JOB_PROCESSING] = {"processing", {"正在打印", "printing"}},
	[TQK_JOB_STOPPED] = {"stopped", {"打印机暂停", "printer stopped"}},
	[TQK_JOB_COMPLETED] = {"completed", {"打印完成", "printed"}},
	[TQK_JOB_CANCELED] = {"canceled", {"已取消", "canceled"}},
	[TQK_JOB_ABORTED] = {"aborted", {"打印失败", "printing failed"}},
};

tqk_err tqk_printer_new(const tqk_printer_ops *ops, void *ctx, tqk_printer **out)
{
	assert(ops != NULL && ops->submit != NULL && ops->state != NULL && ops->cancel != NULL);
	assert(out != NULL);
	tqk_printer *p = calloc(1, sizeof *p);
	if (p == NULL) {
		if (ops->free != NULL)
			ops->free(ctx);
		return TQK_E_NOMEM;
	}
	p->ops = ops;
	p->ctx = ctx;
	*out = p;
	return TQK_OK;
}

void tqk_printer_free(tqk_printer *p)
{
	if (p == NULL)
		return;
	if (p->ops->free != NULL)
		p->ops->free(p->ctx);
	free(p);
}

/* True for a title of 1..TQK_PRINT_TITLE_CAP-1 bytes of [A-Za-z0-9 ._-]. */
bool tqk_print_title_ok(const char *t)
{
	if (t == NULL || t[0] == '\0')
		return false;
	size_t n = 0;
	for (; t[n] != '\0'; n++) {
		char c = t[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
		          || c == ' ' || c == '.' || c == '_' || c == '-';
		if (!ok || n + 1 >= TQK_PRINT_TITLE_CAP)
			return false;
	}
	return true;
}

/* Runs after a backend call: keeps its detail only when it failed. */
static tqk_err settle(tqk_printer *p, tqk_err e)
{
	p->detail[TQK_PRINT_DETAIL_CAP - 1] = '\0';
	if (e == TQK_OK)
		p->detail[0] = '\0';
	return e;
}

tqk_err tqk_printer_submit(tqk_printer *p, const char *pdf_path, const char *title, int copies,
                           int *job)
{
	p->detail[0] = '\0';
	if (pdf_path == NULL || job == NULL || !tqk_print_title_ok(title) || copies < 1
	    || copies > TQK_PRINT_COPIES_MAX)
		return TQK_E_ARG;
	int id = 0;
	tqk_err e = p->ops->submit(p->ctx, pdf_path, title, copies, &id, p->detail);
	if (e == TQK_OK && id <= 0) {
		snprintf(p->detail, sizeof p->detail, "the print server gave no job id");
		e = TQK_E_PRINT_FAILED;
	}
	if (e == TQK_OK)
		*job = id;
	return settle(p, e);
}

tqk_err tqk_printer_state(tqk_printer *p, int job, tqk_job_status *out)
{
	p->detail[0] = '\0';
	if (job <= 0 || out == NULL)
		return TQK_E_ARG;
	tqk_job_status st;
	memset(&st, 0, sizeof st);
	tqk_err e = p->ops->state(p->ctx, job, &st, p->detail);
	if (e == TQK_OK) {
		if ((unsigned)st.state >= TQK_JOB_STATE_COUNT) {
			snprintf(p->detail, sizeof p->detail, "unknown job state %d", (int)st.state);
			e = TQK_E_PRINT_FAILED;
		} else {
			st.reason[TQK_PRINT_REASON_CAP - 1] = '\0';
			*out = st;
		}
	}
	return settle(p, e);
}

tqk_err tqk_printer_cancel(tqk_printer *p, int job)
{
	p->detail[0] = '\0';
	if (job <= 0)
		return TQK_E_ARG;
	return settle(p, p->ops->cancel(p->ctx, job, p->detail));
}

const char *tqk_printer_detail(const tqk_printer *p)
{
	return p->detail;
}

bool tqk_job_state_final(tqk_job_state s)
{
	return s == TQK_JOB_COMPLETED || s == TQK_JOB_CANCELED || s == TQK_JOB_ABORTED;
}

const char *tqk_job_state_name(tqk_job_state s, tqk_lang lang)
{
	if ((unsigned)s >= TQK_JOB_STATE_COUNT)
		return "?";
	return job_states[s].name[tqk_lang_or_default(lang)];
}

const char *tqk_job_state_code(tqk_job_state s)
{
	return (unsigned)s < TQK_JOB_STATE_COUNT ? job_states[s].code : "?";
}

char *tqk_print_clean_text(char *dst, size_t cap, const char *src)
{
	size_t out = 0;
	size_t len = src != NULL ? strlen(src) : 0;
	size_t pos = 0;
	while (pos < len) {
		size_t start = pos;
		int32_t cp = tqk_utf8_next(src, len, &pos);
		const char *bytes = src + start;
		size_t n = pos - start;
		if (cp < 0) {
			bytes = "?";
			n = 1;
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			bytes = " ";
			n = 1;
		}
		if (out + n >= cap)
			break;
		memcpy(dst + out, bytes, n);
		out += n;
	}
	dst[out] = '\0';
	return dst;
}
