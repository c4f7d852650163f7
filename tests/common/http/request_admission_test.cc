// RequestAdmission: served or refused is decided with the count, so a drain waits for every
// request it lets through, also when requests begin on other threads as the drain begins.
#include "common/http/request_admission.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace omnihub::http::internal {
namespace {

TEST(RequestAdmissionTest, RequestsBegunBeforeTheDrainAreServedAfterAreRefusedAllAreCounted) {
  RequestAdmission admission;
  EXPECT_FALSE(admission.draining());
  EXPECT_TRUE(admission.Enter());
  EXPECT_EQ(admission.in_flight(), 1u);
  EXPECT_TRUE(admission.BeginDrain());
  EXPECT_FALSE(admission.BeginDrain());  // once
  EXPECT_TRUE(admission.draining());
  EXPECT_FALSE(admission.Enter());
  EXPECT_EQ(admission.in_flight(), 2u);  // the refusal is written too
  admission.Leave();
  admission.Leave();
  EXPECT_EQ(admission.in_flight(), 0u);
  EXPECT_TRUE(admission.draining());
}

TEST(RequestAdmissionTest, SlotCountsOneRequestAtATimeAndReleasesWhenItGoes) {
  RequestAdmission admission;
  {
    AdmissionSlot slot(admission);
    EXPECT_TRUE(slot.Take());
    EXPECT_TRUE(slot.Take());  // the same request: counted once
    EXPECT_EQ(admission.in_flight(), 1u);
    slot.Release();
    slot.Release();
    EXPECT_EQ(admission.in_flight(), 0u);
    EXPECT_TRUE(slot.Take());
    admission.BeginDrain();
    EXPECT_TRUE(slot.Take());  // decided when counted, before the drain
    slot.Release();
    EXPECT_FALSE(slot.Take());
  }
  EXPECT_EQ(admission.in_flight(), 0u);  // released by the slot's end
}

// Threads keep beginning requests while the drain begins: every request served was counted
// by the time BeginDrain returned, so a drain that waits for in_flight() waits for it.
TEST(RequestAdmissionTest, EveryRequestServedIsCountedWhenTheDrainBegins) {
  for (int round = 0; round < 200; ++round) {
    RequestAdmission admission;
    std::atomic<bool> go{false};
    std::atomic<size_t> served{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t) {
      threads.emplace_back([&] {
        while (!go.load()) std::this_thread::yield();
        for (int i = 0; i < 200; ++i) {
          if (admission.Enter()) served.fetch_add(1);  // never left: all stay in flight
        }
      });
    }
    go.store(true);
    std::this_thread::yield();
    admission.BeginDrain();
    const size_t counted_at_drain = admission.in_flight();
    for (auto& thread : threads) thread.join();
    EXPECT_LE(served.load(), counted_at_drain) << "round " << round;
    EXPECT_EQ(admission.in_flight(), 600u);
  }
}

}  // namespace
}  // namespace omnihub::http::internal
