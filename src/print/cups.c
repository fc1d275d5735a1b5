/*
 * cups.c - the printer backend that talks to a CUPS server with libcups
 * 2.4 (printer.h, tqk_printer_cups_new).
 *
 * One HTTP connection per printer, opened with httpConnect2 to the
 * configured server (or cupsServer()) with the encryption CUPS's own
 * configuration asks for; after any failure it is closed and opened again
 * by the next call. Every request names the queue by its printer-uri on
 * that connection: a job is Create-Job (job-name, copies, and
 * job-hold-until=indefinite when holding), then Send-Document with
 * document-format application/pdf streamed through cupsSendRequest +
 * cupsWriteRequestData + cupsGetResponse; its state is Get-Job-Attributes
 * (job-state, job-state-reasons, job-printer-state-message, and the
 * printer's printer-state-message when the job carries none); cancelling is
 * cupsCancelJob2. An unknown queue is IPP's client-error-not-found.
 *
 * Why not cupsGetNamedDest + cupsCopyDestInfo + cupsCreateDestJob: with
 * libcups 2.4.2, given a connection to a server named by address (not the
 * one cupsServer() names), they still consult the default server (seen:
 * connections to localhost:631, then "The printer or class does not
 * exist"). The kiosk prints to the server it is configured with, or
 * nowhere.
 *
 * The job title goes to the print server (see printer.h: never a name).
 * Failure details are cupsLastErrorString(), cleaned to one bounded line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cups/cups.h>

#include "print/printer.h"

#define CUPS_HOST_CAP 256
#define CUPS_QUEUE_CAP 128
#define CUPS_CONNECT_MSEC 5000
#define CUPS_IO_TIMEOUT_S 30.0
#define CUPS_CHUNK (64 * 1024)

typedef struct cups_ctx {
	http_t *http;                /* NULL until connected, or after a failure */
	char host[CUPS_HOST_CAP];    /* a name, an address or a socket path */
	int port;
	char queue[CUPS_QUEUE_CAP];
	char uri[HTTP_MAX_URI];      /* ipp://HOST:PORT/printers/<queue> */
	char resource[CUPS_QUEUE_CAP + 16]; /* /printers/<queue> */
	bool hold;
} cups_ctx;

/* Copies the last libcups error into detail, or fallback when it has none. */
static void set_detail(char *detail, const char *fallback)
{
	const char *s = cupsLastErrorString();
	if (s == NULL || s[0] == '\0')
		s = fallback;
	tqk_print_clean_text(detail, TQK_PRINT_DETAIL_CAP, s);
}

/* The tqk_err for a failed IPP status: the queue or job is not there, or
 * anything else. */
static tqk_err status_err(ipp_status_t st)
{
	return st == IPP_STATUS_ERROR_NOT_FOUND ? TQK_E_PRINT_NO_PRINTER : TQK_E_PRINT_FAILED;
}

static bool ipp_ok(ipp_status_t st)
{
	return st <= IPP_STATUS_OK_CONFLICTING;
}

/* Closes the connection so that the next call opens a fresh one. */
static void drop(cups_ctx *c)
{
	if (c->http != NULL) {
		httpClose(c->http);
		c->http = NULL;
	}
}

static tqk_err connect_server(cups_ctx *c, char *detail)
{
	if (c->http != NULL)
		return TQK_OK;
	errno = 0;
	c->http = httpConnect2(c->host, c->port, NULL, AF_UNSPEC, cupsEncryption(), 1,
	                       CUPS_CONNECT_MSEC, NULL);
	if (c->http == NULL) {
		int saved = errno;
		const char *cause = cupsLastErrorString();
		if (cause == NULL || cause[0] == '\0')
			cause = saved != 0 ? strerror(saved) : "no answer";
		char why[TQK_PRINT_DETAIL_CAP];
		snprintf(why, sizeof why, "cannot connect to the print server %.96s:%d: %.96s",
		         c->host, c->port, cause);
		tqk_print_clean_text(detail, TQK_PRINT_DETAIL_CAP, why);
		return TQK_E_PRINT_FAILED;
	}
	httpSetTimeout(c->http, CUPS_IO_TIMEOUT_S, NULL, NULL);
	return TQK_OK;
}

/* Sends request (consumed) on the connection; returns the response (the
 * caller ippDeletes it) or NULL with detail set and the connection dropped
 * when the request failed. *err says which failure. */
