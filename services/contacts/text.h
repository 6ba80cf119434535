// Unicode-aware handling of the text people type into contacts: names in any
// script (Arabic, Cyrillic, Chinese, Turkish, ...), email addresses and phone
// numbers. Built on ICU. Every function is thread-safe.
#ifndef CLIENTELE_SERVICES_CONTACTS_TEXT_H_
#define CLIENTELE_SERVICES_CONTACTS_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/validation.h"

namespace clientele::contacts {

// The key under which a name (or any search text) is stored and looked up:
// NFKC-normalized, fully case-folded ("Straße" -> "strasse"), with combining
// marks removed (so "Müller" matches "Muller", "Ёлкин" matches "Елкин",
// "İşık" matches "ışık" and "ISIK"), Turkish dotted and dotless i both folded
// to "i", the stroked Latin letters đ ħ ł ø and the ligatures æ œ spelled
// plainly ("Łódź" -> "lodz"), and runs of white space collapsed to one space,
// trimmed.
// Marks are removed only where they are diacritics (Latin, Greek, Cyrillic,
// Arabic, Hebrew, ...); the vowel signs of Indic and Southeast Asian scripts
// and the Japanese voicing marks (か/が) spell different words and are kept.
// Arabic: tatweel and harakat removed, alef variants (أ إ آ ٱ) -> ا, hamza
// carriers ؤ -> و and ئ -> ي, alef maksura ى -> ي, teh marbuta ة -> ه (people
// write "فاطمه" for "فاطمة"), Persian ی/ک -> Arabic ي/ك (keyboards differ).
// Decimal digits of every script become ASCII; ’ ‘ ʼ become '. Invisible
// format characters (zero-width joiners, soft hyphens) are dropped.
// Invalid text (see IsValidText in common/validation.h) yields "".
std::string SearchKey(absl::string_view text);

// The search terms of `text`, in order and with repeats, so that a caller can
// match consecutive terms or prefixes: SearchKey split on ICU word boundaries,
// punctuation and spaces dropped ("Mary-Jane O'Neil" -> mary, jane, o'neil).
// Han, Hiragana, Katakana, Thai, Lao, Khmer and Myanmar runs (scripts written
// without spaces between words) are split into single characters (grapheme
// clusters), so "小明" is found inside "王小明". Invalid text yields {}.
std::vector<std::string> SearchTerms(absl::string_view text);

// The canonical form of an email address, used for duplicate detection:
// trimmed, the domain mapped per UTS #46 (lowercased, full-width dots and
// letters folded, xn-- labels shown in Unicode), the local part NFKC-case-
// folded. The local part is folded too because nearly every provider treats
// it case-insensitively, and duplicate detection must catch "Ana@X.com" vs
// "ana@x.com". INVALID_ARGUMENT, with a message for the API user saying what
// is wrong, when it is not a valid address: one '@'; a non-empty local part
// of at most 64 bytes made of letters, digits and marks of any script plus
// . _ % + - ' (no leading, trailing or doubled dot; quoted local parts and
// the other RFC 5322 symbols are not supported); a domain with a dot whose
// labels are letters, digits and hyphens of any script (valid IDNA); at most
// 254 bytes in all. IP-address domains ("[192.0.2.1]") are not supported.
absl::StatusOr<std::string> NormalizeEmail(absl::string_view email);

// The canonical form of a phone number: E.164 ("+" and 8 to 15 ASCII digits,
// the first not 0) after removing white space (including no-break spaces),
// dots, dashes and parentheses. Full-width characters and the digits of any
// script ("+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧") are accepted and converted to ASCII.
// INVALID_ARGUMENT, with a message for the API user saying what is wrong,
// when it is not one (no '+', "00" prefix, letters, too few digits, ...).
absl::StatusOr<std::string> NormalizePhone(absl::string_view phone);

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_TEXT_H_
