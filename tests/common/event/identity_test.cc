#include "common/event/identity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <phonenumbers/phonenumberutil.h>

#include <string>

#include "common/base/coding.h"

namespace omnihub::event {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class IdentityTest : public ::testing::Test {
 protected:
  event::IdentityNormalizer us_{"US"};
  event::IdentityNormalizer de_{"de"};  // region codes are case-insensitive

  std::string PhoneValue(const event::IdentityNormalizer& n, std::string_view raw) {
    auto r = n.Phone(raw);
    EXPECT_TRUE(r.ok()) << raw << ": " << r.status().ToString();
    return r.ok() ? r->value() : "";
  }
  std::string PhoneError(const event::IdentityNormalizer& n, std::string_view raw) {
    auto r = n.Phone(raw);
    EXPECT_FALSE(r.ok()) << raw << " was accepted as " << (r.ok() ? r->value() : "");
    return r.ok() ? "" : r.status().message();
  }
};

// ---- Email (the parsing rules themselves: email_address_test.cc) ----

TEST_F(IdentityTest, EmailStripsDisplayNameAndCaseFolds) {
  auto r = us_.Email("Jane Doe <Jane.Doe@Example.COM>");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind(), v1::Identity::EMAIL);
  EXPECT_EQ(r->value(), "jane.doe@example.com");
  EXPECT_EQ(r->display_name(), "Jane Doe");
  EXPECT_TRUE(r->platform().empty());
}

// ---- Phone ----

