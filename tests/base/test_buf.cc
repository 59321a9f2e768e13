// Buffers (lib/base/buf.c).
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "base/base.h"
}

// civr__buf_json_string looks at eight bytes at a time: every byte JSON must
// escape is found at every position of a long string, next to UTF-8.
TEST(JsonString, EscapesEveryByteThatNeedsItAtEveryPosition)
{
    const std::string plain = "abcdefgh\xe4\xbd\x8e\xe4\xbf\x9d" "ijklmnopqrstuvwxyz0123";
    struct {
        char c;
        const char *out;
    } cases[] = {{'"', "\\\""}, {'\\', "\\\\"}, {'\n', "\\n"}, {'\t', "\\t"}, {'\x01', "\\u0001"},
                 {'\x1f', "\\u001f"}, {'\x7f', "\\u007f"}, {' ', " "}, {'~', "~"}};
    for (const auto &c : cases) {
        for (size_t i = 0; i <= plain.size(); i++) {
            std::string in = plain.substr(0, i) + c.c + plain.substr(i);
            std::string want = "\"" + plain.substr(0, i) + c.out + plain.substr(i) + "\"";
            civr_buf b = CIVR_BUF_INIT;
            civr__buf_json_string(&b, in.data(), in.size());
            ASSERT_EQ(std::string(b.data, b.len), want) << "byte " << int(c.c) << " at " << i;
            civr__buf_free(&b);
        }
    }
}
