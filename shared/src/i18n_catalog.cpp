// Every string the product shows, in Japanese (default) and English. The font subset is generated from this file,
// so a glyph used here is always in the first-frame font. Keys: "<area>.<name>"; errors are "error.<code>".
#include "mizu/i18n.hpp"

namespace mizu {

const std::vector<CatalogEntry>& Catalog() {
  static const std::vector<CatalogEntry> entries = {
      // Application
      {"app.name", "水守", "Mizumori"},
      {"app.subtitle", "水道局 お客さまポータル・見守りサービス", "Water Bureau customer portal and water watch"},
      {"app.loading", "読み込み中…", "Loading…"},
      {"app.retry", "再試行", "Retry"},
      {"app.network_error", "通信できませんでした。接続を確認して再試行してください。",
       "Could not reach the server. Check your connection and retry."},
      {"lang.switch_to_other", "English", "日本語"},
      {"lang.label", "言語", "Language"},
      // Login
      {"login.title", "ログイン", "Log in"},
      {"login.email", "メールアドレス", "E-mail address"},
      {"login.password", "パスワード", "Password"},
      {"login.remember", "このデバイスでログインしたままにする", "Keep me logged in on this device"},
      {"login.submit", "ログイン", "Log in"},
      {"login.forgot", "パスワードをお忘れの方", "Forgot your password?"},
      {"login.signup", "新規会員登録", "Create an account"},
      {"login.signup_hint", "お客様番号と、水道局に届け出た電話番号で登録できます。",
       "You can register with your customer number and the phone number registered with the bureau."},
      // Menu (M18)
      {"menu.top", "トップ", "Top"},
      {"menu.usage", "ご利用実績", "Usage history"},
      {"menu.payments", "お支払い実績", "Payment history"},
      {"menu.pay", "料金のお支払い", "Pay charges"},
      {"menu.contracts", "契約内容のご確認", "Your contracts"},
      {"menu.procedures", "各種お手続き", "Procedures"},
      {"menu.logout", "ログアウト", "Log out"},
      {"menu.notices", "お知らせ", "Notices"},
      {"menu.notification_settings", "通知受信設定", "Notification settings"},
      {"menu.simulation", "料金シミュレーション", "Charge simulation"},
      // Watch service
      {"watch.title", "見守りサービス", "Water watch service"},
      {"watch.disclaimer",
       "見守りサービスは水道の使用量から生活の様子を推定するもので、安否を保証するものではありません。"
       "メーターの通信状況により、データが届かないことがあります。",
       "The watch service estimates activity from water use and guarantees nothing about anyone's safety. "
       "The meter's radio may fail, so data may not arrive."},
      // Billing
      {"billing.water", "水道料金", "Water charge"},
      {"billing.sewer", "下水道使用料", "Sewer charge"},
      {"billing.tax", "消費税等相当額", "Consumption tax"},
      {"billing.total", "合計", "Total"},
      {"billing.basic", "基本料金", "Basic charge"},
      {"billing.volume", "従量料金", "Volume charge"},
      {"billing.diameter", "口径", "Meter diameter"},
      {"billing.usage_m3", "使用水量", "Water used"},
      // Errors (error.<code>)
      {"error.required", "入力してください。", "This field is required."},
      {"error.invalid_format", "形式が正しくありません。", "The format is not valid."},
      {"error.invalid_json", "リクエストの形式が正しくありません。", "The request body is not valid JSON."},
      {"error.not_found", "お探しのページは見つかりませんでした。", "Not found."},
      {"error.method_not_allowed", "この操作は利用できません。", "This method is not allowed here."},
      {"error.payload_too_large", "送信データが大きすぎます。", "The request is too large."},
      {"error.unsupported_media_type", "データの種類に対応していません。", "This content type is not supported."},
      {"error.internal", "システムエラーが発生しました。時間をおいて再度お試しください。",
       "A system error occurred. Please try again later."},
      {"error.unauthorized", "ログインしてください。", "Please log in."},
      {"error.forbidden", "この操作を行う権限がありません。", "You are not allowed to do this."},
      {"error.rate_limited", "しばらく時間をおいてから再度お試しください。", "Too many attempts. Please wait and try again."},
      {"error.year_out_of_range", "年は1970年から2099年の範囲で指定してください。",
       "The year must be between 1970 and 2099."},
      {"error.date_invalid", "日付が正しくありません。", "The date is not valid."},
      {"error.email_invalid", "メールアドレスの形式が正しくありません。", "Enter a valid e-mail address."},
      {"error.phone_invalid", "電話番号の形式が正しくありません。", "Enter a valid Japanese phone number."},
      {"error.customer_number_invalid", "お客様番号の桁数が正しくありません。",
       "The customer number does not have the right number of digits."},
      {"error.kana_invalid", "カタカナで入力してください。", "Enter the name in katakana."},
      {"error.too_long", "文字数が多すぎます。", "This is too long."},
      {"error.password_too_short", "パスワードは8文字以上で入力してください。",
       "The password must be at least 8 characters."},
      {"error.password_too_long", "パスワードは128文字以内で入力してください。",
       "The password must be at most 128 characters."},
      {"error.password_too_common", "推測されやすいパスワードのため、使用できません。",
       "This password is too easy to guess."},
      {"error.diameter_unknown", "この口径は料金表にありません。", "This meter diameter is not in the tariff."},
      {"error.volume_invalid", "使用水量は0以上の整数で入力してください。",
       "Enter the volume as a whole number of m³ (0 or more)."},
      {"error.tariff_invalid", "料金表の設定が正しくありません。", "The tariff settings are not valid."},
      {"error.watch_hour_invalid", "開始時刻は0時から24時の整数で入力してください。",
       "Enter the start time as a whole hour from 0 to 24."},
      {"error.watch_no_window", "見守り開始時刻を1つ以上設定してください。", "Set at least one start time."},
      {"error.watch_too_many_windows", "見守り開始時刻は1日2つまでです。", "At most two start times a day."},
      {"error.watch_overlap", "見守り期間が重複しています", "The watch periods overlap."},
      {"error.watch_no_recipient", "通知先を1件以上登録してください。", "Add at least one recipient."},
      {"error.watch_too_many_recipients", "通知先は5件までです。", "At most five recipients."},
      {"error.watch_duplicate_recipient", "同じメールアドレスが重複しています。",
       "The same e-mail address is listed twice."},
  };
  return entries;
}

}  // namespace mizu
