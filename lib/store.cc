/*
 * The index store over Xapian; see include/larch/store.h.  The only C++
 * file of larch and the only one that knows what follows.
 *
 * Terms of a message document:
 *   Q<mid>          the normalised mid: unique, boolean
 *   XMID<mid>       the Message-ID header as normalised, boolean
 *   L<list>         short list name, boolean
 *   XLID<list-id>   List-Id, boolean
 *   XA<addr>        the author's address as one boolean term
 *   XREF<mid>       each In-Reply-To and References id, boolean: finds the
 *                   children of a message
 *   K               the message has attachments
 *   A               words of the author's address and display name
 *   XTO, XCC        words of the To and Cc headers, no positions
 *   XTA, XCA        each address of the To and Cc headers, lower case
 *   S               subject words
 *   (no prefix)     what a default search matches: new text, subject,
 *                   author (with positions, for phrases), recipients and
 *                   attachment text (without), attachment file names
 *   XQ              words of quoted text and attribution lines, without
 *                   positions (they are in value 7, see store_phrase.cc)
 *   XSIG            words of the signature, the same
 *   XFN             words of the attachments' file names
 *   G<thread>       the thread id, boolean
 *   XROOT           the message starts its thread (has no parent)
 *   XSK<hash>       the subject as threading compares it, hashed
 *   XDY<yyyy>, XDM<yyyymm>, XDD<yyyymmdd>  the UTC year, month and day
 *   XPA<list>/<month>/<n>  a pipermail HTML article page that shows the
 *                   message (list, "2016-May", page number without
 *                   leading zeros), boolean; see larch/article.h
 *   XPM<month>/<n>  the same without the list, for a URL tail that names
 *                   none
 *
 * Word terms are English stems (Xapian's STEM_ALL: "policies" is indexed
 * as "polici"), with positions, so phrases match on stems.  Keeping both
 * the word and its stem (STEM_SOME) doubled the terms and cost a third of
 * the indexing speed; exact-form search is what was given up.
 * CJK text is indexed as unigrams and bigrams (FLAG_CJK_NGRAM); the query
 * parser must be given the same flag.
 *
 * A boolean term whose value starts with an upper-case ASCII letter or ':'
 * gets a ':' after the prefix (Omega's convention), so "XA" + "SIGx" cannot
 * read as "XASIG" + "x".  Boolean terms longer than MAX_TERM bytes keep a
 * head of the value and end in '#' and 32 hex digits of the SHA-256 of the
 * whole value: Xapian rejects terms over 245 bytes, and a rejected term
 * makes Xapian discard every uncommitted change.  Word terms are never that
 * long: the TermGenerator skips words over 64 bytes.
 *
 * Value slots: 0 the date (Xapian::sortable_serialise of the seconds),
 * 1 the mid, 2 the link fields, 3 larch_record_to_json() of the message,
 * compressed (store_record.cc; documents have no data), 4 the thread id,
 * 5 the quote sources, 6 all of a search result row (store_terms.cc says
 * how they are joined), 7 the positions of the XQ and XSIG words
 * (store_phrase.cc).
 * Metadata in shard-0: "larch:schema" (LARCH_SCHEMA_VERSION) and
 * "larch:shards" (the number of shards), plus whatever callers set.
 *
 * Shards: a message lives in shard FNV-1a(mid) % N; readers combine all
 * shards with Database::add_database().  Only N = 1 is created today.
 *
 * Commits: a writer always runs inside a Xapian transaction, so nothing is
 * committed except by larch_store_commit(), and closing discards what was
 * not committed (a WritableDatabase would otherwise commit when it is
 * destroyed).  Xapian still flushes posting lists to disk every
 * XAPIAN_FLUSH_THRESHOLD changes (default 10000) to bound its memory, but
 * inside a transaction that flush is not a commit: readers do not see it
 * and a crash loses it.  The caller commits every N documents (1000 to
 * 5000 measured best; 20000 was 25% slower).  When adding, replacing or
 * deleting a document fails, Xapian drops every uncommitted change: the
 * error text says so, and the caller must resume from its last commit.
 */
