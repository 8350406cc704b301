/*
 * Result rows held in memory, for long-lived readers (larchd).
 *
 * A page of 20 results reads 20 result values (SLOT_RESULT) far apart in
 * the index: Xapian reads each through its B-tree, about two 8 KiB
 * `pread`s a row (it keeps no blocks between lookups).  That was about
 * 60 µs of a one-word answer's 250 (docs/PERFORMANCE.md, Queries,
 * eleventh round).
 * Here a background thread reads every value of a shard once, in docid
 * order (about 0.1 s and 42 MB for 100,000 messages), and searches take
 * their rows from that copy.  The same thread then copies the postings
 * of the shard's frequent terms into it (store_hot.cc), within what the
 * budget leaves.
 *
 * A copy is used only at the revision it was read at, of the database
 * with the same UUID: a Xapian revision never changes, so the rows are
 * the same as the index's.  After a commit, searches read the values
 * from the index again until a new copy is ready; builds of one shard
 * are spaced by four times the last one's length, so a reader of an
 * index that commits every few seconds spends at most about a fifth of
 * a core on them.  The process holds at most the budget given to
 * larch_store_keep_rows(), over every shard and index; the least used
 * copies go first, and a shard too large for it is read from the index
 * (and not copied again until the budget changes).
 */
#include <algorithm>
#include <atomic>
#include <deque>
#include <map>
#include <set>

#include <glib.h>

#include "larch/search.h"
#include "store_private.hh"
#include "store_rows.hh"

bool
larch_rows::get(Xapian::docid d, std::string *out) const
{
	if (d == 0 || (size_t)d + 1 >= start.size())
		return false;
	out->assign(bytes, start[d], start[d + 1] - start[d]);
	return true;
}

uint64_t
larch_rows::size() const
{
	return bytes.size() + start.size() * sizeof start[0] +
	    (hot ? hot->bytes : 0);
}

namespace {

/* A shard's rows, and when to build them next. */
struct held_rows {
	std::shared_ptr<const larch_rows> rows;
	gint64 used = 0;
	gint64 next_build = 0;
};

struct registry {
	GMutex lock;
	uint64_t budget = 0;
	std::map<std::string, held_rows> held;	/* by shard path */
	std::deque<std::string> queue;
	std::set<std::string> pending;		/* queued or building */
	GThread *builder = nullptr;
	bool building = false;
	std::atomic<bool> stop{false};

	registry() { g_mutex_init(&lock); }

	/* Joins the builder at exit; it stops within a few thousand
	 * values. */
	~registry()
	{
		stop = true;
		if (builder != nullptr)
			g_thread_join(builder);
		g_mutex_clear(&lock);
	}

	uint64_t total() const
	{
		uint64_t n = 0;

		for (auto &h : held)
			if (h.second.rows)
				n += h.second.rows->size();
		return n;
	}

