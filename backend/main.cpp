// mizumori: the executable only wires the command line to the backend library.
#include "mizu/backend/cli.hpp"

int main(int argc, char** argv) {
  return mizu::backend::RunCli({argv, argv + argc});
}
