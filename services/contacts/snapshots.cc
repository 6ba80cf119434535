#include "services/contacts/snapshots.h"

#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"

namespace clientele::contacts {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::util::MessageDifferencer;

bool IsOutputOnly(const std::string& name) {
  return name == "name" || name == "create_time" || name == "update_time" ||
         name == "etag";
}

// Fields of `descriptor` whose values differ, prefixed by `prefix`; message
// fields listed in `descend` are compared field by field.
void Diff(const Message& before, const Message& after,
          const std::string& prefix, const std::string& descend,
          std::vector<std::string>* out) {
  const Descriptor* descriptor = before.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (prefix.empty() && IsOutputOnly(field->name())) continue;
    MessageDifferencer differencer;
    std::vector<const FieldDescriptor*> fields = {field};
    if (differencer.CompareWithFields(before, after, fields, fields)) continue;
    const auto* reflection = before.GetReflection();
    if (field->name() == descend && reflection->HasField(before, field) &&
        reflection->HasField(after, field)) {
      Diff(reflection->GetMessage(before, field),
           reflection->GetMessage(after, field), field->name() + ".", "", out);
    } else {
      out->push_back(prefix + field->name());
    }
  }
}

}  // namespace

events::v1::AccountSnapshot AccountSnapshotOf(const v1::Account& account) {
  events::v1::AccountSnapshot snapshot;
  snapshot.set_name(account.name());
  snapshot.set_kind(account.kind());
  snapshot.set_segment(account.segment());
  snapshot.set_tier(account.tier());
  if (account.has_commercial_terms()) {
    const v1::CommercialTerms& terms = account.commercial_terms();
    auto* out = snapshot.mutable_commercial_terms();
    out->set_model(terms.model());
    out->set_billing_cycle(terms.billing_cycle());
    if (terms.has_recurring_amount()) {
      *out->mutable_recurring_amount() = terms.recurring_amount();
    }
    if (terms.has_contract_start_date()) {
      *out->mutable_contract_start_date() = terms.contract_start_date();
    }
    if (terms.has_contract_end_date()) {
      *out->mutable_contract_end_date() = terms.contract_end_date();
    }
    out->set_auto_renew(terms.auto_renew());
  }
  if (account.has_acquisition_date()) {
    *snapshot.mutable_acquisition_date() = account.acquisition_date();
  }
  snapshot.set_lifecycle_stage(account.lifecycle_stage());
  snapshot.set_owner(account.owner());
  snapshot.set_account_manager(account.account_manager());
  snapshot.set_declared_mode(account.declared_mode());
  snapshot.set_locale(account.locale());
  snapshot.set_time_zone(account.time_zone());
  for (const v1::GreetingDate& greeting : account.greeting_dates()) {
    auto* out = snapshot.add_greeting_dates();
    out->set_occasion(
        static_cast<events::v1::GreetingOccasion>(greeting.occasion()));
    if (greeting.has_date()) *out->mutable_date() = greeting.date();
  }
  for (const std::string& need : account.declared_needs()) {
    snapshot.add_declared_needs(need);
  }
  if (account.has_create_time()) {
    *snapshot.mutable_create_time() = account.create_time();
  }
  if (account.has_update_time()) {
    *snapshot.mutable_update_time() = account.update_time();
  }
  return snapshot;
}

events::v1::ContactSnapshot ContactSnapshotOf(const v1::Contact& contact) {
  events::v1::ContactSnapshot snapshot;
  snapshot.set_name(contact.name());
  snapshot.set_account(contact.account());
  for (int role : contact.roles()) {
    snapshot.add_roles(static_cast<events::v1::ContactRole>(role));
  }
  snapshot.set_consent_state(static_cast<events::v1::ConsentState>(
      contact.marketing_consent().state()));
  snapshot.set_locale(contact.locale());
  if (contact.has_create_time()) {
    *snapshot.mutable_create_time() = contact.create_time();
  }
  if (contact.has_update_time()) {
    *snapshot.mutable_update_time() = contact.update_time();
  }
  return snapshot;
}

std::vector<std::string> ChangedAccountFields(const v1::Account& before,
                                              const v1::Account& after) {
  std::vector<std::string> changed;
  Diff(before, after, "", "commercial_terms", &changed);
  return changed;
}

std::vector<std::string> ChangedContactFields(const v1::Contact& before,
                                              const v1::Contact& after) {
  std::vector<std::string> changed;
  Diff(before, after, "", "", &changed);
  return changed;
}

}  // namespace clientele::contacts
