/*
 * A message's record (the JSON of include/larch/record.h) as a document
 * keeps it: zlib-compressed, in the value slot SLOT_RECORD, not as
 * Xapian's document data.
 *
 * Why: Xapian compresses document data itself, with zlib, in the one
 * thread that writes the index, which is what limits larch-index on a
 * large archive (its parser threads wait for it).  In a profile of the
 * 100k-message run, compressing and storing the records was 7.5% of that
 * thread's time.  Xapian stores values as they are, so with the record
 * compressed here, in the parser thread that built the document, the
 * writer no longer runs zlib over it (docs/PERFORMANCE.md, twenty-fourth
 * session).
 *
 * The value: the record's length in bytes as a varint (store_varint.hh),
 * then the zlib stream (RFC 1950) of its bytes.
 */
#include <climits>
#include <cstring>
#include <new>
#include <stdexcept>

#include <zlib.h>

#include "store_private.hh"
#include "store_record.hh"
#include "store_varint.hh"

/* zlib's fastest level: at its default level the records of a 20k
 * corpus took 3% less room (0.9 MB in an index of 185 MB), for more of
 * the parser threads' time. */
static const int RECORD_LEVEL = 1;
/* A 16 KiB hash table instead of zlib's default 64 KiB: a record is a few
 * KiB, and the table is cleared for every record. */
static const int RECORD_MEM_LEVEL = 6;

namespace {

/* One deflate state per thread, reset for each record: setting one up
 * allocates about 160 KiB. */
struct deflater {
	z_stream z = {};
	bool ready = false;

	deflater()
	{
		ready = deflateInit2(&z, RECORD_LEVEL, Z_DEFLATED, 15,
		    RECORD_MEM_LEVEL, Z_DEFAULT_STRATEGY) == Z_OK;
	}
	~deflater()
	{
		if (ready)
			deflateEnd(&z);
	}
	deflater(const deflater &) = delete;
	deflater &operator=(const deflater &) = delete;
};

} // namespace

void
larch_store_set_record(Xapian::Document &doc, const char *json)
{
	thread_local deflater d;
	size_t len = strlen(json);
	std::string v;

	if (!d.ready || deflateReset(&d.z) != Z_OK)
		throw std::bad_alloc();
	/* zlib counts in unsigned ints; messages are cut far below that
	 * (max_message), so this is a guard, not a limit anyone meets. */
	if (len > UINT_MAX / 2)
		throw std::length_error("record too large to compress");
	put_varint(v, len);
	size_t head = v.size();
	v.resize(head + deflateBound(&d.z, (uLong)len));
	d.z.next_in = (Bytef *)json;
	d.z.avail_in = (uInt)len;
	d.z.next_out = (Bytef *)&v[head];
	d.z.avail_out = (uInt)(v.size() - head);
	/* deflateBound() is enough for one call to finish. */
	if (deflate(&d.z, Z_FINISH) != Z_STREAM_END)
		throw std::bad_alloc();
	v.resize(head + d.z.total_out);
	doc.add_value(SLOT_RECORD, v);
}

bool
larch_store_get_record(const Xapian::Document &doc, std::string &json)
{
	std::string v = doc.get_value(SLOT_RECORD);
	const char *p = v.data(), *end = p + v.size();
	uint64_t len;

	/* zlib expands at most about 1032 times: a longer length is
	 * damage, not worth allocating for. */
	if (!get_varint(&p, end, &len) ||
	    len > (uint64_t)(end - p) * 1032 + 64)
		return false;
	json.resize(len);
	uLongf got = (uLongf)len;
	/* An empty record never happens; zlib's output must not be NULL. */
	if (len == 0 || uncompress((Bytef *)&json[0], &got, (const Bytef *)p,
	    (uLong)(end - p)) != Z_OK || got != len)
		return false;
	return true;
}
