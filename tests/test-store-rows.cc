/*
 * Tests for lib/store_rows.cc: with rows kept in memory, every search
 * shows what the index holds at the reader's revision, before the copy is
 * built, after it, after a commit that changed, added and deleted
 * messages, with two shards, with a budget too small for them, and once
 * the budget grows again; and searches by relevance answered from the
 * copies' postings give the rows they gave before.
 * C++, to make the second shard (larch's writer never creates one).
 */
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <glib.h>
#include <glib/gstdio.h>
#include <xapian.h>

#include "larch/search.h"
#include "larch/store.h"
#include "store_hot.hh"
#include "store_private.hh"
#include "test-util.h"

enum { MESSAGES = 300 };
/* copy_size() counts rows only: no term here is held as postings. */
static_assert(MESSAGES * 2 < LARCH_HOT_MIN_TF, "terms would be held");

static std::string
mid_of(int i)
{
	return "m" + std::to_string(i) + "@rows";
}

static struct larch_msg *
message(int i, const std::string &subject)
{
	struct larch_msg *m = larch_msg_new();

	m->mid = g_strdup(mid_of(i).c_str());
	m->header_mid = g_strdup(m->mid);
	m->list = g_strdup(i % 2 ? "odd" : "even");
	m->date = 1450000000 + i * 3600;
	m->from_addr = g_strdup_printf("p%d@example.org", i % 7);
	m->from_name = g_strdup_printf("Person %d", i % 7);
	m->subject = g_strdup(subject.c_str());
	m->body = g_strdup_printf("common words and number %d", i);
	m->new_text = g_strdup(m->body);
	m->summary = g_strdup_printf("summary of %d", i);
	m->thread = g_strdup(m->mid);
	return m;
}

static void
put(struct larch_store *w, int i, const std::string &subject)
{
	struct larch_msg *m = message(i, subject);
	struct larch_store_doc *doc = nullptr;

	g_assert_cmpint(larch_store_doc_new(m, &doc), ==, LARCH_OK);
	g_assert_cmpint(larch_store_put(w, doc), ==, LARCH_OK);
	larch_msg_free(m);
}

/* Writes MESSAGES messages into dir, over shards shards. */
static void
write_index(const std::string &dir, unsigned shards)
{
	struct larch_store *w = nullptr;

	g_assert_cmpint(larch_store_open(dir.c_str(), LARCH_STORE_WRITE, &w),
	    ==, LARCH_OK);
	if (shards > 1) {
		for (unsigned i = 1; i < shards; i++)
			Xapian::WritableDatabase(dir + "/shard-" +
			    std::to_string(i), Xapian::DB_CREATE).commit();
		g_assert_cmpint(larch_store_meta_set(w, "larch:shards",
		    std::to_string(shards).c_str()), ==, LARCH_OK);
		g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
		larch_store_close(w);
		g_assert_cmpint(larch_store_open(dir.c_str(),
		    LARCH_STORE_WRITE, &w), ==, LARCH_OK);
	}
	for (int i = 0; i < MESSAGES; i++)
		put(w, i, "subject " + std::to_string(i));
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
}

/* mid -> "subject|from|list|summary" of every message "common" finds. */
static std::map<std::string, std::string>
rows(struct larch_store *r)
{
	struct larch_search_opts o = {};
	struct larch_search_result *res = nullptr;
	std::map<std::string, std::string> out;

	o.limit = 1000;
	o.sort = LARCH_SORT_NEWEST;
	o.skip_thread_sizes = true;
	g_assert_cmpint(larch_store_search(r, "common", &o, &res), ==,
	    LARCH_OK);
	for (unsigned i = 0; i < res->n_rows; i++) {
		const struct larch_search_row *row = &res->rows[i];

		out[row->mid] = std::string(row->subject) + "|" + row->from +
		    "|" + row->list + "|" + row->summary;
	}
	larch_search_result_free(res);
	return out;
}

/* "mid score" of the first matches of each of a few searches by
 * relevance: held copies answer them from held postings
 * (store_hot_match.cc), the same as Xapian's matcher before. */
static std::vector<std::string>
ranked(struct larch_store *r)
{
	static const char *const queries[] = { "common", "number 5",
	    "subject OR words", "\"common words\" number", "words -number",
	    "common OR 7 OR 12" };
	std::vector<std::string> out;

	for (const char *q : queries) {
		struct larch_search_opts o = {};
		struct larch_search_result *res = nullptr;

		o.limit = 25;
		o.offset = 3;
		o.skip_thread_sizes = true;
		g_assert_cmpint(larch_store_search(r, q, &o, &res), ==,
		    LARCH_OK);
		out.push_back(std::string(q) + ": " +
		    std::to_string(res->n_rows));
		for (unsigned i = 0; i < res->n_rows; i++)
			out.push_back(std::string(res->rows[i].mid) + " " +
			    std::to_string(res->rows[i].score));
		larch_search_result_free(res);
	}
	return out;
}

