#include "services/reporting/revenue_at_risk.h"

#include <algorithm>

#include "clientele/type/v1/account_classification.pb.h"
#include "common/money.h"
#include "services/reporting/cohort_periods.h"
#include "services/reporting/report_scope.h"

namespace clientele::reporting {
namespace {

// Billing cycles a year of a type::v1::BillingCycle (52, 12, 4, 1); 0 for a
// cycle that does not recur.
int64_t CyclesPerYear(int billing_cycle) {
  switch (billing_cycle) {
    case type::v1::BILLING_CYCLE_WEEKLY:
      return 52;
    case type::v1::BILLING_CYCLE_MONTHLY:
      return 12;
    case type::v1::BILLING_CYCLE_QUARTERLY:
      return 4;
    case type::v1::BILLING_CYCLE_ANNUAL:
      return 1;
    default:
      return 0;
  }
}

}  // namespace

int64_t AnnualRecurringMinor(int commercial_model, int billing_cycle,
                             int64_t recurring_minor) {
  const bool recurring_model =
      commercial_model == type::v1::COMMERCIAL_MODEL_SUBSCRIPTION ||
      commercial_model == type::v1::COMMERCIAL_MODEL_RETAINER;
  const int64_t cycles = CyclesPerYear(billing_cycle);
  if (!recurring_model || cycles == 0 || recurring_minor <= 0) return 0;
  const __int128 annual = static_cast<__int128>(recurring_minor) * cycles;
  return annual > kMaxAmountSum ? kMaxAmountSum : static_cast<int64_t>(annual);
}

AtRiskWindow AtRiskWindow::AsOf(int64_t as_of_us) {
  return EndingIn(MonthOfDay(DayOfUs(as_of_us - 1)));
}

int64_t AtRiskWindow::first_day() const { return FirstDayOfMonth(first_month); }

int64_t AtRiskWindow::end_day() const {
  return FirstDayOfMonth(last_month + 1);
}

bool AtRiskWindow::Holds(int64_t day) const {
  const int64_t month = MonthOfDay(day);
  return month >= first_month && month <= last_month;
}

int64_t RevenueAtRiskMinor(const RevenueAtRiskInputs& inputs,
                           const std::string& currency) {
  if (inputs.recurring_currency == currency) {
    const int64_t annual = AnnualRecurringMinor(
        inputs.commercial_model, inputs.billing_cycle, inputs.recurring_minor);
    if (annual > 0) return annual;
  }
  return std::max<int64_t>(inputs.window_revenue_minor, 0);
}

}  // namespace clientele::reporting