#include <glib/gstdio.h>

#include "store_private.hh"
/* Says why the index in dir could not be opened, in words that tell the
 * user what to do. */
static enum larch_status
fail_open(struct larch_store *s, const char *dir,
    const Xapian::Error &e) noexcept
{
	enum larch_status status = fail(s, e, "cannot open index");

	try {
		std::string d = dir, m = e.get_msg();

		switch (status) {
		case LARCH_ERR_NOT_FOUND:
			set_error(s, "no index at '" + d,
			    "': run larch-index first");
			break;
		case LARCH_ERR_LOCKED:
			/* Xapian says "already locked" only when another
			 * writer holds the lock; else it could not take it
			 * at all (a read-only folder, no room for the lock
			 * file). */
			if (m.find("already locked") == std::string::npos) {
				status = LARCH_ERR_IO;
				set_error(s, "cannot take its write lock (" + m,
				    ")");
				break;
			}
			set_error(s, "another larch-index is writing it (" +
			    m, ")");
			break;
		case LARCH_ERR_VERSION:
			set_error(s, "index '" + d + "' has an unsupported "
			    "Xapian format: delete the directory and run "
			    "larch-index again (" + m, ")");
			break;
		default:
			set_error(s, "cannot open index '" + d + "': " +
			    e.get_description());
			break;
		}
	} catch (...) {
	}
	return status;
}

/*
 * Reads the schema version and shard count from shard-0.  An empty
 * database without a version is a new index (its first commit has not
 * happened yet): *fresh is set.
 */
static enum larch_status
check_schema(struct larch_store *s, const Xapian::Database &db,
    unsigned *nshards, bool *fresh)
{
	std::string v = db.get_metadata(KEY_SCHEMA), n;
	std::string want = std::to_string(LARCH_SCHEMA_VERSION);
	char *end;
	unsigned long count;

	*nshards = 1;
	*fresh = false;
	if (v.empty()) {
		if (db.get_doccount() == 0) {
			*fresh = true;
			return LARCH_OK;
		}
		set_error(s, "index " + quoted(s->dir) + " has no schema "
		    "version, so larch did not write it", ": delete the "
		    "directory and run larch-index again");
		return LARCH_ERR_VERSION;
	}
	if (v != want) {
		set_error(s, "index " + quoted(s->dir) + " has schema "
		    "version " + v.substr(0, 20) + " but this larch needs " +
		    want,
		    ": delete the directory and run larch-index again");
		return LARCH_ERR_VERSION;
	}
	n = db.get_metadata(KEY_SHARDS);
	if (n.empty())
		return LARCH_OK;
	errno = 0;
	count = strtoul(n.c_str(), &end, 10);
	if (errno != 0 || *end != '\0' || count < 1 || count > MAX_SHARDS) {
		set_error(s, "index " + quoted(s->dir) + " has a bad shard "
		    "count " + quoted(n.substr(0, 20)));
		return LARCH_ERR_CORRUPT;
	}
	*nshards = (unsigned)count;
	return LARCH_OK;
}

/* Whether name is one of the files Xapian writes in a glass database
 * before its version file: tables, their lock, and temporary files. */
static bool
is_glass_file(const char *name)
{
	return strcmp(name, "flintlock") == 0 ||
	    g_str_has_suffix(name, ".glass") || g_str_has_suffix(name, ".tmp");
}

/* Removes folder path when it holds only files is_glass_file() names
 * (and, with any_file, whatever files it holds); false when it holds
 * anything else or a removal fails. */
static bool
remove_database_folder(const std::string &path, bool any_file)
{
	GDir *d = g_dir_open(path.c_str(), 0, nullptr);
	std::vector<std::string> names;
	const char *name;
	bool ok = true;

	if (d == nullptr)
		return false;
	while ((name = g_dir_read_name(d)) != nullptr) {
		if (!any_file && !is_glass_file(name))
			ok = false;
		names.push_back(path + "/" + name);
	}
	g_dir_close(d);
	for (size_t i = 0; ok && i < names.size(); i++)
		ok = g_unlink(names[i].c_str()) == 0;
	return ok && g_rmdir(path.c_str()) == 0;
}

