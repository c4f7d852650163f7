// A QueryTransport for unit tests of the hub's clients (omnihubctl, omnihub-api): answers
// each Call with the next canned response (or error), in order, and records every request with
// its timeout. A call with nothing left to answer is a test failure.
//
// Thread-safety: one call at a time (a test waits for each answer before it looks at
// `requests`); calls may come from another thread than the test's.
#pragma once

#include <chrono>
#include <deque>
#include <vector>

#include <gtest/gtest.h>

#include "common/bus/query_transport.h"

namespace omnihub::testing {

class FakeQueryTransport final : public bus::QueryTransport {
 public:
  void Answer(v1::QueryResponse response) { answers_.emplace_back(std::move(response)); }
  void Fail(base::Status status) { answers_.emplace_back(std::move(status)); }

  base::Result<v1::QueryResponse> Call(const v1::QueryRequest& request, std::chrono::milliseconds timeout) override {
    requests.push_back(request);
    timeouts.push_back(timeout);
    if (answers_.empty()) {
      ADD_FAILURE() << "unexpected request: " << request.ShortDebugString();
      return base::Status::Unavailable("the fake hub has no answer left");
    }
    auto answer = std::move(answers_.front());
    answers_.pop_front();
    return answer;
  }

  size_t unanswered() const { return answers_.size(); }

  std::vector<v1::QueryRequest> requests;
  std::vector<std::chrono::milliseconds> timeouts;

 private:
  std::deque<base::Result<v1::QueryResponse>> answers_;
};

}  // namespace omnihub::testing
