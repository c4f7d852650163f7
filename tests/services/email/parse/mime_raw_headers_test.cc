// Raw 8-bit header values (no RFC 2047 encoding), as Chinese, Russian and Japanese providers send
// them: read in the charset the message declares for its text, not as windows-1252. The byte
// strings below are the charsets' real encodings of the UTF-8 literals they are compared with.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "services/email/parse/mime_message.h"
#include "services/email/parse/unicode_text.h"

namespace omnihub::email {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

ParsedEmail ParseOk(std::string_view raw) {
  base::Result<ParsedEmail> parsed = ParseMimeMessage(raw);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : ParsedEmail{};
}

// A single-part message with `from` and `subject` as raw bytes and a text part in `charset`.
std::string Message(std::string_view from, std::string_view subject, std::string_view charset,
                    std::string_view body = "body") {
  return "From: " + std::string(from) + "\r\nTo: support@example.com\r\nSubject: " + std::string(subject) +
         "\r\nDate: Tue, 14 Nov 2023 10:00:00 +0100\r\nMIME-Version: 1.0\r\n"
         "Content-Type: text/plain; charset=" +
         std::string(charset) + "\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + std::string(body) + "\r\n";
}

TEST(MimeRawHeadersTest, GbkSubjectAndSenderNameAreReadInTheTextCharset) {
  // 关于订单的问题 / 張偉 in GBK (張偉 uses GBK's extension, beyond GB2312).
  const ParsedEmail mail = ParseOk(Message("\x8f\x88\x82\xa5 <zhang.wei@example.cn>",
                                           "\xb9\xd8\xd3\xda\xb6\xa9\xb5\xa5\xb5\xc4\xce\xca\xcc\xe2", "gbk",
                                           "\xc4\xfa\xba\xc3"));  // 您好
  EXPECT_EQ(mail.subject, "关于订单的问题");
  EXPECT_EQ(mail.from, "張偉 <zhang.wei@example.cn>");
  EXPECT_EQ(mail.text, "您好");
  EXPECT_THAT(mail.flags, IsEmpty());
  EXPECT_THAT(mail.warnings, IsEmpty());
}

TEST(MimeRawHeadersTest, Gb2312LabelIsReadAsItsSuperset) {
  // 這裡客服 in GBK: 這 is 0xDF 0x40 and 裡 0xD1 0x65, trail bytes that are '@' and 'e' in ASCII;
  // labelled gb2312 as such clients do.
  const ParsedEmail mail = ParseOk(Message("\xdf@\xd1" "e\xbf\xcd\xb7\xfe <service@example.tw>",
                                           "\xb1\xa8\xbc\xdb", "gb2312"));  // 报价
  EXPECT_EQ(mail.from, "這裡客服 <service@example.tw>");
  EXPECT_EQ(mail.subject, "报价");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeRawHeadersTest, Koi8rSubjectAndSenderNameAreReadInTheTextCharset) {
  // Вопрос по заказу / Иван Петров in KOI8-R.
  const ParsedEmail mail =
      ParseOk(Message("\xe9\xd7\xc1\xce \xf0\xc5\xd4\xd2\xcf\xd7 <ivan@example.ru>",
                      "\xf7\xcf\xd0\xd2\xcf\xd3 \xd0\xcf \xda\xc1\xcb\xc1\xda\xd5", "koi8-r"));
  EXPECT_EQ(mail.subject, "Вопрос по заказу");
  EXPECT_EQ(mail.from, "Иван Петров <ivan@example.ru>");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeRawHeadersTest, Windows1251SubjectAndQuotedSenderNameAreReadInTheTextCharset) {
  // Здравствуйте, где мой заказ? / Ольга Смирнова in windows-1251.
  const ParsedEmail mail = ParseOk(Message(
      "\"\xce\xeb\xfc\xe3\xe0 \xd1\xec\xe8\xf0\xed\xee\xe2\xe0\" <olga@example.ru>",
      "\xc7\xe4\xf0\xe0\xe2\xf1\xf2\xe2\xf3\xe9\xf2\xe5, \xe3\xe4\xe5 \xec\xee\xe9 \xe7\xe0\xea\xe0\xe7?",
      "windows-1251"));
  EXPECT_EQ(mail.subject, "Здравствуйте, где мой заказ?");
  EXPECT_EQ(mail.from, "Ольга Смирнова <olga@example.ru>");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeRawHeadersTest, ShiftJisSubjectAndQuotedSenderNameAreReadInTheTextCharset) {
  // ご注文について / 能登 花子 in Shift_JIS; 能 is 0x94 0x5C, a trail byte that is a backslash in
  // ASCII, here inside a quoted string where a backslash would escape the next byte.
  const ParsedEmail mail =
      ParseOk(Message("\"\x94\x5c\x93o \x89\xd4\x8eq\" <hanako@example.jp>",
                      "\x82\xb2\x92\x8d\x95\xb6\x82\xc9\x82\xc2\x82\xa2\x82\xc4", "Shift_JIS"));
  EXPECT_EQ(mail.subject, "ご注文について");
  EXPECT_EQ(mail.from, "能登 花子 <hanako@example.jp>");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeRawHeadersTest, EucJpCharsetOfTheHtmlAlternativeIsUsed) {
  // お問い合わせ / 佐藤 in EUC-JP; the plain alternative declares nothing usable (us-ascii).
  const ParsedEmail mail = ParseOk(
      "From: \xba\xb4\xc6\xa3 <sato@example.jp>\r\nSubject: \xa4\xaa\xcc\xe4\xa4\xa4\xb9\xe7\xa4\xef\xa4\xbb\r\n"
      "Content-Type: multipart/alternative; boundary=a\r\n\r\n"
      "--a\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nhello\r\n"
      "--a\r\nContent-Type: text/html; charset=EUC-JP\r\n\r\n<p>hello</p>\r\n--a--\r\n");
  EXPECT_EQ(mail.subject, "お問い合わせ");
  EXPECT_EQ(mail.from, "佐藤 <sato@example.jp>");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeRawHeadersTest, AttachmentFileNameIsReadInTheMessagesTextCharset) {
  // 报价单.pdf in GBK, raw in both parameters as such clients write it.
  const ParsedEmail mail = ParseOk(
      "From: a@example.cn\r\nSubject: \xb1\xa8\xbc\xdb\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
      "--m\r\nContent-Type: text/plain; charset=GBK\r\n\r\n\xc4\xfa\xba\xc3\r\n"
      "--m\r\nContent-Type: application/pdf; name=\"\xb1\xa8\xbc\xdb\xb5\xa5.pdf\"\r\n"
      "Content-Disposition: attachment; filename=\"\xb1\xa8\xbc\xdb\xb5\xa5.pdf\"\r\n\r\n%PDF\r\n--m--\r\n");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].filename, "报价单.pdf");
  EXPECT_EQ(mail.subject, "报价");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeRawHeadersTest, ForwardedMessageHeadersUseTheForwardedMessagesCharset) {
  // Outer text in GBK; the forwarded message's subject and sender in KOI8-R, its own text charset.
  const ParsedEmail mail = ParseOk(
      "From: a@example.cn\r\nSubject: \xb1\xa8\xbc\xdb\r\nContent-Type: multipart/mixed; boundary=f\r\n\r\n"
      "--f\r\nContent-Type: text/plain; charset=gbk\r\n\r\n\xc4\xfa\xba\xc3\r\n"
      "--f\r\nContent-Type: message/rfc822\r\n\r\n"
      "From: \xe9\xd7\xc1\xce <ivan@example.ru>\r\nSubject: \xf7\xcf\xd0\xd2\xcf\xd3\r\n"
      "Content-Type: text/plain; charset=koi8-r\r\n\r\n\xe4\xc1\r\n--f--\r\n");
  EXPECT_EQ(mail.subject, "报价");
  EXPECT_EQ(mail.text,
            "您好\n\n---------- Forwarded message ----------\n"
            "From: Иван <ivan@example.ru>\nSubject: Вопрос\n\nДа");
  EXPECT_THAT(mail.flags, Not(Contains("undeclared-charset")));
}