/* Folders of shard-0 being made (make_shard0()) start so. */
static const char NEW_SHARD0[] = ".shard-0-new-";

/* Removes the folders of shard-0s whose making was cut short more than
 * ten minutes ago (making one takes milliseconds). */
static void
remove_stale_new_shards(const struct larch_store *s)
{
	GDir *d = g_dir_open(s->dir.c_str(), 0, nullptr);
	const char *name;
	struct stat st;

	if (d == nullptr)
		return;
	while ((name = g_dir_read_name(d)) != nullptr) {
		std::string path = s->dir + "/" + name;

		if (g_str_has_prefix(name, NEW_SHARD0) &&
		    stat(path.c_str(), &st) == 0 &&
		    st.st_mtime + 600 < time(nullptr))
			remove_database_folder(path, true);
	}
	g_dir_close(d);
}

/*
 * Makes shard-0 when there is none.  Xapian makes a database in place and
 * writes its version file (iamglass) last, so a writer killed while
 * making shard-0 there left a folder that no later run could open ("no
 * index").  Here it is made in a folder of its own and renamed into
 * place complete.  A shard-0 without a version file holds nothing that
 * was ever committed: left by an older larch, it is removed when it
 * holds only Xapian's files, and refused otherwise.
 */
static enum larch_status
make_shard0(struct larch_store *s)
{
	std::string p0 = shard_path(s, 0);

	if (g_file_test((p0 + "/iamglass").c_str(), G_FILE_TEST_EXISTS))
		return LARCH_OK;
	if (g_file_test(p0.c_str(), G_FILE_TEST_EXISTS) &&
	    !remove_database_folder(p0, false)) {
		set_error(s, quoted(p0) + " is not a Xapian database, nor "
		    "the start of one", ": move it away and run larch-index "
		    "again");
		return LARCH_ERR_CORRUPT;
	}
	std::string tmp = s->dir + "/" + NEW_SHARD0 + "XXXXXX";
	/* As Xapian would make it: 0777 less the umask. */
	if (g_mkdtemp_full(&tmp[0], 0777) == nullptr) {
		set_error(s, "cannot create a folder in " + quoted(s->dir) +
		    ": ", g_strerror(errno));
		return LARCH_ERR_IO;
	}
	Xapian::WritableDatabase(tmp, Xapian::DB_CREATE |
	    Xapian::DB_BACKEND_GLASS).close();
	if (rename(tmp.c_str(), p0.c_str()) != 0) {
		int e = errno;

		remove_database_folder(tmp, true);
		/* Another writer made it first: open that one. */
		if (e == EEXIST || e == ENOTEMPTY)
			return LARCH_OK;
		set_error(s, "cannot rename a new database to " + quoted(p0) +
		    ": ", g_strerror(e));
		return LARCH_ERR_IO;
	}
	return LARCH_OK;
}

static enum larch_status
open_writer(struct larch_store *s)
{
	enum larch_status status;
	unsigned n;
	bool fresh;

	if (g_mkdir_with_parents(s->dir.c_str(), 0777) != 0) {
		set_error(s, "cannot create " + quoted(s->dir) + ": ",
		    g_strerror(errno));
		return LARCH_ERR_IO;
	}
	/* At every writer's open, not only when shard-0 is made: the run
	 * after a cut-short making comes within minutes, before its folder
	 * is stale. */
	remove_stale_new_shards(s);
	status = make_shard0(s);
	if (status != LARCH_OK)
		return status;
	Xapian::WritableDatabase w0(shard_path(s, 0), Xapian::DB_OPEN);
	status = check_schema(s, w0, &n, &fresh);
	if (status != LARCH_OK)
		return status;
	s->wshards.push_back(w0);
	for (unsigned i = 1; i < n; i++)
		s->wshards.emplace_back(shard_path(s, i), Xapian::DB_OPEN);
	for (auto &w : s->wshards) {
		s->shards.push_back(w);
		s->all.add_database(w);
	}
	status = check_writable(s);
	if (status != LARCH_OK)
		return status;
	if (fresh) {
		/* Committed with the caller's first commit. */
		w0.set_metadata(KEY_SCHEMA,
		    std::to_string(LARCH_SCHEMA_VERSION));
		w0.set_metadata(KEY_SHARDS, "1");
	}
	return LARCH_OK;
}

