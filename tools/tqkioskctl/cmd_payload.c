/*
 * cmd_payload.c - tqkioskctl payload verify | classify: the application
 * form's signed QR payload checked offline (core/payload.h), and a scanned
 * string classified as the kiosk classifies it (core/scan.h).
 *
 * verify checks STRING against the county's public keys in the local
 * store's plan (--db, else $TQK_DB: what the last sync brought down), or,
 * instead, against the keys given with --key KID:PUBKEY (repeatable). It
 * prints the payload's fields and valid=true; or valid=false, the kid when
 * the payload names one, error=<domain>.<code>, the reason on stderr, and
 * exits 1. A store without a plan cannot check anything: exit 2.
 *
 * classify prints kind= (cert, id, payload, reg) and the normalised text=,
 * or kind= and error= with the reason, exit 1. It does not verify.
 *
 * The fields are personal data: they go to stdout as the result, never
 * into a message on stderr.
 */
#include <stdio.h>
#include <string.h>

#include "core/payload.h"
#include "core/scan.h"
#include "ctl.h"
#include "store/plan.h"

typedef struct payload_args {
	const char *sub;            /* "verify" or "classify" */
	const char *string;
	const char *db, *today;
	bool have_keys;             /* --key given: keys is the set */
	tqk_keyset keys;
} payload_args;

/* Adds "KID:PUBKEY" to a->keys. Returns CTL_OK or CTL_USAGE after saying
 * what is wrong. */
static int add_key(const ctl *c, payload_args *a, const char *v)
{
	const char *colon = strchr(v, ':');
	char kid[TQK_KID_CAP];
	uint8_t key[TQK_PUBKEY_LEN];
	size_t klen = colon != NULL ? (size_t)(colon - v) : 0;
	if (colon == NULL || klen > TQK_KID_MAX)
		return ctl_usage(c, "--key", "应为 编号:公钥（编号至多 16 个字符）",
		                 "must be KID:PUBKEY (a kid of at most 16 characters)");
	memcpy(kid, v, klen);
	kid[klen] = '\0';
	if (!tqk_kid_valid(kid))
		return ctl_usage(c, "--key", "密钥编号只能由字母、数字、_ 和 - 组成",
		                 "a kid is letters, digits, _ and -");
	if (tqk_pubkey_parse(colon + 1, strlen(colon + 1), key) != TQK_OK)
		return ctl_usage(c, "--key", "公钥应为 43 个 base64url 字符（tq-county admin key list）",
		                 "the public key is 43 base64url characters (tq-county admin key list)");
	tqk_err err = tqk_keyset_add(&a->keys, kid, key);
	if (err == TQK_E_TOO_LONG)
		return ctl_usage(c, "--key", "密钥过多（至多 16 个）", "too many keys (at most 16)");
	if (err != TQK_OK)
		return ctl_usage(c, "--key", "同一密钥编号给了两次", "the same kid is given twice");
	a->have_keys = true;
	return CTL_OK;
}

/* SUB STRING and the options. Returns CTL_OK or CTL_USAGE. */
static int scan_args(const ctl *c, int argc, char **argv, payload_args *a)
{
	memset(a, 0, sizeof *a);
	for (int i = 0; i < argc; i++) {
		const char *v = NULL, **slot = NULL;
		if (ctl_opt(argc, argv, &i, "--key", &v))
			slot = &v;
		else if (ctl_opt(argc, argv, &i, "--db", &v))
			slot = &a->db;
		else if (ctl_opt(argc, argv, &i, "--today", &v))
			slot = &a->today;
		if (slot != NULL) {
			if (v == NULL)
				return ctl_usage(c, argv[i], "缺少取值", "needs a value");
			*slot = v;
			if (slot == &v && add_key(c, a, v) != CTL_OK)
				return CTL_USAGE;
		} else if (strncmp(argv[i], "--", 2) == 0) {
			return ctl_usage(c, argv[i], "未知选项", "unknown option");
		} else if (a->sub == NULL) {
			a->sub = argv[i];
		} else if (a->string == NULL) {
			a->string = argv[i];
		} else {
			return ctl_usage(c, argv[i], "多余的参数", "unexpected argument");
		}
	}
	if (a->sub == NULL || (strcmp(a->sub, "verify") != 0 && strcmp(a->sub, "classify") != 0))
		return ctl_usage(c, "payload", "应为 verify 或 classify", "verify or classify");
	if (a->string == NULL)
		return ctl_usage(c, a->sub, "请给出二维码或条码的内容", "give the scanned text");
	bool verify = strcmp(a->sub, "verify") == 0;
	if (verify && a->today != NULL)
		return ctl_usage(c, "--today", "仅用于 classify", "only for classify");
	if (!verify && (a->have_keys || a->db != NULL))
		return ctl_usage(c, a->have_keys ? "--key" : "--db", "仅用于 verify", "only for verify");
	if (verify && a->have_keys && a->db != NULL)
		return ctl_usage(c, "--key", "--key 与 --db 不能同时给出", "give --key or --db, not both");
	return CTL_OK;
}

