#include "agent_options.h"

#include <shellapi.h>

#include <string_view>

namespace bgc::agent {

std::wstring widen(const std::string& text) {
  if (text.empty()) return {};
  const int n = MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0);
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n);
  return out;
}

std::string narrow(const std::wstring& text) {
  if (text.empty()) return {};
  const int n =
      WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text.data(), static_cast<int>(text.size()), out.data(), n, nullptr, nullptr);
  return out;
}

std::wstring windows_path(const std::string& path) {
  std::wstring out;
  if (!path.empty() && path.front() == '/') {
    // The harness runs on the Unix side and may pass its own paths. Wine exports the conversion
    // (kernel32!wine_get_dos_file_name, a Winelib API); when that is missing, Wine's default drive
    // Z: is the Unix root.
    using ToDos = WCHAR*(CDECL*)(LPCSTR);
    const HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
    const auto to_dos =
        kernel32 ? reinterpret_cast<ToDos>(reinterpret_cast<void*>(GetProcAddress(kernel32, "wine_get_dos_file_name")))
                 : nullptr;
    if (WCHAR* dos = to_dos ? to_dos(path.c_str()) : nullptr) {
      out = dos;
      HeapFree(GetProcessHeap(), 0, dos);
    } else {
      out = L"Z:" + widen(path);
    }
  } else {
    out = widen(path);
  }
  for (wchar_t& c : out)
    if (c == L'/') c = L'\\';
  while (out.size() > 3 && out.back() == L'\\') out.pop_back();  // keep "C:\"
  return out;
}

std::vector<std::string> command_line_arguments() {
  std::vector<std::string> args;
  int argc = 0;
  LPWSTR* argv = CommandLineToArgvW(GetCommandLineW(), &argc);
  if (argv == nullptr) return args;
  for (int i = 1; i < argc; ++i) args.push_back(narrow(argv[i]));
  LocalFree(argv);
  return args;
}

ParseResult parse_arguments(const std::vector<std::string>& args, AgentOptions& options, std::string& error) {
  bool have_profile = false, have_origin = false, have_local = false, have_dest = false;
  const std::size_t argc = args.size();
  for (std::size_t i = 0; i < argc; ++i) {
    std::string_view arg = args[i];
    if (arg == "--help" || arg == "-h" || arg == "/?") return ParseResult::Help;
    if (arg.rfind("--", 0) == 0) {
      // "--flag value" or "--flag=value".
      std::string_view flag = arg, value;
      bool have_value = false;
      if (const auto eq = arg.find('='); eq != std::string_view::npos) {
        flag = arg.substr(0, eq);
        value = arg.substr(eq + 1);
        have_value = true;
      }
      if (flag != "--origin" && flag != "--local-dir" && flag != "--dest-dir" && flag != "--clsid" &&
          flag != "--record") {
        error = "unknown option '" + std::string(flag) + "'";
        return ParseResult::Error;
      }
      if (!have_value) {
        if (i + 1 >= argc) {
          error = "option '" + std::string(flag) + "' needs a value";
          return ParseResult::Error;
        }
        value = args[++i];
      }
      if (value.empty()) {
        error = "option '" + std::string(flag) + "' has an empty value";
        return ParseResult::Error;
      }
      if (flag == "--origin") {
        std::string origin(value);
        if (origin.rfind("http://", 0) != 0 && origin.rfind("https://", 0) != 0) {
          error = "--origin must be an http:// or https:// URL, not '" + origin + "'";
          return ParseResult::Error;
        }
        while (!origin.empty() && origin.back() == '/') origin.pop_back();
        options.origin = widen(origin);
        have_origin = true;
      } else if (flag == "--clsid") {
        GUID clsid{};
        if (FAILED(CLSIDFromString(widen(std::string(value)).c_str(), &clsid))) {
          error = "--clsid must be a GUID in braces, not '" + std::string(value) + "'";
          return ParseResult::Error;
        }
        options.clsid = clsid;
      } else if (flag == "--record") {
        options.record = std::string(value);
      } else if (flag == "--local-dir") {
        options.local_dir = windows_path(std::string(value));
        have_local = true;
      } else {
        options.dest_dir = windows_path(std::string(value));
        have_dest = true;
      }
      continue;
    }
    if (have_profile) {
      error = "unexpected argument '" + std::string(arg) + "'";
      return ParseResult::Error;
    }
    const auto profile = parse_profile(arg);
    if (!profile) {
      error = "unknown profile '" + std::string(arg) + "' (bits or do)";
      return ParseResult::Error;
    }
    options.profile = *profile;
    have_profile = true;
  }
  if (!have_profile)
    error = "missing the profile (bits or do)";
  else if (!have_origin)
    error = "missing --origin";
  else if (!have_local)
    error = "missing --local-dir";
  else if (!have_dest)
    error = "missing --dest-dir";
  return error.empty() ? ParseResult::Ok : ParseResult::Error;
}

}  // namespace bgc::agent