static ipp_t *exchange(cups_ctx *c, ipp_t *request, tqk_err *err, char *detail)
{
	*err = connect_server(c, detail);
	if (*err != TQK_OK) {
		ippDelete(request);
		return NULL;
	}
	ipp_t *resp = cupsDoRequest(c->http, request, c->resource);
	ipp_status_t st = cupsLastError();
	if (resp == NULL || !ipp_ok(st)) {
		ippDelete(resp);
		*err = status_err(st);
		set_detail(detail, "the print server did not answer");
		if (*err != TQK_E_PRINT_NO_PRINTER)
			drop(c);
		return NULL;
	}
	*err = TQK_OK;
	return resp;
}

static ipp_t *new_request(const cups_ctx *c, ipp_op_t op)
{
	ipp_t *req = ippNewRequest(op);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, c->uri);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
	return req;
}

/* Asks for the printer's state message; TQK_E_PRINT_NO_PRINTER when the
 * server does not know the queue. msg (TQK_PRINT_REASON_CAP, may be NULL)
 * gets printer-state-message. */
static tqk_err printer_message(cups_ctx *c, char *msg, char *detail)
{
	static const char *const want[] = {"printer-name", "printer-state", "printer-state-message"};
	ipp_t *req = new_request(c, IPP_OP_GET_PRINTER_ATTRIBUTES);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
	              (int)(sizeof want / sizeof want[0]), NULL, want);
	tqk_err e;
	ipp_t *resp = exchange(c, req, &e, detail);
	if (resp == NULL)
		return e;
	if (msg != NULL) {
		ipp_attribute_t *a = ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT);
		tqk_print_clean_text(msg, TQK_PRINT_REASON_CAP, a != NULL ? ippGetString(a, 0, NULL) : "");
	}
	ippDelete(resp);
	return TQK_OK;
}

/* Create-Job on the queue: *job is the new job's id. */
static tqk_err create_job(cups_ctx *c, const char *title, int copies, int *job, char *detail)
{
	ipp_t *req = new_request(c, IPP_OP_CREATE_JOB);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", NULL, title);
	ippAddInteger(req, IPP_TAG_JOB, IPP_TAG_INTEGER, "copies", copies);
	if (c->hold)
		ippAddString(req, IPP_TAG_JOB, IPP_TAG_KEYWORD, "job-hold-until", NULL, "indefinite");
	tqk_err e;
	ipp_t *resp = exchange(c, req, &e, detail);
	if (resp == NULL)
		return e;
	ipp_attribute_t *id = ippFindAttribute(resp, "job-id", IPP_TAG_INTEGER);
	*job = id != NULL ? ippGetInteger(id, 0) : 0;
	ippDelete(resp);
	if (*job <= 0) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "the print server gave no job id");
		return TQK_E_PRINT_FAILED;
	}
	return TQK_OK;
}

/* Send-Document: the open file fd as the job's one and last document,
 * streamed in chunks. */
static tqk_err send_document(cups_ctx *c, int job, const char *title, int fd, char *detail)
{
	/* The document's name is the title without blanks: cupsd 2.4.2 (Debian
	 * 12) crashes starting a job whose document-name holds a blank. */
	char docname[TQK_PRINT_TITLE_CAP];
	snprintf(docname, sizeof docname, "%s", title);
	for (char *p = docname; *p != '\0'; p++)
		if (*p == ' ')
			*p = '_';
	ipp_t *req = new_request(c, IPP_OP_SEND_DOCUMENT);
	ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "document-name", NULL, docname);
	ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", NULL,
	             CUPS_FORMAT_PDF);
	ippAddBoolean(req, IPP_TAG_OPERATION, "last-document", 1);
	http_status_t hs = cupsSendRequest(c->http, req, c->resource, CUPS_LENGTH_VARIABLE);
	tqk_err e = TQK_OK;
	if (hs != HTTP_STATUS_CONTINUE) {
		set_detail(detail, "the print server refused the document");
		e = TQK_E_PRINT_FAILED;
	}
	char *buf = e == TQK_OK ? malloc(CUPS_CHUNK) : NULL;
	if (e == TQK_OK && buf == NULL)
		e = TQK_E_NOMEM;
	while (e == TQK_OK) {
		ssize_t n = read(fd, buf, CUPS_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot read the document: %s",
			         strerror(errno));
			e = TQK_E_PRINT_IO;
		}
		if (n <= 0)
			break;
		if (cupsWriteRequestData(c->http, buf, (size_t)n) != HTTP_STATUS_CONTINUE) {
			set_detail(detail, "the print server stopped taking the document");
			e = TQK_E_PRINT_FAILED;
		}
	}
	free(buf);
	if (hs == HTTP_STATUS_CONTINUE) {
		/* Always read the answer so that the connection stays in step. */
		ipp_t *resp = cupsGetResponse(c->http, c->resource);
		ipp_status_t st = cupsLastError();
		ippDelete(resp);
		if (e == TQK_OK && (resp == NULL || !ipp_ok(st))) {
			set_detail(detail, "the print server refused the document");
			e = TQK_E_PRINT_FAILED;
		}
	}
	ippDelete(req);
	return e;
}

