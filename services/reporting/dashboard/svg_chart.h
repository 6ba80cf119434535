// Charts as SVG, rendered by the service so that the dashboard needs no
// JavaScript and no external resource. Deterministic: the same input gives
// the same bytes (integer coordinates, no time, no randomness, items drawn
// in the order given, which callers take from the reports' own ordering),
// so golden files can hold them (svg_chart_test.cc, testdata/*.svg).
//
// Charts draw geometry only: every text they show (labels, value texts,
// titles) is formatted by the caller and escaped here. Values below zero
// draw as zero-length bars (their value text still says what they are);
// a chart with no items, or whose values are all zero, says "No data".
// A non-empty `link` makes the item a link (drill-down to its accounts).
// Every chart's title is its accessible name and its caption, above it.
#ifndef CLIENTELE_SERVICES_REPORTING_DASHBOARD_SVG_CHART_H_
#define CLIENTELE_SERVICES_REPORTING_DASHBOARD_SVG_CHART_H_

#include <optional>
#include <string>
#include <vector>

namespace clientele::reporting::dashboard {

// One bar, one funnel stage or one segment of a stacked bar.
struct ChartItem {
  std::string label;
  double value = 0;
  std::string value_text;  // what the chart writes for value
  std::string link;        // "" for none
};

// A bar chart: one bar per item.
struct BarChart {
  std::string title;  // the caption and accessible name
  std::vector<ChartItem> items;
};

// Bars from the left, one per row, label on the left, value text after the
// bar.
std::string HorizontalBarChart(const BarChart& chart);

// Columns from the bottom, label under each, value text above.
std::string VerticalBarChart(const BarChart& chart);

// Rows of stacked horizontal segments, each row scaled to 100% of the
// chart's width (a share: a mix), with a legend of the series. Every row
// has one item per series, in series order.
struct ChartSeries {
  std::string name;
  std::string color;  // "#rrggbb"; "" takes the palette's next colour
};
struct StackedBarChart {
  std::string title;
  std::vector<ChartSeries> series;  // legend, in segment order
  struct Row {
    std::string label;
    std::vector<ChartItem> segments;  // one per series
  };
  std::vector<Row> rows;
};
std::string StackedBars(const StackedBarChart& chart);

// A funnel: stages top to bottom, centred bars whose width is each stage's
// value over the first stage's.
std::string FunnelChart(const BarChart& chart);

// A heat-map table (a cohort triangle): rows by columns of cells shaded by
// `shade` (0.0 light to 1.0 dark, clamped); an absent cell is left blank.
struct HeatMapCell {
  double shade = 0;
  std::string text;
  std::string link;  // "" for none
};
struct HeatMap {
  std::string title;
  std::string corner;  // text above the row labels
  std::vector<std::string> column_labels;
  struct Row {
    std::string label;
    std::vector<std::optional<HeatMapCell>> cells;  // one per column
  };
  std::vector<Row> rows;
};
std::string HeatMapChart(const HeatMap& chart);

}  // namespace clientele::reporting::dashboard

#endif  // CLIENTELE_SERVICES_REPORTING_DASHBOARD_SVG_CHART_H_
