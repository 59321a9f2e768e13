// The message catalogue: ids are API (docs/errors.md) and must stay unique,
// in the range of their group, with the code of their group.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

extern "C" {
#include "base/base.h"
}

TEST(Messages, IdsAreUniqueAndGrouped)
{
    std::set<int> seen;
    for (int m = 0; m < CIVR_M__COUNT; m++) {
        int id = civr__msg_id((civr_msg)m);
        EXPECT_TRUE(seen.insert(id).second) << "duplicate id " << id;
        int group = id / 1000;
        int code = civr__msg_code((civr_msg)m);
        switch (group) {
        case 1: EXPECT_TRUE(code == CIVR_ESYNTAX || code == CIVR_ELIMIT) << id; break;
        case 2: EXPECT_TRUE(code == CIVR_ESCHEMA || code == CIVR_EDATA || code == CIVR_ELIMIT ||
                            code == CIVR_EINVAL) << id; break;
        case 3: EXPECT_TRUE(code == CIVR_EEXPR || code == CIVR_ELIMIT) << id; break;
        case 4: EXPECT_TRUE(code == CIVR_EPOLICY || code == CIVR_EIO || code == CIVR_ELIMIT) << id; break;
        case 5: EXPECT_EQ(code, CIVR_EEVAL) << id; break;
        case 6: EXPECT_TRUE(code == CIVR_EHOOK || code == CIVR_ELIMIT) << id; break;
        case 7: EXPECT_TRUE(code == CIVR_EDATA || code == CIVR_EPOLICY || code == CIVR_EEVAL) << id; break;
        case 8: EXPECT_TRUE(code == CIVR_ENOTSUP || code == CIVR_EINVAL) << id; break;
        case 9: EXPECT_TRUE(code == CIVR_EINVAL || code == CIVR_ENOMEM) << id; break;
        default: ADD_FAILURE() << "id " << id << " outside the groups";
        }
    }
}

// Every message's id and format.
const struct {
    int id;
    const char *format;
} catalogue[] = {
#define X(name, id, code, fmt) {id, fmt},
#include "base/messages.def"
#undef X
};

// Issue 11: each distinct message has its own id: no catch-all format that
// only passes a text through, and no two ids with the same format.
TEST(Messages, EachMessageHasItsOwnIdAndFormat)
{
    std::map<std::string, int> by_format;
    for (const auto &m : catalogue) {
        std::string f = m.format;
        EXPECT_NE(f, "%s") << "CIVR-" << m.id << " only passes a text through";
        EXPECT_NE(f, "%s: %s") << "CIVR-" << m.id << " only passes a text through";
        auto seen = by_format.emplace(f, m.id);
        EXPECT_TRUE(seen.second) << "CIVR-" << m.id << " and CIVR-" << seen.first->second
                                 << " have the same text: " << f;
    }
}

// Issue 11: a format "<prefix>: %s" passes a whole sentence through, which the
// compiler cannot check and docs/errors.md cannot list. Only texts civrules
// does not write itself may: libyaml's, Lua's, the system's, a path of names.
TEST(Messages, OnlyOutsideTextsPassThrough)
{
    const std::map<int, std::string> allowed = {
        {1001, "libyaml's description of the syntax error"},
        {4001, "the system's reason (ENOENT, EISDIR, ...)"},
        {4010, "the cycle, as the names it goes through"},
        {4013, "the cycle, as the programs it goes through"},
        {6001, "Lua's compiler message"},
        {6002, "the hook's own error text, or Lua's"},
        {6006, "Lua's message"},
        {9025, "a binding's description of a host-language value it cannot pass to C"},
    };
    std::set<int> passing;
    for (const auto &m : catalogue) {
        std::string f = m.format;
        if (f.size() >= 4 && f.compare(f.size() - 4, 4, ": %s") == 0)
            passing.insert(m.id);
    }
    for (int id : passing)
        EXPECT_TRUE(allowed.count(id)) << "CIVR-" << id << " passes a text through: give each "
                                          "message it carries its own id";
    for (const auto &a : allowed)
        EXPECT_TRUE(passing.count(a.first)) << "CIVR-" << a.first << " no longer passes a text "
                                               "through: take it off the list";
}

TEST(Messages, FirstErrorWinsAndFormatIsStable)
{
    civr_error err = CIVR_ERROR_INIT;
    civr_pos pos = {"a.yaml", 3, 7, 20};
    civr__fail(&err, &pos, CIVR_MSG(DUPLICATE_KEY), "x", 1u);
    civr__fail(&err, nullptr, CIVR_MSG(NO_MEMORY));
    char buf[256];
    civr_error_format(&err, buf, sizeof buf);
    EXPECT_STREQ(buf, "a.yaml:3:7: error: [CIVR-1006] duplicate key 'x' (first at line 1)");
    EXPECT_EQ(err.code, CIVR_ESYNTAX);
    EXPECT_STREQ(civr_code_name(err.code), "syntax");
    civr_error_clear(&err);
    EXPECT_EQ(err.code, 0);
}
