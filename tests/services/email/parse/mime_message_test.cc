// MIME parsing: the multilingual corpus in tests/data/email (written by make_corpus.py) must read
// back as the exact UTF-8 text below, and damaged or unusual mail must still yield what can be read.
#include "services/email/parse/mime_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/base/sha256.h"
#include "common/base/text.h"
#include "services/email/parse/auto_reply.h"
#include "services/email/parse/unicode_text.h"

namespace omnihub::email {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::filesystem::path CorpusDir() {
  if (const char* dir = std::getenv("OMNIHUB_EMAIL_CORPUS")) return dir;
  return std::filesystem::path(OMNIHUB_SOURCE_DIR) / "tests" / "data" / "email";
}

std::string ReadCorpus(const std::string& name) {
  std::ifstream in(CorpusDir() / name, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing corpus file " << (CorpusDir() / name);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

ParsedEmail ParseOk(std::string_view raw, const MimeOptions& options = {}) {
  base::Result<ParsedEmail> parsed = ParseMimeMessage(raw, options);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? std::move(parsed).value() : ParsedEmail{};
}

ParsedEmail ParseCorpus(const std::string& name) { return ParseOk(ReadCorpus(name)); }

// The PDF bytes make_corpus.py attaches.
const std::string kPdf = "%PDF-1.4\n% test attachment\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

struct CorpusCase {
  const char* file;
  const char* subject;
  const char* from;
  const char* attachment_name;
  const char* attachment_type;
  const char* text;
};

const CorpusCase kCorpus[] = {
    {"hu_iso-8859-2.eml", "Árvíztűrő tükörfúrógép", "Kovács Árpád <arpad.kovacs@example.hu>", "számla_űrlap.pdf",
     "application/pdf", "Jó napot! A rendelésem sérülten érkezett, kérem cseréljék ki.\nÁrvíztűrő tükörfúrógép"},
    {"hu_windows-1250.eml", "„Sürgős” – sérült csomag", "Nagy Éva <eva.nagy@example.hu>", "számla ősz.pdf",
     "application/pdf", "„Sürgős” – a csomag sérülten érkezett.\nKöszönöm a gyors segítséget!"},
    {"bg_windows-1251.eml", "Здравейте, поръчката ми пристигна повредена", "Иван Петров <ivan@example.bg>",
     "снимка на щетата.jpg", "image/jpeg", "Здравейте, поръчката ми пристигна повредена.\nМоля, изпратете нова."},
    {"bg_koi8-r_qp.eml", "Въпрос за доставката", "Мария Георгиева <maria@example.bg>", "фактура.pdf",
     "application/pdf", "Добър ден! Кога ще пристигне пратката ми?\nБлагодаря предварително."},
    {"he_iso-8859-8.eml", "שלום, ההזמנה שלי הגיעה פגומה", "דנה כהן <dana@example.co.il>", "קבלה.pdf",
     "application/pdf", "שלום,\nההזמנה שלי הגיעה פגומה. אפשר לקבל החזר?"},
    // Second line in NFC: windows-1255 text typed bet, dagesh, qamats reads back as bet, qamats (class
    // 18), dagesh (class 21); letters with points stay decomposed (their precomposed forms are
    // composition exclusions).
    {"he_windows-1255.eml", "תודה רבה על העזרה", "Yossi Levi <yossi@example.co.il>", "חשבונית.pdf",
     "application/pdf",
     "תודה רבה על העזרה!\n"
     "\u05E9\u05B8\u05C1\u05DC\u05D5\u05B9\u05DD \u05D5\u05D1\u05B8\u05BC\u05E8\u05D5\u05BC\u05DA\u05B0"},
    {"hy_utf-8_base64.eml", "Բարեւ, պատվերս վնասված է հասել", "Արամ Սարգսյան <aram@example.am>", "նկար.jpg",
     "image/jpeg", "Բարեւ, պատվերս վնասված է հասել։\nԽնդրում եմ օգնել։"},
    // Raw GB2312 subject, sender name and attachment name (no RFC 2047): read in the text's charset.
    {"zh_gb2312_raw_headers.eml", "订单还没有到", "王芳 <wang.fang@example.cn>", "发票.pdf", "application/pdf",
     "您好，我的订单还没有到，请帮忙查一下。\n谢谢！"},
};

class MimeCorpusTest : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(MimeCorpusTest, ReadsBackAsExactUtf8) {
  const CorpusCase& c = GetParam();
  const ParsedEmail mail = ParseCorpus(c.file);
  EXPECT_EQ(mail.subject, c.subject);
  EXPECT_EQ(mail.from, c.from);
  EXPECT_EQ(mail.text, c.text);
  EXPECT_EQ(mail.full_text, c.text);
  EXPECT_FALSE(mail.quoted_text_trimmed);
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].filename, c.attachment_name);
  EXPECT_EQ(mail.attachments[0].media_type, c.attachment_type);
  EXPECT_EQ(mail.attachments[0].size, mail.attachments[0].content.size());
  EXPECT_EQ(mail.attachments[0].sha256, base::Sha256(mail.attachments[0].content));
  EXPECT_EQ(mail.date_us, 1699952400000000);  // Tue, 14 Nov 2023 10:00:00 +0100
  EXPECT_THAT(mail.flags, IsEmpty());
  EXPECT_THAT(mail.warnings, IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Languages, MimeCorpusTest, ::testing::ValuesIn(kCorpus),
                         [](const ::testing::TestParamInfo<CorpusCase>& param_info) {
                           std::string name = param_info.param.file;
                           name = name.substr(0, name.find('.'));
                           for (char& ch : name) {
                             if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(MimeMessageTest, AlternativePrefersPlainTextAndKeepsHtml) {
  const ParsedEmail mail = ParseCorpus("alternative.eml");
  EXPECT_EQ(mail.text, "Plain version of the answer.");
  // The line break before a boundary belongs to the boundary (RFC 2046), not to the HTML.
  EXPECT_EQ(mail.html, "<html><body><p>HTML <b>version</b> of the answer.</p></body></html>");
  EXPECT_EQ(mail.message_id, "alt@example.com");
  EXPECT_THAT(mail.to, ElementsAre("Support <support@example.com>"));
}

TEST(MimeMessageTest, HtmlOnlyBodyBecomesReadableText) {
  const ParsedEmail mail = ParseCorpus("html_only.eml");
  EXPECT_EQ(mail.text,
            "Order status\n\n"
            "Hello & welcome,\nyour order:\n\n"
            "- Item one\n- Item two\n\n"
            "Fish & chips cost £5 — cheap!\n\n"
            "Total 5.00");
  EXPECT_THAT(mail.html, HasSubstr("<script>alert('x')</script>"));
}

TEST(MimeMessageTest, AlternativeWithBlankPlainPartUsesHtml) {
  const ParsedEmail mail = ParseOk(
      "Subject: s\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n"
      "--a\r\nContent-Type: text/plain\r\n\r\n \r\n"
      "--a\r\nContent-Type: text/html\r\n\r\n<p>Only <i>here</i></p>\r\n--a--\r\n");
  EXPECT_EQ(mail.text, "Only here");
}

TEST(MimeMessageTest, NestedMultipartFindsBodyInlineImageAndAttachment) {
  const ParsedEmail mail = ParseCorpus("nested.eml");
  EXPECT_EQ(mail.text, "Plain version of the nested answer.");
  EXPECT_THAT(mail.html, HasSubstr("nested answer"));
  ASSERT_EQ(mail.attachments.size(), 2u);
  EXPECT_EQ(mail.attachments[0].media_type, "image/png");
  EXPECT_TRUE(mail.attachments[0].is_inline);
  EXPECT_EQ(mail.attachments[1].filename, "terms.pdf");
  EXPECT_FALSE(mail.attachments[1].is_inline);
  EXPECT_EQ(mail.attachments[1].content, kPdf);
}

TEST(MimeMessageTest, ForwardedMessageIsAppendedWithItsAttachments) {
  const ParsedEmail mail = ParseCorpus("forwarded.eml");
  EXPECT_EQ(mail.text,
            "FYI, see the customer's message below.\n\n"
            "---------- Forwarded message ----------\n"
            "From: Bob Builder <bob@example.org>\n"
            "Date: Mon, 13 Nov 2023 09:30:00 +0000\n"
            "Subject: Original question\n\n"
            "The parcel never arrived.");
  EXPECT_FALSE(mail.quoted_text_trimmed);
  EXPECT_THAT(mail.flags, Contains("forwarded"));
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].filename, "invoice.pdf");
  EXPECT_EQ(mail.attachments[0].content, kPdf);
  EXPECT_EQ(mail.subject, "Fwd: Original question");  // the outer message's headers, not the inner's
  EXPECT_EQ(mail.message_id, "fwd@example.com");
}

TEST(MimeMessageTest, Rfc2231ContinuedFileNameIsJoinedAndDecoded) {
  const ParsedEmail mail = ParseCorpus("rfc2231_continuation.eml");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].filename, "été résumé.pdf");
}

TEST(MimeMessageTest, OutlookEncodedWordsInQuotedFileNameAreDecoded) {
  const ParsedEmail mail = ParseCorpus("outlook_filename.eml");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].filename, "Rechnung März 2024 – Übersicht.pdf");
}

