// Revenue at risk (docs/reports.md, "At-risk accounts"): what the at-risk
// list ranks by, shared by the report (at_risk_report.cc) and the ranking
// the projector maintains for it (projector_at_risk.cc). Internal to the
// reporting service.
//
// For an account whose terms bill a recurring amount in the report's
// currency: that amount times the billing cycles in a year. Otherwise its
// revenue in the report's currency over the year before as_of, counted in
// whole UTC months: the 12 calendar months that end with the month of
// as_of's last instant before it (as_of's own month up to as_of; the month
// before when as_of is the first instant of a month), floored at 0. It does
// not depend on the report's time range, so the list keeps its order when
// the range changes, and a maintained ranking can answer it.
#ifndef CLIENTELE_SERVICES_REPORTING_REVENUE_AT_RISK_H_
#define CLIENTELE_SERVICES_REPORTING_REVENUE_AT_RISK_H_

#include <cstdint>
#include <string>

namespace clientele::reporting {

// The recurring amount a year of terms (type::v1::CommercialModel and
// BillingCycle), clamped to kMaxAmountSum; 0 unless the model is a
// subscription or a retainer with a recurring cycle and an amount above 0.
int64_t AnnualRecurringMinor(int commercial_model, int billing_cycle,
                             int64_t recurring_minor);

// The months (since January 1970) of the year window as of `as_of_us`:
// [last - 11, last], `last` the month of the instant before as_of.
struct AtRiskWindow {
  int64_t first_month = 0;
  int64_t last_month = 0;

  static AtRiskWindow EndingIn(int64_t last_month) {
    return {last_month - 11, last_month};
  }
  static AtRiskWindow AsOf(int64_t as_of_us);
  // The window's UTC days: [first_day, end_day).
  int64_t first_day() const;
  int64_t end_day() const;
  bool Holds(int64_t day) const;
};

// Revenue at risk in minor units: AnnualRecurringMinor when the terms'
// currency is `currency` and that is above 0, else window_revenue_minor
// floored at 0.
struct RevenueAtRiskInputs {
  int commercial_model = 0;  // type::v1::CommercialModel
  int billing_cycle = 0;     // type::v1::BillingCycle
  int64_t recurring_minor = 0;
  std::string recurring_currency;
  // Revenue over the AtRiskWindow in the report's currency.
  int64_t window_revenue_minor = 0;
};
int64_t RevenueAtRiskMinor(const RevenueAtRiskInputs& inputs,
                           const std::string& currency);

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_REVENUE_AT_RISK_H_
