#include "common/http/router.h"

#include "common/base/text.h"

#include <algorithm>
#include <set>
#include <utility>

namespace omnihub::http {
namespace {

// "/a/b" -> {"a", "b"}; "/" -> {""}. REQUIRES: path starts with '/'.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  while (true) {
    const size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool IsMethodToken(std::string_view method) {
  if (method.empty()) return false;
  return std::all_of(method.begin(), method.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'; });
}

bool IsCaptureName(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

base::Status HttpRouter::Add(std::string_view method, std::string_view pattern, HttpHandler handler) {
  const std::string where = std::string(method) + " " + std::string(pattern);
  if (!IsMethodToken(method)) return base::Status::InvalidArgument("http route " + where + ": method must be upper case");
  if (pattern.empty() || pattern.front() != '/') {
    return base::Status::InvalidArgument("http route " + where + ": pattern must start with '/'");
  }
  if (!handler) return base::Status::InvalidArgument("http route " + where + ": no handler");
  std::vector<Segment> segments;
  std::set<std::string_view> names;
  for (std::string_view part : SplitPath(pattern)) {
    const bool capture = part.size() >= 2 && part.front() == '{' && part.back() == '}';
    if (capture) {
      const std::string_view name = part.substr(1, part.size() - 2);
      if (!IsCaptureName(name)) {
        return base::Status::InvalidArgument("http route " + where + ": bad capture '" + std::string(part) + "'");
      }
      if (!names.insert(name).second) {
        return base::Status::InvalidArgument("http route " + where + ": capture '" + std::string(name) + "' used twice");
      }
      segments.push_back({std::string(name), true});
    } else {
      if (part.find_first_of("{}?#") != std::string_view::npos) {
        return base::Status::InvalidArgument("http route " + where + ": bad segment '" + std::string(part) + "'");
      }
      segments.push_back({std::string(part), false});
    }
  }
  for (Route& route : routes_) {
    const bool same_shape =
        route.segments.size() == segments.size() &&
        std::equal(segments.begin(), segments.end(), route.segments.begin(), [](const Segment& a, const Segment& b) {
          return a.capture == b.capture && (a.capture || a.text == b.text);
        });
    if (!same_shape) continue;
    // One shape, one pattern: otherwise a path would match two routes equally well.
    if (route.pattern != pattern) {
      return base::Status::InvalidArgument("http route " + where + ": conflicts with " + route.pattern);
    }
    for (const auto& entry : route.methods) {
      if (entry.first == method) return base::Status::InvalidArgument("http route " + where + ": already routed");
    }
    route.methods.emplace_back(std::string(method), std::move(handler));
    return base::Status::Ok();
  }
  Route route;
  route.pattern = std::string(pattern);
  route.segments = std::move(segments);
  route.methods.emplace_back(std::string(method), std::move(handler));
  routes_.push_back(std::move(route));
  return base::Status::Ok();
}

void HttpRouter::Dispatch(HttpRequest request, HttpResponder respond) const {
  if (request.path.empty() || request.path.front() != '/') {
    return respond(JsonError(404, "not_found", "no resource at this path"));
  }
  const std::vector<std::string_view> parts = SplitPath(request.path);
  std::vector<const Route*> matches;
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    bool match = true;
    for (size_t i = 0; i < parts.size() && match; ++i) {
      const Segment& seg = route.segments[i];
      match = seg.capture ? !parts[i].empty() : seg.text == parts[i];
    }
    if (match) matches.push_back(&route);
  }
  if (matches.empty()) return respond(JsonError(404, "not_found", "no resource at this path"));
  // Most specific first: at the first segment where two matches differ, the literal wins.
  // Two matches always differ somewhere, since Add allows one pattern per shape.
  std::sort(matches.begin(), matches.end(), [](const Route* a, const Route* b) {
    for (size_t i = 0; i < a->segments.size(); ++i) {
      if (a->segments[i].capture != b->segments[i].capture) return !a->segments[i].capture;
    }
    return false;
  });

  auto find = [](const Route& route, std::string_view method) -> const HttpHandler* {
    for (const auto& [m, h] : route.methods) {
      if (m == method) return &h;
    }
    return nullptr;
  };
  const Route* chosen = nullptr;
  const HttpHandler* handler = nullptr;
  for (const Route* route : matches) {
    handler = find(*route, request.method);
    if (!handler && request.method == "HEAD") handler = find(*route, "GET");
    if (handler) {
      chosen = route;
      break;
    }
  }
  if (!handler) {
    std::vector<std::string> allow;
    auto add = [&allow](const std::string& m) {
      if (std::find(allow.begin(), allow.end(), m) == allow.end()) allow.push_back(m);
    };
    for (const Route* route : matches) {
      for (const auto& entry : route->methods) {
        add(entry.first);
        if (entry.first == "GET") add("HEAD");
      }
    }
    std::string allow_value;
    for (const std::string& m : allow) allow_value += (allow_value.empty() ? "" : ", ") + m;
    HttpResponse response =
        JsonError(405, "method_not_allowed", "method " + request.method + " is not allowed here; allowed: " + allow_value);
    response.headers.emplace_back("Allow", allow_value);
    return respond(std::move(response));
  }

  request.path_params.clear();
  for (size_t i = 0; i < parts.size(); ++i) {
    const Segment& seg = chosen->segments[i];
    if (!seg.capture) continue;
    std::string decoded;
    if (!base::PercentDecode(parts[i], &decoded)) {
      return respond(JsonError(400, "bad_request", "path segment '" + std::string(parts[i]) +
                                                       "' is not valid percent-encoding"));
    }
    request.path_params.emplace(seg.text, std::move(decoded));
  }
  (*handler)(std::move(request), std::move(respond));
}

HttpHandler HttpRouter::AsHandler() const {
  auto snapshot = std::make_shared<const HttpRouter>(*this);
  return [snapshot](HttpRequest request, HttpResponder respond) {
    snapshot->Dispatch(std::move(request), std::move(respond));
  };
}

}  // namespace omnihub::http
