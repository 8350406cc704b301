/*
 * The thread summary, as text and as JSON; see include/larch/thread.h.
 * The shape of the conversation is in thread.c, quote links in
 * thread_quotes.c.
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "larch/fold.h"
#include "larch/record.h"
#include "larch/thread.h"

/* Deeper replies are not indented further, so lines stay readable; their
 * depth is written instead. */
#define INDENT_MAX 12
/* Author names wider than this are cut. */
#define AUTHOR_COLUMNS 24

struct participant {
	const char *name;	/* borrowed; NULL when no message names one */
	const char *address;	/* borrowed; NULL when unknown */
	guint messages;
	guint first;		/* position of the first message */
};

static gint
most_first(gconstpointer a, gconstpointer b)
{
	const struct participant *x = *(struct participant *const *)a;
	const struct participant *y = *(struct participant *const *)b;

	if (x->messages != y->messages)
		return x->messages > y->messages ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* The one address the thread's messages give for each author name (as
 * larch_fold_name() compares them, the keys), where no two give different
 * ones.  Free with g_hash_table_destroy(). */
static GHashTable *
addresses_by_name(GPtrArray *msgs)
{
	static char ambiguous[] = "";
	GHashTable *by_name = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);

	for (guint i = 0; i < msgs->len; i++) {
		const struct larch_msg *m = msgs->pdata[i];
		char *name;
		const char *had;

		if (m->from_is_list || m->from_addr == NULL ||
		    m->from_name == NULL)
			continue;
		name = larch_fold_name(m->from_name);
		had = g_hash_table_lookup(by_name, name);
		if (had == NULL)
			g_hash_table_insert(by_name, name, m->from_addr);
		else if (strcmp(had, m->from_addr) != 0)
			g_hash_table_insert(by_name, name, ambiguous);
		else
			g_free(name);
	}
	return by_name;
}

/* m's author's address, or NULL when unknown (see participants()). */
static const char *
author_address(const struct larch_msg *m, GHashTable *by_name)
{
	const char *addr;
	char *name;

	if (!m->from_is_list)
		return m->from_addr;
	if (m->from_name == NULL)
		return NULL;
	name = larch_fold_name(m->from_name);
	addr = g_hash_table_lookup(by_name, name);
	g_free(name);
	return addr != NULL && addr[0] != '\0' ? addr : NULL;
}

/*
 * The participants by address (by name for messages without one), most
 * messages first, then in order of appearance.  A message whose address
 * is the list's (a list that rewrites From leaves only that in its
 * archive) counts for the author of the same name elsewhere in the
 * thread, else for its name.  Free with g_ptr_array_unref().
 */
static GPtrArray *
participants(GPtrArray *msgs)
{
	GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *by_name = addresses_by_name(msgs);
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < msgs->len; i++) {
		const struct larch_msg *m = msgs->pdata[i];
		const char *addr = author_address(m, by_name);
		const char *key = addr != NULL ? addr :
		    m->from_name != NULL ? m->from_name :
		    m->from_addr != NULL ? m->from_addr : "";
		struct participant *p = g_hash_table_lookup(seen, key);

		if (p == NULL) {
			p = g_new0(struct participant, 1);
			p->address = addr;
			p->first = i;
			g_hash_table_insert(seen, (gpointer)key, p);
			g_ptr_array_add(out, p);
		}
		if (p->name == NULL)
			p->name = m->from_name;
		p->messages++;
	}
	g_ptr_array_sort(out, most_first);
	g_hash_table_destroy(seen);
	g_hash_table_destroy(by_name);
	return out;
}

static void
date_span(GPtrArray *msgs, int64_t *first, int64_t *last)
{
	*first = *last = 0;
	for (guint i = 0; i < msgs->len; i++) {
		const struct larch_msg *m = msgs->pdata[i];

		/* 0 is no date known, not 1970. */
		if (m->date == 0)
			continue;
		*first = *first == 0 ? m->date : MIN(*first, m->date);
		*last = *last == 0 ? m->date : MAX(*last, m->date);
	}
}

