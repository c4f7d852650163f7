// The relationship metrics consumer over a real store (RocksDB, fed through BatchProcessor)
// and a real metrics database in a temp dir: messages on several channels become episodes, a
// deletion takes its message out, a merge joins two customers' episodes and a split
// separates them again, an erasure drops a customer; the database is the same byte for byte
// whatever the stretch size, after a kill and resume, after live ingest between stretches,
// and after a rebuild from the change log.
#include "services/unifier/metrics/metrics_consumer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>

#include "services/unifier/metrics/metrics_service.h"
#include "tests/services/unifier/graph/graph_test_util.h"

namespace omnihub::unifier::metrics {
namespace {

namespace fs = std::filesystem;
using testing::Email;
using testing::GraphHarness;
using testing::Phone;

constexpr int64_t kT0 = 1'750'000'000'000'000;
constexpr int64_t kMinute = 60'000'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

const v1::Identity kAna = Phone("+14155550101");
const v1::Identity kBob = Phone("+14155550102");
const v1::Identity kAnaMail = Email("ana@example.com");

struct CustomerEpisode {
  std::string customer_id;
  Episode episode;
};

class MetricsConsumerTest : public ::testing::Test {
 protected:
  MetricsConsumerTest() { dir_ = store().db()->GetName() + "-metrics"; }

  Store& store() { return g_.harness().store(); }

