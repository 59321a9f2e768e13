// Threads: loading one bundle from many threads at once, and evaluating
// with one shared policy and an engine per thread, give the bytes one
// thread gives (include/civrules/policy.h, engine.h: a loaded policy is
// immutable and shared; engines and results belong to one thread). This
// program also runs under ThreadSanitizer in .ci/run.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/support.h"

namespace {

const int kThreads = 8;
const int kRounds = 25; // loads per thread: enough for two threads' loads to overlap often

struct Loaded {
    std::string digest, description, error;
};

Loaded load_once(const std::string &dir)
{
    Loaded l;
    civr_policy *p = civt::load(dir, &l.error);
    if (p) {
        l.digest = civr_policy_digest(p);
        l.description = civr_policy_describe(p);
    }
    civr_policy_free(p);
    return l;
}

std::string read(const std::string &path)
{
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

// Evaluate each household (with the trace) and render it, one engine.
std::vector<std::string> evaluate_all(const civr_policy *p, const std::vector<std::string> &hhs,
                                      const char *date)
{
    std::vector<std::string> out;
    civr_error err = CIVR_ERROR_INIT;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    if (civr_engine_new(&e, p, nullptr, &err) != 0 || civr_result_new(&r, &err) != 0) {
        out.push_back("error: " + civt::format(err));
        civr_engine_free(e);
        return out;
    }
    civr_date d;
    civr_date_parse(&d, date, strlen(date), &err);
    for (const std::string &h : hhs) {
        civr_engine_eval_text(e, h.data(), h.size(), CIVR_FORMAT_JSON, "h.json", d,
                              CIVR_EVAL_TRACE, r, &err);
        const char *json;
        size_t len;
        if (civr_result_render(r, CIVR_RENDER_JSON, nullptr, &json, &len, &err) == 0)
            out.emplace_back(json, len);
        else
            out.push_back("error: " + civt::format(err));
    }
    civr_result_free(r);
    civr_engine_free(e);
    return out;
}

} // namespace

// Issue 11 #2: normalise_path used strtok (state shared by all threads): 8
// threads loading a bundle gave heap overflows, aborts, wrong paths and
// wrong digests.
TEST(Threads, EightThreadsLoadOneBundleAndAgreeOnItsDigest)
{
    // a long way round (200 parts there and back) makes every path the
    // loader joins long, so that two threads' normalising overlaps often
    std::string detour;
    for (int i = 0; i < 100; i++)
        detour += "x/";
    for (int i = 0; i < 100; i++)
        detour += "../";
    for (std::string dir : {"policies/cn/guangdong/guangzhou", "policies/cn/zhejiang/jinhua/yiwu",
                            "policies/cn/hunan/changde/jinshi"}) {
        dir = detour + dir;
        Loaded one = load_once(dir);
        ASSERT_EQ(one.error, "") << dir;
        ASSERT_EQ(one.digest.size(), 64u);
        std::vector<Loaded> got(kThreads * kRounds);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; t++)
            threads.emplace_back([&, t] {
                for (int i = 0; i < kRounds; i++)
                    got[t * kRounds + i] = load_once(dir);
            });
        for (auto &t : threads)
            t.join();
        for (const Loaded &l : got) {
            EXPECT_EQ(l.error, "") << dir;
            EXPECT_EQ(l.digest, one.digest) << dir;
            EXPECT_EQ(l.description, one.description) << dir;
        }
    }
}

// The same path however it is written: "." parts, repeated slashes and
// "x/.." pairs, more than 256 parts of them (the old code dropped parts
// past 256 and loaded something else).
TEST(Threads, PathsAreNormalisedWhateverTheirLength)
{
    Loaded plain = load_once("policies/cn/guangdong");
    ASSERT_EQ(plain.error, "");
    std::string detour = "policies/./cn//";
    for (int i = 0; i < 300; i++)
        detour += "x/";
    for (int i = 0; i < 300; i++)
        detour += "../";
    detour += "guangdong/";
    Loaded same = load_once(detour);
    EXPECT_EQ(same.error, "");
    EXPECT_EQ(same.digest, plain.digest);
}

