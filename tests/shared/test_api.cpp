// placeholder: tests for the api module
#include <catch2/catch.hpp>