TEST(MimeMessageTest, AttachmentFileNameLosesDirectoryPart) {
  const ParsedEmail mail = ParseOk(
      "Subject: s\r\nContent-Type: application/pdf\r\n"
      "Content-Disposition: attachment; filename=\"C:\\\\fakepath\\\\..\\\\x.pdf\"\r\n\r\nabc");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].filename, "x.pdf");
}

TEST(MimeMessageTest, MissingDateIsZeroWithWarning) {
  const ParsedEmail mail = ParseCorpus("missing_date.eml");
  EXPECT_EQ(mail.date_us, 0);
  EXPECT_THAT(mail.warnings, Contains("no Date header"));
  EXPECT_EQ(mail.text, "Hello.");
}

TEST(MimeMessageTest, GarbledDateIsZeroWithWarning) {
  const ParsedEmail mail = ParseCorpus("garbled_date.eml");
  EXPECT_EQ(mail.date_us, 0);
  EXPECT_THAT(mail.warnings, Contains(HasSubstr("unparsable Date header 'Someday, 32 Foo 20x3 99:99'")));
  EXPECT_THAT(mail.flags, Not(Contains("partial-parse")));
}

TEST(MimeMessageTest, MissingMessageIdIsEmpty) {
  const ParsedEmail mail = ParseCorpus("missing_message_id.eml");
  EXPECT_EQ(mail.message_id, "");
  EXPECT_EQ(mail.subject, "No id");
}

