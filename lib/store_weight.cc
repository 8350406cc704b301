/*
 * BM25 without length normalisation (store_weight.hh).  Each step is the
 * one Xapian 1.4's BM25Weight takes, in its order, so that the doubles
 * come out equal: with b = 0 the length part of the denominator is
 * exactly 1 and k1 + 1 exactly 2.
 */
#include <cmath>

#include "store_weight.hh"

double
larch_bm25_termweight(Xapian::doccount n, Xapian::doccount tf,
    Xapian::termcount wqf, double factor)
{
	double tw = (n - tf + 0.5) / (tf + 0.5);
	double q = wqf;

	/* A term in more than a third of the documents keeps a small
	 * positive weight rather than a negative one (Xapian's rule). */
	if (tw < 2)
		tw = tw * 0.5 + 1;
	double w = std::log(tw) * factor;
	w *= (1 + 1) * q / (1 + q);	/* k3 = 1 */
	w *= (1 + 1);			/* k1 = 1 */
	return w;
}

larch_bm25::larch_bm25()
{
	need_stat(COLLECTION_SIZE);
	need_stat(TERMFREQ);
	need_stat(WDF);
	need_stat(WDF_MAX);
	need_stat(WQF);
}

larch_bm25 *
larch_bm25::clone() const
{
	return new larch_bm25();
}

/* Xapian clones this object once per query term and initialises each
 * clone with the term's statistics, so a memo never mixes two terms. */
void
larch_bm25::init(double factor)
{
	if (get_wqf() == LARCH_TIER_WQF)
		termweight = factor;
	else
		termweight = larch_bm25_termweight(get_collection_size(),
		    get_termfreq(), get_wqf(), factor);
}

double
larch_bm25::get_sumpart(Xapian::termcount wdf, Xapian::termcount,
    Xapian::termcount) const
{
	if (wdf >= MEMO)
		return larch_bm25_at(termweight, wdf);
	if (!(known & (UINT32_C(1) << wdf))) {
		memo[wdf] = larch_bm25_at(termweight, wdf);
		known |= UINT32_C(1) << wdf;
	}
	return memo[wdf];
}

double
larch_bm25::get_maxpart() const
{
	return larch_bm25_at(termweight, get_wdf_upper_bound());
}