static tqk_err cups_submit(void *ctx, const char *pdf_path, const char *title, int copies,
                           int *job, char *detail)
{
	cups_ctx *c = ctx;
	int fd = open(pdf_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "cannot open the document: %s", strerror(errno));
		return TQK_E_PRINT_IO;
	}
	int id = 0;
	tqk_err e = create_job(c, title, copies, &id, detail);
	if (e == TQK_OK) {
		e = send_document(c, id, title, fd, detail);
		if (e != TQK_OK && c->http != NULL)
			(void)cupsCancelJob2(c->http, c->queue, id, 0);
	}
	if (e != TQK_OK && e != TQK_E_PRINT_NO_PRINTER)
		drop(c);
	close(fd);
	if (e == TQK_OK)
		*job = id;
	return e;
}

/* Appends the job-state-reasons keywords (but "none") to out, ", "-separated. */
static void join_reasons(ipp_attribute_t *a, char *out, size_t cap)
{
	size_t len = strlen(out);
	for (int i = 0; a != NULL && i < ippGetCount(a); i++) {
		const char *k = ippGetString(a, i, NULL);
		if (k == NULL || strcmp(k, "none") == 0)
			continue;
		int n = snprintf(out + len, cap - len, "%s%s", len > 0 ? ", " : "", k);
		if (n < 0 || (size_t)n >= cap - len) {
			out[len] = '\0';
			break;
		}
		len += (size_t)n;
	}
}

static bool has_reason(ipp_attribute_t *a, const char *keyword)
{
	for (int i = 0; a != NULL && i < ippGetCount(a); i++) {
		const char *k = ippGetString(a, i, NULL);
		if (k != NULL && strcmp(k, keyword) == 0)
			return true;
	}
	return false;
}

static tqk_job_state map_state(int ipp_state, ipp_attribute_t *reasons)
{
	switch (ipp_state) {
	case IPP_JSTATE_PENDING:
		return has_reason(reasons, "printer-stopped") ? TQK_JOB_STOPPED : TQK_JOB_PENDING;
	case IPP_JSTATE_HELD:
		return TQK_JOB_HELD;
	case IPP_JSTATE_PROCESSING:
		return has_reason(reasons, "printer-stopped") ? TQK_JOB_STOPPED : TQK_JOB_PROCESSING;
	case IPP_JSTATE_STOPPED:
		return TQK_JOB_STOPPED;
	case IPP_JSTATE_CANCELED:
		return TQK_JOB_CANCELED;
	case IPP_JSTATE_ABORTED:
		return TQK_JOB_ABORTED;
	case IPP_JSTATE_COMPLETED:
		return TQK_JOB_COMPLETED;
	default:
		return TQK_JOB_STATE_COUNT;
	}
}

static tqk_err cups_state(void *ctx, int job, tqk_job_status *out, char *detail)
{
	static const char *const want[] = {"job-state", "job-state-reasons",
	                                   "job-printer-state-message"};
	cups_ctx *c = ctx;
	ipp_t *req = new_request(c, IPP_OP_GET_JOB_ATTRIBUTES);
	ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job);
	ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
	              (int)(sizeof want / sizeof want[0]), NULL, want);
	tqk_err e;
	ipp_t *resp = exchange(c, req, &e, detail);
	if (resp == NULL)
		return e == TQK_E_PRINT_NO_PRINTER ? TQK_E_PRINT_FAILED : e;
	ipp_attribute_t *st = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
	ipp_attribute_t *reasons = ippFindAttribute(resp, "job-state-reasons", IPP_TAG_KEYWORD);
	ipp_attribute_t *msg = ippFindAttribute(resp, "job-printer-state-message", IPP_TAG_TEXT);
	tqk_job_state s = map_state(st != NULL ? ippGetInteger(st, 0) : 0, reasons);
	if (s == TQK_JOB_STATE_COUNT) {
		ippDelete(resp);
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "the print server gave no job state");
		return TQK_E_PRINT_FAILED;
	}
	out->state = s;
	tqk_print_clean_text(out->reason, sizeof out->reason,
	                     msg != NULL ? ippGetString(msg, 0, NULL) : "");
	/* A job waiting on a stopped printer may carry no message of its own:
	 * the printer's says why it stopped. */
	if (out->reason[0] == '\0' && s == TQK_JOB_STOPPED)
		(void)printer_message(c, out->reason, detail);
	if (out->reason[0] == '\0' && (s == TQK_JOB_ABORTED || s == TQK_JOB_STOPPED))
		join_reasons(reasons, out->reason, sizeof out->reason);
	ippDelete(resp);
	detail[0] = '\0';
	return TQK_OK;
}