TEST(MimeMessageTest, ThreadingIdsLoseTheirBrackets) {
  const ParsedEmail mail = ParseCorpus("quote_gmail.eml");
  EXPECT_EQ(mail.message_id, "quote_gmail@example.com");
  EXPECT_THAT(mail.in_reply_to, ElementsAre("order-1234@example.com"));
  EXPECT_THAT(mail.references, ElementsAre("order-1000@example.com", "order-1234@example.com"));
}

TEST(MimeMessageTest, AddressesAreDecodedQuotedWhenNeededAndGroupsFlattened) {
  const ParsedEmail mail = ParseOk(
      "From: \"Doe, Jane\" <jane@example.com>, other@example.com\r\n"
      "To: =?utf-8?q?J=C3=BCrgen?= <jurgen@example.de>, Team: a@example.com, B <b@example.com>;\r\n"
      "Cc: c@example.com\r\nSubject: s\r\n\r\nx");
  EXPECT_EQ(mail.from, "\"Doe, Jane\" <jane@example.com>");
  EXPECT_THAT(mail.to, ElementsAre("Jürgen <jurgen@example.de>", "a@example.com", "B <b@example.com>"));
  EXPECT_THAT(mail.cc, ElementsAre("c@example.com"));
}

TEST(MimeMessageTest, AutoReplyIsFlagged) {
  EXPECT_THAT(ParseCorpus("auto_reply.eml").flags, ElementsAre("auto-reply"));
}

TEST(MimeMessageTest, BulkMailIsFlagged) { EXPECT_THAT(ParseCorpus("bulk_list.eml").flags, ElementsAre("bulk")); }

TEST(MimeMessageTest, DeliveryReportIsFlaggedAsBounce) {
  const ParsedEmail mail = ParseCorpus("bounce.eml");
  EXPECT_THAT(mail.flags, ElementsAre("auto-reply", "bounce"));
  EXPECT_EQ(mail.text, "Your message could not be delivered.");
  ASSERT_EQ(mail.attachments.size(), 1u);
  EXPECT_EQ(mail.attachments[0].media_type, "message/delivery-status");
}

TEST(AutoReplyTest, HumanMarkersAndReceiptSuppressionAreNotAutomatic) {
  AutomationSignals signals;
  signals.headers = {{"Auto-Submitted", "no"}, {"X-Auto-Response-Suppress", "DR, RN"}, {"Precedence", "first-class"}};
  EXPECT_THAT(DetectAutomatedMail(signals), IsEmpty());
  signals.headers.emplace_back("X-Auto-Response-Suppress", "OOF, AutoReply");
  EXPECT_THAT(DetectAutomatedMail(signals), ElementsAre("auto-reply"));
}

