#pragma once
// The HTTP front of the App: API routes, static web files, JSON errors, limits and security headers.
// cpp-httplib stays behind this seam (only backend/src/http/*.cpp include it).
#include <memory>
#include <string>

#include "mizu/backend/app.hpp"

namespace mizu::backend {

class HttpServer {
 public:
  explicit HttpServer(App& app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (port 0 = any free port) and returns the bound port; throws std::runtime_error on
  // failure.
  int Bind(const std::string& host, int port);
  // Serves until Stop() is called (from any thread).
  void Run();
  // Stops a running server; a no-op before Run() has started accepting (see Running()).
  void Stop();
  // True once Run() accepts connections, until it returns.
  bool Running() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mizu::backend
