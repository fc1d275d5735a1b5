/*
 * err.h - the one error enum of tqkiosk, and the two languages it speaks.
 *
 * Every fallible call in the project returns a tqk_err: 0 is success, every
 * other value names one failure a person can act on. Each value has a stable
 * machine code (for key=value output, JSON and logs) and a message in Chinese
 * and in English that a clerk or a teacher can read. Programmer errors (NULL
 * where an object is required, a broken invariant) are asserts, not codes.
 */
#ifndef TQK_CORE_ERR_H
#define TQK_CORE_ERR_H

/* Put on every fallible call: ignoring a tqk_err is a compile error. */
#define TQK_MUST_CHECK __attribute__((warn_unused_result))

typedef enum tqk_lang {
	TQK_LANG_ZH = 0, /* zh_CN, the default */
	TQK_LANG_EN = 1,
	TQK_LANG_COUNT
} tqk_lang;

typedef enum tqk_err {
	TQK_OK = 0,

	/* general */
	TQK_E_ARG,            /* an argument taken from input is out of range */
	TQK_E_NOMEM,
	TQK_E_TOO_LONG,       /* input longer than its hard cap */
	TQK_E_UTF8,           /* text is not valid UTF-8 */

	/* dates and times */
	TQK_E_DATE_FORMAT,    /* not YYYY-MM-DD */
	TQK_E_DATE_INVALID,   /* no such day */
	TQK_E_TIME_FORMAT,    /* not YYYY-MM-DD HH:MM[:SS] or HH:MM */

	/* ID numbers (GB 11643) */
	TQK_E_ID_LENGTH,
	TQK_E_ID_CHARS,
	TQK_E_ID_REGION,
	TQK_E_ID_DATE,
	TQK_E_ID_CHECKSUM,

	/* teacher-qualification certificate numbers */
	TQK_E_CERT_LENGTH,
	TQK_E_CERT_CHARS,
	TQK_E_CERT_YEAR,

	/* archive numbers */
	TQK_E_ARCHIVE_COUNTY,
	TQK_E_ARCHIVE_YEAR,
	TQK_E_ARCHIVE_SITE,
	TQK_E_ARCHIVE_SERIAL,
	TQK_E_ARCHIVE_WIDTH,
	TQK_E_ARCHIVE_FORMAT,

	/* holiday calendar files */
	TQK_E_CAL_HEADER,
	TQK_E_CAL_SYNTAX,
	TQK_E_CAL_RANGE,
	TQK_E_CAL_DUPLICATE,
	TQK_E_CAL_WORKDAY,
	TQK_E_CAL_FULL,

	/* opening window */
	TQK_E_HOURS,
	TQK_E_PERIOD,

	/* application states */
	TQK_E_STATE_UNKNOWN,
	TQK_E_STATE_TRANSITION,
	TQK_E_STATE_ACTOR,

	/* materials and the site's conclusion */
	TQK_E_MAT_UNMARKED,
	TQK_E_MAT_MARK,
	TQK_E_MAT_POLICE,
	TQK_E_MAT_CONCLUSION,
	TQK_E_MAT_REASON,
	TQK_E_MAT_MESSAGE,
	TQK_E_STAGE_UNKNOWN,

	/* records: uuids, fields, corrections */
	TQK_E_UUID,           /* not a lower-case RFC 4122 uuid */
	TQK_E_FIELD_UNKNOWN,  /* no such application field, or not correctable */
	TQK_E_FIELD_VALUE,    /* a field's value is not allowed */
	TQK_E_FIELD_REQUIRED, /* a required field is empty */
	TQK_E_CORRECTIONS,    /* too many corrections, or one field twice */
	TQK_E_TIME_SOURCE,
	TQK_E_DEMO_RECORD,    /* a demo kiosk's record sent to a server that takes none */

	/* the walk-in application (walkin.h) */
	TQK_E_WALKIN_NOTICE,  /* the notice was not shown for 3 seconds */
	TQK_E_WALKIN_TERMS,   /* the service terms were not accepted */
	TQK_E_WALKIN_CERT_ID, /* the certificate is known under another ID number */
	TQK_E_WALKIN_NO_PLAN, /* the institution has no registration plan */
	TQK_E_WALKIN_NOT_OPEN,/* before the institution's application window */
	TQK_E_WALKIN_CLOSED,  /* after the institution's application window */
	TQK_E_WALKIN_READONLY,/* the application can no longer be changed */
	TQK_E_PASSWORD_WEAK,  /* under 8 characters, or not letters and digits */
	TQK_E_PASSWORD_MISMATCH,
	TQK_E_WALKIN_SERIALS, /* this kiosk's provisional numbers are used up */
	TQK_E_WALKIN_EXISTS,  /* this certificate has an application here already */

	/* JSON documents (import files, server replies, confirmation files) */
	TQK_E_JSON_SYNTAX,
	TQK_E_JSON_TYPE,      /* a member has the wrong type, or is missing */

	/* the local store */
	TQK_E_STORE_OPEN,     /* the database file cannot be opened or created */
	TQK_E_STORE_MISSING,  /* no database at that path (and not asked to create) */
	TQK_E_STORE_CORRUPT,
	TQK_E_STORE_VERSION,  /* written by a newer program */
	TQK_E_STORE_FULL,
	TQK_E_STORE_IO,
	TQK_E_STORE_READONLY,
	TQK_E_STORE_BUSY,
	TQK_E_STORE_INTERNAL, /* any other SQLite failure */
	TQK_E_STORE_NOT_SETUP,/* the site is not configured (db init) */
	TQK_E_STORE_SITE,     /* a record for another site than this kiosk's */
	TQK_E_STORE_NOT_FOUND,
	TQK_E_STORE_CONFIRMED,/* already confirmed: make a correction instead */
	TQK_E_STORE_SUPERSEDE,/* the record to correct is not the current one */
	TQK_E_STORE_STALE,    /* a correction's old value is not the stored one */
	TQK_E_STORE_EXISTS,   /* this uuid is already stored */
	TQK_E_STORE_CONFLICT, /* a number already mapped otherwise */
	TQK_E_STORE_SERIALS,  /* archive serials of this site are used up */
	TQK_E_STORE_AUDIT,    /* the audit chain is broken */
	TQK_E_STORE_NO_BACKUP,
	TQK_E_STORE_OUTBOX,   /* an outbox row is not in a state that allows this */

	/* signed requests (county server) */
	TQK_E_AUTH_MISSING,   /* a signature header is missing or malformed */
	TQK_E_AUTH_KIOSK,     /* no such kiosk, or it is disabled */
	TQK_E_AUTH_SIGNATURE, /* the signature does not verify */
	TQK_E_AUTH_STALE,     /* the request's time is outside the window */
	TQK_E_AUTH_REPLAY,    /* the nonce was used already */
	TQK_E_AUTH_SITE,      /* data of another site than the kiosk's */

	/* talking to the county server */
	TQK_E_NET,            /* cannot connect, or the connection broke */
	TQK_E_NET_TIMEOUT,
	TQK_E_NET_TLS,        /* the server's certificate or key did not verify */
	TQK_E_NET_STATUS,     /* an HTTP status the API does not give for this call */
	TQK_E_NET_REPLY,      /* a reply that is not what the API promises */
	TQK_E_CONFIG,         /* a configuration file is missing, unreadable or wrong */

	/* devices: transports (tty, USB) */
	TQK_E_DEV_SPEC,       /* a device address that does not parse */
	TQK_E_DEV_NOT_FOUND,  /* no such device, or not plugged in */
	TQK_E_DEV_ACCESS,     /* no permission to open the device */
	TQK_E_DEV_BUSY,       /* the device is claimed by another program */
	TQK_E_DEV_GONE,       /* unplugged or hung up while in use */
	TQK_E_DEV_TIMEOUT,    /* the device did not answer in time */
	TQK_E_DEV_IO,         /* any other I/O failure */

	/* the ID-card reader (SAM frame protocol) and the card */
	TQK_E_SAM_FRAME,      /* a frame with an impossible length or layout */
	TQK_E_SAM_CHECKSUM,   /* a frame whose XOR checksum is wrong */
	TQK_E_SAM_STATUS,     /* the reader reported an error status */
	TQK_E_SAM_REPLY,      /* a reply that does not answer the request */
	TQK_E_CARD_NONE,      /* no card on the reader */
	TQK_E_CARD_REMOVED,   /* the card left the reader during the read */
	TQK_E_CARD_DATA,      /* the card's data does not decode or check */

	/* barcodes: scanners, camera, images, payloads */
	TQK_E_SCAN_CHARS,     /* a scan with characters no barcode of ours holds */
	TQK_E_SCAN_UNKNOWN,   /* a scan that is none of our barcodes */
	TQK_E_IMAGE,          /* an image file that cannot be read */
	TQK_E_PAYLOAD_FORMAT, /* a QR payload that does not parse */
	TQK_E_PAYLOAD_VERSION,/* a QR payload of a version this kiosk does not know */
	TQK_E_PAYLOAD_KEY,    /* signed with a key this kiosk does not know */
	TQK_E_PAYLOAD_SIGNATURE, /* the signature does not verify: altered */

	/* signed QR payloads: the signer's side (county server, kiosk) */
	TQK_E_PAYLOAD_NO_KEY, /* no active signing key to sign a payload with */

	/* the USB barcode scanner (HID report descriptors and reports) */
	TQK_E_HID_DESC,       /* a HID report descriptor that does not parse */
	TQK_E_HID_REPORT,     /* a report that does not fit its layout, or a scan cut short */
	TQK_E_HID_KIND,       /* a HID device that is neither a keyboard nor a POS scanner */

	/* the camera path: image files and V4L2 cameras */
	TQK_E_IMAGE_FORMAT,   /* not a PNG, PGM or PPM image, or a damaged one */
	TQK_E_IMAGE_SIZE,     /* an image or image file larger than its cap */
	TQK_E_CAM_FORMAT,     /* not a camera, or none of the picture formats we read */

	/* hierarchy files of the walk-in wizard (tree.h) */
	TQK_E_TREE_HEADER,    /* the first line is not "tqk-tree 1 KIND" */
	TQK_E_TREE_INDENT,    /* spaces in the indentation, or a jump of more than one level */
	TQK_E_TREE_DEPTH,     /* deeper than TQK_TREE_MAX_DEPTH */
	TQK_E_TREE_NAME,      /* an empty name, or one with a blank, control character or '/' */
	TQK_E_TREE_CODE,      /* a code too long, or one used twice */
	TQK_E_TREE_DUPLICATE, /* two siblings of the same name */
	TQK_E_TREE_FULL,      /* more nodes than TQK_TREE_MAX_NODES */

	/* printing and rosters (src/print) */
	TQK_E_PRINT_PAPER,    /* a paper size this program does not lay out */
	TQK_E_PRINT_FIT,      /* a text that does not fit its cell even at the smallest size */
	TQK_E_PRINT_BARCODE,  /* a value the barcode encoder refuses */
	TQK_E_PRINT_RENDER,   /* cairo, pango or libxlsxwriter failed */
	TQK_E_PRINT_IO,       /* the document's file cannot be written */
	TQK_E_PRINT_NO_PRINTER, /* no printer configured, or CUPS does not know it */
	TQK_E_PRINT_FAILED,   /* the print server refused the job or the job failed */
	TQK_E_PRINT_UNCONFIRMED, /* a cover or receipt asked for before the site concluded */
	TQK_E_PRINT_NO_BAG,   /* a cover asked for an application the site did not accept */

	TQK_E_COUNT
} tqk_err;

/* lang itself when it is a known language, otherwise zh_CN. */
static inline tqk_lang tqk_lang_or_default(tqk_lang lang)
{
	return (unsigned)lang < TQK_LANG_COUNT ? lang : TQK_LANG_ZH;
}

/* The message for err in lang; never NULL (unknown values get a generic one). */
const char *tqk_strerror(tqk_err err, tqk_lang lang);

/* The stable code within its domain, e.g. "checksum" for TQK_E_ID_CHECKSUM;
 * "ok" for TQK_OK. Never NULL. */
const char *tqk_err_code(tqk_err err);

/* The domain, e.g. "id", "cert", "calendar"; with the code it makes a
 * project-wide unique name such as "id.checksum". Never NULL. */
const char *tqk_err_domain(tqk_err err);

/* "zh" or "en" into a language; returns TQK_E_ARG for anything else. */
tqk_err tqk_lang_parse(const char *s, tqk_lang *out) TQK_MUST_CHECK;

#endif
