/*
 * sam.c - the SAM frame codec: encoding requests and replies, the
 * incremental decoder, the parts of a card-data reply, and the status table.
 *
 * Pure: no I/O, no allocation, no globals but constant tables. The frame
 * layout is documented in sam.h.
 */
#include "dev/sam.h"

#include <assert.h>
#include <string.h>

const uint8_t tqk_sam_preamble[TQK_SAM_PREAMBLE_LEN] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};

/* Decoder states. */
enum {
	ST_HUNT = 0, /* matching the preamble */
	ST_LEN_HI,
	ST_LEN_LO,
	ST_BODY,
	ST_CHK,
};

uint8_t tqk_sam_checksum(const uint8_t *from_len, size_t n)
{
	uint8_t x = 0;
	for (size_t i = 0; i < n; i++)
		x ^= from_len[i];
	return x;
}

/* preamble + LEN + head[0..nhead) + data[0..len) + CHK into out; 0 when
 * body (nhead + len) exceeds body_max or the frame does not fit in cap. */
static size_t encode(const uint8_t *head, size_t nhead, const uint8_t *data, size_t len,
                     size_t body_max, uint8_t *out, size_t cap)
{
	assert(out != NULL || cap == 0);
	assert(data != NULL || len == 0);
	if (len > body_max - nhead)
		return 0;
	size_t body = nhead + len;
	size_t total = TQK_SAM_HEADER_LEN + body + 1;
	if (total > cap)
		return 0;
	size_t lenv = body + 1;
	memcpy(out, tqk_sam_preamble, TQK_SAM_PREAMBLE_LEN);
	out[5] = (uint8_t)(lenv >> 8);
	out[6] = (uint8_t)(lenv & 0xFF);
	memcpy(out + TQK_SAM_HEADER_LEN, head, nhead);
	if (len > 0)
		memcpy(out + TQK_SAM_HEADER_LEN + nhead, data, len);
	out[total - 1] = tqk_sam_checksum(out + TQK_SAM_PREAMBLE_LEN, total - 1 - TQK_SAM_PREAMBLE_LEN);
	return total;
}

size_t tqk_sam_encode_request(uint8_t cmd, uint8_t para, const uint8_t *data, size_t len,
                              uint8_t *out, size_t cap)
{
	const uint8_t head[2] = {cmd, para};
	return encode(head, sizeof head, data, len, TQK_SAM_BODY_MAX, out, cap);
}

size_t tqk_sam_encode_reply(uint8_t sw, const uint8_t *data, size_t len, uint8_t *out,
                            size_t cap)
{
	const uint8_t head[3] = {0x00, 0x00, sw};
	return encode(head, sizeof head, data, len, TQK_SAM_BODY_MAX, out, cap);
}

void tqk_sam_decoder_init(tqk_sam_decoder *d)
{
	assert(d != NULL);
	memset(d, 0, offsetof(tqk_sam_decoder, body));
	d->state = ST_HUNT;
}

/*
 * One byte while hunting for the preamble: advances d->matched (a KMP walk
 * over AA AA AA 96 69) and counts the bytes given up as skipped. Returns
 * true when the preamble is complete.
 */
static bool hunt(tqk_sam_decoder *d, uint8_t b)
{
	size_t m = d->matched, next;
	if (b == tqk_sam_preamble[m])
		next = m + 1;
	else if (b == 0xAA)
		next = m == 3 ? 3 : 1; /* m is 3 or 4 here: AA AA AA|AA or ..96|AA */
	else
		next = 0;
	d->skipped += m + 1 - next;
	if (next == TQK_SAM_PREAMBLE_LEN) {
		d->matched = 0;
		return true;
	}
	d->matched = next;
	return false;
}

/*
 * Drops the frame being read: its LEN bytes (pre[0..npre)) and
 * body[0..keep) are scanned again, followed by what was still to rescan
 * from rest (body[rest..rend)), which moves down behind them. The current
 * byte is not consumed by the caller and so comes next in either case.
 */
static void drop(tqk_sam_decoder *d, size_t npre, size_t keep, bool rescanning)
{
	d->skipped += TQK_SAM_PREAMBLE_LEN;
	d->pre[0] = d->len_hi;
	d->pre[1] = (uint8_t)((keep + 1) & 0xFF); /* LEN's low byte when a whole body was read */
	d->npre = npre;
	d->ipre = 0;
	size_t rest = rescanning ? d->rend - d->rpos : 0;
	if (rest > 0)
		memmove(d->body + keep, d->body + d->rpos, rest);
	d->rpos = 0;
	d->rend = keep + rest;
	d->state = ST_HUNT;
	d->matched = 0;
	d->have = 0;
	d->need = 0;
	d->chk = 0;
}

