/*
 * Per-list stemming languages, kept as index metadata: "larch:language"
 * the default, "larch:language:LIST" a list's own.  Part of the store
 * shim; see include/larch/store.h.
 */
#include "store_language.hh"

static const char KEY_LANGUAGE[] = "larch:language";

bool
larch_store_language_is_known(const char *language) noexcept
{
	if (language == nullptr || language[0] == '\0')
		return false;
	try {
		Xapian::Stem stem(language);

		return true;
	} catch (...) {
		return false;
	}
}

enum larch_status
larch_store_set_language(struct larch_store *s, const char *list,
    const char *language) noexcept
{
	if (s == nullptr || !larch_store_language_is_known(language))
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot record a list's language", [&]() {
		std::string key = KEY_LANGUAGE;
		enum larch_status status = check_writable(s);

		if (status != LARCH_OK)
			return status;
		if (list != nullptr)
			key.append(":").append(list);
		s->wshards[0].set_metadata(key, language);
		return LARCH_OK;
	});
}

enum larch_status
larch_store_get_language(struct larch_store *s, const char *list,
    char **language) noexcept
{
	*language = nullptr;
	if (s == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot read a list's language", [&]() {
		std::string key = KEY_LANGUAGE;

		if (list != nullptr)
			key.append(":").append(list);
		return with_retry(s, [&]() {
			std::string v = s->all.get_metadata(key);

			g_free(*language);
			*language = v.empty() ? nullptr :
			    g_strndup(v.data(), v.size());
			return LARCH_OK;
		});
	});
}

enum larch_status
larch_store_list_languages(struct larch_store *s,
    void (*fn)(const char *list, const char *language, void *data),
    void *data) noexcept
{
	if (s == nullptr || fn == nullptr)
		return LARCH_ERR_INVALID;
	return guarded(s, "cannot read the lists' languages", [&]() {
		std::string prefix = std::string(KEY_LANGUAGE) + ":";
		std::vector<std::pair<std::string, std::string>> found;
		enum larch_status status = with_retry(s, [&]() {
			found.clear();
			for (auto it = s->all.metadata_keys_begin(prefix);
			    it != s->all.metadata_keys_end(prefix); ++it)
				found.emplace_back((*it).substr(prefix.size()),
				    s->all.get_metadata(*it));
			return LARCH_OK;
		});

		for (auto &f : found)
			fn(f.first.c_str(), f.second.c_str(), data);
		return status;
	});
}

store_languages
larch_store_languages(const Xapian::Database &db)
{
	store_languages out;
	std::string prefix = std::string(KEY_LANGUAGE) + ":";
	std::string def = db.get_metadata(KEY_LANGUAGE);
	std::map<std::string, std::string> own;

	if (!def.empty())
		out.deflang = def;
	for (auto it = db.metadata_keys_begin(prefix);
	    it != db.metadata_keys_end(prefix); ++it) {
		std::string lang = db.get_metadata(*it);

		if (lang != out.deflang)
			out.lists[lang].push_back((*it).substr(prefix.size()));
	}
	return out;
}
