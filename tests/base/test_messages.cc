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

// Issue 11: each distinct message has its own id: no catch-all format that
// only passes a text through, and no two ids with the same format.
TEST(Messages, EachMessageHasItsOwnIdAndFormat)
{
    static const struct {
        int id;
        const char *format;
    } catalogue[] = {
#define X(name, id, code, fmt) {id, fmt},
#include "base/messages.def"
#undef X
    };
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
