// Ingest bodies → validated ReadingRows: a JSON array and NDJSON read through nlohmann's SAX interface (no
// DOM: a 30 MiB body is read in one pass without building a tree), CSV through ParseCsv. Every refused row is
// kept with its index, line, meter, `at` and reason; only an unreadable body as a whole throws
// IngestBodyError.
#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <variant>

#include "mizu/backend/csv.hpp"
#include "mizu/backend/ingest.hpp"
#include "mizu/errors.hpp"
#include "mizu/text.hpp"
#include "mizu/time.hpp"

namespace mizu::backend {
namespace {

// One reading as it came, before validation.
struct RawReading {
  enum class Kind : uint8_t { kMissing, kInt, kText, kBad };
  bool not_object = false;
  Kind meter_kind = Kind::kMissing;
  std::string meter_id;
  Kind at_kind = Kind::kMissing;
  int64_t at_int = 0;
  std::string at_text;
  Kind register_kind = Kind::kMissing;
  int64_t register_int = 0;
  std::string register_text;
  uint32_t alarms = 0;
  bool alarms_bad = false;
  std::string unknown_alarm;

  void Clear() {
    not_object = false;
    meter_kind = at_kind = register_kind = Kind::kMissing;
    meter_id.clear();
    at_text.clear();
    register_text.clear();
    at_int = register_int = 0;
    alarms = 0;
    alarms_bad = false;
    unknown_alarm.clear();
  }

  std::string AtAsSent() const {
    if (at_kind == Kind::kInt) return std::to_string(at_int);
    return at_kind == Kind::kText ? at_text : std::string();
  }

  void AddAlarm(std::string_view name) {
    if (uint32_t flag = ParseAlarmName(name)) {
      alarms |= flag;
    } else if (unknown_alarm.empty()) {
      unknown_alarm = std::string(name.empty() ? "(empty)" : name);
    }
  }

  // "leak|backflow", "leak;backflow" (also ',' and spaces); empty parts skipped.
  void AddAlarmList(std::string_view text) {
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t end = text.find_first_of("|;, ", pos);
      if (end == std::string_view::npos) end = text.size();
      if (end > pos) AddAlarm(text.substr(pos, end - pos));
      pos = end + 1;
    }
  }
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Non-negative decimal integer of at most 13 digits.
std::optional<int64_t> ParseDigits(std::string_view s) {
  s = Trim(s);
  if (s.empty() || s.size() > 13) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s[0] == '-' || s[0] == '+') return std::nullopt;
  return v;
}

int64_t PositiveMod(int64_t a, int64_t b) {
  return ((a % b) + b) % b;
}

// Validates one raw reading; on success appends to rows, otherwise to errors.
class Collector {
 public:
  Collector(ParsedReadings& out, int64_t now) : out_(out), now_(now) {}

