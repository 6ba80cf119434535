#include "bench/request_template.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"

namespace clientele::bench {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::MessageFactory;
using ::google::protobuf::Reflection;

absl::StatusOr<std::unique_ptr<RequestTemplate>> RequestTemplate::FromJson(
    const Descriptor* type, absl::string_view json) {
  const Message* prototype =
      MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("no generated class for ", type->full_name()));
  }
  std::unique_ptr<Message> message(prototype->New());
  const auto status = google::protobuf::util::JsonStringToMessage(
      std::string(json), message.get());
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "request is not a valid ", type->full_name(), ": ", status.ToString()));
  }
  return std::unique_ptr<RequestTemplate>(
      new RequestTemplate(std::move(message)));
}

RequestTemplate::RequestTemplate(std::unique_ptr<Message> original)
    : original_(std::move(original)), message_(original_->New()) {
  message_->CopyFrom(*original_);
  FindSlots(message_.get());
}

std::unique_ptr<RequestTemplate> RequestTemplate::Clone() const {
  std::unique_ptr<Message> copy(original_->New());
  copy->CopyFrom(*original_);
  return std::unique_ptr<RequestTemplate>(new RequestTemplate(std::move(copy)));
}

void RequestTemplate::FindSlots(Message* message) {
  const Reflection* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const FieldDescriptor* field : fields) {
    // Map entries are rebuilt from the map on serialization; rewriting them
    // through reflection would not stick.
    if (field->is_map()) continue;
    if (field->type() == FieldDescriptor::TYPE_STRING) {
      auto add = [&](const std::string& value, int index) {
        if (!absl::StrContains(value, kCounterPlaceholder)) return;
        slots_.push_back(Slot{message, field, index,
                              absl::StrSplit(value, kCounterPlaceholder)});
      };
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          add(reflection->GetRepeatedString(*message, field, i), i);
        }
      } else {
        add(reflection->GetString(*message, field), -1);
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          FindSlots(reflection->MutableRepeatedMessage(message, field, i));
        }
      } else {
        FindSlots(reflection->MutableMessage(message, field));
      }
    }
  }
}

std::string RequestTemplate::Render(uint64_t n) {
  if (!slots_.empty()) {
    const std::string number = absl::StrCat(n);
    std::string value;
    for (const Slot& slot : slots_) {
      value.clear();
      for (size_t i = 0; i < slot.pieces.size(); ++i) {
        if (i > 0) absl::StrAppend(&value, number);
        absl::StrAppend(&value, slot.pieces[i]);
      }
      const Reflection* reflection = slot.message->GetReflection();
      if (slot.index < 0) {
        reflection->SetString(slot.message, slot.field, value);
      } else {
        reflection->SetRepeatedString(slot.message, slot.field, slot.index,
                                      value);
      }
    }
  }
  return message_->SerializeAsString();
}

}  // namespace clientele::bench
