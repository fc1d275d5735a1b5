/*
 * reader.h - the simulated SAM reader: requests in, reply frames out.
 *
 * The reader follows the card protocol as real ones do: find (20 01) sees
 * the card that is placed, select (20 02) needs a find that saw it, the
 * reads (30 01, 30 03, 30 10) need a select; taking the card away undoes
 * both. It also answers reset, status, SAM id and baud-rate requests, a
 * damaged request with status 10 or 11 and an unknown one with 21.
 *
 * Faults change what it answers (no card, card removed during the read,
 * error statuses, damaged checksums) and how the answer travels (slowly,
 * in small pieces, after garbage); sim_fault_parse reads them in the words
 * of the control channel (main.c's --help lists them). No I/O here: the
 * caller sends the bytes when sim_reply says.
 */
#ifndef SIM_READER_H
#define SIM_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cards.h"
#include "dev/sam.h"

#define SIM_ALWAYS 0xFFFFFFFFu
#define SIM_GARBAGE_MAX 512

/* Which request a status fault answers. */
typedef enum sim_req {
	SIM_REQ_FIND,
	SIM_REQ_SELECT,
	SIM_REQ_READ,      /* 30 01 and 30 10 */
	SIM_REQ_NEWADDR,   /* 30 03 */
	SIM_REQ_OTHER,     /* reset, status, SAM id, baud, unknown */
	SIM_REQ_COUNT,
	SIM_REQ_ANY = SIM_REQ_COUNT,
} sim_req;

typedef struct sim_faults {
	bool nocard;            /* find never sees the card */
	bool removed;           /* the next read answers 41 and the card is gone */
	unsigned checksum;      /* replies sent with a wrong checksum (SIM_ALWAYS: all) */
	int slow_ms;            /* every reply waits this long */
	size_t split;           /* replies go out in pieces of this many bytes (0: whole) */
	int split_ms;           /* pause between pieces */
	int status_sw;          /* answer with this SW3 (-1: off) ... */
	sim_req status_on;      /* ... to these requests ... */
	unsigned status_count;  /* ... this many times (SIM_ALWAYS: always) */
	size_t garbage;         /* random bytes sent before every reply */
} sim_faults;

typedef struct sim_reader {
	const sim_cards *cards;
	sim_faults f;
	int placed;             /* index into cards, -1: none */
	bool found, selected;
	uint32_t rng;           /* garbage bytes */
	unsigned long served[SIM_REQ_COUNT];
	unsigned long damaged;  /* requests that arrived damaged */
	unsigned long reads_ok; /* successful 30 01 / 30 10 replies */
} sim_reader;

/* What to send for one request: bytes, when, in what pieces. */
typedef struct sim_reply {
	uint8_t bytes[SIM_GARBAGE_MAX + TQK_SAM_FRAME_MAX];
	size_t len;
	int delay_ms;           /* before the first byte */
	size_t piece;           /* bytes per write (0: all at once) */
	int piece_ms;           /* between writes */
} sim_reply;

void sim_reader_init(sim_reader *r, const sim_cards *cards, uint32_t seed);

/* No faults. */
void sim_faults_clear(sim_faults *f);

/* Places card i (0-based, < cards->n) on the reader, or none for -1. */
void sim_reader_place(sim_reader *r, int i);

/*
 * Answers one request body (between LEN and CHK; NULL with damage != 0 for
 * a request that did not decode: TQK_E_SAM_CHECKSUM or TQK_E_SAM_FRAME) into
 * *out, applying the faults.
 */
void sim_reader_answer(sim_reader *r, const uint8_t *body, size_t len, tqk_err damage,
                       sim_reply *out);

/*
 * Applies one fault command given as words (argv[0] the mode: none, nocard,
 * removed, checksum [N|off], slow MS, split BYTES [MS], status SW [find|
 * select|read|newaddr|any] [N], garbage N) to f. Returns false (and f
 * unchanged) when the words do not make a fault.
 */
bool sim_fault_parse(sim_faults *f, int argc, char **argv);

#endif