TEST_F(IdentityTest, PhoneAcceptsCommonFormatsInUs) {
  EXPECT_EQ(PhoneValue(us_, "+44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(PhoneValue(us_, "(415) 555-0100"), "+14155550100");
  EXPECT_EQ(PhoneValue(us_, "+1-415-555-0100"), "+14155550100");
  EXPECT_EQ(PhoneValue(us_, "415.555.0100"), "+14155550100");
  EXPECT_EQ(PhoneValue(us_, "011 44 20 7946 0958"), "+442079460958");  // the US international prefix
  // "00" is not the US international prefix, but the national reading is impossible.
  EXPECT_EQ(PhoneValue(us_, "00 41 44 668 18 00"), "+41446681800");
}

TEST_F(IdentityTest, PhoneAcceptsCommonFormatsInGermany) {
  EXPECT_EQ(PhoneValue(de_, "030 123456"), "+4930123456");
  EXPECT_EQ(PhoneValue(de_, "0171 1234567"), "+491711234567");
  EXPECT_EQ(PhoneValue(de_, "00 41 44 668 18 00"), "+41446681800");
  EXPECT_EQ(PhoneValue(de_, "+49 (0)30 123456"), "+4930123456");
  EXPECT_EQ(PhoneValue(de_, "+1 415 555 0100"), "+14155550100");
  // The same national digits mean a different number in another region.
  EXPECT_EQ(PhoneValue(de_, "(415) 555-0100"), "+494155550100");
}

TEST_F(IdentityTest, PhoneAcceptsPossibleNumbersOutsideAllocatedRanges) {
  // Possible (right length) but not "valid" in libphonenumber's metadata: fictional area code 555
  // and an unassigned one. Providers deliver such numbers (new ranges, test numbers).
  const auto& util = *i18n::phonenumbers::PhoneNumberUtil::GetInstance();
  for (std::string_view raw : {"+1 555 555 0100", "+1 123 456 7890"}) {
    i18n::phonenumbers::PhoneNumber pn;
    ASSERT_EQ(util.Parse(std::string(raw), "US", &pn), i18n::phonenumbers::PhoneNumberUtil::NO_PARSING_ERROR);
    ASSERT_FALSE(util.IsValidNumber(pn)) << raw << " is valid; pick another example";
  }
  EXPECT_EQ(PhoneValue(us_, "+1 555 555 0100"), "+15555550100");
  EXPECT_EQ(PhoneValue(us_, "+1 123 456 7890"), "+11234567890");
}

TEST_F(IdentityTest, WhatsAppPrefixedNumberEqualsPlainPhone) {
  auto plain = us_.Phone("+1 415 555 0100");
  auto wa = us_.Phone("whatsapp:+14155550100");
  ASSERT_TRUE(plain.ok() && wa.ok());
  EXPECT_EQ(wa->kind(), v1::Identity::PHONE);
  EXPECT_EQ(wa->value(), plain->value());
  EXPECT_EQ(event::IdentityKey(*wa), event::IdentityKey(*plain));
  EXPECT_EQ(PhoneValue(us_, "tel:+1-415-555-0100"), "+14155550100");
  EXPECT_EQ(PhoneValue(us_, "SMS:+14155550100"), "+14155550100");
  EXPECT_EQ(PhoneValue(us_, "  whatsapp: +1 415 555 0100 "), "+14155550100");
}

TEST_F(IdentityTest, PhoneRejectsImpossibleNumbers) {
  EXPECT_EQ(PhoneError(us_, "123"), "invalid phone number '123' (default region US): too short");
  EXPECT_THAT(PhoneError(us_, "+1415555010000000"), HasSubstr("too long"));
  EXPECT_THAT(PhoneError(us_, "+999 123 456"), HasSubstr("unknown country code"));
  // Without the +, these digits are read as a US national number, which is too long.
  EXPECT_THAT(PhoneError(us_, "447946095800"), HasSubstr("too long"));
  // Possible only when dialled locally: its E.164 form would not identify the customer.
  EXPECT_THAT(PhoneError(de_, "123"), HasSubstr("(default region DE)"));
}

TEST_F(IdentityTest, PhoneRejectsLettersAndEmptyInput) {
  EXPECT_THAT(PhoneError(us_, "abc"), HasSubstr("letters"));
  EXPECT_THAT(PhoneError(us_, "ACME2024"), HasSubstr("letters"));
  EXPECT_THAT(PhoneError(us_, "1-800-FLOWERS"), HasSubstr("letters"));
  EXPECT_THAT(PhoneError(us_, "+1 415 555 0100 ext. 5"), HasSubstr("letters"));
  EXPECT_THAT(PhoneError(us_, ""), HasSubstr("empty"));
  EXPECT_THAT(PhoneError(us_, "whatsapp:"), HasSubstr("empty"));
  EXPECT_THAT(PhoneError(us_, "---"), HasSubstr("not a phone number"));
  EXPECT_THAT(PhoneError(us_, "+1 415\n555 0100"), HasSubstr("control character"));
}

TEST_F(IdentityTest, PhoneErrorNamesUnknownRegion) {
  event::IdentityNormalizer bad("XX");
  EXPECT_EQ(PhoneValue(bad, "+14155550100"), "+14155550100");
  EXPECT_THAT(PhoneError(bad, "4155550100"), HasSubstr("default region is not a known region"));
  EXPECT_FALSE(event::IdentityNormalizer::IsSupportedRegion("XX"));
  EXPECT_TRUE(event::IdentityNormalizer::IsSupportedRegion("de"));
}

// ---- Platform ----

TEST_F(IdentityTest, PlatformLowerCasesNameAndKeepsIdsVerbatim) {
  auto r = us_.Platform("Telegram", "MyBot", "AbC:123", "  @jane ", " Jane\nDoe ");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->kind(), v1::Identity::PLATFORM);
  EXPECT_EQ(r->platform(), "telegram");
  EXPECT_EQ(r->account(), "MyBot");
  EXPECT_EQ(r->value(), "AbC:123");
  EXPECT_EQ(r->handle(), "@jane");
  EXPECT_EQ(r->display_name(), "Jane Doe");
}

TEST_F(IdentityTest, PlatformAcceptsEmptyAccountAndCustomNames) {
  EXPECT_TRUE(us_.Platform("x", "", "42").ok());
  EXPECT_TRUE(us_.Platform("line_app-2", "acct", "42").ok());
  EXPECT_TRUE(us_.Platform(std::string(32, 'p'), "acct", "42").ok());
  EXPECT_TRUE(us_.Platform("whatsapp", "15550783881", "US.13491208655302741918").ok());
}

TEST_F(IdentityTest, PlatformRejectsBadNamesAndIds) {
  EXPECT_THAT(us_.Platform("", "a", "1").status().message(), HasSubstr("platform name is empty"));
  EXPECT_THAT(us_.Platform("tele gram", "a", "1").status().message(), HasSubstr("invalid platform name"));
  EXPECT_THAT(us_.Platform("télégram", "a", "1").status().message(), HasSubstr("invalid platform name"));
  EXPECT_THAT(us_.Platform(std::string(33, 'p'), "a", "1").status().message(), HasSubstr("1-32 characters"));
  EXPECT_THAT(us_.Platform("email", "a", "1").status().message(), HasSubstr("reserved"));
  EXPECT_THAT(us_.Platform("telegram", "a", "").status().message(), HasSubstr("user id of platform 'telegram' is empty"));
  EXPECT_TRUE(us_.Platform("telegram", "a", std::string(256, '9')).ok());
  EXPECT_THAT(us_.Platform("telegram", "a", std::string(257, '9')).status().message(), HasSubstr("longer than 256"));
  EXPECT_THAT(us_.Platform("telegram", "a", "12\x7f").status().message(), HasSubstr("control characters"));
  EXPECT_THAT(us_.Platform("telegram", "a", "12\xc3").status().message(), HasSubstr("invalid UTF-8"));
  EXPECT_THAT(us_.Platform("telegram", "a\n", "12").status().message(), HasSubstr("account"));
}

// ---- SMS addresses: phone, short code, alphanumeric sender ----

TEST_F(IdentityTest, SmsAddressReadsE164AndDigitOnlyInternationalNumbersAsPhones) {
  auto e164 = us_.SmsAddress("+14155550100");
  ASSERT_TRUE(e164.ok()) << e164.status().ToString();
  EXPECT_EQ(e164->kind(), v1::Identity::PHONE);
  EXPECT_EQ(e164->value(), "+14155550100");
  // Vonage's msisdn: E.164 digits without '+', read as international in any region.
  EXPECT_EQ(us_.SmsAddress("447700900001")->value(), "+447700900001");
  EXPECT_EQ(de_.SmsAddress("4930123456")->value(), "+4930123456");
  EXPECT_EQ(us_.SmsAddress("14155550100")->value(), "+14155550100");
  // A national number with separators is read in the region.
  EXPECT_EQ(us_.SmsAddress("(415) 555-0100")->value(), "+14155550100");
  EXPECT_EQ(us_.SmsAddress("0301234567", "DE")->value(), "+49301234567");
  EXPECT_EQ(us_.SmsAddress("tel:+14155550100")->value(), "+14155550100");
}

TEST_F(IdentityTest, SmsAddressStripsWhatsAppPrefixAndAlwaysGivesAPhone) {
  auto wa = us_.SmsAddress("whatsapp:+14155238886");
  ASSERT_TRUE(wa.ok()) << wa.status().ToString();
  EXPECT_EQ(wa->kind(), v1::Identity::PHONE);
  EXPECT_EQ(wa->value(), "+14155238886");
  EXPECT_EQ(event::IdentityKey(*wa), event::IdentityKey(*us_.SmsAddress("+14155238886")));
  EXPECT_EQ(us_.SmsAddress("WhatsApp:14155238886")->value(), "+14155238886");
  EXPECT_THAT(us_.SmsAddress("whatsapp:AcmeBank").status().message(), HasSubstr("letters"));
  EXPECT_THAT(us_.SmsAddress("whatsapp:").status().message(), HasSubstr("empty"));
}

TEST_F(IdentityTest, SmsAddressClassifiesShortDigitStringsAsShortCodesOfTheRegion) {
  auto code = us_.SmsAddress("72345");
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->kind(), v1::Identity::SHORT_CODE);
  EXPECT_EQ(code->value(), "72345");
  EXPECT_EQ(code->account(), "US");
  EXPECT_EQ(us_.SmsAddress(" 72345 ", "gb")->account(), "GB");
  EXPECT_EQ(de_.SmsAddress("72345")->account(), "DE");
  EXPECT_EQ(us_.SmsAddress("123")->kind(), v1::Identity::SHORT_CODE);
  // Eight digits whose '+' reading is no possible number ("+1 234 5678" is local-only).
  auto eight = us_.SmsAddress("12345678");
  ASSERT_TRUE(eight.ok()) << eight.status().ToString();
  EXPECT_EQ(eight->kind(), v1::Identity::SHORT_CODE);
  // The same code in two regions is two identities.
  EXPECT_NE(event::IdentityKey(*us_.SmsAddress("72345", "US")), event::IdentityKey(*us_.SmsAddress("72345", "CA")));
  EXPECT_THAT(us_.SmsAddress("12").status().message(), HasSubstr("invalid phone number '12'"));
  EXPECT_THAT(us_.SmsAddress("72345", "USA").status().message(), HasSubstr("invalid region 'USA'"));
}

