/*
 * Addresses as archives hold them: RFC 5322 mailboxes, but also bare
 * "user@host (Name)", pipermail's "user at host (Name)" and its older
 * "Name user@host", unterminated brackets, and list rewriting
 * ("Jane Doe via list <list@host>").
 */
#include <string.h>

#include <gmime/gmime.h>

#include "larch/parse.h"
#include "parse_private.h"

static void
addr_free(gpointer p)
{
	struct larch_addr *a = p;

	g_free(a->name);
	g_free(a->addr);
	g_free(a);
}

/*
 * Splits value at top-level separators (',' and ';'), outside quotes,
 * comments and angle brackets.  Returns a vector of new strings.
 */
static GPtrArray *
split_list(const char *value)
{
	GPtrArray *parts = g_ptr_array_new_with_free_func(g_free);
	const char *start = value, *p;
	int paren = 0;
	bool quoted = false, angle = false;

	for (p = value; *p != '\0'; p++) {
		if (quoted) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				quoted = false;
		} else if (paren > 0) {
			if (*p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '(')
				paren++;
			else if (*p == ')')
				paren--;
		} else if (*p == '"') {
			quoted = true;
		} else if (*p == '(') {
			paren++;
		} else if (*p == '<') {
			angle = true;
		} else if (*p == '>') {
			angle = false;
		} else if (!angle && (*p == ',' || *p == ';')) {
			g_ptr_array_add(parts, g_strndup(start,
			    (gsize)(p - start)));
			start = p + 1;
		}
	}
	g_ptr_array_add(parts, g_strdup(start));
	return parts;
}

/*
 * Separates the text outside comments from the first comment's content;
 * quotes are removed (their content kept) when unquote is true.
 */
static char *
strip_comments(const char *s, char **comment, bool unquote)
{
	GString *out = g_string_new(NULL);
	GString *com = NULL;
	int paren = 0;
	bool quoted = false;

	for (const char *p = s; *p != '\0'; p++) {
		if (paren > 0) {
			if (*p == '\\' && p[1] != '\0') {
				p++;
			} else if (*p == '(') {
				paren++;
			} else if (*p == ')') {
				if (--paren == 0) {
					if (com != NULL && comment != NULL &&
					    *comment == NULL)
						*comment = g_strdup(com->str);
					continue;
				}
			}
			if (com != NULL)
				g_string_append_c(com, *p);
			continue;
		}
		if (quoted) {
			if (*p == '\\' && p[1] != '\0') {
				g_string_append_c(out, *++p);
				continue;
			}
			if (*p == '"') {
				quoted = false;
				if (!unquote)
					g_string_append_c(out, *p);
				continue;
			}
			g_string_append_c(out, *p);
			continue;
		}
		if (*p == '"') {
			quoted = true;
			if (!unquote)
				g_string_append_c(out, *p);
		} else if (*p == '(') {
			paren = 1;
			if (com == NULL)
				com = g_string_new(NULL);
			else
				g_string_truncate(com, 0);
		} else {
			g_string_append_c(out, *p);
		}
	}
	/* An unclosed comment still names someone. */
	if (paren > 0 && com != NULL && comment != NULL && *comment == NULL)
		*comment = g_strdup(com->str);
	if (com != NULL)
		g_string_free(com, TRUE);
	return g_strstrip(g_string_free(out, FALSE));
}

/* Cleans an address: no spaces, quotes, brackets or "mailto:". */
static char *
clean_addr(const char *s, const char *fallback)
{
	GString *out = g_string_new(NULL);
	char *res;

	if (g_ascii_strncasecmp(s, "mailto:", 7) == 0)
		s += 7;
	/* An obsolete source route: "@a,@b:user@host". */
	if (*s == '@' && strchr(s, ':') != NULL)
		s = strchr(s, ':') + 1;
	for (const char *p = s; *p != '\0'; p++)
		if (!g_ascii_isspace(*p) && *p != '<' && *p != '>' &&
		    *p != '"' && *p != '(' && *p != ')')
			g_string_append_c(out, *p);
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	res = larch_text_decode(out->str, out->len, NULL, fallback, NULL);
	g_string_free(out, TRUE);
	return res;
}

static char *
clean_name(const char *raw, const char *fallback)
{
	char *comment = NULL;
	char *text = strip_comments(raw, &comment, true);
	char *name;

	g_free(comment);
	name = larch_header_decode(text, fallback, true);
	g_free(text);
	/* Stray quotes that were not balanced. */
	if (name[0] == '"' && name[strlen(name) - 1] == '"' &&
	    strlen(name) >= 2) {
		memmove(name, name + 1, strlen(name) - 2);
		name[strlen(name) - 2] = '\0';
		g_strstrip(name);
	}
	if (name[0] == '\0') {
		g_free(name);
		return NULL;
	}
	return name;
}

