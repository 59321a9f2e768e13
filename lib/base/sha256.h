/* SHA-256 (FIPS 180-4), for the policy digest. */
#ifndef CIVR_SHA256_H
#define CIVR_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct civr_sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} civr_sha256;

void civr__sha256_init(civr_sha256 *s);
void civr__sha256_update(civr_sha256 *s, const void *data, size_t len);
void civr__sha256_final(civr_sha256 *s, unsigned char out[32]);
/* Write the 64 hex digits of `digest` plus NUL into `hex`. */
void civr__sha256_hex(const unsigned char digest[32], char hex[65]);

#endif
