/*
 * Building a message's document: its terms, values and record.  Runs in
 * the indexer's worker threads; touches no database.  Part of the store
 * shim; see store.cc for the term prefixes and value slots.
 */
#include <algorithm>
#include <map>
#include <vector>

#include "larch/fold.h"
#include "larch/thread.h"
#include "store_dates.hh"
#include "store_phrase.hh"
#include "store_private.hh"
#include "store_tiers.hh"

Xapian::TermGenerator
larch_store_make_term_generator(const std::string &language)
{
	Xapian::TermGenerator tg;

	tg.set_stemmer(Xapian::Stem(language));
	tg.set_stemming_strategy(Xapian::TermGenerator::STEM_ALL);
	tg.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
	return tg;
}

/* One per thread and language: documents are built in worker threads,
 * and Xapian objects must not be shared between threads. */
static Xapian::TermGenerator &
term_generator(const char *language)
{
	thread_local std::map<std::string, Xapian::TermGenerator> tgs;
	std::string lang = language != nullptr && language[0] != '\0' ?
	    language : LARCH_STORE_LANGUAGE;
	auto it = tgs.find(lang);

	if (it == tgs.end())
		it = tgs.emplace(lang,
		    larch_store_make_term_generator(lang)).first;
	return it->second;
}

/* Detaches the thread's TermGenerator from the document when building
 * ends, however it ends: the document's reference count is not atomic and
 * the document is about to move to another thread. */
struct tg_guard {
	Xapian::TermGenerator &tg;
	explicit tg_guard(Xapian::TermGenerator &t, Xapian::Document &d)
	    : tg(t)
	{
		tg.set_document(d);
		tg.set_termpos(0);
	}
	~tg_guard()
	{
		try {
			tg.set_document(Xapian::Document());
		} catch (...) {
		}
	}
};

/* Whether text may hold CJK characters: a UTF-8 lead byte of U+2E80 and
 * above (CJK radicals to Hangul, and the compatibility forms). */
static bool
may_hold_cjk(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if ((c == 0xE2 && i + 1 < len &&
		    (unsigned char)text[i + 1] >= 0xBA) ||
		    (c >= 0xE3 && c <= 0xEF) || c >= 0xF0)
			return true;
	}
	return false;
}

/* Whether s (after a prefix of plen bytes) is one character at U+2E80 or
 * above. */
static bool
is_cjk_char(const std::string &s, size_t plen)
{
	const char *p = s.c_str() + plen;

	return *p != '\0' && g_utf8_get_char(p) >= 0x2E80 &&
	    *g_utf8_next_char(p) == '\0';
}

/*
 * Indexes text with positions where CJK runs keep their characters at
 * consecutive positions.  Xapian 1.4's n-gram indexing puts each bigram
 * at a position of its own between its two characters (A@1 AB@2 B@3),
 * while its query parser turns a quoted CJK phrase into a phrase of the
 * single characters within as many positions as there are characters:
 * "网络安全" never matched.  So the text is indexed into a scratch
 * document first; each bigram (a term between the two characters it is
 * made of) is added without a position, and the other terms are
 * renumbered in order.  Unquoted CJK words need the bigrams only as terms.
 */
static void
index_cjk_text(Xapian::TermGenerator &tg, Xapian::Document &doc,
    const Xapian::Utf8Iterator &it, const char *prefix)
{
	Xapian::Document scratch;
	std::vector<std::pair<Xapian::termpos, std::string>> at;
	Xapian::termpos pos = tg.get_termpos();
	size_t plen = strlen(prefix);

	tg.set_document(scratch);
	tg.set_termpos(0);
	tg.index_text(it, 1, prefix);
	tg.set_document(doc);
	for (auto t = scratch.termlist_begin(); t != scratch.termlist_end();
	    ++t)
		for (auto p = t.positionlist_begin();
		    p != t.positionlist_end(); ++p)
			at.emplace_back(*p, *t);
	std::sort(at.begin(), at.end());
	for (size_t i = 0; i < at.size(); i++) {
		const std::string &term = at[i].second;
		bool bigram = i > 0 && i + 1 < at.size() &&
		    at[i - 1].first + 1 == at[i].first &&
		    at[i + 1].first == at[i].first + 1 &&
		    is_cjk_char(at[i - 1].second, plen) &&
		    is_cjk_char(at[i + 1].second, plen) &&
		    term.compare(plen, std::string::npos,
		    at[i - 1].second.substr(plen) +
		    at[i + 1].second.substr(plen)) == 0;

		if (bigram)
			doc.add_term(term, 1);
		else
			doc.add_posting(term, ++pos, 1);
	}
	tg.set_termpos(pos);
}

