/*
 * fuzz_json.c - libFuzzer target for the JSON wire format: parsing, and
 * decoding applications and confirmations.
 *
 * Any input must parse or fail cleanly with a "line L, column C: ..."
 * detail. Whatever parses is decoded as an application and as a
 * confirmation (the document itself, each element of an array, and each
 * element of an import file's "applications"). A failed decode names a
 * member and leaves its output alone; a record that decodes passes its
 * check, and encoding it, dumping, parsing and decoding again gives the same
 * record and the same bytes.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const tqk_date today = {2026, 5, 20};

/* Parses the dump of obj (which it releases); the caller owns the result. */
static json_t *reparse(json_t *obj, char **text)
{
	assert(obj != NULL);
	*text = tqk_json_dump(obj);
	json_decref(obj);
	assert(*text != NULL);
	json_t *back = NULL;
	char detail[128];
	assert(tqk_json_parse(*text, strlen(*text), &back, detail, sizeof detail) == TQK_OK);
	return back;
}

static void application(const json_t *v)
{
	tqk_application a, b;
	memset(&a, 0x5a, sizeof a);
	memcpy(&b, &a, sizeof a);
	const char *bad = NULL;
	if (tqk_json_application_decode(v, today, &a, &bad) != TQK_OK) {
		assert(bad != NULL && memcmp(&a, &b, sizeof a) == 0);
		return;
	}
	assert(tqk_application_check(&a, today, NULL) == TQK_OK);
	char *text, *again;
	json_t *back = reparse(tqk_json_application_encode(&a), &text);
	assert(tqk_json_application_decode(back, today, &b, &bad) == TQK_OK);
	assert(memcmp(&a, &b, sizeof a) == 0);
	json_decref(back);
	json_decref(reparse(tqk_json_application_encode(&b), &again));
	assert(strcmp(text, again) == 0);
	free(text);
	free(again);
}

static void confirmation(const json_t *v)
{
	tqk_confirmation c, d;
	memset(&c, 0x5a, sizeof c);
	memcpy(&d, &c, sizeof c);
	const char *bad = NULL;
	if (tqk_json_confirmation_decode(v, today, &c, &bad) != TQK_OK) {
		assert(bad != NULL && memcmp(&c, &d, sizeof c) == 0);
		return;
	}
	assert(tqk_confirmation_check(&c, today, NULL) == TQK_OK);
	char *text, *again;
	json_t *back = reparse(tqk_json_confirmation_encode(&c), &text);
	assert(tqk_json_confirmation_decode(back, today, &d, &bad) == TQK_OK);
	assert(memcmp(&c, &d, sizeof c) == 0);
	json_decref(back);
	json_decref(reparse(tqk_json_confirmation_encode(&d), &again));
	assert(strcmp(text, again) == 0);
	free(text);
	free(again);
}

static void records(const json_t *v)
{
	application(v);
	confirmation(v);
}

static void each(const json_t *list)
{
	for (size_t i = 0; i < json_array_size(list) && i < 64; i++)
		records(json_array_get(list, i));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root = (json_t *)&root;
	char detail[160];
	if (tqk_json_parse((const char *)data, size, &root, detail, sizeof detail) != TQK_OK) {
		assert(root == (json_t *)&root);
		assert(strncmp(detail, "line ", 5) == 0 || size > TQK_JSON_DOC_MAX);
		return 0;
	}
	records(root);
	each(root);
	each(json_object_get(root, "applications"));
	json_decref(root);
	return 0;
}
