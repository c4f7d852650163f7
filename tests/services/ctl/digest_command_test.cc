// omnihubctl digest against a fake hub: the request it sends, the JSON it prints, and a
// usage error for an argument it does not take.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/services/ctl/ctl_test_fixture.h"

namespace omnihub::ctl {
namespace {

class DigestCommandTest : public testing::CtlTest {};

TEST_F(DigestCommandTest, AsksForTheStateDigestAndPrintsItAsJson) {
  v1::QueryResponse resp;
  v1::StateDigestResponse* d = resp.mutable_state_digest();
  d->set_applied_position(42);
  d->set_apply_version(2);
  d->set_digest(std::string(64, 'a'));
  (*d->mutable_column_families())["timeline"] = std::string(64, 'b');
  (*d->mutable_column_families())["meta"] = std::string(64, 'c');
  hub_.Answer(resp);
  ASSERT_EQ(Run(RunDigest, {}), kExitOk) << err();
  ASSERT_EQ(hub_.requests.size(), 1u);
  EXPECT_TRUE(hub_.requests[0].has_state_digest());
  EXPECT_EQ(out(), R"({"applied_position":42,"apply_version":2,"column_families":{"meta":")" + std::string(64, 'c') +
                       R"(","timeline":")" + std::string(64, 'b') + R"("},"digest":")" + std::string(64, 'a') +
                       "\"}\n");
  EXPECT_EQ(err(), "");
}

TEST_F(DigestCommandTest, TakesNoArguments) {
  EXPECT_EQ(Run(RunDigest, {"extra"}), kExitUsage);
  EXPECT_TRUE(hub_.requests.empty());
  EXPECT_NE(err().find("omnihubctl digest"), std::string::npos) << err();
}

}  // namespace
}  // namespace omnihub::ctl
