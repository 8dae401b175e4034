// The GS1-128 symbol of a 料金代理収納 code, encoded by libzint (Debian libzint-dev): payment_codes.hpp.
#include <zint.h>

#include <memory>
#include <stdexcept>

#include "mizu/backend/payment_codes.hpp"

namespace mizu::backend {

std::string Gs1128Modules(std::string_view code) {
  std::string why;
  if (!ParseKonbiniBarcode(code, &why)) throw std::invalid_argument("Gs1128Modules: " + why);
  std::unique_ptr<zint_symbol, void (*)(zint_symbol*)> symbol(ZBarcode_Create(), &ZBarcode_Delete);
  if (!symbol) throw std::bad_alloc();
  symbol->symbology = BARCODE_GS1_128;
  symbol->input_mode = GS1_MODE;
  // "[91]" + 42 digits: AI 91 (company internal information, up to 90 characters) in zint's bracket syntax.
  const std::string data = "[91]" + std::string(code.substr(2));
  const int status = ZBarcode_Encode(symbol.get(), reinterpret_cast<const unsigned char*>(data.data()),
                                     static_cast<int>(data.size()));
  if (status >= ZINT_ERROR) throw std::runtime_error(std::string("libzint: ") + symbol->errtxt);
  std::string modules(static_cast<size_t>(symbol->width), '0');
  for (int x = 0; x < symbol->width; ++x)  // row 0, bit-packed LSB first (zint's module_is_set)
    if ((symbol->encoded_data[0][x >> 3] >> (x & 7)) & 1) modules[static_cast<size_t>(x)] = '1';
  return modules;
}

}  // namespace mizu::backend
