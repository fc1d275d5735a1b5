/*
 * sam.h - the frame codec of the ID-card reader's SAM module (pure).
 *
 * Every request and every reply is one frame:
 *
 *   offset  size  request            reply
 *   0       5     AA AA AA 96 69     AA AA AA 96 69    preamble
 *   5       2     LEN (high first)   LEN               bytes after LEN, CHK included
 *   7       1     CMD                SW1 (00)
 *   8       1     PARA               SW2 (00)
 *   9       n     DATA               SW3 (status)
 *   ...           ...                DATA
 *   7+LEN-1 1     CHK                CHK               XOR of LEN..last DATA byte
 *
 * so a request's LEN is n + 3 and a reply's LEN is n + 4. The "body" below
 * is what lies between LEN and CHK: CMD PARA DATA, or SW1 SW2 SW3 DATA.
 *
 * The decoder takes bytes in any chunking, skips garbage up to the next
 * preamble, refuses lengths over TQK_SAM_BODY_MAX before buffering them, and
 * drops frames whose checksum is wrong; after a bad frame it resynchronises on
 * the next preamble. It never allocates.
 *
 * The reply to "read text and photo" (30 01) carries, in DATA:
 *
 *   offset  size  field
 *   0       2     text length (0x0100, high first)
 *   2       2     photo length (0x0400)
 *   4       256   text block (idcard.h)
 *   260     1024  photo (a proprietary wavelet format, stored as is)
 *
 * and "read with fingerprint" (30 10) a third length (fingerprint) after the
 * photo length, and the fingerprint after the photo.
 */
#ifndef TQK_DEV_SAM_H
#define TQK_DEV_SAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define TQK_SAM_PREAMBLE_LEN 5
#define TQK_SAM_HEADER_LEN   7      /* preamble + LEN */
#define TQK_SAM_BODY_MAX     4096   /* bytes between LEN and CHK, at most */
#define TQK_SAM_FRAME_MAX    (TQK_SAM_HEADER_LEN + TQK_SAM_BODY_MAX + 1)

extern const uint8_t tqk_sam_preamble[TQK_SAM_PREAMBLE_LEN];

/* Commands (CMD, PARA). */
enum {
	TQK_SAM_CMD_RESET   = 0x10, /* PARA 0xFF */
	TQK_SAM_CMD_STATUS  = 0x11, /* PARA 0xFF */
	TQK_SAM_CMD_SAMID   = 0x12, /* PARA 0xFF */
	TQK_SAM_CMD_CARD    = 0x20, /* PARA 0x01 find, 0x02 select */
	TQK_SAM_CMD_READ    = 0x30, /* PARA 0x01 text+photo, 0x03 appended
	                               address, 0x10 text+photo+fingerprint */
	TQK_SAM_CMD_BAUD    = 0x60, /* PARA 0x00..0x04 */
};
enum {
	TQK_SAM_PARA_ANY      = 0xFF,
	TQK_SAM_PARA_FIND     = 0x01,
	TQK_SAM_PARA_SELECT   = 0x02,
	TQK_SAM_PARA_BASE     = 0x01,
	TQK_SAM_PARA_NEWADDR  = 0x03,
	TQK_SAM_PARA_FINGER   = 0x10,
};

/* Status bytes (SW3). */
enum {
	TQK_SAM_SW_OK            = 0x90,
	TQK_SAM_SW_FIND_OK       = 0x9F,
	TQK_SAM_SW_CHECKSUM      = 0x10,
	TQK_SAM_SW_LENGTH        = 0x11,
	TQK_SAM_SW_COMMAND       = 0x21,
	TQK_SAM_SW_UNKNOWN       = 0x24,
	TQK_SAM_SW_AUTH1         = 0x31,
	TQK_SAM_SW_AUTH2         = 0x32,
	TQK_SAM_SW_AUTH3         = 0x33,
	TQK_SAM_SW_WRONG_CARD    = 0x40,
	TQK_SAM_SW_READ_FAILED   = 0x41,
	TQK_SAM_SW_RANDOM        = 0x47,
	TQK_SAM_SW_SELFTEST      = 0x60,
	TQK_SAM_SW_NOT_AUTH      = 0x66,
	TQK_SAM_SW_FIND_FAILED   = 0x80,
	TQK_SAM_SW_SELECT_FAILED = 0x81,
	TQK_SAM_SW_NO_CONTENT    = 0x91,
};

/*
 * Writes a request frame (CMD PARA DATA) into out[0..cap) and returns its
 * length; 0 when len > TQK_SAM_BODY_MAX - 2 or the frame does not fit.
 */
size_t tqk_sam_encode_request(uint8_t cmd, uint8_t para, const uint8_t *data,
                              size_t len, uint8_t *out, size_t cap);

