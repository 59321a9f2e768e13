// SHA-256 (lib/base/sha256.c, the policy digest) against the known answers
// of FIPS 180-2 (appendix B) and the NIST example of one million 'a', fed
// whole and in uneven pieces.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "base/sha256.h"
}

namespace {

std::string digest(const std::string &data, size_t piece)
{
    civr_sha256 s;
    civr__sha256_init(&s);
    for (size_t i = 0; i < data.size(); i += piece)
        civr__sha256_update(&s, data.data() + i, std::min(piece, data.size() - i));
    unsigned char out[32];
    civr__sha256_final(&s, out);
    char hex[65];
    civr__sha256_hex(out, hex);
    return hex;
}

} // namespace

TEST(Sha256, KnownAnswers)
{
    const struct {
        std::string in;
        const char *out;
    } cases[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {std::string(1000000, 'a'), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    };
    for (const auto &c : cases)
        for (size_t piece : {size_t(1), size_t(3), size_t(63), size_t(64), size_t(65), size_t(1) << 20})
            EXPECT_EQ(digest(c.in, piece), c.out) << c.in.size() << " bytes in pieces of " << piece;
}
