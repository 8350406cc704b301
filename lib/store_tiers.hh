/*
 * Tier terms: a short posting list per word of the documents that hold
 * it at least twice, so that a search can find its best matches without
 * weighing every match (store_tiers.cc).
 */
#ifndef LARCH_STORE_TIERS_HH
#define LARCH_STORE_TIERS_HH

#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

/* The prefix of tier terms. */
#define LARCH_TIER_PREFIX "XW"

/* Adds doc's tier terms: XW + word, at the word's wdf, for each
 * unprefixed word of doc with a wdf of 2 or more.  Call once, after
 * every text term is in doc. */
void larch_store_add_tier_terms(Xapian::Document &doc);

/*
 * The first want matches of query by relevance (larch_bm25, ascending
 * docids among equal weights), found from tier terms: they are the items
 * of *out at the indexes *rows, in order, with the weights and
 * percentages the whole query gives them.  False when that cannot be
 * shown (a query of another shape, too few tier matches, or a best match
 * outside the tiers possibly as good); *out and *rows are then
 * unspecified.  Throws what Xapian throws.
 */
/* largest_wdf, unless NULL, keeps the largest wdf of tier terms read
 * for the bound, for later calls while db is at the same revision. */
typedef std::unordered_map<std::string, Xapian::termcount> larch_tier_wdf;
bool larch_store_tiered_mset(const Xapian::Database &db,
    const Xapian::Query &query, Xapian::doccount want, double time_limit,
    larch_tier_wdf *largest_wdf, Xapian::MSet *out,
    std::vector<Xapian::doccount> *rows);

/* Whether q, a PHRASE, is an exact phrase of words: what the query
 * parser makes of a quoted phrase, its window the number of words (ADJ/n
 * and NEAR are other queries). */
bool larch_exact_phrase(const Xapian::Query &q);

/* Whether document did of db holds every phrase (each its words, at
 * consecutive positions, in order: Xapian's exact phrase). */
bool larch_holds_phrases(const Xapian::Database &db, Xapian::docid did,
    const std::vector<std::vector<std::string>> &phrases);

#endif
