#include "services/api/endpoints/endpoints.h"

namespace omnihub::api {

// Not yet routed.
base::Status AddSessionRoutes(ApiRoutes& /*routes*/, ApiServices& /*services*/) { return base::Status::Ok(); }

}  // namespace omnihub::api
