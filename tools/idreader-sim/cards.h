/*
 * cards.h - the simulator's cards: a JSON file read into encoded cards.
 *
 * The file is one object {"cards": [CARD, ...]} with 1..SIM_CARDS_MAX cards;
 * each CARD has the members
 *
 *   name, address, id, authority      strings as on the card
 *   gender                            "男" / "女" (or "male" / "female")
 *   nation                            a name ("汉", "回族", "Hui") or two digits ("03")
 *   birth, valid_from                 "YYYY-MM-DD"
 *   valid_to                          "YYYY-MM-DD" or "长期"
 *   new_address                       optional: the appended address (30 03)
 *
 * and nothing else. Each card is checked only as far as the card can hold
 * it (widths, characters, existing dates, known codes), so that a file can
 * also hold cards that the driver must refuse (an ID number that does not
 * match the birth date, say).
 *
 * The photo is 1024 bytes made up from the ID number: byte i is the top byte
 * of the i-th step of a xorshift32 generator (x ^= x << 13; x ^= x >> 17;
 * x ^= x << 5) seeded with the FNV-1a hash (32 bits) of the ID number's 18
 * characters (0x9E3779B9 if the hash is 0). The same card always has the
 * same photo, and a test can compute it.
 */
#ifndef SIM_CARDS_H
#define SIM_CARDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "dev/idcard.h"

#define SIM_CARDS_MAX 64
#define SIM_CARDS_FILE_MAX (256 * 1024)

typedef struct sim_card {
	tqk_idcard card;                        /* as given (photo included) */
	uint8_t text[TQK_IDCARD_TEXT_LEN];      /* the encoded text block */
	uint8_t new_address[TQK_IDCARD_NEWADDR_MAX];
	size_t new_address_len;                 /* 0: none */
} sim_card;

typedef struct sim_cards {
	sim_card card[SIM_CARDS_MAX];
	size_t n;
} sim_cards;

/* Why a file was refused: the card (1-based, 0 for the file as a whole), the
 * member, and a tqk_err; for a message. */
typedef struct sim_cards_error {
	size_t card;
	char member[64];             /* "" for the file as a whole */
	tqk_err err;
	char detail[200];            /* jansson's words for a syntax error, or the path */
} sim_cards_error;

/* Reads path into *out. TQK_E_JSON_SYNTAX, TQK_E_JSON_TYPE, TQK_E_TOO_LONG,
 * TQK_E_FIELD_* and the encoder's errors, with *why filled in. */
tqk_err sim_cards_load(const char *path, sim_cards *out, sim_cards_error *why);

/* The photo of an ID number (see above) into out. */
void sim_card_photo(const char *id, uint8_t out[TQK_IDCARD_PHOTO_LEN]);

#endif
