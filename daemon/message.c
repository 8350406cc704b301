/*
 * The worker handlers for single messages and whole threads: SHOW, RAW
 * and SUMMARY.  A message the client may not see (a private list it has
 * not unlocked) is answered exactly like one that does not exist.
 *
 * Owner: the daemon engineer.
 */
#include <inttypes.h>
#include <string.h>

#include "commands.h"
#include "larch/log.h"
#include "larch/mid.h"
#include "larch/raw.h"
#include "larch/record.h"
#include "larch/search.h"
#include "larch/thread.h"
#include "privacy.h"
#include "render.h"
#include "resolve.h"
#include "workers.h"

/*
 * Reads the message the request names into *out, or says why not:
 * LARCH_ERR_NOT_FOUND (with job->error) when it is not there, not a
 * message-id at all, or hidden from this client.
 */
static enum larch_status
get_message(struct job *job, struct larch_store *store,
    struct larch_msg **out)
{
	const char *arg = job->req->argv[0];
	enum larch_status st = LARCH_ERR_NOT_FOUND;
	char *mid = resolve_mid(job, store, &st);

	*out = NULL;
	if (mid == NULL)
		return st;
	st = larch_store_get(store, mid, out);
	if (st == LARCH_OK &&
	    larch_search_is_hidden(*out, (const char *const *)job->hidden)) {
		larch_msg_free(*out);
		*out = NULL;
		st = LARCH_ERR_NOT_FOUND;
	}
	if (st == LARCH_ERR_NOT_FOUND && job->error == NULL)
		job->error = g_strdup_printf("no message '%.64s'", arg);
	g_free(mid);
	return st;
}

/* "Name <addr>", or the address or the name alone (an archive page may
 * give only a name: no "Name <>"). */
static char *
from_header(const struct larch_msg *msg)
{
	const char *addr = msg->from_addr != NULL ? msg->from_addr : "";

	if (msg->from_name == NULL || msg->from_name[0] == '\0')
		return g_strdup(addr);
	if (addr[0] == '\0')
		return g_strdup(msg->from_name);
	return g_strdup_printf("%s <%s>", msg->from_name, addr);
}

/* The list and those it was cross-posted to, ", "-separated. */
static char *
lists_header(const struct larch_msg *msg)
{
	GString *s = g_string_new(msg->list != NULL ? msg->list : "");

	for (guint i = 0; msg->also_lists != NULL &&
	    i < msg->also_lists->len; i++)
		g_string_append_printf(s, ", %s",
		    (const char *)msg->also_lists->pdata[i]);
	return g_string_free(s, FALSE);
}

/* A pipermail page of msg as the tail of its URL, "list/2016-May/
 * 003251.html", which SHOW and the other commands take back. */
static char *
article_path(const struct larch_article *a)
{
	return g_strdup_printf("%s/%s/%06u.html", a->list != NULL ? a->list :
	    "", a->month, a->number);
}

static void
header_line(GString *out, const char *name, const char *value)
{
	GString *line = g_string_new(name);

	g_string_append(line, ": ");
	render_field(line, value);
	larch_proto_append_line(out, line->str, (gssize)line->len);
	g_string_free(line, TRUE);
}

