// Byte encodings shared by every on-disk key and value: big-endian fixed-width
// integers (so that byte order is numeric order), varints, length-prefixed strings.
// Put* append to a std::string; Get* consume from the front of a string_view and
// return false on short or malformed input, leaving the input unspecified.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace omnihub::base {

void PutFixed64BE(std::string* dst, uint64_t v);
void PutFixed32BE(std::string* dst, uint32_t v);
// Signed times: flips the sign bit so that negative values sort before positive ones.
void PutOrderedInt64(std::string* dst, int64_t v);
void PutVarint64(std::string* dst, uint64_t v);
// Varint length followed by the bytes.
void PutLengthPrefixed(std::string* dst, std::string_view s);

bool GetFixed64BE(std::string_view* in, uint64_t* v);
bool GetFixed32BE(std::string_view* in, uint32_t* v);
bool GetOrderedInt64(std::string_view* in, int64_t* v);
bool GetVarint64(std::string_view* in, uint64_t* v);
bool GetLengthPrefixed(std::string_view* in, std::string_view* s);

// Convenience for whole keys.
std::string EncodeFixed64BE(uint64_t v);
uint64_t DecodeFixed64BE(std::string_view in);  // REQUIRES: in.size() >= 8

// Lower-case hex of bytes, and back (false on odd length or non-hex).
std::string HexEncode(std::string_view bytes);
bool HexDecode(std::string_view hex, std::string* out);

// Unpadded base64url (RFC 4648 section 5), used for opaque cursors.
std::string Base64UrlEncode(std::string_view bytes);
bool Base64UrlDecode(std::string_view text, std::string* out);
// Standard base64 (RFC 4648 section 4) with its '=' padding, as JSON APIs carry bytes.
bool Base64Decode(std::string_view text, std::string* out);

}  // namespace omnihub::base
