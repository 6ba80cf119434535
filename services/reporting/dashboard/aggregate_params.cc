#include "services/reporting/dashboard/aggregate_params.h"

#include <iterator>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "clientele/type/v1/date.pb.h"
#include "services/reporting/dashboard/escaping.h"
#include "services/reporting/dashboard/format.h"

namespace clientele::reporting::dashboard {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kFieldPrefix = "a.";

absl::Status ParamError(absl::string_view param, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(param.size() > 40 ? "a parameter" : param, ": ", problem));
}

// A Date from YYYY-MM-DD, or YYYY-MM (day 0: a month).
bool ParseDate(absl::string_view text, type::v1::Date* date) {
  absl::CivilDay day;
  if (text.size() == 10 && absl::ParseCivilTime(text, &day)) {
    date->set_year(static_cast<int32_t>(day.year()));
    date->set_month(day.month());
    date->set_day(day.day());
    return day.year() >= 1 && day.year() <= 9999;
  }
  absl::CivilMonth month;
  if (text.size() == 7 && absl::ParseCivilTime(text, &month)) {
    date->set_year(static_cast<int32_t>(month.year()));
    date->set_month(month.month());
    return month.year() >= 1 && month.year() <= 9999;
  }
  return false;
}

absl::Status SetField(Message* message, const FieldDescriptor* field,
                      const std::string& param, const std::string& value) {
  const Reflection* reflection = message->GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM: {
      const std::optional<int> number =
          ParseEnumToken(field->enum_type(), value);
      if (!number.has_value()) {
        return ParamError(param, "not a value of the field");
      }
      reflection->SetEnumValue(message, field, *number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT32: {
      int32_t number = 0;
      if (!absl::SimpleAtoi(value, &number)) {
        return ParamError(param, "not a whole number");
      }
      reflection->SetInt32(message, field, number);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      bool flag = false;
      if (!absl::SimpleAtob(value, &flag)) {
        return ParamError(param, "not true or false");
      }
      reflection->SetBool(message, field, flag);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_STRING:
      reflection->SetString(message, field, value);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (field->message_type() == type::v1::Date::descriptor()) {
        type::v1::Date date;
        if (!ParseDate(value, &date)) {
          return ParamError(param, "not a date (YYYY-MM-DD or YYYY-MM)");
        }
        reflection->MutableMessage(message, field)->CopyFrom(date);
        return absl::OkStatus();
      }
      break;
    default:
      break;
  }
  return ParamError(param, "not a field the dashboard sets");
}

std::string FieldText(const Message& message, const FieldDescriptor* field) {
  const Reflection* reflection = message.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_ENUM:
      return EnumToken(field->enum_type(),
                       reflection->GetEnumValue(message, field));
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrCat(reflection->GetInt32(message, field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return reflection->GetBool(message, field) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_STRING:
      return reflection->GetString(message, field);
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      type::v1::Date date;
      date.CopyFrom(reflection->GetMessage(message, field));
      return FormatDate(date);
    }
    default:
      return "";
  }
}

}  // namespace

absl::StatusOr<v1::ReportAggregate> ParseAggregate(const QueryParams& params) {
  const auto range = params.equal_range("aggregate");
  if (range.first == range.second) {
    return ParamError("aggregate",
                      "required (portfolio, support, workload, "
                      "funnel, retention or pipeline)");
  }
  if (std::next(range.first) != range.second) {
    return ParamError("aggregate", "given more than once");
  }
  v1::ReportAggregate aggregate;
  const FieldDescriptor* report =
      v1::ReportAggregate::descriptor()->FindFieldByName(range.first->second);
  if (report == nullptr || report->containing_oneof() == nullptr) {
    return ParamError("aggregate",
                      "not one of portfolio, support, workload, "
                      "funnel, retention, pipeline");
  }
  Message* message =
      aggregate.GetReflection()->MutableMessage(&aggregate, report);
  for (auto it = params.begin(); it != params.end(); ++it) {
    absl::string_view name = it->first;
    if (!absl::ConsumePrefix(&name, kFieldPrefix)) continue;
    const FieldDescriptor* field =
        message->GetDescriptor()->FindFieldByName(std::string(name));
    if (field == nullptr || field->is_repeated()) {
      return ParamError(it->first, absl::StrCat("not a field of a ",
                                                report->name(), " aggregate"));
    }
    if (params.count(it->first) > 1) {
      return ParamError(it->first, "given more than once");
    }
    const absl::Status status = SetField(message, field, it->first, it->second);
    if (!status.ok()) return status;
  }
  return aggregate;
}

std::string AggregateQuery(const v1::ReportAggregate& aggregate) {
  const Reflection* reflection = aggregate.GetReflection();
  const FieldDescriptor* report = reflection->GetOneofFieldDescriptor(
      aggregate, v1::ReportAggregate::descriptor()->oneof_decl(0));
  if (report == nullptr) return "";
  std::vector<std::string> parts = {
      absl::StrCat("aggregate=", UrlEncode(report->name()))};
  const Message& message = reflection->GetMessage(aggregate, report);
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    parts.push_back(absl::StrCat(kFieldPrefix, field->name(), "=",
                                 UrlEncode(FieldText(message, field))));
  }
  return absl::StrJoin(parts, "&");
}

}  // namespace clientele::reporting::dashboard
