/* SHA-256 (FIPS 180-4), for the cache's content addresses: the cache must
 * not mistake one compile or link for another, so a 64-bit FNV will not
 * do, and no library the harness already needs has a digest. */
#ifndef LM_SHA256_H
#define LM_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256 *s);
void sha256_add(struct sha256 *s, const void *data, size_t n);
/* 64 hex digits and a NUL into hex. */
void sha256_hex(struct sha256 *s, char hex[65]);
/* For the tests, which check both: digests are made by the portable code
 * (on false) or by the CPU's SHA instructions when it has them (on true,
 * the default). Returns whether the instructions are used. */
bool sha256_use_hw(bool on);

#endif
