#include "services/contacts/text.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "common/validation.h"
#include "unicode/brkiter.h"
#include "unicode/bytestream.h"
#include "unicode/idna.h"
#include "unicode/locid.h"
#include "unicode/normalizer2.h"
#include "unicode/stringpiece.h"
#include "unicode/uchar.h"
#include "unicode/unistr.h"
#include "unicode/uscript.h"
#include "unicode/utf16.h"
#include "unicode/utf8.h"

namespace clientele::contacts {
namespace {

absl::Status TextProblemStatus(absl::string_view what, absl::string_view text) {
  switch (FindTextProblem(text)) {
    case TextProblem::kNone:
      return absl::OkStatus();
    case TextProblem::kBadUtf8:
      return absl::InvalidArgumentError(
          absl::StrCat(what, " is not valid UTF-8"));
    case TextProblem::kControl:
      return absl::InvalidArgumentError(
          absl::StrCat(what, " contains a control character"));
  }
  return absl::InternalError("unreachable");
}

icu::UnicodeString FromUtf8(absl::string_view text) {
  return icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
}

std::string ToUtf8(const icu::UnicodeString& text) {
  std::string out;
  text.toUTF8String(out);
  return out;
}

using NormalizerGetter = const icu::Normalizer2* (*)(UErrorCode&);

// Normalizes `text` in place with the (process-wide, immutable) normalizer
// that `get` returns. False only when ICU fails, i.e. out of memory.
bool Normalize(NormalizerGetter get, icu::UnicodeString& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = get(status);
  if (U_FAILURE(status)) return false;
  icu::UnicodeString out = normalizer->normalize(text, status);
  if (U_FAILURE(status)) return false;
  text = std::move(out);
  return true;
}

// Whether a nonspacing mark is a diacritic that searching should ignore. In
// Latin, Greek, Cyrillic and Armenian marks are accents; in Arabic, Hebrew
// and Syriac they are optional vowel points. In Indic, Southeast Asian and
// Thaana scripts they are the vowels themselves, and the kana voicing marks
// turn か into が: removing those would merge different names.
bool IsIgnorableMark(UChar32 c) {
  if ((U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_ME_MASK)) == 0) return false;
  if (c == 0x3099 || c == 0x309A) return false;
  UErrorCode status = U_ZERO_ERROR;
  switch (uscript_getScript(c, &status)) {
    case USCRIPT_INHERITED:  // U+0300.. combining diacritics, harakat.
    case USCRIPT_COMMON:
    case USCRIPT_LATIN:
    case USCRIPT_GREEK:
    case USCRIPT_CYRILLIC:
    case USCRIPT_ARMENIAN:
    case USCRIPT_ARABIC:
    case USCRIPT_HEBREW:
    case USCRIPT_SYRIAC:
      return true;
    default:
      return false;
  }
}

// Appends what `c` becomes in a search key. Applied after NFD, so أ إ آ ؤ ئ
// have already lost their hamza/madda marks and é its accent; the Latin
// letters here carry strokes that no decomposition removes, yet people type
// them without ("Lodz" for "Łódź").
void AppendFolded(UChar32 c, icu::UnicodeString& key) {
  switch (c) {
    case 0x0131:  // ı dotless i (İ has become i + U+0307 by case folding).
      key.append(static_cast<UChar>('i'));
      return;
    case 0x0111:  // đ
      key.append(static_cast<UChar>('d'));
      return;
    case 0x0127:  // ħ
      key.append(static_cast<UChar>('h'));
      return;
    case 0x0142:  // ł
      key.append(static_cast<UChar>('l'));
      return;
    case 0x00F8:  // ø
      key.append(static_cast<UChar>('o'));
      return;
    case 0x00E6:  // æ
      key.append(u"ae", 2);
      return;
    case 0x0153:  // œ
      key.append(u"oe", 2);
      return;
    case 0x0671:                               // ٱ alef wasla
    case 0x0672:                               // ٲ alef with wavy hamza above
    case 0x0673:                               // ٳ alef with wavy hamza below
      key.append(static_cast<UChar>(0x0627));  // ا alef
      return;
    case 0x0649:                               // ى alef maksura
    case 0x06CC:                               // ی Persian yeh
      key.append(static_cast<UChar>(0x064A));  // ي yeh
      return;
    case 0x0629:                               // ة teh marbuta
      key.append(static_cast<UChar>(0x0647));  // ه heh
      return;
    case 0x06A9:                               // ک keheh (Persian kaf)
      key.append(static_cast<UChar>(0x0643));  // ك kaf
      return;
    case 0x2018:  // ‘
    case 0x2019:  // ’
    case 0x02BC:  // ʼ modifier letter apostrophe
      key.append(static_cast<UChar>('\''));
      return;
    default:
      break;
  }
  if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
    key.append(static_cast<UChar>('0' + u_charDigitValue(c)));
    return;
  }
  key.append(c);
}