  void Add(const RawReading& raw, int line) {
    size_t index = out_.records++;
    ReadingRow row;
    auto fail = [&](ErrorCode code, std::string detail) {  // echoes only a short prefix of what was sent
      out_.errors.push_back({index, line, EchoPrefix(raw.meter_id), EchoPrefix(raw.AtAsSent()),
                             std::string(code), std::move(detail)});
    };
    using Kind = RawReading::Kind;
    if (raw.not_object) return fail(err::kInvalidFormat, "a reading must be an object");
    if (raw.meter_kind == Kind::kMissing) return fail(err::kRequired, "meter_id is missing");
    std::string_view meter = Trim(raw.meter_id);
    if (raw.meter_kind == Kind::kBad || meter.empty() || meter.size() > kMaxMeterIdLength)
      return fail(err::kInvalidFormat, "meter_id must be a non-empty string of at most 64 bytes");
    if (auto e = ValidateTextField(meter, kMaxMeterIdLength))
      return fail(*e, "meter_id must be text without control characters");
    row.meter_id = std::string(meter);

    if (raw.at_kind == Kind::kMissing) return fail(err::kRequired, "at is missing");
    std::optional<int64_t> at;
    if (raw.at_kind == Kind::kInt) at = raw.at_int;
    if (raw.at_kind == Kind::kText) {
      std::string_view text = Trim(raw.at_text);
      if (text == last_at_text_) {  // a bulk body mostly repeats one hour
        at = last_at_;
      } else {
        at = ParseDigits(text);
        if (!at) at = ParseIso8601(text);
        last_at_text_ = text;
        last_at_ = at;
      }
    }
    if (!at)
      return fail(err::kInvalidFormat,
                  "at must be ISO 8601 with an offset (2026-11-22T07:00:00+09:00) or integer epoch seconds");

    if (raw.register_kind == Kind::kMissing) return fail(err::kRequired, "register_l is missing");
    std::optional<int64_t> reg;
    if (raw.register_kind == Kind::kInt) reg = raw.register_int;
    if (raw.register_kind == Kind::kText) reg = ParseDigits(raw.register_text);
    if (!reg || *reg < 0 || *reg > kMaxRegisterLitres)
      return fail(err::kRegisterInvalid,
                  "register_l must be a whole number of litres from 0 to 999999999999");

    if (PositiveMod(*at, 3600) != 0)
      return fail(err::kReadingNotOnHour, "at must be the end of an hour (minutes and seconds zero)");
    if (*at > now_ + kMaxReadingLeadSeconds)
      return fail(err::kReadingInFuture, "at is more than 2 hours ahead of the server clock");
    if (*at < now_ - kMaxReadingAgeSeconds) return fail(err::kReadingTooOld, "at is more than 60 days old");
    if (raw.alarms_bad) return fail(err::kAlarmUnknown, "alarms must be a list of names");
    if (!raw.unknown_alarm.empty())
      return fail(err::kAlarmUnknown, "unknown alarm \"" + EchoPrefix(raw.unknown_alarm) +
                                          "\" (known: leak, no_use, backflow, overflow)");
    row.hour_end_utc = *at;
    row.register_l = *reg;
    row.alarms = raw.alarms;
    out_.rows.push_back(std::move(row));
    out_.index_of.push_back(index);
    out_.line_of.push_back(line);
  }

 private:
  ParsedReadings& out_;
  int64_t now_;
  std::string last_at_text_;
  std::optional<int64_t> last_at_;
};

// SAX handler for one reading object (kObject: NDJSON line) or an array of them (kArray: JSON body).
class ReadingSax {
 public:
  using json = nlohmann::json;
  enum class Mode { kArray, kObject };

  // kArray: lines[i], when given, is the body line of element i (NDJSON read as one array).
  ReadingSax(Mode mode, Collector* collector, const std::vector<int>* lines = nullptr)
      : mode_(mode), record_depth_(mode == Mode::kArray ? 2 : 1), collector_(collector), lines_(lines) {}

  size_t elements = 0;  // kArray: elements handed to the collector

  RawReading raw;             // kObject: the reading once the parse succeeded
  bool top_is_array = false;  // kArray: the body's top level is an array
  std::string error;

