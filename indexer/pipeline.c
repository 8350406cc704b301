/*
 * The indexing run; see pipeline.h.
 *
 * One thread (the caller's) walks, splits and writes; a pool of workers
 * parses.  Each message becomes a job with a sequence number; finished jobs
 * are written strictly in that order, so duplicate handling, "which copy
 * came first" and each file's resume offset are the same whatever the
 * thread timing.  A file's progress is saved in the same commit as its
 * messages: after a crash the next run resumes exactly there.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "larch/article.h"
#include "larch/log.h"
#include "larch/parse.h"
#include "larch/quote.h"
#include "larch/record.h"
#include "larch/stream.h"
#include "larch/thread.h"
#include "languages.h"
#include "pipeline.h"
#include "pipermail_html.h"
#include "known_sources.h"
#include "prefetch.h"
#include "progress.h"
#include "sources.h"
#include "split.h"
#include "walk.h"
#include "writer.h"

/*
 * Jobs in flight before the splitter waits for the writer: enough to keep
 * the workers busy, few enough to bound memory.  The writer stops for a
 * while at each commit (merging, then fdatasync): with 512 the workers
 * soon had nothing left to do and sat idle too; 2,048 made a 100k run
 * 3-7% faster for 6-13 MB more (docs/PERFORMANCE.md, twenty-sixth
 * session).  The byte limit still bounds memory for large messages.
 */
#define MAX_IN_FLIGHT 2048
#define MAX_BYTES_IN_FLIGHT (16u * 1024 * 1024)
/* Text of one part kept for indexing. */
#define MAX_TEXT (1024u * 1024)
/* Characters of a message's summary. */
#define SUMMARY_CHARS 200
/* How much nicer than the writer the parser threads run. */
#define PARSER_NICENESS 10

/* Vanished sources named one by one in a run; the rest are counted. */
#define VANISHED_NAMED 10

struct pipeline {
	struct larch_store *store;
	const struct larch_index_opts *opts;
	struct larch_index_totals *totals;
	struct writer *writer;
	struct progress *progress;

	GThreadPool *pool;
	GAsyncQueue *done;	/* jobs back from the workers */
	GHashTable *ready;	/* seq -> job, finished but not yet written */
	uint64_t next_seq;	/* next job to submit */
	uint64_t write_seq;	/* next job to write */
	unsigned in_flight;
	size_t bytes_in_flight;
	/* After the index fails, jobs are only collected and freed: Xapian
	 * has dropped the uncommitted batch, and committing any progress
	 * past it would lose those messages. */
	enum larch_status failed;
	char *failure;			/* the store's words at that moment */
	bool sweep;			/* delete sourceless messages at the end */
	GHashTable *visited;		/* state keys of the files read: no
					 * need to look for them on disk */
	struct larch_known_sources *known;	/* files certainly never
						 * read, or NULL */
	uint64_t vanished_now;		/* sources found gone in this run */
	uint64_t vanished_messages;	/* their messages */
	struct languages languages;	/* the stemmer of each list */
};

static void
job_free(struct job *job)
{
	if (job == NULL)
		return;
	g_free(job->data);
	g_free(job->envelope_from);
	larch_msg_free(job->msg);
	larch_store_doc_free(job->doc);
	g_free(job->written_mid);
	file_run_unref(job->run);
	g_free(job);
}

/* The list a message belongs to, in the order the user expects: --list,
 * then the List-Id header (through the config's mapping), then the
 * config's paths, then the archive's own name. */
static char *
choose_list(const struct pipeline *p, const struct file_run *run,
    const struct larch_msg *msg)
{
	char *list;

	if (p->opts->list != NULL)
		return g_strdup(p->opts->list);
	list = msg->list_id != NULL ?
	    larch_config_list_of_id(p->opts->config, msg->list_id) : NULL;
	return list != NULL ? list : g_strdup(run->list);
}

/*
 * Whether msg's From is its list's own address with the author's name
 * only ("From: twisted-web at twistedmatrix.com (Michal Pasternak)", as
 * some Mailman archives show every post): the address's local part is
 * the list's name.  Without it every such post would be one author.
 */
