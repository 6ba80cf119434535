#include "services/contacts/field_checks.h"

#include "gtest/gtest.h"

namespace clientele::contacts {
namespace {

type::v1::Date MakeDate(int year, int month, int day) {
  type::v1::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

TEST(FieldChecksTest, TextIsTrimmedNfcAndCountedInCharacters) {
  FieldViolations violations;
  std::string decomposed = "  Mu\xcc\x88ller ";  // "Mu" + U+0308
  EXPECT_TRUE(CheckText(&decomposed, "name", 6, true, &violations));
  EXPECT_EQ(decomposed, "M\xc3\xbcller");
  std::string han = "王小明";
  EXPECT_TRUE(CheckText(&han, "name", 3, true, &violations));
  std::string long_text(201, 'a');
  EXPECT_FALSE(CheckText(&long_text, "name", 200, true, &violations));
  std::string huge(1 << 20, 'a');
  EXPECT_FALSE(CheckText(&huge, "name", 200, true, &violations));
  std::string control = "a\x01";
  EXPECT_FALSE(CheckText(&control, "name", 200, true, &violations));
  std::string blank = "   ";
  EXPECT_FALSE(CheckText(&blank, "name", 200, true, &violations));
  EXPECT_FALSE(violations.empty());
}

TEST(FieldChecksTest, DatesLocalesZonesAndCurrencies) {
  FieldViolations violations;
  EXPECT_TRUE(CheckDate(MakeDate(2024, 2, 29), "d", false, &violations));
  EXPECT_TRUE(CheckDate(MakeDate(0, 2, 29), "d", true, &violations));
  EXPECT_TRUE(violations.empty());
  EXPECT_FALSE(CheckDate(MakeDate(2023, 2, 29), "d", false, &violations));
  EXPECT_FALSE(CheckDate(MakeDate(0, 5, 1), "d", false, &violations));
  EXPECT_FALSE(CheckDate(MakeDate(2023, 13, 1), "d", false, &violations));
  EXPECT_LT(CompareDates(MakeDate(2023, 1, 31), MakeDate(2023, 2, 1)), 0);

  EXPECT_TRUE(IsValidLocale("tr-TR"));
  EXPECT_TRUE(IsValidLocale("zh-Hans-CN"));
  EXPECT_FALSE(IsValidLocale("not a locale"));
  EXPECT_FALSE(IsValidLocale("tr_TR!"));
  EXPECT_TRUE(IsValidTimeZone("Europe/Istanbul"));
  EXPECT_FALSE(IsValidTimeZone("Mars/Olympus"));
  EXPECT_FALSE(IsValidTimeZone("../../etc/passwd"));
  EXPECT_FALSE(IsValidTimeZone("/etc/localtime"));
  EXPECT_TRUE(IsKnownCurrency("EUR"));
  EXPECT_TRUE(IsKnownCurrency("TRY"));
  EXPECT_FALSE(IsKnownCurrency("eur"));
  EXPECT_FALSE(IsKnownCurrency("XYZ"));
}

}  // namespace
}  // namespace clientele::contacts
