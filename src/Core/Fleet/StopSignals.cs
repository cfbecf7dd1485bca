using ControlPanel.Core.Common;

namespace ControlPanel.Core.Fleet;

/// <summary>Validates the signal and timeout a user asks for before anything reaches an engine.</summary>
public static class StopSignals
{
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
        "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    /// <summary>Accepts "SIGQUIT", "QUIT", "quit" or a number 1–64; returns the canonical form the engine takes.</summary>
    public static string NormalizeSignal(string? signal, string field = "signal")
    {
        if (string.IsNullOrWhiteSpace(signal)) return "SIGKILL";
        var s = signal.Trim();
        if (int.TryParse(s, out var number))
        {
            return number is >= 1 and <= 64 ? number.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidRequestException(field, $"'{field}' must be a signal name such as SIGTERM or a number from 1 to 64; got '{signal}'.");
        }
        var upper = s.ToUpperInvariant();
        if (!upper.StartsWith("SIG", StringComparison.Ordinal)) upper = "SIG" + upper;
        if (!Known.Contains(upper))
            throw new InvalidRequestException(field, $"'{field}' must be a signal name such as SIGTERM or SIGQUIT; '{signal}' is not one.");
        return upper;
    }

    /// <summary>Null means "the container's own stop timeout".</summary>
    public static TimeSpan? ValidateTimeout(int? seconds, string field = "timeout")
    {
        if (seconds is null) return null;
        if (seconds < 0 || seconds > MaxTimeout.TotalSeconds)
            throw new InvalidRequestException(field, $"'{field}' must be between 0 and {MaxTimeout.TotalSeconds:0} seconds; got {seconds}.");
        return TimeSpan.FromSeconds(seconds.Value);
    }
}
