#pragma once
// The process-wide password-hash gate (auth.hpp: ConfigurePasswordHashGate). Internal to auth/.
namespace mizu::backend {

// Waits for a hash slot; throws HashGateFull at once when `queue` callers already wait.
void EnterHashGate();
void LeaveHashGate();

}  // namespace mizu::backend