TEST_F(IdentityTest, SmsAddressKeepsAlphanumericSenderIdsAsGiven) {
  auto sender = us_.SmsAddress("  AcmeBank ");
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  EXPECT_EQ(sender->kind(), v1::Identity::ALPHANUMERIC_SENDER);
  EXPECT_EQ(sender->value(), "AcmeBank");
  EXPECT_TRUE(sender->account().empty());
  EXPECT_EQ(us_.SmsAddress("Acme Bank")->value(), "Acme Bank");
  EXPECT_EQ(us_.SmsAddress("ACME2024")->kind(), v1::Identity::ALPHANUMERIC_SENDER);
  EXPECT_EQ(us_.SmsAddress("Bücherei")->kind(), v1::Identity::ALPHANUMERIC_SENDER);
  // Case is part of the id as the network delivered it.
  EXPECT_NE(event::IdentityKey(*us_.SmsAddress("AcmeBank")), event::IdentityKey(*us_.SmsAddress("ACMEBANK")));
  EXPECT_TRUE(us_.SmsAddress(std::string(32, 'A')).ok());
  EXPECT_THAT(us_.SmsAddress(std::string(33, 'A')).status().message(), HasSubstr("longer than 32"));
  EXPECT_THAT(us_.SmsAddress("Acme\x01" "Bank").status().message(), HasSubstr("control character"));
  EXPECT_THAT(us_.SmsAddress("Acme\xff").status().message(), HasSubstr("UTF-8"));
  EXPECT_THAT(us_.SmsAddress("   ").status().message(), HasSubstr("empty"));
}