static enum larch_status
open_reader(struct larch_store *s)
{
	std::string p0 = shard_path(s, 0);
	enum larch_status status;
	unsigned n;
	bool fresh;

	if (!g_file_test(p0.c_str(), G_FILE_TEST_IS_DIR))
		return LARCH_ERR_NOT_FOUND;
	Xapian::Database d0(p0);
	status = check_schema(s, d0, &n, &fresh);
	if (status != LARCH_OK)
		return status;
	s->shards.push_back(d0);
	for (unsigned i = 1; i < n; i++)
		s->shards.emplace_back(shard_path(s, i));
	for (auto &d : s->shards)
		s->all.add_database(d);
	return LARCH_OK;
}

enum larch_status
larch_store_open(const char *dir, enum larch_store_mode mode,
    struct larch_store **out) noexcept
{
	struct larch_store *s = nullptr;
	enum larch_status status;

	*out = nullptr;
	try {
		*out = s = new larch_store();
		if (dir == nullptr || dir[0] == '\0') {
			set_error(s, "no index directory given");
			return LARCH_ERR_INVALID;
		}
		s->dir = dir;
		s->writable = mode == LARCH_STORE_WRITE;
		status = s->writable ? open_writer(s) : open_reader(s);
		if (status == LARCH_ERR_NOT_FOUND)
			set_error(s, "no index at " + quoted(s->dir),
			    ": run larch-index first");
		return status;
	} catch (const Xapian::Error &e) {
		return fail_open(s, dir, e);
	} catch (const std::bad_alloc &) {
		return fail_nomem(s);
	} catch (...) {
		return fail_unknown(s, "cannot open index");
	}
}

void
larch_store_close(struct larch_store *store) noexcept
{
	/* With a transaction active, the WritableDatabase destructors
	 * cancel it: nothing uncommitted survives.  They swallow errors. */
	delete store;
}

const char *
larch_store_error(const struct larch_store *store) noexcept
{
	return store != nullptr ? store->error.c_str() : "";
}


enum larch_status
larch_store_put(struct larch_store *s, struct larch_store_doc *doc) noexcept
{
	std::unique_ptr<larch_store_doc> d(doc);
	enum larch_status status;

	if (s == nullptr || doc == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot store message", [&]() {
		if ((status = check_writable(s)) != LARCH_OK)
			return status;
		s->wshards[shard_of(s, d->mid.c_str())].replace_document(
		    d->qterm, d->doc);
		return LARCH_OK;
	}, true);
}

enum larch_status
larch_store_put_record(struct larch_store *s,
    const struct larch_msg *msg) noexcept
{
	enum larch_status status;

	if (s == nullptr || msg == nullptr || msg->mid == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot update record", [&]() {
		if ((status = check_writable(s)) != LARCH_OK)
			return status;
		Xapian::WritableDatabase &w = s->wshards[shard_of(s, msg->mid)];
		std::string q = bool_term("Q", msg->mid);
		Xapian::PostingIterator it = w.postlist_begin(q);

		if (it == w.postlist_end(q)) {
			set_error(s, "no message " + quoted(msg->mid),
			    " in the index");
			return LARCH_ERR_NOT_FOUND;
		}
		Xapian::docid id = *it;
		/* Only the data, values and the thread term change: Xapian
		 * then rewrites no text terms. */
		Xapian::Document doc = w.get_document(id);
		gstr json(larch_record_to_json(msg), g_free);

		larch_store_set_record(doc, json.get());
		larch_store_set_links(doc, msg);
		larch_store_set_lists(doc, msg);
		larch_store_set_articles(doc, msg);
		w.replace_document(id, doc);
		return LARCH_OK;
	}, true);
}