tqk_err tqk_sam_decode(tqk_sam_decoder *d, const uint8_t *in, size_t n, size_t *used,
                       const uint8_t **body, size_t *body_len)
{
	assert(d != NULL && used != NULL && body != NULL && body_len != NULL);
	assert(in != NULL || n == 0);
	size_t i = 0;
	*body = NULL;
	*body_len = 0;

	for (;;) {
		/* The next byte: rescanned LEN bytes, rescanned body, then input. */
		uint8_t b;
		int src; /* 0 pre, 1 rescanned body, 2 input */
		if (d->ipre < d->npre) {
			b = d->pre[d->ipre];
			src = 0;
		} else if (d->rpos < d->rend) {
			b = d->body[d->rpos];
			src = 1;
		} else if (i < n) {
			b = in[i];
			src = 2;
		} else {
			*used = i;
			return TQK_OK;
		}

		bool consume = true;
		tqk_err err = TQK_OK;
		bool done = false;
		switch (d->state) {
		case ST_HUNT:
			if (hunt(d, b))
				d->state = ST_LEN_HI;
			break;
		case ST_LEN_HI:
			d->len_hi = b;
			d->chk = b;
			d->state = ST_LEN_LO;
			break;
		case ST_LEN_LO: {
			size_t lenv = ((size_t)d->len_hi << 8) | b;
			if (lenv < 3 || lenv > TQK_SAM_BODY_MAX + 1) {
				/* Rescan LEN's high byte; the low one is b itself. */
				assert(src != 0);
				drop(d, 1, 0, src == 1);
				consume = false;
				err = TQK_E_SAM_FRAME;
				break;
			}
			d->chk ^= b;
			d->need = lenv - 1;
			d->have = 0;
			d->state = ST_BODY;
			break;
		}
		case ST_BODY:
			/* While rescanning, have < rpos: the copy never overtakes. */
			d->body[d->have++] = b;
			d->chk ^= b;
			if (--d->need == 0)
				d->state = ST_CHK;
			break;
		case ST_CHK:
			if (b != d->chk) {
				assert(src != 0);
				drop(d, 2, d->have, src == 1);
				consume = false;
				err = TQK_E_SAM_CHECKSUM;
				break;
			}
			done = true;
			break;
		default:
			assert(!"bad decoder state");
		}

		if (consume) {
			if (src == 0)
				d->ipre++;
			else if (src == 1)
				d->rpos++;
			else
				i++;
		}
		if (err != TQK_OK) {
			*used = i;
			return err;
		}
		if (done) {
			/* The body stays in d->body until the next call; bytes still
			 * to rescan lie beyond it (rpos > have) and are kept. */
			*body = d->body;
			*body_len = d->have;
			d->state = ST_HUNT;
			d->matched = 0;
			d->need = 0;
			d->have = 0;
			d->chk = 0;
			*used = i;
			return TQK_OK;
		}
	}
}

tqk_err tqk_sam_reply_parse(const uint8_t *body, size_t len, tqk_sam_reply *out)
{
	assert(out != NULL && (body != NULL || len == 0));
	if (len < 3)
		return TQK_E_SAM_FRAME;
	out->sw1 = body[0];
	out->sw2 = body[1];
	out->sw3 = body[2];
	out->data = body + 3;
	out->len = len - 3;
	return TQK_OK;
}

tqk_err tqk_sam_request_parse(const uint8_t *body, size_t len, tqk_sam_request *out)
{
	assert(out != NULL && (body != NULL || len == 0));
	if (len < 2)
		return TQK_E_SAM_FRAME;
	out->cmd = body[0];
	out->para = body[1];
	out->data = body + 2;
	out->len = len - 2;
	return TQK_OK;
}

