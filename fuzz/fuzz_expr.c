/*
 * fuzz_expr: libFuzzer target for the expression compiler. Each input is
 * the text of one expression. The target compiles it against the textbook
 * policy (loaded once) directly, as a household fact and as a member fact
 * (the first byte chooses), with the internal compiler (lib/expr): parsing,
 * the height limit, names, types, positions. An expression that compiles
 * is then written as a fact of a program in a bundle over the textbook one,
 * loaded and evaluated twice with the trace (the same answer both times,
 * fuzz.h), so the evaluator meets everything the checker lets through.
 *
 *   ./build-fuzz/fuzz/fuzz_expr fuzz/corpus/expr -dict=fuzz/expr.dict
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "expr/expr.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static civr_policy *textbook;
static char bundle[64];

static const char kHousehold[] =
    "{\"id\": \"F\", \"residence\": \"urban\", \"members\": [{\"id\": \"a\", \"birth_date\": "
    "\"1970-01-01\", \"able_to_work\": false, \"disability\": {\"type\": \"physical\", \"grade\": 2},"
    " \"supporters\": [{\"relation\": \"child\", \"birth_date\": \"1985-01-01\"}]},"
    " {\"id\": \"b\", \"birth_date\": \"2012-05-01\"}],"
    " \"income\": [{\"member\": \"a\", \"kind\": \"pension\", \"monthly\": \"300\"}],"
    " \"assets\": {\"financial\": \"0\"}}";

static void write_file(const char *name, const char *text, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", bundle, name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(text, 1, size, f) != size))
        abort();
    fclose(f);
}

/* `s` as the inside of a double-quoted scalar: JSON and YAML read the same escapes. */
static void quote(civr_buf *b, const uint8_t *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (c == '"' || c == '\\')
            civr__buf_printf(b, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            civr__buf_printf(b, "\\u%04x", c);
        else
            civr__buf_putc(b, (char)c);
    }
}

static void setup(void)
{
    civr_error err = CIVR_ERROR_INIT;
    if (civr_policy_load(&textbook, CIVR_SOURCE_ROOT "/tests/fixtures/bundles/textbook", NULL,
                         &err) != 0)
        abort();
    snprintf(bundle, sizeof bundle, "/tmp/civrules-fuzz-XXXXXX");
    if (!mkdtemp(bundle))
        abort();
    char text[1024];
    int n = snprintf(text, sizeof text,
                     "id: fuzz/expr\ntitle: {zh: 模糊测试, en: fuzz}\nversion: '1'\n"
                     "extends: %s/tests/fixtures/bundles/textbook\nfiles: [p.yaml]\n",
                     CIVR_SOURCE_ROOT);
    write_file("bundle.yaml", text, (size_t)n);
}

/* Compile the expression directly; true when it compiles. */
static bool compiles(const uint8_t *data, size_t size, bool member)
{
    civr_buf json = CIVR_BUF_INIT;
    civr__buf_putc(&json, '"');
    quote(&json, data, size);
    civr__buf_putc(&json, '"');
    bool ok = false;
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    if (!json.failed &&
        civr__doc_parse_json(&doc, json.data, json.len, "p.yaml", NULL, &err) == 0) {
        civr_arena arena;
        civr__arena_init(&arena, 4096);
        uint32_t slots = member ? 1 : 0;
        civr_cenv env = {0};
        env.policy = textbook;
        env.arena = &arena;
        env.doc = &doc;
        env.node = doc.root;
        env.err = &err;
        env.member = member;
        env.nslots = &slots;
        env.max_depth = textbook->limits.max_expr_depth;
        const civr_expr *e = NULL;
        civr_type t;
        ok = civr__expr_compile(&e, &t, &env) == 0 && e;
        char msg[1200];
        civr_error_format(&err, msg, sizeof msg);
        civr__arena_free(&arena);
    }
    civr__doc_free(&doc);
    civr__buf_free(&json);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!textbook)
        setup();
    bool member = size > 0 && (data[0] & 1);
    if (size > 0) {
        data++;
        size--;
    }
    if (!compiles(data, size, member))
        return 0;
    if (getenv("CIVR_FUZZ_VERBOSE"))
        fprintf(stderr, "compiles: %.*s\n", (int)size, (const char *)data);
    /* it compiles: as a fact of a program (a member fact when `member`), loaded and evaluated */
    civr_buf y = CIVR_BUF_INIT;
    civr__buf_puts(&y, "programs:\n  fuzz:\n    title: {zh: 模糊, en: fuzz}\n    basis: fuzz\n");
    if (member)
        civr__buf_puts(&y, "    scope: member\n");
    /* a household fact is shown in results (with a title); member facts are not */
    civr__buf_puts(&y, member ? "    member_facts:\n      value:\n"
                              : "    facts:\n      value:\n        title: {zh: 值, en: value}\n");
    civr__buf_puts(&y, "        expr: \"");
    quote(&y, data, size);
    civr__buf_puts(&y, "\"\n    outcomes:\n      - {id: none, status: ineligible}\n");
    if (y.failed)
        abort();
    write_file("p.yaml", y.data, y.len);
    civr__buf_free(&y);
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = NULL;
    if (civr_policy_load(&p, bundle, NULL, &err) != 0) {
        if (getenv("CIVR_FUZZ_VERBOSE")) {
            char msg[1200];
            civr_error_format(&err, msg, sizeof msg);
            fprintf(stderr, "  does not load: %s\n", msg);
        }
        return 0; /* e.g. a fact that needs program facts: reported, fine */
    }
    civr_engine *e = NULL;
    civr_result *r = NULL;
    civr_date d;
    if (civr_engine_new(&e, p, NULL, &err) == 0 && civr_result_new(&r, &err) == 0 &&
        civr_date_from_ymd(&d, 2024, 8, 1, &err) == 0)
        civr_fuzz_twice(e, r, kHousehold, sizeof kHousehold - 1, d, CIVR_EVAL_TRACE);
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
    return 0;
}