/* Indexes at most MAX_TEXT bytes of text, cut at a character boundary,
 * accents folded (larch_fold(); queries are folded alike). */
static void
index_text(Xapian::TermGenerator &tg, Xapian::Document &doc,
    const char *text, const char *prefix, bool positions)
{
	size_t len;

	if (text == nullptr || text[0] == '\0')
		return;
	len = strnlen(text, MAX_TEXT);
	while (len == MAX_TEXT && len > 0 &&
	    ((unsigned char)text[len] & 0xC0) == 0x80)
		len--;
	gstr folded(larch_fold(text, len), g_free);
	if (folded) {
		text = folded.get();
		len = strlen(text);
	}
	Xapian::Utf8Iterator it(text, len);
	if (positions && may_hold_cjk(text, len))
		index_cjk_text(tg, doc, it, prefix);
	else if (positions)
		tg.index_text(it, 1, prefix);
	else
		tg.index_text_without_positions(it, 1, prefix);
	/* Keep phrases from matching across two fields. */
	tg.increase_termpos();
}

/*
 * A file name's words apart where Xapian keeps them together: '_' joins
 * words into one term ("OpenPGP_signature") and '.' joins digits
 * ("smb3.1.1"), so filename:signature or filename:smb3 would miss them.
 * The name is indexed whole as well (filename:openpgp_signature).  NULL
 * when the name holds neither.
 */
static char *
filename_parts(const char *name)
{
	char *parts;

	if (name == nullptr || strpbrk(name, "_.") == nullptr)
		return nullptr;
	parts = g_strdup(name);
	g_strdelimit(parts, "_.", ' ');
	return parts;
}

/*
 * The quoted text (attributions too) under XQ and the signature under
 * XSIG, with their positions in a value of their own rather than in
 * Xapian's position lists (store_phrase.cc says why and how).
 */
static void
index_quotes(Xapian::TermGenerator &tg, Xapian::Document &doc,
    const struct larch_msg *msg)
{
	Xapian::Document scratch;
	std::string positions;

	tg.set_document(scratch);
	for (guint i = 0; i < msg->quotes->len; i++) {
		const struct larch_quote *q =
		    (const struct larch_quote *)msg->quotes->pdata[i];

		index_text(tg, scratch, q->attribution, "XQ", true);
		index_text(tg, scratch, q->text, "XQ", true);
	}
	index_text(tg, scratch, msg->signature, "XSIG", true);
	tg.set_document(doc);
	for (auto t = scratch.termlist_begin(); t != scratch.termlist_end();
	    ++t)
		doc.add_term(*t, t.get_wdf());
	positions = larch_store_encode_positions(scratch);
	if (!positions.empty())
		doc.add_value(SLOT_QUOTE_POSITIONS, positions);
}

/*
 * The author's new text is indexed without prefix, quoted text under XQ
 * and the signature under XSIG, so a search can match new text only (the
 * default) or everything.  A message that went through no quote
 * splitting (no new text and no quotes) is indexed by its whole body.
 */
static void
index_body(Xapian::TermGenerator &tg, Xapian::Document &doc,
    const struct larch_msg *msg)
{
	if (msg->new_text == nullptr && msg->quotes->len == 0) {
		index_text(tg, doc, msg->body, "", true);
		return;
	}
	index_text(tg, doc, msg->new_text, "", true);
	index_quotes(tg, doc, msg);
}

/* The subject as threading compares it, hashed to a short term. */
static void
add_subject_key(Xapian::Document &doc, const char *subject)
{
	gstr key(larch_thread_subject_key(subject), g_free);
	gstr hex(nullptr, g_free);

	if (key.get()[0] == '\0')
		return;
	hex.reset(g_compute_checksum_for_string(G_CHECKSUM_SHA256, key.get(),
	    -1));
	doc.add_boolean_term(std::string("XSK") + std::string(hex.get(), 16));
}

/*
 * Each address of a decoded To or Cc value as one boolean term, lower
 * case, so "to:kernel@collabora.com" finds mail to that address, not
 * mail to someone@kernel.org and someone else at collabora.com (the words
 * of the header would).  The value is "Name <a@b>, c@d" text: an address
 * is a run of characters that cannot end a mailbox, holding an '@'.
 */
