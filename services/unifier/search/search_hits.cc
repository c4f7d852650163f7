#include "services/unifier/search/search_hits.h"

#include <map>
#include <utility>

#include "services/unifier/query/customer_lookup.h"
#include "services/unifier/search/index_terms.h"
#include "services/unifier/search/indexed_message.h"
#include "services/unifier/search/snippet.h"

namespace omnihub::unifier::search {

base::Status AppendHits(Store& store, const rocksdb::Snapshot* snapshot, const Xapian::MSet& mset,
                        const SearchPlan& plan, const TextAnalyzer& analyzer,
                        const event::IdentityNormalizer& normalizer, v1::SearchResponse* out,
                        std::string* last_sort_key) {
  AmendmentReader amendments(store, snapshot);
  std::map<uint64_t, std::pair<std::string, v1::Identity>> owners;  // identity id -> customer, identity
  size_t taken = 0;
  for (auto it = mset.begin(); it != mset.end() && taken < plan.limit; ++it, ++taken) {
    Xapian::Document doc = it.get_document();
    *last_sort_key = doc.get_value(kSortSlot);
    auto message = ReadCurrentMessage(store, amendments, doc.get_data(), snapshot);
    if (!message.ok()) return message.status();
    if (!message->has_value()) continue;
    const v1::TimelineRecord& record = (*message)->record;
    const v1::Event& e = record.event();
    auto owner = owners.find(record.identity_id());
    if (owner == owners.end()) {
      auto identity = store.GetIdentityById(record.identity_id(), snapshot);
      if (!identity.ok()) return identity.status();
      auto customer = ReadLiveCustomer(store, identity->customer_id(), snapshot);
      if (!customer.ok()) return customer.status();
      owner = owners.emplace(record.identity_id(), std::make_pair(customer->customer_id(), identity->identity())).first;
    }
    v1::SearchHit* hit = out->add_hits();
    hit->set_event_id(e.event_id());
    hit->set_customer_id(owner->second.first);
    *hit->mutable_identity() = owner->second.second;
    hit->set_channel(e.channel());
    hit->set_direction(e.direction());
    hit->set_occurred_at_us(e.occurred_at_us());
    hit->set_subject(e.subject());
    hit->set_conversation(e.conversation());
    hit->set_score(plan.newest ? 0 : it.get_weight());
    auto ranges = MatchRanges((*message)->text, plan.highlights, analyzer, normalizer);
    if (ranges.empty() && !e.subject().empty()) {
      auto in_subject = MatchRanges(e.subject(), plan.highlights, analyzer, normalizer);
      if (!in_subject.empty()) {
        hit->set_snippet(MakeSnippet(e.subject(), in_subject));
        continue;
      }
    }
    hit->set_snippet(MakeSnippet((*message)->text, ranges));
  }
  return base::Status::Ok();
}

}  // namespace omnihub::unifier::search
