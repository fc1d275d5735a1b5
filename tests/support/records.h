/*
 * records.h - comparing a record the store gives back with the one that
 * went in, inside a cmocka test.
 */
#ifndef TQK_TEST_RECORDS_H
#define TQK_TEST_RECORDS_H

#include "core/application.h"

/* Fails the test unless got has want's registration number, every field
 * (compared as text, the failing field named), registration, state,
 * messages, remark, rev and purged flag. */
void assert_app_equal(const tqk_application *want, const tqk_application *got);

#endif