static void
add_addresses(Xapian::Document &doc, const char *prefix, const char *value)
{
	static const char stops[] = " \t\r\n<>,;\"()[]";
	const char *p = value;

	while (p != nullptr && *p != '\0') {
		size_t n = strcspn(p, stops);

		if (n > 2 && memchr(p, '@', n) != nullptr && p[0] != '@' &&
		    p[n - 1] != '@') {
			gstr lower(g_ascii_strdown(p, (gssize)n), g_free);

			add_bool(doc, prefix, lower.get());
		}
		p += n;
		if (*p != '\0')
			p++;
	}
}

static void
build_terms(Xapian::Document &doc, const struct larch_msg *msg,
    const char *language)
{
	Xapian::TermGenerator &tg = term_generator(language);
	tg_guard guard(tg, doc);

	/* Every word a default search matches (subject, author, recipients,
	 * new text, attachments) is indexed without prefix, so one posting
	 * list answers a word: ORing seven prefixes made one-word queries a
	 * third slower.  The prefixed copies serve the field searches.
	 * Positions cost most of the index's size and writing time: they
	 * are kept where phrases matter (subject, names, text, file names),
	 * not for recipients or attachment text. */
	index_text(tg, doc, msg->subject, "S", true);
	index_text(tg, doc, msg->subject, "", true);
	index_text(tg, doc, msg->from_addr, "A", true);
	index_text(tg, doc, msg->from_name, "A", true);
	index_text(tg, doc, msg->from_addr, "", true);
	index_text(tg, doc, msg->from_name, "", true);
	index_text(tg, doc, msg->to, "XTO", false);
	index_text(tg, doc, msg->cc, "XCC", false);
	index_text(tg, doc, msg->to, "", false);
	index_text(tg, doc, msg->cc, "", false);
	add_addresses(doc, "XTA", msg->to);
	add_addresses(doc, "XCA", msg->cc);
	index_body(tg, doc, msg);
	for (guint i = 0; i < msg->attachments->len; i++) {
		const struct larch_attachment *a =
		    (const struct larch_attachment *)msg->attachments->pdata[i];

		gstr parts(filename_parts(a->filename), g_free);

		index_text(tg, doc, a->filename, "XFN", true);
		index_text(tg, doc, a->filename, "", true);
		index_text(tg, doc, parts.get(), "XFN", true);
		index_text(tg, doc, parts.get(), "", true);
		index_text(tg, doc, a->text, "", false);
	}

	add_bool(doc, "L", msg->list);
	for (guint i = 0; i < msg->also_lists->len; i++)
		add_bool(doc, "L", (const char *)msg->also_lists->pdata[i]);
	add_bool(doc, "XLID", msg->list_id);
	add_bool(doc, "XA", msg->from_addr);
	/* A post whose From the list rewrote keeps only the list's address:
	 * from:ADDR also finds it by the names ADDR writes under (see
	 * author_field in store_query.cc). */
	if (msg->from_is_list) {
		doc.add_boolean_term("XVIA");
		add_bool(doc, "XAN", author_name_key(msg->from_name).c_str());
	}
	add_bool(doc, "XREF", msg->in_reply_to);
	for (guint i = 0; i < msg->references->len; i++)
		add_bool(doc, "XREF", (const char *)msg->references->pdata[i]);
	if (msg->attachments->len > 0)
		doc.add_boolean_term("K");
	larch_store_add_date_terms(doc, msg->date);
	add_subject_key(doc, msg->subject);
	larch_store_add_tier_terms(doc);
}

/* Sets what identifies the document: its Q and XMID terms, values and
 * record.  Replaces what an earlier call set. */
static void
set_identity(struct larch_store_doc *d, const struct larch_msg *msg)
{
	gstr json(larch_record_to_json(msg), g_free);
	std::string q = bool_term("Q", msg->mid), x;

	if (msg->header_mid != nullptr && msg->header_mid[0] != '\0')
		x = bool_term("XMID", msg->header_mid);
	if (!d->qterm.empty())
		d->doc.remove_term(d->qterm);
	if (!d->xmidterm.empty())
		d->doc.remove_term(d->xmidterm);
	d->doc.add_boolean_term(q);
	if (!x.empty())
		d->doc.add_boolean_term(x);
	d->doc.add_value(SLOT_DATE, Xapian::sortable_serialise(
	    (double)msg->date));
	d->doc.add_value(SLOT_MID, msg->mid);
	larch_store_set_links(d->doc, msg);
	larch_store_set_articles(d->doc, msg);
	larch_store_set_record(d->doc, json.get());
	d->mid = msg->mid;
	d->qterm = std::move(q);
	d->xmidterm = std::move(x);
}

/* Runs f, mapping every exception to a status: documents belong to no
 * store, so there is no error text to set. */
