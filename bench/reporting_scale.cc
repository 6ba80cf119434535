// reporting_scale: reporting's read model at the size, in one
// process (issue 13, item 5; docs/performance.md, "Reporting at scale").
//
// Two read models are filled from a deterministic synthetic history
// (bench/reporting_history.h), each in its own SQLite file opened as the
// service opens it: one at 1% of --scale (at 1.0: 1,000 accounts, 50,000
// interactions, 2,000 tickets) and one at --scale (100,000 accounts,
// 5,000,000 interactions, 200,000 tickets). Their events go through the
// service's own path: an EventConsumer per source stream with the options
// reporting's main.cc gives it (kConsumerBatchSize entries a read, applied
// in one transaction), calling the projector's handler (Projector::HandlerFor:
// ApplyHeld, then FinishTransaction at the end of each transaction).
// Only Redis is replaced, by an in-memory feed that hands each consumer the
// next full read, made before the clock starts: the figure is the
// consumer's work (parse, projector, processed marks, position, commit),
// not the generator's.
//
// Then every report is asked of both models, alternately, through
// ReportingGrpcService's handlers (request checks, currency resolution and
// the report in one read transaction; no gRPC transport, no live scores):
// one warm-up call each, then --repetitions timed calls; the medians and
// their ratio (full / 1%) are the figures.
//
//   reporting_scale                       the size (about 6M events)
//   reporting_scale --scale=0.01          a quick run
//   reporting_scale --output=results.json
//   reporting_scale --work_dir=D --reuse --reports=support --profile
//                                         the reports again on the models an
//                                         earlier run left in D, only support
//
// Prints a table, then one JSON line (the last line of stdout) with every
// figure, also written to --output when given.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "bench/query_profile.h"
#include "bench/reporting_history.h"
#include "bench/reporting_ingest.h"
#include "clientele/reporting/v1/reporting_service.pb.h"
#include "common/clock.h"
#include "common/events/consumer.h"
#include "common/events/event_writer.h"
#include "common/events/stream_entry.h"
#include "common/flags.h"
#include "common/proto_time.h"
#include "common/redis/redis_client.h"
#include "common/server/unary_call.h"
#include "common/sql/sqlite_database.h"
#include "common/status_macros.h"
#include "common/testing/temp_dir.h"
#include "services/reporting/projector.h"
#include "services/reporting/projector_aggregates.h"
#include "services/reporting/reporting_grpc_service.h"
#include "services/reporting/reporting_schema.h"

ABSL_FLAG(double, scale, 1.0,
          "Size of the large read model as a share of the issue's (100,000 "
          "accounts, 5,000,000 interactions, 200,000 tickets); the small one "
          "is 1% of it.");
ABSL_FLAG(uint64_t, seed, 13, "Seed of the synthetic history.");
ABSL_FLAG(int, repetitions, 5, "Timed calls of each report on each model.");
ABSL_FLAG(std::string, output, "",
          "Also write the figures (the JSON line) to this file.");
ABSL_FLAG(bool, profile, false,
          "Also time every SQL statement (a little slower): after the "
          "figures, where ingestion and each report on the full model spend "
          "their time, with SQLite's query plans.");
ABSL_FLAG(std::string, work_dir, "",
          "Directory for the two SQLite files (kept); default a temporary "
          "one, removed at exit.");
ABSL_FLAG(bool, reuse, false,
          "Read the two models an earlier run with the same --scale and "
          "--seed left in --work_dir instead of filling them (to time or "
          "profile reports again; no ingestion figures).");
ABSL_FLAG(int64_t, sqlite_cache_mib, -1,
          "Page cache of each SQLite connection, MiB (-1: the service's "
          "default, SqliteOptions).");
ABSL_FLAG(int64_t, sqlite_mmap_mib, -1,
          "Bytes of the file each connection reads through mmap, MiB (-1: the "
          "service's default).");
ABSL_FLAG(std::vector<std::string>, reports, {},
          "Only these reports (their JSON keys, comma-separated); default "
          "all.");