  bool null() { return Value(nullptr); }
  bool boolean(bool) { return Value(false); }
  bool number_integer(json::number_integer_t v) { return Value(static_cast<int64_t>(v)); }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v > static_cast<uint64_t>(INT64_MAX)) return Value(false);
    return Value(static_cast<int64_t>(v));
  }
  bool number_float(json::number_float_t, const json::string_t&) { return Value(false); }
  bool string(json::string_t& s) { return Value(&s); }
  bool binary(json::binary_t&) { return Value(false); }

  bool start_object(std::size_t) {
    ++depth_;
    if (depth_ == 1 && mode_ == Mode::kArray) {
      error = "the body must be a JSON array of readings";
      return false;
    }
    if (depth_ == record_depth_) {
      raw.Clear();
    } else if (depth_ == record_depth_ + 1) {
      FieldIsContainer();
    } else if (depth_ == record_depth_ + 2 && in_alarms_) {
      raw.alarms_bad = true;
    }
    return true;
  }
  bool key(json::string_t& k) {
    if (depth_ == record_depth_) key_ = k;
    return true;
  }
  bool end_object() {
    if (depth_ == record_depth_ && mode_ == Mode::kArray) Emit();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    ++depth_;
    if (depth_ == 1 && mode_ == Mode::kArray) {
      top_is_array = true;
    } else if (depth_ == record_depth_) {
      raw.Clear();
      raw.not_object = true;
      element_is_array_ = true;
    } else if (depth_ == record_depth_ + 1) {
      if (key_ == "alarms") {
        in_alarms_ = true;
      } else {
        FieldIsContainer();
      }
    } else if (depth_ == record_depth_ + 2 && in_alarms_) {
      raw.alarms_bad = true;
    }
    return true;
  }
  bool end_array() {
    if (depth_ == record_depth_ && element_is_array_) {
      element_is_array_ = false;
      if (mode_ == Mode::kArray) Emit();
    }
    if (depth_ == record_depth_ + 1) in_alarms_ = false;
    --depth_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    error = "byte " + std::to_string(position) + ": " + EchoPrefix(e.what(), 160);  // quotes the last token
    return false;
  }

 private:
  using Scalar = std::variant<std::nullptr_t, bool, int64_t, json::string_t*>;

  bool Value(Scalar v) {
    if (depth_ == record_depth_ - 1) {  // an element (or NDJSON line) that is not an object
      raw.Clear();
      raw.not_object = true;
      if (mode_ == Mode::kArray) Emit();
    } else if (depth_ == record_depth_) {
      Field(v);
    } else if (depth_ == record_depth_ + 1 && in_alarms_) {
      if (auto* s = std::get_if<json::string_t*>(&v)) {
        raw.AddAlarm(**s);
      } else {
        raw.alarms_bad = true;
      }
    }
    return true;
  }

  void Field(Scalar& v) {
    using Kind = RawReading::Kind;
    auto* text = std::get_if<json::string_t*>(&v);
    auto* number = std::get_if<int64_t>(&v);
    bool is_null = std::holds_alternative<std::nullptr_t>(v);
    if (key_ == "meter_id") {
      raw.meter_kind = text ? Kind::kText : is_null ? Kind::kMissing : Kind::kBad;
      if (text) raw.meter_id.assign(**text);
    } else if (key_ == "at") {
      raw.at_kind = text ? Kind::kText : number ? Kind::kInt : is_null ? Kind::kMissing : Kind::kBad;
      if (text) raw.at_text.assign(**text);
      if (number) raw.at_int = *number;
    } else if (key_ == "register_l") {
      raw.register_kind = text ? Kind::kText : number ? Kind::kInt : is_null ? Kind::kMissing : Kind::kBad;
      if (text) raw.register_text.assign(**text);
      if (number) raw.register_int = *number;
    } else if (key_ == "alarms") {
      if (text) {
        raw.AddAlarmList(**text);
      } else if (!is_null) {
        raw.alarms_bad = true;
      }
    }
  }

  void FieldIsContainer() {
    using Kind = RawReading::Kind;
    if (key_ == "meter_id") raw.meter_kind = Kind::kBad;
    if (key_ == "at") raw.at_kind = Kind::kBad;
    if (key_ == "register_l") raw.register_kind = Kind::kBad;
    if (key_ == "alarms") raw.alarms_bad = true;
  }

  Mode mode_;
  int record_depth_;
  void Emit() {
    int line = lines_ && elements < lines_->size() ? (*lines_)[elements] : 0;
    ++elements;
    collector_->Add(raw, line);
  }

  Collector* collector_;
  const std::vector<int>* lines_;
  int depth_ = 0;
  std::string key_;
  bool in_alarms_ = false;
  bool element_is_array_ = false;
};

void ParseJsonArray(std::string_view body, Collector& collector) {
  ReadingSax sax(ReadingSax::Mode::kArray, &collector);
  bool ok = nlohmann::json::sax_parse(body.begin(), body.end(), &sax);
  if (!ok || !sax.top_is_array)
    throw IngestBodyError(sax.error.empty() ? "the body must be a JSON array of readings" : sax.error);
}

// Every non-blank line on its own: a line that is not one JSON value is a row error.
void ParseNdjsonByLine(std::string_view body, Collector& collector, ParsedReadings& out) {
  int line = 0;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = body.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (Trim(text).empty()) continue;
    ReadingSax sax(ReadingSax::Mode::kObject, &collector);
    if (nlohmann::json::sax_parse(text.begin(), text.end(), &sax)) {
      collector.Add(sax.raw, line);
    } else {
      size_t index = out.records++;
      out.errors.push_back({index, line, "", "", std::string(err::kInvalidJson),
                            "line " + std::to_string(line) + " is not JSON: " + sax.error});
    }
  }
}

