#include "services/ctl/cli_args.h"

#include <charconv>

namespace omnihub::ctl {

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() || it->second.empty() ? fallback : it->second.back();
}

base::Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args, const ArgSpec& spec) {
  ParsedArgs out;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      std::string value;
      bool has_inline_value = false;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_inline_value = true;
      }
      if (spec.flags.count(name)) {
        if (has_inline_value) return base::Status::InvalidArgument("--" + name + " takes no value (usage: " + spec.usage + ")");
        out.flags.insert(name);
      } else if (spec.options.count(name) || name == "tenant") {
        // --tenant goes with every command (query_route_args.h): the tenant whose partition
        // answers a query, and whose data a command acts on.
        if (!has_inline_value) {
          if (i + 1 >= args.size()) return base::Status::InvalidArgument("--" + name + " needs a value (usage: " + spec.usage + ")");
          value = args[++i];
        }
        out.options[name].push_back(value);
      } else {
        return base::Status::InvalidArgument("unknown option --" + name + " (usage: " + spec.usage + ")");
      }
    } else {
      out.positional.push_back(arg);
    }
  }
  if (out.positional.size() < spec.min_positional) {
    return base::Status::InvalidArgument("missing argument (usage: " + spec.usage + ")");
  }
  if (out.positional.size() > spec.max_positional) {
    return base::Status::InvalidArgument("unexpected argument '" + out.positional[spec.max_positional] +
                                   "' (usage: " + spec.usage + ")");
  }
  return out;
}

base::Result<uint64_t> ParseNonNegative(const std::string& option, const std::string& value) {
  uint64_t v = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, v);
  if (value.empty() || ec != std::errc() || ptr != end) {
    return base::Status::InvalidArgument("--" + option + " must be a whole number, not '" + value + "'");
  }
  return v;
}

base::Result<uint64_t> ParsePositive(const std::string& option, const std::string& value) {
  auto v = ParseNonNegative(option, value);
  if (v.ok() && *v == 0) {
    return base::Status::InvalidArgument("--" + option + " must be a positive whole number, not '" + value + "'");
  }
  return v;
}

base::Result<uint64_t> LimitOption(const ParsedArgs& parsed) {
  if (!parsed.Has("limit")) return UINT64_MAX;
  return ParsePositive("limit", parsed.Get("limit"));
}

}  // namespace omnihub::ctl
