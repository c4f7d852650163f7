// The write's answer by the read-your-writes rule (core/write_position.h): one host unchanged,
// cluster mode with the token in the header and the body, 202 without one; and the token as
// readers parse it back.
#include "services/api/core/write_position.h"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "common/bus/cluster_config.h"
#include "common/config/config.h"

namespace omnihub::api {
namespace {

std::string Header(const http::HttpResponse& r, std::string_view name) {
  auto v = http::FindHttpHeader(r.headers, name);
  return v ? std::string(*v) : std::string();
}

TEST(WritePositionTest, OneHostAnswersAsBeforeWithNoToken) {
  const http::HttpResponse r = WriteResponse(201, {{"event_id", "e"}}, WritePositions{}.Await(std::vector<uint64_t>{1}));
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(nlohmann::json::parse(r.body), (nlohmann::json{{"event_id", "e"}}));
  EXPECT_FALSE(http::FindHttpHeader(r.headers, kWritePositionHeader).has_value());
}

TEST(WritePositionTest, AKnownPositionIsInTheHeaderAndTheBody) {
  const http::HttpResponse r = WriteResponse(201, {{"event_id", "e"}}, {.logged = true, .position = {{1, 1042}}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(Header(r, "Omni-Position"), "1:1042");
  EXPECT_EQ(nlohmann::json::parse(r.body)["position"], "1:1042");
  // What a client passes back as Omni-Min-Position reads as the same position.
  auto parsed = bus::ParseReadPosition(Header(r, "Omni-Position"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->partition, 1u);
  EXPECT_EQ(parsed->position, 1042u);
}

TEST(WritePositionTest, ABodyThatIsNoObjectGetsTheHeaderOnly) {
  const http::HttpResponse r = WriteResponse(200, nlohmann::json::array({1, 2}), {.logged = true, .position = {{0, 7}}});
  EXPECT_EQ(Header(r, "Omni-Position"), "0:7");
  EXPECT_EQ(nlohmann::json::parse(r.body), nlohmann::json::array({1, 2}));
}

TEST(WritePositionTest, AnUnknownPositionInClusterModeIs202WithoutAToken) {
  const http::HttpResponse r = WriteResponse(201, {{"event_id", "e"}}, {.logged = true, .position = std::nullopt});
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(nlohmann::json::parse(r.body), (nlohmann::json{{"event_id", "e"}}));
  EXPECT_FALSE(http::FindHttpHeader(r.headers, kWritePositionHeader).has_value());
}

TEST(WritePositionTest, ClusterModeWaitsThePublishTimeoutForTheLog) {
  static const config::Section* const kSections[] = {&bus::ClusterConfigSection()};
  auto config = config::ParseConfig("[cluster]\nenabled = true\nnats_urls = [\"nats://127.0.0.1:4222\"]\n"
                                    "publish_timeout_ms = 1500\n",
                                    "test", kSections);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  bus::AppendedPositions positions;
  const WritePositions writes = WritePositions::FromConfig(*config, &positions);
  EXPECT_EQ(writes.wait, std::chrono::milliseconds(1500));
  EXPECT_EQ(WritePositions::FromConfig(*config, nullptr).positions, nullptr);

  positions.Record(4, {0, 99});
  const WrittenPosition written = writes.Await(std::vector<uint64_t>{4});
  EXPECT_TRUE(written.logged);
  ASSERT_TRUE(written.position.has_value());
  EXPECT_EQ(bus::FormatReadPosition(*written.position), "0:99");
}

}  // namespace
}  // namespace omnihub::api
