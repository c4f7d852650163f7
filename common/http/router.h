// HttpRouter: maps (method, path) to an HttpHandler. A pattern is a path whose segments are
// either literal ("messages", matched byte for byte against the raw path) or a capture
// ("{account}", one non-empty segment, percent-decoded into request.path_params). The query
// string plays no part. When several patterns match, the more specific wins: at the first
// segment where they differ, a literal beats a capture.
//
// Unknown path -> 404 not_found; known path, other method -> 405 method_not_allowed with an
// Allow field; a capture that is not valid percent-encoding -> 400 bad_request. A HEAD request
// goes to the GET handler when no HEAD route exists (the server sends no body for HEAD).
//
// Thread-safety: Add is not thread-safe; once routes are added, Dispatch may run on any number
// of threads at once.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/http/types.h"
#include "common/base/status.h"

namespace omnihub::http {

class HttpRouter {
 public:
  HttpRouter() = default;

  // Routes `method` (an upper-case token such as "GET") on `pattern` (starting with '/', e.g.
  // "/twilio/{account}/messages") to `handler`. InvalidArgument for a malformed method or
  // pattern, a capture name used twice in one pattern, or a (method, pattern) pair already
  // routed; nothing is added then.
  base::Status Add(std::string_view method, std::string_view pattern, HttpHandler handler);

  // Fills request.path_params and calls the matching handler, or answers the request with the
  // JSON error above. The handler runs on the calling thread, inside this call.
  void Dispatch(HttpRequest request, HttpResponder respond) const;

  // A handler for HttpServer that dispatches on a snapshot of the current routes (routes added
  // afterwards are not seen by it); it does not refer to this router.
  HttpHandler AsHandler() const;


 private:
  struct Segment {
    std::string text;  // the literal, or the capture's name
    bool capture = false;
  };
  struct Route {
    std::string pattern;
    std::vector<Segment> segments;
    std::vector<std::pair<std::string, HttpHandler>> methods;  // in the order added
  };

  std::vector<Route> routes_;
};

}  // namespace omnihub::http
