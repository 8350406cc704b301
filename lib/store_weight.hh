/*
 * The relevance weight of searches: BM25 with k1 = 1, k2 = 0, k3 = 1 and
 * b = 0 (no length normalisation), the numbers Xapian::BM25Weight(1, 0,
 * 1, 0, 0.5) gives, to the last bit (tests/test-store-tiers.cc compares
 * them).  larch's own class, not a BM25Weight, for two reasons: a term's
 * weights are remembered by wdf (a table lookup instead of a division
 * for every match), and a tier term (store_tiers.cc) weighs as the word
 * it stands for, with that word's statistics.
 */
#ifndef LARCH_STORE_WEIGHT_HH
#define LARCH_STORE_WEIGHT_HH

#include <xapian.h>

/* The wqf that marks a tier term in a query: its weight per wdf is the
 * factor of the OP_SCALE_WEIGHT around it, not its own statistics. */
static const Xapian::termcount LARCH_TIER_WQF = 0x7ffffff1;

/* BM25's weight for a wdf of infinity (the term weight): what
 * Xapian::BM25Weight::init() computes for a term in tf of n documents,
 * repeated wqf times in the query, under factor. */
double larch_bm25_termweight(Xapian::doccount n, Xapian::doccount tf,
    Xapian::termcount wqf, double factor);

/* The weight of a term of term weight tw at wdf. */
static inline double
larch_bm25_at(double tw, Xapian::termcount wdf)
{
	double w = wdf;

	return tw * (w / (1.0 + w));
}

class larch_bm25 : public Xapian::Weight {
	static const Xapian::termcount MEMO = 32;
	double termweight = 0;
	mutable double memo[MEMO];
	mutable uint32_t known = 0;	/* bit w: memo[w] is set */

	larch_bm25 *clone() const override;
	void init(double factor) override;

public:
	larch_bm25();
	double get_sumpart(Xapian::termcount wdf, Xapian::termcount len,
	    Xapian::termcount uniq) const override;
	double get_maxpart() const override;
	double get_sumextra(Xapian::termcount, Xapian::termcount) const
	    override
	{
		return 0;
	}
	double get_maxextra() const override
	{
		return 0;
	}
};

#endif
