/* civrules diff (diff.c), called by main.c with its options parsed. */
#ifndef CIVR_CLI_DIFF_H
#define CIVR_CLI_DIFF_H

#include <stdbool.h>

#include "civrules/civrules.h"

typedef struct cli_diff_options {
    civr_date dates[2]; /* old and new; one date: both */
    int ndates;
    bool json;          /* --format json */
    const char *lang;   /* text: zh or en */
    const char *html;   /* --html FILE */
    const char *records; /* --records FILE: per-household JSON Lines */
} cli_diff_options;

/* Operands: OLD [NEW] [CASELOAD]. Returns an exit code. */
int cli_diff(const cli_diff_options *o, int argc, char **argv);

#endif
