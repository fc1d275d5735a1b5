/*
 * scan.h - what a scanned string is: the text a barcode scanner, the camera
 * or a keyboard wedge delivered, classified into the barcodes the kiosk
 * knows (SPEC §2) and checked, strictly and without I/O.
 *
 * Every scan is untrusted. It may be at most TQK_SCAN_MAX bytes as
 * delivered; trailing CR, LF, tab and space (what scanners append as a
 * suffix) are dropped, nothing else is. Then, by shape, in this order:
 *
 *   shape                                    kind          checked with
 *   "TQ" + 1..3 digits + '|' ...             PAYLOAD       tqk_payload_parse
 *   15 or 17 ASCII digits                    CERT          tqk_cert_parse
 *   18 characters, 17 digits + digit/X/x     ID            tqk_id_parse
 *   1..32 of [A-Za-z0-9_-] (tqk_code_valid)  REG           -
 *
 * The shape decides: a string of certificate or ID shape that fails its
 * check is reported with that check's error (a mistyped ID number says
 * "checksum", not "no such registration number"). Registration numbers are
 * therefore never 15, 17 or 18 digits long (the county's are 14). A 15-digit
 * number is taken as an old certificate number, not an old ID number: ID
 * cards have carried 18 characters since 2013, while old certificates are
 * still in use. Only a payload may hold bytes outside printable ASCII (the
 * UTF-8 name); its signature is checked by the caller with the plan's keys
 * (tqk_payload_verify on out->text).
 */
#ifndef TQK_CORE_SCAN_H
#define TQK_CORE_SCAN_H

#include <stddef.h>

#include "core/date.h"
#include "core/err.h"
#include "core/payload.h"

#define TQK_SCAN_MAX 512                /* bytes of a scan as delivered */

typedef enum tqk_scan_kind {
	TQK_SCAN_NONE = 0,                  /* not one of ours */
	TQK_SCAN_CERT,                      /* certificate number (Code 128 on the certificate) */
	TQK_SCAN_ID,                        /* ID number */
	TQK_SCAN_PAYLOAD,                   /* the form's signed QR payload */
	TQK_SCAN_REG                        /* registration number (Code 128 on the form) */
} tqk_scan_kind;

typedef struct tqk_scan {
	tqk_scan_kind kind;
	/* The normalised text: 17 certificate digits, 18 ID characters with
	 * X upper-case, the registration number, or the whole payload. */
	char text[TQK_PAYLOAD_CAP];
	size_t len;
} tqk_scan;

/*
 * Classifies s (len bytes, not NUL-terminated) as of today (which bounds
 * birth dates and certificate years) into *out. Fails with TQK_E_TOO_LONG
 * over TQK_SCAN_MAX bytes, TQK_E_SCAN_UNKNOWN when empty or of no known
 * shape, TQK_E_SCAN_CHARS for a control character or a byte outside ASCII
 * in anything but a payload, and the errors of the check of its shape
 * (TQK_E_CERT_*, TQK_E_ID_*, TQK_E_PAYLOAD_FORMAT / _VERSION). On failure
 * out->kind still names the shape that was recognised (TQK_SCAN_NONE when
 * none) and out->text is "".
 */
tqk_err tqk_scan_classify(const char *s, size_t len, tqk_date today, tqk_scan *out) TQK_MUST_CHECK;

/* "cert", "id", "payload", "reg", or "none". */
const char *tqk_scan_kind_code(tqk_scan_kind k);

#endif
