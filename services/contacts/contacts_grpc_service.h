// The gRPC face of the contacts service: proto <-> domain and nothing else.
// Every RPC goes through the generated ContactsServiceBase (authentication,
// worker pool, logging, status mapping); the RPCs not overridden here answer
// UNIMPLEMENTED until the issue that builds them lands.
#ifndef CLIENTELE_SERVICES_CONTACTS_CONTACTS_GRPC_SERVICE_H_
#define CLIENTELE_SERVICES_CONTACTS_CONTACTS_GRPC_SERVICE_H_

#include "clientele/contacts/v1/contacts_service.clientele.h"

namespace clientele::contacts {

class ContactsGrpcService : public v1::ContactsServiceBase {
 public:
  using v1::ContactsServiceBase::ContactsServiceBase;
};

}  // namespace clientele::contacts

#endif  // CLIENTELE_SERVICES_CONTACTS_CONTACTS_GRPC_SERVICE_H_
