#include "services/ticketing/sqlite_csat_store.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/sql/statement.h"
#include "common/sql/stored_proto.h"
#include "common/status_macros.h"
#include "common/validation.h"

namespace clientele::ticketing {
namespace {

using sql::Value;

int64_t Micros(const google::protobuf::Timestamp& timestamp) {
  return timestamp.seconds() * 1000000 + timestamp.nanos() / 1000;
}

// The stored state: an EXPIRED survey is a SENT one read late.
int64_t StoredState(const v1::CsatSurvey& survey) {
  return survey.state() == v1::CSAT_SURVEY_STATE_RESPONDED
             ? v1::CSAT_SURVEY_STATE_RESPONDED
             : v1::CSAT_SURVEY_STATE_SENT;
}

// The survey without its token, which is never stored.
std::string Serialized(const v1::CsatSurvey& survey) {
  if (survey.token().empty()) return survey.SerializeAsString();
  v1::CsatSurvey copy = survey;
  copy.clear_token();
  return copy.SerializeAsString();
}

absl::StatusOr<std::optional<v1::CsatSurvey>> FirstOf(
    const std::vector<sql::Row>& rows) {
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(
      v1::CsatSurvey survey,
      sql::ParseStored<v1::CsatSurvey>(rows[0].String(0), "CSAT survey"));
  return survey;
}

}  // namespace

absl::Status SqliteCsatStore::Insert(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view survey_id,
                                     const v1::CsatSurvey& survey,
                                     absl::string_view token_hash) {
  const Value row[] = {
      std::string(tenant),          std::string(survey_id),
      IdOf(survey.ticket()),        IdOf(survey.account()),
      IdOf(survey.requester()),     StoredState(survey),
      Micros(survey.send_time()),   Micros(survey.expire_time()),
      sql::Blob{Serialized(survey)}};
  RETURN_IF_ERROR(
      txn.Exec("INSERT INTO csat_surveys (tenant, survey_id, ticket_id, "
               "account_id, requester_id, state, send_us, expire_us, data) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               row)
          .status());
  const Value token[] = {std::string(tenant), std::string(token_hash),
                         std::string(survey_id)};
  return txn
      .Exec(
          "INSERT INTO csat_tokens (tenant, token_hash, survey_id) VALUES (?, "
          "?, ?)",
          token)
      .status();
}

absl::Status SqliteCsatStore::Update(sql::Transaction& txn,
                                     absl::string_view tenant,
                                     absl::string_view survey_id,
                                     const v1::CsatSurvey& survey) {
  const Value row[] = {
      IdOf(survey.ticket()),         IdOf(survey.account()),
      IdOf(survey.requester()),      StoredState(survey),
      Micros(survey.send_time()),    Micros(survey.expire_time()),
      sql::Blob{Serialized(survey)}, std::string(tenant),
      std::string(survey_id)};
  ASSIGN_OR_RETURN(
      int64_t changed,
      txn.Exec("UPDATE csat_surveys SET ticket_id = ?, account_id = ?, "
               "requester_id = ?, state = ?, send_us = ?, expire_us = ?, "
               "data = ? WHERE tenant = ? AND survey_id = ?",
               row));
  if (changed == 0) {
    return NotFoundResourceError("clientele.ticketing.v1.CsatSurvey",
                                 absl::StrCat("csatSurveys/", survey_id));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<v1::CsatSurvey>> SqliteCsatStore::Find(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view survey_id) {
  const Value key[] = {std::string(tenant), std::string(survey_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM csat_surveys WHERE tenant = ? AND "
                "survey_id = ?",
                key));
  return FirstOf(rows);
}

absl::StatusOr<std::optional<v1::CsatSurvey>> SqliteCsatStore::FindByTicket(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view ticket_id) {
  const Value key[] = {std::string(tenant), std::string(ticket_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM csat_surveys WHERE tenant = ? AND "
                "ticket_id = ?",
                key));
  return FirstOf(rows);
}

absl::StatusOr<std::optional<CsatTokenRef>> SqliteCsatStore::FindToken(
    sql::Transaction& txn, absl::string_view token_hash) {
  const Value key[] = {std::string(token_hash)};
  ASSIGN_OR_RETURN(std::vector<sql::Row> rows,
                   txn.Query("SELECT tenant, survey_id FROM csat_tokens "
                             "WHERE token_hash = ?",
                             key));
  if (rows.empty()) return std::nullopt;
  return CsatTokenRef{rows[0].String(0), rows[0].String(1)};
}

absl::StatusOr<std::vector<v1::CsatSurvey>> SqliteCsatStore::List(
    sql::Transaction& txn, absl::string_view tenant, const CsatFilter& filter,
    const std::optional<CsatCursor>& after, int limit) {
  sql::Statement select{"SELECT data FROM csat_surveys WHERE tenant = ?",
                        {std::string(tenant)}};
  if (!filter.ticket_id.empty()) {
    select.Append(" AND ticket_id = ?", {filter.ticket_id});
  }
  if (!filter.account_id.empty()) {
    select.Append(" AND account_id = ?", {filter.account_id});
  }
  const int64_t now_us = filter.now == absl::InfinitePast()
                             ? std::numeric_limits<int64_t>::min()
                             : absl::ToUnixMicros(filter.now);
  switch (filter.state) {
    case v1::CSAT_SURVEY_STATE_SENT:
      select.Append(" AND state = 1 AND expire_us > ?", {now_us});
      break;
    case v1::CSAT_SURVEY_STATE_EXPIRED:
      select.Append(" AND state = 1 AND expire_us <= ?", {now_us});
      break;
    case v1::CSAT_SURVEY_STATE_RESPONDED:
      select.Append(" AND state = 2");
      break;
    default:
      break;
  }
  if (filter.send_start_us != std::numeric_limits<int64_t>::min()) {
    select.Append(" AND send_us >= ?", {filter.send_start_us});
  }
  if (filter.send_end_us != std::numeric_limits<int64_t>::max()) {
    select.Append(" AND send_us < ?", {filter.send_end_us});
  }
  if (after.has_value()) {
    select.Append(" AND (send_us < ? OR (send_us = ? AND survey_id < ?))",
                  {after->send_us, after->send_us, after->survey_id});
  }
  select.Append(" ORDER BY send_us DESC, survey_id DESC LIMIT ?",
                {int64_t{limit}});
  return sql::QueryStored<v1::CsatSurvey>(txn, select.sql, select.params,
                                          "CSAT survey");
}

absl::StatusOr<std::vector<v1::CsatSurvey>> SqliteCsatStore::ListOfRequester(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view contact_id) {
  if (contact_id.empty()) return std::vector<v1::CsatSurvey>();
  const Value key[] = {std::string(tenant), std::string(contact_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM csat_surveys WHERE tenant = ? AND "
                "requester_id = ? ORDER BY send_us, survey_id",
                key));
  return sql::ParseStoredColumn<v1::CsatSurvey>(rows, 0, "CSAT survey");
}

absl::StatusOr<std::vector<v1::CsatSurvey>> SqliteCsatStore::ListOfAccount(
    sql::Transaction& txn, absl::string_view tenant,
    absl::string_view account_id) {
  const Value key[] = {std::string(tenant), std::string(account_id)};
  ASSIGN_OR_RETURN(
      std::vector<sql::Row> rows,
      txn.Query("SELECT data FROM csat_surveys WHERE tenant = ? AND "
                "account_id = ? ORDER BY send_us, survey_id",
                key));
  return sql::ParseStoredColumn<v1::CsatSurvey>(rows, 0, "CSAT survey");
}

absl::Status SqliteCsatStore::DeleteOfTicket(sql::Transaction& txn,
                                             absl::string_view tenant,
                                             absl::string_view ticket_id) {
  const Value key[] = {std::string(tenant), std::string(ticket_id)};
  const Value tokens_key[] = {std::string(tenant), std::string(tenant),
                              std::string(ticket_id)};
  RETURN_IF_ERROR(
      txn.Exec("DELETE FROM csat_tokens WHERE tenant = ? AND survey_id IN "
               "(SELECT survey_id FROM csat_surveys WHERE tenant = ? AND "
               "ticket_id = ?)",
               tokens_key)
          .status());
  return txn
      .Exec("DELETE FROM csat_surveys WHERE tenant = ? AND ticket_id = ?", key)
      .status();
}

}  // namespace clientele::ticketing
