/*
 * srv_demo.h - a realistic, deterministic demo set of applications for a
 * site: valid ID numbers (real check characters, Hunan counties), valid
 * 17-digit certificate numbers, common Chinese names, several schools of
 * every stage, first and later registrations, and a chosen number of ID
 * numbers that hold two registration numbers (a duplicate registration,
 * which the site refuses as 网报未受理). The same seed gives the same set.
 */
#ifndef TQK_SRV_DEMO_H
#define TQK_SRV_DEMO_H

#include <stdint.h>

#include "core/application.h"

typedef struct srv_demo {
	const char *site;
	int year;                   /* the registration numbers' year (the site's) */
	unsigned count;             /* applications in the set, 1..TQK_DEMO_MAX */
	unsigned duplicates;        /* ID numbers with two registration numbers, <= count / 2 */
	uint64_t seed;
	tqk_date today;             /* certificates and births lie before it */
} srv_demo;

#define SRV_DEMO_MAX 1000000

/* Application i (0 <= i < d->count) of the set into *out: registration
 * number d->year + 10 digits (distinct for distinct i; the seed picks the
 * block), state "submitted". The last d->duplicates applications repeat the
 * person of an earlier one under their own registration number. Never
 * fails. */
void srv_demo_app(const srv_demo *d, unsigned i, tqk_application *out);

#endif