// One policy, an engine per thread, households evaluated concurrently
// with traces: every thread's bytes are one thread's bytes.
TEST(Threads, EnginesOnEightThreadsShareOnePolicyAndGiveTheSameBytes)
{
    struct Case {
        const char *bundle, *date;
        std::vector<std::string> files;
    } cases[] = {
        {"policies/cn/guangdong/guangzhou", "2024-08-01",
         {"examples/households/gz-family.json", "examples/households/gz-marginal.json",
          "examples/households/gz-undetermined.json", "bench/households/guangzhou-typical.json"}},
        {"policies/cn/zhejiang/jinhua/yiwu", "2024-08-01", // with a Lua hook
         {"examples/households/yw-identity.json", "bench/households/yiwu-identity.json"}},
    };
    for (const Case &c : cases) {
        std::string error;
        civr_policy *p = civt::load(c.bundle, &error);
        ASSERT_NE(p, nullptr) << error;
        std::vector<std::string> hhs;
        for (const std::string &f : c.files)
            hhs.push_back(read(f));
        std::vector<std::string> one = evaluate_all(p, hhs, c.date);
        for (const std::string &o : one)
            ASSERT_EQ(o.find("\"error\""), std::string::npos) << o.substr(0, 300);
        std::vector<std::vector<std::string>> got(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; t++)
            threads.emplace_back([&, t] {
                for (int round = 0; round < 5; round++) {
                    got[t] = evaluate_all(p, hhs, c.date);
                    if (got[t] != one)
                        return;
                }
            });
        for (auto &t : threads)
            t.join();
        for (int t = 0; t < kThreads; t++)
            EXPECT_EQ(got[t], one) << c.bundle << " thread " << t;
        civr_policy_free(p);
    }
}

// Issue 11: a finished result is read, not written, by its const getters
// (civr_program_result_fact formatted facts on first request into the
// result and so raced when two threads read one result; under
// ThreadSanitizer in .ci/run that is a failure). Eight threads read every
// fact of one result and see what one thread sees.
TEST(Threads, EightThreadsReadTheFactsOfOneResult)
{
    std::string error;
    civr_policy *p = civt::load("policies/cn/guangdong/guangzhou", &error);
    ASSERT_NE(p, nullptr) << error;
    std::string hh = read("examples/households/gz-family.json");
    civr_error err = CIVR_ERROR_INIT;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    civr_date d;
    civr_date_parse(&d, "2024-08-01", 10, &err);
    ASSERT_EQ(civr_engine_new(&e, p, nullptr, &err), 0);
    ASSERT_EQ(civr_result_new(&r, &err), 0);
    ASSERT_EQ(civr_engine_eval_text(e, hh.data(), hh.size(), CIVR_FORMAT_JSON, "h.json", d, 0, r,
                                    &err), 0) << civt::format(err);
    auto facts = [r] {
        std::string out;
        for (size_t i = 0; i < civr_result_program_count(r); i++) {
            const civr_program_result *pr = civr_result_program(r, i);
            for (size_t k = 0; k < civr_program_result_fact_count(pr); k++) {
                const char *name = nullptr, *json = nullptr;
                if (civr_program_result_fact(pr, k, &name, &json) != 0)
                    return std::string("error");
                out += std::string(name) + "=" + json + "\n";
            }
        }
        return out;
    };
    std::vector<std::string> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++)
        threads.emplace_back([&, t] { got[t] = facts(); });
    for (auto &t : threads)
        t.join();
    std::string one = facts();
    EXPECT_NE(one.find("="), std::string::npos) << "the programs show no facts";
    for (int t = 0; t < kThreads; t++)
        EXPECT_EQ(got[t], one) << "thread " << t;
    civr_result_free(r);
    civr_engine_free(e);
    civr_policy_free(p);
}
