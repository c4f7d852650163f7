// How JetStream's STREAM.MSG.GET replies are read: a message with base64 headers and data,
// one without headers, "no message found", other errors, and replies that do not parse; and
// header lookup in a NATS header block.
#include "common/bus/nats/stored_message.h"

#include <gtest/gtest.h>

#include <string>

namespace omnihub::bus::nats {
namespace {

TEST(StoredMessageTest, ReadsBase64HeadersAndData) {
  // "NATS/1.0\r\nNats-Expected-Stream: OMNI_P00\r\nNats-Msg-Id: email-1/0/7\r\n\r\n", and "x".
  const std::string hdrs =
      "TkFUUy8xLjANCk5hdHMtRXhwZWN0ZWQtU3RyZWFtOiBPTU5JX1AwMA0KTmF0cy1Nc2ctSWQ6IGVtYWlsLTEvMC83DQoNCg==";
  auto message = ParseMessageGetReply(R"({"type":"io.nats.jetstream.api.v1.stream_msg_get_response","message":)"
                                      R"({"subject":"omni.p.0","seq":7,"hdrs":")" +
                                      hdrs + R"(","data":"eA==","time":"2026-12-05T04:00:00Z"}})");
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_TRUE(message->has_value());
  EXPECT_EQ(HeaderValue((*message)->headers, "Nats-Msg-Id"), "email-1/0/7");
  EXPECT_EQ(HeaderValue((*message)->headers, "Nats-Expected-Stream"), "OMNI_P00");
  EXPECT_EQ(HeaderValue((*message)->headers, "nats-msg-id"), "") << "names match exactly";
  EXPECT_EQ((*message)->data, "x");

  auto no_headers = ParseMessageGetReply(R"({"message":{"subject":"omni.p.0","seq":8,"data":"eA=="}})");
  ASSERT_TRUE(no_headers.ok());
  ASSERT_TRUE(no_headers->has_value());
  EXPECT_EQ((*no_headers)->headers, "");
  EXPECT_EQ(HeaderValue((*no_headers)->headers, "Nats-Msg-Id"), "");
}

TEST(StoredMessageTest, NoMessageFoundIsNothingAndOtherErrorsSayWhat) {
  auto gone = ParseMessageGetReply(R"({"error":{"code":404,"err_code":10037,"description":"no message found"}})");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());

  auto no_stream = ParseMessageGetReply(R"({"error":{"code":404,"err_code":10059,"description":"stream not found"}})");
  ASSERT_FALSE(no_stream.ok());
  EXPECT_EQ(no_stream.status().code(), base::StatusCode::kNotFound);

  auto busy = ParseMessageGetReply(
      R"({"error":{"code":503,"err_code":10008,"description":"JetStream system temporarily unavailable"}})");
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.status().code(), base::StatusCode::kUnavailable);
  EXPECT_NE(busy.status().message().find("temporarily unavailable"), std::string::npos);

  for (const char* bad : {"", "not json", "[]", R"({"message":3})", R"({"message":{"hdrs":"@@@"}})",
                          R"({"message":{"data":7}})", R"({"error":{"err_code":"x"}})"}) {
    EXPECT_FALSE(ParseMessageGetReply(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace omnihub::bus::nats