enum larch_status
larch_store_get(struct larch_store *s, const char *mid,
    struct larch_msg **out) noexcept
{
	*out = nullptr;
	if (s == nullptr || mid == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot look up message", [&]() {
		std::string q = bool_term("Q", mid);

		return with_retry(s, [&]() {
			Xapian::Database &db = s->shards[shard_of(s, mid)];
			Xapian::PostingIterator it = db.postlist_begin(q);

			if (it == db.postlist_end(q)) {
				set_error(s, "no message " + quoted(mid),
				    " in the index");
				return LARCH_ERR_NOT_FOUND;
			}
			return parse_record(s, db.get_document(*it),
			    *it, out);
		});
	});
}

enum larch_status
larch_store_delete(struct larch_store *s, const char *mid) noexcept
{
	enum larch_status status;

	if (s == nullptr || mid == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot delete message", [&]() {
		if ((status = check_writable(s)) != LARCH_OK)
			return status;
		Xapian::WritableDatabase &w = s->wshards[shard_of(s, mid)];
		std::string q = bool_term("Q", mid);

		if (!w.term_exists(q)) {
			set_error(s, "no message " + quoted(mid),
			    " in the index");
			return LARCH_ERR_NOT_FOUND;
		}
		w.delete_document(q);
		return LARCH_OK;
	}, true);
}

enum larch_status
larch_store_meta_get(struct larch_store *s, const char *key,
    char **value) noexcept
{
	*value = nullptr;
	if (s == nullptr || key == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot read index metadata", [&]() {
		return with_retry(s, [&]() {
			std::string v = s->shards[0].get_metadata(key);

			if (!v.empty())
				*value = g_strndup(v.data(), v.size());
			return LARCH_OK;
		});
	});
}

enum larch_status
larch_store_meta_set(struct larch_store *s, const char *key,
    const char *value) noexcept
{
	enum larch_status status;

	if (s == nullptr || key == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot write index metadata", [&]() {
		if ((status = check_writable(s)) != LARCH_OK)
			return status;
		/* An empty value deletes the key. */
		s->wshards[0].set_metadata(key, value != nullptr ? value : "");
		return LARCH_OK;
	});
}

enum larch_status
larch_store_meta_foreach(struct larch_store *s, const char *prefix,
    larch_store_meta_fn fn, void *data) noexcept
{
	std::vector<std::pair<std::string, std::string>> kv;
	enum larch_status status;

	if (s == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot read index metadata", [&]() {
		std::string p = prefix != nullptr ? prefix : "";

		/* Read everything first: fn may call back into the store. */
		status = with_retry(s, [&]() {
			Xapian::Database &db = s->shards[0];

			kv.clear();
			for (auto it = db.metadata_keys_begin(p);
			    it != db.metadata_keys_end(p); ++it)
				kv.emplace_back(*it, db.get_metadata(*it));
			return LARCH_OK;
		});
		for (auto &e : kv) {
			if (status != LARCH_OK)
				break;
			status = fn(e.first.c_str(), e.second.c_str(), data);
		}
		return status;
	});
}

enum larch_status
larch_store_commit(struct larch_store *s) noexcept
{
	enum larch_status status;

	if (s == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot commit index", [&]() {
		if ((status = check_writable(s)) != LARCH_OK)
			return status;
		/* A failed commit_transaction() ends the transaction too;
		 * the next change starts a new one. */
		s->in_txn = false;
		for (auto &w : s->wshards)
			w.commit_transaction();
		return check_writable(s);
	});
}

enum larch_status
larch_store_reopen(struct larch_store *s) noexcept
{
	if (s == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot reopen index", [&]() {
		/* A writer always sees its own latest state. */
		if (!s->writable)
			s->all.reopen();
		return LARCH_OK;
	});
}

enum larch_status
larch_store_count(struct larch_store *s, uint64_t *count) noexcept
{
	*count = 0;
	if (s == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot count messages", [&]() {
		return with_retry(s, [&]() {
			*count = s->all.get_doccount();
			return LARCH_OK;
		});
	});
}

