/*
 * Policy test cases: YAML files of households with the outcome a policy
 * officer worked out by hand. Format (docs/policy-language.md, "Test cases"):
 *
 *   cases:
 *     - name: what the case shows
 *       basis: the rule the expected values were worked out from
 *       date: 2024-07-01
 *       household: { id: ..., members: [...] }
 *       expect:
 *         total_monthly: "1100.00"
 *         programs:
 *           <program id>: {status: eligible, monthly: "1100.00", facts: {size: 3},
 *                          members: {m1: "0.00"}, reasons: [CODE], missing: []}
 *         absent: [m3]            # exactly these members are out of the household
 *         choices: {c: program}   # exactly these members faced a choice, and the route taken
 *         error: CIVR-5003        # instead: the evaluation fails with this id
 *
 *   A program expected `{status: error, error: CIVR-5003}` could not be
 *   evaluated (with that id); any other program in error fails the case.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "coverage.h"

typedef struct run {
    const civr_policy *policy;
    civr_engine *engine;
    civr_result *result;
    void (*cb)(void *, const civr_case_report *);
    void *ud;
    size_t passed, failed;
    civr_buf detail;
    civr_coverage *coverage;
} run;

static void mismatch(run *r, const char *fmt, ...) CIVR__PRINTF(2, 3);
static void mismatch(run *r, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    civr__buf_puts(&r->detail, line);
    civr__buf_putc(&r->detail, '\n');
}

/* Do an expected scalar and an actual JSON value agree? Numbers compare exactly. */
static bool same_value(const civr_node *want, const char *json)
{
    if (!want || want->kind != CIVR_NODE_SCALAR || !json)
        return false;
    const char *w = want->u.scalar.text;
    size_t jl = strlen(json);
    const char *a = json;
    size_t al = jl;
    if (jl >= 2 && json[0] == '"') {
        a = json + 1;
        al = jl - 2;
    }
    if (civr__node_is_null(want))
        return civr__streq(json, "null");
    if (strlen(w) == al && memcmp(w, a, al) == 0)
        return true;
    civr_num x, y;
    return civr__num_parse(w, strlen(w), 2, &x, NULL) && civr__num_parse(a, al, 2, &y, NULL) &&
           civr__num_cmp(x, y) == 0;
}

static void money_text(int64_t fen, char buf[32])
{
    civr_money_format(fen, buf);
}

static bool same_money(const civr_node *want, int64_t fen)
{
    char s[40];
    money_text(fen, s);
    return same_value(want, s);
}