template <typename F>
static enum larch_status
doc_guarded(F f) noexcept
{
	try {
		f();
		return LARCH_OK;
	} catch (const Xapian::Error &e) {
		return map_error(e);
	} catch (const std::bad_alloc &) {
		return LARCH_ERR_NOMEM;
	} catch (...) {
		return LARCH_ERR_INTERNAL;
	}
}

enum larch_status
larch_store_doc_new(const struct larch_msg *msg,
    struct larch_store_doc **out) noexcept
{
	return larch_store_doc_new_in(msg, nullptr, out);
}

enum larch_status
larch_store_doc_new_in(const struct larch_msg *msg, const char *language,
    struct larch_store_doc **out) noexcept
{
	*out = nullptr;
	if (msg == nullptr || msg->mid == nullptr || msg->mid[0] == '\0')
		return LARCH_ERR_INVALID;
	return doc_guarded([&]() {
		std::unique_ptr<larch_store_doc> d(new larch_store_doc());

		build_terms(d->doc, msg, language);
		set_identity(d.get(), msg);
		*out = d.release();
	});
}

void
larch_store_doc_free(struct larch_store_doc *doc) noexcept
{
	delete doc;
}

enum larch_status
larch_store_doc_update(struct larch_store_doc *doc,
    const struct larch_msg *msg) noexcept
{
	if (doc == nullptr || msg == nullptr || msg->mid == nullptr ||
	    msg->mid[0] == '\0')
		return LARCH_ERR_INVALID;
	/* The lists too: a copy that joins another record of its message
	 * (a cross-post read from another list's archive) brings the other
	 * record's lists. */
	return doc_guarded([&]() {
		set_identity(doc, msg);
		larch_store_set_lists(doc->doc, msg);
	});
}

enum larch_status
larch_store_doc_place(struct larch_store_doc *doc,
    const struct larch_msg *msg) noexcept
{
	if (doc == nullptr || msg == nullptr || msg->mid == nullptr ||
	    doc->mid != msg->mid)
		return LARCH_ERR_INVALID;
	return doc_guarded([&]() { larch_store_set_links(doc->doc, msg); });
}


/*
 * Link values: the fields the threader reads for every message, joined by
 * US (0x1f) so that no record has to be parsed: thread, parent, depth,
 * inferred (0 or 1), in_reply_to, and references separated by spaces
 * (normalised ids hold no whitespace).
 *
 * The quote sources value: each quote's source mid ("" for none) followed
 * by US, in the quotes' order, so it is empty (absent: Xapian keeps no
 * empty value) only when the message quotes nothing.  These fields and
 * the thread's are read back from the values, not the record
 * (larch_store_apply_links), so placing a message does not rewrite its
 * record.
 *
 * The result value: all a search result row shows, joined by US, so a
 * page of results reads one value per row and no record: mid, date
 * (seconds), thread, parent, depth, list, from, from_name, subject,
 * summary (enum result_field in store_private.hh).  One value, not four: each value of a row is a lookup of its
 * own, and those lookups were 40% of a one-word search (schema 6; slot 3
 * held the last five fields before).
 * SLOT_THREAD holds the thread id alone, the collapse key of one-row-per-
 * thread searches.  A root (no parent) carries the term XROOT, for
 * is:root and is:reply.
 */
static const char US = '\x1f';

static void
append_field(std::string &v, const char *s)
{
	if (s != nullptr)
		for (const char *p = s; *p != '\0'; p++)
			v += *p == US ? ' ' : *p;
	v += US;
}

void
larch_store_set_terms(Xapian::Document &doc, const char *prefix,
    std::vector<std::string> want)
{
	std::vector<std::string> have;
	size_t plen = strlen(prefix);

	for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
		it.skip_to(prefix);
		if (it == doc.termlist_end() ||
		    (*it).compare(0, plen, prefix) != 0)
			break;
		have.push_back(*it);
	}
	std::sort(want.begin(), want.end());
	want.erase(std::unique(want.begin(), want.end()), want.end());
	if (want == have)
		return;
	for (auto &t : have)
		doc.remove_term(t);
	for (auto &t : want)
		doc.add_boolean_term(t);
}

