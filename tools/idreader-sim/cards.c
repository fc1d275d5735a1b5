/*
 * cards.c - reading the simulator's cards file (see cards.h).
 */
#include "cards.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/nation.h"

void sim_card_photo(const char *id, uint8_t out[TQK_IDCARD_PHOTO_LEN])
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < TQK_ID_LEN && id[i] != '\0'; i++)
		h = (h ^ (uint8_t)id[i]) * 16777619u;
	uint32_t x = h != 0 ? h : 0x9E3779B9u;
	for (size_t i = 0; i < TQK_IDCARD_PHOTO_LEN; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		out[i] = (uint8_t)(x >> 24);
	}
}

static tqk_err refuse(sim_cards_error *why, size_t card, const char *member, tqk_err err)
{
	why->card = card;
	/* copied: an unknown member's name lives in the JSON document */
	snprintf(why->member, sizeof why->member, "%s", member != NULL ? member : "");
	why->err = err;
	return err;
}

/* A string member copied into dst (cap bytes); required unless optional. */
static tqk_err text(json_t *o, const char *key, char *dst, size_t cap, bool optional,
                    size_t card, sim_cards_error *why)
{
	json_t *v = json_object_get(o, key);
	if (v == NULL && optional) {
		dst[0] = '\0';
		return TQK_OK;
	}
	if (!json_is_string(v))
		return refuse(why, card, key, TQK_E_JSON_TYPE);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n) /* a \u0000 inside */
		return refuse(why, card, key, TQK_E_UTF8);
	if (n >= cap)
		return refuse(why, card, key, TQK_E_TOO_LONG);
	memcpy(dst, s, n + 1);
	return TQK_OK;
}

static tqk_err date(json_t *o, const char *key, tqk_date *d, size_t card, sim_cards_error *why)
{
	char buf[TQK_DATE_BUFLEN + 8];
	tqk_err err = text(o, key, buf, sizeof buf, false, card, why);
	if (err != TQK_OK)
		return err;
	err = tqk_date_parse(buf, strlen(buf), d);
	return err == TQK_OK ? TQK_OK : refuse(why, card, key, err);
}

static const char *const members[] = {
	"name", "gender", "nation", "birth", "address", "id", "authority", "valid_from", "valid_to",
	"new_address",
};

static tqk_err one_card(json_t *o, size_t k, sim_card *out, sim_cards_error *why)
{
	if (!json_is_object(o))
		return refuse(why, k, NULL, TQK_E_JSON_TYPE);
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		bool known = false;
		for (size_t i = 0; i < sizeof members / sizeof members[0]; i++)
			known = known || strcmp(key, members[i]) == 0;
		if (!known)
			return refuse(why, k, key, TQK_E_FIELD_UNKNOWN);
	}
	memset(out, 0, sizeof *out);
	tqk_idcard *c = &out->card;
	char word[64];
	tqk_err err;
	if ((err = text(o, "name", c->name, sizeof c->name, false, k, why)) != TQK_OK ||
	    (err = text(o, "address", c->address, sizeof c->address, false, k, why)) != TQK_OK ||
	    (err = text(o, "id", c->id, sizeof c->id, false, k, why)) != TQK_OK ||
	    (err = text(o, "authority", c->authority, sizeof c->authority, false, k, why)) != TQK_OK ||
	    (err = text(o, "new_address", c->new_address, sizeof c->new_address, true, k, why)) != TQK_OK ||
	    (err = date(o, "birth", &c->birth, k, why)) != TQK_OK ||
	    (err = date(o, "valid_from", &c->valid_from, k, why)) != TQK_OK)
		return err;

	if ((err = text(o, "gender", word, sizeof word, false, k, why)) != TQK_OK)
		return err;
	if (strcmp(word, "男") == 0 || strcmp(word, "male") == 0)
		c->gender = TQK_GENDER_MALE;
	else if (strcmp(word, "女") == 0 || strcmp(word, "female") == 0)
		c->gender = TQK_GENDER_FEMALE;
	else
		return refuse(why, k, "gender", TQK_E_FIELD_VALUE);

	if ((err = text(o, "nation", word, sizeof word, false, k, why)) != TQK_OK)
		return err;
	const tqk_nation *n = tqk_nation_by_digits(word, strlen(word));
	if (n == NULL)
		n = tqk_nation_by_name(word, strlen(word));
	if (n == NULL)
		return refuse(why, k, "nation", TQK_E_FIELD_VALUE);
	c->nation = n->code;

	if ((err = text(o, "valid_to", word, sizeof word, false, k, why)) != TQK_OK)
		return err;
	if (strcmp(word, TQK_IDCARD_LONG_TERM) == 0) {
		c->long_term = true;
	} else if ((err = tqk_date_parse(word, strlen(word), &c->valid_to)) != TQK_OK) {
		return refuse(why, k, "valid_to", err);
	}

	tqk_idcard_problem p;
	if ((err = tqk_idcard_encode(c, out->text, &p)) != TQK_OK)
		return refuse(why, k, tqk_idcard_field_name(p.field, TQK_LANG_EN), p.cause);
	if ((err = tqk_idcard_encode_new_address(c, out->new_address, sizeof out->new_address,
	                                         &out->new_address_len)) != TQK_OK)
		return refuse(why, k, "new_address", err);
	sim_card_photo(c->id, c->photo);
	c->photo_len = TQK_IDCARD_PHOTO_LEN;
	return TQK_OK;
}

tqk_err sim_cards_load(const char *path, sim_cards *out, sim_cards_error *why)
{
	memset(why, 0, sizeof *why);
	out->n = 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(why->detail, sizeof why->detail, "%s", path);
		return refuse(why, 0, NULL, TQK_E_CONFIG);
	}
	static const size_t cap = SIM_CARDS_FILE_MAX;
	char *buf = malloc(cap + 1);
	size_t n = buf != NULL ? fread(buf, 1, cap + 1, f) : 0;
	bool failed = buf == NULL || ferror(f);
	fclose(f);
	if (failed || n > cap) {
		free(buf);
		return refuse(why, 0, NULL, failed ? TQK_E_CONFIG : TQK_E_TOO_LONG);
	}
	json_error_t jerr;
	json_t *root = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &jerr);
	free(buf);
	if (root == NULL) {
		snprintf(why->detail, sizeof why->detail, "line %d: %s", jerr.line, jerr.text);
		return refuse(why, 0, NULL, TQK_E_JSON_SYNTAX);
	}
	tqk_err err = TQK_OK;
	json_t *cards = json_object_get(root, "cards");
	if (!json_is_object(root) || json_object_size(root) != 1 || !json_is_array(cards) ||
	    json_array_size(cards) == 0) {
		err = refuse(why, 0, "cards", TQK_E_JSON_TYPE);
	} else if (json_array_size(cards) > SIM_CARDS_MAX) {
		err = refuse(why, 0, "cards", TQK_E_TOO_LONG);
	} else {
		for (size_t i = 0; i < json_array_size(cards) && err == TQK_OK; i++)
			err = one_card(json_array_get(cards, i), i + 1, &out->card[i], why);
		if (err == TQK_OK)
			out->n = json_array_size(cards);
	}
	json_decref(root);
	return err;
}
