#pragma once
// The state of each screen: what the person typed and what the server answered. Kept while they move between
// screens, so 戻る and the browser's back button return to their input.
#include "ui/state_account.hpp"
#include "ui/state_data.hpp"

namespace mizu::web {

struct Screens {
  LoginState login;
  SignupState signup;
  ResetState reset;
  ContractsState contracts;
  ContractAddState contract_add;
  WatchState watch;
  WatchAlertsState watch_alerts;
  AccountChangeState account;
  WithdrawState withdraw;
  ApplicationState application;
  TopState top;
  UsageState usage;
  PaymentsState payments;
  NoticesState notices;
  NotificationSettingsState notification_settings;
  SimulationState simulation;
};

}  // namespace mizu::web