static void
show_text(GString *out, const struct larch_msg *msg)
{
	char *from = from_header(msg), *date = larch_iso8601(msg->date);
	char *lists = lists_header(msg), *id;

	header_line(out, "From", from);
	header_line(out, "Date", date);
	header_line(out, "Subject", msg->subject);
	id = g_strdup_printf("<%s>", msg->mid);
	header_line(out, "Message-ID", id);
	g_free(id);
	if (msg->in_reply_to != NULL) {
		id = g_strdup_printf("<%s>", msg->in_reply_to);
		header_line(out, "In-Reply-To", id);
		g_free(id);
	}
	header_line(out, "List", lists);
	/* RFC 5064's header for where an archive shows the message. */
	for (guint i = 0; msg->articles != NULL && i < msg->articles->len;
	    i++) {
		char *path = article_path(msg->articles->pdata[i]);

		header_line(out, "Archived-At", path);
		g_free(path);
	}
	/* What JSON's attachments say, so a reader of the text knows a
	 * file came with the message and what the search of its name or
	 * text may have matched. */
	for (guint i = 0; msg->attachments != NULL &&
	    i < msg->attachments->len; i++) {
		const struct larch_attachment *a = msg->attachments->pdata[i];
		char *line = g_strdup_printf("%s (%s, %" G_GUINT64_FORMAT
		    " bytes)", a->filename != NULL ? a->filename : "unnamed",
		    a->content_type != NULL ? a->content_type :
		    "application/octet-stream", a->size);

		header_line(out, "Attachment", line);
		g_free(line);
	}
	larch_proto_append_line(out, "", 0);
	if (msg->new_text != NULL)
		larch_proto_append_text(out, msg->new_text, -1);
	/* Each quoted passage after the text, set off by an empty line and
	 * under its attribution line. */
	for (guint i = 0; msg->quotes != NULL && i < msg->quotes->len; i++) {
		const struct larch_quote *q = msg->quotes->pdata[i];
		char **lines = g_strsplit(q->text != NULL ? q->text : "", "\n",
		    -1);
		guint n = g_strv_length(lines);

		/* A passage's last line end leaves an empty last piece. */
		if (n > 0 && lines[n - 1][0] == '\0')
			n--;
		larch_proto_append_line(out, "", 0);
		if (q->attribution != NULL)
			larch_proto_append_text(out, q->attribution, -1);
		for (guint k = 0; k < n; k++) {
			char *l = g_strconcat("> ", lines[k], NULL);

			larch_proto_append_line(out, l, -1);
			g_free(l);
		}
		g_strfreev(lines);
	}
	g_free(from);
	g_free(date);
	g_free(lists);
}

static void
show_json(GString *out, const struct larch_msg *msg, char **sources)
{
	GString *o = g_string_sized_new(1024);

	larch_json_open(o);
	larch_json_int(o, "v", LARCH_PROTO_SCHEMA);
	larch_json_str(o, "mid", msg->mid);
	larch_json_str(o, "thread", msg->thread);
	larch_json_str(o, "parent", msg->parent);
	larch_json_date(o, "date", msg->date);
	larch_json_raw(o, "headers", "");
	larch_json_open(o);
	larch_json_str(o, "from", msg->from_addr);
	larch_json_str(o, "from_name", msg->from_name);
	larch_json_date(o, "date", msg->date);
	larch_json_str(o, "subject", msg->subject);
	larch_json_str(o, "message_id", msg->mid);
	larch_json_str(o, "in_reply_to", msg->in_reply_to);
	larch_json_str(o, "list", msg->list);
	larch_json_str(o, "to", msg->to);
	larch_json_str(o, "cc", msg->cc);
	larch_json_close(o);
	larch_json_array_open(o, "lists");
	larch_json_str(o, NULL, msg->list);
	for (guint i = 0; msg->also_lists != NULL &&
	    i < msg->also_lists->len; i++)
		larch_json_str(o, NULL, msg->also_lists->pdata[i]);
	larch_json_array_close(o);
	larch_json_array_open(o, "articles");
	for (guint i = 0; msg->articles != NULL && i < msg->articles->len;
	    i++) {
		char *path = article_path(msg->articles->pdata[i]);

		larch_json_str(o, NULL, path);
		g_free(path);
	}
	larch_json_array_close(o);
	larch_json_str(o, "text", msg->new_text != NULL ? msg->new_text : "");
	larch_json_array_open(o, "quotes");
	for (guint i = 0; msg->quotes != NULL && i < msg->quotes->len; i++) {
		const struct larch_quote *q = msg->quotes->pdata[i];

		larch_json_str(o, NULL, q->text != NULL ? q->text : "");
	}
	larch_json_array_close(o);
	larch_json_array_open(o, "quote_sources");
	for (guint i = 0; msg->quotes != NULL && i < msg->quotes->len; i++)
		larch_json_str(o, NULL, sources[i]);
	larch_json_array_close(o);
	larch_json_array_open(o, "quote_attributions");
	for (guint i = 0; msg->quotes != NULL && i < msg->quotes->len; i++)
		larch_json_str(o, NULL, ((const struct larch_quote *)
		    msg->quotes->pdata[i])->attribution);
	larch_json_array_close(o);
	larch_json_str(o, "summary", msg->summary != NULL ? msg->summary : "");
	larch_json_array_open(o, "attachments");
	for (guint i = 0; msg->attachments != NULL &&
	    i < msg->attachments->len; i++) {
		const struct larch_attachment *a = msg->attachments->pdata[i];

		larch_json_open(o);
		larch_json_str(o, "filename", a->filename);
		larch_json_str(o, "content_type", a->content_type);
		larch_json_int(o, "size", (int64_t)a->size);
		larch_json_close(o);
	}
	larch_json_array_close(o);
	larch_json_close(o);
	larch_proto_append_line(out, o->str, (gssize)o->len);
	g_string_free(o, TRUE);
}

