// API misuse (issue 11): every public function of include/civrules/*.h
// called with hostile arguments — NULL for each pointer, indices out of range
// ((size_t)-1 and the count), unknown enum values, empty and unterminated
// texts, dates outside the civil range, objects used after a failed call.
// Each gives its documented error (a code, a catalogue id and a message) or
// its documented NULL / 0 / no-op, and never a crash: CI runs this under
// ASan + UBSan without recovery, where an out-of-bounds read or undefined
// behaviour fails the test. Grouped by header; the last test checks that every
// exported function (lib/civrules.map) is called here.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <functional>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "support/support.h"

namespace {

// The message catalogue (lib/base/messages.def): id -> code.
const std::map<int, int> &catalogue()
{
    static const std::map<int, int> ids = {
#define X(name, id, code, fmt) {id, code},
#include "base/messages.def"
#undef X
    };
    return ids;
}

// `e` is a filled error of the catalogue: its id is listed with its code.
::testing::AssertionResult catalogued(const civr_error &e)
{
    auto it = catalogue().find(e.id);
    if (it == catalogue().end())
        return ::testing::AssertionFailure() << "id " << e.id << " is not in the catalogue";
    if (it->second != e.code)
        return ::testing::AssertionFailure() << "id " << e.id << " has code " << e.code
                                             << ", the catalogue says " << it->second;
    if (!e.message[0])
        return ::testing::AssertionFailure() << "id " << e.id << " without a message";
    return ::testing::AssertionSuccess();
}

} // namespace

// `call` (which passes ERR as its civr_error) fails with `code` and message
// `id` of the catalogue, its message filled in; called again with a NULL
// civr_error it fails the same way.
#define EXPECT_FAILS(code_, id_, ...)                                                            \
    do {                                                                                         \
        civr_error e_ = CIVR_ERROR_INIT;                                                         \
        civr_error *ERR = &e_;                                                                   \
        EXPECT_EQ((__VA_ARGS__), (code_)) << #__VA_ARGS__;                                      \
        EXPECT_EQ(e_.id, (id_)) << #__VA_ARGS__ << ": " << e_.message;                          \
        EXPECT_TRUE(catalogued(e_)) << #__VA_ARGS__;                                             \
        ERR = nullptr;                                                                           \
        EXPECT_EQ((__VA_ARGS__), (code_)) << #__VA_ARGS__ << " (a NULL civr_error)";            \
    } while (0)
#define EXPECT_MISUSE(id_, ...) EXPECT_FAILS(CIVR_EINVAL, id_, __VA_ARGS__)
// `call` fails with some code and a catalogue error (the id depends on the input).
#define EXPECT_SOME_ERROR(...)                                                                   \
    do {                                                                                         \
        civr_error e_ = CIVR_ERROR_INIT;                                                         \
        civr_error *ERR = &e_;                                                                   \
        int rc_ = (__VA_ARGS__);                                                                 \
        EXPECT_LT(rc_, 0) << #__VA_ARGS__;                                                       \
        EXPECT_EQ(e_.code, rc_) << #__VA_ARGS__;                                                 \
        EXPECT_TRUE(catalogued(e_)) << #__VA_ARGS__;                                             \
    } while (0)

namespace {

const size_t kHuge = (size_t)-1;
// Dates outside the years civrules accepts (either end of civr_date), "no
// date" (INT32_MIN), and a negative day number (1969-12-31).
const civr_date kFarDates[] = {INT32_MIN + 1, INT32_MAX, CIVR_DATE_NONE, -1, INT32_MAX - 1};

civr_date day(const char *s)
{
    civr_date d = 0;
    EXPECT_EQ(civr_date_parse(&d, s, strlen(s), nullptr), 0) << s;
    return d;
}

// A copy of `s` in a heap block of exactly its length, with no NUL after it:
// reading one byte too far is an ASan report.
struct Unterminated {
    std::unique_ptr<char[]> bytes;
    size_t len;
    explicit Unterminated(const std::string &s) : bytes(new char[s.size() ? s.size() : 1]), len(s.size())
    {
        memcpy(bytes.get(), s.data(), s.size());
    }
    const char *data() const { return bytes.get(); }
};

// A Guangzhou (440106) household: a pensioner receiving dibao (tests/api/test_api.cc).
const std::string kHousehold = R"({"id": "GZ-MISUSE", "region": "440106", "residence": "urban",
  "members": [{"id": "a", "birth_date": "1950-01-01", "able_to_work": false,
               "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
  "income": [{"member": "a", "kind": "pension", "monthly": "500"}],
  "assets": {"financial": "0"},
  "enrolment": {"dibao": {"since": "2024-03-01", "monthly": "100", "last_review": "2024-03-01"}}})";

// A loaded policy with an engine, a result of kHousehold (traced) and the household.
struct World {
    civr_policy *p = nullptr;
    civr_engine *e = nullptr;
    civr_result *r = nullptr;
    civr_household *hh = nullptr;
    const civr_program_result *pr = nullptr;
    World()
    {
        p = civt::load("policies/cn/guangdong/guangzhou");
        civr_error err = CIVR_ERROR_INIT;
        EXPECT_EQ(civr_engine_new(&e, p, nullptr, &err), 0) << civt::format(err);
        EXPECT_EQ(civr_result_new(&r, &err), 0);
        EXPECT_EQ(civr_household_parse(&hh, p, kHousehold.data(), kHousehold.size(),
                                       CIVR_FORMAT_JSON, "h.json", &err),
                  0)
            << civt::format(err);
        EXPECT_EQ(civr_engine_eval(e, hh, day("2024-08-01"), CIVR_EVAL_TRACE, r, &err), 0)
            << civt::format(err);
        pr = civr_result_find(r, "dibao");
        EXPECT_NE(pr, nullptr);
    }
    ~World()
    {
        civr_household_free(hh);
        civr_result_free(r);
        civr_engine_free(e);
        civr_policy_free(p);
    }
    bool ok() const { return p && e && r && hh && pr; }
};

// `r` renders in every format and language, as one line of JSON or text
// whose length is what it says: what a batch prints for any result.
::testing::AssertionResult renders(civr_result *r)
{
    for (civr_render k : {CIVR_RENDER_JSON, CIVR_RENDER_TEXT, CIVR_RENDER_SUMMARY})
        for (const char *lang : {"zh", "en"}) {
            const char *out = nullptr;
            size_t len = 0;
            civr_error err = CIVR_ERROR_INIT;
            if (civr_result_render(r, k, lang, &out, &len, &err) != 0 || !out || strlen(out) != len)
                return ::testing::AssertionFailure() << "render " << k << " " << lang << ": " << civt::format(err);
        }
    return ::testing::AssertionSuccess();
}

// `s` renders as cases and as months.
::testing::AssertionResult renders(civr_screen *s)
{
    for (civr_screen_render_kind k : {CIVR_SCREEN_RENDER_CASES, CIVR_SCREEN_RENDER_MONTHS}) {
        const char *out = nullptr;
        size_t len = 0;
        civr_error err = CIVR_ERROR_INIT;
        if (civr_screen_render(s, k, &out, &len, &err) != 0 || !out || strlen(out) != len)
            return ::testing::AssertionFailure() << "render " << k << ": " << civt::format(err);
    }
    return ::testing::AssertionSuccess();
}

// An empty folder, removed when the object goes.
struct TempDir {
    std::string path;
    TempDir()
    {
        char t[] = "/tmp/civr-misuse-XXXXXX";
        path = mkdtemp(t) ? t : "";
    }
    ~TempDir() { rmdir(path.c_str()); }
};

} // namespace

/* ---- error.h ----------------------------------------------------------------------- */

TEST(Misuse, ErrorH)
{
    civr_error_clear(nullptr);
    for (int code : {1, -13, INT_MIN, INT_MAX})
        EXPECT_STREQ(civr_code_name(code), "unknown") << code;
    char buf[64];
    EXPECT_EQ(civr_error_format(nullptr, buf, sizeof buf), (int)strlen("error: (none)"));
    EXPECT_STREQ(buf, "error: (none)");

    civr_error err = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_date_parse(nullptr, "x", 1, &err), CIVR_EINVAL);
    int need = civr_error_format(&err, nullptr, 0); // measure only, like snprintf
    EXPECT_GT(need, 0);
    EXPECT_EQ(civr_error_format(&err, nullptr, sizeof buf), need); // no buffer: nothing written
    buf[0] = 'x';
    EXPECT_EQ(civr_error_format(&err, buf, 0), need);
    EXPECT_EQ(buf[0], 'x');
    EXPECT_EQ(civr_error_format(&err, buf, 1), need);
    EXPECT_EQ(buf[0], '\0');

    // a caller's struct whose texts fill their arrays without a NUL: read no further
    civr_error junk;
    memset(&junk, 'x', sizeof junk);
    junk.line = junk.column = 1;
    std::vector<char> out(2048);
    int n = civr_error_format(&junk, out.data(), out.size());
    EXPECT_EQ((size_t)n, strlen(out.data()));
    EXPECT_EQ(std::string(out.data()).find(std::string(CIVR_ERROR_SOURCE_MAX, 'x') + ":1:1: "), 0u);
    EXPECT_EQ((size_t)n, CIVR_ERROR_SOURCE_MAX + strlen(":1:1: error: [CIVR-") +
                             std::to_string(junk.id).size() + strlen("] ") + CIVR_ERROR_MESSAGE_MAX);
}

/* ---- values.h ----------------------------------------------------------------------- */

