#include "bench/request_template.h"

#include "clientele/contacts/v1/contacts_service.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clientele::bench {
namespace {

using ::clientele::contacts::v1::CreateContactRequest;
using ::clientele::contacts::v1::ImportContactsRequest;

TEST(RequestTemplateTest, RendersTheCounterIntoEveryStringFieldWithIt) {
  auto request = RequestTemplate::FromJson(
      CreateContactRequest::descriptor(),
      R"({"contact": {"account": "accounts/a", "given_name": "Ann",
           "emails": [{"address": "u{{n}}@x.test"},
                      {"address": "{{n}}-{{n}}@y.test"}]},
          "request_id": "r{{n}}"})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ((*request)->placeholder_fields(), 3);

  CreateContactRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString((*request)->Render(42)));
  EXPECT_EQ(parsed.contact().emails(0).address(), "u42@x.test");
  EXPECT_EQ(parsed.contact().emails(1).address(), "42-42@y.test");
  EXPECT_EQ(parsed.request_id(), "r42");
  EXPECT_EQ(parsed.contact().given_name(), "Ann");

  ASSERT_TRUE(parsed.ParseFromString((*request)->Render(7)));
  EXPECT_EQ(parsed.contact().emails(0).address(), "u7@x.test");
}

TEST(RequestTemplateTest, CloneStartsFromThePlaceholdersNotTheLastRender) {
  auto request = RequestTemplate::FromJson(
      ImportContactsRequest::descriptor(),
      R"({"rows": [{"row_key": "a{{n}}"}, {"row_key": "b{{n}}"}]})");
  ASSERT_TRUE(request.ok()) << request.status();
  (*request)->Render(1);
  auto clone = (*request)->Clone();
  EXPECT_EQ(clone->placeholder_fields(), 2);
  ImportContactsRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(clone->Render(5)));
  EXPECT_EQ(parsed.rows(1).row_key(), "b5");
}

TEST(RequestTemplateTest, WithoutPlaceholdersEveryRenderIsTheSame) {
  auto request = RequestTemplate::FromJson(CreateContactRequest::descriptor(),
                                           R"({"request_id": "fixed"})");
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_FALSE((*request)->has_placeholders());
  EXPECT_EQ((*request)->Render(1), (*request)->Render(2));
}

TEST(RequestTemplateTest, RejectsJsonThatIsNotTheRequestType) {
  EXPECT_FALSE(RequestTemplate::FromJson(CreateContactRequest::descriptor(),
                                         R"({"no_such_field": 1})")
                   .ok());
  EXPECT_FALSE(
      RequestTemplate::FromJson(CreateContactRequest::descriptor(), "{").ok());
}

}  // namespace
}  // namespace clientele::bench