  // Stretches of `stretch` changes; growing up to `max_stretch` while the log has more (0:
  // they do not grow).
  std::unique_ptr<MetricsService> Open(size_t stretch = 2000, const std::string& dir = "", size_t max_stretch = 0) {
    MetricsServiceOptions options;
    options.dir = dir.empty() ? dir_ : dir;
    options.changes_per_stretch = stretch;
    options.max_changes_per_stretch = max_stretch;
    auto opened = MetricsService::Open(store(), options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(*opened) : nullptr;
  }
  // Opens (or reopens) the service and applies the whole log.
  MetricsService& CatchUp(size_t stretch = 2000) {
    if (service_ == nullptr) service_ = Open(stretch);
    auto seq = service_->CatchUp();
    EXPECT_TRUE(seq.ok()) << seq.status().ToString();
    EXPECT_EQ(*seq, store().ReadCounters()->last_change_seq);
    return *service_;
  }

  // A message of the customer with `who` at `at`; committed.
  v1::Event Message(v1::Channel channel, const v1::Identity& who, int64_t at, bool inbound) {
    v1::Event e = g_.harness().MakeEvent(channel, "m" + std::to_string(++provider_ids_), who, at);
    if (!inbound) {
      e.set_direction(v1::OUTBOUND);
      e.clear_sender();
      *e.add_recipients() = who;
    }
    return e;
  }
  v1::Event Send(v1::Event e) {
    g_.Commit(e);
    return e;
  }
  v1::Event In(v1::Channel channel, const v1::Identity& who, int64_t at) { return Send(Message(channel, who, at, true)); }
  v1::Event Out(v1::Channel channel, const v1::Identity& who, int64_t at) {
    return Send(Message(channel, who, at, false));
  }
  void Delete(const v1::Event& message, const v1::Identity& who, int64_t at) {
    v1::Event d = g_.harness().MakeEvent(message.channel(), "d" + std::to_string(++provider_ids_), who, at);
    d.set_kind(v1::DELETE);
    d.set_text("");
    d.set_refers_to_provider_message_id(message.provider_message_id());
    g_.Commit(d);
  }
  v1::CommandResult Erase(const v1::Identity& who) {
    v1::Command c = g_.NewCommand("customer asked (art. 17)");
    *c.mutable_erase()->mutable_customer()->mutable_identity() = who;
    return g_.Apply(c);
  }

  std::vector<CustomerEpisode> AllEpisodes(EpisodeSource& source) {
    std::vector<CustomerEpisode> out;
    auto s = source.ForEachEpisode(INT64_MIN, INT64_MAX, [&](std::string_view customer_id, const Episode& e) {
      out.push_back({std::string(customer_id), e});
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }
  std::vector<Episode> EpisodesOf(const std::string& customer_id) {
    std::vector<Episode> out;
    for (auto& ce : AllEpisodes(service_->database())) {
      if (ce.customer_id == customer_id) out.push_back(ce.episode);
    }
    return out;
  }
  std::string Digest(MetricsService& service) {
    auto digest = service.database().ContentDigest();
    EXPECT_TRUE(digest.ok()) << digest.status().ToString();
    return digest.ok() ? *digest : "";
  }

  GraphHarness g_;
  std::string dir_;
  std::unique_ptr<MetricsService> service_;
  int provider_ids_ = 0;
};

TEST_F(MetricsConsumerTest, MessagesOnSeveralChannelsBecomeEpisodes) {
  In(v1::SMS, kAna, kT0);
  v1::Event note = Message(v1::NOTE, kAna, kT0 + 10 * kMinute, false);
  Send(note);  // an internal note is no reply
  v1::Event auto_reply = Message(v1::WHATSAPP, kAna, kT0 + 20 * kMinute, false);
  auto_reply.add_flags("auto-reply");
  Send(auto_reply);
  Out(v1::WHATSAPP, kAna, kT0 + kHour);
  In(v1::WHATSAPP, kAna, kT0 + 2 * kHour);  // a follow-up on another channel
  Out(v1::SMS, kAna, kT0 + 3 * kHour);
  In(v1::SMS, kAna, kT0 + 20 * kDay);  // after quiet_hours and the resolution window: a new episode

  MetricsService& m = CatchUp();
  const std::string ana = g_.CustomerId(kAna);
  auto episodes = EpisodesOf(ana);
  ASSERT_EQ(episodes.size(), 2u);
  const Episode& first = episodes[0];
  EXPECT_EQ(first.opened_at_us, kT0);
  EXPECT_EQ(first.channel, v1::SMS);
  EXPECT_EQ(first.account, "acct");
  EXPECT_EQ(first.replies, 2u);
  EXPECT_EQ(first.first_response_us, kHour);
  EXPECT_EQ(first.reply_channel, v1::WHATSAPP);
  EXPECT_EQ(first.last_reply_at_us, kT0 + 3 * kHour);
  EXPECT_TRUE(first.follow_up);
  EXPECT_EQ(first.channel_switches, 1u);
  EXPECT_TRUE(first.superseded);
  EXPECT_EQ(episodes[1].opened_at_us, kT0 + 20 * kDay);
  EXPECT_EQ(episodes[1].replies, 0u);
  EXPECT_EQ(m.database().as_of_us(), kT0 + 20 * kDay);
  EXPECT_EQ(m.applied_change_seq(), store().ReadCounters()->last_change_seq);

  // Only the range asked for is read.
  int in_range = 0;
  ASSERT_TRUE(m.database()
                  .ForEachEpisode(kT0 + kDay, kT0 + 21 * kDay, [&](std::string_view, const Episode&) { ++in_range; })
                  .ok());
  EXPECT_EQ(in_range, 1);

  std::vector<CustomerSummary> customers;
  ASSERT_TRUE(m.database().ForEachCustomer([&](const CustomerSummary& c) { customers.push_back(c); }).ok());
  ASSERT_EQ(customers.size(), 1u);
  EXPECT_EQ(customers[0].customer_id, ana);
  ASSERT_EQ(customers[0].openings.size(), 2u);
  EXPECT_EQ(customers[0].openings[1].at_us, kT0 + 20 * kDay);
}

// The database's source without its own ForEachCustomerOf: the report's default, which
// filters every customer, against which the database's point reads are checked.
class EveryCustomerSource final : public EpisodeSource {
 public:
  explicit EveryCustomerSource(EpisodeSource& inner) : inner_(inner) {}
  base::Status ForEachEpisode(int64_t since_us, int64_t until_us,
                              const std::function<void(std::string_view, const Episode&)>& fn) override {
    return inner_.ForEachEpisode(since_us, until_us, fn);
  }
  base::Status ForEachCustomer(const std::function<void(const CustomerSummary&)>& fn) override {
    return inner_.ForEachCustomer(fn);
  }
  int64_t as_of_us() const override { return inner_.as_of_us(); }
  uint64_t applied_change_seq() const override { return inner_.applied_change_seq(); }

 private:
  EpisodeSource& inner_;
};

TEST_F(MetricsConsumerTest, TheHeadlineReadsOnlyItsWindowsCustomersAndCountsThemAsAFullScanWould) {
  // Bob: one episode long before the 30-day window. Ana: one before it and one in it
  // (returning). The mail identity's customer: one episode in the window (not returning).
  In(v1::SMS, kBob, kT0);
  In(v1::SMS, kAna, kT0);
  Out(v1::SMS, kAna, kT0 + kHour);
  In(v1::SMS, kAna, kT0 + 100 * kDay);
  Out(v1::SMS, kAna, kT0 + 100 * kDay + 2 * kHour);
  In(v1::EMAIL, kAnaMail, kT0 + 110 * kDay);
  MetricsService& m = CatchUp();

  std::vector<std::string> read;
  const std::vector<std::string> asked = {g_.CustomerId(kAna), g_.CustomerId(kAnaMail), "no-such-customer"};
  const auto collect = [&](const CustomerSummary& c) { read.push_back(c.customer_id); };
  ASSERT_TRUE(m.database().ForEachCustomerOf(asked, collect).ok());
  std::sort(read.begin(), read.end());
  std::vector<std::string> expected = {g_.CustomerId(kAna), g_.CustomerId(kAnaMail)};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(read, expected);

  auto headline = m.Headline();
  ASSERT_TRUE(headline.ok()) << headline.status().ToString();
  ASSERT_TRUE(headline->returning_share.has_value());
  EXPECT_DOUBLE_EQ(*headline->returning_share, 0.5);
  EveryCustomerSource scanning(m.database());
  auto scanned = BuildHeadline(scanning, m.settings());
  ASSERT_TRUE(scanned.ok()) << scanned.status().ToString();
  EXPECT_EQ(scanned->returning_share, headline->returning_share);
  EXPECT_EQ(scanned->first_response_p50_s, headline->first_response_p50_s);
  EXPECT_EQ(scanned->first_contact_resolution_share, headline->first_contact_resolution_share);

  // Asked again at the same applied sequence, the same figures; a new change is seen.
  EXPECT_EQ(m.Headline()->returning_share, headline->returning_share);
  In(v1::SMS, kBob, kT0 + 111 * kDay);
  CatchUp();
  auto after = m.Headline();
  ASSERT_TRUE(after.ok());
  EXPECT_DOUBLE_EQ(*after->returning_share, 2.0 / 3.0);
}

TEST_F(MetricsConsumerTest, ALateEventJoinsItsEpisodeAndAReferralIsKept) {
  v1::Event first = Message(v1::WHATSAPP, kAna, kT0, true);
  (*first.mutable_provider_fields())["referral"] = "{\"source_type\":\"ad\"}";
  Send(first);
  Out(v1::WHATSAPP, kAna, kT0 + 2 * kHour);
  CatchUp();
  const std::string ana = g_.CustomerId(kAna);
  ASSERT_EQ(EpisodesOf(ana).size(), 1u);
  EXPECT_EQ(EpisodesOf(ana)[0].first_response_us, 2 * kHour);

  Out(v1::SMS, kAna, kT0 + 30 * kMinute);  // an earlier answer that arrives late
  CatchUp();
  auto episodes = EpisodesOf(ana);
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].first_response_us, 30 * kMinute);
  EXPECT_EQ(episodes[0].reply_channel, v1::SMS);
  EXPECT_EQ(episodes[0].replies, 2u);
  bool referred = false;
  ASSERT_TRUE(service_->database().ForEachCustomer([&](const CustomerSummary& c) { referred = c.referred; }).ok());
  EXPECT_TRUE(referred);
}

TEST_F(MetricsConsumerTest, ADeletedMessageNoLongerCounts) {
  In(v1::TELEGRAM, kAna, kT0);
  v1::Event second = In(v1::TELEGRAM, kAna, kT0 + 2 * kDay);
  MetricsService& m = CatchUp();
  const std::string ana = g_.CustomerId(kAna);
  ASSERT_EQ(EpisodesOf(ana).size(), 2u);
  EXPECT_EQ(m.database().as_of_us(), kT0 + 2 * kDay);

  Delete(second, kAna, kT0 + 3 * kDay);
  CatchUp();
  auto episodes = EpisodesOf(ana);
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_FALSE(episodes[0].superseded);
  EXPECT_EQ(m.database().as_of_us(), kT0);  // the deleted message was the latest
}

// A stretch writes only the episodes from its earliest change on (MetricsWrites::CustomerWrite);
// after each kind of change, the database equals one rebuilt from the log in one stretch, where
// every episode is written afresh.
TEST_F(MetricsConsumerTest, EpisodesPatchedFromTheEarliestChangeEqualARebuild) {
  std::vector<v1::Event> opening;
  for (int i = 0; i < 5; ++i) {
    opening.push_back(In(v1::SMS, kAna, kT0 + i * 10 * kDay));
    Out(v1::SMS, kAna, kT0 + i * 10 * kDay + kHour);
  }
  In(v1::EMAIL, kBob, kT0);
  CatchUp(1);
  const std::string ana = g_.CustomerId(kAna);
  ASSERT_EQ(EpisodesOf(ana).size(), 5u);
  int rebuilds = 0;
  auto expect_as_rebuilt = [&](const char* what, size_t episodes) {
    SCOPED_TRACE(what);
    CatchUp(1);
    EXPECT_EQ(EpisodesOf(ana).size(), episodes);
    auto rebuilt = Open(2000, dir_ + "-rebuilt" + std::to_string(++rebuilds));
    ASSERT_TRUE(rebuilt->CatchUp().ok());
    EXPECT_EQ(Digest(*rebuilt), Digest(*service_));
  };
  In(v1::WHATSAPP, kAna, kT0 + 40 * kDay + 2 * kHour);  // a follow-up of the last episode
  expect_as_rebuilt("appended to the last episode", 5);
  In(v1::SMS, kAna, kT0 + 45 * kDay);  // a new last episode
  expect_as_rebuilt("a new last episode", 6);
  In(v1::SMS, kAna, kT0 + 18 * kDay);  // late: a new episode in the middle moves the later ones' indexes
  expect_as_rebuilt("a late episode in the middle", 7);
  In(v1::SMS, kAna, kT0 + 10 * kDay + 2 * kHour);  // late: a follow-up in the middle
  expect_as_rebuilt("a late follow-up in the middle", 7);
  Delete(opening[0], kAna, kT0 + 50 * kDay);  // the first episode loses its opening message
  expect_as_rebuilt("the first opening deleted", 6);
  Delete(opening[4], kAna, kT0 + 50 * kDay);  // its reply becomes proactive, its follow-up opens it
  expect_as_rebuilt("a later opening deleted", 6);
  EXPECT_EQ(EpisodesOf(g_.CustomerId(kBob)).size(), 1u);
}

TEST_F(MetricsConsumerTest, AMergeJoinsTwoCustomersEpisodesAndASplitSeparatesThem) {
  In(v1::SMS, kAna, kT0);
  In(v1::EMAIL, kAnaMail, kT0 + kHour);
  Out(v1::EMAIL, kAnaMail, kT0 + 2 * kHour);
  CatchUp();
  const std::string phone = g_.CustomerId(kAna);
  const std::string mail = g_.CustomerId(kAnaMail);
  ASSERT_NE(phone, mail);
  ASSERT_EQ(EpisodesOf(phone).size(), 1u);
  ASSERT_EQ(EpisodesOf(mail).size(), 1u);
  EXPECT_EQ(EpisodesOf(phone)[0].replies, 0u);
  const std::string before_merge = Digest(*service_);

  const v1::CommandResult merged = g_.Merge(phone, mail);
  ASSERT_TRUE(merged.applied()) << merged.error_message();
  CatchUp();
  ASSERT_TRUE(EpisodesOf(mail).empty());  // absorbed: its episodes went with its identities
  auto joined = EpisodesOf(phone);
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].opened_at_us, kT0);
  EXPECT_EQ(joined[0].channel, v1::SMS);
  EXPECT_EQ(joined[0].replies, 1u);
  EXPECT_EQ(joined[0].reply_channel, v1::EMAIL);
  EXPECT_EQ(joined[0].first_response_us, 2 * kHour);
  EXPECT_EQ(joined[0].channel_switches, 1u);

