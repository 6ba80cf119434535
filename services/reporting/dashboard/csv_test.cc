#include "services/reporting/dashboard/csv.h"

#include "gtest/gtest.h"

namespace clientele::reporting::dashboard {
namespace {

TEST(CsvFieldTest, QuotesFieldsAsRfc4180Says) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvFieldTest, GuardsCellsASpreadsheetWouldRunAsFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("+1+1"), "'+1+1");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\tcmd"), "'\tcmd");
  EXPECT_EQ(CsvField("=1,2"), "\"'=1,2\"");
}

TEST(CsvFieldTest, LeavesNumbersAlone) {
  EXPECT_EQ(CsvField("-12.50"), "-12.50");
  EXPECT_EQ(CsvField("0.4550"), "0.4550");
  EXPECT_EQ(CsvField("1234"), "1234");
  EXPECT_EQ(CsvField("-"), "'-");
  EXPECT_EQ(CsvField("-1."), "'-1.");
  EXPECT_EQ(CsvField("-.5"), "'-.5");
}

TEST(CsvWriterTest, WritesHeaderAndRowsWithCrLf) {
  CsvWriter csv({"account", "note"});
  csv.AddRow({"a1", "=cmd|' /C calc'!A0"});
  csv.AddRow({"a,2", ""});
  EXPECT_EQ(csv.text(),
            "account,note\r\n"
            "a1,'=cmd|' /C calc'!A0\r\n"
            "\"a,2\",\r\n");
}

}  // namespace
}  // namespace clientele::reporting::dashboard