TEST(Misuse, ValuesH)
{
    civr_free(nullptr);
    civr_date d = 0;
    EXPECT_MISUSE(9001, civr_date_from_ymd(nullptr, 2024, 1, 1, ERR));
    for (auto ymd : std::vector<std::vector<int>>{{INT_MIN, 1, 1}, {INT_MAX, 1, 1}, {2024, 0, 1},
                                                   {2024, 13, 1}, {2024, INT_MIN, 1},
                                                   {2024, 1, 0}, {2024, 1, 32}, {2023, 2, 29},
                                                   {2024, 1, INT_MAX}, {1899, 12, 31}, {2200, 1, 1}})
        EXPECT_FAILS(CIVR_EDATA, 2004, civr_date_from_ymd(&d, ymd[0], ymd[1], ymd[2], ERR));

    civr_date_to_ymd(0, nullptr, nullptr, nullptr);
    for (civr_date far : kFarDates) {
        int y = 0, m = 0, dd = 0;
        civr_date_to_ymd(far, &y, &m, &dd);
        EXPECT_TRUE(m >= 1 && m <= 12 && dd >= 1 && dd <= 31) << far;
        char text[11];
        civr_date_format(far, text);
        EXPECT_EQ(strlen(text), 10u);
        civr_age(far, 0);
        civr_age(0, far);
    }
    EXPECT_EQ(civr_age(INT32_MIN, INT32_MAX), 5881580 + 5877641); // born 06-23, on 07-11
    civr_date_format(0, nullptr); // no buffer: nothing written

    EXPECT_MISUSE(9001, civr_date_parse(nullptr, "2024-01-01", 10, ERR));
    EXPECT_MISUSE(9001, civr_date_parse(&d, nullptr, 10, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2004, civr_date_parse(&d, nullptr, 0, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2004, civr_date_parse(&d, "", 0, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2004, civr_date_parse(&d, "2024-01-01", 9, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2004, civr_date_parse(&d, "2024-02-30", 10, ERR));
    Unterminated date("2024-08-01");
    ASSERT_EQ(civr_date_parse(&d, date.data(), date.len, nullptr), 0);
    EXPECT_EQ(d, day("2024-08-01"));
    Unterminated bad("2024-08-0");
    EXPECT_FAILS(CIVR_EDATA, 2004, civr_date_parse(&d, bad.data(), bad.len, ERR));

    int64_t fen = 7;
    EXPECT_MISUSE(9001, civr_money_parse(nullptr, "1", 1, ERR));
    EXPECT_MISUSE(9001, civr_money_parse(&fen, nullptr, 1, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2005, civr_money_parse(&fen, nullptr, 0, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2005, civr_money_parse(&fen, "", 0, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2005, civr_money_parse(&fen, "1.234", 5, ERR));
    EXPECT_FAILS(CIVR_EDATA, 2005, civr_money_parse(&fen, "99999999999999999999", 20, ERR));
    EXPECT_EQ(fen, 7); // untouched by the failures
    Unterminated money("12.345");
    ASSERT_EQ(civr_money_parse(&fen, money.data(), 4, nullptr), 0); // "12.3"
    EXPECT_EQ(fen, 1230);

    char buf[32];
    EXPECT_EQ(civr_money_format(INT64_MIN, nullptr), (int)strlen("-92233720368547758.08"));
    EXPECT_EQ(civr_money_format(INT64_MAX, buf), (int)strlen("92233720368547758.07"));
}

/* ---- household.h ------------------------------------------------------------------- */

TEST(Misuse, HouseholdH)
{
    World w;
    ASSERT_TRUE(w.ok());
    const std::string &t = kHousehold;
    civr_household *hh = nullptr;
    EXPECT_MISUSE(9001, civr_household_parse(nullptr, w.p, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_household_parse(&hh, nullptr, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_household_parse(&hh, w.p, nullptr, 5, CIVR_FORMAT_AUTO, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_household_parse(nullptr, nullptr, nullptr, 5, CIVR_FORMAT_AUTO, nullptr, ERR));
    for (int f : {3, 99, -1})
        EXPECT_MISUSE(9009, civr_household_parse(&hh, w.p, t.data(), t.size(), (civr_format)f, nullptr, ERR));
    for (civr_format f : {CIVR_FORMAT_AUTO, CIVR_FORMAT_JSON, CIVR_FORMAT_YAML}) {
        EXPECT_SOME_ERROR(civr_household_parse(&hh, w.p, nullptr, 0, f, nullptr, ERR));
        EXPECT_SOME_ERROR(civr_household_parse(&hh, w.p, "", 0, f, nullptr, ERR));
        EXPECT_SOME_ERROR(civr_household_parse(&hh, w.p, "{", 1, f, nullptr, ERR));
        EXPECT_EQ(hh, nullptr);
    }
    Unterminated text(t);
    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_household_parse(&hh, w.p, text.data(), text.len, CIVR_FORMAT_AUTO, nullptr, &err), 0)
        << civt::format(err);
    EXPECT_STREQ(civr_household_id(hh), "GZ-MISUSE");
    civr_household_free(hh);
    // cut anywhere: an error, never a read past the end
    for (size_t n = 0; n < text.len; n += 7)
        EXPECT_SOME_ERROR(civr_household_parse(&hh, w.p, text.data(), n, CIVR_FORMAT_AUTO, nullptr, ERR));

    civr_household_free(nullptr);
    EXPECT_EQ(civr_household_id(nullptr), nullptr);
    EXPECT_EQ(civr_household_member_count(nullptr), 0u);
    EXPECT_EQ(civr_household_member_id(nullptr, 0), nullptr);
    EXPECT_EQ(civr_household_member_count(w.hh), 1u);
    EXPECT_STREQ(civr_household_member_id(w.hh, 0), "a");
    EXPECT_EQ(civr_household_member_id(w.hh, 1), nullptr);
    EXPECT_EQ(civr_household_member_id(w.hh, kHuge), nullptr);
}

TEST(Misuse, HouseholdHBuilder)
{
    World w;
    ASSERT_TRUE(w.ok());
    civr_builder *b = nullptr;
    EXPECT_MISUSE(9001, civr_builder_new(nullptr, w.p, ERR));
    EXPECT_MISUSE(9001, civr_builder_new(&b, nullptr, ERR));
    civr_builder_free(nullptr);
    civr_builder_reset(nullptr);
    EXPECT_MISUSE(9001, civr_builder_begin(nullptr, "members", nullptr, ERR));
    EXPECT_MISUSE(9001, civr_builder_end(nullptr, ERR));
    EXPECT_MISUSE(9001, civr_builder_set_string(nullptr, "id", "x", ERR));
    EXPECT_MISUSE(9001, civr_builder_set_int(nullptr, "id", 1, ERR));
    EXPECT_MISUSE(9001, civr_builder_set_bool(nullptr, "id", 1, ERR));
    EXPECT_MISUSE(9001, civr_builder_set_money(nullptr, "id", 1, ERR));
    EXPECT_MISUSE(9001, civr_builder_set_date(nullptr, "id", 2024, 1, 1, ERR));
    civr_household *hh = nullptr;
    EXPECT_MISUSE(9001, civr_builder_finish(nullptr, nullptr, ERR));

    ASSERT_EQ(civr_builder_new(&b, w.p, nullptr), 0);
    EXPECT_MISUSE(9001, civr_builder_finish(nullptr, b, ERR));
    EXPECT_MISUSE(9001, civr_builder_finish(&hh, nullptr, ERR));
    // each misuse of a working builder; after it, every call reports that first
    // error until a reset (finish resets as well)
    struct Case {
        int id;
        std::function<int(civr_builder *, civr_error *)> call;
    };
    const std::vector<Case> cases = {
        {9016, [](civr_builder *b, civr_error *e) { return civr_builder_begin(b, nullptr, nullptr, e); }},
        {9016, [](civr_builder *b, civr_error *e) { return civr_builder_set_string(b, nullptr, "x", e); }},
        {9016, [](civr_builder *b, civr_error *e) { return civr_builder_set_int(b, nullptr, 1, e); }},
        {9016, [](civr_builder *b, civr_error *e) { return civr_builder_set_bool(b, nullptr, 1, e); }},
        {9016, [](civr_builder *b, civr_error *e) { return civr_builder_set_money(b, nullptr, 1, e); }},
        {9016, [](civr_builder *b, civr_error *e) { return civr_builder_set_date(b, nullptr, 2024, 1, 1, e); }},
        {9017, [](civr_builder *b, civr_error *e) { return civr_builder_set_string(b, "id", nullptr, e); }},
        {9020, [](civr_builder *b, civr_error *e) { return civr_builder_begin(b, "enrolment", nullptr, e); }},
        {9021, [](civr_builder *b, civr_error *e) { return civr_builder_begin(b, "members", "k", e); }},
        {9019, [](civr_builder *b, civr_error *e) { return civr_builder_begin(b, "id", nullptr, e); }},
        {9022, [](civr_builder *b, civr_error *e) { return civr_builder_end(b, e); }},
        {2004, [](civr_builder *b, civr_error *e) { return civr_builder_set_date(b, "id", INT_MIN, 0, INT_MAX, e); }},
        {2004, [](civr_builder *b, civr_error *e) { return civr_builder_set_date(b, "id", 2023, 2, 29, e); }},
    };
    for (const Case &c : cases) {
        civr_error err = CIVR_ERROR_INIT;
        int rc = c.call(b, &err);
        EXPECT_LT(rc, 0) << c.id;
        EXPECT_EQ(err.id, c.id) << err.message;
        EXPECT_TRUE(catalogued(err));
        civr_error again = CIVR_ERROR_INIT;
        EXPECT_EQ(civr_builder_set_string(b, "id", "x", &again), rc);
        EXPECT_EQ(again.id, c.id);
        EXPECT_EQ(civr_builder_end(b, nullptr), rc);
        civr_builder_reset(b);
        EXPECT_EQ(civr_builder_set_string(b, "id", "x", nullptr), 0) << c.id;
        civr_builder_reset(b);
    }
    // a record left open, then the builder builds the next household
    ASSERT_EQ(civr_builder_begin(b, "members", nullptr, nullptr), 0);
    civr_error open = CIVR_ERROR_INIT;
    EXPECT_EQ(civr_builder_finish(&hh, b, &open), CIVR_EINVAL);
    EXPECT_EQ(open.id, 9023);
    EXPECT_EQ(hh, nullptr);
    ASSERT_EQ(civr_builder_set_string(b, "id", "B", nullptr), 0);
    EXPECT_SOME_ERROR(civr_builder_finish(&hh, b, ERR)); // no members: refused, not a crash
    EXPECT_EQ(hh, nullptr);
    civr_builder_free(b);
}

/* ---- policy.h ---------------------------------------------------------------------- */

TEST(Misuse, PolicyHLoad)
{
    civr_policy *p = reinterpret_cast<civr_policy *>(1);
    EXPECT_MISUSE(9001, civr_policy_load(nullptr, "policies/cn", nullptr, ERR));
    EXPECT_MISUSE(9001, civr_policy_load(&p, nullptr, nullptr, ERR));
    EXPECT_EQ(p, nullptr);
    EXPECT_MISUSE(9001, civr_policy_load(nullptr, nullptr, nullptr, ERR));
    EXPECT_FAILS(CIVR_EIO, 4001, civr_policy_load(&p, "", nullptr, ERR));
    EXPECT_FAILS(CIVR_EIO, 4001, civr_policy_load(&p, "/nonexistent/bundle", nullptr, ERR));
    EXPECT_EQ(p, nullptr);
    civr_policy_free(nullptr);

    civr_diagnostics *d = nullptr;
    EXPECT_MISUSE(9001, civr_diagnostics_new(nullptr, ERR));
    civr_diagnostics_free(nullptr);
    EXPECT_EQ(civr_diagnostics_count(nullptr), 0u);
    EXPECT_EQ(civr_diagnostics_error_count(nullptr), 0u);
    EXPECT_EQ(civr_diagnostics_get(nullptr, 0, nullptr), nullptr);
    size_t len = 9;
    EXPECT_EQ(civr_diagnostics_json(nullptr, &len), nullptr);
    ASSERT_EQ(civr_diagnostics_new(&d, nullptr), 0);
    const char *json = civr_diagnostics_json(d, &len);
    ASSERT_NE(json, nullptr); // empty text, not "out of memory"
    EXPECT_STREQ(json, "");
    EXPECT_EQ(len, 0u);
    EXPECT_MISUSE(9001, civr_policy_check(&p, "policies/cn", nullptr, nullptr, ERR));
    // a problem found before any file is read is collected too
    for (const char *dir : {(const char *)nullptr, "", "/nonexistent/bundle"}) {
        EXPECT_SOME_ERROR(civr_policy_check(&p, dir, nullptr, d, ERR));
        EXPECT_EQ(p, nullptr);
        ASSERT_EQ(civr_diagnostics_count(d), 1u) << (dir ? dir : "NULL");
        EXPECT_EQ(civr_diagnostics_error_count(d), 1u);
        civr_severity sev = CIVR_SEVERITY_WARNING;
        const civr_error *e = civr_diagnostics_get(d, 0, &sev);
        ASSERT_NE(e, nullptr);
        EXPECT_TRUE(catalogued(*e));
        EXPECT_EQ(sev, CIVR_SEVERITY_ERROR);
        EXPECT_EQ(civr_diagnostics_get(d, 0, nullptr), e);
        EXPECT_EQ(civr_diagnostics_get(d, 1, &sev), nullptr);
        EXPECT_EQ(civr_diagnostics_get(d, kHuge, &sev), nullptr);
        EXPECT_NE(civr_diagnostics_json(d, nullptr), nullptr);
    }
    civr_limits bad = CIVR_LIMITS_INIT;
    bad.version = 99;
    EXPECT_MISUSE(9004, civr_policy_check(nullptr, "policies/cn", &bad, d, ERR));
    EXPECT_EQ(civr_diagnostics_count(d), 1u);
    civr_diagnostics_free(d);
}

TEST(Misuse, PolicyHGetters)
{
    // NULL policy: NULL or 0
    EXPECT_EQ(civr_policy_id(nullptr), nullptr);
    EXPECT_EQ(civr_policy_version(nullptr), nullptr);
    EXPECT_EQ(civr_policy_title(nullptr, "zh"), nullptr);
    EXPECT_EQ(civr_policy_digest(nullptr), nullptr);
    EXPECT_EQ(civr_policy_layer_count(nullptr), 0u);
    EXPECT_EQ(civr_policy_layer_id(nullptr, 0), nullptr);
    EXPECT_EQ(civr_policy_program_count(nullptr), 0u);
    EXPECT_EQ(civr_policy_program_id(nullptr, 0), nullptr);
    EXPECT_EQ(civr_policy_program_title(nullptr, 0, "en"), nullptr);
    EXPECT_EQ(civr_policy_region_count(nullptr), 0u);
    EXPECT_EQ(civr_policy_region(nullptr, 0), nullptr);
    EXPECT_EQ(civr_policy_governs(nullptr, "440106"), 0);
    EXPECT_EQ(civr_policy_describe(nullptr), nullptr);

    World w;
    ASSERT_TRUE(w.ok());
    const civr_policy *p = w.p;
    // indices out of range: the count itself and (size_t)-1
    struct Indexed {
        const char *name;
        size_t count;
        std::function<const char *(size_t)> get;
    };
    const std::vector<Indexed> indexed = {
        {"civr_policy_layer_id", civr_policy_layer_count(p), [&](size_t i) { return civr_policy_layer_id(p, i); }},
        {"civr_policy_program_id", civr_policy_program_count(p), [&](size_t i) { return civr_policy_program_id(p, i); }},
        {"civr_policy_program_title", civr_policy_program_count(p),
         [&](size_t i) { return civr_policy_program_title(p, i, nullptr); }},
        {"civr_policy_region", civr_policy_region_count(p), [&](size_t i) { return civr_policy_region(p, i); }},
    };
    for (const Indexed &g : indexed) {
        ASSERT_GT(g.count, 0u) << g.name;
        EXPECT_NE(g.get(g.count - 1), nullptr) << g.name;
        EXPECT_EQ(g.get(g.count), nullptr) << g.name;
        EXPECT_EQ(g.get(kHuge), nullptr) << g.name;
    }
    // lang NULL or unknown: Chinese
    EXPECT_STREQ(civr_policy_title(p, nullptr), civr_policy_title(p, "zh"));
    EXPECT_STREQ(civr_policy_title(p, "fr"), civr_policy_title(p, "zh"));
    EXPECT_STREQ(civr_policy_program_title(p, 0, "fr"), civr_policy_program_title(p, 0, "zh"));
    for (const char *r : {(const char *)nullptr, "", "4401", "4401061", "44010a", "4401060000000",
                          "abcdef", "\xff\xfe\xfd\xfc\xfb\xfa"})
        EXPECT_EQ(civr_policy_governs(p, r), 0) << (r ? r : "NULL");
    EXPECT_EQ(civr_policy_governs(p, "440106001001"), 4); // a village code: its city

    EXPECT_MISUSE(9001, civr_policy_check_region(nullptr, "440106", ERR));
    EXPECT_FAILS(CIVR_EDATA, 7001, civr_policy_check_region(p, nullptr, ERR));
    EXPECT_FAILS(CIVR_EDATA, 7003, civr_policy_check_region(p, "", ERR));
    EXPECT_FAILS(CIVR_EDATA, 7003, civr_policy_check_region(p, "44010x", ERR));
    EXPECT_FAILS(CIVR_EDATA, 7002, civr_policy_check_region(p, "110101", ERR));

    civr_date out = 5;
    EXPECT_MISUSE(9001, civr_policy_add_working_days(nullptr, 0, 1, &out, ERR));
    EXPECT_MISUSE(9001, civr_policy_add_working_days(p, 0, 1, nullptr, ERR));
    for (civr_date far : {INT32_MIN, INT32_MIN + 1, -1, INT32_MAX - 2})
        EXPECT_FAILS(CIVR_EEVAL, 7006, civr_policy_add_working_days(p, far, 1, &out, ERR));
    EXPECT_FAILS(CIVR_EEVAL, 7006, civr_policy_add_working_days(p, day("2024-08-01"), UINT32_MAX, &out, ERR));
    EXPECT_MISUSE(9007, civr_policy_add_working_days(p, INT32_MAX, 1, &out, ERR));
    EXPECT_EQ(out, 5);
    ASSERT_EQ(civr_policy_add_working_days(p, INT32_MAX, 0, &out, nullptr), 0); // nothing to add
    EXPECT_EQ(out, INT32_MAX);

    EXPECT_MISUSE(9001, civr_policy_newest_value(nullptr, &out, ERR));
    EXPECT_MISUSE(9001, civr_policy_newest_value(p, nullptr, ERR));

    char *text = reinterpret_cast<char *>(1);
    EXPECT_MISUSE(9001, civr_policy_needs(nullptr, CIVR_DATE_NONE, CIVR_DATE_NONE, &text, ERR));
    EXPECT_MISUSE(9001, civr_policy_needs(p, CIVR_DATE_NONE, CIVR_DATE_NONE, nullptr, ERR));
    for (civr_date from : kFarDates)
        for (civr_date until : kFarDates) {
            civr_error err = CIVR_ERROR_INIT;
            ASSERT_EQ(civr_policy_needs(p, from, until, &text, &err), 0) << from << " " << until << civt::format(err);
            ASSERT_NE(text, nullptr);
            EXPECT_NE(strstr(text, "cn/guangdong/guangzhou"), nullptr);
            civr_free(text);
        }
}

/* ---- engine.h ---------------------------------------------------------------------- */

TEST(Misuse, EngineHEvaluate)
{
    World w;
    ASSERT_TRUE(w.ok());
    civr_engine *e = nullptr;
    EXPECT_MISUSE(9001, civr_engine_new(&e, nullptr, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_engine_new(nullptr, w.p, nullptr, ERR));
    civr_engine_options o = CIVR_ENGINE_OPTIONS_INIT;
    for (unsigned v : {0u, 2u, UINT_MAX}) {
        o.version = v;
        EXPECT_MISUSE(9004, civr_engine_new(&e, w.p, &o, ERR));
        EXPECT_EQ(e, nullptr);
    }
    civr_engine_free(nullptr);
    civr_result *r = nullptr;
    EXPECT_MISUSE(9001, civr_result_new(nullptr, ERR));
    civr_result_free(nullptr);
    ASSERT_EQ(civr_result_new(&r, nullptr), 0);

    civr_date on = day("2024-08-01");
    EXPECT_MISUSE(9001, civr_engine_eval(nullptr, w.hh, on, 0, r, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval(w.e, nullptr, on, 0, r, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval(w.e, w.hh, on, 0, nullptr, ERR));
    // every date and every flag bit: an answer or an error record, never a crash
    for (civr_date far : kFarDates)
        for (unsigned flags : {0u, ~0u}) {
            civr_error err = CIVR_ERROR_INIT;
            int rc = civr_engine_eval(w.e, w.hh, far, flags, r, &err);
            if (rc) {
                EXPECT_TRUE(catalogued(err)) << far;
                ASSERT_NE(civr_result_error(r), nullptr);
                EXPECT_TRUE(catalogued(*civr_result_error(r)));
            }
            EXPECT_EQ(civr_result_date(r), far);
            EXPECT_TRUE(renders(r)) << far;
        }
    // a household of another policy: an error record naming the misuse
    civr_policy *other = civt::load("policies/cn/hunan/changde/jinshi");
    ASSERT_NE(other, nullptr);
    civr_engine *oe = nullptr;
    ASSERT_EQ(civr_engine_new(&oe, other, nullptr, nullptr), 0);
    EXPECT_MISUSE(2016, civr_engine_eval(oe, w.hh, on, 0, r, ERR));
    ASSERT_NE(civr_result_error(r), nullptr);
    EXPECT_EQ(civr_result_error(r)->id, 2016);
    EXPECT_STREQ(civr_result_household(r), "GZ-MISUSE");
    civr_engine_free(oe);
    civr_policy_free(other);

    const std::string &t = kHousehold;
    Unterminated text(t);
    EXPECT_MISUSE(9001, civr_engine_eval_text(nullptr, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, on, 0, r, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_text(w.e, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, on, 0, r, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_text(w.e, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, on, 0, nullptr, ERR));
    EXPECT_MISUSE(9009, civr_engine_eval_text(w.e, t.data(), t.size(), (civr_format)7, nullptr, on, 0, r, ERR));
    EXPECT_SOME_ERROR(civr_engine_eval_text(w.e, nullptr, 0, CIVR_FORMAT_AUTO, nullptr, on, 0, r, ERR));
    EXPECT_NE(civr_result_error(r), nullptr); // the parse error is the result's
    EXPECT_SOME_ERROR(civr_engine_eval_text(w.e, "", 0, CIVR_FORMAT_JSON, nullptr, on, 0, r, ERR));
    EXPECT_EQ(civr_engine_eval_text(w.e, text.data(), text.len, CIVR_FORMAT_AUTO, nullptr, on, 0, r, nullptr), 0);
    EXPECT_GT(civr_result_total_monthly(r), 0);

    const char *json = "x";
    size_t len = 0;
    EXPECT_MISUSE(9001, civr_engine_eval_json(nullptr, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, &len, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_json(w.e, nullptr, 3, CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, &len, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_json(w.e, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, on, 0, nullptr, &json, &len, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_json(w.e, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, on, 0, r, nullptr, &len, ERR));
    EXPECT_MISUSE(9009, civr_engine_eval_json(w.e, t.data(), t.size(), (civr_format)-3, nullptr, on, 0, r, &json, &len, ERR));
    EXPECT_EQ(json, nullptr);
    EXPECT_SOME_ERROR(civr_engine_eval_json(w.e, "", 0, CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, nullptr, ERR));
    ASSERT_NE(json, nullptr); // the error record
    EXPECT_NE(strstr(json, "\"error\""), nullptr) << json;
    ASSERT_EQ(civr_engine_eval_json(w.e, text.data(), text.len, CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, &len, nullptr), 0);
    EXPECT_EQ(strlen(json), len);

    const char *texts[] = {text.data(), nullptr, "", "{"};
    const size_t lens[] = {text.len, 5, 0, 1};
    size_t failed = 99;
    EXPECT_MISUSE(9001, civr_engine_eval_batch(nullptr, texts, lens, 4, CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_batch(w.e, nullptr, lens, 4, CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_batch(w.e, texts, nullptr, 4, CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, nullptr, on, 0, nullptr, &json, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_eval_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, nullptr, on, 0, r, nullptr, &len, &failed, ERR));
    EXPECT_MISUSE(9009, civr_engine_eval_batch(w.e, texts, lens, 4, (civr_format)3, nullptr, on, 0, r, &json, &len, &failed, ERR));
    // no texts: no lines
    ASSERT_EQ(civr_engine_eval_batch(w.e, nullptr, nullptr, 0, CIVR_FORMAT_AUTO, nullptr, on, 0, r, &json, &len, &failed, nullptr), 0);
    EXPECT_STREQ(json, "");
    EXPECT_EQ(len, 0u);
    EXPECT_EQ(failed, 0u);
    // a NULL text, an empty one, a broken one: each its own row's error record
    ASSERT_EQ(civr_engine_eval_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, "b", on, 0, r, &json, &len, nullptr, nullptr), 0);
    ASSERT_EQ(civr_engine_eval_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, "b", on, 0, r, &json, &len, &failed, nullptr), 0);
    EXPECT_EQ(failed, 3u);
    std::string lines(json, len);
    EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 4);
    EXPECT_NE(lines.find("\"b:2\""), std::string::npos) << lines;
    civr_result_free(r);
}

TEST(Misuse, EngineHResults)
{
    // NULL result and NULL program result: NULL, 0 or CIVR_EINVAL
    const civr_result *nr = nullptr;
    const civr_program_result *np = nullptr;
    EXPECT_EQ(civr_result_household(nr), nullptr);
    EXPECT_EQ(civr_result_date(nr), 0);
    EXPECT_EQ(civr_result_error(nr), nullptr);
    EXPECT_EQ(civr_result_total_monthly(nr), 0);
    EXPECT_EQ(civr_result_program_count(nr), 0u);
    EXPECT_EQ(civr_result_program(nr, 0), nullptr);
    EXPECT_EQ(civr_result_find(nr, "dibao"), nullptr);
    EXPECT_EQ(civr_result_trace_count(nr), 0u);
    EXPECT_EQ(civr_result_trace_step(nr, 0, nullptr, nullptr, nullptr, nullptr, nullptr), CIVR_EINVAL);
    const char *out = "x";
    size_t len = 0;
    EXPECT_MISUSE(9001, civr_result_trace_json(nullptr, 0, &out, &len, ERR));
    EXPECT_EQ(civr_result_log_count(nr), 0u);
    EXPECT_EQ(civr_result_log(nr, 0, nullptr, nullptr, nullptr, nullptr, nullptr), CIVR_EINVAL);
    EXPECT_EQ(civr_result_log_dropped(nr), 0u);
    EXPECT_MISUSE(9001, civr_result_render(nullptr, CIVR_RENDER_JSON, nullptr, &out, &len, ERR));
    EXPECT_EQ(civr_program_result_id(np), nullptr);
    EXPECT_EQ(civr_program_result_status(np), CIVR_STATUS_UNDETERMINED);
    EXPECT_EQ(civr_program_result_monthly(np), 0);
    EXPECT_EQ(civr_program_result_member_count(np), 0u);
    EXPECT_EQ(civr_program_result_member(np, 0, nullptr, nullptr, nullptr), CIVR_EINVAL);
    EXPECT_EQ(civr_program_result_member_status(np, 0), CIVR_STATUS_UNDETERMINED);
    EXPECT_EQ(civr_program_result_member_reason_count(np, 0), 0u);
    EXPECT_EQ(civr_program_result_member_reason(np, 0, 0, nullptr, nullptr, nullptr, nullptr), CIVR_EINVAL);
    EXPECT_EQ(civr_program_result_member_missing_count(np, 0), 0u);
    EXPECT_EQ(civr_program_result_member_missing(np, 0, 0), nullptr);
    EXPECT_EQ(civr_program_result_reason_count(np), 0u);
    EXPECT_EQ(civr_program_result_reason(np, 0, nullptr, nullptr, nullptr, nullptr), CIVR_EINVAL);
    EXPECT_EQ(civr_program_result_error(np), nullptr);
    EXPECT_EQ(civr_program_result_missing_count(np), 0u);
    EXPECT_EQ(civr_program_result_missing(np, 0), nullptr);
    EXPECT_EQ(civr_program_result_fact_count(np), 0u);
    EXPECT_EQ(civr_program_result_fact(np, 0, nullptr, nullptr), CIVR_EINVAL);
    for (int s : {-1, 7, 99, INT_MAX})
        EXPECT_STREQ(civr_status_name((civr_status)s), "unknown");

    // a result never evaluated into: empty, and it renders
    civr_result *fresh = nullptr;
    ASSERT_EQ(civr_result_new(&fresh, nullptr), 0);
    EXPECT_EQ(civr_result_household(fresh), nullptr);
    EXPECT_EQ(civr_result_error(fresh), nullptr);
    EXPECT_EQ(civr_result_program_count(fresh), 0u);
    EXPECT_EQ(civr_result_program(fresh, 0), nullptr);
    EXPECT_EQ(civr_result_find(fresh, "dibao"), nullptr);
    EXPECT_MISUSE(9010, civr_result_trace_json(fresh, 0, &out, &len, ERR));
    EXPECT_TRUE(renders(fresh));

    World w;
    ASSERT_TRUE(w.ok());
    civr_error filled = CIVR_ERROR_INIT, empty = CIVR_ERROR_INIT;
    civr_result_render(fresh, (civr_render)99, nullptr, &out, &len, &filled);
    ASSERT_NE(filled.id, 0);
    EXPECT_MISUSE(9001, civr_result_set_error(nullptr, w.p, 0, "h", &filled, ERR));
    EXPECT_MISUSE(9001, civr_result_set_error(fresh, nullptr, 0, "h", &filled, ERR));
    EXPECT_MISUSE(9001, civr_result_set_error(fresh, w.p, 0, "h", nullptr, ERR));
    EXPECT_MISUSE(9001, civr_result_set_error(fresh, w.p, 0, "h", &empty, ERR));
    for (civr_date far : kFarDates) {
        ASSERT_EQ(civr_result_set_error(fresh, w.p, far, nullptr, &filled, nullptr), 0);
        EXPECT_EQ(civr_result_household(fresh), nullptr);
        EXPECT_EQ(civr_result_error(fresh)->id, filled.id);
        EXPECT_EQ(civr_result_program_count(fresh), 0u);
        EXPECT_EQ(civr_result_trace_count(fresh), 0u);
        EXPECT_TRUE(renders(fresh)) << far;
    }
    // a caller's error whose texts fill their arrays without a NUL, and an id
    // and code of no catalogue: rendered without reading past the struct
    civr_error junk;
    memset(&junk, 'x', sizeof junk);
    junk.code = CIVR_EIO;
    ASSERT_EQ(civr_result_set_error(fresh, w.p, 0, "h", &junk, nullptr), 0);
    for (civr_render k : {CIVR_RENDER_JSON, CIVR_RENDER_TEXT, CIVR_RENDER_SUMMARY}) {
        ASSERT_EQ(civr_result_render(fresh, k, "en", &out, &len, nullptr), 0) << k;
        EXPECT_NE(std::string(out, len).find(std::string(CIVR_ERROR_MESSAGE_MAX, 'x')), std::string::npos);
    }
    civr_result_free(fresh);

    // a real result: bad indices, bad enums, bad languages
    civr_result *r = w.r;
    EXPECT_EQ(civr_result_find(r, nullptr), nullptr);
    EXPECT_EQ(civr_result_find(r, ""), nullptr);
    EXPECT_EQ(civr_result_find(r, "no such program"), nullptr);
    size_t np_ = civr_result_program_count(r);
    ASSERT_GT(np_, 0u);
    EXPECT_EQ(civr_result_program(r, np_), nullptr);
    EXPECT_EQ(civr_result_program(r, kHuge), nullptr);
    size_t steps = civr_result_trace_count(r);
    ASSERT_GT(steps, 0u);
    for (size_t i : {steps, kHuge}) {
        EXPECT_EQ(civr_result_trace_step(r, i, &out, &out, &out, &out, &out), CIVR_EINVAL);
        EXPECT_MISUSE(9010, civr_result_trace_json(r, i, &out, &len, ERR));
        EXPECT_EQ(civr_result_log(r, i, &out, &out, &out, &len, nullptr), CIVR_EINVAL);
    }
    EXPECT_EQ(civr_result_trace_step(r, 0, nullptr, nullptr, nullptr, nullptr, nullptr), 0);
    EXPECT_MISUSE(9001, civr_result_trace_json(r, 0, nullptr, &len, ERR));
    ASSERT_EQ(civr_result_trace_json(r, 0, &out, nullptr, nullptr), 0);
    EXPECT_MISUSE(9001, civr_result_render(r, CIVR_RENDER_JSON, nullptr, nullptr, &len, ERR));
    for (int k : {3, -1, 99})
        EXPECT_MISUSE(9009, civr_result_render(r, (civr_render)k, nullptr, &out, &len, ERR));
    for (const char *lang : {"", "ZH", "en ", "\xff"})
        EXPECT_MISUSE(9008, civr_result_render(r, CIVR_RENDER_TEXT, lang, &out, &len, ERR));

    const civr_program_result *pr = w.pr, *pm = nullptr; // pm: a program with member lines
    for (size_t i = 0; i < np_ && !pm; i++)
        if (civr_program_result_member_count(civr_result_program(r, i)))
            pm = civr_result_program(r, i);
    ASSERT_NE(pm, nullptr);
    size_t m = civr_program_result_member_count(pm), reasons = civr_program_result_reason_count(pr),
           facts = civr_program_result_fact_count(pr);
    ASSERT_GT(reasons, 0u);
    ASSERT_GT(facts, 0u);
    EXPECT_EQ(civr_program_result_member(pm, 0, nullptr, nullptr, nullptr), 0);
    EXPECT_EQ(civr_program_result_reason(pr, 0, nullptr, nullptr, nullptr, nullptr), 0);
    EXPECT_EQ(civr_program_result_fact(pr, 0, nullptr, nullptr), 0);
    for (size_t i : {m, kHuge}) {
        EXPECT_EQ(civr_program_result_member(pm, i, &out, nullptr, &out), CIVR_EINVAL);
        EXPECT_EQ(civr_program_result_member_status(pm, i), CIVR_STATUS_UNDETERMINED);
        EXPECT_EQ(civr_program_result_member_reason_count(pm, i), 0u);
        EXPECT_EQ(civr_program_result_member_reason(pm, i, 0, &out, &out, &out, &out), CIVR_EINVAL);
        EXPECT_EQ(civr_program_result_member_missing_count(pm, i), 0u);
        EXPECT_EQ(civr_program_result_member_missing(pm, i, 0), nullptr);
    }
    size_t k0 = civr_program_result_member_reason_count(pm, 0);
    EXPECT_EQ(civr_program_result_member_reason(pm, 0, k0, &out, &out, &out, &out), CIVR_EINVAL);
    EXPECT_EQ(civr_program_result_member_reason(pm, 0, kHuge, &out, &out, &out, &out), CIVR_EINVAL);
    EXPECT_EQ(civr_program_result_member_missing(pm, 0, civr_program_result_member_missing_count(pm, 0)), nullptr);
    EXPECT_EQ(civr_program_result_member_missing(pm, 0, kHuge), nullptr);
    for (size_t i : {reasons, kHuge})
        EXPECT_EQ(civr_program_result_reason(pr, i, &out, &out, &out, &out), CIVR_EINVAL);
    for (size_t i : {facts, kHuge})
        EXPECT_EQ(civr_program_result_fact(pr, i, &out, &out), CIVR_EINVAL);
    EXPECT_EQ(civr_program_result_missing(pr, civr_program_result_missing_count(pr)), nullptr);
    EXPECT_EQ(civr_program_result_missing(pr, kHuge), nullptr);
}

// Limits at their extremes (every field its type's largest, or for
// max_depth, max_expr_depth and max_members the ceiling civr_limits.h
// documents; a negative money cap, which means the default) load, evaluate
// and run hooks as the defaults do: Yiwu's dibao has Lua hooks. The answer is the bundle's own
// test case YW-T01 (policies/cn/zhejiang/jinhua/yiwu/tests/dibao.yaml:
// 1050 x 2 - 700 = 1400 yuan, 民发〔2021〕57号 第十四条); far dates give an
// answer or an error record.
TEST(Misuse, LimitsAtTheirExtremes)
{
    for (int64_t max_fen : {INT64_MAX, INT64_MIN}) {
        civr_limits l = {CIVR_LIMITS_VERSION, SIZE_MAX, CIVR_LIMITS_DEPTH_MAX, UINT32_MAX,
                         CIVR_LIMITS_MEMBERS_MAX, UINT32_MAX, CIVR_LIMITS_EXPR_DEPTH_MAX,
                         UINT64_MAX, SIZE_MAX, UINT32_MAX, UINT32_MAX, max_fen};
        civr_load_options lo = CIVR_LOAD_OPTIONS_INIT;
        lo.limits = &l;
        civr_policy *p = nullptr;
        civr_error err = CIVR_ERROR_INIT;
        ASSERT_EQ(civr_policy_load(&p, "policies/cn/zhejiang/jinhua/yiwu", &lo, &err), 0) << civt::format(err);
        civr_engine_options eo = CIVR_ENGINE_OPTIONS_INIT;
        eo.limits = &l;
        civr_engine *e = nullptr;
        civr_result *r = nullptr;
        ASSERT_EQ(civr_engine_new(&e, p, &eo, &err), 0) << civt::format(err);
        ASSERT_EQ(civr_result_new(&r, nullptr), 0);
        const std::string h = R"({"id": "YW-T01", "residence": "urban", "members": [
            {"id": "m1", "birth_date": "1960-01-01", "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]},
            {"id": "m2", "birth_date": "1962-01-01", "supporters": [{"relation": "child", "birth_date": "1985-01-01"}]}],
          "income": [{"member": "m1", "kind": "pension", "monthly": "700"}], "assets": {"financial": "0"}})";
        ASSERT_EQ(civr_engine_eval_text(e, h.data(), h.size(), CIVR_FORMAT_JSON, "h", day("2023-06-01"), 0, r, &err), 0)
            << civt::format(err);
        EXPECT_EQ(civr_program_result_monthly(civr_result_find(r, "dibao")), 140000);
        for (civr_date far : kFarDates) {
            civr_error e2 = CIVR_ERROR_INIT;
            if (civr_engine_eval_text(e, h.data(), h.size(), CIVR_FORMAT_JSON, "h", far, CIVR_EVAL_TRACE, r, &e2)) {
                EXPECT_TRUE(catalogued(e2)) << far;
            }
            EXPECT_TRUE(renders(r)) << far;
        }
        civr_result_free(r);
        civr_engine_free(e);
        civr_policy_free(p);
    }
}

/* ---- screen.h ---------------------------------------------------------------------- */

TEST(Misuse, ScreenH)
{
    for (int c : {-1, 5, 99})
        EXPECT_STREQ(civr_screen_category_name((civr_screen_category)c), "unknown");
    civr_screen *s = nullptr;
    EXPECT_MISUSE(9001, civr_screen_new(nullptr, ERR));
    civr_screen_free(nullptr);
    // NULL screen
    const civr_screen *ns = nullptr;
    EXPECT_EQ(civr_screen_household(ns), nullptr);
    EXPECT_EQ(civr_screen_region(ns), nullptr);
    EXPECT_EQ(civr_screen_error(ns), nullptr);
    EXPECT_EQ(civr_screen_case_count(ns), 0u);
    EXPECT_EQ(civr_screen_case_reason_count(ns, 0), 0u);
    EXPECT_EQ(civr_screen_case_missing_count(ns, 0), 0u);
    EXPECT_EQ(civr_screen_case_missing(ns, 0, 0), nullptr);
    EXPECT_EQ(civr_screen_application_count(ns), 0u);
    civr_case c{};
    const char *out = nullptr;
    size_t len = 0;
    EXPECT_MISUSE(9001, civr_screen_case(ns, 0, &c, ERR));
    EXPECT_MISUSE(9001, civr_screen_case_reason(ns, 0, 0, &out, &out, &out, &out, ERR));
    EXPECT_MISUSE(9001, civr_screen_case_month(ns, 0, 0, nullptr, nullptr, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_screen_application(ns, 0, &out, &out, nullptr, nullptr, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_screen_render(nullptr, CIVR_SCREEN_RENDER_CASES, &out, &len, ERR));

    // a screen never filled: empty, and it renders
    ASSERT_EQ(civr_screen_new(&s, nullptr), 0);
    EXPECT_EQ(civr_screen_case_count(s), 0u);
    EXPECT_MISUSE(9010, civr_screen_case(s, 0, &c, ERR));
    EXPECT_MISUSE(9010, civr_screen_application(s, 0, &out, &out, nullptr, nullptr, nullptr, ERR));
    EXPECT_TRUE(renders(s));
    EXPECT_MISUSE(9001, civr_screen_render(s, CIVR_SCREEN_RENDER_CASES, nullptr, &len, ERR));
    EXPECT_MISUSE(9009, civr_screen_render(s, (civr_screen_render_kind)2, &out, &len, ERR));

    World w;
    ASSERT_TRUE(w.ok());
    civr_screen_options o = CIVR_SCREEN_OPTIONS_INIT;
    o.date = day("2024-12-15");
    o.from = day("2024-01-01");
    o.to = day("2024-12-01");
    EXPECT_MISUSE(9001, civr_engine_screen(nullptr, w.hh, &o, s, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen(w.e, nullptr, &o, s, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen(w.e, w.hh, nullptr, s, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen(w.e, w.hh, &o, nullptr, ERR));
    // bad options: the screen holds the error, and its cases cannot be read
    auto bad = [&](int id, civr_screen_options opts) {
        EXPECT_MISUSE(id, civr_engine_screen(w.e, w.hh, &opts, s, ERR));
        ASSERT_NE(civr_screen_error(s), nullptr);
        EXPECT_EQ(civr_screen_error(s)->id, id);
        EXPECT_STREQ(civr_screen_household(s), "GZ-MISUSE");
        EXPECT_EQ(civr_screen_case_count(s), 0u);
        EXPECT_MISUSE(9011, civr_screen_case(s, 0, &c, ERR));
        EXPECT_MISUSE(9011, civr_screen_case_reason(s, 0, 0, nullptr, nullptr, nullptr, nullptr, ERR));
        EXPECT_MISUSE(9011, civr_screen_case_month(s, 0, 0, nullptr, nullptr, nullptr, ERR));
        EXPECT_MISUSE(9011, civr_screen_application(s, 0, nullptr, nullptr, nullptr, nullptr, nullptr, ERR));
        for (auto k : {CIVR_SCREEN_RENDER_CASES, CIVR_SCREEN_RENDER_MONTHS}) {
            ASSERT_EQ(civr_screen_render(s, k, &out, &len, nullptr), 0);
            EXPECT_NE(strstr(out, "\"error\""), nullptr) << out;
        }
    };
    for (unsigned v : {0u, 2u, UINT_MAX}) {
        civr_screen_options x = o;
        x.version = v;
        bad(9012, x);
    }
    civr_screen_options x = o;
    x.date = CIVR_DATE_NONE;
    bad(9013, x);
    x = o;
    x.from = CIVR_DATE_NONE;
    bad(9014, x);
    x = o;
    x.to = CIVR_DATE_NONE;
    bad(9014, x);
    x = o;
    std::swap(x.from, x.to);
    bad(9014, x);
    x = o;
    x.from = day("1900-01-01");
    x.to = day("2199-12-01");
    bad(9015, x);
    for (civr_date far : {INT32_MIN + 1, INT32_MAX, day("1900-01-01") - 1, day("2199-12-31") + 1}) {
        x = o;
        x.from = std::min(far, o.from);
        x.to = std::max(far, o.to);
        bad(9027, x);
    }
    // far dates: an answer or an error record, never a crash
    for (civr_date far : kFarDates)
        for (int which = 0; which < 3; which++) {
            x = o;
            (which == 0 ? x.date : which == 1 ? x.from : x.to) = far;
            if (which)
                (which == 1 ? x.to : x.from) = far;
            civr_error err = CIVR_ERROR_INIT;
            if (civr_engine_screen(w.e, w.hh, &x, s, &err) != 0) {
                EXPECT_TRUE(catalogued(err)) << far << " " << which;
                EXPECT_NE(civr_screen_error(s), nullptr);
            }
            EXPECT_TRUE(renders(s)) << far << " " << which;
        }

    // a real screening: indices out of range
    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_engine_screen(w.e, w.hh, &o, s, &err), 0) << civt::format(err);
    size_t n = civr_screen_case_count(s);
    ASSERT_GT(n, 0u);
    ASSERT_EQ(civr_screen_case(s, 0, &c, nullptr), 0);
    ASSERT_EQ(c.nmonths, 12u);
    EXPECT_MISUSE(9001, civr_screen_case(s, 0, nullptr, ERR));
    for (size_t i : {n, kHuge}) {
        EXPECT_MISUSE(9010, civr_screen_case(s, i, &c, ERR));
        EXPECT_EQ(civr_screen_case_reason_count(s, i), 0u);
        EXPECT_MISUSE(9010, civr_screen_case_reason(s, i, 0, &out, &out, &out, &out, ERR));
        EXPECT_EQ(civr_screen_case_missing_count(s, i), 0u);
        EXPECT_EQ(civr_screen_case_missing(s, i, 0), nullptr);
        EXPECT_MISUSE(9010, civr_screen_case_month(s, i, 0, nullptr, nullptr, nullptr, ERR));
    }
    EXPECT_MISUSE(9010, civr_screen_case_reason(s, 0, civr_screen_case_reason_count(s, 0), &out, &out, &out, &out, ERR));
    EXPECT_MISUSE(9010, civr_screen_case_reason(s, 0, kHuge, nullptr, nullptr, nullptr, nullptr, ERR));
    EXPECT_EQ(civr_screen_case_missing(s, 0, civr_screen_case_missing_count(s, 0)), nullptr);
    EXPECT_EQ(civr_screen_case_missing(s, 0, kHuge), nullptr);
    EXPECT_EQ(civr_screen_case_month(s, 0, 11, nullptr, nullptr, nullptr, nullptr), 0);
    EXPECT_MISUSE(9010, civr_screen_case_month(s, 0, 12, nullptr, nullptr, nullptr, ERR));
    EXPECT_MISUSE(9010, civr_screen_case_month(s, 0, kHuge, nullptr, nullptr, nullptr, ERR));
    EXPECT_MISUSE(9010, civr_screen_application(s, civr_screen_application_count(s), nullptr, nullptr, nullptr, nullptr, nullptr, ERR));
    EXPECT_MISUSE(9010, civr_screen_application(s, kHuge, nullptr, nullptr, nullptr, nullptr, nullptr, ERR));
    for (int k : {2, -1, 99})
        EXPECT_MISUSE(9009, civr_screen_render(s, (civr_screen_render_kind)k, &out, &len, ERR));

    // texts
    const std::string &t = kHousehold;
    Unterminated text(t);
    EXPECT_MISUSE(9001, civr_engine_screen_text(nullptr, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, &o, s, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen_text(w.e, nullptr, 2, CIVR_FORMAT_AUTO, nullptr, &o, s, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen_text(w.e, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, &o, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen_text(w.e, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, nullptr, s, ERR));
    EXPECT_MISUSE(9009, civr_engine_screen_text(w.e, t.data(), t.size(), (civr_format)4, nullptr, &o, s, ERR));
    EXPECT_SOME_ERROR(civr_engine_screen_text(w.e, nullptr, 0, CIVR_FORMAT_AUTO, nullptr, &o, s, ERR));
    EXPECT_NE(civr_screen_error(s), nullptr);
    EXPECT_SOME_ERROR(civr_engine_screen_text(w.e, "{", 1, CIVR_FORMAT_AUTO, nullptr, nullptr, s, ERR));
    EXPECT_EQ(civr_engine_screen_text(w.e, text.data(), text.len, CIVR_FORMAT_AUTO, nullptr, &o, s, nullptr), 0);
    EXPECT_EQ(civr_screen_case_count(s), n);

    const char *texts[] = {text.data(), nullptr, "", text.data()};
    const size_t lens[] = {text.len, 5, 0, text.len};
    size_t failed = 99;
    civr_date d = o.date, f = o.from, to = o.to;
    auto K = CIVR_SCREEN_RENDER_CASES;
    EXPECT_MISUSE(9001, civr_engine_screen_batch(nullptr, texts, lens, 4, CIVR_FORMAT_AUTO, nullptr, d, f, to, 0, K, s, &out, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen_batch(w.e, nullptr, lens, 4, CIVR_FORMAT_AUTO, nullptr, d, f, to, 0, K, s, &out, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen_batch(w.e, texts, nullptr, 4, CIVR_FORMAT_AUTO, nullptr, d, f, to, 0, K, s, &out, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, nullptr, d, f, to, 0, K, nullptr, &out, &len, &failed, ERR));
    EXPECT_MISUSE(9001, civr_engine_screen_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, nullptr, d, f, to, 0, K, s, nullptr, &len, &failed, ERR));
    EXPECT_MISUSE(9009, civr_engine_screen_batch(w.e, texts, lens, 4, (civr_format)5, nullptr, d, f, to, 0, K, s, &out, &len, &failed, ERR));
    EXPECT_MISUSE(9009, civr_engine_screen_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, nullptr, d, f, to, 0, (civr_screen_render_kind)7, s, &out, &len, &failed, ERR));
    ASSERT_EQ(civr_engine_screen_batch(w.e, nullptr, nullptr, 0, CIVR_FORMAT_AUTO, nullptr, d, f, to, 0, K, s, &out, &len, &failed, nullptr), 0);
    EXPECT_STREQ(out, "");
    EXPECT_EQ(failed, 0u);
    // a NULL text is its own row's error record, not the row before it again
    ASSERT_EQ(civr_engine_screen_batch(w.e, texts, lens, 4, CIVR_FORMAT_AUTO, "b", d, f, to, 0, K, s, &out, &len, &failed, nullptr), 0);
    EXPECT_EQ(failed, 2u);
    std::vector<std::string> rows;
    std::istringstream in(std::string(out, len));
    for (std::string line; std::getline(in, line);)
        rows.push_back(line);
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_EQ(rows[0], rows[3]);
    EXPECT_NE(rows[1].find("\"error\""), std::string::npos) << rows[1];
    EXPECT_NE(rows[2].find("\"error\""), std::string::npos) << rows[2];
    EXPECT_EQ(rows[1].find("GZ-MISUSE"), std::string::npos) << rows[1];
    // bad options in a batch: every row an error record
    ASSERT_EQ(civr_engine_screen_batch(w.e, texts, lens, 1, CIVR_FORMAT_AUTO, "b", CIVR_DATE_NONE, f, to, 0, K, s, &out, &len, &failed, nullptr), 0);
    EXPECT_EQ(failed, 1u);
    EXPECT_NE(strstr(out, "CIVR-9013"), nullptr) << out;
    civr_screen_free(s);
}

// A period at the ends of the date range, in a bundle whose months are
// decided on the 28th: refused (CIVR-9027), never a decision day past
// INT32_MAX; the last civil month still screens.
TEST(Misuse, ScreenHPeriodAtTheEndsOfTime)
{
    civt::TempBundle b("policies/cn/guangdong/guangzhou", R"(parameters:
  screening.month_day:
    values:
      - {from: 2021-07-01, value: 28, basis: test}
)");
    civr_policy *p = civt::load(b.dir);
    ASSERT_NE(p, nullptr);
    civr_engine *e = nullptr;
    civr_screen *s = nullptr;
    ASSERT_EQ(civr_engine_new(&e, p, nullptr, nullptr), 0);
    ASSERT_EQ(civr_screen_new(&s, nullptr), 0);
    civr_screen_options o = CIVR_SCREEN_OPTIONS_INIT;
    o.date = day("2024-12-15");
    o.from = day("2024-01-01");
    o.to = day("2024-03-01");
    const std::string &t = kHousehold;
    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_engine_screen_text(e, t.data(), t.size(), CIVR_FORMAT_JSON, "h", &o, s, &err), 0)
        << civt::format(err);
    civr_date month;
    ASSERT_EQ(civr_screen_case_month(s, 0, 2, &month, nullptr, nullptr, nullptr), 0);
    EXPECT_EQ(month, day("2024-03-01"));
    for (civr_date far : {INT32_MAX, INT32_MAX - 1, INT32_MAX - 27, INT32_MIN + 1}) {
        o.from = o.to = o.date = far;
        EXPECT_MISUSE(9027, civr_engine_screen_text(e, t.data(), t.size(), CIVR_FORMAT_JSON, "h", &o, s, ERR));
        const char *out;
        ASSERT_EQ(civr_screen_render(s, CIVR_SCREEN_RENDER_MONTHS, &out, nullptr, nullptr), 0);
        EXPECT_NE(strstr(out, "CIVR-9027"), nullptr) << out;
    }
    o.from = o.to = o.date = day("2199-12-31");
    ASSERT_EQ(civr_engine_screen_text(e, t.data(), t.size(), CIVR_FORMAT_JSON, "h", &o, s, &err), 0)
        << civt::format(err);
    ASSERT_EQ(civr_screen_case_month(s, 0, 0, &month, nullptr, nullptr, nullptr), 0);
    EXPECT_EQ(month, day("2199-12-01"));
    civr_screen_free(s);
    civr_engine_free(e);
    civr_policy_free(p);
}

/* ---- batch.h ----------------------------------------------------------------------- */

TEST(Misuse, BatchH)
{
    World w;
    ASSERT_TRUE(w.ok());
    civr_batch *b = nullptr;
    EXPECT_MISUSE(9001, civr_batch_new(nullptr, w.p, 0, ERR));
    EXPECT_MISUSE(9001, civr_batch_new(&b, nullptr, 0, ERR));
    EXPECT_FAILS(CIVR_ENOTSUP, 8001, civr_batch_new(&b, w.p, day("2024-08-01"), ERR));
    EXPECT_EQ(b, nullptr);
    civr_batch_free(nullptr);
    EXPECT_EQ(civr_batch_program_count(nullptr), 0u);
    EXPECT_EQ(civr_batch_program_id(nullptr, 0), nullptr);
    EXPECT_EQ(civr_batch_field_count(nullptr), 0u);
    EXPECT_EQ(civr_batch_field_name(nullptr, 0), nullptr);
    EXPECT_EQ(civr_batch_field_kind(nullptr, 0), -1);
    int32_t idx = 7;
    EXPECT_MISUSE(9001, civr_batch_enum_value(nullptr, "zone", "urban", &idx, ERR));
    EXPECT_MISUSE(9001, civr_batch_bind(nullptr, "zone", CIVR_COLUMN_ENUM, &idx, nullptr, ERR));
    EXPECT_MISUSE(9001, civr_batch_run(nullptr, 1, nullptr, nullptr, ERR));

    civr_policy *p = civt::load("tests/fixtures/bundles/batch");
    ASSERT_NE(p, nullptr);
    // compiled for any date: far dates leave parameters without values, which
    // fail the households that read them, as civr_engine_eval does
    for (civr_date far : kFarDates) {
        civr_error err = CIVR_ERROR_INIT;
        ASSERT_EQ(civr_batch_new(&b, p, far, &err), 0) << far << civt::format(err);
        civr_batch_free(b);
    }
    ASSERT_EQ(civr_batch_new(&b, p, day("2024-01-01"), nullptr), 0);
    size_t programs = civr_batch_program_count(b), fields = civr_batch_field_count(b);
    ASSERT_GT(programs, 0u);
    ASSERT_GT(fields, 0u);
    for (size_t i : {programs, kHuge})
        EXPECT_EQ(civr_batch_program_id(b, i), nullptr);
    for (size_t i : {fields, kHuge}) {
        EXPECT_EQ(civr_batch_field_name(b, i), nullptr);
        EXPECT_EQ(civr_batch_field_kind(b, i), -1);
    }
    EXPECT_MISUSE(9001, civr_batch_enum_value(b, nullptr, "urban", &idx, ERR));
    EXPECT_MISUSE(9001, civr_batch_enum_value(b, "zone", nullptr, &idx, ERR));
    EXPECT_MISUSE(9001, civr_batch_enum_value(b, "zone", "urban", nullptr, ERR));
    EXPECT_MISUSE(8003, civr_batch_enum_value(b, "", "urban", &idx, ERR));
    EXPECT_MISUSE(8004, civr_batch_enum_value(b, "zone", "", &idx, ERR));
    EXPECT_EQ(idx, 7);
    int64_t v[2] = {1, 2};
    EXPECT_MISUSE(9001, civr_batch_bind(b, nullptr, CIVR_COLUMN_INT, v, nullptr, ERR));
    EXPECT_MISUSE(8002, civr_batch_bind(b, "", CIVR_COLUMN_INT, v, nullptr, ERR));
    for (int k : {-1, 4, 99})
        EXPECT_MISUSE(8005, civr_batch_bind(b, "size", (civr_column_kind)k, v, nullptr, ERR));
    EXPECT_MISUSE(8006, civr_batch_bind(b, "size", CIVR_COLUMN_INT, nullptr, nullptr, ERR));
    EXPECT_MISUSE(8007, civr_batch_run(b, 2, nullptr, nullptr, ERR));
    // every field the rules read bound as absent: the households are
    // undetermined or failed, and no output may be NULL
    const uint8_t none[2] = {0, 0};
    for (size_t i = 0; i < fields; i++)
        ASSERT_EQ(civr_batch_bind(b, civr_batch_field_name(b, i), (civr_column_kind)civr_batch_field_kind(b, i),
                                  nullptr, none, nullptr),
                  0)
            << civr_batch_field_name(b, i);
    EXPECT_EQ(civr_batch_run(b, 0, nullptr, nullptr, nullptr), 0);
    EXPECT_EQ(civr_batch_run(b, 2, nullptr, nullptr, nullptr), 0);
    std::vector<uint8_t> status(2 * programs, 77);
    ASSERT_EQ(civr_batch_run(b, 2, status.data(), nullptr, nullptr), 0);
    for (uint8_t st : status)
        EXPECT_TRUE(st <= CIVR_STATUS_ERROR || st == CIVR_BATCH_FAILED) << (int)st;
    // out-of-range column values fail their household only
    const int32_t zones[2] = {-1, INT32_MAX};
    const uint8_t yesno[2] = {2, 255};
    ASSERT_EQ(civr_batch_bind(b, "zone", CIVR_COLUMN_ENUM, zones, nullptr, nullptr), 0);
    ASSERT_EQ(civr_batch_bind(b, "urban", CIVR_COLUMN_BOOL, yesno, nullptr, nullptr), 0);
    ASSERT_EQ(civr_batch_run(b, 2, status.data(), nullptr, nullptr), 0);
    for (uint8_t st : status)
        EXPECT_EQ(st, CIVR_BATCH_FAILED);
    civr_batch_free(b);
    civr_policy_free(p);
}

/* ---- diff.h ------------------------------------------------------------------------ */

TEST(Misuse, DiffH)
{
    World w;
    ASSERT_TRUE(w.ok());
    civr_diff *d = nullptr;
    civr_date on = day("2024-08-01");
    EXPECT_MISUSE(9001, civr_diff_new(nullptr, w.p, on, w.p, on, ERR));
    EXPECT_MISUSE(9001, civr_diff_new(&d, nullptr, on, w.p, on, ERR));
    EXPECT_MISUSE(9001, civr_diff_new(&d, w.p, on, nullptr, on, ERR));
    EXPECT_EQ(d, nullptr);
    civr_diff_free(nullptr);
    const char *json = nullptr;
    size_t len = 0;
    EXPECT_MISUSE(9001, civr_diff_add(nullptr, "{}", 2, CIVR_FORMAT_AUTO, nullptr, &json, &len, ERR));
    EXPECT_MISUSE(9001, civr_diff_summary(nullptr, CIVR_DIFF_JSON, nullptr, &json, &len, ERR));
    EXPECT_MISUSE(9001, civr_diff_rules(nullptr, CIVR_DIFF_JSON, nullptr, &json, &len, ERR));

    const std::string &t = kHousehold;
    Unterminated text(t);
    // far dates on either side: every household an answer or an error record
    for (civr_date far : kFarDates)
        for (bool old_side : {true, false}) {
            civr_error err = CIVR_ERROR_INIT;
            ASSERT_EQ(civr_diff_new(&d, w.p, old_side ? far : on, w.p, old_side ? on : far, &err), 0);
            ASSERT_EQ(civr_diff_add(d, text.data(), text.len, CIVR_FORMAT_AUTO, "h", &json, &len, &err), 0)
                << civt::format(err);
            EXPECT_EQ(strlen(json), len);
            for (auto f : {CIVR_DIFF_JSON, CIVR_DIFF_TEXT, CIVR_DIFF_HTML})
                EXPECT_EQ(civr_diff_summary(d, f, "en", &json, &len, nullptr), 0) << f;
            for (auto f : {CIVR_DIFF_JSON, CIVR_DIFF_TEXT})
                EXPECT_EQ(civr_diff_rules(d, f, "en", &json, &len, nullptr), 0) << f;
            civr_diff_free(d);
        }

    ASSERT_EQ(civr_diff_new(&d, w.p, on, w.p, day("2025-08-01"), nullptr), 0);
    // nothing added yet: empty totals in every format
    for (auto f : {CIVR_DIFF_JSON, CIVR_DIFF_TEXT, CIVR_DIFF_HTML})
        EXPECT_EQ(civr_diff_summary(d, f, nullptr, &json, nullptr, nullptr), 0) << f;
    EXPECT_MISUSE(9001, civr_diff_add(d, nullptr, 2, CIVR_FORMAT_AUTO, nullptr, &json, &len, ERR));
    EXPECT_MISUSE(9001, civr_diff_add(d, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, nullptr, &len, ERR));
    EXPECT_MISUSE(9009, civr_diff_add(d, t.data(), t.size(), (civr_format)9, nullptr, &json, &len, ERR));
    // an empty or broken text: one error record, not added to the totals
    for (const char *bad : {"", "{", "[]"}) {
        ASSERT_EQ(civr_diff_add(d, bad, strlen(bad), CIVR_FORMAT_AUTO, "x", &json, &len, nullptr), 0);
        EXPECT_NE(strstr(json, "\"transition\":\"error\""), nullptr) << json;
    }
    EXPECT_MISUSE(9001, civr_diff_summary(d, CIVR_DIFF_JSON, nullptr, nullptr, &len, ERR));
    EXPECT_MISUSE(9001, civr_diff_rules(d, CIVR_DIFF_JSON, nullptr, nullptr, &len, ERR));
    for (int f : {3, -1, 99}) {
        EXPECT_MISUSE(9009, civr_diff_summary(d, (civr_diff_format)f, nullptr, &json, &len, ERR));
        EXPECT_MISUSE(9009, civr_diff_rules(d, (civr_diff_format)f, nullptr, &json, &len, ERR));
    }
    for (const char *lang : {"", "fr", "EN"}) {
        EXPECT_MISUSE(9008, civr_diff_summary(d, CIVR_DIFF_TEXT, lang, &json, &len, ERR));
        EXPECT_MISUSE(9008, civr_diff_rules(d, CIVR_DIFF_TEXT, lang, &json, &len, ERR));
    }
    civr_diff_free(d);
}

/* ---- policyset.h ------------------------------------------------------------------- */

TEST(Misuse, PolicysetH)
{
    civr_policy_set *set = nullptr;
    EXPECT_MISUSE(9001, civr_policy_set_load(nullptr, "policies", nullptr, ERR));
    EXPECT_MISUSE(9001, civr_policy_set_load(&set, nullptr, nullptr, ERR));
    EXPECT_FAILS(CIVR_EIO, 4001, civr_policy_set_load(&set, "/nonexistent/root", nullptr, ERR));
    TempDir empty;
    EXPECT_SOME_ERROR(civr_policy_set_load(&set, empty.path.c_str(), nullptr, ERR));
    EXPECT_EQ(set, nullptr);
    civr_policy_set_free(nullptr);
    EXPECT_EQ(civr_policy_set_count(nullptr), 0u);
    EXPECT_EQ(civr_policy_set_policy(nullptr, 0), nullptr);
    const civr_policy *p = nullptr;
    EXPECT_MISUSE(9001, civr_policy_set_select(&p, nullptr, "440106", ERR));
    EXPECT_MISUSE(9001, civr_policy_set_select_text(&p, nullptr, "{}", 2, CIVR_FORMAT_AUTO, nullptr, nullptr, 0, ERR));

    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_policy_set_load(&set, "policies", nullptr, &err), 0) << civt::format(err);
    size_t n = civr_policy_set_count(set);
    ASSERT_GT(n, 0u);
    EXPECT_EQ(civr_policy_set_policy(set, n), nullptr);
    EXPECT_EQ(civr_policy_set_policy(set, kHuge), nullptr);
    EXPECT_MISUSE(9001, civr_policy_set_select(nullptr, set, "440106", ERR));
    EXPECT_FAILS(CIVR_EDATA, 7001, civr_policy_set_select(&p, set, nullptr, ERR));
    for (const char *r : {"", "x", "4401", "44010612"})
        EXPECT_FAILS(CIVR_EDATA, 7003, civr_policy_set_select(&p, set, r, ERR));
    EXPECT_FAILS(CIVR_EDATA, 7004, civr_policy_set_select(&p, set, "999999", ERR));
    EXPECT_EQ(p, nullptr);

    const std::string &t = kHousehold;
    Unterminated text(t);
    char id[4] = "zzz";
    EXPECT_MISUSE(9001, civr_policy_set_select_text(nullptr, set, t.data(), t.size(), CIVR_FORMAT_AUTO, nullptr, id, sizeof id, ERR));
    EXPECT_MISUSE(9001, civr_policy_set_select_text(&p, set, nullptr, 3, CIVR_FORMAT_AUTO, nullptr, id, sizeof id, ERR));
    EXPECT_MISUSE(9009, civr_policy_set_select_text(&p, set, t.data(), t.size(), (civr_format)3, nullptr, id, sizeof id, ERR));
    EXPECT_STREQ(id, "");
    EXPECT_SOME_ERROR(civr_policy_set_select_text(&p, set, nullptr, 0, CIVR_FORMAT_AUTO, nullptr, id, sizeof id, ERR));
    EXPECT_SOME_ERROR(civr_policy_set_select_text(&p, set, "", 0, CIVR_FORMAT_JSON, nullptr, nullptr, 0, ERR));
    for (civr_format f : {CIVR_FORMAT_AUTO, CIVR_FORMAT_JSON, CIVR_FORMAT_YAML}) {
        // the id cut to the buffer; no buffer, or one of no bytes, untouched
        ASSERT_EQ(civr_policy_set_select_text(&p, set, text.data(), text.len, f, nullptr, id, sizeof id, &err), 0)
            << civt::format(err);
        EXPECT_STREQ(civr_policy_id(p), "cn/guangdong/guangzhou");
        EXPECT_STREQ(id, "GZ-");
        EXPECT_EQ(civr_policy_set_select_text(&p, set, text.data(), text.len, f, nullptr, nullptr, 5, nullptr), 0);
        id[0] = 'q';
        EXPECT_EQ(civr_policy_set_select_text(&p, set, text.data(), text.len, f, nullptr, id, 0, nullptr), 0);
        EXPECT_EQ(id[0], 'q');
        // cut anywhere: an error, never a read past the end
        for (size_t k = 0; k < text.len; k += 11) {
            civr_error e = CIVR_ERROR_INIT;
            if (civr_policy_set_select_text(&p, set, text.data(), k, f, nullptr, id, sizeof id, &e)) {
                EXPECT_TRUE(catalogued(e)) << k;
            }
        }
    }
    civr_policy_set_free(set);
}

/* ---- testcase.h -------------------------------------------------------------------- */

TEST(Misuse, TestcaseH)
{
    World w;
    ASSERT_TRUE(w.ok());
    size_t passed = 9, failed = 9;
    const char *dir = "policies/cn/guangdong/guangzhou/tests";
    EXPECT_MISUSE(9001, civr_policy_run_tests(nullptr, dir, nullptr, nullptr, &passed, &failed, ERR));
    EXPECT_MISUSE(9001, civr_policy_run_tests(w.p, nullptr, nullptr, nullptr, &passed, &failed, ERR));
    EXPECT_FAILS(CIVR_EIO, 4001, civr_policy_run_tests(w.p, "/nonexistent/tests", nullptr, nullptr, &passed, &failed, ERR));
    EXPECT_FAILS(CIVR_EIO, 4001, civr_policy_run_tests(w.p, "", nullptr, nullptr, nullptr, nullptr, ERR));
    // a folder without test files: nothing run
    TempDir empty;
    ASSERT_EQ(civr_policy_run_tests(w.p, empty.path.c_str(), nullptr, nullptr, &passed, &failed, nullptr), 0);
    EXPECT_EQ(passed + failed, 0u);
    // a file that is not a test file
    EXPECT_SOME_ERROR(civr_policy_run_tests(w.p, "policies/cn/guangdong/guangzhou/bundle.yaml", nullptr, nullptr, nullptr, nullptr, ERR));

    civr_coverage *c = nullptr;
    EXPECT_MISUSE(9001, civr_coverage_new(nullptr, w.p, ERR));
    EXPECT_MISUSE(9001, civr_coverage_new(&c, nullptr, ERR));
    civr_coverage_free(nullptr);
    civr_coverage_counts(nullptr, nullptr, nullptr);
    size_t covered = 9, total = 9;
    civr_coverage_counts(nullptr, &covered, &total);
    EXPECT_EQ(covered + total, 0u);
    const char *text = nullptr;
    size_t len = 0;
    EXPECT_MISUSE(9001, civr_coverage_report(nullptr, &text, &len, ERR));
    ASSERT_EQ(civr_coverage_new(&c, w.p, nullptr), 0);
    EXPECT_MISUSE(9001, civr_coverage_report(c, nullptr, &len, ERR));
    EXPECT_MISUSE(9001, civr_policy_run_tests_coverage(w.p, nullptr, nullptr, nullptr, nullptr, nullptr, c, ERR));
    // a coverage made for another policy
    civr_policy *other = civt::load("policies/cn/hunan/changde/jinshi");
    ASSERT_NE(other, nullptr);
    EXPECT_MISUSE(9026, civr_policy_run_tests_coverage(other, dir, nullptr, nullptr, &passed, &failed, c, ERR));
    civr_policy_free(other);
    civr_coverage_counts(c, &covered, nullptr);
    EXPECT_EQ(covered, 0u);
    ASSERT_EQ(civr_policy_run_tests_coverage(w.p, dir, nullptr, nullptr, &passed, &failed, c, nullptr), 0);
    EXPECT_GT(passed, 0u);
    EXPECT_EQ(failed, 0u);
    civr_coverage_counts(c, &covered, &total);
    EXPECT_GT(covered, 0u);
    EXPECT_EQ(civr_coverage_report(c, &text, nullptr, nullptr), 0);
    civr_coverage_free(c);
}

/* ---- every pointer NULL at once --------------------------------------------------- */

// Every fallible function with all its pointers NULL at once: CIVR_EINVAL
// with CIVR-9001 naming the function, also with a NULL civr_error. (The
// functions above are called with one NULL at a time.)
TEST(Misuse, EveryPointerNullAtOnce)
{
    using Call = std::function<int(civr_error *)>;
    const std::vector<std::pair<const char *, Call>> calls = {
        {"civr_date_from_ymd", [](civr_error *e) { return civr_date_from_ymd(nullptr, 0, 0, 0, e); }},
        {"civr_date_parse", [](civr_error *e) { return civr_date_parse(nullptr, nullptr, 10, e); }},
        {"civr_money_parse", [](civr_error *e) { return civr_money_parse(nullptr, nullptr, 1, e); }},
        {"civr_household_parse", [](civr_error *e) { return civr_household_parse(nullptr, nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, e); }},
        {"civr_builder_new", [](civr_error *e) { return civr_builder_new(nullptr, nullptr, e); }},
        {"civr_builder_begin", [](civr_error *e) { return civr_builder_begin(nullptr, nullptr, nullptr, e); }},
        {"civr_builder_end", [](civr_error *e) { return civr_builder_end(nullptr, e); }},
        {"civr_builder_set_string", [](civr_error *e) { return civr_builder_set_string(nullptr, nullptr, nullptr, e); }},
        {"civr_builder_set_int", [](civr_error *e) { return civr_builder_set_int(nullptr, nullptr, 0, e); }},
        {"civr_builder_set_bool", [](civr_error *e) { return civr_builder_set_bool(nullptr, nullptr, 0, e); }},
        {"civr_builder_set_money", [](civr_error *e) { return civr_builder_set_money(nullptr, nullptr, 0, e); }},
        {"civr_builder_set_date", [](civr_error *e) { return civr_builder_set_date(nullptr, nullptr, 0, 0, 0, e); }},
        {"civr_builder_finish", [](civr_error *e) { return civr_builder_finish(nullptr, nullptr, e); }},
        {"civr_policy_load", [](civr_error *e) { return civr_policy_load(nullptr, nullptr, nullptr, e); }},
        {"civr_diagnostics_new", [](civr_error *e) { return civr_diagnostics_new(nullptr, e); }},
        {"civr_policy_check", [](civr_error *e) { return civr_policy_check(nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_policy_check_region", [](civr_error *e) { return civr_policy_check_region(nullptr, nullptr, e); }},
        {"civr_policy_add_working_days", [](civr_error *e) { return civr_policy_add_working_days(nullptr, 0, 0, nullptr, e); }},
        {"civr_policy_newest_value", [](civr_error *e) { return civr_policy_newest_value(nullptr, nullptr, e); }},
        {"civr_policy_needs", [](civr_error *e) { return civr_policy_needs(nullptr, 0, 0, nullptr, e); }},
        {"civr_engine_new", [](civr_error *e) { return civr_engine_new(nullptr, nullptr, nullptr, e); }},
        {"civr_engine_eval", [](civr_error *e) { return civr_engine_eval(nullptr, nullptr, 0, 0, nullptr, e); }},
        {"civr_engine_eval_text", [](civr_error *e) { return civr_engine_eval_text(nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, 0, 0, nullptr, e); }},
        {"civr_engine_eval_json", [](civr_error *e) { return civr_engine_eval_json(nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, 0, 0, nullptr, nullptr, nullptr, e); }},
        {"civr_engine_eval_batch", [](civr_error *e) { return civr_engine_eval_batch(nullptr, nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, 0, 0, nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_result_new", [](civr_error *e) { return civr_result_new(nullptr, e); }},
        {"civr_result_set_error", [](civr_error *e) { return civr_result_set_error(nullptr, nullptr, 0, nullptr, nullptr, e); }},
        {"civr_result_trace_json", [](civr_error *e) { return civr_result_trace_json(nullptr, 0, nullptr, nullptr, e); }},
        {"civr_result_render", [](civr_error *e) { return civr_result_render(nullptr, CIVR_RENDER_JSON, nullptr, nullptr, nullptr, e); }},
        {"civr_screen_new", [](civr_error *e) { return civr_screen_new(nullptr, e); }},
        {"civr_engine_screen", [](civr_error *e) { return civr_engine_screen(nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_engine_screen_text", [](civr_error *e) { return civr_engine_screen_text(nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, nullptr, nullptr, e); }},
        {"civr_screen_case", [](civr_error *e) { return civr_screen_case(nullptr, 0, nullptr, e); }},
        {"civr_screen_case_reason", [](civr_error *e) { return civr_screen_case_reason(nullptr, 0, 0, nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_screen_case_month", [](civr_error *e) { return civr_screen_case_month(nullptr, 0, 0, nullptr, nullptr, nullptr, e); }},
        {"civr_screen_application", [](civr_error *e) { return civr_screen_application(nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_screen_render", [](civr_error *e) { return civr_screen_render(nullptr, CIVR_SCREEN_RENDER_CASES, nullptr, nullptr, e); }},
        {"civr_engine_screen_batch", [](civr_error *e) { return civr_engine_screen_batch(nullptr, nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, 0, 0, 0, 0, CIVR_SCREEN_RENDER_CASES, nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_batch_new", [](civr_error *e) { return civr_batch_new(nullptr, nullptr, 0, e); }},
        {"civr_batch_enum_value", [](civr_error *e) { return civr_batch_enum_value(nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_batch_bind", [](civr_error *e) { return civr_batch_bind(nullptr, nullptr, CIVR_COLUMN_INT, nullptr, nullptr, e); }},
        {"civr_batch_run", [](civr_error *e) { return civr_batch_run(nullptr, 1, nullptr, nullptr, e); }},
        {"civr_diff_new", [](civr_error *e) { return civr_diff_new(nullptr, nullptr, 0, nullptr, 0, e); }},
        {"civr_diff_add", [](civr_error *e) { return civr_diff_add(nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, nullptr, nullptr, e); }},
        {"civr_diff_summary", [](civr_error *e) { return civr_diff_summary(nullptr, CIVR_DIFF_JSON, nullptr, nullptr, nullptr, e); }},
        {"civr_diff_rules", [](civr_error *e) { return civr_diff_rules(nullptr, CIVR_DIFF_JSON, nullptr, nullptr, nullptr, e); }},
        {"civr_policy_set_load", [](civr_error *e) { return civr_policy_set_load(nullptr, nullptr, nullptr, e); }},
        {"civr_policy_set_select", [](civr_error *e) { return civr_policy_set_select(nullptr, nullptr, nullptr, e); }},
        {"civr_policy_set_select_text", [](civr_error *e) { return civr_policy_set_select_text(nullptr, nullptr, nullptr, 1, CIVR_FORMAT_AUTO, nullptr, nullptr, 0, e); }},
        {"civr_policy_run_tests", [](civr_error *e) { return civr_policy_run_tests(nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_policy_run_tests", [](civr_error *e) { return civr_policy_run_tests_coverage(nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, e); }},
        {"civr_coverage_new", [](civr_error *e) { return civr_coverage_new(nullptr, nullptr, e); }},
        {"civr_coverage_report", [](civr_error *e) { return civr_coverage_report(nullptr, nullptr, nullptr, e); }},
    };
    for (const auto &c : calls) {
        civr_error err = CIVR_ERROR_INIT;
        EXPECT_EQ(c.second(&err), CIVR_EINVAL) << c.first;
        EXPECT_EQ(err.id, 9001) << c.first << ": " << err.message;
        EXPECT_EQ(std::string(err.message).find(std::string("invalid argument: ") + c.first + " needs "), 0u)
            << err.message;
        EXPECT_EQ(c.second(nullptr), CIVR_EINVAL) << c.first;
    }
    // the accessors without a civr_error: CIVR_EINVAL alone
    const std::vector<std::pair<const char *, std::function<int()>>> bare = {
        {"civr_program_result_member", [] { return civr_program_result_member(nullptr, 0, nullptr, nullptr, nullptr); }},
        {"civr_program_result_member_reason", [] { return civr_program_result_member_reason(nullptr, 0, 0, nullptr, nullptr, nullptr, nullptr); }},
        {"civr_program_result_reason", [] { return civr_program_result_reason(nullptr, 0, nullptr, nullptr, nullptr, nullptr); }},
        {"civr_program_result_fact", [] { return civr_program_result_fact(nullptr, 0, nullptr, nullptr); }},
        {"civr_result_trace_step", [] { return civr_result_trace_step(nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr); }},
        {"civr_result_log", [] { return civr_result_log(nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr); }},
    };
    for (const auto &c : bare)
        EXPECT_EQ(c.second(), CIVR_EINVAL) << c.first;
}

/* ---- every exported function is called above ------------------------------------ */

TEST(Misuse, EveryExportedFunctionIsCalledHere)
{
    EXPECT_NE(civr_version(), nullptr);
    std::ifstream map_file("lib/civrules.map"), self("tests/api/test_misuse.cc");
    ASSERT_TRUE(map_file && self);
    std::stringstream map_text, self_text;
    map_text << map_file.rdbuf();
    self_text << self.rdbuf();
    const std::string here = self_text.str();
    std::string line;
    size_t functions = 0;
    while (std::getline(map_text, line)) {
        size_t at = line.find("civr_"), end = line.find(';');
        if (at == std::string::npos || end == std::string::npos || line.find("/*") != std::string::npos)
            continue;
        std::string fn = line.substr(at, end - at);
        functions++;
        EXPECT_NE(here.find(fn + "("), std::string::npos) << fn << " is not called here";
    }
    EXPECT_GT(functions, 100u);
}
