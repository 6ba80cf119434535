// Golden files hold every chart's exact bytes (testdata/*.svg): a change to
// a chart's look fails here until the goldens are rewritten on purpose:
//
//   UPDATE_GOLDENS=1
//   build/asan/services/reporting/dashboard/dashboard_text_test
//
// and the new files reviewed (open them in a browser) before they are
// committed.
#include "services/reporting/dashboard/svg_chart.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::reporting::dashboard {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

void ExpectGolden(const std::string& name, const std::string& svg) {
  const std::string path =
      absl::StrCat(DASHBOARD_TESTDATA_DIR, "/", name, ".svg");
  const char* update = std::getenv("UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << svg;
    return;
  }
  std::ifstream file(path, std::ios::binary);
  ASSERT_TRUE(file.good()) << "no golden " << path
                           << "; run with UPDATE_GOLDENS=1 to write it";
  std::stringstream golden;
  golden << file.rdbuf();
  EXPECT_EQ(svg, golden.str()) << "the chart changed: " << path;
}

BarChart Agents() {
  return {"Open tickets per agent",
          {{"u-anna", 12, "12", ""},
           {"u-bob", 7, "7", ""},
           {"u-carla-with-a-very-long-staff-id", 3, "3", ""},
           {"u-dan", 0, "0", ""}}};
}

TEST(SvgChartTest, HorizontalBars) {
  BarChart chart = Agents();
  chart.items[0].link = "/accounts?aggregate=workload&a.account_manager=u-anna";
  ExpectGolden("horizontal_bars", HorizontalBarChart(chart));
}

TEST(SvgChartTest, VerticalBars) {
  ExpectGolden(
      "vertical_bars",
      VerticalBarChart({"Open pipeline by stage",
                        {{"Qualifying", 1200000, "12,000.00 EUR", ""},
                         {"Proposal", 450000, "4,500.00 EUR",
                          "/accounts?aggregate=pipeline&a.stage=proposal"},
                         {"Negotiation", 0, "0.00 EUR", ""}}}));
}

TEST(SvgChartTest, StackedBarsForThePortfolioMix) {
  StackedBarChart chart;
  chart.title = "Portfolio mix by relationship mode";
  chart.series = {{"Customer", "#e08a2c"},
                  {"Transitioning", "#8e6cc0"},
                  {"Client", "#2b7bba"},
                  {"Not scored", ""}};
  chart.rows = {
      {"Accounts",
       {{"Customer", 5, "50.0%",
         "/accounts?aggregate=portfolio&a.mode=customer"},
        {"Transitioning", 1, "10.0%", ""},
        {"Client", 3, "30.0%", ""},
        {"Not scored", 1, "10.0%", ""}}},
      {"Revenue",
       {{"Customer", 150000, "12.5%", ""},
        {"Transitioning", 0, "0.0%", ""},
        {"Client", 1050000, "87.5%", ""},
        {"Not scored", -100, "-0.0%", ""}}},
  };
  ExpectGolden("stacked_bars", StackedBars(chart));
}

TEST(SvgChartTest, Funnel) {
  ExpectGolden("funnel", FunnelChart({"Customer to client conversion funnel",
                                      {{"Customer", 40, "40 (100.0%)", ""},
                                       {"Engaged", 18, "18 (45.0%)", ""},
                                       {"Transitioning", 6, "6 (15.0%)", ""},
                                       {"Client", 1, "1 (2.5%)", ""}}}));
}

TEST(SvgChartTest, CohortHeatMap) {
  HeatMap chart;
  chart.title = "Accounts still active, by acquisition cohort";
  chart.corner = "Cohort";
  chart.column_labels = {"0", "1", "2"};
  chart.rows = {
      {"2025-01 (10)",
       {HeatMapCell{1.0, "100.0%", "/accounts?aggregate=retention"},
        HeatMapCell{0.6, "60.0%", ""}, HeatMapCell{0.3, "30.0%*", ""}}},
      {"2025-02 (4)",
       {HeatMapCell{1.0, "100.0%", ""}, HeatMapCell{0.25, "25.0%*", ""},
        std::nullopt}},
      {"2025-03 (0)",
       {HeatMapCell{0, "0.0%*", ""}, std::nullopt, std::nullopt}},
  };
  ExpectGolden("cohort_heat_map", HeatMapChart(chart));
}

TEST(SvgChartTest, EmptyChartsSayNoData) {
  ExpectGolden("no_data", HorizontalBarChart({"Nothing yet", {}}));
  EXPECT_EQ(VerticalBarChart({"Nothing yet", {{"a", 0, "0", ""}}}),
            HorizontalBarChart({"Nothing yet", {}}));
  EXPECT_THAT(FunnelChart({"f", {{"Customer", 0, "0", ""}}}),
              HasSubstr("No data"));
  EXPECT_THAT(HeatMapChart({"h", "c", {}, {}}), HasSubstr("No data"));
  EXPECT_THAT(StackedBars({"s", {{"x", ""}}, {{"row", {{"x", 0, "0", ""}}}}}),
              HasSubstr("No data"));
}

TEST(SvgChartTest, EveryTextIsEscaped) {
  const std::string hostile = "<script>alert(\"x\")</script>&'";
  BarChart chart{hostile, {{hostile, 1, hostile, "/x?a=1&b=\"><script>"}}};
  for (const std::string& svg : {HorizontalBarChart(chart),
                                 VerticalBarChart(chart), FunnelChart(chart)}) {
    EXPECT_THAT(svg, Not(HasSubstr("<script>")));
    EXPECT_THAT(svg, Not(HasSubstr("\"x\"")));
    EXPECT_THAT(svg, HasSubstr("&lt;script&gt;"));
    EXPECT_THAT(svg,
                HasSubstr("href=\"/x?a=1&amp;b=&quot;&gt;&lt;script&gt;\""));
  }
  HeatMap map{hostile,
              hostile,
              {hostile},
              {{hostile, {HeatMapCell{0.5, hostile, ""}}}}};
  EXPECT_THAT(HeatMapChart(map), Not(HasSubstr("<script>")));
  StackedBarChart stacked{hostile,
                          {{hostile, "\"><script>"}},
                          {{hostile, {{hostile, 1, hostile, ""}}}}};
  EXPECT_THAT(StackedBars(stacked), Not(HasSubstr("<script>")));
}

TEST(SvgChartTest, SameInputSameBytes) {
  EXPECT_EQ(HorizontalBarChart(Agents()), HorizontalBarChart(Agents()));
}

TEST(SvgChartTest, OddValuesDrawNothingStrange) {
  const std::string svg = HorizontalBarChart({"odd",
                                              {{"x", std::nan(""), "n/a", ""},
                                               {"y", 1e300, "huge", ""},
                                               {"z", -5, "minus five", ""}}});
  EXPECT_THAT(svg, Not(HasSubstr("nan")));
  EXPECT_THAT(svg, Not(HasSubstr("inf")));
  EXPECT_THAT(svg, Not(HasSubstr("width=\"-")));
}

}  // namespace
}  // namespace clientele::reporting::dashboard
