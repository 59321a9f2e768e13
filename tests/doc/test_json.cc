// The strict JSON reader (lib/doc/json.c): RFC 8259 with positions.
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
    int rc = civr_doc_parse_json(&doc, text.data(), text.size(), "in.json", limits, &err);
    civr_doc_free(&doc);
    return rc == 0 ? "ok" : civt::format(err);
}

TEST(Json, AcceptsValidDocumentsAndKeepsNumbersAsWritten)
{
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    std::string t = R"({"a": [1, -2.50, 3e2, true, null], "b": "x\u00e9\ud83d\ude00\n"})";
    ASSERT_EQ(civr_doc_parse_json(&doc, t.data(), t.size(), "t", nullptr, &err), 0)
        << civt::format(err);
    const civr_node *a = civr_node_get(doc.root, "a");
    ASSERT_EQ(a->u.seq.count, 5u);
    EXPECT_STREQ(civr_node_text(a->u.seq.items[1]), "-2.50");
    EXPECT_TRUE(civr_node_is_null(a->u.seq.items[4]));
    EXPECT_EQ(a->u.seq.items[1]->line, 1u);
    EXPECT_EQ(a->u.seq.items[1]->column, 11u);
    EXPECT_STREQ(civr_node_text(civr_node_get(doc.root, "b")), "x\xc3\xa9\xf0\x9f\x98\x80\n");
    civr_doc_free(&doc);
}

TEST(Json, ErrorsPointAtTheOffendingCharacter)
{
    EXPECT_EQ(parse_error("{\"a\": 1,}"),
              "in.json:1:9: error: [CIVR-1002] JSON syntax error: trailing comma");
    EXPECT_EQ(parse_error("{\"a\": 1\n \"b\": 2}"),
              "in.json:2:2: error: [CIVR-1002] JSON syntax error: expected ',' or '}'");
    EXPECT_EQ(parse_error("{\"a\": 01}"),
              "in.json:1:7: error: [CIVR-1002] JSON syntax error: numbers must not have leading zeros");
    EXPECT_EQ(parse_error("{\"a\": 1, \"a\": 2}"),
              "in.json:1:10: error: [CIVR-1006] duplicate key 'a' (first at line 1)");
    EXPECT_EQ(parse_error("{\"a\": \"x"),
              "in.json:1:9: error: [CIVR-1002] JSON syntax error: unterminated string");
    EXPECT_EQ(parse_error("{\"a\": tru}"),
              "in.json:1:7: error: [CIVR-1002] JSON syntax error: expected a value");
    EXPECT_EQ(parse_error("{} x"),
              "in.json:1:4: error: [CIVR-1002] JSON syntax error: unexpected text after the value");
    EXPECT_EQ(parse_error(""), "in.json:1:1: error: [CIVR-1002] JSON syntax error: unexpected end of text");
    EXPECT_EQ(parse_error("{\"a\": \"\\ud800\"}"),
              "in.json:1:14: error: [CIVR-1002] JSON syntax error: a high surrogate must be followed by a \\u low surrogate");
    EXPECT_EQ(parse_error(std::string("{\"a\": \"\xff\"}")),
              "in.json: error: [CIVR-1007] text is not valid UTF-8");
    // columns count characters, not bytes
    EXPECT_EQ(parse_error("{\"名字\": 1 2}"),
              "in.json:1:10: error: [CIVR-1002] JSON syntax error: expected ',' or '}'");
}

TEST(Json, LimitsStopHostileInput)
{
    civr_limits l = CIVR_LIMITS_INIT;
    l.max_depth = 8;
    EXPECT_EQ(parse_error(std::string(9, '[') + std::string(9, ']'), &l),
              "in.json:1:9: error: [CIVR-1004] nesting deeper than the limit of 8 levels");
    EXPECT_EQ(parse_error(std::string(8, '[') + std::string(8, ']'), &l), "ok");
    l.max_nodes = 100;
    std::string many = "[";
    for (int i = 0; i < 200; i++)
        many += i ? ",1" : "1";
    many += "]";
    EXPECT_EQ(parse_error(many, &l), "in.json:1:200: error: [CIVR-1005] more than 100 nodes (aliases counted as expanded)");
    l.max_text_bytes = 10;
    EXPECT_EQ(parse_error("{\"abcdefgh\": 1}", &l),
              "in.json: error: [CIVR-1003] text of 15 bytes is larger than the limit of 10 bytes");
    // a million nested brackets with default limits: an error, not a stack overflow
    EXPECT_NE(parse_error(std::string(1000000, '[')), "ok");
}
