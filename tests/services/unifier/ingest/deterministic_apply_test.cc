// Deterministic apply (docs/storage-format.md, "Deterministic apply"): one recorded log - events
// from every channel, platform links and a platform merge, agent links, an unlink, a merge and
// its split, notes, a delivery status, an edit, a provider retry, dead letters, an erasure and
// the erased person writing again - applied to fresh stores in batches of 1, 7 and 2000 gives
// the same digest of every column family; so does the store reopened; and one changed event
// gives another. The wall clock of each run is different on purpose: apply must not read it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/base/uuid.h"
#include "common/event/identity.h"
#include "omnihub/v1/command.pb.h"
#include "services/unifier/identity/customer_ids.h"
#include "services/unifier/store/state_digest.h"
#include "services/unifier/store/store_layout.h"
#include "tests/services/unifier/recorded_log.h"
#include "tests/services/unifier/unifier_test_util.h"

namespace omnihub::unifier {
namespace {

using testing::Email;
using testing::Phone;
using testing::UnifierHarness;

using testing::kSecret;
using testing::kT0;
using testing::LogBuilder;

class DeterministicApplyTest : public ::testing::Test {
 protected:
  // Applies `frames` to a fresh store in batches of `batch`, with a wall clock of its own.
  std::unique_ptr<UnifierHarness> Apply(const std::vector<std::string>& frames, size_t batch, int64_t clock_offset_us) {
    auto h = std::make_unique<UnifierHarness>(nullptr, kSecret);
    h->clock().Advance(clock_offset_us);
    for (size_t begin = 0; begin < frames.size(); begin += batch) {
      const size_t end = std::min(frames.size(), begin + batch);
      h->Process(std::vector<std::string>(frames.begin() + static_cast<std::ptrdiff_t>(begin),
                                          frames.begin() + static_cast<std::ptrdiff_t>(end)));
      h->clock().Advance(1'234'567);
    }
    return h;
  }

  static StateDigest Digest(UnifierHarness& h) {
    auto digest = ComputeStateDigest(h.store());
    EXPECT_TRUE(digest.ok()) << digest.status().ToString();
    return digest.ok() ? *digest : StateDigest{};
  }

