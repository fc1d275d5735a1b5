/*
 * signedqr.c - signed form payloads under fresh keys (see signedqr.h).
 */
#include "support/signedqr.h"

#include <sodium.h>
#include <string.h>

int sq_make(sq_form *f, const char *name, const char *reg_no)
{
	memset(f, 0, sizeof *f);
	if (sodium_init() < 0)
		return -1;
	uint8_t pub[TQK_PUBKEY_LEN], sec[TQK_SECKEY_LEN];
	crypto_sign_keypair(pub, sec);
	tqk_payload *p = &f->fields;
	static const char issued[] = "2026-03-15 10:30";
	if (strlen(name) > TQK_PAYLOAD_NAME_MAX || strlen(reg_no) >= sizeof p->reg_no ||
	    tqk_local_parse(issued, sizeof issued - 1, &p->issued) != TQK_OK)
		return -1;
	memcpy(p->name, name, strlen(name) + 1);
	memcpy(p->reg_no, reg_no, strlen(reg_no) + 1);
	memcpy(p->id_number, "360426199101010071", TQK_ID_LEN + 1);
	memcpy(p->cert_no, "20234400121000123", TQK_CERT_LEN + 1);
	tqk_kid_of(pub, p->kid);
	int rc = tqk_keyset_add(&f->keys, p->kid, pub) == TQK_OK &&
	                 tqk_payload_sign(p, sec, f->text, &f->len) == TQK_OK
	         ? 0 : -1;
	sodium_memzero(sec, sizeof sec);
	return rc;
}