TEST(AutoReplyTest, VendorAndListHeadersAreRecognized) {
  AutomationSignals signals;
  signals.headers = {{"auto-submitted", "auto-generated; owner-email=x@example.com"}, {"List-Unsubscribe", "<x>"}};
  signals.from_addr = "mailer-daemon@example.com";
  EXPECT_THAT(DetectAutomatedMail(signals), ElementsAre("auto-reply", "bulk", "bounce"));
  AutomationSignals receipt;
  receipt.media_type = "multipart/report";
  receipt.report_type = "disposition-notification";
  EXPECT_THAT(DetectAutomatedMail(receipt), ElementsAre("auto-reply"));
}

struct QuoteCase {
  const char* file;
  const char* text;
};

class MimeQuoteTest : public ::testing::TestWithParam<QuoteCase> {};

TEST_P(MimeQuoteTest, QuotedHistoryIsTrimmedAndFullTextKept) {
  const ParsedEmail mail = ParseCorpus(GetParam().file);
  EXPECT_TRUE(mail.quoted_text_trimmed);
  EXPECT_EQ(mail.text, GetParam().text);
  EXPECT_THAT(mail.full_text, HasSubstr(GetParam().text));
  EXPECT_GT(mail.full_text.size(), mail.text.size());
}

INSTANTIATE_TEST_SUITE_P(Styles, MimeQuoteTest,
                         ::testing::Values(QuoteCase{"quote_gmail.eml", "Thanks, that works."},
                                           QuoteCase{"quote_gmail_html.eml", "Thanks, that works."},
                                           QuoteCase{"quote_outlook.eml", "Still broken."},
                                           QuoteCase{"quote_outlook_de.eml", "Danke!"},
                                           QuoteCase{"quote_apple.eml", "Got it, thanks!"},
                                           QuoteCase{"quote_apple_attribution.eml", "Got it, thanks!"},
                                           QuoteCase{"quote_gt.eml", "Answer to your question: yes."}),
                         [](const ::testing::TestParamInfo<QuoteCase>& param_info) {
                           std::string name = param_info.param.file;
                           return name.substr(0, name.find('.'));
                         });

TEST(MimeMessageTest, GmailHtmlQuoteKeepsFullTextWithQuoteMarks) {
  const ParsedEmail mail = ParseCorpus("quote_gmail_html.eml");
  EXPECT_EQ(mail.full_text,
            "Thanks, that works.\n\n"
            "On Mon, Nov 13, 2023 at 9:30 AM Support Team <support@example.com> wrote:\n\n"
            "> Please try again.\n> Regards");
}

TEST(MimeMessageTest, UnclosedBoundaryStillYieldsTextFlaggedPartial) {
  const ParsedEmail mail = ParseCorpus("truncated.eml");
  EXPECT_EQ(mail.text, "The first part arrived.");
  EXPECT_THAT(mail.flags, Contains("partial-parse"));
  EXPECT_THAT(mail.warnings, Contains(HasSubstr("truncated")));
}

TEST(MimeMessageTest, UndeclaredEightBitTextAndHeadersFallBackToWindows1252) {
  const ParsedEmail mail = ParseCorpus("undeclared_8bit.eml");
  EXPECT_EQ(mail.text, "Le café était froid — merci.");
  EXPECT_EQ(mail.subject, "Café crème");
  EXPECT_EQ(mail.from, "René <rene@example.fr>");
  EXPECT_THAT(mail.flags, ElementsAre("undeclared-charset"));
  EXPECT_THAT(mail.warnings, Contains(HasSubstr("header 'subject'")));
}

TEST(MimeMessageTest, BodyLosesBlankLinesAtTheEndsButKeepsIndentation) {
  const ParsedEmail mail = ParseOk("Subject: s\r\n\r\n\r\n  \r\n    indented table\r\n  row 2\r\n\r\n \r\n");
  EXPECT_EQ(mail.text, "    indented table\n  row 2");
}

