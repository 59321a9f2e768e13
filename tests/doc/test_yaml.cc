// The YAML reader (lib/doc/yaml.c): libyaml events into positioned trees.
#include <gtest/gtest.h>

#include <string>

#include "support/support.h"

extern "C" {
#include "doc/doc.h"
}

static std::string parse_error(const std::string &text, const civr_limits *limits = nullptr)
{
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr_doc_parse_yaml(&doc, text.data(), text.size(), "in.yaml", limits, &err);
    civr_doc_free(&doc);
    return rc == 0 ? "ok" : civt::format(err);
}

TEST(Yaml, KeepsScalarsAsTextWithPositions)
{
    std::string t = "a:\n  b: 1.10\n  c: '007'\n  d: |\n    x + y\n";
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    ASSERT_EQ(civr_doc_parse_yaml(&doc, t.data(), t.size(), "t", nullptr, &err), 0);
    const civr_node *a = civr_node_get(doc.root, "a");
    const civr_node *b = civr_node_get(a, "b");
    EXPECT_STREQ(civr_node_text(b), "1.10"); // not 1.1: numbers are read by whoever needs them
    EXPECT_EQ(b->line, 2u);
    EXPECT_EQ(b->column, 6u);
    EXPECT_EQ(civr_node_get(a, "c")->style, CIVR_STYLE_QUOTED);
    // a position inside a block scalar maps back to the source: 'y' is at 5:9
    const civr_node *d = civr_node_get(a, "d");
    civr_pos p = civr_doc_pos_in(&doc, d, 4);
    EXPECT_EQ(p.line, 5u);
    EXPECT_EQ(p.column, 9u);
    civr_doc_free(&doc);
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
              "in.yaml:3:3: error: [CIVR-1008] YAML feature not supported here: merge keys (<<)");
    EXPECT_EQ(parse_error("a: *nothing\n"),
              "in.yaml:1:4: error: [CIVR-1008] YAML feature not supported here: an alias to an unknown anchor");
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
