/*
 * Fuzz target for the message pipeline without the database: bytes ->
 * larch_parse_message() -> quote splitting -> the record's JSON and back
 * -> the Xapian document (larch_store_doc_new), as the indexer's workers
 * do it (indexer/pipeline.c, parse_job).
 *
 * It checks the promises the rest of larch builds on: parsing fails only
 * with LARCH_ERR_PARSE and a reason; a parsed message has an id and only
 * UTF-8 text; segments are UTF-8 with sane depths; the summary is short;
 * the record survives JSON unchanged; a document can always be built.
 * The parse options (pipermail or not, fallback charset, text limit,
 * envelope) come from a hash of the input.
 */
#include <string.h>
#include <glib.h>

#include "larch/fingerprint.h"
#include "larch/msg.h"
#include "larch/parse.h"
#include "larch/quote.h"
#include "larch/record.h"
#include "larch/store.h"
#include "fuzz.h"

#define SUMMARY_CHARS 200

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	larch_parse_init();
	larch_fingerprint_init();
	return 0;
}

static void
assert_text(const char *s)
{
	if (s != NULL)
		g_assert_true(g_utf8_validate(s, -1, NULL));
}

static void
assert_texts(const GPtrArray *a)
{
	for (guint i = 0; i < a->len; i++) {
		g_assert_nonnull(a->pdata[i]);
		assert_text(a->pdata[i]);
	}
}

static void
assert_msg(const struct larch_msg *m)
{
	g_assert_nonnull(m->mid);
	g_assert_cmpstr(m->mid, !=, "");
	assert_text(m->mid);
	assert_text(m->header_mid);
	assert_text(m->list_id);
	assert_text(m->from_addr);
	assert_text(m->from_name);
	assert_text(m->subject);
	assert_text(m->to);
	assert_text(m->cc);
	assert_text(m->in_reply_to);
	assert_text(m->body);
	assert_texts(m->references);
	for (guint i = 0; i < m->attachments->len; i++) {
		const struct larch_attachment *a = m->attachments->pdata[i];

		assert_text(a->filename);
		assert_text(a->content_type);
		assert_text(a->text);
	}
	g_assert_cmpuint(strlen(m->text_hash), ==, 16);
	g_assert_cmpuint(strlen(m->ascii_hash), ==, 16);
	g_assert_cmpuint(strlen(m->shape_hash), ==, 16);
}

/* The indexer's larch_quote_apply(), with checks on what it made. */
static void
split_text(struct larch_msg *m)
{
	GPtrArray *segs = g_ptr_array_new_with_free_func(larch_segment_free);

	larch_quote_apply(larch_quote_rules_default(), m, SUMMARY_CHARS, segs);
	assert_text(m->new_text);
	assert_text(m->summary);
	if (m->summary != NULL)
		g_assert_cmpuint(g_utf8_strlen(m->summary, -1), <=,
		    SUMMARY_CHARS + 1);
	for (guint i = 0; i < segs->len; i++) {
		const struct larch_segment *seg = segs->pdata[i];

		g_assert_nonnull(seg->text);
		assert_text(seg->text);
		g_assert_cmpint(seg->depth, >=, 0);
		g_assert_cmpint(seg->kind, <=, LARCH_SEG_SNIP);
	}
	g_ptr_array_unref(segs);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const charsets[] = { NULL, "iso-8859-1", "koi8-r",
		"no-such-charset" };
	static const size_t max_texts[] = { 1024 * 1024, 100, 3 };
	uint64_t h = fuzz_hash(data, size);
	struct larch_parse_opts po = { 0 };
	struct larch_msg *m = NULL, *back = NULL;
	struct larch_store_doc *doc = NULL;
	const char *why = NULL;
	enum larch_status st;
	char *bytes, *json, *json2;

	po.pipermail = h & 1;
	h >>= 1;
	po.fallback_charset = charsets[h % G_N_ELEMENTS(charsets)];
	h /= G_N_ELEMENTS(charsets);
	po.max_text = max_texts[h % G_N_ELEMENTS(max_texts)];
	h /= G_N_ELEMENTS(max_texts);
	if (h & 1) {
		po.envelope_date = 1464289500;
		po.envelope_from = "env@example.org";
	}

	/* The splitter hands out NUL-terminated bytes. */
	bytes = g_malloc(size + 1);
	memcpy(bytes, data, size);
	bytes[size] = '\0';
	st = larch_parse_message(bytes, size, &po, &m, &why);
	g_free(bytes);
	if (st != LARCH_OK) {
		g_assert_cmpint(st, ==, LARCH_ERR_PARSE);
		g_assert_nonnull(why);
		larch_msg_free(m);
		return 0;
	}
	g_assert_nonnull(m);
	assert_msg(m);

	split_text(m);
	m->list = g_strdup("fuzz");
	larch_msg_add_source(m, "/fuzz/list.mbox", 0, size,
	    po.pipermail ? LARCH_FORMAT_PIPERMAIL : LARCH_FORMAT_MBOXRD);

	json = larch_record_to_json(m);
	g_assert_nonnull(json);
	g_assert_true(g_utf8_validate(json, -1, NULL));
	g_assert_null(strchr(json, '\n'));
	if (larch_record_from_json(json, strlen(json), &back) != LARCH_OK)
		g_error("the record does not read back: %s", json);
	json2 = larch_record_to_json(back);
	g_assert_cmpstr(json, ==, json2);
	g_free(json2);
	g_free(json);
	larch_msg_free(back);

	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	larch_store_doc_free(doc);
	larch_msg_free(m);
	return 0;
}
