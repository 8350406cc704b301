/*
 * Tests for lib/store_record.cc: a record survives the trip through its
 * compressed value at every size, and a damaged value is refused, never
 * read past its end nor trusted for an allocation.  C++, since the value
 * is private to the store shim; what the public API makes of a refused
 * record (LARCH_ERR_CORRUPT) is tests/test-store.c's.
 */
#include <string>
#include <vector>

#include <glib.h>

#include "store_private.hh"
#include "store_record.hh"

/* Text that compresses like mail: words from a small vocabulary, with
 * some bytes that are not ASCII. */
static std::string
mail_like(size_t len, guint32 seed)
{
	static const char *const words[] = { "the", "meeting", "agreed",
		"Übersicht", "policy", "forum", "会議", "draft", "\"quoted\"",
		"\n", "of", "to", "release" };
	GRand *r = g_rand_new_with_seed(seed);
	std::string s;

	while (s.size() < len) {
		s += words[g_rand_int_range(r, 0, G_N_ELEMENTS(words))];
		s += ' ';
	}
	s.resize(len);
	g_rand_free(r);
	return s;
}

static std::string
round_trip(const std::string &json)
{
	Xapian::Document doc;
	std::string back;

	larch_store_set_record(doc, json.c_str());
	g_assert_true(larch_store_get_record(doc, back));
	return back;
}

static void
test_sizes(void)
{
	const size_t sizes[] = { 1, 2, 17, 18, 19, 255, 4096, 70000,
		3 * 1024 * 1024 };

	for (size_t n : sizes) {
		std::string json = mail_like(n, (guint32)n);

		g_assert_true(round_trip(json) == json);
	}
	/* Bytes zlib cannot shrink: the value is then larger than the
	 * record, and still exact. */
	std::string noise;
	GRand *r = g_rand_new_with_seed(7);

	for (int i = 0; i < 50000; i++)
		noise += (char)g_rand_int_range(r, 1, 256);
	g_rand_free(r);
	g_assert_true(round_trip(noise) == noise);
}

/* Setting a record replaces the earlier one, also a longer one: the
 * thread's deflate state is reset between records. */
static void
test_replace(void)
{
	Xapian::Document doc;
	std::string back;
	std::string longer = mail_like(9000, 1), shorter = mail_like(300, 2);

	larch_store_set_record(doc, longer.c_str());
	larch_store_set_record(doc, shorter.c_str());
	g_assert_true(larch_store_get_record(doc, back));
	g_assert_true(back == shorter);
}

static void
test_missing(void)
{
	Xapian::Document doc;
	std::string back = "left alone";

	g_assert_false(larch_store_get_record(doc, back));
	doc.set_data("{\"mid\":\"x@y\"}");	/* a schema 10 record */
	g_assert_false(larch_store_get_record(doc, back));
}

/* Every cut of a value, every byte of it changed, and lengths that lie:
 * all refused, none read out of bounds (run under ASan and valgrind). */
static void
test_damaged(void)
{
	Xapian::Document doc;
	std::string json = mail_like(2000, 3), back;

	larch_store_set_record(doc, json.c_str());
	const std::string good = doc.get_value(SLOT_RECORD);

	for (size_t cut = 0; cut < good.size(); cut++) {
		doc.add_value(SLOT_RECORD, good.substr(0, cut));
		g_assert_false(larch_store_get_record(doc, back));
	}
	/* A changed byte in the length or the stream: zlib's check sum (or
	 * its format) catches it, or the length no longer matches.  A few
	 * bits change nothing (the padding after the last code): the same
	 * record must come out then. */
	size_t refused = 0;
	for (size_t i = 0; i < good.size(); i++) {
		std::string bad = good;

		bad[i] = (char)(bad[i] ^ 0x20);
		doc.add_value(SLOT_RECORD, bad);
		back.clear();
		if (larch_store_get_record(doc, back))
			g_assert_true(back == json);
		else
			refused++;
	}
	g_assert_cmpuint(refused, >=, good.size() - 4);
	/* A length of 2^64 - 1 over a short stream: refused before any
	 * allocation (an allocation that size would abort the test). */
	std::string huge(9, (char)0xff);
	huge += '\x7f';
	huge += good.substr(2);
	doc.add_value(SLOT_RECORD, huge);
	g_assert_false(larch_store_get_record(doc, back));
	/* A varint that never ends. */
	doc.add_value(SLOT_RECORD, std::string(20, (char)0x80));
	g_assert_false(larch_store_get_record(doc, back));
}

/* Parser threads compress at once, each with its own deflate state. */
static gpointer
compress_many(gpointer data)
{
	guint32 seed = GPOINTER_TO_UINT(data);

	for (guint32 i = 0; i < 300; i++) {
		std::string json = mail_like(100 + (seed * 7919 + i * 104729) %
		    20000, seed * 1000 + i);

		if (round_trip(json) != json)
			return GINT_TO_POINTER(1);
	}
	return GINT_TO_POINTER(0);
}

static void
test_threads(void)
{
	std::vector<GThread *> threads;

	for (guint i = 1; i <= 4; i++)
		threads.push_back(g_thread_new("record", compress_many,
		    GUINT_TO_POINTER(i)));
	for (GThread *t : threads)
		g_assert_cmpint(GPOINTER_TO_INT(g_thread_join(t)), ==, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/store-record/sizes", test_sizes);
	g_test_add_func("/store-record/replace", test_replace);
	g_test_add_func("/store-record/missing", test_missing);
	g_test_add_func("/store-record/damaged", test_damaged);
	g_test_add_func("/store-record/threads", test_threads);
	return g_test_run();
}
