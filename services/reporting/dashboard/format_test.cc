#include "services/reporting/dashboard/format.h"

#include <cstdint>
#include <limits>

#include "clientele/reporting/v1/report_aggregate.pb.h"
#include "gtest/gtest.h"

namespace clientele::reporting::dashboard {
namespace {

type::v1::Money Money(int64_t minor, const char* currency) {
  type::v1::Money money;
  money.set_amount_minor_units(minor);
  money.set_currency_code(currency);
  return money;
}

TEST(FormatTest, CountsGroupThousands) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(1000), "1,000");
  EXPECT_EQ(FormatCount(-1234567), "-1,234,567");
  EXPECT_EQ(FormatCount(std::numeric_limits<int64_t>::min()),
            "-9,223,372,036,854,775,808");
}

TEST(FormatTest, MoneyUsesTheCurrencysDigits) {
  EXPECT_EQ(FormatMoney(Money(123456, "EUR")), "1,234.56 EUR");
  EXPECT_EQ(FormatMoney(Money(-5, "EUR")), "-0.05 EUR");
  EXPECT_EQ(FormatMoney(Money(1500, "JPY")), "1,500 JPY");
  EXPECT_EQ(FormatMoney(Money(1234, "BHD")), "1.234 BHD");
  EXPECT_EQ(FormatMoney(Money(0, "")), "0.00");
  EXPECT_EQ(MoneyDecimal(Money(-123456, "EUR")), "-1234.56");
  EXPECT_EQ(MoneyDecimal(Money(7, "EUR")), "0.07");
  EXPECT_EQ(MoneyDecimal(Money(1500, "JPY")), "1500");
}

TEST(FormatTest, RatesAndDecimals) {
  EXPECT_EQ(FormatPercent(0.455), "45.5%");
  EXPECT_EQ(FormatPercent(1.0), "100.0%");
  EXPECT_EQ(FormatPercent(2.0 / 3.0), "66.7%");
  EXPECT_EQ(FormatPercent(0), "0.0%");
  EXPECT_EQ(FormatDecimal(0.45549, 4), "0.4555");
  EXPECT_EQ(FormatDecimal(-0.00001, 2), "0.00");
}

TEST(FormatTest, Durations) {
  google::protobuf::Duration duration;
  duration.set_seconds(2 * 86400 + 3 * 3600 + 59);
  EXPECT_EQ(FormatDuration(duration), "2d 3h");
  duration.set_seconds(3 * 3600 + 20 * 60);
  EXPECT_EQ(FormatDuration(duration), "3h 20m");
  duration.set_seconds(45);
  EXPECT_EQ(FormatDuration(duration), "45s");
  EXPECT_EQ(DurationSeconds(duration), "45");
}

TEST(FormatTest, DatesAndTimes) {
  type::v1::Date date;
  EXPECT_EQ(FormatDate(date), "");
  date.set_year(2026);
  date.set_month(2);
  EXPECT_EQ(FormatDate(date), "2026-02");
  date.set_day(3);
  EXPECT_EQ(FormatDate(date), "2026-02-03");
  EXPECT_EQ(FormatTimeUs(int64_t{1767225600} * 1000000 + 1),
            "2026-01-01 00:00 UTC");
  EXPECT_EQ(Rfc3339Us(int64_t{1767225600} * 1000000), "2026-01-01T00:00:00Z");
}

TEST(FormatTest, EnumsReadAsWordsAndParseFromTokens) {
  const auto* band = type::v1::ScoreBand_descriptor();
  EXPECT_EQ(EnumLabel(band, type::v1::SCORE_BAND_NEEDS_ATTENTION),
            "Needs attention");
  EXPECT_EQ(EnumToken(band, type::v1::SCORE_BAND_NEEDS_ATTENTION),
            "needs_attention");
  EXPECT_EQ(BandLabel(0), "Not scored");
  EXPECT_EQ(EnumLabel(band, 42), "42");
  EXPECT_EQ(ParseEnumToken(band, "Needs_Attention"),
            type::v1::SCORE_BAND_NEEDS_ATTENTION);
  EXPECT_EQ(ParseEnumToken(band, "SCORE_BAND_STRONG"),
            type::v1::SCORE_BAND_STRONG);
  EXPECT_EQ(ParseEnumToken(band, "<script>"), std::nullopt);
  EXPECT_EQ(EnumToken(v1::FunnelStage_descriptor(), v1::FUNNEL_STAGE_ENGAGED),
            "engaged");
  EXPECT_EQ(ModeLabel(type::v1::RELATIONSHIP_MODE_TRANSITIONING),
            "Transitioning");
}

}  // namespace
}  // namespace clientele::reporting::dashboard
