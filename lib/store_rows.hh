/*
 * Result rows held in memory: see store_rows.cc.
 */
#ifndef LARCH_STORE_ROWS_HH
#define LARCH_STORE_ROWS_HH

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <xapian.h>

#include "store_hot.hh"

/* One shard's result values (SLOT_RESULT) at one revision of it, and
 * its frequent terms' postings. */
struct larch_rows {
	std::string uuid;
	Xapian::rev rev = 0;
	std::string bytes;
	/* By the shard's docid: document d's value is bytes[start[d],
	 * start[d + 1]), empty when it has none. */
	std::vector<uint64_t> start;
	/* The shard's frequent terms (store_hot.cc), when they fitted in
	 * what the budget left. */
	std::shared_ptr<const larch_hot> hot;

	/* d's value into *out; false when d is past the shard's last. */
	bool get(Xapian::docid d, std::string *out) const;
	uint64_t size() const;
};

/*
 * The rows of shard, opened from the directory path, when the process
 * holds them at the shard's present revision; otherwise NULL, and unless
 * rows are not kept at all (larch_store_keep_rows()) a build of them is
 * queued.  Thread-safe.
 */
std::shared_ptr<const larch_rows> larch_rows_find(
    const Xapian::Database &shard, const std::string &path);

#endif