// Fast path: the non-blank lines joined into one JSON array and read in one pass (a parser per line costs
// about a third more). Taken only when that parses and yields exactly one element per line; otherwise line by
// line.
void ParseNdjson(std::string_view body, Collector& collector, ParsedReadings& out) {
  std::string joined;
  joined.reserve(body.size() + 2);
  joined += '[';
  std::vector<int> lines;
  int line = 0;
  for (size_t pos = 0; pos < body.size();) {
    size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view text = body.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (Trim(text).empty()) continue;
    if (!lines.empty()) joined += ',';
    joined.append(text);
    lines.push_back(line);
  }
  joined += ']';
  ReadingSax sax(ReadingSax::Mode::kArray, &collector, &lines);
  if (nlohmann::json::sax_parse(joined.begin(), joined.end(), &sax) && sax.elements == lines.size()) return;
  out = ParsedReadings();
  ParseNdjsonByLine(body, collector, out);
}

void ParseCsvBody(std::string_view body, Collector& collector) {
  CsvTable table;
  try {
    table = ParseCsv(body);
  } catch (const CsvError& e) {
    throw IngestBodyError("line " + std::to_string(e.line) + ": " + e.what());
  }
  auto meter = table.Column("meter_id"), at = table.Column("at"), reg = table.Column("register_l");
  auto alarms = table.Column("alarms");
  if (!meter || !at || !reg) throw IngestBodyError("the CSV header must name meter_id, at and register_l");
  RawReading raw;
  using Kind = RawReading::Kind;
  for (auto& row : table.rows) {
    raw.Clear();
    auto field = [&](std::optional<size_t> column) -> std::string* {
      return column && *column < row.fields.size() && !Trim(row.fields[*column]).empty()
                 ? &row.fields[*column]
                 : nullptr;
    };
    if (auto* f = field(meter)) {
      raw.meter_kind = Kind::kText;
      raw.meter_id = std::move(*f);
    }
    if (auto* f = field(at)) {
      raw.at_kind = Kind::kText;
      raw.at_text = std::move(*f);
    }
    if (auto* f = field(reg)) {
      raw.register_kind = Kind::kText;
      raw.register_text = std::move(*f);
    }
    if (auto* f = field(alarms)) raw.AddAlarmList(*f);
    collector.Add(raw, row.line);
  }
}

}  // namespace

std::optional<IngestFormat> IngestFormatFromContentType(std::string_view type) {
  const std::string media = AsciiLower(Trim(type.substr(0, type.find(';'))));
  if (media == "application/json") return IngestFormat::kJson;
  if (media == "application/x-ndjson" || media == "application/ndjson" || media == "application/jsonl" ||
      media == "application/x-jsonlines")
    return IngestFormat::kNdjson;
  if (media == "text/csv") return IngestFormat::kCsv;
  return std::nullopt;
}

uint32_t ParseAlarmName(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (key == "leak") return kAlarmLeak;
  if (key == "nouse") return kAlarmNoUse;
  if (key == "backflow") return kAlarmBackflow;
  if (key == "overflow") return kAlarmOverflow;
  return 0;
}

std::string AlarmNames(uint32_t alarms) {
  static constexpr std::pair<uint32_t, const char*> kNames[] = {{kAlarmLeak, "leak"},
                                                                {kAlarmNoUse, "no_use"},
                                                                {kAlarmBackflow, "backflow"},
                                                                {kAlarmOverflow, "overflow"}};
  std::string out;
  for (auto [flag, name] : kNames)
    if (alarms & flag) out += (out.empty() ? "" : "|") + std::string(name);
  return out;
}

ParsedReadings ParseReadings(std::string_view body, IngestFormat format, int64_t now) {
  ParsedReadings out;
  Collector collector(out, now);
  switch (format) {
    case IngestFormat::kJson:
      ParseJsonArray(body, collector);
      break;
    case IngestFormat::kNdjson:
      ParseNdjson(body, collector, out);
      break;
    case IngestFormat::kCsv:
      ParseCsvBody(body, collector);
      break;
  }
  return out;
}

}  // namespace mizu::backend