/* Finds '<' outside quotes and comments. */
static const char *
find_angle(const char *s)
{
	int paren = 0;
	bool quoted = false;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\\' && p[1] != '\0' && (quoted || paren > 0))
			p++;
		else if (quoted)
			quoted = *p != '"';
		else if (paren > 0)
			paren += *p == '(' ? 1 : *p == ')' ? -1 : 0;
		else if (*p == '"')
			quoted = true;
		else if (*p == '(')
			paren = 1;
		else if (*p == '<')
			return p;
	}
	return NULL;
}

static struct larch_addr *
parse_one(const char *elem, const char *fallback)
{
	struct larch_addr *a = g_new0(struct larch_addr, 1);
	const char *lt = find_angle(elem);
	char *comment = NULL;

	if (lt != NULL) {
		const char *gt = strchr(lt, '>');
		char *inner = gt != NULL ?
		    g_strndup(lt + 1, (gsize)(gt - lt - 1)) : g_strdup(lt + 1);
		char *before = g_strndup(elem, (gsize)(lt - elem));
		char *rest = strip_comments(before, &comment, false);

		a->addr = clean_addr(inner, fallback);
		a->name = clean_name(rest[0] != '\0' ? rest :
		    comment != NULL ? comment : "", fallback);
		if (a->name == NULL && gt != NULL) {
			/* "<addr> (Name)" */
			g_free(comment);
			comment = NULL;
			g_free(strip_comments(gt + 1, &comment, false));
			if (comment != NULL)
				a->name = clean_name(comment, fallback);
		}
		g_free(inner);
		g_free(before);
		g_free(rest);
	} else {
		char *rest = strip_comments(elem, &comment, false);
		char **words = g_strsplit_set(rest, " \t", -1);
		GString *name = g_string_new(NULL);
		int at = -1, count = 0;

		for (int i = 0; words[i] != NULL; i++) {
			if (words[i][0] == '\0')
				continue;
			count++;
			if (at < 0 && strchr(words[i], '@') != NULL &&
			    words[i][0] != '"')
				at = i;
		}
		if (at < 0 && count == 1) {
			/* A local address such as "MAILER-DAEMON". */
			for (int i = 0; words[i] != NULL; i++)
				if (words[i][0] != '\0')
					at = i;
		}
		for (int i = 0; words[i] != NULL; i++) {
			if (i == at || words[i][0] == '\0')
				continue;
			if (name->len > 0)
				g_string_append_c(name, ' ');
			g_string_append(name, words[i]);
		}
		if (at >= 0)
			a->addr = clean_addr(words[at], fallback);
		a->name = clean_name(comment != NULL ? comment : name->str,
		    fallback);
		if (a->name == NULL && comment != NULL && name->len > 0)
			a->name = clean_name(name->str, fallback);
		g_string_free(name, TRUE);
		g_strfreev(words);
		g_free(rest);
	}
	g_free(comment);
	return a;
}

GPtrArray *
larch_addr_parse(const char *raw, const char *fallback)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(addr_free);
	char *value = larch_header_unfold(raw);
	GPtrArray *parts = split_list(value);

	for (guint i = 0; i < parts->len; i++) {
		char *elem = g_strstrip((char *)parts->pdata[i]);
		const char *colon = strchr(elem, ':');
		struct larch_addr *a;

		/* "group: a@b, c@d;" - drop the group's name. */
		if (colon != NULL && find_angle(elem) == NULL &&
		    strchr(elem, '"') == NULL) {
			const char *at = strchr(elem, '@');

			if (at == NULL || colon < at)
				elem = g_strstrip((char *)colon + 1);
		} else if (colon != NULL && find_angle(elem) != NULL &&
		    colon < find_angle(elem) && strchr(elem, '"') == NULL) {
			elem = g_strstrip((char *)colon + 1);
		}
		if (*elem == '\0')
			continue;
		a = parse_one(elem, fallback);
		if (a->addr == NULL && a->name == NULL) {
			addr_free(a);
			continue;
		}
		g_ptr_array_add(out, a);
	}
	g_ptr_array_unref(parts);
	g_free(value);
	return out;
}

