// The error of a JetStream API reply, as the servers write it, and what it becomes.
#include <gtest/gtest.h>

#include "common/bus/nats/jetstream_api_error.h"

namespace omnihub::bus::nats {
namespace {

nlohmann::json Json(const char* text) { return nlohmann::json::parse(text); }

TEST(JetStreamApiErrorTest, ReadsCodeAndDescription) {
  auto error = JetStreamApiErrorOf(Json(R"({"type":"io.nats.jetstream.api.v1.stream_info_response",
      "error":{"code":503,"err_code":10008,"description":"JetStream system temporarily unavailable"}})"));
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, 10008);
  EXPECT_EQ(error->description, "JetStream system temporarily unavailable (code 10008)");
  const base::Status s = JetStreamApiErrorStatus(*error, "read key-value bucket B");
  EXPECT_EQ(s.code(), base::StatusCode::kUnavailable);
  EXPECT_EQ(s.message(),
            "read key-value bucket B: JetStream refused: JetStream system temporarily unavailable (code 10008)");
}

TEST(JetStreamApiErrorTest, AMissingStreamIsNotFound) {
  auto error = JetStreamApiErrorOf(Json(R"({"error":{"code":404,"err_code":10059,"description":"stream not found"}})"));
  ASSERT_TRUE(error.has_value());
  const base::Status s = JetStreamApiErrorStatus(*error, "");
  EXPECT_EQ(s.code(), base::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no such stream: stream not found (code 10059)");
}

TEST(JetStreamApiErrorTest, AnswersWithoutAnErrorOrWithAnOddOne) {
  EXPECT_FALSE(JetStreamApiErrorOf(Json(R"({"config":{},"state":{"messages":3}})")).has_value());
  auto bare = JetStreamApiErrorOf(Json(R"({"error":{}})"));
  ASSERT_TRUE(bare.has_value());
  EXPECT_EQ(bare->code, 0);
  EXPECT_EQ(bare->description, "no description (code 0)");
  auto text = JetStreamApiErrorOf(Json(R"({"error":"bad request"})"));
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->description, "\"bad request\"");
  EXPECT_EQ(JetStreamApiErrorStatus(*text, "w").code(), base::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace omnihub::bus::nats
