// The YAML reader (lib/doc/yaml.c): libyaml events into positioned trees.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "support/support.h"

extern "C" {
#include "doc/doc.h"
}

static std::string parse_error(const std::string &text, const civr_limits *limits = nullptr)
{
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr__doc_parse_yaml(&doc, text.data(), text.size(), "in.yaml", limits, &err);
    civr__doc_free(&doc);
    return rc == 0 ? "ok" : civt::format(err);
}

TEST(Yaml, KeepsScalarsAsTextWithPositions)
{
    std::string t = "a:\n  b: 1.10\n  c: '007'\n  d: |\n    x + y\n";
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr__doc_parse_yaml(&doc, t.data(), t.size(), "t", nullptr, &err), 0);
    const civr_node *a = civr__node_get(doc.root, "a");
    const civr_node *b = civr__node_get(a, "b");
    EXPECT_STREQ(civr__node_text(b), "1.10"); // not 1.1: numbers are read by whoever needs them
    EXPECT_EQ(b->line, 2u);
    EXPECT_EQ(b->column, 6u);
    EXPECT_EQ(civr__node_get(a, "c")->style, CIVR_STYLE_QUOTED);
    // a position inside a block scalar maps back to the source: 'y' is at 5:9
    const civr_node *d = civr__node_get(a, "d");
    civr_pos p = civr__doc_pos_in(&doc, d, 4);
    EXPECT_EQ(p.line, 5u);
    EXPECT_EQ(p.column, 9u);
    civr__doc_free(&doc);
}

TEST(Yaml, SyntaxErrorsAndRefusedFeaturesHavePositions)
{
    EXPECT_EQ(parse_error("a: [1, 2\n"),
              "in.yaml:2:1: error: [CIVR-1001] YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 1)");
    EXPECT_EQ(parse_error("a: 1\na: 2\n"),
              "in.yaml:2:1: error: [CIVR-1006] duplicate key 'a' (first at line 1)");
    EXPECT_EQ(parse_error("a: !!str 1\n"),
              "in.yaml:1:4: error: [CIVR-1008] YAML feature not supported here: tags");
    EXPECT_EQ(parse_error("base: &b {x: 1}\nc:\n  <<: *b\n"),
              "in.yaml:3:3: error: [CIVR-1032] YAML feature not supported here: merge keys (<<)");
    EXPECT_EQ(parse_error("a: *nothing\n"),
              "in.yaml:1:4: error: [CIVR-1034] YAML feature not supported here: an alias to an unknown anchor");
    EXPECT_EQ(parse_error("a: \"x\\0y\"\n"),
              "in.yaml:1:4: error: [CIVR-1033] YAML feature not supported here: NUL characters in text");
    EXPECT_EQ(parse_error("a: &x [*x]\n"),
              "in.yaml:1:8: error: [CIVR-1035] YAML feature not supported here: an alias inside the node it refers to");
    EXPECT_EQ(parse_error("? [a]\n: 1\n"),
              "in.yaml:1:3: error: [CIVR-1010] mapping keys must be plain strings");
    EXPECT_EQ(parse_error("a: 1\n---\nb: 2\n"),
              "in.yaml:2:1: error: [CIVR-1009] only one YAML document is allowed per text");
}

TEST(Yaml, AliasesCountAsExpandedSoBillionLaughsStops)
{
    std::string t = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'j'; c++, prev++)
        t += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" +
             prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev +
             ", *" + prev + "]\n";
    std::string e = parse_error(t);
    EXPECT_NE(e.find("[CIVR-1005]"), std::string::npos) << e;
    EXPECT_EQ(parse_error("a: &a [1, 2]\nb: *a\n"), "ok"); // ordinary aliases are fine
}

// Issue 11 #5: a 3.3 MB household with 150,000 anchors and aliases took 59
// s (each alias searched every anchor; each closing collection walked them
// all). Anchors are bounded (max_anchors, 10,000 by default) and found by
// hash, so even a raised bound stays linear.
TEST(Yaml, ManyAnchorsAreBoundedAndCostLinearTime)
{
    std::string t = "a: [";
    for (int i = 0; i < 150000; i++)
        t += "&a" + std::to_string(i) + " [x], ";
    for (int i = 0; i < 150000; i++)
        t += "*a" + std::to_string(i) + ", ";
    t += "x]\n";
    // the 10,001st anchor, at column 4 + the length of 10,000 "&aN [x], " + 1
    EXPECT_EQ(parse_error(t), "in.yaml:1:118895: error: [CIVR-1011] more than 10000 anchors in one text");
    civr_limits raised = CIVR_LIMITS_INIT;
    raised.max_anchors = 200000;
    auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(parse_error(t, &raised), "ok");
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(s, 10.0) << "quadratic again?";
    // the latest of two equal names is the one an alias means
    EXPECT_EQ(parse_error("a: &x [1]\nb: &x 2\nc: *x\n"), "ok");
}