char *
larch_addr_strip_via(const char *name)
{
	const char *via = NULL, *p;
	char *author;
	size_t n;

	if (name == NULL)
		return NULL;
	for (p = name; (p = strstr(p, " via ")) != NULL; p++)
		via = p;
	if (via == NULL || via == name || via[5] == '\0')
		return NULL;
	author = g_strstrip(g_strndup(name, (gsize)(via - name)));
	n = strlen(author);
	/* Google Groups and Mailman 3 quote the name: 'Jane Doe' via x. */
	if (n >= 2 && ((author[0] == '\'' && author[n - 1] == '\'') ||
	    (author[0] == '"' && author[n - 1] == '"'))) {
		memmove(author, author + 1, n - 2);
		author[n - 2] = '\0';
		g_strstrip(author);
	}
	if (author[0] == '\0') {
		g_free(author);
		return NULL;
	}
	return author;
}

char *
larch_addr_from_mailto(const char *raw)
{
	char *value, *res = NULL;
	const char *p, *end;

	if (raw == NULL)
		return NULL;
	value = larch_header_unfold(raw);
	p = strstr(value, "mailto:");
	if (p == NULL)
		p = strstr(value, "MAILTO:");
	if (p != NULL) {
		p += 7;
		for (end = p; *end != '\0' && *end != '>' && *end != '?' &&
		    *end != ',' && !g_ascii_isspace(*end); end++)
			;
		if (end > p && memchr(p, '@', (size_t)(end - p)) != NULL) {
			char *addr = g_strndup(p, (gsize)(end - p));

			res = larch_text_decode(addr, strlen(addr), NULL, NULL,
			    NULL);
			g_free(addr);
		}
	}
	g_free(value);
	return res;
}

/* Whether name must be quoted in "Name <addr>". */
static bool
needs_quotes(const char *name)
{
	return strpbrk(name, ",;:<>@[]()\"\\") != NULL;
}

static void
append_mailbox(GString *out, const char *name, const char *addr)
{
	if (name == NULL || *name == '\0') {
		g_string_append(out, addr);
		return;
	}
	if (needs_quotes(name)) {
		g_string_append_c(out, '"');
		for (const char *p = name; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(out, '\\');
			g_string_append_c(out, *p);
		}
		g_string_append_c(out, '"');
	} else {
		g_string_append(out, name);
	}
	g_string_append_printf(out, " <%s>", addr);
}

/* One element of a pipermail address list; see larch_pipermail_unobfuscate. */
static void
unobfuscate_one(GString *out, const char *elem)
{
	char *comment = NULL, *rest;
	char **words;
	GPtrArray *kept;
	int addr = -1;

	if (strchr(elem, '<') != NULL) {
		/* Already a mailbox: only the address may be obfuscated. */
		const char *lt = strchr(elem, '<');
		const char *gt = strchr(lt, '>');
		char *inner = gt != NULL ? g_strndup(lt + 1,
		    (gsize)(gt - lt - 1)) : g_strdup(lt + 1);
		char **parts = g_strsplit(inner, " at ", 2);

		g_string_append_len(out, elem, lt - elem + 1);
		if (parts[0] != NULL && parts[1] != NULL)
			g_string_append_printf(out, "%s@%s",
			    g_strstrip(parts[0]), g_strstrip(parts[1]));
		else
			g_string_append(out, inner);
		g_string_append(out, gt != NULL ? gt : ">");
		g_strfreev(parts);
		g_free(inner);
		return;
	}
	rest = strip_comments(elem, &comment, false);
	words = g_strsplit_set(rest, " \t", -1);
	/* Drop the empty words that runs of spaces leave. */
	{
		int w = 0;

		for (int i = 0; words[i] != NULL; i++) {
			if (words[i][0] == '\0')
				g_free(words[i]);
			else
				words[w++] = words[i];
		}
		words[w] = NULL;
	}
	kept = g_ptr_array_new_with_free_func(g_free);
	for (int i = 0; words[i] != NULL; i++) {
		/* "user at host": the three words are one address. */
		if (strcmp(words[i], "at") == 0 && kept->len > 0 &&
		    addr < 0 && strchr(kept->pdata[kept->len - 1], '@') ==
		    NULL && words[i + 1] != NULL &&
		    strchr(words[i + 1], '@') == NULL) {
			char *user = kept->pdata[kept->len - 1];

			kept->pdata[kept->len - 1] = g_strdup_printf("%s@%s",
			    user, words[i + 1]);
			g_free(user);
			addr = (int)kept->len - 1;
			i++;
			continue;
		}
		g_ptr_array_add(kept, g_strdup(words[i]));
		if (addr < 0 && strchr(words[i], '@') != NULL)
			addr = (int)kept->len - 1;
	}
	if (addr < 0) {
		g_string_append(out, elem);
	} else {
		GString *name = g_string_new(NULL);

		/* Old pipermail: "Name user@host". */
		for (guint i = 0; i < kept->len; i++) {
			if ((int)i == addr)
				continue;
			if (name->len > 0)
				g_string_append_c(name, ' ');
			g_string_append(name, kept->pdata[i]);
		}
		if (comment != NULL && *g_strstrip(comment) != '\0')
			g_string_assign(name, comment);
		append_mailbox(out, name->str, kept->pdata[addr]);
		g_string_free(name, TRUE);
	}
	g_ptr_array_unref(kept);
	g_strfreev(words);
	g_free(rest);
	g_free(comment);
}