/* The plan's keys from the local store into *out. Returns CTL_OK, or the
 * exit status after reporting why there are none to check with. */
static int store_keys(ctl *c, const char *db, tqk_keyset *out)
{
	const char *path = ctl_db_path(c, db);
	if (path == NULL)
		return CTL_USAGE;
	tqk_store *s = NULL;
	if (ctl_store_open(c, path, false, false, &s) != TQK_OK)
		return CTL_USAGE;
	tqk_err err = tqk_store_plan_keys(s, out);
	int rc = CTL_OK;
	if (err == TQK_E_STORE_NOT_FOUND) {
		ctl_fail(c, err, "plan", NULL);
		ctl_say(c, "本地尚无县服务器的计划，无法校验：请先同步（tqkioskctl sync）",
		        "no plan from the county server in the local store, nothing to check with:"
		        " sync first (tqkioskctl sync)");
		rc = CTL_USAGE;
	} else if (err != TQK_OK) {
		rc = ctl_store_fail(c, s, err, path);
	}
	tqk_store_free(s);
	return rc;
}

static int verify(ctl *c, const payload_args *a)
{
	tqk_keyset ks = a->keys;
	if (!a->have_keys) {
		int rc = store_keys(c, a->db, &ks);
		if (rc != CTL_OK)
			return rc;
	}
	tqk_payload p;
	tqk_err err = tqk_payload_verify(a->string, strlen(a->string), &ks, &p);
	if (err != TQK_OK) {
		out_bool(c, "valid", false);
		if (p.kid[0] != '\0')
			out_str(c, "kid", p.kid);
		return ctl_fail(c, err, "payload", err == TQK_E_PAYLOAD_KEY ? p.kid : NULL);
	}
	char issued[TQK_MINUTE_BUFLEN];
	tqk_local_format(p.issued, issued);
	out_str(c, "reg", p.reg_no);
	out_str(c, "id", p.id_number);
	out_str(c, "cert", p.cert_no);
	out_str(c, "name", p.name);
	out_str(c, "issued", issued);
	out_str(c, "kid", p.kid);
	out_bool(c, "valid", true);
	return CTL_OK;
}

static int classify(ctl *c, const payload_args *a)
{
	tqk_date today;
	int rc = ctl_today(c, a->today, &today);
	if (rc != CTL_OK)
		return rc;
	tqk_scan s;
	tqk_err err = tqk_scan_classify(a->string, strlen(a->string), today, &s);
	out_str(c, "kind", tqk_scan_kind_code(s.kind));
	if (err != TQK_OK)
		return ctl_fail(c, err, "scan", NULL);
	out_str(c, "text", s.text);
	return CTL_OK;
}

int cmd_payload(ctl *c, int argc, char **argv)
{
	payload_args a;
	int rc = scan_args(c, argc, argv, &a);
	if (rc != CTL_OK)
		return rc;
	return strcmp(a.sub, "verify") == 0 ? verify(c, &a) : classify(c, &a);
}