  const v1::CommandResult split = g_.Split(merged.merge_id());
  ASSERT_TRUE(split.applied()) << split.error_message();
  CatchUp();
  ASSERT_EQ(EpisodesOf(phone).size(), 1u);
  ASSERT_EQ(EpisodesOf(mail).size(), 1u);
  EXPECT_EQ(EpisodesOf(phone)[0].replies, 0u);
  EXPECT_EQ(EpisodesOf(mail)[0].replies, 1u);
  // Back where it was before the merge, but for the applied sequence.
  std::unique_ptr<MetricsService> rebuilt = Open(2000, dir_ + "-rebuilt");
  ASSERT_TRUE(rebuilt->CatchUp().ok());
  EXPECT_EQ(Digest(*rebuilt), Digest(*service_));
  EXPECT_NE(before_merge, Digest(*service_));  // the applied sequence moved
}

TEST_F(MetricsConsumerTest, AnIdentityIsCountedForOneCustomerAtEveryAppliedSequence) {
  In(v1::SMS, kAna, kT0);
  In(v1::EMAIL, kAnaMail, kT0 + 3 * kDay);
  CatchUp();
  const std::string phone = g_.CustomerId(kAna);
  const std::string mail = g_.CustomerId(kAnaMail);
  ASSERT_EQ(EpisodesOf(phone).size(), 1u);

  // The store moves ahead of the metrics: a message of the mail customer, then the phone
  // identity linked to it (moving with its messages).
  In(v1::EMAIL, kAnaMail, kT0 + 4 * kDay);
  ASSERT_TRUE(g_.Link(GraphHarness::ById(mail), kAna).applied());
  // Only the message's change applied: the mail customer, read as the store has it now,
  // holds the phone identity, and the phone customer gives it up in the same stretch.
  service_.reset();
  auto counters = store().ReadCounters();
  auto db = MetricsStore::Open(dir_, EpisodeSettings{}, counters->last_change_seq);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  EpisodeSettings settings;
  MetricsConsumer consumer(store(), **db, settings);
  ASSERT_TRUE(consumer.ApplyNext(1).ok());
  ASSERT_LT((*db)->applied_change_seq(), counters->last_change_seq);
  std::map<std::string, int> episodes;
  for (const auto& ce : AllEpisodes(**db)) ++episodes[ce.customer_id];
  EXPECT_EQ(episodes.count(phone), 0u);
  EXPECT_EQ(episodes[mail], 3);  // T0 (SMS), T0 + 3 days and T0 + 4 days (mail), none answered
}

TEST_F(MetricsConsumerTest, AnErasureDropsTheCustomer) {
  In(v1::SMS, kAna, kT0);
  Out(v1::SMS, kAna, kT0 + kHour);
  In(v1::SMS, kBob, kT0 + 5 * kDay);
  MetricsService& m = CatchUp();
  const std::string bob = g_.CustomerId(kBob);
  ASSERT_EQ(AllEpisodes(m.database()).size(), 2u);

  ASSERT_TRUE(Erase(kAna).applied());
  CatchUp();
  auto left = AllEpisodes(m.database());
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].customer_id, bob);
  int customers = 0;
  ASSERT_TRUE(m.database().ForEachCustomer([&](const CustomerSummary&) { ++customers; }).ok());
  EXPECT_EQ(customers, 1);
  EXPECT_EQ(m.database().as_of_us(), kT0 + 5 * kDay);
}