TEST(MimeMessageTest, UndeclaredTextThatIsValidUtf8IsReadAsUtf8) {
  const ParsedEmail mail = ParseOk("Subject: s\r\nContent-Type: text/plain\r\n\r\nNaïve café\r\n");
  EXPECT_EQ(mail.text, "Naïve café");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeMessageTest, InvalidBytesInDeclaredCharsetBecomeReplacementCharacters) {
  const ParsedEmail mail = ParseOk("Subject: s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nab\xff\xfe" "c");
  EXPECT_EQ(mail.text, "ab\uFFFD\uFFFDc");
  EXPECT_THAT(mail.warnings, Contains(HasSubstr("replaced by U+FFFD")));
}

TEST(MimeMessageTest, UnknownCharsetIsReadLikeAnUndeclaredOne) {
  const ParsedEmail mail = ParseOk("Subject: s\r\nContent-Type: text/plain; charset=x-no-such\r\n\r\ncaf\xe9");
  EXPECT_EQ(mail.text, "café");
  EXPECT_THAT(mail.flags, Contains("undeclared-charset"));
  EXPECT_THAT(mail.warnings, Contains("unknown charset 'x-no-such'"));
}

TEST(MimeMessageTest, TextAndSubjectAreNormalizedToNfc) {
  // "e" + COMBINING ACUTE ACCENT in both; NFC composes U+00E9.
  const ParsedEmail mail = ParseOk(
      "Subject: =?utf-8?q?Cafe=CC=81?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCafe\xcc\x81\r\n");
  EXPECT_EQ(mail.subject, "Caf\u00e9");
  EXPECT_EQ(mail.text, "Caf\u00e9");
}

TEST(MimeMessageTest, FormatFlowedLinesAreJoined) {
  const ParsedEmail mail = ParseOk(
      "Subject: s\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n"
      "This is one \r\nparagraph.\r\n\r\n> quoted \r\n> line\r\n");
  EXPECT_EQ(mail.full_text, "This is one paragraph.\n\n> quoted line");
}

TEST(MimeMessageTest, MboxSeparatorLineIsSkipped) {
  const ParsedEmail mail = ParseOk("From ann@example.com Tue Nov 14 10:00:00 2023\nSubject: s\n\nbody\n");
  EXPECT_EQ(mail.subject, "s");
  EXPECT_EQ(mail.text, "body");
}

TEST(MimeMessageTest, EncryptedBodyIsFlagged) {
  const ParsedEmail mail = ParseOk(
      "Subject: secret\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=e\r\n\r\n"
      "--e\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
      "--e\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n--e--\r\n");
  EXPECT_THAT(mail.flags, Contains("encrypted"));
  EXPECT_EQ(mail.text, "");
}

TEST(MimeMessageTest, AttachmentOverTheLimitKeepsMetadataOnly) {
  MimeOptions options;
  options.max_attachment_bytes = 10;
  const ParsedEmail mail = ParseOk(ReadCorpus("nested.eml"), options);
  ASSERT_EQ(mail.attachments.size(), 2u);
  const EmailAttachment& pdf = mail.attachments[1];
  EXPECT_EQ(pdf.filename, "terms.pdf");
  EXPECT_EQ(pdf.content, "");
  EXPECT_EQ(pdf.size, kPdf.size());
  EXPECT_EQ(pdf.sha256, base::Sha256(kPdf));
  EXPECT_THAT(mail.flags, Contains("attachment-too-large"));
}

TEST(MimeMessageTest, HeaderOnlyMessageIsCompleteNotPartial) {
  const ParsedEmail mail = ParseOk("Subject: only a subject\r\n");
  EXPECT_EQ(mail.subject, "only a subject");
  EXPECT_THAT(mail.flags, IsEmpty());
}

TEST(MimeMessageTest, BodyWithoutHeadersIsReadAndFlagged) {
  const ParsedEmail mail = ParseOk("\r\nJust a body, no headers.\r\n");
  EXPECT_EQ(mail.text, "Just a body, no headers.");
  EXPECT_THAT(mail.flags, Contains("partial-parse"));
}

TEST(MimeMessageTest, BinaryGarbageIsAnError) {
  base::Result<ParsedEmail> parsed = ParseMimeMessage(ReadCorpus("garbage.bin"));
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsInvalidArgument());
  EXPECT_THAT(parsed.status().message(), HasSubstr("not a mail message"));
}

TEST(MimeMessageTest, EmptyOrUselessInputIsAnError) {
  EXPECT_EQ(ParseMimeMessage("").status().message(), "empty message");
  EXPECT_EQ(ParseMimeMessage("\r\n\r\n  ").status().message(), "empty message");
  base::Result<ParsedEmail> useless = ParseMimeMessage("X-Nothing: here\r\n\r\n");
  ASSERT_FALSE(useless.ok());
  EXPECT_THAT(useless.status().message(), HasSubstr("no usable content"));
  EXPECT_FALSE(ParseMimeMessage("\r\n\x01\x02\x03\x04\x05\x06\x07\x08").ok());
}

