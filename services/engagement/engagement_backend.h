// The engagement service's stores and managers, wired once: main.cc builds
// it from ServiceProcess, tests from a TempDir database.
#ifndef CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_BACKEND_H_
#define CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_BACKEND_H_

#include <functional>
#include <string>
#include <vector>

#include "services/engagement/data_subject_manager.h"
#include "services/engagement/follow_up_manager.h"
#include "services/engagement/interaction_manager.h"
#include "services/engagement/policy_manager.h"
#include "services/engagement/projection_updater.h"
#include "services/engagement/rescorer.h"
#include "services/engagement/score_cache.h"
#include "services/engagement/score_manager.h"
#include "services/engagement/sqlite_follow_up_store.h"
#include "services/engagement/sqlite_interaction_store.h"
#include "services/engagement/sqlite_projection_store.h"
#include "services/engagement/sqlite_score_store.h"
#include "services/engagement/ticket_event_recorder.h"
// BEGIN deals (includes)
#include "services/engagement/deal_data_part.h"
#include "services/engagement/deal_links.h"
#include "services/engagement/deal_manager.h"
#include "services/engagement/sqlite_deal_store.h"
// END deals (includes)
// BEGIN orders (includes)
#include "services/engagement/order_links.h"
#include "services/engagement/order_manager.h"
#include "services/engagement/sqlite_order_store.h"
// END orders (includes)
// BEGIN cadences (includes)
#include "services/engagement/cadence_job.h"
#include "services/engagement/cadence_manager.h"
#include "services/engagement/keep_in_touch_state.h"
#include "services/engagement/sqlite_cadence_store.h"
// END cadences (includes)

namespace clientele::engagement {

class EngagementBackend {
 public:
  // Nothing is owned; everything must outlive the backend. The database
  // must be migrated to EngagementMigrations().
  EngagementBackend(sql::Database* database, events::EventWriter* events,
                    Clock* clock, IdGenerator* ids, ScoreCache* cache)
      : deps_{database,
              events,
              clock,
              ids,
              &projection_store_,
              &interaction_store_,
              &score_store_,
              &follow_up_store_},
        cache_(cache),
        follow_ups_(deps_),
        scores_(deps_, cache),
        interactions_(deps_, &follow_ups_,
                      [this](const std::string& tenant,
                             const std::vector<std::string>& accounts) {
                        cache_->Invalidate(tenant, accounts);
                        rescorer_.Wake();
                      }),
        policies_(deps_, cache),
        data_subjects_(deps_, &scores_),
        projection_(deps_, cache),
        ticket_events_(deps_, &interactions_),
        rescorer_(&scores_) {
    // BEGIN deals (constructor)
    RegisterDeals();
    // END deals (constructor)
    // BEGIN orders (constructor)
    interactions_.AddLinks(&order_links_);
    projection_.AddPart(&order_links_);
    data_subjects_.AddPart(&order_links_);
    // END orders (constructor)
    // BEGIN cadences (constructor)
    scores_.AddStateLoader(KeepInTouchLoader(deps_, &cadence_store_));
    projection_.AddPart(&cadences_);
    data_subjects_.AddPart(&cadences_);
    // END cadences (constructor)
  }
  EngagementBackend(const EngagementBackend&) = delete;
  EngagementBackend& operator=(const EngagementBackend&) = delete;

  InteractionManager& interactions() { return interactions_; }
  ScoreManager& scores() { return scores_; }
  PolicyManager& policies() { return policies_; }
  FollowUpManager& follow_ups() { return follow_ups_; }
  DataSubjectManager& data_subjects() { return data_subjects_; }
  ProjectionUpdater& projection() { return projection_; }
  // The handler of ticketing's events.
  TicketEventRecorder& ticket_events() { return ticket_events_; }
  // Not started by the backend: main starts it; tests call
  // scores().RescoreDirty() when they want a pass.
  Rescorer& rescorer() { return rescorer_; }
  // BEGIN deals (accessors)
  DealManager& deals() { return deals_; }
  // END deals (accessors)
  // BEGIN orders (accessors)
  OrderManager& orders() { return orders_; }
  // END orders (accessors)
  // BEGIN cadences (accessors)
  CadenceManager& cadences() { return cadences_; }
  // Not started by the backend: main starts it (--cadence_interval); tests
  // call cadence_job().RunOnce().
  CadenceJob& cadence_job() { return cadence_job_; }
  // END cadences (accessors)

 private:
  SqliteProjectionStore projection_store_;
  SqliteInteractionStore interaction_store_;
  SqliteScoreStore score_store_;
  SqliteFollowUpStore follow_up_store_;
  EngagementDeps deps_;
  ScoreCache* const cache_;
  FollowUpManager follow_ups_;
  ScoreManager scores_;
  InteractionManager interactions_;
  PolicyManager policies_;
  DataSubjectManager data_subjects_;
  ProjectionUpdater projection_;
  TicketEventRecorder ticket_events_;
  Rescorer rescorer_;
  // Each area below declares its stores and managers with in-class
  // initializers (from deps_, interactions_, follow_ups_, cache_) and
  // registers its InteractionLinks in its own Register*() called from
  // the constructor body.
  // BEGIN deals (members)
  SqliteDealStore deal_store_;
  // Closing a deal changes what the account's score reads.
  DealManager deals_{deps_, &deal_store_,
                     [this](const std::string& tenant,
                            const std::vector<std::string>& accounts) {
                       cache_->Invalidate(tenant, accounts);
                       rescorer_.Wake();
                     }};
  DealLinks deal_links_{deps_, &deal_store_};
  DealDataPart deal_data_{deps_, &deal_store_};
  // Proposals link to deals; deals follow merges, erasures and exports;
  // scores read closed deals.
  void RegisterDeals() {
    interactions_.AddLinks(&deal_links_);
    projection_.AddPart(&deal_data_);
    data_subjects_.AddPart(&deal_data_);
    scores_.AddStateLoader([this](sql::Transaction& txn,
                                  absl::string_view tenant,
                                  const ProjectedAccount& account,
                                  absl::Time as_of, AccountState* state) {
      return deal_data_.LoadClosedDeals(txn, tenant, account, as_of, state);
    });
  }
  // END deals (members)
  // BEGIN orders (members)
  SqliteOrderStore order_store_;
  OrderLinks order_links_{&order_store_};
  OrderManager orders_{deps_, &order_store_, &interactions_, &follow_ups_};
  // END orders (members)
  // BEGIN cadences (members)
  SqliteCadenceStore cadence_store_;
  CadenceManager cadences_{deps_, &cadence_store_, cache_};
  CadenceJob cadence_job_{deps_, &cadence_store_, &follow_ups_, cache_};
  // END cadences (members)
};

}  // namespace clientele::engagement

#endif  // CLIENTELE_SERVICES_ENGAGEMENT_ENGAGEMENT_BACKEND_H_