char *
larch_pipermail_unobfuscate(const char *value)
{
	GString *out = g_string_new(NULL);
	char *unfolded;
	GPtrArray *parts;

	if (value == NULL)
		return g_string_free(out, FALSE);
	unfolded = larch_header_unfold(value);
	parts = split_list(unfolded);
	for (guint i = 0; i < parts->len; i++) {
		char *elem = g_strstrip((char *)parts->pdata[i]);

		if (*elem == '\0')
			continue;
		if (out->len > 0)
			g_string_append(out, ", ");
		unobfuscate_one(out, elem);
	}
	g_ptr_array_unref(parts);
	g_free(unfolded);
	return g_string_free(out, FALSE);
}

/* ---- headers and authors ----------------------------------------------- */

/* The raw value of the first header called name with a non-blank value. */
const char *
larch_header_raw(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *list;
	int n;

	if (obj == NULL)
		return NULL;
	list = g_mime_object_get_header_list(obj);
	n = list != NULL ? g_mime_header_list_get_count(list) : 0;
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		const char *v;

		if (g_ascii_strcasecmp(g_mime_header_get_name(h), name) != 0)
			continue;
		v = g_mime_header_get_raw_value(h);
		if (v == NULL)
			continue;
		while (g_ascii_isspace(*v))
			v++;
		if (*v != '\0')
			return v;
	}
	return NULL;
}

/* A decoded header, or NULL when absent or blank. */
char *
larch_header_text(const struct larch_hdr_ctx *c, GMimeObject *obj,
    const char *name)
{
	const char *raw = larch_header_raw(obj, name);
	char *text;

	if (raw == NULL)
		return NULL;
	text = larch_header_decode(raw, c->fallback, true);
	if (text[0] == '\0') {
		g_free(text);
		return NULL;
	}
	return text;
}

/* Every header called name, decoded and joined with ", "; or NULL. */
char *
larch_header_addresses(const struct larch_hdr_ctx *c, GMimeObject *obj,
    const char *name)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = list != NULL ? g_mime_header_list_get_count(list) : 0;
	GString *out = g_string_new(NULL);

	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		const char *raw = g_mime_header_get_raw_value(h);
		char *plain = NULL, *text;

		if (raw == NULL ||
		    g_ascii_strcasecmp(g_mime_header_get_name(h), name) != 0)
			continue;
		if (c->pipermail)
			raw = plain = larch_pipermail_unobfuscate(raw);
		text = larch_header_decode(raw, c->fallback, true);
		if (text[0] != '\0') {
			if (out->len > 0)
				g_string_append(out, ", ");
			g_string_append(out, text);
		}
		g_free(text);
		g_free(plain);
	}
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

static GPtrArray *
addresses(const struct larch_hdr_ctx *c, GMimeObject *obj, const char *name)
{
	const char *raw = larch_header_raw(obj, name);
	char *plain = NULL;
	GPtrArray *list;

	if (raw == NULL)
		return NULL;
	if (c->pipermail)
		raw = plain = larch_pipermail_unobfuscate(raw);
	list = larch_addr_parse(raw, c->fallback);
	g_free(plain);
	return list;
}

/* The first entry with an address, else the first entry; or NULL. */
static struct larch_addr *
first_mailbox(GPtrArray *list)
{
	if (list == NULL || list->len == 0)
		return NULL;
	for (guint i = 0; i < list->len; i++) {
		struct larch_addr *a = list->pdata[i];

		if (a->addr != NULL)
			return a;
	}
	return list->pdata[0];
}

bool
larch_addr_equal(const char *a, const char *b)
{
	return a != NULL && b != NULL && g_ascii_strcasecmp(a, b) == 0;
}

/* The list's own address, from List-Post or X-BeenThere. */
char *
larch_list_address(const struct larch_hdr_ctx *c, GMimeObject *obj)
{
	char *addr = larch_addr_from_mailto(larch_header_raw(obj, "List-Post"));
	GPtrArray *list;
	struct larch_addr *a;

	if (addr != NULL)
		return addr;
	list = addresses(c, obj, "X-BeenThere");
	a = first_mailbox(list);
	if (a != NULL)
		addr = g_strdup(a->addr);
	if (list != NULL)
		g_ptr_array_unref(list);
	return addr;
}