static bool
from_is_list_address(const struct larch_msg *msg)
{
	const char *at;

	if (msg->from_addr == NULL || msg->list == NULL ||
	    (at = strchr(msg->from_addr, '@')) == NULL)
		return false;
	return strlen(msg->list) == (size_t)(at - msg->from_addr) &&
	    g_ascii_strncasecmp(msg->from_addr, msg->list,
	    (size_t)(at - msg->from_addr)) == 0;
}

/* A pipermail HTML page: the message it shows, and where (its list is
 * the message's, chosen as for any source). */
static enum larch_status
parse_page(const struct job *job, struct larch_article *where,
    struct larch_msg **out, const char **why)
{
	struct larch_pipermail_html_opts po = {
		.fallback_charset = job->run->fallback_charset,
		.max_text = MAX_TEXT,
	};

	*out = NULL;
	if (larch_article_parse(job->run->state.file, where, why) !=
	    LARCH_OK)
		return LARCH_ERR_PARSE;
	po.month = where->month;
	return larch_pipermail_html_parse(job->data, job->len, &po, out, why);
}

/*
 * The writing thread is what limits a run: parsers need about two thirds
 * of its time per message.  With as many parsers as cores they take
 * cores from it: on 2 cores the writer waited 16% of a run for a core
 * (its schedstat), and runs at nice +10 were 11% faster (docs/
 * PERFORMANCE.md).  Linux gives each thread its own niceness, which
 * setpriority() on a thread id sets; elsewhere nothing changes.
 */
static void
lower_parser_priority(void)
{
#ifdef __linux__
	static __thread bool lowered;
	id_t self;
	int nice_now;

	if (lowered)
		return;
	lowered = true;
	self = (id_t)syscall(SYS_gettid);
	errno = 0;
	nice_now = getpriority(PRIO_PROCESS, self);
	if (errno == 0)
		(void)setpriority(PRIO_PROCESS, self,
		    MIN(nice_now + PARSER_NICENESS, 19));
#endif
}

/* Worker thread: bytes to a parsed message and its index document. */
static void
parse_job(gpointer data, gpointer user_data)
{
	struct job *job = data;
	struct pipeline *p = user_data;
	struct larch_parse_opts po = {
		.fallback_charset = job->run->fallback_charset,
		.pipermail = job->format == LARCH_FORMAT_PIPERMAIL,
		.envelope_date = job->envelope_date,
		.envelope_from = job->envelope_from,
		.max_text = MAX_TEXT,
	};
	struct larch_article where = { 0 };

	lower_parser_priority();
	larch_source_sum(job->data, job->len, job->data_hash);

	if (job->format == LARCH_FORMAT_PIPERMAIL_HTML)
		job->status = parse_page(job, &where, &job->msg, &job->why);
	else
		job->status = larch_parse_message(job->data, job->len, &po,
		    &job->msg, &job->why);
	if (job->status == LARCH_OK) {
		/* The source first: the splitter reads pipermail text with
		 * its lossy rules. */
		larch_msg_add_source(job->msg, job->run->state.file,
		    job->offset, job->length, job->format);
		larch_quote_apply(p->opts->quote_rules, job->msg,
		    SUMMARY_CHARS, NULL);
		/* Here, not in the writer's thread, which links quotes. */
		larch_thread_prepare_quotes(job->msg);
		job->msg->list = choose_list(p, job->run, job->msg);
		job->msg->from_is_list |= from_is_list_address(job->msg);
		if (where.month != NULL)
			larch_msg_add_article(job->msg, job->msg->list,
			    where.month, where.number);
		job->status = larch_store_doc_new_in(job->msg,
		    languages_of(&p->languages, job->msg->list), &job->doc);
		if (job->status != LARCH_OK)
			job->why = "cannot build its index document";
	}
	larch_article_release(&where);
	g_free(job->data);
	job->data = NULL;
	g_async_queue_push(p->done, job);
}