enum larch_status
query_show(struct job *job, struct larch_store *store)
{
	struct larch_msg *msg = NULL;
	enum larch_status st = get_message(job, store, &msg);
	guint nq;
	char **sources;

	if (st != LARCH_OK)
		return st;
	/* Mids of hidden messages are blanked: the mid alone would tell
	 * that they exist. */
	if (privacy_is_hidden_mid(job, store, msg->parent))
		g_clear_pointer(&msg->parent, g_free);
	if (privacy_is_hidden_mid(job, store, msg->in_reply_to))
		g_clear_pointer(&msg->in_reply_to, g_free);
	nq = msg->quotes != NULL ? msg->quotes->len : 0;
	sources = g_new0(char *, nq + 1);
	for (guint i = 0; i < nq; i++) {
		const struct larch_quote *q = msg->quotes->pdata[i];

		if (!privacy_is_hidden_mid(job, store, q->source))
			sources[i] = g_strdup(q->source);
	}
	larch_proto_append_statusf(job->out, 221, "%s message follows",
	    msg->mid);
	if (job->format == LARCH_PROTO_FORMAT_JSON)
		show_json(job->out, msg, sources);
	else
		show_text(job->out, msg);
	larch_proto_append_end(job->out);
	for (guint i = 0; i < nq; i++)
		g_free(sources[i]);
	g_free(sources);
	larch_msg_free(msg);
	return LARCH_OK;
}

