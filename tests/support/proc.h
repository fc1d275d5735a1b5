/*
 * proc.h - run a program from a test and capture what it says.
 */
#ifndef TQK_TEST_PROC_H
#define TQK_TEST_PROC_H

#include <stddef.h>

#define PROC_MAX_OUTPUT (1024 * 1024)

typedef struct proc_result {
	int status;         /* exit status, or 128 + signal number */
	char *out;          /* stdout, NUL-terminated (caller frees with proc_result_free) */
	char *err;          /* stderr, likewise */
} proc_result;

/*
 * Runs argv (argv[0] is the path) with env_set ("NAME=value" strings, NULL
 * terminated, may be NULL) added to the environment and env_unset names
 * removed from it; waits for it and captures up to PROC_MAX_OUTPUT bytes of
 * each stream. Returns 0, or -1 with errno when the program could not run.
 */
int proc_run(char *const argv[], char *const env_set[], char *const env_unset[],
             proc_result *out);

void proc_result_free(proc_result *r);

#endif