	/* Drops the least used copies until want more bytes fit. */
	void make_room(uint64_t want)
	{
		while (!held.empty() && total() + want > budget) {
			auto oldest = held.end();

			for (auto it = held.begin(); it != held.end(); ++it)
				if (it->second.rows && (oldest == held.end() ||
				    it->second.used < oldest->second.used))
					oldest = it;
			if (oldest == held.end())
				return;
			oldest->second.rows.reset();
		}
	}
};

registry reg;

/* Holds reg.lock for a scope, whatever leaves it. */
struct locked {
	locked() { g_mutex_lock(&reg.lock); }
	~locked() { g_mutex_unlock(&reg.lock); }
	locked(const locked &) = delete;
	locked &operator=(const locked &) = delete;
};

/* Every result value of the shard at path, at the revision it opens at;
 * NULL when they would not fit in budget bytes (*too_big set), or on any
 * error (the searches then read the index, as without a copy). */
std::shared_ptr<const larch_rows>
build(const std::string &path, uint64_t budget, bool *too_big)
{
	*too_big = false;
	try {
		Xapian::Database db(path);
		auto r = std::make_shared<larch_rows>();
		Xapian::docid last = db.get_lastdocid(), next = 1;
		size_t n = 0;

		r->uuid = db.get_uuid();
		r->rev = db.get_revision();
		if (((uint64_t)last + 2) * sizeof r->start[0] > budget) {
			*too_big = true;
			return nullptr;
		}
		r->start.assign((size_t)last + 2, 0);
		for (auto v = db.valuestream_begin(SLOT_RESULT);
		    v != db.valuestream_end(SLOT_RESULT); ++v) {
			for (; next <= v.get_docid(); next++)
				r->start[next] = r->bytes.size();
			r->bytes += *v;
			if (r->size() > budget)
				*too_big = true;
			if (*too_big || (++n % 4096 == 0 && reg.stop))
				return nullptr;
		}
		for (; next <= last + 1; next++)
			r->start[next] = r->bytes.size();
		r->bytes.shrink_to_fit();
		r->hot = larch_hot_build(db, budget - r->size(),
		    LARCH_HOT_MIN_TF, reg.stop);
		return r;
	} catch (const Xapian::Error &) {
		/* The shard moved on under the read (DatabaseModified),
		 * or went: a later search queues it again. */
		return nullptr;
	} catch (...) {
		/* Out of memory, or anything else: no copy, no crash. */
		return nullptr;
	}
}

/* Takes the queue's next shard; false when there is none to build. */
bool
next_queued(std::string *path, uint64_t *budget)
{
	locked l;

	if (reg.queue.empty() || reg.stop) {
		reg.building = false;
		return false;
	}
	*path = reg.queue.front();
	*budget = reg.budget;
	reg.queue.pop_front();
	return true;
}

/* Keeps the rows built for path, when they still fit.  A shard too
 * large for the budget is not read again until the budget changes: an
 * index seldom shrinks, and reading up to the budget after every commit
 * would be wasted. */
void
keep(const std::string &path, std::shared_ptr<const larch_rows> rows,
    bool too_big, gint64 began, gint64 ended)
{
	locked l;

	try {
		held_rows &h = reg.held[path];

		h.next_build = too_big ? G_MAXINT64 :
		    ended + 4 * (ended - began);
		if (rows && rows->size() <= reg.budget) {
			h.rows.reset();
			reg.make_room(rows->size());
			h.rows = rows;
			h.used = ended;
		}
	} catch (const std::bad_alloc &) {
		/* Not kept: searches read the index. */
	}
	reg.pending.erase(path);
}

gpointer
build_queued(gpointer)
{
	std::string path;
	uint64_t budget;

	try {
		while (next_queued(&path, &budget)) {
			gint64 began = g_get_monotonic_time();
			bool too_big;
			std::shared_ptr<const larch_rows> rows = build(path,
			    budget, &too_big);

			keep(path, rows, too_big, began,
			    g_get_monotonic_time());
		}
	} catch (...) {
		/* Only a shard's name could not be copied: the searches
		 * read the index, and queue builds again. */
		locked l;

		reg.queue.clear();
		reg.pending.clear();
		reg.building = false;
	}
	return nullptr;
}

}

std::shared_ptr<const larch_rows>
larch_rows_find(const Xapian::Database &shard, const std::string &path)
{
	std::string uuid = shard.get_uuid();
	Xapian::rev rev = shard.get_revision();
	gint64 now = g_get_monotonic_time();
	std::shared_ptr<const larch_rows> found;

	locked l;
	if (reg.budget == 0)
		return found;
	held_rows &h = reg.held[path];
	if (h.rows && h.rows->uuid == uuid && h.rows->rev == rev) {
		h.used = now;
		found = h.rows;
	} else if (now >= h.next_build && reg.pending.insert(path).second) {
		reg.queue.push_back(path);
		if (!reg.building) {
			/* The last builder has left its loop: joining it
			 * does not wait. */
			if (reg.builder != nullptr)
				g_thread_join(reg.builder);
			reg.builder = g_thread_try_new("larch-rows",
			    build_queued, nullptr, nullptr);
			reg.building = reg.builder != nullptr;
			if (!reg.building) {
				reg.queue.clear();
				reg.pending.clear();
			}
		}
	}
	return found;
}

void
larch_store_keep_rows(uint64_t max_bytes) noexcept
{
	locked l;

	reg.budget = max_bytes;
	reg.make_room(0);
	for (auto &h : reg.held)
		h.second.next_build = 0;
}

uint64_t
larch_store_rows_held(void) noexcept
{
	locked l;

	return reg.total();
}