static void check_program(run *r, const char *id, const civr_node *want)
{
    const civr_program_result *pr = civr_result_find(r->result, id);
    if (!pr) {
        mismatch(r, "%s: no such program in the result", id);
        return;
    }
    const civr_node *n;
    if ((n = civr__node_get(want, "status"))) {
        const char *got = civr_status_name(civr_program_result_status(pr));
        if (!civr__node_text(n) || !civr__streq(civr__node_text(n), got))
            mismatch(r, "%s.status: expected %s, got %s", id, civr__node_text(n), got);
    }
    if ((n = civr__node_get(want, "error"))) {
        const civr_error *e = civr_program_result_error(pr);
        char got[16] = "none";
        if (e)
            snprintf(got, sizeof got, "CIVR-%04d", e->id);
        if (!civr__node_text(n) || !civr__streq(civr__node_text(n), got))
            mismatch(r, "%s.error: expected %s, got %s%s%s", id,
                     civr__node_text(n) ? civr__node_text(n) : "?", got, e ? ": " : "",
                     e ? e->message : "");
    }
    if ((n = civr__node_get(want, "monthly")) && !same_money(n, pr->monthly)) {
        char s[32];
        money_text(pr->monthly, s);
        mismatch(r, "%s.monthly: expected %s, got %s", id, civr__node_text(n), s);
    }
    if ((n = civr__node_get(want, "facts")) && n->kind == CIVR_NODE_MAP) {
        for (size_t i = 0; i < n->u.map.count; i++) {
            const civr_pair *p = &n->u.map.pairs[i];
            const char *json = NULL;
            for (size_t k = 0; k < civr_program_result_fact_count(pr); k++) {
                const char *name;
                const char *value;
                civr_program_result_fact(pr, k, &name, &value);
                if (civr__streq(name, p->key->u.scalar.text))
                    json = value;
            }
            bool ok;
            if (p->value->kind == CIVR_NODE_SEQ && json) { /* a list of ids */
                civr_buf w = CIVR_BUF_INIT;
                civr__buf_putc(&w, '[');
                for (size_t k = 0; k < p->value->u.seq.count; k++) {
                    const char *t = civr__node_text(p->value->u.seq.items[k]);
                    if (k)
                        civr__buf_putc(&w, ',');
                    civr__buf_json_string(&w, t ? t : "", t ? strlen(t) : 0);
                }
                civr__buf_putc(&w, ']');
                ok = w.data && civr__streq(w.data, json);
                civr__buf_free(&w);
            } else {
                ok = same_value(p->value, json);
            }
            if (!ok)
                mismatch(r, "%s.facts.%s: expected %s, got %s", id, p->key->u.scalar.text,
                         civr__node_text(p->value) ? civr__node_text(p->value) : "(a list)",
                         json ? json : "(no such fact)");
        }
    }
    if ((n = civr__node_get(want, "members")) && n->kind == CIVR_NODE_MAP) {
        /* members not listed must not be paid (member-scope programs give
         * every member a line, most of them "not covered") */
        for (uint32_t k = 0; k < pr->nmembers; k++) {
            const civr_mline *line = &pr->members[k];
            if (civr__node_get(n, line->member_id) || (!line->monthly && !civr__status_pays(line->status)))
                continue;
            char s[32];
            money_text(line->monthly, s);
            mismatch(r, "%s.members: member %s is paid (%s, %s) but not listed", id, line->member_id,
                     civr_status_name((civr_status)line->status), s);
        }
        for (size_t i = 0; i < n->u.map.count; i++) {
            const civr_pair *p = &n->u.map.pairs[i];
            const civr_mline *line = NULL;
            for (uint32_t k = 0; k < pr->nmembers; k++)
                if (civr__streq(pr->members[k].member_id, p->key->u.scalar.text))
                    line = &pr->members[k];
            if (!line) {
                mismatch(r, "%s.members.%s: no line for this member", id, p->key->u.scalar.text);
                continue;
            }
            const civr_node *m = p->value, *c = NULL, *st = NULL, *rs = NULL;
            if (m->kind == CIVR_NODE_MAP) {
                c = civr__node_get(m, "category");
                st = civr__node_get(m, "status");
                rs = civr__node_get(m, "reasons");
                m = civr__node_get(m, "monthly");
            }
            if (st && (!civr__node_text(st) ||
                       !civr__streq(civr__node_text(st), civr_status_name((civr_status)line->status))))
                mismatch(r, "%s.members.%s.status: expected %s, got %s", id, p->key->u.scalar.text,
                         civr__node_text(st) ? civr__node_text(st) : "?",
                         civr_status_name((civr_status)line->status));
            for (size_t k = 0; rs && rs->kind == CIVR_NODE_SEQ && k < rs->u.seq.count; k++) {
                const char *code = civr__node_text(rs->u.seq.items[k]);
                bool found = false;
                for (uint32_t q = 0; q < line->nreasons && code; q++)
                    found |= civr__streq(line->reasons[q]->code, code);
                if (!found)
                    mismatch(r, "%s.members.%s.reasons: expected %s among them", id,
                             p->key->u.scalar.text, code ? code : "?");
            }
            if (m && !same_money(m, line->monthly)) {
                char s[32];
                money_text(line->monthly, s);
                mismatch(r, "%s.members.%s: expected %s, got %s", id, p->key->u.scalar.text,
                         civr__node_text(m), s);
            }
            if (c && !(civr__node_is_null(c) ? !line->category
                                              : line->category && civr__node_text(c) &&
                                                    civr__streq(line->category, civr__node_text(c))))
                mismatch(r, "%s.members.%s.category: expected %s, got %s", id,
                         p->key->u.scalar.text, civr__node_text(c) ? civr__node_text(c) : "null",
                         line->category ? line->category : "none");
        }
    }
    if ((n = civr__node_get(want, "reasons")) && n->kind == CIVR_NODE_SEQ) {
        for (size_t i = 0; i < n->u.seq.count; i++) {
            const char *code = civr__node_text(n->u.seq.items[i]);
            bool found = false;
            for (uint32_t k = 0; k < pr->nreasons && code; k++)
                found |= civr__streq(pr->reasons[k]->code, code);
            if (!found)
                mismatch(r, "%s.reasons: expected %s among them", id, code ? code : "?");
        }
    }
    if ((n = civr__node_get(want, "missing")) && n->kind == CIVR_NODE_SEQ) {
        bool same = n->u.seq.count == pr->nmissing;
        for (size_t i = 0; same && i < n->u.seq.count; i++) {
            const char *t = civr__node_text(n->u.seq.items[i]);
            same = t && civr__streq(t, pr->missing[i]);
        }
        if (!same) {
            civr_buf got = CIVR_BUF_INIT;
            for (uint32_t k = 0; k < pr->nmissing; k++)
                civr__buf_printf(&got, "%s%s", k ? ", " : "", pr->missing[k]);
            mismatch(r, "%s.missing: got [%s]", id, got.data ? got.data : "");
            civr__buf_free(&got);
        }
    }
}

