// The hub's configuration: one TOML file shared by every process, or the embedded
// default (ipc:// endpoints, data under var/ in the working directory) when none is
// given. Relative paths are under data_dir (docs/configuration.md). Every error names
// the key and its line ("config: bus.ingest (line 7): ...").
// Unknown keys and sections are errors too, so that a typo never silently falls back
// to a default.
//
// This file holds the sections every process shares (data_dir, log, service, bus, identity,
// publisher). Each service owns its own section ([email], [sms], ...) in its folder
// (common/config/section.h); Config::Get<T>() returns it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/base/status.h"
#include "common/config/section.h"

namespace omnihub::config {

struct LogConfig {
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  bool json = false;           // one JSON object per line instead of text
  // "" = stderr; else a file (under data_dir when relative) opened for appending and reopened
  // on SIGHUP, for logrotate (deploy/logrotate/omnihub).
  std::string file;
};

// How every service stops (docs/operations.md, "Stopping and draining").
struct ServiceConfig {
  // From SIGTERM/SIGINT to exit: work already taken (an SMTP transaction, an HTTP request owed
  // an answer, the unifier's batch) may finish within it; past it the process logs what it
  // abandoned and exits 1.
  uint32_t shutdown_timeout_ms = 10000;
};

// Checked when the config is loaded (common/bus/endpoint.h).
struct BusConfig {
  std::string ingest = "ipc://run/ingest.sock";    // unifier ROUTER, publishers DEALER
  std::string changes = "ipc://run/changes.sock";  // unifier PUB of committed changes
  std::string query = "ipc://run/query.sock";      // unifier ROUTER for queries
};

struct IdentityConfig {
  std::string default_region = "US";  // ISO 3166 region for numbers without +country
};

struct PublisherConfig {
  uint32_t window = 4096;              // max unacknowledged frames in flight
  uint32_t resend_timeout_ms = 2000;   // resend from the last ack after this silence
  // Keep acknowledged outbox entries this long, so that a unifier restored from a backup
  // younger than this gets them again (docs/operations.md "Backups"); 0 = trim at once.
  uint32_t keep_acked_hours = 24;
};

// The sections a file may contain besides the shared ones; any other is unknown.
using Sections = std::span<const Section* const>;

struct Config {
  // Root of every relative path below (common/config/paths.h); relative to the working
  // directory itself. ParseConfig returns the paths resolved.
  std::string data_dir = "var";
  LogConfig log;
  ServiceConfig service;
  BusConfig bus;
  IdentityConfig identity;
  PublisherConfig publisher;

  // Service section T as parsed: its defaults when the file lacks the table. T must be
  // among the sections the config was parsed with, which every binary's link ensures
  // (cmake/ConfigSections.cmake); anything else is a wiring bug and aborts.
  template <typename T>
  const T& Get() const {
    auto it = sections.find(T::kSection);
    if (it == sections.end() || it->second.section->type_id() != SectionTypeId<T>()) {
      std::fprintf(stderr, "config: section [%.*s] was not parsed in this process\n",
                   static_cast<int>(T::kSection.size()), T::kSection.data());
      std::abort();
    }
    return *static_cast<const T*>(it->second.value.get());
  }

  // Each service section's value, by name; ParseConfig fills it. Copies of a Config share
  // these values, which nothing changes after ParseConfig.
  struct SectionValue {
    const Section* section;
    std::shared_ptr<void> value;
  };
  std::map<std::string, SectionValue, std::less<>> sections;
};

// The embedded default configuration, as TOML text (common/config/default_config.toml);
// deploy/omnihub.toml is the production-style variant.
std::string_view DefaultConfigToml();

// Parses TOML text with the service sections `sections`. `origin` names the source in
// error messages (a path or "<default>").
base::Result<Config> ParseConfig(std::string_view toml_text, std::string_view origin, Sections sections);

// The config file LoadConfig reads for `path` ($OMNIHUB_CONFIG when empty), or "<default>"
// for the embedded one: how messages name it.
std::string ConfigOrigin(const std::string& path);

// Loads `path`; an empty path means: $OMNIHUB_CONFIG if set, else the embedded default.
// A failure names every mistake of the file, one per line, in file order.
base::Result<Config> LoadConfig(const std::string& path, Sections sections);

}  // namespace omnihub::config
