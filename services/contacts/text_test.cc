#include "services/contacts/text.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::contacts {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The message of an INVALID_ARGUMENT result, or a marker that fails any
// HasSubstr expectation when the result is OK or has another code.
std::string InvalidArgumentMessage(const absl::StatusOr<std::string>& result) {
  if (result.ok()) return "<OK: " + *result + ">";
  if (result.status().code() != absl::StatusCode::kInvalidArgument) {
    return "<" + result.status().ToString() + ">";
  }
  return {result.status().message().begin(), result.status().message().end()};
}

// ---- IsValidText ------------------------------------------------------------

TEST(IsValidTextTest, AcceptsTextInAnyScriptAndTabs) {
  EXPECT_TRUE(IsValidText(""));
  EXPECT_TRUE(IsValidText("Ana María\tGarcía"));
  EXPECT_TRUE(IsValidText("أحمد محمد"));
  EXPECT_TRUE(IsValidText("王小明"));
  EXPECT_TRUE(IsValidText("Şahin İşık"));
  EXPECT_TRUE(IsValidText("emoji \xF0\x9F\x98\x80"));  // U+1F600, 4 bytes.
}

TEST(IsValidTextTest, RejectsMalformedUtf8) {
  EXPECT_FALSE(IsValidText("\xC0\xAF"));          // Overlong '/'.
  EXPECT_FALSE(IsValidText("a\x80z"));            // Lone continuation byte.
  EXPECT_FALSE(IsValidText("\xED\xA0\x80"));      // Surrogate U+D800.
  EXPECT_FALSE(IsValidText("\xE4\xB8"));          // Truncated 中.
  EXPECT_FALSE(IsValidText("\xF4\x90\x80\x80"));  // Above U+10FFFF.
  EXPECT_FALSE(IsValidText("\xFF"));
}

TEST(IsValidTextTest, RejectsNulAndControlCharacters) {
  EXPECT_FALSE(IsValidText(absl::string_view("ab\0c", 4)));
  EXPECT_FALSE(IsValidText("line\nbreak"));
  EXPECT_FALSE(IsValidText("bell\a"));
  EXPECT_FALSE(IsValidText("del\x7F"));
  EXPECT_FALSE(IsValidText("c1\xC2\x85"));  // U+0085 NEXT LINE.
}

// ---- SearchKey --------------------------------------------------------------

TEST(SearchKeyTest, TurkishDottedAndDotlessIAllBecomePlainI) {
  EXPECT_EQ(SearchKey("ŞAHİN"), "sahin");
  EXPECT_EQ(SearchKey("şahin"), "sahin");
  EXPECT_EQ(SearchKey("Sahin"), "sahin");
  EXPECT_EQ(SearchKey("İşık"), "isik");
  EXPECT_EQ(SearchKey("ışık"), "isik");
  EXPECT_EQ(SearchKey("ISIK"), "isik");
}

TEST(SearchKeyTest, GermanUsesFullCaseFoldingAndDropsUmlauts) {
  EXPECT_EQ(SearchKey("Straße"), "strasse");
  EXPECT_EQ(SearchKey("STRASSE"), "strasse");
  EXPECT_EQ(SearchKey("Müller"), SearchKey("MULLER"));
}

TEST(SearchKeyTest, LatinLettersWithStrokesMatchTheirPlainForms) {
  EXPECT_EQ(SearchKey("Łódź"), "lodz");
  EXPECT_EQ(SearchKey("Đặng Thị Hương"), "dang thi huong");
  EXPECT_EQ(SearchKey("Ærøskøbing"), "aeroskobing");
}

TEST(SearchKeyTest, RussianIgnoresCaseAndYoDiaeresis) {
  EXPECT_EQ(SearchKey("Иванова"), SearchKey("ИВАНОВА"));
  EXPECT_EQ(SearchKey("Иванова"), "иванова");
  EXPECT_EQ(SearchKey("Ёлкин"), SearchKey("Елкин"));
}

TEST(SearchKeyTest, ArabicIgnoresHarakatTatweelAndAlefVariants) {
  const std::string plain = SearchKey("محمد");
  EXPECT_EQ(SearchKey("مُحَمَّد"), plain);     // With harakat.
  EXPECT_EQ(SearchKey("محـــمد"), plain);  // With tatweel.
  EXPECT_EQ(SearchKey("أحمد"), SearchKey("احمد"));
  EXPECT_EQ(SearchKey("إبراهيم"), SearchKey("ابراهيم"));
  EXPECT_EQ(SearchKey("آدم"), SearchKey("ادم"));
  EXPECT_EQ(SearchKey("ٱلله"), SearchKey("الله"));
  EXPECT_EQ(SearchKey("مصطفى"), SearchKey("مصطفي"));  // Alef maksura.
  EXPECT_EQ(SearchKey("فاطمة"), SearchKey("فاطمه"));  // Teh marbuta.
  EXPECT_EQ(SearchKey("علی"), SearchKey("علي"));      // Persian yeh.
  EXPECT_NE(SearchKey("محمد"), SearchKey("احمد"));
}

