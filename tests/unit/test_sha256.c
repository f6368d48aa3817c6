/* SHA-256, which names every cache entry: the FIPS 180-4 examples, the
 * padding boundaries (55, 56 and 64 bytes), and the same digest whatever
 * the pieces the data comes in; by the portable code and, on a CPU that
 * has them, by the SHA instructions, which must agree on every length. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "util/sha256.h"

static void digest(const void *data, size_t n, size_t piece, char hex[65])
{
	struct sha256 s;
	sha256_init(&s);
	for (size_t i = 0; i < n; i += piece)
		sha256_add(&s, (const char *)data + i, n - i < piece ? n - i : piece);
	sha256_hex(&s, hex);
}

static void vector(const char *name, const void *data, size_t n, const char *want)
{
	static const size_t pieces[] = { 1, 3, 63, 64, 65, 1 << 20 };
	bool all = true;
	char hex[65];
	for (size_t i = 0; i < sizeof pieces / sizeof pieces[0]; i++) {
		digest(data, n, pieces[i], hex);
		all = all && !strcmp(hex, want);
	}
	if (!ok(all, "%s", name))
		fprintf(stderr, "# got %s, want %s\n", hex, want);
}

static void vectors(void)
{
	vector("empty", "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	vector("abc", "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	vector("two blocks (448 bits)", two, strlen(two),
	       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	static char zeros[64], million[1000000];
	vector("55 zero bytes", zeros, 55, "02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7");
	vector("56 zero bytes", zeros, 56, "d4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb");
	vector("64 zero bytes", zeros, 64, "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
	memset(million, 'a', sizeof million);
	vector("a million 'a'", million, sizeof million,
	       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Every length up to 4 blocks and a few long ones, of bytes that differ
 * in every position, digested in the pieces vector() uses. */
static void same_as_portable(void)
{
	static unsigned char data[70000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 131 + (i >> 8) * 7);
	bool same = true;
	for (size_t n = 0; n <= sizeof data && same; n = n < 260 ? n + 1 : n * 3 + 1) {
		char want[65], got[65];
		sha256_use_hw(false);
		digest(data, n, 63, want);
		sha256_use_hw(true);
		digest(data, n, 63, got);
		if (!(same = !strcmp(want, got)))
			fprintf(stderr, "# %zu bytes: instructions %s, portable %s\n", n, got, want);
	}
	ok(same, "the SHA instructions and the portable code agree on 0 to 260 bytes and longer");
}

int main(void)
{
	tap_start();
	sha256_use_hw(false);
	vectors();
	if (sha256_use_hw(true)) {
		vectors();
		same_as_portable();
	} else {
		ok(1, "# SKIP this CPU has no SHA instructions (or it is valgrind's)");
	}
	return tap_done();
}
