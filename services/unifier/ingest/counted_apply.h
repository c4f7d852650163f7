// BatchProcessor::Apply, counted in the unifier's metrics (unifier_metrics.h): frames taken,
// batch size, commit time, what the batch added (events, statuses, duplicates, dead letters),
// resend requests and failed commits. Single-host ingest (ingest_server.h) and a cluster
// replica (replica/replica_applier.h) apply through it, so both report the same series.
//
// Thread-safety: as BatchProcessor (the applying thread); metric handles are thread-safe.
#pragma once

#include <vector>

#include "common/base/env.h"
#include "services/unifier/ingest/batch_processor.h"
#include "services/unifier/unifier_metrics.h"

namespace omnihub::unifier {

// `clock` times the commit.
base::Result<BatchResult> ApplyCounted(BatchProcessor& processor, std::vector<DecodedFrame> frames, base::Clock& clock,
                                       UnifierMetrics& metrics);

}  // namespace omnihub::unifier
