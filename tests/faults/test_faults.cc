// Allocation failures: fail the Nth allocation, for every N until a whole
// load + parse + evaluate + render succeeds, and check that each failure is
// reported as CIVR_ENOMEM (or a clean error) with nothing leaked or freed
// twice (run under ASan/LSan in CI).
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

extern "C" {
#include "base/fault.h"
}

namespace {
const char *kHousehold = R"({"id": "H", "residence": "urban", "members": [
  {"id": "a", "birth_date": "1950-01-01", "disability": {"type": "physical", "grade": 1}},
  {"id": "b", "birth_date": "2015-01-01", "situations": ["in_prison"]}],
  "income": [{"member": "a", "kind": "pension", "monthly": "100.01"}],
  "expenses": [{"kind": "rent", "monthly": "50"}],
  "assets": {"financial": "0"}, "enrolment": {"dibao": {"monthly": "500"}}})";

// An orphan who also meets the 特困 conditions (a choice, evaluated on each
// route: 民发〔2021〕43号) and a member who died before the month (absent).
const char *kChoice = R"({"id": "C", "residence": "urban", "members": [
  {"id": "g", "birth_date": "1949-01-01", "self_care": "full"},
  {"id": "c", "birth_date": "2015-01-01", "self_care": "full",
   "parents": [{"role": "father", "situations": ["deceased"]}, {"role": "mother", "situations": ["deceased"]}]},
  {"id": "d", "birth_date": "1950-01-01", "situations": [{"kind": "deceased", "since": "2024-01-10"}]}],
  "income": [{"member": "g", "kind": "pension", "monthly": "1000"}],
  "assets": {"financial": "0"}})";

// 0: success; otherwise the code of the first failure.
int run_once(const char *bundle = "policies/cn/hunan/changde/jinshi", const char *household = kHousehold)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = nullptr;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    civr_date d;
    int rc = civr_policy_load(&p, bundle, nullptr, &err);
    if (rc == 0)
        rc = civr_engine_new(&e, p, nullptr, &err);
    if (rc == 0)
        rc = civr_result_new(&r, &err);
    if (rc == 0)
        rc = civr_date_from_ymd(&d, 2024, 3, 1, &err);
    if (rc == 0)
        rc = civr_engine_eval_text(e, household, strlen(household), CIVR_FORMAT_JSON, "h", d,
                                   CIVR_EVAL_TRACE, r, &err);
    const char *json;
    if (rc == 0 && household == kChoice) { /* the case this household is here for happened */
        rc = civr_result_render(r, CIVR_RENDER_JSON, nullptr, &json, nullptr, &err);
        if (rc == 0 && (!strstr(json, "\"choices\":[{") || !strstr(json, "\"absent\":[{")))
            rc = -1000;
    }
    const char *out;
    if (rc == 0)
        rc = civr_result_render(r, CIVR_RENDER_TEXT, "zh", &out, nullptr, &err);
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
    return rc;
}
} // namespace

// Fail allocation n = 0, 1, 2... until a whole run succeeds; returns n.
static long fail_each_allocation(const char *bundle, const char *household = kHousehold)
{
    civr__fault_fail_after(-1);
    EXPECT_EQ(run_once(bundle, household), 0);
    long n = 0;
    for (;; n++) {
        civr__fault_fail_after(n);
        int rc = run_once(bundle, household);
        bool triggered = civr__fault_triggered();
        civr__fault_fail_after(-1);
        if (!triggered) { // the failure point was never reached: all sites covered
            EXPECT_EQ(rc, 0);
            break;
        }
        // out of memory, reported as such or as an error the caller sees; never a crash
        EXPECT_NE(rc, 0) << "allocation " << n << " failed silently";
        if (n >= 2000000) {
            ADD_FAILURE() << "no end to allocations";
            break;
        }
    }
    return n;
}

TEST(Faults, EveryAllocationFailureIsReportedCleanly)
{
    long n = fail_each_allocation("policies/cn/hunan/changde/jinshi");
    RecordProperty("allocation_sites", (int)n);
    EXPECT_GT(n, 100);
}

// The same with a member facing a choice between programs (the household is
// evaluated on each route) and a member out of the household.
TEST(Faults, EveryAllocationFailureWithAChoiceAndAnAbsentMemberIsReportedCleanly)
{
    long n = fail_each_allocation("policies/cn/hunan/changde/jinshi", kChoice);
    EXPECT_GT(n, 100);
}

// The same with a Lua hook at every point: the Lua state, compiling, and
// every allocation a hook call makes.
TEST(Faults, EveryAllocationFailureWithHooksIsReportedCleanly)
{
    civt::TempBundle b("policies/cn/hunan/changde/jinshi", R"(programs:
  dibao:
    hooks:
      before_eligibility: {file: before.lua, basis: test, sets: [counted_income]}
      after_eligibility: {file: after.lua, basis: test}
      after_amount: {file: amount.lua, basis: test}
)");
    b.file("before.lua", "local ctx = ...\nlocal t = {}\nfor i = 1, 100 do t[i] = tostring(i) end\n"
                         "return {facts = {counted_income = ctx.facts.counted_income}}\n");
    b.file("after.lua", "local ctx = ...\nreturn {outcome = ctx.outcome, reason = {code = 'T', zh = "
                        "ctx.param('dibao.standard', 'urban') .. '元', en = 'x'}}\n");
    b.file("amount.lua", "local ctx = ...\nprint(ctx.household.members[1].id)\n"
                         "return {amount = ctx.amount + civ.fen(1), reason = {code = 'T', zh = 't', en = 't'}}\n");
    long n = fail_each_allocation(b.dir.c_str());
    EXPECT_GT(n, 200);
}

// Design target: no allocation per evaluation once an engine is warm. With
// every allocation made to fail, a warm engine must still evaluate (without
// trace) and render JSON.
TEST(Faults, AWarmEngineEvaluatesWithoutAllocating)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_policy *p = nullptr;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    civr_household *h = nullptr;
    civr_date d;
    ASSERT_EQ(civr_policy_load(&p, "policies/cn/hunan/changde/jinshi", nullptr, &err), 0);
    ASSERT_EQ(civr_engine_new(&e, p, nullptr, &err), 0);
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    ASSERT_EQ(civr_household_parse(&h, p, kHousehold, strlen(kHousehold), CIVR_FORMAT_JSON, "h",
                                   &err), 0);
    civr_date_from_ymd(&d, 2024, 3, 1, &err);
    const char *json;
    size_t len;
    ASSERT_EQ(civr_engine_eval(e, h, d, 0, r, &err), 0);
    ASSERT_EQ(civr_result_render(r, CIVR_RENDER_JSON, nullptr, &json, &len, &err), 0);
    std::string first(json, len);
    civr__fault_fail_after(0);
    int rc = civr_engine_eval(e, h, d, 0, r, &err);
    int rc2 = civr_result_render(r, CIVR_RENDER_JSON, nullptr, &json, &len, &err);
    bool triggered = civr__fault_triggered();
    civr__fault_fail_after(-1);
    EXPECT_EQ(rc, 0) << civt::format(err);
    EXPECT_EQ(rc2, 0);
    EXPECT_FALSE(triggered) << "a warm evaluation allocated";
    EXPECT_EQ(std::string(json, len), first);
    civr_household_free(h);
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
}
