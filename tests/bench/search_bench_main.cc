// omnihub-bench-search: the full-text index over N short messages in several scripts
// (docs/benchmarks.md#search). The messages go through the unifier's real apply code
// (BatchProcessor, in process, no sockets) into a real store; the indexer then follows the
// change log into Xapian on this thread (CatchUp), as its thread does in the unifier. Reports
// the ingest rate, the indexing rate, the index size per million messages, and the latency of
// searches (p50/p99) of several kinds against the finished index.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/base/env.h"
#include "common/base/uuid.h"
#include "common/bus/sequence_tracker.h"
#include "common/event/identity.h"
#include "omnihub/v1/bus.pb.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/search/search_index.h"
#include "services/unifier/store/store.h"
#include "tests/bench/bench_clock.h"

namespace omnihub::bench {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] =
    "usage: omnihub-bench-search [options]\n"
    "  --messages N   messages to index (default 1000000)\n"
    "  --customers M  customers they come from (default 10000)\n"
    "  --queries Q    searches per kind (default 1000)\n"
    "  --workdir DIR  a fresh subdirectory of DIR holds the store and the index (default .)\n"
    "  --changes-per-commit C  changes per index commit (default 2000, as the unifier)\n"
    "  --keep         keep it\n"
    "  --json PATH    also write the figures as JSON\n";

// The letters each script's synthetic words are made of, and how long the words are.
struct Script {
  const char* name;
  std::vector<std::string> letters;
  int min_len;
  int max_len;
};

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    size_t n = 1;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0xF0) n = 4; else if (c >= 0xE0) n = 3; else if (c >= 0xC0) n = 2;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::vector<Script> Scripts() {
  return {
      {"latin", Split("aábcdeéfghiíjklmnoóöőpqrstuúüűvwxyz"), 3, 9},
      {"cyrillic", Split("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"), 3, 9},
      {"greek", Split("αάβγδεέζηήθιίκλμνξοόπρσςτυύφχψωώ"), 3, 9},
      {"hebrew", Split("אבגדהוזחטיכלמנסעפצקרשת"), 2, 6},
      {"arabic", Split("ابتثجحخدذرزسشصضطظعغفقكلمنهوي"), 3, 7},
      {"chinese", Split("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让"), 1, 2},
  };
}

struct Flags {
  uint64_t messages = 1000000;
  uint64_t customers = 10000;
  uint64_t queries = 1000;
  size_t changes_per_commit = 2000;
  std::string workdir = ".";
  bool keep = false;
  std::string json;
};

bool ParseFlags(int argc, char** argv, Flags* f) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (a == "--messages") f->messages = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--customers") f->customers = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--queries") f->queries = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--workdir") f->workdir = value();
    else if (a == "--changes-per-commit") f->changes_per_commit = std::strtoull(value().c_str(), nullptr, 10);
    else if (a == "--keep") f->keep = true;
    else if (a == "--json") f->json = value();
    else return false;
  }
  return f->messages > 0 && f->customers > 0 && f->queries > 0;
}

// Words by a skewed (roughly Zipfian) choice from a fixed vocabulary per script, so that some
// words are in a large share of the messages and most are rare, as in real text.
class Corpus {
 public:
  explicit Corpus(uint64_t seed) : rng_(seed), scripts_(Scripts()) {
    for (const Script& s : scripts_) {
      std::vector<std::string> words;
      std::uniform_int_distribution<int> len(s.min_len, s.max_len);
      std::uniform_int_distribution<size_t> letter(0, s.letters.size() - 1);
      for (int i = 0; i < kVocabulary; ++i) {
        std::string w;
        for (int n = len(rng_); n > 0; --n) w += s.letters[letter(rng_)];
        words.push_back(std::move(w));
      }
      vocab_.push_back(std::move(words));
    }
  }
  size_t scripts() const { return scripts_.size(); }
  const char* script_name(size_t s) const { return scripts_[s].name; }
  bool cjk(size_t s) const { return std::string(scripts_[s].name) == "chinese"; }

