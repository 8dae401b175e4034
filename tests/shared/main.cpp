// Catch2's runner for the shared unit tests (native and wasm).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
