// A request built once from JSON and re-rendered cheaply per call.
//
// Benchmarks of create-style RPCs need a different request per call (unique
// emails, request ids). Parsing JSON per call would make the load generator,
// which shares the machine with the server, the thing being measured. So the
// JSON is parsed once; every string field whose value contains "{{n}}" is
// remembered, and Render(n) only rewrites those fields and serializes.
#ifndef CLIENTELE_BENCH_REQUEST_TEMPLATE_H_
#define CLIENTELE_BENCH_REQUEST_TEMPLATE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace clientele::bench {

// The placeholder replaced by the call counter.
inline constexpr char kCounterPlaceholder[] = "{{n}}";

class RequestTemplate {
 public:
  // Parses `json` (proto3 JSON mapping) as a message of type `type`, which
  // must have a generated class linked in. INVALID_ARGUMENT when the JSON
  // does not parse. "{{n}}" is recognised in string fields, repeated or not,
  // at any depth, except inside map fields; anywhere else it makes the JSON
  // invalid or stays literal.
  static absl::StatusOr<std::unique_ptr<RequestTemplate>> FromJson(
      const google::protobuf::Descriptor* type, absl::string_view json);

  // An independent copy: Render mutates the template, so each thread that
  // renders needs its own.
  std::unique_ptr<RequestTemplate> Clone() const;

  // The serialized request with every "{{n}}" replaced by `n`.
  std::string Render(uint64_t n);

  // False when the request is the same for every call.
  bool has_placeholders() const { return !slots_.empty(); }
  int placeholder_fields() const { return static_cast<int>(slots_.size()); }

 private:
  // A string field holding the placeholder, and its value split around it.
  struct Slot {
    google::protobuf::Message* message;
    const google::protobuf::FieldDescriptor* field;
    int index;  // -1 when the field is not repeated
    std::vector<std::string> pieces;
  };

  explicit RequestTemplate(std::unique_ptr<google::protobuf::Message> original);
  void FindSlots(google::protobuf::Message* message);

  // As parsed, placeholders intact; Clone copies it.
  std::unique_ptr<google::protobuf::Message> original_;
  // What Render rewrites; slots_ point into it.
  std::unique_ptr<google::protobuf::Message> message_;
  std::vector<Slot> slots_;
};

}  // namespace clientele::bench

#endif  // CLIENTELE_BENCH_REQUEST_TEMPLATE_H_