void
larch_store_set_links(Xapian::Document &doc, const struct larch_msg *msg)
{
	std::string v, row;

	/* "G" is also the start of no other prefix; "XROOT" of none. */
	larch_store_set_terms(doc, "G", msg->thread != nullptr ?
	    std::vector<std::string>{ bool_term("G", msg->thread) } :
	    std::vector<std::string>{});
	larch_store_set_terms(doc, "XROOT", msg->thread != nullptr &&
	    msg->parent == nullptr ? std::vector<std::string>{ "XROOT" } :
	    std::vector<std::string>{});

	v.append(msg->thread != nullptr ? msg->thread : "").append(1, US);
	v.append(msg->parent != nullptr ? msg->parent : "").append(1, US);
	v.append(std::to_string(msg->depth)).append(1, US);
	v.append(msg->inferred_parent ? "1" : "0").append(1, US);
	v.append(msg->in_reply_to != nullptr ? msg->in_reply_to : "");
	v.append(1, US);
	for (guint i = 0; i < msg->references->len; i++) {
		if (i > 0)
			v.append(1, ' ');
		v.append((const char *)msg->references->pdata[i]);
	}
	doc.add_value(SLOT_LINKS, v);
	doc.add_value(SLOT_THREAD, msg->thread != nullptr ? msg->thread : "");
	v.clear();
	for (guint i = 0; i < msg->quotes->len; i++) {
		const char *src = ((const struct larch_quote *)
		    msg->quotes->pdata[i])->source;

		v.append(src != nullptr ? src : "").append(1, US);
	}
	/* An empty value removes the slot (remove_value() would throw when
	 * there is none). */
	doc.add_value(SLOT_QUOTE_SOURCES, v);

	append_field(row, msg->mid);
	append_field(row, std::to_string(msg->date).c_str());
	append_field(row, msg->thread);
	append_field(row, msg->parent);
	append_field(row, std::to_string(msg->depth).c_str());
	append_field(row, msg->list);
	append_field(row, msg->from_addr);
	append_field(row, msg->from_name);
	append_field(row, msg->subject);
	append_field(row, msg->summary);
	doc.add_value(SLOT_RESULT, row);
}

static char *
dup_or_null(const std::string &s)
{
	return s.empty() ? nullptr : g_strndup(s.data(), s.size());
}

/* Sets msg's placement from the link fields f (see above). */
static void
apply_place(const std::vector<std::string> &f, struct larch_msg *msg)
{
	g_free(msg->thread);
	msg->thread = dup_or_null(f[0]);
	g_free(msg->parent);
	msg->parent = dup_or_null(f[1]);
	msg->depth = (int)g_ascii_strtoll(f[2].c_str(), nullptr, 10);
	msg->inferred_parent = f[3] == "1";
}

void
larch_store_apply_links(const Xapian::Document &doc, struct larch_msg *msg)
{
	std::string v = doc.get_value(SLOT_LINKS);
	std::vector<std::string> f;

	if (v.empty())
		return;
	f = split_us(v);
	f.resize(6);
	apply_place(f, msg);
	f = split_us(doc.get_value(SLOT_QUOTE_SOURCES));
	for (guint i = 0; i < msg->quotes->len; i++) {
		struct larch_quote *q =
		    (struct larch_quote *)msg->quotes->pdata[i];

		g_free(q->source);
		q->source = i < f.size() ? dup_or_null(f[i]) : nullptr;
	}
}

struct larch_msg *
larch_store_links_of(const Xapian::Document &doc)
{
	std::vector<std::string> f = split_us(doc.get_value(SLOT_LINKS));
	struct larch_msg *msg = larch_msg_new();
	std::string date;

	f.resize(6);
	msg->mid = dup_or_null(doc.get_value(SLOT_MID));
	date = doc.get_value(SLOT_DATE);
	if (!date.empty())
		msg->date = (int64_t)Xapian::sortable_unserialise(date);
	apply_place(f, msg);
	msg->in_reply_to = dup_or_null(f[4]);
	for (size_t p = 0; p < f[5].size();) {
		size_t sp = f[5].find(' ', p);

		if (sp == std::string::npos)
			sp = f[5].size();
		if (sp > p)
			g_ptr_array_add(msg->references,
			    g_strndup(f[5].data() + p, sp - p));
		p = sp + 1;
	}
	return msg;
}

void
larch_store_set_lists(Xapian::Document &doc, const struct larch_msg *msg)
{
	std::vector<std::string> want;

	if (msg->list != nullptr && msg->list[0] != '\0')
		want.push_back(bool_term("L", msg->list));
	for (guint i = 0; i < msg->also_lists->len; i++)
		want.push_back(bool_term("L",
		    (const char *)msg->also_lists->pdata[i]));
	/* Only a cross-post changes them; otherwise Xapian rewrites
	 * nothing. */
	larch_store_set_terms(doc, "L", want);
}
