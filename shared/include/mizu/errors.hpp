#pragma once
// Stable error codes shared by the backend (JSON error bodies) and the web app (field errors).
// A code never changes meaning once shipped; its human text lives in the i18n catalog as "error.<code>".
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace mizu {

using ErrorCode = std::string_view;

namespace err {
// Request-level
inline constexpr ErrorCode kRequired = "required";
inline constexpr ErrorCode kInvalidFormat = "invalid_format";
inline constexpr ErrorCode kInvalidJson = "invalid_json";
inline constexpr ErrorCode kNotFound = "not_found";
inline constexpr ErrorCode kMethodNotAllowed = "method_not_allowed";
inline constexpr ErrorCode kPayloadTooLarge = "payload_too_large";
inline constexpr ErrorCode kUnsupportedMediaType = "unsupported_media_type";
inline constexpr ErrorCode kInternal = "internal";
inline constexpr ErrorCode kUnauthorized = "unauthorized";
inline constexpr ErrorCode kForbidden = "forbidden";
inline constexpr ErrorCode kRateLimited = "rate_limited";
inline constexpr ErrorCode kLengthRequired = "length_required";
inline constexpr ErrorCode kHeadersTooLarge = "headers_too_large";
inline constexpr ErrorCode kBusy = "busy";
// Time and calendar
inline constexpr ErrorCode kYearOutOfRange = "year_out_of_range";
inline constexpr ErrorCode kDateInvalid = "date_invalid";
// Text validators
inline constexpr ErrorCode kEmailInvalid = "email_invalid";
inline constexpr ErrorCode kPhoneInvalid = "phone_invalid";
inline constexpr ErrorCode kMobileInvalid = "mobile_invalid";
inline constexpr ErrorCode kCustomerNumberInvalid = "customer_number_invalid";
inline constexpr ErrorCode kKanaInvalid = "kana_invalid";
inline constexpr ErrorCode kTooLong = "too_long";
inline constexpr ErrorCode kControlCharacter = "control_character";
inline constexpr ErrorCode kPasswordTooShort = "password_too_short";
inline constexpr ErrorCode kPasswordTooLong = "password_too_long";
inline constexpr ErrorCode kPasswordTooCommon = "password_too_common";
// Billing
inline constexpr ErrorCode kDiameterUnknown = "diameter_unknown";
inline constexpr ErrorCode kVolumeInvalid = "volume_invalid";
inline constexpr ErrorCode kTariffInvalid = "tariff_invalid";
// Watch rules
inline constexpr ErrorCode kWatchHourInvalid = "watch_hour_invalid";
inline constexpr ErrorCode kWatchNoWindow = "watch_no_window";
inline constexpr ErrorCode kWatchTooManyWindows = "watch_too_many_windows";
inline constexpr ErrorCode kWatchOverlap = "watch_overlap";
inline constexpr ErrorCode kWatchNoRecipient = "watch_no_recipient";
inline constexpr ErrorCode kWatchTooManyRecipients = "watch_too_many_recipients";
inline constexpr ErrorCode kWatchDuplicateRecipient = "watch_duplicate_recipient";
inline constexpr ErrorCode kWatchNoSmartMeter = "watch_no_smart_meter";
inline constexpr ErrorCode kWatchStopInvalid = "watch_stop_invalid";
// Accounts, codes, sessions
inline constexpr ErrorCode kCodeInvalid = "code_invalid";
inline constexpr ErrorCode kCodeExpired = "code_expired";
inline constexpr ErrorCode kCodeLocked = "code_locked";
inline constexpr ErrorCode kEmailTaken = "email_taken";
inline constexpr ErrorCode kMobileTaken = "mobile_taken";
inline constexpr ErrorCode kSignupExpired = "signup_expired";
inline constexpr ErrorCode kTermsRequired = "terms_required";
inline constexpr ErrorCode kIdentityMismatch = "identity_mismatch";
inline constexpr ErrorCode kLoginFailed = "login_failed";
inline constexpr ErrorCode kStaffExists = "staff_exists";
inline constexpr ErrorCode kStaffEnrolInvalid = "staff_enrol_invalid";
inline constexpr ErrorCode kStaffLoginFailed = "staff_login_failed";
inline constexpr ErrorCode kTotpInvalid = "totp_invalid";
inline constexpr ErrorCode kPasswordIncorrect = "password_incorrect";
inline constexpr ErrorCode kSameEmail = "same_email";
// Contracts
inline constexpr ErrorCode kContractUnavailable = "contract_unavailable";
inline constexpr ErrorCode kContractAlreadyLinked = "contract_already_linked";
inline constexpr ErrorCode kContractLimit = "contract_limit";
inline constexpr ErrorCode kContractPrimary = "contract_primary";
inline constexpr ErrorCode kContractNotFound = "contract_not_found";
inline constexpr ErrorCode kConsentRequired = "consent_required";
inline constexpr ErrorCode kRelationshipInvalid = "relationship_invalid";
// Meter ingestion (per-row codes of POST /api/v1/ingest/readings)
inline constexpr ErrorCode kReadingNotOnHour = "reading_not_on_hour";
inline constexpr ErrorCode kReadingInFuture = "reading_in_future";
inline constexpr ErrorCode kReadingTooOld = "reading_too_old";
inline constexpr ErrorCode kReadingConflict = "reading_conflict";
inline constexpr ErrorCode kRegisterInvalid = "register_invalid";
inline constexpr ErrorCode kAlarmUnknown = "alarm_unknown";
inline constexpr ErrorCode kMeterUnknown = "meter_unknown";
// Billing history, notices, applications
inline constexpr ErrorCode kNotYetVisible = "not_yet_visible";
inline constexpr ErrorCode kNotSmartMeter = "not_smart_meter";
inline constexpr ErrorCode kRangeTooLong = "range_too_long";
inline constexpr ErrorCode kNoticeNotFound = "notice_not_found";
inline constexpr ErrorCode kPaymentMethodInvalid = "payment_method_invalid";
inline constexpr ErrorCode kDateInPast = "date_in_past";
inline constexpr ErrorCode kDateNotBusinessDay = "date_not_business_day";
inline constexpr ErrorCode kDateOutOfWindow = "date_out_of_window";
// The staff's work queues: applications, bureau notices
inline constexpr ErrorCode kApplicationNotFound = "application_not_found";
inline constexpr ErrorCode kApplicationStatusUnchanged = "application_status_unchanged";
inline constexpr ErrorCode kNoticePeriodInvalid = "notice_period_invalid";
inline constexpr ErrorCode kNoticeNoContracts = "notice_no_contracts";
// Counter kiosks (docs/kiosk.md)
inline constexpr ErrorCode kKioskUnknown = "kiosk_unknown";
inline constexpr ErrorCode kKioskForbidden = "kiosk_forbidden";
// Web Push (docs/notifications.md)
inline constexpr ErrorCode kPushSubscriptionInvalid = "push_subscription_invalid";
inline constexpr ErrorCode kPushEndpointNotAllowed = "push_endpoint_not_allowed";
inline constexpr ErrorCode kPushSubscriptionNotFound = "push_subscription_not_found";
// The watch's alerts
inline constexpr ErrorCode kWatchAlertsNoWatch = "watch_alerts_no_watch";
// 料金のお支払い, a staff reissue of a bill's payment codes (payment_codes.hpp).
inline constexpr ErrorCode kBillNotFound = "bill_not_found";
inline constexpr ErrorCode kBillPaid = "bill_paid";
inline constexpr ErrorCode kBillDirectDebit = "bill_direct_debit";
inline constexpr ErrorCode kReissueLimit = "reissue_limit";
inline constexpr ErrorCode kCodesNotExpired = "codes_not_expired";
inline constexpr ErrorCode kReissueNotPossible = "reissue_not_possible";

// Every code above; the i18n test checks each has a message in every language.
inline constexpr std::array kAll = {
    kRequired,
    kInvalidFormat,
    kInvalidJson,
    kNotFound,
    kMethodNotAllowed,
    kPayloadTooLarge,
    kUnsupportedMediaType,
    kInternal,
    kUnauthorized,
    kForbidden,
    kRateLimited,
    kYearOutOfRange,
    kDateInvalid,
    kEmailInvalid,
    kPhoneInvalid,
    kCustomerNumberInvalid,
    kKanaInvalid,
    kTooLong,
    kPasswordTooShort,
    kPasswordTooLong,
    kPasswordTooCommon,
    kDiameterUnknown,
    kVolumeInvalid,
    kTariffInvalid,
    kWatchHourInvalid,
    kWatchNoWindow,
    kWatchTooManyWindows,
    kWatchOverlap,
    kWatchNoRecipient,
    kWatchTooManyRecipients,
    kWatchDuplicateRecipient,
    kCodeInvalid,
    kCodeExpired,
    kCodeLocked,
    kEmailTaken,
    kSignupExpired,
    kTermsRequired,
    kIdentityMismatch,
    kLoginFailed,
    kStaffExists,
    kStaffEnrolInvalid,
    kStaffLoginFailed,
    kTotpInvalid,
    kPasswordIncorrect,
    kSameEmail,
    kContractUnavailable,
    kContractAlreadyLinked,
    kContractLimit,
    kContractPrimary,
    kContractNotFound,
    kConsentRequired,
    kRelationshipInvalid,
    kReadingNotOnHour,
    kReadingInFuture,
    kReadingTooOld,
    kReadingConflict,
    kRegisterInvalid,
    kAlarmUnknown,
    kMeterUnknown,
    kNotYetVisible,
    kNotSmartMeter,
    kRangeTooLong,
    kNoticeNotFound,
    kPaymentMethodInvalid,
    kDateInPast,
    kDateNotBusinessDay,
    kDateOutOfWindow,
    kWatchNoSmartMeter,
    kWatchStopInvalid,
    kMobileInvalid,
    kMobileTaken,
    kControlCharacter,
    kLengthRequired,
    kHeadersTooLarge,
    kBusy,
    kApplicationNotFound,
    kApplicationStatusUnchanged,
    kNoticePeriodInvalid,
    kNoticeNoContracts,
    kKioskUnknown,
    kKioskForbidden,
    kPushSubscriptionInvalid,
    kPushEndpointNotAllowed,
    kPushSubscriptionNotFound,
    kWatchAlertsNoWatch,
    kBillNotFound,
    kBillPaid,
    kBillDirectDebit,
    kReissueLimit,
    kCodesNotExpired,
    kReissueNotPossible,
};
}  // namespace err

// A failure tied (optionally) to one input field, e.g. {"watch_overlap", "start_hours"}.
struct FieldError {
  std::string code;
  std::string field;
  bool operator==(const FieldError&) const = default;
};

}  // namespace mizu