// A few months of a few dozen customers on several channels, sent out of order, with merges,
// a split, a deletion and an erasure. Calls `between` after each part.
void Generate(MetricsConsumerTest* t, GraphHarness& g, const std::function<void()>& between,
              const std::function<v1::Event(v1::Channel, const v1::Identity&, int64_t, bool)>& message,
              const std::function<void(const v1::Event&, const v1::Identity&, int64_t)>& del,
              const std::function<v1::CommandResult(const v1::Identity&)>& erase) {
  (void)t;
  std::mt19937 rng(15);
  std::vector<v1::Identity> phones;
  std::vector<v1::Identity> mails;
  for (int i = 0; i < 24; ++i) {
    phones.push_back(Phone("+1415555" + std::to_string(1000 + i)));
    mails.push_back(Email("c" + std::to_string(i) + "@example.com"));
  }
  const v1::Channel phone_channels[] = {v1::SMS, v1::WHATSAPP, v1::TELEGRAM};
  std::vector<std::pair<v1::Event, v1::Identity>> events;
  for (int i = 0; i < 24; ++i) {
    int64_t at = kT0 + static_cast<int64_t>(rng() % 30) * kDay;
    // Each identity writes in first, so that the merges below find both customers.
    g.Commit(message(phone_channels[rng() % 3], phones[i], at, true));
    g.Commit(message(v1::EMAIL, mails[i], at + 5 * kMinute, true));
    at += kHour;
    for (int k = 0; k < 12; ++k) {
      const bool mail = rng() % 3 == 0;
      const v1::Identity& who = mail ? mails[i] : phones[i];
      const v1::Channel channel = mail ? v1::EMAIL : phone_channels[rng() % 3];
      events.push_back({message(channel, who, at, rng() % 2 == 0), who});
      at += static_cast<int64_t>(rng() % 3 == 0 ? rng() % (12 * kDay) : rng() % (6 * kHour));
    }
  }
  std::shuffle(events.begin(), events.end(), rng);  // late events everywhere
  const size_t half = events.size() / 2;
  for (size_t i = 0; i < half; ++i) g.Commit(events[i].first);
  between();
  std::vector<std::string> merge_ids;
  for (int i = 0; i < 6; ++i) {
    auto r = g.Merge(g.CustomerId(phones[i]), g.CustomerId(mails[i]));
    EXPECT_TRUE(r.applied()) << r.error_message();
    merge_ids.push_back(r.merge_id());
  }
  between();
  for (size_t i = half; i < events.size(); ++i) g.Commit(events[i].first);
  EXPECT_TRUE(g.Split(merge_ids[2]).applied());
  del(events[3].first, events[3].second, kT0 + 200 * kDay);
  between();
  EXPECT_TRUE(erase(phones[5]).applied());
  EXPECT_TRUE(g.Merge(g.CustomerId(phones[7]), g.CustomerId(phones[8])).applied());
  between();
}

