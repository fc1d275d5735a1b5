/*
 * cmd_device.c - tqkioskctl read-id: read one ID card from the reader.
 *
 *   read-id --tty PATH | --dev ADDRESS [--timeout SECONDS] [--photo FILE]
 *           [--today YYYY-MM-DD]
 *
 * Opens the reader (a tty path, or any device address of transport.h),
 * waits up to the timeout (default 10 s) for a card, and prints its fields
 * as key=value lines or one JSON object: name, gender (male / female),
 * nation (as the card prints it), nation_code, birth, address, id,
 * authority, valid_from, valid_to (a date or 长期), new_address (when the
 * card has one) and photo_bytes; --photo writes the photo's bytes to FILE
 * (mode 0600). This prints personal data to the administrator's own
 * terminal, which is its purpose; messages on stderr never hold any.
 *
 * Exit status: 0 a card was read; 1 no card before the timeout, or a card
 * that cannot be read (its data, its authentication); 2 usage errors and a
 * reader that is missing, unplugged, or not answering properly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/nation.h"
#include "ctl.h"
#include "dev/devsys.h"
#include "dev/idreader.h"

#define TIMEOUT_DEFAULT_S 10
#define TIMEOUT_MAX_S 3600
/* Each poll waits at most this long, so the deadline is kept closely. */
#define POLL_SLICE_MS 250

/* Reports a failure; returns 1 when the card (or no card) is at fault, 2
 * when the reader is. */
static int failed(ctl *c, tqk_err err, uint8_t sw, bool card, const char *detail)
{
	if (detail == NULL && err == TQK_E_SAM_STATUS)
		detail = tqk_sam_status_text(sw, c->lang);
	ctl_fail(c, err, "read-id", detail);
	return card || err == TQK_E_CARD_NONE || err == TQK_E_CARD_REMOVED ? CTL_NO : CTL_USAGE;
}

static bool write_photo(const ctl *c, const char *path, const tqk_idcard *card)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "tqkioskctl: %s: %s\n", path, strerror(errno));
		return false;
	}
	bool ok = write(fd, card->photo, card->photo_len) == (ssize_t)card->photo_len;
	ok = close(fd) == 0 && ok;
	if (!ok)
		ctl_say(c, "照片文件写入失败", "writing the photo file failed");
	return ok;
}

static void print_card(ctl *c, const tqk_idcard *card)
{
	char date[TQK_DATE_BUFLEN], to[TQK_IDCARD_DATE_BUFLEN];
	const tqk_nation *n = tqk_nation_by_code(card->nation);
	out_str(c, "name", card->name);
	out_str(c, "gender", tqk_gender_code(card->gender));
	out_str(c, "nation", tqk_idcard_nation_text(card->nation));
	out_str(c, "nation_code", n != NULL ? n->digits : "");
	tqk_date_format(card->birth, date);
	out_str(c, "birth", date);
	out_str(c, "address", card->address);
	out_str(c, "id", card->id);
	out_str(c, "authority", card->authority);
	tqk_date_format(card->valid_from, date);
	out_str(c, "valid_from", date);
	tqk_idcard_valid_to_format(card, to);
	out_str(c, "valid_to", to);
	if (card->new_address[0] != '\0')
		out_str(c, "new_address", card->new_address);
	out_int(c, "photo_bytes", (long long)card->photo_len);
}

/* The reason of a failed card for stderr: the field or the reader's words. */
static void card_detail(const ctl *c, const tqk_idreader_event *ev, char *buf, size_t cap)
{
	if (ev->err == TQK_E_CARD_DATA)
		snprintf(buf, cap, "%s: %s", tqk_idcard_field_name(ev->problem.field, c->lang),
		         tqk_strerror(ev->problem.cause, c->lang));
	else
		snprintf(buf, cap, "%s", tqk_idreader_reason_text(ev->err, ev->sw, c->lang));
}

