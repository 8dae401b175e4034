// Fuzz target: the ingest body parser (POST /api/v1/ingest/readings) in its three formats.
// Input: byte 0 picks the format (JSON array, NDJSON, CSV), the rest is the body. IngestBodyError (the body
// as a whole is unreadable: HTTP 400) is expected; anything else escaping, or a sanitizer report, is a
// finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mizu/backend/ingest.hpp"

using namespace mizu::backend;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr IngestFormat kFormats[] = {IngestFormat::kJson, IngestFormat::kNdjson, IngestFormat::kCsv};
  IngestFormat format = kFormats[data[0] % 3];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const int64_t now = 1'795'000'000;  // 2026-11-18T08:26:40Z; the seeds' `at` values are near it
  try {
    ParsedReadings parsed = ParseReadings(body, format, now);
    // The invariants the store relies on.
    if (parsed.rows.size() != parsed.index_of.size() || parsed.rows.size() != parsed.line_of.size()) abort();
    if (parsed.rows.size() + parsed.errors.size() != parsed.records) abort();
    for (const ReadingRow& r : parsed.rows) {
      if (r.register_l < 0 || r.register_l > kMaxRegisterLitres) abort();
      if (r.hour_end_utc % 3600 != 0) abort();
      if (r.hour_end_utc > now + kMaxReadingLeadSeconds || r.hour_end_utc < now - kMaxReadingAgeSeconds)
        abort();
      if (r.meter_id.empty() || r.meter_id.size() > kMaxMeterIdLength) abort();
      (void)AlarmNames(r.alarms);
    }
  } catch (const IngestBodyError&) {
  }
  (void)IngestFormatFromContentType(body.substr(0, 64));
  (void)ParseAlarmName(body.substr(0, 32));
  return 0;
}
