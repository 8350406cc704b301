/* Private to the store shim: the variable-length integers of the values
 * larch encodes itself (quote positions, records): seven bits a byte,
 * low bits first, the high bit set on every byte but the last. */
#ifndef LARCH_STORE_VARINT_HH
#define LARCH_STORE_VARINT_HH

#include <cstdint>
#include <string>

static inline void
put_varint(std::string &out, uint64_t v)
{
	while (v >= 0x80) {
		out += (char)(v | 0x80);
		v >>= 7;
	}
	out += (char)v;
}

/* Reads a varint at *p (before end); false when cut short. */
static inline bool
get_varint(const char **p, const char *end, uint64_t *v)
{
	*v = 0;
	for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char c = (unsigned char)*(*p)++;

		*v |= (uint64_t)(c & 0x7F) << shift;
		if ((c & 0x80) == 0)
			return true;
	}
	return false;
}

#endif
