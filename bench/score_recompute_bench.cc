// score_recompute_bench: the cost of computing one relationship score from
// the database (ScoreManager::ComputeNow: the projection row, the policy,
// the account's activity buckets and contacts, then the model) against the
// size of the account's history. Scores read per-account aggregates kept up
// by recording, so an account with 100,000 interactions must cost about what
// one with 10 does (issue 5: at most 2x).
//
// One SQLite file (in a temporary directory) holds an account per history
// size, each recorded through InteractionManager::Record over the same two
// years; BM_Recompute/<n> scores the account with n interactions.
//
//   score_recompute_bench --benchmark_repetitions=5
//       --benchmark_enable_random_interleaving=true
//   score_recompute_bench --histories=10,1000 (fewer, e.g. under ASan)
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/engagement_fixture.h"
#include "benchmark/benchmark.h"

ABSL_FLAG(std::vector<std::string>, histories,
          std::vector<std::string>({"10", "1000", "10000", "100000"}),
          "Interactions per account: one BM_Recompute/<n> case each.");

namespace clientele::bench {
namespace {

EngagementFixture* fixture = nullptr;
// History size -> the account that has it.
absl::flat_hash_map<int64_t, std::string>* accounts = nullptr;

void BM_Recompute(benchmark::State& state) {
  const std::string& account_id = accounts->at(state.range(0));
  engagement::ScoreManager& scores = fixture->backend().scores();
  for (auto _ : state) {
    auto computed = scores.ComputeNow(fixture->tenant(), account_id);
    if (!computed.ok()) {
      state.SkipWithError(computed.status().ToString().c_str());
      break;
    }
    benchmark::DoNotOptimize(computed->score->score());
  }
  state.counters["interactions"] = static_cast<double>(state.range(0));
  auto buckets = fixture->BucketCount(account_id);
  state.counters["buckets"] = buckets.ok() ? static_cast<double>(*buckets) : -1;
}

int Main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  absl::ParseCommandLine(argc, argv);
  std::vector<int64_t> sizes;
  for (const std::string& text : absl::GetFlag(FLAGS_histories)) {
    int64_t n = 0;
    if (!absl::SimpleAtoi(text, &n) || n < 0) {
      std::cerr << "score_recompute_bench: bad --histories entry " << text
                << "\n";
      return 2;
    }
    sizes.push_back(n);
  }

  auto made = EngagementFixture::Create("bench");
  if (!made.ok()) {
    std::cerr << "score_recompute_bench: " << made.status() << "\n";
    return 1;
  }
  std::unique_ptr<EngagementFixture> owned = *std::move(made);
  absl::flat_hash_map<int64_t, std::string> by_size;
  for (const int64_t n : sizes) {
    const absl::Time start = absl::Now();
    const std::string id = absl::StrCat("history-", n);
    absl::Status status = owned->CreateAccount(id);
    if (status.ok()) status = owned->RecordHistory(id, static_cast<int>(n));
    if (!status.ok()) {
      std::cerr << "score_recompute_bench: recording " << n
                << " interactions: " << status << "\n";
      return 1;
    }
    std::cerr << "recorded " << n << " interactions in "
              << absl::FormatDuration(absl::Now() - start) << "\n";
    by_size[n] = id;
  }
  fixture = owned.get();
  accounts = &by_size;

  benchmark::internal::Benchmark* bm =
      benchmark::RegisterBenchmark("BM_Recompute", BM_Recompute);
  for (const int64_t n : sizes) bm->Arg(n);
  bm->Unit(benchmark::kMicrosecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace
}  // namespace clientele::bench

int main(int argc, char** argv) { return clientele::bench::Main(argc, argv); }