int cmd_read_id(ctl *c, int argc, char **argv)
{
	const char *tty = NULL, *dev = NULL, *timeout_s = NULL, *photo = NULL, *today_s = NULL;
	const ctl_optspec opts[] = {
		{"--tty", &tty}, {"--dev", &dev}, {"--timeout", &timeout_s}, {"--photo", &photo},
		{"--today", &today_s}, {NULL, NULL},
	};
	int rc = ctl_args(c, argc, argv, opts, NULL);
	if (rc != CTL_OK)
		return rc;
	if ((tty == NULL) == (dev == NULL))
		return ctl_usage(c, "read-id", "请用 --tty 路径 或 --dev 设备地址 给出阅读器（二选一）",
		                 "give the reader with either --tty PATH or --dev ADDRESS");
	long timeout = TIMEOUT_DEFAULT_S;
	if (timeout_s != NULL && !ctl_parse_int(timeout_s, 1, TIMEOUT_MAX_S, &timeout))
		return ctl_usage(c, "--timeout", "须为 1 至 3600 之间的整数（秒）",
		                 "must be a whole number of seconds from 1 to 3600");
	tqk_date today;
	if ((rc = ctl_today(c, today_s, &today)) != CTL_OK)
		return rc;

	char address[TQK_DEV_SPEC_CAP];
	if (tty != NULL && (size_t)snprintf(address, sizeof address, "tty:%s", tty) >= sizeof address)
		return failed(c, TQK_E_DEV_SPEC, 0, false, "--tty");
	if (dev != NULL)
		snprintf(address, sizeof address, "%s", dev);
	tqk_idreader *r = NULL;
	tqk_err err = tqk_idreader_new(address, NULL, &r);
	if (err != TQK_OK)
		return failed(c, err, 0, false, tty != NULL ? "--tty" : "--dev");

	long long deadline = tqk_dev_now_ms() + timeout * 1000;
	tqk_idreader_event ev = {.kind = TQK_IDREADER_EV_NONE};
	tqk_err last = TQK_E_CARD_NONE; /* what to report at the deadline */
	uint8_t last_sw = 0;
	bool prompted = false;
	rc = -1;
	while (rc < 0) {
		long long left = deadline - tqk_dev_now_ms();
		if (left <= 0) {
			rc = failed(c, last, last_sw, false, NULL);
			break;
		}
		tqk_idreader_poll(r, (int)(left < POLL_SLICE_MS ? left : POLL_SLICE_MS), today, &ev);
		char detail[256];
		switch (ev.kind) {
		case TQK_IDREADER_EV_CARD:
			print_card(c, &ev.card);
			rc = photo != NULL && !write_photo(c, photo, &ev.card) ? CTL_USAGE : CTL_OK;
			break;
		case TQK_IDREADER_EV_CARD_FAILED:
			card_detail(c, &ev, detail, sizeof detail);
			if (ev.err != TQK_E_CARD_REMOVED) {
				rc = failed(c, ev.err, ev.sw, true, detail);
				break;
			}
			/* moved during the read: it is tried again while it stays */
			fprintf(stderr, "tqkioskctl: read-id: %s\n", detail);
			last = ev.err;
			break;
		case TQK_IDREADER_EV_STATE:
			if (ev.state == TQK_IDREADER_ABSENT) {
				rc = failed(c, ev.err, 0, false, tty != NULL ? tty : dev);
				break;
			}
			last = ev.state == TQK_IDREADER_ERROR ? ev.err : TQK_E_CARD_NONE;
			last_sw = ev.sw;
			if (ev.state != TQK_IDREADER_ERROR && !prompted) {
				char say_zh[128], say_en[128];
				snprintf(say_zh, sizeof say_zh, "%s（最多等待 %ld 秒）",
				         tqk_idreader_state_text(TQK_IDREADER_READY, TQK_LANG_ZH), timeout);
				snprintf(say_en, sizeof say_en, "%s (waiting up to %ld s)",
				         tqk_idreader_state_text(TQK_IDREADER_READY, TQK_LANG_EN), timeout);
				ctl_say(c, say_zh, say_en);
				prompted = true;
			}
			break;
		default:
			break;
		}
	}
	memset(&ev.card, 0, sizeof ev.card);
	tqk_idreader_free(r);
	return rc;
}