static tqk_err cups_cancel(void *ctx, int job, char *detail)
{
	cups_ctx *c = ctx;
	tqk_err e = connect_server(c, detail);
	if (e != TQK_OK)
		return e;
	if (!ipp_ok(cupsCancelJob2(c->http, c->queue, job, 0))) {
		set_detail(detail, "the print server refused to cancel the job");
		drop(c);
		return TQK_E_PRINT_FAILED;
	}
	return TQK_OK;
}

static void cups_free(void *ctx)
{
	cups_ctx *c = ctx;
	drop(c);
	free(c);
}

static const tqk_printer_ops cups_ops = {
	.submit = cups_submit,
	.state = cups_state,
	.cancel = cups_cancel,
	.free = cups_free,
};

/* A port of 1..65535 decimal digits; -1 otherwise. */
static int parse_port(const char *s)
{
	int v = 0;
	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > 65535)
			return -1;
	}
	return v > 0 ? v : -1;
}

/* Splits server into c->host and c->port (see printer.h). */
static tqk_err parse_server(cups_ctx *c, const char *server)
{
	c->port = ippPort();
	if (server == NULL || server[0] == '\0')
		server = cupsServer();
	if (server == NULL || server[0] == '\0' || strlen(server) >= sizeof c->host)
		return TQK_E_ARG;
	const char *host = server;
	size_t hlen = strlen(server);
	const char *port = NULL;
	if (server[0] == '/') {
		/* a domain socket path, taken as it is */
	} else if (server[0] == '[') {
		const char *end = strchr(server, ']');
		if (end == NULL || (end[1] != '\0' && end[1] != ':'))
			return TQK_E_ARG;
		host = server + 1;
		hlen = (size_t)(end - host);
		if (end[1] == ':')
			port = end + 2;
	} else {
		const char *colon = strchr(server, ':');
		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			hlen = (size_t)(colon - server);
			port = colon + 1;
		}
	}
	if (hlen == 0)
		return TQK_E_ARG;
	if (port != NULL) {
		c->port = parse_port(port);
		if (c->port < 0)
			return TQK_E_ARG;
	}
	memcpy(c->host, host, hlen);
	c->host[hlen] = '\0';
	return TQK_OK;
}

static bool queue_ok(const char *q)
{
	size_t n = q != NULL ? strlen(q) : 0;
	if (n == 0 || n >= CUPS_QUEUE_CAP)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = q[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
		      || ch == '_' || ch == '-' || ch == '.'))
			return false;
	}
	return true;
}

tqk_err tqk_printer_cups_new(const tqk_cups_config *cfg, tqk_printer **out, char *detail)
{
	char scratch[TQK_PRINT_DETAIL_CAP];
	if (detail == NULL)
		detail = scratch;
	detail[0] = '\0';
	if (cfg == NULL || out == NULL || !queue_ok(cfg->queue)) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "not a queue name");
		return TQK_E_ARG;
	}
	cups_ctx *c = calloc(1, sizeof *c);
	if (c == NULL)
		return TQK_E_NOMEM;
	tqk_err e = parse_server(c, cfg->server);
	if (e != TQK_OK) {
		snprintf(detail, TQK_PRINT_DETAIL_CAP, "not a print server address");
		free(c);
		return e;
	}
	snprintf(c->queue, sizeof c->queue, "%s", cfg->queue);
	c->hold = cfg->hold;
	snprintf(c->resource, sizeof c->resource, "/printers/%s", c->queue);
	httpAssembleURIf(HTTP_URI_CODING_ALL, c->uri, sizeof c->uri, "ipp", NULL,
	                 c->host[0] == '/' ? "localhost" : c->host, c->port, "/printers/%s", c->queue);
	e = printer_message(c, NULL, detail);
	if (e != TQK_OK) {
		cups_free(c);
		return e;
	}
	detail[0] = '\0';
	return tqk_printer_new(&cups_ops, c, out);
}