  const std::string& Word(size_t script) {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    return vocab_[script][static_cast<size_t>(std::pow(u, 3) * (kVocabulary - 1))];
  }
  std::string Text(size_t script) {
    std::string text;
    const int words = std::uniform_int_distribution<int>(6, 14)(rng_);
    for (int i = 0; i < words; ++i) {
      if (!text.empty() && !cjk(script)) text += ' ';
      text += Word(script);
    }
    return text;
  }
  std::mt19937_64& rng() { return rng_; }

 private:
  static constexpr int kVocabulary = 20000;
  std::mt19937_64 rng_;
  std::vector<Script> scripts_;
  std::vector<std::vector<std::string>> vocab_;
};

struct Latency {
  std::vector<double> ms;
  double P(double q) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))];
  }
};

uint64_t DirBytes(const std::string& dir) {
  uint64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += e.file_size();
  }
  return total;
}

int Run(const Flags& flags) {
  const std::string work = (fs::path(flags.workdir) / ("search-bench-" + std::to_string(::getpid()))).string();
  fs::create_directories(work);
  auto store = unifier::Store::Open(work + "/store");
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  base::SystemClock clock;
  base::SystemRandom random;
  base::UuidV7Generator ids(clock, random);
  event::IdentityNormalizer normalizer("US");
  bus::SequenceTracker tracker(clock);
  unifier::BatchProcessor processor(**store, normalizer, tracker, 8192);
  if (auto s = processor.Init(); !s.ok()) {
    std::cerr << s.ToString() << "\n";
    return 1;
  }

  // Ingest: batches of 2000 frames (unifier.batch_max_events' default), timed around Process only.
  Corpus corpus(42);
  constexpr size_t kBatch = 2000;
  constexpr int64_t kT0 = 1'750'000'000'000'000;
  double ingest_s = 0;
  const ThreadTimes ingest_before = CurrentThreadTimes();
  uint64_t phone_messages = 0;
  for (uint64_t done = 0; done < flags.messages;) {
    std::vector<unifier::InboundFrame> frames;
    for (size_t i = 0; i < kBatch && done < flags.messages; ++i, ++done) {
      const uint64_t customer = done % flags.customers;
      const size_t script = done % corpus.scripts();
      v1::Event e;
      e.set_event_id(ids.Next());
      e.set_kind(v1::MESSAGE);
      e.set_direction(done % 4 == 3 ? v1::OUTBOUND : v1::INBOUND);
      e.set_account("bench");
      e.set_provider_message_id("m" + std::to_string(done));
      e.set_occurred_at_us(kT0 + static_cast<int64_t>(done) * 1000);
      e.set_received_at_us(e.occurred_at_us());
      v1::Identity who;
      if (customer % 3 == 0) {
        e.set_channel(v1::EMAIL);
        who.set_kind(v1::Identity::EMAIL);
        who.set_value("user" + std::to_string(customer) + "@example.com");
        e.set_subject(corpus.Word(script) + " " + corpus.Word(script));
      } else {
        e.set_channel(customer % 3 == 1 ? v1::SMS : v1::WHATSAPP);
        who.set_kind(v1::Identity::PHONE);
        who.set_value("+1202555" + std::to_string(1000 + customer % 9000));
      }
      std::string text = corpus.Text(script);
      if (done % 50 == 0) {  // a phone number written in the text, in one of three spellings
        const std::string n = std::to_string(1000 + done / 50 % 9000);
        const std::string spellings[] = {"(415) 555-" + n, "+1 415 555 " + n, "415555" + n};
        text += " " + spellings[done / 50 % 3];
        ++phone_messages;
      }
      e.set_text(text);
      if (e.direction() == v1::INBOUND) {
        *e.mutable_sender() = who;
      } else {
        *e.add_recipients() = who;
      }
      v1::BusFrame frame;
      frame.set_protocol_version(v1::BusVersion::CURRENT);
      frame.set_publisher_id("bench-search");
      frame.set_sequence(done + 1);
      frame.set_event(e.SerializeAsString());
      frames.push_back({"routing", frame.SerializeAsString()});
    }
    const int64_t started = NowMicros();
    auto result = processor.Process(std::move(frames));
    ingest_s += static_cast<double>(NowMicros() - started) / 1e6;
    if (!result.ok()) {
      std::cerr << "ingest: " << result.status().ToString() << "\n";
      return 1;
    }
  }
  const ThreadTimes ingest_after = CurrentThreadTimes();
  if (processor.counters().events != flags.messages) {
    std::cerr << "stored " << processor.counters().events << " of " << flags.messages << " messages\n";
    return 1;
  }

  // Indexing: the indexer's own loop (ChangeIndexer steps of 2000 changes per commit).
  unifier::search::SearchIndexOptions options;
  options.dir = work + "/search";
  options.changes_per_commit = flags.changes_per_commit;
  auto index = unifier::search::SearchIndex::Open(**store, normalizer, options);
  if (!index.ok()) {
    std::cerr << index.status().ToString() << "\n";
    return 1;
  }
  const ThreadTimes index_before = CurrentThreadTimes();
  const int64_t index_started = NowMicros();
  auto indexed = (*index)->CatchUp();
  const double index_s = static_cast<double>(NowMicros() - index_started) / 1e6;
  const ThreadTimes index_after = CurrentThreadTimes();
  if (!indexed.ok()) {
    std::cerr << "indexing: " << indexed.status().ToString() << "\n";
    return 1;
  }
  const uint64_t index_bytes = DirBytes(options.dir);
  // What an erasure's purge leaves: the same index compacted (full B-tree blocks).
  const int64_t compact_started = NowMicros();
  auto compacted = (*index)->Compact();
  const double compact_s = static_cast<double>(NowMicros() - compact_started) / 1e6;
  if (!compacted.ok()) {
    std::cerr << "compaction: " << compacted.status().ToString() << "\n";
    return 1;
  }
  const uint64_t compacted_bytes = DirBytes(options.dir);

  // Searches of several kinds, each timed around Search (snapshot, query, store reads, snippets).
  struct Kind {
    std::string name;
    std::function<v1::SearchRequest(size_t)> make;
  };
  auto word = [&](size_t script) { return corpus.Word(script); };
  std::vector<Kind> kinds = {
      {"one word, newest", [&](size_t s) { v1::SearchRequest r; r.set_query(word(s)); return r; }},
      {"one word, relevance", [&](size_t s) { v1::SearchRequest r; r.set_query(word(s)); r.set_order(v1::SearchRequest::RELEVANCE); return r; }},
      {"two words, newest", [&](size_t s) { v1::SearchRequest r; r.set_query(word(s) + " " + word(s)); return r; }},
      {"phone number", [&](size_t) { v1::SearchRequest r; r.set_query("(415) 555-" + std::to_string(1000 + corpus.rng()() % std::max<uint64_t>(1, std::min<uint64_t>(9000, flags.messages / 50)))); return r; }},
      {"one word, one customer", [&](size_t s) {
         v1::SearchRequest r;
         r.set_query(word(s));
         r.mutable_customer()->mutable_identity()->set_kind(v1::Identity::PHONE);
         // A phone customer (customer % 3 != 0) that has messages.
         const uint64_t c = 1 + 3 * (corpus.rng()() % std::max<uint64_t>(1, std::min(flags.customers, flags.messages) / 3));
         r.mutable_customer()->mutable_identity()->set_value("+1202555" + std::to_string(1000 + c % 9000));
         return r;
       }},
  };
  nlohmann::json kinds_json = nlohmann::json::array();
  Latency all;
  std::cout << "messages " << flags.messages << ", ingest " << static_cast<uint64_t>(flags.messages / ingest_s)
            << " msg/s, indexing " << static_cast<uint64_t>(flags.messages / index_s) << " msg/s, index "
            << index_bytes / (1 << 20) << " MiB (" << static_cast<uint64_t>(double(index_bytes) * 1e6 / double(flags.messages) / (1 << 20))
            << " MiB per million; compacted " << compacted_bytes / (1 << 20) << " MiB in " << compact_s << " s)\n"
            << "  thread CPU: ingest " << ingest_after.on_cpu_s - ingest_before.on_cpu_s << " s of " << ingest_s
            << " s, indexing " << index_after.on_cpu_s - index_before.on_cpu_s << " s of " << index_s << " s\n";
  for (Kind& kind : kinds) {
    Latency lat;
    uint64_t hits = 0;
    for (uint64_t q = 0; q < flags.queries; ++q) {
      v1::SearchRequest req = kind.make(q % corpus.scripts());
      v1::SearchResponse resp;
      const int64_t started = NowMicros();
      const rocksdb::Snapshot* snap = (*store)->db()->GetSnapshot();
      auto s = (*index)->Search(req, snap, &resp, {});
      (*store)->db()->ReleaseSnapshot(snap);
      const double ms = static_cast<double>(NowMicros() - started) / 1e3;
      if (!s.ok()) {
        std::cerr << kind.name << " '" << req.query() << "': " << s.ToString() << "\n";
        return 1;
      }
      lat.ms.push_back(ms);
      all.ms.push_back(ms);
      hits += static_cast<uint64_t>(resp.hits_size());
    }
    const double p50 = lat.P(0.5), p99 = lat.P(0.99);
    std::cout << "  " << kind.name << ": p50 " << p50 << " ms, p99 " << p99 << " ms, " << double(hits) / double(flags.queries)
              << " hits per page\n";
    kinds_json.push_back({{"kind", kind.name}, {"p50_ms", p50}, {"p99_ms", p99}, {"hits_per_page", double(hits) / double(flags.queries)}});
  }
  const double p50 = all.P(0.5), p99 = all.P(0.99);
  std::cout << "  all searches: p50 " << p50 << " ms, p99 " << p99 << " ms\n";

  nlohmann::json j = {{"messages", flags.messages},
                      {"customers", flags.customers},
                      {"scripts", corpus.scripts()},
                      {"messages_with_phone_numbers", phone_messages},
                      {"ingest_messages_per_s", double(flags.messages) / ingest_s},
                      {"index_messages_per_s", double(flags.messages) / index_s},
                      {"index_to_ingest_ratio", ingest_s / index_s},
                      {"index_bytes", index_bytes},
                      {"index_bytes_per_million", double(index_bytes) * 1e6 / double(flags.messages)},
                      {"index_compacted_bytes", compacted_bytes},
                      {"index_compacted_bytes_per_million", double(compacted_bytes) * 1e6 / double(flags.messages)},
                      {"compact_s", compact_s},
                      {"ingest_s", ingest_s},
                      {"ingest_cpu_s", ingest_after.on_cpu_s - ingest_before.on_cpu_s},
                      {"index_s", index_s},
                      {"index_cpu_s", index_after.on_cpu_s - index_before.on_cpu_s},
                      {"changes_per_commit", flags.changes_per_commit},
                      {"store_bytes", DirBytes(work + "/store")},
                      {"search_p50_ms", p50},
                      {"search_p99_ms", p99},
                      {"kinds", kinds_json}};
  if (!flags.json.empty()) std::ofstream(flags.json) << j.dump(2) << "\n";
  index->reset();
  store->reset();
  if (!flags.keep) fs::remove_all(work);
  return 0;
}

}  // namespace
}  // namespace omnihub::bench

int main(int argc, char** argv) {
  omnihub::bench::Flags flags;
  if (!omnihub::bench::ParseFlags(argc, argv, &flags)) {
    std::cerr << omnihub::bench::kUsage;
    return 2;
  }
  return omnihub::bench::Run(flags);
}