/* After a failure: frees every finished job, in any order. */
static void
discard_ready(struct pipeline *p)
{
	GHashTableIter it;
	gpointer v;

	g_hash_table_iter_init(&it, p->ready);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		struct job *job = v;

		if (job->kind == JOB_MESSAGE) {
			p->in_flight--;
			p->bytes_in_flight -= job->len;
		}
		g_hash_table_iter_steal(&it);
		job_free(job);
	}
}

/* Writes every finished job whose turn has come. */
static enum larch_status
write_ready(struct pipeline *p)
{
	struct job *job;
	enum larch_status st;

	if (p->failed != LARCH_OK) {
		discard_ready(p);
		return LARCH_OK;
	}
	while ((job = g_hash_table_lookup(p->ready,
	    &p->write_seq)) != NULL) {
		g_hash_table_steal(p->ready, &p->write_seq);
		p->write_seq++;
		if (job->kind == JOB_MESSAGE) {
			p->in_flight--;
			p->bytes_in_flight -= job->len;
		}
		st = writer_write(p->writer, job);
		if (job->kind == JOB_MESSAGE)
			progress_message(p->progress, job->run, job->offset +
			    job->length, job->length);
		job_free(job);
		if (st != LARCH_OK) {
			p->failed = st;
			p->failure = g_strdup(larch_store_error(p->store)[0] ?
			    larch_store_error(p->store) :
			    larch_status_str(st));
			discard_ready(p);
			return st;
		}
	}
	return LARCH_OK;
}

/* Collects finished jobs; with wait, blocks for at least one. */
static enum larch_status
collect(struct pipeline *p, bool wait)
{
	struct job *job;

	job = wait ? g_async_queue_pop(p->done) :
	    g_async_queue_try_pop(p->done);
	while (job != NULL) {
		g_hash_table_insert(p->ready, &job->seq, job);
		job = g_async_queue_try_pop(p->done);
	}
	return write_ready(p);
}

static enum larch_status
submit(struct pipeline *p, struct job *job)
{
	enum larch_status st;

	job->seq = p->next_seq++;
	if (job->kind != JOB_MESSAGE) {
		/* Nothing to parse: it only waits for its turn. */
		g_hash_table_insert(p->ready, &job->seq, job);
		return write_ready(p);
	}
	p->in_flight++;
	p->bytes_in_flight += job->len;
	g_thread_pool_push(p->pool, job, NULL);
	st = collect(p, false);
	while (st == LARCH_OK && (p->in_flight >= MAX_IN_FLIGHT ||
	    p->bytes_in_flight >= MAX_BYTES_IN_FLIGHT))
		st = collect(p, true);
	return st;
}

static enum larch_status
drain(struct pipeline *p)
{
	enum larch_status st = LARCH_OK;

	while (st == LARCH_OK && p->in_flight > 0)
		st = collect(p, true);
	return st;
}

static bool
is_gzip(const char *file)
{
	struct larch_stream *stream = NULL;
	bool gz = false;

	if (larch_stream_open(file, &stream, NULL) == LARCH_OK)
		gz = larch_stream_is_gzip(stream);
	larch_stream_close(stream);
	return gz;
}

/*
 * Decides where to start reading file: returns false when it is unchanged
 * since the last run.  A grown file resumes at the last message read (it
 * is read again and recognised), a rewritten one starts over.
 */
static bool
plan_file(struct pipeline *p, struct file_run *run, const struct stat *st,
    uint64_t *start, bool *rewritten)
{
	struct larch_source_state *s = &run->state;

	*start = 0;
	*rewritten = false;
	if (s->kind == NULL)	/* never read */
		return true;
	/* An earlier run stopped while reading it again: start over, and
	 * sweep the messages it had taken sources from. */
	if (s->rewriting) {
		p->sweep = true;
		*rewritten = true;
		return true;
	}
	if (!s->vanished && (uint64_t)st->st_size == s->size) {
		if ((int64_t)st->st_mtim.tv_sec * G_USEC_PER_SEC +
		    st->st_mtim.tv_nsec / 1000 == s->mtime)
			return false;
		/* Written to without growing: edited in place (a word
		 * corrected, a name redacted), which the checks of its
		 * start and last message cannot see.  Read it again. */
		*rewritten = true;
		return true;
	}
	/* A plain file shorter than what was read of it was rewritten
	 * (for gzip the check below finds it). */
	if (!is_gzip(s->file) && (uint64_t)st->st_size < s->offset) {
		*rewritten = true;
		return true;
	}
	if (s->head_len > 0 && !larch_source_head_matches(s->file, s->head_len,
	    s->head)) {
		*rewritten = true;
		return true;
	}
	*start = s->tail_offset;
	return true;
}