static std::string
expected_row(int i, const std::string &subject)
{
	return subject + "|p" + std::to_string(i % 7) + "@example.org|" +
	    (i % 2 ? "odd" : "even") + "|summary of " + std::to_string(i);
}

/* The bytes a copy of every shard of the index at dir takes, at its
 * present revision (larch_rows::size() summed): its rows, since no term
 * of MESSAGES messages is frequent enough for its postings to be held
 * (LARCH_HOT_MIN_TF). */
static uint64_t
copy_size(const std::string &dir, unsigned shards)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < shards; i++) {
		Xapian::Database db(dir + "/shard-" + std::to_string(i));

		n += ((uint64_t)db.get_lastdocid() + 2) * sizeof(uint64_t);
		for (auto v = db.valuestream_begin(SLOT_RESULT);
		    v != db.valuestream_end(SLOT_RESULT); ++v)
			n += (*v).size();
	}
	return n;
}

/* Searches r until the process holds a copy of every shard of the index
 * at dir (a search queues the copies it lacks, and not again before the
 * last one's build time has passed four times over), each time
 * expecting want. */
static void
wait_copied(struct larch_store *r, const std::string &dir, unsigned shards,
    const std::map<std::string, std::string> &want)
{
	uint64_t size = copy_size(dir, shards);
	gint64 until = g_get_monotonic_time() +
	    (gint64)(20 * test_time_scale()) * G_USEC_PER_SEC;

	while (larch_store_rows_held() != size) {
		g_assert_cmpint(g_get_monotonic_time(), <, until);
		g_assert_true(rows(r) == want);
		g_usleep(10000);
	}
}

static void
check_rows(unsigned shards)
{
	gchar *tmp = g_dir_make_tmp("larch-rows-XXXXXX", nullptr);
	std::string dir = std::string(tmp) + "/index";
	struct larch_store *r = nullptr, *w = nullptr;
	std::map<std::string, std::string> want;

	larch_store_keep_rows(64 << 20);
	write_index(dir, shards);
	for (int i = 0; i < MESSAGES; i++)
		want[mid_of(i)] = expected_row(i, "subject " +
		    std::to_string(i));
	g_assert_cmpint(larch_store_open(dir.c_str(), LARCH_STORE_READ, &r),
	    ==, LARCH_OK);
	/* Before the copy (the search queues it), and from it. */
	g_assert_cmpuint(larch_store_rows_held(), ==, 0);
	std::vector<std::string> best = ranked(r);
	g_assert_true(rows(r) == want);
	wait_copied(r, dir, shards, want);
	g_assert_true(rows(r) == want);
	g_assert_true(ranked(r) == best);

	/* A commit: the next search, at the new revision, must not show
	 * the copy of the old one. */
	g_assert_cmpint(larch_store_open(dir.c_str(), LARCH_STORE_WRITE, &w),
	    ==, LARCH_OK);
	for (int i = 0; i < MESSAGES; i += 10) {
		std::string longer = "changed subject, longer " +
		    std::to_string(i);

		put(w, i, longer);
		want[mid_of(i)] = expected_row(i, longer);
	}
	g_assert_cmpint(larch_store_delete(w, mid_of(5).c_str()), ==,
	    LARCH_OK);
	want.erase(mid_of(5));
	put(w, MESSAGES, "a new one");
	want[mid_of(MESSAGES)] = expected_row(MESSAGES, "a new one");
	g_assert_cmpint(larch_store_commit(w), ==, LARCH_OK);
	larch_store_close(w);
	g_assert_cmpint(larch_store_reopen(r), ==, LARCH_OK);
	g_assert_true(rows(r) == want);
	wait_copied(r, dir, shards, want);
	g_assert_true(rows(r) == want);

	/* A budget too small: nothing held, the same rows. */
	larch_store_keep_rows(1000);
	g_assert_cmpuint(larch_store_rows_held(), ==, 0);
	g_assert_true(rows(r) == want);
	g_usleep(100000);
	g_assert_cmpuint(larch_store_rows_held(), ==, 0);
	g_assert_true(rows(r) == want);
	/* A larger budget again: copied again, the same rows. */
	larch_store_keep_rows(64 << 20);
	wait_copied(r, dir, shards, want);
	g_assert_true(rows(r) == want);
	larch_store_keep_rows(0);
	g_assert_cmpuint(larch_store_rows_held(), ==, 0);
	larch_store_close(r);
	test_rm_rf(tmp);
	g_free(tmp);
}

static void
test_one_shard(void)
{
	check_rows(1);
}

static void
test_two_shards(void)
{
	check_rows(2);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, nullptr);
	g_test_add_func("/rows/one-shard", test_one_shard);
	g_test_add_func("/rows/two-shards", test_two_shards);
	return g_test_run();
}