// The search key as UTF-16; empty for invalid text.
icu::UnicodeString SearchKeyUnicode(absl::string_view text) {
  if (FindTextProblem(text) != TextProblem::kNone) return {};
  icu::UnicodeString folded = FromUtf8(text);
  // NFKC_Casefold does NFKC, full case folding and drops default-ignorable
  // characters (ZWJ, soft hyphen, variation selectors) in one pass; NFD then
  // exposes the marks to remove, and NFC puts Hangul, kana and Indic
  // syllables back together.
  if (!Normalize(&icu::Normalizer2::getNFKCCasefoldInstance, folded) ||
      !Normalize(&icu::Normalizer2::getNFDInstance, folded)) {
    return {};
  }
  icu::UnicodeString key;
  bool pending_space = false;
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      pending_space = !key.isEmpty();
      continue;
    }
    if (c == 0x0640 || IsIgnorableMark(c)) continue;  // U+0640 is tatweel.
    if (pending_space) {
      key.append(static_cast<UChar>(' '));
      pending_space = false;
    }
    AppendFolded(c, key);
  }
  if (!Normalize(&icu::Normalizer2::getNFCInstance, key)) return {};
  return key;
}

// Scripts written without spaces between words, whose runs the word break
// iterator either keeps whole or splits by dictionary; single characters are
// the only terms a prefix search can rely on.
bool IsUnspacedScript(UScriptCode script) {
  switch (script) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
      return true;
    default:
      return false;
  }
}

bool HasUnspacedScript(const icu::UnicodeString& text) {
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    UErrorCode status = U_ZERO_ERROR;
    if (IsUnspacedScript(uscript_getScript(c, &status))) return true;
  }
  return false;
}

bool IsWordCharacter(UChar32 c) {
  return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0;
}

std::string Describe(UChar32 c) {
  if (u_isgraph(c)) {
    return absl::StrCat("'", ToUtf8(icu::UnicodeString(c)), "'");
  }
  return absl::StrCat("U+", absl::Hex(c, absl::kZeroPad4));
}

// ---- Email ----------------------------------------------------------------

absl::Status EmailError(absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("email address ", problem));
}

// The local part NFKC-case-folded, or why it is not acceptable.
absl::StatusOr<std::string> NormalizeLocalPart(absl::string_view raw) {
  icu::UnicodeString local = FromUtf8(raw);
  if (!Normalize(&icu::Normalizer2::getNFKCCasefoldInstance, local)) {
    return absl::InternalError("ICU normalization failed");
  }
  for (int32_t i = 0; i < local.length();) {
    const UChar32 c = local.char32At(i);
    i += U16_LENGTH(c);
    const bool allowed =
        (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0 ||
        (c < 0x80 && absl::StrContains("._%+-'", static_cast<char>(c)));
    if (!allowed) {
      return EmailError(absl::StrCat(
          "has ", Describe(c),
          " before the '@'; only letters, digits and . _ % + - ' are allowed "
          "there"));
    }
  }
  std::string out = ToUtf8(local);
  if (out.empty()) return EmailError("has nothing before the '@'");
  if (out.front() == '.' || out.back() == '.') {
    return EmailError("must not start or end the part before the '@' with '.'");
  }
  if (absl::StrContains(out, "..")) {
    return EmailError("has two dots in a row before the '@'");
  }
  if (out.size() > 64) {
    return EmailError(absl::StrCat(
        "has ", out.size(), " bytes before the '@'; at most 64 are allowed"));
  }
  return out;
}

// The first problem UTS #46 reports for a domain, in words.
std::string DescribeIdnaErrors(uint32_t errors) {
  if (errors & UIDNA_ERROR_EMPTY_LABEL) {
    return "has two dots in a row in the domain";
  }
  if (errors & UIDNA_ERROR_LEADING_HYPHEN) {
    return "has a domain label that starts with '-'";
  }
  if (errors & UIDNA_ERROR_TRAILING_HYPHEN) {
    return "has a domain label that ends with '-'";
  }
  if (errors & UIDNA_ERROR_LABEL_TOO_LONG) {
    return "has a domain label longer than 63 bytes (in its xn-- form)";
  }
  if (errors & UIDNA_ERROR_DOMAIN_NAME_TOO_LONG) {
    return "has a domain longer than 253 bytes (in its xn-- form)";
  }
  if (errors & UIDNA_ERROR_HYPHEN_3_4) {
    return "has a domain label with '--' in the 3rd and 4th places, which is "
           "reserved for xn-- labels";
  }
  if (errors & (UIDNA_ERROR_PUNYCODE | UIDNA_ERROR_INVALID_ACE_LABEL)) {
    return "has an xn-- domain label that is not valid Punycode";
  }
  if (errors & UIDNA_ERROR_LEADING_COMBINING_MARK) {
    return "has a domain label that starts with a combining mark";
  }
  if (errors & UIDNA_ERROR_BIDI) {
    return "has a domain that mixes right-to-left and left-to-right text in a "
           "way domain names do not allow";
  }
  if (errors & UIDNA_ERROR_CONTEXTJ) {
    return "has a zero-width joiner or non-joiner in the domain where it is "
           "not allowed";
  }
  return "has a character in the domain that domain names do not allow; "
         "labels are letters, digits and '-'";
}

const icu::IDNA* Uts46() {
  // Nontransitional (IDNA2008) processing: "ß" stays "ß", as browsers and
  // registries now do. STD3 rules limit ASCII to letters, digits and '-'.
  static const icu::IDNA* const idna = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::IDNA* created = icu::IDNA::createUTS46Instance(
        UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
            UIDNA_NONTRANSITIONAL_TO_ASCII | UIDNA_NONTRANSITIONAL_TO_UNICODE,
        status);
    if (U_FAILURE(status)) {
      delete created;
      return static_cast<icu::IDNA*>(nullptr);
    }
    return created;
  }();
  return idna;
}

