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