TEST_F(IdentityTest, SmsAddressRefusesOtherChannelAddresses) {
  EXPECT_THAT(us_.SmsAddress("messenger:123456").status().message(), HasSubstr("'messenger:' channel address"));
  EXPECT_THAT(us_.SmsAddress("rcs:acme_agent").status().message(), HasSubstr("'rcs:' channel address"));
}

TEST_F(IdentityTest, ShortCodesAndSendersNeverMatchPhones) {
  auto code = us_.SmsAddress("72345");
  auto sender = us_.SmsAddress("AcmeBank");
  ASSERT_TRUE(code.ok() && sender.ok());
  v1::Identity phone_like = *code;
  phone_like.set_kind(v1::Identity::PHONE);
  EXPECT_NE(event::IdentityKey(*code), event::IdentityKey(phone_like));
  EXPECT_NE(event::IdentityKey(*sender), event::IdentityKey(*code));
  EXPECT_THAT(us_.Phone("AcmeBank").status().message(), HasSubstr("letters"));
}

TEST_F(IdentityTest, ShortCodeAndSenderValidateTheirValues) {
  EXPECT_EQ(us_.ShortCode("72345", "ca")->account(), "CA");
  EXPECT_THAT(us_.ShortCode("12").status().message(), HasSubstr("3-8 digits"));
  EXPECT_THAT(us_.ShortCode("123456789").status().message(), HasSubstr("3-8 digits"));
  EXPECT_THAT(us_.ShortCode("12a45").status().message(), HasSubstr("3-8 digits"));
  EXPECT_THAT(us_.AlphanumericSender("12345").status().message(), HasSubstr("has no letter"));
  EXPECT_THAT(us_.Platform("shortcode", "US", "1").status().message(), HasSubstr("reserved"));
  EXPECT_THAT(us_.Platform("sender", "", "x").status().message(), HasSubstr("reserved"));
}

// ---- Normalize ----

TEST_F(IdentityTest, NormalizeDispatchesByKindAndIsIdempotent) {
  v1::Identity raw;
  raw.set_kind(v1::Identity::EMAIL);
  raw.set_value("Jane <JANE@Example.com>");
  raw.set_platform("stray");
  auto once = us_.Normalize(raw);
  ASSERT_TRUE(once.ok());
  EXPECT_EQ(once->value(), "jane@example.com");
  EXPECT_EQ(once->display_name(), "Jane");
  EXPECT_TRUE(once->platform().empty());
  auto twice = us_.Normalize(*once);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->SerializeAsString(), once->SerializeAsString());

  raw.Clear();
  raw.set_kind(v1::Identity::PHONE);
  raw.set_value("whatsapp:+14155550100");
  raw.set_display_name("Jane");
  auto phone = us_.Normalize(raw);
  ASSERT_TRUE(phone.ok());
  EXPECT_EQ(phone->value(), "+14155550100");
  EXPECT_EQ(phone->display_name(), "Jane");

  raw.Clear();
  raw.set_kind(v1::Identity::PLATFORM);
  raw.set_platform("X");
  raw.set_account("acct");
  raw.set_value("42");
  raw.set_handle("@jane");
  auto platform = us_.Normalize(raw);
  ASSERT_TRUE(platform.ok());
  EXPECT_EQ(platform->platform(), "x");
  EXPECT_EQ(platform->handle(), "@jane");
}