/*
 * Whether the message read where the last run's last message started is
 * that message grown: it was the end of the file then (a list archive
 * being written, a copy cut short), and what was read of it is the start
 * of what is there now, or all of it when only the blank line after it
 * came since.  The file only grew: no need to read it all again.
 */
static bool
is_grown_tail(const struct larch_source_state *s,
    const struct larch_split_msg *sm, enum larch_status status, bool same)
{
	if (status != LARCH_OK || sm->offset != s->tail_offset)
		return false;
	if (same)
		return sm->length > s->offset - s->tail_offset;
	return s->tail_len > 0 && sm->len > s->tail_len &&
	    larch_source_sum_matches(sm->data, s->tail_len, s->tail);
}

/* "--list 'NAME'", or "no --list" for NULL.  Caller g_free()s. */
static char *
list_option(const char *list)
{
	return list != NULL ? g_strdup_printf("--list '%s'", list) :
	    g_strdup("no --list");
}

/*
 * A file read before with another --list (or none, or one where now there
 * is none): the messages already indexed keep their lists, which only a
 * new index changes, so the change is said rather than half done quietly.
 */
static void
check_list_option(const struct pipeline *p, struct file_run *run)
{
	const struct larch_source_state *s = &run->state;
	const char *now = p->opts->list;

	if (s->kind != NULL && s->list_known && g_strcmp0(s->list, now) != 0) {
		char *was = list_option(s->list), *is = list_option(now);

		log_warnx("'%s' was indexed with %s and this run has %s: only "
		    "what is new in it takes this run's list; the messages "
		    "indexed keep theirs (a new index renames them)", s->file,
		    was, is);
		g_free(was);
		g_free(is);
	}
	g_free(run->state.list);
	run->state.list = g_strdup(now);
	run->state.list_known = true;
}

/* Whether a file's name promises mail (an archive or a message in a
 * Maildir): finding none in it is then worth a warning.  Other files, a
 * pipermail folder's attachments say, are skipped quietly. */
static bool
is_mail_name(const char *file)
{
	static const char *const suffixes[] = { ".mbox", ".mbx", ".txt",
		".eml", ".gz", NULL };
	bool yes = larch_walk_in_maildir(file, NULL);

	for (const char *const *s = suffixes; *s != NULL && !yes; s++)
		yes = larch_walk_has_suffix(file, *s);
	return yes;
}

