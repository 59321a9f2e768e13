/*
 * A county system's use of civrules, in plain C: load a policy once, build
 * a household field by field (no JSON), evaluate it on a date, and read the
 * decision, the amounts and the explanation.
 *
 *   evaluate POLICY_DIR [YYYY-MM-DD]
 *
 * Build: cc evaluate.c $(pkg-config --cflags --libs civrules)
 */
#include <stdio.h>
#include <string.h>

#include <civrules/civrules.h>

static int fail(const civr_error *err)
{
    char msg[1024];
    civr_error_format(err, msg, sizeof msg);
    fprintf(stderr, "%s\n", msg);
    return 1;
}

/* A family of three: the father, 72, with a grade 1 physical disability; the
 * mother, 68, with a pension of 600 yuan; their grandson, 9. */
static int build(civr_builder *b, civr_household **out, civr_error *err)
{
    static const struct {
        const char *id, *relation;
        int year, month, day;
    } members[] = {{"m1", "applicant", 1952, 1, 10}, {"m2", "spouse", 1956, 3, 2},
                   {"m3", "grandchild", 2015, 6, 1}};
    if (civr_builder_set_string(b, "id", "EXAMPLE-C-1", err) ||
        civr_builder_set_string(b, "residence", "urban", err))
        return -1;
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        if (civr_builder_begin(b, "members", NULL, err) ||
            civr_builder_set_string(b, "id", members[i].id, err) ||
            civr_builder_set_string(b, "relation", members[i].relation, err) ||
            civr_builder_set_date(b, "birth_date", members[i].year, members[i].month,
                                  members[i].day, err))
            return -1;
        if (i == 0 && (civr_builder_begin(b, "disability", NULL, err) ||
                       civr_builder_set_string(b, "type", "physical", err) ||
                       civr_builder_set_int(b, "grade", 1, err) || civr_builder_end(b, err)))
            return -1;
        if (civr_builder_end(b, err))
            return -1;
    }
    if (civr_builder_begin(b, "income", NULL, err) ||
        civr_builder_set_string(b, "member", "m2", err) ||
        civr_builder_set_string(b, "kind", "pension", err) ||
        civr_builder_set_money(b, "monthly", 60000, err) || civr_builder_end(b, err))
        return -1;
    if (civr_builder_begin(b, "assets", NULL, err) ||
        civr_builder_set_money(b, "financial", 1200000, err) || civr_builder_end(b, err))
        return -1;
    return civr_builder_finish(out, b, err);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s POLICY_DIR [YYYY-MM-DD]\n", argv[0]);
        return 2;
    }
    const char *when = argc > 2 ? argv[2] : "2024-08-01";
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *policy = NULL;
    civr_engine *engine = NULL;
    civr_builder *builder = NULL;
    civr_household *household = NULL;
    civr_result *result = NULL;
    civr_date date;
    int status = 1;
    if (civr_policy_load(&policy, argv[1], NULL, &err) || civr_engine_new(&engine, policy, NULL, &err) ||
        civr_builder_new(&builder, policy, &err) || civr_result_new(&result, &err) ||
        civr_date_parse(&date, when, strlen(when), &err) || build(builder, &household, &err) ||
        civr_engine_eval(engine, household, date, 0, result, &err)) {
        status = fail(&err);
        goto out;
    }
    printf("policy %s %s (digest %.12s…)\n", civr_policy_id(policy), civr_policy_version(policy),
           civr_policy_digest(policy));
    for (size_t i = 0; i < civr_result_program_count(result); i++) {
        const civr_program_result *pr = civr_result_program(result, i);
        char amount[32];
        civr_money_format(civr_program_result_monthly(pr), amount);
        printf("%s: %s, %s yuan a month\n", civr_program_result_id(pr),
               civr_status_name(civr_program_result_status(pr)), amount);
        for (size_t k = 0; k < civr_program_result_member_count(pr); k++) {
            const char *member, *category;
            int64_t fen;
            civr_program_result_member(pr, k, &member, &fen, &category);
            civr_money_format(fen, amount);
            printf("  %s: %s%s%s\n", member, amount, category ? " " : "", category ? category : "");
        }
    }
    const char *text;
    if (civr_result_render(result, CIVR_RENDER_TEXT, "zh", &text, NULL, &err)) {
        status = fail(&err);
        goto out;
    }
    printf("\n%s", text);
    status = 0;
out:
    civr_result_free(result);
    civr_household_free(household);
    civr_builder_free(builder);
    civr_engine_free(engine);
    civr_policy_free(policy);
    return status;
}
