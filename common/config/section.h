// A section of the shared config file that a service owns: [email], [sms], [unifier],
// [inject]. Its struct, defaults and parser live in the service's folder
// (services/email/email_config.{h,cc}, ...), and the service's CMakeLists.txt registers it
// with omnihub_add_config_section (cmake/ConfigSections.cmake); ParseConfig reads the
// sections it is given, and AllSections() (common/config/all_sections.h) is every
// registered one. docs/configuration.md, "Sections".
//
// A section type T has default member initializers for its defaults and
// `static constexpr std::string_view kSection` for its table's name; Config::Get<T>()
// returns it parsed.
//
// Thread-safety: Section objects are immutable after construction.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/base/status.h"

namespace omnihub::config {

// common/config/table_reader.h; only the parsers (the sections' .cc files) include it, so
// that the TOML library's header stays out of everything that reads a config.
class TableReader;

// A path of a section that lives under data_dir when relative (common/config/paths.h).
struct PathKey {
  std::string_view key;  // within the section: "outbox_dir"
  std::string* value;
};

// One distinct address per type T, without RTTI: what Config::Get<T>() checks the stored
// value's type against.
template <typename T>
const void* SectionTypeId() {
  static const char id = 0;
  return &id;
}

class Section {
 public:
  virtual ~Section() = default;

  virtual std::string_view name() const = 0;
  virtual const void* type_id() const = 0;
  // A value of the section's type holding its defaults.
  virtual std::shared_ptr<void> NewValue() const = 0;
  // Reads the keys of the section's table into `value` (from NewValue), recording every
  // mistake in the reader's error list and going on; the caller then reports the keys that
  // were not read.
  virtual void Parse(TableReader& table, void* value) const = 0;
  // The keys of `value` that name paths under data_dir.
  virtual std::vector<PathKey> Paths(void* value) const = 0;
};

// The Section of type T from its parser and, if it has paths, the function listing them.
template <typename T>
class TypedSection final : public Section {
 public:
  using ParseFn = void (*)(TableReader& table, T* out);
  using PathsFn = std::vector<PathKey> (*)(T* value);

  explicit TypedSection(ParseFn parse, PathsFn paths = nullptr) : parse_(parse), paths_(paths) {}

  std::string_view name() const override { return T::kSection; }
  const void* type_id() const override { return SectionTypeId<T>(); }
  std::shared_ptr<void> NewValue() const override { return std::make_shared<T>(); }
  void Parse(TableReader& table, void* value) const override { parse_(table, static_cast<T*>(value)); }
  std::vector<PathKey> Paths(void* value) const override {
    return paths_ == nullptr ? std::vector<PathKey>{} : paths_(static_cast<T*>(value));
  }

 private:
  ParseFn parse_;
  PathsFn paths_;
};

}  // namespace omnihub::config