TEST_F(IdentityTest, NormalizeHandlesShortCodesAndSendersIdempotently) {
  v1::Identity raw;
  raw.set_kind(v1::Identity::SHORT_CODE);
  raw.set_value(" 72345 ");
  raw.set_platform("stray");
  auto code = us_.Normalize(raw);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->value(), "72345");
  EXPECT_EQ(code->account(), "US");  // no account: the default region
  EXPECT_TRUE(code->platform().empty());
  EXPECT_EQ(us_.Normalize(*code)->SerializeAsString(), code->SerializeAsString());
  raw.set_account("gb");
  EXPECT_EQ(de_.Normalize(raw)->account(), "GB");

  raw.Clear();
  raw.set_kind(v1::Identity::ALPHANUMERIC_SENDER);
  raw.set_value(" AcmeBank ");
  raw.set_display_name("Acme Bank plc");
  auto sender = us_.Normalize(raw);
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  EXPECT_EQ(sender->value(), "AcmeBank");
  EXPECT_EQ(sender->display_name(), "Acme Bank plc");
  EXPECT_EQ(us_.Normalize(*sender)->SerializeAsString(), sender->SerializeAsString());
  raw.set_value("4155550100");
  EXPECT_FALSE(us_.Normalize(raw).ok());
}

TEST_F(IdentityTest, NormalizeRejectsUnspecifiedKind) {
  v1::Identity raw;
  raw.set_value("jane@example.com");
  auto r = us_.Normalize(raw);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unspecified"));
  raw.set_kind(static_cast<v1::Identity::Kind>(9));
  EXPECT_FALSE(us_.Normalize(raw).ok());
}

// ---- IdentityKey ----

TEST_F(IdentityTest, IdentityKeyDoesNotConfuseColonsInPlatformParts) {
  auto a = us_.Platform("telegram", "a:b", "c");
  auto b = us_.Platform("telegram", "a", "b:c");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(event::IdentityKey(*a), event::IdentityKey(*b));
  auto empty_account = us_.Platform("telegram", "", "a:b:c");
  ASSERT_TRUE(empty_account.ok());
  EXPECT_NE(event::IdentityKey(*empty_account), event::IdentityKey(*a));
}

TEST_F(IdentityTest, IdentityKeyIgnoresHandleAndDisplayName) {
  auto a = us_.Platform("telegram", "bot", "1", "@old", "Old Name");
  auto b = us_.Platform("telegram", "bot", "1", "@new", "New Name");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(event::IdentityKey(*a), event::IdentityKey(*b));
  EXPECT_EQ(event::IdentityKey(*us_.Email("Jane <jane@example.com>")), event::IdentityKey(*us_.Email("jane@EXAMPLE.com")));
}

TEST_F(IdentityTest, IdentityKeySeparatesKindsAndIsPrefixFree) {
  v1::Identity email, phone;
  email.set_kind(v1::Identity::EMAIL);
  email.set_value("+14155550100");  // not a real email, only to show that the kind is part of the key
  phone.set_kind(v1::Identity::PHONE);
  phone.set_value("+14155550100");
  EXPECT_NE(event::IdentityKey(email), event::IdentityKey(phone));

  auto short_one = us_.Email("jane@example.co");
  auto long_one = us_.Email("jane@example.com");
  const std::string k1 = event::IdentityKey(*short_one), k2 = event::IdentityKey(*long_one);
  EXPECT_FALSE(k2.starts_with(k1));
  EXPECT_EQ(k1, std::string("\x01\x0f") + "jane@example.co");
}

TEST_F(IdentityTest, IdentityFromKeyInvertsIdentityKey) {
  for (auto id : {us_.Email("jane@example.com"), us_.Phone("+14155550100"), us_.Platform("telegram", "a:b", "c")}) {
    ASSERT_TRUE(id.ok());
    auto back = event::IdentityFromKey(event::IdentityKey(*id));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(event::IdentityKey(*back), event::IdentityKey(*id));
    EXPECT_EQ(back->value(), id->value());
    EXPECT_EQ(back->account(), id->account());
  }
  EXPECT_FALSE(event::IdentityFromKey("").ok());
  EXPECT_FALSE(event::IdentityFromKey("\x01").ok());
  EXPECT_FALSE(event::IdentityFromKey(std::string("\x01\x03") + "abcd").ok());  // trailing byte
  EXPECT_FALSE(event::IdentityFromKey(std::string("\x07\x01") + "a").ok());     // unknown kind
}