// A civr_limits of a version this library does not know is refused, not
// silently replaced by the defaults; version 1 (without max_anchors) is read
// as what it was.
TEST(Yaml, LimitsOfAnUnknownVersionAreRefused)
{
    civr_limits l = CIVR_LIMITS_INIT;
    l.version = 99;
    EXPECT_EQ(parse_error("a: 1\n", &l),
              "error: [CIVR-9004] invalid argument: civr_limits.version is 99, not one this library "
              "knows (1 to 2): set it to CIVR_LIMITS_VERSION");
    l.version = 0;
    EXPECT_NE(parse_error("a: 1\n", &l).find("[CIVR-9004]"), std::string::npos);
    l = civr_limits CIVR_LIMITS_INIT;
    l.version = 1;
    l.max_depth = 2;
    l.max_anchors = 1; // not part of version 1: ignored
    EXPECT_EQ(parse_error("a: [&x 1, &y 2]\n", &l), "ok");
    EXPECT_NE(parse_error("a: [[[1]]]\n", &l).find("[CIVR-1004]"), std::string::npos);
}

// The readers recurse once per level of nesting: with max_depth raised to
// 4,294,967,295, JSON nested 100,000 deep overflowed the stack and YAML
// nested 200,000 deep ran for over a minute. max_depth, max_expr_depth and
// max_members now have a ceiling (civr_limits.h); at the ceiling both
// readers take 1,000 levels and refuse the 1,001st.
TEST(Yaml, TheDepthLimitHasACeiling)
{
    civr_limits l = CIVR_LIMITS_INIT;
    l.max_depth = 0xffffffffu;
    EXPECT_EQ(parse_error("a: 1\n", &l),
              "error: [CIVR-9028] invalid argument: civr_limits.max_depth is 4294967295, more than "
              "the most this library takes (1000, civrules/civr_limits.h)");
    l = civr_limits CIVR_LIMITS_INIT;
    l.max_members = CIVR_LIMITS_MEMBERS_MAX + 1;
    EXPECT_NE(parse_error("a: 1\n", &l).find("civr_limits.max_members is 1001"), std::string::npos);
    l = civr_limits CIVR_LIMITS_INIT;
    l.max_depth = CIVR_LIMITS_DEPTH_MAX;
    auto nested = [](int levels) { // a mapping, then levels - 1 sequences
        return "a: " + std::string(levels - 1, '[') + std::string(levels - 1, ']') + "\n";
    };
    EXPECT_EQ(parse_error(nested(1000), &l), "ok");
    EXPECT_NE(parse_error(nested(1001), &l).find("[CIVR-1004] nesting deeper than the limit of 1000"),
              std::string::npos);
    EXPECT_NE(parse_error(nested(200000), &l).find("[CIVR-1004]"), std::string::npos);
}

// The position index that expression compiling uses (one walk remembered
// every CIVR_POS_STEP bytes; a walk from the start for each token made a
// long expression quadratic, issue 11) gives civr__doc_pos_in's answers for
// every byte, in any order, through quotes, escapes, folded lines and
// multi-byte characters.
TEST(Yaml, ThePositionIndexAgreesWithTheWalkFromTheStart)
{
    std::string plain, dq, block;
    for (int i = 0; i < 300; i++) {
        plain += "a + 金额 ";
        dq += "x \\\"q\\\" ";
        block += "  line " + std::to_string(i) + "\n";
    }
    std::string t = "p: " + plain + "\nq: \"" + dq + "\"\nr: |\n" + block + "s: >\n" + block;
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr__doc_parse_yaml(&doc, t.data(), t.size(), "t", nullptr, &err), 0)
        << civt::format(err);
    for (const char *key : {"p", "q", "r", "s"}) {
        const civr_node *n = civr__node_get(doc.root, key);
        ASSERT_NE(n, nullptr);
        civr_pos_index x;
        civr__pos_index_init(&x, &doc, n);
        size_t len = n->u.scalar.len;
        for (size_t k = 0; k <= len + 1; k += 7) {
            size_t kk = (k * 7919) % (len + 2); // out of order, past the end too
            civr_pos want = civr__doc_pos_in(&doc, n, kk), got = civr__pos_index_at(&x, kk);
            ASSERT_EQ(got.line, want.line) << key << " byte " << kk;
            ASSERT_EQ(got.column, want.column) << key << " byte " << kk;
            ASSERT_EQ(got.offset, want.offset) << key << " byte " << kk;
        }
        civr__pos_index_free(&x);
    }
    civr__doc_free(&doc);
}
