// The `file` mail transport: one .eml per message in a folder (the embedded default: <data_dir>/mail/).
// Implements: durable write (temp name, fsync, rename, fsync of the folder), idempotent names.
// Not implemented: rotation or clean-up of old files (the operator's job).
#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "mizu/backend/mail.hpp"

namespace mizu::backend {
namespace {

// The Message-ID's left part with anything but [A-Za-z0-9._-] replaced: a safe, stable file name.
std::string FileStem(const RenderedMail& mail) {
  std::string stem = mail.message_id.substr(0, mail.message_id.find('@'));
  for (char& c : stem)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')) c = '_';
  if (stem.empty() || stem.front() == '.') stem = "m" + stem;
  return stem;
}

[[noreturn]] void Fail(const std::string& what, const std::string& path) {
  throw MailSendError(what + " " + path + ": " + std::strerror(errno), false);
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int Get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

FileTransport::FileTransport(std::string dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_);
}

void WriteFileDurably(const std::string& folder, const std::string& name, const std::string& data) {
  const std::string final_path = folder + "/" + name;
  const std::string temp_path = folder + "/." + name + ".tmp";
  {
    Fd fd(::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (fd.Get() < 0) Fail("cannot create", temp_path);
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd.Get(), p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) Fail("cannot write", temp_path);
      p += n;
      left -= static_cast<size_t>(n);
    }
    if (::fsync(fd.Get()) != 0) Fail("cannot fsync", temp_path);
    if (::close(fd.Release()) != 0) Fail("cannot close", temp_path);
  }
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) Fail("cannot rename to", final_path);
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.Get() < 0 || ::fsync(dir.Get()) != 0) Fail("cannot fsync folder", folder);
}

void FileTransport::Send(const RenderedMail& mail) {
  WriteFileDurably(dir_, FileStem(mail) + ".eml", mail.data);
}

std::unique_ptr<MailTransport> MakeTransport(const MailConfig& config, const std::string& data_dir) {
  if (config.transport == "file") return std::make_unique<FileTransport>(data_dir + "/mail");
  if (config.transport == "smtp") return std::make_unique<SmtpTransport>(config.smtp_url);
  throw std::invalid_argument("mail.transport must be \"file\" or \"smtp\", not \"" + config.transport +
                              "\"");
}

}  // namespace mizu::backend