static enum larch_status
index_file(struct pipeline *p, const char *file)
{
	struct file_run *run;
	struct larch_split *split = NULL;
	struct larch_split_opts so = { p->opts->config->max_message };
	struct larch_split_msg sm;
	const struct larch_config_list *cl;
	struct stat st;
	uint64_t start;
	bool rewritten, first = true, verify, grown = false;
	char *err = NULL, *key;
	enum larch_status status, wst = LARCH_OK;
	struct job *end;

	p->totals->files++;
	if (stat(file, &st) != 0) {
		log_warn("cannot read '%s'", file);
		p->totals->failed++;
		return LARCH_OK;
	}
	key = larch_source_state_key(file);
	run = file_run_new(p->store, file,
	    larch_known_sources_maybe(p->known, key));
	larch_known_sources_add(p->known, key);
	g_hash_table_add(p->visited, key);	/* takes key */
	check_list_option(p, run);
	if (!plan_file(p, run, &st, &start, &rewritten)) {
		log_info("'%s' is unchanged: not read", file);
		p->totals->unchanged++;
		progress_skip_file(p->progress, st.st_size);
		file_run_unref(run);
		return LARCH_OK;
	}
	if (run->state.kind == NULL)
		log_info("'%s' is new: reading it", file);
	else if (start > 0)
		log_info("'%s' has changed: reading on from its last message "
		    "read, at %" G_GUINT64_FORMAT, file, start);
	/* Resuming at the last message read, also when that is the file's
	 * first: it must still be there, or have grown. */
	verify = !rewritten && run->state.kind != NULL &&
	    run->state.tail_len > 0;
	status = larch_split_open(file, start, &so, &split, &err);
	if (status != LARCH_OK) {
		log_error("%s", err);
		g_free(err);
		p->totals->failed++;
		file_run_unref(run);
		return LARCH_OK;
	}
	if (larch_split_kind(split) == LARCH_ARCHIVE_UNKNOWN) {
		if (is_mail_name(file))
			log_warnx("skipping '%s': not a mail archive (no mbox "
			    "separator in its first 64 KiB, no header at "
			    "offset 0)", file);
		else
			log_info("skipping '%s': not a mail archive", file);
		p->totals->not_mail++;
		progress_skip_file(p->progress, st.st_size);
		larch_split_close(split);
		file_run_unref(run);
		return LARCH_OK;
	}
	if (start == 0 && larch_split_lead(split) > 0)
		log_warnx("'%s' does not start with a message separator: "
		    "skipping its first %" G_GUINT64_FORMAT " bytes, up to "
		    "the first one", file, larch_split_lead(split));
	if (larch_split_kind(split) == LARCH_ARCHIVE_PIPERMAIL_HTML) {
		/* Mailman rewrites a page whenever its neighbours change (its
		 * links): the writer finds the page's message again by the
		 * page's article, so its sources need not be taken off every
		 * message first.  The page is read whole each time. */
		rewritten = false;
		verify = false;
		run->state.messages = 0;
		run->state.skipped = 0;
	}
	cl = larch_config_list_by_path(p->opts->config, file);
	run->list = larch_config_list_of_place(p->opts->config, file,
	    larch_split_kind(split));
	run->fallback_charset = cl != NULL && cl->fallback_charset != NULL ?
	    cl->fallback_charset : p->opts->config->fallback_charset;
	progress_start_file(p->progress, run, st.st_size,
	    larch_split_is_gzip(split));

	while ((status = larch_split_next(split, &sm)) == LARCH_OK ||
	    (status == LARCH_DONE && verify)) {
		struct job *job;

		if (first && verify) {
			/* The last message read must still be there, where
			 * it was: else the file was rewritten (or cut). */
			bool same = status == LARCH_OK &&
			    sm.offset == run->state.tail_offset &&
			    larch_source_sum_matches(sm.data, sm.len,
			    run->state.tail);

			verify = false;
			grown = is_grown_tail(&run->state, &sm, status, same);
			if (!same && !grown) {
				/* What we read last time is not there any
				 * more: the file was rewritten. */
				larch_split_close(split);
				split = NULL;
				if (larch_split_open(file, 0, &so, &split,
				    &err) != LARCH_OK) {
					log_error("%s", err);
					g_free(err);
					p->totals->failed++;
					goto release;
				}
				rewritten = true;
				continue;
			}
		}
		if (first) {
			first = false;
			if (rewritten) {
				log_warnx("'%s' was rewritten: reading it "
				    "again", file);
				p->totals->rewritten++;
				wst = writer_forget_file(p->writer, run);
				if (wst != LARCH_OK)
					goto release;
			}
			if (rewritten || run->state.kind == NULL ||
			    run->state.head_len < LARCH_SOURCE_PROBE)
				run->state.head_len = larch_split_head(split,
				    run->state.head);
		}
		if (sm.cut_short)
			log_warnx("message at '%s' offset %" G_GUINT64_FORMAT
			    " ends inside a line at the end of the file (cut "
			    "short?): indexing its %zu bytes", file, sm.offset,
			    sm.len);
		else if (sm.truncated)
			log_warnx("message at '%s' offset %" G_GUINT64_FORMAT
			    " is larger than the limit: indexing its first "
			    "%zu bytes", file, sm.offset, sm.len);
		job = g_new0(struct job, 1);
		job->kind = JOB_MESSAGE;
		job->run = file_run_ref(run);
		job->data = g_memdup2(sm.data, sm.len + 1);
		job->len = sm.len;
		job->offset = sm.offset;
		job->length = sm.length;
		job->format = sm.format;
		job->envelope_date = sm.envelope_date;
		job->envelope_from = g_strdup(sm.envelope_from);
		job->grown = grown;
		grown = false;
		p->totals->bytes += sm.length;
		wst = submit(p, job);
		if (wst != LARCH_OK)
			goto release;
	}
	if (status != LARCH_DONE) {
		log_error("%s", larch_split_error(split));
		p->totals->failed++;
	}
	/* Rewritten to hold no message at all. */
	if (first && rewritten && status == LARCH_DONE) {
		log_warnx("'%s' was rewritten: it holds no message now", file);
		p->totals->rewritten++;
		wst = writer_forget_file(p->writer, run);
		if (wst != LARCH_OK)
			goto release;
	}
	/* The file's end goes through the writer in order, after its last
	 * message, so the offset saved is never ahead of what is written. */
	end = g_new0(struct job, 1);
	end->kind = JOB_END;
	end->run = file_run_ref(run);
	end->offset = larch_split_offset(split);
	end->complete = status == LARCH_DONE;
	end->kind_name = larch_archive_kind_name(larch_split_kind(split));
	end->size = st.st_size;
	end->mtime = (int64_t)st.st_mtim.tv_sec * G_USEC_PER_SEC +
	    st.st_mtim.tv_nsec / 1000;
	wst = submit(p, end);
release:
	larch_split_close(split);
	file_run_unref(run);
	return wst;
}