TEST_F(IdentityTest, IdentityKeyLayoutOfShortCodesAndSenders) {
  // The worked examples of docs/identities.md.
  EXPECT_EQ(base::HexEncode(event::IdentityKey(*us_.SmsAddress("72345"))), "04025553053732333435");
  EXPECT_EQ(base::HexEncode(event::IdentityKey(*us_.SmsAddress("AcmeBank"))), "050841636d6542616e6b");
}

TEST_F(IdentityTest, IdentityFromKeyInvertsShortCodeAndSenderKeys) {
  for (auto id : {us_.SmsAddress("72345"), us_.SmsAddress("72345", "CA"), us_.SmsAddress("AcmeBank")}) {
    ASSERT_TRUE(id.ok());
    auto back = event::IdentityFromKey(event::IdentityKey(*id));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->SerializeAsString(), id->SerializeAsString());
  }
  EXPECT_FALSE(event::IdentityFromKey(std::string("\x04\x02") + "US").ok());  // short code without its value
}

// ---- ParseArgument / IdentityToArgument ----

TEST_F(IdentityTest, ParseArgumentAcceptsEveryForm) {
  auto email = us_.ParseArgument("email:Jane <Jane@Example.com>");
  ASSERT_TRUE(email.ok());
  EXPECT_EQ(email->value(), "jane@example.com");
  EXPECT_EQ(us_.ParseArgument("mailto:jane@example.com")->value(), "jane@example.com");
  EXPECT_EQ(us_.ParseArgument("phone:(415) 555-0100")->value(), "+14155550100");
  EXPECT_EQ(us_.ParseArgument("PHONE:+1 415 555 0100")->value(), "+14155550100");
  EXPECT_EQ(us_.ParseArgument("whatsapp:+14155550100")->value(), "+14155550100");
  EXPECT_EQ(us_.ParseArgument("whatsapp:+14155550100")->kind(), v1::Identity::PHONE);
  EXPECT_EQ(us_.ParseArgument("sms:+14155550100")->value(), "+14155550100");
  EXPECT_EQ(us_.ParseArgument("tel:+14155550100")->value(), "+14155550100");

  auto tg = us_.ParseArgument("telegram:mybot:12345");
  ASSERT_TRUE(tg.ok());
  EXPECT_EQ(tg->kind(), v1::Identity::PLATFORM);
  EXPECT_EQ(tg->platform(), "telegram");
  EXPECT_EQ(tg->account(), "mybot");
  EXPECT_EQ(tg->value(), "12345");
  for (std::string_view arg : {"messenger:page1:psid", "instagram:ig1:igsid", "x:acct:42", "line:acct:u1"}) {
    EXPECT_TRUE(us_.ParseArgument(arg).ok()) << arg;
  }
  auto empty_account = us_.ParseArgument("x::42");
  ASSERT_TRUE(empty_account.ok());
  EXPECT_EQ(empty_account->account(), "");
  auto colon_in_user = us_.ParseArgument("telegram:bot:a:b");
  ASSERT_TRUE(colon_in_user.ok());
  EXPECT_EQ(colon_in_user->value(), "a:b");
  auto wa_platform = us_.ParseArgument("whatsapp:15550783881:US.1349");
  ASSERT_TRUE(wa_platform.ok());
  EXPECT_EQ(wa_platform->kind(), v1::Identity::PLATFORM);
  EXPECT_EQ(wa_platform->platform(), "whatsapp");
}

TEST_F(IdentityTest, ParseArgumentAcceptsShortCodesAndSenders) {
  auto code = us_.ParseArgument("shortcode:GB:72345");
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  EXPECT_EQ(code->kind(), v1::Identity::SHORT_CODE);
  EXPECT_EQ(code->account(), "GB");
  EXPECT_EQ(code->value(), "72345");
  EXPECT_EQ(us_.ParseArgument("ShortCode:72345")->account(), "US");
  EXPECT_EQ(us_.ParseArgument("shortcode:ca:72345")->account(), "CA");
  auto sender = us_.ParseArgument("sender:Acme Bank");
  ASSERT_TRUE(sender.ok()) << sender.status().ToString();
  EXPECT_EQ(sender->kind(), v1::Identity::ALPHANUMERIC_SENDER);
  EXPECT_EQ(sender->value(), "Acme Bank");
  EXPECT_THAT(us_.ParseArgument("shortcode:US:1").status().message(), HasSubstr("3-8 digits"));
  EXPECT_THAT(us_.ParseArgument("shortcode:USA:72345").status().message(), HasSubstr("invalid region"));
  EXPECT_THAT(us_.ParseArgument("sender:").status().message(), HasSubstr("empty"));
}

