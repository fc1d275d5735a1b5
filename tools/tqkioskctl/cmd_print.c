/*
 * cmd_print.c - tqkioskctl print form|cover|receipt REG --out FILE.pdf
 * [--size a4|b5|16k] [--db FILE]: one application's printed document from
 * the local store (output/docs.h), written as a PDF (print/docs.h) for the
 * administrator to check or to print by hand.
 *
 * Prints kind=, reg_no= (the number the document shows), size=, out= and,
 * for the form, qr=true|false (whether it carries the county's signed
 * payload). A document that cannot be made says why: error=print.unconfirmed
 * for a cover or receipt before the site's conclusion, print.no_bag for the
 * cover of an application the site did not accept, store.not_found, and
 * print.fit naming the field that does not fit its cell.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "output/docs.h"
#include "print/docs.h"

static const char *const kinds[] = {"form", "cover", "receipt"};
enum { KIND_FORM, KIND_COVER, KIND_RECEIPT, KIND_COUNT };

/* The document of kind for reg_no, gathered and written to out. *bad names
 * the field that does not fit when that is the failure. */
static tqk_err make(ctl *c, tqk_store *s, int kind, const char *reg_no, tqk_paper paper,
                    const char *out, const char **bad)
{
	tqk_err err;
	if (kind == KIND_FORM) {
		tqk_form_doc d;
		if ((err = tqk_output_form(s, reg_no, c->now, &d)) != TQK_OK)
			return err;
		out_str(c, "reg_no", d.app.reg_no);
		out_bool(c, "qr", d.payload[0] != '\0');
		return tqk_print_form(&d, paper, out, bad);
	}
	if (kind == KIND_COVER) {
		tqk_cover_doc d;
		if ((err = tqk_output_cover(s, reg_no, &d)) != TQK_OK)
			return err;
		out_str(c, "reg_no", d.reg_no);
		out_str(c, "archive_no", d.archive_no);
		return tqk_print_cover(&d, paper, out, bad);
	}
	tqk_receipt_doc d;
	if ((err = tqk_output_receipt(s, reg_no, c->now, &d)) != TQK_OK)
		return err;
	out_str(c, "reg_no", d.reg_no);
	return tqk_print_receipt(&d, paper, out, bad);
}

int cmd_print(ctl *c, int argc, char **argv)
{
	int kind = KIND_COUNT;
	for (int k = 0; argc > 0 && k < KIND_COUNT; k++)
		if (strcmp(argv[0], kinds[k]) == 0)
			kind = k;
	if (kind == KIND_COUNT)
		return ctl_usage(c, "print", "请给出 form、cover 或 receipt", "give form, cover or receipt");
	const char *db = NULL, *size = "a4", *out = NULL, *reg_no = NULL;
	const ctl_optspec opts[] = {{"--db", &db}, {"--size", &size}, {"--out", &out}, {NULL, NULL}};
	int rc = ctl_args(c, argc - 1, argv + 1, opts, &reg_no);
	const char *path = rc == CTL_OK ? ctl_db_path(c, db) : NULL;
	if (path == NULL)
		return CTL_USAGE;
	if (reg_no == NULL)
		return ctl_usage(c, "print", "请给出报名号", "give a registration number");
	if (out == NULL)
		return ctl_usage(c, "--out", "请用 --out 给出 PDF 文件", "give the PDF file with --out");
	tqk_paper paper;
	if (tqk_paper_parse(size, &paper) != TQK_OK)
		return ctl_usage(c, "--size", "纸张应为 a4、b5 或 16k", "the size is a4, b5 or 16k");

	tqk_store *s;
	tqk_err err = ctl_store_open(c, path, false, false, &s);
	if (err != TQK_OK)
		return ctl_exit(err);
	out_str(c, "kind", kinds[kind]);
	const char *bad = NULL;
	err = make(c, s, kind, reg_no, paper, out, &bad);
	if (err == TQK_OK) {
		out_str(c, "size", tqk_paper_code(paper));
		out_str(c, "out", out);
		rc = CTL_OK;
	} else if (err == TQK_E_PRINT_FIT || err == TQK_E_PRINT_IO) {
		rc = ctl_fail(c, err, err == TQK_E_PRINT_FIT ? bad : out, NULL);
	} else {
		rc = ctl_store_fail(c, s, err, "print");
	}
	tqk_store_free(s);
	return rc;
}
