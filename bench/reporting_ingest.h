// reporting_scale's ingestion: a synthetic history fed through reporting's
// own event consumers (one EventConsumer per source stream, with the options
// reporting's main.cc gives it: Projector::ConsumerTuning and HandlerFor)
// into a read model.
// Only Redis is replaced, by an in-memory feed that hands each consumer its
// next read, made before the clock starts: the time measured is the
// consumers' work (parse, projector, processed marks, position, commit).
// The busiest stream is read in full reads; before each, the other streams'
// consumers read what came before it, as consumers that keep up with their
// few events would.
#ifndef CLIENTELE_BENCH_REPORTING_INGEST_H_
#define CLIENTELE_BENCH_REPORTING_INGEST_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "bench/reporting_history.h"
#include "common/sql/database.h"

namespace clientele::bench {

struct Ingested {
  HistoryCounts counts;
  double consumer_seconds = 0;  // inside the consumers' reads
  double total_seconds = 0;     // generation included
  int64_t transactions = 0;
  int64_t database_bytes = 0;
};

// Feeds `history` through the contacts, engagement and ticketing consumers
// into `db` (migrated with reporting's migrations). INTERNAL when a read does
// not apply every entry it was handed.
absl::StatusOr<Ingested> Ingest(sql::Database* db, ReportingHistory& history);

// The bytes of the SQLite file at `path` and its WAL.
int64_t DatabaseBytes(const std::string& path);

// count / seconds; 0 for no time.
double PerSecond(int64_t count, double seconds);

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_REPORTING_INGEST_H_