CIVR__PRINTF(5, 6)
static int case_error(civr_error *err, const civr_doc *doc, const civr_node *n, civr_msg m,
                      const char *fmt, ...)
{
    civr_pos pos = civr__doc_pos(doc, n);
    va_list ap;
    va_start(ap, fmt);
    int rc = civr__vfail(err, &pos, m, fmt, ap);
    va_end(ap);
    return rc;
}

static void check_absent(run *r, const civr_node *want);
static void check_choices(run *r, const civr_node *want);

static int run_case(run *r, const civr_doc *doc, const civr_node *c, civr_error *err)
{
    static const char *const keys[] = {"name", "basis", "date", "household", "expect", "note", NULL};
    if (c->kind != CIVR_NODE_MAP)
        return case_error(err, doc, c, CIVR_MSG(CASE_NOT_MAP));
    for (size_t i = 0; i < c->u.map.count; i++) {
        size_t k;
        for (k = 0; keys[k] && !civr__streq(keys[k], c->u.map.pairs[i].key->u.scalar.text); k++)
            ;
        if (!keys[k])
            return case_error(err, doc, c->u.map.pairs[i].key, CIVR_MSG(CASE_UNKNOWN_KEY));
    }
    const civr_node *name = civr__node_get(c, "name"), *date = civr__node_get(c, "date"),
                    *hh = civr__node_get(c, "household"), *expect = civr__node_get(c, "expect"),
                    *basis = civr__node_get(c, "basis");
    if (!civr__node_text(name) || !date || !hh || !expect || !civr__node_text(basis))
        return case_error(err, doc, c, CIVR_MSG(BAD_TEST_CASE));
    civr_date d;
    if (civr_date_parse(&d, civr__node_text(date) ? civr__node_text(date) : "",
                        civr__node_text(date) ? date->u.scalar.len : 0, NULL) < 0)
        return case_error(err, doc, date, CIVR_MSG(CASE_BAD_DATE));
    civr__buf_clear(&r->detail);
    /* decode the household from the test file itself: errors point into it */
    civr_household household = {0};
    civr__arena_init(&household.arena, 8192);
    civr_doc sub = *doc;
    sub.root = (civr_node *)hh;
    civr_error herr = CIVR_ERROR_INIT;
    int rc = civr__household_decode(&household, r->policy, &sub, &r->policy->limits, &herr);
    const civr_node *want_error = civr__node_get(expect, "error");
    if (rc == 0) {
        rc = civr_engine_eval(r->engine, &household, d, CIVR_EVAL_TRACE, r->result, &herr);
    } else { /* the household did not decode: the report shows the error */
        civr__result_reset(r->result, r->policy, d);
        r->result->failed = true;
        r->result->error = herr;
    }
    if (rc == 0)
        civr__coverage_add(r->coverage, r->result);
    if (want_error) {
        char id[16];
        snprintf(id, sizeof id, "CIVR-%04d", herr.id);
        if (!rc)
            mismatch(r, "expected error %s, the evaluation succeeded", civr__node_text(want_error));
        else if (!civr__node_text(want_error) || !civr__streq(civr__node_text(want_error), id))
            mismatch(r, "expected error %s, got %s: %s", civr__node_text(want_error), id,
                     herr.message);
    } else if (rc) {
        char msg[700];
        civr_error_format(&herr, msg, sizeof msg);
        mismatch(r, "evaluation failed: %s", msg);
    } else {
        const civr_node *n;
        if ((n = civr__node_get(expect, "total_monthly")) &&
            !same_money(n, civr_result_total_monthly(r->result))) {
            char s[32];
            money_text(civr_result_total_monthly(r->result), s);
            mismatch(r, "total_monthly: expected %s, got %s", civr__node_text(n), s);
        }
        const civr_node *progs = civr__node_get(expect, "programs");
        for (size_t i = 0; progs && progs->kind == CIVR_NODE_MAP && i < progs->u.map.count; i++)
            check_program(r, progs->u.map.pairs[i].key->u.scalar.text,
                          progs->u.map.pairs[i].value);
        /* a program that could not be evaluated fails the case unless it is expected */
        for (size_t i = 0; i < civr_result_program_count(r->result); i++) {
            const civr_program_result *pr = civr_result_program(r->result, i);
            const civr_error *e = civr_program_result_error(pr);
            const civr_node *w = progs && progs->kind == CIVR_NODE_MAP
                                     ? civr__node_get(progs, civr_program_result_id(pr))
                                     : NULL;
            if (e && !(w && w->kind == CIVR_NODE_MAP &&
                       (civr__node_get(w, "error") || civr__node_get(w, "status")))) {
                char msg[700];
                civr_error_format(e, msg, sizeof msg);
                mismatch(r, "%s could not be evaluated: %s", civr_program_result_id(pr), msg);
            }
        }
        if ((n = civr__node_get(expect, "absent")))
            check_absent(r, n);
        if ((n = civr__node_get(expect, "choices")))
            check_choices(r, n);
    }
    const char *json = NULL;
    civr_result_render(r->result, CIVR_RENDER_JSON, NULL, &json, NULL, NULL);
    civr_case_report rep = {doc->source, c->line, civr__node_text(name), r->detail.len == 0,
                            r->detail.data ? r->detail.data : "", json};
    if (rep.passed)
        r->passed++;
    else
        r->failed++;
    if (r->cb)
        r->cb(r->ud, &rep);
    civr__arena_free(&household.arena);
    return 0;
}