TEST_F(IdentityTest, ParseArgumentErrorsSayWhatToFix) {
  EXPECT_EQ(us_.ParseArgument("foo:bar").status().message(),
            "unknown identity kind 'foo' (use email:ADDR, phone:NUMBER, whatsapp:NUMBER or PLATFORM:ACCOUNT:USER_ID)");
  EXPECT_THAT(us_.ParseArgument("Bad Kind:a:b").status().message(), HasSubstr("unknown identity kind 'Bad Kind'"));
  EXPECT_EQ(us_.ParseArgument("messenger:12345").status().message(),
            "identity 'messenger:12345' needs an account and a user id (use messenger:PAGE_ID:PSID)");
  EXPECT_EQ(us_.ParseArgument("Instagram:178414").status().message(),
            "identity 'Instagram:178414' needs an account and a user id (use instagram:IG_ACCOUNT_ID:IGSID)");
  EXPECT_THAT(us_.ParseArgument("jane@example.com").status().message(), HasSubstr("did you mean email:jane@example.com?"));
  EXPECT_THAT(us_.ParseArgument("+14155550100").status().message(), HasSubstr("did you mean phone:+14155550100?"));
  EXPECT_THAT(us_.ParseArgument("").status().message(), HasSubstr("empty identity"));
  EXPECT_THAT(us_.ParseArgument("email:nope").status().message(), HasSubstr("invalid email address 'nope': no '@'"));
  EXPECT_THAT(us_.ParseArgument("phone:12").status().message(), HasSubstr("invalid phone number '12'"));
  EXPECT_THAT(us_.ParseArgument("telegram:bot:").status().message(), HasSubstr("user id of platform 'telegram' is empty"));
  EXPECT_THAT(us_.ParseArgument("telegram:a%zz:1").status().message(), HasSubstr("%-escape"));
  EXPECT_THAT(us_.ParseArgument("email:a:b").status().message(), HasSubstr("invalid email address"));
}

TEST_F(IdentityTest, ParseArgumentTakesGlobalPlatformIdsWithoutAccount) {
  for (std::string_view arg : {"telegram:123456789", "TELEGRAM:123456789", "telegram::123456789"}) {
    auto tg = us_.ParseArgument(arg);
    ASSERT_TRUE(tg.ok()) << arg << ": " << tg.status().ToString();
    EXPECT_EQ(event::IdentityKey(*tg), event::IdentityKey(*us_.Platform("telegram", "", "123456789"))) << arg;
  }
  auto x = us_.ParseArgument("x:1582853809");
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  EXPECT_EQ(x->platform(), "x");
  EXPECT_EQ(x->account(), "");
  EXPECT_EQ(x->value(), "1582853809");
  EXPECT_FALSE(event::IsHandleReference(*x));
}

TEST_F(IdentityTest, ParseArgumentReadsAtHandleAsAHandleReference) {
  auto ref = us_.ParseArgument("x:@Ana_K");
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  EXPECT_EQ(ref->kind(), v1::Identity::PLATFORM);
  EXPECT_EQ(ref->platform(), "x");
  EXPECT_EQ(ref->account(), "");
  EXPECT_EQ(ref->value(), "");
  EXPECT_EQ(ref->handle(), "@Ana_K");
  EXPECT_TRUE(event::IsHandleReference(*ref));
  EXPECT_EQ(event::IdentityToArgument(*ref), "x:@Ana_K");
  EXPECT_TRUE(event::IsHandleReference(*us_.ParseArgument("telegram:@shop_fan")));
  // A handle reference is no identity: it cannot be stored or matched.
  EXPECT_FALSE(us_.Normalize(*ref).ok());

  EXPECT_EQ(us_.ParseArgument("x:@").status().message(),
            "invalid handle '@' of platform 'x': use '@' and 1-64 letters, digits or '_'");
  EXPECT_EQ(us_.ParseArgument("x:@ana k").status().message(),
            "invalid handle '@ana k' of platform 'x': use '@' and 1-64 letters, digits or '_'");
  // Only where user ids are global: a page-scoped id needs its page.
  EXPECT_THAT(us_.ParseArgument("messenger:@ana").status().message(), HasSubstr("use messenger:PAGE_ID:PSID"));
}