enum larch_status
query_raw(struct job *job, struct larch_store *store)
{
	struct larch_msg *msg = NULL;
	enum larch_status st = get_message(job, store, &msg), why;
	GByteArray *bytes;
	bool changed = false;	/* a copy's place holds another message */

	if (st != LARCH_OK)
		return st;
	bytes = g_byte_array_new();
	why = LARCH_ERR_IO;
	st = LARCH_ERR_IO;
	/* The first copy that can still be read (the others are logged),
	 * mail first: a web archive's page of the message is the last
	 * resort. */
	for (guint k = 0; st != LARCH_OK && msg->sources != NULL &&
	    k < 2 * msg->sources->len; k++) {
		guint i = k % msg->sources->len;
		const struct larch_source *src = msg->sources->pdata[i];
		bool is_mail = src->format <= LARCH_FORMAT_PIPERMAIL;
		char *error = NULL;

		if (is_mail != (k < msg->sources->len))
			continue;
		st = larch_raw_read(src, job->raw_max, bytes, &error);
		if (st == LARCH_OK && is_mail &&
		    !larch_raw_has_mid((const char *)bytes->data, bytes->len,
		    msg->header_mid)) {
			g_byte_array_set_size(bytes, 0);
			error = g_strdup_printf("the copy in '%s' at %" PRIu64
			    " is another message now: the file changed since "
			    "it was indexed", src->file, src->offset);
			st = LARCH_ERR_IO;
			changed = true;
		}
		if (st == LARCH_OK)
			break;
		log_warnx("RAW %s: %s", msg->mid, error != NULL ? error :
		    larch_status_str(st));
		if (st == LARCH_ERR_TOO_BIG && why != LARCH_ERR_TOO_BIG) {
			why = st;
			g_free(job->error);
			job->error = g_strdup_printf("message too large for "
			    "RAW: %" PRIu64 " bytes, limit %" PRIu64,
			    src->length, job->raw_max);
		}
		g_free(error);
	}
	if (st == LARCH_OK) {
		/* Room for the bytes and some CRs and dots, reserved once
		 * rather than grown line by line. */
		g_string_set_size(job->out, bytes->len + bytes->len / 16 + 64);
		g_string_truncate(job->out, 0);
		larch_proto_append_statusf(job->out, 220, "%s raw message "
		    "follows", msg->mid);
		larch_proto_append_text(job->out, (const char *)bytes->data,
		    (gssize)bytes->len);
		larch_proto_append_end(job->out);
	} else if (why == LARCH_ERR_TOO_BIG) {
		st = why;
	} else {
		/* The log names the files; a client is not told where the
		 * server keeps its archives. */
		g_free(job->error);
		job->error = g_strdup_printf("no readable copy of '%s': %s",
		    msg->mid, changed ? "its archive changed since it was "
		    "indexed (larch-index has not read it again yet)" :
		    "its archive cannot be read");
	}
	g_byte_array_unref(bytes);
	larch_msg_free(msg);
	return st;
}

/* The summary JSON object with the schema version as its first member. */
static char *
with_version(const char *json)
{
	g_assert(json[0] == '{');
	if (json[1] == '}')
		return g_strdup_printf("{\"v\":%d}", LARCH_PROTO_SCHEMA);
	return g_strdup_printf("{\"v\":%d,%s", LARCH_PROTO_SCHEMA, json + 1);
}

enum larch_status
query_summary(struct job *job, struct larch_store *store)
{
	struct larch_search_result *res = NULL;
	GPtrArray *msgs;
	enum larch_status st;
	char *text;

	st = resolve_thread_rows(job, store, &res);
	if (st != LARCH_OK)
		return st;
	msgs = g_ptr_array_new_with_free_func((GDestroyNotify)larch_msg_free);
	for (unsigned i = 0; st == LARCH_OK && i < res->n_rows; i++) {
		struct larch_msg *m = NULL;

		st = larch_store_get(store, res->rows[i].mid, &m);
		if (st == LARCH_OK)
			g_ptr_array_add(msgs, m);
	}
	if (st == LARCH_ERR_NOT_FOUND)
		st = LARCH_ERR_MODIFIED;	/* removed since: look again */
	if (st == LARCH_OK) {
		privacy_fix_msgs(job, store, msgs);
		text = larch_thread_summary(msgs, job->format ==
		    LARCH_PROTO_FORMAT_JSON);
		const char *thread = res->n_rows == 0 ? "" :
		    res->rows[0].thread[0] != '\0' ? res->rows[0].thread :
		    res->rows[0].mid;

		larch_proto_append_statusf(job->out, 231, "%s summary follows",
		    thread);
		if (job->format == LARCH_PROTO_FORMAT_JSON) {
			char *safe = larch_json_escape_separators(text);
			char *v = with_version(safe);

			larch_proto_append_line(job->out, v, -1);
			g_free(v);
			g_free(safe);
		} else {
			larch_proto_append_text(job->out, text, -1);
		}
		larch_proto_append_end(job->out);
		g_free(text);
	}
	g_ptr_array_unref(msgs);
	larch_search_result_free(res);
	return st;
}
