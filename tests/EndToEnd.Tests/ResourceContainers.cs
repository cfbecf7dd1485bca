using ControlPanel.Core.Fleet;
using ControlPanel.TestSupport;
using Docker.DotNet.Models;

namespace ControlPanel.EndToEnd.Tests;

/// <summary>Lab containers that use resources on purpose: allocating memory under a limit, or burning CPU.</summary>
internal static class ResourceContainers
{
    /// <summary>A shell that grows a string by 1 MB a second up to <paramref name="megabytes"/>, then holds it.</summary>
    public static string Allocating(int megabytes) =>
        $"x=''; i=0; while true; do if [ $i -lt {megabytes} ]; then i=$((i+1)); x=\"$x$(head -c 1000000 /dev/zero | tr '\\0' a)\"; echo allocated $i MB; fi; sleep 1; done";

    /// <summary>A shell that doubles a 1 MB string every 2 s, printing as it goes, until its memory limit kills it.</summary>
    public const string DoublingUntilKilled =
        "x=$(head -c 1000000 /dev/zero | tr '\\0' a); n=1; while true; do echo holding $n MB; x=\"$x$x\"; n=$((n*2)); sleep 2; done";

    public const string BusyLoop = "while :; do :; done";

    /// <summary>Runs a busybox shell with the given limits (a restart policy too, when given); removed with the run's containers.</summary>
    public static Task<string> RunAsync(LabContainers containers, NodeDefinition node, string name, string shell,
        long? memoryBytes = null, double? cpus = null, RestartPolicyKind? restartPolicy = null) =>
        MisbehavingContainers.RunAsync(containers, node, service: null, name, shell, new HostConfig
        {
            NetworkMode = "host",
            Memory = memoryBytes ?? 0,
            // No swap: a container over its limit is OOM-killed rather than swapped out.
            MemorySwap = memoryBytes ?? 0,
            NanoCPUs = cpus is { } c ? (long)(c * 1e9) : 0,
            RestartPolicy = new RestartPolicy { Name = restartPolicy ?? RestartPolicyKind.No },
        });
}
