// Blobs through OMNI_BLOBS on a real nats-server: a 25 MiB blob (the email limit) goes out
// as chunks below the server's max_payload and comes back whole and verified; a blob put
// twice is stored once; a missing chunk and a tampered chunk are reported, not returned.
#include "common/bus/nats/nats_blob_store.h"

#include <memory>
#include <random>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "common/base/sha256.h"
#include "common/bus/nats/nats_connection.h"
#include "tests/support/nats_solo_test.h"

namespace omnihub::bus::nats {
namespace {

// Bytes that do not compress or repeat, so a chunk mixed up with another would show.
std::string RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 engine(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(engine());
  return out;
}

class NatsBlobStoreTest : public testing::NatsSoloTest {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(NatsSoloTest::SetUp());
    store_ = std::make_unique<NatsBlobStore>(*connection_, BlobStoreOptions{.replicas = 1});
    ASSERT_TRUE(store_->EnsureStream().ok());
  }

  // Messages stored in OMNI_BLOBS.
  uint64_t StoredMessages() {
    jsStreamInfo* info = nullptr;
    EXPECT_EQ(js_GetStreamInfo(&info, connection_->jetstream(), kBlobStream, nullptr, nullptr), NATS_OK);
    const uint64_t count = info == nullptr ? 0 : info->State.Msgs;
    jsStreamInfo_Destroy(info);
    return count;
  }

  std::unique_ptr<NatsBlobStore> store_;
};

TEST_F(NatsBlobStoreTest, A25MiBBlobRoundTripsThroughChunks) {
  const std::string blob = RandomBytes(25 << 20, 1);
  // The server's default max_payload is 1 MiB: chunks are a little smaller.
  EXPECT_LT(store_->chunk_bytes(), connection_->max_payload());
  const uint64_t chunks = (blob.size() + store_->chunk_bytes() - 1) / store_->chunk_bytes();
  auto hash = store_->Put(blob);
  ASSERT_TRUE(hash.ok()) << hash.status().ToString();
  EXPECT_EQ(*hash, base::Sha256Hex(blob));
  EXPECT_EQ(StoredMessages(), chunks);

  auto back = store_->Get(*hash);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == blob);

  // Content-addressed: the same bytes again add nothing.
  auto again = store_->Put(blob);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *hash);
  EXPECT_EQ(StoredMessages(), chunks);
}

TEST_F(NatsBlobStoreTest, SmallAndEmptyBlobsAreOneChunk) {
  for (const std::string& blob : {std::string(), std::string("hello")}) {
    auto hash = store_->Put(blob);
    ASSERT_TRUE(hash.ok()) << hash.status().ToString();
    auto back = store_->Get(*hash);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, blob);
  }
  EXPECT_EQ(StoredMessages(), 2u);
}

TEST_F(NatsBlobStoreTest, RefusesAndReportsWhatIsWrong) {
  auto too_big = store_->Put(std::string((25 << 20) + 1, 'x'));
  ASSERT_FALSE(too_big.ok());
  EXPECT_TRUE(too_big.status().IsInvalidArgument());
  EXPECT_FALSE(store_->Get("not-a-hash").ok());
  auto missing = store_->Get(base::Sha256Hex("never stored"));
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.status().IsNotFound()) << missing.status().ToString();
}

TEST_F(NatsBlobStoreTest, ATamperedChunkIsCorruptionNotData) {
  const std::string blob = RandomBytes(3 << 20, 2);
  auto hash = store_->Put(blob);
  ASSERT_TRUE(hash.ok());
  // Someone replaces chunk 1 with other bytes of the same length and headers.
  const std::string subject = "omni.blobs." + *hash + ".1";
  natsMsg* msg = nullptr;
  ASSERT_EQ(js_GetLastMsg(&msg, connection_->jetstream(), kBlobStream, subject.c_str(), nullptr, nullptr), NATS_OK);
  std::string bytes(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg)));
  bytes[0] = static_cast<char>(bytes[0] ^ 0x5a);
  natsMsg* forged = nullptr;
  ASSERT_EQ(natsMsg_Create(&forged, subject.c_str(), nullptr, bytes.data(), static_cast<int>(bytes.size())), NATS_OK);
  const char* value = nullptr;
  for (const char* header : {"Omni-Blob-Size", "Omni-Blob-Chunks"}) {
    ASSERT_EQ(natsMsgHeader_Get(msg, header, &value), NATS_OK);
    ASSERT_EQ(natsMsgHeader_Set(forged, header, value), NATS_OK);
  }
  ASSERT_EQ(js_PublishMsg(nullptr, connection_->jetstream(), forged, nullptr, nullptr), NATS_OK);
  natsMsg_Destroy(forged);
  natsMsg_Destroy(msg);

  auto back = store_->Get(*hash);
  ASSERT_FALSE(back.ok());
  EXPECT_TRUE(back.status().IsCorruption()) << back.status().ToString();
}

}  // namespace
}  // namespace omnihub::bus::nats
