/*
 * fixture.h - deterministic test data for the store: valid applications
 * (real check characters, distinct registration, ID and certificate
 * numbers), complete confirmations, the site's plan, and a fresh store with
 * its site set.
 *
 * Plain C without cmocka, so that benchmarks and crash-test children use it
 * too. Application i always comes out the same.
 */
#ifndef TQK_TEST_FIXTURE_H
#define TQK_TEST_FIXTURE_H

#include <stddef.h>

#include "core/application.h"
#include "core/confirmation.h"
#include "proto/api.h"
#include "store/store.h"

#define FIXTURE_SITE "S01"
#define FIXTURE_KIOSK "K01"
#define FIXTURE_CLERK "C007"
/* 2026-05-20 09:31:05 Beijing time: a Wednesday inside a confirmation period. */
#define FIXTURE_NOW ((tqk_time)1779240665)

/*
 * Application number i (0 <= i < 10,000,000) of site: registration number
 * "2026" + 10 digits, an ID number born in the 1970s-90s with a valid check
 * character, a 17-digit certificate number, a Chinese name drawn from common
 * surnames (so name searches find many), state submitted, rev 1.
 */
void fixture_app(unsigned i, const char *site, tqk_application *out);

/* A complete confirmation of reg_no: every material 具备, police 不需要,
 * conclusion 材料齐全, at FIXTURE_NOW from the server's clock. The uuid is
 * left empty (the store makes one). */
void fixture_confirmation(const char *reg_no, tqk_confirmation *out);

/*
 * A valid plan of the fixture site at revision rev: 长沙县星沙确认点, CSX
 * 2026 site 01, serial width 3, applications 2026-04-01..2026-05-10,
 * confirmations 2026-05-18..2026-05-29 (FIXTURE_NOW is inside), open
 * 08:30-17:30, no keys. Its calendar points at the caller's text, which is
 * neither copied nor owned (never tqk_plan_clear such a plan).
 */
tqk_plan fixture_plan(int64_t rev, const char *calendar);

/*
 * Creates (or opens) the store at path with the fixture site set
 * (S01 / K01 / CSX 2026 site 01, serial width 3 unless width > 0), and
 * applications 0..n-1 imported in batches. Returns the error of the first
 * failing step; *out is NULL then.
 */
tqk_err fixture_store(const char *path, size_t n, int width, tqk_store **out);

/* A fresh directory under $TMPDIR (or /tmp) for one test's files, into buf;
 * removed again with fixture_rmdir (recursively). */
void fixture_tmpdir(char *buf, size_t cap);
void fixture_rmdir(const char *dir);

#endif
