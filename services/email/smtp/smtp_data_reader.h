// Reads the content of SMTP DATA (RFC 5321 §4.5.2): removes dot-stuffing, finds the end of the
// data, and applies the message-size and text-line limits, in whatever pieces the bytes arrive.
//
// Only a CRLF ends a line: a bare LF or CR is content, so "\n.\n" (or "\n.\r\n") never ends the
// data, whatever another hop made of it (the "SMTP smuggling" class). docs/smtp.md explains.
//
// Thread-safety: not thread-safe; one reader per DATA command.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace omnihub::email {

class SmtpDataReader {
 public:
  // `max_text_line` counts the CRLF but not a stuffing dot; 0 = no limit.
  SmtpDataReader(size_t max_message_bytes, size_t max_text_line)
      : max_message_bytes_(max_message_bytes), max_text_line_(max_text_line) {}

  // Consumes `input` up to and including the terminating <CRLF>.<CRLF> and returns how many bytes
  // it took. Stops short of the end of `input` only after the terminator, or when `input` ends
  // in what may be its beginning (".", ".\r" at the start of a line): feed those bytes again
  // with what follows them.
  size_t Consume(std::string_view input);

  bool done() const { return done_; }
  // Over max_message_bytes: the content was counted but not kept.
  bool too_big() const { return too_big_; }
  bool line_too_long() const { return line_too_long_; }
  // The content without the stuffing dots and the terminator; CRLFs as received.
  std::string TakeMessage() { return std::move(message_); }

 private:
  void Append(std::string_view bytes);

  const size_t max_message_bytes_;
  const size_t max_text_line_;
  std::string message_;
  size_t message_bytes_ = 0;   // dot-unstuffed bytes so far, kept or not
  size_t line_bytes_ = 0;      // current text line so far
  bool at_line_start_ = true;  // the next byte starts a line (data start, or after CRLF)
  bool prev_cr_ = false;       // the last content byte was CR
  bool done_ = false;
  bool too_big_ = false;
  bool line_too_long_ = false;
};

}  // namespace omnihub::email