tqk_err tqk_sam_card_data_parse(const uint8_t *data, size_t len, bool fingerprint,
                                tqk_sam_card_data *out)
{
	assert(out != NULL && (data != NULL || len == 0));
	size_t nlens = fingerprint ? 3 : 2;
	if (len < 2 * nlens)
		return TQK_E_SAM_FRAME;
	size_t text = ((size_t)data[0] << 8) | data[1];
	size_t photo = ((size_t)data[2] << 8) | data[3];
	size_t finger = fingerprint ? ((size_t)data[4] << 8) | data[5] : 0;
	/* Each is at most 0xFFFF, so the sum cannot overflow. */
	if (text != 256 || 2 * nlens + text + photo + finger != len)
		return TQK_E_SAM_FRAME;
	const uint8_t *p = data + 2 * nlens;
	out->text = p;
	out->text_len = text;
	out->photo = p + text;
	out->photo_len = photo;
	out->finger = fingerprint ? p + text + photo : NULL;
	out->finger_len = finger;
	return TQK_OK;
}

/* The status table: every SW3 sam.h names, with what it means. */
static const struct status {
	uint8_t sw;
	tqk_err err;
	const char *text[TQK_LANG_COUNT];
} statuses[] = {
	{TQK_SAM_SW_OK, TQK_OK, {"操作成功", "success"}},
	{TQK_SAM_SW_FIND_OK, TQK_OK, {"找到身份证", "card found"}},
	{TQK_SAM_SW_CHECKSUM, TQK_E_SAM_STATUS,
	 {"读卡器收到的数据校验和错误", "the reader received data with a bad checksum"}},
	{TQK_SAM_SW_LENGTH, TQK_E_SAM_STATUS,
	 {"读卡器收到的数据长度错误", "the reader received data with a bad length"}},
	{TQK_SAM_SW_COMMAND, TQK_E_SAM_STATUS,
	 {"读卡器收到的命令有误", "the reader received a wrong command"}},
	{TQK_SAM_SW_UNKNOWN, TQK_E_SAM_STATUS,
	 {"读卡器发生无法识别的错误", "the reader had an unrecognised error"}},
	{TQK_SAM_SW_AUTH1, TQK_E_SAM_STATUS,
	 {"身份证认证读卡器失败", "the card failed to authenticate the reader"}},
	{TQK_SAM_SW_AUTH2, TQK_E_SAM_STATUS,
	 {"读卡器认证身份证失败", "the reader failed to authenticate the card"}},
	{TQK_SAM_SW_AUTH3, TQK_E_SAM_STATUS,
	 {"身份证信息验证错误", "the card's data failed verification"}},
	{TQK_SAM_SW_WRONG_CARD, TQK_E_SAM_STATUS,
	 {"无法识别的卡类型，请放置二代身份证", "unknown card type: place a resident ID card"}},
	{TQK_SAM_SW_READ_FAILED, TQK_E_CARD_REMOVED,
	 {"读身份证失败，请放稳后重试", "reading the card failed: hold it still and try again"}},
	{TQK_SAM_SW_RANDOM, TQK_E_SAM_STATUS,
	 {"读卡器取随机数失败", "the reader failed to get a random number"}},
	{TQK_SAM_SW_SELFTEST, TQK_E_SAM_STATUS,
	 {"读卡器安全模块自检失败", "the reader's security module failed its self-test"}},
	{TQK_SAM_SW_NOT_AUTH, TQK_E_SAM_STATUS,
	 {"读卡器安全模块未经授权", "the reader's security module is not authorised"}},
	{TQK_SAM_SW_FIND_FAILED, TQK_E_CARD_NONE,
	 {"未找到身份证", "no card found"}},
	{TQK_SAM_SW_SELECT_FAILED, TQK_E_CARD_REMOVED,
	 {"选取身份证失败，请放稳后重试", "selecting the card failed: hold it still and try again"}},
	{TQK_SAM_SW_NO_CONTENT, TQK_E_CARD_NONE,
	 {"身份证中此项无内容", "the card holds nothing for this item"}},
};

static const struct status *status_find(uint8_t sw)
{
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		if (statuses[i].sw == sw)
			return &statuses[i];
	return NULL;
}

bool tqk_sam_status_known(uint8_t sw)
{
	return status_find(sw) != NULL;
}

const char *tqk_sam_status_text(uint8_t sw, tqk_lang lang)
{
	const struct status *s = status_find(sw);
	lang = tqk_lang_or_default(lang);
	if (s == NULL)
		return lang == TQK_LANG_EN ? "unknown reader status" : "读卡器返回未知状态";
	return s->text[lang];
}

tqk_err tqk_sam_status_err(uint8_t sw)
{
	const struct status *s = status_find(sw);
	return s != NULL ? s->err : TQK_E_SAM_STATUS;
}