/*
 * Whether a source's file is gone: no such file, or a folder has its
 * name now (its files are sources of their own).  One behind a folder
 * that cannot be searched (EACCES) may still be there: the walk said it
 * cannot be read, and it has not vanished.
 */
static bool
is_gone(const char *file)
{
	struct stat st;

	if (stat(file, &st) == 0)
		return S_ISDIR(st.st_mode);
	return errno != EACCES;
}

static enum larch_status
report_vanished(const char *key, const char *value, void *data)
{
	struct pipeline *p = data;
	struct larch_source_state s;

	/* Parsing every state to stat its file was 5% of the writing
	 * thread's instructions on a Maildir (callgrind, 3k messages). */
	if (g_hash_table_contains(p->visited, key))
		return LARCH_OK;
	if (larch_source_state_parse(value, &s) != LARCH_OK ||
	    !is_gone(s.file)) {
		larch_source_state_release(&s);
		return LARCH_OK;
	}
	if (!s.vanished) {
		/* A deleted Maildir folder is one warning per message:
		 * the first few are named, the rest summed up. */
		if (p->vanished_now++ < VANISHED_NAMED)
			log_warnx("source '%s' has vanished: its %"
			    G_GUINT64_FORMAT " messages stay in the index",
			    s.file, s.messages);
		else
			p->vanished_messages += s.messages;
		s.vanished = true;
		writer_note_vanished(p->writer, &s);
	}
	p->totals->vanished++;
	larch_source_state_release(&s);
	return LARCH_OK;
}

/* Whether the index has never read file: only such files are read ahead,
 * since a file read before is read again only when it changed. */
static bool
is_new_source(const char *file, void *data)
{
	struct pipeline *p = data;
	char *key = larch_source_state_key(file);
	bool maybe = larch_known_sources_maybe(p->known, key);

	g_free(key);
	return !maybe || !larch_source_state_known(p->store, file);
}