TEST(MimeMessageTest, DeepNestingIsCutWithPartialFlag) {
  std::string raw = "Subject: deep\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n";
  for (int i = 1; i < 300; ++i) {
    raw += "--b" + std::to_string(i - 1) + "\r\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i) +
           "\r\n\r\n";
  }
  raw += "--b299\r\nContent-Type: text/plain\r\n\r\ninnermost\r\n";
  const ParsedEmail mail = ParseOk(raw);
  EXPECT_EQ(mail.subject, "deep");
  EXPECT_THAT(mail.flags, Contains("partial-parse"));
}

TEST(MimeMessageTest, ParsesConcurrentlyWithSameResults) {
  const std::string raw = ReadCorpus("bg_koi8-r_qp.eml");
  const ParsedEmail expected = ParseOk(raw);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        base::Result<ParsedEmail> parsed = ParseMimeMessage(raw);
        if (!parsed.ok() || parsed->text != expected.text || parsed->subject != expected.subject) ++mismatches[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

TEST(UnicodeTextTest, DecodesDeclaredAliasesAndFallsBack) {
  EXPECT_EQ(DecodeToUtf8("\xf9\xec\xe5\xed", "ISO-8859-8-I").utf8, "שלום");
  EXPECT_EQ(DecodeToUtf8("\x93hi\x94", "iso-8859-1").utf8, "“hi”");  // read as windows-1252
  const DecodedText undeclared = DecodeToUtf8("caf\xe9", "");
  EXPECT_EQ(undeclared.utf8, "café");
  EXPECT_TRUE(undeclared.undeclared_fallback);
  EXPECT_FALSE(DecodeToUtf8("caf\xc3\xa9", "").undeclared_fallback);
  EXPECT_EQ(DecodeToUtf8("+AOk-", "utf-7").utf8, "é");  // ASCII bytes, still decoded
  EXPECT_TRUE(DecodeToUtf8("caf\xe9", "utf-8//IGNORE").unknown_charset);
  EXPECT_EQ(DecodeToUtf8("ab\xe9", "shift_jis").utf8, "ab\uFFFD");  // truncated double-byte sequence
}

// glibc's UCS-4 converter passes 31-bit values through as the old 5- and 6-byte UTF-8 forms;
// ASCII text mislabelled as ucs-4 must still come out as valid UTF-8 (found by fuzz.mime_fuzz).
TEST(UnicodeTextTest, CodePointsBeyondUnicodeBecomeReplacementCharacters) {
  const DecodedText decoded = DecodeToUtf8("<htm", "ucs-4");
  EXPECT_TRUE(base::IsValidUtf8(decoded.utf8));
  // 0x3C68746D as a 6-byte sequence, each byte replaced (as WHATWG's decoder does).
  EXPECT_EQ(decoded.utf8, "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
  EXPECT_TRUE(decoded.replaced_invalid);
  EXPECT_EQ(DecodeToUtf8(std::string("\0\0\0A\0\0\x05\xd0", 8), "ucs-4").utf8, "A\u05D0");  // real UCS-4 still reads
}

TEST(UnicodeTextTest, UnwrapsFormatFlowed) {
  EXPECT_EQ(UnwrapFormatFlowed("one \ntwo\n-- \nsig", false), "one two\n-- \nsig");
  EXPECT_EQ(UnwrapFormatFlowed("Zusammen\x20\nschreiben", true), "Zusammenschreiben");
  EXPECT_EQ(UnwrapFormatFlowed(" >stuffed, not a quote\n", false), ">stuffed, not a quote");
  EXPECT_EQ(UnwrapFormatFlowed("> a \n>> b\n", false), "> a\n>> b");
}

TEST(UnicodeTextTest, CleansControlsAndLineEnds) {
  EXPECT_EQ(CleanBodyText("\xEF\xBB\xBFline1\r\nline2\rline3\x01\x7f\tend"), "line1\nline2\nline3\tend");
  EXPECT_EQ(CleanHeaderText("  a\r\n\t b\x01" "c  "), "a b c");
  EXPECT_TRUE(LooksLikeText("plain\r\ntext\f"));
  EXPECT_FALSE(LooksLikeText(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace omnihub::email
