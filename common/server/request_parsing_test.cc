#include "common/server/request_parsing.h"

#include <string>
#include <vector>

#include "absl/strings/str_replace.h"
#include "clientele/contacts/v1/contacts_service.pb.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"

namespace clientele::server {
namespace {

using ::clientele::contacts::v1::CreateContactRequest;
using ::google::protobuf::ListValue;
using ::google::protobuf::Struct;

constexpr char kBad[] = "\xc3\x28";
// Valid UTF-8 of kBad's length, to stand in for it until serialized.
constexpr char kPlaceholder[] = "\x7f\x7f";

grpc::ByteBuffer BytesOf(const google::protobuf::Message& message) {
  const std::string bytes =
      absl::StrReplaceAll(message.SerializeAsString(), {{kPlaceholder, kBad}});
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

grpc::ByteBuffer BytesOf(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// The field the error for `bytes` names, "" when it names none.
std::string FieldOf(const grpc::ByteBuffer& bytes,
                    const google::protobuf::Descriptor& type) {
  const absl::Status status = UnparsableRequestError(bytes, type);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  std::vector<FieldViolation> violations = FieldViolationsOf(status);
  if (violations.empty()) return "";
  EXPECT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].description, "is not valid UTF-8");
  return violations[0].field;
}

TEST(RequestParsingTest, ValidRequestsParseAndSerializeBack) {
  CreateContactRequest request;
  request.set_request_id("r-1");
  request.mutable_contact()->set_given_name("Işık 张伟 Влад");
  request.mutable_contact()->add_emails()->set_address("a@example.com");
  CreateContactRequest parsed;
  ASSERT_TRUE(ParseRequest(BytesOf(request), &parsed));
  EXPECT_EQ(parsed.SerializeAsString(), request.SerializeAsString());

  grpc::ByteBuffer out;
  ASSERT_TRUE(SerializeResponse(parsed, &out).ok());
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(out.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  EXPECT_EQ(bytes, request.SerializeAsString());
}

TEST(RequestParsingTest, EmptyRequestsParse) {
  CreateContactRequest parsed;
  EXPECT_TRUE(ParseRequest(BytesOf(std::string()), &parsed));
}

TEST(RequestParsingTest, InvalidUtf8IsNamedByItsPath) {
  CreateContactRequest top;
  top.set_request_id(kPlaceholder);
  EXPECT_EQ(FieldOf(BytesOf(top), *top.GetDescriptor()), "request_id");

  CreateContactRequest nested;
  nested.mutable_contact()->set_given_name("ok");
  nested.mutable_contact()->add_emails()->set_address("a@example.com");
  nested.mutable_contact()->add_emails()->set_address("b@example.com");
  nested.mutable_contact()->add_emails()->set_address(kPlaceholder);
  EXPECT_FALSE(ParseRequest(BytesOf(nested), &top));
  EXPECT_EQ(FieldOf(BytesOf(nested), *nested.GetDescriptor()),
            "contact.emails[2].address");

  ListValue list;
  list.add_values()->set_number_value(1);
  list.add_values()->mutable_list_value()->add_values()->set_string_value(
      "fine");
  list.mutable_values(1)->mutable_list_value()->add_values()->set_string_value(
      kPlaceholder);
  EXPECT_EQ(FieldOf(BytesOf(list), *list.GetDescriptor()),
            "values[1].list_value.values[1].string_value");
}

TEST(RequestParsingTest, MapsAreNamedByTheirField) {
  Struct value;
  (*value.mutable_fields())["ok"].set_string_value("fine");
  (*value.mutable_fields())["bad"].set_string_value(kPlaceholder);
  EXPECT_EQ(FieldOf(BytesOf(value), *value.GetDescriptor()), "fields");

  Struct key;
  (*key.mutable_fields())[kPlaceholder].set_bool_value(true);
  EXPECT_EQ(FieldOf(BytesOf(key), *key.GetDescriptor()), "fields");
}

TEST(RequestParsingTest, OtherMalformedBytesAreNamedByTheRequestType) {
  const auto& type = *CreateContactRequest::descriptor();
  for (const std::string& bytes :
       {std::string("\x0f\xff"), std::string("\x0a\x05\x12"),
        std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"),
        std::string("\x0a\x02\x0a\x10")}) {
    const absl::Status status = UnparsableRequestError(BytesOf(bytes), type);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status.message(),
              "request does not parse as "
              "clientele.contacts.v1.CreateContactRequest");
    EXPECT_TRUE(FieldViolationsOf(status).empty());
  }
}

TEST(RequestParsingTest, UnknownFieldsAndFieldsOfAnotherWireTypeAreSkipped) {
  // Field 99 (unknown, length-delimited, invalid UTF-8), then request_id
  // (field 2) sent as a varint, then contact.given_name with invalid UTF-8.
  const std::string bytes = std::string("\x9a\x06\x02\xc3\x28", 5) +
                            std::string("\x10\x05", 2) +
                            std::string("\x0a\x04\x1a\x02\xc3\x28", 6);
  EXPECT_EQ(FieldOf(BytesOf(bytes), *CreateContactRequest::descriptor()),
            "contact.given_name");
}

}  // namespace
}  // namespace clientele::server
