#include "services/email/smtp/smtp_data_reader.h"

namespace omnihub::email {

size_t SmtpDataReader::Consume(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size() && !done_) {
    if (at_line_start_) {
      if (s[pos] == '.') {
        const size_t avail = s.size() - pos;
        if (avail == 1 || (avail == 2 && s[pos + 1] == '\r')) break;  // may be ".\r\n": wait
        if (s[pos + 1] == '\r' && s[pos + 2] == '\n') {
          done_ = true;
          return pos + 3;
        }
        ++pos;  // transparency: one leading dot is removed
        prev_cr_ = false;
      }
      at_line_start_ = false;
      continue;
    }
    const size_t nl = s.find('\n', pos);
    const size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
    const bool crlf = nl != std::string_view::npos && (nl > pos ? s[nl - 1] == '\r' : prev_cr_);
    Append(s.substr(pos, end - pos));
    prev_cr_ = s[end - 1] == '\r';
    if (crlf) {
      if (max_text_line_ != 0 && line_bytes_ > max_text_line_) line_too_long_ = true;
      line_bytes_ = 0;
      at_line_start_ = true;
    }
    pos = end;
  }
  return pos;
}

void SmtpDataReader::Append(std::string_view bytes) {
  message_bytes_ += bytes.size();
  line_bytes_ += bytes.size();
  if (too_big_) return;
  if (message_bytes_ > max_message_bytes_) {
    // The client cannot be interrupted mid-DATA: keep counting to the final dot, stop storing.
    too_big_ = true;
    std::string().swap(message_);
    return;
  }
  message_.append(bytes);
}

}  // namespace omnihub::email