TEST_F(IdentityTest, WhatsAppUserIdWithoutAccountSaysWhichFormToUse) {
  EXPECT_EQ(us_.ParseArgument("whatsapp:US.13491208655302741918").status().message(),
            "invalid phone number 'US.13491208655302741918' (default region US): contains letters (alphanumeric "
            "sender ids and extensions are not phone numbers); a WhatsApp business-scoped user id is "
            "whatsapp:WABA_ID:USER_ID");
  EXPECT_THAT(us_.ParseArgument("whatsapp:12").status().message(), Not(HasSubstr("WABA_ID")));
}

TEST_F(IdentityTest, IdentityToArgumentPrintsShortFormsOfGlobalPlatforms) {
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("telegram", "", "123456789")), "telegram:123456789");
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("x", "", "1582853809", "@ana_k")), "x:1582853809");
  // Where the short form would not parse back, the long one.
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("x", "", "a:b")), "x::a:b");
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("x", "", "@42")), "x::@42");
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("telegram", "shop_bot", "42")), "telegram:shop_bot:42");
  // Page- and account-scoped platforms always name their account.
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("messenger", "1029384756", "6245")), "messenger:1029384756:6245");
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("whatsapp", "102290129340398", "US.1")),
            "whatsapp:102290129340398:US.1");
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("messenger", "", "6245")), "messenger::6245");
}

TEST_F(IdentityTest, IdentityToArgumentRoundTripsThroughParseArgument) {
  EXPECT_EQ(event::IdentityToArgument(*us_.Email("Jane <jane@example.com>")), "email:jane@example.com");
  EXPECT_EQ(event::IdentityToArgument(*us_.Phone("(415) 555-0100")), "phone:+14155550100");
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("telegram", "bot", "12345")), "telegram:bot:12345");
  EXPECT_EQ(event::IdentityToArgument(*us_.Platform("telegram", "a:b%", "c")), "telegram:a%3Ab%25:c");
  EXPECT_EQ(event::IdentityToArgument(*us_.SmsAddress("72345")), "shortcode:US:72345");
  EXPECT_EQ(event::IdentityToArgument(*us_.SmsAddress("AcmeBank")), "sender:AcmeBank");
  for (auto id : {us_.Email("jane@xn--bcher-kva.example"), us_.Phone("+442079460958"),
                  us_.Platform("telegram", "a:b", "c"), us_.Platform("telegram", "a", "b:c"),
                  us_.Platform("whatsapp", "", "US.1"), us_.Platform("x", "100%", "7"), us_.SmsAddress("72345", "GB"),
                  us_.SmsAddress("AcmeBank"), us_.SmsAddress("Acme:Bank"), us_.Platform("telegram", "", "42"),
                  us_.Platform("x", "", "1582853809"), us_.Platform("x", "", "a:b"), us_.Platform("x", "", "@42"),
                  us_.Platform("instagram", "17841400000", "igsid:1"), us_.Platform("messenger", "", "6245")}) {
    ASSERT_TRUE(id.ok());
    const std::string arg = event::IdentityToArgument(*id);
    auto back = us_.ParseArgument(arg);
    ASSERT_TRUE(back.ok()) << arg << ": " << back.status().ToString();
    EXPECT_EQ(event::IdentityKey(*back), event::IdentityKey(*id)) << arg;
  }
}

TEST(PhoneIdempotenceTest, NormalizingANormalizedTrunkPrefixedNumberKeepsIt) {
  // Found by the SMS webhook fuzzer: libphonenumber's E.164 output of this number read back
  // as another number.
  event::IdentityNormalizer n("US");
  for (const char* raw : {"+4900400770001", "4900400770001", "+49 0 30 1234567"}) {
    auto first = n.SmsAddress(raw);
    if (!first.ok()) continue;  // refusing is fine; changing on a second pass is not
    auto again = n.Normalize(*first);
    ASSERT_TRUE(again.ok()) << raw << ": " << again.status().ToString();
    EXPECT_EQ(again->value(), first->value()) << raw;
  }
}

}  // namespace
}  // namespace omnihub::event
