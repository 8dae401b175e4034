// The web app's screens, in Japanese (default) and English. Part of the one catalog (Catalog() in
// i18n_catalog.cpp appends these); the first-frame font subset is generated from this file too.
#include "mizu/i18n.hpp"

namespace mizu {

const std::vector<CatalogEntry>& WebCatalogEntries() {
  static const std::vector<CatalogEntry> entries = {
      // Frame, menu
      {"menu.title", "メニュー", "Menu"},
      {"app.session_expired", "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。",
       "You were logged out after a period of inactivity. Please log in again."},
      {"app.back", "戻る", "Back"},
      {"app.yes", "はい", "Yes"},
      {"app.no", "いいえ", "No"},
      {"app.cancel", "キャンセル", "Cancel"},
      {"app.to_top", "トップへ戻る", "Back to top"},
      {"app.to_login", "ログイン画面へ", "Go to the login"},
      {"contract.select", "表示する契約", "Contract shown"},
      {"unit.yen", "円", " yen"},
      // Bills (shared by トップ and ご利用実績)
      {"top.latest_bill", "最新のご請求", "Latest bill"},
      {"bill.period", "使用期間", "Period"},
      {"bill.usage", "使用水量", "Water used"},
      {"bill.total", "請求金額（税込）", "Amount (incl. tax)"},
      {"bill.status", "お支払い状況", "Payment status"},
      {"bill.status.paid", "お支払い済み", "Paid"},
      {"bill.status.partial", "一部お支払い済み", "Partly paid"},
      {"bill.status.unpaid", "未払い", "Not paid yet"},
      {"notices.none", "お知らせはありません。", "There are no notices."},
      // 各種お手続き
      {"procedures.watch", "見守り登録", "Water watch"},
      {"procedures.watch_detail", "ご家族の水道の使用状況をメールでお知らせします",
       "Mails family members how much water was used"},
      {"procedures.account", "会員情報の変更", "Change account details"},
      {"procedures.account_detail", "メールアドレス・パスワードの変更", "E-mail address and password"},
      {"procedures.applications", "使用開始・使用中止の申し込み", "Start or stop water service"},
      {"procedures.applications_detail", "お引越しの際のお申し込み", "When you move in or out"},
      {"procedures.withdraw", "退会", "Close your account"},
      {"procedures.withdraw_detail", "ポータルの会員登録を取り消します", "Ends your portal membership"},
  };
  return entries;
}

}  // namespace mizu