absl::StatusOr<std::string> NormalizeDomain(absl::string_view raw) {
  if (raw.front() == '[') {
    return EmailError("has an IP address as its domain; this is not supported");
  }
  if (raw.front() == '.') return EmailError("has a domain starting with '.'");
  const icu::IDNA* idna = Uts46();
  if (idna == nullptr) return absl::InternalError("ICU IDNA is unavailable");
  const icu::StringPiece piece(raw.data(), static_cast<int32_t>(raw.size()));
  // ToASCII checks what ToUnicode does not: label and name lengths in DNS.
  std::string ascii;
  icu::StringByteSink<std::string> ascii_sink(&ascii);
  icu::IDNAInfo ascii_info;
  UErrorCode status = U_ZERO_ERROR;
  idna->nameToASCII_UTF8(piece, ascii_sink, ascii_info, status);
  if (U_FAILURE(status)) return absl::InternalError("ICU IDNA failed");
  if (ascii_info.hasErrors()) {
    return EmailError(DescribeIdnaErrors(ascii_info.getErrors()));
  }
  std::string domain;
  icu::StringByteSink<std::string> sink(&domain);
  icu::IDNAInfo info;
  idna->nameToUnicodeUTF8(piece, sink, info, status);
  if (U_FAILURE(status)) return absl::InternalError("ICU IDNA failed");
  if (info.hasErrors()) return EmailError(DescribeIdnaErrors(info.getErrors()));
  // Checked after mapping, which turns full-width and ideographic dots into
  // '.'.
  if (!domain.empty() && domain.back() == '.') {
    return EmailError("has a domain ending with '.'");
  }
  if (!absl::StrContains(domain, '.')) {
    return EmailError("needs a dot in the domain, as in example.com");
  }
  return domain;
}

// ---- Phone ----------------------------------------------------------------

absl::Status PhoneError(absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("phone number ", problem));
}

}  // namespace

std::string SearchKey(absl::string_view text) {
  return ToUtf8(SearchKeyUnicode(text));
}

std::vector<std::string> SearchTerms(absl::string_view text) {
  std::vector<std::string> terms;
  const icu::UnicodeString key = SearchKeyUnicode(text);
  if (key.isEmpty()) return terms;
  // Each thread keeps its own iterators: they are not thread-safe, and
  // creating one re-reads ICU's compiled rules (measured: a tenth of a bulk
  // import's time).
  struct Iterators {
    std::unique_ptr<icu::BreakIterator> words;
    std::unique_ptr<icu::BreakIterator> characters;
  };
  thread_local Iterators iterators;
  UErrorCode status = U_ZERO_ERROR;
  if (iterators.words == nullptr) {
    iterators.words.reset(
        icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  }
  if (iterators.characters == nullptr && U_SUCCESS(status)) {
    iterators.characters.reset(icu::BreakIterator::createCharacterInstance(
        icu::Locale::getRoot(), status));
  }
  if (U_FAILURE(status) || iterators.words == nullptr ||
      iterators.characters == nullptr) {
    // Out of memory: the whole key still finds exact matches.
    iterators = Iterators();
    terms.push_back(ToUtf8(key));
    return terms;
  }
  icu::BreakIterator* const words = iterators.words.get();
  icu::BreakIterator* const characters = iterators.characters.get();
  words->setText(key);
  int32_t start = words->first();
  for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
       start = end, end = words->next()) {
    // Statuses below UBRK_WORD_NONE_LIMIT mark spaces and punctuation.
    if (words->getRuleStatus() < UBRK_WORD_NONE_LIMIT) continue;
    const icu::UnicodeString word = key.tempSubStringBetween(start, end);
    if (!HasUnspacedScript(word)) {
      terms.push_back(ToUtf8(word));
      continue;
    }
    characters->setText(word);
    int32_t char_start = characters->first();
    for (int32_t char_end = characters->next();
         char_end != icu::BreakIterator::DONE;
         char_start = char_end, char_end = characters->next()) {
      const icu::UnicodeString character =
          word.tempSubStringBetween(char_start, char_end);
      if (IsWordCharacter(character.char32At(0))) {
        terms.push_back(ToUtf8(character));
      }
    }
  }
  return terms;
}