namespace clientele::bench {
namespace {

namespace v1 = reporting::v1;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- the reports -----------------------------------------------------------

// What one report call answered: its status and the response's size (a
// report that answers nothing measures nothing).
struct Answer {
  absl::Status status;
  size_t bytes = 0;
};

struct Report {
  std::string key;    // in the JSON
  std::string label;  // in the table
  std::function<Answer(reporting::ReportingGrpcService&)> call;
};

template <typename Request, typename Response>
Answer Call(reporting::ReportingGrpcService& service,
            absl::Status (reporting::ReportingGrpcService::*method)(
                const server::RequestContext&, const Request&, Response*),
            const Request& request, const std::string& tenant) {
  server::RequestContext context;
  context.principal.tenant = tenant;
  context.principal.role = "viewer";
  context.request = &request;
  Response response;
  Answer answer;
  answer.status = (service.*method)(context, request, &response);
  answer.bytes = response.ByteSizeLong();
  return answer;
}

void SetRange(absl::Time start, absl::Time end, type::v1::TimeRange* range) {
  SetTimestamp(start, range->mutable_start_time());
  SetTimestamp(end, range->mutable_end_time());
}

// Every report as the dashboard asks it, as of the history's end: the last
// quarter, retention over the last year by month, the pipeline of the last
// quarter, and the first page of one account manager's accounts.
std::vector<Report> Reports(const std::string& tenant, absl::Time end) {
  const absl::TimeZone utc = absl::UTCTimeZone();
  const absl::CivilDay last = absl::ToCivilDay(end - absl::Seconds(1), utc);
  const absl::CivilMonth quarter_month(
      last.year(), (static_cast<int>(last.month()) - 1) / 3 * 3 + 1);
  const absl::Time quarter_start = absl::FromCivil(quarter_month, utc);
  const absl::Time year_start =
      absl::FromCivil(absl::CivilYear(last.year()), utc);
  using Service = reporting::ReportingGrpcService;
  std::vector<Report> reports;

  v1::GetPortfolioReportRequest portfolio;
  SetRange(quarter_start, end, portfolio.mutable_time_range());
  SetTimestamp(end, portfolio.mutable_as_of_time());
  reports.push_back({"portfolio", "portfolio", [=](Service& s) {
                       return Call(s, &Service::GetPortfolioReport, portfolio,
                                   tenant);
                     }});
  v1::GetSupportReportRequest support;
  SetRange(quarter_start, end, support.mutable_time_range());
  SetTimestamp(end, support.mutable_as_of_time());
  reports.push_back({"support", "support", [=](Service& s) {
                       return Call(s, &Service::GetSupportReport, support,
                                   tenant);
                     }});
  v1::GetWorkloadReportRequest workload;
  SetRange(quarter_start, end, workload.mutable_time_range());
  SetTimestamp(end, workload.mutable_as_of_time());
  reports.push_back({"workload", "workload", [=](Service& s) {
                       return Call(s, &Service::GetWorkloadReport, workload,
                                   tenant);
                     }});
  v1::ListAtRiskAccountsRequest at_risk;
  SetRange(quarter_start, end, at_risk.mutable_time_range());
  SetTimestamp(end, at_risk.mutable_as_of_time());
  at_risk.set_page_size(50);
  reports.push_back({"at_risk", "at-risk, first page of 50", [=](Service& s) {
                       return Call(s, &Service::ListAtRiskAccounts, at_risk,
                                   tenant);
                     }});
  v1::GetConversionFunnelReportRequest funnel;
  SetRange(quarter_start, end, funnel.mutable_time_range());
  SetTimestamp(end, funnel.mutable_as_of_time());
  reports.push_back({"funnel", "conversion funnel", [=](Service& s) {
                       return Call(s, &Service::GetConversionFunnelReport,
                                   funnel, tenant);
                     }});
  v1::GetRetentionReportRequest retention;
  SetRange(year_start, end, retention.mutable_time_range());
  SetTimestamp(end, retention.mutable_as_of_time());
  retention.set_period(v1::COHORT_PERIOD_MONTH);
  reports.push_back(
      {"retention", "retention, 12 monthly cohorts", [=](Service& s) {
         return Call(s, &Service::GetRetentionReport, retention, tenant);
       }});
  v1::GetPipelineReportRequest pipeline;
  pipeline.set_year(static_cast<int32_t>(last.year()));
  pipeline.set_quarter((static_cast<int>(last.month()) - 1) / 3 + 1);
  SetTimestamp(end, pipeline.mutable_as_of_time());
  reports.push_back({"pipeline", "pipeline, last quarter", [=](Service& s) {
                       return Call(s, &Service::GetPipelineReport, pipeline,
                                   tenant);
                     }});
  v1::ListReportAccountsRequest accounts;
  accounts.mutable_aggregate()->mutable_workload()->set_account_manager(
      AccountManagerId(0));
  SetRange(quarter_start, end, accounts.mutable_time_range());
  SetTimestamp(end, accounts.mutable_as_of_time());
  accounts.set_page_size(50);
  reports.push_back(
      {"report_accounts", "ListReportAccounts, one manager, first page of 50",
       [=](Service& s) {
         return Call(s, &Service::ListReportAccounts, accounts, tenant);
       }});
  return reports;
}

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// ---- memory ----------------------------------------------------------------

double PeakRssMib() {
  struct rusage usage = {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024;  // KiB on Linux
}

// A "Name:   123 kB" line of /proc/self/status in MiB (0 when absent).
double StatusMib(const std::string& name) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (!absl::StartsWith(line, name + ":")) continue;
    return std::strtod(line.c_str() + name.size() + 1, nullptr) / 1024;
  }
  return 0;
}

// ---- the run ---------------------------------------------------------------

struct Model {
  std::string label;  // "1%" or "full"
  std::string path;
  std::unique_ptr<sql::Database> db;
  // With --profile: `db` timed statement by statement.
  std::unique_ptr<ProfilingDatabase> profiled;
  Ingested ingested;
};

// The statements that took the most of `profiled`'s time since its last
// Reset, with their plans: those above `share` of the total, at most `most`.
void PrintProfile(const std::string& title, ProfilingDatabase& profiled,
                  size_t most, double share) {
  const std::vector<ProfilingDatabase::Statement> statements =
      profiled.Statements();
  double total = 0;
  for (const auto& statement : statements) total += statement.seconds;
  std::cout << absl::StrFormat("\n%s: %.3f s in %d statements\n", title, total,
                               statements.size());
  for (size_t i = 0; i < statements.size() && i < most; ++i) {
    const auto& statement = statements[i];
    if (statement.seconds < share * total) break;
    std::cout << absl::StrFormat("  %4.1f%% %9.3f s %9d calls %10d rows  %s\n",
                                 100 * statement.seconds / total,
                                 statement.seconds, statement.calls,
                                 statement.rows, statement.sql.substr(0, 240));
    absl::StatusOr<std::vector<std::string>> plan = profiled.Plan(statement);
    if (!plan.ok()) continue;
    for (const std::string& line : *plan) {
      std::cout << "        | " << line << "\n";
    }
  }
}

absl::StatusOr<Model> Fill(const std::string& label, const std::string& path,
                           const HistoryOptions& options, bool profile) {
  Model model;
  model.label = label;
  model.path = path;
  const bool reuse = absl::GetFlag(FLAGS_reuse);
  if (!reuse) {
    std::filesystem::remove(path);
    std::filesystem::remove(path + "-wal");
    std::filesystem::remove(path + "-shm");
  }
  // As ServiceProcess::Open opens a service's database.
  sql::SqliteOptions sqlite;
  sqlite.path = path;
  if (const int64_t mib = absl::GetFlag(FLAGS_sqlite_cache_mib); mib >= 0) {
    sqlite.cache_size_kib = mib * 1024;
  }
  if (const int64_t mib = absl::GetFlag(FLAGS_sqlite_mmap_mib); mib >= 0) {
    sqlite.mmap_size_bytes = mib << 20;
  }
  ASSIGN_OR_RETURN(model.db, sql::SqliteDatabase::Open(sqlite));
  RETURN_IF_ERROR(model.db->Migrate(reporting::ReportingMigrations()).status());
  if (reuse) {
    // As the service starts on a database it already has.
    RETURN_IF_ERROR(reporting::BuildRetentionAggregatesWhereNeeded(*model.db));
    RETURN_IF_ERROR(reporting::SyncCountsWhereNeeded(*model.db));
    if (profile) {
      model.profiled = std::make_unique<ProfilingDatabase>(model.db.get());
    }
    return model;
  }
  ReportingHistory history(options);
  std::cerr << absl::StrFormat(
      "filling the %s model: %d accounts, %d interactions, %d tickets\n", label,
      options.accounts, options.interactions, options.tickets);
  sql::Database* db = model.db.get();
  if (profile) {
    model.profiled = std::make_unique<ProfilingDatabase>(db);
    db = model.profiled.get();
  }
  ASSIGN_OR_RETURN(model.ingested, Ingest(db, history));
  model.ingested.database_bytes = DatabaseBytes(path);
  const Ingested& in = model.ingested;
  std::cerr << absl::StrFormat(
      "  %d events (%d interactions in %d events, %d of them single) in "
      "%.1fs of consumer time (%.1fs with generation): %.0f events/s\n",
      in.counts.events, in.counts.interactions, in.counts.interaction_events,
      in.counts.single_interaction_events, in.consumer_seconds,
      in.total_seconds, PerSecond(in.counts.events, in.consumer_seconds));
  return model;
}

std::string Json(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::vector<std::string> parts;
  parts.reserve(kv.size());
  for (const auto& [key, value] : kv) {
    parts.push_back(absl::StrCat("\"", key, "\":", value));
  }
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

std::string Num(double value) { return absl::StrFormat("%.6g", value); }
std::string Num(int64_t value) { return absl::StrCat(value); }

std::string IngestJson(const Model& model) {
  const Ingested& in = model.ingested;
  const HistoryCounts& c = in.counts;
  return Json({
      {"accounts", Num(c.accounts)},
      {"interactions", Num(c.interactions)},
      {"tickets", Num(c.tickets)},
      {"events", Num(c.events)},
      {"contacts_events", Num(c.contacts_events)},
      {"engagement_events", Num(c.engagement_events)},
      {"ticketing_events", Num(c.ticketing_events)},
      {"interaction_events", Num(c.interaction_events)},
      {"single_interaction_events", Num(c.single_interaction_events)},
      {"score_changes", Num(c.score_changes)},
      {"csat_responses", Num(c.csat_responses)},
      {"follow_ups", Num(c.follow_ups)},
      {"deals", Num(c.deals)},
      {"transactions", Num(in.transactions)},
      {"consumer_seconds", Num(in.consumer_seconds)},
      {"events_per_s", Num(PerSecond(c.events, in.consumer_seconds))},
      {"interactions_per_s",
       Num(PerSecond(c.interactions, in.consumer_seconds))},
      {"database_bytes", Num(in.database_bytes)},
  });
}

absl::Status Run() {
  const double scale = absl::GetFlag(FLAGS_scale);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const int repetitions = std::max(1, absl::GetFlag(FLAGS_repetitions));
  const bool profile = absl::GetFlag(FLAGS_profile);
  if (!(scale > 0)) return absl::InvalidArgumentError("--scale must be > 0");
  std::optional<testing::TempDir> temp;
  std::string dir = absl::GetFlag(FLAGS_work_dir);
  if (dir.empty()) {
    temp.emplace();
    dir = temp->path();
  }
  std::filesystem::create_directories(dir);

  ASSIGN_OR_RETURN(Model small,
                   Fill("1%", dir + "/reporting-small.db",
                        ScaledHistory(scale / 100, seed), profile));
  ASSIGN_OR_RETURN(Model full, Fill("full", dir + "/reporting-full.db",
                                    ScaledHistory(scale, seed), profile));
  const double rss_after_ingest = PeakRssMib();

  // "Now" is the end of the history; no live scores (engagement is not
  // there): the at-risk page answers from the projection.
  const HistoryOptions shape = ScaledHistory(scale, seed);
  const absl::Time end =
      absl::FromCivil(shape.first_day + shape.days, absl::UTCTimeZone());
  FakeClock clock(end);
  server::RpcRuntime runtime;
  reporting::ReportingDeps small_deps{small.db.get(), &clock, nullptr};
  reporting::ReportingDeps full_deps{full.db.get(), &clock, nullptr};
  reporting::ReportingGrpcService small_service(&runtime, small_deps);
  reporting::ReportingGrpcService full_service(&runtime, full_deps);

  std::vector<Report> reports = Reports(shape.tenant, end);
  if (const std::vector<std::string> only = absl::GetFlag(FLAGS_reports);
      !only.empty()) {
    std::vector<Report> chosen;
    for (Report& report : reports) {
      if (std::find(only.begin(), only.end(), report.key) != only.end()) {
        chosen.push_back(std::move(report));
      }
    }
    reports = std::move(chosen);
  }
  struct Timings {
    std::vector<double> small_ms, full_ms;
    size_t small_bytes = 0, full_bytes = 0;
  };
  std::vector<Timings> timings(reports.size());
  const auto time_one = [](const Report& report,
                           reporting::ReportingGrpcService& service,
                           size_t* bytes) -> absl::StatusOr<double> {
    const auto start = Clock::now();
    const Answer answer = report.call(service);
    const double ms = SecondsSince(start) * 1000;
    if (!answer.status.ok()) {
      return absl::Status(
          answer.status.code(),
          absl::StrCat(report.key, ": ", answer.status.message()));
    }
    *bytes = answer.bytes;
    return ms;
  };
  // A warm-up call of each, then the timed ones, the two models alternately.
  for (int round = -1; round < repetitions; ++round) {
    for (size_t r = 0; r < reports.size(); ++r) {
      Timings& t = timings[r];
      ASSIGN_OR_RETURN(double small_ms,
                       time_one(reports[r], small_service, &t.small_bytes));
      ASSIGN_OR_RETURN(double full_ms,
                       time_one(reports[r], full_service, &t.full_bytes));
      if (round < 0) {
        std::cerr << absl::StrFormat("warm-up %s: 1%% %.1f ms, full %.1f ms\n",
                                     reports[r].key, small_ms, full_ms);
        continue;
      }
      t.small_ms.push_back(small_ms);
      t.full_ms.push_back(full_ms);
    }
    if (round >= 0) {
      std::cerr << "round " << round + 1 << "/" << repetitions << " done\n";
    }
  }

  // ---- the figures ----
  const double rss_end = PeakRssMib();
  std::cout << absl::StrFormat(
      "Reporting at scale (--scale=%g, seed %d): %d accounts, %d interactions, "
      "%d tickets\n\n",
      scale, seed, full.ingested.counts.accounts,
      full.ingested.counts.interactions, full.ingested.counts.tickets);
  std::cout << "| model | events | of which InteractionsRecorded (single) | "
               "interactions | transactions | consumer s | events/s | "
               "interactions/s | database MiB |\n|---|---|---|---|---|---|---|"
               "---|---|\n";
  for (const Model* model : {&small, &full}) {
    const Ingested& in = model->ingested;
    std::cout << absl::StrFormat(
        "| %s | %d | %d (%d) | %d | %d | %.1f | %.0f | %.0f | %.0f |\n",
        model->label, in.counts.events, in.counts.interaction_events,
        in.counts.single_interaction_events, in.counts.interactions,
        in.transactions, in.consumer_seconds,
        PerSecond(in.counts.events, in.consumer_seconds),
        PerSecond(in.counts.interactions, in.consumer_seconds),
        static_cast<double>(in.database_bytes) / (1 << 20));
  }
  std::cout << absl::StrFormat(
      "\nPeak RSS after ingestion: %.0f MiB; at the end: %.0f MiB (now %.0f "
      "MiB: %.0f anonymous, %.0f file-backed, i.e. SQLite's mmap of the "
      "files)\n\n",
      rss_after_ingest, rss_end, StatusMib("VmRSS"), StatusMib("RssAnon"),
      StatusMib("RssFile"));
  std::cout << "| report | 1% median ms | full median ms | full / 1% | "
               "goal | verdict |\n|---|---|---|---|---|---|\n";
  std::vector<std::string> report_json;
  for (size_t r = 0; r < reports.size(); ++r) {
    const Timings& t = timings[r];
    const double small_ms = Median(t.small_ms);
    const double full_ms = Median(t.full_ms);
    const double ratio = small_ms > 0 ? full_ms / small_ms : 0;
    std::cout << absl::StrFormat("| %s | %.2f | %.2f | %.1f | <= 2 | %s |\n",
                                 reports[r].label, small_ms, full_ms, ratio,
                                 ratio <= 2 ? "PASS" : "FAIL");
    const auto list = [](const std::vector<double>& values) {
      std::vector<std::string> parts;
      parts.reserve(values.size());
      for (double value : values) parts.push_back(Num(value));
      return absl::StrCat("[", absl::StrJoin(parts, ","), "]");
    };
    report_json.push_back(absl::StrCat(
        "\"", reports[r].key, "\":",
        Json(
            {{"small_ms", list(t.small_ms)},
             {"full_ms", list(t.full_ms)},
             {"small_median_ms", Num(small_ms)},
             {"full_median_ms", Num(full_ms)},
             {"ratio", Num(ratio)},
             {"small_response_bytes", Num(static_cast<int64_t>(t.small_bytes))},
             {"full_response_bytes",
              Num(static_cast<int64_t>(t.full_bytes))}})));
  }
  const std::string json = Json({
      {"scale", Num(scale)},
      {"seed", absl::StrCat(seed)},
      {"repetitions", Num(int64_t{repetitions})},
      {"batch_size", Num(int64_t{reporting::kConsumerBatchSize})},
      {"small", IngestJson(small)},
      {"full", IngestJson(full)},
      {"peak_rss_mib_after_ingest", Num(rss_after_ingest)},
      {"peak_rss_mib_end", Num(rss_end)},
      {"rss_anon_mib_end", Num(StatusMib("RssAnon"))},
      {"rss_file_mib_end", Num(StatusMib("RssFile"))},
      {"reports", absl::StrCat("{", absl::StrJoin(report_json, ","), "}")},
  });
  if (profile) {
    PrintProfile("Ingestion of the full model", *full.profiled, 20, 0.01);
    reporting::ReportingDeps profiled_deps{full.profiled.get(), &clock,
                                           nullptr};
    reporting::ReportingGrpcService profiled_service(&runtime, profiled_deps);
    for (const Report& report : reports) {
      full.profiled->Reset();
      const Answer answer = report.call(profiled_service);
      if (!answer.status.ok()) return answer.status;
      PrintProfile(absl::StrCat("Report ", report.key, " on the full model"),
                   *full.profiled, 6, 0.05);
    }
  }
  std::cout << "\n" << json << std::endl;
  const std::string output = absl::GetFlag(FLAGS_output);
  if (!output.empty()) {
    std::ofstream file(output);
    file << json << "\n";
    if (!file) {
      return absl::UnavailableError(absl::StrCat("cannot write ", output));
    }
  }
  return absl::OkStatus();
}

}  // namespace
}  // namespace clientele::bench

int main(int argc, char** argv) {
  clientele::ParseFlagsWithEnv(
      argc, argv,
      "reporting_scale: reporting's read model at the issue's size, in one "
      "process (docs/performance.md)");
  const absl::Status status = clientele::bench::Run();
  if (!status.ok()) {
    std::cerr << "reporting_scale: " << status << "\n";
    return 1;
  }
  return 0;
}