  event::IdentityNormalizer normalizer_{"US"};
};

TEST_F(DeterministicApplyTest, BatchesOfOneSevenAndTwoThousandGiveTheSameDigest) {
  const LogBuilder log = testing::RecordedLog(normalizer_);
  auto one = Apply(log.frames, 1, 0);
  auto seven = Apply(log.frames, 7, 86'400'000'000);
  auto all = Apply(log.frames, 2000, 7 * 86'400'000'000);

  // The log did what it says: every command applied, every kind of record written.
  for (const std::string& id : log.command_ids) {
    auto raw = all->store().GetRaw(all->store().command_results(), id);
    ASSERT_TRUE(raw.ok() && raw->has_value());
    v1::CommandResult result;
    ASSERT_TRUE(DecodeValue(**raw, &result).ok());
    EXPECT_TRUE(result.applied()) << result.error_message();
  }
  const StoreCounters& c = all->processor().counters();
  EXPECT_EQ(c.dead_letters, 2u);
  EXPECT_EQ(c.statuses, 1u);
  EXPECT_EQ(c.duplicates, 2u);  // the SMS retry and the erased message's retry

  const StateDigest d1 = Digest(*one);
  const StateDigest d7 = Digest(*seven);
  const StateDigest d2000 = Digest(*all);
  EXPECT_EQ(d1.column_families, d7.column_families);
  EXPECT_EQ(d1.column_families, d2000.column_families);
  EXPECT_EQ(d1.digest, d7.digest);
  EXPECT_EQ(d1.digest, d2000.digest);
  EXPECT_EQ(d1.digest.size(), 64u);
  EXPECT_EQ(d1.applied_position, c.last_change_seq);
  EXPECT_EQ(d1.apply_version, kApplyVersion);
  // Every column family the log writes holds something (an empty one hashes to SHA-256("")).
  const std::string empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  for (const char* cf : {kCfTimeline, kCfCustomers, kCfIdentities, kCfMerges, kCfSuggestions, kCfCommandResults,
                         kCfErasures, kCfErasedKeys, kCfStatuses, kCfDeadLetters, kCfChangeLog}) {
    EXPECT_NE(d1.column_families.at(cf), empty) << cf;
  }
}

TEST_F(DeterministicApplyTest, CustomerIdsDeriveFromTheFirstIdentityAndTimesFromTheLog) {
  const LogBuilder log = testing::RecordedLog(normalizer_);
  auto h = Apply(log.frames, 7, 0);
  const std::string key = event::IdentityKey(*normalizer_.Normalize(Email("jane@example.com")));
  auto identity = h->store().GetIdentity(key);
  ASSERT_TRUE(identity.ok() && identity->has_value());
  EXPECT_EQ((*identity)->customer_id(), DerivedCustomerId(TenantOfDerivedIds(), key));
  auto customer = h->store().GetCustomer((*identity)->customer_id());
  ASSERT_TRUE(customer.ok() && customer->has_value());
  EXPECT_EQ((*customer)->created_at_us(), kT0 + 1'000'000);  // the first event's received_at
  EXPECT_EQ((*identity)->reason().linked_at_us(), kT0 + 1'000'000);

  // The erased Messenger customer's identity came back under another derived id.
  const std::string messenger = event::IdentityKey(*normalizer_.Platform("messenger", "page-1", "psid-1"));
  auto back = h->store().GetIdentity(messenger);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_NE((*back)->customer_id(), DerivedCustomerId(TenantOfDerivedIds(), messenger));
  auto erased = h->store().GetCustomer(DerivedCustomerId(TenantOfDerivedIds(), messenger));
  ASSERT_TRUE(erased.ok());
  EXPECT_FALSE(erased->has_value());
}

TEST_F(DeterministicApplyTest, TheDigestSurvivesAReopenAndTellsADifferentLogApart) {
  const LogBuilder log = testing::RecordedLog(normalizer_);
  auto h = Apply(log.frames, 7, 0);
  const StateDigest before = Digest(*h);
  h->Reopen();
  EXPECT_EQ(Digest(*h).digest, before.digest);

  auto other = Apply(testing::RecordedLog(normalizer_, /*variant=*/true).frames, 7, 0);
  const StateDigest changed = Digest(*other);
  EXPECT_NE(changed.digest, before.digest);
  EXPECT_NE(changed.column_families.at(kCfTimeline), before.column_families.at(kCfTimeline));
  EXPECT_EQ(changed.column_families.at(kCfCustomers), before.column_families.at(kCfCustomers));
}

TEST_F(DeterministicApplyTest, LeavesOutOnlyWhatIsPerReplica) {
  EXPECT_TRUE(IsPerReplicaKey(kCfMeta, kMetaWrittenBy));
  EXPECT_TRUE(IsPerReplicaKey(kCfMeta, kMetaErasureSecret));
  EXPECT_FALSE(IsPerReplicaKey(kCfMeta, kMetaApplyVersion));
  EXPECT_FALSE(IsPerReplicaKey(kCfMeta, HighWaterKey("adapter")));
  EXPECT_FALSE(IsPerReplicaKey(kCfTimeline, kMetaWrittenBy));

  // Two stores with different erasure secrets that erased nothing agree.
  UnifierHarness a(nullptr, kSecret);
  UnifierHarness b;
  const std::vector<std::string> frames = {UnifierHarness::Frame(
      "adapter", 1, a.MakeEvent(v1::SMS, "SM1", Phone("+14155550100"), kT0))};
  a.Process(frames);
  b.Process(frames);
  EXPECT_EQ(Digest(a).digest, Digest(b).digest);
}

}  // namespace
}  // namespace omnihub::unifier