TEST(MimeRawHeadersTest, ValidUtf8AndEncodedWordsAreKeptUnderALegacyCharset) {
  // Raw UTF-8 (what RFC 6532 allows) and an encoded word in the sender name: neither is GBK.
  const ParsedEmail mail = ParseOk(Message("=?utf-8?B?UmVuw6k=?= <rene@example.fr>", "Café crème", "gbk"));
  EXPECT_EQ(mail.subject, "Café crème");
  EXPECT_EQ(mail.from, "René <rene@example.fr>");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeRawHeadersTest, EncodedWordsBesideRawBytesKeepTheirOwnCharset) {
  // "Re: " + an encoded word in UTF-8 + raw KOI8-R: each part in its own charset.
  const ParsedEmail mail =
      ParseOk(Message("ivan@example.ru", "=?utf-8?B?0JLQvtC/0YDQvtGB?= \xd0\xcf \xda\xc1\xcb\xc1\xda\xd5", "koi8-r"));
  EXPECT_EQ(mail.subject, "Вопрос по заказу");
}

TEST(MimeRawHeadersTest, WithoutAUsableDeclarationRawBytesStayWindows1252) {
  // 0xC7 0xE0 is "Çà" in windows-1252 and "За" in windows-1251. Neither utf-8 (the bytes are not
  // UTF-8, so the declaration says nothing about them), us-ascii nor an unknown name is used.
  for (const char* charset : {"utf-8", "us-ascii", "x-no-such"}) {
    const ParsedEmail mail = ParseOk(Message("a@example.com", "\xc7\xe0", charset));
    EXPECT_EQ(mail.subject, "Çà") << charset;
    EXPECT_THAT(mail.flags, Contains("undeclared-charset")) << charset;
    EXPECT_THAT(mail.warnings, Contains(HasSubstr("header 'subject'"))) << charset;
  }
}

TEST(MimeRawHeadersTest, BytesInvalidInTheTextCharsetBecomeReplacementCharacters) {
  // 关 then a GBK lead byte cut off by the end of the value.
  const ParsedEmail mail = ParseOk(Message("a@example.cn", "\xb9\xd8\xd3", "gbk"));
  EXPECT_EQ(mail.subject, "关\uFFFD");
  EXPECT_THAT(mail.warnings,
              Contains("header 'subject' has bytes invalid in charset 'gbk'; they were replaced by U+FFFD"));
}

TEST(MimeRawHeadersTest, OnlyLegacyAsciiCompatibleCharsetsExplainRawHeaderBytes) {
  for (const char* charset : {"gbk", "GB2312", "koi8-r", "windows-1251", "Shift_JIS", "euc-jp", "iso-8859-1"}) {
    EXPECT_TRUE(CanReadRawHeaderBytesIn(charset)) << charset;
  }
  for (const char* charset : {"", "utf-8", "UTF8", "us-ascii", "unknown-8bit", "iso-2022-jp", "utf-16le", "utf-7",
                              "x-no-such", "utf-8//IGNORE"}) {
    EXPECT_FALSE(CanReadRawHeaderBytesIn(charset)) << charset;
  }
}

}  // namespace
}  // namespace omnihub::email