/* `absent: [ids]`: exactly these members are out of the household, in order. */
static void check_absent(run *r, const civr_node *want)
{
    const civr_result *res = r->result;
    bool same = want->kind == CIVR_NODE_SEQ && want->u.seq.count == res->nabsent;
    for (uint32_t i = 0; same && i < res->nabsent; i++)
        same = civr__node_text(want->u.seq.items[i]) &&
               civr__streq(civr__node_text(want->u.seq.items[i]), res->absent[i].member_id);
    if (same)
        return;
    civr_buf got = CIVR_BUF_INIT;
    for (uint32_t i = 0; i < res->nabsent; i++)
        civr__buf_printf(&got, "%s%s", i ? ", " : "", res->absent[i].member_id);
    mismatch(r, "absent: got [%s]", got.data ? got.data : "");
    civr__buf_free(&got);
}

/* `choices: {member: program}`: exactly these members faced a choice, and
 * each took that route. */
static void check_choices(run *r, const civr_node *want)
{
    const civr_result *res = r->result;
    const civr_policy *p = res->policy;
    bool same = want->kind == CIVR_NODE_MAP && want->u.map.count == res->nchoices;
    for (uint32_t i = 0; same && i < res->nchoices; i++) {
        const civr_choice_made *c = &res->choices[i];
        const char *taken = p->programs[c->choice->routes[c->route[c->taken]].program].id;
        const civr_node *w = civr__node_get(want, c->member_id);
        same = w && civr__node_text(w) && civr__streq(civr__node_text(w), taken);
    }
    if (same)
        return;
    civr_buf got = CIVR_BUF_INIT;
    for (uint32_t i = 0; i < res->nchoices; i++) {
        const civr_choice_made *c = &res->choices[i];
        civr__buf_printf(&got, "%s%s: %s", i ? ", " : "", c->member_id,
                         p->programs[c->choice->routes[c->route[c->taken]].program].id);
    }
    mismatch(r, "choices: got {%s}", got.data ? got.data : "");
    civr__buf_free(&got);
}