enum larch_status
larch_index_paths(struct larch_store *store, GPtrArray *paths,
    const struct larch_index_opts *opts, struct larch_index_totals *totals,
    char **error)
{
	struct pipeline p = { 0 };
	struct larch_prefetch ahead;
	bool reading = true;	/* the last file was read, not unchanged */
	GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
	GPtrArray *unreadable = g_ptr_array_new_with_free_func(g_free);
	enum larch_status st = LARCH_OK;
	guint usable = 0;

	memset(totals, 0, sizeof *totals);
	for (guint i = 0; i < paths->len; i++) {
		char *err = NULL;

		if (larch_walk(paths->pdata[i], opts->index_dir, files,
		    unreadable, &err) != LARCH_OK) {
			log_error("%s", err);
			g_free(err);
			continue;
		}
		usable++;
	}
	for (guint i = 0; i < unreadable->len; i++)
		log_warnx("%s; skipped", (char *)unreadable->pdata[i]);
	totals->failed += unreadable->len;
	if (usable == 0 && paths->len > 0) {
		*error = g_strdup("none of the paths given can be read");
		st = LARCH_ERR_IO;
		goto free_lists;
	}

	p.store = store;
	st = languages_settle(store, opts->config, &p.languages, error);
	if (st != LARCH_OK)
		goto free_lists;
	p.opts = opts;
	p.totals = totals;
	{
		char *kerr = NULL;

		p.known = larch_known_sources_load(store, &kerr);
		if (p.known == NULL) {
			log_warnx("cannot list the files the index has read "
			    "(%s): looking each one up", kerr);
			g_free(kerr);
		}
	}
	p.writer = writer_new(store, opts->config, totals);
	p.progress = progress_new(opts->progress, files);
	p.done = g_async_queue_new();
	p.ready = g_hash_table_new(g_int64_hash, g_int64_equal);
	p.visited = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    NULL);
	p.pool = g_thread_pool_new(parse_job, &p, MAX(1, opts->jobs), TRUE,
	    NULL);

	larch_prefetch_init(&ahead, files, is_new_source, &p);
	for (guint i = 0; i < files->len && st == LARCH_OK; i++) {
		uint64_t unchanged = totals->unchanged;

		/* Only after a file that had to be read: a run over files
		 * read before (an unchanged Maildir, its new messages last)
		 * would look each one up twice for nothing. */
		if (reading)
			larch_prefetch_before(&ahead, i);
		st = index_file(&p, files->pdata[i]);
		reading = totals->unchanged == unchanged;
	}
	larch_prefetch_finish(&ahead);
	log_info("handed %u new files to read ahead; the kernel was asked for "
	    "the %u the indexer had not reached yet", ahead.queued,
	    ahead.asked);
	if (st == LARCH_OK)
		st = drain(&p);
	if (st == LARCH_OK)
		st = larch_store_meta_foreach(store, LARCH_SOURCE_KEY,
		    report_vanished, &p);
	if (p.vanished_now > VANISHED_NAMED)
		log_warnx("and %" G_GUINT64_FORMAT " more sources have "
		    "vanished: their %" G_GUINT64_FORMAT " messages stay in "
		    "the index", p.vanished_now - VANISHED_NAMED,
		    p.vanished_messages);
	if (st == LARCH_OK && p.sweep)
		st = writer_sweep(p.writer);
	if (st == LARCH_OK)
		st = writer_finish(p.writer);
	else
		(void)drain(&p);
	if (st != LARCH_OK)
		*error = g_strdup_printf("cannot write the index: %s",
		    p.failure != NULL ? p.failure : larch_store_error(store));
	g_free(p.failure);

	g_thread_pool_free(p.pool, FALSE, TRUE);
	/* Jobs parsed but never written (after a failure). */
	{
		struct job *job;
		GHashTableIter it;
		gpointer v;

		while ((job = g_async_queue_try_pop(p.done)) != NULL)
			job_free(job);
		g_hash_table_iter_init(&it, p.ready);
		while (g_hash_table_iter_next(&it, NULL, &v))
			job_free(v);
	}
	g_hash_table_unref(p.ready);
	g_hash_table_unref(p.visited);
	g_async_queue_unref(p.done);
	progress_free(p.progress);
	writer_free(p.writer);
	larch_known_sources_free(p.known);
free_lists:
	languages_release(&p.languages);
	g_ptr_array_unref(files);
	g_ptr_array_unref(unreadable);
	return st;
}
