// A JSON text written straight into a string, for answers on hot paths (a timeline page of 50
// events) where building an nlohmann::json tree first costs a map node and a string per member.
// The output is what nlohmann's dump() without indentation gives for the same values: members in
// the order they are written (callers that must match a dump write keys in byte order), strings
// escaped as dump() does with ensure_ascii off ('"', '\\', control characters; \b \f \n \r \t by
// name, others as \u00xx), and every byte that is not part of well-formed UTF-8 replaced by U+FFFD,
// so the result always parses.
//
// Commas are placed by the writer: after BeginObject, write Key then one value, as often as
// needed, then EndObject; after BeginArray, values, then EndArray. Misuse is a programming error
// (not checked at run time).
//
// Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace omnihub::base {

class JsonWriter {
 public:
  JsonWriter() = default;

  void BeginObject() { Open('{'); }
  void EndObject() { Close('}'); }
  void BeginArray() { Open('['); }
  void EndArray() { Close(']'); }
  void Key(std::string_view key);

  void String(std::string_view s);
  void Int(int64_t v);
  void UInt(uint64_t v);
  void Bool(bool v);
  void Null();
  // A value that is already JSON text (an nlohmann dump), written as it is.
  void Raw(std::string_view json);

  // Shorthands for a member: Key(key) then the value.
  void Member(std::string_view key, std::string_view s) { Key(key), String(s); }
  void Member(std::string_view key, const char* s) { Key(key), String(s); }
  void MemberInt(std::string_view key, int64_t v) { Key(key), Int(v); }
  void MemberUInt(std::string_view key, uint64_t v) { Key(key), UInt(v); }
  void MemberBool(std::string_view key, bool v) { Key(key), Bool(v); }

  // Room for `bytes` more of output, when the caller can estimate the size.
  void Reserve(size_t bytes) { out_.reserve(out_.size() + bytes); }

  const std::string& text() const { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  void Open(char bracket);
  void Close(char bracket);
  // Writes the comma that separates this value (or key) from the one before it.
  void Separate();

  std::string out_;
  // One entry per open object or array: whether a value (or key) was written in it yet.
  std::vector<bool> has_item_;
  // True right after Key(): the value that follows needs no comma.
  bool after_key_ = false;
};

}  // namespace omnihub::base
