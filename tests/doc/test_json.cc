// The strict JSON reader (lib/doc/json.c): RFC 8259 with positions.
#include <gtest/gtest.h>

#include <dirent.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "support/support.h"

extern "C" {
#include "doc/doc.h"
}

static std::string parse_error(const std::string &text, const civr_limits *limits = nullptr)
{
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr__doc_parse_json(&doc, text.data(), text.size(), "in.json", limits, &err);
    civr__doc_free(&doc);
    return rc == 0 ? "ok" : civt::format(err);
}

TEST(Json, AcceptsValidDocumentsAndKeepsNumbersAsWritten)
{
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    std::string t = R"({"a": [1, -2.50, 3e2, true, null], "b": "x\u00e9\ud83d\ude00\n"})";
    ASSERT_EQ(civr__doc_parse_json(&doc, t.data(), t.size(), "t", nullptr, &err), 0)
        << civt::format(err);
    const civr_node *a = civr__node_get(doc.root, "a");
    ASSERT_EQ(a->u.seq.count, 5u);
    EXPECT_STREQ(civr__node_text(a->u.seq.items[1]), "-2.50");
    EXPECT_TRUE(civr__node_is_null(a->u.seq.items[4]));
    EXPECT_EQ(a->u.seq.items[1]->line, 1u);
    EXPECT_EQ(a->u.seq.items[1]->column, 11u);
    EXPECT_STREQ(civr__node_text(civr__node_get(doc.root, "b")), "x\xc3\xa9\xf0\x9f\x98\x80\n");
    civr__doc_free(&doc);
}

TEST(Json, ErrorsPointAtTheOffendingCharacter)
{
    EXPECT_EQ(parse_error("{\"a\": 1,}"),
              "in.json:1:9: error: [CIVR-1017] JSON syntax error: trailing comma");
    EXPECT_EQ(parse_error("{\"a\": 1\n \"b\": 2}"),
              "in.json:2:2: error: [CIVR-1018] JSON syntax error: expected ',' or '}'");
    EXPECT_EQ(parse_error("{\"a\": 01}"),
              "in.json:1:7: error: [CIVR-1029] JSON syntax error: numbers must not have leading zeros");
    EXPECT_EQ(parse_error("{\"a\": 1, \"a\": 2}"),
              "in.json:1:10: error: [CIVR-1006] duplicate key 'a' (first at line 1)");
    EXPECT_EQ(parse_error("{\"a\": \"x"),
              "in.json:1:9: error: [CIVR-1019] JSON syntax error: unterminated string");
    EXPECT_EQ(parse_error("{\"a\": tru}"),
              "in.json:1:7: error: [CIVR-1013] JSON syntax error: expected a value");
    EXPECT_EQ(parse_error("{} x"),
              "in.json:1:4: error: [CIVR-1014] JSON syntax error: unexpected text after the value");
    EXPECT_EQ(parse_error(""), "in.json:1:1: error: [CIVR-1002] JSON syntax error: unexpected end of text");
    EXPECT_EQ(parse_error("{\"a\": \"\\ud800\"}"),
              "in.json:1:14: error: [CIVR-1024] JSON syntax error: a high surrogate must be followed by a \\u low surrogate");
    EXPECT_EQ(parse_error(std::string("{\"a\": \"\xff\"}")),
              "in.json: error: [CIVR-1007] text is not valid UTF-8");
    // columns count characters, not bytes
    EXPECT_EQ(parse_error("{\"名字\": 1 2}"),
              "in.json:1:10: error: [CIVR-1018] JSON syntax error: expected ',' or '}'");
}

// Issue 11: each kind of syntax error has its own id (docs/errors.md), so a
// caller can tell a truncated text (1002) from a misplaced comma (1017).
TEST(Json, EachKindOfSyntaxErrorHasItsOwnId)
{
    EXPECT_EQ(parse_error("{\"a\": ["), "in.json:1:8: error: [CIVR-1002] JSON syntax error: unexpected end of text");
    EXPECT_EQ(parse_error("{1: 2}"), "in.json:1:2: error: [CIVR-1015] JSON syntax error: expected a string key");
    EXPECT_EQ(parse_error("{\"a\" 1}"),
              "in.json:1:6: error: [CIVR-1016] JSON syntax error: expected ':' after a key");
    EXPECT_EQ(parse_error("[1 2]"), "in.json:1:4: error: [CIVR-1018] JSON syntax error: expected ',' or ']'");
    EXPECT_EQ(parse_error("[\"a\tb\"]"),
              "in.json:1:4: error: [CIVR-1020] JSON syntax error: control character in a string (escape it)");
    EXPECT_EQ(parse_error("[\"\\x\"]"), "in.json:1:4: error: [CIVR-1021] JSON syntax error: invalid escape in a string");
    EXPECT_EQ(parse_error("[\"\\u12"),
              "in.json:1:7: error: [CIVR-1022] JSON syntax error: unexpected end of text in a \\u escape");
    EXPECT_EQ(parse_error("[\"\\u12G4\"]"),
              "in.json:1:7: error: [CIVR-1023] JSON syntax error: \\u must be followed by four hex digits");
    EXPECT_EQ(parse_error("[\"\\ud800\\u0041\"]"),
              "in.json:1:15: error: [CIVR-1025] JSON syntax error: invalid low surrogate");
    EXPECT_EQ(parse_error("[\"\\udc00\"]"), "in.json:1:9: error: [CIVR-1026] JSON syntax error: unpaired low surrogate");
    EXPECT_EQ(parse_error("[\"\\u0000\"]"), "in.json:1:9: error: [CIVR-1027] JSON syntax error: \\u0000 is not allowed");
    EXPECT_EQ(parse_error("[-]"), "in.json:1:2: error: [CIVR-1028] JSON syntax error: invalid number");
    EXPECT_EQ(parse_error("[1.]"),
              "in.json:1:2: error: [CIVR-1030] JSON syntax error: a decimal point must be followed by digits");
    EXPECT_EQ(parse_error("[1e]"), "in.json:1:2: error: [CIVR-1031] JSON syntax error: invalid exponent");
}