/* "2016-06-16 22:14" in UTC.  Caller g_free()s. */
static char *
short_date(int64_t t)
{
	GDateTime *dt = t != 0 ? g_date_time_new_from_unix_utc(t) : NULL;
	char *s;

	if (dt == NULL)
		return g_strdup("(unknown date)  ");
	s = g_date_time_format(dt, "%Y-%m-%d %H:%M");
	g_date_time_unref(dt);
	return s;
}

/* Appends s on one line, cut to at most width screen columns (with "…")
 * and, when pad, filled with blanks to exactly width. */
static void
append_cell(GString *out, const char *s, int width, bool pad)
{
	int used = 0, total = 0;
	const char *cut = NULL;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		int w = g_unichar_iszerowidth(c) ? 0 :
		    g_unichar_iswide(c) ? 2 : 1;

		if (cut == NULL && total + w > width - 1)
			cut = p;
		total += w;
	}
	if (total <= width)
		cut = NULL;
	for (const char *p = s; *p != '\0' && p != cut;
	    p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c))
			c = ' ';
		g_string_append_unichar(out, c);
		used += g_unichar_iszerowidth(c) ? 0 :
		    g_unichar_iswide(c) ? 2 : 1;
	}
	if (cut != NULL) {
		g_string_append(out, "…");
		used++;
	}
	while (pad && used++ < width)
		g_string_append_c(out, ' ');
}

static int
columns(const char *s)
{
	int n = 0;

	for (const char *p = s; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		n += g_unichar_iszerowidth(c) ? 0 : g_unichar_iswide(c) ? 2 : 1;
	}
	return n;
}

static const char *
author(const struct larch_msg *m)
{
	return m->from_name != NULL ? m->from_name :
	    m->from_addr != NULL ? m->from_addr : "(unknown)";
}

static char *
summary_text(GPtrArray *msgs, GPtrArray *people)
{
	GString *out = g_string_new(NULL);
	const struct larch_msg *top = msgs->pdata[0];
	const struct participant *most = people->pdata[0];
	int64_t first, last;
	char *from, *to;
	char *subject = larch_thread_subject_display(top->subject, top->list);
	int width = 0, count_width;

	date_span(msgs, &first, &last);
	from = short_date(first);
	to = short_date(last);
	append_cell(out, subject != NULL ? subject : "(no subject)", 1000,
	    false);
	g_free(subject);
	g_string_append_printf(out, "\n%u message%s, %u participant%s, "
	    "%s to %s UTC\n\n", msgs->len, msgs->len == 1 ? "" : "s",
	    people->len, people->len == 1 ? "" : "s", from, to);
	count_width = g_snprintf(NULL, 0, "%u", most->messages);
	for (guint i = 0; i < people->len; i++) {
		const struct participant *p = people->pdata[i];

		g_string_append_printf(out, "  %*u  ", count_width,
		    p->messages);
		if (p->name != NULL && p->address != NULL) {
			append_cell(out, p->name, 200, false);
			g_string_append_printf(out, " <%s>\n", p->address);
		} else {
			append_cell(out, p->name != NULL ? p->name :
			    p->address != NULL ? p->address : "(unknown)", 200,
			    false);
			g_string_append_c(out, '\n');
		}
	}
	g_string_append_c(out, '\n');

	for (guint i = 0; i < msgs->len; i++)
		width = MAX(width, columns(author(msgs->pdata[i])));
	width = MIN(width, AUTHOR_COLUMNS);
	for (guint i = 0; i < msgs->len; i++) {
		const struct larch_msg *m = msgs->pdata[i];
		char *date = short_date(m->date);
		int depth = MAX(m->depth, 0);

		g_string_append_printf(out, "%s  ", date);
		append_cell(out, author(m), width, true);
		g_string_append_printf(out, "  %*s", 2 * MIN(depth, INDENT_MAX),
		    "");
		if (depth > INDENT_MAX)
			g_string_append_printf(out, "(%d) ", depth);
		append_cell(out, m->summary != NULL ? m->summary :
		    "(no new text)", 1000, false);
		g_string_append_c(out, '\n');
		g_free(date);
	}
	g_free(to);
	g_free(from);
	return g_string_free(out, FALSE);
}

