#include "services/reporting/dashboard/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/reporting/dashboard/escaping.h"

namespace clientele::reporting::dashboard {
namespace {

constexpr int kWidth = 640;
constexpr int kLabelRight = 150;  // right edge of the label column
constexpr int kBarLeft = 156;
constexpr int kMaxLabelChars = 22;
constexpr char kBarColor[] = "#3b6ea5";
constexpr char kTextColor[] = "#222222";
constexpr const char* kPalette[] = {"#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                    "#66a61e", "#e6ab02", "#a6761d", "#666666"};

// About how wide `text` is at 12px: 7px a character.
int TextWidth(const std::string& text) {
  int chars = 0;
  for (const char c : text) {
    if ((static_cast<uint8_t>(c) & 0xC0) != 0x80) ++chars;
  }
  return 7 * chars;
}

// The caption's height: every chart shows its title above what it draws.
constexpr int kCaption = 24;

// The document's start: its size with the caption, the caption, and a group
// that moves the chart's own coordinates below it (Close() ends both).
std::string Open(const std::string& title, int width, int height) {
  // Wide enough for the caption (bold 13px: about 8px a character).
  width = std::max(width, TextWidth(title) * 8 / 7 + 16);
  return absl::StrCat("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"",
                      width, "\" height=\"", height + kCaption,
                      "\" viewBox=\"0 0 ", width, " ", height + kCaption,
                      "\" role=\"img\" aria-label=\"", HtmlEscape(title),
                      "\" font-family=\"sans-serif\" font-size=\"12\" fill=\"",
                      kTextColor, "\">\n<title>", HtmlEscape(title),
                      "</title>\n<text x=\"8\" y=\"16\" "
                      "font-size=\"13\" font-weight=\"bold\">",
                      HtmlEscape(title), "</text>\n<g transform=\"translate(0 ",
                      kCaption, ")\">\n");
}

std::string Close() { return "</g>\n</svg>\n"; }

// At most kMaxLabelChars code points, with an ellipsis when cut.
std::string Shorten(const std::string& label) {
  size_t chars = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    if ((static_cast<uint8_t>(label[i]) & 0xC0) == 0x80) continue;
    if (chars == kMaxLabelChars - 1) {
      // Cut here if more than one code point is left.
      size_t rest = 0;
      for (size_t j = i; j < label.size(); ++j) {
        if ((static_cast<uint8_t>(label[j]) & 0xC0) != 0x80) ++rest;
      }
      if (rest > 1) return absl::StrCat(label.substr(0, i), "\xE2\x80\xA6");
      return label;
    }
    ++chars;
  }
  return label;
}

std::string Text(int x, int y, absl::string_view anchor,
                 const std::string& text, absl::string_view extra = "") {
  return absl::StrCat("<text x=\"", x, "\" y=\"", y, "\" text-anchor=\"",
                      anchor, "\"", extra, ">", HtmlEscape(text), "</text>\n");
}

std::string Rect(int x, int y, int width, int height, absl::string_view fill) {
  return absl::StrCat("<rect x=\"", x, "\" y=\"", y, "\" width=\"", width,
                      "\" height=\"", height, "\" fill=\"", HtmlEscape(fill),
                      "\"/>\n");
}

// Wraps `body` in a group with a tooltip, and in a link when there is one.
std::string Item(const std::string& tooltip, const std::string& link,
                 const std::string& body) {
  std::string group = absl::StrCat("<g><title>", HtmlEscape(tooltip),
                                   "</title>\n", body, "</g>\n");
  if (link.empty()) return group;
  return absl::StrCat("<a href=\"", HtmlEscape(link), "\">\n", group, "</a>\n");
}

// round(value / max * length), 0 for values <= 0 or max <= 0.
int Scale(double value, double max, int length) {
  if (!(value > 0) || !(max > 0)) return 0;
  return static_cast<int>(std::lround(std::min(value / max, 1.0) * length));
}

double MaxValue(const std::vector<ChartItem>& items) {
  double max = 0;
  for (const ChartItem& item : items) max = std::max(max, item.value);
  return max;
}

std::string NoData(const std::string& title) {
  return absl::StrCat(Open(title, kWidth, 40),
                      Text(kWidth / 2, 24, "middle", "No data"), Close());
}

std::string Tooltip(const ChartItem& item) {
  return absl::StrCat(item.label, ": ", item.value_text);
}

}  // namespace

std::string HorizontalBarChart(const BarChart& chart) {
  const double max = MaxValue(chart.items);
  if (!(max > 0)) return NoData(chart.title);
  constexpr int kRow = 24;
  constexpr int kBar = 16;
  constexpr int kMaxBar = 360;
  const int height = 16 + static_cast<int>(chart.items.size()) * kRow;
  std::string svg = Open(chart.title, kWidth, height);
  for (size_t i = 0; i < chart.items.size(); ++i) {
    const ChartItem& item = chart.items[i];
    const int y = 8 + static_cast<int>(i) * kRow;
    const int length = Scale(item.value, max, kMaxBar);
    svg += Item(
        Tooltip(item), item.link,
        absl::StrCat(
            Text(kLabelRight, y + 12, "end", Shorten(item.label)),
            Rect(kBarLeft, y, length, kBar, kBarColor),
            Text(kBarLeft + length + 6, y + 12, "start", item.value_text)));
  }
  return svg + Close();
}

std::string VerticalBarChart(const BarChart& chart) {
  const double max = MaxValue(chart.items);
  if (!(max > 0)) return NoData(chart.title);
  constexpr int kColumn = 96;
  constexpr int kBar = 48;
  constexpr int kTop = 24;  // room for the value text
  constexpr int kMaxBar = 160;
  constexpr int kBaseline = kTop + kMaxBar;
  const int width =
      std::max(kWidth, 16 + static_cast<int>(chart.items.size()) * kColumn);
  std::string svg = Open(chart.title, width, kBaseline + 32);
  for (size_t i = 0; i < chart.items.size(); ++i) {
    const ChartItem& item = chart.items[i];
    const int center = 16 + static_cast<int>(i) * kColumn + kColumn / 2;
    const int length = Scale(item.value, max, kMaxBar);
    svg += Item(
        Tooltip(item), item.link,
        absl::StrCat(
            Rect(center - kBar / 2, kBaseline - length, kBar, length,
                 kBarColor),
            Text(center, kBaseline - length - 6, "middle", item.value_text),
            Text(center, kBaseline + 18, "middle", Shorten(item.label))));
  }
  svg += absl::StrCat("<line x1=\"8\" y1=\"", kBaseline, "\" x2=\"", width - 8,
                      "\" y2=\"", kBaseline, "\" stroke=\"#999999\"/>\n");
  return svg + Close();
}

std::string StackedBars(const StackedBarChart& chart) {
  bool any = false;
  for (const StackedBarChart::Row& row : chart.rows) {
    any = any || MaxValue(row.segments) > 0;
  }
  if (!any) return NoData(chart.title);
  constexpr int kRow = 32;
  constexpr int kBar = 22;
  constexpr int kBarWidth = 440;
  constexpr int kLegendRow = 20;
  std::vector<std::string> colors;
  size_t palette = 0;
  for (const ChartSeries& series : chart.series) {
    colors.push_back(!series.color.empty()
                         ? series.color
                         : kPalette[palette++ % std::size(kPalette)]);
  }
  const int rows_height = 8 + static_cast<int>(chart.rows.size()) * kRow;
  const int height =
      rows_height + 8 + static_cast<int>(chart.series.size()) * kLegendRow;
  std::string svg = Open(chart.title, kWidth, height);
  for (size_t r = 0; r < chart.rows.size(); ++r) {
    const StackedBarChart::Row& row = chart.rows[r];
    const int y = 8 + static_cast<int>(r) * kRow;
    svg += Text(kLabelRight, y + 15, "end", Shorten(row.label));
    double total = 0;
    for (const ChartItem& segment : row.segments) {
      total += std::max(segment.value, 0.0);
    }
    double cumulative = 0;
    int x = kBarLeft;
    for (size_t s = 0; s < row.segments.size() && s < colors.size(); ++s) {
      const ChartItem& segment = row.segments[s];
      cumulative += std::max(segment.value, 0.0);
      // Rounded cumulative edges: the segments always fill the bar exactly.
      const int end = kBarLeft + Scale(cumulative, total, kBarWidth);
      const int length = end - x;
      if (length <= 0) continue;
      std::string body = Rect(x, y, length, kBar, colors[s]);
      if (length >= TextWidth(segment.value_text) + 8) {
        body += Text(x + length / 2, y + 15, "middle", segment.value_text,
                     " fill=\"#ffffff\"");
      }
      svg += Item(absl::StrCat(row.label, ", ", chart.series[s].name, ": ",
                               segment.value_text),
                  segment.link, body);
      x = end;
    }
  }
  for (size_t s = 0; s < chart.series.size(); ++s) {
    const int y = rows_height + 8 + static_cast<int>(s) * kLegendRow;
    svg += Rect(kBarLeft, y, 12, 12, colors[s]);
    svg += Text(kBarLeft + 18, y + 10, "start", chart.series[s].name);
  }
  return svg + Close();
}

std::string FunnelChart(const BarChart& chart) {
  const double first = chart.items.empty() ? 0 : chart.items[0].value;
  if (!(first > 0)) return NoData(chart.title);
  constexpr int kRow = 36;
  constexpr int kBar = 28;
  constexpr int kMaxBar = 472;
  constexpr int kCenter = kBarLeft + kMaxBar / 2 + 4;
  constexpr const char* kShades[] = {"#deebf7", "#c6dbef", "#9ecae1",
                                     "#6baed6"};
  const int height = 8 + static_cast<int>(chart.items.size()) * kRow;
  std::string svg = Open(chart.title, kWidth, height);
  for (size_t i = 0; i < chart.items.size(); ++i) {
    const ChartItem& item = chart.items[i];
    const int y = 8 + static_cast<int>(i) * kRow;
    int length = Scale(item.value, first, kMaxBar);
    if (item.value > 0) length = std::max(length, 2);
    svg +=
        Item(Tooltip(item), item.link,
             absl::StrCat(Text(kLabelRight, y + 18, "end", Shorten(item.label)),
                          Rect(kCenter - length / 2, y, length, kBar,
                               kShades[std::min(i, std::size(kShades) - 1)]),
                          Text(kCenter, y + 18, "middle", item.value_text)));
  }
  return svg + Close();
}

std::string HeatMapChart(const HeatMap& chart) {
  if (chart.rows.empty() || chart.column_labels.empty()) {
    return NoData(chart.title);
  }
  constexpr int kLabelWidth = 104;
  constexpr int kCell = 56;
  constexpr int kRow = 24;
  const int columns = static_cast<int>(chart.column_labels.size());
  const int width = kLabelWidth + columns * kCell + 8;
  const int height = kRow + static_cast<int>(chart.rows.size()) * kRow + 8;
  std::string svg = Open(chart.title, width, height);
  svg += Text(kLabelWidth - 6, 16, "end", Shorten(chart.corner));
  for (int c = 0; c < columns; ++c) {
    svg += Text(kLabelWidth + c * kCell + kCell / 2, 16, "middle",
                Shorten(chart.column_labels[c]));
  }
  for (size_t r = 0; r < chart.rows.size(); ++r) {
    const HeatMap::Row& row = chart.rows[r];
    const int y = kRow + static_cast<int>(r) * kRow;
    svg += Text(kLabelWidth - 6, y + 16, "end", Shorten(row.label));
    for (int c = 0; c < columns && c < static_cast<int>(row.cells.size());
         ++c) {
      if (!row.cells[c].has_value()) continue;
      const HeatMapCell& cell = *row.cells[c];
      // Percent steps from #f7fbff to #08519c.
      const double clamped =
          std::isnan(cell.shade) ? 0 : std::clamp(cell.shade, 0.0, 1.0);
      const int step = static_cast<int>(std::lround(clamped * 100));
      const auto mix = [step](int from, int to) {
        return from + ((to - from) * step) / 100;
      };
      const std::string fill = absl::StrFormat(
          "#%02x%02x%02x", mix(0xf7, 0x08), mix(0xfb, 0x51), mix(0xff, 0x9c));
      const int x = kLabelWidth + c * kCell;
      svg += Item(absl::StrCat(row.label, ", ", chart.column_labels[c], ": ",
                               cell.text),
                  cell.link,
                  absl::StrCat(Rect(x + 1, y + 1, kCell - 2, kRow - 2, fill),
                               Text(x + kCell / 2, y + 16, "middle", cell.text,
                                    step > 50 ? " fill=\"#ffffff\"" : "")));
    }
  }
  return svg + Close();
}

}  // namespace clientele::reporting::dashboard