/* Walks documents after docid *last, advancing *last past each one handed
 * to fn, so that a walk interrupted by a reopen resumes where it was. */
static enum larch_status
walk_docs(struct larch_store *s, Xapian::docid *last, larch_store_msg_fn fn,
    void *data)
{
	Xapian::PostingIterator it = s->all.postlist_begin("");
	Xapian::PostingIterator end = s->all.postlist_end("");

	if (*last != 0)
		it.skip_to(*last + 1);
	for (; it != end; ++it) {
		Xapian::docid id = *it;
		struct larch_msg *msg;
		enum larch_status status;

		status = parse_record(s, s->all.get_document(id), id,
		    &msg);
		if (status != LARCH_OK)
			return status;
		*last = id;
		status = fn(msg, data);
		larch_msg_free(msg);
		if (status != LARCH_OK)
			return status;
	}
	return LARCH_OK;
}

enum larch_status
larch_store_foreach(struct larch_store *s, larch_store_msg_fn fn,
    void *data) noexcept
{
	Xapian::docid last = 0;

	if (s == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot walk messages", [&]() {
		/* A long walk in a reader (an --export while larch-index
		 * commits every few seconds) sees many commits: each time
		 * the database moved, it reopens and goes on after the last
		 * document handed out, while it gets further. */
		for (int stalls = 0;;) {
			Xapian::docid before = last;

			try {
				return walk_docs(s, &last, fn, data);
			} catch (const Xapian::DatabaseModifiedError &) {
				stalls = last == before ? stalls + 1 : 0;
				if (s->writable || stalls > 1)
					throw;
				s->all.reopen();
			}
		}
	});
}

enum larch_status
larch_store_lists(struct larch_store *s, larch_store_list_fn fn,
    void *data) noexcept
{
	std::vector<std::pair<std::string, uint64_t>> lists;
	enum larch_status status;

	if (s == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot list mailing lists", [&]() {
		status = with_retry(s, [&]() {
			lists.clear();
			for (auto it = s->all.allterms_begin("L");
			    it != s->all.allterms_end("L"); ++it)
				lists.emplace_back(term_value(*it, 1),
				    it.get_termfreq());
			return LARCH_OK;
		});
		/* The ':' that bool_term() inserts can upset byte order. */
		std::sort(lists.begin(), lists.end());
		for (auto &l : lists) {
			if (status != LARCH_OK)
				break;
			status = fn(l.first.c_str(), l.second, data);
		}
		return status;
	});
}

struct dir_closer {
	void operator()(DIR *d) const { closedir(d); }
};

/* Adds the sizes of the regular files under path; returns an errno value.
 * Files that vanish meanwhile (Xapian's temporary files) do not count. */
static int
sum_sizes(const std::string &path, uint64_t *total)
{
	struct stat st;
	struct dirent *e;

	if (lstat(path.c_str(), &st) != 0)
		return errno == ENOENT ? 0 : errno;
	if (S_ISREG(st.st_mode))
		*total += (uint64_t)st.st_size;
	if (!S_ISDIR(st.st_mode))
		return 0;
	std::unique_ptr<DIR, dir_closer> d(opendir(path.c_str()));
	if (!d)
		return errno == ENOENT ? 0 : errno;
	while ((e = readdir(d.get())) != nullptr) {
		int err;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((err = sum_sizes(path + "/" + e->d_name, total)) != 0)
			return err;
	}
	return 0;
}

enum larch_status
larch_store_disk_size(struct larch_store *s, uint64_t *bytes) noexcept
{
	*bytes = 0;
	if (s == nullptr)
		return LARCH_ERR_INVALID;
	s->error.clear();
	try {
		int err = sum_sizes(s->dir, bytes);

		if (err != 0) {
			set_error(s, "cannot measure " + quoted(s->dir) + ": ",
			    g_strerror(err));
			return LARCH_ERR_IO;
		}
		return LARCH_OK;
	} catch (const std::bad_alloc &) {
		return fail_nomem(s);
	} catch (...) {
		return fail_unknown(s, "cannot measure index");
	}
}