void
larch_author_release(struct larch_author *a)
{
	g_free(a->name);
	g_free(a->addr);
}

/*
 * Whether the display name only repeats addr: written out, as pipermail
 * obfuscates it ("user at host"), or as Google Groups shortens it
 * ("user...@host", the first letters of addr's user).  A reader gains
 * nothing from such a name, and an obfuscated one next to the plain
 * address reads as a mistake.
 */
static bool
name_is_address(const char *name, const char *addr)
{
	char *plain, *dots;
	const char *at;
	bool same;

	if (name == NULL || addr == NULL)
		return false;
	plain = g_strstrip(g_strdup(name));
	/* Quotes the name was written in ("'user...@host' via list"). */
	if (strlen(plain) >= 2 && (plain[0] == '\'' || plain[0] == '"') &&
	    plain[strlen(plain) - 1] == plain[0]) {
		plain[strlen(plain) - 1] = '\0';
		memmove(plain, plain + 1, strlen(plain));
	}
	if (strchr(plain, '@') == NULL) {
		char **parts = g_strsplit(plain, " at ", -1);

		if (g_strv_length(parts) == 2 && strchr(parts[1], ' ') ==
		    NULL) {
			g_free(plain);
			plain = g_strjoinv("@", parts);
		}
		g_strfreev(parts);
	}
	same = larch_addr_equal(plain, addr);
	at = strchr(addr, '@');
	dots = strstr(plain, "...@");
	if (!same && at != NULL && dots != NULL && dots > plain &&
	    (size_t)(dots - plain) < (size_t)(at - addr))
		same = g_ascii_strncasecmp(plain, addr,
		    (size_t)(dots - plain)) == 0 &&
		    g_ascii_strcasecmp(dots + 3, at) == 0;
	g_free(plain);
	return same;
}

/*
 * The author of obj's headers: From (or Sender), undoing "Name via list"
 * rewriting with Reply-To, X-Original-From or a Cc naming the same person.
 */
void
larch_author_find(const struct larch_hdr_ctx *c, GMimeObject *obj,
    const char *list_addr, struct larch_author *out)
{
	GPtrArray *from = addresses(c, obj, "From");
	struct larch_addr *a = first_mailbox(from);
	char *real_name;

	memset(out, 0, sizeof *out);
	if (a == NULL || (a->addr == NULL && a->name == NULL)) {
		if (from != NULL)
			g_ptr_array_unref(from);
		from = addresses(c, obj, "Sender");
		a = first_mailbox(from);
	}
	if (a != NULL) {
		out->name = g_strdup(a->name);
		out->addr = g_strdup(a->addr);
	}
	if (from != NULL)
		g_ptr_array_unref(from);
	real_name = larch_addr_strip_via(out->name);
	if (real_name != NULL) {
		static const char *const sources[] = {
			"Reply-To", "X-Original-From", "Cc",
		};

		out->via = true;
		out->addr_is_list = true;
		for (size_t s = 0; s < G_N_ELEMENTS(sources); s++) {
			GPtrArray *list = addresses(c, obj, sources[s]);
			const char *found = NULL;
			guint candidates = 0;

			for (guint i = 0; list != NULL && i < list->len; i++) {
				struct larch_addr *r = list->pdata[i];

				if (r->addr == NULL ||
				    strchr(r->addr, '@') == NULL ||
				    larch_addr_equal(r->addr, out->addr) ||
				    larch_addr_equal(r->addr, list_addr))
					continue;
				/* A Cc only counts when it names the author. */
				if (s == 2 && (r->name == NULL ||
				    g_utf8_collate(r->name, real_name) != 0))
					continue;
				if (found == NULL)
					found = r->addr;
				candidates++;
			}
			/* Reply-To must name the author alone (besides the
			 * list): two people there could be anyone. */
			if (s == 0 && candidates != 1)
				found = NULL;
			if (found != NULL) {
				g_free(out->addr);
				out->addr = g_strdup(found);
				out->addr_is_list = false;
			}
			if (list != NULL)
				g_ptr_array_unref(list);
			if (found != NULL)
				break;
		}
		g_free(out->name);
		out->name = real_name;
	}
	/* While the address is the list's, the name is all there is of
	 * the author. */
	if (!out->addr_is_list && name_is_address(out->name, out->addr)) {
		g_free(out->name);
		out->name = NULL;
	}
}
