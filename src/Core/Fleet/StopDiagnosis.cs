using System.Text.RegularExpressions;

namespace ControlPanel.Core.Fleet;

/// <summary>
/// A stop that ran out its timeout: the engine sent SIGKILL (exit 137, not the kernel's OOM killer), so whatever the
/// program had in flight was cut off. Words the likely cause from what the container runs, so a person can fix it
/// rather than wait out every stop.
/// </summary>
/// <param name="TimeoutSeconds">The stop timeout that ran out.</param>
/// <param name="StopSignal">The signal that did not stop it.</param>
/// <param name="Init">Docker's init process was PID 1.</param>
/// <param name="Cause">The likely cause, in a person's words.</param>
public sealed partial record StopDiagnosis(int TimeoutSeconds, string StopSignal, bool Init, string Cause)
{
    /// <summary>128 + SIGKILL (9).</summary>
    public const int KilledExitCode = 137;
    /// <summary>Docker's default when a container's configuration sets no stop timeout.</summary>
    public const int DefaultTimeoutSeconds = 10;
    private const string Start = "killed after the ";

    /// <summary>How a step or an audit entry records it; <see cref="IsKill"/> recognises it.</summary>
    public override string ToString() => $"{Start}{TimeoutSeconds} s stop timeout (exit {KilledExitCode}): {Cause}";

    /// <summary>A recorded detail that says a stop ended in SIGKILL.</summary>
    public static bool IsKill(string? detail) => detail?.StartsWith(Start, StringComparison.Ordinal) == true;

    /// <summary>
    /// The diagnosis of a container a stop has just ended, or null when it stopped by itself (any exit but 137), was
    /// killed for memory, or its stop signal is SIGKILL anyway.
    /// </summary>
    /// <param name="timeout">The timeout the stop was given; null: the container's own.</param>
    public static StopDiagnosis? Of(ContainerDetails stopped, TimeSpan? timeout)
    {
        if (stopped.ExitCode != KilledExitCode || stopped.OomKilled || stopped.StopSignal is "SIGKILL" or "KILL" or "9") return null;
        var seconds = timeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : stopped.StopTimeoutSeconds ?? DefaultTimeoutSeconds;
        return new StopDiagnosis(seconds, stopped.StopSignal, stopped.Init, LikelyCause(stopped.StopSignal, stopped.Init, stopped.Command, stopped.Image));
    }

    /// <summary>Why a container with this command and image most likely ignored <paramref name="signal"/>.</summary>
    public static string LikelyCause(string signal, bool init, string command, string image)
    {
        var hint = signal == "SIGTERM" && LooksLikeQuitToStop(image)
            ? $" {ImageName(image)} stops gracefully on SIGQUIT, not SIGTERM: set stopSignal to SIGQUIT."
            : "";
        if (init)
            return $"the program did not exit on {signal}, which the init process passed on to it: it ignores or handles that signal without exiting; its graceful stop may be another signal, or it needs a longer stop timeout.{hint}";
        if (ShellWithoutExec().IsMatch(command))
            return $"PID 1 is a shell ({Shorten(command)}): unless it execs the program, a shell as PID 1 ignores {signal} and does not pass it on. Run with an init process (init: true), or start the program with exec.{hint}";
        return $"PID 1 ({Shorten(command)}) did not exit on {signal}: a process running as PID 1 ignores every signal it has no handler for. Run with an init process (init: true), or make {signal} the program's own stop signal.{hint}";
    }

    /// <summary>PHP-FPM and nginx: SIGTERM stops them at once, cutting requests in flight; SIGQUIT lets them finish.</summary>
    public static bool LooksLikeQuitToStop(string image)
    {
        var name = ImageName(image);
        return name.Contains("fpm", StringComparison.OrdinalIgnoreCase) || name.Contains("nginx", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The image's repository name without registry, tag or digest: 127.0.0.1:5000/lab/php-fpm:2 → php-fpm.</summary>
    private static string ImageName(string image)
    {
        var path = image.Split('@')[0];
        var last = path[(path.LastIndexOf('/') + 1)..];
        return last.Split(':')[0];
    }

    private static string Shorten(string command) => command.Length <= 60 ? command : command[..57] + "...";

    // "sh -c 'x; y'" or "/bin/bash /run.sh" whose script text (when inline) never says exec.
    [GeneratedRegex(@"^(?<shell>(/usr)?(/bin/)?(sh|bash|ash|dash))(?<how> -c (?!.*\bexec\b).*| [^-]\S*$)", RegexOptions.Singleline)]
    private static partial Regex ShellWithoutExec();
}
