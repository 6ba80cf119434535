// contacts: accounts and contacts: who pays the business, customers and
// clients. Flags -> dependencies -> run; see common/server/process.h.
#include "clientele/contacts/v1/contacts_service.grpc.pb.h"
#include "common/clock.h"
#include "common/log.h"
#include "common/server/process.h"
#include "common/write_pipeline.h"
#include "services/contacts/contacts_backend.h"
#include "services/contacts/contacts_grpc_service.h"
#include "services/contacts/contacts_schema.h"

int main(int argc, char** argv) {
  clientele::server::InitProcess(argc, argv,
                                 "contacts: accounts and contacts: who pays "
                                 "the business, customers and clients");
  auto process = clientele::server::ServiceProcess::Open(
      {"contacts", 7001, clientele::contacts::ContactsMigrations()});
  if (!process.ok()) {
    LOG(ERROR) << "cannot start: " << process.status();
    return 1;
  }
  (*process)->retention_job().Add("stored responses",
                                  clientele::StoredResponsePurge());
  clientele::contacts::ContactsBackend backend(
      &(*process)->database(), &(*process)->event_writer(),
      clientele::RealClock::Get(), clientele::RandomIdGenerator::Get());
  clientele::contacts::ContactsGrpcService service((*process)->runtime(),
                                                   &backend);
  const absl::Status status = (*process)->Serve(
      {{&service,
        clientele::contacts::v1::ContactsService::service_full_name()}});
  if (!status.ok()) {
    LOG(ERROR) << status;
    return 1;
  }
  return 0;
}