class MetricsDeterminismTest : public MetricsConsumerTest {
 protected:
  void GenerateWith(const std::function<void()>& between) {
    Generate(
        this, g_, between,
        [&](v1::Channel channel, const v1::Identity& who, int64_t at, bool inbound) {
          return Message(channel, who, at, inbound);
        },
        [&](const v1::Event& m, const v1::Identity& who, int64_t at) { Delete(m, who, at); },
        [&](const v1::Identity& who) { return Erase(who); });
  }
  std::string FreshDigest(size_t stretch, const std::string& name, size_t max_stretch = 0) {
    auto service = Open(stretch, dir_ + "-" + name, max_stretch);
    auto seq = service->CatchUp();
    EXPECT_TRUE(seq.ok()) << seq.status().ToString();
    return Digest(*service);
  }
};

TEST_F(MetricsDeterminismTest, LiveRestartedRebuiltAndEveryStretchSizeGiveTheSameDatabase) {
  // Live: the consumer applies what is there after each part, in stretches of 7.
  GenerateWith([&] { CatchUp(7); });
  const std::string live = Digest(*service_);
  int episodes = static_cast<int>(AllEpisodes(service_->database()).size());
  EXPECT_GT(episodes, 24);

  // The same log, applied afresh in stretches of 1, 7 and 2000.
  EXPECT_EQ(FreshDigest(1, "s1"), live);
  EXPECT_EQ(FreshDigest(7, "s7"), live);
  EXPECT_EQ(FreshDigest(2000, "s2000"), live);
  // And in stretches that grow from 1 while the consumer lags (1, 2, 4, ... 64).
  EXPECT_EQ(FreshDigest(1, "grow", 64), live);

  // Killed mid-stream: a few stretches applied, the process gone (nothing stopped cleanly),
  // then reopened from the recorded sequence.
  const std::string killed_dir = dir_ + "-killed";
  {
    auto counters = store().ReadCounters();
    auto db = MetricsStore::Open(killed_dir, EpisodeSettings{}, counters->last_change_seq);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EpisodeSettings settings;
    MetricsConsumer consumer(store(), **db, settings);
    for (int i = 0; i < 9; ++i) ASSERT_TRUE(consumer.ApplyNext(13).ok());
    EXPECT_EQ((*db)->applied_change_seq(), 9u * 13u);
  }
  {
    auto resumed = Open(2000, killed_dir);
    EXPECT_EQ(resumed->applied_change_seq(), 9u * 13u);
    ASSERT_TRUE(resumed->CatchUp().ok());
    EXPECT_EQ(Digest(*resumed), live);
  }

  // Rebuilt: the directory lost.
  service_.reset();
  fs::remove_all(dir_);
  service_ = Open();
  EXPECT_EQ(service_->applied_change_seq(), 0u);
  ASSERT_TRUE(service_->CatchUp().ok());
  EXPECT_EQ(Digest(*service_), live);
}