/* The same for a reply (SW1 = SW2 = 0x00, SW3 = sw); 0 when
 * len > TQK_SAM_BODY_MAX - 3 or the frame does not fit. */
size_t tqk_sam_encode_reply(uint8_t sw, const uint8_t *data, size_t len,
                            uint8_t *out, size_t cap);

/* The XOR checksum of a frame's LEN bytes and body, i.e. of the frame's
 * bytes from offset 5 up to (not including) CHK. */
uint8_t tqk_sam_checksum(const uint8_t *from_len, size_t n);

/* Incremental decoder; caller-allocated, set up by tqk_sam_decoder_init. */
typedef struct tqk_sam_decoder {
	int state;            /* private */
	size_t matched;       /* private: preamble bytes matched */
	size_t need;          /* private: body bytes still to come */
	size_t have;          /* private: body bytes buffered */
	uint8_t len_hi;       /* private */
	uint8_t chk;          /* private: running XOR */
	uint64_t skipped;     /* garbage bytes skipped so far (statistics) */
	uint8_t pre[2];       /* private: LEN bytes of a dropped frame, to rescan */
	size_t npre, ipre;    /* private: how many of pre to rescan, done so far */
	size_t rpos, rend;    /* private: body[rpos..rend) still to rescan */
	uint8_t body[TQK_SAM_BODY_MAX];
} tqk_sam_decoder;

void tqk_sam_decoder_init(tqk_sam_decoder *d);

/*
 * Feeds in[0..n). Consumes bytes until a frame completes, a bad frame is
 * dropped or the input runs out, and stores the number consumed in *used;
 * call again with in + *used for the rest.
 *
 * TQK_OK with *body set: a whole frame; its body (between LEN and CHK) is
 *   (*body)[0..*body_len), valid until the next call.
 * TQK_OK with *body NULL: all of the input consumed, no frame yet.
 * TQK_E_SAM_CHECKSUM: a frame with a wrong checksum was dropped.
 * TQK_E_SAM_FRAME: a header with LEN too small for a body (< 3) or over
 *   TQK_SAM_BODY_MAX + 1 was dropped.
 * After an error the decoder is looking for the next preamble. The bytes of
 * the dropped frame after its preamble are scanned again (a garbage preamble
 * may have swallowed the start of a real frame), so after an error call again
 * even when *used == n (with n = 0 if nothing is left) until it returns
 * TQK_OK: a whole frame may be waiting in those bytes. *used counts bytes of
 * in only.
 */
tqk_err tqk_sam_decode(tqk_sam_decoder *d, const uint8_t *in, size_t n,
                       size_t *used, const uint8_t **body, size_t *body_len);

/* A decoded reply: the status and the data that follows it (pointing into
 * the body given to tqk_sam_reply_parse). */
typedef struct tqk_sam_reply {
	uint8_t sw1, sw2, sw3;
	const uint8_t *data;
	size_t len;
} tqk_sam_reply;

/* A reply body into *out; TQK_E_SAM_FRAME when it is shorter than 3 bytes. */
tqk_err tqk_sam_reply_parse(const uint8_t *body, size_t len,
                            tqk_sam_reply *out) TQK_MUST_CHECK;

typedef struct tqk_sam_request {
	uint8_t cmd, para;
	const uint8_t *data;
	size_t len;
} tqk_sam_request;

/* A request body into *out; TQK_E_SAM_FRAME when shorter than 2 bytes. */
tqk_err tqk_sam_request_parse(const uint8_t *body, size_t len,
                              tqk_sam_request *out) TQK_MUST_CHECK;

/*
 * The parts of a 30 01 (fingerprint: false) or 30 10 (true) reply's data:
 * pointers into data. TQK_E_SAM_FRAME when the lengths it announces do not
 * add up to len or the text block is not 256 bytes.
 */
typedef struct tqk_sam_card_data {
	const uint8_t *text;   size_t text_len;
	const uint8_t *photo;  size_t photo_len;
	const uint8_t *finger; size_t finger_len;  /* NULL, 0 without */
} tqk_sam_card_data;

tqk_err tqk_sam_card_data_parse(const uint8_t *data, size_t len, bool fingerprint,
                                tqk_sam_card_data *out) TQK_MUST_CHECK;

/* Whether sw is a status of the table above. */
bool tqk_sam_status_known(uint8_t sw);

/* What status sw means, in lang; never NULL ("unknown status" for others). */
const char *tqk_sam_status_text(uint8_t sw, tqk_lang lang);

/*
 * What status sw means for the caller: TQK_OK for 0x90 and 0x9F,
 * TQK_E_CARD_NONE for find failed (0x80) and no content (0x91),
 * TQK_E_CARD_REMOVED for select failed (0x81) and read failed (0x41),
 * TQK_E_SAM_STATUS for every other (the text names it).
 */
tqk_err tqk_sam_status_err(uint8_t sw);

#endif
