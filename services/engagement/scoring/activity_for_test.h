// Activity aggregates as lines of text, for tests comparing them: a failed
// EXPECT_EQ on these shows which bucket or contact differs, and how.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_SCORING_ACTIVITY_FOR_TEST_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_SCORING_ACTIVITY_FOR_TEST_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/proto_time.h"
#include "services/engagement/scoring/activity.h"

namespace clientele::engagement {

inline std::string DescribeForTest(const KindBucket& b) {
  return absl::StrCat(ToMicros(b.week_start), " kind ", b.kind, ": ", b.count,
                      " ", b.personalized, " ", b.standard, " ", b.inbound, " ",
                      b.amount_minor, " ", b.amount_count, " ", b.rating_sum,
                      " ", b.rating_count, " ", ToMicros(b.first_time), "..",
                      ToMicros(b.last_time));
}

inline std::string DescribeForTest(const ContactActivity& c) {
  return absl::StrCat(c.contact, ": ", c.count, " ", ToMicros(c.first_time),
                      "..", ToMicros(c.last_time));
}

inline std::string DescribeForTest(const StaffActivity& s) {
  return absl::StrCat("staff ", s.staff_user, ": ", s.count, " ",
                      ToMicros(s.first_time), "..", ToMicros(s.last_time));
}

template <typename T>
std::vector<std::string> DescribeForTest(const std::vector<T>& items) {
  std::vector<std::string> lines;
  lines.reserve(items.size());
  for (const T& item : items) lines.push_back(DescribeForTest(item));
  return lines;
}

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_SCORING_ACTIVITY_FOR_TEST_H_
