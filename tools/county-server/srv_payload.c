/*
 * srv_payload.c - the county's signing keys and the signed QR payloads of
 * printed forms (srv_payload.h): signing an application's payload with the
 * active key, and the admin commands key new, key list and payload.
 *
 * The secret key is read from the database only to sign, and wiped right
 * after; it is never printed.
 */
#include "srv_payload.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srv_admin.h"
#include "srv_apps.h"

_Static_assert(sizeof ((tqk_application *)0)->name == sizeof ((tqk_payload *)0)->name,
               "an application's name fits a payload's exactly");

tqk_err srv_payload_sign(srv_db *db, const tqk_application *a, tqk_time now,
                         char out[TQK_PAYLOAD_CAP], size_t *len, char kid[TQK_KID_CAP])
{
	out[0] = '\0';
	if (len != NULL)
		*len = 0;
	tqk_payload p;
	memset(&p, 0, sizeof p);
	uint8_t secret[TQK_SECKEY_LEN];
	tqk_err err = srv_db_key_active(db, p.kid, secret);
	if (err == TQK_OK) {
		memcpy(p.reg_no, a->reg_no, sizeof p.reg_no);
		memcpy(p.id_number, a->id_number, sizeof p.id_number);
		memcpy(p.cert_no, a->cert_no, sizeof p.cert_no);
		memcpy(p.name, a->name, sizeof p.name);
		p.issued = now;
		err = tqk_payload_sign(&p, secret, out, len);
		/* A stored secret whose public half is not its seed's. */
		if (err == TQK_E_FIELD_VALUE)
			err = TQK_E_STORE_CORRUPT;
	} else if (err == TQK_E_STORE_NOT_FOUND) {
		err = TQK_E_PAYLOAD_NO_KEY;
	}
	sodium_memzero(secret, sizeof secret);
	if (err == TQK_OK && kid != NULL)
		memcpy(kid, p.kid, TQK_KID_CAP);
	return err;
}

/* Copies the string member name of o into out (cap bytes); false when it
 * is missing, not a string or too long. */
static bool member(const json_t *o, const char *name, char *out, size_t cap)
{
	const char *v = json_string_value(json_object_get(o, name));
	size_t n = v != NULL ? strlen(v) : cap;
	if (n >= cap)
		return false;
	memcpy(out, v, n + 1);
	return true;
}

tqk_err srv_payload_attach(srv_db *db, json_t *items, tqk_time now)
{
	tqk_payload p;
	memset(&p, 0, sizeof p);
	uint8_t secret[TQK_SECKEY_LEN];
	tqk_err err = srv_db_key_active(db, p.kid, secret);
	if (err == TQK_E_STORE_NOT_FOUND)
		return TQK_OK;
	if (err != TQK_OK)
		return err;
	p.issued = now;
	size_t i;
	json_t *o;
	json_array_foreach(items, i, o) {
		char text[TQK_PAYLOAD_CAP];
		if (!member(o, "reg_no", p.reg_no, sizeof p.reg_no) ||
		    !member(o, "id_number", p.id_number, sizeof p.id_number) ||
		    !member(o, "cert_no", p.cert_no, sizeof p.cert_no) ||
		    !member(o, "name", p.name, sizeof p.name) ||
		    tqk_payload_sign(&p, secret, text, NULL) != TQK_OK) {
			json_object_del(o, "payload");
			continue;
		}
		if (json_object_set_new(o, "payload", json_string(text)) != 0) {
			err = TQK_E_NOMEM;
			break;
		}
	}
	sodium_memzero(secret, sizeof secret);
	sodium_memzero(&p, sizeof p);
	return err;
}

/* "YYYY-MM-DDTHH:MM", Beijing time, as the admin's lists write times. */
static void minute_text(tqk_time t, char out[TQK_MINUTE_BUFLEN])
{
	tqk_local_format(t, out);
	out[10] = 'T';
}

/* `key new`: a new active key; the previous one is retired but stays
 * published. Returns the exit status (2 when the database fails). */