/* json-glib 1.6 (Debian 12) writes U+001F unescaped, which JSON
 * forbids: a subject or summary holding it made the whole summary
 * unreadable, so it becomes a space (as in lib/record.c). */
static void
add_string(JsonBuilder *b, const char *key, const char *value)
{
	char *fixed;

	json_builder_set_member_name(b, key);
	if (value == NULL) {
		json_builder_add_null_value(b);
	} else if (strchr(value, '\x1f') != NULL) {
		fixed = g_strdelimit(g_strdup(value), "\x1f", ' ');
		json_builder_add_string_value(b, fixed);
		g_free(fixed);
	} else {
		json_builder_add_string_value(b, value);
	}
}

static void
add_date(JsonBuilder *b, const char *key, int64_t t)
{
	char *s = t != 0 ? larch_iso8601(t) : NULL;	/* null: unknown */

	add_string(b, key, s);
	g_free(s);
}

static char *
summary_json(GPtrArray *msgs, GPtrArray *people)
{
	JsonBuilder *b = json_builder_new();
	JsonGenerator *gen = json_generator_new();
	const struct larch_msg *top = msgs->len > 0 ? msgs->pdata[0] : NULL;
	JsonNode *root;
	char *out, *subject = top != NULL ?
	    larch_thread_subject_display(top->subject, top->list) : NULL;

	json_builder_begin_object(b);
	add_string(b, "thread", top != NULL ? top->thread : NULL);
	/* The root: the first message in thread order, or the missing
	 * message (a ghost) it answers. */
	add_string(b, "root", top == NULL ? NULL : top->depth == 0 ||
	    top->parent == NULL ? top->mid : top->parent);
	add_string(b, "subject", subject);
	g_free(subject);
	json_builder_set_member_name(b, "messages");
	json_builder_add_int_value(b, msgs->len);
	json_builder_set_member_name(b, "participants");
	json_builder_begin_array(b);
	for (guint i = 0; i < people->len; i++) {
		const struct participant *p = people->pdata[i];

		json_builder_begin_object(b);
		add_string(b, "name", p->name);
		add_string(b, "address", p->address);
		json_builder_set_member_name(b, "messages");
		json_builder_add_int_value(b, p->messages);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	if (top != NULL) {
		int64_t first, last;

		date_span(msgs, &first, &last);
		add_date(b, "first", first);
		add_date(b, "last", last);
	} else {
		add_string(b, "first", NULL);
		add_string(b, "last", NULL);
	}
	json_builder_set_member_name(b, "items");
	json_builder_begin_array(b);
	for (guint i = 0; i < msgs->len; i++) {
		const struct larch_msg *m = msgs->pdata[i];

		json_builder_begin_object(b);
		add_string(b, "mid", m->mid);
		add_string(b, "parent", m->parent);
		json_builder_set_member_name(b, "depth");
		json_builder_add_int_value(b, m->depth);
		add_date(b, "date", m->date);
		add_string(b, "from", m->from_addr);
		add_string(b, "from_name", m->from_name);
		add_string(b, "summary", m->summary);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_end_object(b);

	root = json_builder_get_root(b);
	json_generator_set_root(gen, root);
	out = json_generator_to_data(gen, NULL);
	json_node_unref(root);
	g_object_unref(gen);
	g_object_unref(b);
	return out;
}

char *
larch_thread_summary(GPtrArray *msgs, bool json)
{
	GPtrArray *people;
	char *out;

	g_return_val_if_fail(msgs != NULL, NULL);
	if (msgs->len == 0 && !json)
		return g_strdup("(no messages)\n");
	people = participants(msgs);
	out = json ? summary_json(msgs, people) : summary_text(msgs, people);
	g_ptr_array_unref(people);
	return out;
}
