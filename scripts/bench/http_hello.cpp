// The anchor of scripts/bench/http: cpp-httplib (Debian's httplib.h and libcpp-httplib) answering GET / with
// six bytes, threaded as the portal server is (a pool of THREADS workers, default 64 as `http.threads`;
// listen backlog 511 as `http.backlog`; TCP_NODELAY; keep-alive 5 s), so a route's ratio to it is what the
// route costs on top of the library. Prints "hello: listening on http://127.0.0.1:PORT/" once bound and
// serves until killed. Built by the script into its temp folder; not part of the product.
#include <sys/socket.h>

#include <cstdio>
#include <cstdlib>

#include <httplib.h>

int main(int argc, char** argv) {
  const size_t threads = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 64;
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  int listen_fd = -1;
  server.set_socket_options([&listen_fd](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listen_fd = sock;
  });
  server.set_tcp_nodelay(true);
  server.set_keep_alive_timeout(5);
  server.Get(
      "/", [](const httplib::Request&, httplib::Response& res) { res.set_content("hello\n", "text/plain"); });
  const int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    std::fprintf(stderr, "hello: cannot bind 127.0.0.1\n");
    return 1;
  }
  if (listen_fd >= 0) ::listen(listen_fd, 511);  // cpp-httplib's own backlog is 5
  std::printf("hello: listening on http://127.0.0.1:%d/\n", port);
  std::fflush(stdout);
  return server.listen_after_bind() ? 0 : 1;
}
