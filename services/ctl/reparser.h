// Re-reading a dead letter with the parsers of this build, whatever channel wrote it:
// the heart of `omnihubctl deadletter replay`, kept apart from the sockets so it can be
// tested on its own. A dead letter's source starts with the name of what dead-lettered
// it ("email:smtp:127.0.0.1:40000", "inject:events.jsonl:12", "bus:PUBLISHER:SEQ"); that
// name picks the re-parser. Each channel brings its own (reparsers.h registers this
// build's), so replay itself knows no channel.
//
// Thread-safety: Register* before use; Rebuild is const and may then be called from any
// thread with distinct contexts (as the registered functions allow).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/env.h"
#include "common/base/status.h"
#include "common/base/uuid.h"
#include "common/event/identity.h"
#include "omnihub/v1/bus.pb.h"
#include "omnihub/v1/event.pb.h"
#include "omnihub/v1/query.pb.h"

namespace omnihub::ctl {

// Every replayed event carries this flag, so its origin stays visible in the timeline.
inline constexpr char kFlagReplayed[] = "replayed";

// What every re-parser may use to build an event, as a fresh delivery would.
struct RebuildContext {
  const event::IdentityNormalizer& normalizer;
  base::UuidV7Generator& ids;
  base::Clock& clock;
};

// The event a dead letter stands for, and the blobs that travel with it.
struct RebuiltEvent {
  v1::Event event;
  std::vector<v1::Blob> blobs;
};

// Reads one dead letter's kept bytes (and context) again. An error is the parser's
// reason, for instance "not a mail message"; the registry adds which dead letter.
using ReparseFn = std::function<base::Result<RebuiltEvent>(const v1::DeadLetterEntry&, const RebuildContext&)>;

// The name a source starts with: "email" for "email:smtp:...", the whole source when it has no ':'.
std::string_view SourceName(std::string_view source);

class ReparserRegistry {
 public:
  // Dead letters whose source name is `source_name` are read again with `reparse`.
  // `producer` names what writes them, for messages ("omnihub-email").
  void Register(std::string source_name, std::string producer, ReparseFn reparse);
  // Dead letters from `source_name` cannot be replayed, for the reason `why`; replaying
  // one says so instead of calling it an unknown source.
  void RegisterUnreplayable(std::string source_name, std::string why);

  // The event with kFlagReplayed added. InvalidArgument saying why otherwise: no
  // re-parser for the source (naming it and those there are), a source that is not
  // replayable (with its reason), or bytes still unreadable (with the parser's reason).
  base::Result<RebuiltEvent> Rebuild(const v1::DeadLetterEntry& dead_letter, const RebuildContext& ctx) const;

 private:
  struct Entry {
    std::string producer;  // empty for an unreplayable source
    ReparseFn reparse;     // empty for an unreplayable source
    std::string why_not;
  };
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace omnihub::ctl