int srv_admin_key_new(cli *c, srv_db *db, int argc, char **argv)
{
	int rc = cli_args(c, argc, argv, (const cli_opt[]){{NULL, NULL, NULL}}, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	srv_key before, k, after[TQK_KEYSET_MAX + 1];
	size_t nbefore = 0, nafter = 0;
	tqk_err err = srv_db_begin(db);
	if (err == TQK_OK) {
		err = srv_db_keys(db, &before, 1, &nbefore);    /* the active one first */
		if (err == TQK_OK)
			err = srv_db_key_new(db, c->now, &k);
		if (err == TQK_OK)
			err = srv_db_keys(db, after, TQK_KEYSET_MAX + 1, &nafter);
		err = srv_db_end(db, err);
	}
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, "key");
	char pub[TQK_PUBKEY_TEXT_LEN + 1];
	tqk_pubkey_format(k.pub, pub);
	printf("kid=%s\npublic=%s\n", k.kid, pub);
	if (nbefore > 0 && before.active)
		printf("retired=%s\n", before.kid);
	cli_say(c, "新的签名密钥已启用，自助机下次同步时取得它的公钥；旧密钥签发的申请表仍可校验",
	        "the new signing key is active; kiosks get its public key at their next sync;"
	        " forms signed with the retired keys still verify");
	if (nafter > TQK_KEYSET_MAX) {
		char msg_zh[128], msg_en[160];
		snprintf(msg_zh, sizeof msg_zh, "密钥 %s 已不再随计划下发：它签发的申请表在自助机同步后无法校验",
		         after[TQK_KEYSET_MAX].kid);
		snprintf(msg_en, sizeof msg_en, "key %s is no longer published: forms it signed stop"
		         " verifying at kiosks after their next sync", after[TQK_KEYSET_MAX].kid);
		cli_say(c, msg_zh, msg_en);
	}
	return CLI_OK;
}

/* `key list`: one line per key, `KID STATUS CREATED RETIRED PUBLIC`, the
 * active key first; STATUS is active, retired (still published) or
 * unpublished. Returns the exit status. */
int srv_admin_key_list(cli *c, srv_db *db, int argc, char **argv)
{
	int rc = cli_args(c, argc, argv, (const cli_opt[]){{NULL, NULL, NULL}}, NULL, 0);
	if (rc != CLI_OK)
		return rc;
	size_t n = 0, cap;
	tqk_err err = srv_db_keys(db, NULL, 0, &n);
	srv_key *keys = calloc(n > 0 ? n : 1, sizeof *keys);
	if (err == TQK_OK && keys == NULL)
		err = TQK_E_NOMEM;
	cap = n;
	if (err == TQK_OK)
		err = srv_db_keys(db, keys, cap, &n);
	if (err != TQK_OK) {
		free(keys);
		return srv_admin_db_fail(c, db, err, "key");
	}
	for (size_t i = 0; i < n && i < cap; i++) {
		char pub[TQK_PUBKEY_TEXT_LEN + 1], created[TQK_MINUTE_BUFLEN];
		char retired[TQK_MINUTE_BUFLEN] = "-";
		tqk_pubkey_format(keys[i].pub, pub);
		minute_text(keys[i].created, created);
		if (!keys[i].active)
			minute_text(keys[i].retired, retired);
		printf("%s %s %s %s %s\n", keys[i].kid,
		       keys[i].active ? "active" : i < TQK_KEYSET_MAX ? "retired" : "unpublished",
		       created, retired, pub);
	}
	free(keys);
	if (n == 0)
		cli_say(c, "还没有签名密钥：用 admin key new 生成", "no signing keys yet: make one with"
		        " admin key new");
	return CLI_OK;
}

/* `payload REG_NO`: the application's signed QR payload, issued now.
 * Returns the exit status: 1 for an unknown application, no active key or
 * fields that cannot go into a payload. */
int srv_admin_payload(cli *c, srv_db *db, int argc, char **argv)
{
	const char *reg_no = NULL;
	int rc = cli_args(c, argc, argv, (const cli_opt[]){{NULL, NULL, NULL}}, &reg_no, 1);
	if (rc != CLI_OK)
		return rc;
	if (reg_no == NULL)
		return cli_usage(c, NULL, "请给出报名号", "give the registration number");
	tqk_application a;
	int64_t seq;
	tqk_err err = srv_apps_get(db, reg_no, tqk_time_date(c->now), &a, &seq);
	char out[TQK_PAYLOAD_CAP], kid[TQK_KID_CAP];
	if (err == TQK_OK)
		err = srv_payload_sign(db, &a, c->now, out, NULL, kid);
	if (err == TQK_E_PAYLOAD_FORMAT) {
		cli_fail(c, err, reg_no, NULL);
		cli_say(c, "该申请的报名号、姓名、身份证号或证书号无法写入二维码（姓名至多 96 字节，不含 |）",
		        "this application's registration, name, ID or certificate number cannot go into"
		        " a QR payload (a name is at most 96 bytes, without |)");
		return CLI_NO;
	}
	if (err != TQK_OK)
		return srv_admin_db_fail(c, db, err, err == TQK_E_PAYLOAD_NO_KEY ? "key" : reg_no);
	char issued[TQK_MINUTE_BUFLEN];
	tqk_local_format(c->now, issued);
	printf("reg_no=%s\nkid=%s\nissued=%s\npayload=%s\n", a.reg_no, kid, issued, out);
	return CLI_OK;
}