absl::StatusOr<std::string> NormalizeEmail(absl::string_view email) {
  if (absl::Status status = TextProblemStatus("email address", email);
      !status.ok()) {
    return status;
  }
  icu::UnicodeString text = FromUtf8(email);
  int32_t begin = 0;
  int32_t end = text.length();
  while (begin < end && u_isUWhiteSpace(text.char32At(begin))) {
    begin += U16_LENGTH(text.char32At(begin));
  }
  while (end > begin && u_isUWhiteSpace(text.char32At(end - 1))) {
    end -= U16_LENGTH(text.char32At(end - 1));
  }
  if (begin == end) return EmailError("is empty");
  // Checked first: a quoted local part may hold spaces and '@'.
  if (text.char32At(begin) == '"') {
    return EmailError(
        "starts with a quoted part (\"...\"@example.com); quoted addresses "
        "are not supported");
  }
  for (int32_t i = begin; i < end; i = text.moveIndex32(i, 1)) {
    if (u_isUWhiteSpace(text.char32At(i))) {
      return EmailError("must not contain spaces");
    }
  }
  const std::string trimmed = ToUtf8(text.tempSubStringBetween(begin, end));
  const size_t at = trimmed.find('@');
  if (at == std::string::npos) return EmailError("is missing '@'");
  if (trimmed.find('@', at + 1) != std::string::npos) {
    return EmailError("has more than one '@'");
  }
  const absl::string_view raw_local = absl::string_view(trimmed).substr(0, at);
  const absl::string_view raw_domain =
      absl::string_view(trimmed).substr(at + 1);
  if (raw_local.empty()) return EmailError("has nothing before the '@'");
  if (raw_domain.empty()) return EmailError("has nothing after the '@'");

  absl::StatusOr<std::string> local = NormalizeLocalPart(raw_local);
  if (!local.ok()) return local.status();
  absl::StatusOr<std::string> domain = NormalizeDomain(raw_domain);
  if (!domain.ok()) return domain.status();
  std::string normalized = absl::StrCat(*local, "@", *domain);
  if (normalized.size() > 254) {
    return EmailError(absl::StrCat("is ", normalized.size(),
                                   " bytes long; at most 254 are allowed"));
  }
  return normalized;
}

absl::StatusOr<std::string> NormalizePhone(absl::string_view phone) {
  if (absl::Status status = TextProblemStatus("phone number", phone);
      !status.ok()) {
    return status;
  }
  // NFKC turns full-width '＋', '（' and digits into ASCII ones.
  icu::UnicodeString text = FromUtf8(phone);
  if (!Normalize(&icu::Normalizer2::getNFKCInstance, text)) {
    return absl::InternalError("ICU normalization failed");
  }
  bool plus = false;
  std::string digits;
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c) || c == '.' || c == '(' || c == ')' ||
        u_charType(c) == U_DASH_PUNCTUATION) {
      continue;
    }
    if (c == '+') {
      if (plus || !digits.empty()) {
        return PhoneError("may have '+' only once, at the start");
      }
      plus = true;
      continue;
    }
    if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) {
      digits.push_back(static_cast<char>('0' + u_charDigitValue(c)));
      continue;
    }
    return PhoneError(absl::StrCat(
        "contains ", Describe(c),
        "; only digits, '+', spaces, '.', '-', '(' and ')' are allowed"));
  }
  if (!plus && digits.empty()) return PhoneError("is empty");
  if (!plus) {
    if (absl::StartsWith(digits, "00")) {
      return PhoneError(
          "starts with the international prefix 00; write '+' instead, as in "
          "+44 20 7946 0958");
    }
    return PhoneError(
        "must start with '+' and the country code, as in +1 415 555 0100");
  }
  if (digits.empty()) return PhoneError("has no digits after the '+'");
  if (digits.front() == '0') {
    return PhoneError(
        "has a 0 right after the '+'; country codes never start with 0 (drop "
        "an international prefix such as 00 or 011)");
  }
  if (digits.size() < 8 || digits.size() > 15) {
    return PhoneError(absl::StrCat("has ", digits.size(),
                                   " digits; international (E.164) numbers "
                                   "have 8 to 15"));
  }
  return absl::StrCat("+", digits);
}

}  // namespace clientele::contacts
