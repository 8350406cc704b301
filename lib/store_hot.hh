/*
 * Postings held in memory, and the searches they answer without Xapian's
 * matcher: see store_hot.cc (the copy) and store_hot_match.cc (the
 * search).
 */
#ifndef LARCH_STORE_HOT_HH
#define LARCH_STORE_HOT_HH

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <xapian.h>

/* A document id and its wdf. */
typedef std::pair<uint32_t, uint32_t> larch_hot_wdf;

/* One term of one shard: which documents hold it, and the wdf of those
 * that hold it twice or more (most hold a word once). */
struct larch_hot_term {
	Xapian::doccount tf = 0;
	std::vector<uint64_t> bits;		/* bit d: document d */
	std::vector<larch_hot_wdf> twice;	/* by docid */
	/* Whether some document holds it at wdf 0 (a boolean term): such a
	 * term is not weighed from here. */
	bool zero = false;
};

/* The frequent terms of one shard at one revision. */
struct larch_hot {
	Xapian::docid last = 0;		/* the bitmaps' last docid */
	std::unordered_map<std::string, larch_hot_term> terms;
	uint64_t bytes = 0;

	/* How many 64-bit words a bitmap of this shard has. */
	size_t words() const { return (size_t)last / 64 + 1; }
};

/* The smallest term frequency held by default: a term in fewer
 * documents is decoded from the shard in a few µs. */
static const Xapian::doccount LARCH_HOT_MIN_TF = 1000;

/* Reads term's postings in shard into *t, for bitmaps of docids up to
 * last; false when a document past last holds it. */
bool larch_hot_read(const Xapian::Database &shard, const std::string &term,
    Xapian::docid last, larch_hot_term *t);

/*
 * The terms of shard in min_tf documents or more (and in a 64th of
 * them), but not tier terms, read at the shard's revision; NULL when
 * they would take more than budget bytes, when stop is set, or on any
 * error.
 */
std::shared_ptr<const larch_hot> larch_hot_build(const Xapian::Database &shard,
    uint64_t budget, Xapian::doccount min_tf, const std::atomic<bool> &stop);

/* One result of larch_hot_page(). */
struct larch_hot_hit {
	Xapian::docid did;	/* in the combined database */
	double weight;
	int percent;
};

/*
 * The first want matches of query by relevance (larch_bm25, ascending
 * docids among equal weights) in the combined database all of the
 * shards, with Xapian's percentages, found from the shards' held terms
 * (hot[i] for shards[i]; a term not held but in few documents is read
 * from its shard).  *total is the number of matches when *counted; a
 * query with phrases is not counted (its words' matches are).  False when
 * the query is of a shape not answered here, or a term is neither held
 * nor rare; the outputs are then unspecified.  Throws what Xapian
 * throws.
 */
bool larch_hot_page(const Xapian::Database &all,
    const std::vector<Xapian::Database> &shards,
    const std::vector<std::shared_ptr<const larch_hot>> &hot,
    const Xapian::Query &query, Xapian::doccount want,
    std::vector<larch_hot_hit> *out, uint64_t *total, bool *counted);

#endif
