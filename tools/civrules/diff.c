/*
 * civrules diff: what changes between two bundles (or one bundle at two
 * dates), in the rules and, over a caseload, for each household.
 *
 *   civrules diff [--date A [--date B]] OLD NEW            the rules that differ
 *   civrules diff --date A --date B DIR                   one bundle at two dates
 *   civrules diff [...] OLD NEW CASELOAD.jsonl            households under both
 *   civrules diff --date A --date B DIR CASELOAD.jsonl
 *
 * Uses only the public API (civrules/diff.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "civrules/civrules.h"
#include "diff.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "civrules diff: cannot write %s: %s\n", path, strerror(errno));
        if (f)
            fclose(f);
        return 1;
    }
    return 0;
}

/* Every line of `path` (JSON Lines) under both policies. */
static int caseload(civr_diff *d, const char *path, FILE *records)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "civrules diff: cannot read %s: %s\n", path, strerror(errno));
        return 1;
    }
    char *line = NULL;
    size_t cap = 0, no = 0;
    ssize_t n;
    int status = 0;
    char source[4200];
    while ((n = getline(&line, &cap, f)) >= 0) {
        no++;
        size_t len = (size_t)n;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t k = 0;
        while (k < len && (line[k] == ' ' || line[k] == '\t'))
            k++;
        if (k == len)
            continue; /* blank lines are no households */
        snprintf(source, sizeof source, "%s:%zu", path, no);
        const char *out;
        size_t out_len;
        civr_error err = CIVR_ERROR_INIT;
        if (civr_diff_add(d, line, len, CIVR_FORMAT_JSON, source, &out, &out_len, &err) != 0) {
            char msg[1024];
            civr_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "%s\n", msg);
            status = 1;
            break;
        }
        if (records && fwrite(out, 1, out_len, records) != out_len) {
            fprintf(stderr, "civrules diff: cannot write the records: %s\n", strerror(errno));
            status = 1;
            break;
        }
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return status;
}

int cli_diff(const cli_diff_options *o, int argc, char **argv)
{
    const char *old_dir = NULL, *new_dir = NULL, *cases = NULL;
    if (argc == 1) {
        old_dir = new_dir = argv[0];
    } else if (argc == 2) {
        old_dir = argv[0];
        if (is_dir(argv[1]))
            new_dir = argv[1];
        else {
            new_dir = argv[0];
            cases = argv[1];
        }
    } else if (argc == 3) {
        old_dir = argv[0];
        new_dir = argv[1];
        cases = argv[2];
    } else {
        fprintf(stderr, "civrules diff: give OLD NEW [CASELOAD], or one bundle with two --date\n");
        return 2;
    }
    if (old_dir == new_dir && o->ndates < 2) {
        fprintf(stderr, "civrules diff: one bundle needs two dates: --date A --date B\n");
        return 2;
    }
    if (o->html && !cases) {
        fprintf(stderr, "civrules diff: --html needs a caseload\n");
        return 2;
    }
    civr_policy *pol[2] = {NULL, NULL};
    civr_diff *d = NULL;
    civr_error err = CIVR_ERROR_INIT;
    int status = 0;
    for (int s = 0; s < 2 && status == 0; s++) {
        if (s == 1 && new_dir == old_dir) {
            pol[1] = pol[0];
            break;
        }
        if (civr_policy_load(&pol[s], s ? new_dir : old_dir, NULL, &err) != 0)
            status = 1;
    }
    if (status == 0 && civr_diff_new(&d, pol[0], o->dates[0], pol[1], o->dates[o->ndates > 1 ? 1 : 0], &err) != 0)
        status = 1;
    if (status) {
        char msg[1024];
        civr_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
    }
    const char *out = NULL;
    size_t len = 0;
    if (status == 0 && !cases) {
        if (civr_diff_rules(d, o->json ? CIVR_DIFF_JSON : CIVR_DIFF_TEXT, o->lang, &out, &len, &err) != 0)
            status = 1;
        else {
            fwrite(out, 1, len, stdout);
            if (o->json)
                putchar('\n');
        }
    } else if (status == 0) {
        FILE *records = NULL;
        if (o->records && !(records = fopen(o->records, "wb"))) {
            fprintf(stderr, "civrules diff: cannot write %s: %s\n", o->records, strerror(errno));
            status = 1;
        }
        if (status == 0)
            status = caseload(d, cases, records);
        if (records && fclose(records) != 0)
            status = 1;
        if (status == 0 && o->html) {
            if (civr_diff_summary(d, CIVR_DIFF_HTML, NULL, &out, &len, &err) != 0)
                status = 1;
            else
                status = write_file(o->html, out, len);
        }
        if (status == 0) {
            if (civr_diff_summary(d, o->json ? CIVR_DIFF_JSON : CIVR_DIFF_TEXT, o->lang, &out, &len, &err) != 0)
                status = 1;
            else {
                fwrite(out, 1, len, stdout);
                if (o->json)
                    putchar('\n');
            }
        }
    }
    civr_diff_free(d);
    if (pol[1] != pol[0])
        civr_policy_free(pol[1]);
    civr_policy_free(pol[0]);
    return status;
}
