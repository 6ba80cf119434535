// Callers for tests that call managers directly, outside a gRPC call.
#ifndef CLIENTELE_COMMON_TESTING_CALLER_FOR_TEST_H_
#define CLIENTELE_COMMON_TESTING_CALLER_FOR_TEST_H_

#include <string>

#include "common/caller.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace clientele::testing {

// `base` as it would be while serving `request`: the request (not copied:
// it must outlive the write), its `request_id` field when it has one, and a
// method named after the request's type (one request type per RPC), as
// RequestContext::caller() fills them in for a real call.
inline Caller CallerServingForTest(Caller base,
                                   const google::protobuf::Message& request) {
  const google::protobuf::Descriptor* type = request.GetDescriptor();
  base.method = "/test/" + type->full_name();
  base.request = &request;
  base.request_id.clear();
  const google::protobuf::FieldDescriptor* field =
      type->FindFieldByName("request_id");
  if (field != nullptr &&
      field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
      !field->is_repeated()) {
    base.request_id = request.GetReflection()->GetString(request, field);
  }
  return base;
}

}  // namespace clientele::testing

#endif  // CLIENTELE_COMMON_TESTING_CALLER_FOR_TEST_H_
