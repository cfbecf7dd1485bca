using ControlPanel.Core.Common;

namespace ControlPanel.Core.Releases;

/// <summary>
/// Bounds on what a runtime spec may hold, checked before anything else: every revision and release is stored for
/// good, so a 20 MB label or 10,000 variables would be kept (and sent to every node) forever. Also refuses enum
/// values that JSON numbers can smuggle in (health: 99), naming the allowed ones.
/// </summary>
public static class RuntimeLimits
{
    public const int MaxNodes = 100, MaxNodeLabels = 50, MaxEnvironment = 200, MaxPorts = 20, MaxVolumes = 50;
    public const int MaxCommandParts = 100, MaxLabels = 100, MaxNameLength = 256, MaxValueLength = 32 * 1024;
    public const int MaxTotalLength = 256 * 1024, MaxSeconds = 24 * 3600;

    public static void Check(RuntimeSpec spec)
    {
        Defined(spec.Health, "runtime.health");
        if (spec.Update.Order is { } order) Defined(order, "runtime.update.order");
        Defined(spec.Update.FailureAction, "runtime.update.failureAction");

        Count(spec.Nodes.Count, MaxNodes, "runtime.nodes");
        Pairs(spec.NodeLabels, MaxNodeLabels, "runtime.nodeLabels");
        Count(spec.Environment.Count, MaxEnvironment, "runtime.environment");
        foreach (var e in spec.Environment) Sizes(e.Name, e.Value, "runtime.environment");
        Total(spec.Environment.Sum(e => (long)e.Name.Length + e.Value.Length), "runtime.environment");
        Count(spec.Ports.Count, MaxPorts, "runtime.ports");
        Count(spec.Volumes.Count, MaxVolumes, "runtime.volumes");
        foreach (var v in spec.Volumes) Sizes(v, "", "runtime.volumes");
        if (spec.Command is { } command)
        {
            Count(command.Count, MaxCommandParts, "runtime.command");
            foreach (var part in command) Sizes("", part, "runtime.command");
            Total(command.Sum(p => (long)p.Length), "runtime.command");
        }
        Pairs(spec.Labels, MaxLabels, "runtime.labels");
        if (spec.StopSignal.Length > 32) Fail("runtime.stopSignal", $"is {spec.StopSignal.Length} characters long; a signal name has at most 32.");
        if (spec.HttpProbe?.Path is { Length: > 2048 } path) Fail("runtime.httpProbe.path", $"is {path.Length} characters long; at most 2048.");
        if (spec.FastCgiProbe?.Path is { Length: > 2048 } script) Fail("runtime.fastCgiProbe.path", $"is {script.Length} characters long; at most 2048.");
        if (spec.FastCgiProbe?.Response is { Length: > 1024 } expected) Fail("runtime.fastCgiProbe.response", $"is {expected.Length} characters long; at most 1024.");
        var u = spec.Update;
        if (u.Parallelism > 1000) Fail("runtime.update.parallelism", $"must be at most 1000; got {u.Parallelism}.");
        if (u.DelaySeconds > MaxSeconds) Fail("runtime.update.delaySeconds", $"must be at most {MaxSeconds} (a day); got {u.DelaySeconds}.");
        if (u.MonitorSeconds > MaxSeconds) Fail("runtime.update.monitorSeconds", $"must be at most {MaxSeconds} (a day); got {u.MonitorSeconds}.");
        if (u.ProgressDeadlineSeconds > MaxSeconds) Fail("runtime.update.progressDeadlineSeconds", $"must be at most {MaxSeconds} (a day); got {u.ProgressDeadlineSeconds}.");
    }

    private static void Defined<T>(T value, string field) where T : struct, Enum
    {
        if (!Enum.IsDefined(value)) Fail(field, $"must be one of {string.Join(", ", Enum.GetNames<T>())}; got {value}.");
    }

    private static void Count(int count, int max, string field)
    {
        if (count > max) Fail(field, $"has {count} entries; at most {max}.");
    }

    private static void Pairs(IReadOnlyDictionary<string, string> pairs, int max, string field)
    {
        Count(pairs.Count, max, field);
        foreach (var (key, value) in pairs) Sizes(key, value, field);
        Total(pairs.Sum(p => (long)p.Key.Length + p.Value.Length), field);
    }

    // The error shows the start of a name only: echoing a 20 MB value back would be the problem again.
    private static void Sizes(string name, string value, string field)
    {
        if (name.Length > MaxNameLength) Fail(field, $"has a name of {name.Length} characters ('{name[..40]}…'); at most {MaxNameLength}.");
        if (value.Length > MaxValueLength) Fail(field, $"has a value of {value.Length} characters{(name.Length > 0 ? $" (in '{name}')" : "")}; at most {MaxValueLength}.");
    }

    private static void Total(long length, string field)
    {
        if (length > MaxTotalLength) Fail(field, $"holds {length} characters in all; at most {MaxTotalLength}.");
    }

    private static void Fail(string field, string reason) => throw new InvalidRequestException(field, $"'{field}' {reason}");
}