TEST(SearchKeyTest, HebrewIgnoresNiqqud) {
  EXPECT_EQ(SearchKey("שָׁלוֹם"), SearchKey("שלום"));
}

TEST(SearchKeyTest, ChineseIsUnchangedButFullWidthLatinNarrows) {
  EXPECT_EQ(SearchKey("王小明"), "王小明");
  EXPECT_EQ(SearchKey("ＡＢＣ　１２３"), "abc 123");  // Ideographic space.
}

TEST(SearchKeyTest, KeepsMarksThatSpellDifferentWords) {
  EXPECT_NE(SearchKey("が"), SearchKey("か"));     // Japanese voicing.
  EXPECT_NE(SearchKey("किशन"), SearchKey("कशन"));  // Hindi vowel sign.
  EXPECT_EQ(SearchKey("ｶﾞ"), "ガ");  // Half-width kana compose under NFKC.
}

TEST(SearchKeyTest, CollapsesAndTrimsAnyWhiteSpace) {
  EXPECT_EQ(SearchKey("  Ana \t\xC2\xA0 María\xE2\x80\x83"), "ana maria");
  EXPECT_EQ(SearchKey(" \t "), "");
}

TEST(SearchKeyTest, FoldsDigitsApostrophesAndInvisibleCharacters) {
  EXPECT_EQ(SearchKey("Flat ٣٤"), "flat 34");
  EXPECT_EQ(SearchKey("O’Neil"), SearchKey("O'Neil"));
  EXPECT_EQ(SearchKey("Ana\xC2\xAD"
                      "belle"),
            "anabelle");  // Soft hyphen.
}

TEST(SearchKeyTest, MixedScriptsAreEachFolded) {
  EXPECT_EQ(SearchKey("José ИВАНОВ 王 Ahmed أحمد"),
            "jose иванов 王 ahmed احمد");
}

TEST(SearchKeyTest, InvalidTextHasNoKey) {
  EXPECT_EQ(SearchKey("\xC0\xAF"), "");
  EXPECT_EQ(SearchKey(absl::string_view("Ana\0", 4)), "");
}

// ---- SearchTerms ------------------------------------------------------------

TEST(SearchTermsTest, SplitsOnHyphensAndSpacesButKeepsApostrophes) {
  EXPECT_THAT(SearchTerms("Mary-Jane O'Neil"),
              ElementsAre("mary", "jane", "o'neil"));
}

TEST(SearchTermsTest, ChineseNamesSplitIntoCharactersSoPartsMatch) {
  EXPECT_THAT(SearchTerms("王小明"), ElementsAre("王", "小", "明"));
  EXPECT_THAT(SearchTerms("小明"), ElementsAre("小", "明"));
}

TEST(SearchTermsTest, CyrillicWords) {
  EXPECT_THAT(SearchTerms("Иван Петров"), ElementsAre("иван", "петров"));
}

TEST(SearchTermsTest, ThaiSplitsIntoWholeCharactersWithTheirVowels) {
  // สมชาย: ส ม ช า ย; no term is a lone vowel mark.
  EXPECT_THAT(SearchTerms("สมชาย"), ElementsAre("ส", "ม", "ช", "า", "ย"));
  EXPECT_THAT(SearchTerms("สิริ"), ElementsAre("สิ", "ริ"));
}

TEST(SearchTermsTest, KeepsNumbersAndDropsPunctuation) {
  EXPECT_THAT(SearchTerms("Room 42, (2nd floor)!"),
              ElementsAre("room", "42", "2nd", "floor"));
  EXPECT_THAT(SearchTerms("— , ."), IsEmpty());
  EXPECT_THAT(SearchTerms("\xE4\xB8"), IsEmpty());
}

// ---- NormalizeEmail ---------------------------------------------------------

TEST(NormalizeEmailTest, FoldsCaseOfBothPartsAndTrims) {
  EXPECT_EQ(NormalizeEmail("  Ana@X.com ").value(), "ana@x.com");
  EXPECT_EQ(NormalizeEmail("Ana@X.com").value(),
            NormalizeEmail("ana@x.com").value());
  EXPECT_EQ(NormalizeEmail("first.last+tag@mail.example.co.uk").value(),
            "first.last+tag@mail.example.co.uk");
  EXPECT_EQ(NormalizeEmail("o'neil_99%x@example.org").value(),
            "o'neil_99%x@example.org");
}

TEST(NormalizeEmailTest, AcceptsUnicodeLocalPartsAndIdnDomains) {
  EXPECT_EQ(NormalizeEmail("أحمد@مثال.السعودية").value(), "أحمد@مثال.السعودية");
  EXPECT_EQ(NormalizeEmail("Иван@Пример.РФ").value(), "иван@пример.рф");
  EXPECT_EQ(NormalizeEmail("用户@例子。中国").value(), "用户@例子.中国");
  EXPECT_EQ(NormalizeEmail("josé@Bücher.DE").value(), "josé@bücher.de");
  // The same domain in its xn-- form is the same address.
  EXPECT_EQ(NormalizeEmail("josé@xn--bcher-kva.de").value(), "josé@bücher.de");
}

