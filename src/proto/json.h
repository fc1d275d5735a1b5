/*
 * json.h - applications and confirmations as JSON, the wire and file format
 * shared by the kiosk, the county server and tqkioskctl.
 *
 * Decoding is strict and bounded: a document is at most TQK_JSON_DOC_MAX
 * bytes, every string member fits its field's cap, every value goes through
 * the same checks as a clerk's input (application.h, confirmation.h), and a
 * failure names the member at fault. Nothing is written to the output on
 * failure. Encoding writes every member, always in the same order, so that
 * the same record always gives the same bytes.
 *
 * An application:
 *   {"reg_no": "...", "site": "...", <every tqk_field code>: "...",
 *    "registration": "first" | "second", "state": <tqk_state_code>,
 *    "site_message": "...", "inst_message": "...", "remark": "...",
 *    "rev": <integer >= 0>}
 * Members it does not know are ignored (the server may add some); the
 * optional fields and the messages may be left out or null.
 *
 * A confirmation:
 *   {"uuid": "..." | null, "supersedes": "..." | null, "reg_no": "...",
 *    "site": "...", "kiosk": "...", "clerk": "...",
 *    "marks": {<material code>: "has" | "lacks" | "na", ...},
 *    "police_required": true | false,
 *    "corrections": [{"field": <tqk_field code>, "old": "...", "new": "..."}],
 *    "conclusion": "complete" | "incomplete" | "not_accepted",
 *    "remark": "...", "message": "...", "archive_no": "..." | null,
 *    "at": <seconds since the epoch> | "YYYY-MM-DD HH:MM[:SS]" (Beijing time),
 *    "time_source": "local" | "anchored" | "server"}
 * Unknown members are refused: a confirmation is typed by people and tools
 * of this project. Materials left out of "marks" stay unset.
 *
 * An import file (the server's application download):
 *   {"cursor": "..." (at most TQK_JSON_CURSOR_MAX bytes),
 *    "applications": [<application>, ...]}
 */
#ifndef TQK_PROTO_JSON_H
#define TQK_PROTO_JSON_H

#include <stddef.h>

#include <jansson.h>

#include "core/application.h"
#include "core/change.h"
#include "core/confirmation.h"
#include "core/date.h"
#include "core/err.h"

#define TQK_JSON_DOC_MAX (64u << 20)    /* bytes in one document */
#define TQK_JSON_CURSOR_MAX 128         /* bytes in a delta cursor */

/*
 * Parses text (len bytes, need not be NUL-terminated) into a new reference
 * in *out. TQK_E_TOO_LONG beyond TQK_JSON_DOC_MAX; TQK_E_JSON_SYNTAX with
 * "line L, column C: what" in detail (when detail is not NULL) otherwise;
 * the detail never quotes the document, which may hold personal data.
 * TQK_E_NOMEM when jansson runs out of memory.
 */
tqk_err tqk_json_parse(const char *text, size_t len, json_t **out, char *detail,
                       size_t detail_cap) TQK_MUST_CHECK;

/*
 * Decodes one application object. today bounds birth dates and certificate
 * years. On failure *bad names the member (a static string).
 */
tqk_err tqk_json_application_decode(const json_t *obj, tqk_date today, tqk_application *out,
                                    const char **bad) TQK_MUST_CHECK;
/* A new object (caller owns the reference); NULL only when out of memory. */
json_t *tqk_json_application_encode(const tqk_application *a);

/* Decodes one confirmation object and checks it (tqk_confirmation_check);
 * the archive number is read but not checked. */
tqk_err tqk_json_confirmation_decode(const json_t *obj, tqk_date today, tqk_confirmation *out,
                                     const char **bad) TQK_MUST_CHECK;
json_t *tqk_json_confirmation_encode(const tqk_confirmation *c);

/* A teacher's change (core/change.h): {"uuid", "reg_no", "site", "kiosk",
 * "corrections": [{"field", "old", "new"}], "at", "time_source"}, decoded
 * and checked (tqk_change_check). */
tqk_err tqk_json_change_decode(const json_t *obj, tqk_date today, tqk_change *out,
                               const char **bad) TQK_MUST_CHECK;
json_t *tqk_json_change_encode(const tqk_change *c);

/* A compact, NUL-terminated dump of obj that the caller frees with free();
 * NULL only when out of memory. */
char *tqk_json_dump(const json_t *obj);

#endif
