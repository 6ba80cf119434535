// Reporting's read model is fed by the other services' events and nothing
// else: the Projector applies one event to the tables of reporting_schema.cc
// inside the consumer's transaction (common/events/consumer.h: applied once
// per event, acknowledged after commit). It never calls another service.
//
// What each event does is written in docs/reports.md ("The read model").
// Versions (accounts, scores, tickets, deals) start at the event's
// occurred_at, clamped to the current version's start so they never
// overlap. Deleted and erased accounts are marked (state 1) and left out of
// every report; a merged account's interactions, tickets, follow-ups and
// deals move to the survivor. Every event moves its tenant's watermark for
// its stream.
#ifndef CLIENTELE_SERVICES_REPORTING_PROJECTOR_H_
#define CLIENTELE_SERVICES_REPORTING_PROJECTOR_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "clientele/events/v1/event.pb.h"
#include "common/events/consumer.h"
#include "common/sql/database.h"
#include "services/reporting/projector_pending.h"

namespace clientele::reporting {

// Up to this many entries a read, applied in one transaction
// (Projector::ConsumerTuning), since a commit per event would bound
// ingestion to the database's commit rate. Each commit syncs the WAL and
// writes every page the transaction touched, and once the read model
// outgrows the page cache most interactions touch pages of their own in the
// account-keyed tables, so fewer, larger commits pay: at 20% of issue 13's
// size, 2048 a read ingested ~19,500 events/s, 8192 ~25,100 and 32768
// ~28,200 (docs/performance.md, "Reporting at scale").
inline constexpr int kConsumerBatchSize = 32768;
// What a read should hold (EventConsumerOptions::read_bytes): single-
// interaction events are ~0.3-0.5 KiB, so a backlog of them is read
// kConsumerBatchSize at a time, while a 5,000-row InteractionsRecorded is
// ~0.75 MiB, so a backlog of those is read ~40 at a time.
inline constexpr int64_t kConsumerReadBytes = int64_t{32} << 20;

class Projector {
 public:
  // Applies a stream entry from `stream` ("contacts", "engagement",
  // "ticketing"), writing everything before it returns. A payload that does
  // not parse, or an event type reporting does not use, is skipped (OK,
  // logged once per type), never retried forever. Errors are the
  // database's (the consumer retries the entry).
  absl::Status Apply(sql::Transaction& txn, absl::string_view stream,
                     const events::StreamEvent& entry) const;

  // Applies one decoded event (what Apply does after parsing; tests use it).
  absl::Status ApplyEvent(sql::Transaction& txn, absl::string_view stream,
                          const events::v1::Event& event) const;

  // Apply for a consumer that calls FinishTransaction at the end of each of
  // its transactions (EventConsumerOptions::finish_transaction): the writes
  // that only add to sums or raise maxima (projector_pending.h) are held
  // and written once, by FinishTransaction, for the whole transaction.
  // Writes are serialized by the database, and each transaction finishes
  // before the next begins, so what is held is always the current
  // transaction's.
  absl::Status ApplyHeld(sql::Transaction& txn, absl::string_view stream,
                         const events::StreamEvent& entry) const;
  // Writes what ApplyHeld holds into `txn` (ok: before its commit) or drops
  // it (not ok: it rolls back); nothing to do when nothing is held.
  absl::Status FinishTransaction(sql::Transaction& txn, bool ok) const;

  // How reporting's consumers read (main.cc; bench/reporting_scale measures
  // it): up to kConsumerBatchSize entries (about kConsumerReadBytes) a
  // read in one transaction, ending in
  // FinishTransaction; and the handler for `stream`'s consumer (ApplyHeld).
  // Both use this projector, which must outlive the consumers.
  events::EventConsumerOptions ConsumerTuning() const;
  events::EventHandler HandlerFor(std::string stream) const;

 private:
  // Parses `entry` into `event`: false (logged) when its payload does not
  // parse.
  bool Parse(absl::string_view stream, const events::StreamEvent& entry,
             events::v1::Event* event) const;
  absl::Status ApplyHolding(sql::Transaction& txn, absl::string_view stream,
                            const events::v1::Event& event,
                            projector_internal::PendingWrites& pending) const;
  // Logs `message` the first time `kind` is skipped.
  void LogSkippedOnce(const std::string& kind, absl::string_view message) const;

  mutable absl::Mutex mu_;
  mutable absl::flat_hash_set<std::string> logged_ ABSL_GUARDED_BY(mu_);
  // What ApplyHeld holds for the current transaction.
  mutable absl::Mutex held_mu_;
  mutable projector_internal::PendingWrites held_ ABSL_GUARDED_BY(held_mu_);
};

}  // namespace clientele::reporting

#endif  // CLIENTELE_SERVICES_REPORTING_PROJECTOR_H_