TEST(NormalizeEmailTest, SaysWhatIsWrongWithTheShape) {
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("")), HasSubstr("empty"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana.example.com")),
              HasSubstr("missing '@'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@b@example.com")),
              HasSubstr("more than one '@'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("@example.com")),
              HasSubstr("nothing before the '@'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@")),
              HasSubstr("nothing after the '@'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana maria@example.com")),
              HasSubstr("spaces"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("\"ana maria\"@x.com")),
              HasSubstr("quoted addresses are not supported"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana\x01@example.com")),
              HasSubstr("control character"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana\xC0\xAF@example.com")),
              HasSubstr("UTF-8"));
}

TEST(NormalizeEmailTest, SaysWhatIsWrongWithTheLocalPart) {
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana!@example.com")),
              HasSubstr("'!' before the '@'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana..b@example.com")),
              HasSubstr("two dots in a row before the '@'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail(".ana@example.com")),
              HasSubstr("start or end"));
  EXPECT_THAT(InvalidArgumentMessage(
                  NormalizeEmail(std::string(65, 'a') + "@example.com")),
              HasSubstr("at most 64"));
  EXPECT_TRUE(NormalizeEmail(std::string(64, 'a') + "@example.com").ok());
}

TEST(NormalizeEmailTest, SaysWhatIsWrongWithTheDomain) {
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@localhost")),
              HasSubstr("needs a dot"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@example..com")),
              HasSubstr("two dots in a row in the domain"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@.example.com")),
              HasSubstr("starting with '.'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@example.com.")),
              HasSubstr("ending with '.'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@-example.com")),
              HasSubstr("starts with '-'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@example-.com")),
              HasSubstr("ends with '-'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@exa_mple.com")),
              HasSubstr("labels are letters, digits and '-'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("ana@[192.0.2.1]")),
              HasSubstr("IP address"));
  EXPECT_THAT(InvalidArgumentMessage(
                  NormalizeEmail("ana@" + std::string(64, 'b') + ".com")),
              HasSubstr("longer than 63 bytes"));
}

TEST(NormalizeEmailTest, RejectsAddressesLongerThan254Bytes) {
  const std::string label(60, 'd');
  const std::string domain =
      label + "." + label + "." + label + "." + label + ".com";  // 247 bytes.
  EXPECT_TRUE(NormalizeEmail("abcdef@" + domain).ok());          // 254 bytes.
  EXPECT_THAT(InvalidArgumentMessage(NormalizeEmail("abcdefg@" + domain)),
              HasSubstr("at most 254"));
}

// ---- NormalizePhone ---------------------------------------------------------

TEST(NormalizePhoneTest, StripsSeparators) {
  EXPECT_EQ(NormalizePhone("+1 (415) 555-0100").value(), "+14155550100");
  EXPECT_EQ(NormalizePhone("+44.20.7946.0958").value(), "+442079460958");
  EXPECT_EQ(NormalizePhone("+33\xC2\xA0"
                           "1\xC2\xA0"
                           "23\xE2\x80\x91"
                           "45 67 89")
                .value(),
            "+33123456789");  // No-break spaces and a non-breaking hyphen.
}

TEST(NormalizePhoneTest, ConvertsArabicIndicAndFullWidthDigits) {
  EXPECT_EQ(NormalizePhone("+٩٦٦ ٥٠ ١٢٣ ٤٥٦٧").value(), "+966501234567");
  EXPECT_EQ(NormalizePhone("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹").value(), "+989123456789");
  EXPECT_EQ(NormalizePhone("＋８６ １３８ ００１３ ８０００").value(),
            "+8613800138000");
}

TEST(NormalizePhoneTest, SaysWhatIsWrong) {
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("415-555")),
              HasSubstr("must start with '+'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("0044 20 7946 0958")),
              HasSubstr("international prefix 00; write '+' instead"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("+0044 20 7946 0958")),
              HasSubstr("country codes never start with 0"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("+1 800 FLOWERS")),
              HasSubstr("contains 'F'"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("+1 415 555")),
              HasSubstr("has 7 digits"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("+1234567890123456")),
              HasSubstr("has 16 digits"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("+1 415 +555 0100")),
              HasSubstr("'+' only once"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("  ")), HasSubstr("empty"));
  EXPECT_THAT(InvalidArgumentMessage(NormalizePhone("+1\n415")),
              HasSubstr("control character"));
}

TEST(NormalizePhoneTest, AcceptsTheE164Bounds) {
  EXPECT_EQ(NormalizePhone("+12345678").value(), "+12345678");
  EXPECT_EQ(NormalizePhone("+123456789012345").value(), "+123456789012345");
}

}  // namespace
}  // namespace clientele::contacts
