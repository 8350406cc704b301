/*
 * Postings held in memory, for long-lived readers (larchd).
 *
 * The searches the tier terms cannot answer (store_tiers.cc: an OR whose
 * best matches hold each word once, three words, `subject:` words, which
 * have no tiers) cost Xapian's whole match: every posting of every word
 * decoded and weighed, 350 to 750 µs for lists of 10,000 to 25,000
 * documents (docs/PERFORMANCE.md, Queries).  With b = 0 a word's weight
 * depends only on its wdf, and most documents hold a word once, so a
 * term is held here as a bitmap of the documents that hold it and a
 * short list of the wdfs of those that hold it twice or more:
 * store_hot_match.cc finds a page of matches from those with a few
 * passes over the bitmaps, without weighing every match.
 *
 * A bitmap costs an eighth of a byte per document of the shard, so only
 * terms in a 64th of the documents or more are held (their bitmap is
 * then at most twice a list of 4-byte docids), and never fewer than
 * LARCH_HOT_MIN_TF: a rarer term is decoded from the shard at search
 * time.  On the 100k bench corpus that is about 2,900 terms.  The copy
 * is made with the result rows (store_rows.cc), by the same thread, at
 * the same revision, and within the same budget.
 */
#include <algorithm>

#include "store_hot.hh"
#include "store_tiers.hh"

bool
larch_hot_read(const Xapian::Database &shard, const std::string &term,
    Xapian::docid last, larch_hot_term *t)
{
	t->tf = 0;
	t->bits.assign((size_t)last / 64 + 1, 0);
	for (auto p = shard.postlist_begin(term); p != shard.postlist_end(term);
	    ++p) {
		Xapian::docid d = *p;
		Xapian::termcount wdf = p.get_wdf();

		if (d > last)
			return false;
		t->bits[d / 64] |= UINT64_C(1) << (d % 64);
		t->tf++;
		if (wdf >= 2)
			t->twice.emplace_back(d, wdf);
		t->zero |= wdf == 0;
	}
	return true;
}

std::shared_ptr<const larch_hot>
larch_hot_build(const Xapian::Database &shard, uint64_t budget,
    Xapian::doccount min_tf, const std::atomic<bool> &stop)
{
	static const size_t TIER_LEN = sizeof LARCH_TIER_PREFIX - 1;
	auto h = std::make_shared<larch_hot>();

	h->last = shard.get_lastdocid();
	min_tf = std::max<Xapian::doccount>(min_tf, h->last / 64);
	min_tf = std::max<Xapian::doccount>(min_tf, 1);
	for (auto t = shard.allterms_begin(); t != shard.allterms_end(); ++t) {
		const std::string &term = *t;

		if (t.get_termfreq() < min_tf ||
		    term.compare(0, TIER_LEN, LARCH_TIER_PREFIX) == 0)
			continue;
		if (stop)
			return nullptr;
		larch_hot_term &held = h->terms[term];
		/* A document added after get_lastdocid() (a writer's,
		 * uncommitted) is not in the bitmaps. */
		if (!larch_hot_read(shard, term, h->last, &held))
			return nullptr;
		h->bytes += term.size() + h->words() * sizeof(uint64_t);
		held.twice.shrink_to_fit();
		h->bytes += held.twice.size() * sizeof(larch_hot_wdf);
		if (h->bytes > budget)
			return nullptr;
	}
	return h;
}