// With max_depth raised to 4,294,967,295, arrays nested 100,000 deep
// overflowed the stack; the limit has a ceiling (civr_limits.h), at which
// 1,000 levels are read and the 1,001st refused (the YAML test says more).
TEST(Json, TheDepthLimitHasACeiling)
{
    civr_limits l = CIVR_LIMITS_INIT;
    l.max_depth = 0xffffffffu;
    EXPECT_NE(parse_error("[]", &l).find("[CIVR-9028]"), std::string::npos);
    l.max_depth = CIVR_LIMITS_DEPTH_MAX;
    EXPECT_EQ(parse_error(std::string(1000, '[') + std::string(1000, ']'), &l), "ok");
    EXPECT_EQ(parse_error(std::string(100000, '[') + std::string(100000, ']'), &l),
              "in.json:1:1001: error: [CIVR-1004] nesting deeper than the limit of 1000 levels");
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

// civr__doc_json_peek (choosing a household's bundle without a tree) must never
// accept what the reader refuses, and must give the top-level values the reader
// gives. Checked over the household fuzz corpus and every prefix and one-byte
// change of a few households, with default and tight limits.
static std::string node_value(const civr_node *root, const char *key, bool *present)
{
    const civr_node *n = civr__node_get(root, key);
    *present = n && n->kind == CIVR_NODE_SCALAR && !civr__node_is_null(n);
    return *present ? std::string(n->u.scalar.text, n->u.scalar.len) : std::string();
}

static int peek_agrees(const std::string &t, const civr_limits *limits, std::string *why)
{
    static const char *const keys[] = {"id", "region"};
    const char *values[2];
    size_t lens[2];
    if (!civr__doc_json_peek(t.data(), t.size(), limits, keys, 2, values, lens))
        return 0; /* not sure: the reader decides */
    civr_doc doc;
    civr_error err = CIVR_ERROR_INIT;
    int rc = civr__doc_parse_json(&doc, t.data(), t.size(), "t", limits, &err);
    int ok = 1;
    if (rc != 0) {
        *why = "peek accepted what the reader refuses: " + civt::format(err) + "\n" + t;
        ok = -1;
    } else if (doc.root && doc.root->kind == CIVR_NODE_MAP) {
        for (int k = 0; k < 2; k++) {
            bool present;
            std::string want = node_value(doc.root, keys[k], &present);
            if (present != (values[k] != nullptr) ||
                (present && want != std::string(values[k], lens[k]))) {
                *why = std::string("peek's ") + keys[k] + " differs from the reader's\n" + t;
                ok = -1;
            }
        }
    } else {
        *why = "peek accepted a text that is not an object\n" + t;
        ok = -1;
    }
    civr__doc_free(&doc);
    return ok;
}

TEST(Json, PeekAcceptsOnlyWhatTheReaderAcceptsWithTheSameTopLevelValues)
{
    std::vector<std::string> texts = {
        R"({"id": "H1", "region": "440106", "members": [{"id": "a"}]})",
        R"({"region": 440106, "id": true, "x": {"region": "nested"}})",
        R"({"id": null, "region": "a\"b"})",
        R"({"id": "\u0048", "region": "440106"})",
        R"({"id": "H", "id": "H2"})",
        R"({"i\u0064": "H", "id": "H2"})",
        R"({"id": "H", "members": [1, 2,]})",
        R"({"id": "H", "a": 01})",
        R"({"id": "H", "a": truex})",
        R"({"id": "H", "a": [[[[[[1]]]]]]})",
        R"({"id": "H", "a": {"b": 1, "b": 2}})",
        "\xef\xbb\xbf{\"id\": \"H\", \"region\": \"\xe5\xb9\xbf\"}",
        "{\"id\": \"\xff\"}",
        "{\"id\": \"a\tb\"}",
        R"({"id": "H"} x)",
        R"([{"id": "H"}])",
        "",
    };
    std::string base = texts[0];
    for (size_t i = 0; i <= base.size(); i++) { /* every prefix and one-byte change */
        texts.push_back(base.substr(0, i));
        for (char c : std::string("{}[]\",:\\ 0an")) {
            std::string t = base;
            if (i < t.size()) {
                t[i] = c;
                texts.push_back(t);
            }
        }
    }
    std::string dir = civt::source_path("fuzz/corpus/household");
    if (DIR *d = opendir(dir.c_str())) {
        while (struct dirent *e = readdir(d)) {
            if (e->d_name[0] == '.')
                continue;
            std::ifstream f(dir + "/" + e->d_name, std::ios::binary);
            texts.emplace_back(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
        }
        closedir(d);
    }
    civr_limits tight = CIVR_LIMITS_INIT;
    tight.max_depth = 3;
    tight.max_nodes = 12;
    tight.max_text_bytes = 200;
    size_t sure = 0;
    for (const std::string &t : texts) {
        for (const civr_limits *l : {(const civr_limits *)nullptr, (const civr_limits *)&tight}) {
            std::string why;
            int r = peek_agrees(t, l, &why);
            ASSERT_NE(r, -1) << why;
            sure += r == 1;
        }
    }
    EXPECT_GT(sure, 100u); /* it is sure of the plain households */
}