TEST(StretchAfterTest, DoublesWhileTheConsumerLagsAndFallsBackWhenItCatchesUp) {
  MetricsServiceOptions options;
  options.changes_per_stretch = 2000;
  options.max_changes_per_stretch = 16000;
  EXPECT_EQ(StretchAfter(2000, 2000, options), 4000u);    // full: the log had more
  EXPECT_EQ(StretchAfter(8000, 8000, options), 16000u);
  EXPECT_EQ(StretchAfter(16000, 16000, options), 16000u);  // not beyond the maximum
  EXPECT_EQ(StretchAfter(16000, 15999, options), 2000u);   // caught up: back to the base
  EXPECT_EQ(StretchAfter(2000, 0, options), 2000u);
  options.max_changes_per_stretch = 0;                      // a maximum below the base: no growth
  EXPECT_EQ(StretchAfter(2000, 2000, options), 2000u);
}

TEST_F(MetricsConsumerTest, ReapplyingAStretchChangesNothing) {
  In(v1::SMS, kAna, kT0);
  Out(v1::SMS, kAna, kT0 + kHour);
  In(v1::SMS, kBob, kT0 + kDay);
  const std::string once = Digest(CatchUp());
  service_.reset();
  // A crash after the stretch's writes but before its sequence cannot happen (one batch), but
  // a resume may start from an older sequence after a restored backup of the database.
  auto counters = store().ReadCounters();
  auto db = MetricsStore::Open(dir_, EpisodeSettings{}, counters->last_change_seq);
  ASSERT_TRUE(db.ok());
  MetricsWrites nothing;
  ASSERT_TRUE((*db)->Commit(nothing, 1).ok());
  EpisodeSettings settings;
  MetricsConsumer consumer(store(), **db, settings);
  ASSERT_TRUE(consumer.ApplyNext(2000).ok());
  auto digest = (*db)->ContentDigest();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, once);
}

