// GET /api/v1/attachments/{sha256}: the stored bytes as a download a browser never renders
// (core/download_headers.h), and the refusals for a malformed or unknown SHA-256.
#include <gtest/gtest.h>

#include "services/api/core/download_headers.h"
#include "services/api/endpoints/endpoints.h"
#include "tests/services/api/endpoints/endpoint_harness.h"

namespace omnihub::api {
namespace {

const std::string kSha(64, 'a');

class AttachmentsTest : public testing::EndpointHarness {
 protected:
  AttachmentsTest() { EXPECT_TRUE(AddAttachmentRoutes(routes(), services()).ok()); }

  void Stored(const std::string& data, const std::string& media_type) {
    v1::QueryResponse r;
    r.mutable_get_blob()->set_data(data);
    r.mutable_get_blob()->set_media_type(media_type);
    hub.Answer(r);
  }
};

TEST_F(AttachmentsTest, HtmlIsADownloadInASandboxNeverAPage) {
  const std::string html = "<html><script>alert(document.cookie)</script></html>";
  Stored(html, "text/html; charset=utf-8");
  auto r = Get("/api/v1/attachments/" + kSha);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, html);
  EXPECT_EQ(r.content_type, "application/octet-stream");
  EXPECT_EQ(Header(r, "Content-Disposition"), "attachment; filename=\"" + kSha + "\"");
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(r, "Content-Security-Policy"), "sandbox");
  ASSERT_EQ(hub.requests.size(), 1u);
  EXPECT_EQ(hub.requests[0].get_blob().sha256(), std::string(32, '\xaa'));
  EXPECT_EQ(hub.timeouts[0], bus::kBulkQueryTimeout);
}

TEST_F(AttachmentsTest, OtherTypesKeepTheirTypeAndTheNameParameterNamesTheFile) {
  Stored(std::string("\x89PNG\r\n\x1a\n", 8), "image/png");
  auto r = Get("/api/v1/attachments/" + std::string(64, 'A') + "?name=scan%20%22front%22.png");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "image/png");
  EXPECT_EQ(Header(r, "Content-Disposition"),
            "attachment; filename=\"scan _front_.png\"; filename*=UTF-8''scan%20%22front%22.png");
  EXPECT_EQ(hub.requests[0].get_blob().sha256(), std::string(32, '\xaa'));  // any case
}

TEST_F(AttachmentsTest, BadAndUnknownDigests) {
  ExpectError(Get("/api/v1/attachments/abc"), 400, "bad_request", "sha256");
  ExpectError(Get("/api/v1/attachments/" + std::string(64, 'g')), 400, "bad_request", "sha256");
  ExpectError(Get("/api/v1/attachments/" + kSha + "?download=1"), 400, "bad_request", "download");
  EXPECT_TRUE(hub.requests.empty());
  hub.Fail(base::Status::NotFound("no stored bytes with SHA-256 " + kSha));
  ExpectError(Get("/api/v1/attachments/" + kSha), 404, "not_found", "sha256");
}

TEST(DownloadHeadersTest, TypesABrowserWouldRenderOrRunBecomeOpaque) {
  for (const char* type : {"text/html", "TEXT/HTML; charset=utf-8", "image/svg+xml", "application/xhtml+xml",
                           "text/xml", "application/xml", "application/rss+xml", "text/javascript",
                           "application/javascript", "multipart/related", "", "nonsense", "text/", "/html",
                           "text/plain\r\nX-Evil: 1", "a/b/c"}) {
    EXPECT_EQ(SafeDownloadMediaType(type), "application/octet-stream") << type;
  }
  EXPECT_EQ(SafeDownloadMediaType("image/png"), "image/png");
  EXPECT_EQ(SafeDownloadMediaType("Application/PDF"), "application/pdf");
  EXPECT_EQ(SafeDownloadMediaType("text/plain; charset=utf-8"), "text/plain");
}

TEST(DownloadHeadersTest, FileNamesAreQuotedSafelyWithTheUtf8NameBeside) {
  EXPECT_EQ(AttachmentDisposition("", "abc"), "attachment; filename=\"abc\"");
  EXPECT_EQ(AttachmentDisposition("a\\b\".txt", "x"), "attachment; filename=\"a_b_.txt\"; filename*=UTF-8''a%5Cb%22.txt");
  EXPECT_EQ(AttachmentDisposition("Übersicht.pdf", "x"),
            "attachment; filename=\"__bersicht.pdf\"; filename*=UTF-8''%C3%9Cbersicht.pdf");
  EXPECT_EQ(AttachmentDisposition("a\r\nb", "x"), "attachment; filename=\"a__b\"; filename*=UTF-8''a%0D%0Ab");
}

}  // namespace
}  // namespace omnihub::api