static int run_file(run *r, const char *path, civr_error *err)
{
    char *text;
    size_t len;
    int rc = civr__read_file(path, r->policy->limits.max_text_bytes, &text, &len, err);
    if (rc)
        return rc;
    civr_doc doc;
    rc = civr__doc_parse_yaml(&doc, text, len, path, &r->policy->limits, err);
    if (rc == 0) {
        const civr_node *cases = civr__node_get(doc.root, "cases");
        if (!cases || cases->kind != CIVR_NODE_SEQ)
            rc = case_error(err, &doc, doc.root, CIVR_MSG(CASE_NO_LIST));
        for (size_t i = 0; rc == 0 && i < cases->u.seq.count; i++)
            rc = run_case(r, &doc, cases->u.seq.items[i], err);
    }
    civr__doc_free(&doc);
    civr__free(text);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int civr_policy_run_tests(const civr_policy *policy, const char *path,
                          void (*on_case)(void *, const civr_case_report *), void *userdata,
                          size_t *passed, size_t *failed, civr_error *err)
{
    return civr_policy_run_tests_coverage(policy, path, on_case, userdata, passed, failed, NULL, err);
}

int civr_policy_run_tests_coverage(const civr_policy *policy, const char *path,
                                   void (*on_case)(void *, const civr_case_report *), void *userdata,
                                   size_t *passed, size_t *failed, civr_coverage *coverage,
                                   civr_error *err)
{
    if (!policy || !path)
        return civr__fail(err, NULL, CIVR_MSG(NULL_ARG), "civr_policy_run_tests",
                          "a policy and a path");
    if (coverage && civr__coverage_policy(coverage) != policy)
        return civr__fail(err, NULL, CIVR_MSG(COVERAGE_POLICY), __func__);
    run r = {0};
    r.coverage = coverage;
    r.policy = policy;
    r.cb = on_case;
    r.ud = userdata;
    int rc = civr_engine_new(&r.engine, policy, NULL, err);
    if (rc == 0)
        rc = civr_result_new(&r.result, err);
    struct stat st;
    if (rc == 0 && stat(path, &st) != 0) {
        civr_pos pos = {path, 0, 0, 0};
        rc = civr__fail(err, &pos, CIVR_MSG(READ_FAILED), path, "no such file or folder");
    }
    if (rc == 0 && S_ISDIR(st.st_mode)) {
        DIR *dir = opendir(path);
        char **names = NULL;
        size_t n = 0, cap = 0;
        struct dirent *e;
        while (dir && (e = readdir(dir))) {
            size_t l = strlen(e->d_name);
            if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0)
                continue;
            if (!civr__grow((void **)&names, &cap, n + 1, sizeof *names))
                break;
            names[n] = civr__malloc(strlen(path) + l + 2);
            if (!names[n])
                break;
            sprintf(names[n++], "%s/%s", path, e->d_name);
        }
        if (dir)
            closedir(dir);
        if (n > 1) /* no test files: names is NULL, which qsort must not get */
            qsort(names, n, sizeof *names, cmp_str);
        for (size_t i = 0; i < n; i++) {
            if (rc == 0)
                rc = run_file(&r, names[i], err);
            civr__free(names[i]);
        }
        civr__free(names);
    } else if (rc == 0) {
        rc = run_file(&r, path, err);
    }
    civr__buf_free(&r.detail);
    civr_result_free(r.result);
    civr_engine_free(r.engine);
    if (passed)
        *passed = r.passed;
    if (failed)
        *failed = r.failed;
    return rc;
}