TEST_F(MetricsConsumerTest, TheThreadFollowsTheLog) {
  service_ = Open();
  service_->Start();
  In(v1::SMS, kAna, kT0);
  Out(v1::SMS, kAna, kT0 + kHour);
  const uint64_t last = store().ReadCounters()->last_change_seq;
  ASSERT_TRUE(service_->WaitApplied(last, std::chrono::seconds(30)));
  EXPECT_EQ(service_->database().applied_change_seq(), last);
  EXPECT_EQ(EpisodesOf(g_.CustomerId(kAna)).size(), 1u);
  service_->Stop();
  EXPECT_FALSE(service_->WaitApplied(last + 1, std::chrono::milliseconds(1)));
}

TEST_F(MetricsConsumerTest, ADatabaseOfANewerFormatIsRefusedAndAnUnreadableOneRebuilt) {
  In(v1::SMS, kAna, kT0);
  const std::string built = Digest(CatchUp());
  service_.reset();
  {
    // Format 2 written the way a newer build would.
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir_, &raw).ok());
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), "V", "2").ok());
    delete raw;
  }
  MetricsServiceOptions options;
  options.dir = dir_;
  auto refused = MetricsService::Open(store(), options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), base::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("newer"), std::string::npos) << refused.status().ToString();
  EXPECT_NE(refused.status().message().find("delete " + dir_), std::string::npos) << refused.status().ToString();

  // Unreadable: its files garbled. Rebuilt from the change log.
  for (const auto& entry : fs::directory_iterator(dir_)) {
    std::ofstream(entry.path(), std::ios::trunc) << "garbage";
  }
  service_ = Open();
  ASSERT_NE(service_, nullptr);
  EXPECT_EQ(service_->applied_change_seq(), 0u);
  ASSERT_TRUE(service_->CatchUp().ok());
  EXPECT_EQ(Digest(*service_), built);
}

TEST_F(MetricsConsumerTest, OtherSettingsRebuildTheDatabase) {
  In(v1::SMS, kAna, kT0);
  In(v1::SMS, kAna, kT0 + 30 * kHour);
  CatchUp();
  ASSERT_EQ(EpisodesOf(g_.CustomerId(kAna)).size(), 2u);
  service_.reset();
  MetricsServiceOptions options;
  options.dir = dir_;
  options.settings.quiet_us = 48 * kHour;
  auto reopened = MetricsService::Open(store(), options);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  service_ = std::move(*reopened);
  EXPECT_EQ(service_->applied_change_seq(), 0u);
  ASSERT_TRUE(service_->CatchUp().ok());
  EXPECT_EQ(EpisodesOf(g_.CustomerId(kAna)).size(), 1u);
}

}  // namespace
}  // namespace omnihub::unifier::metrics
